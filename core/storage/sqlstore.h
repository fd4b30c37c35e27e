#pragma once

#include "storage/store.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <map>

namespace ferry {

// The SQL both backends share: range predicates, streamed scans, range replacement,
// upserts and deletes. Subclasses connect, describe tables and convert values between
// their database representation and Ferry's canonical one.
class SqlStore : public Store
{
public:
    ~SqlStore() override;

    QString displayName() const override { return m_displayName; }
    qint64 scan(const TableSchema &schema, const KeyRange &range, const RowSink &sink) override;
    void replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges) override;
    void upsert(const TableSchema &schema, const QList<Row> &rows) override;
    void remove(const TableSchema &schema, const QList<Key> &keys) override;
    QList<Row> fetch(const TableSchema &schema, const QList<Key> &keys) override;
    void createTable(const TableSchema &schema) override;
    QStringList addColumns(const TableSchema &schema) override;
    void dropTable(const QString &table) override;

    void setWriteOrigin(const QString &origin) override { m_writeOrigin = origin; }
    void setRowFilter(const QString &table, const QString &condition) override;
    void installCapture(const TableSchema &schema) override;
    void removeCapture(const QString &table) override;
    bool hasCapture(const QString &table) override;
    qint64 lastChangeSeq(const TableSchema &schema) override;
    QList<Change> readChanges(const TableSchema &schema, qint64 afterSeq, int limit) override;
    void pruneChanges(const TableSchema &schema, qint64 upToSeq) override;
    Backlog backlog(const TableSchema &schema, qint64 afterSeq) override;
    bool captureIntact(const QString &table) override;
    QString linkMark(const QString &linkId) override;
    void setLinkMark(const QString &linkId, const QString &mark) override;
    void setReplicaGuard(const TableSchema &schema, bool on, const QString &message) override;
    bool hasReplicaGuard(const QString &table) override;
    ApplyResult applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options) override;
    QList<ApplyResult> applyGroup(const QList<GroupPart> &parts, const QString &origin) override;
    void readInSnapshot(const std::function<void()> &fn) override;
    QList<qint64> lastChangeSeqs(const QList<TableSchema> &schemas) override;
    qint64 appliedSeq(const QString &linkId) override;
    void recordConflicts(const TableSchema &schema, const QString &linkId, const QList<ConflictRecord> &records) override;
    QList<StoredConflict> readConflicts(int limit) override;
    bool readConflict(qint64 id, StoredConflict *conflict) override;
    void holdWriteLease(const TableSchema &schema, const QString &holder, qint64 expiresUs, const QString &message) override;
    bool renewWriteLease(const QString &table, const QString &holder, qint64 expiresUs) override;
    void releaseWriteLease(const QString &table, const QString &holder) override;
    qint64 writeLeaseExpiry(const QString &table) override;

    // Names of Ferry's own objects for a table: "_ferry_log_orders" and so on.
    static QString ferryName(const QString &prefix, const QString &table);

