#include "core/cidr.h"

#include <fmt/format.h>

#include <sstream>
#include <vector>

#include "core/text.h"

namespace pgha {

Result<uint32_t> ParseIpv4(const std::string& text) {
  uint32_t value = 0;
  int parts = 0;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, '.')) {
    if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos)
      return InvalidInput(fmt::format("\"{}\" is not an IPv4 address", text));
    const int octet = ParseInt(part).value_or(256);
    if (octet > 255) return InvalidInput(fmt::format("\"{}\" is not an IPv4 address", text));
    value = (value << 8) | static_cast<uint32_t>(octet);
    ++parts;
  }
  if (parts != 4 || text.back() == '.') return InvalidInput(fmt::format("\"{}\" is not an IPv4 address", text));
  return value;
}

std::string FormatIpv4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

Result<Ipv4Subnet> ParseSubnet(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos)
    return InvalidInput(fmt::format("subnet \"{}\" needs a prefix length, e.g. 10.77.0.0/24", text));
  auto addr = ParseIpv4(text.substr(0, slash));
  if (!addr.ok()) return addr.status();
  const std::string len = text.substr(slash + 1);
  if (len.empty() || len.size() > 2 || len.find_first_not_of("0123456789") != std::string::npos)
    return InvalidInput(fmt::format("subnet \"{}\" has a bad prefix length", text));
  Ipv4Subnet s;
  s.prefix = ParseInt(len).value_or(33);
  if (s.prefix > 32) return InvalidInput(fmt::format("subnet \"{}\" has a prefix longer than 32", text));
  const uint32_t mask = s.prefix == 0 ? 0 : ~uint32_t{0} << (32 - s.prefix);
  if ((*addr & ~mask) != 0)
    return InvalidInput(
        fmt::format("subnet \"{}\" has host bits set; did you mean {}/{}?", text, FormatIpv4(*addr & mask), s.prefix));
  s.network = *addr;
  return s;
}

std::string Ipv4Subnet::Address(uint32_t n) const { return FormatIpv4(network + n); }

std::string Ipv4Subnet::ToString() const { return fmt::format("{}/{}", FormatIpv4(network), prefix); }

bool Ipv4Subnet::Overlaps(const Ipv4Subnet& other) const {
  const int p = std::min(prefix, other.prefix);
  const uint32_t mask = p == 0 ? 0 : ~uint32_t{0} << (32 - p);
  return (network & mask) == (other.network & mask);
}

bool Ipv4Subnet::Contains(const std::string& address) const {
  auto a = ParseIpv4(address);
  if (!a.ok()) return false;
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (*a & mask) == network;
}

uint32_t Ipv4Subnet::Offset(const std::string& address) const {
  auto a = ParseIpv4(address);
  return a.ok() ? *a - network : 0;
}

}  // namespace pgha
