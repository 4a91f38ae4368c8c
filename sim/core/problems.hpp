// Bad input is reported, never crashed on: every check collects Problems, and the CLI prints one
// line per problem and exits with status 2.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace archlab {

struct Problem {
  std::string path;     // where: a JSON path such as components.server.concurrency, or a file:line:column
  std::string message;  // what is wrong, and what would be right
};

class InputError : public std::runtime_error {
public:
  explicit InputError(std::vector<Problem> problems);
  InputError(std::string path, std::string message);
  const std::vector<Problem>& problems() const { return problems_; }

private:
  std::vector<Problem> problems_;
};

std::string format_problems(const std::vector<Problem>& problems);  // "path: message" lines

}  // namespace archlab
