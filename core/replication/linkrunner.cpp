#include "replication/linkrunner.h"

#include "blocks/rowdifference.h"
#include "capture/logicalcapture.h"
#include "rows/rowsize.h"
#include "failover/writelease.h"
#include "net/nodeclient.h"
#include "net/remoteendpoint.h"
#include "replication/transactionfeed.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QScopeGuard>
#include <QDateTime>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QRandomGenerator>
#include <QThread>

#include <algorithm>
#include <chrono>

namespace ferry {

namespace {

Q_LOGGING_CATEGORY(lcLinkTiming, "ferry.link.timing", QtInfoMsg)

constexpr int BatchChanges = 1000;
// A batch stops before this many bytes of rows; a source transaction cut there travels
// in parts the target applies together (apply's final: false). Beyond StagedBytes of
// one transaction the parts are applied as they come, with a warning.
constexpr qint64 PartBytes = 8 * 1024 * 1024;
constexpr qint64 StagedBytes = 512 * 1024 * 1024;
constexpr int PollMs = 2;
constexpr int MemberPollMs = 50;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Wall-clock microseconds, as the capture triggers stamp changes.
qint64 nowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

QString tableKey(const QString &database, const QString &table)
{
    return database + QLatin1Char('/') + table;
}

} // namespace

void AckRegistry::set(const QString &database, const QString &table, const QString &linkId, qint64 seq)
{
    QMutexLocker locker(&m_mutex);
    m_acks[tableKey(database, table)][linkId] = seq;
}

void AckRegistry::remove(const QString &database, const QString &table, const QString &linkId)
{
    QMutexLocker locker(&m_mutex);
    m_acks[tableKey(database, table)].remove(linkId);
}

qint64 AckRegistry::lowest(const QString &database, const QString &table) const
{
    QMutexLocker locker(&m_mutex);
    const QHash<QString, qint64> links = m_acks.value(tableKey(database, table));
    if (links.isEmpty())
        return -1;
    return *std::min_element(links.cbegin(), links.cend());
}

bool AckRegistry::hasOther(const QString &database, const QString &table, const QString &linkId) const
{
    QMutexLocker locker(&m_mutex);
    const QHash<QString, qint64> links = m_acks.value(tableKey(database, table));
    return links.size() > (links.contains(linkId) ? 1 : 0);
}

LinkRunner::LinkRunner(const NodeConfig &config, const QSslConfiguration &tls, const LinkDefinition &link, const LinkCheckpoint &checkpoint,
                       AckRegistry *acks)
    : m_config(config)
    , m_tls(tls)
    , m_link(link)
    , m_acks(acks)
    , m_checkpoint(checkpoint)
{
    m_stats.id = link.id;
    m_stats.state = linkStateName(link.paused ? LinkState::Paused : LinkState::Connecting);
    m_stats.ackedSeq = checkpoint.ackedSeq;
    m_stats.lastVerifyAtMs = checkpoint.lastVerifyAtMs;
    m_stats.lastProgressMs = nowMs();
    m_cursor = checkpoint.ackedSeq;   // until the target says where it stands
    m_paused = link.paused;
    m_heartbeatMs = config.heartbeatMs;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("ferry-link"));
    moveToThread(m_thread);
}

LinkRunner::~LinkRunner()
{
    stop(false);
    delete m_thread;
}

void LinkRunner::start()
{
    m_thread->start();
    QMetaObject::invokeMethod(this, [this] {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &LinkRunner::step);
        m_rateClock.start();
        m_sincePrune.start();
        m_timer->start(0);
    });
}

void LinkRunner::setPaused(bool paused)
{
    m_paused = paused;
    if (paused) {
        QMutexLocker locker(&m_mutex);
        if (m_verifier)
            m_verifier->cancel();
    }
}

void LinkRunner::verifyNow(bool repair)
{
    if (!repair) {
        m_checkRequested = true;
        return;
    }
    {
        QMutexLocker locker(&m_mutex);
        m_checkpoint.verifyPending = true;
    }
    emit checkpointChanged(m_link.id);   // kept: a round asked for runs even after a restart
}

void LinkRunner::resync()
{
    m_resyncRequested = true;
}

void LinkRunner::stop(bool cleanUp, bool dropTarget)
{
    if (!m_thread->isRunning())
        return;
    m_stopping = true;
    {
        QMutexLocker locker(&m_mutex);
        if (m_verifier)
            m_verifier->cancel();
    }
    QMetaObject::invokeMethod(this, [this, cleanUp, dropTarget] {
        leaveFeed();
        if (m_feed) {
            m_feed->forgetTable(m_link.sourceTable);
            m_feed->releaseListener(m_link.id);
        }
        if (cleanUp)
            this->cleanUp(dropTarget);
        delete m_timer;
        m_timer = nullptr;
        m_target.reset();
        m_connection.reset();
        delete m_captureNotifier;
        m_captureNotifier = nullptr;
        m_capture.reset();
        m_source.reset();   // the stores belong to this thread
        m_markStore.reset();
        m_thread->quit();
    });
    m_thread->wait();
}

LinkStats LinkRunner::stats() const
{
    QMutexLocker locker(&m_mutex);
    LinkStats stats = m_stats;
    // The age of the oldest change waiting, as of now: it grows while the link is stuck.
    stats.lagMs = m_oldestPendingAtUs > 0 ? std::max<qint64>(0, nowUs() - m_oldestPendingAtUs) / 1000.0 : 0;
    stats.state = linkStateName(linkState(m_phase, m_paused, stats, nowMs()));
    return stats;
}

LinkDefinition LinkRunner::definition() const
{
    QMutexLocker locker(&m_mutex);
    LinkDefinition link = m_link;   // only the paused and rejoin flags ever change
    link.paused = m_paused;
    return link;
}

LinkCheckpoint LinkRunner::checkpoint() const
{
    QMutexLocker locker(&m_mutex);
    return m_checkpoint;
}

void LinkRunner::setPhase(LinkState phase)
{
    QMutexLocker locker(&m_mutex);
    m_phase = phase;
}

void LinkRunner::noteProgress()
{
    QMutexLocker locker(&m_mutex);
    m_stats.lastProgressMs = nowMs();
}

void LinkRunner::noteError(const QString &message)
{
    qWarning().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2").arg(m_link.id, message);
    {
        QMutexLocker locker(&m_mutex);
        // The same error again and again (a target that stays down) is one event.
        if (m_stats.lastError != message || m_stats.errorSinceMs == 0)
            emit eventOccurred(1, m_link.id, QCoreApplication::translate("LinkRunner", "error"), message);
    }
    QMutexLocker locker(&m_mutex);
    ++m_stats.errors;
    m_stats.lastError = message;
    m_stats.lastErrorAtMs = nowMs();
    if (m_stats.errorSinceMs == 0)
        m_stats.errorSinceMs = m_stats.lastErrorAtMs;
}

void LinkRunner::noteRecovered()
{
    QString error;
    qint64 since = 0;
    {
        QMutexLocker locker(&m_mutex);
        if (m_stats.errorSinceMs == 0)
            return;
        error = m_stats.lastError;
        since = m_stats.errorSinceMs;
        m_stats.errorSinceMs = 0;
    }
    const QString detail = QCoreApplication::translate("LinkRunner", "after %1 s in error (%2)").arg((nowMs() - since) / 1000.0, 0, 'f', 1).arg(error);
    qInfo().noquote() << QCoreApplication::translate("LinkRunner", "link %1: recovered %2").arg(m_link.id, detail);
    emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "recovered"), detail);
}

Message LinkRunner::request(QLatin1StringView type, const QCborMap &body)
{
    return m_connection->client()->request(type, body).result();
}

void LinkRunner::disconnectTarget()
{
    leaveFeed();
    m_target.reset();
    m_connection.reset();
    m_prepared = false;
    m_stagedBytes = 0;   // the target forgets the parts it kept with the connection
    closeWalStream();   // read again from the last acknowledged position
}

void LinkRunner::refreshFigures()
{
    if (!m_source || m_sourceSchema.columns.isEmpty() || m_link.mode != LinkDefinition::Mode::Continuous)
        return;
    m_sinceFigures.start();
    if (!m_capture) {
        // The slot keeps WAL also when the target could not be reached since this node
        // started: its size is watched from the start.
        const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
        if (database && capturesFromWal(m_link, database->source))
            m_capture = std::make_unique<LogicalCapture>(database->source, m_link.id);
    }
    if (m_capture) {
        refreshWalFigures();
        return;
    }
    Store::Backlog backlog;
    try {
        backlog = m_source->backlog(m_sourceSchema, m_cursor);
    } catch (const FerryError &) {
        return;   // no log yet (capture not installed): nothing captured, nothing pending
    }
    QMutexLocker locker(&m_mutex);
    m_stats.pending = backlog.changes;
    m_oldestPendingAtUs = backlog.oldestAtUs;
    if (backlog.changes == 0)
        m_stats.lastProgressMs = nowMs();
}

