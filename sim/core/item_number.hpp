// Which item a request names in a store that keeps items by number (a bucket's object, a
// document): its key when its client draws keys, else its job (a clip and its metadata), else the
// request itself.
#pragma once

#include "sim/core/call.hpp"

#include <cstdint>

namespace archlab {

inline std::uint64_t item_number(const Request& request)
{
  return request.key != 0 ? request.key : request.job != 0 ? request.job : request.id;
}

}  // namespace archlab
