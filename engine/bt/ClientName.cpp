#include "engine/bt/ClientName.h"

#include <array>
#include <optional>
#include <string_view>

namespace tributary::bt {

namespace {

// How a client writes its version in the four characters after "-XX".
enum class Version : std::uint8_t {
  None,          // no version
  Three,         // a.b.c, each one character (0-9, A-Z = 10-35, a-z = 36-61)
  Four,          // a.b.c.d, the last dropped when it is 0
  Transmission,  // 0.6 / 0.72 / 2.94 ("x.yy") / 4.0.5 from 4.0 on
  UTorrent,      // hex a.b.c plus a release letter (B beta)
  TwoTwo,        // "abcd" -> ab.cd as numbers (BitComet, Tixati)
  KTorrent,      // a.b.c, or "a.b Dev n" / "a.b RC n"
};

struct AzureusClient {
  std::string_view code;
  std::string_view name;
  Version version;
};

// The clients a user of a public swarm meets, plus the historic ones the
// other clients' tables agree on. Codes are case-sensitive ("lt" != "LT").
constexpr std::array kAzureusClients{
    AzureusClient{"7T", "aTorrent", Version::Three},
    AzureusClient{"AG", "Ares", Version::Three},
    AzureusClient{"AR", "Arctic", Version::Four},
    AzureusClient{"AT", "Artemis", Version::Four},
    AzureusClient{"AV", "Avicora", Version::Four},
    AzureusClient{"AZ", "Vuze", Version::Four},
    AzureusClient{"BB", "BitBuddy", Version::Four},
    AzureusClient{"BC", "BitComet", Version::TwoTwo},
    AzureusClient{"BF", "Bitflu", Version::None},
    AzureusClient{"BG", "BTG", Version::Four},
    AzureusClient{"BI", "BiglyBT", Version::Four},
    AzureusClient{"BL", "BitLord", Version::Four},
    AzureusClient{"BN", "Baidu Netdisk", Version::None},
    AzureusClient{"BR", "BitRocket", Version::Four},
    AzureusClient{"BS", "BTSlave", Version::Four},
    AzureusClient{"BT", "BitTorrent", Version::UTorrent},
    AzureusClient{"BW", "BitTorrent Web", Version::UTorrent},
    AzureusClient{"BX", "BittorrentX", Version::Four},
    AzureusClient{"CD", "Enhanced CTorrent", Version::TwoTwo},
    AzureusClient{"CT", "CTorrent", Version::Three},
    AzureusClient{"DE", "Deluge", Version::Four},
    AzureusClient{"EB", "EBit", Version::Four},
    AzureusClient{"ES", "Electric Sheep", Version::Three},
    AzureusClient{"FC", "FileCroc", Version::Four},
    AzureusClient{"FD", "Free Download Manager", Version::Three},
    AzureusClient{"FG", "FlashGet", Version::TwoTwo},
    AzureusClient{"FT", "FoxTorrent", Version::Four},
    AzureusClient{"FW", "FrostWire", Version::Three},
    AzureusClient{"FX", "Freebox", Version::Four},
    AzureusClient{"GS", "GSTorrent", Version::Four},
    AzureusClient{"HK", "Hekate", Version::Four},
    AzureusClient{"HL", "Halite", Version::Three},
    AzureusClient{"HN", "Hydranode", Version::Four},
    AzureusClient{"KG", "KGet", Version::Four},
    AzureusClient{"KT", "KTorrent", Version::KTorrent},
    AzureusClient{"LC", "LeechCraft", Version::Four},
    AzureusClient{"LH", "LH-ABC", Version::Four},
    AzureusClient{"LP", "Lphant", Version::TwoTwo},
    AzureusClient{"LT", "libtorrent", Version::Three},
    AzureusClient{"LW", "LimeWire", Version::None},
    AzureusClient{"MG", "MediaGet", Version::Four},
    AzureusClient{"MO", "MonoTorrent", Version::Four},
    AzureusClient{"MP", "MooPolice", Version::Three},
    AzureusClient{"MR", "Miro", Version::Four},
    AzureusClient{"MT", "MoonlightTorrent", Version::Four},
    AzureusClient{"NX", "Net Transport", Version::Four},
    AzureusClient{"OS", "OneSwarm", Version::Four},
    AzureusClient{"OT", "OmegaTorrent", Version::Four},
    AzureusClient{"PD", "Pando", Version::Four},
    AzureusClient{"PI", "PicoTorrent", Version::Three},
    AzureusClient{"QD", "QQDownload", Version::Four},
    AzureusClient{"QT", "Qt 4 Torrent example", Version::Four},
    AzureusClient{"RT", "Retriever", Version::Four},
    AzureusClient{"RZ", "RezTorrent", Version::Four},
    AzureusClient{"SB", "Swiftbit", Version::Four},
    AzureusClient{"SD", "Thunder", Version::Four},
    AzureusClient{"SM", "SoMud", Version::Four},
    AzureusClient{"SP", "BitSpirit", Version::Three},
    AzureusClient{"SS", "SwarmScope", Version::Four},
    AzureusClient{"ST", "SymTorrent", Version::Four},
    AzureusClient{"SZ", "Shareaza", Version::Four},
    AzureusClient{"S~", "Shareaza", Version::Four},
    AzureusClient{"TB", "Torch", Version::Four},
    AzureusClient{"TL", "Tribler", Version::Four},
    AzureusClient{"TN", "Torrent.NET", Version::Four},
    AzureusClient{"TR", "Transmission", Version::Transmission},
    AzureusClient{"TS", "TorrentStorm", Version::Four},
    AzureusClient{"TT", "TuoTu", Version::Three},
    AzureusClient{"TX", "Tixati", Version::None},
    AzureusClient{"TY", "Tributary", Version::Four},
    AzureusClient{"UE", "\xC2\xB5Torrent Embedded", Version::UTorrent},
    AzureusClient{"UL", "uLeecher!", Version::Four},
    AzureusClient{"UM", "\xC2\xB5Torrent Mac", Version::UTorrent},
    AzureusClient{"UT", "\xC2\xB5Torrent", Version::UTorrent},
    AzureusClient{"UW", "\xC2\xB5Torrent Web", Version::UTorrent},
    AzureusClient{"VG", "Vagaa", Version::Four},
    AzureusClient{"WD", "WebTorrent Desktop", Version::Four},
    AzureusClient{"WT", "BitLet", Version::Four},
    AzureusClient{"WW", "WebTorrent", Version::Four},
    AzureusClient{"WY", "FireTorrent", Version::Four},
    AzureusClient{"XF", "Xfplay", Version::Four},
    AzureusClient{"XL", "Xunlei", Version::Four},
    AzureusClient{"XT", "XanTorrent", Version::Four},
    AzureusClient{"XX", "Xtorrent", Version::Four},
    AzureusClient{"ZO", "Zona", Version::Four},
    AzureusClient{"ZT", "ZipTorrent", Version::Four},
    AzureusClient{"lt", "rTorrent", Version::Three},
    AzureusClient{"pX", "pHoeniX", Version::Four},
    AzureusClient{"qB", "qBittorrent", Version::Three},
    AzureusClient{"st", "SharkTorrent", Version::Four},
};

std::string_view shadowName(char c) {
  switch (c) {
    case 'A':
      return "ABC";
    case 'O':
      return "Osprey Permaseed";
    case 'Q':
      return "BTQueue";
    case 'R':
      return "Tribler";
    case 'S':
      return "Shadow";
    case 'T':
      return "BitTornado";
    case 'U':
      return "UPnP NAT Bit Torrent";
    default:
      return {};
  }
}

bool isAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// 0-9, then A-Z as 10-35 and a-z as 36-61: the digit alphabet Azureus-style
// clients and Shadow's scheme share.
int charValue(char c) {
  if (isDigit(c)) {
    return c - '0';
  }
  if (c >= 'A' && c <= 'Z') {
    return 10 + (c - 'A');
  }
  if (c >= 'a' && c <= 'z') {
    return 36 + (c - 'a');
  }
  return 0;
}

int hexValue(char c) {
  return isDigit(c) ? c - '0' : (c >= 'A' && c <= 'F' ? 10 + c - 'A' : 0);
}

int decimal(std::string_view s) {
  int value = 0;
  for (const char c : s) {
    value = value * 10 + (isDigit(c) ? c - '0' : 0);
  }
  return value;
}

std::string twoDigits(int value) {
  std::string s = std::to_string(value);
  return s.size() < 2 ? "0" + s : s;
}

std::string dotted(std::initializer_list<int> parts) {
  std::string out;
  for (const int part : parts) {
    if (!out.empty()) {
      out.push_back('.');
    }
    out += std::to_string(part);
  }
  return out;
}

std::string releaseSuffix(char c) {
  switch (c) {
    case 'B':
    case 'b':
      return " Beta";
    case 'd':
      return " Debug";
    case 'X':
    case 'x':
    case 'Z':
      return " Dev";
    default:
      return {};
  }
}

std::string azureusVersion(Version style, std::string_view v /* id[3..7) */, char after) {
  switch (style) {
    case Version::None:
      return {};
    case Version::Three:
      return dotted({charValue(v[0]), charValue(v[1]), charValue(v[2])});
    case Version::Four:
      if (v[3] == '0') {
        return dotted({charValue(v[0]), charValue(v[1]), charValue(v[2])});
      }
      return dotted({charValue(v[0]), charValue(v[1]), charValue(v[2]), charValue(v[3])});
    case Version::Transmission:
      if (v[0] == '0' && v[1] == '0' && v[2] == '0') {
        return std::string("0.") + v[3];  // -TR0006- is 0.6
      }
      if (v[0] == '0' && v[1] == '0') {
        return "0." + twoDigits(decimal(v.substr(2, 2)));  // -TR0072- is 0.72
      }
      if (charValue(v[0]) >= 4) {  // 4.0 on: -TR4050- is 4.0.5, -TR400B- is 4.0.0 Beta
        return dotted({charValue(v[0]), charValue(v[1]), charValue(v[2])}) + releaseSuffix(v[3]);
      }
      // -TR2940- is 2.94, -TR294Z- a 2.94+ development build
      return std::to_string(charValue(v[0])) + "." + twoDigits(decimal(v.substr(1, 2))) +
             ((v[3] == 'Z' || v[3] == 'X') ? "+" : "");
    case Version::UTorrent:
      if (after == '-') {  // -UT3550-: 3.5.5, release letter in v[3]
        return dotted({hexValue(v[0]), hexValue(v[1]), hexValue(v[2])}) + releaseSuffix(v[3]);
      }
      // Longer versions push the letter into the closing dash's place.
      return dotted({hexValue(v[0]), hexValue(v[1]), decimal(v.substr(2, 2))}) +
             releaseSuffix(after);
    case Version::TwoTwo:
      return std::to_string(decimal(v.substr(0, 2))) + "." + twoDigits(decimal(v.substr(2, 2)));
    case Version::KTorrent:
      if (v[2] == 'D') {
        return dotted({charValue(v[0]), charValue(v[1])}) + " Dev " +
               std::to_string(charValue(v[3]));
      }
      if (v[2] == 'R') {
        return dotted({charValue(v[0]), charValue(v[1])}) + " RC " +
               std::to_string(charValue(v[3]));
      }
      return dotted({charValue(v[0]), charValue(v[1]), charValue(v[2])});
  }
  return {};
}

std::string withVersion(std::string_view name, const std::string& version) {
  std::string out(name);
  if (!version.empty()) {
    out.push_back(' ');
    out += version;
  }
  return out;
}

std::optional<std::string> azureusStyle(std::string_view id) {
  // "-XXvvvv-"; uTorrent may put a letter where the closing dash goes.
  if (id[0] != '-' || !isAlnum(id[3]) || !isAlnum(id[4]) || !isAlnum(id[5]) || !isAlnum(id[6])) {
    return std::nullopt;
  }
  for (const AzureusClient& client : kAzureusClients) {
    if (id.substr(1, 2) != client.code) {
      continue;
    }
    const bool lateLetter = client.version == Version::UTorrent && isAlnum(id[7]);
    if (id[7] != '-' && !lateLetter) {
      return std::nullopt;
    }
    return withVersion(client.name, azureusVersion(client.version, id.substr(3, 4), id[7]));
  }
  return std::nullopt;
}

std::optional<std::string> shadowStyle(std::string_view id) {
  // "Xvvvvv---": one letter, up to five version characters padded with '-'.
  static constexpr std::string_view kDigits =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.";
  const std::string_view name = shadowName(id[0]);
  if (name.empty() || id.substr(6, 3) != "---") {
    return std::nullopt;
  }
  std::string version;
  std::size_t i = 1;
  for (; i < 6 && id[i] != '-'; ++i) {
    const std::size_t value = kDigits.find(id[i]);
    if (value == std::string_view::npos) {
      return std::nullopt;
    }
    if (!version.empty()) {
      version.push_back('.');
    }
    version += std::to_string(value);
  }
  for (; i < 6; ++i) {
    if (id[i] != '-') {
      return std::nullopt;  // a digit after the padding started
    }
  }
  if (version.empty()) {
    return std::nullopt;
  }
  return withVersion(name, version);
}

std::optional<std::string> mainlineStyle(std::string_view id) {
  // "Mx-y-z--" or "Mx-yy-z-": three dash-terminated numbers within 8 bytes.
  std::string_view name;
  if (id[0] == 'M') {
    name = "Mainline";
  } else if (id[0] == 'Q') {
    name = "Queen Bee";
  } else {
    return std::nullopt;
  }
  int parts[3] = {0, 0, 0};
  std::size_t i = 1;
  for (int& part : parts) {
    const std::size_t start = i;
    while (i < 8 && isDigit(id[i])) {
      part = part * 10 + (id[i] - '0');
      ++i;
    }
    if (i == start || i >= 8 || id[i] != '-') {
      return std::nullopt;
    }
    ++i;
  }
  if (id[7] != '-') {
    return std::nullopt;
  }
  return withVersion(name, dotted({parts[0], parts[1], parts[2]}));
}

std::optional<std::string> fixedPrefix(std::string_view id) {
  if (id.substr(0, 4) == "exbc" || id.substr(0, 4) == "FUTB" || id.substr(0, 4) == "xUTB") {
    // BitComet before 0.59 (and BitLord): two binary version bytes.
    const std::string_view name = id.substr(6, 4) == "LORD" ? "BitLord" : "BitComet";
    return withVersion(name, std::to_string(static_cast<unsigned char>(id[4])) + "." +
                                 twoDigits(static_cast<unsigned char>(id[5])));
  }
  if (id.substr(0, 3) == "A2-") {  // aria2: "A2-1-35-0-"
    std::string version;
    std::size_t i = 3;
    for (int part = 0; part < 3; ++part) {
      const std::size_t start = i;
      while (i < 12 && isDigit(id[i])) {
        ++i;
      }
      if (i == start || i >= 12 || id[i] != '-') {
        return std::string("aria2");
      }
      if (!version.empty()) {
        version.push_back('.');
      }
      version += std::to_string(decimal(id.substr(start, i - start)));
      ++i;
    }
    return "aria2 " + version;
  }
  if (id.substr(0, 6) == "aria2-") {
    return std::string("aria2");
  }
  if (id.substr(0, 3) == "TIX" && isDigit(id[3]) && isDigit(id[4]) && isDigit(id[5]) &&
      isDigit(id[6])) {
    return "Tixati " + std::to_string(decimal(id.substr(3, 2))) + "." +
           twoDigits(decimal(id.substr(5, 2)));
  }
  if (id.substr(0, 3) == "XBT" && isDigit(id[3]) && isDigit(id[4]) && isDigit(id[5])) {
    return withVersion("XBT Client",
                       dotted({id[3] - '0', id[4] - '0', id[5] - '0'}) + releaseSuffix(id[6]));
  }
  if (id.substr(0, 4) == "btpd") {
    return std::string("BT Protocol Daemon");
  }
  return std::nullopt;
}

}  // namespace

std::string clientNameFromPeerId(const PeerId& peerId) {
  const std::string_view id = peerIdView(peerId);
  if (auto name = azureusStyle(id)) {
    return *name;
  }
  if (auto name = mainlineStyle(id)) {
    return *name;
  }
  if (auto name = shadowStyle(id)) {
    return *name;
  }
  if (auto name = fixedPrefix(id)) {
    return *name;
  }
  return "Unknown [" + printablePeerIdPrefix(peerId) + "]";
}

}  // namespace tributary::bt
