#pragma once

#include "storage/datasource.h"
#include "storage/keyrange.h"
#include "storage/tableschema.h"

#include <functional>
#include <memory>

namespace ferry {

// The rows that must make up one key range after a repair.
struct RangeRows
{
    KeyRange range;
    QList<Row> rows;
};

// One row of Store::scanEncoded(): its canonical encoding (blocks/canonicalencoder.h) and,
// computed only when asked for, its primary key.
class EncodedRow
{
public:
    QByteArrayView bytes;
    virtual Key key() const = 0;

protected:
    ~EncodedRow() = default;
};

// One database reached through Qt SQL. A Store belongs to the thread that opened it
// (Qt SQL connections are not shared between threads). Every method throws FerryError
// with a message that names the database, table or column involved.
class Store
{
public:
    struct Options
    {
        bool readOnly = true;       // opened so that nothing can be written through it
        int busyTimeoutMs = 2000;   // how long to wait for a lock before reporting it
    };

    static std::unique_ptr<Store> open(const DataSource &source, const Options &options);
    virtual ~Store() = default;

    virtual QString displayName() const = 0;
    virtual QStringList tables() = 0;

    // Columns, canonical types and primary key. Throws when the table does not exist,
    // has no primary key, or has a column of a type Ferry does not replicate.
    virtual TableSchema describe(const QString &table) = 0;

    // Streams the rows of range in primary-key order, one at a time; memory use does not
    // depend on the table size. The sink returns false to stop. Returns the rows delivered.
    using RowSink = std::function<bool(const Row &row)>;
    virtual qint64 scan(const TableSchema &schema, const KeyRange &range, const RowSink &sink) = 0;

    // Streams the canonical encoding of the rows of each range: ranges in order (sorted by
    // key, not overlapping), rows in key order, with the index of the range they fall in.
    // The sink returns false to stop. Returns the rows delivered. The default encodes what
    // scan() reads, one scan per run of adjacent ranges; a backend may encode straight from
    // its own buffers, which is what makes hashing a table about as fast as reading it.
    using EncodedRowSink = std::function<bool(qsizetype rangeIndex, const EncodedRow &row)>;
    virtual qint64 scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink);

    // Makes each range hold exactly its given rows (delete the range, insert the rows),
    // all in one transaction: on any error nothing is changed.
    virtual void replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges) = 0;

    // Insert-or-update by primary key, and delete by primary key, in one transaction each.
    virtual void upsert(const TableSchema &schema, const QList<Row> &rows) = 0;
    virtual void remove(const TableSchema &schema, const QList<Key> &keys) = 0;
};

} // namespace ferry
