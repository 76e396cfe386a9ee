// Loading an Ansible YAML inventory (model/inventory.h) for the ssh
// provider: `run --provider ssh --inventory prod-like.yml`.
//
//   all:
//     vars:
//       ansible_user: root
//       ansible_ssh_private_key_file: ~/.ssh/id_ed25519
//       patroni_scope: pg-cluster              # must match what Patroni serves
//       postgres_superuser_password: ...        # the harness connects as postgres
//     children:
//       etcd:    {hosts: {node1: {ansible_host: 10.0.0.11}, node2: ..., node3: ...}}
//       patroni: {hosts: {node1: , node2: , node3: }}
//       haproxy: {hosts: {lb1: {ansible_host: 10.0.0.21}}}
//
// Groups named after service kinds give hosts their services; other
// groups are allowed and only pass on variables. Variables follow
// Ansible's precedence (host over group, a child group over its parent).
// Read: ansible_host, ansible_user, ansible_port,
// ansible_ssh_private_key_file, ansible_ssh_common_args, ansible_become,
// patroni_scope, postgres_superuser_password, postgresql_data_dir, vip,
// and the harness's own: pgha_interface (default eth0), pgha_units
// ({patroni: patroni.service, ...}), pgha_ports ({haproxy: {primary:
// 5000}}); any other pgha_ variable is an error with the closest name.
// Errors name file:line:column and the fix; a host that does not resolve
// and a key file that does not exist are errors. Pure apart from reading
// the inventory, stat-ing the key and resolving host names.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "model/cluster_plan.h"
#include "model/inventory.h"

namespace pgha {

// A host name's IPv4 address, "" when it has none (tests pass their own,
// so that no test ever asks a name server).
using HostResolver = std::function<std::string(const std::string& name)>;
std::string SystemResolve(const std::string& name);

Result<Inventory> LoadInventory(const std::string& path, const HostResolver& resolve = SystemResolve);
Result<Inventory> ParseInventory(const std::string& yaml_text, const std::string& path,
                                 const HostResolver& resolve = SystemResolve);

// The hosts of a plan (a bare `up` of the containers provider) as such an
// inventory: root with the run's key, one group per service kind, the
// run's scope and generated passwords for the playbook (inventory_writer.cc).
std::string RenderInventory(const ClusterPlan& plan, const Secrets& secrets, const std::string& key_file);

}  // namespace pgha
