#include "sim/components/client/live_view.hpp"

#include "sim/core/call_policy.hpp"
#include "sim/core/component.hpp"
#include "sim/core/world.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

namespace {
constexpr double min_retry_ms = 1000;  // a page's own retry after an error, however eager its reconnects
}  // namespace

ParamSpec live_param()
{
  std::vector<ParamSpec> board_fields = {
      reference_param("target", Interaction::request, "where a browser downloads the whole board: the CDN, or the origin itself").required(),
      operation_param("what a download asks of its target (request for a CDN, a load balancer or a function)"),
  };
  for (auto& field : call_policy_fields())
    board_fields.push_back(std::move(field));
  std::vector<ParamSpec> catch_up_fields = {
      reference_param("target", Interaction::sync_call, "the component asked, e.g. the websocket servers, which keep recent updates").required(),
      operation_param("what a resync asks of it (resync for websocket servers)"),
  };
  for (auto& field : call_policy_fields())
    catch_up_fields.push_back(std::move(field));
  std::vector<ParamSpec> reconnect_fields = {
      number_param("base_ms", "ms", 0, "backoff base before a reconnect (0: at once, every browser of a lost server together); "
                                       "a refused connect or a failed download is tried again after a backoff from a base of at least 1 s")
          .at_least(0),
      number_param("cap_ms", "ms", 30000, "no wait is longer than this").at_least(0),
      choice_param("jitter", jitter_names(), "full", "how the wait is spread (full: random up to the exponential ceiling)"),
  };
  std::vector<ParamSpec> fields = {
      reference_param("target", Interaction::none, "the websocket servers the browsers hold a connection to (pushed to, never called)").required(),
      integer_param("connections", nullptr, "browsers holding a connection (one each)").at_least(1).at_most(1000000).required(),
      number_param("connect_over_s", "s", 60, "the browsers arrive evenly over this long from the start").at_least(0),
      distribution_param("connect_ms", "ms", 100, "a connect's handshake, from the attempt to the server holding it: TCP, TLS and the "
                                                "HTTP upgrade (assumption: three round trips of about 33 ms)"),
      number_param("reload_every_s", "s", nullptr, "each browser reloads the page (a full download) at random, this long apart on "
                                                  "average (absent: never)")
          .above(0),
      choice_param("resync", {"none", "sequence"}, "none",
                   "none: a lost update shows only at the next full download; sequence: updates are numbered, a gap is seen at the "
                   "next update (or in a downloaded board's number) and what was missed is asked for"),
      object_param("board", board_fields, "the full download (the page's load and reloads), under its call policy").required(),
      object_param("reconnect_board", board_fields,
                   "where the download after a reconnect goes, if not to the board's target (a reconnect handler that asks the API "
                   "for a fresh board, past the CDN)")
          .absent_unless_given(),
      object_param("catch_up", catch_up_fields,
                   "where a resync asks for the updates missed (absent: the board's target, with resync_kind); a failed one is "
                   "followed by a full download")
          .absent_unless_given(),
      text_param("board_kind", "the request kind of a download (CDN behaviours and handlers go by kind)").with_default("board"),
      integer_param("board_key", 0, "the key a download asks for: the board as one object, whose copies a write to that key makes "
                                    "stale (0: no key)")
          .at_least(0)
          .at_most(9007199254740991.0),
      text_param("resync_kind", "the request kind of a resync (sent to the board's target)").with_default("resync"),
      object_param("reconnect", reconnect_fields, "how long a browser waits before reconnecting, and before another try after a "
                                                 "refused connect or a failed download"),
  };
  return object_param("live", std::move(fields), "browsers holding websockets for live updates, with a copy of the board each")
      .absent_unless_given();
}

void SyncLedger::add(double since_s, double until_s)
{
  double counted_from_s = std::max(since_s, from_s);
  if (until_s > counted_from_s)
    out_of_sync_s += until_s - counted_from_s;
}

LiveView::LiveView(World& world, const std::string& owner_id, const nlohmann::json& live)
    : world_(world),
      clock_(world.scheduler()),
      board_site_(live.at("board")),
      reconnect_board_site_json_(live.value("reconnect_board", nlohmann::json())),
      catch_up_site_json_(live.value("catch_up", nlohmann::json())),
      target_id_(live.at("target").get<std::string>()),
      browsers_(live.at("connections").get<std::size_t>()),
      connect_over_s_(live.at("connect_over_s").get<double>()),
      connect_s_(world.seconds_of(live.at("connect_ms"))),
      resyncs_(live.at("resync") == "sequence"),
      board_kind_(world.kind_id(live.at("board_kind").get<std::string>())),
      resync_kind_(world.kind_id(live.at("resync_kind").get<std::string>())),
      board_key_(live.at("board_key").get<std::uint64_t>()),
      rng_(world.rng(owner_id + "/live"))
{
  if (live.contains("reload_every_s"))
    reload_every_s_ = live.at("reload_every_s").get<double>();
  const auto& reconnect = live.at("reconnect");
  reconnect_.base_ms = reconnect.at("base_ms").get<double>();
  reconnect_.cap_ms = reconnect.at("cap_ms").get<double>();
  reconnect_.jitter = *jitter_from_name(reconnect.at("jitter").get<std::string>());
  ledger_.from_s = world.model().run.warmup_s;
}

