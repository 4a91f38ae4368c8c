#include "worker_config.hpp"
#include "config_options.hpp"

namespace archlab::real {
namespace {

using Option = ConfigOption<WorkerConfig>;

const std::vector<Option>& options() {
    static const std::vector<Option> table = {
        {"--queue-url", "ARCHLAB_QUEUE_URL", "SQS queue URL (required)",
         [](WorkerConfig& c, const std::string& v) { c.queue_url = v; return !v.empty(); }},
        // Alias first, so --table-name / ARCHLAB_TABLE_NAME win when both are set;
        // real/local/stack.sh passes --table and ARCHLAB_TABLE.
        {"--table", "ARCHLAB_TABLE", "same as --table-name",
         [](WorkerConfig& c, const std::string& v) { c.table_name = v; return !v.empty(); }},
        {"--table-name", "ARCHLAB_TABLE_NAME", "DynamoDB jobs table (required)",
         [](WorkerConfig& c, const std::string& v) { c.table_name = v; return !v.empty(); }},
        {"--cpu-timeout-s", "ARCHLAB_CPU_TIMEOUT_S", "sandbox CPU time per job",
         [](WorkerConfig& c, const std::string& v) { return parse_double(v, c.limits.cpu_timeout_s); }},
        {"--wall-timeout-s", "ARCHLAB_WALL_TIMEOUT_S", "sandbox real time per job",
         [](WorkerConfig& c, const std::string& v) { return parse_double(v, c.limits.wall_timeout_s); }},
        {"--memory-bytes", "ARCHLAB_MEMORY_BYTES", "sandbox JavaScript heap",
         [](WorkerConfig& c, const std::string& v) { return parse_unsigned(v, c.limits.memory_bytes); }},
        {"--output-bytes", "ARCHLAB_OUTPUT_BYTES", "sandbox console/result cap",
         [](WorkerConfig& c, const std::string& v) { return parse_unsigned(v, c.limits.output_bytes); }},
        {"--concurrency", "ARCHLAB_CONCURRENCY", "sandboxes at once (default 1)",
         [](WorkerConfig& c, const std::string& v) { return parse_unsigned(v, c.concurrency); }},
        {"--wait-time-s", "ARCHLAB_WAIT_TIME_S", "long-poll wait, 0..20 (default 20)",
         [](WorkerConfig& c, const std::string& v) { return parse_unsigned(v, c.settings.wait_time_s); }},
        {"--visibility-timeout-s", "ARCHLAB_VISIBILITY_TIMEOUT_S",
         "the queue's visibility timeout (default 30)",
         [](WorkerConfig& c, const std::string& v) {
             return parse_unsigned(v, c.settings.visibility_timeout_s);
         }},
        {"--timings-file", "ARCHLAB_TIMINGS_FILE",
         "rewrite per-operation call timings here every 0.5 s (archlab-loadgen --timings-dir)",
         [](WorkerConfig& c, const std::string& v) { c.timings_file = v; return !v.empty(); }},
        {"--trace-file", "ARCHLAB_TRACE_FILE",
         "append one JSON line per message here: each of its calls, when it started, how long it took",
         [](WorkerConfig& c, const std::string& v) { c.trace_file = v; return !v.empty(); }},
        {"--max-attempts", "ARCHLAB_MAX_ATTEMPTS", "deliveries before a pending job is failed",
         [](WorkerConfig& c, const std::string& v) { return parse_unsigned(v, c.settings.max_attempts); }},
    };
    return table;
}

std::optional<std::string> check(const WorkerConfig& config) {
    if (config.queue_url.empty()) return "no queue URL: give --queue-url or ARCHLAB_QUEUE_URL";
    if (config.table_name.empty()) return "no table name: give --table-name or ARCHLAB_TABLE_NAME";
    if (auto problem = validate_limits(config.limits)) return *problem;
    if (config.concurrency < 1 || config.concurrency > 64) return "concurrency must be 1..64";
    if (config.settings.wait_time_s > 20) return "wait_time_s must be 0..20 (SQS long-poll maximum)";
    if (config.settings.visibility_timeout_s < 1 || config.settings.visibility_timeout_s > 43200)
        return "visibility_timeout_s must be 1..43200";
    if (config.settings.max_attempts < 1) return "max_attempts must be at least 1";
    return std::nullopt;
}

}  // namespace

std::string worker_usage() {
    std::string text =
        "usage: archlab-worker [options]\n"
        "Receives job ids from SQS, runs each job's JavaScript in the sandbox and writes the\n"
        "result to DynamoDB. SIGTERM/SIGINT: finish the current job, then exit 0.\n"
        "Each option may also come from the environment variable shown; flags win.\n";
    return text + options_usage(options());
}

std::variant<WorkerConfig, std::string> parse_worker_config(const std::vector<std::string>& args,
                                                            const Getenv& getenv) {
    WorkerConfig config;
    if (auto problem = apply_options(options(), args, getenv, config, config.show_help)) return *problem;
    if (config.show_help) return config;
    // The heartbeat plan needs the sandbox's real-time limit.
    config.settings.wall_timeout_s = config.limits.wall_timeout_s;
    if (auto problem = check(config)) return *problem;
    return config;
}

}  // namespace archlab::real
