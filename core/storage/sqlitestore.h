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
    bool notifyOnChanges(const QString &table, const std::function<void()> &wake) override;
    // Encodes straight from SQLite's column buffers, without building a Row of QVariants
    // per row; values in an unusual storage class take the same path scan() does.
    qint64 scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink) override;

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
    QStringList guardDdl(const TableSchema &schema, const QString &message) const override;
    QStringList dropGuardDdl(const QString &table) const override;
    QStringList bookkeepingDdl() const override;
    void beginWriteOrigin() override;
    void endWriteOrigin() override;

private:
    class StatementRow;
    // QSQLITE's connection, or null when it is not a connection this file can use directly.
    sqlite3 *connection() const;

    std::unique_ptr<QFileSystemWatcher> m_changeWatcher;   // notifyOnChanges(), in the caller's thread
};

} // namespace ferry
