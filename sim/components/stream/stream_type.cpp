// The stream's parameters: Firehose's buffering hints, its record size, its transform and its destination.
#include "sim/components/stream/stream.hpp"

namespace archlab {

ComponentType Stream::type_description()
{
  return {
      .name = "stream",
      .summary = "a delivery stream: records buffered until a size or an interval is reached, optionally transformed by a "
                 "function, then written to a bucket as one object per flush",
      .aws_counterpart = "Amazon Data Firehose stream to Amazon S3 (Direct PUT)",
      .part_kind = PartKind::stream,
      .params =
          {
              reference_param("destination", Interaction::sync_call, "the bucket each flush is written to (one object per flush)").calling("put").required(),
              number_param("buffer_size_mib", "MiB", 5, "flush when the buffer holds this much (AWS BufferingHints.SizeInMBs: 1..128, default 5)")
                  .at_least(1)
                  .at_most(128),
              number_param("buffer_interval_s", "s", 300,
                           "flush this long after the buffer's first record, if the size is not reached first (AWS IntervalInSeconds: 0..900, "
                           "default 300; 0: every record at once)").at_least(0).at_most(900),
              integer_param("record_size_bytes", 500, "size of a record whose PutRecord gives none (assumption: a click event of about 500 B; "
                                                      "AWS: at most 1,000 KiB; at least 100 B here, so a full buffer holds at most 1.3 million records)")
                  .at_least(100)
                  .at_most(1024000),
              reference_param("transform", Interaction::sync_call,
                              "a function invoked synchronously with each batch buffered for it; what it returns is buffered for the destination (absent: records go straight to the destination's buffer)"),
              number_param("transform_buffer_mib", "MiB", 1,
                           "with a transform: the function is invoked when this much is buffered for it (AWS processor BufferSizeInMBs: "
                           "0.2..3, default 1)").at_least(0.2).at_most(3),
              number_param("transform_interval_s", "s", 60,
                           "with a transform: or this long after the first record buffered for it (AWS processor IntervalInSeconds: "
                           "0..900, default 60)").at_least(0).at_most(900),
              integer_param("transform_retries", 3, "further invocations of a batch whose transform failed before its records go to the error "
                                                    "output (AWS NumberOfRetries: 0..300, default 3)").at_least(0).at_most(300),
              number_param("delivery_retry_interval_s", "s", 5,
                           "wait before writing a flush again after the bucket failed it (assumption; AWS keeps retrying S3 for up to 24 h)")
                  .above(0),
              distribution_param("api_latency_ms", "ms", nlohmann::json{{"dist", "lognormal"}, {"mean", 15}, {"cv", 0.5}},
                                 "time a PutRecord takes, from the sender's side (assumption: AWS gives no figure)"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<Stream>(setup); },
      .check = {},
      .operations = {{.name = "put_record", .meaning = "PutRecord: answered after the API latency; the record joins the buffer",
                      .is_one_way = false, .arguments = {}, .read_arguments = {}}},
      .reference_rules = {{"destination", {"bucket"}}, {"transform", {"function"}}},
      .check_with_model = {},
      .fault_actions = {},
      .is_managed_multi_zone = true,
      .signals = {{"records_buffered", "records", SignalKind::gauge, "records waiting in the buffer"},
                  {"data_freshness_s", "s", SignalKind::gauge, "DeliveryToS3.DataFreshness: the age of the oldest record not yet in S3"},
                  {"records_delivered", "records", SignalKind::counter, "DeliveryToS3.Records"}},
      .callers_default_retry = {},
  };
}

}  // namespace archlab