void LinkRunner::step()
{
    if (m_stopping || m_demoted)
        return;
    int next = PollMs;
    // After an error the next attempt waits for its backoff; the figures stay true meanwhile.
    if (m_retryAtMs > 0 && !m_paused) {
        const qint64 wait = m_retryAtMs - nowMs();
        if (wait > 0) {
            if (!m_sinceFigures.isValid() || m_sinceFigures.elapsed() >= 500)
                refreshFigures();
            if (m_timer)
                m_timer->start(int(std::min<qint64>(wait, 500)));
            return;
        }
    }
    try {
        if (m_paused) {
            leaveFeed();
            if (!m_sinceFigures.isValid() || m_sinceFigures.elapsed() >= 500)
                refreshFigures();
            next = 100;
        } else {
            if (m_resyncRequested.exchange(false)) {
                leaveFeed();
                // Both schemas read again by prepare(), then the whole table verified.
                m_schemaStop.clear();
                disconnectTarget();
                // The round covers everything before it: the slot's stream goes on from now
                // (changes from before a schema change cannot be read with the new columns).
                if (m_capture)
                    m_capture->skipToNow(m_cursor);   // (the stream was closed above)
                {
                    QMutexLocker locker(&m_mutex);
                    m_checkpoint.verifyPending = true;
                    m_checkpoint.resyncReason = QStringLiteral("schema");
                }
                emit checkpointChanged(m_link.id);
                emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "resync"),
                                   QCoreApplication::translate("LinkRunner", "reading both schemas again, then verifying the whole table"));
            }
            if (!m_schemaStop.isEmpty()) {
                leaveFeed();
                // Stopped until resync; the target still hears this node is alive.
                if (!m_sinceFigures.isValid() || m_sinceFigures.elapsed() >= 500)
                    refreshFigures();
                if (m_prepared && (!m_sinceSent.isValid() || m_sinceSent.elapsed() >= m_heartbeatMs))
                    sendApply({}, m_cursor, m_capture ? m_cursor : std::max(m_cursor, m_source->lastChangeSeq(m_sourceSchema)), nullptr, nullptr);
                m_timer->start(100);
                return;
            }
            if (!m_prepared)
                prepare();
            if (m_link.mode == LinkDefinition::Mode::Continuous && (!m_sinceWatch.isValid() || m_sinceWatch.elapsed() >= 1000))
                watchTables();
            const LinkCheckpoint checkpoint = this->checkpoint();
            const bool due = m_link.mode == LinkDefinition::Mode::Scheduled
                             && nowMs() - checkpoint.lastVerifyAtMs >= qint64(m_link.intervalMinutes) * 60000;
            if (m_feed)
                m_feed->noteTable(m_link.sourceTable, checkpoint.synced);
            if (!checkpoint.synced && m_feed && waitForParents()) {
                setPhase(LinkState::Waiting);
                if (!m_sinceFigures.isValid() || m_sinceFigures.elapsed() >= 500)
                    refreshFigures();
                m_timer->start(200);
                return;
            }
            if (!checkpoint.synced || checkpoint.verifyPending || due) {
                leaveFeed();
                runRound();
            }
            // A read-only check waits for the initial sync (before it, everything differs).
            if (!m_paused && this->checkpoint().synced && m_checkRequested.exchange(false)) {
                leaveFeed();
                runCheck();
            }
            if (m_paused) {
                next = 0;
            } else if (m_link.mode == LinkDefinition::Mode::Continuous) {
                setPhase(LinkState::Streaming);
                // The tables of a database link wake on the database's change notices; their
                // poll, only for what a notice misses, is slower: a hundred tables polling
                // every PollMs would keep the source database busy answering them.
                const bool more = m_feed && !m_capture && m_link.direction == LinkDefinition::Direction::OneWay ? streamFeed() : streamOnce();
                next = more ? 0 : (!m_link.memberOf.isEmpty() && (m_changeNotices || m_feed) ? MemberPollMs : PollMs);
            } else {
                setPhase(m_link.mode == LinkDefinition::Mode::OneShot ? LinkState::Done : LinkState::Waiting);
                next = 200;
            }
        }
        m_backoffMs = 0;
        m_retryAtMs = 0;
        if (!m_paused)
            noteRecovered();
    } catch (const WireError &error) {
        leaveFeed();
        if (m_stopping)
            return;
        if (error.code() == protocol::ErrorCode::StaleEpoch) {
            // Another node was promoted for this table pair: stop at once and hand over.
            m_demoted = true;
            disconnectTarget();
            setPhase(LinkState::Demoted);
            noteError(error.message());
            const QCborMap fields = error.fields();
            emit demotionRequired(m_link.id, fields.value(QStringLiteral("epoch")).toInteger(), fields.value(QStringLiteral("primary")).toString());
            return;
        }
        if (error.code() == protocol::ErrorCode::SchemaChanged) {
            // The table stops here, with nothing of the batch applied, until resync.
            m_schemaStop = error.message();
            noteError(error.message());
            refreshFigures();
            next = 100;
        } else {
            next = backOff(error.message());
        }
    } catch (const FerryError &error) {
        leaveFeed();
        if (m_stopping)
            return;
        next = backOff(error.message());
    }

    // Rates over the last second or so.
    const qint64 elapsed = m_rateClock.elapsed();
    if (elapsed >= 1000) {
        QMutexLocker locker(&m_mutex);
        m_stats.rowsPerSecond = m_rateApplied * 1000.0 / elapsed;
        m_stats.bytesPerSecond = m_rateBytes * 1000.0 / elapsed;
        m_rateApplied = 0;
        m_rateBytes = 0;
        m_rateClock.restart();
    }
    if (m_timer && !m_stopping)
        m_timer->start(next);
}

int LinkRunner::backOff(const QString &error)
{
    noteError(error);
    disconnectTarget();
    m_backoffMs = std::clamp(m_backoffMs * 2, 250, 30000);
    m_retryAtMs = nowMs() + m_backoffMs;
    refreshFigures();
    return std::min(m_backoffMs, 500);   // figures go on being refreshed until the retry
}

void LinkRunner::watchTables()
{
    m_sinceWatch.start();
    // The source: the database the link knows, with its capture in place.
    checkSourceMark();
    if (m_capture) {
        if (!m_capture->intact(m_link.sourceTable)) {
            // The slot was dropped, or the table dropped and created again (which leaves
            // the publication): what was written meanwhile was not captured.
            forceResync(QCoreApplication::translate("LinkRunner", "source capture lost"),
                        QCoreApplication::translate("LinkRunner", "the replication slot or publication %1 of %2 on %3 was gone or no longer held the table "
                                                    "(the table was dropped and created again, or the slot dropped); changes made meanwhile were not "
                                                    "captured. Created them again; verifying the whole table")
                            .arg(LogicalCapture::slotName(m_link.id), m_link.sourceTable, m_config.name));
        }
    } else if (!m_source->captureIntact(m_link.sourceTable)) {
        m_source->installCapture(m_sourceSchema);
        if (m_link.direction == LinkDefinition::Direction::Bidirectional) {
            // Which side holds the right rows is the operator's call, not this node's:
            // a whole-table repair from here could overwrite the other side's.
            emit eventOccurred(2, m_link.id, QCoreApplication::translate("LinkRunner", "source capture lost"),
                               QCoreApplication::translate("LinkRunner", "the capture triggers of %1 on %2 were gone (the table was dropped and created "
                                                           "again, or its triggers dropped); changes made meanwhile were not captured. Reinstalled them; "
                                                           "run ferryctl link verify from the side that holds the right rows")
                                   .arg(m_link.sourceTable, m_config.name));
        } else {
            forceResync(QCoreApplication::translate("LinkRunner", "source capture lost"),
               QCoreApplication::translate("LinkRunner", "the capture triggers of %1 on %2 were gone (the table was dropped and created again, or "
                                           "its triggers dropped); changes made meanwhile were not captured. Reinstalled them; verifying the whole table")
                   .arg(m_link.sourceTable, m_config.name));
        }
    }
    // The target: a one-way link's replica guard is the mark of the table it was put on. A
    // table dropped and created again behind the link lost it (and the rows the feed had
    // brought): put it back and verify the whole table.
    if (m_link.direction == LinkDefinition::Direction::OneWay && m_prepared && m_connection) {
        const Message reply = request(protocol::Type::Guard, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                                                      {QStringLiteral("table"), m_link.targetTable},
                                                                      {QStringLiteral("on"), true},
                                                                      {QStringLiteral("if_missing"), true},
                                                                      {QStringLiteral("link"), m_link.id},
                                                                      {QStringLiteral("epoch"), m_link.epoch},
                                                                      {QStringLiteral("message"), m_guardMessage}});
        if (MessageFields(reply).boolean(QLatin1StringView("installed"), false))
            forceResync(QCoreApplication::translate("LinkRunner", "target table replaced"),
                   QCoreApplication::translate("LinkRunner", "the replica guard of %1 on %2 was gone (the table was dropped and created again, or its "
                                               "triggers dropped); put it back, verifying the whole table")
                       .arg(m_link.targetTable, m_link.targetNode));
    }
    renewMark();
}

