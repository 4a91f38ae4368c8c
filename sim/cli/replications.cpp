#include "sim/cli/replications.hpp"

#include "sim/grading/child_process.hpp"
#include "sim/sweep/figures.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace archlab::cli {

namespace {
std::string self_executable()
{
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error)
    throw std::runtime_error("cannot find the archlab executable to run replications: " + error.message());
  return path.string();
}

// Replications are the user's own runs, not a submission's: the limits only catch a runaway child.
grading::ChildLimits replication_limits()
{
  grading::ChildLimits limits;
  limits.wall_s = 7 * 24 * 3600.0;
  limits.cpu_s = 7 * 24 * 3600.0;
  limits.memory_mb = 1 << 20;
  return limits;
}
}  // namespace

void run_parallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& task)
{
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure)
          failure = std::current_exception();
        next = count;  // the others finish what they hold and stop
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < jobs && static_cast<std::size_t>(i) < count; ++i)
    threads.emplace_back(worker);
  worker();
  for (auto& thread : threads)
    thread.join();
  if (failure)
    std::rethrow_exception(failure);
}

nlohmann::json run_replication(const ModelOptions& model, std::uint64_t seed)
{
  std::vector<std::string> argv = {self_executable(), "run", model.file, "--seed", std::to_string(seed), "--json", "--quiet"};
  if (!model.scenario.empty())
    argv.insert(argv.end(), {"--scenario", model.scenario});
  for (const auto& set : model.sets)
    argv.insert(argv.end(), {"--set", set});
  auto limits = replication_limits();
  auto result = grading::run_child(argv, std::filesystem::current_path().string(), limits);
  auto failure = grading::describe_failure(result, limits);
  if (!failure.empty())
    throw std::runtime_error("the replication with seed " + std::to_string(seed) + " failed: " + failure + "\n" + result.err);
  return nlohmann::json::parse(result.out);
}

Replicated replicate(const ReplicationPlan& plan, ProgressLine* progress)
{
  Replicated result;
  std::size_t target = plan.precision ? std::max(plan.replications, plan.precision->min_replications) : plan.replications;
  if (plan.precision)
    target = std::min(target, plan.precision->max_replications);
  std::size_t batch = static_cast<std::size_t>(std::max(plan.jobs, 1));
  while (true) {
    std::size_t from = result.summaries.size();
    result.summaries.resize(target);
    run_parallel(target - from, plan.jobs, [&](std::size_t i) {
      result.summaries[from + i] = run_replication(plan.model, plan.first_seed + from + i);
      if (progress)
        progress->advance();
    });
    result.samples = sweep::collect_samples(result.summaries);
    if (!plan.precision)
      return result;
    auto kept = sweep::replications_needed(result.samples, sweep::main_figures_of(result.samples), *plan.precision);
    if (kept > 0) {
      result.summaries.resize(kept);
      result.samples = sweep::collect_samples(result.summaries);
      // kept is the first tight prefix, or the bound: then say whether the bound was tight too
      result.reached_precision = true;
      for (const auto& name : sweep::main_figures_of(result.samples))
        if (sweep::confidence_interval(result.samples.at(name)).relative_half_width() > plan.precision->relative_precision)
          result.reached_precision = false;
      return result;
    }
    target = std::min(target + batch, plan.precision->max_replications);
    if (progress)
      progress->set_total(target);
  }
}

namespace {
std::string seeds_text(const ReplicationPlan& plan, std::size_t count)
{
  return count == 1 ? "seed " + std::to_string(plan.first_seed)
                    : "seeds " + std::to_string(plan.first_seed) + ".." + std::to_string(plan.first_seed + count - 1);
}

std::string precision_text(const ReplicationPlan& plan, const Replicated& result)
{
  if (!plan.precision)
    return "";
  char text[160];
  if (result.reached_precision)
    std::snprintf(text, sizeof text, "the main figures (*) are within ±%g%% of their means\n", plan.precision->relative_precision * 100);
  else
    std::snprintf(text, sizeof text, "the main figures (*) did NOT reach ±%g%% within the bound of %zu replications (--max-replications)\n",
                  plan.precision->relative_precision * 100, plan.precision->max_replications);
  return text;
}
}  // namespace

std::string replicated_table(const std::string& model_name, const ReplicationPlan& plan, const Replicated& result)
{
  std::string out = model_name + ": " + std::to_string(result.summaries.size()) + " replications (" + seeds_text(plan, result.summaries.size()) +
                    "), each figure's mean ± the half-width of its 95% confidence interval (Student t)\n" + precision_text(plan, result) + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-52s %14s %13s %10s\n", "figure", "mean", "± 95%", "± / mean");
  out += line;
  for (const auto& [name, samples] : result.samples) {
    auto interval = sweep::confidence_interval(samples);
    double relative = interval.relative_half_width();
    char share[24];
    if (std::isinf(relative))
      std::snprintf(share, sizeof share, "-");
    else
      std::snprintf(share, sizeof share, "%.2f%%", relative * 100);
    std::string shown = (sweep::is_main_figure(name) ? "* " : "  ") + name;
    std::snprintf(line, sizeof line, "%-52s %14.6g %12.4g %9s%s\n", shown.c_str(), interval.mean, interval.half_width, share,
                  interval.count < result.summaries.size() ? (" (" + std::to_string(interval.count) + " runs)").c_str() : "");
    out += line;
  }
  return out;
}

nlohmann::json replicated_json(const std::string& model_name, const ReplicationPlan& plan, const Replicated& result)
{
  nlohmann::json out = {{"model", model_name},
                        {"replications", result.summaries.size()},
                        {"seeds_from", plan.first_seed},
                        {"confidence", 0.95},
                        {"figures", nlohmann::json::object()}};
  if (plan.precision)
    out["precision"] = {{"relative", plan.precision->relative_precision},
                        {"max_replications", plan.precision->max_replications},
                        {"reached", result.reached_precision}};
  for (const auto& [name, samples] : result.samples) {
    auto interval = sweep::confidence_interval(samples);
    out["figures"][name] = {{"mean", interval.mean}, {"half_width", interval.half_width}, {"count", interval.count}, {"main", sweep::is_main_figure(name)}};
  }
  return out;
}

}  // namespace archlab::cli