void LiveView::connect(World& world, CallSites& sites)
{
  channel_ = dynamic_cast<LiveChannel*>(&world.component(target_id_));
  site_ = &sites.add(world, board_site_, target_id_ + "/live-board");
  reconnect_site_ = reconnect_board_site_json_.is_null() ? site_ : &sites.add(world, reconnect_board_site_json_, target_id_ + "/live-reconnect-board");
  catch_up_site_ = catch_up_site_json_.is_null() ? site_ : &sites.add(world, catch_up_site_json_, target_id_ + "/live-catch-up");
}

void LiveView::start()
{
  for (std::uint32_t i = 0; i < browsers_.size(); ++i) {
    double at_s = connect_over_s_ * (static_cast<double>(i) + rng_.uniform01()) / static_cast<double>(browsers_.size());
    clock_.at(at_s, [this, i] { try_open(i); });
    if (reload_every_s_)
      clock_.at(at_s, [this, i] { schedule_reload(i); });
  }
}

bool LiveView::is_measuring() const { return clock_.now() >= ledger_.from_s; }

void LiveView::out_of_sync(Browser& browser, double now_s)
{
  if (browser.has_board && browser.out_since_s < 0)
    browser.out_since_s = now_s;
}

void LiveView::in_sync(Browser& browser, double now_s)
{
  if (browser.out_since_s >= 0)
    ledger_.add(browser.out_since_s, now_s);
  browser.out_since_s = -1;
  browser.has_gap = false;
  browser.has_given_up_resync = false;
}

// A connect takes its handshake's time (TCP, TLS, the HTTP upgrade) before the server has it.
void LiveView::try_open(std::uint32_t index)
{
  if (browsers_[index].is_open || !world_.control().may_send())
    return;
  clock_.after(connect_s_.sample(rng_), [this, index] { open_now(index); });
}

void LiveView::open_now(std::uint32_t index)
{
  Browser& browser = browsers_[index];
  if (browser.is_open || !world_.control().may_send())
    return;
  if (!channel_ || !channel_->open(*this, index)) {
    connects_refused_ += is_measuring();
    retry_later(index, &LiveView::try_open);
    return;
  }
  browser.is_open = true;
  browser.attempts = 0;
  load_board(index);
}

void LiveView::retry_later(std::uint32_t index, void (LiveView::*step)(std::uint32_t))
{
  Browser& browser = browsers_[index];
  BackoffSettings after_failure = reconnect_;
  after_failure.base_ms = std::max(after_failure.base_ms, min_retry_ms);
  double wait_ms = backoff_delay_ms(after_failure, browser.attempts, 0, rng_.uniform01());
  browser.attempts = static_cast<std::uint16_t>(std::min<int>(browser.attempts + 1, 30));
  clock_.after(wait_ms / 1000, [this, index, step] { (this->*step)(index); });
}

void LiveView::schedule_reload(std::uint32_t index)
{
  double wait_s = -std::log1p(-rng_.uniform01()) * *reload_every_s_;
  clock_.after(wait_s, [this, index] {
    if (!world_.control().may_send())
      return;
    if (browsers_[index].is_open)
      load_board(index);
    schedule_reload(index);
  });
}

void LiveView::load_board(std::uint32_t index)
{
  Browser& browser = browsers_[index];
  if (browser.is_loading || !world_.control().may_send())
    return;
  browser.is_loading = true;
  send(index, board_kind_, board_key_, browser.is_reconnecting ? reconnect_site_ : site_, false);
}

void LiveView::ask_resync(std::uint32_t index)
{
  Browser& browser = browsers_[index];
  if (browser.is_resyncing || browser.is_loading || !world_.control().may_send())
    return;
  browser.is_resyncing = true;
  browser.resync_up_to = last_sequence_;
  resyncs_sent_ += is_measuring();
  send(index, resync_kind_, browser.missed_sequence + 1, catch_up_site_, true);
}

void LiveView::send(std::uint32_t index, std::uint16_t kind, std::uint64_t key, CallSite* site, bool is_resync)
{
  auto& control = world_.control();
  double now_s = clock_.now();
  auto [ref, request] = world_.requests().take();
  request->self = ref;
  request->id = control.sent();
  request->sent_s = now_s;
  request->kind = kind;
  request->key = key;
  request->user = index + 1;  // one browser, one user: it keeps to its CDN edge location
  request->is_measured = control.on_send(now_s);
  std::uint64_t tag = (static_cast<std::uint64_t>(is_resync) << 32) | index;
  site->send(Call{request, this, tag, site->operation()});
}

