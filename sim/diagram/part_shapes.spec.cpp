// The shapes of the kinds of part, and where the cards sit: read from the DOT source, whose nesting of
// subgraphs is the nesting of the boxes, and from the laid-out SVG.
#include "sim/analysis/analysis_fixtures.hpp"
#include "sim/analysis/architecture.hpp"
#include "sim/core/model.hpp"
#include "sim/core/registry.hpp"
#include "sim/diagram/graphviz_diagram.hpp"
#include "sim/diagram/style.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

using namespace archlab;
using namespace archlab::diagram;

namespace {

struct DotNode {
  std::string box;                           // the innermost cluster around it, "" for none
  std::map<std::string, std::string> attributes;
};

// Nodes of the DOT text agwrite writes: one statement per node, a subgraph's braces on lines of their own.
std::map<std::string, DotNode> dot_nodes(const std::string& dot)
{
  std::map<std::string, DotNode> nodes;
  std::vector<std::string> boxes;
  std::istringstream lines(dot);
  std::string line, statement;
  const std::regex opens(R"re(^\s*subgraph "?([^"{]*?)"? \{$)re"), closes(R"(^\s*\}$)");
  const std::regex node_start(R"re(^\s*("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\s+\[)re");
  const std::regex attribute(R"re(([a-z]+)=("(?:[^"\\]|\\.)*"|<<.*?>>|[^,\]\s]+))re");
  std::string node;
  std::smatch match;
  while (std::getline(lines, line)) {
    if (!node.empty()) {  // inside a node's attribute list, up to its "];"
      statement += line;
      if (line.ends_with("];")) {
        for (auto it = std::sregex_iterator(statement.begin(), statement.end(), attribute); it != std::sregex_iterator(); ++it)
          nodes[node].attributes[(*it)[1]] = std::string((*it)[2]);
        node.clear();
      }
    } else if (std::regex_search(line, match, opens)) {
      boxes.push_back(match[1]);
    } else if (std::regex_search(line, closes)) {
      if (!boxes.empty())
        boxes.pop_back();
    } else if (line.find("->") == std::string::npos && std::regex_search(line, match, node_start)) {
      node = match[1];
      if (node.front() == '"')
        node = node.substr(1, node.size() - 2);
      std::string innermost;
      for (auto it = boxes.rbegin(); it != boxes.rend() && innermost.empty(); ++it)
        if (it->rfind("cluster", 0) == 0)
          innermost = *it;
      nodes[node].box = innermost;
      statement = line;
      if (line.ends_with("];")) {
        for (auto it = std::sregex_iterator(statement.begin(), statement.end(), attribute); it != std::sregex_iterator(); ++it)
          nodes[node].attributes[(*it)[1]] = std::string((*it)[2]);
        node.clear();
      }
    }
  }
  return nodes;
}

std::string unquoted(const std::string& value)
{
  return value.size() >= 2 && value.front() == '"' ? value.substr(1, value.size() - 2) : value;
}

analysis::Architecture code_runner()
{
  auto model = load_model(std::filesystem::path(ARCHLAB_SOURCE_DIR) / "models/code-runner.json");
  return analysis::build_architecture(model.components());
}

// The y of a box's label in the SVG (smaller is higher on the page).
double label_y(const std::string& svg, const std::string& label)
{
  std::smatch match;
  const std::regex text("<text[^>]* y=\"([-0-9.]+)\"[^>]*>" + label + "</text>");
  REQUIRE(std::regex_search(svg, match, text));
  return std::stod(match[1]);
}

}  // namespace

TEST_CASE("shapes: every registered type says what kind of part it is", "[diagram]")
{
  for (const auto& type : component_types()) {
    INFO(type.name);
    CHECK(type.part_kind != PartKind::other);
  }
  CHECK(find_component_type("table")->part_kind == PartKind::table);
  CHECK(find_component_type("consumers")->part_kind == PartKind::compute);
  CHECK(find_component_type("service")->part_kind == PartKind::compute);
}

TEST_CASE("shapes: each kind of part has a look of its own", "[diagram]")
{
  std::set<std::tuple<std::string, std::string, int>> looks;
  for (PartKind kind : all_part_kinds()) {
    const PartShape shape = part_shape(kind);
    looks.emplace(shape.shape, shape.style, shape.message_cells);
  }
  CHECK(looks.size() == all_part_kinds().size());
  CHECK(part_shape(PartKind::table).shape == "cylinder");
  CHECK(part_shape(PartKind::function).shape == "hexagon");
  CHECK(part_shape(PartKind::queue).message_cells > 0);
  CHECK(part_shape(PartKind::database).shape != part_shape(PartKind::other).shape);  // document_db's, once it is registered
}

TEST_CASE("shapes: the DOT draws each registered type in its kind's shape", "[diagram]")
{
  nlohmann::json components = nlohmann::json::object();
  for (const auto& type : component_types())
    components["a_" + type.name] = {{"type", type.name}};
  auto dot = render_diagram(analysis::build_architecture(components), {.title = "kinds"}, OutputFormat::dot);
  auto nodes = dot_nodes(dot);
  for (const auto& type : component_types()) {
    INFO(type.name);
    REQUIRE(nodes.contains("a_" + type.name));
    const auto& attributes = nodes.at("a_" + type.name).attributes;
    const PartShape shape = part_shape(type.part_kind);
    REQUIRE(attributes.contains("shape"));
    CHECK(unquoted(attributes.at("shape")) == shape.shape);
    CHECK(unquoted(attributes.at("style")) == (shape.style.empty() ? "filled" : "filled," + shape.style));
    CHECK(unquoted(attributes.at("class")).ends_with(" kind-" + part_kind_name(type.part_kind)));
    const std::string label = attributes.at("label");
    std::size_t cells = 0;
    for (auto at = label.find("WIDTH=\"10\" HEIGHT=\"8\""); at != std::string::npos; at = label.find("WIDTH=\"10\" HEIGHT=\"8\"", at + 1))
      ++cells;
    CHECK(cells == static_cast<std::size_t>(shape.message_cells));
    CHECK(label.rfind("<<TABLE BORDER=\"0\"", 0) == 0);  // the shape is the border, not the card
  }
}

TEST_CASE("shapes: the code runner's workers are drawn inside their zones and subnet", "[diagram]")
{
  auto nodes = dot_nodes(render_diagram(code_runner(), {.title = "code-runner"}, OutputFormat::dot));
  for (const char* zone : {"us-east-1a", "us-east-1b"}) {
    INFO(zone);
    const std::string subnet = std::string("cluster Region us-east-1/VPC app/Zone ") + zone + "/Subnet private";
    REQUIRE(nodes.contains(std::string("workers@") + zone));
    CHECK(nodes.at(std::string("workers@") + zone).box == subnet);
    CHECK(nodes.at(std::string("api@") + zone).box == subnet);
  }
  CHECK_FALSE(nodes.contains("workers"));
  CHECK(nodes.at("alb").box == "cluster Region us-east-1/VPC app");  // a load balancer's nodes: drawn once, across its zones
  CHECK(nodes.at("jobs").box == "cluster Region us-east-1");          // managed: in the region, no zone
  // Every card of a component placed in a zone sits in that zone's box, and in its subnet's when it has one.
  for (const auto& component : code_runner().components)
    for (const auto& [name, node] : nodes)
      if (name.rfind(component.id + "@", 0) == 0) {
        INFO(name);
        const std::string zone = name.substr(component.id.size() + 1);
        CHECK(node.box.find("/Zone " + zone) != std::string::npos);
        if (!component.placement.subnet.empty())
          CHECK(node.box.ends_with("/Subnet " + component.placement.subnet));
      }
}

TEST_CASE("shapes: zone boxes are stacked in name order, the first on top", "[diagram]")
{
  auto svg = render_diagram(code_runner(), {.title = "code-runner"}, OutputFormat::svg);
  CHECK(label_y(svg, "Zone us&#45;east&#45;1a") < label_y(svg, "Zone us&#45;east&#45;1b"));
  auto three_tier = analysis::build_architecture(
      load_model(std::filesystem::path(ARCHLAB_SOURCE_DIR) / "tests/diagram/three_tier.json").components());
  svg = render_diagram(three_tier, {.title = "three_tier"}, OutputFormat::svg);
  CHECK(label_y(svg, "Zone eu&#45;west&#45;1a") < label_y(svg, "Zone eu&#45;west&#45;1b"));
}

TEST_CASE("shapes: three zones listed in any order stack a, b, c", "[diagram]")
{
  auto architecture = analysis::testing::architecture_of(R"({
    "users": {"type": "client", "target": "lb", "arrivals": {"process": "poisson", "rate_per_s": 10}},
    "lb": {"type": "load_balancer", "targets": ["web"], "zones": ["c", "a", "b"]},
    "web": {"type": "service", "instances": 3, "zones": ["c", "b", "a"], "service_time_ms": 5, "calls": [{"target": "db"}]},
    "db": {"type": "service", "instances": 3, "zones": ["b", "c", "a"], "service_time_ms": 5}})");
  auto svg = render_diagram(architecture, {.title = "z3"}, OutputFormat::svg);
  CHECK(label_y(svg, "Zone a") < label_y(svg, "Zone b"));
  CHECK(label_y(svg, "Zone b") < label_y(svg, "Zone c"));
}

TEST_CASE("shapes: edge labels are placed after the layout, clear of each other", "[diagram]")
{
  auto dot = render_diagram(code_runner(), {.title = "code-runner"}, OutputFormat::dot);
  CHECK(dot.find("xlabel=send") != std::string::npos);
  CHECK(dot.find("forcelabels=true") != std::string::npos);  // none dropped for want of room
  RunFigures run;  // a run's two lines of figures need room made for them in the ranking: a plain label
  run.by_component["table"].throughput_per_s = 40;
  run.by_component["table"].p99_ms = 12;
  auto with_run = render_diagram(code_runner(), {.title = "code-runner", .run = &run}, OutputFormat::dot);
  CHECK(with_run.find("\tlabel=\"get, put · ≈20/s\np99 12 ms\"") != std::string::npos);  // "\t": not xlabel=
  CHECK(with_run.find("xlabel=send") != std::string::npos);
  // In the SVG: no two edge labels' glyphs overlap (9 pt Helvetica: about 5 pt a character, 7 pt above the
  // baseline and 2 below).
  auto svg = render_diagram(code_runner(), {.title = "code-runner"}, OutputFormat::svg);
  struct Box {
    double left, right, top, bottom;
  };
  std::vector<Box> labels;
  const std::regex text(R"re(<text text-anchor="middle" x="([-0-9.]+)" y="([-0-9.]+)" font-family="Helvetica,sans-Serif" font-size="9.00"[^>]*>([^<]*)</text>)re");
  for (auto group = svg.find("class=\"edge"); group != std::string::npos; group = svg.find("class=\"edge", group + 1)) {
    const std::string body = svg.substr(group, svg.find("<!--", group) - group);  // the edge's group: its label sits after its link
    for (auto it = std::sregex_iterator(body.begin(), body.end(), text); it != std::sregex_iterator(); ++it) {
      double x = std::stod((*it)[1]), y = std::stod((*it)[2]), half_width = 2.5 * (*it)[3].length();
      labels.push_back({x - half_width, x + half_width, y - 7, y + 2});
    }
  }
  REQUIRE(labels.size() >= 6);  // get, put and send and receive per API copy; get, update per worker copy
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (std::size_t j = i + 1; j < labels.size(); ++j) {
      const bool overlaps = labels[i].left < labels[j].right && labels[j].left < labels[i].right && labels[i].top < labels[j].bottom &&
                            labels[j].top < labels[i].bottom;
      INFO(i << " and " << j);
      CHECK_FALSE(overlaps);
    }
}
