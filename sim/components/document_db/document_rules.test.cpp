// The document database's decisions: what each write leaves (MongoDB: insertOne gives every
// document a new _id, a unique index refuses a second key with E11000, an upsert writes one
// document), and when a connection is open, reused or refused.
#include "sim/components/document_db/document_rules.hpp"

#include <catch2/catch.hpp>

using namespace archlab;

TEST_CASE("document store: without a unique index a repeated insert writes a second document", "[document_db]")
{
  DocumentStore store(false);
  CHECK(store.apply(DocumentOperation::insert, 7) == WriteEffect::new_document);
  CHECK(store.apply(DocumentOperation::insert, 7) == WriteEffect::new_document);
  CHECK(store.apply(DocumentOperation::insert, 7) == WriteEffect::new_document);
  CHECK(store.documents() == 3);
  CHECK(store.keys_with_duplicates() == 1);
}

TEST_CASE("document store: a unique index refuses the second insert (E11000)", "[document_db]")
{
  DocumentStore store(true);
  CHECK(store.apply(DocumentOperation::insert, 7) == WriteEffect::new_document);
  CHECK(store.apply(DocumentOperation::insert, 7) == WriteEffect::duplicate_key);
  CHECK(store.documents() == 1);
  CHECK(store.keys_with_duplicates() == 0);
}

TEST_CASE("document store: an upsert writes a key's document once, an update only changes one that is there", "[document_db]")
{
  DocumentStore store(false);
  CHECK(store.apply(DocumentOperation::update, 3) == WriteEffect::none);
  CHECK(!store.contains(3));
  CHECK(store.apply(DocumentOperation::upsert, 3) == WriteEffect::new_document);
  CHECK(store.apply(DocumentOperation::upsert, 3) == WriteEffect::overwritten);
  CHECK(store.apply(DocumentOperation::update, 3) == WriteEffect::overwritten);
  CHECK(store.apply(DocumentOperation::find, 3) == WriteEffect::none);
  CHECK(store.documents() == 1);
}

TEST_CASE("connections: a caller's connection is opened once and reused; past the limit a new one is refused", "[document_db]")
{
  ConnectionTable table(2, 600);
  CHECK(table.use(11, 0) == ConnectionUse::opened);
  table.release(11);
  CHECK(table.use(11, 1) == ConnectionUse::reused);
  table.release(11);
  CHECK(table.use(12, 2) == ConnectionUse::opened);
  table.release(12);
  CHECK(table.open() == 2);
  CHECK(table.use(13, 3) == ConnectionUse::refused);
  CHECK(table.use(0, 3) == ConnectionUse::refused);  // a per-call connection needs room too
  CHECK(table.peak() == 2);
}

TEST_CASE("connections: one idle for idle_close_s is closed and its room given to a new caller", "[document_db]")
{
  ConnectionTable table(1, 600);
  CHECK(table.use(11, 0) == ConnectionUse::opened);
  table.release(11);
  CHECK(table.use(12, 599) == ConnectionUse::refused);
  CHECK(table.use(12, 600) == ConnectionUse::opened);
  table.release(12);
  CHECK(table.open() == 1);
  CHECK(table.use(11, 601) == ConnectionUse::refused);  // its old connection is gone: it must open anew
}

TEST_CASE("connections: a connection in use is never closed as idle, a per-call one closes when answered", "[document_db]")
{
  ConnectionTable table(2, 10);
  CHECK(table.use(11, 0) == ConnectionUse::opened);  // a call that takes longer than the idle time
  CHECK(table.use(0, 5) == ConnectionUse::opened);
  CHECK(table.open() == 2);
  table.release(0);
  CHECK(table.open() == 1);
  CHECK(table.use(11, 50) == ConnectionUse::reused);
}
