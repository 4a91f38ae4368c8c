#include "sim/diagram/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace archlab::diagram {

EdgeStyle edge_style(Interaction interaction)
{
  switch (interaction) {
  case Interaction::request:
    return {"solid", "#1F4E79", 1.8, false, "request (from a client)", "───"};
  case Interaction::sync_call:
    return {"solid", "#333333", 1.2, false, "synchronous call (caller waits)", "───"};
  case Interaction::async_message:
    return {"dashed", "#7A3E9D", 1.2, false, "asynchronous message", "‒ ‒ ‒"};
  case Interaction::polling:
    // Drawn from the polled component to the poller so that work still flows left to right.
    return {"dotted", "#2E7D32", 1.6, true, "polling (arrow at the polled part)", "·····"};
  case Interaction::forward:
    return {"bold", "#B35C00", 2.4, false, "forward (request moves on)", "━━━"};
  case Interaction::none:
    break;
  }
  return {"solid", "#999999", 1.0, false, "reference", "───"};
}

std::vector<Interaction> legend_order()
{
  return {Interaction::request, Interaction::sync_call, Interaction::async_message, Interaction::polling, Interaction::forward};
}

PartShape part_shape(PartKind kind)
{
  switch (kind) {
  case PartKind::client: return {"tab", "", 0};
  case PartKind::compute: return {"box3d", "", 0};
  case PartKind::function: return {"hexagon", "", 0};
  case PartKind::poller: return {"larrow", "", 0};
  case PartKind::queue: return {"box", "", 5};
  case PartKind::topic: return {"octagon", "", 0};
  case PartKind::stream: return {"rarrow", "", 0};
  case PartKind::table: return {"cylinder", "", 0};
  case PartKind::database: return {"note", "", 0};
  case PartKind::cache: return {"component", "", 0};
  case PartKind::cdn: return {"box", "rounded", 0};
  case PartKind::bucket: return {"folder", "", 0};
  case PartKind::gateway: return {"cds", "", 0};
  case PartKind::load_balancer: return {"box", "diagonals", 0};
  case PartKind::discovery: return {"invhouse", "", 0};
  case PartKind::telemetry: return {"egg", "", 0};
  case PartKind::push: return {"doubleoctagon", "", 0};
  case PartKind::other: break;
  }
  return {"plain", "", 0};
}

std::vector<PartKind> all_part_kinds()
{
  return {PartKind::client,  PartKind::cdn,   PartKind::gateway, PartKind::load_balancer, PartKind::compute,
          PartKind::function, PartKind::poller, PartKind::queue,  PartKind::topic,         PartKind::stream,
          PartKind::table,   PartKind::database, PartKind::cache, PartKind::bucket,        PartKind::discovery,
          PartKind::telemetry, PartKind::push, PartKind::other};
}

std::string header_colour(PartKind kind)
{
  switch (kind) {
  case PartKind::client: return "#52607A";
  case PartKind::gateway:
  case PartKind::load_balancer:
  case PartKind::cdn:
  case PartKind::push:
  case PartKind::discovery: return "#8C4FFF";
  case PartKind::telemetry: return "#C925D1";
  case PartKind::queue:
  case PartKind::topic:
  case PartKind::stream: return "#E7157B";
  case PartKind::table:
  case PartKind::database:
  case PartKind::cache: return "#3B48CC";
  case PartKind::bucket: return "#3F8624";
  case PartKind::compute:
  case PartKind::function:
  case PartKind::poller: return "#D45B00";
  case PartKind::other: break;
  }
  return "#5F6B6D";
}

std::string utilization_colour(double utilization)
{
  double u = std::clamp(utilization, 0.0, 1.0);
  double hue_deg = 120 * (1 - u);  // green → yellow → red
  double saturation = 0.55, value = 1.0;
  double c = value * saturation, x = c * (1 - std::fabs(std::fmod(hue_deg / 60, 2) - 1)), m = value - c;
  double r = 0, g = 0, b = 0;
  if (hue_deg < 60)
    r = c, g = x;
  else
    r = x, g = c;
  char text[8];
  std::snprintf(text, sizeof text, "#%02X%02X%02X", static_cast<int>(std::lround((r + m) * 255)),
                static_cast<int>(std::lround((g + m) * 255)), static_cast<int>(std::lround((b + m) * 255)));
  return text;
}

BoxStyle box_style(BoxLevel level)
{
  switch (level) {
  case BoxLevel::region:
    return {"Region ", "#147EBA", "", "dashed"};
  case BoxLevel::vpc:
    return {"VPC ", "#8C4FFF", "", "solid"};
  case BoxLevel::zone:
    return {"Zone ", "#00A4A6", "", "dashed"};
  case BoxLevel::subnet:
    return {"Subnet ", "#7AA116", "#F2F8E8", "filled"};
  }
  return {"", "#999999", "", "solid"};
}

}  // namespace archlab::diagram
