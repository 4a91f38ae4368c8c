// archlab-jsrun: run one script in the sandbox by hand (students, manual tests).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "jsrun_args.hpp"
#include "sandbox.hpp"

int main(int argc, char** argv) {
    using namespace archlab::real;
    const auto parsed = parse_jsrun_args(std::vector<std::string>(argv + 1, argv + argc));
    if (const auto* problem = std::get_if<std::string>(&parsed)) {
        std::cerr << "archlab-jsrun: " << *problem << "\n" << jsrun_usage();
        return 2;
    }
    const auto& options = std::get<JsrunOptions>(parsed);
    if (options.show_help) {
        std::cout << jsrun_usage();
        return 0;
    }
    std::string code;
    if (options.code_path == "-") {
        code.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
        std::ifstream file(options.code_path, std::ios::binary);
        if (!file) {
            std::cerr << "archlab-jsrun: cannot read " << options.code_path << "\n";
            return 2;
        }
        code.assign(std::istreambuf_iterator<char>(file), {});
    }
    const SandboxOutcome outcome = run_javascript(code, options.limits);
    std::cout << to_json(outcome) << "\n";
    return outcome.kind == OutcomeKind::ok ? 0 : 1;
}
