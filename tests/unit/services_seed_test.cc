// The configuration the seeds' parts get: keepalived, PgBouncer, TLS on
// etcd, Patroni's API and PostgreSQL, the emulated watchdog, a user's own
// template and Patroni overlay; and the per-run certificates themselves.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "core/files.h"
#include "deploy/certificates.h"
#include "scenario/topology_loader.h"
#include "services/patroni_config.h"
#include "services/registry.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

Topology Load(const std::string& name) {
  return LoadTopology(PGHA_SOURCE_DIR "/fixtures/topologies/" + name + ".yaml")->topology;
}

// Every file service `kind` renders for `host` of a plan of `t`, by file name.
std::map<std::string, FileSpec> RenderSeedService(const std::string& kind, const Topology& t, const std::string& host) {
  auto plan = *MakePlan(t, "abc123", "/w", "netns");
  const Secrets s{"supersecret", "replsecret", "rewindsecret"};
  auto files = FindService(kind)->Render({plan, *plan.Find(host), t, s, PGHA_SOURCE_DIR "/fixtures"});
  EXPECT_TRUE(files.ok()) << files.status().message();
  std::map<std::string, FileSpec> out;
  if (files.ok())
    for (const auto& f : *files) out[fs::path(f.path).filename().string()] = f;
  return out;
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(SeedServices, KeepalivedFloatsTheVipWithPrioritiesByHostOrder) {
  const Topology t = Load("seed-001-haproxy-vip");
  const std::string lb1 = RenderSeedService("keepalived", t, "lb1")["keepalived.conf"].content;
  const std::string lb2 = RenderSeedService("keepalived", t, "lb2")["keepalived.conf"].content;
  EXPECT_TRUE(Has(lb1, "priority 150")) << lb1;
  EXPECT_TRUE(Has(lb2, "priority 140"));
  EXPECT_TRUE(Has(lb1, "advert_int 0.10"));
  EXPECT_TRUE(Has(lb1, "vrrp_version 3"));
  EXPECT_TRUE(Has(lb1, "10.77.0.110/24 dev eth0"));
  EXPECT_TRUE(Has(lb1, "</dev/tcp/10.77.0.13/5000")) << "the track script checks the host's own router";
  const std::string haproxy = RenderSeedService("haproxy", t, "lb1")["haproxy.cfg"].content;
  EXPECT_TRUE(Has(haproxy, "bind *:5000")) << "the VIP is served wherever it lands";
  EXPECT_TRUE(Has(haproxy, "bind 10.77.0.13:7000")) << "stats stay on the host's own address";
  EXPECT_TRUE(Has(haproxy, "check port 8008 check-ssl verify required ca-file /w/runs/abc123/lb1/tls/ca.crt"))
      << "Patroni's API is HTTPS in seed 001";
}

TEST(SeedServices, PgbouncerLeadsToItsHostsPostgresqlWithTheRunsPasswordInAPrivateFile) {
  auto files = RenderSeedService("pgbouncer", Load("seed-002-dedicated-etcd"), "pg2");
  const std::string ini = files["pgbouncer.ini"].content;
  EXPECT_TRUE(Has(ini, "postgres = host=10.77.0.14 port=5432 dbname=postgres")) << ini;
  EXPECT_TRUE(Has(ini, "listen_addr = 10.77.0.14"));
  EXPECT_TRUE(Has(ini, "server_login_retry = 15"));
  EXPECT_TRUE(Has(ini, "pool_mode = session"));
  EXPECT_FALSE(Has(ini, "server_tls_sslmode"));
  const FileSpec users = files["pgbouncer.users"];
  EXPECT_EQ(users.content, "\"postgres\" \"supersecret\"\n");
  EXPECT_EQ(users.mode, 0600u);
  EXPECT_EQ(users.owner, "postgres");
}

TEST(SeedServices, TlsReachesEtcdPatroniAndPostgresqlWhereTheTopologySaysSo) {
  const Topology s1 = Load("seed-001-haproxy-vip");
  const std::string etcd = RenderSeedService("etcd", s1, "pg1")["etcd.conf.yml"].content;
  EXPECT_TRUE(Has(etcd, "listen-client-urls: https://10.77.0.10:2379")) << etcd;
  EXPECT_TRUE(Has(etcd, "client-cert-auth: true"));
  EXPECT_TRUE(Has(etcd, "initial-cluster: pg1=https://10.77.0.10:2380"));
  auto patroni = YAML::Load(RenderSeedService("patroni", s1, "pg1")["patroni.yml"].content);
  EXPECT_EQ(patroni["etcd3"]["protocol"].as<std::string>(), "https");
  EXPECT_EQ(patroni["restapi"]["certfile"].as<std::string>(), "/w/runs/abc123/pg1/tls/server.crt");
  EXPECT_EQ(patroni["restapi"]["verify_client"].as<std::string>(), "optional");
  EXPECT_FALSE(patroni["postgresql"]["parameters"]["ssl"]) << "PostgreSQL is plain in seed 001";
  auto pg = YAML::Load(RenderSeedService("patroni", Load("seed-004-tls"), "patroni1")["patroni.yml"].content);
  EXPECT_EQ(pg["postgresql"]["parameters"]["ssl"].as<std::string>(), "on");
  EXPECT_EQ(pg["postgresql"]["pg_hba"][1].as<std::string>(),
            "hostssl replication replicator 10.77.0.0/24 scram-sha-256");
  EXPECT_EQ(pg["postgresql"]["authentication"]["replication"]["sslmode"].as<std::string>(), "verify-full");
  EXPECT_FALSE(pg["restapi"]["certfile"]);
}

TEST(SeedServices, TheEmulatedWatchdogIsPatronisRequiredTestingDevice) {
  Topology t = Load("compact");
  t.patroni.watchdog = "emulated";
  auto patroni = YAML::Load(RenderSeedService("patroni", t, "node1")["patroni.yml"].content);
  EXPECT_EQ(patroni["watchdog"]["mode"].as<std::string>(), "required");
  EXPECT_EQ(patroni["watchdog"]["driver"].as<std::string>(), "testing");
  EXPECT_EQ(patroni["watchdog"]["device"].as<std::string>(), "/w/runs/abc123/node1/watchdog.pipe");
  EXPECT_EQ(patroni["watchdog"]["safety_margin"].as<int>(), -1);
  auto plan = *MakePlan(t, "abc123", "/w", "netns");
  const DaemonLaunch w = FindService("watchdog")->Launch(plan, plan.hosts[0]);
  EXPECT_EQ(w.label, "watchdog@node1");
  EXPECT_EQ(w.argv[1], "watchdog");
  EXPECT_EQ(w.user, "") << "it must be able to kill Patroni's and PostgreSQL's processes";
}

class UserConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pgha-userconf-" + RandomHex(4));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream((dir_ / name).string()) << text;
    return (dir_ / name).string();
  }
  std::string Topo(const std::string& extra) {
    return Write("topo.yaml",
                 "name: mine\nhosts:\n  - {name: a, roles: [etcd, patroni]}\n  - {name: b, roles: [etcd, "
                 "patroni]}\n  - {name: lb, roles: [haproxy]}\n" +
                     extra);
  }
  fs::path dir_;
};

