// Internal: the client name a peer id announces, for the peer list's "Client"
// column. Conventions, tried in this order:
//
// * Azureus style "-XXvvvv-": a two-character client code and a version whose
//   digits each client writes its own way (qBittorrent "-qB4520-" is 4.5.2,
//   Transmission "-TR3000-" is 3.00, uTorrent "-UT3550-" is 3.5.5).
// * Shadow style "Xvvvvv---": one letter (S Shad0w, T BitTornado, A ABC,
//   O Osprey, Q BTQueue, R Tribler, U UPnP NAT) and up to five version characters
//   from 0-9A-Za-z.- ("S58B-----" is Shadow 5.8.11).
// * Mainline style "Mx-y-z--" ("M4-3-6--" is Mainline 4.3.6).
// * A few fixed prefixes (BitComet "exbc", aria2 "A2-", ...).
//
// Anything else is "Unknown" plus the printable prefix. The result is always
// printable ASCII or UTF-8 from our own table: never raw peer bytes.
#pragma once

#include <string>

#include "engine/bt/PeerId.h"

namespace tributary::bt {

std::string clientNameFromPeerId(const PeerId& id);

}  // namespace tributary::bt
