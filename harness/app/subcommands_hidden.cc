// The options of the hidden helpers the harness starts on hosts
// (app/subcommands.h): the emulated watchdog, the packet engine and its
// probe, the durable file system.
#include "app/subcommands.h"

namespace pgha {

void DeclareWatchdog(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--device", c.watchdog.device, "the named pipe to create and read")->required();
  cmd.add_option("--owner", c.watchdog.owner, "the user who writes it (Patroni's)");
  cmd.add_option("--marker", c.watchdog.marker, "file appended to when the host is fenced")->required();
}

void DeclarePacketEngine(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--queue", c.engine.queue, "the NFQUEUE number")->required()->check(CLI::Range(0, 65535));
  cmd.add_option("--delay-ms", c.engine.delay_ms)->check(CLI::Range(0.0, 600000.0));
  cmd.add_option("--jitter-ms", c.engine.jitter_ms)->check(CLI::Range(0.0, 600000.0));
  cmd.add_option("--distribution", c.engine.distribution)->check(CLI::IsMember({"uniform", "normal", "pareto"}));
  cmd.add_option("--reorder", c.engine.reorder, "percent")->check(CLI::Range(0.0, 100.0));
  cmd.add_option("--duplicate", c.engine.duplicate, "percent")->check(CLI::Range(0.0, 100.0));
  cmd.add_option("--max-held", c.engine.max_held)->check(CLI::Range(1, 1 << 20));
  cmd.add_option("--rate-bps", c.engine.rate_bps, "pace packets to this many bits/s")->check(CLI::Range(0.0, 1e12));
  cmd.add_option("--mark", c.engine.mark);
}

void DeclareTcpProbe(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--address", c.probe.address)->required();
  cmd.add_option("--port", c.probe.port)->required()->check(CLI::Range(1, 65535));
  cmd.add_option("--count", c.probe.count)->check(CLI::Range(1, 1000));
  cmd.add_option("--spacing-ms", c.probe.spacing_ms)->check(CLI::Range(1, 10000));
  cmd.add_option("--timeout-ms", c.probe.timeout_ms)->check(CLI::Range(1, 600000));
}

void DeclareDurableFs(CLI::App& cmd, CommandLine& c) {
  cmd.add_option("--backing", c.durable_fs.backing, "the directory that holds the data")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd.add_option("--mount", c.durable_fs.mount, "where to mount it")->required()->check(CLI::ExistingDirectory);
  cmd.add_option("--control", c.durable_fs.control, "the control socket to create")->required();
  cmd.add_option("--max-dirty-mib", c.durable_fs.max_dirty_mib)->check(CLI::Range(1, 4096));
  cmd.add_option("--write-back-after-ms", c.durable_fs.write_back_after_ms)->check(CLI::Range(1, 3600000));
}

}  // namespace pgha