void LinkRunner::checkSourceMark()
{
    const LinkCheckpoint checkpoint = this->checkpoint();
    if (checkpoint.mark.isEmpty())
        return;   // a link from before marks, or one that never streamed: nothing to compare
    const QString found = m_source->linkMark(m_link.id);
    if (found == checkpoint.mark || found == checkpoint.nextMark)
        return;
    forceResync(QCoreApplication::translate("LinkRunner", "source database restored or replaced"),
           found.isEmpty() ? QCoreApplication::translate("LinkRunner", "database %1 on %2 no longer holds the mark of link %3: it was restored from a backup "
                                                         "or replaced. Verifying the whole table so that the target equals it")
                                 .arg(m_link.sourceDatabase, m_config.name, m_link.id)
                           : QCoreApplication::translate("LinkRunner", "database %1 on %2 holds an older mark of link %3 (%4, expected %5): it was restored "
                                                         "from a backup. Verifying the whole table so that the target equals it")
                                 .arg(m_link.sourceDatabase, m_config.name, m_link.id, found, checkpoint.mark));
}

void LinkRunner::renewMark()
{
    // Only after the feed moved: a database restored to a moment after which nothing was
    // acknowledged holds what the target holds, and an idle link rewrites nothing.
    if (m_markedCursor == m_cursor && !checkpoint().mark.isEmpty())
        return;
    // The next mark is saved in the checkpoint (checkpointChanged, saved by the manager)
    // a second before it is written to the database: a crash in between leaves a mark the
    // checkpoint knows.
    QString write;
    {
        QMutexLocker locker(&m_mutex);
        write = m_checkpoint.nextMark;
    }
    if (!write.isEmpty()) {
        try {
            // Its own connection, which waits for no application's write lock: the feed
            // must not wait behind a mark.
            // PostgreSQL locks rows, not the database: the link's own connection will do
            // (a connection per table of a database link is what the server's
            // max_connections allows at most).
            const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
            if (!database)
                return;
            Store *marks = m_source.get();
            if (database->source.kind != DataSource::Kind::Postgres || !marks) {
                if (!m_markStore)
                    m_markStore = Store::open(database->source, Store::Options{false, 20, true});
                marks = m_markStore.get();
            }
            marks->setLinkMark(m_link.id, write);
        } catch (const FerryError &error) {
            // An application holding the database's write lock: the next second will do.
            qDebug().noquote() << QStringLiteral("link %1: mark not renewed: %2").arg(m_link.id, error.message());
            return;
        }
    }
    {
        QMutexLocker locker(&m_mutex);
        if (!write.isEmpty())
            m_checkpoint.mark = write;
        m_checkpoint.nextMark = QString::number(QRandomGenerator::system()->generate64(), 36);
    }
    if (!write.isEmpty())
        m_markedCursor = m_cursor;
    emit checkpointChanged(m_link.id);
}

void LinkRunner::forceResync(const QString &what, const QString &detail)
{
    leaveFeed();
    qWarning().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2: %3").arg(m_link.id, what, detail);
    emit eventOccurred(1, m_link.id, what, detail);
    // The source's log may number its changes again from an older point: the next ones
    // get numbers past everything the target applied or this node acknowledged, so the
    // target does not skip them as applied; the round then makes the tables equal.
    const qint64 past = std::max({m_cursor, m_targetApplied, checkpoint().ackedSeq});
    if (m_capture) {
        closeWalStream();
        m_capture->ensure(m_sourceSchema, past);
        m_capture->skipToNow(past);
    } else {
        m_source->installCapture(m_sourceSchema);
        m_source->advanceChangeSeq(m_sourceSchema, past);
    }
    const QString mark = QString::number(QRandomGenerator::system()->generate64(), 36);
    {
        QMutexLocker locker(&m_mutex);
        m_checkpoint.synced = false;
        m_checkpoint.verifyPending = true;
        m_checkpoint.resyncReason = what;
        m_checkpoint.startSeq = past;
        m_checkpoint.ackedSeq = past;
        m_checkpoint.nextMark = mark;
        m_stats.ackedSeq = past;
    }
    if (m_link.direction == LinkDefinition::Direction::Bidirectional) {
        // Both sides take writes: a whole-table repair from here would overwrite what the
        // other side holds and this one lost. The feed goes on (renumbered); the operator
        // decides which side is right.
        QMutexLocker locker(&m_mutex);
        m_checkpoint.synced = true;
        m_checkpoint.verifyPending = false;
        m_checkpoint.resyncReason.clear();
        emit eventOccurred(2, m_link.id, what,
                           QCoreApplication::translate("LinkRunner", "link %1 runs both ways: not repaired automatically; run ferryctl link verify from "
                                                       "the side that holds the right rows")
                               .arg(m_link.id));
    }
    m_cursor = past;
    m_acks->set(m_link.sourceDatabase, m_link.sourceTable, m_link.id, past);
    emit checkpointChanged(m_link.id);
    m_source->setLinkMark(m_link.id, mark);
    {
        QMutexLocker locker(&m_mutex);
        m_checkpoint.mark = mark;
    }
}

