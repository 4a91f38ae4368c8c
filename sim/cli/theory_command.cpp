// archlab theory MODEL: placeholder until the queueing-theory matcher lands.
#include "sim/cli/commands.hpp"

namespace archlab::cli {
void setup_theory_command(CLI::App&) {}
}  // namespace archlab::cli
