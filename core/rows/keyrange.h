#pragma once

#include "rows/tableschema.h"

namespace ferry {

// A primary-key range [lo, hi). An empty lo means "from the first row", an empty hi
// means "to the last row", so KeyRange{} covers the whole table.
struct KeyRange
{
    Key lo;
    Key hi;

    bool hasLo() const { return !lo.isEmpty(); }
    bool hasHi() const { return !hi.isEmpty(); }
};

// Total order of canonical values of one column type, the same order the databases use
// for ORDER BY (text by UTF-8 bytes / code points, as SQLite BINARY and PostgreSQL "C").
int compareValues(ColumnType type, const QVariant &a, const QVariant &b);
int compareKeys(const QList<ColumnType> &types, const Key &a, const Key &b);

// compareKeys(types, schema.keyOf(row), key) without building the key.
int compareRowKey(const TableSchema &schema, const Row &row, const Key &key);

// Where key lies relative to range: -1 before lo, 0 inside, 1 at or after hi.
int locateKey(const QList<ColumnType> &types, const Key &key, const KeyRange &range);

// Human-readable "[lo, hi)" for messages and tooltips.
QString describeRange(const KeyRange &range);

} // namespace ferry
