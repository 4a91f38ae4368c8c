#include "api_config.hpp"
#include "config_options.hpp"

namespace archlab::real::api {
namespace {

using Option = ConfigOption<ApiConfig>;

bool to_bool(const std::string& text, bool& out) {
    if (text == "1" || text == "true" || text == "yes") return out = true, true;
    if (text == "0" || text == "false" || text == "no" || text.empty()) return out = false, true;
    return false;
}

const std::vector<Option>& options() {
    using C = ApiConfig;
    using S = const std::string&;
    static const std::vector<Option> table = {
        {"--address", "ARCHLAB_API_ADDRESS", "listen address (default 127.0.0.1; 0.0.0.0 behind a load balancer)",
         [](C& c, S v) { c.server.address = v; return !v.empty(); }, nullptr},
        {"--port", "ARCHLAB_API_PORT", "listen port (default 3000, as the seed; 0 = ephemeral)",
         [](C& c, S v) { return parse_unsigned(v, c.server.port); }, nullptr},
        {"--threads", "ARCHLAB_API_THREADS", "io threads = requests served at once (default 16)",
         [](C& c, S v) { return parse_unsigned(v, c.server.threads); }, nullptr},
        {"--queue-url", "ARCHLAB_QUEUE_URL", "SQS queue URL (required unless --fake-backends)",
         [](C& c, S v) { c.queue_url = v; return !v.empty(); }, nullptr},
        // --table first: when both variables are set, ARCHLAB_TABLE_NAME (read later) wins.
        {"--table", "ARCHLAB_TABLE", "same as --table-name",
         [](C& c, S v) { c.table_name = v; return !v.empty(); }, nullptr},
        {"--table-name", "ARCHLAB_TABLE_NAME", "DynamoDB jobs table (required unless --fake-backends)",
         [](C& c, S v) { c.table_name = v; return !v.empty(); }, nullptr},
        {"--max-body-bytes", "ARCHLAB_API_MAX_BODY_BYTES", "POST body limit (default 65536)",
         [](C& c, S v) { return parse_unsigned(v, c.api.max_body_bytes); }, nullptr},
        {"--max-code-bytes", "ARCHLAB_API_MAX_CODE_BYTES", "\"code\" string limit (default 16384)",
         [](C& c, S v) { return parse_unsigned(v, c.api.max_code_bytes); }, nullptr},
        {"--message-group", "ARCHLAB_MESSAGE_GROUP", "one fixed FIFO message group for every job (the seed's mode)",
         [](C& c, S v) { c.message_group = v; return !v.empty(); }, nullptr},
        {"--idle-timeout-s", "ARCHLAB_API_IDLE_TIMEOUT_S", "close connections idle this long (default 30)",
         [](C& c, S v) { return parse_double(v, c.server.idle_timeout_s); }, nullptr},
        {"--drain-delay-s", "ARCHLAB_API_DRAIN_DELAY_S", "SIGTERM: seconds of 503 health before closing (default 2)",
         [](C& c, S v) { return parse_double(v, c.drain_delay_s); }, nullptr},
        {"--drain-timeout-s", "ARCHLAB_API_DRAIN_TIMEOUT_S", "then seconds for requests in flight (default 5)",
         [](C& c, S v) { return parse_double(v, c.server.drain_timeout_s); }, nullptr},
        {"--status-from-queue-peek", "ARCHLAB_API_STATUS_FROM_QUEUE_PEEK",
         "check-status peeks the queue first, as the seed (a failure mode)",
         [](C& c, S v) { return to_bool(v, c.api.status_from_queue_peek); },
         [](C& c) { c.api.status_from_queue_peek = true; }},
        {"--timings-file", "ARCHLAB_TIMINGS_FILE", "rewrite per-operation call timings here every 0.5 s (archlab-loadgen --timings-dir)",
         [](C& c, S v) { c.timings_file = v; return !v.empty(); }, nullptr},
        {"--trace-file", "ARCHLAB_TRACE_FILE", "append one JSON line per submission here: each of its calls, when it started, how long it took",
         [](C& c, S v) { c.trace_file = v; return !v.empty(); }, nullptr},
        {"--fake-backends", "", "in-memory table and queue (load tests; jobs stay pending)", nullptr,
         [](C& c) { c.fake_backends = true; }},
    };
    return table;
}

std::optional<std::string> check(const ApiConfig& c) {
    if (!c.fake_backends && c.queue_url.empty())
        return "no queue URL: give --queue-url or ARCHLAB_QUEUE_URL (or --fake-backends)";
    if (!c.fake_backends && c.table_name.empty())
        return "no table name: give --table-name or ARCHLAB_TABLE_NAME (or --fake-backends)";
    if (c.server.threads < 1 || c.server.threads > 1024) return "threads must be 1..1024";
    if (c.api.max_body_bytes < 16) return "max_body_bytes must be at least 16";
    if (c.api.max_code_bytes < 1) return "max_code_bytes must be at least 1";
    if (c.api.max_code_bytes > c.api.max_body_bytes)
        return "max_code_bytes (" + std::to_string(c.api.max_code_bytes) + ") cannot exceed max_body_bytes (" +
               std::to_string(c.api.max_body_bytes) + ")";
    if (!(c.server.idle_timeout_s > 0)) return "idle_timeout_s must be > 0";
    if (!(c.drain_delay_s >= 0) || !(c.server.drain_timeout_s >= 0))
        return "drain_delay_s and drain_timeout_s must be >= 0";
    return std::nullopt;
}

}  // namespace

ApiConfig default_api_config() {
    ApiConfig config;
    config.server.port = 3000;
    config.server.threads = 16;
    return config;
}

std::string api_usage() {
    std::string text =
        "usage: archlab-api [options]\n"
        "The code runner's API (POST /submit-code, GET /check-status/{id}, GET /health) over\n"
        "SQS and DynamoDB. SIGTERM/SIGINT: /health answers 503, then the listener closes,\n"
        "requests in flight finish, exit 0. Options may come from the environment variable\n"
        "shown; flags win. AWS region, endpoints and credentials come from the usual AWS_*\n"
        "variables and the default credential chain.\n";
    text += options_usage(options());
    return text;
}

std::variant<ApiConfig, std::string> parse_api_config(const std::vector<std::string>& args, const Getenv& getenv) {
    ApiConfig config = default_api_config();
    if (auto problem = apply_options(options(), args, getenv, config, config.show_help)) return *problem;
    if (config.show_help) return config;
    // The server refuses larger bodies before reading them; the service checks again.
    config.server.max_body_bytes = config.api.max_body_bytes;
    if (auto problem = check(config)) return *problem;
    return config;
}

}  // namespace archlab::real::api
