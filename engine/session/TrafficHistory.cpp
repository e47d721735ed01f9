#include "engine/session/TrafficHistory.h"

#include <ctime>
#include <limits>

#include "engine/codec/Bencode.h"
#include "engine/storage/AtomicFile.h"
#include "engine/storage/SealedFile.h"
#include "engine/util/Log.h"

namespace tributary::session {
namespace {

constexpr std::string_view kKind = "tributary-traffic";
// Far outside any real date: a record beyond it is nonsense, not a day.
constexpr std::int64_t kMaxDay = 1'000'000;

codec::BencodeNode encodeCounters(const TrafficCounters& c) {
  codec::BencodeNode d = codec::BencodeNode::makeDict();
  d.set("bt", static_cast<std::int64_t>(c.bt));
  d.set("http", static_cast<std::int64_t>(c.http));
  d.set("cdn", static_cast<std::int64_t>(c.cdn));
  d.set("shared", static_cast<std::int64_t>(c.shared));
  return d;
}

// Bencode integers are signed: a negative count reads as 0.
std::uint64_t nonNegative(std::optional<std::int64_t> v) {
  return v && *v > 0 ? static_cast<std::uint64_t>(*v) : 0;
}

TrafficCounters decodeCounters(const codec::BencodeValue& d) {
  return TrafficCounters{nonNegative(d.findInteger("bt")), nonNegative(d.findInteger("http")),
                         nonNegative(d.findInteger("cdn")), nonNegative(d.findInteger("shared"))};
}

Error damaged(std::string detail) {
  return Error{ErrorCode::InvalidArgument, "traffic history: " + std::move(detail)};
}

}  // namespace

void TrafficHistory::add(const TrafficCounters& bytes, std::int32_t day) {
  if (bytes == TrafficCounters{}) {
    return;
  }
  total_ += bytes;
  days_[day] += bytes;
  capEntries();
}

void TrafficHistory::prune(std::int32_t today) {
  days_.erase(days_.begin(), days_.lower_bound(today - (kTrafficHistoryDays - 1)));
}

void TrafficHistory::merge(const TrafficHistory& other) {
  total_ += other.total_;
  for (const auto& [day, bytes] : other.days_) {
    days_[day] += bytes;
  }
  capEntries();
}

void TrafficHistory::capEntries() {
  while (days_.size() > kMaxTrafficHistoryEntries) {
    days_.erase(days_.begin());
  }
}

std::vector<TrafficDay> TrafficHistory::window(std::int32_t today) const {
  std::vector<TrafficDay> out;
  const auto last = days_.upper_bound(today);
  for (auto it = days_.lower_bound(today - (kTrafficHistoryDays - 1)); it != last; ++it) {
    out.push_back(TrafficDay{it->first, it->second});
  }
  return out;
}

std::string TrafficHistory::encode() const {
  codec::BencodeNode root = codec::BencodeNode::makeDict();
  root.set("v", static_cast<std::int64_t>(kTrafficHistoryVersion));
  root.set("total", encodeCounters(total_));
  codec::BencodeNode days = codec::BencodeNode::makeList();
  for (const auto& [day, bytes] : days_) {
    codec::BencodeNode row = codec::BencodeNode::makeList();
    row.push(static_cast<std::int64_t>(day));
    for (const std::uint64_t n : {bytes.bt, bytes.http, bytes.cdn, bytes.shared}) {
      row.push(static_cast<std::int64_t>(n));
    }
    days.push(std::move(row));
  }
  root.set("days", std::move(days));
  return storage::seal(kKind, kTrafficHistoryVersion, root.encode());
}

Result<TrafficHistory> TrafficHistory::decode(std::string_view bytes) {
  if (bytes.size() > kMaxTrafficHistoryBytes) {
    return damaged("file too large");
  }
  Result<storage::Unsealed> unsealed = storage::unseal(bytes, kKind, kTrafficHistoryVersion);
  if (!unsealed) {
    return unsealed.error();
  }
  codec::BencodeLimits limits;
  limits.maxDepth = 4;
  Result<codec::BencodeDocument> document = codec::decodeBencode(unsealed.value().body, limits);
  if (!document) {
    return damaged(document.error().detail);
  }
  const codec::BencodeValue root = document.value().root();
  const codec::BencodeValue days = root.findList("days");
  if (!root.isDict() || !days || !root.findDict("total")) {
    return damaged("no totals or days");
  }
  if (days.size() > kMaxTrafficHistoryEntries) {
    return damaged("too many days");
  }
  TrafficHistory history;
  history.total_ = decodeCounters(root.findDict("total"));
  for (const codec::BencodeValue row : days.items()) {
    const std::optional<std::int64_t> day =
        row.isList() && row.size() == 5 ? row.item(0).asInteger() : std::optional<std::int64_t>{};
    if (!day || *day < -kMaxDay || *day > kMaxDay) {
      continue;  // makes no sense; the others still load
    }
    TrafficCounters& into = history.days_[static_cast<std::int32_t>(*day)];
    into +=
        TrafficCounters{nonNegative(row.item(1).asInteger()), nonNegative(row.item(2).asInteger()),
                        nonNegative(row.item(3).asInteger()), nonNegative(row.item(4).asInteger())};
  }
  return history;
}

TrafficHistory readTrafficHistoryFile(storage::FileIo& io, const std::string& path) {
  Result<std::string> bytes = storage::readSmallFile(io, path, kMaxTrafficHistoryBytes);
  if (!bytes) {
    if (bytes.error().code != ErrorCode::FileMissing) {
      TLOG(Warning, "session") << "cannot read " << path << ": " << bytes.error().toString()
                               << "; the traffic history starts empty";
    }
    return {};
  }
  Result<TrafficHistory> history = TrafficHistory::decode(bytes.value());
  if (!history) {
    TLOG(Error, "session") << path << " is damaged (" << history.error().toString()
                           << "); the traffic history starts empty";
    return {};
  }
  return std::move(history.value());
}

std::int32_t localDayOf(std::int64_t unixSeconds) {
  const auto t = static_cast<std::time_t>(unixSeconds);
  std::tm local{};
#if defined(_WIN32)
  localtime_s(&local, &t);
#else
  localtime_r(&t, &local);
#endif
  // Days from civil (Howard Hinnant's algorithm): no time zone lookup again.
  const int m = local.tm_mon + 1;
  const std::int64_t y = static_cast<std::int64_t>(local.tm_year) + 1900 - (m <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + local.tm_mday - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int32_t>(era * 146097 + doe - 719468);
}

}  // namespace tributary::session
