#include "elle/elle_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "elle/version_orders.h"

namespace pgha::elle {
namespace {

using nlohmann::json;

constexpr const char* kFormatHint =
    "each event is {\"process\": 0, \"type\": \"invoke\"|\"ok\"|\"fail\"|\"info\", \"value\": [[\"append\", 1, 2], "
    "[\"r\", 1, [1, 2]]]}";

// Calls `f` with each top-level element of a JSON array, or each non-empty
// line of a file of one event per line, and the line it starts on.
Status ForEachEvent(const std::string& text, const std::function<Status(std::string_view, int)>& f) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string::npos) return InvalidInput("the file is empty: expected a JSON array of events");
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(i), '\n'));
  if (text[i] == '{') {
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string_view l(text.data() + start, end - start);
      if (l.find_first_not_of(" \t\r") != std::string_view::npos)
        if (Status s = f(l, line); !s.ok()) return s;
      ++line;
      start = end + 1;
    }
    return Status::Ok();
  }
  if (text[i] != '[')
    return InvalidInput(fmt::format("line {}: expected a JSON array of events; {}", line, kFormatHint));
  int depth = 0, start_line = line;
  bool in_string = false, escaped = false;
  size_t start = std::string::npos;
  for (++i; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      escaped = !escaped && c == '\\';
      if (!escaped && c == '"') in_string = false;
      continue;
    }
    if (start == std::string::npos && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ']') {
      start = i;
      start_line = line;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && depth > 0) {
      --depth;
      continue;
    }
    if (depth == 0 && (c == ',' || c == ']')) {
      if (start != std::string::npos)
        if (Status s = f(std::string_view(text.data() + start, i - start), start_line); !s.ok()) return s;
      start = std::string::npos;
      if (c == ']') return Status::Ok();
    }
  }
  return InvalidInput(fmt::format("line {}: the array of events is not closed with ]", line));
}

class Builder {
 public:
  Status Add(const json& e, int line) {
    if (!e.is_object()) return Bad(line, "an event is an object");
    const json* process = Field(e, "process");
    if (process == nullptr || !process->is_number_integer()) return Status::Ok();  // the nemesis's events
    if (const json* f = Field(e, "f");
        f && f->is_string() && f->get<std::string>() != "txn" && f->get<std::string>() != ":txn")
      return Status::Ok();
    const json* type = Field(e, "type");
    if (type == nullptr || !type->is_string()) return Bad(line, "an event needs a \"type\"");
    const std::string t = Strip(type->get<std::string>());
    const int64_t p = process->get<int64_t>();
    const int64_t ordinal = ordinal_++;
    const json* idx = Field(e, "index");
    const int64_t index = idx && idx->is_number_integer() ? idx->get<int64_t>() : ordinal;
    const json* value = Field(e, "value");
    if (t == "invoke") {
      if (auto it = pending_.find(p); it != pending_.end())
        return Bad(line, fmt::format("process {} is invoked again before its invocation on line {} completed; a "
                                     "process runs one transaction at a time",
                                     p, it->second.line));
      pending_[p] = {value ? *value : json(), static_cast<uint32_t>(h_.txns.size()), line};
      Txn txn;
      txn.process = static_cast<int32_t>(p);
      txn.invoke_at = ordinal;
      txn.invoke_index = index;
      h_.txns.push_back(txn);
      times_.push_back({Time(e), -1});
      return Status::Ok();
    }
    if (t != "ok" && t != "fail" && t != "info")
      return Bad(line, fmt::format("\"type\" is invoke, ok, fail or info, not \"{}\"", t));
    auto it = pending_.find(p);
    if (it == pending_.end()) return Bad(line, fmt::format("process {} completes a transaction it never invoked", p));
    Txn& txn = h_.txns[it->second.txn];
    if (const json* node = Field(e, "node"); node && node->is_string())
      txn.server = IndexIn(h_.servers, node->get<std::string>());
    if (const json* tl = Field(e, "timeline");
        tl && tl->is_number_integer() && tl->get<int64_t>() >= 0 && tl->get<int64_t>() <= INT32_MAX)
      txn.timeline = static_cast<int32_t>(tl->get<int64_t>());
    if (const json* error = Field(e, "error"); error && error->is_string())
      txn.error = IndexIn(h_.errors, error->get<std::string>());
    txn.outcome = t == "ok" ? TxnOutcome::kOk : t == "fail" ? TxnOutcome::kFail : TxnOutcome::kInfo;
    txn.complete_index = index;
    txn.complete_at = t == "info" ? kNever : ordinal;
    times_[it->second.txn].second = t == "info" ? 0 : Time(e);
    Status s = Mops(t == "ok" && value ? *value : it->second.value, txn, t == "ok", line);
    pending_.erase(it);
    return s;
  }

