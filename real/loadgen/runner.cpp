#include "runner.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <queue>
#include <stdexcept>
#include <unordered_map>

namespace archlab::loadgen {

namespace {

using Clock = std::chrono::steady_clock;

enum class Kind { submit, status, verify };
struct Request {
  std::size_t job;
  Kind kind;
};
struct Timer {  // a status poll due at at_s
  double at_s;
  std::size_t job;
  bool operator>(const Timer& other) const { return at_s > other.at_s; }
};
struct Transfer {
  Request request;
  std::string response;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user)
{
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

class Runner {
public:
  Runner(const Options& options, const std::vector<double>& schedule_s)
      : options_(options), schedule_s_(schedule_s), ids_(schedule_s.size())
  {
    submit_body_ = nlohmann::json{{"code", options.code}}.dump();
    result_.jobs.resize(schedule_s.size());
    for (std::size_t i = 0; i < schedule_s.size(); ++i)
      result_.jobs[i].scheduled_s = schedule_s[i];
    multi_ = curl_multi_init();
    if (!multi_)
      throw std::runtime_error("curl_multi_init failed");
    // Keep-alive connections up to the in-flight bound, like a browser
    // population behind one NAT would not; it is the API we measure.
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(options.max_connections));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options.max_connections));
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Accept: application/json");
    headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  }
  ~Runner()
  {
    for (auto& [easy, transfer] : in_flight_) {
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
    }
    curl_multi_cleanup(multi_);
    curl_slist_free_all(headers_);
  }
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  RunResult run(const std::function<void()>& on_load_done)
  {
    start_ = Clock::now();
    result_.observed.started_at_unix_s =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    // Hard bound: the last job may submit at duration_s and be polled until
    // give_up_s later; one more request timeout and a margin, then we stop.
    loop(options_.duration_s + options_.give_up_s + options_.request_timeout_s + 5);
    abandon();  // whatever the bound cut off stays unfinished
    if (on_load_done)
      on_load_done();
    if (options_.verify)
      verify();
    result_.observed.wall_s = now_s();
    if (!schedule_s_.empty())
      result_.observed.mean_submit_lag_s = lag_sum_s_ / static_cast<double>(schedule_s_.size());
    return std::move(result_);
  }

private:
  double now_s() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  bool is_idle() const
  {
    return next_submit_ >= schedule_s_.size() && timers_.empty() && ready_.empty() && in_flight_.empty();
  }

  void loop(double deadline_s)
  {
    double next_progress_s = 1;
    while (!is_idle() && now_s() < deadline_s) {
      double now = now_s();
      // Due submissions first (open loop: their time is fixed), then due polls.
      while (next_submit_ < schedule_s_.size() && schedule_s_[next_submit_] <= now)
        ready_.push_back({next_submit_++, Kind::submit});
      while (!timers_.empty() && timers_.top().at_s <= now) {
        ready_.push_back({timers_.top().job, Kind::status});
        timers_.pop();
      }
      while (!ready_.empty() && in_flight_.size() < static_cast<std::size_t>(options_.max_connections)) {
        start(ready_.front());
        ready_.pop_front();
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      int left = 0;
      while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
        if (message->msg == CURLMSG_DONE)
          finish(message->easy_handle, message->data.result);
      }
      if (options_.progress && now >= next_progress_s) {
        next_progress_s += 1;
        std::fprintf(stderr, "loadgen t=%.0fs submitted=%zu finished=%zu in_flight=%zu waiting=%zu\n", now,
                     next_submit_, finished_, in_flight_.size(), ready_.size());
      }
      // Sleep until a socket is ready or the next timer, at most 50 ms.
      double wake_s = now + 0.05;
      if (next_submit_ < schedule_s_.size())
        wake_s = std::min(wake_s, schedule_s_[next_submit_]);
      if (!timers_.empty())
        wake_s = std::min(wake_s, timers_.top().at_s);
      bool can_start = !ready_.empty() && in_flight_.size() < static_cast<std::size_t>(options_.max_connections);
      int timeout_ms = can_start ? 0 : std::max(0, static_cast<int>((wake_s - now_s()) * 1000));
      curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
    }
  }

