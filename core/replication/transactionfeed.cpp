#include "replication/transactionfeed.h"

#include "replication/linkrunner.h"
#include "rows/rowsize.h"
#include "storage/store.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"
#include "util/ferryerror.h"

#include <QCborArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSet>

namespace ferry {

namespace {

Q_LOGGING_CATEGORY(lcFeed, "ferry.link.feed")

constexpr int BatchChanges = 1000;
// A message holds at most this much; a bigger transaction goes in parts the target keeps
// until the last (apply_group's final).
constexpr qint64 PartBytes = 8 * 1024 * 1024;
// Idle, the tables' logs are looked at this often without a change notice.
constexpr qint64 IdlePollMs = 50;
// After a failure the tables stream alone this long before they join again.
constexpr qint64 RestMs = 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

} // namespace

TransactionFeed::TransactionFeed(const QString &databaseLinkId, const QString &targetDatabase, AckRegistry *acks)
    : m_id(databaseLinkId), m_targetDatabase(targetDatabase), m_acks(acks)
{
}

bool TransactionFeed::join(const Member &member)
{
    QMutexLocker locker(&m_mutex);
    if (nowMs() < m_restUntilMs)
        return false;
    m_members.insert(member.linkId, member);
    Progress &progress = m_progress[member.linkId];
    progress = Progress();
    progress.joined = true;
    progress.cursor = member.cursor;
    m_more = true;   // read its log at once
    return true;
}

qint64 TransactionFeed::leave(const QString &linkId)
{
    QMutexLocker pumping(&m_pumping);
    QMutexLocker locker(&m_mutex);
    if (!m_members.contains(linkId))
        return -1;
    const qint64 cursor = m_members.take(linkId).cursor;
    m_progress[linkId].joined = false;
    return cursor;
}

TransactionFeed::Progress TransactionFeed::take(const QString &linkId)
{
    QMutexLocker locker(&m_mutex);
    Progress &progress = m_progress[linkId];
    Progress taken = progress;
    progress.applied = 0;
    progress.bytes = 0;
    progress.lagsMs.clear();
    progress.letGo.clear();
    if (!taken.joined)
        m_progress.remove(linkId);
    return taken;
}

void TransactionFeed::noteTable(const QString &table, bool synced)
{
    QMutexLocker locker(&m_mutex);
    m_tables.insert(table, synced);
    if (synced)
        m_waitingFor.remove(table);
}

void TransactionFeed::forgetTable(const QString &table)
{
    QMutexLocker locker(&m_mutex);
    m_tables.remove(table);
    m_waitingFor.remove(table);
}

QStringList TransactionFeed::unsyncedParents(const QString &table, const QStringList &parents)
{
    QMutexLocker locker(&m_mutex);
    // Does `from` wait, directly or through others, for `to`?
    const auto waitsFor = [this](const QString &from, const QString &to) {
        QStringList queue{from};
        QSet<QString> seen;
        while (!queue.isEmpty()) {
            const QString next = queue.takeFirst();
            if (next == to)
                return true;
            if (seen.contains(next))
                continue;
            seen.insert(next);
            queue.append(m_waitingFor.value(next));
        }
        return false;
    };
    QStringList waiting;
    for (const QString &parent : parents) {
        const auto it = m_tables.constFind(parent);
        if (it != m_tables.constEnd() && !it.value() && parent != table && !waitsFor(parent, table))
            waiting.append(parent);
    }
    if (waiting.isEmpty())
        m_waitingFor.remove(table);
    else
        m_waitingFor.insert(table, waiting);
    return waiting;
}

QStringList TransactionFeed::tables() const
{
    QMutexLocker locker(&m_mutex);
    return m_tables.keys();
}

bool TransactionFeed::claimListener(const QString &linkId)
{
    QMutexLocker locker(&m_mutex);
    if (m_listener.isEmpty())
        m_listener = linkId;
    return m_listener == linkId;
}

void TransactionFeed::releaseListener(const QString &linkId)
{
    QMutexLocker locker(&m_mutex);
    if (m_listener == linkId)
        m_listener.clear();
}

void TransactionFeed::letAllGo(const QString &why)
{
    QMutexLocker locker(&m_mutex);
    for (auto it = m_members.cbegin(); it != m_members.cend(); ++it) {
        Progress &progress = m_progress[it.key()];
        progress.joined = false;
        progress.cursor = it->cursor;
        progress.letGo = why;
    }
    m_members.clear();
    m_restUntilMs = nowMs() + RestMs;
}

bool TransactionFeed::pump(Store &source, const Request &request)
{
    if (!m_pumping.tryLock())
        return false;
    auto unlock = qScopeGuard([this] { m_pumping.unlock(); });
    QList<Member> members;
    {
        QMutexLocker locker(&m_mutex);
        const qint64 notices = m_notices.load();
        if (m_members.isEmpty() || (!m_more && notices == m_noticesPumped && nowMs() - m_lastPumpMs < IdlePollMs))
            return false;
        m_noticesPumped = notices;
        m_lastPumpMs = nowMs();
        m_more = false;
        members = m_members.values();
    }

    // Every joined table's log past its position, in one snapshot: whole transactions.
    struct Part
    {
        QList<Change> changes;
        qint64 last = 0;
    };
    QList<Part> parts(members.size());
    QStringList letGo;           // tables whose schema moved: their runners take them back
    QString letGoWhy;
    bool partsSent = false;      // parts of this snapshot wait on the target (apply_group's final: false)
    qint64 bytes = 0;
    auto send = [&](bool final) {
        QCborArray encoded;
        for (qsizetype i = 0; i < members.size(); ++i) {
            if (parts.at(i).changes.isEmpty())
                continue;
            const Member &member = members.at(i);
            encoded.append(QCborMap{{QStringLiteral("table"), member.targetTable},
                                    {QStringLiteral("link"), member.appliedKey},
                                    {QStringLiteral("link_id"), member.linkId},
                                    {QStringLiteral("epoch"), member.epoch},
                                    {QStringLiteral("last_seq"), parts.at(i).last},
                                    {QStringLiteral("changes"), wirecodec::encodeChanges(member.schema, parts.at(i).changes)}});
        }
        if (encoded.isEmpty() && !partsSent)
            return Message();
        const Message reply = request(protocol::Type::ApplyGroup, QCborMap{{QStringLiteral("db"), m_targetDatabase},
                                                                             {QStringLiteral("group"), m_id},
                                                                             {QStringLiteral("begin"), !partsSent},
                                                                             {QStringLiteral("final"), final},
                                                                             {QStringLiteral("parts"), encoded}});
        partsSent = !final;
        return reply;
    };
    QList<qint64> lastRead(members.size());
    // What went in parts before the final message, for the figures: each change's commit
    // time and the rows' bytes (not the changes: a large transaction is not kept twice).
    struct Sent
    {
        QList<qint64> committedAtUs;
        qint64 bytes = 0;
    };
    QList<Sent> sent(members.size());
    try {
        source.readInSnapshot([&] {
            QList<TableSchema> schemas;
            for (const Member &member : members)
                schemas.append(member.schema);
            const QList<qint64> heads = source.lastChangeSeqs(schemas);
            for (qsizetype i = 0; i < members.size(); ++i) {
                const Member &member = members.at(i);
                qint64 cursor = member.cursor;
                while (heads.at(i) > cursor) {
                    QList<Change> changes;
                    try {
                        changes = source.readChanges(member.schema, cursor, BatchChanges);
                    } catch (const FerryError &error) {
                        // A column gone: its runner says what changed. The snapshot is
                        // spoiled (PostgreSQL aborts the transaction): read again without it.
                        letGo.append(member.linkId);
                        letGoWhy = error.message();
                        throw;
                    }
                    if (changes.isEmpty())
                        break;
                    for (Change &change : changes) {
                        bytes += approximateRowBytes(change.row);
                        cursor = change.seq;
                        parts[i].changes.append(std::move(change));
                    }
                    parts[i].last = cursor;
                    if (bytes > PartBytes) {
                        // Too big for one message: the target keeps the parts until the last.
                        send(false);
                        for (qsizetype j = 0; j < members.size(); ++j) {
                            for (const Change &sentChange : std::as_const(parts.at(j).changes)) {
                                sent[j].committedAtUs.append(sentChange.committedAtUs);
                                sent[j].bytes += approximateRowBytes(sentChange.row);
                            }
                            parts[j].changes.clear();
                        }
                        bytes = 0;
                    }
                    if (changes.size() < BatchChanges)
                        break;
                }
                lastRead[i] = cursor;
            }
            // Read with the schema each runner knows? A stamp that moved with the same
            // columns is only noted; other changes go to the table's runner.
            for (qsizetype i = 0; i < members.size(); ++i) {
                if (lastRead.at(i) == members.at(i).cursor)
                    continue;
                const QByteArray stamp = source.schemaStamp(members.at(i).schema.table);
                if (stamp == members.at(i).stamp)
                    continue;
                QString change;
                try {
                    change = schemaChange(members.at(i).schema, source.describe(members.at(i).schema.table));
                } catch (const FerryError &error) {
                    change = error.message();
                }
                if (change.isEmpty()) {
                    members[i].stamp = stamp;
                } else {
                    letGo.append(members.at(i).linkId);
                    letGoWhy = change;
                }
            }
        });
    } catch (const FerryError &error) {
        if (letGo.isEmpty()) {
            qCInfo(lcFeed).noquote() << QCoreApplication::translate("TransactionFeed", "database link %1: reading the tables' logs failed: %2; they stream alone for a second")
                                            .arg(m_id, error.message());
            letAllGo(error.message());
            return false;
        }
    }
    if (!letGo.isEmpty()) {
        QMutexLocker locker(&m_mutex);
        for (const QString &id : std::as_const(letGo)) {
            if (!m_members.contains(id))
                continue;
            Progress &progress = m_progress[id];
            progress.joined = false;
            progress.cursor = m_members.take(id).cursor;
            progress.letGo = letGoWhy;
        }
        m_more = true;
        // Nothing of this snapshot is applied (parts on the target are dropped by the next
        // begin); the rest is read again without those tables.
        return true;
    }

    try {
        if (send(true).type.isEmpty())
            return false;   // nothing new
    } catch (const FerryError &error) {
        qCInfo(lcFeed).noquote() << QCoreApplication::translate("TransactionFeed", "database link %1: applying failed: %2; its tables stream alone for a second")
                                        .arg(m_id, error.message());
        letAllGo(error.message());
        return false;
    }
    const qint64 ackedAtUs = nowUs();
    QMutexLocker locker(&m_mutex);
    for (qsizetype i = 0; i < members.size(); ++i) {
        const Member &member = members.at(i);
        const qint64 last = lastRead.at(i);
        if (last == member.cursor)
            continue;
        auto it = m_members.find(member.linkId);
        if (it == m_members.end())
            continue;   // (leave() waits for the pump: not reached)
        it->cursor = last;
        it->stamp = member.stamp;
        Progress &progress = m_progress[member.linkId];
        progress.cursor = last;
        QList<qint64> committedAtUs = sent.at(i).committedAtUs;
        progress.bytes += sent.at(i).bytes;
        for (const Change &change : parts.at(i).changes) {
            committedAtUs.append(change.committedAtUs);
            progress.bytes += approximateRowBytes(change.row);
        }
        progress.applied += committedAtUs.size();
        for (const qint64 at : std::as_const(committedAtUs))
            progress.lagsMs.push_back(std::max<qint64>(0, ackedAtUs - at) / 1000.0);
        m_acks->set(member.sourceDatabase, member.schema.table, member.linkId, last);
    }
    return false;
}

} // namespace ferry
