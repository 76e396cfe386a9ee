#include <gtest/gtest.h>

#include "cluster/preflight.h"
#include "core/cidr.h"
#include "services/registry.h"

namespace pgha {
namespace {

TEST(Cidr, ParsesAndAddresses) {
  auto s = ParseSubnet("10.77.0.0/24");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Address(1), "10.77.0.1");
  EXPECT_EQ(s->Address(10), "10.77.0.10");
  EXPECT_EQ(s->Size(), 256u);
  EXPECT_EQ(s->ToString(), "10.77.0.0/24");
}

TEST(Cidr, RejectsMalformedSubnets) {
  for (const char* bad : {"10.77.0.0", "10.77.0/24", "10.77.0.256/24", "10.77.0.0/33", "a.b.c.d/24", "10.77.0.0/"})
    EXPECT_FALSE(ParseSubnet(bad).ok()) << bad;
  EXPECT_NE(ParseSubnet("10.77.0.9/24").status().message().find("did you mean 10.77.0.0/24"), std::string::npos);
}

TEST(Cidr, Overlap) {
  auto a = *ParseSubnet("10.77.0.0/24");
  EXPECT_TRUE(a.Overlaps(*ParseSubnet("10.0.0.0/8")));
  EXPECT_TRUE(a.Overlaps(*ParseSubnet("10.77.0.128/25")));
  EXPECT_FALSE(a.Overlaps(*ParseSubnet("10.78.0.0/24")));
}

TEST(Preflight, RootIsRequired) {
  EXPECT_TRUE(CheckRoot(0, "up").ok());
  auto s = CheckRoot(1000, "up");
  EXPECT_EQ(s.code(), StatusCode::kEnvironment);
  EXPECT_NE(s.message().find("must run as root"), std::string::npos);
}

TEST(Preflight, MissingProgramsNameTheirPackagesAndTheFix) {
  const auto programs = ProgramsFor({"etcd", "patroni", "haproxy"});
  auto s = CheckPrograms(programs, [](const std::string& p) { return p.find("etcd") == std::string::npos; });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/usr/bin/etcd (package etcd-server)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("apt-get install etcd-client etcd-server"), std::string::npos) << s.message();
  EXPECT_TRUE(CheckPrograms(programs, [](const std::string&) { return true; }).ok());
  EXPECT_EQ(ProgramsFor({"haproxy"}).size(), 1u) << "only what the cluster runs";
}

TEST(Preflight, SubnetInUseByAnAddressOrARoute) {
  const auto subnet = *ParseSubnet("10.77.0.0/24");
  const std::string addrs = R"([{"ifname":"lo","addr_info":[{"local":"127.0.0.1","prefixlen":8}]},
                                {"ifname":"eth0","addr_info":[{"local":"10.77.0.5","prefixlen":16}]}])";
  auto s = CheckSubnetFree(subnet, addrs, "[]");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("overlaps 10.77.0.5/16 on eth0"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("--subnet"), std::string::npos);
  const std::string routes = R"([{"dst":"default","dev":"eth0"},{"type":"unicast","dst":"10.77.0.0/20","dev":"tun0"}])";
  EXPECT_FALSE(CheckSubnetFree(subnet, "[]", routes).ok());
  EXPECT_TRUE(CheckSubnetFree(*ParseSubnet("10.78.0.0/24"), addrs, routes).ok());
  EXPECT_FALSE(CheckSubnetFree(*ParseSubnet("127.0.0.0/24"), addrs, routes).ok());
}

}  // namespace
}  // namespace pgha

namespace pgha {
namespace {

// A data volume is a tmpfs that disk_full fills in memory (issue 18).
TEST(Preflight, ADataVolumeOverHalfTheAvailableMemoryIsRefusedWithTheMost) {
  const std::string meminfo = "MemTotal:       24576000 kB\nMemFree:        1000 kB\nMemAvailable:   2097152 kB\n";
  ASSERT_EQ(MemAvailableBytes(meminfo), uint64_t{2097152} * 1024);
  EXPECT_EQ(MemAvailableBytes("MemTotal: 1 kB\n"), std::nullopt);
  const uint64_t gib = uint64_t{1} << 30;
  EXPECT_TRUE(CheckDataVolumeFits(0, 2 * gib).ok()) << "no data volume";
  EXPECT_TRUE(CheckDataVolumeFits(gib, 2 * gib).ok());
  const Status s = CheckDataVolumeFits(gib + 1, 2 * gib);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("more than half of the memory this machine has available (2048 MiB)"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("use at most 1024 MiB"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace pgha
