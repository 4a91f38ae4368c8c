// What an events.log line is about: its kind (a fault, a health check, scaling, routine message
// traffic, ...) and the components it names, read from its words, so that diagrams and the run report
// can mark faults and scaling and thin out routine traffic without knowing the component types.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace archlab::diagram {

enum class EventKind { fault, recovery, health, dead_letter, scaling, message, poll, other };
const char* event_kind_name(EventKind kind);
inline constexpr EventKind all_event_kinds[] = {EventKind::fault,   EventKind::recovery, EventKind::health, EventKind::dead_letter,
                                                EventKind::scaling, EventKind::message,  EventKind::poll,   EventKind::other};

// By its words. Fault words are looked for first, so a line that tells a failure is a failure whatever
// else it says.
EventKind event_kind(const std::string& text);
bool is_fault_related(EventKind kind);  // faults and what they cause or undo: fault, recovery, health, dead_letter
bool is_routine(EventKind kind);        // the bulk of a log: message traffic and polls

struct EventLine {
  double time_s = 0;
  std::string source;  // the component that logged it
  std::string text;
};
// "    60.000  api  api#1 killed: ..." → {60, "api", "api#1 killed: ..."}; nullopt for a line without both.
std::optional<EventLine> parse_event_line(const std::string& line);

// Names in a line's text, with the instance when one is named: "api#1 killed" → {api: 1}; -1 when no
// instance is named. Every word-like run of characters is a candidate: callers keep the component ids.
std::map<std::string, int> names_in_event(const std::string& text);

}  // namespace archlab::diagram
