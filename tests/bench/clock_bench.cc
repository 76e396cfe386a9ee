// What a clock fault's preload costs a process per clock call
// (services/faked_clock.h): the same calls timed twice, in a child process
// without the preload and in one with our clock shim and libfaketime
// preloaded exactly as a faked service gets them (the offset file read at
// most once a second, monotonic clocks not faked, shared objects ours):
//   BM_Realtime    clock_gettime(CLOCK_REALTIME): what libfaketime fakes
//   BM_Time        time(): Python's and PostgreSQL's coarser calls go there too
//   BM_Monotonic   clock_gettime(CLOCK_MONOTONIC): left alone, still wrapped
// Medians of 5 repetitions, nanoseconds per call; tools/test.sh prints the
// two side by side. No root needed, no cluster.
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/files.h"
#include "core/shared_objects.h"
#include "services/faked_clock.h"

namespace {

void BM_Realtime(benchmark::State& state) {
  struct timespec ts;
  for (auto _ : state) {
    clock_gettime(CLOCK_REALTIME, &ts);
    benchmark::DoNotOptimize(ts);
  }
}
BENCHMARK(BM_Realtime);

void BM_Time(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(time(nullptr));
}
BENCHMARK(BM_Time);

void BM_Monotonic(benchmark::State& state) {
  struct timespec ts;
  for (auto _ : state) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    benchmark::DoNotOptimize(ts);
  }
}
BENCHMARK(BM_Monotonic);

// Runs this program again as a child with `env` added; its exit status.
int RunChild(char** argv, const std::vector<std::string>& env) {
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("PGHA_CLOCK_BENCH_CHILD", "1", 1);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    execv("/proc/self/exe", argv);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (std::getenv("PGHA_CLOCK_BENCH_CHILD")) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
  }
  const std::string shim = pgha::ClockShimPath();
  if (shim.empty() || access(pgha::kLibfaketime, R_OK) != 0) {
    std::fprintf(stderr, "clock_bench: needs libpgha-clock-shim.so beside it and %s\n", pgha::kLibfaketime);
    return 1;
  }
  const std::string name = "/pgha-clock-bench-" + std::to_string(getpid());
  const std::string file = "/tmp/pgha-clock-bench-" + std::to_string(getpid()) + ".faketime";
  if (!pgha::WriteFileAtomic(file, "+0\n").ok() || !pgha::CreateSharedObjects(name, "").ok()) return 1;
  std::vector<char*> args(argv, argv + argc);
  std::string reps = "--benchmark_repetitions=5", only = "--benchmark_report_aggregates_only=true";
  args.push_back(reps.data());
  args.push_back(only.data());
  args.push_back(nullptr);
  std::printf("-- without the preload\n");
  std::fflush(stdout);
  int failed = RunChild(args.data(), {});
  std::printf("-- with the clock shim and libfaketime preloaded (a faked service's environment)\n");
  std::fflush(stdout);
  const std::string program = std::string(argv[0]).substr(std::string(argv[0]).rfind('/') + 1);
  failed |= RunChild(args.data(), {"LD_PRELOAD=" + shim + " " + pgha::kLibfaketime, "FAKETIME_TIMESTAMP_FILE=" + file,
                                   "FAKETIME_SHARED=" + pgha::SharedObjectsEnv(name), "FAKETIME_CACHE_DURATION=1",
                                   "DONT_FAKE_MONOTONIC=1", "NO_FAKE_STAT=1", "FAKETIME_ONLY_CMDS=" + program});
  pgha::RemoveSharedObjects(name);
  std::remove(file.c_str());
  return failed;
}
