// Installed without the source tree: `cmake --install` to a prefix, the
// source tree hidden under an empty tmpfs in a mount namespace of its own,
// and the installed program lists and validates from what it installed;
// the .deb that CPack makes holds the same files and names its packages.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_helpers.h"
#include "core/files.h"
#include "core/process.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;

const std::string kPrefix = "/tmp/pgha-itest-install";

class InstallTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::remove_all(kPrefix); }
  void TearDown() override { fs::remove_all(kPrefix); }
  static CommandResult Sh(const std::string& script) {
    BoostProcessRunner runner;
    auto r = runner.Run(CommandSpec::Of({"/bin/bash", "-c", script}, std::chrono::seconds(120)));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : CommandResult{};
  }
};

TEST_F(InstallTest, TheInstalledProgramRunsWithNoSourceTreeAndTheDebHoldsIt) {
  const std::string build = fs::path(PGHA_BINARY).parent_path().string();
  auto installed = Sh("cmake --install " + build + " --prefix " + kPrefix + "/usr");
  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  const std::string bin = kPrefix + "/usr/bin/pgha-chaos";
  // The source tree it was built from, hidden: only what was installed remains.
  auto hidden =
      Sh("unshare -m bash -c 'mount -t tmpfs none " PGHA_SOURCE_DIR " && ls -A " PGHA_SOURCE_DIR " | wc -l && " + bin +
         " list && " + bin + " validate " + kPrefix + "/usr/share/pgha-chaos/scenarios/primary-kill.yaml'");
  EXPECT_EQ(hidden.exit_code, 0) << hidden.out << hidden.err;
  EXPECT_EQ(hidden.out.rfind("0\nSCENARIOS (" + kPrefix + "/usr/share/pgha-chaos/scenarios)", 0), 0u) << hidden.out;
  EXPECT_NE(hidden.out.find("primary-kill.yaml: ok (7 steps"), std::string::npos) << hidden.out;
  for (const char* file :
       {"/usr/share/man/man1/pgha-chaos.1", "/usr/share/bash-completion/completions/pgha-chaos",
        "/usr/libexec/pgha-chaos/libpgha-clock-shim.so", "/usr/share/doc/pgha-chaos/README.md",
        "/usr/share/doc/pgha-chaos/docs/ci.md", "/usr/share/pgha-chaos/fixtures/topologies/compact.yaml"})
    EXPECT_TRUE(fs::exists(kPrefix + file)) << file;
  EXPECT_NE(ReadTextFile(kPrefix + "/usr/share/man/man1/pgha-chaos.1")->find(".SS merge"), std::string::npos);

  // The installed image script, and the program naming it where the image is missing.
  const std::string script = kPrefix + "/usr/share/pgha-chaos/tools/build-image.sh";
  const std::string image = kPrefix + "/images/debian12";
  auto tools = Sh("unshare -m bash -c 'set -e; mount -t tmpfs none " PGHA_SOURCE_DIR "; mkdir -p " + kPrefix +
                  "/work; cd /; PGHA_CHAOS_IMAGES=" + kPrefix + "/images " + bin + " --workdir " + kPrefix +
                  "/work up --provider containers || echo \"exit $?\"'");
  EXPECT_NE(tools.err.find("no container image in " + image + ": run sudo " + script + " "), std::string::npos)
      << tools.err;
  EXPECT_NE(tools.out.find("exit 2"), std::string::npos) << tools.out << tools.err;
  // An image built from the installed package list and script is found up to date: the script reads the
  // fixtures installed beside it (a build from anywhere else would take a minute and print otherwise).
  auto fresh = Sh("unshare -m bash -c 'set -e; mount -t tmpfs none " PGHA_SOURCE_DIR "; mkdir -p " + image +
                  "/rootfs/lib/systemd; install -m 755 /dev/null " + image + "/rootfs/lib/systemd/systemd; grep -v " +
                  "\"^#\" " + kPrefix + "/usr/share/pgha-chaos/fixtures/image/packages.txt | tr -s \" \\n\" \" \" | " +
                  "sed \"s/^ //; s/ $//\" > " + image + "/packages; sha256sum " + script + " | cut -c1-16 > " + image +
                  "/script; cd /; PGHA_CHAOS_IMAGES=" + kPrefix + "/images timeout 20 " + script + "'");
  EXPECT_EQ(fresh.exit_code, 0) << fresh.out << fresh.err;
  EXPECT_NE(fresh.out.find("image up to date: " + image), std::string::npos) << fresh.out << fresh.err;

  auto deb = Sh("cpack --config " + build + "/CPackConfig.cmake -B " + kPrefix + "/deb >/dev/null && dpkg-deb -I " +
                kPrefix + "/deb/pgha-chaos_*.deb && dpkg-deb -c " + kPrefix + "/deb/pgha-chaos_*.deb");
  ASSERT_EQ(deb.exit_code, 0) << deb.err;
  EXPECT_NE(deb.out.find("Depends: postgresql-15"), std::string::npos) << deb.out.substr(0, 2000);
  EXPECT_NE(deb.out.find(", patroni, etcd-server,"), std::string::npos);
  for (const char* file :
       {"./usr/bin/pgha-chaos", "./usr/share/man/man1/pgha-chaos.1",
        "./usr/share/pgha-chaos/scenarios/suites/ci-gate.yaml", "./usr/share/pgha-chaos/tools/build-image.sh"})
    EXPECT_NE(deb.out.find(file), std::string::npos) << file;
}

}  // namespace
}  // namespace pgha