protected:
    SqlStore(const QString &driver, const QString &displayName);

    static QString quote(const QString &identifier);
    // A text or blob value as a QString or QByteArray that is never null: Qt SQL binds a
    // null QString/QByteArray as SQL NULL, but to Ferry it is an empty (non-NULL) value.
    static QVariant nonNullForBinding(ColumnType type, const QVariant &value);
    virtual QString quoteTable(const QString &table) const { return quote(table); }

    // Expression a column is read with (PostgreSQL reads timestamps as epoch microseconds).
    virtual QString selectExpression(const Column &column) const { return quote(column.name); }
    // Expression a key column is ordered and compared by, in byte/code point order.
    virtual QString orderExpression(const Column &column) const = 0;
    // Rows fetched per query; 0 streams the whole range in one query.
    virtual int scanPageSize() const = 0;

    virtual QVariant toDatabase(const Column &column, const QVariant &value) const = 0;
    // Returns false when the stored value does not fit the column's canonical type.
    virtual bool fromDatabase(const Column &column, const QVariant &stored, QVariant *value) const = 0;

    // SELECT of every column of range (and after the key after, when given) in key order,
    // at most limit rows when limit > 0. Appends the values to bind to bindings.
    QString selectSql(const TableSchema &schema, const KeyRange &range, const Key &after, int limit, QVariantList *bindings) const;
    // The values selectSql() binds for range (with no after key), in the same order.
    void bindRange(const TableSchema &schema, const KeyRange &range, QVariantList *bindings) const;
    // Throws the error for a stored value that does not fit its column's type.
    [[noreturn]] void failValue(const TableSchema &schema, const Column &column, const QVariant &stored) const;

    // --- Backend DDL for replication -----------------------------------------------
    // The column type a created table uses for a canonical type.
    virtual QString columnDdl(const Column &column) const = 0;
    // The type a change log's copy of a key column has (the source column's own type).
    virtual QString keyColumnDdl(const Column &column) const = 0;
    virtual bool objectExists(const QString &name) = 0;
    // Statements that create the change log and the capture triggers, idempotently.
    virtual QStringList captureDdl(const TableSchema &schema) const = 0;
    virtual QStringList dropCaptureDdl(const QString &table) const = 0;
    // The triggers captureDdl() creates on the table.
    virtual QStringList captureTriggers(const QString &table) const = 0;
    virtual QStringList guardDdl(const TableSchema &schema, const QString &message) const = 0;
    virtual QStringList dropGuardDdl(const QString &table) const = 0;
    // The write lease: its table (_ferry_lease: tbl, holder, expires_us), and the triggers
    // that refuse writes without an origin once the table's earliest lease has lapsed.
    virtual QStringList leaseTableDdl() const = 0;
    virtual QStringList leaseGuardDdl(const TableSchema &schema, const QString &message) const = 0;
    virtual QStringList dropLeaseGuardDdl(const QString &table) const = 0;
    // Ferry's bookkeeping tables (applied sequence numbers, conflicts, write origin).
    virtual QStringList bookkeepingDdl() const = 0;
    // Marks the current transaction's writes with m_writeOrigin, and clears the mark
    // before commit where the mark is not transaction-scoped by itself.
    virtual void beginWriteOrigin() = 0;
    virtual void endWriteOrigin() = 0;
    virtual QString upsertSuffix(const TableSchema &schema) const;

    // Inserts rows that are not in the table (their ranges were just emptied), inside the
    // caller's transaction. The default binds them through QSqlQuery, many rows a statement;
    // backends write them through their own client library, which costs far less a row.
    virtual void insertNew(const TableSchema &schema, const QList<const Row *> &rows);

    QSqlQuery exec(const QString &sql, const QVariantList &bindings = {});
    // Statements on Ferry's own bookkeeping tables that the change feed runs for every
    // batch: prepared once per connection and kept (on PostgreSQL every prepare is a
    // PREPARE round trip and every dropped query a DEALLOCATE). Not for statements on
    // application tables, whose columns may change under a kept plan. Forward-only;
    // finish() a query when done with it.
    QSqlQuery &cachedQuery(const QString &sql);
    QSqlQuery &execCached(const QString &sql, const QVariantList &bindings);
    // The join that adds the row a change log entry points at, as it is in the same
    // snapshot, to readChanges()' log query: columns as ferry_cur.*, all NULL when there
    // is no such row or it is outside filter. The log's stored key columns are
    // ferry_log.ferry_stored0, 1, ...
    virtual QString currentRowJoin(const TableSchema &schema, const QStringList &columns, const QString &filter) const;
    // The row filter of table (setRowFilter), empty for none.
    QString rowFilter(const QString &table) const { return m_rowFilters.value(table); }
    [[noreturn]] void fail(const QString &what, const QSqlQuery &query) const;
    [[noreturn]] void failDatabase(const QString &what) const;
    // Creates the applied-sequence and conflicts tables once per connection.
    void ensureBookkeeping();
    // "k1 = ? AND k2 = ?" over the primary key.
    QString keyCondition(const TableSchema &schema) const;

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_displayName;
    QString m_writeOrigin;

private:
    QString keyTuple(const TableSchema &schema) const;
    QString placeholders(int count) const;
    void appendRangePredicate(const TableSchema &schema, const KeyRange &range, QStringList *where, QVariantList *bindings) const;
    void bindKey(const TableSchema &schema, const Key &key, QVariantList *bindings) const;
    void insertRows(const TableSchema &schema, const QList<Row> &rows, bool upsert);
    template <typename Fn> void inTransaction(const QString &what, Fn fn);
    QList<Key> pendingLocalKeys(const TableSchema &schema, const QList<Key> &keys, const ApplyOptions &options);
    void recordConflict(const TableSchema &schema, const ApplyOptions &options, const Key &key, const Row &kept,
                        const Row &lost, const QString &lostOrigin, const QString &reason);
    bool m_bookkeepingReady = false;
    QHash<QString, QString> m_rowFilters;   // table -> SQL condition
    std::map<QString, QSqlQuery> m_cachedQueries;   // by SQL text; references stay valid
};

} // namespace ferry
