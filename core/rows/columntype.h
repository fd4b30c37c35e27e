#pragma once

#include <QString>

namespace ferry {

// The logical column types Ferry replicates. Each backend maps its own declared types
// onto these; values of a column are held in memory in one canonical Qt type:
//   Integer   -> qlonglong          Real    -> double
//   Text      -> QString            Blob    -> QByteArray
//   Boolean   -> bool               Timestamp -> qlonglong (microseconds since 1970-01-01 UTC)
//   Numeric   -> QString (normalized decimal text, see normalizeNumeric())
// NULL is an invalid QVariant.
enum class ColumnType { Integer, Real, Text, Blob, Boolean, Timestamp, Numeric };

QString columnTypeName(ColumnType type);

} // namespace ferry
