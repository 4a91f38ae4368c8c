// Reading model files: JSON with comments, and syntax errors reported with line and column.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace archlab {

// Throws InputError("file:line:column", "...") on a syntax error or an unreadable file.
nlohmann::json read_json_file(const std::filesystem::path& file);
nlohmann::json parse_json_text(const std::string& text, const std::string& origin);

// "components.server.mean" style path, with [i] for array elements.
std::string join_path(const std::string& parent, const std::string& key);
std::string join_path(const std::string& parent, std::size_t index);

}  // namespace archlab
