// Host set-up steps that the providers making hosts on this machine share
// (netns, containers): `ip` commands, the run's bridge, a size-limited
// data volume (tmpfs or a loop device), and the Ctrl-C check between hosts. Each resource is
// recorded in the manifest before it is created. Stateless.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "cluster/manifest.h"
#include "core/process.h"
#include "model/cluster_plan.h"

namespace pgha {

// `ip [-n netns] args...`; an error quotes the command and what it printed.
// `ip netns ...` runs one at a time in this process and may take 30 s:
// two at once (clusters of run --jobs made together) were seen to hang
// past 10 s.
Status RunIp(ProcessRunner& runner, const std::vector<std::string>& args, const std::string& netns = "");
// Held around every `ip netns` command of this process (RunIp takes it).
std::mutex& NamespaceCommandLock();
// The run's bridge with the subnet's gateway address (no forwarding, no NAT).
Status CreateBridge(ProcessRunner& runner, const ClusterPlan& plan, Manifest& m);
// A volume of h.data_volume bytes on VolumeMountDir(h): a tmpfs, or with
// data_device "loop" ext4 on a loop device over a sparse file in the host's
// folder (a block device that cgroups can throttle). The loop device is
// recorded (kind "loop", named by its file) before it exists.
Status MountDataVolume(ProcessRunner& runner, const HostPlan& h, Manifest& m);
inline constexpr const char* kLoopResource = "loop";
// Detaches every loop device over `image` (teardown); "" when done.
std::string RemoveLoopDevices(ProcessRunner& runner, const std::string& image);
// The plan's data volumes against this machine's available memory
// (/proc/meminfo; cluster/preflight.h CheckDataVolumeFits).
Status CheckDataVolumesFitMemory(const ClusterPlan& plan);
// Cancelled when Ctrl-C or SIGTERM arrived.
Status CheckCancel();

}  // namespace pgha
