#pragma once

#include "storage/sqlstore.h"

#include <memory>

class QFileSystemWatcher;
struct sqlite3;

namespace ferry {

// A SQLite file through Qt's QSQLITE driver. Declared column types map onto Ferry's
// canonical types by SQLite's own affinity rules, with BOOL*, TIMESTAMP/DATETIME/DATE
// and NUMERIC/DECIMAL recognised first.
class SqliteStore : public SqlStore
{
public:
    SqliteStore(const DataSource &source, const Options &options);
    ~SqliteStore() override;

    QStringList tables() override;
    TableSchema describe(const QString &table) override;
    QByteArray schemaStamp(const QString &table) override;
    QStringList referencedTables(const QString &table) override;
    QList<ApplyResult> applyGroup(const QList<GroupPart> &parts, const QString &origin) override;
    bool notifyOnChanges(const QString &table, const std::function<void()> &wake) override;
    void advanceChangeSeq(const TableSchema &schema, qint64 minSeq) override;
    // Encodes straight from SQLite's column buffers, without building a Row of QVariants
    // per row; values in an unusual storage class take the same path scan() does.
    qint64 scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink) override;

    // Every write first refuses, naming table, key and column and writing nothing, a value
    // SQLite would not give back as it was given (checkStorable).
    void replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges) override;
    void upsert(const TableSchema &schema, const QList<Row> &rows) override;
    ApplyResult applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options) override;

    // Maps a declared SQLite column type; false when Ferry does not replicate it.
    static bool mapDeclaredType(const QString &declared, ColumnType *type);

protected:
    // Binds straight through SQLite's API: QSqlQuery costs several times what SQLite does
    // per value (docs/benchmarks.md, the node benchmark's full copy).
    void insertNew(const TableSchema &schema, const QList<const Row *> &rows) override;
    QString orderExpression(const Column &column) const override;
    int scanPageSize() const override { return 0; }
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
    void endWriteOrigin() override;

private:
    class StatementRow;
    // QSQLITE's connection, or null when it is not a connection this file can use directly.
    sqlite3 *connection() const;
    // Throws when the row holds a value SQLite would change: a double NaN (stored as NULL)
    // or -0 (stored as 0), a numeric with more digits than a REAL keeps (a NUMERIC or REAL
    // column turns the text into a REAL).
    void checkStorable(const TableSchema &schema, const Row &row) const;

    std::unique_ptr<QFileSystemWatcher> m_changeWatcher;   // notifyOnChanges(), in the caller's thread
    // Not in WAL mode when opened: a reader's shared lock keeps every writer out, so
    // scanEncoded() never keeps a statement open while its caller works.
    bool m_rollbackJournal = false;
};

} // namespace ferry
