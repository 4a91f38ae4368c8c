// archlab diagram: placeholder, replaced by the diagram module.
#include "sim/cli/commands.hpp"

namespace archlab::cli {
void setup_diagram_command(CLI::App&) {}
}  // namespace archlab::cli
