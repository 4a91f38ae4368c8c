#include "sim/diagram/graphviz_diagram.hpp"

#include "sim/core/problems.hpp"
#include "sim/core/registry.hpp"
#include "sim/diagram/card.hpp"
#include "sim/diagram/graphviz_plumbing.hpp"
#include "sim/diagram/legend.hpp"
#include "sim/diagram/style.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>

namespace archlab::diagram {

namespace {

using analysis::ArchComponent;
using analysis::Architecture;
using analysis::Edge;
using analysis::ZoneShare;
using graphviz::cs;
using graphviz::set;
using graphviz::set_html;

std::string percent(double share)
{
  char text[16];
  std::snprintf(text, sizeof text, share < 0.1 ? "%.1f%%" : "%.0f%%", 100 * share);
  return text;
}

using Link = std::pair<std::string, std::string>;  // as drawn: polling lines run from the polled component

// A consumer's poll is laid out from the queue, so that work still flows left to right into the
// workers; a request handler's poll (a status check peeking at the queue) is part of its request and is
// laid out from the handler. The arrow is at the polled component either way.
bool is_laid_out_backwards(const Edge& edge, const std::set<std::string>& called)
{
  return edge_style(edge.interaction).is_drawn_backwards && !called.contains(edge.from);
}

// Lines that close a loop (a retry, a call cycle), found depth-first from the clients. They are drawn
// with constraint=false, so dot does not turn the loop around and put the clients in the middle.
std::set<Link> loop_closing_links(const Architecture& architecture)
{
  std::map<std::string, std::vector<std::string>> next;
  const auto called = analysis::called_components(architecture);
  for (const auto& edge : architecture.edges)
    if (is_laid_out_backwards(edge, called))
      next[edge.to].push_back(edge.from);
    else
      next[edge.from].push_back(edge.to);
  std::set<Link> closing;
  std::map<std::string, int> state;  // 1: on the current path, 2: done
  std::function<void(const std::string&)> visit = [&](const std::string& id) {
    state[id] = 1;
    for (const auto& to : next[id]) {
      if (state[to] == 1)
        closing.emplace(id, to);
      else if (state[to] == 0)
        visit(to);
    }
    state[id] = 2;
  };
  for (bool clients_first : {true, false})
    for (const auto& component : architecture.components)
      if (component.is_client == clients_first && state[component.id] == 0)
        visit(component.id);
  return closing;
}

// Calls a queue's consumers make to components the request path also calls (workers writing to the
// table the API reads): left out of the ranking, so such a component stays in the column after its
// first caller, beside the queue, instead of being pushed past the workers.
std::set<Link> relaxed_links(const Architecture& architecture)
{
  const auto called = analysis::called_components(architecture);
  std::set<std::string> consumers;
  for (const auto& edge : architecture.edges)
    if (edge.interaction == Interaction::polling && !called.contains(edge.from))
      consumers.insert(edge.from);
  std::set<Link> relaxed;
  for (const auto& edge : architecture.edges) {
    if (!consumers.contains(edge.from) || edge.interaction == Interaction::polling || edge.interaction == Interaction::none)
      continue;
    for (const auto& other : architecture.edges)
      if (other.to == edge.to && !consumers.contains(other.from) && other.interaction != Interaction::none)
        relaxed.emplace(edge.from, edge.to);
  }
  return relaxed;
}

struct Share {
  Agnode_t* node;
  std::string zone;
  int instances;
};

// Only a component without instances of its own that spans its zones (a load balancer's nodes) is
// drawn once, across them: instances run in a zone, so a fixed fleet or an Auto Scaling group is drawn
// in each of its zones, inside the zone's box and its subnet.
bool is_drawn_across_zones(const ArchComponent& component)
{
  return component.spans_zones && !component.is_scaled;
}

// One share per card. An Auto Scaling group balances its instances over the zones it lists (and may
// start with fewer instances than zones), so each listed zone gets a card of equal weight.
std::vector<ZoneShare> drawn_shares(const ArchComponent& component)
{
  if (is_drawn_across_zones(component))
    return {{"", component.instances}};
  if (component.is_scaled && component.placement.listed.size() > 1) {
    std::vector<ZoneShare> shares;
    for (const auto& zone : component.placement.listed)
      shares.push_back({zone, 1});
    return shares;
  }
  return component.placement.zones;
}

PartKind kind_of(const ArchComponent& component)
{
  const ComponentType* type = find_component_type(component.type);
  return type ? type->part_kind : PartKind::other;
}

// Which of the callee's zone copies a caller's copy is drawn to: the one in its own zone when there is
// one (zonal deployments keep traffic in the zone, and m×n lines would bury the picture), else all.
std::vector<const Share*> drawn_targets(const Share& from, const std::vector<Share>& to)
{
  for (const auto& share : to)
    if (!from.zone.empty() && share.zone == from.zone)
      return {&share};
  std::vector<const Share*> all;
  for (const auto& share : to)
    all.push_back(&share);
  return all;
}

class DiagramBuilder {
public:
  // `zone_order`: the order a component's zone copies are made in (see render_diagram); zones not in
  // it keep their place after those that are.
  DiagramBuilder(const Architecture& architecture, const DiagramOptions& options, std::vector<std::string> zone_order = {})
      : architecture_(architecture), options_(options), zone_order_(std::move(zone_order)), graph_(graphviz::open_graph("architecture"))
  {
    set_defaults();
    for (const auto& component : architecture_.components)
      add_component(component);
    add_edges();
    add_line_legend(graph_, options_.title, options_.run != nullptr, interactions_);
    add_shape_legend(graph_, kinds_);
  }
  ~DiagramBuilder() { agclose(graph_); }
  DiagramBuilder(const DiagramBuilder&) = delete;
  DiagramBuilder& operator=(const DiagramBuilder&) = delete;

