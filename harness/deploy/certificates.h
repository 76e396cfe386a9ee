// Certificates: a per-run certificate authority and the certificates a
// cluster with TLS needs, made in memory with OpenSSL's libcrypto (EC
// P-256 keys, SHA-256 signatures, valid for two days):
//   - one server certificate per host, for both TLS server and client use
//     (etcd peers present theirs to each other; Patroni presents its own to
//     etcd), naming the host's address, its name, 127.0.0.1 and every
//     address a client may reach PostgreSQL through (the VIP and the
//     routers' hosts), so sslmode=verify-full holds whichever way a client
//     came;
//   - one client certificate for the harness itself (CN pgha-chaos).
// Nothing here touches a disk: deploy/ writes the PEM texts with mode 0600,
// records each file in the manifest first, and never prints a key.
// Failures (an OpenSSL error) are Status values. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/cluster_plan.h"

namespace pgha {

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

struct RunCertificates {
  std::string ca_cert_pem;
  KeyPair client;                       // the harness's own
  std::map<std::string, KeyPair> host;  // by host name
};

// The names (IP or DNS) a host's certificate carries.
std::vector<std::string> CertificateNames(const ClusterPlan& plan, const HostPlan& host);

Result<RunCertificates> MakeRunCertificates(const ClusterPlan& plan);

}  // namespace pgha
