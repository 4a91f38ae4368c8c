#include "sim/analysis/call_structure.hpp"

#include "sim/core/number_text.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>

namespace archlab::analysis {

namespace {

using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = Digraph::vertex_descriptor;

// Vertex i is architecture.components[i] (vecS descriptors are indices).
template <class Keep>
Digraph digraph_of(const Architecture& architecture, Keep&& keep)
{
  Digraph graph(architecture.components.size());
  std::map<std::string, Vertex> index;
  for (std::size_t i = 0; i < architecture.components.size(); ++i)
    index[architecture.components[i].id] = i;
  for (const auto& edge : architecture.edges)
    if (index.contains(edge.from) && index.contains(edge.to))
      if (auto direction = keep(edge); direction != 0)
        direction > 0 ? boost::add_edge(index[edge.from], index[edge.to], graph)
                      : boost::add_edge(index[edge.to], index[edge.from], graph);
  return graph;
}

struct ReachVisitor : boost::default_bfs_visitor {
  std::vector<bool>* reached;
  explicit ReachVisitor(std::vector<bool>* reached) : reached(reached) {}
  template <class G>
  void discover_vertex(Vertex v, const G&) const { (*reached)[v] = true; }
};

// A closed walk through the strongly connected set `members`, from its first member.
std::vector<std::string> cycle_through(const Architecture& architecture, const Digraph& graph, const std::vector<Vertex>& members)
{
  std::vector<Vertex> path{members.front()};
  std::vector<bool> seen(boost::num_vertices(graph), false);
  seen[members.front()] = true;
  // Inside one strongly connected set, walking to any unseen member eventually closes the loop.
  for (bool is_closed = false; !is_closed;) {
    Vertex at = path.back();
    std::optional<Vertex> next;
    for (auto [it, end] = boost::adjacent_vertices(at, graph); it != end && !is_closed; ++it) {
      if (*it == members.front())
        is_closed = true;
      else if (!next && !seen[*it] && std::find(members.begin(), members.end(), *it) != members.end())
        next = *it;
    }
    if (is_closed || !next)
      break;
    seen[*next] = true;
    path.push_back(*next);
  }
  std::vector<std::string> ids;
  for (auto v : path)
    ids.push_back(architecture.components[v].id);
  ids.push_back(ids.front());
  return ids;
}

double summed_timeouts_ms(const std::vector<const Edge*>& path)
{
  double sum = 0;
  for (const Edge* edge : path)
    sum += edge->timeout_ms.value_or(0);
  return sum;
}

Finding cycle_finding(const std::vector<std::string>& cycle)
{
  Finding finding = make_finding("sync_call_cycle", "warning", {cycle.begin(), cycle.end() - 1});
  finding.summary = "synchronous call cycle: " + join(cycle, " → ");
  finding.why = "each component in the loop holds a worker while it waits for the next one, so a request can end up "
                "waiting on itself: under load every worker in the loop waits on another (a distributed deadlock), and "
                "a failure anywhere in the loop spreads to all of it.";
  finding.fix = "break the loop: make one of these calls asynchronous (a queue), or move the shared work into a "
                "component both can call";
  finding.details = {{"cycle", cycle}};
  return finding;
}

Finding unreachable_finding(const ArchComponent& component)
{
  Finding finding = make_finding("unreachable", "warning", {component.id});
  finding.summary = component.id + " is not reachable from any client";
  finding.why = "no chain of requests, calls, messages or polls leads from a client to " + component.id +
                ", so it does no work in a run (a typo in a reference, or a part left over).";
  finding.fix = "reference it from the component that should use it (e.g. a service's calls), or remove it";
  return finding;
}

// "a", "a and b", "a, b and c"
std::string listing(const std::vector<std::string>& items)
{
  if (items.size() < 2)
    return join(items, "");
  return join(std::vector<std::string>(items.begin(), items.end() - 1), ", ") + " and " + items.back();
}

// "without queueing, its mean work is about 15 ms: api_gateway 10 ms, api 2 ms, table 3 ms"
std::string work_text(const CallChain& chain)
{
  if (chain.work_ms <= 0)
    return "";
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < chain.hops(); ++i)
    if (chain.hop_work_ms[i] > 0)
      parts.push_back(chain.components[i + 1] + " " + number_text(std::round(chain.hop_work_ms[i] * 10) / 10) + " ms");
  return "without queueing, the mean work along it is about " + number_text(std::round(chain.work_ms)) + " ms" +
         (parts.size() > 1 ? ": " + join(parts, ", ") : "");
}

// "timeout_ms", "integration timeout" ...: how a field reads in a sentence.
std::string field_words(const std::string& field)
{
  if (field == "timeout_ms" || field == "timeout_s" || field.find('_') == std::string::npos)
    return field;
  std::string words = field.substr(0, field.rfind('_'));  // integration_timeout_ms → integration timeout
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

// The components below hop `from` whose calls have no timeout, split by whether they could set one.
std::pair<std::vector<std::string>, std::vector<std::string>> unguarded_callers(const CallChain& chain, std::size_t from)
{
  std::vector<std::string> could, cannot;
  for (std::size_t i = from; i < chain.hops(); ++i)
    if (!chain.timeouts_ms[i])
      (chain.can_time_out[i] ? could : cannot).push_back(chain.components[i]);
  return {could, cannot};
}

Finding chain_finding(const std::string& client, const CallChain& chain)
{
  Finding finding = make_finding("sync_call_chain", "info", chain.components);
  finding.summary = "longest synchronous chain from " + client + ": " + join(chain.components, " → ") + " (" +
                    std::to_string(chain.hops()) + (chain.hops() == 1 ? " hop)" : " hops)");
  auto caller = chain.caller_timeout_ms();
  double inner_ms = chain.inner_timeouts_ms();
  std::size_t unguarded = chain.inner_hops_without_timeout();
  const std::string work = work_text(chain);
  std::optional<std::size_t> first_bound;  // the first inner hop with a timeout
  for (std::size_t i = 1; i < chain.hops() && !first_bound; ++i)
    if (chain.timeouts_ms[i])
      first_bound = i;
  if (!caller && first_bound) {
    const std::string& bounding = chain.components[*first_bound];
    const std::string field = field_words(chain.timeout_fields[*first_bound]);
    const std::string limit = number_text(*chain.timeouts_ms[*first_bound]);
    auto [could, cannot] = unguarded_callers(chain, *first_bound + 1);
    finding.why = client + " sets no timeout_ms, so " + bounding + "'s " + field + " (" + limit + " ms) is what bounds its wait: if "
                  "anything below " + bounding + " hangs, " + client + " waits " + limit + " ms and then gets an error.";
    if (!cannot.empty())
      finding.why += " Below it, " + listing(cannot) + (cannot.size() == 1 ? " has" : " have") + " no timeout to set in this "
                     "model, so a hang holds " + (cannot.size() == 1 ? "its" : "their") + " connections and workers until the hung "
                     "part answers.";
    finding.fix = "to hear of a hang sooner, lower " + bounding + "'s " + chain.timeout_fields[*first_bound] +
                  " towards the chain's normal latency with room for queueing" + (work.empty() ? "" : " (" + work + ")") +
                  (could.empty() ? "" : "; give " + listing(could) + " timeouts below it") + "; a timeout_ms on " + client +
                  " belongs above it";
  } else if (!caller) {
    finding.why = client + " sets no timeout_ms and nothing below it times out: if anything along the chain hangs, it waits forever.";
    finding.fix = "give " + client + " a timeout_ms above the chain's normal latency, with room for queueing" +
                  (work.empty() ? "" : " (" + work + ")");
  } else if (inner_ms >= *caller) {
    finding.severity = "warning";
    finding.why = "the timeouts inside the chain add up to " + number_text(inner_ms) + " ms, not less than " + client + "'s " +
                  number_text(*caller) + " ms: " + client + " gives up while the calls below still wait, so their work is "
                  "wasted, and a client that retries multiplies the load on a struggling chain.";
    finding.fix = "keep a timeout budget: each caller's timeout above the sum of the timeouts below it (here: shorten the "
                  "inner timeouts below " + number_text(*caller) + " ms in total, or raise " + client + "'s)";
  } else if (unguarded > 0 && chain.hops() > 1) {
    auto [could, cannot] = unguarded_callers(chain, 1);
    finding.why = std::to_string(unguarded) + " of the " + std::to_string(chain.hops() - 1) + " calls below " + client +
                  " have no timeout of their own: a hung dependency holds a worker at every hop until " + client +
                  " gives up after " + number_text(*caller) + " ms" +
                  (cannot.empty() ? "." : " (" + listing(cannot) + (cannot.size() == 1 ? " has" : " have") + " none to set in this model).");
    finding.fix = could.empty() ? "" : "give the calls of " + listing(could) + " timeouts that add up to less than " + number_text(*caller) + " ms";
  } else {
    finding.why = "inner timeouts add up to " + number_text(inner_ms) + " ms, within " + client + "'s " + number_text(*caller) + " ms" +
                  (work.empty() ? "." : "; " + work + ".");
  }
  if (chain.hops() >= 4)
    finding.why += " Deep chains add latency and failure chances at every hop.";
  nlohmann::json timeouts = nlohmann::json::array();
  for (const auto& timeout : chain.timeouts_ms)
    timeouts.push_back(timeout ? nlohmann::json(*timeout) : nlohmann::json(nullptr));
  finding.details = {{"chain", chain.components}, {"hops", chain.hops()}, {"timeouts_ms", timeouts},
                     {"caller_timeout_ms", caller ? nlohmann::json(*caller) : nlohmann::json(nullptr)},
                     {"inner_timeouts_ms", inner_ms}, {"work_ms", chain.work_ms}};
  return finding;
}

std::optional<Finding> fan_out_finding(const Architecture& architecture, const ArchComponent& component)
{
  auto scopes = fan_out_by_scope(architecture, component.id);
  auto worst = std::max_element(scopes.begin(), scopes.end(), [](const FanOut& a, const FanOut& b) { return a.calls < b.calls; });
  if (worst == scopes.end() || worst->calls < FAN_OUT_LIMIT)
    return std::nullopt;
  const std::size_t calls = worst->calls;
  const std::string kind = worst->scope.empty() ? "" : worst->scope.substr(worst->scope.rfind('.') + 1) + " ";
  Finding finding = make_finding("fan_out", worst->is_all_sync ? "warning" : "info", {component.id});
  finding.summary = component.id + " calls " + std::to_string(calls) + " components per " + kind + "request";
  finding.why = "a request waits for the slowest of its " + std::to_string(calls) +
                " calls, so tail latency grows with the fan-out (with 1% slow answers per call, about " +
                number_text(std::round(100 * (1 - std::pow(0.99, static_cast<double>(calls))))) +
                "% of requests meet one), and losing any one of them fails it.";
  finding.fix = "make calls that need no answer asynchronous, cache what is read often, or split " + component.id +
                " so each part calls fewer components";
  nlohmann::json by_kind = nlohmann::json::object();
  for (const auto& scope : scopes)
    by_kind[scope.scope.empty() ? "default" : scope.scope] = std::vector<std::string>(scope.targets.begin(), scope.targets.end());
  finding.details = {{"calls", std::vector<std::string>(worst->targets.begin(), worst->targets.end())},
                     {"scope", worst->scope}, {"calls_by_scope", by_kind}};
  return finding;
}

}  // namespace

double CallChain::inner_timeouts_ms() const
{
  double sum = 0;
  for (std::size_t i = 1; i < timeouts_ms.size(); ++i)
    sum += timeouts_ms[i].value_or(0);
  return sum;
}

std::size_t CallChain::inner_hops_without_timeout() const
{
  std::size_t count = 0;
  for (std::size_t i = 1; i < timeouts_ms.size(); ++i)
    count += timeouts_ms[i] ? 0 : 1;
  return count;
}

double mean_ms(const nlohmann::json& duration)
{
  if (duration.is_number())
    return duration.get<double>();
  if (!duration.is_object())
    return 0;
  if (duration.contains("mean") && duration.at("mean").is_number())
    return duration.at("mean").get<double>();
  if (duration.contains("value") && duration.at("value").is_number())
    return duration.at("value").get<double>();
  if (duration.contains("min") && duration.contains("max") && duration.at("min").is_number() && duration.at("max").is_number())
    return (duration.at("min").get<double>() + duration.at("max").get<double>()) / 2;
  return 0;
}

double mean_work_ms(const ArchComponent& component, const Edge& edge)
{
  const auto& params = component.params;
  if (params.contains("service_time_ms"))
    return mean_ms(params.at("service_time_ms"));
  if (params.contains("latency_ms")) {
    const auto& latency = params.at("latency_ms");
    if (latency.is_number() || (latency.is_object() && latency.contains("dist")))
      return mean_ms(latency);
    if (latency.is_object() && latency.contains(edge.operation))  // per operation, e.g. a table's get and put
      return mean_ms(latency.at(edge.operation));
    return 0;
  }
  if (params.contains("api_latency_ms"))
    return mean_ms(params.at("api_latency_ms"));
  return 0;
}

std::vector<FanOut> fan_out_by_scope(const Architecture& architecture, const std::string& id)
{
  std::map<std::string, FanOut> scopes;
  std::map<std::string, std::set<std::string>> groups;
  for (const Edge* edge : architecture.edges_from(id))
    if (edge->interaction == Interaction::sync_call || edge->interaction == Interaction::async_message ||
        edge->interaction == Interaction::polling) {
      auto& scope = scopes[edge->scope];
      scope.scope = edge->scope;
      scope.targets.insert(edge->to);
      groups[edge->scope].insert(edge->group);  // a pool of alternatives is one call per request
      scope.is_all_sync = scope.is_all_sync && edge->interaction == Interaction::sync_call;
    }
  std::vector<FanOut> found;
  for (auto& [key, scope] : scopes) {
    scope.calls = groups[key].size();
    found.push_back(scope);
  }
  return found;
}

std::vector<std::vector<std::string>> sync_call_cycles(const Architecture& architecture)
{
  auto graph = digraph_of(architecture, [](const Edge& edge) { return is_synchronous(edge.interaction) ? 1 : 0; });
  std::vector<int> component_of(boost::num_vertices(graph));
  int count = boost::strong_components(graph, boost::make_iterator_property_map(component_of.begin(), boost::get(boost::vertex_index, graph)));
  std::vector<std::vector<Vertex>> members(static_cast<std::size_t>(count));
  for (Vertex v = 0; v < component_of.size(); ++v)
    members[static_cast<std::size_t>(component_of[v])].push_back(v);
  std::vector<std::vector<std::string>> cycles;
  for (const auto& set : members) {
    bool is_self_loop = set.size() == 1 && boost::edge(set.front(), set.front(), graph).second;
    if (set.size() > 1 || is_self_loop)
      cycles.push_back(cycle_through(architecture, graph, set));
  }
  std::sort(cycles.begin(), cycles.end());
  return cycles;
}

std::set<std::string> reachable_from_clients(const Architecture& architecture)
{
  // Work moves along every edge, and from a polled component (a queue) to whoever polls it.
  auto graph = digraph_of(architecture, [](const Edge& edge) { return edge.interaction == Interaction::polling ? -1 : 1; });
  std::vector<bool> reached(boost::num_vertices(graph), false);
  for (std::size_t i = 0; i < architecture.components.size(); ++i) {
    if (!architecture.components[i].is_client || reached[i])
      continue;
    std::vector<boost::default_color_type> colour(boost::num_vertices(graph));
    boost::breadth_first_search(graph, i, boost::visitor(ReachVisitor{&reached}).color_map(
        boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, graph))));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < reached.size(); ++i)
    if (reached[i])
      ids.insert(architecture.components[i].id);
  return ids;
}

