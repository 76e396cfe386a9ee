#include "observe/log_events.h"

#include <ctime>

namespace pgha {

namespace {

bool Digits(const std::string& s, size_t at, size_t n) {
  if (s.size() < at + n) return false;
  for (size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int Num(const std::string& s, size_t at, size_t n) { return std::stoi(s.substr(at, n)); }

struct Marker {
  const char* text;
  const char* kind;
};

void Scan(const std::string& line, const Marker* markers, size_t n, const char* source, const std::string& host,
          int64_t t, std::vector<ClusterEvent>* out) {
  for (size_t i = 0; i < n; ++i)
    if (line.find(markers[i].text) != std::string::npos) out->push_back({t, source, host, markers[i].kind, host});
}

// HAProxy: "<stamp> Server primary/node2 is UP, reason: ..."
void HaproxyLine(const std::string& line, const std::string& host, int64_t t, std::vector<ClusterEvent>* out) {
  const std::string marker = " Server primary/";
  const size_t at = line.find(marker);
  if (at == std::string::npos) return;
  const size_t name_end = line.find(' ', at + marker.size());
  if (name_end == std::string::npos) return;
  const std::string name = line.substr(at + marker.size(), name_end - at - marker.size());
  const std::string rest = line.substr(name_end);
  if (rest.rfind(" is UP", 0) == 0) out->push_back({t, "haproxy log", host, kEventRoutedUp, name});
  if (rest.rfind(" is DOWN", 0) == 0) out->push_back({t, "haproxy log", host, kEventRoutedDown, name});
}

// etcd (zap's JSON, "ts":"2026-12-07T21:35:16.700Z", milliseconds): the
// member that logged "became leader at term N" won an election; "slow
// fdatasync" and the overloaded leader's heartbeat warning are its disk.
void EtcdLine(const std::string& line, const std::string& host, int64_t wall_start_ns, std::vector<ClusterEvent>* out) {
  static const Marker kEtcd[] = {{" became leader at term ", kEventEtcdLeader},
                                 {"\"msg\":\"slow fdatasync\"", kEventEtcdSlowDisk},
                                 {"leader is overloaded likely from slow disk", kEventEtcdSlowDisk}};
  const std::string key = "\"ts\":\"";
  const size_t at = line.find(key);
  if (at == std::string::npos) return;
  const int64_t stamp = ParseUtcStamp(line.substr(at + key.size(), 32));
  if (stamp >= 0) Scan(line, kEtcd, 3, "etcd log", host, stamp - wall_start_ns, out);
}

}  // namespace

int64_t ParseUtcStamp(const std::string& s) {
  // YYYY-MM-DD?HH:MM:SS[.,]fraction
  if (!Digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
      s[13] != ':' || s[16] != ':' || (s[19] != '.' && s[19] != ','))
    return -1;
  if (!Digits(s, 5, 2) || !Digits(s, 8, 2) || !Digits(s, 11, 2) || !Digits(s, 14, 2) || !Digits(s, 17, 2)) return -1;
  std::tm tm{};
  tm.tm_year = Num(s, 0, 4) - 1900;
  tm.tm_mon = Num(s, 5, 2) - 1;
  tm.tm_mday = Num(s, 8, 2);
  tm.tm_hour = Num(s, 11, 2);
  tm.tm_min = Num(s, 14, 2);
  tm.tm_sec = Num(s, 17, 2);
  size_t end = 20;
  int64_t frac_ns = 0, scale = 100000000;
  for (; end < s.size() && end < 29 && s[end] >= '0' && s[end] <= '9'; ++end, scale /= 10)
    frac_ns += (s[end] - '0') * scale;
  if (end == 20) return -1;
  return static_cast<int64_t>(timegm(&tm)) * 1000000000 + frac_ns;
}

std::vector<ClusterEvent> EventsFromLog(const std::string& host, const std::string& file, const std::string& text,
                                        int64_t wall_start_ns) {
  static const Marker kPostgres[] = {{"LOG:  selected new timeline ID", kEventNewTimeline},
                                     {"LOG:  database system is ready to accept connections", kEventAcceptsWrites}};
  static const Marker kPatroni[] = {{"promoted self to leader by acquiring session lock", kEventTookLeaderKey},
                                    {"acquired session lock as a leader", kEventTookLeaderKey}};
  const bool patroni = file.rfind("patroni", 0) == 0, postgres = file.rfind("postgresql", 0) == 0;
  const bool haproxy = file.rfind("haproxy", 0) == 0, etcd = file.rfind("etcd", 0) == 0;
  std::vector<ClusterEvent> out;
  if (!patroni && !postgres && !haproxy && !etcd) return out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    if (etcd) {
      EtcdLine(line, host, wall_start_ns, &out);
      continue;
    }
    const int64_t stamp = ParseUtcStamp(line);
    if (stamp < 0) continue;
    const int64_t t = stamp - wall_start_ns;
    if (haproxy) {
      HaproxyLine(line, host, t, &out);
    } else if (line.size() > 19 && line[19] == ',') {  // Patroni's asctime
      Scan(line, kPatroni, 2, "patroni log", host, t, &out);
    } else {  // PostgreSQL's %m
      Scan(line, kPostgres, 2, "postgresql log", host, t, &out);
    }
  }
  return out;
}

}  // namespace pgha
