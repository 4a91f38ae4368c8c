#include "sim/core/call.hpp"

#include <iterator>

namespace archlab {

void take_back_answer(Request& owner, const Request& answered_copy)
{
  EventId owner_timeout = owner.timeout;
  bool is_abandoned = owner.is_abandoned;
  owner = answered_copy;
  owner.timeout = owner_timeout;
  owner.is_abandoned = is_abandoned;
}

namespace {
constexpr const char* operation_names_in_order[] = {"request", "send", "receive", "delete_message", "get", "put", "update", "query", "scan"};
}

const char* operation_name(Operation operation)
{
  return operation_names_in_order[static_cast<int>(operation)];
}

std::optional<Operation> operation_from_name(const std::string& name)
{
  for (int i = 0; i < static_cast<int>(std::size(operation_names_in_order)); ++i)
    if (name == operation_names_in_order[i])
      return static_cast<Operation>(i);
  return std::nullopt;
}

std::vector<std::string> operation_names()
{
  return {std::begin(operation_names_in_order), std::end(operation_names_in_order)};
}

}  // namespace archlab
