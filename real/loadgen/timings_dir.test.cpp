#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "timings_dir.hpp"

using namespace archlab::loadgen;

namespace {
struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("archlab-timings-dir-test-" + std::to_string(::getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& name, const std::string& role, std::int64_t at_ms, const std::vector<double>& seconds)
  {
    archlab::real::CallTimings timings;
    for (double value : seconds)
      timings.record("sqs.SendMessage", value);
    std::ofstream(path / name) << nlohmann::json{{"role", role}, {"pid", 1}, {"written_at_unix_ms", at_ms},
                                                  {"operations", archlab::real::histograms_to_json(timings.snapshot())}};
  }
};
}  // namespace

TEST_CASE("timings dir: the run is after minus before, per role, files of one role added", "[timings]")
{
  TempDir dir;
  dir.write("api0.json", "api", 1000, {0.001});
  const auto before = read_timings_dir(dir.path.string());
  dir.write("api0.json", "api", 2000, {0.001, 0.004, 0.004});
  dir.write("api1.json", "api", 2000, {0.004});  // appeared during the run: counts whole
  dir.write("worker0.json", "worker", 2000, {0.002});
  std::ofstream(dir.path / "worker1.json.tmp") << "{ half written";  // ignored
  const auto fresh = read_fresh_timings(dir.path.string(), 2000, 1.0);
  CHECK(fresh.stale_files.empty());
  const auto operations = operations_between(before, fresh.snapshot);
  CHECK(operations.at("api").at("sqs.SendMessage").at("count") == 3);
  CHECK(operations.at("api").at("sqs.SendMessage").at("mean").get<double>() == Approx(0.004));
  CHECK(operations.at("worker").at("sqs.SendMessage").at("count") == 1);
}

TEST_CASE("timings dir: a file not rewritten since the run ended is reported stale", "[timings]")
{
  TempDir dir;
  dir.write("api0.json", "api", 1000, {0.001});
  const auto fresh = read_fresh_timings(dir.path.string(), 5000, 0.2);
  REQUIRE(fresh.stale_files.size() == 1);
  CHECK(fresh.stale_files[0] == "api0.json");
}

TEST_CASE("timings dir: a missing directory or a file that is not a snapshot is an error naming it", "[timings]")
{
  TempDir dir;
  CHECK_THROWS_WITH(read_timings_dir((dir.path / "nope").string()), Catch::Contains("nope: not a directory"));
  std::ofstream(dir.path / "api0.json") << R"({"role": "api"})";
  CHECK_THROWS_WITH(read_timings_dir(dir.path.string()), Catch::Contains("api0.json: not a call-timings snapshot"));
}
