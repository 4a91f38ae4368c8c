// What a document database decides, without a clock of its own: which documents a write leaves
// (MongoDB's insertOne, updateOne with and without upsert, a unique index on the document key) and
// whether an operation finds a connection (a limit per instance; a connection idle long enough is
// counted closed). The facts and their sources: docs/aws-facts.md, DocumentDB.
#pragma once

#include <cstdint>
#include <limits>
#include <unordered_map>

namespace archlab {

enum class DocumentOperation : std::uint8_t { find, insert, upsert, update };
constexpr std::size_t document_operation_count = 4;
constexpr const char* document_operation_names[document_operation_count] = {"find", "insert", "upsert", "update"};
inline bool is_document_write(DocumentOperation operation) { return operation != DocumentOperation::find; }

enum class WriteEffect : std::uint8_t {
  none,           // a find, or an update that matched nothing
  new_document,   // a document that was not there before
  overwritten,    // the key's document replaced or changed in place
  duplicate_key,  // refused: E11000, the unique index holds the key already
};

// The documents by key: how many each key holds (more than one only without a unique index).
class DocumentStore {
public:
  explicit DocumentStore(bool has_unique_index) : has_unique_index_(has_unique_index) {}

  WriteEffect apply(DocumentOperation operation, std::uint64_t key);
  bool contains(std::uint64_t key) const { return documents_.count(key) != 0; }
  std::uint64_t documents() const { return total_; }
  std::uint64_t keys_with_duplicates() const { return keys_with_duplicates_; }

private:
  bool has_unique_index_;
  std::unordered_map<std::uint64_t, std::uint32_t> documents_;
  std::uint64_t total_ = 0;
  std::uint64_t keys_with_duplicates_ = 0;
};

enum class ConnectionUse : std::uint8_t { reused, opened, refused };

// Open connections against the instance's limit. A caller's connection (nonzero id) stays open
// between calls until it has been idle for idle_close_s; a call without one opens a connection for
// itself and closes it when answered.
class ConnectionTable {
public:
  ConnectionTable(int max_connections, double idle_close_s) : max_connections_(max_connections), idle_close_s_(idle_close_s) {}

  ConnectionUse use(std::uint64_t connection, double now_s);
  void release(std::uint64_t connection);  // the call on it was answered (closes a per-call connection)
  int open() const { return open_; }
  int peak() const { return peak_; }

private:
  struct Held {
    double last_used_s = 0;
    int calls_in_flight = 0;
  };
  void close_idle(double now_s);

  static constexpr double sweeps_per_idle_close = 16;

  int max_connections_;
  double idle_close_s_;
  double last_sweep_s_ = 0;
  // The earliest last use among the connections with no call in flight (or earlier): while now minus
  // it is under idle_close_s, a sweep would close nothing, so it is skipped (at the limit, with
  // hundreds of callers refused, a sweep per call was most of a run's time).
  double oldest_idle_use_s_ = std::numeric_limits<double>::infinity();
  std::unordered_map<std::uint64_t, Held> held_;
  int open_ = 0;
  int peak_ = 0;
};

}  // namespace archlab
