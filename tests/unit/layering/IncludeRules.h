// The dependency rules of DESIGN.md, checked on the sources' #include lines:
// no Qt under engine/, <uv.h> only in engine/loop, OpenSSL only in crypto/TLS
// files, engine folders include only their own layer or those below, ui/ and
// app/ see the engine through engine/api only (ui/bridge alone includes it).
#pragma once

#include <QString>
#include <QStringList>

struct IncludeViolation {
  QString file;  // relative to the source root
  int line = 0;
  QString include;
  QString rule;
};

// Checks one file, given its path relative to the source root and its text.
QList<IncludeViolation> checkIncludes(const QString& relativePath, const QString& text);

// Checks every C++ source under root/engine, root/ui and root/app.
QList<IncludeViolation> checkTree(const QString& root, int* filesChecked);
