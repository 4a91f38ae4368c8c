// Draws an architecture with libcgraph/libgvc, in process: clients on the left, data stores on the
// right (rankdir=LR), boxes for region ⊃ VPC ⊃ zone ⊃ subnet, one card per component and zone,
// one edge style per interaction, and a legend. Same input, same bytes out.
#pragma once

#include "sim/analysis/architecture.hpp"
#include "sim/diagram/run_figures.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace archlab::diagram {

enum class OutputFormat { dot, svg, png };

// From the file name's extension: .dot/.gv, .svg, .png. Throws InputError for anything else.
OutputFormat format_for_path(const std::filesystem::path& file);

struct DiagramOptions {
  std::string title;                // e.g. the model name and scenario
  const RunFigures* run = nullptr;  // figures to paint on the picture, if any
  // The run report's cards: component id → lines that hold the room its script fills, interval by
  // interval, in a cell with id "state:<node name>" (the node name is the id, or id@zone per zone).
  const std::map<std::string, std::vector<std::string>>* live_state_lines = nullptr;
};

// The picture as bytes: DOT source (not laid out), SVG text or PNG data. Graphviz is not thread-safe:
// call this from one thread at a time. Throws std::runtime_error when Graphviz reports an error.
std::string render_diagram(const analysis::Architecture& architecture, const DiagramOptions& options, OutputFormat format);

// Graphviz's SVG names its version in a comment; dropped so that pictures do not change with it.
std::string strip_generator_comment(const std::string& svg);

}  // namespace archlab::diagram