void LinkRunner::prepare()
{
    leaveFeed();
    setPhase(LinkState::Connecting);
    const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
    if (!database)
        throw FerryError(QCoreApplication::translate("LinkRunner", "node %1 has no database \"%2\"").arg(m_config.name, m_link.sourceDatabase));
    if (m_source && m_source->connectionLost()) {
        // A database server that restarted left this connection dead: a new one.
        m_source.reset();
        m_markStore.reset();
        m_changeNotices = false;
    }
    if (!m_source)
        m_source = Store::open(database->source, Store::Options{false, 5000, true});   // the node's DatabaseService checkpoints
    m_sourceStamp = m_source->schemaStamp(m_link.sourceTable);   // before: a change meanwhile shows at the next batch
    m_sourceSchema = m_source->describe(m_link.sourceTable);
    m_source->setRowFilter(m_link.sourceTable, m_link.filter);

    NodeClient::Options options;
    options.clientName = m_config.name;
    options.connectTimeoutMs = 5000;
    options.compress = m_link.compression;
    options.maxBytesPerSecond = m_link.bandwidthMBps * 1e6;
    // The target answers a heartbeat every heartbeatMs: 40 of them unanswered (10 s at
    // least) is a target that vanished without closing the connection.
    options.silenceTimeoutMs = std::max(10000, 40 * m_heartbeatMs);
    m_connection = std::make_unique<NodeClientThread>(m_link.targetHost, m_link.targetPort, m_tls, options);
    const NodeHello hello = m_connection->connectAndWait();
    if (!m_link.targetNode.isEmpty() && hello.node != m_link.targetNode)
        throw FerryError(QCoreApplication::translate("LinkRunner", "%1:%2 is node %3, not %4").arg(m_link.targetHost).arg(m_link.targetPort).arg(hello.node, m_link.targetNode));
    m_target = std::make_unique<RemoteEndpoint>(m_connection->client(), m_link.targetDatabase, m_link.id);
    if (definition().rejoin)
        rejoinTarget();
    // The target learns of the link (so that it can fail over without this node, and takes
    // this link's requests for the table only from this node) and refuses it when it knows
    // of a newer epoch for the table pair. Before anything is written on the target: a
    // former primary coming back must not put the replica guard on the table of the node
    // that took over from it, nor create or fill it.
    request(protocol::Type::LinkRegister, QCborMap{{QStringLiteral("link"), m_link.toCbor()}, {QStringLiteral("source_port"), m_config.listenPort}});

    // The target table: created from the source's schema when it is missing.
    bool exists = false;
    for (const QCborValue &name : MessageFields(request(protocol::Type::Tables, QCborMap{{QStringLiteral("db"), m_link.targetDatabase}}))
                                       .array(QLatin1StringView("tables")))
        exists = exists || name.toString() == m_link.targetTable;
    if (!exists) {
        TableSchema schema = m_sourceSchema;
        schema.table = m_link.targetTable;
        request(protocol::Type::CreateTable, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                                      {QStringLiteral("link"), m_link.id},
                                                      {QStringLiteral("schema"), wirecodec::encodeSchema(schema)}});
        qInfo().noquote() << QCoreApplication::translate("LinkRunner", "link %1: created table %2 on %3").arg(m_link.id, m_link.targetTable, hello.node);
        bool lost = false;
        {
            QMutexLocker locker(&m_mutex);
            lost = m_checkpoint.synced;
            if (lost) {
                // The table was there and is gone: dropped behind the link. The feed alone
                // would bring back only the rows changed from now on.
                m_checkpoint.synced = false;
                m_checkpoint.resyncReason = QStringLiteral("target");
            }
        }
        if (lost) {
            const QString detail = QCoreApplication::translate("LinkRunner", "%1 on %2 was dropped behind the link; created it again from the schema of %3, "
                                                               "copying the whole table")
                                       .arg(m_link.targetTable, hello.node, m_link.sourceTable);
            qWarning().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2").arg(m_link.id, detail);
            emit eventOccurred(1, m_link.id, QCoreApplication::translate("LinkRunner", "target table replaced"), detail);
        } else
            emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "target table created"),
                               QCoreApplication::translate("LinkRunner", "%1 on %2, from the schema of %3").arg(m_link.targetTable, hello.node, m_link.sourceTable));
    }
    m_targetSchema = m_target->describe(m_link.targetTable).result();
    const QString difference = schemaDifference(m_sourceSchema, m_targetSchema);
    if (!difference.isEmpty() && checkpoint().synced)
        throw WireError(protocol::ErrorCode::SchemaChanged, QCoreApplication::translate("LinkRunner", "schema changed: %1; resync the link once both tables match").arg(difference));
    if (!difference.isEmpty())
        throw FerryError(QCoreApplication::translate("LinkRunner", "schemas differ: %1").arg(difference));

    const bool oneWay = m_link.direction == LinkDefinition::Direction::OneWay;
    m_guardMessage = QCoreApplication::translate("LinkRunner", "ferry: table %1 on %2 is a read-only replica of %3 on %4 (link %5); write to %4")
                         .arg(m_link.targetTable, hello.node, m_link.sourceTable, m_config.name, m_link.id);
    request(protocol::Type::Guard, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                            {QStringLiteral("table"), m_link.targetTable},
                                            {QStringLiteral("on"), oneWay},
                                            {QStringLiteral("link"), m_link.id},
                                            {QStringLiteral("epoch"), m_link.epoch},
                                            {QStringLiteral("message"), m_guardMessage}});

    const bool fromWal = capturesFromWal(m_link, database->source);
    if (m_link.mode == LinkDefinition::Mode::Continuous && !fromWal) {
        m_source->installCapture(m_sourceSchema);
        // Where the database can say when changes commit (Store::notifyOnChanges), stream
        // them at once instead of at the next poll; the poll stays for whatever a notice
        // misses. Not while backing off after an error.
        // A PostgreSQL NOTIFY wakes every listening connection of the database, whatever
        // its channel: of a database link's tables one listens, on all their channels
        // (listenForFeed()), and wakes the feed for all.
        if (!m_changeNotices && (!m_feed || database->source.kind != DataSource::Kind::Postgres || m_feed->claimListener(m_link.id))) {
            m_changeNotices = m_source->notifyOnChanges(m_link.sourceTable, [this] { onChangeNotice(); });
            m_listened = {m_link.sourceTable};
        }
        // Read before the lock: stats() (the node's thread) must never wait for a database.
        const LinkCheckpoint before = checkpoint();
        const qint64 head = !before.synced && before.startSeq == 0 ? m_source->lastChangeSeq(m_sourceSchema) : 0;
        QMutexLocker locker(&m_mutex);
        if (!m_checkpoint.synced && m_checkpoint.startSeq == 0)
            m_checkpoint.startSeq = head;
    }
    const qint64 applied = MessageFields(request(protocol::Type::Applied, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                                                                  {QStringLiteral("link"), m_link.appliedKey()}}))
                               .integer(QLatin1StringView("seq"), 0, LLONG_MAX);
    bool lost = false;
    qint64 acked = 0;
    {
        QMutexLocker locker(&m_mutex);
        // The target acknowledged more than it now has (a power loss took commits its
        // database had not synced, or it was restored from a backup), and this node may
        // have pruned those changes from its log: the feed alone would never bring them
        // back. A verification round repairs the table, then the feed goes on from what
        // the target has.
        acked = m_checkpoint.ackedSeq;
        if (m_checkpoint.synced && applied < acked) {
            lost = true;
            m_checkpoint.synced = false;
        }
        m_cursor = std::max(applied, m_checkpoint.startSeq);
        m_checkpoint.ackedSeq = m_cursor;
        m_stats.ackedSeq = m_cursor;
    }
    m_targetApplied = applied;
    if (fromWal)
        prepareWalCapture(applied);
    if (lost) {
        const QString detail = QCoreApplication::translate("LinkRunner", "%1 has applied changes up to %2 but had acknowledged up to %3; verifying the whole table")
                                   .arg(hello.node)
                                   .arg(applied)
                                   .arg(acked);
        qWarning().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2").arg(m_link.id, detail);
        emit eventOccurred(1, m_link.id, QCoreApplication::translate("LinkRunner", "target lost acknowledged changes"), detail);
    }
    if (m_link.mode == LinkDefinition::Mode::Continuous) {
        m_acks->set(m_link.sourceDatabase, m_link.sourceTable, m_link.id, m_cursor);
        // A source database restored from a backup while this node was away, or replaced.
        checkSourceMark();
    }

    if (m_link.direction == LinkDefinition::Direction::Bidirectional && m_link.reverseOf.isEmpty()) {
        // The other direction runs on the target node, towards this node.
        LinkDefinition reverse = m_link;
        reverse.id = m_link.id + QStringLiteral(".reverse");
        reverse.reverseOf = m_link.id;
        reverse.paused = false;   // this half runs (m_link.paused is the flag it was created with)
        reverse.sourceDatabase = m_link.targetDatabase;
        reverse.sourceTable = m_link.targetTable;
        reverse.targetHost.clear();   // the target node uses the address this connection comes from
        reverse.targetPort = m_config.listenPort;
        reverse.targetDatabase = m_link.sourceDatabase;
        reverse.targetTable = m_link.sourceTable;
        reverse.sourceNode = hello.node;
        reverse.targetNode = m_config.name;
        if (m_link.conflicts == LinkDefinition::Conflicts::SourceWins)
            reverse.conflicts = LinkDefinition::Conflicts::TargetWins;
        else if (m_link.conflicts == LinkDefinition::Conflicts::TargetWins)
            reverse.conflicts = LinkDefinition::Conflicts::SourceWins;
        try {
            request(protocol::Type::LinkCreate, QCborMap{{QStringLiteral("link"), reverse.toCbor()}});
        } catch (const WireError &error) {
            if (error.code() != protocol::ErrorCode::LinkExists)
                throw;
        }
    }
    m_prepared = true;
    emit checkpointChanged(m_link.id);
}

void LinkRunner::runRound()
{
    const LinkCheckpoint before = checkpoint();
    const bool initial = !before.synced;
    setPhase(!before.resyncReason.isEmpty() ? LinkState::Resyncing : initial ? LinkState::Syncing : LinkState::Verifying);
    refreshFigures();
    VerifierOptions options;
    options.repair = true;
    options.blockRows = m_link.blockRows;
    options.targetBlockMs = m_link.blockMs;
    options.digest = m_link.digest;
    BlockVerifier verifier(*m_source, m_sourceSchema, *m_target, m_targetSchema, options);
    connect(&verifier, &BlockVerifier::progressUpdated, this, [this](const VerificationProgress &progress) {
        {
            QMutexLocker locker(&m_mutex);
            m_stats.blocks = progress.blocksPlanned;
            m_stats.blocksVerified = progress.stateCounts[int(BlockState::Equal)] + progress.stateCounts[int(BlockState::Repaired)]
                                     + progress.stateCounts[int(BlockState::Failed)];
            m_stats.blocksDiffering = progress.stateCounts[int(BlockState::Differs)] + progress.stateCounts[int(BlockState::Repairing)];
            m_stats.blocksRepaired = progress.stateCounts[int(BlockState::Repaired)];
        }
        emit progressUpdated(m_link.id, progress);
    }, Qt::DirectConnection);
    {
        QMutexLocker locker(&m_mutex);
        if (m_stopping || m_paused)
            return;
        m_verifier = &verifier;
    }
    VerificationSummary summary;
    try {
        summary = verifier.run();
    } catch (...) {
        QMutexLocker locker(&m_mutex);
        m_verifier = nullptr;
        if (m_paused && !m_stopping)
            return;   // cancelled by pause: the round runs again on resume
        throw;
    }
    {
        QMutexLocker locker(&m_mutex);
        m_verifier = nullptr;
        m_stats.blocks = summary.blocks;
        m_stats.blocksVerified = summary.blocks;
        m_stats.blocksDiffering = summary.blocksDiffering;
        m_stats.blocksRepaired = summary.blocksRepaired;
        m_stats.lastVerifyAtMs = nowMs();
        m_checkpoint.lastVerifyAtMs = m_stats.lastVerifyAtMs;
        m_checkpoint.synced = true;
        m_checkpoint.verifyPending = false;
        m_checkpoint.resyncReason.clear();
        m_stats.lastProgressMs = nowMs();
    }
    qInfo().noquote() << (initial ? QCoreApplication::translate("LinkRunner", "link %1: initial sync done: %2 blocks, %3 differed, %4 repaired, %5 rows sent, %6 s")
                                  : QCoreApplication::translate("LinkRunner", "link %1: verification done: %2 blocks, %3 differed, %4 repaired, %5 rows sent, %6 s"))
                             .arg(m_link.id)
                             .arg(summary.blocks).arg(summary.blocksDiffering).arg(summary.blocksRepaired).arg(summary.rowsSent)
                             .arg(summary.seconds, 0, 'f', 2);
    emit eventOccurred(0, m_link.id, initial ? QCoreApplication::translate("LinkRunner", "initial sync done") : QCoreApplication::translate("LinkRunner", "verification done"),
                       QCoreApplication::translate("LinkRunner", "%1 blocks, %2 differed, %3 repaired, %4 rows sent in %5 s")
                           .arg(summary.blocks).arg(summary.blocksDiffering).arg(summary.blocksRepaired).arg(summary.rowsSent).arg(summary.seconds, 0, 'f', 2));
    if (!summary.identicalAfter)
        noteError(QCoreApplication::translate("LinkRunner", "%1 blocks still differ after repair: %2").arg(summary.blocksFailed).arg(summary.failures.join(QLatin1String("; "))));
    emit checkpointChanged(m_link.id);
}

