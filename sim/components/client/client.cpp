#include "sim/components/client/client.hpp"

#include "sim/core/call_policy.hpp"
#include "sim/core/call_site.hpp"
#include "sim/core/world.hpp"
#include "sim/jobs/job_ledger.hpp"

namespace archlab {

namespace {
RateSchedule schedule_from(const nlohmann::json& arrivals)
{
  std::vector<RateStep> steps;
  for (const auto& step : arrivals.value("schedule", nlohmann::json::array()))
    steps.push_back({step.at("at_s").get<double>(), step.at("rate_per_s").get<double>(), step.at("ramp_s").get<double>(),
                     step.value("for_s", 0.0)});
  return RateSchedule(arrivals.value("rate_per_s", 0.0), std::move(steps));
}

constexpr double max_rate_per_s = 1e7;
constexpr int max_users = 1000000;
constexpr double max_requests = 1e9;  // as model_limits::requests: what one run may send

// A run given `requests` ends once they are all answered: a client that stops sending for good
// could leave it waiting for ever. A run given a duration sends rate × duration requests.
void check_client_against_run(const nlohmann::json& params, const std::string& path, const nlohmann::json& document,
                              std::vector<Problem>& problems)
{
  const auto& arrivals = params.at("arrivals");
  if (arrivals.at("process") == "closed")
    return;
  auto schedule = schedule_from(arrivals);
  const auto& run = document.at("run");
  auto rate_path = path + (arrivals.contains("schedule") ? ".arrivals.schedule" : ".arrivals.rate_per_s");
  if (schedule.peak_rate_per_s() <= 0)
    problems.push_back({rate_path, "the rate is 0 throughout: this client would never send a request"});
  else if (run.contains("requests") && schedule.final_rate_per_s() <= 0)
    problems.push_back({rate_path, "the rate ends at 0: with run.requests the run waits for requests this client may never send "
                                   "(give run.duration_s, or end the schedule above 0)"});
  if (run.contains("duration_s") && schedule.peak_rate_per_s() * run.at("duration_s").get<double>() > max_requests)
    problems.push_back({rate_path, "would send up to " + std::to_string(static_cast<long long>(schedule.peak_rate_per_s() * run.at("duration_s").get<double>())) +
                                       " requests in run.duration_s; a run sends at most 1,000,000,000"});
}

void check_client(const nlohmann::json& params, const std::string& path, std::vector<Problem>& problems)
{
  check_call_policy(params, path, problems);
  const auto& arrivals = params.at("arrivals");
  bool is_closed = arrivals.at("process") == "closed";
  if (is_closed && !arrivals.contains("users"))
    problems.push_back({path + ".arrivals.users", "a closed-loop client needs a number of users"});
  if (!is_closed && !arrivals.contains("rate_per_s") && !arrivals.contains("schedule"))
    problems.push_back({path + ".arrivals.rate_per_s", "an open-loop client needs a rate (or a schedule of rates)"});
  if (is_closed && params.contains("distinct_users"))
    problems.push_back({path + ".distinct_users", "a closed-loop client's senders are its arrivals.users; distinct_users is for open loop"});
  if (!is_closed && arrivals.contains("users"))
    problems.push_back({path + ".arrivals.users", "only a closed-loop client has users; set \"process\": \"closed\""});
  if (params.contains("mix") && params.at("mix").empty())
    problems.push_back({path + ".mix", "needs at least one request kind"});
  if (params.contains("keys"))
    check_key_space(params.at("keys"), path + ".keys", problems);
  auto keys_by_kind = params.value("keys_by_kind", nlohmann::json::object());  // items() must not outlive it
  for (const auto& [kind, keys] : keys_by_kind.items()) {
    auto kind_path = path + ".keys_by_kind." + kind;
    check_key_space(keys, kind_path, problems);
    if (!params.contains("mix") || !params.at("mix").contains(kind))
      problems.push_back({kind_path, "is not one of the kinds in mix"});
  }
  if (params.contains("jobs") && params.contains("mix") && !params.at("mix").contains(params.at("jobs").at("submit_kind").get<std::string>()))
    problems.push_back({path + ".jobs.submit_kind", "is not one of the kinds in mix"});
}
}  // namespace

ComponentType Client::type_description()
{
  std::vector<ParamSpec> step_fields = {
      number_param("at_s", "s", nullptr, "when the rate starts to change").at_least(0).required(),
      number_param("rate_per_s", "per s", nullptr, "the new rate (at most 10,000,000 per s)").at_least(0).at_most(max_rate_per_s).required(),
      number_param("ramp_s", "s", 0, "reach the new rate linearly over this long (0: at once)").at_least(0),
      number_param("for_s", "s", nullptr, "return to the earlier rate after this long (a spike)").above(0),
  };
  std::vector<ParamSpec> arrival_fields = {
      choice_param("process", {"poisson", "constant", "closed"}, "poisson",
                   "poisson: random arrivals at a rate; constant: evenly spaced; closed: users that wait for answers"),
      number_param("rate_per_s", "per s", nullptr, "requests per second (open loop; at most 10,000,000 per s)").at_least(0).at_most(max_rate_per_s),
      object_list_param("schedule", step_fields, "rate changes over time: steps, ramps and spikes"),
      integer_param("users", nullptr, "number of users (closed loop; at most 1,000,000)").at_least(1).at_most(max_users),
      distribution_param("think_time_ms", "ms", 0, "pause between an answer and the user's next request (closed loop)"),
  };
  std::vector<ParamSpec> job_fields = {
      text_param("submit_kind", "the request kind that submits a job").with_default("submit"),
      boolean_param("polls", true, "false: the client never asks for a job's status (it hears of the result another way, a notification say)"),
      text_param("status_kind", "the request kind that asks for a job's status").with_default("status"),
      number_param("first_poll_after_s", "s", 0, "wait before the first status request after the submit is accepted").at_least(0),
      number_param("poll_interval_s", "s", 5, "wait between an unfinished status answer and the next request").above(0),
      number_param("give_up_after_s", "s", nullptr, "stop polling this long after the submit (absent: poll for ever)").above(0),
  };
  std::vector<ParamSpec> params = {
      reference_param("target", Interaction::request, "the component requests are sent to").required(),
      operation_param("what each request asks of the target (request: an HTTP request; or one its type declares, e.g. a "
                      "stream's put_record); its arguments go beside it"),
      object_param("arrivals", arrival_fields, "how requests are generated").required(),
      number_map_param("mix", "", "request kinds and their relative weights, e.g. {\"read\": 9, \"write\": 1}").at_least(0),
      key_space_param("the item each request is about, drawn from this key space (absent: requests carry no key)"),
      integer_param("distinct_users", nullptr,
                    "open loop: the users behind the requests, each request's sender drawn at random among them, for per-user "
                    "limits (absent: nobody in particular; a closed-loop client's senders are its arrivals.users)")
          .at_least(1)
          .at_most(max_users)
          .absent_unless_given(),
      object_map_param("keys_by_kind", key_space_param("").fields, "per request kind of mix: its own key space (others use keys)")
          .absent_unless_given(),
  };
  for (auto& policy_field : call_policy_fields()) {
    if (policy_field.name == "timeout_ms")  // the client's own words: an attempt it gives up on counts as failed
      policy_field.meaning = "the client gives up waiting for an attempt after this long (counted as failed, or retried with retry)";
    params.push_back(std::move(policy_field));
  }
  params.push_back(object_param("jobs", job_fields,
                                "requests of submit_kind start a job; once accepted, the client polls with status_kind requests until it sees the job finished")
                       .absent_unless_given());
  params.push_back(live_param());
  return {
      .name = "client",
      .summary = "users sending requests to one target, open or closed loop; measures end-to-end latency",
      .aws_counterpart = "browsers, mobile apps or API consumers",
      .part_kind = PartKind::client,
      .params = params,
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Client>(setup); },
      .check = check_client,
      .operations = {},  // it only sends
      .reference_rules = {{"live.target", {"websocket"}}},
      .check_with_model = check_client_against_run,
      .fault_actions = {},
  };
}

