#include "sim/core/operation.hpp"

#include <deque>
#include <stdexcept>

namespace archlab {

namespace {
// A deque, so that names handed out by reference never move. Interned while types are described
// (before any run), in a defined order, so an operation's index is the same in every run.
std::deque<std::string>& interned_names()
{
  static std::deque<std::string> names{"request"};
  return names;
}
}  // namespace

Operation Operation::named(std::string_view name)
{
  if (auto known = find(name))
    return *known;
  auto& names = interned_names();
  if (names.size() >= 0xFFFF)
    throw std::length_error("too many operation names");
  names.emplace_back(name);
  return Operation(static_cast<std::uint16_t>(names.size() - 1));
}

std::optional<Operation> Operation::find(std::string_view name)
{
  const auto& names = interned_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name)
      return Operation(static_cast<std::uint16_t>(i));
  return std::nullopt;
}

const std::string& Operation::name() const { return interned_names().at(index_); }

const char* operation_name(Operation operation) { return operation.name().c_str(); }

}  // namespace archlab