QList<RangeDifferences> LinkRunner::lastDifferences() const
{
    QMutexLocker locker(&m_mutex);
    return m_lastDifferences;
}

void LinkRunner::runCheck()
{
    // Asked for again when it does not complete (a pause, a lost connection): it runs on
    // resume, or after the error's backoff.
    bool completed = false;
    const auto again = qScopeGuard([this, &completed] {
        if (!completed && !m_stopping)
            m_checkRequested = true;
    });
    setPhase(LinkState::Verifying);
    refreshFigures();
    VerifierOptions options;
    options.repair = false;
    options.listKeys = 1000;
    options.blockRows = m_link.blockRows;
    options.targetBlockMs = m_link.blockMs;
    options.digest = m_link.digest;
    BlockVerifier verifier(*m_source, m_sourceSchema, *m_target, m_targetSchema, options);
    connect(&verifier, &BlockVerifier::progressUpdated, this, [this](const VerificationProgress &progress) {
        {
            QMutexLocker locker(&m_mutex);
            m_stats.blocks = progress.blocksPlanned;
            m_stats.blocksVerified = progress.stateCounts[int(BlockState::Equal)] + progress.stateCounts[int(BlockState::Differs)];
            m_stats.blocksDiffering = progress.stateCounts[int(BlockState::Differs)];
            m_stats.blocksRepaired = 0;
        }
        emit progressUpdated(m_link.id, progress);
    }, Qt::DirectConnection);
    {
        QMutexLocker locker(&m_mutex);
        if (m_stopping || m_paused)
            return;
        m_verifier = &verifier;
    }
    VerificationSummary summary;
    try {
        summary = verifier.run();
    } catch (...) {
        QMutexLocker locker(&m_mutex);
        m_verifier = nullptr;
        if (m_paused && !m_stopping)
            return;
        throw;
    }
    {
        QMutexLocker locker(&m_mutex);
        m_verifier = nullptr;
    }
    // The blocks were read while applications went on writing: a change captured on the
    // source and not yet applied on the target is not drift. The feed catches up first
    // (bounded), then every differing block is compared again and only what still differs
    // is reported.
    QList<RangeDifferences> remaining;
    qint64 missing = 0;
    qint64 extra = 0;
    qint64 different = 0;
    if (!summary.differences.isEmpty()) {
        if (m_link.mode == LinkDefinition::Mode::Continuous) {
            QElapsedTimer draining;
            draining.start();
            while (!m_paused && !m_stopping && draining.elapsed() < 10000 && streamOnce()) {
            }
        }
        QList<BlockInfo> blocks = verifier.blocks();
        VerificationProgress settled;
        constexpr int MaxRangeRows = protocol::MaxScanRows;
        qsizetype listed = 0;
        for (const RangeDifferences &before : std::as_const(summary.differences)) {
            QFuture<QList<Row>> targetRows = m_target->readRange(m_targetSchema, before.range, MaxRangeRows);
            const QList<Row> sourceRows = readRows(*m_source, m_sourceSchema, before.range, MaxRangeRows);
            targetRows.waitForFinished();
            RangeDifferences now = diffRows(m_sourceSchema, sourceRows, targetRows.result(), int(std::max<qsizetype>(0, options.listKeys - listed)));
            now.block = before.block;
            now.range = before.range;
            listed += now.rows.size();
            if (now.total() == 0) {
                blocks[before.block].state = BlockState::Equal;
                settled.changedBlocks.append({before.block, blocks.at(before.block)});
                continue;
            }
            missing += now.missing;
            extra += now.extra;
            different += now.different;
            remaining.append(now);
        }
        if (!settled.changedBlocks.isEmpty()) {
            settled.blocksPlanned = int(blocks.size());
            settled.planningDone = true;
            for (const BlockInfo &block : std::as_const(blocks))
                ++settled.stateCounts[int(block.state)];
            settled.rowsCompared = summary.rowsCompared;
            emit progressUpdated(m_link.id, settled);
        }
    }
    {
        QMutexLocker locker(&m_mutex);
        m_lastDifferences = remaining;
        m_stats.blocks = summary.blocks;
        m_stats.blocksVerified = summary.blocks;
        m_stats.blocksDiffering = int(remaining.size());
        m_stats.blocksRepaired = 0;
        m_stats.lastVerifyAtMs = nowMs();
        m_stats.lastProgressMs = nowMs();
    }
    const QString outcome = remaining.isEmpty()
        ? QCoreApplication::translate("LinkRunner", "%1 blocks, all equal (read-only, nothing changed; %2 blocks differed only until the feed caught up)")
              .arg(summary.blocks).arg(summary.blocksDiffering)
        : QCoreApplication::translate("LinkRunner", "%1 blocks, %2 differ: %3 keys missing on the target, %4 extra, %5 with other values "
                                                    "(read-only, nothing changed; Repair makes the target match)")
              .arg(summary.blocks).arg(remaining.size()).arg(missing).arg(extra).arg(different);
    completed = true;
    qInfo().noquote() << QCoreApplication::translate("LinkRunner", "link %1: check done: %2").arg(m_link.id, outcome);
    emit eventOccurred(remaining.isEmpty() ? 0 : 1, m_link.id, QCoreApplication::translate("LinkRunner", "verification (read-only) done"), outcome);
}

