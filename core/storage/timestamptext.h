#pragma once

#include <QString>

namespace ferry {

// Timestamps travel as microseconds since 1970-01-01T00:00:00Z. These convert to and
// from the text form both databases accept: "YYYY-MM-DD HH:MM:SS[.ffffff]", with " BC"
// after it before year 1, and "infinity" / "-infinity" for the largest and the smallest
// number (PostgreSQL's infinite timestamps and dates).
QString formatTimestamp(qint64 micros);
// The same into out (at least 26 bytes, no terminating NUL), for years 1 to 9999: returns
// the length, or 0 for another year (formatTimestamp(micros) writes those).
int formatTimestamp(qint64 micros, char *out);
// Accepts "YYYY-MM-DD", an optional "T" or " " with "HH:MM[:SS[.f...]]", an optional
// "Z" or "+HH[:MM]"/"-HH[:MM]" offset and an optional " BC"; and [+-]infinity. Returns
// false for anything else.
bool parseTimestamp(const QString &text, qint64 *micros);
// The fast path for the form formatTimestamp() writes ("YYYY-MM-DD HH:MM:SS[.f...]", or a
// date alone) read as UTF-8 bytes: the same result as parseTimestamp() wherever it returns
// true. Returns false for every other form, which parseTimestamp() then decides.
bool parseCanonicalTimestamp(const char *text, qsizetype size, qint64 *micros);

} // namespace ferry
