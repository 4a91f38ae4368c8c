#include "sim/grading/zip.hpp"

#include <catch2/catch.hpp>

using namespace archlab::grading;

TEST_CASE("zip: crc32 matches the standard check value", "[grading]")
{
  CHECK(crc32("123456789") == 0xcbf43926u);
  CHECK(crc32("") == 0);
}

TEST_CASE("zip: an archive has its headers, names and data, and is the same every time", "[grading]")
{
  std::vector<ZipEntry> entries = {{"setup.sh", "#!/bin/sh\n", 0755}, {"kit/a.txt", "hello", 0644}};
  auto archive = zip_archive(entries);
  CHECK(archive.substr(0, 4) == std::string("PK\x03\x04", 4));
  CHECK(archive.find("kit/a.txthello") != std::string::npos);
  CHECK(archive.find(std::string("PK\x05\x06", 4)) == archive.size() - 22);
  CHECK(static_cast<unsigned char>(archive[archive.size() - 22 + 8]) == 2);  // entries on this disk
  CHECK(archive == zip_archive(entries));
  CHECK(zip_archive({}).size() == 22);
}
