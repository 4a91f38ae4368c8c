#include "sim/platform/simgrid_platform.hpp"

#include "sim/core/slot_pool.hpp"

#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Exec.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <simgrid/s4u/VirtualMachine.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace sg4 = simgrid::s4u;

namespace archlab {

namespace {
// Enough cores that the hardware is never what limits an instance (see the header).
constexpr int hardware_cores = 1 << 20;

sg4::Link* make_link(sg4::NetZone* zone, const std::string& name, const LinkSpec& spec)
{
  return zone->create_link(name, spec.bandwidth_bytes_per_s)->set_latency(spec.latency_s)->seal();
}
}  // namespace

SimgridPlatform::SimgridPlatform(const PlatformPlan& plan, Scheduler& scheduler)
    : scheduler_(scheduler), default_zone_(plan.network.default_zone)
{
  sg4::Engine::set_config("network/model:CM02");
  // Names have a prefix per kind, and links are named by zone index: zone names are data.
  region_ = sg4::create_full_zone("region");
  for (const auto& name : plan.zones) {
    // A star: memory grows with its hosts (a full zone's routing table grows with their square: 10,000
    // hosts took 0.8 GB). The hardware reaches the centre over the zone's fabric and is its gateway.
    auto* zone = sg4::create_star_zone("zone:" + name);
    zone->set_parent(region_);
    auto* hardware = zone->create_host("hardware:" + name, reference_flops_per_s)->set_core_count(hardware_cores)->seal();
    auto* fabric = make_link(zone, "fabric:" + name, plan.network.within_zone);
    zone->add_route(hardware->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(fabric)}, true);
    zones_.push_back({name, zone, hardware});
  }
  internet_ = sg4::create_full_zone("edge:internet");
  internet_->set_parent(region_);
  auto* edge = internet_->create_host("edge:clients", reference_flops_per_s)->seal();
  for (std::size_t a = 0; a < zones_.size(); ++a) {
    auto* out = make_link(region_, "internet:" + std::to_string(a), plan.network.internet);
    region_->add_route(zones_[a].zone->get_netpoint(), internet_->get_netpoint(), zones_[a].hardware->get_netpoint(), edge->get_netpoint(),
                       {sg4::LinkInRoute(out)}, true);
    for (std::size_t b = a + 1; b < zones_.size(); ++b) {
      auto* across = make_link(region_, "across:" + std::to_string(a) + "-" + std::to_string(b), plan.network.across_zones);
      region_->add_route(zones_[a].zone->get_netpoint(), zones_[b].zone->get_netpoint(), zones_[a].hardware->get_netpoint(),
                         zones_[b].hardware->get_netpoint(), {sg4::LinkInRoute(across)}, true);
    }
  }
  // Signals are global and never cleared: one platform per process, as there is one engine.
  sg4::Activity::on_completion_cb([this](const sg4::Activity& activity) { on_completion(activity); });
}

void SimgridPlatform::seal()
{
  if (is_sealed_)
    return;
  for (auto& zone : zones_)
    zone.zone->seal();
  internet_->seal();
  region_->seal();
  is_sealed_ = true;
}

SimgridPlatform::~SimgridPlatform() = default;

Compute::HostId SimgridPlatform::instance_host(const std::string& instance, const std::string& instance_type, const std::string& zone)
{
  const auto& type = archlab::instance_type(instance_type);
  return sized_host(instance, type.vcpus, type.cpu_speed, zone);
}

