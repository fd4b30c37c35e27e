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

// Digests of ranges sorted by key and not overlapping, read through Store::scanEncoded()
// (a flat list of adjacent blocks costs one pass over the table).
QList<RangeDigest> digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm);

} // namespace ferry
