// The diagram's two legends: the title with the kinds of line drawn (and, for a run, the colour scale),
// as the graph's label; and a box of the shapes of the kinds of part the picture holds.
#pragma once

#include "sim/core/parameters.hpp"
#include "sim/core/registry.hpp"

#include <graphviz/cgraph.h>

#include <set>
#include <string>

namespace archlab::diagram {

// The title, a sample of each kind of line drawn, and with a run, the busy-share colour scale.
void add_line_legend(Agraph_t* graph, const std::string& title, bool shows_run, const std::set<Interaction>& interactions);
// The shapes of the kinds of part drawn, each with its name: a column in a box of its own at the right
// (the last rank), so a newcomer can tell a queue from a table before reading. None for fewer than two.
void add_shape_legend(Agraph_t* graph, const std::set<PartKind>& kinds_drawn);

}  // namespace archlab::diagram
