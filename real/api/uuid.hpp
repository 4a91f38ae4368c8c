// Execution ids: random UUID version 4 (RFC 4122), as the seed's uuidv4().
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace archlab::real::api {

// Formats 16 random bytes as a v4 UUID: sets the version nibble to 4 and the
// variant bits to 10, lowercase hex, 8-4-4-4-12. Pure, so tests pin the output.
std::string uuid_v4_from_bytes(std::array<std::uint8_t, 16> bytes);

// A new random v4 UUID. Thread-safe: each thread has its own generator seeded
// from std::random_device (the kernel's CSPRNG on Linux), so concurrent
// handlers never share state or a lock.
std::string random_uuid_v4();

}  // namespace archlab::real::api
