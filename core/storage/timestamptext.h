#pragma once

#include <QString>

namespace ferry {

// Timestamps travel as microseconds since 1970-01-01T00:00:00Z. These convert to and
// from the text form both databases accept: "YYYY-MM-DD HH:MM:SS[.ffffff]".
QString formatTimestamp(qint64 micros);
// Accepts "YYYY-MM-DD", an optional "T" or " " with "HH:MM[:SS[.f...]]", and an optional
// "Z" or "+HH[:MM]"/"-HH[:MM]" offset. Returns false for anything else.
bool parseTimestamp(const QString &text, qint64 *micros);

} // namespace ferry
