// The component types archlab knows, in the order `archlab explain` lists them. Adding a component
// is one folder under sim/components/ and one line here.
#include "sim/components/client/client.hpp"
#include "sim/components/load_balancer/load_balancer.hpp"
#include "sim/components/service/service.hpp"
#include "sim/core/registry.hpp"

namespace archlab {

const std::vector<ComponentType>& component_types()
{
  static const std::vector<ComponentType> types = {
      Client::type_description(),
      LoadBalancer::type_description(),
      Service::type_description(),
  };
  return types;
}

}  // namespace archlab
