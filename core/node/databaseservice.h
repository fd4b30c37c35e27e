#pragma once

#include "blocks/rangedigest.h"
#include "node/nodeconfig.h"

#include <QCborArray>
#include <QFuture>
#include <QHash>
#include <QPromise>
#include <QThreadPool>

#include <map>
#include <memory>

namespace ferry {

class WalCheckpointer;

// One recorded version of a conflict to write again (protocol conflict_apply): what the
// operator saw when the action was opened; every field is checked against the record.
struct ConflictVersionRequest
{
    qint64 conflictId = 0;
    QString table;
    QString key;                 // the record's key, JSON text
    bool lost = false;           // the lost version (else the kept one)
    QString values;              // that version as JSON text (empty: a deletion)
};

struct ConflictVersionWritten
{
    QString table;
    QString key;
    bool deleted = false;
};

// One of a node's databases, served from a thread of its own that owns the Store (Qt SQL
// connections belong to the thread that opened them). Requests run one after another in
// arrival order; the database is opened on the first request, so a node starts even when
// one of its databases is down and reports the error per request.
class DatabaseService
{
public:
    explicit DatabaseService(const NodeConfig::Database &database);
    ~DatabaseService();

    const QString &name() const { return m_database.name; }
    QString kind() const;

    QFuture<QStringList> tables();
    // Describes the table again (and refreshes the cached schema).
    QFuture<TableSchema> describe(const QString &table);
    // fn runs in the database's thread with the store and the table's schema (described
    // on first use and cached). The rows are read in the database's thread and hashed in
    // a thread kept for that: a digest (or a replace's applied digests) is answered from
    // there once hashed, while the database's thread reads the next request.
    QFuture<QList<RangeDigest>> digestRanges(const QString &table, std::function<QList<KeyRange>(const TableSchema &)> ranges,
                                             DigestAlgorithm algorithm);
    // writeOrigin tags the repair's writes (the peer node's name): replica guards let
    // them through and capture logs record who wrote them.
    QFuture<QList<RangeDigest>> replaceRanges(const QString &table, std::function<QList<RangeRows>(const TableSchema &)> parts,
                                              DigestAlgorithm algorithm, const QString &writeOrigin);

    // The target side of a link (replication/linkrunner.h).
    QFuture<void> createTable(const TableSchema &schema);
    QFuture<QStringList> addColumns(const TableSchema &schema);
    QFuture<void> dropTable(const QString &table);
    QFuture<void> setReplicaGuard(const QString &table, bool on, const QString &message);
    // Puts the guard on when it is not there; true when it had to.
    QFuture<bool> ensureReplicaGuard(const QString &table, const QString &message);
    QFuture<qint64> appliedSeq(const QString &linkId);
    QFuture<qint64> lastChangeSeq(const QString &table);
    QFuture<QList<Row>> fetch(const QString &table, std::function<QList<Key>(const TableSchema &)> keys);
    // The rows of one key range in key order, at most limit of them.
    QFuture<QList<Row>> readRange(const QString &table, std::function<KeyRange(const TableSchema &)> range, int limit);
    QFuture<void> installCapture(const QString &table);
    QFuture<QList<StoredConflict>> conflicts(int limit);
    // Writes one version of a recorded conflict to its table as an application write (no
    // write origin: capture triggers carry it to the peer, guards and leases apply): an
    // upsert of that row, or a delete of its key when that version is a deletion, in one
    // transaction. Throws WireError, writing nothing, when the conflict is unknown or is not
    // the one asked for (unknown_conflict), when the table's columns no longer fit the row
    // (schema_changed), or when the database refuses the write (a replica's guard).
    QFuture<ConflictVersionWritten> applyConflictVersion(const ConflictVersionRequest &request);
    // options.timestampColumn is resolved from timestampColumnName against the schema here.
    QFuture<ApplyResult> applyChanges(const QString &table, std::function<QList<Change>(const TableSchema &)> changes, qint64 lastSeq,
                                      ApplyOptions options, const QString &timestampColumnName);
    // A database link's transaction over several tables (Store::applyGroup), one part per
    // table, each decoded against its table's schema here. The parts are applied parents
    // first by this database's foreign keys; the results come back in the order given.
    struct GroupInput
    {
        QString table;
        QString linkId;
        QString linkKey;                 // LinkDefinition::appliedKey()
        qint64 lastSeq = 0;
        QCborArray changes;              // wirecodec::encodeChanges()
    };
    QFuture<QList<ApplyResult>> applyGroup(const QList<GroupInput> &parts, const QString &origin);

private:
    Store &store();
    // The schema of the table, checked against the database's (schemaStamp()): throws
    // schema_changed, or a database error when the table is gone.
    const TableSchema &checkedSchema(const QString &table);
    // Tables in an order where each comes after the tables its foreign keys reference
    // (those among them); a cycle keeps the given order for its tables.
    QStringList parentsFirst(const QStringList &tables);
    const TableSchema &schema(const QString &table);
    // In the database's thread: reads the ranges, and answers promise from the hashing
    // thread once they are digested, while the next request is read.
    void digestInto(const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm,
                    const std::shared_ptr<QPromise<QList<RangeDigest>>> &promise);

    NodeConfig::Database m_database;
    QThreadPool m_pool;   // exactly one thread, which owns m_store
    std::unique_ptr<Store> m_store;
    QHash<QString, TableSchema> m_schemas;
    struct Parents
    {
        QStringList tables;
        qint64 readAtMs = 0;
    };
    QHash<QString, Parents> m_parents;            // referencedTables(), read again after a few seconds
    QHash<QString, QByteArray> m_schemaStamps;   // Store::schemaStamp() when m_schemas was described
    std::map<DigestAlgorithm, std::unique_ptr<RangeHasher>> m_hashers;   // used in the database's thread
    // SQLite: the node's connections to the database leave checkpoints to this thread.
    std::unique_ptr<WalCheckpointer> m_checkpointer;
};

} // namespace ferry
