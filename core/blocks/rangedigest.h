#pragma once

#include "blocks/digest.h"
#include "storage/store.h"

namespace ferry {

struct RangeDigest
{
    qint64 rows = 0;
    QByteArray digest;

    bool operator==(const RangeDigest &other) const { return rows == other.rows && digest == other.digest; }
    bool operator!=(const RangeDigest &other) const { return !(*this == other); }
};

// Digests of ranges sorted by key and not overlapping. Adjacent ranges (one's hi is the
// next one's lo) are read with one streamed scan, so a flat list of blocks costs one pass
// over the table.
QList<RangeDigest> digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm);

} // namespace ferry
