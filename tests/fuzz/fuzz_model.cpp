// libFuzzer target: bytes → the model reader and the validator (the model as written, then each of
// its scenarios), never the simulation. Bad input must end as an InputError; anything else escaping
// (a library exception, a crash, a sanitizer report) is a bug. Built by -DARCHLAB_FUZZ=ON with clang;
// tests/fuzz/run.sh builds and runs it.
#include "sim/core/json_io.hpp"
#include "sim/core/model.hpp"
#include "sim/core/problems.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  // No empirical samples file is read: a model that names one gets "cannot read samples file".
  const std::filesystem::path file = "/nonexistent/fuzz.json";
  std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json raw;
  try {
    raw = archlab::parse_json_text(text, file.string());
  } catch (const archlab::InputError&) {
    return 0;
  }
  archlab::LoadOptions options;
  // A top-level "fuzz_sets": ["path=value", ...] is taken out and given as --set assignments, so that
  // the command line's way in is fuzzed too.
  if (raw.is_object() && raw.contains("fuzz_sets") && raw["fuzz_sets"].is_array()) {
    for (const auto& assignment : raw["fuzz_sets"])
      if (assignment.is_string())
        options.sets.push_back(assignment.get<std::string>());
    raw.erase("fuzz_sets");
  }
  try {
    archlab::model_from_json(raw, file, options);
  } catch (const archlab::InputError&) {
  }
  if (!raw.is_object())
    return 0;
  options.checks_scenarios = false;
  constexpr std::size_t scenarios_tried = 8;  // keeps one input's time bounded
  auto names = archlab::scenario_names(raw);
  for (std::size_t i = 0; i < names.size() && i < scenarios_tried; ++i) {
    options.scenario = names[i];
    try {
      archlab::model_from_json(raw, file, options);
    } catch (const archlab::InputError&) {
    }
  }
  return 0;
}
