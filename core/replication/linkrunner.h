#pragma once

#include "blocks/blockverifier.h"
#include "node/nodeconfig.h"
#include "replication/linkdefinition.h"
#include "replication/linkstats.h"
#include "wire/message.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QTimer>

#include <atomic>
#include <deque>
#include <memory>

namespace ferry {

class AckRegistry;
class LogicalCapture;
class NodeClientThread;
class RemoteEndpoint;
class TransactionFeed;

// Where a link stands, kept in the node's data directory so that a restarted node
// resumes the link where it was. The target's applied sequence number (kept with the
// data) is the authority for what was applied; ackedSeq here only bounds pruning.
struct LinkCheckpoint
{
    bool synced = false;         // the initial sync has completed
    qint64 startSeq = 0;         // the change log position the initial sync started at
    qint64 ackedSeq = 0;
    qint64 lastVerifyAtMs = 0;
    // A verification round was asked for (verify now) or forced (a resync) and has not
    // completed: it runs again after a restart or a lost connection until it does.
    bool verifyPending = false;
    QString resyncReason;        // why the pending round is a resync; empty for a plain verification
    // The link's mark in the source database (Store::linkMark): the one last written, and
    // the next one, saved here before it is written there. Any other mark, or none, is a
    // database restored from a backup or replaced.
    QString mark;
    QString nextMark;
};

// Runs one link on its source node, in a thread of its own: connects to the target
// node, creates the target table when it is missing, installs change capture on the
// source and the replica guard on the target, runs the initial sync by block
// verification, then streams the change feed in batches that the target applies in
// order, exactly once. Scheduled links verify every interval; "verify now" runs a round
// between two batches. Errors are reported in the stats and retried with backoff.
class LinkRunner : public QObject
{
    Q_OBJECT

public:
    LinkRunner(const NodeConfig &config, const QSslConfiguration &tls, const LinkDefinition &link, const LinkCheckpoint &checkpoint,
               AckRegistry *acks);
    ~LinkRunner() override;

    // A table of a database link streams through the link's feed (TransactionFeed) while
    // it can; set before start().
    void setFeed(std::shared_ptr<TransactionFeed> feed) { m_feed = std::move(feed); }
    // Thread-safe.
    void start();
    void setPaused(bool paused);
    // repair: a verification round that repairs what differs (kept in the checkpoint until it
    // completes); without: a read-only check that changes nothing and lists the keys that
    // differ (missing, extra, different), each differing block compared again once the
    // changes captured meanwhile reached the target.
    void verifyNow(bool repair = true);
    // The differing keys the last read-only check found (capped, see VerifierOptions::listKeys).
    QList<RangeDifferences> lastDifferences() const;
    // A link stopped by a schema change stays stopped until this: both schemas are read
    // again and, when they match, the whole table is verified and streaming goes on.
    void resync();
    // Stops the thread; with cleanUp, also drops the target's replica guard and the
    // source's change capture (when no other link needs it). Blocks until done.
    // dropTarget: the source table was dropped and the link's database link drops it on the
    // target too (LinkDefinition::OnDrop::Drop), before the link is unregistered there.
    void stop(bool cleanUp, bool dropTarget = false);

    LinkStats stats() const;
    // The AckRegistry entry that keeps a bidirectional link's log for the other side's
    // conflict checks (LinkManager::notePeerApplied).
    static QString peerReadKey(const QString &linkId) { return linkId + QStringLiteral("#peer-read"); }
    LinkCheckpoint checkpoint() const;
    LinkDefinition definition() const;
    // Whether the link captures its source's changes from the WAL (a publication and a
    // replication slot, LogicalCapture) rather than with triggers: continuous one-way
    // links without a row filter from a PostgreSQL table.
    static bool capturesFromWal(const LinkDefinition &link, const DataSource &source);

