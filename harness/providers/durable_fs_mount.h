// Mounting the durable file system (durablefs/durable_fs.h) of a host over
// its data volume, for providers whose hosts share this machine's mounts
// (netns). The mount is recorded in the manifest (kind "mount", type
// fuse.pgha-durable) before the daemon that makes it starts; the daemon is
// recorded as process DurableFsDaemon(h). Teardown ends the daemon with
// every process, then lazily unmounts, so a killed daemon leaves no hung mount.
#pragma once

#include <string>

#include "cluster/manifest.h"
#include "cluster/provider.h"
#include "core/clock.h"
#include "model/cluster_plan.h"

namespace pgha {

// `program` is pgha-chaos (its hidden durable-fs subcommand); waits 5 s at most for the mount.
Status MountDurableFs(HostShell& shell, Clock& clock, const HostPlan& h, const std::string& program, Manifest& m);

}  // namespace pgha
