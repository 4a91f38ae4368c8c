// Reading model files: JSON with comments, and syntax errors reported with line and column.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace archlab {

// How deep objects and lists may nest in a model (and in a --set value or path). Real models use
// under 10 levels; the bound keeps every recursive walk of a document (validation, copies, dump) safe.
constexpr std::size_t max_nesting_depth = 64;

// Throws InputError("file:line:column", "...") on a syntax error, an unreadable file, nesting deeper
// than max_nesting_depth, a key given twice in one object, or a number too large for a double.
nlohmann::json read_json_file(const std::filesystem::path& file);
nlohmann::json parse_json_text(const std::string& text, const std::string& origin);
// The text as JSON when it is JSON, as a string otherwise (a bare word on the command line); the
// checks above still apply to text that looks like JSON.
nlohmann::json parse_json_or_word(const std::string& text, const std::string& origin);

// "components.server.mean" style path, with [i] for array elements.
std::string join_path(const std::string& parent, const std::string& key);
std::string join_path(const std::string& parent, std::size_t index);

// A name safe to print: control characters escaped as JSON does, and at most 80 characters shown.
std::string printable_name(const std::string& name);

}  // namespace archlab
