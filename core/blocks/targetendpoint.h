#pragma once

#include "blocks/rangedigest.h"

#include <QFuture>

namespace ferry {

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
};

} // namespace ferry
