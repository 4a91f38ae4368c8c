// What a call asks of its target: a name its target's type declares (registry.hpp: OperationSpec),
// interned once so that a call carries a small integer. The core knows one name only, `request` (what
// a plain service takes); every other one is a component type's own — a queue's `send`, a table's
// `get` — so a new type brings its operations without touching the core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace archlab {

class Operation {
public:
  constexpr Operation() = default;  // request
  static Operation named(std::string_view name);               // interns a new name
  static std::optional<Operation> find(std::string_view name);  // a name some type declared, or nothing
  const std::string& name() const;
  std::uint16_t index() const { return index_; }  // 0, 1, 2… in order of declaration
  bool operator==(const Operation&) const = default;

private:
  explicit constexpr Operation(std::uint16_t index) : index_(index) {}
  std::uint16_t index_ = 0;
};

inline constexpr Operation request_operation{};

const char* operation_name(Operation operation);

}  // namespace archlab
