// ValidateNetworkShape: the network shapes of a topology that cannot work,
// refused before anything starts, each naming the topology file and the fix:
//   - a subnet of addresses that are not a private network's: loopback
//     (127/8), "this network" (0/8), link-local (169.254/16), multicast
//     (224/4) or reserved (240/4);
//   - a VIP on the subnet's network address (.0) or on the provider's own
//     address (.1: the bridge the hosts reach each other through);
//   - two listeners on one port of one host (HAProxy's primary and replicas
//     ports the same, HAProxy on PostgreSQL's port, etcd's peer port on its
//     client port, ...);
//   - an endpoint on a port that does not serve its clients (a read-write
//     endpoint on HAProxy's stats or replicas port).
// Pure: reads the topology only.
#pragma once

#include <string>

#include "core/cidr.h"
#include "core/status.h"
#include "model/topology.h"

namespace pgha {

Status ValidateNetworkShape(const Topology& t, const Ipv4Subnet& subnet, const std::string& where);

}  // namespace pgha
