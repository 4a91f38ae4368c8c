// A component card: an HTML-like Graphviz label with the component's id, type and key parameters,
// and, after a run, its utilization (as colour), figures and faults.
#pragma once

#include "sim/core/parameters.hpp"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::diagram {

inline constexpr std::size_t MAX_PARAMETER_LINES = 5;
inline constexpr std::size_t SHARED_LINE_CHARS = 30;  // two short parameters this long together share a line

struct Card {
  std::string title;             // the component id
  std::string count_note;        // "×2 of 3" when its instances are spread over zones
  std::string type_line;         // type, and label when the model gives one
  std::string header_colour;
  bool draws_border = true;      // false inside a node shape that is the border (a cylinder, a hexagon)
  int message_cells = 0;         // a queue's row of message cells under the title
  std::vector<std::string> lines;   // key parameters
  std::vector<std::string> run_lines;  // figures of a run
  std::string run_colour;        // utilization colour; "" when there is no run
  std::string fault_line;        // "" when the run had no faults here
  std::string state_id;          // the run report's live state: the figures' cell gets this id, for its script
};

// The parameters worth a line on a card, chosen from the specs so that new types need no code:
// names a student tunes first (instances, concurrency, capacity, policy, timeouts, rates, a worker's
// wait and pause) always, any other number or choice only when it differs from its default. Some
// parameters read together, by name: an Auto Scaling group ("Auto Scaling 1–5 (desired 2)", "scales
// on queue depth ≥10 → +1"), a queue ("FIFO · group constant", "DLQ x after 5 receives" or "no DLQ"),
// a table's capacity ("on demand", "provisioned 5 RCU · 5 WCU"), a token bucket ("rate 100/s · burst
// 50"), a list of named steps ("steps get → run → delete") and a client's job polling. Other
// references, lists and maps never.
std::vector<std::string> key_parameter_lines(const nlohmann::json& params, const std::vector<ParamSpec>& specs,
                                             std::size_t max_lines = MAX_PARAMETER_LINES);

std::string describe_value(const nlohmann::json& value, const ParamSpec& spec);  // "100 ms", "exponential, mean 100 ms", "8/s"
std::string parameter_label(const std::string& name);                            // service_time_ms → "service time"
std::string format_number(double value);                                         // 3 significant digits, no exponent below 1e6
std::string escape_html(const std::string& text);

std::string card_html(const Card& card);

}  // namespace archlab::diagram