  ListAppendHistory Finish() {
    for (auto& [p, inv] : pending_) {  // never completed: indeterminate
      Txn& txn = h_.txns[inv.txn];
      txn.outcome = TxnOutcome::kInfo;
      (void)Mops(inv.value, txn, false, inv.line);
    }
    for (size_t i = 0; i < h_.txns.size(); ++i)
      if (h_.txns[i].process == kFinalReadProcess && h_.txns[i].outcome == TxnOutcome::kOk)
        h_.final_read_txn = static_cast<int64_t>(i);
    UseTimesIfAllHaveThem();
    return std::move(h_);
  }

 private:
  struct Pending {
    json value;
    uint32_t txn;
    int line;
  };
  static int64_t Time(const json& e) {
    auto it = e.find("time");
    return it != e.end() && it->is_number_integer() && it->get<int64_t>() >= 0 ? it->get<int64_t>() : -1;
  }
  // Our own files carry each event's time (ns on the run's clock): then
  // real time is those times, as when the run was judged.
  void UseTimesIfAllHaveThem() {
    for (size_t i = 0; i < h_.txns.size(); ++i)
      if (times_[i].first < 0 || (h_.txns[i].complete_at != kNever && times_[i].second < 0)) return;
    for (size_t i = 0; i < h_.txns.size(); ++i) {
      h_.txns[i].invoke_at = times_[i].first;
      if (h_.txns[i].complete_at != kNever) h_.txns[i].complete_at = times_[i].second;
    }
  }
  static const json* Field(const json& e, const char* name) {
    auto it = e.find(name);
    return it == e.end() ? nullptr : &*it;
  }
  static std::string Strip(std::string s) { return !s.empty() && s[0] == ':' ? s.substr(1) : s; }
  static Status Bad(int line, const std::string& why) {
    return InvalidInput(fmt::format("line {}: {}; {}", line, why, kFormatHint));
  }
  static int32_t IndexIn(std::vector<std::string>& table, const std::string& text) {
    auto it = std::find(table.begin(), table.end(), text);
    if (it != table.end()) return static_cast<int32_t>(it - table.begin());
    table.push_back(text);
    return static_cast<int32_t>(table.size() - 1);
  }
  Result<int64_t> Key(const json& k, int line) {
    if (k.is_number_integer()) return k.get<int64_t>();
    if (!k.is_string()) return Bad(line, "a key is an integer or a string");
    const std::string name = k.get<std::string>();
    auto [it, added] = key_ids_.emplace(name, -static_cast<int64_t>(h_.key_names.size()) - 1);
    if (added) h_.key_names.push_back(name);
    return it->second;
  }
  Status Mops(const json& value, Txn& txn, bool reads_known, int line) {
    if (!value.is_array()) return Bad(line, "\"value\" is a list of micro-operations");
    if (value.size() > 65535) return Bad(line, "a transaction has at most 65535 micro-operations");
    txn.mop_begin = static_cast<uint32_t>(h_.mops.size());
    txn.mop_count = static_cast<uint16_t>(value.size());
    for (const json& m : value) {
      if (!m.is_array() || m.size() != 3 || !m[0].is_string())
        return Bad(line, "a micro-operation is [\"append\", key, element] or [\"r\", key, list]");
      const std::string f = Strip(m[0].get<std::string>());
      auto key = Key(m[1], line);
      if (!key.ok()) return key.status();
      Mop mop;
      mop.key = *key;
      if (f == "append") {
        if (!m[2].is_number_integer()) return Bad(line, "an appended element is an integer");
        mop.append = true;
        mop.element = m[2].get<int64_t>();
      } else if (f == "r") {
        if (reads_known && m[2].is_array()) {
          mop.read_known = true;
          mop.read_begin = static_cast<uint32_t>(h_.read_elements.size());
          for (const json& x : m[2]) {
            if (!x.is_number_integer()) return Bad(line, "a read's elements are integers");
            h_.read_elements.push_back(x.get<int64_t>());
          }
          mop.read_len = static_cast<uint32_t>(m[2].size());
        } else if (reads_known && !m[2].is_null()) {
          return Bad(line, "a read's value is a list (or null before it completes)");
        }
      } else {
        return Bad(line, fmt::format("\"{}\" is not a list-append micro-operation (append or r)", f));
      }
      h_.mops.push_back(mop);
    }
    return Status::Ok();
  }

  ListAppendHistory h_;
  std::unordered_map<int64_t, Pending> pending_;
  std::unordered_map<std::string, int64_t> key_ids_;
  std::vector<std::pair<int64_t, int64_t>> times_;  // per transaction: invocation and completion "time", -1 none
  int64_t ordinal_ = 0;
};

}  // namespace

Result<ListAppendHistory> ParseElleHistory(const std::string& text) {
  Builder b;
  Status s = ForEachEvent(text, [&](std::string_view event, int line) -> Status {
    json e = json::parse(event.begin(), event.end(), nullptr, false);
    if (e.is_discarded()) return InvalidInput(fmt::format("line {}: not valid JSON; {}", line, kFormatHint));
    return b.Add(e, line);
  });
  if (!s.ok()) return s;
  return b.Finish();
}

}  // namespace pgha::elle