Compute::HostId SimgridPlatform::sized_host(const std::string& name, int vcpus, double cpu_speed, const std::string& zone)
{
  const std::string& zone_name = zone.empty() ? default_zone_ : zone;
  auto placed = std::find_if(zones_.begin(), zones_.end(), [&zone_name](const Zone& z) { return z.name == zone_name; });
  if (placed == zones_.end())
    throw std::logic_error("instance " + name + " is in zone " + zone_name + ", which the platform has not");
  auto id = static_cast<HostId>(hosts_.size());
  if (!is_sealed_) {
    hosts_.push_back({placed->zone->create_host("instance:" + name, reference_flops_per_s)->set_core_count(vcpus)->seal(), cpu_speed, vcpus});
    return id;
  }
  // From the first VM on, SimGrid is stepped at every instant again (keeps_every_step), and a VM
  // asked for while the scheduler is ahead is made when SimGrid gets there, as it was.
  has_vms_ = true;
  hosts_.push_back({nullptr, cpu_speed, vcpus, placed->hardware, "instance:" + name});
  if (!is_ahead())
    make_vm(id);
  return id;
}

Compute::HostId SimgridPlatform::dedicated_core(const std::string& name, double cpu_speed)
{
  (void)name;  // nothing in SimGrid to name
  auto id = static_cast<HostId>(hosts_.size());
  hosts_.push_back({nullptr, cpu_speed, 1});
  hosts_.back().is_dedicated = true;
  return id;
}

// Alone on its core, the work ends cpu_s / cpu_speed later, as SimGrid would time it; the scheduler
// runs its end as any other event. A cancelled one keeps the core busy to its end (as in SimGrid).
CpuWorkId SimgridPlatform::run_dedicated(HostId host, double cpu_s, InlineAction done)
{
  InstanceHost& core = hosts_[host];
  if (core.running > 0)
    throw std::logic_error("a dedicated core runs one piece of work at a time");
  std::uint32_t slot = take_slot(works_, free_works_);
  Work& work = works_[slot];
  work.host = host;
  work.done = std::move(done);
  work.is_running = true;
  double now_s = scheduler_.now();
  core.set_running(1, now_s);
  std::uint32_t generation = work.generation;
  scheduler_.after(std::max(cpu_s, 0.0) / core.cpu_speed, [this, slot, generation] {
    Work& ended = works_[slot];
    if (ended.generation != generation)
      return;
    hosts_[ended.host].set_running(0, scheduler_.now());
    InlineAction finished = std::move(ended.done);
    free_work(slot);
    if (finished)
      finished();
  });
  return {slot, generation};
}

void SimgridPlatform::make_vm(HostId id)
{
  InstanceHost& placed = hosts_[id];
  auto* vm = placed.vm_hardware->create_vm(placed.vm_name, placed.vcpus);
  vm->start();
  placed.host = vm;
  placed.vm_name.clear();
}

bool SimgridPlatform::is_ahead() const { return sg4::Engine::get_clock() < scheduler_.now(); }

void SimgridPlatform::start(std::uint32_t slot)
{
  Work& work = works_[slot];
  if (!hosts_[work.host].host)
    make_vm(work.host);
  work.exec->set_host(hosts_[work.host].host);
  work.exec->start();
}

CpuWorkId SimgridPlatform::run(HostId host, double cpu_s, InlineAction done)
{
  if (hosts_.at(host).is_dedicated)
    return run_dedicated(host, cpu_s, std::move(done));
  std::uint32_t slot = take_slot(works_, free_works_);
  Work& work = works_[slot];
  const auto& placed = hosts_.at(host);
  work.exec = sg4::Exec::init();
  work.host = host;
  // The scheduler's clock is ahead of SimGrid's while the driver runs events SimGrid has no part in.
  double now_s = std::max(sg4::Engine::get_clock(), scheduler_.now());
  hosts_[host].set_running(placed.running + 1, now_s);
  double flops = cpu_s > 0 ? cpu_s * reference_flops_per_s / placed.cpu_speed : 0;
  work.exec->set_flops_amount(flops);
  work.exec->set_data(reinterpret_cast<void*>(static_cast<std::uintptr_t>(slot) + 1));
  work.done = std::move(done);
  work.started = started_++;
  work.is_running = true;
  // Single-threaded, so one core at most, and every core does reference_flops_per_s (a shared host
  // only slows it); less a margin for SimGrid's rounding.
  double earliest_end_s = now_s + flops / reference_flops_per_s * (1 - 1e-9) - 1e-9;
  earliest_ends_.push({earliest_end_s, (static_cast<std::uint64_t>(work.generation) << 32) | slot});
  if (is_ahead())
    waiting_starts_.push_back(slot);
  else
    start(slot);
  return {slot, work.generation};
}

