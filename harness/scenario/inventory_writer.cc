// RenderInventory: the hosts of a bare `up` as an Ansible inventory.
#include <fmt/format.h>

#include "scenario/inventory_loader.h"

namespace pgha {

std::string RenderInventory(const ClusterPlan& plan, const Secrets& secrets, const std::string& key_file) {
  const std::string ssh_dir = key_file.substr(0, key_file.rfind('/'));
  std::string out = fmt::format(
      "# Written by `pgha-chaos up --bare` (run {run}): the hosts of topology {topo}, as Ansible\n"
      "# and `pgha-chaos --provider ssh` reach them. Secrets inside: mode 0600, removed with the run.\n"
      "all:\n"
      "  vars:\n"
      "    ansible_user: root\n"
      "    ansible_ssh_private_key_file: {key}\n"
      "    ansible_ssh_common_args: -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile={dir}/known_hosts\n"
      "    ansible_python_interpreter: /usr/bin/python3\n"
      "    patroni_scope: pgha-{run}\n"
      "    postgres_superuser_password: {su}\n"
      "    replication_password: {repl}\n"
      "    rewind_password: {rewind}\n"
      "    pgha_interface: {iface}\n",
      fmt::arg("run", plan.run_id), fmt::arg("topo", plan.topology_name), fmt::arg("key", key_file),
      fmt::arg("dir", ssh_dir), fmt::arg("su", secrets.superuser_password),
      fmt::arg("repl", secrets.replication_password), fmt::arg("rewind", secrets.rewind_password),
      fmt::arg("iface", plan.hosts.empty() ? "eth0" : plan.hosts.front().interface));
  if (!plan.vip.empty()) out += fmt::format("    vip: {}\n    vip_prefix: {}\n", plan.vip, plan.prefix);
  if (plan.tls.links.any())  // the playbook's certificates role makes them here; pgha-chaos reads them
    out += fmt::format(
        "    tls_etcd: {}\n    tls_patroni_api: {}\n    tls_postgres: {}\n    tls_controller_dir: {}/ansible-tls\n"
        "    pgha_tls_dir: {}/ansible-tls\n",
        plan.tls.links.etcd, plan.tls.links.patroni_api, plan.tls.links.postgres, plan.run_dir, plan.run_dir);
  out += "  hosts:\n";
  for (const auto& h : plan.hosts) out += fmt::format("    {}: {{ansible_host: {}}}\n", h.name, h.address);
  out += "  children:\n";
  for (const auto& kind : plan.Kinds()) {
    out += fmt::format("    {}:\n      hosts:\n", kind);
    for (const auto* h : plan.HostsRunning(kind)) out += fmt::format("        {}:\n", h->name);
  }
  return out;
}

}  // namespace pgha
