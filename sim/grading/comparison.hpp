// A rubric's requirement on one number: "p99 <= 550", "utilisation between 0.6 and 0.9",
// "L == X·W within 1 %". Pure: parsing with path-named problems, deciding, and describing, so a
// student sees exactly what was required next to what was measured.
#pragma once

#include "sim/core/problems.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace archlab::grading {

enum class Op { less, less_equal, greater, greater_equal, equal, between };

struct Requirement {
  Op op = Op::less_equal;
  double value = 0;          // the bound (between: the low end); unused when the reference is a theory figure
  double high = 0;           // between only
  double tolerance = 0;      // ==: absolute slack
  double tolerance_pct = 0;  // ==: slack relative to the reference, in percent
  std::string theory;        // non-empty: the reference is this figure's theory value in `archlab theory --json`
};

// {"op": "<=", "value": 550} | {"op": "between", "value": [0.6, 0.9]} |
// {"op": "==", "theory": "server mean in system", "tolerance_pct": 1}
Requirement parse_requirement(const nlohmann::json& spec, const std::string& path, std::vector<Problem>& problems);

// `reference` is the bound to compare with: `value`, or the theory figure when one is named.
bool meets(const Requirement& requirement, double measured, double reference);

// "<= 550 ms", "between 0.6 and 0.9", "== 4.57 ± 1%": what a student must reach.
std::string describe(const Requirement& requirement, double reference, const std::string& unit);

// Numbers the same way on every machine and run: integers whole, others with 4 significant digits.
std::string format_number(double value);

const char* op_symbol(Op op);

}  // namespace archlab::grading
