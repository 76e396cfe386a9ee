// The shell scripts the ssh provider sends, as pure functions.
#include <fmt/format.h>
#include <signal.h>

#include "core/text.h"
#include "providers/netns_provider.h"
#include "providers/ssh_provider.h"

namespace pgha {

std::string SignalName(int sig) {
  switch (sig) {
    case SIGKILL: return "KILL";
    case SIGTERM: return "TERM";
    case SIGSTOP: return "STOP";
    case SIGCONT: return "CONT";
    case SIGHUP: return "HUP";
    case SIGINT: return "INT";
    default: return std::to_string(sig);
  }
}

// Our two chains, hooked first into INPUT and OUTPUT, each starting with
// a RETURN for the controller's own ssh connection, so that no rule of
// ours can cut the harness off from the host it must heal.
std::string ChainsScript(const std::string& controller, int ssh_port) {
  const std::string port = std::to_string(ssh_port);
  return fmt::format(
      "iptables -w 5 -N {in} 2>/dev/null; iptables -w 5 -N {out} 2>/dev/null; "
      "iptables -w 5 -C INPUT -j {in} 2>/dev/null || iptables -w 5 -I INPUT 1 -j {in}; "
      "iptables -w 5 -C OUTPUT -j {out} 2>/dev/null || iptables -w 5 -I OUTPUT 1 -j {out}; "
      "iptables -w 5 -F {in} && iptables -w 5 -F {out} && "
      "iptables -w 5 -A {in} -s {c} -p tcp --dport {p} -j RETURN && "
      "iptables -w 5 -A {out} -d {c} -p tcp --sport {p} -j RETURN",
      fmt::arg("in", kSshChainIn), fmt::arg("out", kSshChainOut), fmt::arg("c", ShellQuote(controller)),
      fmt::arg("p", port));
}

std::string DropChainsScript() {
  return fmt::format(
      "iptables -w 5 -D INPUT -j {in} 2>/dev/null; iptables -w 5 -D OUTPUT -j {out} 2>/dev/null; "
      "iptables -w 5 -F {in} 2>/dev/null; iptables -w 5 -F {out} 2>/dev/null; "
      "iptables -w 5 -X {in} 2>/dev/null; iptables -w 5 -X {out} 2>/dev/null; true",
      fmt::arg("in", kSshChainIn), fmt::arg("out", kSshChainOut));
}

std::vector<std::string> ChainRule(const TrafficBlock& b, const std::string& interface) {
  auto rule = IptablesRule(b, interface);
  rule[0] = rule[0] == "INPUT" ? kSshChainIn : kSshChainOut;
  return rule;
}

}  // namespace pgha
