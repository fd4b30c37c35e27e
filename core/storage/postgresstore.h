#pragma once

#include "storage/sqlstore.h"

#include <map>

typedef struct pg_conn PGconn;

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
    QByteArray schemaStamp(const QString &table) override;
    QStringList referencedTables(const QString &table) override;
    bool connectionLost() const override;
    std::pair<int, int> connectionUse() override;
    bool notifyOnChanges(const QString &table, const std::function<void()> &wake) override;
    void advanceChangeSeq(const TableSchema &schema, qint64 minSeq) override;
    // Reads through libpq on QPSQL's connection with COPY (SELECT ...) TO STDOUT (FORMAT
    // binary), one streamed statement per run of adjacent ranges, and encodes from COPY's
    // binary fields (PgCopyReader): no text conversion and no QVariant per value. The
    // sink must not use this store.
    qint64 scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink) override;

    // A one-way batch (no conflict detection) in two round trips through libpq: BEGIN,
    // the write origin and the applied sequence number in one; every row's statement, the
    // new sequence number and COMMIT in one pipeline. The generic path costs a round trip
    // for each of them and one per row.
    ApplyResult applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options) override;

    static bool mapTypeName(const QString &typeName, ColumnType *type);

private:
    // QPSQL's connection, or null when it is not a libpq connection this file can use.
    PGconn *connection() const;
    // Forgets (and deallocates) the statements applyChanges() prepared, after an error.
    void dropApplyStatements(PGconn *conn);
    std::map<QByteArray, QByteArray> m_applyStatements;   // SQL -> name of the prepared statement
    int m_applyStatementCount = 0;

protected:
    // COPY ... FROM STDIN on QPSQL's connection: one statement for all the rows, against
    // a round trip and a server-side parse of a statement per few rows through QPSQL.
    // In COPY's binary form (PgCopyWriter) when every column's type has one written there,
    // which spares the server the text input of every value; in its text form otherwise.
    void insertNew(const TableSchema &schema, const QList<const Row *> &rows) override;
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
    QStringList captureTriggers(const QString &table) const override;
    QStringList guardDdl(const TableSchema &schema, const QString &message) const override;
    QStringList dropGuardDdl(const QString &table) const override;
    QStringList leaseTableDdl() const override;
    QStringList leaseGuardDdl(const TableSchema &schema, const QString &message) const override;
    QStringList dropLeaseGuardDdl(const QString &table) const override;
    QStringList bookkeepingDdl() const override;
    void beginWriteOrigin() override;
    void endWriteOrigin() override {}   // set_config(..., true) ends with the transaction
    QString currentRowJoin(const TableSchema &schema, const QStringList &columns, const QString &filter) const override;
};

} // namespace ferry
