// Reporter: one event interface, several reporters (after Catch2): each is
// told when a scenario is done and writes its files when the run is
// finished. JUnit (junit.xml, for CI gates), HTML (report.html, for
// sign-off), JSON (each scenario's result files and run.json), a Markdown
// summary and GitHub annotations (ci_summary.h) implement it; the console's verdict tables are app/'s presentation. A
// reporter's failure to write is a Status; the run's exit code then says 3.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "report/ci_summary.h"
#include "result/baseline.h"
#include "result/result.h"

namespace pgha {

// Results are shared, not copied: a run of 1.5 million operations holds
// its history once however many reporters keep it until Finish.
using SharedResult = std::shared_ptr<const ScenarioResult>;

class Reporter {
 public:
  virtual ~Reporter() = default;
  // `folder`: the scenario's folder, relative to the run's output folder.
  virtual Status ScenarioDone(const SharedResult& r, const std::string& folder) = 0;
  // The run held against a baseline (run --baseline), before Finish.
  virtual Status BaselineCompared(const BaselineComparison&) { return Status::Ok(); }
  virtual Status Finish(const std::string& output_dir) = 0;
};

// A reporter that writes once, at the end, from every result (after
// Catch2's cumulative reporter base): it keeps the results and the
// baseline; a subclass is its writer.
class CumulativeReporter : public Reporter {
 public:
  Status ScenarioDone(const SharedResult& r, const std::string& folder) override;
  Status BaselineCompared(const BaselineComparison& b) override;

 protected:
  std::vector<SharedResult> results_;
  std::vector<std::string> folders_;
  std::optional<BaselineComparison> baseline_;
};

// junit.xml in the output folder (junit.h).
class JUnitReporter : public CumulativeReporter {
 public:
  Status Finish(const std::string& output_dir) override;
};

// report.html in the output folder (html.h).
class HtmlReporter : public CumulativeReporter {
 public:
  Status Finish(const std::string& output_dir) override;
};

// The Markdown summary (ci_summary.h) appended to `path`: GitHub's
// $GITHUB_STEP_SUMMARY is one file every command of a step appends to, and
// its 1 MiB limit is the whole file's, so the summary is cut to what is left
// (nothing is appended when under 1 KiB is left: the verdicts are not the
// summary's to change).
// Appends render(o) to a step summary at `path`, o.max_bytes being what the
// file has left of options.max_bytes; nothing when under 1 KiB is left.
Status AppendStepSummary(const std::string& path, const SummaryOptions& options,
                         const std::function<std::string(const SummaryOptions&)>& render);

class MarkdownSummaryReporter : public CumulativeReporter {
 public:
  MarkdownSummaryReporter(std::string path, SummaryOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}
  Status Finish(const std::string& output_dir) override;

 private:
  std::string path_;
  SummaryOptions options_;
};

// GitHub workflow annotations (ci_summary.h), handed to `print` at the end.
class GithubAnnotationsReporter : public CumulativeReporter {
 public:
  explicit GithubAnnotationsReporter(std::function<void(const std::string&)> print) : print_(std::move(print)) {}
  Status Finish(const std::string& output_dir) override;

 private:
  std::function<void(const std::string&)> print_;
};

// Each scenario's result.json and history files in its own folder (as it is
// done; a trial set's trials.json, its runs being written as they end), and
// run.json (the folders in run order) at the end.
// A share of a sharded run (run --shard I/N) also writes its place and the
// whole list into run.json (result/shard.h), for `merge`.
class JsonReporter : public Reporter {
 public:
  JsonReporter() = default;
  JsonReporter(int shard_index, int shard_count, std::vector<std::string> all)
      : shard_index_(shard_index), shard_count_(shard_count), all_(std::move(all)) {}
  Status ScenarioDone(const SharedResult& r, const std::string& folder) override;
  Status Finish(const std::string& output_dir) override;

 private:
  std::vector<std::string> folders_;
  int shard_index_ = 1, shard_count_ = 1;
  std::vector<std::string> all_;
};

}  // namespace pgha
