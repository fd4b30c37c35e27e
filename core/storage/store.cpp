#include "storage/store.h"

#include "rows/canonicalencoder.h"

#include "storage/postgresstore.h"
#include "storage/sqlitestore.h"

namespace ferry {

std::unique_ptr<Store> Store::open(const DataSource &source, const Options &options)
{
    if (source.kind == DataSource::Kind::Postgres)
        return std::make_unique<PostgresStore>(source, options);
    return std::make_unique<SqliteStore>(source, options);
}

namespace {

class ScannedRow final : public EncodedRow
{
public:
    ScannedRow(const TableSchema &schema) : m_schema(schema) {}
    void set(const Row &row)
    {
        m_row = &row;
        m_buffer.resize(0);   // keeps the capacity, unlike clear()
        CanonicalEncoder::appendRow(m_buffer, m_schema, row);
        bytes = m_buffer;
        folded = false;
        for (int i = 0; i < m_schema.columns.size(); ++i) {
            if (m_schema.columns.at(i).type == ColumnType::Real && !row.at(i).isNull() && CanonicalEncoder::foldsReal(row.at(i).toDouble()))
                folded = true;
        }
    }
    Key key() const override { return m_schema.keyOf(*m_row); }
    Row row() const override { return *m_row; }

private:
    const TableSchema &m_schema;
    const Row *m_row = nullptr;
    QByteArray m_buffer;
};

} // namespace

qint64 Store::scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink)
{
    const QList<ColumnType> keyTypes = schema.keyTypes();
    ScannedRow encoded(schema);
    qint64 delivered = 0;
    bool stopped = false;
    qsizetype first = 0;
    while (first < ranges.size() && !stopped) {
        // A run of adjacent ranges (each one's hi is the next one's lo) is one scan.
        qsizetype last = first;
        while (last + 1 < ranges.size() && ranges.at(last).hasHi() && ranges.at(last + 1).hasLo()
               && compareKeys(keyTypes, ranges.at(last).hi, ranges.at(last + 1).lo) == 0) {
            ++last;
        }
        qsizetype current = first;
        delivered += scan(schema, KeyRange{ranges.at(first).lo, ranges.at(last).hi}, [&](const Row &row) {
            while (current < last && compareRowKey(schema, row, ranges.at(current).hi) >= 0)
                ++current;
            encoded.set(row);
            stopped = !sink(current, encoded);
            return !stopped;
        });
        first = last + 1;
    }
    return delivered;
}

} // namespace ferry
