#pragma once

#include "capture/pgoutputdecoder.h"
#include "capture/pgreplicationstream.h"
#include "storage/datasource.h"
#include "storage/store.h"
#include "rows/tableschema.h"

#include <QElapsedTimer>

#include <memory>

typedef struct pg_conn PGconn;

namespace ferry {

// Change capture of one PostgreSQL table for one link through logical decoding: a
// publication and a replication slot named after the link (pgoutput, read by
// PgReplicationStream), no trigger and no lock on the application's table. Changes come
// in commit order with their transactions; each gets a sequence number of the link's
// feed, counted on from the position of the last transaction the target acknowledged.
//
// Exactly once across crashes: the pair (sequence number, slot position) of the last
// acknowledged transaction is written to _ferry_capture_pos in the source database before
// the slot is told it may forget what precedes it. After any restart the stream resumes
// from that pair, the same transactions come again in the same order and get the same
// numbers, and the target skips those it applied (their numbers are at or below its
// applied sequence number).
//
// Belongs to the thread that uses it (the link's runner). Throws FerryError with a
// message that names the server and what to change.
class LogicalCapture
{
public:
    LogicalCapture(const DataSource &source, const QString &linkId);
    ~LogicalCapture();
    LogicalCapture(const LogicalCapture &) = delete;
    LogicalCapture &operator=(const LogicalCapture &) = delete;

    // The slot's and the publication's name for a link: "ferry_" and the link id
    // sanitized to what a slot name may hold, with a hash of the id so that two ids that
    // sanitize alike do not share a slot.
    static QString slotName(const QString &linkId);
    // What the server must offer for a link on table: wal_level=logical, a role with
    // REPLICATION, a free replication slot and WAL sender, a replica identity that carries
    // the primary key. Throws FerryError naming what to change; changes nothing.
    static void checkServer(const DataSource &source, const QString &table, const QString &linkId);
    // Drops the link's slot, publication and position (those that exist).
    static void drop(const DataSource &source, const QString &linkId);

    // Creates the publication and the slot when they are missing. minSeq: numbers start
    // above it (what the target applied). Returns true when the slot was created now:
    // nothing before this moment was captured.
    bool ensure(const TableSchema &schema, qint64 minSeq);
    // The slot exists and the publication still holds the table (a table dropped and
    // created again leaves it).
    bool intact(const QString &table);
    // Opens the stream from the last acknowledged position.
    void start();
    void close();
    bool isStreaming() const { return m_stream.isOpen(); }
    int socket() const { return m_stream.socket(); }

    struct Batch
    {
        QList<Change> changes;
        bool final = true;        // false: ends inside a source transaction, the rest follows
        quint64 endLsn = 0;       // final: where the last transaction of the batch ends
        QString schemaChange;     // the table's columns changed: nothing of it may be applied
    };
    // What has arrived, without waiting: whole transactions, up to about maxChanges or
    // maxBytes; a larger transaction in parts (final false).
    Batch read(int maxChanges, qint64 maxBytes);
    // The target acknowledged a final batch: seq its last number, endLsn where it ended.
    void acknowledge(qint64 seq, quint64 endLsn);
    // Nothing is waiting: the position may move past transactions that had nothing for
    // this table.
    void acknowledgeIdle();
    // Writes the acknowledged pair and confirms it to the slot, at most once a second
    // unless forced.
    void persist(bool force = false);
    // Resync: the next numbers come above minSeq and the stream goes on from the
    // server's current position (a verification round covers what came before).
    void skipToNow(qint64 minSeq);

    qint64 acknowledgedSeq() const { return m_ackSeq; }
    qint64 lastReadSeq() const { return m_nextSeq; }
    // Changes read from the stream and not acknowledged, and the commit time of the
    // oldest of them (0 when none).
    qint64 unacknowledged() const { return m_nextSeq - m_ackSeq; }
    qint64 oldestUnacknowledgedAtUs() const;
    // WAL the slot keeps on the server's disk: pg_current_wal_lsn() - restart_lsn; -1
    // when the slot does not exist.
    qint64 retainedBytes();
    // What waits in the slot while the stream is closed (the target away, the link
    // paused): the row changes after its confirmed position, counted up to limit by
    // decoding without consuming (pg_logical_slot_peek_binary_changes), and the commit
    // time of the oldest. Throws while the slot is being read.
    Store::Backlog peekBacklog(qint64 limit);

private:
    PGconn *sql();
    QList<QList<QByteArray>> query(const QByteArray &sql, const QList<QByteArray> &params = {}, QList<bool> *nulls = nullptr);
    static PGconn *connect(const DataSource &source);
    QString quotedTable(const QString &table);
    // A column value from its text form; false when it does not read as the column's type.
    bool fromText(const Column &column, quint32 typeOid, const QByteArray &text, QVariant *value) const;
    QString checkRelation(const PgRelation &relation);
    void convert(const PgRowChange &change, qint64 committedAtUs, QList<Change> *out, qint64 *bytes);
    Row rowOf(const PgRowChange &change);
    Key keyOf(const PgTuple &tuple, const PgRelation &relation);

    DataSource m_source;
    QString m_linkId;
    QString m_name;
    TableSchema m_schema;
    PGconn *m_sql = nullptr;
    PgReplicationStream m_stream;
    PgOutputDecoder m_decoder;
    QList<Change> m_open;              // changes of the transaction being read
    qint64 m_openBytes = 0;
    bool m_openSent = false;           // parts of the open transaction went out already
    qint64 m_nextSeq = 0;              // the last number handed out
    qint64 m_ackSeq = 0;               // acknowledged by the target
    quint64 m_ackLsn = 0;
    qint64 m_durableSeq = 0;           // written to _ferry_capture_pos and confirmed to the slot
    quint64 m_durableLsn = 0;
    quint64 m_readLsn = 0;             // the end of the last whole transaction read
    QList<QPair<qint64, qint64>> m_commitTimes;   // (last seq, commit time) of read, unacknowledged transactions
    QElapsedTimer m_sincePersist;
    QElapsedTimer m_sincePeek;         // peekBacklog() decodes: at most every 2 s
    Store::Backlog m_peeked;
};

} // namespace ferry
