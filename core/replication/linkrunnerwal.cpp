// LinkRunner's change feed from a PostgreSQL source's WAL (LogicalCapture): a publication
// and a replication slot per link, no trigger and no lock on the application's table.

#include "capture/logicalcapture.h"
#include "net/nodeclient.h"
#include "replication/linkrunner.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMutexLocker>
#include <QSocketNotifier>

#include <chrono>

namespace ferry {

namespace {

constexpr int WalBatchChanges = 1000;
// A batch stops before this many bytes of rows; a larger source transaction travels in
// parts the target applies together.
constexpr qint64 WalPartBytes = 8 * 1024 * 1024;

qint64 walNowUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

bool LinkRunner::capturesFromWal(const LinkDefinition &link, const DataSource &source)
{
    return source.kind == DataSource::Kind::Postgres && link.mode == LinkDefinition::Mode::Continuous
           && link.direction == LinkDefinition::Direction::OneWay && link.filter.trimmed().isEmpty()
           // The tables of a database link capture with triggers: a slot per table would
           // take the server's max_replication_slots (10 by default) with a few tables.
           && link.memberOf.isEmpty();
}

void LinkRunner::prepareWalCapture(qint64 applied)
{
    const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
    if (!m_capture)
        m_capture = std::make_unique<LogicalCapture>(database->source, m_link.id);
    const LinkCheckpoint before = checkpoint();
    const bool created = m_capture->ensure(m_sourceSchema, std::max({applied, before.ackedSeq, m_cursor}));
    if (created && before.synced) {
        // The slot was gone (dropped by hand, by the WAL bound, or the database replaced):
        // what was written meanwhile was not captured.
        const QString detail = QCoreApplication::translate("LinkRunner", "the replication slot %1 of link %2 on %3 was gone; created it again. Changes "
                                                           "made meanwhile were not captured: verifying the whole table")
                                   .arg(LogicalCapture::slotName(m_link.id), m_link.id, m_config.name);
        qWarning().noquote() << QCoreApplication::translate("LinkRunner", "link %1: %2").arg(m_link.id, detail);
        emit eventOccurred(1, m_link.id, QCoreApplication::translate("LinkRunner", "source capture lost"), detail);
        QMutexLocker locker(&m_mutex);
        m_checkpoint.synced = false;
        m_checkpoint.verifyPending = true;
        m_checkpoint.resyncReason = QStringLiteral("capture");
    }
    {
        QMutexLocker locker(&m_mutex);
        if (!m_checkpoint.synced && m_checkpoint.startSeq == 0)
            m_checkpoint.startSeq = m_capture->acknowledgedSeq();
        m_cursor = std::max({applied, m_checkpoint.startSeq, m_capture->acknowledgedSeq()});
        m_checkpoint.ackedSeq = m_cursor;
        m_stats.ackedSeq = m_cursor;
    }
    startWalStream();
}

void LinkRunner::startWalStream()
{
    m_capture->start();
    m_captureParts = false;
    delete m_captureNotifier;
    auto *notifier = new QSocketNotifier(qintptr(m_capture->socket()), QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] {
        if (!m_noticeAt.isValid())
            m_noticeAt.start();
        if (m_timer && m_prepared && !m_stopping && !m_paused && m_backoffMs == 0 && m_schemaStop.isEmpty())
            m_timer->start(0);
    });
    m_captureNotifier = notifier;
}

void LinkRunner::closeWalStream()
{
    delete m_captureNotifier;
    m_captureNotifier = nullptr;
    if (m_capture)
        m_capture->close();
}

void LinkRunner::refreshWalFigures()
{
    // Also while the target is away: that is when the slot's WAL grows.
    try {
        checkRetainedWal();
    } catch (const FerryError &) {
        return;
    }
    // Paused: the stream closes so that what waits in the slot can be counted (never
    // while the target keeps parts of a transaction: they would come again).
    if (m_paused && m_capture->isStreaming() && !m_captureParts)
        closeWalStream();
    if (!m_capture->isStreaming()) {
        // The target away or the link paused: what waits is in the slot.
        Store::Backlog backlog;
        try {
            backlog = m_capture->peekBacklog(1000000);
        } catch (const FerryError &) {
            return;   // no slot yet, or its walsender has not let it go yet
        }
        QMutexLocker locker(&m_mutex);
        m_stats.pending = backlog.changes;
        m_oldestPendingAtUs = backlog.oldestAtUs;
        if (backlog.changes == 0)
            m_stats.lastProgressMs = QDateTime::currentMSecsSinceEpoch();
        return;
    }
    QMutexLocker locker(&m_mutex);
    m_stats.pending = m_capture->unacknowledged();
    m_oldestPendingAtUs = m_capture->oldestUnacknowledgedAtUs();
    if (m_stats.pending == 0)
        m_stats.lastProgressMs = QDateTime::currentMSecsSinceEpoch();
}

void LinkRunner::checkRetainedWal()
{
    if (m_sinceRetained.isValid() && m_sinceRetained.elapsed() < 1000)
        return;
    m_sinceRetained.start();
    const qint64 retained = m_capture->retainedBytes();
    {
        QMutexLocker locker(&m_mutex);
        m_stats.retainedWalBytes = retained;
    }
    const qint64 limit = m_config.maxSlotWalMb * 1024 * 1024;
    if (retained <= limit)
        return;
    // The slot would fill the server's disk: it goes, and the link stops until resync.
    const NodeConfig::Database *database = m_config.database(m_link.sourceDatabase);
    closeWalStream();
    LogicalCapture::drop(database->source, m_link.id);
    m_schemaStop = QCoreApplication::translate("LinkRunner", "the replication slot %1 of link %2 on %3 kept %4 MB of WAL, more than max_slot_wal_mb (%5 MB): "
                                               "the target did not keep up or was away. Dropped the slot so that the server's disk does not fill; changes "
                                               "from now on are not captured. Run ferryctl link resync %2 to verify the whole table and stream again")
                       .arg(LogicalCapture::slotName(m_link.id), m_link.id, m_config.name)
                       .arg(retained >> 20)
                       .arg(m_config.maxSlotWalMb);
    {
        QMutexLocker locker(&m_mutex);
        m_stats.retainedWalBytes = -1;
    }
    noteError(m_schemaStop);
    emit eventOccurred(2, m_link.id, QCoreApplication::translate("LinkRunner", "replication slot dropped"), m_schemaStop);
}

bool LinkRunner::streamWal()
{
    if (!m_capture->isStreaming())
        startWalStream();
    const double wakeMs = m_noticeAt.isValid() ? m_noticeAt.nsecsElapsed() / 1e6 : -1;
    Q_UNUSED(wakeMs);
    m_noticeAt.invalidate();
    m_headReadAtUs = walNowUs();
    LogicalCapture::Batch batch = m_capture->read(WalBatchChanges, WalPartBytes);
    if (!batch.schemaChange.isEmpty() && sourceSchemaMoved())
        return true;   // columns added on both sides; a whole-table round follows
    if (!batch.schemaChange.isEmpty())
        throw WireError(protocol::ErrorCode::SchemaChanged,
                        QCoreApplication::translate("LinkRunner", "schema changed: %1 (on %2); nothing of it was applied; resync the link once both tables match")
                            .arg(batch.schemaChange, m_config.name));
    if (batch.changes.isEmpty() && batch.final && m_captureParts && batch.endLsn > 0) {
        // The end of a transaction whose changes all went in parts: the target applies them.
        sendApply({}, m_cursor, m_capture->lastReadSeq(), nullptr, nullptr, true);
        m_captureParts = false;
        m_capture->acknowledge(m_cursor, batch.endLsn);
    }
    if (batch.changes.isEmpty()) {
        // Nothing read: the catalog says whether the columns changed meanwhile (a change
        // of a row would also say so, through the stream's relation message).
        if (m_capture->unacknowledged() == 0 && (!m_sinceSchemaCheck.isValid() || m_sinceSchemaCheck.elapsed() >= 100)) {
            m_sinceSchemaCheck.start();
            sourceSchemaMoved();
        }
        m_capture->acknowledgeIdle();
        m_capture->persist();
        checkRetainedWal();
        {
            QMutexLocker locker(&m_mutex);
            m_stats.pending = m_capture->unacknowledged();
            m_oldestPendingAtUs = m_capture->oldestUnacknowledgedAtUs();
            if (m_stats.pending == 0)
                m_stats.lastProgressMs = QDateTime::currentMSecsSinceEpoch();
        }
        if (!m_sinceSent.isValid() || m_sinceSent.elapsed() >= m_heartbeatMs)
            sendApply({}, m_cursor, m_cursor, nullptr, nullptr);
        return false;
    }
    const qint64 last = batch.changes.constLast().seq;
    {
        QMutexLocker locker(&m_mutex);
        m_stats.pending = std::max<qint64>(m_stats.pending, m_capture->unacknowledged());
        m_oldestPendingAtUs = m_capture->oldestUnacknowledgedAtUs();
    }
    qint64 applied = 0;
    qint64 conflicts = 0;
    sendApply(batch.changes, last, m_capture->lastReadSeq(), &applied, &conflicts, batch.final);
    m_cursor = last;
    if (!batch.final) {
        m_captureParts = true;   // kept by the target: the next part at once
        return true;
    }
    m_captureParts = false;
    m_capture->acknowledge(last, batch.endLsn);
    m_capture->persist();
    m_acks->set(m_link.sourceDatabase, m_link.sourceTable, m_link.id, last);
    {
        QMutexLocker locker(&m_mutex);
        m_checkpoint.ackedSeq = last;
        m_stats.ackedSeq = last;
        m_stats.pending = m_capture->unacknowledged();
        m_oldestPendingAtUs = m_capture->oldestUnacknowledgedAtUs();
        m_stats.lastProgressMs = QDateTime::currentMSecsSinceEpoch();
    }
    if (m_sincePrune.elapsed() >= 1000) {
        m_sincePrune.restart();
        checkRetainedWal();
        emit checkpointChanged(m_link.id);
    }
    return batch.changes.size() >= WalBatchChanges;
}

} // namespace ferry