    // Health of the connection to the target, for the health view.
    qint64 lastAckMs() const { return m_lastAckMs; }
    double rttMs() const { return m_rttMs; }
    // This link holds a write lease on its source table (the node's LeaseKeeper renews it
    // too, on its own schedule, also while a verification round holds up the batches).
    bool holdsWriteLease() const { return m_leased; }

signals:
    void checkpointChanged(const QString &linkId);
    // The target knows of a newer epoch for this table pair: this node is no longer the
    // primary. The runner has stopped streaming; the node must demote the source table.
    void demotionRequired(const QString &linkId, qint64 epoch, const QString &primary);
    // Something for the node's event log (severity: 0 info, 1 warning, 2 error).
    void eventOccurred(int severity, const QString &linkId, const QString &what, const QString &outcome);
    // The stored definition changed (a rejoin completed).
    void definitionChanged(const QString &linkId);
    // A verification round's progress, paced by the verifier.
    void progressUpdated(const QString &linkId, const ferry::VerificationProgress &progress);

private:
    void step();
    void prepare();
    void runRound();
    void runCheck();
    bool streamOnce();
    // The same through the database link's feed: joins it, pumps it (for every table that
    // joined), takes what it did for this table, and keeps the heartbeat and the figures.
    bool streamFeed();
    // Leaves the feed (waiting for a pump in flight) and streams alone from where it left.
    void leaveFeed();
    void absorbFeed();
    // A table of a database link not synced yet: true while tables its foreign keys
    // reference, in the same link, have not completed their initial sync.
    bool waitForParents();
    // A commit notice (Store::notifyOnChanges): read at once.
    void onChangeNotice();
    // The runner that listens for its database link's tables (TransactionFeed::claimListener)
    // listens on the channels of tables the link gained since, once a second.
    void listenForFeed();
    QSet<QString> m_listened;        // the tables whose notices this runner's source connection receives
    QElapsedTimer m_sinceListened;
    void noteLags(const std::vector<double> &lagsMs);
    // Once a second: forgets the source's changes every link of the table acknowledged, and
    // has the checkpoint saved.
    void pruneEverySecond();
    // The same from the WAL (linkrunnerwal.cpp).
    bool streamWal();
    // Creates (when missing) the link's slot and publication and starts reading them;
    // applied: what the target has applied.
    void prepareWalCapture(qint64 applied);
    void refreshWalFigures();
    // (Re)opens the slot's stream from the last acknowledged position, with a notifier
    // that wakes the runner when data arrives.
    void startWalStream();
    // Closes the stream and its notifier (whose socket is gone with it).
    void closeWalStream();
    // The WAL the slot keeps, once a second; past NodeConfig::maxSlotWalMb the slot is
    // dropped and the link stops until resync.
    void checkRetainedWal();
    // pending and lag from the source's log, whatever the link is doing.
    void refreshFigures();
    // Once a second while the link runs: the source database is still the one the link
    // knows (its mark), its capture triggers and the target's replica guard are in place.
    // Anything else forces a resync.
    void watchTables();
    void checkSourceMark();
    // The source was restored or replaced, or a table lost its triggers: renumber the
    // source's log past what the target applied and verify the whole table.
    void forceResync(const QString &what, const QString &detail);
    void renewMark();
    void setPhase(LinkState phase);
    void noteProgress();
    // Sends one batch (or, empty, a heartbeat); head is where this node's log stands.
    // final: false sends a part of a source transaction, which the target keeps until the
    // batch that ends it.
    void sendApply(const QList<Change> &batch, qint64 last, qint64 head, qint64 *applied, qint64 *conflicts, bool final = true);
    void rejoinTarget();
    // Throws schema_changed when the source table's columns changed since m_sourceSchema
    // was described; returns true when its stamp moved but the schema is the same.
    // ADD COLUMN on the source: the same columns at the end of the target table, then a
    // whole-table round (m_resyncRequested) for the values the rows had before.
    bool sourceSchemaMoved();
    bool columnsAddedAtEnd(const TableSchema &before, const TableSchema &now) const;
    void addColumnsOnTarget(const TableSchema &now);
    void disconnectTarget();
    void noteError(const QString &message);
    void noteRecovered();
    // After an error: disconnects, schedules the next attempt with backoff; the next step
    // in ms (the figures are refreshed until then).
    int backOff(const QString &error);
    void cleanUp(bool dropTarget = false);
    // The source table's write lease (failover/writelease.h): taken when the target says
    // it may promote itself ("armed" in its answers), renewed with every answer, released
    // when it may not any more.
    void keepWriteLease(const Message &reply, qint64 sentAtUs);
    Message request(QLatin1StringView type, const QCborMap &body);

    NodeConfig m_config;
    QSslConfiguration m_tls;
    LinkDefinition m_link;
    AckRegistry *m_acks;
    QThread *m_thread = nullptr;
    QTimer *m_timer = nullptr;

