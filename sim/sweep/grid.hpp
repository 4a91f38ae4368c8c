// A sweep's grid: each --vary PATH=V1,V2,... a dimension, each point one value of every dimension
// (the last --vary changing fastest), its results a file of its own so that a sweep that stops
// resumes with the points not done yet; and the CSV of the points done, figures with intervals.
#pragma once

#include "sim/sweep/statistics.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace archlab::sweep {

struct Variation {
  std::string path;                 // as --set takes it: server.concurrency
  std::vector<std::string> values;  // as --set takes them: 1, 2, "round_robin", {"dist": ...}
};

// "PATH=V1,V2,...": commas inside brackets or quotes belong to the value. Throws InputError naming
// --vary when the text has no path, no value, an empty value or a value twice.
Variation parse_variation(const std::string& text);

struct Point {
  std::size_t index = 0;
  std::vector<std::string> values;  // one per variation
};

// Throws InputError when two variations name the same path or the grid exceeds `max_points`.
std::vector<Point> grid_points(const std::vector<Variation>& variations, std::size_t max_points = 10000);
// The --set assignments of a point: path=value for each variation.
std::vector<std::string> point_sets(const std::vector<Variation>& variations, const Point& point);

// The points whose index is not among `done`, in grid order: what a resumed sweep still runs.
std::vector<Point> pending_points(const std::vector<Point>& points, const std::set<std::size_t>& done);

// A point's results: each replication's figures, in seed order.
struct PointResult {
  std::size_t index = 0;
  std::vector<std::map<std::string, double>> replications;
  FigureSamples samples() const;
};

// One header line, then one row per point given (grid order): each variation's value, the number of
// replications, and for every figure any point has, its mean and 95% half-width (empty where a point
// lacks it).
std::string sweep_csv(const std::vector<Variation>& variations, const std::vector<Point>& points, const std::vector<PointResult>& results);

}  // namespace archlab::sweep
