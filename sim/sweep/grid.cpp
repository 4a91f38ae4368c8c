#include "sim/sweep/grid.hpp"

#include "sim/core/problems.hpp"

#include <algorithm>
#include <sstream>

namespace archlab::sweep {

namespace {
std::vector<std::string> split_values(const std::string& text, const std::string& where)
{
  std::vector<std::string> values;
  std::string current;
  int depth = 0;
  bool is_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_quoted) {
      if (c == '\\' && i + 1 < text.size())
        current += text[i++];
      else if (c == '"')
        is_quoted = false;
    } else if (c == '"') {
      is_quoted = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      values.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  if (is_quoted || depth != 0)
    throw InputError(where, "a value's quotes or brackets are not closed");
  values.push_back(current);
  return values;
}

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text)
{
  if (text.find_first_of(",\"\n\r") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string number(double value)
{
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}
}  // namespace

Variation parse_variation(const std::string& text)
{
  auto where = "--vary " + text;
  auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0)
    throw InputError(where, "expected PATH=V1,V2,..., e.g. server.concurrency=1,2,4");
  Variation variation{text.substr(0, equals), split_values(text.substr(equals + 1), where)};
  for (std::size_t i = 0; i < variation.values.size(); ++i) {
    if (variation.values[i].empty())
      throw InputError(where, "value " + std::to_string(i + 1) + " is empty");
    if (std::find(variation.values.begin(), variation.values.begin() + static_cast<std::ptrdiff_t>(i), variation.values[i]) !=
        variation.values.begin() + static_cast<std::ptrdiff_t>(i))
      throw InputError(where, "the value " + variation.values[i] + " is given twice");
  }
  return variation;
}

std::vector<Point> grid_points(const std::vector<Variation>& variations, std::size_t max_points)
{
  if (variations.empty())
    throw InputError("--vary", "is required: at least one PATH=V1,V2,...");
  std::size_t count = 1;
  for (std::size_t i = 0; i < variations.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (variations[j].path == variations[i].path)
        throw InputError("--vary " + variations[i].path, "is varied twice: give all its values in one --vary");
    count *= variations[i].values.size();
    if (count > max_points)
      throw InputError("--vary", "the grid has more than " + std::to_string(max_points) + " points");
  }
  std::vector<Point> points(count);
  for (std::size_t index = 0; index < count; ++index) {
    points[index].index = index;
    points[index].values.resize(variations.size());
    std::size_t rest = index;
    for (std::size_t v = variations.size(); v-- > 0;) {  // the last variation changes fastest
      points[index].values[v] = variations[v].values[rest % variations[v].values.size()];
      rest /= variations[v].values.size();
    }
  }
  return points;
}

std::vector<std::string> point_sets(const std::vector<Variation>& variations, const Point& point)
{
  std::vector<std::string> sets;
  for (std::size_t v = 0; v < variations.size(); ++v)
    sets.push_back(variations[v].path + "=" + point.values[v]);
  return sets;
}

std::vector<Point> pending_points(const std::vector<Point>& points, const std::set<std::size_t>& done)
{
  std::vector<Point> pending;
  for (const auto& point : points)
    if (!done.count(point.index))
      pending.push_back(point);
  return pending;
}

FigureSamples PointResult::samples() const
{
  FigureSamples samples;
  for (const auto& figures : replications)
    for (const auto& [name, value] : figures)
      samples[name].push_back(value);
  return samples;
}

std::string sweep_csv(const std::vector<Variation>& variations, const std::vector<Point>& points, const std::vector<PointResult>& results)
{
  std::set<std::string> figure_names;
  std::map<std::size_t, FigureSamples> samples_by_point;
  for (const auto& result : results) {
    samples_by_point[result.index] = result.samples();
    for (const auto& [name, samples] : samples_by_point[result.index])
      figure_names.insert(name);
  }
  std::string out;
  for (const auto& variation : variations)
    out += csv_field(variation.path) + ",";
  out += "replications";
  for (const auto& name : figure_names)
    out += "," + csv_field(name + ".mean") + "," + csv_field(name + ".ci95");
  out += "\n";
  std::map<std::size_t, std::size_t> replications;
  for (const auto& result : results)
    replications[result.index] = result.replications.size();
  for (const auto& point : points) {
    auto found = samples_by_point.find(point.index);
    if (found == samples_by_point.end())
      continue;
    for (const auto& value : point.values)
      out += csv_field(value) + ",";
    out += std::to_string(replications[point.index]);
    for (const auto& name : figure_names) {
      auto samples = found->second.find(name);
      if (samples == found->second.end()) {
        out += ",,";
        continue;
      }
      auto interval = confidence_interval(samples->second);
      out += "," + number(interval.mean) + "," + number(interval.half_width);
    }
    out += "\n";
  }
  return out;
}

}  // namespace archlab::sweep
