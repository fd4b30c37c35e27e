#include "blocks/rangedigest.h"

#include "blocks/canonicalencoder.h"

namespace ferry {

QList<RangeDigest> digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm)
{
    QList<RangeDigest> results(ranges.size());
    const QList<ColumnType> keyTypes = schema.keyTypes();
    Digest digest(algorithm);
    QByteArray buffer;
    qsizetype first = 0;
    while (first < ranges.size()) {
        qsizetype last = first;
        while (last + 1 < ranges.size() && ranges.at(last).hasHi() && ranges.at(last + 1).hasLo()
               && compareKeys(keyTypes, ranges.at(last).hi, ranges.at(last + 1).lo) == 0) {
            ++last;
        }
        const KeyRange run{ranges.at(first).lo, ranges.at(last).hi};
        qsizetype current = first;
        store.scan(schema, run, [&](const Row &row) {
            while (current < last && compareRowKey(schema, row, ranges.at(current).hi) >= 0) {
                results[current].digest = digest.finish();
                ++current;
            }
            buffer.clear();
            CanonicalEncoder::appendRow(buffer, schema, row);
            digest.update(buffer);
            ++results[current].rows;
            return true;
        });
        for (; current <= last; ++current)
            results[current].digest = digest.finish();
        first = last + 1;
    }
    return results;
}

} // namespace ferry