bool LinkRunner::streamOnce()
{
    if (m_capture)
        return streamWal();
    // Both ways: how much of the other node's log had been applied here when the batch was
    // read (read before the rows, so never more than they include). The other node counts
    // its own changes after that as unseen by these rows, acknowledged since or not: a
    // change of the same row crossing this batch on the wire is a conflict there too.
    if (m_link.direction == LinkDefinition::Direction::Bidirectional) {
        const QString peerLink = m_link.reverseOf.isEmpty() ? m_link.id + QStringLiteral(".reverse") : m_link.reverseOf;
        m_peerApplied = m_source->appliedSeq(peerLink + QLatin1Char('@') + QString::number(m_link.epoch));
    }
    const double wakeMs = m_noticeAt.isValid() ? m_noticeAt.nsecsElapsed() / 1e6 : -1;
    m_noticeAt.invalidate();
    const qint64 readAtUs = nowUs();
    m_headReadAtUs = readAtUs;   // every change committed after this is beyond the head sent
    QElapsedTimer reading;
    reading.start();
    QList<Change> changes;
    try {
        changes = m_source->readChanges(m_sourceSchema, m_cursor, BatchChanges);
        // Bounded by bytes too: a frame holds at most protocol::MaxFrameSize.
        qint64 bytes = 0;
        for (qsizetype i = 0; i < changes.size(); ++i) {
            bytes += approximateRowBytes(changes.at(i).row);
            if (bytes > PartBytes && i > 0) {
                changes.resize(i);
                m_partCut = true;
                break;
            }
        }
    } catch (const FerryError &) {
        sourceSchemaMoved();   // a column gone: say so rather than what the database said
        throw;
    }
    // After the read: an unchanged stamp means the rows were read with the schema held.
    // Idle, a few times a second is enough.
    if (!changes.isEmpty() || !m_sinceSchemaCheck.isValid() || m_sinceSchemaCheck.elapsed() >= 100) {
        m_sinceSchemaCheck.start();
        if (sourceSchemaMoved())
            return true;   // the stamp moved, the columns did not: read again
    }
    if (changes.isEmpty()) {
        {
            QMutexLocker locker(&m_mutex);
            m_stats.pending = 0;
            m_oldestPendingAtUs = 0;
            m_stats.lastProgressMs = nowMs();
        }
        // Nothing to send: a heartbeat (an empty batch) tells the target this node is alive
        // and where its log stands; it answers with a newer epoch if there is one.
        if (!m_sinceSent.isValid() || m_sinceSent.elapsed() >= m_heartbeatMs)
            sendApply({}, m_cursor, m_cursor, nullptr, nullptr);
        return false;
    }
    const qint64 last = changes.constLast().seq;
    // Cut by bytes, the batch may end inside a source transaction: the target keeps it
    // until a batch that was not (the rest of the log as it was read, or a full batch of
    // changes as before), then applies them all in one transaction.
    const bool cut = std::exchange(m_partCut, false);
    bool final = !cut;
    if (cut) {
        for (const Change &change : changes)
            m_stagedBytes += approximateRowBytes(change.row);
        if (m_stagedBytes > StagedBytes) {
            final = true;
            emit eventOccurred(1, m_link.id, QCoreApplication::translate("LinkRunner", "large transaction"),
                               QCoreApplication::translate("LinkRunner", "more than %1 MB of changes without a known transaction boundary: applied in parts up to change %2")
                                   .arg(StagedBytes >> 20)
                                   .arg(last));
        }
    }
    if (final)
        m_stagedBytes = 0;
    // Changes this node's applier wrote for the other direction go no further (no echo).
    QList<Change> batch;
    batch.reserve(changes.size());
    for (const Change &change : changes) {
        if (m_link.direction == LinkDefinition::Direction::OneWay || change.origin != m_link.targetNode || m_link.targetNode.isEmpty())
            batch.append(change);
    }
    // A short batch is everything the log held when it was read: its last change is the
    // head. Only a full batch costs a query for where the log stands.
    const bool more = changes.size() == BatchChanges || cut;
    const qint64 head = more ? std::max(last, m_source->lastChangeSeq(m_sourceSchema)) : last;
    {
        // What waits while this batch travels: at least the batch, from its first change.
        QMutexLocker locker(&m_mutex);
        m_stats.pending = std::max<qint64>(m_stats.pending, changes.size());
        m_oldestPendingAtUs = changes.first().committedAtUs;
    }
    qint64 applied = 0;
    qint64 conflicts = 0;
    if (lcLinkTiming().isDebugEnabled()) {
        if (wakeMs >= 0)
            m_timings.wake.push_back(wakeMs);
        m_timings.waited.push_back(std::max<qint64>(0, readAtUs - changes.first().committedAtUs) / 1000.0);
        m_timings.read.push_back(reading.nsecsElapsed() / 1e6);
        m_timings.changes += changes.size();
    }
    sendApply(batch, last, head, &applied, &conflicts, final);
    m_cursor = last;
    if (!final)
        return true;   // kept by the target: the next part at once, acknowledged with the last
    m_acks->set(m_link.sourceDatabase, m_link.sourceTable, m_link.id, last);
    // A short batch was everything the log held when it was read; after a full one, count.
    Store::Backlog backlog;
    if (more)
        backlog = m_source->backlog(m_sourceSchema, last);
    {
        QMutexLocker locker(&m_mutex);
        m_checkpoint.ackedSeq = last;
        m_stats.ackedSeq = last;
        m_stats.pending = backlog.changes;
        m_oldestPendingAtUs = backlog.oldestAtUs;
        m_stats.lastProgressMs = nowMs();
    }
    pruneEverySecond();
    logTimings();
    return more;
}

void LinkRunner::onChangeNotice()
{
    if (m_feed)
        m_feed->noteChange();
    if (!m_noticeAt.isValid())
        m_noticeAt.start();
    if (m_timer && m_prepared && !m_stopping && !m_paused && m_backoffMs == 0)
        m_timer->start(0);
}

void LinkRunner::listenForFeed()
{
    if (!m_feed || (m_sinceListened.isValid() && m_sinceListened.elapsed() < 1000))
        return;
    m_sinceListened.start();
    const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
    if (!database || database->source.kind != DataSource::Kind::Postgres)
        return;
    if (!m_changeNotices) {
        // The runner that listened stopped: this one takes over.
        if (!m_feed->claimListener(m_link.id))
            return;
        m_listened.clear();
    }
    for (const QString &table : m_feed->tables()) {
        if (!m_listened.contains(table) && m_source->notifyOnChanges(table, [this] { onChangeNotice(); })) {
            m_listened.insert(table);
            m_changeNotices = true;
        }
    }
}

bool LinkRunner::streamFeed()
{
    if (!m_inFeed) {
        TransactionFeed::Member member;
        member.linkId = m_link.id;
        member.appliedKey = m_link.appliedKey();
        member.epoch = m_link.epoch;
        member.sourceDatabase = m_link.sourceDatabase;
        member.targetTable = m_link.targetTable;
        member.schema = m_sourceSchema;
        member.stamp = m_sourceStamp;
        member.cursor = m_cursor;
        if (!m_feed->join(member))
            return streamOnce();   // the feed rests after a failure: alone meanwhile   // the feed rests after a failure: alone meanwhile
        m_inFeed = true;
    }
    // A schema change is this runner's to handle: streamOnce() does, alone.
    if (!m_sinceSchemaCheck.isValid() || m_sinceSchemaCheck.elapsed() >= 100) {
        m_sinceSchemaCheck.start();
        if (m_source->schemaStamp(m_link.sourceTable) != m_sourceStamp) {
            // Often a false alarm (SQLite's stamp moves with any table's DDL): the table stays
            // in the feed, which reads it with the columns it joined with, unless its columns
            // changed (schema_changed, caught by step(); or ADD COLUMN's round).
            sourceSchemaMoved();
            if (m_resyncRequested)
                leaveFeed();
            return true;
        }
    }
    listenForFeed();
    const bool more = m_feed->pump(*m_source, [this](QLatin1StringView type, const QCborMap &body) { return request(type, body); });
    absorbFeed();
    if (!m_inFeed)
        return true;   // let go (its schema moved, or the feed failed): alone from the next step
    if (!m_sinceFigures.isValid() || m_sinceFigures.elapsed() >= 500)
        refreshFigures();
    // The target hears this node is alive, and where its log stands, from every table.
    if (!m_sinceSent.isValid() || m_sinceSent.elapsed() >= m_heartbeatMs) {
        m_headReadAtUs = nowUs();
        sendApply({}, m_cursor, std::max(m_cursor, m_source->lastChangeSeq(m_sourceSchema)), nullptr, nullptr);
    }
    pruneEverySecond();
    return more;
}

void LinkRunner::pruneEverySecond()
{
    if (m_sincePrune.elapsed() < 1000)
        return;
    m_sincePrune.restart();
    const qint64 lowest = m_acks->lowest(m_link.sourceDatabase, m_link.sourceTable);
    if (lowest > 0)
        m_source->pruneChanges(m_sourceSchema, lowest);
    emit checkpointChanged(m_link.id);
}

bool LinkRunner::waitForParents()
{
    if (!m_parentsRead) {
        m_parents = m_source->referencedTables(m_link.sourceTable);
        m_parentsRead = true;
    }
    const QStringList waiting = m_feed->unsyncedParents(m_link.sourceTable, m_parents);
    if (!waiting.isEmpty() && !m_parentsWaitNoted) {
        m_parentsWaitNoted = true;
        emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "waiting"),
                           QCoreApplication::translate("LinkRunner", "the initial sync of %1 waits for that of the tables it references: %2")
                               .arg(m_link.sourceTable, waiting.join(QLatin1String(", "))));
    }
    return !waiting.isEmpty();
}

void LinkRunner::leaveFeed()
{
    if (!m_inFeed || !m_feed)
        return;
    const qint64 cursor = m_feed->leave(m_link.id);
    absorbFeed();
    m_inFeed = false;
    if (cursor > m_cursor)
        m_cursor = cursor;
}

void LinkRunner::absorbFeed()
{
    TransactionFeed::Progress progress = m_feed->take(m_link.id);
    if (!progress.joined) {
        m_inFeed = false;
        if (!progress.letGo.isEmpty())
            qCDebug(lcLinkTiming).noquote() << QCoreApplication::translate("LinkRunner", "link %1 streams alone: %2").arg(m_link.id, progress.letGo);
    }
    if (progress.cursor > m_cursor) {
        m_cursor = progress.cursor;
        QMutexLocker locker(&m_mutex);
        m_checkpoint.ackedSeq = m_cursor;
        m_stats.ackedSeq = m_cursor;
        m_stats.lastProgressMs = nowMs();
    }
    if (progress.applied == 0)
        return;
    m_rateApplied += progress.applied;
    m_rateBytes += progress.bytes;
    {
        QMutexLocker locker(&m_mutex);
        m_stats.appliedTotal += progress.applied;
        m_stats.bytesTotal += progress.bytes;
    }
    noteLags(progress.lagsMs);
}

void LinkRunner::noteLags(const std::vector<double> &lagsMs)
{
    for (const double lag : lagsMs) {
        m_lags.push_back(lag);
        if (m_lags.size() > 1000)
            m_lags.pop_front();
    }
    if (m_lags.empty())
        return;
    std::vector<double> sorted(m_lags.begin(), m_lags.end());
    std::sort(sorted.begin(), sorted.end());
    QMutexLocker locker(&m_mutex);
    m_stats.lagP50Ms = sorted[sorted.size() / 2];
    m_stats.lagP99Ms = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)];
}