void LiveView::on_answer(const Call& call, const Answer& answer)
{
  double now_s = clock_.now();
  Request* request = call.request;
  auto index = static_cast<std::uint32_t>(call.tag & 0xFFFFFFFFu);
  bool is_resync = (call.tag >> 32) != 0;
  bool is_ok = answer.outcome == Outcome::ok;
  bool is_measured = request->is_measured;
  double latency_s = now_s - request->sent_s;
  world_.control().on_done(now_s);
  world_.requests().release(request->self);
  Browser& browser = browsers_[index];
  if (is_resync) {
    browser.is_resyncing = false;
    if (is_ok && browser.missed_sequence <= browser.resync_up_to)
      in_sync(browser, now_s);
    else if (!is_ok && browser.is_open) {
      browser.has_given_up_resync = true;  // what was missed is gone: take the whole board as it comes
      load_board(index);
    }
    else if (browser.has_gap)
      gapped_.push_back(index);  // lost another meanwhile: the next update shows the gap again
    return;
  }
  browser.is_loading = false;
  if (is_measured) {
    ++board_loads_;
    board_loads_failed_ += !is_ok;
    if (is_ok)
      board_load_s_.record(latency_s);
  }
  if (!is_ok) {
    out_of_sync(browser, now_s);
    if (browser.is_open)
      retry_later(index, &LiveView::load_board);
    return;
  }
  browser.attempts = 0;
  browser.has_board = true;
  browser.is_reconnecting = false;
  // The copy shows the board as it was age_s ago: an update published since and delivered before
  // now has been overwritten by it.
  bool is_stale = last_delivered_published_s_ > now_s - static_cast<double>(answer.age_s);
  if (!is_stale) {
    in_sync(browser, now_s);
    return;
  }
  stale_boards_ += is_measured;
  out_of_sync(browser, now_s);
  if (resyncs_ && !browser.has_given_up_resync) {
    browser.missed_sequence = last_sequence_;
    browser.has_gap = true;
    ask_resync(index);
  }
}

void LiveView::on_update(std::uint64_t sequence, double published_s)
{
  double now_s = clock_.now();
  last_sequence_ = std::max(last_sequence_, sequence);
  last_delivered_published_s_ = std::max(last_delivered_published_s_, published_s);
  for (auto index : unmarked_)
    if (!browsers_[index].is_open)
      out_of_sync(browsers_[index], now_s);
  unmarked_.clear();
  if (!resyncs_ || gapped_.empty())
    return;
  std::vector<std::uint32_t> waiting;
  for (auto index : gapped_) {
    Browser& browser = browsers_[index];
    if (!browser.has_gap)
      continue;
    if (browser.is_open && browser.missed_sequence < sequence)
      ask_resync(index);
    else
      waiting.push_back(index);
  }
  gapped_.swap(waiting);
}

void LiveView::on_missed(std::uint32_t connection, std::uint64_t sequence)
{
  Browser& browser = browsers_[connection];
  if (!browser.is_open)
    return;
  missed_ += is_measuring();
  out_of_sync(browser, clock_.now());
  browser.missed_sequence = std::max(browser.missed_sequence, sequence);
  if (resyncs_ && !browser.has_gap) {
    browser.has_gap = true;
    gapped_.push_back(connection);
  }
}

void LiveView::on_disconnected(std::uint32_t connection)
{
  Browser& browser = browsers_[connection];
  if (!browser.is_open)
    return;
  browser.is_open = false;
  browser.is_reconnecting = true;
  disconnects_ += is_measuring();
  if (browser.out_since_s < 0)
    unmarked_.push_back(connection);
  // Scheduled even when the wait is 0, so that the server is done closing before anyone reconnects.
  double wait_ms = backoff_delay_ms(reconnect_, 0, 0, rng_.uniform01());
  browser.attempts = 1;
  clock_.after(wait_ms / 1000, [this, connection] { try_open(connection); });
}

void LiveView::add_summary(nlohmann::json& summary, double end_s) const
{
  SyncLedger ledger = ledger_;
  for (const auto& browser : browsers_)
    if (browser.out_since_s >= 0)
      ledger.add(browser.out_since_s, end_s);
  double browser_s = static_cast<double>(browsers_.size()) * std::max(end_s - ledger_.from_s, 1e-9);
  std::size_t open = 0;
  for (const auto& browser : browsers_)
    open += browser.is_open;
  summary["out_of_sync_fraction"] = ledger.out_of_sync_s / browser_s;
  summary["connections_open"] = open;
  summary["board_loads"] = board_loads_;
  summary["board_loads_failed"] = board_loads_failed_;
  summary["board_load_s"] = {{"mean", board_load_s_.mean()}, {"p50", board_load_s_.percentile(0.5)}, {"p99", board_load_s_.percentile(0.99)}};
  summary["stale_boards"] = stale_boards_;
  summary["missed_updates"] = missed_;
  summary["resyncs"] = resyncs_sent_;
  summary["disconnects"] = disconnects_;
  summary["connects_refused"] = connects_refused_;
}

}  // namespace archlab
