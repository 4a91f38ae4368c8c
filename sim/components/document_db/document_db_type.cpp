// The document database's parameters and operations.
#include "sim/components/document_db/document_db.hpp"

namespace archlab {

namespace {
nlohmann::json lognormal_ms(double mean_ms) { return {{"dist", "lognormal"}, {"mean", mean_ms}, {"cv", 0.5}}; }
}  // namespace

ComponentType DocumentDb::type_description()
{
  std::vector<ParamSpec> latency_fields = {
      distribution_param("find", "ms", lognormal_ms(2), "find one document by its key, indexed (assumption)"),
      distribution_param("insert", "ms", lognormal_ms(4), "insertOne, acknowledged by the primary (assumption)"),
      distribution_param("upsert", "ms", lognormal_ms(4), "updateOne with upsert (assumption)"),
      distribution_param("update", "ms", lognormal_ms(4), "updateOne (assumption)"),
  };
  return {
      .name = "document_db",
      .summary = "a document database: find, insert, upsert and update by key, a connection limit, an optional unique index; "
                 "repeated inserts without one write duplicate documents",
      .aws_counterpart = "Amazon DocumentDB (with MongoDB compatibility) cluster, or MongoDB Atlas",
      .part_kind = PartKind::database,
      .params =
          {
              choice_param("instance_class", {"db.t3.medium", "db.r6g.large"}, "db.t3.medium",
                           "the primary's instance class, billed per instance-hour (docs/aws-facts.md)"),
              integer_param("instances", 1, "instances in the cluster, each billed; calls go to the primary (writes must)").at_least(1).at_most(16),
              integer_param("max_connections", 500,
                            "open connections the primary accepts; a new one past it is refused (AWS: 500 for a 1-DCU, 2 GiB "
                            "serverless instance, 1,000 for 2 DCUs; each instance class has its own)")
                  .at_least(1)
                  .at_most(60000),
              number_param("connection_idle_close_s", "s", 600,
                           "a caller's connection unused this long counts as closed (assumption: the driver's maxIdleTimeMS, or the "
                           "environment holding it gone)")
                  .above(0),
              distribution_param("connect_ms", "ms", lognormal_ms(30),
                                 "opening a connection: TCP, TLS and authentication, paid by the first call on it (assumption)"),
              boolean_param("unique_index", false,
                            "a unique index on the document key: a second insert of a key fails with E11000 duplicate key"),
              object_param("latency_ms", latency_fields, "time to answer each operation once connected"),
          },
      .create = [](const ComponentSetup& setup) -> std::unique_ptr<Component> { return std::make_unique<DocumentDb>(setup); },
      .check = {},
      .operations = {{.name = "find", .meaning = "find by key: found or not found"},
                     {.name = "insert", .meaning = "insertOne: a new document (without a unique index, even if the key has one)"},
                     {.name = "upsert", .meaning = "updateOne with upsert: the key's one document, created if missing"},
                     {.name = "update", .meaning = "updateOne: changes the key's document if there is one"}},
      .reference_rules = {},
      .check_with_model = {},
      .fault_actions = {"slow", "fail", "recover"},
      .is_managed_multi_zone = false,
      .signals = {{"connections", "connections", SignalKind::gauge, "DatabaseConnections"},
                  {"connections_refused", "connections", SignalKind::counter, "connections refused at max_connections"},
                  {"documents", "documents", SignalKind::gauge, "documents in the collection"}},
  };
}

}  // namespace archlab
