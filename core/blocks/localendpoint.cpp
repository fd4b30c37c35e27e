#include "blocks/localendpoint.h"

#include "blocks/rowdifference.h"
#include "util/runinpool.h"

namespace ferry {

LocalEndpoint::LocalEndpoint(const DataSource &source, const Store::Options &options)
{
    // Qt SQL connections belong to the thread that made them: keep the one thread alive.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    runInPool(&m_pool, [this, source, options] {
        m_store = Store::open(source, options);
        m_displayName = m_store->displayName();
    }).waitForFinished();   // rethrows FerryError from the pool thread
}

LocalEndpoint::~LocalEndpoint()
{
    m_pool.start([this] { m_store.reset(); });
    m_pool.waitForDone();
}

QFuture<TableSchema> LocalEndpoint::describe(const QString &table)
{
    return runInPool(&m_pool, [this, table] { return m_store->describe(table); });
}

QFuture<QList<RangeDigest>> LocalEndpoint::digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges,
                                                        DigestAlgorithm algorithm)
{
    return runInPool(&m_pool, [this, schema, ranges, algorithm] { return ferry::digestRanges(*m_store, schema, ranges, algorithm); });
}

QFuture<QList<RangeDigest>> LocalEndpoint::replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges,
                                                         DigestAlgorithm algorithm)
{
    return runInPool(&m_pool, [this, schema, ranges, algorithm] {
        m_store->replaceRanges(schema, ranges);
        QList<KeyRange> keyRanges;
        keyRanges.reserve(ranges.size());
        for (const RangeRows &part : ranges)
            keyRanges.append(part.range);
        return ferry::digestRanges(*m_store, schema, keyRanges, algorithm);
    });
}

QFuture<QList<Row>> LocalEndpoint::readRange(const TableSchema &schema, const KeyRange &range, int limit)
{
    return runInPool(&m_pool, [this, schema, range, limit] { return readRows(*m_store, schema, range, limit); });
}

} // namespace ferry
