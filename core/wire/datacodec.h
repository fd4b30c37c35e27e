#pragma once

#include "blocks/blockstate.h"
#include "blocks/rangedigest.h"
#include "blocks/targetendpoint.h"
#include "storage/store.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

// CBOR forms of the data the protocol carries. Decoders check everything (types against
// the schema, counts, ranges of numbers) and throw WireError (bad_message) with a message
// that says which field of which message was wrong; context names the message.
namespace ferry::wirecodec {

// A value of a column: null, integer (Integer, Timestamp), float64 (Real), text (Text,
// Numeric), byte string (Blob), bool (Boolean). Numeric text must be normalized
// (normalizeNumeric) or PostgreSQL's NaN, Infinity, -Infinity.
QCborValue encodeValue(ColumnType type, const QVariant &value);
QVariant decodeValue(ColumnType type, const QCborValue &value, const QString &context);

QCborArray encodeRow(const TableSchema &schema, const Row &row);
Row decodeRow(const TableSchema &schema, const QCborValue &value, const QString &context);

// An empty key (an open range end) is null.
QCborValue encodeKey(const QList<ColumnType> &types, const Key &key);
Key decodeKey(const QList<ColumnType> &types, const QCborValue &value, const QString &context);

// [lo, hi]
QCborArray encodeRange(const QList<ColumnType> &types, const KeyRange &range);
KeyRange decodeRange(const QList<ColumnType> &types, const QCborValue &value, const QString &context);
QCborArray encodeRanges(const QList<ColumnType> &types, const QList<KeyRange> &ranges);
QList<KeyRange> decodeRanges(const QList<ColumnType> &types, const QCborArray &array, const QString &context);

// [{range, rows:[row]}]
QCborArray encodeRangeRows(const TableSchema &schema, const QList<RangeRows> &parts);
QList<RangeRows> decodeRangeRows(const TableSchema &schema, const QCborArray &array, const QString &context);

// The body of a replace request, {db, table, digest, parts} (and link, when not empty),
// with parts as encodeRangeRows(decoded parts) encodes them, written straight from the
// canonical rows: an indefinite-length CBOR map for encodeMessage(type, id, QByteArray, compress).
QByteArray encodeReplaceBody(const QString &db, const TableSchema &schema, const QString &digest, const QList<EncodedRangeRows> &parts,
                             const QString &link = QString());

// {table, columns:[{name, type, declared, not_null}], key:[column index]}
QCborMap encodeSchema(const TableSchema &schema);
TableSchema decodeSchema(const QCborValue &value, const QString &context);

// [[seq, deleted, key, row or null, origin, committed at (µs)]]
QCborArray encodeChanges(const TableSchema &schema, const QList<Change> &changes);
QList<Change> decodeChanges(const TableSchema &schema, const QCborArray &array, const QString &context);

// [[rows, digest bytes]]
QCborArray encodeDigests(const QList<RangeDigest> &digests);
QList<RangeDigest> decodeDigests(const QCborArray &array, const QString &context);

// Block states and progress, for ferryctl's progress bar and the console's block map.
// Block ranges in progress carry their keys with the keys' own CBOR types, since the
// receiver (ferryctl, the console) need not know the schema: they are shown, not used.
QCborMap encodeProgress(const VerificationProgress &progress);
VerificationProgress decodeProgress(const QCborMap &map, const QString &context);
QCborMap encodeSummary(const VerificationSummary &summary);
VerificationSummary decodeSummary(const QCborMap &map, const QString &context);
// The differing keys of a verification ([{block, lo, hi, missing, extra, different,
// rows:[[kind, key, source row or null, target row or null]]}]), values with their own
// CBOR types (shown, not used).
QCborArray encodeDifferences(const QList<RangeDifferences> &differences);
QList<RangeDifferences> decodeDifferences(const QCborArray &array, const QString &context);

} // namespace ferry::wirecodec
