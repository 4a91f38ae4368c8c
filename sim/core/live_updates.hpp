// Live updates pushed down connections that browsers hold open (websockets). The servers' side is a
// LiveChannel; the browsers' side a LiveViewer. A channel tells its viewer of each update once, and of
// a single connection only what went wrong for it (an update it lost, being disconnected), so that
// an update costs what goes wrong rather than one event per connection: a fan-out to 10,000
// connections is one call, not 10,000.
#pragma once

#include <cstdint>

namespace archlab {

class LiveViewer {
public:
  virtual ~LiveViewer() = default;
  // Update `sequence` (1, 2, ...: a message may carry several coalesced updates, the newest named) has
  // reached every connection that was open when it was sent, except those told of through on_missed
  // just before. `published_s`: when its newest update was published (its write happened).
  virtual void on_update(std::uint64_t sequence, double published_s) = 0;
  virtual void on_missed(std::uint32_t connection, std::uint64_t sequence) = 0;
  // The server closed the connection or died with it; the browser decides when to reconnect.
  virtual void on_disconnected(std::uint32_t connection) = 0;
};

class LiveChannel {
public:
  virtual ~LiveChannel() = default;
  // Opens `connection` of `viewer` now; false when no server can take it (the browser tries again).
  virtual bool open(LiveViewer& viewer, std::uint32_t connection) = 0;
  virtual void close(LiveViewer& viewer, std::uint32_t connection) = 0;
};

}  // namespace archlab
