// Command line of archlab-jsrun, parsed by a pure function so bad flags are
// tested without starting a process.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "sandbox.hpp"

namespace archlab::real {

struct JsrunOptions {
    SandboxLimits limits;
    std::string code_path = "-";  // "-" reads the code from stdin
    bool show_help = false;
};

// args excludes the program name. A string is the error to print (exit 2).
std::variant<JsrunOptions, std::string> parse_jsrun_args(const std::vector<std::string>& args);
std::string jsrun_usage();

}  // namespace archlab::real