Client::Client(const ComponentSetup& setup)
    : Component(setup, "client"),
      world_(setup.world),
      schedule_(schedule_from(setup.params.at("arrivals"))),
      arrivals_rng_(setup.world.rng(setup.id + "/arrivals")),
      think_rng_(setup.world.rng(setup.id + "/think")),
      mix_rng_(setup.world.rng(setup.id + "/mix")),
      keys_rng_(setup.world.rng(setup.id + "/keys")),
      users_rng_(setup.world.rng(setup.id + "/users"))
{
  distinct_users_ = setup.params.value("distinct_users", 0);
  if (setup.params.contains("keys"))
    keys_ = KeySpace::from_json(setup.params.at("keys"));
  auto keys_by_kind = setup.params.value("keys_by_kind", nlohmann::json::object());  // items() must not outlive it
  for (const auto& [kind, keys] : keys_by_kind.items())
    keys_by_kind_.emplace_back(setup.world.kind_id(kind), KeySpace::from_json(keys));
  const auto& arrivals = setup.params.at("arrivals");
  is_closed_loop_ = arrivals.at("process") == "closed";
  is_poisson_ = arrivals.at("process") == "poisson";
  users_ = arrivals.value("users", 0);
  think_time_s_ = setup.world.seconds_of(arrivals.at("think_time_ms"));
  // The client's own fields are its call: target, operation and its arguments, and the call policy
  // (the site reads what it knows and leaves the rest).
  call_site_ = setup.params;
  double cumulative = 0;
  auto mix = setup.params.value("mix", nlohmann::json::object());  // items() must not outlive it
  for (auto& [kind, weight] : mix.items()) {
    cumulative += weight.get<double>();
    mix_.emplace_back(setup.world.kind_id(kind), cumulative);
  }
  if (setup.params.contains("jobs")) {
    const auto& jobs = setup.params.at("jobs");
    JobPolling polling;
    polling.submit_kind = setup.world.kind_id(jobs.at("submit_kind").get<std::string>());
    polling.polls = jobs.at("polls").get<bool>();
    polling.status_kind = setup.world.kind_id(jobs.at("status_kind").get<std::string>());
    polling.first_poll_after_s = jobs.at("first_poll_after_s").get<double>();
    polling.poll_interval_s = jobs.at("poll_interval_s").get<double>();
    if (jobs.contains("give_up_after_s"))
      polling.give_up_after_s = jobs.at("give_up_after_s").get<double>();
    if (mix_.empty())
      mix_.emplace_back(polling.submit_kind, 1.0);
    jobs_ = polling;
  }
  if (setup.params.contains("live"))
    live_ = std::make_unique<LiveView>(setup.world, setup.id, setup.params.at("live"));
}