  Agraph_t* graph() const { return graph_; }

private:
  void set_defaults()
  {
    for (auto [key, value] : {std::pair{"rankdir", "LR"}, {"newrank", "true"}, {"fontname", "Helvetica"}, {"fontsize", "11"},
                              {"nodesep", "0.25"}, {"ranksep", "0.55"}, {"pad", "0.2"}, {"labelloc", "b"}, {"labeljust", "l"},
                              {"forcelabels", "true"}})  // every edge label drawn, even where it finds no free room
      set(graph_, key, value);
    agattr(graph_, AGNODE, cs("fontname"), cs("Helvetica"));
    agattr(graph_, AGNODE, cs("shape"), cs("plain"));
    agattr(graph_, AGEDGE, cs("fontname"), cs("Helvetica"));  // else edge labels fall back to Times
    agattr(graph_, AGEDGE, cs("fontsize"), cs("9"));
    agattr(graph_, AGEDGE, cs("arrowsize"), cs("0.7"));
  }

  // The nested box a share of a component belongs in (the graph itself when it is placed nowhere). A
  // component that spans its zones sits in the box around them (a subnet is per zone, so not in one).
  Agraph_t* box_for(const ArchComponent& component, const std::string& zone)
  {
    const auto& placement = component.placement;
    Agraph_t* parent = graph_;
    std::string key;
    for (auto [level, value] : {std::pair{BoxLevel::region, placement.region}, {BoxLevel::vpc, placement.vpc},
                                {BoxLevel::zone, zone}, {BoxLevel::subnet, placement.subnet}}) {
      if (value.empty() || (is_drawn_across_zones(component) && level == BoxLevel::subnet))
        continue;
      const BoxStyle style = box_style(level);
      key += (key.empty() ? "" : "/") + style.label_prefix + value;
      auto [it, is_new] = boxes_.emplace(key, nullptr);
      if (is_new) {
        it->second = agsubg(parent, cs("cluster " + key), 1);  // the "cluster" prefix makes dot draw the box
        set(it->second, "label", style.label_prefix + value);
        set(it->second, "labelloc", "t");  // the graph's own label (the legend) sits at the bottom
        set(it->second, "color", style.colour);
        set(it->second, "fontcolor", style.colour);
        set(it->second, "style", style.style + ",rounded");
        set(it->second, "penwidth", "1.4");
        if (!style.fill.empty())
          set(it->second, "fillcolor", style.fill);
        set(it->second, "id", "box:" + key);
      }
      parent = it->second;
    }
    return parent;
  }

