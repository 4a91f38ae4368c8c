#include "sim/diagram/card.hpp"

#include "sim/analysis/architecture.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

namespace archlab::diagram {

namespace {

// Earlier words rank higher; a parameter whose name holds one of them is always shown.
const std::vector<std::string>& preferred_words()
{
  static const std::vector<std::string> words = {"instances", "concurrency", "capacity", "policy", "process",
                                                 "rate",      "users",       "timeout",  "service_time", "memory",
                                                 "batch",     "visibility",  "ttl"};
  return words;
}

// Parameters whose name starts with one of these are always shown too, ranked just after the words
// (a worker loop's wait and pause; a queue's receive_wait_time_s is not one).
const std::vector<std::string>& preferred_prefixes()
{
  static const std::vector<std::string> prefixes = {"wait_time", "pause"};
  return prefixes;
}

std::optional<std::size_t> preference(const std::string& name)
{
  const auto& words = preferred_words();
  for (std::size_t i = 0; i < words.size(); ++i)
    if (name.find(words[i]) != std::string::npos)
      return i;
  const auto& prefixes = preferred_prefixes();
  for (std::size_t i = 0; i < prefixes.size(); ++i)
    if (name.rfind(prefixes[i], 0) == 0)
      return words.size() + i;
  return std::nullopt;
}

std::size_t rank_of(const std::string& word)
{
  return preference(word).value_or(preferred_words().size() + preferred_prefixes().size()) * 1000;
}

bool is_card_kind(ParamKind kind)
{
  return kind == ParamKind::number || kind == ParamKind::integer || kind == ParamKind::choice ||
         kind == ParamKind::distribution || kind == ParamKind::boolean;
}

std::string unit_suffix(const std::string& unit)
{
  if (unit.empty())
    return "";
  if (unit == "per s")
    return "/s";
  return " " + unit;
}

struct Candidate {
  std::size_t rank;   // preference, then position
  std::string line;
};

void collect(const nlohmann::json& params, const std::vector<ParamSpec>& specs, const std::string& prefix, bool is_inside_required,
             const std::set<std::string>& consumed, std::vector<Candidate>& candidates)
{
  for (const auto& spec : specs) {
    if (!params.is_object() || !params.contains(spec.name) || params.at(spec.name).is_null() || consumed.contains(spec.name))
      continue;
    const auto& value = params.at(spec.name);
    if (spec.kind == ParamKind::object) {  // one level down: arrivals.rate_per_s, but not every health-check knob
      if (prefix.empty())
        collect(value, spec.fields, spec.is_required ? "" : parameter_label(spec.name) + " ", spec.is_required, {}, candidates);
      continue;
    }
    if (!is_card_kind(spec.kind))
      continue;
    auto preferred = preference(spec.name);
    bool is_default = value == spec.default_value;
    if (is_default && (!preferred || (!prefix.empty() && !is_inside_required)))
      continue;
    std::size_t rank = (preferred ? *preferred * 1000 : rank_of("")) + candidates.size();
    candidates.push_back({rank, prefix + parameter_label(spec.name) + " " + describe_value(value, spec)});
  }
}

bool has_spec(const std::vector<ParamSpec>& specs, const std::string& name)
{
  return std::any_of(specs.begin(), specs.end(), [&](const ParamSpec& spec) { return spec.name == name; });
}

std::string words(std::string name)
{
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string signed_number(double value)
{
  return (value > 0 ? "+" : value < 0 ? "−" : "") + format_number(std::fabs(value));
}

// "queue depth ≥10 → +1, <2 → −1" or "backlog per instance held at 10": what a group scales on.
std::string scaling_policies_text(const nlohmann::json& policies)
{
  std::vector<std::pair<std::string, std::string>> by_signal;  // signal words, what happens, in first-use order
  for (const auto& policy : policies) {
    std::string signal = words(policy.value("signal", "cpu_utilization"));
    std::string what;
    if (policy.value("type", "target_tracking") == "target_tracking") {
      what = policy.contains("target") ? "held at " + format_number(policy.at("target").get<double>()) : "tracked";
    } else {
      std::string comparison = policy.value("comparison", "");
      for (auto [ascii, symbol] : {std::pair{">=", "≥"}, {"<=", "≤"}})
        if (comparison == ascii)
          comparison = symbol;
      what = comparison + (policy.contains("threshold") ? format_number(policy.at("threshold").get<double>()) : "");
      if (policy.contains("change") && policy.at("change").is_number())
        what += " → " + signed_number(policy.at("change").get<double>());
    }
    auto it = std::find_if(by_signal.begin(), by_signal.end(), [&](const auto& entry) { return entry.first == signal; });
    if (it == by_signal.end())
      by_signal.emplace_back(signal, what);
    else
      it->second += ", " + what;
  }
  std::string text;
  for (const auto& [signal, what] : by_signal)
    text += (text.empty() ? "" : "; ") + signal + " " + what;
  return text;
}

// Lines that read several parameters together, chosen by parameter names (any type that has them gets
// them): an Auto Scaling group's size and policies, a queue's kind and dead-letter queue, a table's
// capacity, a token bucket, a worker loop's steps, a client's job polling. `consumed` gets the names
// these lines cover, so that they are not listed again one by one.
void collect_composites(const nlohmann::json& params, const std::vector<ParamSpec>& specs, std::set<std::string>& consumed,
                        std::vector<Candidate>& candidates)
{
  auto add = [&](std::size_t rank, std::string line, std::initializer_list<const char*> names) {
    candidates.push_back({rank + candidates.size(), std::move(line)});
    consumed.insert(names.begin(), names.end());
  };
  auto number = [&](const nlohmann::json& object, const char* key) {
    return object.contains(key) && object.at(key).is_number() ? format_number(object.at(key).get<double>()) : std::string("?");
  };
  if (has_spec(specs, "scaling") && params.contains("scaling") && params.at("scaling").is_object()) {
    const auto& scaling = params.at("scaling");
    add(rank_of("instances"), "Auto Scaling " + number(scaling, "min") + "–" + number(scaling, "max") +
                                  (scaling.contains("desired") ? " (desired " + number(scaling, "desired") + ")" : ""),
        {"scaling", "instances"});
    if (scaling.contains("policies") && !scaling.at("policies").empty())
      add(rank_of("instances"), "scales on " + scaling_policies_text(scaling.at("policies")), {});
  }
  if (has_spec(specs, "fifo") && params.contains("fifo") && params.at("fifo").is_boolean()) {
    std::string line = params.at("fifo").get<bool>() ? "FIFO · group " + params.value("message_group", std::string("constant")) : "standard";
    if (params.value("deduplication", "") == "none")
      line += " · no dedup";
    add(rank_of("instances"), line, {"fifo", "message_group", "deduplication"});
  }
  if (has_spec(specs, "dead_letter_queue"))
    add(rank_of("visibility") + 1,
        params.contains("dead_letter_queue") ? "DLQ " + params.at("dead_letter_queue").get<std::string>() + " after " +
                                                   number(params, "max_receive_count") + " receives"
                                             : "no DLQ",
        {"dead_letter_queue", "max_receive_count"});
  if (has_spec(specs, "capacity_mode") && params.contains("capacity_mode")) {
    bool is_provisioned = params.at("capacity_mode") == "provisioned";
    add(rank_of("capacity"), is_provisioned ? "provisioned " + number(params, "read_capacity_units") + " RCU · " +
                                                  number(params, "write_capacity_units") + " WCU"
                                            : "on demand",
        {"capacity_mode", "read_capacity_units", "write_capacity_units"});
  }
  // S3's own per-prefix floors are the same for every bucket: worth a line only when a model changes them.
  if (has_spec(specs, "prefix_read_rate_per_s") && params.value("prefix_read_rate_per_s", 5500.0) == 5500.0 &&
      params.value("prefix_write_rate_per_s", 3500.0) == 3500.0)
    consumed.insert({"prefix_read_rate_per_s", "prefix_write_rate_per_s"});
  if (has_spec(specs, "kind") && has_spec(specs, "policy") && params.value("kind", "") == "network")
    add(rank_of("policy"), "NLB · flow hash", {"kind", "policy"});
  if (has_spec(specs, "image_pull") && params.contains("image_pull") && params.at("image_pull").is_object())
    add(rank_of("batch"), "pulls a " + number(params.at("image_pull"), "image_mib") + " MiB image at each launch", {"image_pull"});
  if (has_spec(specs, "buffer_size_mib") && has_spec(specs, "buffer_interval_s") && params.contains("buffer_size_mib")) {
    add(rank_of("batch"), "buffers " + number(params, "buffer_size_mib") + " MiB or " + number(params, "buffer_interval_s") + " s",
        {"buffer_size_mib", "buffer_interval_s"});
    if (!params.contains("transform") || params.at("transform").is_null())
      consumed.insert("transform_buffer_mib");  // no transform, no transform buffer
    else
      add(rank_of("batch"), "transform buffers " + number(params, "transform_buffer_mib") + " MiB or " + number(params, "transform_interval_s") + " s",
          {"transform_buffer_mib", "transform_interval_s"});
  }
  if (has_spec(specs, "rate_per_s") && has_spec(specs, "burst") && params.contains("rate_per_s") && params.contains("burst"))
    add(rank_of("rate"), "rate " + number(params, "rate_per_s") + "/s · burst " + number(params, "burst"), {"rate_per_s", "burst"});
  for (const auto& spec : specs)  // a list of named steps: "steps get → run → update → delete"
    if (spec.kind == ParamKind::object_list && has_spec(spec.fields, "name") && params.contains(spec.name) && params.at(spec.name).is_array()) {
      std::vector<std::string> names;
      for (const auto& step : params.at(spec.name))
        names.push_back(step.value("name", "?"));
      if (!names.empty())
        candidates.push_back({rank_of("") + 999, parameter_label(spec.name) + " " + analysis::join(names, " → ")});
    }
  if (has_spec(specs, "jobs") && params.contains("jobs") && params.at("jobs").is_object()) {
    const auto& jobs = params.at("jobs");
    if (!jobs.value("polls", true))
      add(rank_of("rate") + 1, "never polls for status", {"jobs"});
    else
      add(rank_of("rate") + 1, "polls status every " + number(jobs, "poll_interval_s") + " s" +
                                 (jobs.contains("give_up_after_s") ? ", gives up after " + number(jobs, "give_up_after_s") + " s" : ""),
        {"jobs"});
  }
}

}  // namespace

std::string format_number(double value)
{
  char text[32];
  if (std::fabs(value) >= 1e6 || (value != 0 && std::fabs(value) < 1e-3))
    std::snprintf(text, sizeof text, "%.3g", value);
  else if (value == std::floor(value))
    std::snprintf(text, sizeof text, "%.0f", value);
  else
    std::snprintf(text, sizeof text, "%.*f", std::fabs(value) >= 100 ? 0 : std::fabs(value) >= 10 ? 1 : 2, value);
  return text;
}

std::string parameter_label(const std::string& name)
{
  // A few names read better short on a card.
  for (auto [long_name, short_name] : {std::pair{"visibility_timeout_s", "visibility"}, {"wait_time_s", "wait"},
                                       {"workers_per_instance", "workers/instance"}, {"integration_timeout_ms", "integration timeout"}})
    if (name == long_name)
      return short_name;
  std::string label = name;
  for (const char* suffix : {"_per_s", "_ms", "_s", "_bytes", "_mb", "_gb"}) {
    std::string ending = suffix;
    if (label.size() > ending.size() && label.ends_with(ending)) {
      label.resize(label.size() - ending.size());
      break;
    }
  }
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::string describe_value(const nlohmann::json& value, const ParamSpec& spec)
{
  const std::string unit = unit_suffix(spec.unit);
  if (value.is_number())
    return format_number(value.get<double>()) + unit;
  if (value.is_boolean())
    return value.get<bool>() ? "yes" : "no";
  if (value.is_string())
    return value.get<std::string>();
  if (value.is_object() && value.contains("dist")) {
    std::string dist = value.value("dist", "");
    auto field = [&](const char* key) { return format_number(value.at(key).get<double>()); };
    if (dist == "constant" && value.contains("value"))
      return field("value") + unit;
    if (dist == "uniform" && value.contains("min") && value.contains("max"))
      return "uniform " + field("min") + "–" + field("max") + unit;
    if (value.contains("mean"))  // "≈" reads as "on average" and keeps cards narrow
      return "≈" + field("mean") + unit + " (" + (dist == "exponential" ? std::string("exp") : dist) + ")";
    return dist;
  }
  return value.dump();
}

std::string escape_html(const std::string& text)
{
  std::string escaped;
  for (char c : text) {
    switch (c) {
    case '&': escaped += "&amp;"; break;
    case '<': escaped += "&lt;"; break;
    case '>': escaped += "&gt;"; break;
    case '"': escaped += "&quot;"; break;
    default: escaped += c;
    }
  }
  return escaped;
}

std::vector<std::string> key_parameter_lines(const nlohmann::json& params, const std::vector<ParamSpec>& specs, std::size_t max_lines)
{
  std::vector<Candidate> candidates;
  std::set<std::string> consumed;
  collect_composites(params, specs, consumed, candidates);
  collect(params, specs, "", true, consumed, candidates);
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.rank < b.rank; });
  // Short neighbours share a line ("instances 3 · concurrency 8"), so cards stay small.
  std::vector<std::string> lines;
  for (const auto& candidate : candidates) {
    if (!lines.empty() && lines.back().size() + candidate.line.size() + 3 <= SHARED_LINE_CHARS &&
        lines.back().find(" · ") == std::string::npos)
      lines.back() += " · " + candidate.line;
    else if (lines.size() < max_lines)
      lines.push_back(candidate.line);
    else
      break;
  }
  return lines;
}

std::string card_html(const Card& card)
{
  auto rows = [](const std::vector<std::string>& lines) {
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i)
      text += (i ? "<BR ALIGN=\"LEFT\"/>" : "") + escape_html(lines[i]);
    return text + "<BR ALIGN=\"LEFT\"/>";
  };
  bool is_faulted = !card.fault_line.empty();
  // Inside a node shape the shape is the border (and turns red for faults, see graphviz_diagram.cpp).
  const std::string border = !card.draws_border ? "0" : is_faulted ? "3" : "1";
  std::string html = "<TABLE BORDER=\"" + border + "\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" COLOR=\"" +
                     (is_faulted ? "#D0021B" : "#666666") + "\" BGCOLOR=\"white\">";
  html += "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"" + card.header_colour + "\"><FONT COLOR=\"white\" POINT-SIZE=\"12\"><B>" +
          escape_html(card.title) + "</B>" + (card.count_note.empty() ? "" : "  " + escape_html(card.count_note)) + "</FONT></TD></TR>";
  if (card.message_cells > 0) {
    std::string cells;
    for (int i = 0; i < card.message_cells; ++i)
      cells += "<TD WIDTH=\"10\" HEIGHT=\"8\" BGCOLOR=\"#FBE3EF\"> </TD>";
    html += "<TR><TD ALIGN=\"LEFT\"><TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"2\" CELLPADDING=\"0\" COLOR=\"" +
            card.header_colour + "\"><TR>" + cells + "</TR></TABLE></TD></TR>";
  }
  html += "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\" COLOR=\"#444444\"><I>" + escape_html(card.type_line) + "</I></FONT></TD></TR>";
  if (!card.lines.empty())
    html += "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">" + rows(card.lines) + "</FONT></TD></TR>";
  // Graphviz writes a cell's id into the SVG only for a link, so the live cell is one (its script stops the jump).
  const std::string live = card.state_id.empty() ? "" : " ID=\"" + escape_html(card.state_id) + "\" HREF=\"#\" TOOLTIP=\"the selected interval\"";
  if (!card.run_lines.empty())
    html += "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"" + live + " BGCOLOR=\"" +
            (card.run_colour.empty() ? std::string("#EEEEEE") : card.run_colour) + "\"><FONT POINT-SIZE=\"10\">" + rows(card.run_lines) +
            "</FONT></TD></TR>";
  if (is_faulted)
    html += "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"#FDE2E2\"><FONT POINT-SIZE=\"10\" COLOR=\"#B00000\"><B>" + escape_html(card.fault_line) +
            "</B></FONT></TD></TR>";
  return html + "</TABLE>";
}

}  // namespace archlab::diagram