void Client::accept(const Call& call)
{
  call.caller->on_answer(call, Outcome::failed);
}

namespace {
// With only a timeout every request is one attempt and the client's own figures say it all; with
// retries (or a breaker, a bulkhead, a fallback) the attempts are shown as a service's calls are.
bool shows_attempts(const CallPolicy& policy) { return policy.retry || policy.circuit_breaker || policy.bulkhead || policy.fallback; }
}  // namespace

void Client::connect(World& world)
{
  site_ = &call_sites_.add(world, call_site_, id() + "/retry");
  site_->keep_latency(shows_attempts(site_->policy()));
  if (live_)
    live_->connect(world, call_sites_);
}

void Client::start(World&)
{
  if (live_)
    live_->start();
  if (is_closed_loop_) {
    for (int user = 1; user <= users_; ++user)
      clock().after(think_time_s_.sample(think_rng_), [this, user] { send(static_cast<std::uint32_t>(user)); });
  } else {
    schedule_next_arrival();
  }
}

void Client::schedule_next_arrival()
{
  next_arrival_s_ = is_poisson_ ? next_poisson_arrival(schedule_, next_arrival_s_, arrivals_rng_)
                                : next_constant_arrival(schedule_, next_arrival_s_);
  if (next_arrival_s_ != RateSchedule::NEVER)
    clock().at(next_arrival_s_, [this] {
      send(distinct_users_ > 0 ? 1 + static_cast<std::uint32_t>(users_rng_.uniform01() * distinct_users_) : 0);
      if (world_.control().may_send())
        schedule_next_arrival();
    });
}

