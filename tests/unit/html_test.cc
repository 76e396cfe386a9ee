#include <gtest/gtest.h>

#include "report/html.h"

namespace pgha {
namespace {
using nlohmann::json;

HtmlScenario Page() {
  HtmlScenario s;
  s.folder = "split-brain";
  s.result = json{{"format", 1},
                  {"scenario", {{"name", "split<brain>"}, {"file", "scenarios/split-brain.yaml"}, {"description", "<script>alert(1)</script> & co"}}},
                  {"seed", 12}, {"run_id", "abc"}, {"started_at", "2026-11-24T11:00:00Z"}, {"wall_s", 40.0}, {"bring_up_s", 5.0}, {"exit_code", 1},
                  {"infrastructure_error", ""}, {"skipped_faults", json::array()},
                  {"versions", {{"patroni", "patroni 3.0.2"}}}, {"settings", {{"patroni", {{"ttl", "10s"}}}}},
                  {"steps", {{{"step", "pause patroni on primary"}, {"start_s", 10.0}, {"end_s", 10.1}, {"outcome", "ok"}, {"detail", "SIGSTOP <pid 42>"}}}},
                  {"verdicts", {{{"metric", "split_brain"}, {"target", "0s"}, {"status", "fail"}, {"measured_text", "10.00s"}, {"reason", "x"}}}},
                  {"measurements", {{"fault_injected", true}, {"fault_at_s", 10.0}, {"old_primary_server", "10.77.0.10"},
                                    {"failover_phases", {{{"name", "new leader elected"}, {"after_fault_s", 2.5}}}},
                                    {"writes", {{"ok", 10}, {"fail", 2}, {"info", 1}}}, {"lost_keys", {7, 9}},
                                    {"info_recovered_keys", json::array()}, {"info_absent_keys", {3}},
                                    {"split_brain_intervals", {{{"start_s", 12.0}, {"end_s", 22.0}, {"nodes", {"node1", "node2"}}}}},
                                    {"split_brain_writes", 5}, {"throughput_per_s", 20.0},
                                    {"write_latency_s", {{"p50", 0.001}, {"p95", 0.002}, {"p99", 0.003}}}}}};
  s.history.members = {"node1", "node2"};
  s.history.end_ns = 40'000'000'000;
  ObserverSample o;
  o.t_ns = 5'000'000'000;
  o.reachable = true;
  o.leader = "node1";
  o.members = {{"node1", "leader", "running", "", 1, 0}, {"node2", "replica", "running", "", 1, 0}};
  s.history.observer = {o, o};
  s.history.observer[1].t_ns = 6'000'000'000;
  s.history.journal = {{10'000'000'000, "inject", "freeze", "pause", "node1", ""}, {30'000'000'000, "heal", "freeze", "heal", "", ""}};
  return s;
}

TEST(Html, SelfContainedAndEveryOutsideStringEscaped) {
  const std::string html = RenderHtml({Page()});
  EXPECT_EQ(html.find("<script"), std::string::npos) << "no scripts, and the description's script is escaped";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
  EXPECT_NE(html.find("split&lt;brain&gt;"), std::string::npos);
  EXPECT_NE(html.find("SIGSTOP &lt;pid 42&gt;"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "nothing fetched";
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
}

TEST(Html, VerdictsPhasesLostKeysAndSplitBrainAreThere) {
  const std::string html = RenderHtml({Page()});
  EXPECT_NE(html.find("1 scenarios · 0 of 1 targets met"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"fail\">fail</td>"), std::string::npos);
  EXPECT_NE(html.find("new leader elected</td><td class=\"num\">2.50 s"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"keys\">7, 9</span>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">10.00 s</td><td>node1, node2</td>"), std::string::npos);
  EXPECT_NE(html.find("href=\"split-brain/logs/node1/patroni.log\""), std::string::npos);
  EXPECT_NE(html.find(">freeze</text>"), std::string::npos) << "the fault window is labelled";
  EXPECT_EQ(html, RenderHtml({Page()})) << "deterministic";
}

}  // namespace
}  // namespace pgha
