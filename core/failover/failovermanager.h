#pragma once

#include "failover/leasekeeper.h"
#include "failover/roleregistry.h"
#include "replication/linkdefinition.h"

#include <QCborArray>
#include <QCborMap>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

namespace ferry {

class EventLog;
class LinkManager;
class NodeServer;

// Roles, epochs and failover for the table pairs of this node's links (DESIGN.md "role,
// epoch"; issue: failover and failback without split brain or silent loss).
//
// - On a link's target it keeps the inbound link (registered by the source when the link
//   connects) with the source's heartbeats: when it was last seen, how far its change
//   log reaches, what the target applied. A source whose epoch is older than this node's
//   for the table is refused (stale_epoch) and demotes itself.
// - Graceful failover, asked of the primary: fence the source table (writes refused),
//   drain the change feed until the target applied everything, promote the target with
//   the next epoch (it lifts its guard and starts the reversed link), then become its
//   replica. No acknowledged write is lost.
// - Forced failover, asked of the replica when the primary is unreachable: promote this
//   node with the next epoch and report the recovery point (changes the old primary
//   committed that this node never applied, and since when). When the old primary comes
//   back, the reversed link demotes it first: it keeps its unreplicated rows in its
//   conflicts table (both versions), then is resynchronized by block verification.
// - Automatic failover, per link, off by default: after the primary was unreachable for
//   the link's timeout, and only if the witness node cannot reach it either; at most once
//   until an operator acknowledges it.
// Every step is an event in the node's event log. Lives in the node's network thread;
// database and network work runs in worker threads.
class FailoverManager : public QObject
{
    Q_OBJECT

public:
    FailoverManager(NodeServer *server, LinkManager *links, EventLog *events, QObject *parent = nullptr);
    ~FailoverManager() override;

    void load();   // roles.json and inbound.json; throws FerryError naming the file

    // Target side. Both throw WireError stale_epoch when this node knows a newer epoch
    // for the table, with the typed fields "epoch" and "primary".
    // Also refuses (writer_exists) a link into a table another link already writes.
    // dryRun: only the checks.
    void registerInbound(const LinkDefinition &link, const QString &sourceHost, quint16 sourcePort, bool dryRun = false);
    // The link, other than linkId and its other half, that writes database.table here
    // (oneWayOnly: one whose replica guard is on the table); null when none.
    // Throws stale_epoch when this node knows a newer epoch for the table than epoch: a
    // request from a former primary (its guard on a table promoted since, say).
    void checkEpoch(const QString &database, const QString &table, qint64 epoch) const;
    const LinkDefinition *writerOf(const QString &database, const QString &table, const QString &linkId, bool oneWayOnly = false) const;
    // The source removed the link: this node is no longer its replica (no health entry, no
    // automatic failover). Only the link's source node may do this.
    void unregisterInbound(const QString &linkId, const QString &sourceNode);
    // The node a registered inbound link comes from, or an empty string when this node has
    // no such inbound link (PeerSession accepts a link's batches only from that node).
    QString inboundSource(const QString &linkId) const
    {
        const auto it = m_inbound.constFind(linkId);
        return it == m_inbound.constEnd() ? QString() : it->link.sourceNode;
    }
    // The registered inbound link linkId, or null.
    const LinkDefinition *inboundLink(const QString &linkId) const
    {
        const auto it = m_inbound.constFind(linkId);
        return it == m_inbound.constEnd() ? nullptr : &it->link;
    }
    struct Heartbeat
    {
        QString linkId;
        qint64 epoch = 0;
        qint64 headSeq = 0;
        qint64 headAtUs = 0;
        qint64 oldestUnackedAtUs = 0;
        // An empty batch only: the source's acknowledged position, every change up to which
        // is here (applied, or copied by the link's initial sync).
        qint64 coveredSeq = 0;
        bool leased = false;    // the source's table is fenced by a write lease
        qint64 leaseMs = 0;     // for how long an answer keeps it writable
    };
    // Returns whether this node may promote itself automatically (the source must then
    // hold a write lease).
    bool noteHeartbeat(const QString &database, const QString &table, const Heartbeat &heartbeat);
    void noteApplied(const QString &linkId, qint64 seq);
    // A lease question from the source of an inbound link (LeaseKeeper): throws stale_epoch
    // when this node knows a newer epoch for the table, failover_refused while this node
    // takes the link over; otherwise counts as hearing from the source and returns whether
    // this node may promote itself (then the source renews its lease).
    bool noteLease(const QString &database, const QString &table, const QString &linkId, qint64 epoch, qint64 leaseMs, const QString &peerNode);
    // Any request from a node counts as a sign of life (a long verification round sends
    // no heartbeats, but digest and repair requests).
    void noteSeen(const QString &node);

