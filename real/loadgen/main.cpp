// archlab-loadgen: open-loop load on the code runner's API, printing a JSON
// summary shaped like `archlab run`'s jobs section. See README.md.
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "options.hpp"
#include "runner.hpp"
#include "schedule.hpp"
#include "summary.hpp"
#include "timings_dir.hpp"

using namespace archlab::loadgen;

int main(int argc, char** argv)
{
  auto parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed.options) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message << "\n";
    return parsed.exit_code;
  }
  Options options = *parsed.options;
  if (options.code_file) {
    std::ifstream file(*options.code_file, std::ios::binary);
    if (!file) {
      std::cerr << "archlab-loadgen: cannot read --code-file " << *options.code_file << "\n";
      return 2;
    }
    std::ostringstream text;
    text << file.rdbuf();
    options.code = text.str();
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "archlab-loadgen: curl_global_init failed\n";
    return 1;
  }
  // Before the run: what the stack had already done (start-up, earlier runs) is subtracted.
  TimingsSnapshot timings_before;
  try {
    if (!options.timings_dir.empty())
      timings_before = read_timings_dir(options.timings_dir);
  } catch (const std::exception& error) {
    std::cerr << "archlab-loadgen: " << error.what() << "\n";
    curl_global_cleanup();
    return 2;
  }
  auto schedule_s = arrival_times_s(options.rate_per_s, options.duration_s, options.arrivals, options.seed);
  // After the load, before --verify's re-reads: the timings are this load's calls only.
  nlohmann::json operations_s;
  std::string timings_error;
  auto take_timings = [&] {
    if (options.timings_dir.empty())
      return;
    const auto ended_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    try {
      auto after = read_fresh_timings(options.timings_dir, ended_at_ms, 5.0);
      for (const auto& name : after.stale_files)
        std::cerr << "archlab-loadgen: " << options.timings_dir << "/" << name
                  << " was not rewritten after the run; its last calls are missing from operations_s\n";
      operations_s = operations_between(timings_before, after.snapshot);
    } catch (const std::exception& error) {
      timings_error = error.what();
    }
  };
  RunResult result;
  try {
    result = run_load(options, schedule_s, take_timings);
  } catch (const std::exception& error) {
    std::cerr << "archlab-loadgen: " << error.what() << "\n";
    curl_global_cleanup();
    return 1;
  }
  curl_global_cleanup();
  if (!timings_error.empty()) {
    std::cerr << "archlab-loadgen: " << timings_error << "\n";
    return 1;
  }

  LoadSettings settings{options.rate_per_s,       options.duration_s,      to_string(options.arrivals),
                        options.seed,             options.poll_interval_s, options.give_up_s,
                        options.max_connections,  options.request_timeout_s, options.url};
  nlohmann::json summary = {{"jobs", jobs_summary(result.jobs, options.duration_s)},
                            {"http", http_summary(result.http)},
                            {"load", load_summary(settings, result.observed)}};
  if (result.verify)
    summary["verify"] = verify_summary(*result.verify);
  if (!operations_s.is_null())
    summary["operations_s"] = operations_s;
  std::cout << summary.dump(2) << "\n";
  return 0;
}
