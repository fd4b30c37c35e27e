#pragma once

#include "rows/canonicalencoder.h"
#include "blocks/rangedigest.h"

#include <QFuture>
#include <QHash>

namespace ferry {

// The rows that must make up a key range after a repair, as canonical encodings (the way
// the verifier holds the source's rows): row i is bytes [offsets[i], offsets[i + 1]); a
// row whose bytes do not decode to itself (EncodedRow::folded) is in exact, by its index.
struct EncodedRangeRows
{
    KeyRange range;
    QByteArray bytes;
    QList<qsizetype> offsets{0};
    QHash<qsizetype, Row> exact;

    qsizetype rows() const { return offsets.size() - 1; }
    QByteArrayView row(qsizetype i) const { return QByteArrayView(bytes.constData() + offsets.at(i), offsets.at(i + 1) - offsets.at(i)); }
    RangeRows decoded(const TableSchema &schema) const
    {
        RangeRows part{range, {}};
        part.rows.reserve(rows());
        for (qsizetype i = 0; i < rows(); ++i) {
            const auto it = exact.constFind(i);
            part.rows.append(it != exact.constEnd() ? *it : CanonicalEncoder::decodeRow(schema, row(i)));
        }
        return part;
    }
};

// The target side of the block verification protocol, as the source sees it. Calls return
// at once; the work runs where the target's database lives (its own thread here, its own
// data center through ferry-node). Errors arrive as FerryError from QFuture::result().
class TargetEndpoint
{
public:
    virtual ~TargetEndpoint() = default;

    virtual QString displayName() const = 0;
    virtual QFuture<TableSchema> describe(const QString &table) = 0;
    // Step 3: digests of the given ranges (blocks, or sub-ranges while descending).
    virtual QFuture<QList<RangeDigest>> digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges,
                                                     DigestAlgorithm algorithm) = 0;
    // Step 5: make each range hold exactly the given rows, in one transaction, then
    // digest the ranges again so the source can confirm them.
    virtual QFuture<QList<RangeDigest>> replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges,
                                                      DigestAlgorithm algorithm) = 0;
    // The rows of one key range in key order, at most limit of them (a verification lists
    // the keys of a differing block from them).
    virtual QFuture<QList<Row>> readRange(const TableSchema &schema, const KeyRange &range, int limit) = 0;
    // The same with the rows as canonical encodings. The default decodes them; an endpoint
    // that sends them on can encode for the wire straight from the bytes.
    virtual QFuture<QList<RangeDigest>> replaceEncoded(const TableSchema &schema, const QList<EncodedRangeRows> &ranges,
                                                       DigestAlgorithm algorithm)
    {
        QList<RangeRows> decoded;
        decoded.reserve(ranges.size());
        for (const EncodedRangeRows &part : ranges)
            decoded.append(part.decoded(schema));
        return replaceRanges(schema, decoded, algorithm);
    }
};

} // namespace ferry
