// The harness's own speed, on synthetic runs (fakes/synthetic_history.h):
//   BM_Analyze/N     the checker on a history of N client writes (plus the
//                    reads, probes and observer samples of such a run):
//                    counter ops_per_s (every op of the history; target at
//                    least 5 million per second on 2 cores) and the memory
//                    the history and the analysis take (peak RSS; linear
//                    in N means the bytes per op stay flat)
//   BM_Report        `pgha-chaos report` (the binary, as a user runs it) of
//                    a saved run of 1.5 million operations: read, analyse,
//                    judge, write JUnit, HTML and JSON (target: 5 s)
//   BM_Html/N        the HTML report of a run of N writes: counter
//                    html_bytes (target: under 2 MB whatever N)
// No root, no cluster. tools/bench.sh runs it and prints the medians.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bench/repetitions.h"
#include "check/measurements.h"
#include "fakes/sample_results.h"
#include "fakes/synthetic_history.h"
#include "report/html.h"
#include "result/result_json.h"

namespace pgha {
namespace {

// Resident bytes now (/proc/self/statm), and the most there ever were.
double RssBytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double PeakRssBytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024;
}

void BM_Analyze(benchmark::State& state) {
  const History h = testing::SyntheticHistory(state.range(0));
  const double history_bytes = RssBytes();
  for (auto _ : state) {
    Measurements m = Analyze(h);
    benchmark::DoNotOptimize(m);
  }
  const double ops = static_cast<double>(h.ops.size());
  state.counters["ops"] = ops;
  state.counters["ops_per_s"] = benchmark::Counter(ops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["rss_B_per_op"] = history_bytes / ops;  // the history held, and the process
  state.counters["peak_B_per_op"] = PeakRssBytes() / ops;
}
BENCHMARK(BM_Analyze)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Arg(10000000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// A saved run of `writes` client writes, as `pgha-chaos run` leaves it:
// its folder ("" when it could not be written) and its number of ops.
std::string SavedRun(int64_t writes, size_t* ops) {
  ScenarioResult r = testing::Page();
  r.history = testing::SyntheticHistory(writes);
  *ops = r.history.ops.size();
  r.output_dir = (std::filesystem::temp_directory_path() / "pgha-bench-report").string();
  std::filesystem::remove_all(r.output_dir);
  std::filesystem::create_directories(r.output_dir);
  if (Status s = WriteResultFiles(r); !s.ok()) return "";
  return r.output_dir;
}

void BM_Report(benchmark::State& state) {
  size_t ops = 0;
  const std::string dir = SavedRun(state.range(0), &ops);
  if (dir.empty()) {
    state.SkipWithError("could not write the saved run");
    return;
  }
  // /usr/bin/time measures the report alone: a fork of this process (which
  // made the saved run) would count this process's memory as the child's.
  const std::string rss_file = dir + ".peak_rss_kb";
  const std::string command =
      "/usr/bin/time -f %M -o " + rss_file + " " + std::string(PGHA_BINARY) + " report " + dir + " > /dev/null 2>&1";
  for (auto _ : state) {
    const int rc = std::system(command.c_str());
    // report exits 1 when a target of the saved run is missed (the sample's are).
    if (rc != 0 && WEXITSTATUS(rc) != 1) state.SkipWithError("pgha-chaos report failed");
  }
  state.counters["ops"] = static_cast<double>(ops);
  state.counters["html_bytes"] = static_cast<double>(std::filesystem::file_size(dir + "/report.html"));
  // The report's peak resident memory (issue 19: at most 300 MB).
  // Its last line (a line before it says the report's exit status, 1 here).
  std::ifstream rss(rss_file);
  std::string line, last;
  while (std::getline(rss, line)) last = line;
  if (!last.empty()) state.counters["report_peak_rss_MB"] = std::stod(last) / 1024.0;
  std::filesystem::remove(rss_file);
  std::filesystem::remove_all(dir);
}
// Three times (once under CI: bench/repetitions.h).
BENCHMARK(BM_Report)->Arg(1490000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(BenchRepetitions(3));

void BM_Html(benchmark::State& state) {
  ScenarioResult r = testing::Page();
  r.history = testing::SyntheticHistory(state.range(0));
  r.measurements = Analyze(r.history);
  size_t bytes = 0;
  for (auto _ : state) bytes = RenderHtml({{&r, "run"}}).size();
  state.counters["html_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Html)->Arg(10000)->Arg(1500000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace pgha

BENCHMARK_MAIN();
