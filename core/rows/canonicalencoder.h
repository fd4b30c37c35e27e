#pragma once

#include "rows/tableschema.h"

#include <QByteArray>

namespace ferry {

// The canonical row encoding: the same logical row gives the same bytes whichever
// backend it was read from. A row is
//     u32 length of what follows, then one value per column in schema order;
// a value is one tag byte and its payload (all integers big-endian):
//     0x00 NULL
//     0x01 integer    i64
//     0x02 real       IEEE-754 binary64 bits (every NaN as 0x7ff8000000000000,
//                     -0.0 as +0.0 because SQLite stores -0.0 as integer 0)
//     0x03 text       u32 byte length, UTF-8
//     0x04 blob       u32 byte length, bytes
//     0x05 boolean    one byte, 0 or 1
//     0x06 timestamp  i64 microseconds since 1970-01-01T00:00:00Z
//     0x07 numeric    u32 byte length, normalized decimal in ASCII (normalizeNumeric)
// tests/tst_encoding.cpp pins this with golden vectors.
namespace CanonicalEncoder {

enum Tag : char {
    TagNull = 0x00,
    TagInteger = 0x01,
    TagReal = 0x02,
    TagText = 0x03,
    TagBlob = 0x04,
    TagBoolean = 0x05,
    TagTimestamp = 0x06,
    TagNumeric = 0x07,
};

void appendValue(QByteArray &out, ColumnType type, const QVariant &value);
void appendRow(QByteArray &out, const TableSchema &schema, const Row &row);
QByteArray encodeRow(const TableSchema &schema, const Row &row);

// The inverse of appendRow: the row, with the values Store::scan() delivers for it (types
// as the column's canonical type: qlonglong, double, QString, QByteArray, bool; NULL as an
// invalid QVariant; empty text and blobs not null). bytes is one encoded row, length prefix
// included. Exact except where the encoding folds values: a -0.0 comes back as 0.0, a NaN
// as the one quiet NaN (see foldsReal). Throws FerryError when bytes is not such a row.
Row decodeRow(const TableSchema &schema, QByteArrayView bytes);
// Only the primary key of the row (cheaper: the other values are skipped).
Key decodeKey(const TableSchema &schema, QByteArrayView bytes);
// Whether the encoding of a real value loses something decodeRow cannot give back.
bool foldsReal(double d);
// The 64 bits a real value is encoded as: every NaN as the one quiet NaN, -0.0 as 0.0.
quint64 realBits(double d);

} // namespace CanonicalEncoder

// Normalized decimal text: no sign for zero, no '+', no leading zeros before the point,
// no trailing zeros after it, no point without a fraction ("007.50" -> "7.5", "-0.0" -> "0").
// Returns a null QString when text is not a plain decimal number.
QString normalizeNumeric(const QString &text);

} // namespace ferry
