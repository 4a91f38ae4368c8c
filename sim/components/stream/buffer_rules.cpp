#include "sim/components/stream/buffer_rules.hpp"

#include <algorithm>
#include <cmath>

namespace archlab {

bool is_full(const BufferHints& hints, double buffered_bytes) { return buffered_bytes >= hints.size_bytes; }

double billed_bytes(double record_bytes) { return std::max(1.0, std::ceil(record_bytes / billing_record_bytes)) * billing_record_bytes; }

}  // namespace archlab
