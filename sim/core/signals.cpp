#include "sim/core/signals.hpp"

namespace archlab {

const char* signal_kind_name(SignalKind kind)
{
  switch (kind) {
  case SignalKind::counter: return "counter";
  case SignalKind::gauge: return "gauge";
  case SignalKind::distribution: return "distribution";
  }
  return "?";
}

const std::vector<SignalSpec>& standard_signals()
{
  static const std::vector<SignalSpec> signals = {
      {"arrivals", "requests", SignalKind::counter, "requests that arrived"},
      {"completed", "requests", SignalKind::counter, "requests answered ok"},
      {"rejected", "requests", SignalKind::counter, "requests refused at the door (full line, throttled)"},
      {"failed", "requests", SignalKind::counter, "requests that failed"},
      {"in_flight", "requests", SignalKind::gauge, "requests in progress or waiting"},
      {"queue_length", "requests", SignalKind::gauge, "requests waiting for a worker"},
      {"busy", "workers", SignalKind::gauge, "workers (slots) busy"},
      {"capacity", "workers", SignalKind::gauge, "workers (slots) alive"},
      {"latency_p99", "ms", SignalKind::distribution, "99th percentile of the latency since the last sample"},
  };
  return signals;
}

}  // namespace archlab
