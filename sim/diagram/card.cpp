#include "sim/diagram/card.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

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

std::optional<std::size_t> preference(const std::string& name)
{
  const auto& words = preferred_words();
  for (std::size_t i = 0; i < words.size(); ++i)
    if (name.find(words[i]) != std::string::npos)
      return i;
  return std::nullopt;
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
             std::vector<Candidate>& candidates)
{
  for (const auto& spec : specs) {
    if (!params.is_object() || !params.contains(spec.name) || params.at(spec.name).is_null())
      continue;
    const auto& value = params.at(spec.name);
    if (spec.kind == ParamKind::object) {  // one level down: arrivals.rate_per_s, but not every health-check knob
      if (prefix.empty())
        collect(value, spec.fields, spec.is_required ? "" : parameter_label(spec.name) + " ", spec.is_required, candidates);
      continue;
    }
    if (!is_card_kind(spec.kind))
      continue;
    auto preferred = preference(spec.name);
    bool is_default = value == spec.default_value;
    if (is_default && (!preferred || (!prefix.empty() && !is_inside_required)))
      continue;
    std::size_t rank = (preferred ? *preferred : preferred_words().size()) * 1000 + candidates.size();
    candidates.push_back({rank, prefix + parameter_label(spec.name) + " " + describe_value(value, spec)});
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
  collect(params, specs, "", true, candidates);
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
  std::string html = std::string("<TABLE BORDER=\"") + (is_faulted ? "3" : "1") + "\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\" COLOR=\"" +
                     (is_faulted ? "#D0021B" : "#666666") + "\" BGCOLOR=\"white\">";
  html += "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"" + card.header_colour + "\"><FONT COLOR=\"white\" POINT-SIZE=\"12\"><B>" +
          escape_html(card.title) + "</B>" + (card.count_note.empty() ? "" : "  " + escape_html(card.count_note)) + "</FONT></TD></TR>";
  html += "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\" COLOR=\"#444444\"><I>" + escape_html(card.type_line) + "</I></FONT></TD></TR>";
  if (!card.lines.empty())
    html += "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">" + rows(card.lines) + "</FONT></TD></TR>";
  if (!card.run_lines.empty())
    html += "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" BGCOLOR=\"" + (card.run_colour.empty() ? std::string("#EEEEEE") : card.run_colour) +
            "\"><FONT POINT-SIZE=\"10\">" + rows(card.run_lines) + "</FONT></TD></TR>";
  if (is_faulted)
    html += "<TR><TD ALIGN=\"LEFT\" BGCOLOR=\"#FDE2E2\"><FONT POINT-SIZE=\"10\" COLOR=\"#B00000\"><B>" + escape_html(card.fault_line) +
            "</B></FONT></TD></TR>";
  return html + "</TABLE>";
}

}  // namespace archlab::diagram
