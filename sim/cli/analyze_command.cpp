// archlab analyze: placeholder, replaced by the analysis module.
#include "sim/cli/commands.hpp"

namespace archlab::cli {
void setup_analyze_command(CLI::App&) {}
}  // namespace archlab::cli
