#pragma once

#include "rows/keyrange.h"
#include "storage/store.h"

#include <QList>
#include <QMetaType>

namespace ferry {

// One key whose rows differ between the source and the target of a verification.
struct RowDifference
{
    enum class Kind : quint8 {
        Missing,     // on the source, not on the target
        Extra,       // on the target, not on the source
        Different,   // on both, with other values
    };
    Kind kind = Kind::Different;
    Key key;
    Row source;   // empty when Extra
    Row target;   // empty when Missing
};

QString rowDifferenceKindName(RowDifference::Kind kind);   // "missing", "extra", "different"

// The differing keys of one key range (a block), counted in full and listed up to a limit.
struct RangeDifferences
{
    int block = -1;           // the block's index in its verification, -1 when not a block
    KeyRange range;
    qint64 missing = 0;
    qint64 extra = 0;
    qint64 different = 0;
    QList<RowDifference> rows;   // in key order, at most the limit the comparison was given

    qint64 total() const { return missing + extra + different; }
    bool truncated() const { return rows.size() < total(); }
};

// Compares the rows of one key range on both sides, each list in primary-key order as
// Store::scan() delivers it; rows are equal when their canonical encodings are (the way
// block digests compare them). Lists at most limit differences, counts all of them.
RangeDifferences diffRows(const TableSchema &schema, const QList<Row> &source, const QList<Row> &target, int limit);

// The rows of range in key order, at most limit of them. (Inline: the wire codecs use this
// header without the storage layer, as in the fuzzing harness.)
inline QList<Row> readRows(Store &store, const TableSchema &schema, const KeyRange &range, int limit)
{
    QList<Row> rows;
    store.scan(schema, range, [&rows, limit](const Row &row) {
        if (rows.size() >= limit)
            return false;
        rows.append(row);
        return true;
    });
    return rows;
}

} // namespace ferry

Q_DECLARE_METATYPE(ferry::RangeDifferences)
