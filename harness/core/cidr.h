// IPv4 subnets for the netns provider: parse "10.77.0.0/24", pick the n-th
// host address, and tell whether two subnets overlap. Pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace pgha {

struct Ipv4Subnet {
  uint32_t network = 0;  // host byte order, host bits zero
  int prefix = 0;        // 0..32

  uint64_t Size() const { return uint64_t{1} << (32 - prefix); }
  // The n-th address of the subnet (n = 1 is the first usable one).
  std::string Address(uint32_t n) const;
  std::string ToString() const;
  bool Overlaps(const Ipv4Subnet& other) const;
  // Whether `address` (dotted) is one of the subnet's, and its number in it (.100 -> 100).
  bool Contains(const std::string& address) const;
  uint32_t Offset(const std::string& address) const;
};

Result<uint32_t> ParseIpv4(const std::string& text);
std::string FormatIpv4(uint32_t address);
// Accepts only a network address with its prefix ("10.77.0.0/24"); a
// subnet with host bits set is an error that names the right form.
Result<Ipv4Subnet> ParseSubnet(const std::string& text);

}  // namespace pgha
