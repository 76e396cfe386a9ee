// The CI gate's primary-kill, looked at closely (tests/integration/gate_test.cc
// calls it on the netns gate's output, so that no run of its own is needed):
// the failover inside the window the settings allow, nothing lost beyond the
// asynchronous bound, every service's log collected, JUnit valid against the
// schema and recomputed byte for byte by `report`, and the HTML report
// opened in a real browser.
#include "gate_primary_kill.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_helpers.h"
#include "core/process.h"

namespace pgha::itest {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

json Verdict(const json& result, const std::string& metric) {
  for (const auto& v : result["verdicts"])
    if (v["metric"] == metric) return v;
  return json();
}

// The HTML report opens in headless Chromium (nothing fetched) with its
// verdict table; a screenshot is kept for a person.
void OpenInBrowser(const std::string& out) {
  BoostProcessRunner runner;
  const std::vector<std::string> chromium{"/usr/bin/chromium",
                                          "--headless",
                                          "--no-sandbox",
                                          "--disable-gpu",
                                          "--disable-quic",
                                          "--no-first-run",
                                          "--disable-background-networking",
                                          "--disable-component-update",
                                          "--disable-sync",
                                          "--user-data-dir=" + out + "/chromium-profile"};
  auto dump_argv = chromium;
  dump_argv.push_back("--dump-dom");
  dump_argv.push_back("file://" + out + "/report.html");
  auto dom = runner.Run(CommandSpec::Of(dump_argv, std::chrono::seconds(60)));
  ASSERT_TRUE(dom.ok());
  EXPECT_NE(dom->out.find("PostgreSQL HA acceptance report"), std::string::npos) << dom->err.substr(0, 2000);
  EXPECT_NE(dom->out.find("<td>failover_time &lt; 8s</td>"), std::string::npos);
  EXPECT_NE(dom->out.find("Patroni 3.0.2: written and effective settings"), std::string::npos);
  auto shot_argv = chromium;
  shot_argv.push_back("--window-size=1200,2400");
  shot_argv.push_back("--screenshot=" + out + "/report.png");
  shot_argv.push_back("file://" + out + "/report.html");
  auto shot = runner.Run(CommandSpec::Of(shot_argv, std::chrono::seconds(60)));
  ASSERT_TRUE(shot.ok());
  EXPECT_GT(fs::file_size(out + "/report.png"), 20000u);
}

}  // namespace

void CheckGatePrimaryKill(const std::string& out, const std::string& console, int exit_code) {
  SCOPED_TRACE("the gate's primary-kill");
  const json res = json::parse(ReadAll(out + "/primary-kill/result.json"));
  const auto& m = res["measurements"];
  ASSERT_FALSE(m["failover_time_s"].is_null());
  const double failover = m["failover_time_s"];
  // ttl 5s, loop_wait 1s, HAProxy checks every 250ms: the key expires 4 to
  // 5 s after the kill (renewed every loop_wait), then promotion and one check.
  EXPECT_GT(failover, 3.5);
  EXPECT_LT(failover, 8.0);
  EXPECT_EQ(Verdict(res, "failover_time")["status"], "pass");
  // Asynchronous: at most one write per writer acknowledged as the primary died (primary-kill.yaml).
  EXPECT_LE(m["lost_keys"].size(), 2u) << m["lost_keys"].dump();
  EXPECT_EQ(Verdict(res, "lost_writes")["status"], "pass");
  EXPECT_GT(m["writes"]["ok"].get<int>(), 200);
  EXPECT_GT(m["writes"]["fail"].get<int>() + m["writes"]["info"].get<int>(), 0) << "the outage was seen by the clients";
  EXPECT_TRUE(res["final_read"]["ok"].get<bool>());
  EXPECT_NE(res["final_read"]["primary"], res["journal"][0]["target"]) << "a new primary at the end";
  EXPECT_EQ(res["journal"][0]["action"], "inject");
  EXPECT_TRUE(fs::exists(out + "/primary-kill/history.jsonl"));
  EXPECT_TRUE(fs::exists(out + "/primary-kill/logs/node1/patroni.log"));
  EXPECT_TRUE(fs::exists(out + "/primary-kill/logs/lb/haproxy.log")) << "every service's log is collected";
  EXPECT_EQ(res["logs"].size(), 7u) << res["logs"].dump();
  EXPECT_NE(console.find("failover_time < 8s"), std::string::npos) << console;
  // What Patroni ran with: 3.0.2 runs the reference settings as written,
  // and its own log (read after the run) says nothing was adjusted.
  const auto& eff = res["effective_settings"];
  EXPECT_EQ(eff["patroni_version"], "3.0.2") << res["versions"].dump();
  EXPECT_EQ(eff["applied"]["ttl"], "5s");
  EXPECT_TRUE(eff["predicted"].empty() && eff["logged"].empty()) << eff.dump();
  EXPECT_TRUE(eff["logs_read"].get<bool>());
  EXPECT_EQ(eff["confirmation"], "confirmed: Patroni logged no adjustment, as its version's rules predict");
  EXPECT_NE(console.find("Patroni 3.0.2: every setting runs as written"), std::string::npos) << console;

  // JUnit for the CI gate: valid against the schema, and `report` recomputes
  // the same bytes from the saved histories without a cluster.
  const std::string junit = ReadAll(out + "/junit.xml");
  ASSERT_FALSE(junit.empty());
  BoostProcessRunner runner;
  auto lint = runner.Run(CommandSpec::Of(
      {"/usr/bin/xmllint", "--noout", "--schema", PGHA_SOURCE_DIR "/tests/schemas/junit-10.xsd", out + "/junit.xml"}));
  ASSERT_TRUE(lint.ok());
  EXPECT_EQ(lint->exit_code, 0) << lint->err;
  fs::remove(out + "/junit.xml");
  auto again = Cli({"report", out});
  EXPECT_EQ(again.exit_code, exit_code) << again.err;
  EXPECT_EQ(ReadAll(out + "/junit.xml"), junit);
  OpenInBrowser(out);
}

}  // namespace pgha::itest
