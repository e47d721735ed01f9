#include "engine/dht/TransactionTable.h"

#include <random>

namespace tributary::dht {

TransactionTable::TransactionTable(std::size_t maxPending)
    : maxPending_(maxPending), next_(static_cast<std::uint16_t>(std::random_device{}())) {}

std::optional<std::string> TransactionTable::add(const loop::SocketAddress& to,
                                                 std::uint64_t deadlineMs, Callback callback) {
  if (pending_.size() >= maxPending_ || pending_.size() >= 0xffff) {
    return std::nullopt;
  }
  while (pending_.count(next_) != 0) {
    ++next_;
  }
  const std::uint16_t id = next_++;
  pending_.emplace(id, Pending{to, deadlineMs, std::move(callback)});
  return std::string{static_cast<char>(id >> 8), static_cast<char>(id & 0xff)};
}

TransactionTable::Callback TransactionTable::take(std::string_view tid,
                                                  const loop::SocketAddress& from) {
  if (tid.size() != 2) {
    return {};
  }
  const auto id = static_cast<std::uint16_t>((static_cast<std::uint8_t>(tid[0]) << 8) |
                                             static_cast<std::uint8_t>(tid[1]));
  const auto it = pending_.find(id);
  if (it == pending_.end() || it->second.to != from) {
    return {};
  }
  Callback callback = std::move(it->second.callback);
  pending_.erase(it);
  return callback;
}

std::vector<TransactionTable::Expired> TransactionTable::takeExpired(std::uint64_t nowMs) {
  std::vector<Expired> out;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadlineMs <= nowMs) {
      out.push_back({it->second.to, std::move(it->second.callback)});
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

}  // namespace tributary::dht
