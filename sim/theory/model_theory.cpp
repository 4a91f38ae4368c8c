#include "sim/theory/model_theory.hpp"

#include "sim/core/distribution.hpp"
#include "sim/core/problems.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

namespace archlab::theory {

namespace {
[[noreturn]] void unsolvable(const std::string& where, const std::string& why)
{
  throw InputError(where, "not a model queueing theory solves here: " + why);
}

struct Station {
  std::string id;
  int servers = 1;
  Distribution service_time_s;
  const nlohmann::json* params = nullptr;
};

Distribution service_time_of(const nlohmann::json& params, const std::string& model_dir)
{
  std::vector<Problem> ignored;  // validated already
  return Distribution::parse(params.at("service_time_ms"), "", model_dir, ignored).scaled(1e-3);
}

std::map<std::string, double> external_arrivals(const nlohmann::json& components)
{
  std::map<std::string, double> arrivals;
  for (auto& [id, params] : components.items()) {
    if (params.at("type") != "client")
      continue;
    const auto& process = params.at("arrivals");
    auto where = "components." + id;
    if (process.at("process") != "poisson" || process.contains("schedule") || !process.contains("rate_per_s"))
      unsolvable(where, "clients must send Poisson arrivals at a fixed rate");
    if (params.contains("timeout_ms"))
      unsolvable(where + ".timeout_ms", "clients that give up are outside the formulas");
    auto target = params.at("target").get<std::string>();
    if (components.at(target).at("type") != "service")
      unsolvable(where + ".target", "clients must send straight to a service");
    arrivals[target] += process.at("rate_per_s").get<double>();
  }
  if (arrivals.empty())
    unsolvable("components", "no client");
  return arrivals;
}

std::vector<Station> stations_of(const nlohmann::json& components, const std::string& model_dir)
{
  std::vector<Station> stations;
  for (auto& [id, params] : components.items()) {
    auto where = "components." + id;
    if (params.at("type") == "client")
      continue;
    if (params.at("type") != "service")
      unsolvable(where, "only clients and services are covered (this is a " + params.at("type").get<std::string>() + ")");
    if (!params.value("calls", nlohmann::json::array()).empty() || params.contains("handlers"))
      unsolvable(where, "synchronous calls hold a worker while waiting: not a product-form network");
    // The formulas sum over every server and waiting place: beyond a million they are neither fast nor
    // exact, and the product of two parameters each up to 10^9 overflows an int.
    constexpr std::int64_t most_places = 1000000;
    std::int64_t servers = params.at("instances").get<std::int64_t>() * params.at("concurrency").get<std::int64_t>();
    std::int64_t places = servers + (params.contains("queue_capacity") ? params.at("queue_capacity").get<std::int64_t>() : 0);
    if (places > most_places)
      unsolvable(where, "more than " + std::to_string(most_places) + " servers and waiting places (instances × concurrency + queue_capacity)");
    stations.push_back({id, static_cast<int>(servers), service_time_of(params, model_dir), &params});
  }
  return stations;
}

Prediction single_station(const Station& station, double arrival_per_s)
{
  const auto& params = *station.params;
  const auto& service = station.service_time_s;
  bool is_exponential = service.kind() == Distribution::Kind::exponential;
  double service_rate = 1.0 / service.mean();
  std::string c = std::to_string(station.servers);
  Prediction prediction;
  StationPrediction result{station.id, "", {}};
  if (params.contains("queue_capacity")) {
    if (!is_exponential)
      unsolvable("components." + station.id + ".service_time_ms", "a finite waiting line is solved for exponential service only");
    int waiting = params.at("queue_capacity").get<int>();
    result.formula = "M/M/" + c + "/" + std::to_string(station.servers + waiting);
    result.figures = mmck(arrival_per_s, service_rate, station.servers, waiting);
  } else if (is_exponential) {
    result.formula = "M/M/" + c;
    result.figures = mmc(arrival_per_s, service_rate, station.servers);
    prediction.response_p95_s = mmc_response_quantile_s(arrival_per_s, service_rate, station.servers, 0.95);
    prediction.response_p99_s = mmc_response_quantile_s(arrival_per_s, service_rate, station.servers, 0.99);
  } else if (station.servers == 1 && service.kind() == Distribution::Kind::constant) {
    result.formula = "M/D/1";
    result.figures = md1(arrival_per_s, service.mean());
  } else if (station.servers == 1) {
    result.formula = "M/G/1 (Pollaczek-Khinchine, cv " + std::to_string(service.cv()).substr(0, 4) + ")";
    result.figures = mg1(arrival_per_s, service.mean(), service.cv());
  } else {
    unsolvable("components." + station.id, "several servers need exponential service times (M/M/c)");
  }
  prediction.network = result.formula;
  prediction.mean_response_s = result.figures.mean_response_s;
  prediction.blocking_probability = result.figures.blocking_probability;
  prediction.throughput_per_s = result.figures.throughput_per_s;
  prediction.stations.push_back(result);
  return prediction;
}

Prediction network(const std::vector<Station>& stations, const std::map<std::string, double>& arrivals)
{
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < stations.size(); ++i)
    index[stations[i].id] = i;
  std::size_t n = stations.size();
  std::vector<double> external(n, 0), service_rate(n, 0);
  std::vector<int> servers(n, 1);
  std::vector<std::vector<double>> routing(n, std::vector<double>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& station = stations[i];
    auto where = "components." + station.id;
    if (station.service_time_s.kind() != Distribution::Kind::exponential)
      unsolvable(where + ".service_time_ms", "a network is solved for exponential service times only (Jackson)");
    if (station.params->contains("queue_capacity"))
      unsolvable(where + ".queue_capacity", "a network is solved for unbounded waiting lines only (Jackson)");
    service_rate[i] = 1.0 / station.service_time_s.mean();
    servers[i] = station.servers;
    if (auto found = arrivals.find(station.id); found != arrivals.end())
      external[i] = found->second;
    for (const auto& next : station.params->value("next", nlohmann::json::array()))
      routing[i][index.at(next.at("target").get<std::string>())] += next.at("probability").get<double>();
  }
  JacksonResult solved;
  try {
    solved = jackson(external, service_rate, servers, routing);
  } catch (const std::invalid_argument& error) {
    unsolvable("components", error.what());
  }
  Prediction prediction;
  prediction.network = "Jackson network of " + std::to_string(n) + " stations";
  for (std::size_t i = 0; i < n; ++i)
    prediction.stations.push_back({stations[i].id, "M/M/" + std::to_string(servers[i]), solved.nodes[i]});
  prediction.mean_response_s = solved.mean_response_s;
  prediction.throughput_per_s = solved.throughput_per_s;
  return prediction;
}
}  // namespace

