// Numbers from command-line flags and environment variables, for the real binaries' configuration:
// the whole text must be the number (no "10s", no trailing space), so a typo is an error, not a 0.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

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

}  // namespace archlab::real
