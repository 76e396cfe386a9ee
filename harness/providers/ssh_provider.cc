#include "providers/ssh_provider.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "providers/netns_teardown.h"

namespace pgha {
namespace fs = std::filesystem;

SshProvider::SshProvider(SshDeps d, std::optional<Inventory> inventory, bool dry_run, SshRemote::Printer print)
    : d_(d),
      inventory_(std::move(inventory)),
      remote_(d.runner, dry_run, std::move(print)),
      shell_(remote_),
      control_(remote_),
      files_(remote_, d.clock),
      network_(remote_) {
  if (inventory_)
    for (const auto& a : inventory_->access) remote_.Add(a);
}

std::optional<Secrets> SshProvider::ExistingSecrets() {
  if (!inventory_) return std::nullopt;
  return Secrets{inventory_->superuser_password, "", ""};
}

// The inventory's addresses, interfaces and data directories; the VIP and
// every endpoint follow them.
Status SshProvider::Place(ClusterPlan* plan) {
  if (!inventory_) return InvalidInput("the ssh provider needs --inventory FILE (an Ansible inventory of the hosts)");
  for (auto& h : plan->hosts) {
    const SshAccess* a = inventory_->Find(h.name);
    if (!a) return InvalidInput(fmt::format("{}: no host {} in the inventory", inventory_->file, h.name));
    h.address = a->address;
    h.scope = a->Destination();
    h.interface = a->interface;
    if (h.Runs("patroni")) h.data_dir = a->data_dir;
  }
  plan->vip = inventory_->vip;
  plan->scope = inventory_->scope;
  plan->tls.dir = inventory_->tls_dir;
  for (auto& e : plan->endpoints)
    for (auto& s : e.servers)
      if (const HostPlan* h = s.host.empty() ? nullptr : plan->Find(s.host))
        s.address = h->address;
      else if (s.host.empty())
        s.address = plan->vip;
  return Status::Ok();
}

// One ssh round trip per host: reachable, sudo where asked, the interface
// carries the address, every service's unit exists.
Status SshProvider::CheckHost(const HostPlan& h) {
  const SshAccess* a = remote_.Find(h.name);
  std::string script = fmt::format("ip -o -4 addr show dev {} 2>/dev/null | grep -q ' {}/' || echo noaddr;",
                                   ShellQuote(h.interface), h.address);
  for (const auto& s : h.services)
    script += fmt::format(" systemctl cat {u} >/dev/null 2>&1 || echo nounit {u};",
                          fmt::arg("u", ShellQuote(a->Unit(s.kind))));
  auto r = d_.runner.Run(CommandSpec::Of(SshArgv(*a, script), std::chrono::seconds(20)));
  const std::string where = fmt::format("{} ({} port {})", h.name, a->Destination(), a->port);
  if (!r.ok()) return InvalidInput(fmt::format("cannot reach {} over ssh: {}", where, r.status().message()));
  if (r->exit_code == 255 || r->timed_out)
    return InvalidInput(fmt::format("cannot reach {} over ssh: {}; check ansible_host, ansible_user and the key {}",
                                    where, r->timed_out ? "timed out" : LastLines(Trim(r->err), 1), a->key_file));
  if (!r->Succeeded())
    return InvalidInput(fmt::format("{}: {}{}", where, Trim(r->err),
                                    a->become ? " (ansible_become: sudo -n must work without a password)" : ""));
  for (const auto& line : Split(Trim(r->out), '\n')) {
    if (line == "noaddr")
      return InvalidInput(fmt::format("{}: interface {} has no address {}; set pgha_interface in the inventory", where,
                                      h.interface, h.address));
    if (line.rfind("nounit ", 0) == 0)
      return InvalidInput(fmt::format("{}: no systemd unit {}; name it in pgha_units", where, line.substr(7)));
  }
  return Status::Ok();
}

// Patroni's own word for its cluster must be the inventory's.
Status SshProvider::CheckScope(const ClusterPlan& plan, const HostPlan& h) {
  HttpTarget api;
  api.host = h.address;
  api.port = h.Port("patroni", "api");
  if (plan.tls.links.patroni_api) {  // HTTPS against the inventory's CA, with the harness's client certificate
    api.ca_file = plan.tls.CaFile();
    api.cert_file = plan.tls.ClientCert();
    api.key_file = plan.tls.ClientKey();
  }
  auto r = d_.http.Get(api, "/patroni", std::chrono::seconds(3));
  if (!r.ok() || r->status == 0)
    return InvalidInput(fmt::format("Patroni on {} ({}) does not answer: {}", h.name, api.Url("/patroni"),
                                    r.ok() ? "no answer" : r.status().message()));
  auto j = nlohmann::json::parse(r->body, nullptr, false);
  const std::string scope =
      j.is_object() && j.contains("patroni") && j["patroni"].is_object() ? j["patroni"].value("scope", "") : "";
  if (scope != plan.scope)
    return InvalidInput(
        fmt::format("Patroni on {} serves the cluster \"{}\", the inventory says patroni_scope \"{}\": "
                    "refusing to touch another cluster",
                    h.name, scope, plan.scope));
  return Status::Ok();
}

Status SshProvider::Preflight(const ClusterPlan& plan, const std::vector<RequiredProgram>&) {
  if (!inventory_) return InvalidInput("the ssh provider needs --inventory FILE (an Ansible inventory of the hosts)");
  for (const auto* h : plan.HostsRunning("patroni"))
    if (Status s = CheckScope(plan, *h); !s.ok()) return s;
  if (remote_.dry_run()) return Status::Ok();  // a dry run runs nothing on the hosts
  for (const auto& h : plan.hosts)
    if (Status s = CheckHost(h); !s.ok()) return s;
  return Status::Ok();
}

// Nothing is created on the hosts: the run's folder here, and how to reach
// each host, so that teardown can undo the faults without the inventory.
Status SshProvider::CreateHosts(const ClusterPlan& plan, Manifest& m) {
  if (Status s = CreateRecordedDirectory(plan.run_dir, m); !s.ok()) return s;
  for (const auto& h : plan.hosts) {
    auto id = m.Record(AccessResource(*remote_.Find(h.name)));
    if (!id.ok()) return id.status();
    m.MarkCreated(*id);
  }
  return Status::Ok();
}

std::map<std::string, std::string> SshProvider::Versions(const std::vector<VersionQuery>& queries) {
  std::map<std::string, std::string> v;
  for (const auto& q : queries) {
    v[q.component] = "unknown";
    if (!inventory_ || remote_.dry_run()) continue;
    for (const auto& a : inventory_->access) {
      auto r = d_.runner.Run(CommandSpec::Of(SshArgv(a, ShellCommand(q.argv)), std::chrono::seconds(10)));
      if (!r.ok() || !r->Succeeded()) continue;
      const std::string out = r->out.empty() ? r->err : r->out;
      v[q.component] = out.substr(0, out.find('\n'));
      break;
    }
  }
  return v;
}

}  // namespace pgha
