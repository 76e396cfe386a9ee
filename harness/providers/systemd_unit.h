// A daemon as a systemd service unit: how the containers provider runs a
// service under the container's own systemd, as the seeds' hosts do
// (`systemctl start patroni`). The unit is named after the service kind
// (the label "patroni@node1" gives patroni.service, which overrides the
// Debian package's own unit of that name), runs as the daemon's user in
// its folder with exactly its environment, appends its output to its log
// file, and is never restarted by systemd: the harness's faults decide
// when a service comes back. KillMode=process, as Patroni's own unit has
// it: killing a daemon leaves its children (PostgreSQL) to the harness,
// the same as on the netns provider. Pure.
#pragma once

#include <string>

#include "cluster/provider.h"

namespace pgha {

// "patroni.service" for the label "patroni@node1".
std::string UnitName(const DaemonLaunch& d);
std::string RenderUnit(const DaemonLaunch& d);
// One ExecStart= word: double-quoted, with `\`, `"`, `%` and `$` escaped.
std::string QuoteUnitWord(const std::string& word);

}  // namespace pgha
