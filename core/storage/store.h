#pragma once

#include "storage/datasource.h"
#include "rows/keyrange.h"
#include "rows/tableschema.h"

#include <functional>
#include <memory>

namespace ferry {

// The rows that must make up one key range after a repair.
struct RangeRows
{
    KeyRange range;
    QList<Row> rows;
};

// One captured change of a source table (replication/DESIGN.md "change feed"): the key
// that changed and, for an upsert, the row as it was when the change was read.
struct Change
{
    qint64 seq = 0;              // position in the table's change log, increasing in commit order
    bool deleted = false;        // the row with this key is gone
    Key key;
    Row row;                     // the current row (empty when deleted)
    QString origin;              // the node whose applier wrote it; empty for local writes
    qint64 committedAtUs = 0;    // when the source wrote it, microseconds since the epoch
};

// How the target resolves a change that meets a local change to the same row that the
// other side has not seen yet (bidirectional links only): the version with the newer
// timestamp column (ties go to the greater node name), or always one node's version.
// Both sides decide the same way, so they converge.
enum class ConflictPolicy { NewestWins, FixedWinner };

struct ApplyOptions
{
    QString linkId;              // the applied sequence number is kept per link
    QString origin;              // recorded as the origin of these writes (the source node)
    bool detectConflicts = false;
    qint64 localAckedSeq = 0;    // this side's own log: what the other side has applied
    ConflictPolicy policy = ConflictPolicy::FixedWinner;
    QString localOrigin;         // this node's name
    QString winner;              // FixedWinner: the node whose version wins
    int timestampColumn = -1;    // NewestWins compares this column
};

// A row version kept in the conflicts table (_ferry_conflicts) instead of being lost: the
// version that stays and the one that lost, with who wrote the loser and why.
struct ConflictRecord
{
    Key key;
    Row kept;                    // empty: the row does not exist on the winning side
    Row lost;                    // empty: the losing side had deleted it
    QString lostOrigin;
    QString reason;
};

// A row of _ferry_conflicts as the operator sees it (values as JSON text).
struct StoredConflict
{
    qint64 id = 0;
    qint64 atUs = 0;
    QString link;
    QString table;
    QString key;
    QString kept;
    QString lost;
    QString lostOrigin;
    QString reason;
    QStringList columns;         // the table's column names, when the node knows the table
    QStringList columnTypes;     // and their types (columnTypeName())
};

struct ApplyResult
{
    qint64 appliedSeq = 0;       // the link's applied sequence number after the batch
    int applied = 0;             // changes written
    int skipped = 0;             // already applied before (a batch sent again)
    int conflicts = 0;           // recorded in the conflicts table
    // Where the time went on the target (filled by the node's DatabaseService): waiting
    // for the database's worker thread, then the transaction itself.
    qint64 queuedUs = 0;
    qint64 workUs = 0;
};

// One row of Store::scanEncoded(): its canonical encoding (rows/canonicalencoder.h) and,
// computed only when asked for, its primary key and its values.
class EncodedRow
{
public:
    QByteArrayView bytes;
    // True when CanonicalEncoder::decodeRow(bytes) would not give back the row as scan()
    // reads it (the encoding folds -0.0 into 0.0): row() is then the way to the values.
    bool folded = false;
    virtual Key key() const = 0;
    // The row as scan() delivers it.
    virtual Row row() const = 0;

protected:
    ~EncodedRow() = default;
};

// One database reached through Qt SQL. A Store belongs to the thread that opened it
// (Qt SQL connections are not shared between threads). Every method throws FerryError
// with a message that names the database, table or column involved.
class Store
{
public:
    struct Options
    {
        bool readOnly = true;       // opened so that nothing can be written through it
        int busyTimeoutMs = 2000;   // how long to wait for a lock before reporting it
        // SQLite in WAL mode: this connection's commits leave checkpoints of the log to a
        // WalCheckpointer, in the background (the node runs one per database), up to a
        // log of 64 MB.
        bool deferCheckpoints = false;
    };

    static std::unique_ptr<Store> open(const DataSource &source, const Options &options);
    virtual ~Store() = default;

    virtual QString displayName() const = 0;
    // The connection to the database server is gone (the server restarted): nothing will
    // work through this store again; open a new one.
    virtual bool connectionLost() const { return false; }
    // A database server: the connections it takes at most, and those open now; {-1, -1}
    // for an embedded database (no such limit).
    virtual std::pair<int, int> connectionUse() { return {-1, -1}; }
    virtual QStringList tables() = 0;

