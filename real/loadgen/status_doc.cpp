#include "status_doc.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace archlab::loadgen {

namespace {

std::optional<nlohmann::json> parse_object(const std::string& body)
{
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return std::nullopt;
  return json;
}

// Times are whole milliseconds, but accept a JSON float too (some servers
// serialise every number as a double).
std::optional<std::int64_t> time_ms(const nlohmann::json& document, const char* name)
{
  auto found = document.find(name);
  if (found == document.end() || !found->is_number())
    return std::nullopt;
  if (found->is_number_integer())
    return found->get<std::int64_t>();
  double value = found->get<double>();
  if (!std::isfinite(value))
    return std::nullopt;
  return static_cast<std::int64_t>(std::llround(value));
}

}  // namespace

std::optional<std::string> parse_submit_answer(const std::string& body)
{
  auto json = parse_object(body);
  if (!json)
    return std::nullopt;
  auto found = json->find("executionId");
  if (found == json->end() || !found->is_string() || found->get<std::string>().empty())
    return std::nullopt;
  return found->get<std::string>();
}

std::optional<StatusDocument> parse_status_document(const std::string& body)
{
  auto json = parse_object(body);
  if (!json)
    return std::nullopt;
  auto status = json->find("status");
  if (status == json->end() || !status->is_string())
    return std::nullopt;
  StatusDocument document;
  const auto& text = status->get_ref<const std::string&>();
  if (text == "pending")
    document.status = Status::pending;
  else if (text == "Executed")
    document.status = Status::executed;
  else if (text == "failed")
    document.status = Status::failed;
  else
    return std::nullopt;
  auto result = json->find("result");
  if (result != json->end())
    document.result = result->is_string() ? result->get<std::string>() : result->dump();
  document.submitted_at_ms = time_ms(*json, "submitted_at_ms");
  document.started_at_ms = time_ms(*json, "started_at_ms");
  document.finished_at_ms = time_ms(*json, "finished_at_ms");
  return document;
}

bool is_final(Status status)
{
  return status != Status::pending;
}

std::string status_path(const std::string& execution_id)
{
  static const char* hex = "0123456789ABCDEF";
  std::string path = "/check-status/";
  for (unsigned char c : execution_id) {
    bool is_unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                         c == '.' || c == '_' || c == '~';
    if (is_unreserved) {
      path += static_cast<char>(c);
    } else {
      path += '%';
      path += hex[c >> 4];
      path += hex[c & 0xF];
    }
  }
  return path;
}

}  // namespace archlab::loadgen
