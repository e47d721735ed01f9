// Internal: our 20-byte peer id and the printable forms of anyone's.
//
// Ours is Azureus-style, "-TY0100-" followed by 12 random URL-safe characters
// (so it needs no escaping in a tracker announce). "TY" because the obvious
// "TB" is taken: libtorrent's, BiglyBT's and Vuze's client tables list it as Torch.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace tributary::bt {

using PeerId = std::array<std::byte, 20>;

// "-TY" + major, minor, patch, build as one character each + "-".
inline constexpr std::string_view kPeerIdPrefix = "-TY0100-";
// What BEP 10's "v" carries.
inline constexpr std::string_view kClientName = "Tributary 0.1.0";

// prefix (at most 20 bytes) followed by random characters from [A-Za-z0-9-_]
// from the operating system's random source.
PeerId generatePeerId(std::string_view prefix = kPeerIdPrefix);

PeerId peerIdFromString(std::string_view text);  // first 20 bytes, zero-padded
std::string_view peerIdView(const PeerId& id) noexcept;

// The first `bytes` bytes, printable ASCII kept and everything else (and '%')
// as %XX: what the peer list shows next to the decoded client name.
std::string printablePeerIdPrefix(const PeerId& id, std::size_t bytes = 8);

}  // namespace tributary::bt
