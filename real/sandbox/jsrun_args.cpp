#include "jsrun_args.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace archlab::real {
namespace {

bool parse_double(const std::string& text, double& out) {
    char* end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && end && *end == '\0' && errno == 0 && std::isfinite(out);
}

bool parse_size(const std::string& text, std::size_t& out) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (errno != 0) return false;
    out = static_cast<std::size_t>(value);
    return true;
}

}  // namespace

std::string jsrun_usage() {
    const SandboxLimits d;
    return "usage: archlab-jsrun [options] [FILE|-]\n"
           "Runs ES5 JavaScript from FILE (default: stdin) in the sandbox and prints the outcome\n"
           "as one JSON line {kind,result,error,output,elapsed_ms}. Exit 0 when kind is ok,\n"
           "1 for any other outcome, 2 for bad flags.\n"
           "  --cpu-timeout-s S     interpreter CPU time (default " + std::to_string(d.cpu_timeout_s) + ")\n"
           "  --wall-timeout-s S    real time before SIGKILL (default " + std::to_string(d.wall_timeout_s) + ")\n"
           "  --memory-bytes N      JavaScript heap cap (default " + std::to_string(d.memory_bytes) + ")\n"
           "  --output-bytes N      console.log / result cap (default " + std::to_string(d.output_bytes) + ")\n"
           "  -h, --help            this text\n";
}

std::variant<JsrunOptions, std::string> parse_jsrun_args(const std::vector<std::string>& args) {
    JsrunOptions options;
    bool have_path = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-h" || arg == "--help") {
            options.show_help = true;
            return options;
        }
        const bool takes_value = arg == "--cpu-timeout-s" || arg == "--wall-timeout-s" ||
                                 arg == "--memory-bytes" || arg == "--output-bytes";
        if (takes_value) {
            if (i + 1 >= args.size()) return arg + " needs a value";
            const std::string& value = args[++i];
            bool ok = false;
            if (arg == "--cpu-timeout-s") ok = parse_double(value, options.limits.cpu_timeout_s);
            if (arg == "--wall-timeout-s") ok = parse_double(value, options.limits.wall_timeout_s);
            if (arg == "--memory-bytes") ok = parse_size(value, options.limits.memory_bytes);
            if (arg == "--output-bytes") ok = parse_size(value, options.limits.output_bytes);
            if (!ok) return arg + ": not a number: '" + value + "'";
            continue;
        }
        if (arg.size() > 1 && arg[0] == '-') return "unknown option " + arg;
        if (have_path) return "only one FILE may be given (got '" + options.code_path + "' and '" + arg + "')";
        options.code_path = arg;
        have_path = true;
    }
    if (auto problem = validate_limits(options.limits)) return *problem;
    return options;
}

}  // namespace archlab::real
