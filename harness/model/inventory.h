// Inventory: a cluster that pgha-chaos did not build, as the ssh provider
// reaches it: Ansible's YAML inventory (the same file a playbook
// provisions from), read by scenario/inventory_loader.h. Groups named
// after service kinds (etcd, patroni, haproxy, pgbouncer, keepalived) give
// each host its services; variables give how to log in and how each
// service is controlled. Pure data.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/topology.h"

namespace pgha {

// How the harness logs in to one host and controls its services there.
struct SshAccess {
  std::string host;                      // the inventory's name for it
  std::string address;                   // ansible_host (resolved to an address), else the name
  std::string user = "root";             // ansible_user
  int port = 22;                         // ansible_port
  std::string key_file;                  // ansible_ssh_private_key_file, absolute
  std::vector<std::string> ssh_options;  // ansible_ssh_common_args, word by word
  bool become = false;                   // ansible_become: commands run under `sudo -n`
  std::string interface = "eth0";        // pgha_interface: carries `address`; traffic faults use it
  std::string data_dir;                  // postgresql_data_dir: PGDATA of the host's PostgreSQL
  // Each service's systemd unit (pgha_units), default "<kind>.service".
  std::map<std::string, std::string> units;
  std::string Unit(const std::string& kind) const;
  std::string Destination() const;  // "root@10.0.0.5"
};

struct Inventory {
  std::string file;
  std::string scope;               // patroni_scope: the Patroni cluster the hosts must serve
  std::string superuser_password;  // postgres_superuser_password: the harness connects as postgres
  std::string vip;                 // vip: an address keepalived floats, "" none
  std::string tls_dir;             // pgha_tls_dir: ca.crt, client.crt, client.key where tls_* says a link uses TLS
  Topology topology;               // hosts, services, ports and endpoints (settings: read from the cluster)
  std::vector<SshAccess> access;   // one per host, in the topology's order

  const SshAccess* Find(const std::string& host) const;
};

}  // namespace pgha