bool LinkRunner::columnsAddedAtEnd(const TableSchema &before, const TableSchema &now) const
{
    // One way only: on a bidirectional link the other side's changes would arrive without
    // the columns until it is altered too.
    if (m_link.direction != LinkDefinition::Direction::OneWay || now.columns.size() <= before.columns.size() || now.primaryKey != before.primaryKey)
        return false;
    for (qsizetype i = 0; i < before.columns.size(); ++i) {
        if (now.columns.at(i).name != before.columns.at(i).name || now.columns.at(i).type != before.columns.at(i).type)
            return false;
    }
    return true;
}

void LinkRunner::addColumnsOnTarget(const TableSchema &now)
{
    // The round is kept in the checkpoint before the target is altered: a node killed
    // after the target has the columns finds both schemas equal when it starts again, and
    // only the pending round still copies the values the rows had before.
    {
        QMutexLocker locker(&m_mutex);
        m_checkpoint.verifyPending = true;
        m_checkpoint.resyncReason = QStringLiteral("schema");
    }
    emit checkpointChanged(m_link.id);
    TableSchema target = now;
    target.table = m_link.targetTable;
    const Message reply = request(protocol::Type::AddColumns, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                                                      {QStringLiteral("link"), m_link.id},
                                                                      {QStringLiteral("schema"), wirecodec::encodeSchema(target)}});
    QStringList added;
    for (const QCborValue &name : MessageFields(reply).array(QLatin1StringView("added")))
        added.append(name.toString());
    m_sourceSchema = now;
    m_targetSchema = m_target->describe(m_link.targetTable).result();
    // The rows the source had before hold the columns' defaults, which the target does not
    // know: a whole-table round copies them. The changes captured meanwhile are read again
    // with the new columns (the log holds keys; a WAL stream starts again after the round).
    m_resyncRequested = true;
    const QString detail = QCoreApplication::translate("LinkRunner", "%1 added to %2 on %3 and to %4 on %5; verifying the whole table for their values")
                               .arg(added.isEmpty() ? QCoreApplication::translate("LinkRunner", "no column") : added.join(QLatin1String(", ")),
                                    m_link.sourceTable, m_config.name, m_link.targetTable, m_link.targetNode);
    qInfo().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2").arg(m_link.id, detail);
    emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "columns added"), detail);
}

bool LinkRunner::sourceSchemaMoved()
{
    const QByteArray stamp = m_source->schemaStamp(m_link.sourceTable);
    if (stamp == m_sourceStamp)
        return false;
    QString change;
    TableSchema now;
    try {
        now = m_source->describe(m_link.sourceTable);
        change = schemaChange(m_sourceSchema, now);
    } catch (const FerryError &error) {
        change = error.message();
    }
    if (!change.isEmpty() && columnsAddedAtEnd(m_sourceSchema, now)) {
        addColumnsOnTarget(now);
        m_sourceStamp = stamp;
        return true;
    }
    if (!change.isEmpty())
        throw WireError(protocol::ErrorCode::SchemaChanged,
                        QCoreApplication::translate("LinkRunner", "schema changed: %1 (on %2); nothing of it was applied; resync the link once both tables match")
                            .arg(change, m_config.name));
    m_sourceStamp = stamp;
    return true;
}

void LinkRunner::logTimings()
{
    if (!lcLinkTiming().isDebugEnabled())
        return;
    if (!m_timings.since.isValid())
        m_timings.since.start();
    if (m_timings.since.elapsed() < 5000)
        return;
    const auto quantiles = [](std::vector<double> &values) {
        if (values.empty())
            return QStringLiteral("-");
        std::sort(values.begin(), values.end());
        const auto at = [&values](double q) { return values[std::min(values.size() - 1, size_t(q * values.size()))]; };
        return QStringLiteral("%1/%2/%3").arg(at(0.5), 0, 'f', 2).arg(at(0.99), 0, 'f', 2).arg(values.back(), 0, 'f', 2);
    };
    const size_t batches = m_timings.read.size();
    qCDebug(lcLinkTiming).noquote() << QStringLiteral("link %1: %2 batches, %3 changes in %4 s; ms p50/p99/max: first change's commit to read %5, "
                                                      "notice to read %6, read %7, round trip %8 (target: queued %9, transaction %10)")
                                           .arg(m_link.id)
                                           .arg(batches)
                                           .arg(m_timings.changes)
                                           .arg(m_timings.since.elapsed() / 1000.0, 0, 'f', 1)
                                           .arg(quantiles(m_timings.waited), quantiles(m_timings.wake), quantiles(m_timings.read),
                                                quantiles(m_timings.roundTrip), quantiles(m_timings.queued), quantiles(m_timings.work));
    m_timings = StreamTimings();
    m_timings.since.start();
}

void LinkRunner::sendApply(const QList<Change> &batch, qint64 last, qint64 head, qint64 *appliedOut, qint64 *conflictsOut, bool final)
{
    const qint64 bytesBefore = m_connection->client()->bytesWritten() + m_connection->client()->bytesRead();
    QString winner;
    if (m_link.conflicts == LinkDefinition::Conflicts::SourceWins)
        winner = m_config.name;
    else if (m_link.conflicts == LinkDefinition::Conflicts::TargetWins)
        winner = m_link.targetNode;
    const QString peerLink = m_link.reverseOf.isEmpty() ? m_link.id + QStringLiteral(".reverse") : m_link.reverseOf;
    const qint64 sentAtUs = nowUs();
    const QCborMap body{{QStringLiteral("db"), m_link.targetDatabase},
                        {QStringLiteral("table"), m_link.targetTable},
                        {QStringLiteral("link"), m_link.appliedKey()},
                        {QStringLiteral("link_id"), m_link.id},
                        {QStringLiteral("peer_link"), peerLink},
                        {QStringLiteral("peer_applied"), m_peerApplied},
                        {QStringLiteral("last_seq"), last},
                        {QStringLiteral("epoch"), m_link.epoch},
                        // Where this node's log stands, for the target's recovery point.
                        {QStringLiteral("head_seq"), head},
                        {QStringLiteral("head_at_us"), m_headReadAtUs > 0 ? m_headReadAtUs : sentAtUs},
                        {QStringLiteral("oldest_unacked_at_us"), batch.isEmpty() ? qint64(0) : batch.first().committedAtUs},
                        // Whether this node's table is fenced by a write lease, and for how long
                        // an answer keeps it writable (the target's failover waits for it).
                        {QStringLiteral("leased"), m_leased.load()},
                        {QStringLiteral("lease_ms"), writelease::leaseMs(m_link.failoverTimeoutMs)},
                        {QStringLiteral("changes"), wirecodec::encodeChanges(m_sourceSchema, batch)},
                        {QStringLiteral("final"), final},
                        {QStringLiteral("conflicts"), QCborMap{{QStringLiteral("detect"), m_link.direction == LinkDefinition::Direction::Bidirectional},
                                                               {QStringLiteral("policy"), LinkDefinition::conflictsName(m_link.conflicts)},
                                                               {QStringLiteral("winner"), winner},
                                                               {QStringLiteral("ts_column"), m_link.timestampColumn}}}};
    QElapsedTimer roundTrip;
    roundTrip.start();
    Message reply;
    try {
        reply = request(protocol::Type::Apply, body);
    } catch (const WireError &error) {
        if (error.code() != protocol::ErrorCode::SchemaChanged)
            throw;
        throw WireError(error.code(), QCoreApplication::translate("LinkRunner", "%1 on %2; resync the link once both tables match").arg(error.message(), m_link.targetNode));
    }
    m_sinceSent.restart();
    m_rttMs = roundTrip.nsecsElapsed() / 1e6;
    m_lastAckMs = nowMs();
    keepWriteLease(reply, sentAtUs);
    if (batch.isEmpty())
        return;
    const qint64 ackedAtUs = nowUs();
    const MessageFields fields(reply);
    const qint64 applied = fields.integer(QLatin1StringView("applied"), 0, INT_MAX, 0);
    const qint64 conflicts = fields.integer(QLatin1StringView("conflicts"), 0, INT_MAX, 0);
    if (lcLinkTiming().isDebugEnabled()) {
        m_timings.roundTrip.push_back(m_rttMs);
        m_timings.queued.push_back(fields.integer(QLatin1StringView("queued_us"), 0, LLONG_MAX, 0) / 1000.0);
        m_timings.work.push_back(fields.integer(QLatin1StringView("work_us"), 0, LLONG_MAX, 0) / 1000.0);
    }
    if (appliedOut)
        *appliedOut = applied;
    if (conflictsOut)
        *conflictsOut = conflicts;
    std::vector<double> lags;
    lags.reserve(size_t(batch.size()));
    for (const Change &change : batch)
        lags.push_back(std::max<qint64>(0, ackedAtUs - change.committedAtUs) / 1000.0);
    noteLags(lags);
    const qint64 bytes = m_connection->client()->bytesWritten() + m_connection->client()->bytesRead() - bytesBefore;
    m_rateBytes += bytes;
    m_rateApplied += applied;
    QMutexLocker locker(&m_mutex);
    m_stats.appliedTotal += applied;
    m_stats.bytesTotal += bytes;
    m_stats.conflicts += conflicts;
}

