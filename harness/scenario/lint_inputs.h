// The files `pgha-chaos lint` reads, into the settings a prediction needs
// (check/predict.h): pgha-chaos topology and scenario files (their
// settings under test), a Patroni YAML (bootstrap.dcs timings,
// postgresql.parameters, watchdog.mode), an haproxy.cfg (inter, fall,
// rise and on-marked-down shutdown-sessions of every checked server; the
// slowest counts), a keepalived.conf (advert_int) and etcd's settings
// (election-timeout, pre-vote) from its YAML config, an environment file
// (ETCD_PRE_VOTE=...) or its systemd unit's ExecStart flags (--pre-vote).
// The kind of each file is told by its content; later
// files override what earlier ones set. Errors name the file (and line).
// Pure apart from reading the files.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "check/predict.h"
#include "core/status.h"

namespace pgha {

struct LintInputs {
  PredictInputs inputs;
  std::vector<std::string> read;  // "topology compact (fixtures/topologies/compact.yaml)", ...
};

Result<LintInputs> ReadLintInputs(const std::vector<std::string>& files, const std::string& fixtures_dir);

// A config file's format, told by structure (the first line that is not
// blank or a comment), never by a word it mentions.
enum class LintFormat { kKeepalived, kHaproxy, kEtcdFlags, kYaml };
LintFormat DetectConfigFormat(const std::string& text);

// Parsers of the users' own formats, pure (for tests).
Status ReadHaproxyConfig(const std::string& text, const std::string& file, PredictInputs* in);
Status ReadKeepalivedConfig(const std::string& text, const std::string& file, PredictInputs* in);
Status ReadEtcdFlags(const std::string& text, const std::string& file, PredictInputs* in);  // etcd_flags.cc
// etcd's settings by flag name ("election-timeout", "pre-vote": "true" or
// "false"), from any of its formats, with the line each was written on.
struct EtcdSetting {
  std::string value;
  int line = 1;
};
Status ApplyEtcdSettings(const std::map<std::string, EtcdSetting>& settings, const std::string& file,
                         PredictInputs* in);

}  // namespace pgha
