// Reading a rubric's checks: the fields every check has, then each kind's own.
#include "sim/core/json_io.hpp"
#include "sim/grading/rubric_reader.hpp"

#include <algorithm>
#include <cmath>

namespace archlab::grading::detail {

namespace {
void read_kind_fields(const nlohmann::json& spec, Check& check, const Rubric& rubric, const std::string& where, Reader& reader)
{
  auto require = [&](bool is_required) {
    if (spec.contains("require")) {
      std::vector<Problem> problems;
      check.require = parse_requirement(spec.at("require"), where + ".require", problems);
      for (const auto& problem : problems)
        reader.add(problem.path, problem.message);
      check.has_require = true;
    } else if (is_required) {
      reader.add(join_path(where, "require"), "is required, e.g. {\"op\": \"<=\", \"value\": 550}");
    }
  };
  if (check.kind != CheckKind::structure) {
    check.run = text(spec, "run", where, reader, true);
    if (!check.run.empty() && !rubric.find_run(check.run))
      reader.add(join_path(where, "run"), "names no run of the rubric: '" + check.run + "'");
  }
  switch (check.kind) {
  case CheckKind::figure:
    unknown_keys(spec, {"id", "title", "points", "visible", "hint", "kind", "run", "figure", "unit", "require"}, where, reader);
    check.figure = pointer(spec, "figure", where, reader, true);
    require(true);
    break;
  case CheckKind::theory:
    unknown_keys(spec, {"id", "title", "points", "visible", "hint", "kind", "run", "tolerances"}, where, reader);
    if (spec.contains("tolerances")) {
      const auto& given = spec.at("tolerances");
      auto at = join_path(where, "tolerances");
      if (!given.is_object())
        reader.add(at, "must be an object {response_pct, blocking_points, little_pct}");
      else
        unknown_keys(given, {"response_pct", "blocking_points", "little_pct"}, at, reader);
      for (auto [key, into] : {std::pair{"response_pct", &check.tolerances.response_pct}, std::pair{"blocking_points", &check.tolerances.blocking_points},
                               std::pair{"little_pct", &check.tolerances.little_pct}})
        if (given.is_object() && given.contains(key)) {
          if (!given.at(key).is_number() || given.at(key).get<double>() < 0)
            reader.add(join_path(at, key), "must be a number >= 0");
          else
            *into = given.at(key).get<double>();
        }
    }
    break;
  case CheckKind::nothing_lost:
    unknown_keys(spec, {"id", "title", "points", "visible", "hint", "kind", "run", "sent", "received"}, where, reader);
    check.figure = pointer(spec, "sent", where, reader, false);
    check.received = pointer(spec, "received", where, reader, false);
    if (check.figure.empty() != check.received.empty())
      reader.add(where, "give both \"sent\" and \"received\", or neither (every client's sent against its completed)");
    break;
  case CheckKind::cost:
    unknown_keys(spec, {"id", "title", "points", "visible", "hint", "kind", "run", "figure", "unit", "ceiling_usd"}, where, reader);
    check.figure = spec.contains("figure") ? pointer(spec, "figure", where, reader, true) : "/cost_usd/total";
    check.unit = spec.contains("unit") ? text(spec, "unit", where, reader, true) : "USD";
    check.has_require = true;
    check.require.op = Op::less_equal;
    if (!spec.contains("ceiling_usd") || !spec.at("ceiling_usd").is_number() || !(spec.at("ceiling_usd").get<double>() > 0))
      reader.add(join_path(where, "ceiling_usd"), "must be given: a number > 0");
    else
      check.require.value = spec.at("ceiling_usd").get<double>();
    break;
  case CheckKind::structure: {
    unknown_keys(spec, {"id", "title", "points", "visible", "hint", "kind", "select", "sum_of", "has", "unit", "require"}, where, reader);
    const auto select = spec.value("select", nlohmann::json::object());
    if (!select.is_object())
      reader.add(join_path(where, "select"), "must be an object {type, id}");
    else {
      unknown_keys(select, {"type", "id"}, join_path(where, "select"), reader);
      check.select_type = text(select, "type", join_path(where, "select"), reader, false);
      check.select_id = text(select, "id", join_path(where, "select"), reader, false);
    }
    if (spec.contains("has") && spec.contains("sum_of"))
      reader.add(where, "give at most one of \"has\" and \"sum_of\"");
    if (spec.contains("has")) {
      check.measure = StructureMeasure::has;
      check.has = text(spec, "has", where, reader, true);
      if (spec.contains("require"))
        reader.add(join_path(where, "require"), "\"has\" takes no requirement");
    } else {
      if (spec.contains("sum_of")) {
        check.measure = StructureMeasure::sum;
        const auto& names = spec.at("sum_of");
        if (!names.is_array() || names.empty() || !std::all_of(names.begin(), names.end(), [](const auto& n) { return n.is_string(); }))
          reader.add(join_path(where, "sum_of"), "must be a list of parameter names, e.g. [\"instances\", \"concurrency\"]");
        else
          check.sum_of = names.get<std::vector<std::string>>();
      }
      require(true);
    }
    check.unit = spec.value("unit", "");
    break;
  }
  }
  if (check.kind == CheckKind::figure && spec.contains("unit") && spec.at("unit").is_string())
    check.unit = spec.at("unit").get<std::string>();
}

}  // namespace

void read_checks(const nlohmann::json& spec, Rubric& rubric, bool are_hidden, const std::string& path, Reader& reader)
{
  if (!spec.is_array() || spec.empty()) {
    reader.add(path, "must be a non-empty list of checks");
    return;
  }
  static const std::vector<std::pair<std::string, CheckKind>> kinds = {{"figure", CheckKind::figure}, {"theory", CheckKind::theory},
      {"structure", CheckKind::structure}, {"nothing_lost", CheckKind::nothing_lost}, {"cost", CheckKind::cost}};
  for (std::size_t i = 0; i < spec.size(); ++i) {
    auto where = join_path(path, i);
    const auto& given = spec[i];
    if (!given.is_object()) {
      reader.add(where, "must be an object {id, title, points, kind, ...}");
      continue;
    }
    Check check;
    check.id = text(given, "id", where, reader, true);
    for (const auto& existing : rubric.checks)
      if (!check.id.empty() && existing.id == check.id)
        reader.add(join_path(where, "id"), "another check has the id '" + check.id + "'");
    check.title = text(given, "title", where, reader, true);
    check.hint = text(given, "hint", where, reader, false);
    if (!given.contains("points") || !given.at("points").is_number() || !(given.at("points").get<double>() > 0) ||
        !std::isfinite(given.at("points").get<double>()))
      reader.add(join_path(where, "points"), "must be given: a number > 0");
    else
      check.points = given.at("points").get<double>();
    if (given.contains("visible") && !given.at("visible").is_boolean())
      reader.add(join_path(where, "visible"), "must be true or false");
    check.is_visible = !are_hidden && given.value("visible", true) == true;
    auto kind = text(given, "kind", where, reader, true);
    auto found = std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == kind; });
    if (found == kinds.end()) {
      if (!kind.empty())
        reader.add(join_path(where, "kind"), "unknown kind '" + kind + "' (known: figure, theory, structure, nothing_lost, cost)");
      continue;
    }
    check.kind = found->second;
    read_kind_fields(given, check, rubric, where, reader);
    rubric.checks.push_back(std::move(check));
  }
}

}  // namespace archlab::grading::detail
