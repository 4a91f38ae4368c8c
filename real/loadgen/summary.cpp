#include "summary.hpp"

#include "stats.hpp"

namespace archlab::loadgen {

nlohmann::json jobs_summary(const std::vector<JobOutcome>& jobs, double duration_s)
{
  std::uint64_t completed = 0, failed = 0, unfinished = 0, errors = 0, server_timed = 0, client_timed = 0;
  std::vector<double> latency_s, seen_latency_s, queue_wait_s, run_s;
  for (const auto& job : jobs) {
    switch (job.end) {
      case JobEnd::completed: ++completed; break;
      case JobEnd::failed: ++failed; break;
      case JobEnd::unfinished: ++unfinished; break;
      case JobEnd::submit_error: ++errors; break;
    }
    if (job.end != JobEnd::completed && job.end != JobEnd::failed)
      continue;
    if (job.seen_s)
      seen_latency_s.push_back(*job.seen_s - job.scheduled_s);
    if (!job.final_document)
      continue;
    const auto& document = *job.final_document;
    // Latency counts completed jobs only, as in the simulator's summary.
    if (job.end == JobEnd::completed) {
      if (document.submitted_at_ms && document.finished_at_ms) {
        latency_s.push_back(static_cast<double>(*document.finished_at_ms - *document.submitted_at_ms) / 1000.0);
        ++server_timed;
      } else if (job.seen_s) {
        latency_s.push_back(*job.seen_s - job.scheduled_s);
        ++client_timed;
      }
    }
    if (document.submitted_at_ms && document.started_at_ms)
      queue_wait_s.push_back(static_cast<double>(*document.started_at_ms - *document.submitted_at_ms) / 1000.0);
    if (document.started_at_ms && document.finished_at_ms)
      run_s.push_back(static_cast<double>(*document.finished_at_ms - *document.started_at_ms) / 1000.0);
  }
  std::string source = server_timed > 0 && client_timed > 0 ? "mixed"
                       : client_timed > 0                   ? "client"
                                                            : "server";
  // The table's times are whole milliseconds; the client's clock is not.
  constexpr double table_clock_step_s = 0.001;
  return {{"submitted", jobs.size()},
          {"completed", completed},
          {"failed", failed},
          {"unfinished", unfinished},
          {"errors", errors},
          {"throughput_per_s", duration_s > 0 ? static_cast<double>(completed) / duration_s : 0.0},
          {"latency_s", source == "server" ? grouped_figures(latency_s, table_clock_step_s) : figures(latency_s)},
          {"latency_source", source},
          {"seen_latency_s", figures(seen_latency_s)},
          {"queue_wait_s", grouped_figures(queue_wait_s, table_clock_step_s)},
          {"run_s", grouped_figures(run_s, table_clock_step_s)}};
}

nlohmann::json http_summary(const HttpCounts& counts)
{
  auto status_counts = nlohmann::json::object();
  for (const auto& [code, count] : counts.status_counts)
    status_counts[std::to_string(code)] = count;
  return {{"status_counts", status_counts},
          {"transport_errors", counts.transport_errors},
          {"bad_bodies", counts.bad_bodies},
          {"requests",
           {{"submit", counts.submit_requests}, {"status", counts.status_requests}, {"verify", counts.verify_requests}}}};
}

nlohmann::json load_summary(const LoadSettings& settings, const LoadObserved& observed)
{
  return {{"rate_per_s", settings.rate_per_s},
          {"duration_s", settings.duration_s},
          {"arrivals", settings.arrivals},
          {"seed", settings.seed},
          {"poll_interval_s", settings.poll_interval_s},
          {"give_up_s", settings.give_up_s},
          {"max_connections", settings.max_connections},
          {"request_timeout_s", settings.request_timeout_s},
          {"url", settings.url},
          {"wall_s", observed.wall_s},
          {"started_at_unix_s", observed.started_at_unix_s},
          {"max_submit_lag_s", observed.max_submit_lag_s},
          {"mean_submit_lag_s", observed.mean_submit_lag_s}};
}

nlohmann::json verify_summary(const VerifyCounts& counts)
{
  return {{"checked", counts.checked},
          {"unchanged", counts.unchanged},
          {"changed", counts.changed},
          {"errors", counts.errors}};
}

}  // namespace archlab::loadgen
