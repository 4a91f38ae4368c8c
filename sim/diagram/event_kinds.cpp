#include "sim/diagram/event_kinds.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <sstream>

namespace archlab::diagram {

namespace {

bool has_any(const std::string& text, std::initializer_list<const char*> words)
{
  return std::any_of(words.begin(), words.end(), [&](const char* word) { return text.find(word) != std::string::npos; });
}

}  // namespace

const char* event_kind_name(EventKind kind)
{
  switch (kind) {
  case EventKind::fault: return "fault";
  case EventKind::recovery: return "recovery";
  case EventKind::health: return "health";
  case EventKind::dead_letter: return "dead_letter";
  case EventKind::scaling: return "scaling";
  case EventKind::message: return "message";
  case EventKind::poll: return "poll";
  case EventKind::other: return "other";
  }
  return "other";
}

EventKind event_kind(const std::string& text)
{
  // The words components use when they log a fault, its effects and its end (sim/components/*).
  if (has_any(text, {"killed", "recovered", "hang", "slow", "fail", "crash", "back to normal", "unhealthy", "healthy", "health check",
                     "marked", "dead-letter", "time limit", "outage", "no such instance"})) {
    if (has_any(text, {"dead-letter"}))
      return EventKind::dead_letter;
    if (has_any(text, {"health check", "healthy"}))
      return EventKind::health;
    if (has_any(text, {"recovered", "back to normal"}))
      return EventKind::recovery;
    return EventKind::fault;
  }
  if (has_any(text, {"scale-out", "scale-in", "launching", "launched", "retiring", "retired", "InService", "terminat"}))
    return EventKind::scaling;
  if (has_any(text, {"long poll", "empty receive"}))
    return EventKind::poll;
  if (has_any(text, {"message ", "sent", "received", "deleted", "visible again"}))
    return EventKind::message;
  return EventKind::other;
}

bool is_fault_related(EventKind kind)
{
  return kind == EventKind::fault || kind == EventKind::recovery || kind == EventKind::health || kind == EventKind::dead_letter;
}

bool is_routine(EventKind kind) { return kind == EventKind::message || kind == EventKind::poll; }

std::optional<EventLine> parse_event_line(const std::string& line)
{
  std::istringstream fields(line);
  std::string time, source;
  if (!(fields >> time >> source))
    return std::nullopt;
  char* end = nullptr;
  double time_s = std::strtod(time.c_str(), &end);
  if (end == time.c_str() || *end != '\0')
    return std::nullopt;
  std::string text;
  std::getline(fields, text);
  auto start = text.find_first_not_of(' ');
  return EventLine{time_s, source, start == std::string::npos ? "" : text.substr(start)};
}

std::map<std::string, int> names_in_event(const std::string& text)
{
  std::map<std::string, int> names;
  std::string word;
  auto flush = [&] {
    int instance = -1;
    if (auto hash = word.find('#'); hash != std::string::npos) {
      instance = std::atoi(word.c_str() + hash + 1);
      word.resize(hash);
    }
    if (!word.empty())
      names.emplace(word, instance);
    word.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '#')
      word += c;
    else
      flush();
  }
  flush();
  return names;
}

}  // namespace archlab::diagram
