#include "sim/instances/image_pull.hpp"

#include <algorithm>
#include <set>

namespace archlab {

ParamSpec image_pull_param()
{
  return object_param("image_pull",
                      {number_param("image_mib", "MiB", 200, "the container image's size, pulled at every launch (assumption: 200 MiB)")
                           .above(0)
                           .at_most(100000),
                       object_list_param("routes",
                                         {text_param("zone", "a zone the instances launch in").required(),
                                          reference_param("through", Interaction::none,
                                                          "the NAT gateway or interface VPC endpoint its private subnet routes to the registry")
                                              .required()},
                                         "each zone's path to the image registry; a launch in a zone without one fails")
                           .with_default(nlohmann::json::array())},
                      "container images pulled from a registry (ECR) at each launch, through each zone's route (absent: no pull)")
      .absent_unless_given();
}

ImagePullRoutes read_image_pull(const nlohmann::json& image_pull)
{
  ImagePullRoutes routes;
  routes.image_bytes = image_pull.at("image_mib").get<double>() * 1024 * 1024;
  for (const auto& route : image_pull.at("routes"))
    routes.through_by_zone[route.at("zone").get<std::string>()] = route.at("through").get<std::string>();
  return routes;
}

void check_image_pull(const nlohmann::json& params, const std::string& path, const nlohmann::json& document, std::vector<Problem>& problems)
{
  if (!params.contains("image_pull"))
    return;
  std::vector<std::string> zones;
  if (params.contains("zones"))
    zones = params.at("zones").get<std::vector<std::string>>();
  else if (params.contains("zone"))
    zones = {params.at("zone").get<std::string>()};
  std::set<std::string> routed;
  const auto& routes = params.at("image_pull").at("routes");
  for (std::size_t i = 0; i < routes.size(); ++i) {
    auto at = path + ".image_pull.routes[" + std::to_string(i) + "]";
    auto zone = routes[i].at("zone").get<std::string>();
    if (!routed.insert(zone).second)
      problems.push_back({at + ".zone", "'" + zone + "' has a route already: a subnet routes to one egress"});
    if (std::find(zones.begin(), zones.end(), zone) == zones.end())
      problems.push_back({at + ".zone", "'" + zone + "' is not a zone the instances are placed in (zones)"});
    const auto& through = document.at("components").at(routes[i].at("through").get<std::string>());
    if (through.at("type") == "vpc_endpoint" && through.value("kind", "interface") == "gateway")
      problems.push_back({at + ".through", "ECR has no gateway endpoint: an image is pulled through a NAT gateway or interface endpoints "
                                           "(the registry's API and Docker endpoints)"});
  }
}

const std::string* route_from(const ImagePullRoutes& routes, const std::string& zone)
{
  auto found = routes.through_by_zone.find(zone);
  return found == routes.through_by_zone.end() ? nullptr : &found->second;
}

}  // namespace archlab
