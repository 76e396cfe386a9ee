#include "deploy/certificates.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <set>

#include "core/cidr.h"

namespace pgha {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;

Status OpensslError(const std::string& what) {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  return Failed("making certificates: " + what + ": " + buf);
}

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256")); }

std::string Pem(const X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string Pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

struct CertRequest {
  std::string common_name;
  long serial = 1;
  bool ca = false;
  std::vector<std::string> names;  // subjectAltName entries, IP or DNS
  std::string extended_key_usage;  // "serverAuth,clientAuth"
};

std::string AltNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + std::string(ParseIpv4(n).ok() ? "IP:" : "DNS:") + n;
  return out;
}

// Signs `key`'s certificate with issuer_key (itself when issuer is null).
Result<CertPtr> Sign(const CertRequest& r, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  if (!cert) return OpensslError("X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), r.serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("pgha-chaos run"), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(r.common_name.c_str()),
                             -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  bool ok = AddExtension(cert.get(), signer, NID_basic_constraints, r.ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
            AddExtension(cert.get(), signer, NID_key_usage,
                         r.ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyAgreement") &&
            AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (ok && !r.ca) ok = AddExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (ok && !r.extended_key_usage.empty())
    ok = AddExtension(cert.get(), signer, NID_ext_key_usage, r.extended_key_usage);
  if (ok && !r.names.empty()) ok = AddExtension(cert.get(), signer, NID_subject_alt_name, AltNames(r.names));
  if (!ok) return OpensslError("adding extensions to " + r.common_name);
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) == 0)
    return OpensslError("signing " + r.common_name);
  return cert;
}

Result<KeyPair> Issue(const CertRequest& r, X509* ca, EVP_PKEY* ca_key) {
  KeyPtr key = NewKey();
  if (!key) return OpensslError("generating a key");
  auto cert = Sign(r, key.get(), ca, ca_key);
  if (!cert.ok()) return cert.status();
  return KeyPair{Pem(cert->get()), Pem(key.get())};
}

}  // namespace

std::vector<std::string> CertificateNames(const ClusterPlan& plan, const HostPlan& host) {
  std::vector<std::string> names = {host.address, host.name, "127.0.0.1", "localhost"};
  std::set<std::string> seen(names.begin(), names.end());
  auto add = [&](const std::string& n) {
    if (!n.empty() && seen.insert(n).second) names.push_back(n);
  };
  add(plan.vip);
  for (const auto& h : plan.hosts)
    if (h.Runs("haproxy") || h.Runs("pgbouncer")) add(h.address);
  for (const auto& e : plan.endpoints)
    for (const auto& s : e.servers) add(s.address);
  return names;
}

Result<RunCertificates> MakeRunCertificates(const ClusterPlan& plan) {
  KeyPtr ca_key = NewKey();
  if (!ca_key) return OpensslError("generating the CA key");
  auto ca = Sign({"pgha-chaos CA " + plan.run_id, 1, true, {}, ""}, ca_key.get(), nullptr, nullptr);
  if (!ca.ok()) return ca.status();
  RunCertificates out;
  out.ca_cert_pem = Pem(ca->get());
  auto client = Issue({"pgha-chaos", 2, false, {}, "clientAuth"}, ca->get(), ca_key.get());
  if (!client.ok()) return client.status();
  out.client = *client;
  long serial = 10;
  for (const auto& h : plan.hosts) {
    auto pair =
        Issue({h.name, serial++, false, CertificateNames(plan, h), "serverAuth,clientAuth"}, ca->get(), ca_key.get());
    if (!pair.ok()) return pair.status();
    out.host[h.name] = *pair;
  }
  return out;
}

}  // namespace pgha
