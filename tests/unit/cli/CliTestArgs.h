// Shared by the CLI parser tests: run parseCli on a QStringList.
#pragma once

#include <QStringList>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/cli/CliArgs.h"

namespace tributary::cli::test {

inline Result<CliCommand> parse(const QStringList& args) {
  std::vector<std::string> storage;
  for (const auto& arg : args) {
    storage.push_back(arg.toStdString());
  }
  const std::vector<std::string_view> views(storage.begin(), storage.end());
  return parseCli(views);
}

// The error detail, or "<ok>" when the command line parsed.
inline QString errorOf(const QStringList& args) {
  const auto result = parse(args);
  return result ? QStringLiteral("<ok>") : QString::fromStdString(result.error().detail);
}

// The command when the line parsed to a `Command`; pair with errorOf() in QVERIFY2.
template <class Command>
std::optional<Command> parseAs(const QStringList& args) {
  auto result = parse(args);
  if (!result || !std::holds_alternative<Command>(result.value())) {
    return std::nullopt;
  }
  return std::get<Command>(std::move(result).value());
}

}  // namespace tributary::cli::test