  Card card_for(const ArchComponent& component, const ZoneShare& share) const
  {
    Card card;
    card.title = component.id;
    const PartShape shape = part_shape(kind_of(component));
    card.header_colour = header_colour(kind_of(component));
    card.draws_border = shape.shape == "plain";
    card.message_cells = shape.message_cells;
    const std::string listed_zones = std::to_string(component.placement.listed.size()) + " zones";
    if (component.is_managed_multi_zone)
      card.count_note = "multi-AZ";  // AWS spreads it over the region's zones
    else if (is_drawn_across_zones(component))
      card.count_note = listed_zones;
    else if (component.is_scaled)  // the Auto Scaling line gives the range, for the group as a whole
      card.count_note = component.placement.listed.size() > 1 ? "group in " + listed_zones : "";
    else if (component.placement.zones.size() > 1)
      card.count_note = "×" + std::to_string(share.instances) + " of " + std::to_string(component.instances);
    else if (component.instances > 1)
      card.count_note = "×" + std::to_string(component.instances);
    std::string label = component.params.value("label", "");
    card.type_line = component.type + (label.empty() ? "" : " · " + label);
    if (const ComponentType* type = find_component_type(component.type))
      card.lines = key_parameter_lines(component.params, type->params);
    // A dead-letter queue needs no dead-letter queue of its own ("no DLQ" would read as a warning), and
    // its messages keep the group they were sent with (a group of its own would mislead).
    auto edges_in = architecture_.edges_to(component.id);
    if (std::any_of(edges_in.begin(), edges_in.end(), [](const Edge* edge) { return edge->path == "dead_letter_queue"; })) {
      for (auto& line : card.lines) {
        for (const std::string drop : {" · no DLQ", "no DLQ · ", "no DLQ"})
          if (auto at = line.find(drop); at != std::string::npos)
            line.erase(at, drop.size());
        if (line.rfind("FIFO · group ", 0) == 0)
          line = "FIFO";
      }
      std::erase_if(card.lines, [](const std::string& line) { return line.empty(); });
    }
    if (const ComponentFigures* figures = options_.run ? options_.run->find(component.id) : nullptr)
      add_run_lines(card, *figures, fault_events_in(component, share.zone, *figures));
    if (options_.live_state_lines && options_.live_state_lines->contains(component.id)) {
      card.run_lines = options_.live_state_lines->at(component.id);
      card.state_id = "state:" + node_name(component, share);
    }
    return card;
  }

  // Faults naming an instance count in the zone that instance was dealt to; the others count everywhere.
  // A group's first instances are dealt out like a fleet's; its replacements go to the zone with the
  // fewest, which this does not follow (events.log names the instance, not its zone).
  static int fault_events_in(const ArchComponent& component, const std::string& zone, const ComponentFigures& figures)
  {
    const auto& zones = component.params.contains("zones") ? component.params.at("zones") : nlohmann::json::array();
    if (drawn_shares(component).size() < 2 || !zones.is_array() || zones.empty())
      return figures.fault_events;
    int events = figures.fault_events;
    for (const auto& [instance, count] : figures.fault_events_by_instance)
      if (zones.at(static_cast<std::size_t>(instance) % zones.size()) != zone)
        events -= count;
    return events;
  }

  static void add_run_lines(Card& card, const ComponentFigures& figures, int fault_events)
  {
    if (figures.utilization) {
      card.run_colour = utilization_colour(*figures.utilization);
      card.run_lines.push_back("busy " + percent(*figures.utilization) +
                               (figures.peak_utilization ? " (peak " + percent(*figures.peak_utilization) + ")" : ""));
    }
    // Coloured by the worst of its signals: a queue that fills or a table that throttles is no longer
    // green because it is not busy.
    if (figures.signal_state) {
      if (figures.signal_state->severity > figures.utilization.value_or(0) || card.run_colour.empty())
        card.run_colour = figures.signal_state->colour;
      card.run_lines.insert(card.run_lines.end(), figures.signal_state->facts.begin(), figures.signal_state->facts.end());
    }
    if (figures.is_client && figures.throughput_per_s)
      card.run_lines.push_back(format_number(*figures.throughput_per_s) + "/s" +
                               (figures.p99_ms ? ", p99 " + format_number(*figures.p99_ms) + " ms end to end" : ""));
    if (figures.failed_share && *figures.failed_share > 0)
      card.run_lines.push_back("lost " + percent(*figures.failed_share) + " (rejected, failed, timed out)");
    if (figures.instances_min && figures.instances_max)
      card.run_lines.push_back("instances " + std::to_string(*figures.instances_min) + "–" + std::to_string(*figures.instances_max) +
                               " during the run");
    if (fault_events > 0)
      card.fault_line = "⚠ faults: " + std::to_string(fault_events) + (fault_events == 1 ? " event" : " events");
  }

