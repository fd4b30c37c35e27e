#include "node/databaseservice.h"

#include "util/runinpool.h"

namespace ferry {

DatabaseService::DatabaseService(const NodeConfig::Database &database)
    : m_database(database)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

DatabaseService::~DatabaseService()
{
    m_pool.start([this] { m_store.reset(); });
    m_pool.waitForDone();
}

QString DatabaseService::kind() const
{
    return m_database.source.kind == DataSource::Kind::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

Store &DatabaseService::store()
{
    if (!m_store)
        m_store = Store::open(m_database.source, Store::Options{false, 5000});
    return *m_store;
}

const TableSchema &DatabaseService::schema(const QString &table)
{
    auto it = m_schemas.find(table);
    if (it == m_schemas.end())
        it = m_schemas.insert(table, store().describe(table));
    return *it;
}

QFuture<QStringList> DatabaseService::tables()
{
    return runInPool(&m_pool, [this] { return store().tables(); });
}

QFuture<TableSchema> DatabaseService::describe(const QString &table)
{
    return runInPool(&m_pool, [this, table] {
        m_schemas.remove(table);
        return schema(table);
    });
}

QFuture<QList<RangeDigest>> DatabaseService::digestRanges(const QString &table, std::function<QList<KeyRange>(const TableSchema &)> ranges,
                                                          DigestAlgorithm algorithm)
{
    return runInPool(&m_pool, [this, table, ranges = std::move(ranges), algorithm] {
        const TableSchema &tableSchema = schema(table);
        return ferry::digestRanges(store(), tableSchema, ranges(tableSchema), algorithm);
    });
}

QFuture<QList<RangeDigest>> DatabaseService::replaceRanges(const QString &table, std::function<QList<RangeRows>(const TableSchema &)> parts,
                                                           DigestAlgorithm algorithm)
{
    return runInPool(&m_pool, [this, table, parts = std::move(parts), algorithm] {
        const TableSchema &tableSchema = schema(table);
        const QList<RangeRows> decoded = parts(tableSchema);
        store().replaceRanges(tableSchema, decoded);
        QList<KeyRange> ranges;
        ranges.reserve(decoded.size());
        for (const RangeRows &part : decoded)
            ranges.append(part.range);
        return ferry::digestRanges(store(), tableSchema, ranges, algorithm);
    });
}

} // namespace ferry