    // Columns, canonical types and primary key. Throws when the table does not exist,
    // has no primary key, or has a column of a type Ferry does not replicate.
    virtual TableSchema describe(const QString &table) = 0;

    // Streams the rows of range in primary-key order, one at a time; memory use does not
    // depend on the table size. The sink returns false to stop. Returns the rows delivered.
    using RowSink = std::function<bool(const Row &row)>;
    virtual qint64 scan(const TableSchema &schema, const KeyRange &range, const RowSink &sink) = 0;

    // Streams the canonical encoding of the rows of each range: ranges in order (sorted by
    // key, not overlapping), rows in key order, with the index of the range they fall in.
    // The sink returns false to stop. Returns the rows delivered. The default encodes what
    // scan() reads, one scan per run of adjacent ranges; a backend may encode straight from
    // its own buffers, which is what makes hashing a table about as fast as reading it.
    using EncodedRowSink = std::function<bool(qsizetype rangeIndex, const EncodedRow &row)>;
    virtual qint64 scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink);

    // Makes each range hold exactly its given rows (delete the range, insert the rows),
    // all in one transaction: on any error nothing is changed. The ranges are sorted by
    // key and do not overlap, and every row lies in its range (wirecodec::decodeRangeRows
    // checks what comes over the wire).
    virtual void replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges) = 0;

    // Insert-or-update by primary key, and delete by primary key, in one transaction each.
    virtual void upsert(const TableSchema &schema, const QList<Row> &rows) = 0;
    virtual void remove(const TableSchema &schema, const QList<Key> &keys) = 0;

    // The rows of the given keys that exist, in the order of keys.
    virtual QList<Row> fetch(const TableSchema &schema, const QList<Key> &keys) = 0;

    // A token that changes whenever the table's columns or primary key may have changed
    // (SQLite: the database's schema version; PostgreSQL: the table's catalog entries),
    // in one cheap query. Equal tokens mean the table has the schema it had; a different
    // token means describe() must be asked (it may still be the same). Empty when the
    // table does not exist.
    virtual QByteArray schemaStamp(const QString &table) = 0;

    // Creates the table from a schema (possibly read from another backend), with the
    // same columns, canonical types and primary key. Throws when it exists.
    virtual void createTable(const TableSchema &schema) = 0;
    // The table gets the columns of schema it lacks (added at the end, without a default:
    // the rows they hold come from the source). Throws when the columns it has are not the
    // first ones of schema. Returns the names of the columns added.
    virtual QStringList addColumns(const TableSchema &schema) = 0;
    // Drops the table with its replica guard and capture; nothing when it is not there.
    virtual void dropTable(const QString &table) = 0;

    // --- Replication ---------------------------------------------------------------
    // Restricts scans and fetches of table to the rows that satisfy condition (SQL of
    // this backend; empty: every row). Throws FerryError, changing nothing, when the
    // condition does not parse or names an unknown column.
    virtual void setRowFilter(const QString &table, const QString &condition) = 0;

    // Every write made through this store from now on is tagged with origin (the
    // capture triggers record it, replica guards let it through); empty for none.
    virtual void setWriteOrigin(const QString &origin) = 0;

    // Installs (idempotently) the change log and triggers that capture every insert,
    // update and delete on the table by any application, in commit order.
    virtual void installCapture(const TableSchema &schema) = 0;
    virtual void removeCapture(const QString &table) = 0;
    virtual bool hasCapture(const QString &table) = 0;
    // The highest sequence number in the table's change log (0 when empty).
    virtual qint64 lastChangeSeq(const TableSchema &schema) = 0;
    // Up to limit changes after afterSeq, in order, each with the row as it is now.
    virtual QList<Change> readChanges(const TableSchema &schema, qint64 afterSeq, int limit) = 0;
    // Forgets the changes up to and including upToSeq.
    virtual void pruneChanges(const TableSchema &schema, qint64 upToSeq) = 0;
    // What waits in the table's change log after afterSeq: how many changes, and when the
    // oldest of them was committed (microseconds since the epoch; 0 when none waits).
    struct Backlog
    {
        qint64 changes = 0;
        qint64 oldestAtUs = 0;
    };
    virtual Backlog backlog(const TableSchema &schema, qint64 afterSeq) = 0;
    // Whether every trigger of the table's change capture is in place: a table dropped and
    // created again, or whose triggers someone dropped, captures nothing.
    virtual bool captureIntact(const QString &table) = 0;
    // Numbers the table's next changes above minSeq: a database restored from a backup
    // numbers its changes again from where the backup was, and a target that applied the
    // changes of the old numbering would skip the new ones as already applied.
    virtual void advanceChangeSeq(const TableSchema &schema, qint64 minSeq) = 0;
    // A link's mark in this database (empty when there is none): a random token the link
    // renews while it runs, so that a database restored from a backup, or replaced, is
    // recognised by its contents, not trusted because its numbers look plausible.
    virtual QString linkMark(const QString &linkId) = 0;
    virtual void setLinkMark(const QString &linkId, const QString &mark) = 0;

    // Calls wake, from the event loop of the store's thread, when a transaction that
    // captured changes of table may have committed (PostgreSQL: LISTEN; SQLite: a watch on
    // the database's files). Returns false when the backend cannot tell; readers poll
    // readChanges() in any case, a wake only makes them read sooner.
    virtual bool notifyOnChanges(const QString &table, const std::function<void()> &wake)
    {
        Q_UNUSED(table);
        Q_UNUSED(wake);
        return false;
    }

    // A guarded table refuses writes that do not carry a write origin, with message.
    virtual void setReplicaGuard(const TableSchema &schema, bool on, const QString &message) = 0;
    virtual bool hasReplicaGuard(const QString &table) = 0;

    // Applies a batch in one transaction together with the link's applied sequence
    // number, so that each change takes effect exactly once across crashes: changes at or
    // below the recorded number are skipped.
    virtual ApplyResult applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options) = 0;
    // One source transaction (or several, committed one after another) over several tables
    // of a database link, applied in one transaction with each table's link's applied
    // sequence number: a reader never sees a part of it. Parts are given parents first
    // (DatabaseService orders them by the target's foreign keys): each key's last change
    // is written, the rows that stay or arrive parents first, then the rows that go
    // children first, so that foreign keys between the tables hold at every statement.
    struct GroupPart
    {
        TableSchema schema;
        QList<Change> changes;
        qint64 lastSeq = 0;
        QString linkId;          // the applied sequence number's key (LinkDefinition::appliedKey())
    };
    virtual QList<ApplyResult> applyGroup(const QList<GroupPart> &parts, const QString &origin) = 0;
    // The other tables the table's foreign keys reference (its parents); empty when none.
    virtual QStringList referencedTables(const QString &table) = 0;
    // Runs fn with every read of this store in one snapshot of the database (a read-only
    // transaction; PostgreSQL: REPEATABLE READ): the change logs of several tables read in
    // it hold the same committed transactions, whole.
    virtual void readInSnapshot(const std::function<void()> &fn) = 0;
    // lastChangeSeq() of several tables in one statement.
    virtual QList<qint64> lastChangeSeqs(const QList<TableSchema> &schemas) = 0;
    virtual qint64 appliedSeq(const QString &linkId) = 0;

    // --- Write lease (DESIGN.md "Trust" 3: fencing lives in the database) ------------
    // A leased table refuses writes without a write origin unless every holder's lease on
    // it (a row of _ferry_lease: an expiry time, microseconds since the epoch) is still in
    // the future by the database's own clock. The guard lives in the database: a frozen or
    // dead node's table stops taking application writes by itself when the lease lapses.
    // Installs the guard (idempotently) and sets holder's expiry.
    virtual void holdWriteLease(const TableSchema &schema, const QString &holder, qint64 expiresUs, const QString &message) = 0;
    // Moves holder's expiry forward (never back); false when holder holds no lease.
    virtual bool renewWriteLease(const QString &table, const QString &holder, qint64 expiresUs) = 0;
    // Forgets holder's lease (every holder's when holder is empty); the guard goes with the
    // last one.
    virtual void releaseWriteLease(const QString &table, const QString &holder) = 0;
    // The earliest expiry of the table's leases; -1 when the table has no lease guard, 0
    // when it has one and no holder (fenced).
    virtual qint64 writeLeaseExpiry(const QString &table) = 0;

    // Writes the records into _ferry_conflicts in one transaction.
    virtual void recordConflicts(const TableSchema &schema, const QString &linkId, const QList<ConflictRecord> &records) = 0;
    // The newest `limit` rows of _ferry_conflicts (none when there is no such table).
    virtual QList<StoredConflict> readConflicts(int limit) = 0;
    // The row of _ferry_conflicts with this id; false when there is none.
    virtual bool readConflict(qint64 id, StoredConflict *conflict) = 0;
};

} // namespace ferry