void SimgridPlatform::start_waiting()
{
  for (auto slot : waiting_starts_)
    start(slot);
  waiting_starts_.clear();
}

double SimgridPlatform::quiet_until_s()
{
  while (!earliest_ends_.empty()) {
    auto [end_s, key] = earliest_ends_.top();
    const Work& work = works_[static_cast<std::uint32_t>(key)];
    if (work.is_running && work.generation == static_cast<std::uint32_t>(key >> 32))
      return end_s;
    earliest_ends_.pop();
  }
  return Scheduler::never;
}

void SimgridPlatform::cancel(CpuWorkId id)
{
  // Abandoned, not cancelled in SimGrid: 3.32 counts a cancelled execution out of its VM twice, and
  // the VM runs on one vCPU fewer from then on (measured: 2 vCPUs, 3 pieces of 100 ms, one cancelled
  // at 30 ms: the other two end at 190 ms instead of 110 ms). So the work runs to its end, using its
  // share of the vCPUs, and nothing is called.
  if (id.generation != 0 && id.slot < works_.size() && works_[id.slot].generation == id.generation)
    works_[id.slot].done.reset();
}

// SimGrid's CPU model shares a host's cores fairly, a single-threaded execution using one core at
// most, so min(running, vcpus) cores are busy between the starts and ends it reports; integrating
// that is the work done. (Asking SimGrid for an execution's remaining work instead aborts in 3.32
// when it ended at this instant and has not been reported yet: "updating an action that is not
// running".)
double SimgridPlatform::InstanceHost::busy_s_at(double now_s) const
{
  return busy_s + std::min(running, vcpus) / static_cast<double>(vcpus) * (now_s - changed_s);
}

void SimgridPlatform::InstanceHost::set_running(int count, double now_s)
{
  busy_s = busy_s_at(now_s);
  changed_s = now_s;
  running = count;
}

double SimgridPlatform::busy_s(HostId id) const
{
  return hosts_.at(id).busy_s_at(std::max(sg4::Engine::get_clock(), scheduler_.now()));
}

void SimgridPlatform::on_completion(const sg4::Activity& activity)
{
  auto tag = reinterpret_cast<std::uintptr_t>(activity.get_data<void>());
  if (tag == 0 || tag > works_.size())
    return;
  auto slot = static_cast<std::uint32_t>(tag - 1);
  Work& work = works_[slot];
  if (work.exec.get() != &activity || !work.is_running || activity.get_state() != sg4::Activity::State::FINISHED)
    return;  // not ours, or not finished
  work.is_running = false;
  auto& host = hosts_[work.host];
  host.set_running(host.running - 1, sg4::Engine::get_clock());
  if (completed_.empty()) {
    scheduler_.advance_to(sg4::Engine::get_clock());
    scheduler_.at(scheduler_.now(), [this] { run_completed(); });
  }
  completed_.push_back(slot);
}

void SimgridPlatform::run_completed()
{
  std::vector<std::uint32_t> finished;
  finished.swap(completed_);
  std::sort(finished.begin(), finished.end(), [this](auto a, auto b) { return works_[a].started < works_[b].started; });
  std::vector<InlineAction> actions;
  actions.reserve(finished.size());
  for (auto slot : finished) {
    actions.push_back(std::move(works_[slot].done));
    free_work(slot);  // outside SimGrid's callback: the execution may go now
  }
  for (auto& action : actions)
    if (action)
      action();
}

void SimgridPlatform::free_work(std::uint32_t slot)
{
  Work& work = works_[slot];
  work.exec = nullptr;
  work.done.reset();
  work.generation = work.generation == UINT32_MAX ? 1 : work.generation + 1;
  free_works_.push_back(slot);
}

}  // namespace archlab
