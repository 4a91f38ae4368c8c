// The browsers' side of live updates (core/live_updates.hpp): `connections` browsers, each holding a
// websocket to the `live.target` servers and a copy of the board. A browser downloads the whole board
// when it connects (and at each reload of the page); a download answered from a cache shows the board
// as it was `age_s` ago, and if an update it had already been sent came after that, the download has
// overwritten it. A lost message leaves it behind too. With `resync: sequence`, updates carry sequence
// numbers: the browser sees the gap at the next update (or in the board's number) and asks for what
// it missed; without, it stays out of sync until its next full download. A browser whose server goes
// away reconnects after a backoff (none: at once, all together) and downloads the board again (from
// `reconnect_board`, if its reconnect handler asks elsewhere).
// Figures: the share of browser-time out of sync, downloads and their latency, reconnects, resyncs.
#pragma once

#include "sim/core/call_site.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/live_updates.hpp"
#include "sim/core/parameters.hpp"
#include "sim/core/random.hpp"
#include "sim/metrics/histogram.hpp"
#include "sim/resilience/backoff.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace archlab {

class World;
class Scheduler;

ParamSpec live_param();  // the client's `live` section

// Browser-seconds out of sync, counted from `from_s` on (the warm-up's end).
struct SyncLedger {
  double from_s = 0;
  double out_of_sync_s = 0;
  void add(double since_s, double until_s);
};

class LiveView final : public LiveViewer, public Caller {
public:
  LiveView(World& world, const std::string& owner_id, const nlohmann::json& live);
  void connect(World& world, CallSites& sites);
  void start();
  void add_summary(nlohmann::json& summary, double end_s) const;

  void on_update(std::uint64_t sequence, double published_s) override;
  void on_missed(std::uint32_t connection, std::uint64_t sequence) override;
  void on_disconnected(std::uint32_t connection) override;
  void on_answer(const Call& call, const Answer& answer) override;

private:
  struct Browser {
    double out_since_s = -1;  // < 0: in sync
    std::uint64_t missed_sequence = 0;
    std::uint64_t resync_up_to = 0;  // the newest update when its resync was asked for
    std::uint16_t attempts = 0;      // connects or downloads failed in a row
    bool is_open = false;
    bool has_board = false;
    bool is_loading = false;
    bool is_resyncing = false;
    bool has_gap = false;
    bool is_reconnecting = false;      // lost its connection: its next download is the reconnect's
    bool has_given_up_resync = false;  // a resync failed: the next board is taken as it comes
  };

  void try_open(std::uint32_t index);
  void open_now(std::uint32_t index);
  void load_board(std::uint32_t index);
  void ask_resync(std::uint32_t index);
  void send(std::uint32_t index, std::uint16_t kind, std::uint64_t key, CallSite* site, bool is_resync);
  void retry_later(std::uint32_t index, void (LiveView::*step)(std::uint32_t));
  void schedule_reload(std::uint32_t index);
  void out_of_sync(Browser& browser, double now_s);
  void in_sync(Browser& browser, double now_s);
  bool is_measuring() const;

  World& world_;
  Scheduler& clock_;
  nlohmann::json board_site_;
  nlohmann::json reconnect_board_site_json_;  // null: downloads after a reconnect go to the board's site
  nlohmann::json catch_up_site_json_;         // null: resyncs go to the board's site
  std::string target_id_;
  LiveChannel* channel_ = nullptr;
  CallSite* site_ = nullptr;           // full downloads
  CallSite* reconnect_site_ = nullptr;  // downloads after a reconnect
  CallSite* catch_up_site_ = nullptr;   // resyncs
  std::vector<Browser> browsers_;
  double connect_over_s_;
  Distribution connect_s_;
  std::optional<double> reload_every_s_;
  bool resyncs_;
  BackoffSettings reconnect_;
  std::uint16_t board_kind_;
  std::uint16_t resync_kind_;
  std::uint64_t board_key_;  // the whole board is one object (no pixel's key)
  Rng rng_;

  std::uint64_t last_sequence_ = 0;
  double last_delivered_published_s_ = -1;  // when the newest update delivered was published
  std::vector<std::uint32_t> unmarked_;     // disconnected in sync: out of sync from the next update
  std::vector<std::uint32_t> gapped_;       // lost an update: the next one shows the gap (resync)

  SyncLedger ledger_;
  std::uint64_t board_loads_ = 0;
  std::uint64_t board_loads_failed_ = 0;
  std::uint64_t stale_boards_ = 0;
  std::uint64_t resyncs_sent_ = 0;
  std::uint64_t missed_ = 0;
  std::uint64_t disconnects_ = 0;
  std::uint64_t connects_refused_ = 0;
  Histogram board_load_s_{64};
};

}  // namespace archlab
