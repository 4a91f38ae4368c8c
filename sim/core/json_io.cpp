#include "sim/core/json_io.hpp"

#include "sim/core/problems.hpp"

#include <fstream>
#include <sstream>

namespace archlab {

namespace {
std::string line_and_column(const std::string& text, std::size_t byte_offset)
{
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < byte_offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

std::string without_library_prefix(const std::string& what)
{
  // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 3, column 5: "; keep the reason.
  auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}
}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& origin)
{
  try {
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& error) {
    // The byte offset points one past the offending character.
    auto offset = error.byte > 0 ? error.byte - 1 : 0;
    throw InputError(origin + ":" + line_and_column(text, offset), "JSON syntax error: " + without_library_prefix(error.what()));
  }
}

nlohmann::json read_json_file(const std::filesystem::path& file)
{
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error))
    throw InputError(file.string(), "no such file");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(file.string(), "cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), file.string());
}

std::string join_path(const std::string& parent, const std::string& key)
{
  return parent.empty() ? key : parent + "." + key;
}

std::string join_path(const std::string& parent, std::size_t index)
{
  return parent + "[" + std::to_string(index) + "]";
}

}  // namespace archlab
