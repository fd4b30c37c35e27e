#pragma once

#include "blocks/blockstate.h"
#include "replication/databaselink.h"
#include "node/nodeconfig.h"
#include "replication/linkdefinition.h"
#include "replication/linkrunner.h"
#include "replication/transactionfeed.h"

#include <QCborArray>
#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QSslConfiguration>
#include <QThreadPool>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

namespace ferry {

// The links a node runs as their source: created, paused, resumed, verified and removed
// through the node API, kept in DATA_DIRECTORY/links.json (written atomically) with their
// checkpoints, and resumed when the node starts. Lives in the node's network thread;
// every check that needs a database or another node runs in a worker thread.
class LinkManager : public QObject
{
    Q_OBJECT

public:
    LinkManager(const NodeConfig &config, const QSslConfiguration &tls, QObject *parent = nullptr);
    ~LinkManager() override;

    // Reads links.json and starts every link. Throws FerryError naming the file.
    void load();

    // Checks the link (source table and filter, target node, database and table schema)
    // without writing anything, then stores and starts it. Errors are WireError with
    // a code from protocol.h and a message that names what is wrong.
    QFuture<LinkDefinition> create(const LinkDefinition &link);
    // Pausing, resuming and removing the forward half of a bidirectional link does the same
    // to its reverse half on the target node; the future fails (unreachable) when the
    // target node could not be told, after the change was made on this node.
    QFuture<void> setPaused(const QString &id, bool paused);   // throws WireError unknown_link
    // repair false: a read-only check (LinkRunner::verifyNow). A database link verifies
    // every table, or only table (throws unknown_link when it has no such table).
    void verifyNow(const QString &id, bool repair = true, const QString &table = QString());
    // A link stopped by a schema change reads both schemas again (LinkRunner::resync); a
    // database link's table, or all its tables.
    void resync(const QString &id, const QString &table = QString());   // throws WireError unknown_link
    QFuture<void> remove(const QString &id);
    // Changes settings of a link in place (mode, interval_minutes, block_rows, block_ms,
    // digest, compression, bandwidth_mbps, filter, conflicts, timestamp_column,
    // auto_failover, witness_host/witness_port, failover_timeout_ms: the keys of
    // LinkDefinition::toCbor()). Everything is checked first (WireError bad_setting naming
    // the setting, or unknown_link); then the link restarts with its checkpoint (a new
    // filter verifies the table again). Not the identity of the link (tables, nodes,
    // direction), and not on the reverse half of a bidirectional link.
    QFuture<LinkDefinition> setSettings(const QString &id, const QCborMap &settings);

    // {link, stats}; a database link also {tables: per-table figures (tableBreakdown()),
    // skipped: [{table, reason}], dropped: [table]}. Throws unknown_link.
    QCborMap describe(const QString &id) const;
    QCborArray list() const;
    // What the other side of a bidirectional link has applied of this node's log.
    qint64 ackedSeq(const QString &linkId) const;
    // The other side of bidirectional link linkId (this node's source database and table)
    // had applied this node's log up to seq when it read its latest batch: its batches still
    // on the way are checked for conflicts against this node's changes after that, so the
    // log is not pruned beyond it.
    void notePeerApplied(const QString &database, const QString &table, const QString &linkId, qint64 seq);

    // Failover (failover/failovermanager.h): start a link as it is, without the checks of
    // create() (the old primary may be down); stop a link without lifting its target's
    // guard and forget it (from any thread: the caller waits); the runners.
    // A table of a database link adopted here (this node was promoted for it) brings the
    // database link along, with the same patterns; the last table detached from a database
    // link (this node became the replica of all of them) takes it away.
    void adopt(const LinkDefinition &link, const LinkCheckpoint &checkpoint);
    // Whether this node is the replica of database.table (it failed over): a database link's
    // scan does not start a link from it. Set by the FailoverManager; called in this thread.
    void setReplicaCheck(const std::function<bool(const QString &database, const QString &table)> &isReplica) { m_isReplica = isReplica; }
    void detachFromAnyThread(const QString &id);
    LinkRunner *find(const QString &id) const;
    QList<LinkRunner *> runners() const;

signals:
    void demotionRequired(const QString &linkId, qint64 epoch, const QString &primary);
    void eventOccurred(int severity, const QString &linkId, const QString &what, const QString &outcome);
    // All links' figures, at most four times a second.
    void statsPublished(const QCborArray &stats);
    void progressUpdated(const QString &linkId, const ferry::VerificationProgress &progress);

private:
    struct Entry
    {
        std::unique_ptr<LinkRunner> runner;
    };

    LinkRunner &runner(const QString &id) const;
    // A database link's tables as they run now: table -> its member runner.
    std::map<QString, LinkRunner *> membersOf(const QString &id) const;
    QList<QPair<QString, LinkStats>> memberStats(const QString &id) const;
    LinkStats databaseStats(const DatabaseLink &database) const;
    QFuture<LinkDefinition> createDatabaseLink(const LinkDefinition &requested);
    // Every few seconds: tables created on a database link's source are picked up, tables
    // dropped there are let go (kept or dropped on the target, as the link says).
    void scanDatabaseLinks();
    void applyScan(const QString &id, const TableScan &scan);
    void startRunner(const LinkDefinition &link, const LinkCheckpoint &checkpoint);
    void save();
    // A save within SaveGapMs of the last one (a checkpoint a link reported).
    void saveSoon();
    static constexpr int SaveGapMs = 50;
    QString statePath() const;
    // Sends type {link: ID.reverse} to the target node of the forward half link.
    QFuture<void> tellReverse(const LinkDefinition &link, QLatin1StringView type);

    NodeConfig m_config;
    QSslConfiguration m_tls;
    AckRegistry m_acks;
    std::map<QString, Entry> m_links;          // one-table links and the tables of database links
    std::map<QString, DatabaseLink> m_databases;
    // Each database link's feed on this node, shared by its tables' runners.
    std::map<QString, std::shared_ptr<TransactionFeed>> m_feeds;
    std::function<bool(const QString &, const QString &)> m_isReplica;
    QTimer m_scan;
    QThreadPool m_checks;             // validation of new links
    QThreadPool m_reverse;            // removals and requests to reverse halves, one at a time, in order
    QTimer m_publish;
    QTimer m_saveTimer;
    QTimer m_saveSoon;
    QElapsedTimer m_sinceSave;
    bool m_dirty = false;
    QSet<QString> m_creating;
};

} // namespace ferry