    // Owned by the runner's thread.
    std::unique_ptr<Store> m_source;
    std::unique_ptr<Store> m_markStore;   // renewMark(): a connection that never waits long for a lock
    TableSchema m_sourceSchema;
    TableSchema m_targetSchema;
    std::unique_ptr<NodeClientThread> m_connection;
    std::unique_ptr<RemoteEndpoint> m_target;
    std::unique_ptr<LogicalCapture> m_capture;   // capturesFromWal(): the link's slot
    QObject *m_captureNotifier = nullptr;        // wakes the runner when the slot's stream has data
    bool m_captureParts = false;                 // parts of a source transaction went to the target
    QElapsedTimer m_sinceRetained;
    bool m_prepared = false;
    std::shared_ptr<TransactionFeed> m_feed;
    bool m_inFeed = false;           // joined m_feed: it streams this table
    QStringList m_parents;           // the source tables the table's foreign keys reference
    bool m_parentsRead = false;
    bool m_parentsWaitNoted = false;
    bool m_changeNotices = false;    // the source wakes the runner when changes commit
    qint64 m_cursor = 0;             // last change sent and acknowledged
    qint64 m_peerApplied = -1;       // bidirectional: the other half's applied seq here, read before the batch
    int m_backoffMs = 0;
    QElapsedTimer m_sincePrune;
    QElapsedTimer m_rateClock;
    qint64 m_rateApplied = 0;
    qint64 m_rateBytes = 0;
    std::deque<double> m_lags;        // ms, the last 1000 changes
    // Where the change feed's time goes, in ms per batch, logged every 5 s under the
    // debug category ferry.link.timing: from the commit of the batch's first change to
    // its read, from the source's change notice to the read, the read, the round trip, and
    // within it the target's wait for its database thread and its transaction.
    struct StreamTimings
    {
        std::vector<double> waited, wake, read, roundTrip, queued, work;
        qint64 changes = 0;
        QElapsedTimer since;
    };
    StreamTimings m_timings;
    QElapsedTimer m_noticeAt;        // the first change notice not yet served
    void logTimings();

    QElapsedTimer m_sinceWatch;
    QElapsedTimer m_sinceFigures;
    qint64 m_retryAtMs = 0;          // after an error: the next attempt, figures refreshed meanwhile
    qint64 m_targetApplied = 0;      // the target's applied seq when the link connected
    qint64 m_markedCursor = -1;      // m_cursor when the source's mark was last renewed
    QString m_guardMessage;          // what the target's replica guard says

    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_resyncRequested{false};
    std::atomic<bool> m_checkRequested{false};   // a read-only check (verifyNow(false))
    QList<RangeDifferences> m_lastDifferences;  // guarded by m_mutex
    QString m_schemaStop;            // why the link stopped for a schema change; empty when it did not
    QByteArray m_sourceStamp;        // Store::schemaStamp() of the source when m_sourceSchema was described
    QElapsedTimer m_sinceSchemaCheck;
    bool m_partCut = false;          // the batch just read stopped at PartBytes
    qint64 m_stagedBytes = 0;        // parts of the current source transaction the target keeps
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_demoted{false};
    std::atomic<qint64> m_lastAckMs{0};
    qint64 m_headReadAtUs = 0;      // when the log was read for the head last sent
    bool m_leaseChecked = false;    // a lease left from before this runner started was looked for
    std::atomic<bool> m_leased{false};   // this link holds a write lease on the source table
    qint64 m_leaseUntilUs = 0;      // the expiry last written
    std::atomic<double> m_rttMs{0};
    QElapsedTimer m_sinceSent;       // heartbeats: an empty apply when nothing was sent for a while
    int m_heartbeatMs = 250;

    mutable QMutex m_mutex;          // guards m_stats, m_phase, m_checkpoint, m_verifier, m_link.rejoin
    LinkStats m_stats;
    LinkState m_phase = LinkState::Connecting;
    qint64 m_oldestPendingAtUs = 0;  // commit time of the oldest change not acknowledged; 0: none
    LinkCheckpoint m_checkpoint;
    BlockVerifier *m_verifier = nullptr;
};

// Acknowledged change-log positions of every link, so that a source table's log is
// pruned only below what every link reading it has acknowledged.
class AckRegistry
{
public:
    void set(const QString &database, const QString &table, const QString &linkId, qint64 seq);
    void remove(const QString &database, const QString &table, const QString &linkId);
    // The lowest acknowledged position of all links on the table; -1 when none.
    qint64 lowest(const QString &database, const QString &table) const;
    bool hasOther(const QString &database, const QString &table, const QString &linkId) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QHash<QString, qint64>> m_acks;   // "db/table" -> link -> seq
};

} // namespace ferry
