#include "timings_dir.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace archlab::loadgen {

namespace {
std::int64_t unix_now_ms()
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TimingsFile read_timings_file(const std::filesystem::path& path)
{
  std::ifstream file(path);
  auto document = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  const std::string origin = path.string();
  if (!document.is_object() || !document.contains("role") || !document.at("role").is_string() ||
      !document.contains("written_at_unix_ms") || !document.at("written_at_unix_ms").is_number_integer() ||
      !document.contains("operations"))
    throw std::runtime_error(origin + ": not a call-timings snapshot (needs role, written_at_unix_ms, operations)");
  return {document.at("role").get<std::string>(), document.at("written_at_unix_ms").get<std::int64_t>(),
          real::histograms_from_json(document.at("operations"), origin)};
}
}  // namespace

TimingsSnapshot read_timings_dir(const std::string& dir)
{
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error))
    throw std::runtime_error("--timings-dir " + dir + ": not a directory (real/local/stack.sh makes <run dir>/timings)");
  TimingsSnapshot snapshot;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json" || !entry.is_regular_file())
      continue;  // *.json.tmp: a snapshot being written, renamed into place when whole
    snapshot[entry.path().filename().string()] = read_timings_file(entry.path());
  }
  return snapshot;
}

FreshSnapshot read_fresh_timings(const std::string& dir, std::int64_t since_unix_ms, double timeout_s)
{
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    FreshSnapshot fresh{read_timings_dir(dir), {}};
    for (const auto& [name, file] : fresh.snapshot)
      if (file.written_at_unix_ms < since_unix_ms)
        fresh.stale_files.push_back(name);
    if (fresh.stale_files.empty() || std::chrono::steady_clock::now() >= give_up)
      return fresh;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

nlohmann::json operations_between(const TimingsSnapshot& before, const TimingsSnapshot& after)
{
  std::map<std::string, real::OperationHistograms> by_role;
  for (const auto& [name, file] : after) {
    const auto earlier = before.find(name);
    // A process restarted in between (another pid wrote the file) starts from zero again.
    auto run = earlier == before.end() ? file.operations
                                       : real::subtract_histograms(file.operations, earlier->second.operations);
    real::add_histograms(by_role[file.role], run);
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [role, histograms] : by_role)
    out[role] = real::summarize_histograms(histograms);
  return out;
}

}  // namespace archlab::loadgen
