#pragma once

#include "rows/tableschema.h"
#include "wire/message.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace ferry {

class AckRegistry;
class Store;

// The change feed of a database link on its source node: one feed for all its tables, so
// that a source transaction over several of them reaches the target in one transaction
// (apply_group), whole or not at all, parents before children.
//
// The tables' runners share it. A runner whose table streams (synced, nothing to verify,
// no schema change pending) joins with its position; any of them then pumps for all: it
// reads every joined table's log in one snapshot of the source database, so the batch
// holds whole committed transactions and, since each change carries its row as it is in
// that snapshot, the target moves from one consistent state of the source to the next.
// A runner that has something else to do leaves first and streams alone again from where
// the feed took its table. A table the feed cannot read (its schema moved) is let go to
// its runner, which handles the change; any other failure lets every table go for a
// second (each runner meets the error on its own table, or streams alone meanwhile).
class TransactionFeed
{
public:
    struct Member
    {
        QString linkId;
        QString appliedKey;       // LinkDefinition::appliedKey()
        qint64 epoch = 0;
        QString sourceDatabase;
        QString targetTable;
        TableSchema schema;       // the source table's
        QByteArray stamp;         // Store::schemaStamp() when schema was read
        qint64 cursor = 0;        // the last change the target applied
    };
    // What the feed did for a table since its runner last asked.
    struct Progress
    {
        bool joined = false;      // false: let go, the runner streams the table alone
        qint64 cursor = 0;
        qint64 applied = 0;
        qint64 bytes = 0;
        std::vector<double> lagsMs;
        QString letGo;            // why the feed let the table go
    };
    using Request = std::function<Message(QLatin1StringView, const QCborMap &)>;

    TransactionFeed(const QString &databaseLinkId, const QString &targetDatabase, AckRegistry *acks);

    // False while the feed rests after a failure: the runner streams alone meanwhile.
    bool join(const Member &member);
    // Waits for a pump in flight; the table's position (-1 when it had not joined).
    qint64 leave(const QString &linkId);
    Progress take(const QString &linkId);
    // A change notice of one of the tables: the next pump reads at once.
    void noteChange() { ++m_notices; }
    // Called by any joined runner, on its thread, with its own source store and its own
    // connection to the target; returns at once when another runner pumps. True when
    // more may wait.
    bool pump(Store &source, const Request &request);
    QString id() const { return m_id; }

    // Initial syncs parents first: a child table's rows need their parents' rows on a target
    // that enforces its foreign keys. Each runner says where its table stands (synced: its
    // initial sync completed); a table waits for the tables its foreign keys reference that
    // belong to the link and are not synced, unless they wait for it too (a cycle).
    void noteTable(const QString &table, bool synced);
    void forgetTable(const QString &table);
    QStringList unsyncedParents(const QString &table, const QStringList &parents);
    // The source tables of the link's runners.
    QStringList tables() const;
    // One runner receives the commit notices of all the tables (PostgreSQL wakes every
    // listening connection for each): the first to ask, until it stops.
    bool claimListener(const QString &linkId);
    void releaseListener(const QString &linkId);

private:
    void letAllGo(const QString &why);

    const QString m_id;
    const QString m_targetDatabase;
    AckRegistry *m_acks;
    QMutex m_pumping;                  // one pump at a time
    mutable QMutex m_mutex;            // guards what follows
    QHash<QString, Member> m_members;
    QHash<QString, Progress> m_progress;
    QHash<QString, bool> m_tables;                 // source table -> synced
    QHash<QString, QStringList> m_waitingFor;      // source table -> its unsynced parents
    QString m_listener;                            // the runner that listens (claimListener())
    qint64 m_restUntilMs = 0;
    std::atomic<qint64> m_notices{0};
    qint64 m_noticesPumped = -1;       // m_notices when the last pump started
    qint64 m_lastPumpMs = 0;
    bool m_more = false;
};

} // namespace ferry
