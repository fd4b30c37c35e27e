#pragma once

#include "blocks/targetendpoint.h"

#include <QThreadPool>

#include <memory>

namespace ferry {

// A target database in this process, served from a thread of its own, so that the source
// scan and the target scan run side by side as they do between two data centers.
class LocalEndpoint : public TargetEndpoint
{
public:
    // Opens the database in the endpoint's thread; throws FerryError when it cannot.
    LocalEndpoint(const DataSource &source, const Store::Options &options);
    ~LocalEndpoint() override;

    QString displayName() const override { return m_displayName; }
    QFuture<TableSchema> describe(const QString &table) override;
    QFuture<QList<RangeDigest>> digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges,
                                             DigestAlgorithm algorithm) override;
    QFuture<QList<RangeDigest>> replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges,
                                              DigestAlgorithm algorithm) override;
    QFuture<QList<Row>> readRange(const TableSchema &schema, const KeyRange &range, int limit) override;

private:
    QThreadPool m_pool;             // exactly one thread, which owns m_store
    std::unique_ptr<Store> m_store;
    QString m_displayName;
};

} // namespace ferry
