#include "sim/diagram/signal_table.hpp"

#include "sim/core/problems.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace archlab::diagram {

namespace {

struct Row {
  double time_s;
  std::string component;
  std::string signal;
  double value;
};

double number(const std::string& text, const std::string& origin, std::size_t line_number, const char* what)
{
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value))
    throw InputError(origin, "line " + std::to_string(line_number) + ": the " + what + " '" + text + "' is not a number");
  return value;
}

}  // namespace

const std::map<std::string, std::vector<double>>* SignalTable::find(const std::string& component) const
{
  auto it = series.find(component);
  return it == series.end() ? nullptr : &it->second;
}

SignalTable read_signal_table(std::istream& csv, const std::string& origin)
{
  std::string line;
  if (!std::getline(csv, line) || line != "time_s,component,signal,value")
    throw InputError(origin, "line 1: expected the header time_s,component,signal,value (write the file with `archlab run MODEL --out DIR`)");
  std::vector<Row> rows;
  for (std::size_t line_number = 2; std::getline(csv, line); ++line_number) {
    if (line.empty())
      continue;
    auto first = line.find(','), second = line.find(',', first + 1), third = line.find(',', second + 1);
    if (first == std::string::npos || second == std::string::npos || third == std::string::npos)
      throw InputError(origin, "line " + std::to_string(line_number) + ": expected 4 fields time_s,component,signal,value");
    rows.push_back({number(line.substr(0, first), origin, line_number, "time"), line.substr(first + 1, second - first - 1),
                    line.substr(second + 1, third - second - 1), number(line.substr(third + 1), origin, line_number, "value")});
  }
  SignalTable table;
  for (const auto& row : rows)
    table.times_s.push_back(row.time_s);
  std::sort(table.times_s.begin(), table.times_s.end());
  table.times_s.erase(std::unique(table.times_s.begin(), table.times_s.end()), table.times_s.end());
  const std::size_t samples = table.times_s.size();
  for (const auto& row : rows) {
    auto& values = table.series[row.component][row.signal];
    if (values.empty())
      values.assign(samples, std::numeric_limits<double>::quiet_NaN());
    auto at = std::lower_bound(table.times_s.begin(), table.times_s.end(), row.time_s) - table.times_s.begin();
    values[static_cast<std::size_t>(at)] = row.value;
  }
  return table;
}

}  // namespace archlab::diagram
