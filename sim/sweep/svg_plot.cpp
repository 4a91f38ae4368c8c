#include "sim/sweep/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>

namespace archlab::sweep {

namespace {
constexpr double width = 640, height = 400, left = 80, right = 190, top = 40, bottom = 60;
const char* const colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

std::string escaped(const std::string& text)
{
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

bool as_number(const std::string& text, double& value)
{
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' && std::isfinite(value);
}

std::string format(const char* pattern, double a, double b = 0, double c = 0, double d = 0)
{
  char text[160];
  std::snprintf(text, sizeof text, pattern, a, b, c, d);
  return text;
}
}  // namespace

std::string plot_svg(const std::string& title, const std::string& x_label, const std::vector<PlotSeries>& series)
{
  // x positions: by value when every x is a number, else evenly in order of first appearance
  std::vector<std::string> categories;
  bool is_numeric = true;
  double x_low = std::numeric_limits<double>::infinity(), x_high = -x_low, y_low = 0, y_high = -x_low;
  for (const auto& line : series)
    for (const auto& point : line.points) {
      double x;
      is_numeric = is_numeric && as_number(point.x, x);
      if (std::find(categories.begin(), categories.end(), point.x) == categories.end())
        categories.push_back(point.x);
      y_low = std::min(y_low, point.mean - point.half_width);
      y_high = std::max(y_high, point.mean + point.half_width);
    }
  auto x_value = [&](const std::string& x) {
    double value = 0;
    if (is_numeric && as_number(x, value))
      return value;
    return static_cast<double>(std::find(categories.begin(), categories.end(), x) - categories.begin());
  };
  for (const auto& x : categories) {
    x_low = std::min(x_low, x_value(x));
    x_high = std::max(x_high, x_value(x));
  }
  if (!(x_high > x_low)) {
    x_low -= 1;
    x_high += 1;
  }
  double x_margin = (x_high - x_low) * 0.05;  // the end points' error bars clear of the axis
  x_low -= x_margin;
  x_high += x_margin;
  if (!(y_high > y_low))
    y_high = y_low + 1;
  y_high += (y_high - y_low) * 0.05;
  double plot_w = width - left - right, plot_h = height - top - bottom;
  auto px = [&](double x) { return left + (x - x_low) / (x_high - x_low) * plot_w; };
  auto py = [&](double y) { return top + plot_h - (y - y_low) / (y_high - y_low) * plot_h; };

  std::string svg = format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                           "font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height);
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += format("<text x=\"%.0f\" y=\"22\" font-size=\"14\">", left) + escaped(title) + " (mean, 95% interval)</text>\n";
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top + plot_h, left + plot_w, top + plot_h);
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top, left, top + plot_h);
  for (int tick = 0; tick <= 4; ++tick) {
    double y = y_low + (y_high - y_low) * tick / 4;
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>\n", left - 6, py(y) + 4, y);
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, py(y), left + plot_w, py(y));
  }
  for (const auto& x : categories)
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", px(x_value(x)), top + plot_h + 18) + escaped(x) + "</text>\n";
  svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", left + plot_w / 2, height - 16) + escaped(x_label) + "</text>\n";
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string colour = colours[s % (sizeof colours / sizeof *colours)];
    std::vector<PlotPoint> points = series[s].points;
    std::stable_sort(points.begin(), points.end(), [&](const PlotPoint& a, const PlotPoint& b) { return x_value(a.x) < x_value(b.x); });
    std::string path;
    for (const auto& point : points)
      path += format(path.empty() ? "M%.1f %.1f" : " L%.1f %.1f", px(x_value(point.x)), py(point.mean));
    svg += "<g class=\"series\" stroke=\"" + colour + "\" fill=\"" + colour + "\">\n";
    svg += "<path d=\"" + path + "\" fill=\"none\" stroke-width=\"1.5\"/>\n";
    for (const auto& point : points) {
      double x = px(x_value(point.x));
      svg += format("<line class=\"interval\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, py(point.mean - point.half_width), x,
                    py(point.mean + point.half_width));
      svg += format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>", x, py(point.mean)) + escaped(point.x) +
             format(": %.6g ± %.3g</title></circle>\n", point.mean, point.half_width);
    }
    svg += "</g>\n";
    if (!series[s].label.empty())
      svg += format("<text x=\"%.1f\" y=\"%.1f\" fill=\"", left + plot_w + 12, top + 14 + 16.0 * static_cast<double>(s)) + colour + "\">" +
             escaped(series[s].label) + "</text>\n";
  }
  return svg + "</svg>\n";
}

}  // namespace archlab::sweep
