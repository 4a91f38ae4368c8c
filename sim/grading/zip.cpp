#include "sim/grading/zip.hpp"

#include <array>
#include <limits>
#include <stdexcept>

namespace archlab::grading {

namespace {
void put16(std::string& out, std::uint32_t value)
{
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>((value >> 8) & 0xff);
}

void put32(std::string& out, std::uint32_t value)
{
  put16(out, value & 0xffff);
  put16(out, value >> 16);
}

constexpr std::uint32_t fixed_time = 0;                          // 00:00:00
constexpr std::uint32_t fixed_date = (0u << 9) | (1u << 5) | 1;  // 1980-01-01, the zip epoch
constexpr std::uint32_t utf8_names = 0x0800;
constexpr std::uint32_t version = 20;                            // 2.0: enough for stored files
constexpr std::uint32_t made_on_unix = 3u << 8;                  // so the mode in the external attributes counts
}  // namespace

std::uint32_t crc32(const std::string& data)
{
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char byte : data)
    crc = table[(crc ^ byte) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

std::string zip_archive(const std::vector<ZipEntry>& entries)
{
  if (entries.size() > 0xffff)
    throw std::length_error("too many files for a zip archive");
  std::string out, directory;
  for (const auto& entry : entries) {
    if (out.size() + entry.data.size() + entry.name.size() + 30 > std::numeric_limits<std::uint32_t>::max())
      throw std::length_error("a zip archive is at most 4 GiB");
    auto offset = static_cast<std::uint32_t>(out.size());
    auto size = static_cast<std::uint32_t>(entry.data.size());
    auto crc = crc32(entry.data);
    put32(out, 0x04034b50);
    for (auto value : {version, utf8_names, 0u, fixed_time, fixed_date})
      put16(out, value);
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, static_cast<std::uint32_t>(entry.name.size()));
    put16(out, 0);
    out += entry.name;
    out += entry.data;

    put32(directory, 0x02014b50);
    for (auto value : {made_on_unix | version, version, utf8_names, 0u, fixed_time, fixed_date})
      put16(directory, value);
    put32(directory, crc);
    put32(directory, size);
    put32(directory, size);
    put16(directory, static_cast<std::uint32_t>(entry.name.size()));
    for (int i = 0; i < 4; ++i)  // extra, comment, disk, internal attributes
      put16(directory, 0);
    put32(directory, (0100000u | entry.mode) << 16);  // a regular file with these permissions
    put32(directory, offset);
    directory += entry.name;
  }
  auto directory_offset = static_cast<std::uint32_t>(out.size());
  out += directory;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, static_cast<std::uint32_t>(directory.size()));
  put32(out, directory_offset);
  put16(out, 0);
  return out;
}

}  // namespace archlab::grading
