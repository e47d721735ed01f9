// Public to ui/: the colour of each kind of traffic, the same wherever the
// kinds are drawn (the task list's source-mix bar, the Traffic chart).
// From Okabe & Ito's palette, "Color Universal Design": told apart by people
// with protanopia and deuteranopia too, and each has a contrast of 3:1 or
// more against both a white and a near-black background. The pairs that sit
// next to each other most (BT and shared on a torrent, BT and CDN with web
// seeds) differ most in lightness and hue.
#pragma once

#include <QColor>

namespace tributary::ui {

enum class TrafficKind : int { Bt, Http, Cdn, Shared };

inline QColor trafficColor(TrafficKind kind) {
  switch (kind) {
    case TrafficKind::Bt:
      return {0x00, 0x72, 0xb2};  // blue
    case TrafficKind::Http:
      return {0xcc, 0x79, 0xa7};  // reddish purple
    case TrafficKind::Cdn:
      return {0x00, 0x9e, 0x73};  // bluish green
    case TrafficKind::Shared:
      return {0xd5, 0x5e, 0x00};  // vermillion
  }
  return {};
}

}  // namespace tributary::ui