std::uint16_t Client::pick_kind()
{
  if (mix_.empty())
    return 0;
  double draw = mix_rng_.uniform01() * mix_.back().second;
  for (const auto& [kind, cumulative] : mix_)
    if (draw < cumulative)
      return kind;
  return mix_.back().first;
}

void Client::send(std::uint32_t user)
{
  send_request(pick_kind(), 0, user);
}

void Client::send_request(std::uint16_t kind, std::uint64_t job, std::uint32_t user)
{
  auto& control = world_.control();
  if (!control.may_send())
    return;
  double now_s = clock().now();
  auto [ref, request] = world_.requests().take();
  request->self = ref;
  request->id = control.sent();
  request->sent_s = now_s;
  request->kind = kind;
  request->key = draw_key(kind);
  request->user = user;
  request->is_measured = control.on_send(now_s);
  if (jobs_ && kind == jobs_->submit_kind && job == 0)
    job = jobs_of(world_).create(now_s, request->is_measured);
  request->job = job;
  stats_.arrive(request->is_measured);
  stats_.busy.add(now_s, 1);
  site_->send(Call{request, this, 0, site_->operation()});
}

// The call site answers once, after every attempt and its retries. An attempt that reached
// timeout_ms has been given up on: its late answer goes to the call site, which ignores it.
void Client::on_answer(const Call& call, const Answer& answer)
{
  Request* request = call.request;
  if (site_->has_given_up_waiting() && request->is_measured)
    ++timed_out_;  // the client's own timeout; a gateway's 504 is an answer, counted as failed only
  done(request, answer);
  world_.requests().release(request->self);
}

std::uint64_t Client::draw_key(std::uint16_t kind)
{
  for (const auto& [keys_kind, keys] : keys_by_kind_)
    if (keys_kind == kind)
      return keys.draw(keys_rng_);
  return keys_ ? keys_->draw(keys_rng_) : 0;
}

void Client::done(Request* request, const Answer& answer)
{
  Outcome outcome = answer.outcome;
  double now_s = clock().now();
  stats_.busy.add(now_s, -1);
  if (outcome == Outcome::rejected)
    stats_.reject(request->is_measured);
  else
    stats_.finish(now_s - request->sent_s, outcome == Outcome::ok, request->is_measured);
  world_.control().on_done(now_s);
  if (jobs_ && request->job != 0)
    follow_job(*request, answer);
  if (is_closed_loop_ && world_.control().may_send())
    clock().after(think_time_s_.sample(think_rng_), [this, user = request->user] { send(user); });
}

// The browser's side of a job: after an accepted submit, poll its status until it is seen finished.
void Client::follow_job(const Request& request, const Answer& answer)
{
  Outcome outcome = answer.outcome;
  auto& jobs = jobs_of(world_);
  std::uint64_t job = request.job;
  bool is_submit = request.kind == jobs_->submit_kind;
  if (is_submit && outcome != Outcome::ok)
    return;  // the user saw an error: there is no id to poll
  if (is_submit)
    jobs.accepted(job);
  if (!jobs_->polls)
    return;
  if (!is_submit && outcome == Outcome::ok && is_finished(job_state_of(answer.item_state))) {
    jobs.seen_finished(job, clock().now());
    return;
  }
  if (!is_submit && jobs_->give_up_after_s && clock().now() - jobs.created_s(job) >= *jobs_->give_up_after_s) {
    jobs.given_up(job);
    return;
  }
  double wait_s = is_submit ? jobs_->first_poll_after_s : jobs_->poll_interval_s;
  clock().after(wait_s, [this, job, user = request.user] { send_request(jobs_->status_kind, job, user); });
}

void Client::add_summary(nlohmann::json& summary, double end_s) const
{
  summary["timed_out"] = timed_out_;
  if (live_)
    live_->add_summary(summary, end_s);
  if (shows_attempts(site_->policy()))
    summary["calls"] = call_sites_.summary();
}

}  // namespace archlab
