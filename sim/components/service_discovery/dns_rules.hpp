// The decisions of DNS-based service discovery (Cloud Map), apart from any component: which
// registered tasks one DNS answer holds, when a caller's cached answer is stale, and where a call
// goes through a cached answer whose addresses may no longer have a task behind them.
#pragma once

#include "sim/core/random.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace archlab {

// Route 53 multivalue answer routing (what Cloud Map creates for an ECS service's A records):
// up to `max_records` of the `registered` healthy records, chosen at random, in random order.
// Returns indexes into the registered list.
std::vector<std::size_t> dns_answer(std::size_t registered, std::size_t max_records, Rng& rng);

// How long a caller keeps an answer: its own cache time when its client has one (libcurl keeps
// names 60 s whatever the TTL), else the record's TTL, which the VPC resolver honours.
double answer_lifetime_s(double ttl_s, std::optional<double> client_cache_s);

// Where one call goes through a cached answer. `is_stale[i]`: no task holds address i any more (a
// connection to it is never answered: nothing in the VPC owns that IP). Starting at `first`, a stale
// address costs a connect timeout; a client that tries the next address moves on around the answer,
// one that does not fails there.
struct AddressRoute {
  std::optional<std::size_t> address;  // the live address the call is sent to; none: it fails
  double delay_s = 0;                  // connect timeouts spent on stale addresses first
  int stale_addresses_tried = 0;
};
AddressRoute route_through_answer(const std::vector<bool>& is_stale, std::size_t first, bool tries_next_address,
                                  double connect_timeout_s);

}  // namespace archlab