  static std::string node_name(const ArchComponent& component, const ZoneShare& share)
  {
    return drawn_shares(component).size() > 1 ? component.id + "@" + share.zone : component.id;
  }

  void add_component(const ArchComponent& component)
  {
    const PartShape shape = part_shape(kind_of(component));
    auto shares = drawn_shares(component);
    auto place = [&](const ZoneShare& share) { return std::find(zone_order_.begin(), zone_order_.end(), share.zone) - zone_order_.begin(); };
    std::stable_sort(shares.begin(), shares.end(), [&](const ZoneShare& a, const ZoneShare& b) { return place(a) < place(b); });
    for (const auto& share : shares) {
      std::string name = node_name(component, share);
      Agnode_t* node = agnode(box_for(component, share.zone), cs(name), 1);
      const Card card = card_for(component, share);
      set_html(graph_, node, "label", card_html(card));
      if (!card.draws_border) {  // the shape is the card's border
        const bool is_faulted = !card.fault_line.empty();
        set(node, "shape", shape.shape);
        set(node, "style", shape.style.empty() ? "filled" : "filled," + shape.style);
        set(node, "fillcolor", "white");
        set(node, "color", is_faulted ? "#D0021B" : "#666666");
        set(node, "penwidth", is_faulted ? "3" : "1");
        set(node, "margin", "0.06,0.04");  // Graphviz's default room around a label would double the card
      }
      set(node, "id", "component:" + name);
      set(node, "class", "component type-" + component.type + " kind-" + part_kind_name(kind_of(component)));
      set(node, "tooltip", component.params.value("description", component.type + " " + component.id));
      shares_[component.id].push_back({node, share.zone, share.instances});
    }
    kinds_.insert(kind_of(component));
  }

  // What the line asks: its operations ("put, get"), or, for a message with none, the reference's name
  // ("dead letter queue"); the name of a plain target says nothing the line does not.
  static std::string what_label(const std::vector<const Edge*>& edges)
  {
    std::vector<std::string> operations;
    for (const Edge* edge : edges)
      if (!edge->operation.empty() && edge->operation != "request" &&
          std::find(operations.begin(), operations.end(), edge->operation) == operations.end())
        operations.push_back(edge->operation);
    if (!operations.empty())
      return analysis::join(operations, ", ");
    const Edge& edge = *edges.front();
    std::string field = edge.path.substr(edge.path.rfind('.') == std::string::npos ? 0 : edge.path.rfind('.') + 1);
    field = field.substr(0, field.find('['));
    if (edge.interaction == Interaction::async_message && field != "target" && field != "targets" && field != "to")
      return parameter_label(field);
    return "";
  }

  // `fraction`: the part of the target's traffic this line stands for (1 unless a component is drawn per zone).
  std::string edge_label(const std::vector<const Edge*>& edges, double fraction) const
  {
    const Edge& edge = *edges.front();
    std::string label = what_label(edges);
    if (edge.probability < 1)
      label += (label.empty() ? "" : " · ") + format_number(100 * edge.probability) + "%";
    // The called component's figures matter where the caller waits for it; a queue's latency (long
    // polls included) or total throughput would misread as the cost of one send or poll.
    const bool is_waited_for = edge.interaction == Interaction::request || edge.interaction == Interaction::sync_call;
    const ComponentFigures* figures = options_.run && is_waited_for ? options_.run->find(edge.to) : nullptr;
    if (!figures || !figures->throughput_per_s)
      return label;
    label += (label.empty() ? "" : " · ") + std::string(fraction < 1 ? "≈" : "") + format_number(*figures->throughput_per_s * fraction) + "/s";
    if (figures->p99_ms)
      label += "\np99 " + format_number(*figures->p99_ms) + " ms";
    return label;
  }

