#include "sim/report/cost.hpp"

#include "sim/report/price_table_text.hpp"

namespace archlab {

const nlohmann::json& price_table()
{
  static const nlohmann::json table = nlohmann::json::parse(price_table_text, nullptr, true, /*ignore_comments=*/true);
  return table;
}

bool has_price(const std::string& item)
{
  return price_table().at("items").contains(item);
}

std::vector<std::string> priced_items(const std::string& prefix)
{
  std::vector<std::string> items;
  for (auto& [item, price] : price_table().at("items").items())
    if (item.rfind(prefix, 0) == 0)
      items.push_back(item);
  return items;
}

std::vector<std::string> ec2_instance_types()
{
  std::vector<std::string> types;
  const std::string prefix = "ec2.", suffix = ".hour";
  for (const auto& item : priced_items(prefix))
    if (item.size() > prefix.size() + suffix.size() && item.compare(item.size() - suffix.size(), suffix.size(), suffix) == 0)
      types.push_back(item.substr(prefix.size(), item.size() - prefix.size() - suffix.size()));
  return types;
}

nlohmann::json cost_summary(const std::vector<Component*>& components, double end_s)
{
  const auto& items = price_table().at("items");
  double total = 0;
  nlohmann::json by_component = nlohmann::json::object();
  nlohmann::json lines = nlohmann::json::array();
  for (const auto* component : components) {
    std::vector<BillingLine> billing;
    component->add_billing(billing, end_s);
    double component_total = 0;
    for (const auto& line : billing) {
      double unit_price = items.at(line.item).at("price").get<double>();
      double usd = unit_price * line.quantity;
      component_total += usd;
      lines.push_back({{"component", component->id()}, {"item", line.item}, {"quantity", line.quantity}, {"unit_price", unit_price}, {"usd", usd}});
    }
    if (!billing.empty())
      by_component[component->id()] = component_total;
    total += component_total;
  }
  const auto& table = price_table();
  return {{"total", total},
          {"per_hour", end_s > 0 ? total * 3600 / end_s : 0.0},
          {"by_component", by_component},
          {"lines", lines},
          {"prices", {{"region", table.at("region")}, {"as_of", table.at("as_of")}, {"source", "models/prices/aws-us-east-1.json"}}}};
}

}  // namespace archlab
