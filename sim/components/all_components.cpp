// The component types archlab knows, in the order `archlab explain` lists them. Adding a component
// is one folder under sim/components/ and one line here.
#include "sim/components/api_gateway/api_gateway.hpp"
#include "sim/components/bucket/bucket.hpp"
#include "sim/components/cache/cache.hpp"
#include "sim/components/cdn/cdn.hpp"
#include "sim/components/client/client.hpp"
#include "sim/components/consumers/consumers.hpp"
#include "sim/components/container_service/container_service.hpp"
#include "sim/components/document_db/document_db.hpp"
#include "sim/components/event_source_mapping/event_source_mapping.hpp"
#include "sim/components/function/function.hpp"
#include "sim/components/load_balancer/load_balancer.hpp"
#include "sim/components/nat_gateway/nat_gateway.hpp"
#include "sim/components/queue/queue.hpp"
#include "sim/components/service/service.hpp"
#include "sim/components/service_discovery/service_discovery.hpp"
#include "sim/components/stream/stream.hpp"
#include "sim/components/table/table.hpp"
#include "sim/components/telemetry_daemon/telemetry_daemon.hpp"
#include "sim/components/topic/topic.hpp"
#include "sim/components/vpc_endpoint/vpc_endpoint.hpp"
#include "sim/components/websocket/websocket.hpp"
#include "sim/components/wide_column/wide_column.hpp"
#include "sim/core/registry.hpp"

namespace archlab {

const std::vector<ComponentType>& component_types()
{
  static const std::vector<ComponentType> types = {
      ApiGateway::type_description(),
      Bucket::type_description(),
      Cache::type_description(),
      Cdn::type_description(),
      Client::type_description(),
      Consumers::type_description(),
      container_service_type(),
      DocumentDb::type_description(),
      EventSourceMapping::type_description(),
      Function::type_description(),
      LoadBalancer::type_description(),
      NatGateway::type_description(),
      Queue::type_description(),
      Service::type_description(),
      ServiceDiscovery::type_description(),
      Stream::type_description(),
      Table::type_description(),
      TelemetryDaemon::type_description(),
      Topic::type_description(),
      VpcEndpoint::type_description(),
      Websocket::type_description(),
      WideColumn::type_description(),
  };
  return types;
}

}  // namespace archlab
