// archlab-api's settings from flags and environment (flags win), parsed by a
// pure function so every bad value is tested without starting a process.
// Queue and table use the worker's names (--queue-url/ARCHLAB_QUEUE_URL,
// --table-name/ARCHLAB_TABLE_NAME); --table and ARCHLAB_TABLE are accepted too
// (real/local/stack.sh passes those).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api_service.hpp"
#include "config_options.hpp"
#include "http_server.hpp"

namespace archlab::real::api {

struct ApiConfig {
    http::Options server;  // address, port, threads, limits, timeouts
    ApiOptions api;
    std::string queue_url;
    std::string table_name;
    std::optional<std::string> message_group;  // the seed's one-group mode when set
    bool fake_backends = false;                // in-memory table and queue, no AWS
    std::string timings_file;  // per-operation call timings, rewritten every 0.5 s (empty: none)
    std::string trace_file;    // one JSON line per submission, its calls and their times (empty: none)
    double drain_delay_s = 2.0;  // SIGTERM: /health answers 503 this long before the listener closes
    bool show_help = false;
};

using Getenv = ConfigGetenv;

// Defaults differ from http::Options: port 3000 (the seed's) and 16 threads,
// because each request in flight holds a thread while it waits for AWS.
ApiConfig default_api_config();

// args excludes the program name. A string is the error to print (exit 2).
std::variant<ApiConfig, std::string> parse_api_config(const std::vector<std::string>& args, const Getenv& getenv);
std::string api_usage();

}  // namespace archlab::real::api