    QFuture<QCborMap> failover(const QString &linkId, const QString &to, bool force);
    // What failover(linkId, to, force) would do, changing nothing: whether it is allowed (and
    // why not), the epoch it would set, and every link that touches the table on either
    // node with what happens to it ("links": link, runs_on, source_*, target_*, direction,
    // mode, change: reverses|continues|waits|blocks, detail). A graceful plan asks the
    // replica for its side; a forced one says what it cannot know of the old primary's.
    // A database link's plan is its tables' (each listed), with their figures summed.
    QFuture<QCborMap> plan(const QString &linkId, const QString &to, bool force);
    // The tables of database link linkId this node runs (force: the ones it is the
    // replica of); empty for a one-table link or an unknown id.
    QList<LinkDefinition> databaseMembers(const QString &linkId, bool force) const;
    // This node's links of database.table other than the failing link, as plan() lists them
    // (oldPrimary: this node is the failing link's source).
    // The replica's side of a graceful plan, asked by the failing link's source (peerNode).
    QCborMap replicaSideOfPlan(const QCborMap &failingLink, const QString &peerNode) const;
    QCborArray linksTouching(const QString &database, const QString &table, const LinkDefinition &failing, bool oldPrimary, bool forced) const;
    QFuture<QCborMap> promote(const QCborMap &request, const QString &peerNode, const QString &peerHost);
    QFuture<QCborMap> demote(const QCborMap &request, const QString &peerNode, const QString &peerHost);
    QFuture<QCborMap> probe(const QString &host, quint16 port);
    void acknowledge(const QString &linkId);   // re-arms automatic failover
    QCborArray health() const;

    // The epoch a new link from this node's table starts in: the epoch of the table's role
    // here (a table this node took over as primary keeps its epoch, and so does a replica
    // that passes its rows on; a former replica whose link is gone becomes primary again,
    // in the next epoch).
    qint64 epochForNewLink(const LinkDefinition &link);

    // A link of this node met a newer epoch at its target.
    void demoteAfterStaleEpoch(const QString &linkId, qint64 epoch, const QString &primary);

private:
    struct Inbound
    {
        LinkDefinition link;
        QString sourceHost;
        quint16 sourcePort = 0;
        bool armed = true;           // automatic failover may still happen
        qint64 lastSeenMs = 0;
        qint64 headSeq = 0;
        qint64 headAtUs = 0;
        qint64 oldestUnackedAtUs = 0;
        qint64 appliedSeq = 0;
        qint64 coveredSeq = 0;
        qint64 lastAutoNoteMs = 0;
        bool leased = false;         // the primary's table is fenced by a write lease
        qint64 leaseMs = 0;
    };

    // Why failover(linkId, to, force) is refused (with its error code), or an empty string.
    QString refusal(const QString &linkId, const QString &to, bool force, QString *code) const;
    // links: one link, or the tables of database link unitId (fenced and drained together).
    QFuture<QCborMap> gracefulFailover(const QList<LinkDefinition> &links, const QString &unitId);
    QFuture<QCborMap> forcedDatabaseFailover(const QString &unitId, const QStringList &memberIds);
    QFuture<QCborMap> forcedFailover(const QString &linkId, bool automatic);
    QCborMap demoteTable(const QString &database, const QString &table, const QString &linkId, qint64 epoch, const QString &primary,
                         const QString &primaryHost, quint16 primaryPort, const QString &primaryDatabase, const QString &primaryTable,
                         qint64 appliedSeq);
    void checkAutomatic();
    // Drops every write lease of the table (and its lease guard): before this node lifts
    // its replica guard as the new primary, and when it becomes a replica. In a worker.
    void releaseWriteLeases(const QString &database, const QString &table);
    void saveInbound();
    void event(int severity, const QString &link, const QString &what, const QString &outcome);
    // Runs fn in this object's thread and waits for it (from a worker thread).
    template <typename Fn> void inNodeThread(Fn fn);
    [[noreturn]] void throwStaleEpoch(const QString &database, const QString &table) const;
    [[noreturn]] void throwTakingOver(const Inbound &inbound) const;

    NodeServer *m_server;
    LinkManager *m_links;
    EventLog *m_events;
    RoleRegistry m_roles;
    QHash<QString, Inbound> m_inbound;   // by link id
    QSet<QString> m_running;             // links with a failover in progress
    // Inbound links this node is taking over, past the last check that their primary is
    // silent: their heartbeats and lease questions are refused from then on, so that the
    // primary renews no lease after that check.
    QSet<QString> m_promoting;
    QHash<QString, qint64> m_preserved;  // "db/table@epoch" -> changes kept by that demotion (done)
    QThreadPool m_workers;
    QThreadPool m_demoter;               // one thread: demotions one after another
    QTimer m_watch;
    LeaseKeeper m_leaseKeeper;
};

} // namespace ferry
