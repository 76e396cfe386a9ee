// lint --sarif: the findings of real lint inputs as SARIF 2.1.0, valid
// against the OASIS schema (fetched by tools/setup.sh --tests) and each
// pointing at the line of its setting in the user's own file.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/files.h"
#include "core/process.h"
#include "report/sarif.h"
#include "scenario/lint_inputs.h"

namespace pgha {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kSarifSchema[] = PGHA_SOURCE_DIR "/tests/schemas/fetched/sarif-2.1.0-rtm.5.json";

constexpr char kPatroni[] = R"(scope: pg
name: node1
bootstrap:
  dcs:
    loop_wait: 10
    ttl: 30
    retry_timeout: 10
restapi:
  listen: 0.0.0.0:8008
postgresql:
  data_dir: /var/lib/postgresql/15/main
)";

constexpr char kHaproxy[] = R"(global
    maxconn 100
listen primary
    bind *:5000
    default-server inter 3s fall 3 rise 2
    server node1 10.0.0.1:5432 check port 8008 on-marked-down shutdown-sessions
    server node2 10.0.0.2:5432 check port 8008
)";

constexpr char kKeepalived[] = R"(vrrp_instance VI_1 {
    state BACKUP
    advert_int 5
}
)";

struct SarifRun {
  json doc;
  std::string validation;  // the schema validator's verdict
};

SarifRun LintAsSarif(const std::string& dir) {
  EXPECT_TRUE(WriteFileAtomic(dir + "/patroni.yml", kPatroni).ok());
  EXPECT_TRUE(WriteFileAtomic(dir + "/haproxy.cfg", kHaproxy).ok());
  EXPECT_TRUE(WriteFileAtomic(dir + "/keepalived.conf", kKeepalived).ok());
  auto in = ReadLintInputs({dir + "/patroni.yml", dir + "/haproxy.cfg", dir + "/keepalived.conf"}, "");
  EXPECT_TRUE(in.ok()) << in.status().message();
  const std::string text = RenderSarif(Lint(in->inputs), in->inputs.spots, {dir + "/patroni.yml", 1}, "9.9.9");
  EXPECT_TRUE(WriteFileAtomic(dir + "/lint.sarif", text).ok());
  BoostProcessRunner runner;
  auto v = runner.Run(CommandSpec::Of({"/usr/bin/python3", "-c",
                                       "import json, sys, jsonschema\n"
                                       "schema = json.load(open(sys.argv[1]))\n"
                                       "jsonschema.Draft4Validator(schema).validate(json.load(open(sys.argv[2])))\n"
                                       "print('valid')\n",
                                       kSarifSchema, dir + "/lint.sarif"}));
  return {json::parse(text), v.ok() ? v->out + v->err : v.status().message()};
}

// The result of `rule`, or null.
const json* ResultOf(const json& doc, const std::string& rule) {
  for (const auto& r : doc["runs"][0]["results"])
    if (r["ruleId"] == rule) return &r;
  return nullptr;
}

TEST(Sarif, LintFindingsValidateAgainstTheSchemaAndPointAtTheirSettingsLine) {
  ASSERT_TRUE(fs::exists(kSarifSchema)) << kSarifSchema << " is missing: run sudo tools/setup.sh --tests";
  const std::string dir = (fs::temp_directory_path() / ("pgha-sarif-" + RandomHex(4))).string();
  fs::create_directories(dir);
  const SarifRun run = LintAsSarif(dir);
  EXPECT_EQ(run.validation, "valid\n");
  const json& doc = run.doc;
  EXPECT_EQ(doc["version"], "2.1.0");
  const json& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  EXPECT_EQ(rules.size(), LintRules().size()) << "every check, fired or not";
  for (const auto& r : doc["runs"][0]["results"]) EXPECT_EQ(rules[r["ruleIndex"].get<size_t>()]["id"], r["ruleId"]);
  auto line_of = [&](const std::string& rule) -> std::pair<std::string, int> {
    const json* r = ResultOf(doc, rule);
    if (!r) return {"(no result)", 0};
    const json& loc = (*r)["locations"][0]["physicalLocation"];
    return {loc["artifactLocation"]["uri"], loc["region"]["startLine"]};
  };
  EXPECT_EQ(line_of("slow-failover"), std::pair(SarifUri(dir + "/patroni.yml"), 6)) << "ttl: 30";
  EXPECT_EQ(line_of("haproxy-keeps-sessions"), std::pair(SarifUri(dir + "/haproxy.cfg"), 7)) << "node2's line";
  EXPECT_EQ(line_of("keepalived-slow-advert"), std::pair(SarifUri(dir + "/keepalived.conf"), 3));
  EXPECT_EQ(line_of("no-watchdog"), std::pair(SarifUri(dir + "/patroni.yml"), 3)) << "absent: its bootstrap";
  EXPECT_EQ((*ResultOf(doc, "haproxy-keeps-sessions"))["level"], "error");
  EXPECT_EQ((*ResultOf(doc, "no-watchdog"))["level"], "warning");
  fs::remove_all(dir);
}

TEST(Sarif, AnUnwritableSarifFileIsRefusedBeforeLintReadsAnything) {
  EXPECT_EQ(CheckWritableFile("/nonexistent-pgha/lint.sarif", "--sarif").message(),
            "--sarif /nonexistent-pgha/lint.sarif: the folder /nonexistent-pgha does not exist (create it first)");
  EXPECT_NE(CheckWritableFile("/tmp", "--sarif").message().find("is a folder"), std::string::npos);
  EXPECT_TRUE(CheckWritableFile((fs::temp_directory_path() / "pgha-new.sarif").string(), "--sarif").ok());
}

TEST(Sarif, PathsBecomeUris) {
  EXPECT_EQ(SarifUri("my/patroni.yml"), "my/patroni.yml");
  EXPECT_EQ(SarifUri("/etc/patroni/patroni.yml"), "file:///etc/patroni/patroni.yml");
  EXPECT_EQ(SarifUri("a dir/ä#1.yml"), "a%20dir/%C3%A4%231.yml");
}

}  // namespace
}  // namespace pgha
