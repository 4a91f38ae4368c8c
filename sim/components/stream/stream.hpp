// Stream: an Amazon Data Firehose stream delivering to an S3 bucket. A PutRecord is answered after
// the API latency and its record joins a buffer, which is flushed when it holds its size hint or
// its interval after its first record, whichever comes first (when the interval starts is an
// assumption: AWS does not say). Without a transform there is one buffer, the destination's
// (buffer_size_mib, buffer_interval_s), and each flush is one object in the bucket. With a transform
// the records are first buffered for the function (transform_buffer_mib, transform_interval_s),
// which is invoked synchronously with each batch and retried transform_retries times; a batch it
// transformed joins the destination's buffer, and one whose invocations all failed goes to the
// bucket at once as an error object (request kind `processing_failed`, which the bucket's
// object_keys can name). A failed S3 put is written again every delivery_retry_interval_s, as
// Firehose keeps retrying S3.
//
// A record's delivery delay runs from its PutRecord's answer to the answer of the put that stored
// it. Figures are lifetime counts, warm-up included, like the bill.
#pragma once

#include "sim/components/stream/buffer_rules.hpp"
#include "sim/core/component.hpp"
#include "sim/core/distribution.hpp"
#include "sim/core/random.hpp"
#include "sim/core/registry.hpp"
#include "sim/metrics/histogram.hpp"

#include <deque>
#include <vector>

namespace archlab {

class Stream final : public Component, public Caller {
public:
  explicit Stream(const ComponentSetup& setup);
  static ComponentType type_description();

  void accept(const Call& call) override;
  void connect(World& world) override;
  void on_answer(const Call& call, const Answer& answer) override;
  void add_summary(nlohmann::json& summary, double end_s) const override;
  std::optional<double> signal(std::string_view name) const override;
  void add_billing(std::vector<BillingLine>& billing, double end_s) const override;

private:
  struct Records {
    std::vector<double> joined_s;  // each record's PutRecord answer
    std::vector<std::uint32_t> bytes;
    double total_bytes = 0;
    std::size_t size() const { return joined_s.size(); }
  };
  struct Stage {  // a buffer and its hints: the transform's or the destination's
    BufferHints hints;
    Records records;
    EventId interval_timer;
  };
  enum class Step { transform, put, error_put };
  struct Batch {  // records on their way: being transformed or written
    Step step = Step::put;
    Records records;
    int attempts = 0;
    Request request;
  };

  void join(Stage& stage, double joined_s, std::uint32_t bytes);
  void flush(Stage& stage);
  void send(std::uint32_t slot);
  void transformed(std::uint32_t slot, bool is_ok);
  void written(std::uint32_t slot, bool is_ok);
  std::uint32_t new_batch(Step step, Records records);

  World& world_;
  const nlohmann::json& params_;
  Stage transform_stage_;
  Stage destination_stage_;
  int transform_retries_;
  double retry_interval_s_;
  std::uint32_t default_record_bytes_;
  std::uint16_t failed_kind_;
  Distribution api_latency_s_;
  Rng latency_rng_;
  CallSite* destination_ = nullptr;
  CallSite* transform_ = nullptr;
  std::deque<Batch> batches_;
  std::vector<std::uint32_t> free_batches_;
  std::uint64_t batch_number_ = 0;
  std::uint64_t records_in_ = 0;
  double billed_bytes_ = 0;
  std::uint64_t flushes_ = 0;               // destination flushes: one S3 object each
  std::uint64_t records_flushed_ = 0;
  std::uint64_t records_delivered_ = 0;
  std::uint64_t records_failed_ = 0;
  std::uint64_t records_in_flight_ = 0;     // in a batch, being transformed or written
  std::uint64_t transform_invocations_ = 0;
  std::uint64_t transform_failures_ = 0;
  std::uint64_t put_retries_ = 0;
  Histogram delivery_delay_s_{64};
  bool has_logged_transform_failure_ = false;
};

}  // namespace archlab
