// Reading the API's answers: POST /submit-code → {"executionId": ...} and
// GET /check-status/{id} → {"status","result","submitted_at_ms",
// "started_at_ms","finished_at_ms"}. Pure; tolerant of missing or null times
// (the seed's API sends none), strict about the status string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace archlab::loadgen {

enum class Status { pending, executed, failed };

struct StatusDocument {
  Status status = Status::pending;
  std::string result;
  std::optional<std::int64_t> submitted_at_ms;
  std::optional<std::int64_t> started_at_ms;
  std::optional<std::int64_t> finished_at_ms;
};

// The execution id of a submit answer; nullopt when the body is not JSON or
// has no non-empty string "executionId".
std::optional<std::string> parse_submit_answer(const std::string& body);

// nullopt when the body is not a JSON object or "status" is not one of
// "pending", "Executed", "failed" (the wire strings of real/common/job_ports.hpp).
std::optional<StatusDocument> parse_status_document(const std::string& body);

bool is_final(Status status);

// "/check-status/" + the id, percent-encoded except RFC 3986 unreserved bytes,
// so an odd id cannot change the path.
std::string status_path(const std::string& execution_id);

}  // namespace archlab::loadgen