// One client retrying into one M/M/1 server: timeout_ms per attempt, retries with no wait, on a
// timeout. Nothing, when the model is not of that shape (the other recognisers then say why).
std::optional<Prediction> retries_into_one_server(const nlohmann::json& components, const std::string& model_dir)
{
  const nlohmann::json* client = nullptr;
  const nlohmann::json* server = nullptr;
  std::string client_id, server_id;
  for (auto& [id, params] : components.items()) {
    if (params.at("type") == "client" && !client) {
      client = &params;
      client_id = id;
    } else if (params.at("type") == "service" && !server) {
      server = &params;
      server_id = id;
    } else {
      return std::nullopt;
    }
  }
  if (!client || !server || !client->contains("timeout_ms") || !client->contains("retry") || client->at("target") != server_id)
    return std::nullopt;
  const auto& retry = client->at("retry");
  const auto retry_on = retry.value("retry_on", nlohmann::json::array({"timed_out"}));
  bool retries_timeouts = std::find(retry_on.begin(), retry_on.end(), "timed_out") != retry_on.end();
  const auto& arrivals = client->at("arrivals");
  if (retry.value("base_ms", 100.0) != 0 || !retries_timeouts || retry.value("budget", std::string("none")) != "none")
    unsolvable("components." + client_id + ".retry", "the fixed-point model of retries takes immediate retries on timeouts "
                                                    "(base_ms 0, retry_on timed_out, no budget)");
  if (arrivals.at("process") != "poisson" || arrivals.contains("schedule") || !arrivals.contains("rate_per_s"))
    unsolvable("components." + client_id, "clients must send Poisson arrivals at a fixed rate");
  auto service = service_time_of(*server, model_dir);
  if (server->at("instances").get<std::int64_t>() * server->at("concurrency").get<std::int64_t>() != 1 ||
      service.kind() != Distribution::Kind::exponential || server->contains("queue_capacity") ||
      !server->value("calls", nlohmann::json::array()).empty() || server->contains("handlers"))
    unsolvable("components." + server_id, "the fixed-point model of retries takes one M/M/1 server (one worker, exponential "
                                          "service, no queue capacity, no calls)");
  Prediction::Retries model{client_id, server_id, arrivals.at("rate_per_s").get<double>(), 1.0 / service.mean(),
                            client->at("timeout_ms").get<double>() / 1000, retry.at("max_attempts").get<int>() - 1, {}};
  model.states = retry_load_states(model.arrival_per_s, model.service_per_s, model.timeout_s, model.retries);
  Prediction prediction;
  prediction.network = "retries into M/M/1 (" + std::to_string(model.retries) + " immediate retries after a " +
                       std::to_string(static_cast<long long>(std::llround(model.timeout_s * 1000))) + " ms timeout)";
  prediction.retries = model;
  return prediction;
}

Prediction predict(const nlohmann::json& components, const std::string& model_dir)
{
  if (auto retries = retries_into_one_server(components, model_dir))
    return *retries;
  auto arrivals = external_arrivals(components);
  auto stations = stations_of(components, model_dir);
  bool has_routes = false;
  for (const auto& station : stations)
    has_routes = has_routes || !station.params->value("next", nlohmann::json::array()).empty();
  try {
    if (stations.size() == 1 && !has_routes)
      return single_station(stations.front(), arrivals.begin()->second);
    return network(stations, arrivals);
  } catch (const std::invalid_argument& error) {
    unsolvable("components", error.what());
  }
}

}  // namespace archlab::theory
