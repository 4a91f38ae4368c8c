#include "options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace archlab::loadgen {

namespace {

std::string check(const Options& options)
{
  auto positive = [](double value) { return value > 0 && value < 1e9; };
  if (options.url.rfind("http://", 0) != 0 && options.url.rfind("https://", 0) != 0)
    return "--url must start with http:// or https://, got '" + options.url + "'";
  if (!positive(options.rate_per_s))
    return "--rate-per-s must be > 0";
  if (!positive(options.duration_s))
    return "--duration-s must be > 0";
  if (options.rate_per_s * options.duration_s > 10'000'000)
    return "--rate-per-s × --duration-s is over 10 million jobs; split the run";
  if (options.poll_interval_s < 0.01 || options.poll_interval_s > 3600)
    return "--poll-interval-s must be between 0.01 and 3600";
  if (!positive(options.give_up_s))
    return "--give-up-s must be > 0";
  if (options.max_connections < 1 || options.max_connections > 10000)
    return "--max-connections must be between 1 and 10000";
  if (!positive(options.request_timeout_s))
    return "--request-timeout-s must be > 0";
  return "";
}

}  // namespace

ParsedOptions parse_options(const std::vector<std::string>& args)
{
  Options options;
  CLI::App app{"archlab-loadgen: open-loop load on the code runner API (POST /submit-code, GET /check-status/{id})",
               "archlab-loadgen"};
  std::string arrivals = "poisson";
  app.add_option("--url", options.url, "API base URL, e.g. http://127.0.0.1:18610")->required();
  app.add_option("--rate-per-s", options.rate_per_s, "job submissions per second")->required();
  app.add_option("--duration-s", options.duration_s, "how long to submit")->required();
  app.add_option("--arrivals", arrivals, "poisson or fixed spacing")->capture_default_str();
  app.add_option("--seed", options.seed, "seed of the Poisson schedule")->capture_default_str();
  app.add_option("--poll-interval-s", options.poll_interval_s, "status poll interval per job")->capture_default_str();
  app.add_option("--give-up-s", options.give_up_s, "stop polling a job this long after its submission")
      ->capture_default_str();
  app.add_option("--max-connections", options.max_connections, "requests in flight at most")->capture_default_str();
  app.add_option("--request-timeout-s", options.request_timeout_s, "per-request timeout")->capture_default_str();
  auto* code = app.add_option("--code", options.code, "job source code")->capture_default_str();
  std::string code_file;
  auto* file = app.add_option("--code-file", code_file, "read the job source code from this file");
  code->excludes(file);
  app.add_option("--timings-dir", options.timings_dir,
                 "the stack's call-timings directory (real/local/stack.sh: $ARCHLAB_TIMINGS_DIR): "
                 "report what this run's AWS calls took, as operations_s");
  app.add_flag("--verify", options.verify, "re-read every finished job at the end (exactly-once check)");
  app.add_flag("--progress", options.progress, "print progress to stderr every second");

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return {std::nullopt, 0, app.help()};
  } catch (const CLI::ParseError& error) {
    return {std::nullopt, 2, std::string("archlab-loadgen: ") + error.what() + " (see --help)"};
  }
  auto spacing = spacing_from_string(arrivals);
  if (!spacing)
    return {std::nullopt, 2, "archlab-loadgen: --arrivals must be poisson or fixed, got '" + arrivals + "'"};
  options.arrivals = *spacing;
  if (!code_file.empty())
    options.code_file = code_file;
  while (!options.url.empty() && options.url.back() == '/')
    options.url.pop_back();
  if (auto problem = check(options); !problem.empty())
    return {std::nullopt, 2, "archlab-loadgen: " + problem};
  return {options, 0, ""};
}

}  // namespace archlab::loadgen
