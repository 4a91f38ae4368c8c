// Configuration of the real binaries from flags and environment variables: a table of options
// (flag, variable, help, how to store a value) read by one parser. Numbers must be the whole text
// ("10s" or a trailing space is an error, not a 0). Pure: the environment comes in as a function.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace archlab::real {

inline bool parse_double(const std::string& text, double& out)
{
    char* end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && *end == '\0' && errno == 0 && std::isfinite(out);
}

// Digits only, and no larger than Int holds.
template <typename Int>
bool parse_unsigned(const std::string& text, Int& out)
{
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const auto value = std::strtoull(text.c_str(), nullptr, 10);
    if (value > static_cast<unsigned long long>(std::numeric_limits<Int>::max()))
        return false;
    out = static_cast<Int>(value);
    return true;
}

using ConfigGetenv = std::function<std::optional<std::string>(const std::string& name)>;

// One row per setting. env may be "" (no variable). A switch (a flag without a value) has `on`;
// its variable, if any, still goes through `set`.
template <typename Config>
struct ConfigOption {
    const char* flag;
    const char* env;
    const char* help;
    std::function<bool(Config&, const std::string&)> set;
    std::function<void(Config&)> on = nullptr;
};

// The environment first, then the flags, so flags win; rows later in the table win over earlier
// ones. -h/--help sets show_help and stops. Returns the first problem, naming the flag or variable.
template <typename Config>
std::optional<std::string> apply_options(const std::vector<ConfigOption<Config>>& options,
                                         const std::vector<std::string>& args, const ConfigGetenv& getenv,
                                         Config& config, bool& show_help)
{
    for (const auto& option : options) {
        if (!*option.env || !option.set)
            continue;
        const auto value = getenv(option.env);
        if (value && !option.set(config, *value))
            return std::string(option.env) + ": bad value '" + *value + "'";
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "-h" || args[i] == "--help") {
            show_help = true;
            return std::nullopt;
        }
        const ConfigOption<Config>* match = nullptr;
        for (const auto& option : options)
            if (args[i] == option.flag)
                match = &option;
        if (!match)
            return "unknown argument " + args[i];
        if (match->on) {
            match->on(config);
            continue;
        }
        if (i + 1 >= args.size())
            return args[i] + " needs a value";
        if (!match->set(config, args[i + 1]))
            return args[i] + ": bad value '" + args[i + 1] + "'";
        ++i;
    }
    return std::nullopt;
}

// "  --flag V  (VARIABLE)  help" per row.
template <typename Config>
std::string options_usage(const std::vector<ConfigOption<Config>>& options)
{
    std::string text;
    for (const auto& option : options) {
        text += "  " + std::string(option.flag) + (option.on ? "" : " V");
        if (*option.env)
            text += "  (" + std::string(option.env) + ")";
        text += "  " + std::string(option.help) + "\n";
    }
    return text;
}

}  // namespace archlab::real
