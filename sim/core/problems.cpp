#include "sim/core/problems.hpp"

namespace archlab {

std::string format_problems(const std::vector<Problem>& problems)
{
  std::string text;
  for (const auto& problem : problems)
    text += (problem.path.empty() ? "" : problem.path + ": ") + problem.message + "\n";
  return text;
}

InputError::InputError(std::vector<Problem> problems)
    : std::runtime_error(format_problems(problems)), problems_(std::move(problems))
{
}

InputError::InputError(std::string path, std::string message)
    : InputError(std::vector<Problem>{{std::move(path), std::move(message)}})
{
}

}  // namespace archlab
