#pragma once

#include "storage/sqlstore.h"

namespace ferry {

// A PostgreSQL database through Qt's QPSQL driver. Text keys are ordered COLLATE "C"
// (byte order, as SQLite), timestamps are read as epoch microseconds and numerics as
// text, so no value loses precision on the way through Qt. Scans are paged by key so
// that the client never holds more than one page.
class PostgresStore : public SqlStore
{
public:
    PostgresStore(const DataSource &source, const Options &options);

    QStringList tables() override;
    TableSchema describe(const QString &table) override;
    bool notifyOnChanges(const QString &table, const std::function<void()> &wake) override;

    static bool mapTypeName(const QString &typeName, ColumnType *type);

protected:
    QString quoteTable(const QString &table) const override;
    QString selectExpression(const Column &column) const override;
    QString orderExpression(const Column &column) const override;
    int scanPageSize() const override { return 20000; }
    QVariant toDatabase(const Column &column, const QVariant &value) const override;
    bool fromDatabase(const Column &column, const QVariant &stored, QVariant *value) const override;

    QString columnDdl(const Column &column) const override;
    QString keyColumnDdl(const Column &column) const override;
    bool objectExists(const QString &name) override;
    QStringList captureDdl(const TableSchema &schema) const override;
    QStringList dropCaptureDdl(const QString &table) const override;
    QStringList guardDdl(const TableSchema &schema, const QString &message) const override;
    QStringList dropGuardDdl(const QString &table) const override;
    QStringList bookkeepingDdl() const override;
    void beginWriteOrigin() override;
    void endWriteOrigin() override {}   // set_config(..., true) ends with the transaction
    QString currentRowJoin(const TableSchema &schema, const QStringList &columns, const QString &filter) const override;
};

} // namespace ferry
