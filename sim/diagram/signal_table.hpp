// signals.csv read back (written by sim/report/signal_series.hpp, long format
// `time_s,component,signal,value`): one series per component and signal, aligned on the sample times.
#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

namespace archlab::diagram {

struct SignalTable {
  std::vector<double> times_s;  // sample times, increasing: interval i ends at times_s[i]
  // component → signal → one value per sample time (NaN where the file has none)
  std::map<std::string, std::map<std::string, std::vector<double>>> series;

  const std::map<std::string, std::vector<double>>* find(const std::string& component) const;
};

// Throws InputError(origin, ...) naming the line of a bad header, a short row or a value that is not a number.
SignalTable read_signal_table(std::istream& csv, const std::string& origin);

}  // namespace archlab::diagram
