#include "ui/bridge/BootstrapNodes.h"

#include <QRegularExpression>
#include <algorithm>
#include <cctype>

namespace tributary::ui {

namespace {

constexpr qsizetype kMaxHostName = 253;

bool isHostName(QStringView host) {
  return !host.isEmpty() && host.size() <= kMaxHostName &&
         std::all_of(host.begin(), host.end(), [](QChar c) {
           return (c.isLetterOrNumber() && c.unicode() < 128) || c == u'.' || c == u'-' ||
                  c == u'_';
         });
}

bool isIpv6Literal(QStringView host) {
  return host.contains(u':') && std::all_of(host.begin(), host.end(), [](QChar c) {
           return (c.unicode() < 128 && std::isxdigit(c.unicode()) != 0) || c == u':' || c == u'.';
         });
}

bool isPort(QStringView port) {
  bool ok = false;
  const uint value = port.toUInt(&ok);
  // Digits only: toUInt alone would take "+1".
  return ok && value >= 1 && value <= 65535 &&
         std::all_of(port.begin(), port.end(), [](QChar c) { return c.isDigit(); });
}

}  // namespace

bool BootstrapNodes::isValidNode(const QString& node) {
  if (node.startsWith(u'[')) {
    const qsizetype close = node.indexOf(u']');
    if (close < 0 || close + 1 >= node.size() || node[close + 1] != u':') {
      return false;
    }
    return isIpv6Literal(QStringView(node).mid(1, close - 1)) &&
           isPort(QStringView(node).mid(close + 2));
  }
  const qsizetype colon = node.lastIndexOf(u':');
  // A bare IPv6 literal fails the host name test: it needs brackets.
  return colon > 0 && isHostName(QStringView(node).first(colon)) &&
         isPort(QStringView(node).mid(colon + 1));
}

BootstrapNodes BootstrapNodes::parse(const QString& text) {
  static const QRegularExpression kSeparators(QStringLiteral("[,\\s]+"));
  BootstrapNodes out;
  for (const QString& part : text.split(kSeparators, Qt::SkipEmptyParts)) {
    if (!isValidNode(part)) {
      out.invalid << part;
    } else if (!out.nodes.contains(part)) {
      out.nodes << part;
    }
  }
  return out;
}

QString BootstrapNodes::join(const QStringList& nodes) {
  return nodes.join(QStringLiteral(", "));
}

}  // namespace tributary::ui