  void add_edges()
  {
    // One line per pair and kind, standing for every reference of that kind between the two.
    using Key = std::tuple<std::string, std::string, Interaction>;
    std::map<Key, std::vector<const Edge*>> lines;
    std::vector<Key> order;
    std::set<std::set<std::string>> linked;  // pairs with a line that means something
    for (const auto& edge : architecture_.edges) {
      if (!shares_.contains(edge.from) || !shares_.contains(edge.to))
        continue;
      Key key{edge.from, edge.to, edge.interaction};
      if (!lines.contains(key))
        order.push_back(key);
      lines[key].push_back(&edge);
      if (edge.interaction != Interaction::none)
        linked.insert({edge.from, edge.to});
    }
    const auto closing = loop_closing_links(architecture_);
    const auto relaxed = relaxed_links(architecture_);
    const auto called = analysis::called_components(architecture_);
    std::vector<std::pair<Agedge_t*, std::string>> labelled;
    for (const auto& key : order) {
      const Edge& edge = *lines.at(key).front();
      // A bare reference (a scaling policy's queue) beside a real line between the same two adds only clutter.
      if (edge.interaction == Interaction::none && linked.contains({edge.from, edge.to}))
        continue;
      interactions_.insert(edge.interaction);
      const EdgeStyle style = edge_style(edge.interaction);
      // References one zone's part makes (image pull routes) are drawn from that zone's copy only.
      std::set<std::string> from_zones;
      bool is_zonal = true;
      for (const Edge* each : lines.at(key)) {
        is_zonal = is_zonal && !each->from_zone.empty();
        from_zones.insert(each->from_zone);
      }
      auto is_drawn_from = [&](const Share& share) { return !is_zonal || share.zone.empty() || from_zones.contains(share.zone); };
      double from_instances = 0;
      for (const auto& from : shares_.at(edge.from))
        from_instances += is_drawn_from(from) ? from.instances : 0;
      for (const auto& from : shares_.at(edge.from)) {
        if (!is_drawn_from(from))
          continue;
        const auto targets = drawn_targets(from, shares_.at(edge.to));
        double drawn_instances = 0;
        for (const Share* to : targets)
          drawn_instances += to->instances;
        for (const Share* to : targets) {
          // Traffic assumed proportional to instances on both ends.
          double fraction = (from.instances / from_instances) * (to->instances / drawn_instances);
          const bool is_backwards = is_laid_out_backwards(edge, called);
          Agedge_t* line = is_backwards ? agedge(graph_, to->node, from.node, nullptr, 1) : agedge(graph_, from.node, to->node, nullptr, 1);
          set(line, "style", style.style);
          set(line, "color", style.colour);
          set(line, "penwidth", format_number(style.penwidth));
          if (is_backwards)
            set(line, "dir", "back");
          if (closing.contains(is_backwards ? Link{edge.to, edge.from} : Link{edge.from, edge.to}) ||
              relaxed.contains({edge.from, edge.to}))
            set(line, "constraint", "false");
          set(line, "class", std::string("interaction-") + interaction_name(edge.interaction));
          set(line, "tooltip", edge.from + " → " + edge.to + ": " + interaction_name(edge.interaction) + " (" + edge.path + ")");
          if (auto label = edge_label(lines.at(key), fraction); !label.empty()) {
            labelled.push_back({line, label});
            set(line, "fontcolor", style.colour);
          }
        }
      }
    }
    place_labels(labelled);
  }

  // An external label is placed after the layout, in free room beside its line and clear of the
  // other labels: a plain label would be a node of its own in the ranking, and an API's send and receive
  // to its queue, sharing a route, landed on one another. A run's figures (two lines: throughput and
  // p99) find no free room on a short line and would cover a card, so they keep a place in the ranking.
  static void place_labels(const std::vector<std::pair<Agedge_t*, std::string>>& labelled)
  {
    for (const auto& [line, label] : labelled)
      set(line, label.find('\n') == std::string::npos ? "xlabel" : "label", label);
  }