  void start(const Request& request)
  {
    CURL* easy = curl_easy_init();
    if (!easy)
      throw std::runtime_error("curl_easy_init failed");
    auto transfer = std::make_unique<Transfer>(Transfer{request, {}});
    std::string url = options_.url;
    if (request.kind == Kind::submit) {
      url += "/submit-code";
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, submit_body_.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(submit_body_.size()));
      ++result_.http.submit_requests;
      double lag_s = std::max(0.0, now_s() - schedule_s_[request.job]);
      lag_sum_s_ += lag_s;
      result_.observed.max_submit_lag_s = std::max(result_.observed.max_submit_lag_s, lag_s);
    } else {
      url += status_path(ids_[request.job]);
      ++(request.kind == Kind::status ? result_.http.status_requests : result_.http.verify_requests);
    }
    auto timeout_ms = static_cast<long>(options_.request_timeout_s * 1000);
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 5000L));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer->response);
    curl_multi_add_handle(multi_, easy);
    in_flight_.emplace(easy, std::move(transfer));
  }

  void finish(CURL* easy, CURLcode code)
  {
    long http_status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &http_status);
    curl_multi_remove_handle(multi_, easy);
    curl_easy_cleanup(easy);
    auto found = in_flight_.find(easy);
    auto transfer = std::move(found->second);
    in_flight_.erase(found);
    bool is_answer = code == CURLE_OK;
    if (is_answer)
      ++result_.http.status_counts[http_status];
    else
      ++result_.http.transport_errors;
    const auto& request = transfer->request;
    auto& job = result_.jobs[request.job];
    if (request.kind == Kind::submit) {
      std::optional<std::string> id;
      if (is_answer && http_status >= 200 && http_status < 300) {
        id = parse_submit_answer(transfer->response);
        result_.http.bad_bodies += id ? 0 : 1;
      }
      if (!id) {  // the client saw an error: open loop does not retry
        job.end = JobEnd::submit_error;
        ++finished_;
        return;
      }
      ids_[request.job] = *id;
      schedule_poll(request.job);
      return;
    }
    std::optional<StatusDocument> document;
    if (is_answer && http_status == 200) {
      document = parse_status_document(transfer->response);
      result_.http.bad_bodies += document ? 0 : 1;
    }
    if (request.kind == Kind::verify) {
      check_unchanged(job, document);
      return;
    }
    if (document && is_final(document->status)) {
      job.end = document->status == Status::executed ? JobEnd::completed : JobEnd::failed;
      job.seen_s = now_s();
      job.final_document = std::move(document);
      ++finished_;
      return;
    }
    // Pending, 404 (not readable yet), 5xx or a transport error: poll again.
    schedule_poll(request.job);
  }

  void schedule_poll(std::size_t job)
  {
    double at_s = now_s() + options_.poll_interval_s;
    if (at_s > schedule_s_[job] + options_.give_up_s) {
      ++finished_;  // given up: stays unfinished
      return;
    }
    timers_.push({at_s, job});
  }

  void abandon()
  {
    for (auto& [easy, transfer] : in_flight_) {
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
    }
    in_flight_.clear();
    ready_.clear();
    timers_ = {};
    next_submit_ = schedule_s_.size();
  }

  void verify()
  {
    VerifyCounts counts;
    std::size_t count = 0;
    for (std::size_t i = 0; i < result_.jobs.size(); ++i) {
      if (result_.jobs[i].final_document) {
        ready_.push_back({i, Kind::verify});
        ++count;
      }
    }
    counts.checked = count;
    result_.verify = counts;
    double batches = static_cast<double>(count) / options_.max_connections + 1;
    loop(now_s() + options_.request_timeout_s * batches + 5);
    result_.verify->errors += ready_.size() + in_flight_.size();  // cut off by the bound
    abandon();
  }

  void check_unchanged(const JobOutcome& job, const std::optional<StatusDocument>& document)
  {
    auto& counts = *result_.verify;
    if (!document) {
      ++counts.errors;
      return;
    }
    const auto& first = *job.final_document;
    bool is_same = document->status == first.status && document->result == first.result &&
                   document->finished_at_ms == first.finished_at_ms;
    ++(is_same ? counts.unchanged : counts.changed);
  }

  const Options& options_;
  const std::vector<double>& schedule_s_;
  std::vector<std::string> ids_;
  std::string submit_body_;
  RunResult result_;
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;
  Clock::time_point start_;
  std::size_t next_submit_ = 0;
  std::size_t finished_ = 0;
  double lag_sum_s_ = 0;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::deque<Request> ready_;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> in_flight_;
};

}  // namespace

RunResult run_load(const Options& options, const std::vector<double>& schedule_s,
                   const std::function<void()>& on_load_done)
{
  Runner runner(options, schedule_s);
  return runner.run(on_load_done);
}

}  // namespace archlab::loadgen
