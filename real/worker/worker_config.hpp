// archlab-worker's settings from flags and environment (flags win), parsed by a
// pure function so every bad value is tested without starting a process.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config_options.hpp"
#include "sandbox.hpp"
#include "worker_loop.hpp"

namespace archlab::real {

struct WorkerConfig {
    std::string queue_url;   // --queue-url, ARCHLAB_QUEUE_URL
    std::string table_name;  // --table-name, ARCHLAB_TABLE_NAME
    SandboxLimits limits;
    WorkerSettings settings;
    std::string timings_file;  // per-operation call timings, rewritten every 0.5 s (empty: none)
    std::string trace_file;    // one JSON line per message, its calls and their times (empty: none)
    int concurrency = 1;     // sandboxes at once in this process, one thread each
    bool show_help = false;
};

using Getenv = ConfigGetenv;

// args excludes the program name. A string is the error to print (exit 2).
std::variant<WorkerConfig, std::string> parse_worker_config(const std::vector<std::string>& args,
                                                            const Getenv& getenv);
std::string worker_usage();

}  // namespace archlab::real
