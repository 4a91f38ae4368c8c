#include "sim/diagram/legend.hpp"

#include "sim/diagram/card.hpp"
#include "sim/diagram/graphviz_plumbing.hpp"
#include "sim/diagram/style.hpp"

#include <algorithm>

namespace archlab::diagram {

using graphviz::cs;
using graphviz::set;
using graphviz::set_html;

void add_line_legend(Agraph_t* graph, const std::string& title, bool shows_run, const std::set<Interaction>& interactions)
{
  std::string rows = "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"13\"><B>" + escape_html(title) + "</B></FONT></TD></TR>";
  std::string entries;
  for (Interaction interaction : legend_order())
    if (interactions.contains(interaction)) {
      const EdgeStyle style = edge_style(interaction);
      // One text cell: a table of cells would stretch to the width of the widest legend row.
      entries += std::string(entries.empty() ? "" : "     ") + "<FONT COLOR=\"" + style.colour + "\"><B>" + style.sample +
                 "</B></FONT> " + escape_html(style.legend);
    }
  if (!entries.empty())
    rows += "<TR><TD ALIGN=\"LEFT\">" + entries + "</TD></TR>";
  if (shows_run) {
    std::string scale;
    for (int percent = 0; percent <= 100; percent += 25)
      scale += "<TD BGCOLOR=\"" + utilization_colour(percent / 100.0) + "\"> " + std::to_string(percent) + "% </TD>";
    rows += "<TR><TD ALIGN=\"LEFT\"><TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\"><TR><TD>busy share, or the worst signal:</TD>" + scale +
            "<TD>   </TD><TD BGCOLOR=\"#FDE2E2\"><FONT COLOR=\"#B00000\"><B> red border: faults in the run </B></FONT></TD>"
            "<TD>   labels on waited-for lines: throughput and p99 of the called component</TD></TR></TABLE></TD></TR>";
  }
  set_html(graph, graph, "label", "<TABLE BORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"1\">" + rows + "</TABLE>");
}

void add_shape_legend(Agraph_t* graph, const std::set<PartKind>& kinds_drawn)
{
  std::vector<PartKind> kinds;
  for (PartKind kind : all_part_kinds())
    if (kinds_drawn.contains(kind) && part_shape(kind).shape != "plain")
      kinds.push_back(kind);
  if (kinds.size() < 2)
    return;
  Agraph_t* box = agsubg(graph, cs("cluster legend"), 1);
  set(box, "label", "parts");
  set(box, "labelloc", "t");
  set(box, "style", "rounded,dashed");
  set(box, "color", "#999999");
  set(box, "fontcolor", "#666666");
  set(box, "id", "legend:parts");
  Agraph_t* column = agsubg(box, cs("legend column"), 1);
  set(column, "rank", "max");
  for (PartKind kind : kinds) {
    const PartShape shape = part_shape(kind);
    std::string name = part_kind_name(kind);
    Agnode_t* node = agnode(column, cs("legend:" + name), 1);
    std::string label = name;
    std::replace(label.begin(), label.end(), '_', ' ');
    set(node, "label", label);
    set(node, "shape", shape.shape);
    set(node, "style", shape.style.empty() ? "filled" : "filled," + shape.style);
    set(node, "fillcolor", "white");
    set(node, "color", header_colour(kind));
    set(node, "fontsize", "9");
    set(node, "fontcolor", "#333333");
    set(node, "margin", "0.05,0.02");
    set(node, "height", "0.3");
    set(node, "id", "legend:" + name);
  }
}

}  // namespace archlab::diagram
