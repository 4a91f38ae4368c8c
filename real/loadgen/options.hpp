// Command line of archlab-loadgen. Parsing is pure (no file is read here) so
// every rule is unit tested; bad flags give a message and exit code 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schedule.hpp"

namespace archlab::loadgen {

struct Options {
  std::string url;  // base URL of the API (the load balancer), no trailing slash
  double rate_per_s = 0;
  double duration_s = 0;
  Spacing arrivals = Spacing::poisson;
  std::uint64_t seed = 1;
  double poll_interval_s = 5;  // the seed's browser polls every 5 s
  double give_up_s = 120;      // from a job's scheduled submission
  int max_connections = 64;
  double request_timeout_s = 10;
  std::string code = "1+1";
  std::optional<std::string> code_file;  // read by main, replaces code
  std::string timings_dir;  // the stack's call-timings files; empty: no "operations_s"
  bool verify = false;
  bool progress = false;
};

struct ParsedOptions {
  std::optional<Options> options;  // set when the run should go ahead
  int exit_code = 0;               // otherwise: 0 after --help, 2 on bad flags
  std::string message;             // help text (stdout) or error (stderr)
};

// args excludes the program name.
ParsedOptions parse_options(const std::vector<std::string>& args);

}  // namespace archlab::loadgen
