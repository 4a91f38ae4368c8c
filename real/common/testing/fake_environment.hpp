// Test support: a fake environment for the functions that take a getenv, so
// tests neither read nor change the process environment.
#pragma once

#include <map>
#include <string>

namespace archlab::real::testing {

inline auto environment(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const char* name) -> const char* {
        const auto found = variables.find(name);
        return found == variables.end() ? nullptr : found->second.c_str();
    };
}

}  // namespace archlab::real::testing