void LinkRunner::keepWriteLease(const Message &reply, qint64 sentAtUs)
{
    // The target received this request at or after sentAtUs: the lease runs from then.
    const qint64 untilUs = sentAtUs + qint64(writelease::leaseMs(m_link.failoverTimeoutMs)) * 1000;
    // Every answer says whether the target may promote itself (a batch's too: under a
    // steady load no heartbeat is ever sent).
    if (const QCborValue armedValue = reply.body.value(QStringLiteral("armed")); armedValue.isBool()) {
        const bool armed = armedValue.toBool();
        if (armed && !m_leased) {
            const QString message = QCoreApplication::translate("LinkRunner", "ferry: table %1 on %2 is fenced: its write lease lapsed because %3 has not "
                                                                              "confirmed %2 as primary (link %4); %3 may have taken over")
                                        .arg(m_link.sourceTable, m_config.name, m_link.targetNode, m_link.id);
            m_source->holdWriteLease(m_sourceSchema, m_link.id, untilUs, message);
            m_leased = true;
            m_leaseUntilUs = untilUs;
            emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "write lease taken"),
                               QCoreApplication::translate("LinkRunner", "%1 may promote itself: %2 takes writes only while %1 answers (lease %3 ms)")
                                   .arg(m_link.targetNode, m_link.sourceTable).arg(writelease::leaseMs(m_link.failoverTimeoutMs)));
            return;
        }
        if (!armed && (m_leased || !m_leaseChecked)) {
            // Also the first time after a start: a lease this link held before (the node
            // restarted, or its settings changed) must not fence the table for good.
            const bool held = m_leased || m_source->writeLeaseExpiry(m_link.sourceTable) >= 0;
            m_source->releaseWriteLease(m_link.sourceTable, m_link.id);
            m_leased = false;
            m_leaseChecked = true;
            if (held)
                emit eventOccurred(0, m_link.id, QCoreApplication::translate("LinkRunner", "write lease released"),
                                   QCoreApplication::translate("LinkRunner", "%1 will not promote itself automatically").arg(m_link.targetNode));
            return;
        }
        m_leaseChecked = true;
    }
    // Renewed about twice per heartbeat interval, not once per batch.
    if (m_leased && untilUs - m_leaseUntilUs >= qint64(m_heartbeatMs) * 500) {
        m_leased = m_source->renewWriteLease(m_link.sourceTable, m_link.id, untilUs);   // false: released meanwhile
        m_leaseUntilUs = untilUs;
    }
}

void LinkRunner::rejoinTarget()
{
    // The target was the primary before this node took over: it demotes itself, keeps
    // the changes this node never received in its conflicts table, and is then
    // resynchronized by the initial sync.
    const LinkDefinition link = definition();
    const Message reply = request(protocol::Type::Demote, QCborMap{{QStringLiteral("db"), link.targetDatabase},
                                                                    {QStringLiteral("table"), link.targetTable},
                                                                    {QStringLiteral("link"), link.id},
                                                                    {QStringLiteral("epoch"), link.epoch},
                                                                    {QStringLiteral("primary"), m_config.name},
                                                                    {QStringLiteral("primary_port"), m_config.listenPort},
                                                                    {QStringLiteral("applied_seq"), link.rejoinAppliedSeq}});
    const qint64 preserved = MessageFields(reply).integer(QLatin1StringView("preserved"), 0, LLONG_MAX, 0);
    qInfo().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2 rejoined as a replica; %3 changes it never replicated are kept in its conflicts table")
                             .arg(link.id, link.targetNode)
                             .arg(preserved);
    {
        QMutexLocker locker(&m_mutex);
        m_link.rejoin = false;
        m_checkpoint.synced = false;   // resynchronize the old primary by block verification
    }
    emit definitionChanged(m_link.id);
}

void LinkRunner::cleanUp(bool dropTarget)
{
    if (!m_connection || !m_prepared) {
        // A link in error has no connection: one attempt, so that removing it still lifts
        // its guard and the target forgets it.
        try {
            NodeClient::Options options;
            options.clientName = m_config.name;
            options.connectTimeoutMs = 5000;
            m_connection = std::make_unique<NodeClientThread>(m_link.targetHost, m_link.targetPort, m_tls, options);
            const NodeHello hello = m_connection->connectAndWait();
            if (!m_link.targetNode.isEmpty() && hello.node != m_link.targetNode)
                throw FerryError(QCoreApplication::translate("LinkRunner", "%1:%2 is node %3, not %4").arg(m_link.targetHost).arg(m_link.targetPort).arg(hello.node, m_link.targetNode));
            m_prepared = true;
        } catch (const FerryError &error) {
            m_connection.reset();
            emit eventOccurred(2, m_link.id, QCoreApplication::translate("LinkRunner", "replica guard not lifted"),
                               QCoreApplication::translate("LinkRunner", "%1 could not be reached (%2): table %3 there stays read-only until the guard is lifted")
                                   .arg(m_link.targetNode, error.message(), m_link.targetTable));
        }
    }
    bool dropped = false;
    if (dropTarget && m_connection && m_prepared) {
        try {
            request(protocol::Type::DropTable, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                                        {QStringLiteral("table"), m_link.targetTable},
                                                        {QStringLiteral("link"), m_link.id}});
            dropped = true;
            emit eventOccurred(1, m_link.id, QCoreApplication::translate("LinkRunner", "table dropped on the target"),
                               QCoreApplication::translate("LinkRunner", "%1 was dropped on %2; %3 on %4 dropped too (database link %5 drops them)")
                                   .arg(m_link.sourceTable, m_config.name, m_link.targetTable, m_link.targetNode, m_link.memberOf));
        } catch (const FerryError &error) {
            emit eventOccurred(2, m_link.id, QCoreApplication::translate("LinkRunner", "table not dropped on the target"),
                               QCoreApplication::translate("LinkRunner", "%1 on %2: %3; it is kept").arg(m_link.targetTable, m_link.targetNode, error.message()));
        }
    }
    try {
        if (m_connection && m_prepared && !dropped)
            request(protocol::Type::Guard, QCborMap{{QStringLiteral("db"), m_link.targetDatabase},
                                                    {QStringLiteral("table"), m_link.targetTable},
                                                    {QStringLiteral("on"), false},
                                                    {QStringLiteral("link"), m_link.id},
                                                    {QStringLiteral("message"), QString()}});
    } catch (const FerryError &error) {
        noteError(QCoreApplication::translate("LinkRunner", "could not lift the replica guard on the target: %1").arg(error.message()));
    }
    try {
        // The target forgets the link, or it would go on watching for this node's
        // heartbeats and fail the removed link over when this node is away.
        if (m_connection && m_prepared)
            request(protocol::Type::LinkUnregister, QCborMap{{QStringLiteral("link"), m_link.id}});
    } catch (const FerryError &error) {
        noteError(error.message());
    }
    try {
        // The table takes writes without this link's lease (with another's, if any), also
        // when the link never connected since the node started.
        if (!m_source) {
            if (const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase))
                m_source = Store::open(database->source, Store::Options{false, 5000, true});
        }
        if (m_source)
            m_source->releaseWriteLease(m_link.sourceTable, m_link.id);
    } catch (const FerryError &error) {
        noteError(error.message());
    }
    m_acks->remove(m_link.sourceDatabase, m_link.sourceTable, peerReadKey(m_link.id));
    const bool others = m_acks->hasOther(m_link.sourceDatabase, m_link.sourceTable, m_link.id);
    m_acks->remove(m_link.sourceDatabase, m_link.sourceTable, m_link.id);
    try {
        // The link's slot and publication go with it: a slot nobody reads keeps WAL forever.
        const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
        if (database && capturesFromWal(m_link, database->source)) {
            delete m_captureNotifier;
            m_captureNotifier = nullptr;
            m_capture.reset();
            LogicalCapture::drop(database->source, m_link.id);
        }
    } catch (const FerryError &error) {
        noteError(error.message());
        emit eventOccurred(2, m_link.id, QCoreApplication::translate("LinkRunner", "replication slot not dropped"),
                           QCoreApplication::translate("LinkRunner", "%1: drop it by hand (SELECT pg_drop_replication_slot('%2')), or it keeps WAL on the server")
                               .arg(error.message(), LogicalCapture::slotName(m_link.id)));
    }
    try {
        const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
        if (m_source && m_link.mode == LinkDefinition::Mode::Continuous && !others
            && (!database || !capturesFromWal(m_link, database->source) || m_source->hasCapture(m_link.sourceTable)))
            m_source->removeCapture(m_link.sourceTable);
    } catch (const FerryError &error) {
        noteError(error.message());
    }
}

} // namespace ferry
