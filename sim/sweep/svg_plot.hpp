// One figure of a sweep against its first varied parameter, as a small self-contained SVG: a line
// per combination of the other parameters, each point its mean with its 95% interval as an error bar.
#pragma once

#include <string>
#include <vector>

namespace archlab::sweep {

struct PlotPoint {
  std::string x;  // the value as given; placed by number when every x of the plot is one
  double mean = 0;
  double half_width = 0;
};

struct PlotSeries {
  std::string label;  // "client.rate=5, ..." or empty for a sweep of one parameter
  std::vector<PlotPoint> points;
};

std::string plot_svg(const std::string& title, const std::string& x_label, const std::vector<PlotSeries>& series);

}  // namespace archlab::sweep
