// How things look: edge styles per interaction, card colours per type, the utilization colour scale
// and the boxes for region, VPC, zone and subnet. Pure functions, so the legend and tests share them.
#pragma once

#include "sim/core/parameters.hpp"
#include "sim/core/registry.hpp"

#include <string>
#include <vector>

namespace archlab::diagram {

struct EdgeStyle {
  std::string style;      // Graphviz style: solid, dashed, dotted, bold
  std::string colour;
  double penwidth = 1.2;
  bool is_drawn_backwards = false;  // laid out from the target, arrow still at the target (polling)
  std::string legend;     // what the legend says
  std::string sample;     // how the legend draws the line, with text characters
};

EdgeStyle edge_style(Interaction interaction);
std::vector<Interaction> legend_order();  // every interaction with a distinct style, legend order

// How a kind of part is drawn: a Graphviz node shape around its card. Every kind looks different
// (a table is a cylinder, a function a hexagon), so a picture reads before its words do.
struct PartShape {
  std::string shape;                // Graphviz node shape; "plain": the card draws its own border
  std::string style;                // beyond "filled" (the card's white): "diagonals" marks a load balancer
  int message_cells = 0;            // a row of this many cells under the card's title: messages waiting
};
PartShape part_shape(PartKind kind);
std::vector<PartKind> all_part_kinds();

std::string header_colour(PartKind kind);  // AWS-like category colour of the kind
std::string utilization_colour(double utilization);  // green (idle) → yellow → red (saturated), light enough for black text

enum class BoxLevel { region, vpc, zone, subnet };
struct BoxStyle {
  std::string label_prefix;  // "Region ", "VPC ", ...
  std::string colour;        // border
  std::string fill;          // "" for none
  std::string style;         // Graphviz cluster style
};
BoxStyle box_style(BoxLevel level);

}  // namespace archlab::diagram