void for_each_sync_path(const Architecture& architecture, const std::string& start,
                        const std::function<void(const std::vector<const Edge*>&)>& visit, std::size_t max_steps)
{
  std::vector<const Edge*> path;
  std::vector<std::string> on_path = {start};
  std::size_t steps_left = max_steps;
  std::function<void(const std::string&)> walk = [&](const std::string& id) {
    if (steps_left == 0)
      return;
    --steps_left;
    visit(path);
    for (const Edge* edge : architecture.edges_from(id)) {
      if (!is_synchronous(edge->interaction) || !architecture.find(edge->to))
        continue;
      if (std::find(on_path.begin(), on_path.end(), edge->to) != on_path.end())
        continue;  // a cycle: reported on its own
      path.push_back(edge);
      on_path.push_back(edge->to);
      walk(edge->to);
      on_path.pop_back();
      path.pop_back();
    }
  };
  walk(start);
}

CallChain longest_sync_chain(const Architecture& architecture, const std::string& client)
{
  std::vector<const Edge*> best;
  for_each_sync_path(architecture, client, [&](const std::vector<const Edge*>& path) {
    if (path.size() > best.size() || (path.size() == best.size() && summed_timeouts_ms(path) > summed_timeouts_ms(best)))
      best = path;
  });
  CallChain chain;
  chain.components = {client};
  for (const Edge* edge : best) {
    double work_ms = mean_work_ms(*architecture.find(edge->to), *edge);
    chain.components.push_back(edge->to);
    chain.timeouts_ms.push_back(edge->timeout_ms);
    chain.timeout_fields.push_back(edge->timeout_ms ? edge->timeout_name : "");
    chain.can_time_out.push_back(edge->can_time_out);
    chain.hop_work_ms.push_back(work_ms);
    chain.work_ms += work_ms;
  }
  return chain;
}

std::vector<Finding> call_structure_findings(const Architecture& architecture)
{
  std::vector<Finding> findings;
  for (const auto& cycle : sync_call_cycles(architecture))
    findings.push_back(cycle_finding(cycle));
  bool has_client = std::any_of(architecture.components.begin(), architecture.components.end(),
                                [](const ArchComponent& component) { return component.is_client; });
  if (!has_client) {
    Finding finding = make_finding("no_client", "warning", {});
    finding.summary = "no client: nothing sends requests";
    finding.why = "without a component that originates requests (a client), nothing in the model does any work.";
    finding.fix = "add a client whose target is the entry point";
    findings.push_back(std::move(finding));
    return findings;
  }
  auto reached = reachable_from_clients(architecture);
  for (const auto& component : architecture.components)
    if (!reached.contains(component.id))
      findings.push_back(unreachable_finding(component));
  for (const auto& component : architecture.components)
    if (component.is_client)
      findings.push_back(chain_finding(component.id, longest_sync_chain(architecture, component.id)));
  for (const auto& component : architecture.components)
    if (auto finding = fan_out_finding(architecture, component))
      findings.push_back(*finding);
  return findings;
}

}  // namespace archlab::analysis
