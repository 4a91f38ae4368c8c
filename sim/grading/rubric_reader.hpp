// Internal to the rubric reader (rubric.cpp, rubric_checks.cpp): problems collected with their
// full path, and the small readers both files use.
#pragma once

#include "sim/grading/rubric.hpp"

namespace archlab::grading::detail {

struct Reader {  // collects problems with their full path: "rubric.json: checks[2].points"
  std::string origin;
  std::vector<Problem> problems;
  void add(const std::string& path, const std::string& message) { problems.push_back({origin + (path.empty() ? "" : ": " + path), message}); }
};

void unknown_keys(const nlohmann::json& object, const std::vector<std::string>& known, const std::string& path, Reader& reader);
// A string member; "" (and a problem when it is required) when absent or not a string.
std::string text(const nlohmann::json& object, const std::string& key, const std::string& path, Reader& reader, bool is_required);
// A JSON pointer member, e.g. /components/server/latency_ms/p99.
std::string pointer(const nlohmann::json& object, const std::string& key, const std::string& path, Reader& reader, bool is_required);

void read_checks(const nlohmann::json& spec, Rubric& rubric, bool are_hidden, const std::string& path, Reader& reader);

}  // namespace archlab::grading::detail
