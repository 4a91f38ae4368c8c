// The decisions of an instance pool (instance_pool.hpp), pure: where an instance is placed, which
// one scale-in retires. Kept apart so they are tested without a World.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace archlab {

// Where an instance is in its life. Hung is a flag beside it: a running instance may also be frozen.
enum class Life : std::uint8_t {
  in_service,  // takes work
  retiring,    // scale-in chose it: finishes what it holds, takes nothing new
  down,        // killed (or cut off with its zone) outside a group: a recovery brings it back
  terminated,  // gone for good: retired, or killed in a group (which launches a replacement)
};

// The instances there from the start are spread over the zones in turn.
std::string initial_zone(const std::vector<std::string>& zones, std::size_t index);

// EC2 Auto Scaling launches into the zone with the fewest InService instances, avoiding zones that
// are down (if every zone is down, the fewest among them); ties go to the zone listed first.
// `in_service_zones` holds the zone of each InService instance.
std::string launch_zone(const std::vector<std::string>& zones, const std::set<std::string>& zones_down,
                        const std::vector<std::string>& in_service_zones);

// Scale-in retires the newest instance still in service (lives in launch order); none if none is.
std::optional<std::size_t> instance_to_retire(const std::vector<Life>& lives);

}  // namespace archlab