  const Architecture& architecture_;
  const DiagramOptions& options_;
  std::set<PartKind> kinds_;  // the kinds of part drawn
  std::vector<std::string> zone_order_;
  Agraph_t* graph_;
  std::map<std::string, Agraph_t*> boxes_;
  std::map<std::string, std::vector<Share>> shares_;  // component id → its nodes, one per zone
  std::set<Interaction> interactions_;
};

// Zone boxes that sit in name order, the first on top, counted over every pair of zone boxes in the same
// box: +1 for a pair in order, -1 for one out of order. Reads a laid-out graph.
int zone_order_score(Agraph_t* graph)
{
  std::vector<std::pair<std::string, double>> zones;  // name, top edge (Graphviz's y grows upwards)
  int score = 0;
  for (Agraph_t* box = agfstsubg(graph); box; box = agnxtsubg(box)) {
    score += zone_order_score(box);
    const char* label = agget(box, cs("label"));
    const std::string prefix = box_style(BoxLevel::zone).label_prefix;
    if (label && std::string(label).rfind(prefix, 0) == 0)
      zones.emplace_back(label, GD_bb(box).UR.y);
  }
  std::sort(zones.begin(), zones.end());
  for (std::size_t i = 0; i < zones.size(); ++i)
    for (std::size_t j = i + 1; j < zones.size(); ++j)
      score += zones[i].second > zones[j].second ? 1 : -1;
  return score;
}

int zone_order_score(const Architecture& architecture, const DiagramOptions& options, const std::vector<std::string>& zone_order)
{
  DiagramBuilder trial(architecture, options, zone_order);
  int score = 0;
  graphviz::lay_out_and_render(trial.graph(), nullptr, [&](Agraph_t* laid_out) { score = zone_order_score(laid_out); });
  return score;
}

// dot stacks zone boxes as its crossing minimisation leaves them, and that follows the order the zone
// copies were made in. Tried: the zones in name order, each turn of it, and each of those backwards
// (2 × zones layouts at most); drawn: the first that stacks every pair in name order, else the best.
std::vector<std::string> zone_order_to_draw(const Architecture& architecture, const DiagramOptions& options)
{
  std::set<std::string> names;
  for (const auto& component : architecture.components)
    for (const auto& share : drawn_shares(component))
      if (!share.zone.empty())
        names.insert(share.zone);
  std::vector<std::string> zones(names.begin(), names.end());
  if (zones.size() < 2)
    return zones;
  std::vector<std::string> best = zones;
  int best_score = std::numeric_limits<int>::min();
  for (std::size_t turn = 0; turn < zones.size(); ++turn)
    for (bool is_backwards : {false, true}) {
      std::vector<std::string> order = zones;
      std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(turn), order.end());
      if (is_backwards)
        std::reverse(order.begin(), order.end());
      const int score = zone_order_score(architecture, options, order);
      if (score > best_score)
        best_score = score, best = order;
      if (best_score == static_cast<int>(zones.size() * (zones.size() - 1) / 2))  // all in order (one box of zones)
        return best;
    }
  return best;
}

}  // namespace

OutputFormat format_for_path(const std::filesystem::path& file)
{
  auto extension = file.extension().string();
  if (extension == ".dot" || extension == ".gv")
    return OutputFormat::dot;
  if (extension == ".svg")
    return OutputFormat::svg;
  if (extension == ".png")
    return OutputFormat::png;
  throw InputError(file.string(), "unknown picture format '" + extension + "': use .svg, .png or .dot");
}

std::string strip_generator_comment(const std::string& svg)
{
  const std::string start = "<!-- Generated by graphviz";
  auto at = svg.find(start);
  if (at == std::string::npos)
    return svg;
  auto end = svg.find("-->", at);
  if (end == std::string::npos)
    return svg;
  end += 3;
  if (end < svg.size() && svg[end] == '\n')
    ++end;
  return svg.substr(0, at) + svg.substr(end);
}

std::string render_diagram(const analysis::Architecture& architecture, const DiagramOptions& options, OutputFormat format)
{
  graphviz::MessageCapture capture;
  DiagramBuilder builder(architecture, options, zone_order_to_draw(architecture, options));
  std::string bytes = format == OutputFormat::dot
                          ? graphviz::write_dot(builder.graph())
                          : graphviz::lay_out_and_render(builder.graph(), format == OutputFormat::svg ? "svg" : "png");
  if (capture.has_errors())
    throw std::runtime_error("Graphviz reported: " + capture.messages());
  return format == OutputFormat::svg ? strip_generator_comment(bytes) : bytes;
}

}  // namespace archlab::diagram
