#include "sim/components/document_db/document_rules.hpp"

#include <algorithm>

namespace archlab {

WriteEffect DocumentStore::apply(DocumentOperation operation, std::uint64_t key)
{
  auto found = documents_.find(key);
  bool exists = found != documents_.end();
  switch (operation) {
    case DocumentOperation::find: return WriteEffect::none;
    case DocumentOperation::update: return exists ? WriteEffect::overwritten : WriteEffect::none;
    case DocumentOperation::upsert:
      if (exists)
        return WriteEffect::overwritten;
      documents_.emplace(key, 1);
      ++total_;
      return WriteEffect::new_document;
    case DocumentOperation::insert:
      if (!exists) {
        documents_.emplace(key, 1);
        ++total_;
        return WriteEffect::new_document;
      }
      if (has_unique_index_)
        return WriteEffect::duplicate_key;
      // insertOne gives every document a new _id: without a unique index on the key, a second one.
      if (++found->second == 2)
        ++keys_with_duplicates_;
      ++total_;
      return WriteEffect::new_document;
  }
  return WriteEffect::none;
}

ConnectionUse ConnectionTable::use(std::uint64_t connection, double now_s)
{
  if (now_s - last_sweep_s_ >= idle_close_s_ / sweeps_per_idle_close)
    close_idle(now_s);
  if (connection != 0) {
    auto found = held_.find(connection);
    if (found != held_.end()) {
      if (found->second.calls_in_flight > 0 || now_s - found->second.last_used_s < idle_close_s_) {
        found->second.last_used_s = now_s;
        ++found->second.calls_in_flight;
        return ConnectionUse::reused;
      }
      held_.erase(found);  // closed while idle: the caller opens a new one
      --open_;
    }
  }
  if (open_ >= max_connections_)
    close_idle(now_s);
  if (open_ >= max_connections_)
    return ConnectionUse::refused;
  ++open_;
  peak_ = std::max(peak_, open_);
  if (connection != 0)
    held_[connection] = Held{now_s, 1};
  return ConnectionUse::opened;
}

void ConnectionTable::release(std::uint64_t connection)
{
  if (connection == 0) {
    --open_;
    return;
  }
  auto found = held_.find(connection);
  if (found != held_.end() && found->second.calls_in_flight > 0 && --found->second.calls_in_flight == 0)
    oldest_idle_use_s_ = std::min(oldest_idle_use_s_, found->second.last_used_s);
}

// A sweep visits every held connection (at most the limit): it runs when the limit is reached and
// otherwise a few times per idle_close_s, so that the open count is never more than that late.
void ConnectionTable::close_idle(double now_s)
{
  last_sweep_s_ = now_s;
  if (!(now_s - oldest_idle_use_s_ >= idle_close_s_))
    return;  // none idle long enough: what the sweep would find
  oldest_idle_use_s_ = std::numeric_limits<double>::infinity();
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second.calls_in_flight == 0 && now_s - it->second.last_used_s >= idle_close_s_) {
      it = held_.erase(it);
      --open_;
    } else {
      if (it->second.calls_in_flight == 0)
        oldest_idle_use_s_ = std::min(oldest_idle_use_s_, it->second.last_used_s);
      ++it;
    }
  }
}

}  // namespace archlab