TEST_F(UserConfigTest, APatroniOverlaySetsTheSettingsUnderTestAndMergesOverTheRenderedFile) {
  Write("patroni.yml",
        "bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    failsafe_mode: true\n"
        "postgresql:\n  parameters:\n    work_mem: 16MB\ntags:\n  team: payments\n");
  auto t = LoadTopology(Topo("patroni:\n  config_overlay: patroni.yml\n"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->topology.patroni.ttl, std::chrono::seconds(30));
  EXPECT_EQ(t->topology.patroni.loop_wait, std::chrono::seconds(10));
  EXPECT_TRUE(PatroniTimingWarnings(t->topology.patroni).empty()) << "10 + 2*2 <= 30";
  auto rendered = YAML::Load(RenderSeedService("patroni", t->topology, "a")["patroni.yml"].content);
  EXPECT_EQ(rendered["bootstrap"]["dcs"]["ttl"].as<int>(), 30);
  EXPECT_TRUE(rendered["bootstrap"]["dcs"]["failsafe_mode"].as<bool>())
      << "keys the harness does not know pass through";
  EXPECT_EQ(rendered["postgresql"]["parameters"]["work_mem"].as<std::string>(), "16MB");
  EXPECT_EQ(rendered["postgresql"]["parameters"]["unix_socket_directories"].as<std::string>(), "/w/runs/abc123/a");
  EXPECT_EQ(rendered["tags"]["team"].as<std::string>(), "payments");
  EXPECT_EQ(rendered["postgresql"]["authentication"]["superuser"]["password"].as<std::string>(), "supersecret");
  EXPECT_EQ(rendered["bootstrap"]["dcs"]["postgresql"]["parameters"]["hot_standby"].as<std::string>(), "on")
      << "a quoted \"on\" stays a string for Patroni";
}

TEST_F(UserConfigTest, AnOverlayWithAnUnknownOrHarnessOwnedSettingIsAnErrorAtItsLine) {
  const std::string overlay = Write("patroni.yml",
                                    "scope: prod\nbootstrap:\n  dcs:\n    ttl: 30\n    loop_wiat: 10\n"
                                    "postgresql:\n  data_dir: /var/lib/postgresql/15/main\n");
  auto t = LoadTopology(Topo("patroni:\n  config_overlay: patroni.yml\n"));
  ASSERT_FALSE(t.ok());
  const std::string e = t.status().message();
  EXPECT_TRUE(Has(e, overlay + ":1:1: \"scope\" is set by pgha-chaos")) << e;
  EXPECT_TRUE(Has(e, overlay + ":5:5: Patroni 3.0.2 has no setting \"bootstrap.dcs.loop_wiat\"; did you mean "
                               "\"loop_wait\"?"))
      << e;
  EXPECT_TRUE(Has(e, overlay + ":7:3: \"postgresql.data_dir\" is set by pgha-chaos (the harness places each member's "
                               "data directory)"))
      << e;
  auto missing = LoadTopology(Topo("patroni:\n  config_overlay: nowhere.yml\n"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Has(missing.status().message(), "patroni.config_overlay: no such file"));
  // A file that is not YAML by its name is neither read nor quoted back (a fuzz finding: /etc/shadow's first line).
  Write("secrets", "root:*:20228:0:99999:7:::\n");
  auto other = LoadTopology(Topo("patroni:\n  config_overlay: secrets\n"));
  ASSERT_FALSE(other.ok());
  const std::string m = other.status().message();
  EXPECT_TRUE(Has(m, "topo.yaml:7:19: patroni.config_overlay: ")) << m;
  EXPECT_TRUE(Has(m, "secrets is not a YAML file (.yml or .yaml): name your Patroni settings file")) << m;
  EXPECT_FALSE(Has(m, "20228")) << m;
}

TEST_F(UserConfigTest, AUsersOwnTemplateIsRenderedInPlaceOfTheFixture) {
  Write("haproxy.cfg",
        "# mine\nlisten primary\n    bind {{address}}:{{primary_port}}\n{{#patroni_nodes}}\n"
        "    server {{name}} {{address}}:{{postgres_port}} check port {{patroni_port}}\n"
        "{{/patroni_nodes}}\n");
  auto t = LoadTopology(Topo("templates:\n  haproxy: haproxy.cfg\n"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  const std::string cfg = RenderSeedService("haproxy", t->topology, "lb")["haproxy.cfg"].content;
  EXPECT_TRUE(Has(cfg, "# mine\n")) << cfg;
  EXPECT_TRUE(Has(cfg, "server b 10.77.0.11:5432 check port 8008"));
  Write("haproxy.cfg", "listen primary\n    bind {{adress}}:5000\n");
  auto plan = *MakePlan(t->topology, "abc123", "/w", "netns");
  auto bad = FindService("haproxy")->Render({plan, plan.hosts[2], t->topology, Secrets{}, PGHA_SOURCE_DIR "/fixtures"});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Has(bad.status().message(), (dir_ / "haproxy.cfg").string() + ":2: unknown template variable \"adress\""))
      << bad.status().message();
}

TEST_F(UserConfigTest, ATemplateThatWritesTheHarnesssAddressesOrAnUnknownVariableIsAnErrorAtLoad) {
  const std::string cfg = Write("haproxy.cfg",
                                "listen primary\n    bind 192.168.60.100:5000\n"
                                "    server pg1 192.168.60.103:5432 check port 8008\n");
  auto t = LoadTopology(Topo("templates:\n  haproxy: haproxy.cfg\n"));
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(Has(t.status().message(), cfg + ":2:10: \"192.168.60.100:5000\" is set by pgha-chaos"))
      << t.status().message();
  EXPECT_TRUE(Has(t.status().message(), cfg + ":3:16: \"192.168.60.103:5432\" is set by pgha-chaos"));
  Write("haproxy.cfg", "listen primary\n    bind {{bind_address}}:{{primay_port}}\n");
  auto typo = LoadTopology(Topo("templates:\n  haproxy: haproxy.cfg\n"));
  ASSERT_FALSE(typo.ok());
  EXPECT_TRUE(Has(typo.status().message(), cfg + ":2: unknown template variable \"primay_port\""))
      << typo.status().message();
}

// A PEM text as a certificate, owned by the caller.
X509* Cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* c = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return c;
}

TEST(Certificates, EveryHostCertificateChainsToTheRunsCaAndNamesEveryAddressClientsUse) {
  auto plan = *MakePlan(Load("seed-004-tls"), "abc123", "/w", "netns");
  auto certs = MakeRunCertificates(plan);
  ASSERT_TRUE(certs.ok()) << certs.status().message();
  EXPECT_EQ(certs->host.size(), plan.hosts.size());
  X509* ca = Cert(certs->ca_cert_pem);
  ASSERT_NE(ca, nullptr);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);  // the store takes its own reference
  X509_free(ca);
  for (const auto& [name, pair] : certs->host) {
    X509* c = Cert(pair.cert_pem);
    ASSERT_NE(c, nullptr) << name;
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, c, nullptr);
    EXPECT_EQ(X509_verify_cert(ctx), 1) << name << ": " << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    X509_STORE_CTX_free(ctx);
    const HostPlan& h = *plan.Find(name);
    EXPECT_EQ(X509_check_ip_asc(c, h.address.c_str(), 0), 1) << name;
    EXPECT_EQ(X509_check_ip_asc(c, plan.vip.c_str(), 0), 1) << name << ": clients through the VIP verify-full";
    EXPECT_EQ(X509_check_ip_asc(c, "10.77.0.13", 0), 1) << name << ": and through a router's own address";
    EXPECT_NE(pair.key_pem.find("PRIVATE KEY"), std::string::npos);
    X509_free(c);
  }
  EXPECT_NE(certs->client.cert_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  X509_STORE_free(store);
  auto again = MakeRunCertificates(plan);
  EXPECT_NE(again->ca_cert_pem, certs->ca_cert_pem) << "a new CA every run";
}

}  // namespace
}  // namespace pgha
