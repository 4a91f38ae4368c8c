#include "sim/core/json_io.hpp"

#include "sim/core/problems.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

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

// One object or list open at the scan's position, and which of its members is being read.
struct OpenContainer {
  bool is_object = false;
  std::string key;             // object: the member being read
  std::size_t index = 0;       // list: the element being read
  std::set<std::string> keys;  // object: the keys seen so far
};

std::string path_of(const std::vector<OpenContainer>& open, std::size_t levels)
{
  std::string path;
  for (std::size_t i = 0; i < levels && i < open.size(); ++i)
    path = open[i].is_object ? join_path(path, printable_name(open[i].key)) : join_path(path, open[i].index);
  return path;
}

std::string at_path(const std::vector<OpenContainer>& open)
{
  auto path = path_of(open, open.size());
  return path.empty() ? "" : "at " + path + ": ";
}

bool is_number_char(char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E'; }

// What nlohmann's parser accepts but a model must not have: nesting past max_nesting_depth (every later
// walk of the document recurses), a key twice in one object (the parser silently keeps the last), a
// number beyond a double (the parser throws out_of_range without a position). One pass over the bytes,
// iterative; anything malformed is left for the parser to report with its own position.
void check_structure(const std::string& text, const std::string& origin, bool shows_position)
{
  auto where = [&](std::size_t offset) { return shows_position ? origin + ":" + line_and_column(text, offset) : origin; };
  std::vector<OpenContainer> open;
  std::size_t last_string_start = std::string::npos;  // the previous token, when it was a string
  std::size_t last_string_end = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && (text[i + 1] == '/' || text[i + 1] == '*')) {
      auto end = text[i + 1] == '/' ? text.find('\n', i) : text.find("*/", i + 2);
      if (end == std::string::npos)
        return;
      i = end + (text[i + 1] == '/' ? 1 : 2);
      continue;
    }
    if (c == '"') {
      std::size_t start = i++;
      while (i < text.size() && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
      if (i >= text.size())
        return;  // unterminated: the parser says where
      last_string_start = start;
      last_string_end = ++i;
      continue;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t start = i;
      while (i < text.size() && is_number_char(text[i]))
        ++i;
      auto token = text.substr(start, i - start);
      if (std::isinf(std::strtod(token.c_str(), nullptr)))
        throw InputError(where(start), at_path(open) + "the number " + printable_name(token) +
                                           " is too large (a double holds at most about 1.8e308)");
      last_string_start = std::string::npos;
      continue;
    }
    if (c == '{' || c == '[') {
      if (open.size() >= max_nesting_depth)
        throw InputError(where(i), at_path(open) + "objects and lists nest deeper than " +
                                       std::to_string(max_nesting_depth) + " levels (a model needs far fewer)");
      open.emplace_back();
      open.back().is_object = c == '{';
    } else if (c == '}' || c == ']') {
      if (open.empty())
        return;
      open.pop_back();
    } else if (c == ',' && !open.empty() && !open.back().is_object) {
      ++open.back().index;
    } else if (c == ':' && !open.empty() && open.back().is_object && last_string_start != std::string::npos) {
      auto key = nlohmann::json::parse(text.substr(last_string_start, last_string_end - last_string_start), nullptr, false);
      if (!key.is_string())
        return;  // a bad escape: the parser says where
      open.back().key = key.get<std::string>();
      if (!open.back().keys.insert(open.back().key).second)
        throw InputError(where(last_string_start), path_of(open, open.size()) +
                                                       " is given twice in the same object (JSON readers disagree on which one counts: keep one)");
    }
    last_string_start = std::string::npos;
    ++i;
  }
}

nlohmann::json parse_checked(const std::string& text, const std::string& origin)
{
  check_structure(text, origin, /*shows_position=*/true);
  try {
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& error) {
    // The byte offset points one past the offending character.
    auto offset = error.byte > 0 ? error.byte - 1 : 0;
    throw InputError(origin + ":" + line_and_column(text, offset), "JSON syntax error: " + without_library_prefix(error.what()));
  } catch (const nlohmann::json::out_of_range& error) {  // check_structure catches overflowing numbers first
    throw InputError(origin, "a number is out of range: " + without_library_prefix(error.what()));
  }
}
}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& origin)
{
  return parse_checked(text, origin);
}

nlohmann::json parse_json_or_word(const std::string& text, const std::string& origin)
{
  auto first = text.find_first_not_of(" \t\r\n");
  bool looks_like_json = first != std::string::npos && (std::string("{[\"-").find(text[first]) != std::string::npos ||
                                                        std::isdigit(static_cast<unsigned char>(text[first])));
  if (looks_like_json)
    check_structure(text, origin, /*shows_position=*/false);  // one line on the command line
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? nlohmann::json(text) : value;  // a bare word such as round_robin
}

nlohmann::json read_json_file(const std::filesystem::path& file)
{
  std::error_code error;
  if (std::filesystem::is_directory(file, error))
    throw InputError(file.string(), "is a folder, not a model file");
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

std::string printable_name(const std::string& name)
{
  constexpr std::size_t shown_chars = 80;
  std::string shown;
  bool is_cut = false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (i >= shown_chars && (c & 0xC0) != 0x80) {  // cut between UTF-8 characters, not inside one
      is_cut = true;
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      shown += escaped;
    } else {
      shown += name[i];
    }
  }
  if (is_cut)
    shown += "...(" + std::to_string(name.size()) + " bytes)";
  return shown;
}

}  // namespace archlab
