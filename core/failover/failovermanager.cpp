#include "failover/failovermanager.h"

#include "failover/writelease.h"
#include "net/nodeclient.h"
#include "node/databaseservice.h"
#include "node/eventlog.h"
#include "node/nodeserver.h"
#include "replication/linkmanager.h"
#include "replication/linkrunner.h"
#include "util/runinpool.h"
#include "util/whenfinished.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QScopeGuard>
#include <QThread>

namespace ferry {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A short-lived connection to another node, for one failover step.
std::unique_ptr<NodeClientThread> connectTo(const QString &host, quint16 port, const QSslConfiguration &tls, const QString &self, int timeoutMs)
{
    NodeClient::Options options;
    options.clientName = self;
    options.connectTimeoutMs = timeoutMs;
    auto connection = std::make_unique<NodeClientThread>(host, port, tls, options);
    connection->connectAndWait();
    return connection;
}

} // namespace

FailoverManager::FailoverManager(NodeServer *server, LinkManager *links, EventLog *events, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_links(links)
    , m_events(events)
    , m_roles(QDir(server->config().dataDirectory).filePath(QStringLiteral("roles.json")))
    , m_leaseKeeper(server, links)
{
    m_workers.setMaxThreadCount(4);
    m_links->setReplicaCheck([this](const QString &database, const QString &table) {
        const TableRole role = m_roles.role(database, table);
        return role.epoch > 0 && !role.isPrimary;
    });
    m_demoter.setMaxThreadCount(1);
    m_watch.setInterval(100);
    connect(&m_watch, &QTimer::timeout, this, &FailoverManager::checkAutomatic);
    m_watch.start();
    connect(m_links, &LinkManager::demotionRequired, this, &FailoverManager::demoteAfterStaleEpoch);
}

FailoverManager::~FailoverManager()
{
    m_watch.stop();
    m_workers.waitForDone();
    m_demoter.waitForDone();
}

template <typename Fn>
void FailoverManager::inNodeThread(Fn fn)
{
    std::exception_ptr failure;
    QMetaObject::invokeMethod(this, [&] {
        try {
            fn();
        } catch (...) {
            failure = std::current_exception();
        }
    }, QThread::currentThread() == thread() ? Qt::DirectConnection : Qt::BlockingQueuedConnection);
    if (failure)
        std::rethrow_exception(failure);
}

void FailoverManager::event(int severity, const QString &link, const QString &what, const QString &outcome)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(this, [=] { event(severity, link, what, outcome); });
        return;
    }
    m_events->record(NodeEvent::Severity(severity), link, what, outcome);
    qInfo().noquote() << QStringLiteral("%1%2: %3").arg(link.isEmpty() ? QString() : QStringLiteral("link %1: ").arg(link), what, outcome);
}

void FailoverManager::load()
{
    m_roles.load();
    QFile file(QDir(m_server->config().dataDirectory).filePath(QStringLiteral("inbound.json")));
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("FailoverManager", "%1: cannot read: %2").arg(file.fileName(), file.errorString()));
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    for (const QJsonValue &value : document.object().value(QStringLiteral("links")).toArray()) {
        const QJsonObject entry = value.toObject();
        Inbound inbound;
        try {
            inbound.link = LinkDefinition::fromCbor(QCborMap::fromJsonObject(entry.value(QStringLiteral("link")).toObject()));
        } catch (const FerryError &error) {
            throw FerryError(QStringLiteral("%1: %2").arg(file.fileName(), error.message()));
        }
        inbound.sourceHost = entry.value(QStringLiteral("source_host")).toString();
        inbound.sourcePort = quint16(entry.value(QStringLiteral("source_port")).toInt());
        inbound.armed = entry.value(QStringLiteral("armed")).toBool(true);
        m_inbound.insert(inbound.link.id, inbound);
    }
}

void FailoverManager::saveInbound()
{
    QJsonArray links;
    for (const Inbound &inbound : std::as_const(m_inbound)) {
        links.append(QJsonObject{{QStringLiteral("link"), inbound.link.toCbor().toJsonObject()},
                                 {QStringLiteral("source_host"), inbound.sourceHost},
                                 {QStringLiteral("source_port"), inbound.sourcePort},
                                 {QStringLiteral("armed"), inbound.armed}});
    }
    QSaveFile file(QDir(m_server->config().dataDirectory).filePath(QStringLiteral("inbound.json")));
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("links"), links}}).toJson());
        if (file.commit())
            return;
    }
    qWarning().noquote() << QCoreApplication::translate("FailoverManager", "%1: cannot write: %2").arg(file.fileName(), file.errorString());
}

void FailoverManager::throwStaleEpoch(const QString &database, const QString &table) const
{
    const TableRole role = m_roles.role(database, table);
    throw WireError(protocol::ErrorCode::StaleEpoch,
                    QCoreApplication::translate("FailoverManager", "%1 is primary of %2.%3 since epoch %4; the sender is no longer primary")
                            .arg(role.primary, database, table)
                            .arg(role.epoch),
                    QCborMap{{QStringLiteral("epoch"), role.epoch}, {QStringLiteral("primary"), role.primary}});
}

void FailoverManager::checkEpoch(const QString &database, const QString &table, qint64 epoch) const
{
    if (m_roles.role(database, table).epoch > epoch)
        throwStaleEpoch(database, table);
}

const LinkDefinition *FailoverManager::writerOf(const QString &database, const QString &table, const QString &linkId, bool oneWayOnly) const
{
    const auto pairOf = [](const QString &id) { return id.endsWith(QLatin1String(".reverse")) ? id.chopped(8) : id; };
    for (const Inbound &inbound : m_inbound) {
        const LinkDefinition &other = inbound.link;
        if (other.targetDatabase != database || other.targetTable != table || pairOf(other.id) == pairOf(linkId))
            continue;
        if (oneWayOnly && other.direction != LinkDefinition::Direction::OneWay)
            continue;
        return &other;
    }
    return nullptr;
}

void FailoverManager::registerInbound(const LinkDefinition &link, const QString &sourceHost, quint16 sourcePort, bool dryRun)
{
    if (m_roles.role(link.targetDatabase, link.targetTable).epoch > link.epoch)
        throwStaleEpoch(link.targetDatabase, link.targetTable);
    // One writer per table: a second link into it would overwrite the first one's rows
    // with its own source's, and lifting one guard would leave the other's replica open.
    if (const LinkDefinition *other = writerOf(link.targetDatabase, link.targetTable, link.id)) {
        throw WireError(protocol::ErrorCode::WriterExists,
                        QCoreApplication::translate("FailoverManager", "table %1.%2 on %3 is already written by link %4 from %5 (%6.%7); a table takes one "
                                                    "writer: remove that link first, or replicate both ways with one bidirectional link")
                            .arg(link.targetDatabase, link.targetTable, m_server->config().name, other->id, other->sourceNode, other->sourceDatabase,
                                 other->sourceTable));
    }
    if (dryRun)
        return;
    const bool known = m_inbound.contains(link.id);
    Inbound &inbound = m_inbound[link.id];
    // Whether automatic failover is armed comes with the link when this node becomes its
    // replica (false after an automatic failover); failover-ack re-arms it here.
    if (!known || inbound.link.epoch != link.epoch) {
        inbound.armed = link.failoverArmed;
        // Positions in the log of another epoch's primary mean nothing here.
        inbound.headSeq = inbound.headAtUs = inbound.oldestUnackedAtUs = inbound.appliedSeq = inbound.coveredSeq = 0;
        inbound.leased = false;
        inbound.leaseMs = 0;
    }
    const bool changed = inbound.link.toCbor() != link.toCbor() || inbound.sourceHost != sourceHost || inbound.sourcePort != sourcePort;
    inbound.link = link;
    inbound.sourceHost = sourceHost;
    inbound.sourcePort = sourcePort;
    inbound.lastSeenMs = nowMs();
    if (changed)
        saveInbound();
}

void FailoverManager::unregisterInbound(const QString &linkId, const QString &sourceNode)
{
    const auto it = m_inbound.find(linkId);
    if (it == m_inbound.end() || it->link.sourceNode != sourceNode || m_running.contains(linkId))
        return;
    m_inbound.erase(it);
    saveInbound();
}

bool FailoverManager::noteHeartbeat(const QString &database, const QString &table, const Heartbeat &heartbeat)
{
    if (m_roles.role(database, table).epoch > heartbeat.epoch)
        throwStaleEpoch(database, table);
    const auto it = m_inbound.find(heartbeat.linkId);
    if (it == m_inbound.end())
        return false;
    if (m_promoting.contains(heartbeat.linkId))
        throwTakingOver(*it);
    it->lastSeenMs = nowMs();
    it->headSeq = heartbeat.headSeq;
    it->headAtUs = heartbeat.headAtUs;
    it->oldestUnackedAtUs = heartbeat.oldestUnackedAtUs;
    it->coveredSeq = std::max(it->coveredSeq, heartbeat.coveredSeq);
    it->leased = heartbeat.leased;
    it->leaseMs = std::max(it->leaseMs, heartbeat.leaseMs);   // the longest a lease of this epoch may run
    return it->link.autoFailover && it->armed && it->link.direction == LinkDefinition::Direction::OneWay
           && it->link.mode == LinkDefinition::Mode::Continuous;
}

void FailoverManager::throwTakingOver(const Inbound &inbound) const
{
    throw WireError(protocol::ErrorCode::FailoverRefused,
                    QCoreApplication::translate("FailoverManager", "%1 is taking over link %2 from %3: %3 is no longer confirmed as primary")
                        .arg(m_server->config().name, inbound.link.id, inbound.link.sourceNode));
}

bool FailoverManager::noteLease(const QString &database, const QString &table, const QString &linkId, qint64 epoch, qint64 leaseMs, const QString &peerNode)
{
    if (m_roles.role(database, table).epoch > epoch)
        throwStaleEpoch(database, table);
    const auto it = m_inbound.find(linkId);
    // Only the link's source, in the link's epoch, on the link's table: anything else is
    // not confirmed (and a source told "no" keeps its lease only as long as it runs).
    if (it == m_inbound.end() || it->link.sourceNode != peerNode || it->link.epoch != epoch || it->link.targetDatabase != database
        || it->link.targetTable != table)
        return false;
    if (m_promoting.contains(linkId))
        throwTakingOver(*it);
    it->lastSeenMs = nowMs();
    it->leased = true;
    it->leaseMs = std::max(it->leaseMs, leaseMs);
    return it->link.autoFailover && it->armed && it->link.direction == LinkDefinition::Direction::OneWay
           && it->link.mode == LinkDefinition::Mode::Continuous;
}

qint64 FailoverManager::epochForNewLink(const LinkDefinition &link)
{
    const TableRole role = m_roles.role(link.sourceDatabase, link.sourceTable);
    if (role.epoch == 0 || role.isPrimary)
        return role.epoch;
    for (const Inbound &inbound : std::as_const(m_inbound)) {
        // Still the replica of a link (a cascade: this node passes its primary's rows on):
        // the link goes on in the epoch of that replica role.
        if (inbound.link.targetDatabase == link.sourceDatabase && inbound.link.targetTable == link.sourceTable)
            return role.epoch;
    }
    // A former replica whose link is gone: the operator makes it primary again, in the next
    // epoch (its old primary meets it and demotes itself).
    const TableRole primary{role.epoch + 1, m_server->config().name, true};
    m_roles.set(link.sourceDatabase, link.sourceTable, primary);
    event(1, link.id, tr("primary again"), QCoreApplication::translate("FailoverManager", "%1 was a replica of %2 in epoch %3; a new link makes it primary in epoch %4")
                                                .arg(link.sourceTable, role.primary).arg(role.epoch).arg(primary.epoch));
    return primary.epoch;
}

void FailoverManager::releaseWriteLeases(const QString &database, const QString &table)
{
    const NodeConfig::Database *source = m_server->config().database(database);
    if (!source)
        return;
    auto store = Store::open(source->source, Store::Options{false, 5000});
    store->releaseWriteLease(table, QString());
}

void FailoverManager::noteApplied(const QString &linkId, qint64 seq)
{
    const auto it = m_inbound.find(linkId);
    if (it != m_inbound.end())
        it->appliedSeq = std::max(it->appliedSeq, seq);
}

void FailoverManager::noteSeen(const QString &node)
{
    if (node.isEmpty())
        return;
    const qint64 now = nowMs();
    for (Inbound &inbound : m_inbound) {
        if (inbound.link.sourceNode == node)
            inbound.lastSeenMs = now;
    }
}

void FailoverManager::acknowledge(const QString &linkId)
{
    const auto it = m_inbound.find(linkId);
    if (it == m_inbound.end())
        throw WireError(protocol::ErrorCode::UnknownLink, QCoreApplication::translate("FailoverManager", "node %1 is not the replica of a link \"%2\"").arg(m_server->config().name, linkId));
    it->armed = true;
    saveInbound();
    event(0, linkId, tr("automatic failover acknowledged"), tr("armed again"));
}

QCborArray FailoverManager::health() const
{
    const int heartbeat = m_server->config().heartbeatMs;
    auto state = [&](qint64 ageMs, int timeoutMs) {
        if (ageMs < 0)
            return QStringLiteral("down");
        if (ageMs <= 3 * heartbeat)
            return QStringLiteral("healthy");
        return ageMs <= timeoutMs ? QStringLiteral("suspect") : QStringLiteral("down");
    };
    QCborArray peers;
    const qint64 now = nowMs();
    for (const LinkRunner *runner : m_links->runners()) {
        const LinkDefinition link = runner->definition();
        const qint64 last = runner->lastAckMs();
        peers.append(QCborMap{{QStringLiteral("node"), link.targetNode},
                              {QStringLiteral("address"), QStringLiteral("%1:%2").arg(link.targetHost).arg(link.targetPort)},
                              {QStringLiteral("link"), link.id},
                              {QStringLiteral("role"), QStringLiteral("replica")},
                              {QStringLiteral("last_seen_ms"), last},
                              {QStringLiteral("rtt_ms"), runner->rttMs()},
                              {QStringLiteral("state"), state(last > 0 ? now - last : -1, link.failoverTimeoutMs)}});
    }
    for (const Inbound &inbound : m_inbound) {
        peers.append(QCborMap{{QStringLiteral("node"), inbound.link.sourceNode},
                              {QStringLiteral("address"), QStringLiteral("%1:%2").arg(inbound.sourceHost).arg(inbound.sourcePort)},
                              {QStringLiteral("link"), inbound.link.id},
                              {QStringLiteral("role"), QStringLiteral("primary")},
                              {QStringLiteral("last_seen_ms"), inbound.lastSeenMs},
                              {QStringLiteral("rtt_ms"), QCborValue(nullptr)},
                              {QStringLiteral("state"), state(inbound.lastSeenMs > 0 ? now - inbound.lastSeenMs : -1, inbound.link.failoverTimeoutMs)},
                              {QStringLiteral("auto_failover"), inbound.link.autoFailover},
                              {QStringLiteral("armed"), inbound.armed},
                              // The primary's table is fenced by a write lease this node's
                              // answers renew: only then may it promote itself automatically.
                              {QStringLiteral("leased"), inbound.leased},
                              {QStringLiteral("lease_ms"), inbound.leaseMs},
                              // The recovery point as of the last heartbeat, for the console's
                              // failover dialog (a forced failover reads the applied position
                              // from the database again).
                              {QStringLiteral("head_seq"), inbound.headSeq},
                              {QStringLiteral("head_at_us"), inbound.headAtUs},
                              {QStringLiteral("oldest_unacked_at_us"), inbound.oldestUnackedAtUs},
                              {QStringLiteral("applied_seq"), std::max(inbound.appliedSeq, inbound.coveredSeq)}});
    }
    return peers;
}

QFuture<QCborMap> FailoverManager::probe(const QString &host, quint16 port)
{
    const QSslConfiguration tls = m_server->tls();
    const QString self = m_server->config().name;
    return runInPool(&m_workers, [host, port, tls, self] {
        QElapsedTimer clock;
        clock.start();
        try {
            auto connection = connectTo(host, port, tls, self, 1000);
            return QCborMap{{QStringLiteral("reachable"), true}, {QStringLiteral("rtt_ms"), clock.nsecsElapsed() / 1e6},
                            {QStringLiteral("node"), connection->client()->hello().node}};
        } catch (const FerryError &error) {
            return QCborMap{{QStringLiteral("reachable"), false}, {QStringLiteral("reason"), error.message()}};
        }
    });
}

QString FailoverManager::refusal(const QString &linkId, const QString &to, bool force, QString *code) const
{
    *code = protocol::ErrorCode::FailoverRefused;
    if (m_running.contains(linkId))
        return QCoreApplication::translate("FailoverManager", "a failover of link %1 is already running").arg(linkId);
    const QString self = m_server->config().name;
    if (LinkRunner *runner = m_links->find(linkId)) {
        const LinkDefinition link = runner->definition();
        if (force)
            return QCoreApplication::translate("FailoverManager", "%1 is the primary of link %2: a forced failover is asked of the replica (%3)").arg(self, linkId, link.targetNode);
        if (to != link.targetNode)
            return QCoreApplication::translate("FailoverManager", "%1 is not the replica of link %2 (its replica is %3)").arg(to, linkId, link.targetNode);
        if (link.direction != LinkDefinition::Direction::OneWay || link.mode != LinkDefinition::Mode::Continuous)
            return QCoreApplication::translate("FailoverManager", "link %1 is not a continuous one-way link: nothing to fail over").arg(linkId);
        if (link.paused)
            return QCoreApplication::translate("FailoverManager", "link %1 is paused: resume it so that it can drain").arg(linkId);
        // A pair that writes into this table both ways would go on writing into it once it
        // is a replica, and its other side's writes would never reach the new primary.
        for (const QCborValue &value : linksTouching(link.sourceDatabase, link.sourceTable, link, true, false)) {
            const QCborMap other = value.toMap();
            if (other.value(QStringLiteral("change")).toString() == QLatin1String("blocks"))
                return other.value(QStringLiteral("detail")).toString();
        }
        return QString();
    }
    if (m_inbound.contains(linkId)) {
        if (to != self)
            return QCoreApplication::translate("FailoverManager", "%1 is the replica of link %2; it can only promote itself, not %3").arg(self, linkId, to);
        if (!force)
            return QCoreApplication::translate("FailoverManager", "a graceful failover is asked of the primary (%1); use --force only when it is unreachable")
                .arg(m_inbound.value(linkId).link.sourceNode);
        return QString();
    }
    *code = protocol::ErrorCode::UnknownLink;
    return QCoreApplication::translate("FailoverManager", "node %1 has no link \"%2\", as primary or as replica").arg(self, linkId);
}

QList<LinkDefinition> FailoverManager::databaseMembers(const QString &linkId, bool force) const
{
    QList<LinkDefinition> members;
    if (m_links->find(linkId) || m_inbound.contains(linkId))
        return members;   // a one-table link
    if (!force) {
        for (LinkRunner *runner : m_links->runners()) {
            if (runner->definition().memberOf == linkId)
                members.append(runner->definition());
        }
    } else {
        for (const Inbound &inbound : std::as_const(m_inbound)) {
            if (inbound.link.memberOf == linkId)
                members.append(inbound.link);
        }
    }
    return members;
}

QFuture<QCborMap> FailoverManager::failover(const QString &linkId, const QString &to, bool force)
{
    // A database link: its tables fail over as one.
    const QList<LinkDefinition> members = databaseMembers(linkId, force);
    if (!members.isEmpty()) {
        QStringList ids;
        for (const LinkDefinition &member : std::as_const(members)) {
            QString code;
            const QString refused = refusal(member.id, to, force, &code);
            if (!refused.isEmpty()) {
                const QString message = QCoreApplication::translate("FailoverManager", "table %1 of database link %2: %3").arg(member.sourceTable, linkId, refused);
                event(1, linkId, tr("failover refused"), message);
                return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(WireError(code, message)));
            }
            ids.append(member.id);
        }
        if (m_running.contains(linkId))
            return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(WireError(
                protocol::ErrorCode::FailoverRefused, QCoreApplication::translate("FailoverManager", "a failover of link %1 is already running").arg(linkId))));
        return force ? forcedDatabaseFailover(linkId, ids) : gracefulFailover(members, linkId);
    }
    QString code;
    const QString refused = refusal(linkId, to, force, &code);
    if (!refused.isEmpty()) {
        event(1, linkId, tr("failover refused"), refused);   // an operator's request, kept for the record
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(WireError(code, refused)));
    }
    if (LinkRunner *runner = m_links->find(linkId))
        return gracefulFailover({runner->definition()}, linkId);
    return forcedFailover(linkId, false);
}

QCborArray FailoverManager::linksTouching(const QString &database, const QString &table, const LinkDefinition &failing, bool oldPrimary, bool forced) const
{
    const QString self = m_server->config().name;
    const QString newName = failing.targetNode;
    const auto pairOf = [](const QString &id) { return id.endsWith(QLatin1String(".reverse")) ? id.chopped(8) : id; };
    QCborArray entries;
    QSet<QString> listed{pairOf(failing.id)};
    const auto add = [&](const LinkDefinition &link) {
        const QString pair = pairOf(link.id);
        if (listed.contains(pair))
            return;
        listed.insert(pair);
        const bool bothWays = link.direction == LinkDefinition::Direction::Bidirectional;
        // A pair is shown as its owner defines it (the reverse half runs on the other node).
        const bool reverseHalf = !link.reverseOf.isEmpty();
        const QString ownerNode = reverseHalf ? link.targetNode : link.sourceNode;
        const QString ownerDb = reverseHalf ? link.targetDatabase : link.sourceDatabase;
        const QString ownerTable = reverseHalf ? link.targetTable : link.sourceTable;
        const QString otherNode = reverseHalf ? link.sourceNode : link.targetNode;
        const QString otherDb = reverseHalf ? link.sourceDatabase : link.targetDatabase;
        const QString otherTable = reverseHalf ? link.sourceTable : link.targetTable;
        const bool outgoing = link.sourceNode == self && link.sourceDatabase == database && link.sourceTable == table;
        QString change;
        QString detail;
        if (bothWays && oldPrimary) {
            const bool mine = link.sourceNode == self;
            change = QStringLiteral("blocks");
            detail = QCoreApplication::translate("FailoverManager", "link %1 replicates %2.%3 on %4 both ways with %5.%6 on %7: after a failover it would go on writing "
                                                                    "%7's changes into the replica on %4, and they would never reach %8. Remove link %1 (on %9), fail "
                                                                    "over, then create it again from %8")
                         .arg(pair, database, table, self, mine ? link.targetDatabase : link.sourceDatabase, mine ? link.targetTable : link.sourceTable,
                              mine ? link.targetNode : link.sourceNode, newName, ownerNode);
        } else if (bothWays) {
            change = QStringLiteral("continues");
            detail = QCoreApplication::translate("FailoverManager", "link %1 replicates %2.%3 on %4 both ways; %4 becomes the primary: it goes on unchanged").arg(pair, database, table, self);
        } else if (outgoing && oldPrimary && !forced) {
            change = QStringLiteral("continues");
            detail = QCoreApplication::translate("FailoverManager", "link %1 goes on from %2.%3 on %4 to %5: once %4 is the replica of %6 it passes %6's changes on (a cascade)")
                         .arg(link.id, database, table, self, link.targetNode, newName);
        } else if (outgoing && oldPrimary) {
            change = QStringLiteral("waits");
            detail = QCoreApplication::translate("FailoverManager", "link %1 runs from %2.%3 on %4, which is unreachable: it goes on when %4 returns, as the replica of %5, "
                                                                    "passing %5's changes on to %6")
                         .arg(link.id, database, table, self, newName, link.targetNode);
        } else if (outgoing) {
            change = QStringLiteral("continues");
            detail = QCoreApplication::translate("FailoverManager", "link %1 goes on from %2.%3 on %4 to %5: %4 becomes the primary, so it carries the writes applications "
                                                                    "make on %4 from then on")
                         .arg(link.id, database, table, self, link.targetNode);
        } else {
            change = QStringLiteral("continues");
            detail = QCoreApplication::translate("FailoverManager", "link %1 writes into %2.%3 on %4 from %5: it goes on unchanged").arg(link.id, database, table, self, link.sourceNode);
        }
        entries.append(QCborMap{{QStringLiteral("link"), pair},
                                {QStringLiteral("runs_on"), ownerNode},
                                {QStringLiteral("source_node"), ownerNode},
                                {QStringLiteral("source_db"), ownerDb},
                                {QStringLiteral("source_table"), ownerTable},
                                {QStringLiteral("target_node"), otherNode},
                                {QStringLiteral("target_db"), otherDb},
                                {QStringLiteral("target_table"), otherTable},
                                {QStringLiteral("direction"), LinkDefinition::directionName(link.direction)},
                                {QStringLiteral("mode"), LinkDefinition::modeName(link.mode)},
                                {QStringLiteral("change"), change},
                                {QStringLiteral("detail"), detail}});
    };
    for (const LinkRunner *runner : m_links->runners()) {
        const LinkDefinition link = runner->definition();
        if (link.sourceDatabase == database && link.sourceTable == table)
            add(link);
    }
    for (const Inbound &inbound : m_inbound) {
        if (inbound.link.targetDatabase == database && inbound.link.targetTable == table)
            add(inbound.link);
    }
    return entries;
}

QFuture<QCborMap> FailoverManager::plan(const QString &linkId, const QString &to, bool force)
{
    // A database link: the plans of its tables, as one.
    const QList<LinkDefinition> members = databaseMembers(linkId, force);
    if (!members.isEmpty()) {
        QList<QFuture<QCborMap>> plans;
        for (const LinkDefinition &member : members)
            plans.append(plan(member.id, to, force));
        return QtFuture::whenAll(plans.begin(), plans.end()).then([linkId](const QList<QFuture<QCborMap>> &done) {
            QCborMap result;
            QCborArray links;
            QCborArray unknown;
            qint64 atRisk = 0;
            qint64 epoch = 0;
            qint64 lastSeen = 0;
            qint64 notBefore = 0;
            bool allowed = true;
            bool leased = true;
            for (const QFuture<QCborMap> &one : done) {
                const QCborMap table = one.result();   // rethrows a table's error
                if (result.isEmpty())
                    result = table;
                for (const QCborValue &entry : table.value(QStringLiteral("links")).toArray())
                    links.append(entry);
                for (const QCborValue &note : table.value(QStringLiteral("unknown")).toArray()) {
                    if (!unknown.contains(note))
                        unknown.append(note);
                }
                epoch = std::max(epoch, table.value(QStringLiteral("epoch")).toInteger());
                atRisk += table.value(QStringLiteral("changes_at_risk")).toInteger();
                lastSeen = std::max(lastSeen, table.value(QStringLiteral("primary_last_seen_ms")).toInteger());
                notBefore = std::max(notBefore, table.value(QStringLiteral("promotion_not_before_ms")).toInteger());
                leased = leased && table.value(QStringLiteral("leased")).toBool();
                if (allowed && !table.value(QStringLiteral("allowed")).toBool()) {
                    allowed = false;
                    result.insert(QStringLiteral("refused"), table.value(QStringLiteral("refused")));
                }
            }
            result.insert(QStringLiteral("link"), linkId);
            result.insert(QStringLiteral("tables"), qint64(done.size()));
            result.insert(QStringLiteral("epoch"), epoch);
            result.insert(QStringLiteral("allowed"), allowed);
            result.insert(QStringLiteral("links"), links);
            result.insert(QStringLiteral("unknown"), unknown);
            if (result.value(QStringLiteral("forced")).toBool()) {
                result.insert(QStringLiteral("changes_at_risk"), atRisk);
                result.insert(QStringLiteral("primary_last_seen_ms"), lastSeen);
                result.insert(QStringLiteral("leased"), leased);
                result.insert(QStringLiteral("promotion_not_before_ms"), notBefore > 0 ? QCborValue(notBefore) : QCborValue(nullptr));
            }
            return result;
        });
    }
    QString code;
    const QString refused = refusal(linkId, to, force, &code);
    if (code == protocol::ErrorCode::UnknownLink)
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(WireError(code, refused)));
    const QString self = m_server->config().name;
    LinkDefinition link;
    const bool oldPrimary = m_links->find(linkId) != nullptr;
    Inbound inbound;
    if (oldPrimary) {
        link = m_links->find(linkId)->definition();
    } else {
        inbound = m_inbound.value(linkId);
        link = inbound.link;
    }
    const bool forced = !oldPrimary;
    const QString database = oldPrimary ? link.sourceDatabase : link.targetDatabase;
    const QString table = oldPrimary ? link.sourceTable : link.targetTable;
    const TableRole role = m_roles.role(database, table);
    const qint64 epoch = std::max(role.epoch, link.epoch) + 1;
    QCborArray links;
    links.append(QCborMap{{QStringLiteral("link"), link.id},
                          {QStringLiteral("runs_on"), link.sourceNode},
                          {QStringLiteral("source_node"), link.sourceNode},
                          {QStringLiteral("source_db"), link.sourceDatabase},
                          {QStringLiteral("source_table"), link.sourceTable},
                          {QStringLiteral("target_node"), link.targetNode},
                          {QStringLiteral("target_db"), link.targetDatabase},
                          {QStringLiteral("target_table"), link.targetTable},
                          {QStringLiteral("direction"), LinkDefinition::directionName(link.direction)},
                          {QStringLiteral("mode"), LinkDefinition::modeName(link.mode)},
                          {QStringLiteral("change"), QStringLiteral("reverses")},
                          {QStringLiteral("detail"), forced ? QCoreApplication::translate("FailoverManager", "link %1 runs from %2 to %3 in epoch %4; when %3 returns it is demoted "
                                                                                                            "first (changes it never replicated go to its conflicts table), then "
                                                                                                            "resynchronized")
                                                                  .arg(link.id, link.targetNode, link.sourceNode).arg(epoch)
                                                            : QCoreApplication::translate("FailoverManager", "link %1 runs from %2 to %3 in epoch %4 once every pending change is "
                                                                                                            "applied on %2; %3 becomes a read-only replica")
                                                                  .arg(link.id, link.targetNode, link.sourceNode).arg(epoch)}});
    for (const QCborValue &entry : linksTouching(database, table, link, oldPrimary, forced))
        links.append(entry);
    QCborMap result{{QStringLiteral("link"), link.id}, {QStringLiteral("from"), link.sourceNode}, {QStringLiteral("to"), link.targetNode},
                    {QStringLiteral("forced"), forced}, {QStringLiteral("epoch"), epoch}, {QStringLiteral("allowed"), refused.isEmpty()},
                    {QStringLiteral("refused"), refused.isEmpty() ? QCborValue(nullptr) : QCborValue(refused)}};
    if (forced) {
        // What this node knows of the old primary's side: not its other links.
        const qint64 applied = std::max(inbound.appliedSeq, inbound.coveredSeq);
        result.insert(QStringLiteral("changes_at_risk"), std::max<qint64>(0, inbound.headSeq - applied));
        result.insert(QStringLiteral("changes_at_risk_exact"), false);
        result.insert(QStringLiteral("primary_last_seen_ms"), inbound.lastSeenMs);
        result.insert(QStringLiteral("leased"), inbound.leased);
        result.insert(QStringLiteral("promotion_not_before_ms"),
                      inbound.leased && inbound.lastSeenMs > 0 ? QCborValue(inbound.lastSeenMs + inbound.leaseMs + writelease::marginMs(int(inbound.leaseMs)))
                                                               : QCborValue(nullptr));
        result.insert(QStringLiteral("unknown"), QCborArray{QCoreApplication::translate("FailoverManager", "the other links of %1.%2 on %3 are not known here: %3 is "
                                                                                                            "asked nothing in a forced failover")
                                                                .arg(link.sourceDatabase, link.sourceTable, link.sourceNode)});
        result.insert(QStringLiteral("links"), links);
        return QtFuture::makeReadyFuture(result);
    }
    // Graceful: the replica lists its own side.
    const QSslConfiguration tls = m_server->tls();
    return runInPool(&m_workers, [result, links, link, tls, self]() mutable {
        QCborArray unknown;
        try {
            auto connection = connectTo(link.targetHost, link.targetPort, tls, self, 2000);
            const Message reply = connection->client()->request(protocol::Type::FailoverPlan, QCborMap{{QStringLiteral("link"), link.id},
                                                                                                      {QStringLiteral("side_of"), link.toCbor()}})
                                      .result();
            for (const QCborValue &entry : MessageFields(reply).array(QLatin1StringView("links")))
                links.append(entry);
        } catch (const FerryError &error) {
            unknown.append(QCoreApplication::translate("FailoverManager", "the links of %1.%2 on %3 are not known: %4").arg(link.targetDatabase, link.targetTable, link.targetNode, error.message()));
        }
        result.insert(QStringLiteral("links"), links);
        result.insert(QStringLiteral("unknown"), unknown);
        return result;
    });
}

QCborMap FailoverManager::replicaSideOfPlan(const QCborMap &failingLink, const QString &peerNode) const
{
    LinkDefinition link;
    try {
        link = LinkDefinition::fromCbor(failingLink);
    } catch (const FerryError &error) {
        throw WireError(protocol::ErrorCode::BadMessage, error.message());
    }
    if (link.targetNode != m_server->config().name || link.sourceNode != peerNode)
        throw WireError(protocol::ErrorCode::FailoverRefused, QCoreApplication::translate("FailoverManager", "link %1 does not run from %2 to %3").arg(link.id, peerNode, m_server->config().name));
    return QCborMap{{QStringLiteral("links"), linksTouching(link.targetDatabase, link.targetTable, link, false, false)}};
}

QFuture<QCborMap> FailoverManager::gracefulFailover(const QList<LinkDefinition> &links, const QString &unitId)
{
    // One link, or the tables of a database link (unitId): fenced together, drained
    // together, then promoted one by one; the database is never writable on both nodes.
    for (const LinkDefinition &link : links)
        m_running.insert(link.id);
    m_running.insert(unitId);
    const LinkDefinition &first = links.first();
    event(0, unitId, tr("graceful failover started"),
          links.size() == 1 ? QCoreApplication::translate("FailoverManager", "from %1 to %2").arg(m_server->config().name, first.targetNode)
                            : QCoreApplication::translate("FailoverManager", "from %1 to %2, %3 tables of %4").arg(m_server->config().name, first.targetNode).arg(links.size()).arg(first.sourceDatabase));
    DatabaseService *database = m_server->database(first.sourceDatabase);
    QHash<QString, LinkRunner *> runners;
    QHash<QString, qint64> epochs;
    for (const LinkDefinition &link : links) {
        runners.insert(link.id, m_links->find(link.id));
        epochs.insert(link.id, std::max(m_roles.role(link.sourceDatabase, link.sourceTable).epoch, link.epoch) + 1);
    }
    const QSslConfiguration tls = m_server->tls();
    const NodeConfig config = m_server->config();
    return runInPool(&m_workers, [this, links, unitId, database, runners, epochs, tls, config] {
        QElapsedTimer clock;
        clock.start();
        const LinkDefinition &first = links.first();
        QStringList tables;
        for (const LinkDefinition &link : links)
            tables.append(link.sourceTable);
        const QString tableList = tables.size() <= 5 ? tables.join(QLatin1String(", ")) : QCoreApplication::translate("FailoverManager", "%1 tables").arg(tables.size());
        qsizetype fenced = 0;             // links[0, fenced) are fenced
        QSet<QString> promoted;
        QString sentUnknown;              // a promotion whose answer is unknown
        // This node becomes the replica of a promoted table: keep the guard (with the new
        // primary's name), stop the old direction.
        const auto becomeReplica = [&](const LinkDefinition &link) {
            const qint64 epoch = epochs.value(link.id);
            inNodeThread([&] { m_roles.set(link.sourceDatabase, link.sourceTable, TableRole{epoch, link.targetNode, false}); });
            m_links->detachFromAnyThread(link.id);
            releaseWriteLeases(link.sourceDatabase, link.sourceTable);   // the replica guard fences it now
            database->setReplicaGuard(link.sourceTable, true,
                                      QCoreApplication::translate("FailoverManager", "ferry: table %1 on %2 is a read-only replica of %3 (epoch %4); write to %3")
                                          .arg(link.sourceTable, config.name, link.targetNode)
                                          .arg(epoch))
                .waitForFinished();
        };
        const auto finish = [&] {
            inNodeThread([&] {
                for (const LinkDefinition &link : links)
                    m_running.remove(link.id);
                m_running.remove(unitId);
            });
        };
        try {
            // 1. Fence: from here on applications cannot write to the primary tables.
            for (const LinkDefinition &link : links) {
                const QString fenceMessage = QCoreApplication::translate("FailoverManager", "ferry: table %1 on %2 is fenced: failing over to %3").arg(link.sourceTable, config.name, link.targetNode);
                database->setReplicaGuard(link.sourceTable, true, fenceMessage).waitForFinished();
                ++fenced;
            }
            event(0, unitId, tr("fenced"), QCoreApplication::translate("FailoverManager", "writes to %1 refused").arg(tableList));
            // 2. Drain: wait until the target acknowledged the last change of every table.
            QHash<QString, qint64> heads;
            qint64 total = 0;
            for (const LinkDefinition &link : links) {
                heads.insert(link.id, database->lastChangeSeq(link.sourceTable).result());
                total += heads.value(link.id);
            }
            QElapsedTimer drain;
            drain.start();
            for (const LinkDefinition &link : links) {
                LinkRunner *runner = runners.value(link.id);
                while (runner->checkpoint().ackedSeq < heads.value(link.id)) {
                    if (drain.elapsed() > 30000)
                        throw WireError(protocol::ErrorCode::FailoverRefused, QCoreApplication::translate("FailoverManager", "the change feed of %1 did not drain in 30 s (%2 of %3 applied)")
                                                                                .arg(link.sourceTable).arg(runner->checkpoint().ackedSeq).arg(heads.value(link.id)));
                    QThread::msleep(2);
                }
            }
            event(0, unitId, tr("drained"), links.size() == 1 ? QCoreApplication::translate("FailoverManager", "all %1 changes applied on %2").arg(total).arg(first.targetNode)
                                                              : QCoreApplication::translate("FailoverManager", "every change of %1 applied on %2").arg(tableList, first.targetNode));
            // 3. Promote the replica; it takes over each link in the other direction.
            auto connection = connectTo(first.targetHost, first.targetPort, tls, config.name, 5000);
            for (const LinkDefinition &link : links) {
                sentUnknown = link.id;
                try {
                    connection->client()->request(protocol::Type::Promote, QCborMap{{QStringLiteral("db"), link.targetDatabase},
                                                                                    {QStringLiteral("table"), link.targetTable},
                                                                                    {QStringLiteral("link"), link.toCbor()},
                                                                                    {QStringLiteral("epoch"), epochs.value(link.id)},
                                                                                    {QStringLiteral("replica_port"), config.listenPort}})
                        .result();
                } catch (const WireError &error) {
                    // Refused before the target changed anything (promote()'s checks).
                    const QString code = error.code();
                    if (code == protocol::ErrorCode::FailoverRefused || code == protocol::ErrorCode::StaleEpoch || code == protocol::ErrorCode::UnknownDatabase
                        || code == protocol::ErrorCode::BadMessage || code == protocol::ErrorCode::UnknownMessage)
                        sentUnknown.clear();
                    throw;
                }
                sentUnknown.clear();
                promoted.insert(link.id);
            }
        } catch (...) {
            // Promoted tables are the other node's now; one whose promotion may have been
            // carried out with only its answer lost stays fenced (if the target was promoted,
            // the link meets its new epoch and demotes this node); the others are lifted.
            QStringList outcome;
            for (qsizetype i = 0; i < links.size(); ++i) {
                const LinkDefinition &link = links.at(i);
                try {
                    if (promoted.contains(link.id)) {
                        becomeReplica(link);
                        outcome.append(QCoreApplication::translate("FailoverManager", "%1: %2 is its primary").arg(link.sourceTable, link.targetNode));
                    } else if (link.id == sentUnknown) {
                        outcome.append(QCoreApplication::translate("FailoverManager", "%1: %2 may have been promoted: writes to it stay refused; run the failover again, or check %2")
                                           .arg(link.sourceTable, link.targetNode));
                    } else if (i < fenced) {
                        database->setReplicaGuard(link.sourceTable, false, QString()).waitForFinished();
                        if (links.size() > 1)
                            outcome.append(QCoreApplication::translate("FailoverManager", "%1: the fence was lifted; this node is still its primary").arg(link.sourceTable));
                    }
                } catch (const FerryError &error) {
                    outcome.append(QStringLiteral("%1: %2").arg(link.sourceTable, error.message()));
                }
            }
            event(2, unitId, tr("graceful failover failed"), outcome.isEmpty() ? tr("the fence was lifted; this node is still the primary") : outcome.join(QLatin1String("; ")));
            finish();
            throw;
        }
        // 4. This node is now the replica.
        qint64 epoch = 0;
        for (const LinkDefinition &link : links) {
            becomeReplica(link);
            epoch = std::max(epoch, epochs.value(link.id));
        }
        const qint64 ms = clock.elapsed();
        event(0, unitId, tr("graceful failover done"), QCoreApplication::translate("FailoverManager", "%1 is primary (epoch %2) after %3 ms").arg(first.targetNode).arg(epoch).arg(ms));
        finish();
        return QCborMap{{QStringLiteral("link"), unitId}, {QStringLiteral("from"), config.name}, {QStringLiteral("to"), first.targetNode},
                        {QStringLiteral("epoch"), epoch}, {QStringLiteral("forced"), false}, {QStringLiteral("duration_ms"), ms},
                        {QStringLiteral("tables"), links.size()}, {QStringLiteral("changes_at_risk"), 0}};
    });
}

QFuture<QCborMap> FailoverManager::forcedDatabaseFailover(const QString &unitId, const QStringList &memberIds)
{
    // The primary is down: every table promoted here, one after the other (each waits for
    // its own write lease to lapse; the first wait covers the others).
    m_running.insert(unitId);
    return runInPool(&m_workers, [this, unitId, memberIds] {
        auto running = qScopeGuard([&] { inNodeThread([&] { m_running.remove(unitId); }); });
        QCborArray results;
        qint64 epoch = 0;
        qint64 atRisk = 0;
        for (const QString &id : memberIds) {
            QFuture<QCborMap> one;
            inNodeThread([&] { one = forcedFailover(id, false); });
            const QCborMap result = one.result();   // rethrows: the tables after it stay replicas
            results.append(result);
            epoch = std::max(epoch, result.value(QStringLiteral("epoch")).toInteger());
            atRisk += std::max<qint64>(0, result.value(QStringLiteral("changes_at_risk")).toInteger());
        }
        return QCborMap{{QStringLiteral("link"), unitId}, {QStringLiteral("to"), m_server->config().name}, {QStringLiteral("epoch"), epoch},
                        {QStringLiteral("forced"), true}, {QStringLiteral("tables"), memberIds.size()}, {QStringLiteral("changes_at_risk"), atRisk},
                        {QStringLiteral("results"), results}};
    });
}

QFuture<QCborMap> FailoverManager::promote(const QCborMap &request, const QString &peerNode, const QString &peerHost)
{
    const MessageFields fields(QStringLiteral("promote"), request);
    LinkDefinition old;
    try {
        old = LinkDefinition::fromCbor(fields.map(QLatin1StringView("link")));
    } catch (const WireError &) {
        throw;
    } catch (const FerryError &error) {
        throw WireError(protocol::ErrorCode::BadMessage, error.message());
    }
    const qint64 epoch = fields.integer(QLatin1StringView("epoch"), 1, LLONG_MAX);
    const quint16 replicaPort = quint16(fields.integer(QLatin1StringView("replica_port"), 1, 65535));
    if (old.targetNode != m_server->config().name || old.sourceNode != peerNode)
        throw WireError(protocol::ErrorCode::FailoverRefused, QCoreApplication::translate("FailoverManager", "link %1 does not run from %2 to %3").arg(old.id, peerNode, m_server->config().name));
    // The link as its source registered it here, not as the request describes it: only the
    // node that streams into this table may hand its primary role over to it.
    const auto registered = m_inbound.constFind(old.id);
    if (registered == m_inbound.constEnd() || registered->link.sourceNode != peerNode || registered->link.targetDatabase != old.targetDatabase
        || registered->link.targetTable != old.targetTable)
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        QCoreApplication::translate("FailoverManager", "promote: node \"%1\" has registered no link %2 into %3.%4 on %5")
                            .arg(peerNode, old.id, old.targetDatabase, old.targetTable, m_server->config().name));
    if (m_roles.role(old.targetDatabase, old.targetTable).epoch >= epoch)
        throwStaleEpoch(old.targetDatabase, old.targetTable);
    DatabaseService *database = m_server->database(old.targetDatabase);
    if (!database)
        throw WireError(protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("FailoverManager", "node %1 has no database \"%2\"").arg(m_server->config().name, old.targetDatabase));
    m_running.insert(old.id);
    // Whether automatic failover is armed travels with the role: the new replica gets this
    // node's state (disarmed until failover-ack after an automatic failover).
    const bool armed = m_inbound.contains(old.id) ? m_inbound.value(old.id).armed : old.failoverArmed;
    return runInPool(&m_workers, [this, old, epoch, replicaPort, peerHost, database, armed] {
        // A failure leaves the link free for another attempt.
        auto running = qScopeGuard([&] { inNodeThread([&] { m_running.remove(old.id); }); });
        // Capture first, then lift the guard: no application write can slip between.
        database->installCapture(old.targetTable).waitForFinished();
        const qint64 startSeq = database->lastChangeSeq(old.targetTable).result();
        inNodeThread([&] { m_roles.set(old.targetDatabase, old.targetTable, TableRole{epoch, m_server->config().name, true}); });
        releaseWriteLeases(old.targetDatabase, old.targetTable);   // a lease of an epoch when this node was primary before
        database->setReplicaGuard(old.targetTable, false, QString()).waitForFinished();
        LinkDefinition reversed = old;
        reversed.sourceDatabase = old.targetDatabase;
        reversed.sourceTable = old.targetTable;
        reversed.targetHost = peerHost;
        reversed.targetPort = replicaPort;
        reversed.targetDatabase = old.sourceDatabase;
        reversed.targetTable = old.sourceTable;
        reversed.sourceNode = m_server->config().name;
        reversed.targetNode = old.sourceNode;
        reversed.epoch = epoch;
        reversed.rejoin = false;
        reversed.paused = false;
        reversed.failoverArmed = armed;
        LinkCheckpoint checkpoint;
        checkpoint.synced = true;   // the old primary drained: both tables hold the same rows
        checkpoint.startSeq = startSeq;
        inNodeThread([&] {
            m_links->adopt(reversed, checkpoint);
            m_inbound.remove(old.id);
            saveInbound();
        });
        event(0, old.id, tr("promoted"), QCoreApplication::translate("FailoverManager", "primary of %1 in epoch %2; %3 is now its replica").arg(old.targetTable).arg(epoch).arg(old.sourceNode));
        return QCborMap{{QStringLiteral("epoch"), epoch}};
    });
}

QFuture<QCborMap> FailoverManager::forcedFailover(const QString &linkId, bool automatic)
{
    const Inbound inbound = m_inbound.value(linkId);
    const QSslConfiguration tls = m_server->tls();
    const QString self = m_server->config().name;
    DatabaseService *database = m_server->database(inbound.link.targetDatabase);
    if (!database)
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(WireError(
            protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("FailoverManager", "node %1 has no database \"%2\"").arg(self, inbound.link.targetDatabase))));
    m_running.insert(linkId);
    const qint64 epoch = std::max(m_roles.role(inbound.link.targetDatabase, inbound.link.targetTable).epoch, inbound.link.epoch) + 1;
    event(1, linkId, automatic ? tr("automatic failover started") : tr("forced failover started"),
          QCoreApplication::translate("FailoverManager", "%1 unreachable; promoting %2").arg(inbound.link.sourceNode, self));
    return runInPool(&m_workers, [this, inbound, tls, self, database, epoch, automatic, linkId] {
        QElapsedTimer clock;
        clock.start();
        try {
            if (!automatic) {
                // An operator's forced failover is refused while the primary answers.
                bool reachable = false;
                try {
                    connectTo(inbound.sourceHost, inbound.sourcePort, tls, self, 1000);
                    reachable = true;
                } catch (const FerryError &) {
                }
                if (reachable)
                    throw WireError(protocol::ErrorCode::FailoverRefused, QCoreApplication::translate("FailoverManager", "the primary %1 is reachable: fail over gracefully (ask %1, without --force)")
                                                                            .arg(inbound.link.sourceNode));
            }
            // The old primary's database takes writes until its write lease lapses: at the
            // latest the lease after this node last heard from it. Only then is this node
            // promoted (no moment with two writable databases).
            Inbound now;
            inNodeThread([&] { now = m_inbound.value(linkId); });
            qint64 leaseEndMs = 0;
            if (now.leased) {
                leaseEndMs = now.lastSeenMs + now.leaseMs + writelease::marginMs(int(now.leaseMs));
                while (nowMs() < leaseEndMs)
                    QThread::msleep(std::clamp<qint64>(leaseEndMs - nowMs(), 1, 50));
                qint64 lastSeen = 0;
                inNodeThread([&] {
                    lastSeen = m_inbound.value(linkId).lastSeenMs;
                    if (lastSeen == now.lastSeenMs)
                        m_promoting.insert(linkId);   // from here on the primary renews nothing
                });
                if (lastSeen != now.lastSeenMs)
                    throw WireError(protocol::ErrorCode::FailoverRefused, QCoreApplication::translate("FailoverManager", "%1 was heard from again while its write lease ran out: it is alive; "
                                                                                                                         "fail over gracefully (ask %1)")
                                                                            .arg(inbound.link.sourceNode));
            }
            // Changes up to the source's acknowledged position are here even when the link's
            // initial sync (after a rejoin) brought them rather than the change feed.
            const qint64 applied = std::max(database->appliedSeq(inbound.link.appliedKey()).result(), std::max(inbound.coveredSeq, now.coveredSeq));
            // The recovery point: what the old primary last said it had committed (and when),
            // against what this node applied, is a lower bound; what it committed after
            // that report is unknown here, up to the end of its write lease (or without
            // bound when it had none).
            const qint64 headSeq = std::max(inbound.headSeq, now.headSeq);
            const qint64 headAtUs = std::max(inbound.headAtUs, now.headAtUs);
            const qint64 atRisk = std::max<qint64>(0, headSeq - applied);
            const qint64 oldestUnackedAtUs = now.oldestUnackedAtUs > 0 ? now.oldestUnackedAtUs : inbound.oldestUnackedAtUs;
            qint64 oldestAtUs = headAtUs > 0 ? headAtUs : now.lastSeenMs * 1000;
            if (atRisk > 0 && oldestUnackedAtUs > 0)
                oldestAtUs = std::min(oldestAtUs, oldestUnackedAtUs);
            const qint64 untilUs = leaseEndMs > 0 ? leaseEndMs * 1000 : 0;
            database->installCapture(inbound.link.targetTable).waitForFinished();
            inNodeThread([&] { m_roles.set(inbound.link.targetDatabase, inbound.link.targetTable, TableRole{epoch, self, true}); });
            releaseWriteLeases(inbound.link.targetDatabase, inbound.link.targetTable);   // of an epoch when this node was primary before
            database->setReplicaGuard(inbound.link.targetTable, false, QString()).waitForFinished();
            LinkDefinition reversed = inbound.link;
            reversed.sourceDatabase = inbound.link.targetDatabase;
            reversed.sourceTable = inbound.link.targetTable;
            reversed.targetHost = inbound.sourceHost;
            reversed.targetPort = inbound.sourcePort;
            reversed.targetDatabase = inbound.link.sourceDatabase;
            reversed.targetTable = inbound.link.sourceTable;
            reversed.sourceNode = self;
            reversed.targetNode = inbound.link.sourceNode;
            reversed.epoch = epoch;
            reversed.paused = false;
            // At most one automatic failover until acknowledged: the new replica starts
            // disarmed after an automatic one, as this node was before an operator's.
            reversed.failoverArmed = !automatic && inbound.armed;
            // When the old primary is back, the link first demotes it (it keeps what it
            // never replicated), then resynchronizes it by block verification.
            reversed.rejoin = true;
            reversed.rejoinAppliedSeq = applied;
            inNodeThread([&] {
                m_links->adopt(reversed, LinkCheckpoint{});
                m_inbound.remove(linkId);
                saveInbound();
                m_running.remove(linkId);
                m_promoting.remove(linkId);
            });
            const qint64 ms = clock.elapsed();
            auto time = [](qint64 us) { return QDateTime::fromMSecsSinceEpoch(us / 1000).toUTC().toString(Qt::ISODateWithMs); };
            const QString recovery = untilUs > 0
                ? QCoreApplication::translate("FailoverManager", "at least %1 changes written on %2 between %3 and %4 may be lost (%1 it reported and this node never "
                                                                 "applied; what it wrote after %5 is unknown here, and it took no writes after %4, when its write lease "
                                                                 "lapsed); they will be kept in %2's conflicts table when it returns")
                      .arg(atRisk)
                      .arg(inbound.link.sourceNode, time(oldestAtUs), time(untilUs), time(headAtUs > 0 ? headAtUs : oldestAtUs))
                : QCoreApplication::translate("FailoverManager", "at least %1 changes written on %2 between %3 and now may be lost (%1 it reported and this node "
                                                                 "never applied; its table was not fenced by a write lease: it takes writes until it learns of "
                                                                 "epoch %4); they will be kept in %2's conflicts table when it returns")
                      .arg(atRisk)
                      .arg(inbound.link.sourceNode, time(oldestAtUs))
                      .arg(epoch);
            event(1, linkId, automatic ? tr("automatic failover done") : tr("forced failover done"),
                  QCoreApplication::translate("FailoverManager", "%1 is primary (epoch %2) after %3 ms; %4").arg(self).arg(epoch).arg(ms).arg(recovery));
            return QCborMap{{QStringLiteral("link"), linkId}, {QStringLiteral("from"), inbound.link.sourceNode}, {QStringLiteral("to"), self},
                            {QStringLiteral("epoch"), epoch}, {QStringLiteral("forced"), true}, {QStringLiteral("automatic"), automatic},
                            {QStringLiteral("duration_ms"), ms},
                            // A lower bound: never "nothing lost" when this node cannot know.
                            {QStringLiteral("changes_at_risk"), atRisk}, {QStringLiteral("changes_at_risk_exact"), false},
                            {QStringLiteral("oldest_at_risk_us"), oldestAtUs},
                            {QStringLiteral("at_risk_until_us"), untilUs > 0 ? QCborValue(untilUs) : QCborValue(nullptr)},
                            {QStringLiteral("reported_head_at_us"), headAtUs},
                            {QStringLiteral("lease_lapsed_at_us"), untilUs > 0 ? QCborValue(untilUs) : QCborValue(nullptr)},
                            {QStringLiteral("applied_seq"), applied},
                            {QStringLiteral("primary_last_seen_ms"), inbound.lastSeenMs}};
        } catch (...) {
            inNodeThread([&] {
                m_running.remove(linkId);
                m_promoting.remove(linkId);
            });
            event(2, linkId, automatic ? tr("automatic failover failed") : tr("forced failover failed"), tr("nothing was changed"));
            throw;
        }
    });
}

QFuture<QCborMap> FailoverManager::demote(const QCborMap &request, const QString &peerNode, const QString &peerHost)
{
    const MessageFields fields(QStringLiteral("demote"), request);
    const QString database = fields.string(QLatin1StringView("db"));
    const QString table = fields.string(QLatin1StringView("table"));
    const QString linkId = fields.string(QLatin1StringView("link"));
    const qint64 epoch = fields.integer(QLatin1StringView("epoch"), 1, LLONG_MAX);
    const QString primary = fields.string(QLatin1StringView("primary"));
    const quint16 primaryPort = quint16(fields.integer(QLatin1StringView("primary_port"), 1, 65535));
    const qint64 applied = fields.integer(QLatin1StringView("applied_seq"), 0, LLONG_MAX);
    if (primary != peerNode)
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("FailoverManager", "%1 cannot demote this node in the name of %2").arg(peerNode, primary));
    const TableRole role = m_roles.role(database, table);
    if (role.epoch > epoch)
        throwStaleEpoch(database, table);
    // Only the node this node's own link of that table ran to (the replica that took over)
    // may demote it, or the node this one already knows as the primary of that epoch (it
    // demoted itself on the link's own stale epoch, and the link is detached since).
    LinkRunner *runner = m_links->find(linkId);
    const bool known = role.epoch == epoch && role.primary == peerNode;
    if (!known) {
        const LinkDefinition own = runner ? runner->definition() : LinkDefinition();
        if (!runner || own.targetNode != peerNode || own.sourceDatabase != database || own.sourceTable != table)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("FailoverManager", "demote: %1 runs no link %2 from %3.%4 to node \"%5\"")
                                .arg(m_server->config().name, linkId, database, table, peerNode));
    }
    // The link this node ran towards the new primary says where that primary's table is.
    QString primaryDatabase = database;
    QString primaryTable = table;
    if (runner) {
        primaryDatabase = runner->definition().targetDatabase;
        primaryTable = runner->definition().targetTable;
    }
    // Demotions run one at a time, and this one after any under way (the link's own stale
    // epoch may have started one): the new primary resynchronizes the table, overwriting its
    // rows, only once the changes it never had are kept.
    return runInPool(&m_demoter, [=] {
        qint64 preserved = -1;
        inNodeThread([&] {
            const TableRole now = m_roles.role(database, table);
            if (now.epoch > epoch)
                throwStaleEpoch(database, table);
            const QString done = database + QLatin1Char('/') + table + QLatin1Char('@') + QString::number(epoch);
            if (now.epoch == epoch && now.primary == primary && m_preserved.contains(done))
                preserved = m_preserved.value(done);   // demoted already (by the link's own stale epoch)
        });
        if (preserved >= 0)
            return QCborMap{{QStringLiteral("preserved"), preserved}};
        return demoteTable(database, table, linkId, epoch, primary, peerHost, primaryPort, primaryDatabase, primaryTable, applied);
    });
}

void FailoverManager::demoteAfterStaleEpoch(const QString &linkId, qint64 epoch, const QString &primary)
{
    LinkRunner *runner = m_links->find(linkId);
    if (!runner)
        return;
    const LinkDefinition link = runner->definition();
    if (m_roles.role(link.sourceDatabase, link.sourceTable).epoch >= epoch)
        return;
    // A graceful failover of the link under way: its promotion of the target is what the
    // link met, and the failover makes this node the replica itself (its table drained:
    // nothing to keep).
    if (m_running.contains(linkId))
        return;
    // What the target acknowledged (applied, or copied by the finished initial sync) is
    // there even when its applied sequence number does not say so.
    const LinkCheckpoint checkpoint = runner->checkpoint();
    const qint64 acknowledged = checkpoint.synced ? checkpoint.ackedSeq : 0;
    event(1, linkId, tr("newer epoch seen"), QCoreApplication::translate("FailoverManager", "%1 is primary since epoch %2: demoting").arg(primary).arg(epoch));
    const QSslConfiguration tls = m_server->tls();
    const QString self = m_server->config().name;
    runInPool(&m_demoter, [=] {
        try {
            bool done = false;   // by the new primary's demote request, while this one waited
            inNodeThread([&] {
                const TableRole now = m_roles.role(link.sourceDatabase, link.sourceTable);
                done = now.epoch > epoch
                       || (now.epoch == epoch && m_preserved.contains(link.sourceDatabase + QLatin1Char('/') + link.sourceTable + QLatin1Char('@') + QString::number(epoch)));
            });
            if (done)
                return;
            // What the new primary had applied of this node's changes when it took over.
            auto connection = connectTo(link.targetHost, link.targetPort, tls, self, 5000);
            const qint64 applied = MessageFields(connection->client()->request(protocol::Type::Applied, QCborMap{{QStringLiteral("db"), link.targetDatabase},
                                                                                                                   {QStringLiteral("link"), link.appliedKey()}})
                                                     .result())
                                       .integer(QLatin1StringView("seq"), 0, LLONG_MAX);
            demoteTable(link.sourceDatabase, link.sourceTable, linkId, epoch, primary, link.targetHost, link.targetPort, link.targetDatabase,
                        link.targetTable, std::max(applied, acknowledged));
        } catch (const FerryError &error) {
            event(2, linkId, tr("demotion failed"), error.message());
        }
    });
}

QCborMap FailoverManager::demoteTable(const QString &database, const QString &table, const QString &linkId, qint64 epoch, const QString &primary,
                                      const QString &primaryHost, quint16 primaryPort, const QString &primaryDatabase, const QString &primaryTable,
                                      qint64 appliedSeq)
{
    const NodeConfig config = m_server->config();
    DatabaseService *service = m_server->database(database);
    const NodeConfig::Database *source = config.database(database);
    if (!service || !source)
        throw WireError(protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("FailoverManager", "node %1 has no database \"%2\"").arg(config.name, database));
    // The role first (durably), then the guard: from here on this node refuses writes.
    inNodeThread([&] { m_roles.set(database, table, TableRole{epoch, primary, false}); });
    service->setReplicaGuard(table, true, QCoreApplication::translate("FailoverManager", "ferry: table %1 on %2 is a read-only replica of %3 (epoch %4); write to %3")
                                              .arg(table, config.name, primary)
                                              .arg(epoch))
        .waitForFinished();
    m_links->detachFromAnyThread(linkId);

    // Keep every change this node committed that the new primary never applied: both
    // versions go to the conflicts table, where the operator can see and re-apply them.
    auto store = Store::open(source->source, Store::Options{false, 5000});
    store->releaseWriteLease(table, QString());   // the replica guard fences it now
    const TableSchema schema = store->describe(table);
    qint64 preserved = 0;
    qint64 oldestAtUs = 0;
    if (store->hasCapture(table)) {
        QList<Change> unreplicated;
        for (qint64 after = appliedSeq;;) {
            const QList<Change> changes = store->readChanges(schema, after, 10000);
            if (changes.isEmpty())
                break;
            unreplicated += changes;
            after = changes.constLast().seq;
        }
        if (!unreplicated.isEmpty()) {
            oldestAtUs = unreplicated.first().committedAtUs;
            // The newest local version of each key, and the new primary's version of it.
            QHash<QString, Change> latest;
            QList<Key> keys;
            for (const Change &change : unreplicated) {
                const QString text = QString::fromUtf8(QCborValue(wirecodec::encodeKey(schema.keyTypes(), change.key)).toCbor().toHex());
                if (!latest.contains(text))
                    keys.append(change.key);
                latest.insert(text, change);
            }
            QHash<QString, Row> theirs;
            try {
                auto connection = connectTo(primaryHost, primaryPort, m_server->tls(), config.name, 5000);
                QCborArray encodedKeys;
                for (const Key &key : keys)
                    encodedKeys.append(wirecodec::encodeKey(schema.keyTypes(), key));
                const Message reply = connection->client()->request(protocol::Type::Rows, QCborMap{{QStringLiteral("db"), primaryDatabase},
                                                                                                     {QStringLiteral("table"), primaryTable},
                                                                                                     {QStringLiteral("keys"), encodedKeys}})
                                          .result();
                for (const QCborValue &value : MessageFields(reply).array(QLatin1StringView("rows"))) {
                    const Row row = wirecodec::decodeRow(schema, value, reply.type);
                    theirs.insert(QString::fromUtf8(QCborValue(wirecodec::encodeKey(schema.keyTypes(), schema.keyOf(row))).toCbor().toHex()), row);
                }
            } catch (const FerryError &error) {
                event(1, linkId, tr("the new primary's rows could not be read"), error.message());
            }
            QList<ConflictRecord> records;
            for (const Key &key : keys) {
                const QString text = QString::fromUtf8(QCborValue(wirecodec::encodeKey(schema.keyTypes(), key)).toCbor().toHex());
                const Change &change = latest[text];
                records.append(ConflictRecord{key, theirs.value(text), change.deleted ? Row() : change.row, config.name,
                                              QCoreApplication::translate("FailoverManager", "written on %1 after the last change %2 applied; %2 became primary in epoch %3")
                                                  .arg(config.name, primary)
                                                  .arg(epoch)});
            }
            store->recordConflicts(schema, linkId, records);
            preserved = unreplicated.size();
        }
        // Other links of the table (a cascade from here) go on reading its change log: the
        // new primary's changes, applied here, pass through it.
        bool needed = false;
        inNodeThread([&] {
            for (const LinkRunner *runner : m_links->runners()) {
                const LinkDefinition other = runner->definition();
                needed = needed || (other.id != linkId && other.sourceDatabase == database && other.sourceTable == table);
            }
        });
        if (!needed)
            store->removeCapture(table);
    }
    inNodeThread([&] { m_preserved.insert(database + QLatin1Char('/') + table + QLatin1Char('@') + QString::number(epoch), preserved); });
    event(preserved > 0 ? 1 : 0, linkId, tr("demoted"),
          QCoreApplication::translate("FailoverManager", "replica of %1 in epoch %2; %3 unreplicated changes kept in _ferry_conflicts").arg(primary).arg(epoch).arg(preserved));
    return QCborMap{{QStringLiteral("preserved"), preserved}, {QStringLiteral("oldest_at_us"), oldestAtUs}};
}

void FailoverManager::checkAutomatic()
{
    const qint64 now = nowMs();
    for (auto it = m_inbound.begin(); it != m_inbound.end(); ++it) {
        Inbound &inbound = *it;
        if (!inbound.link.autoFailover || inbound.lastSeenMs == 0 || m_running.contains(inbound.link.id))
            continue;
        if (now - inbound.lastSeenMs < inbound.link.failoverTimeoutMs)
            continue;
        if (!inbound.armed) {
            // The primary is gone, but an automatic failover happened already: say why
            // nothing happens (at most every 5 s).
            if (now - inbound.lastAutoNoteMs > 5000) {
                inbound.lastAutoNoteMs = now;
                event(1, inbound.link.id, tr("no automatic failover"),
                      QCoreApplication::translate("FailoverManager", "%1 is unreachable, but an automatic failover happened already; run failover-ack on %2 to allow another")
                          .arg(inbound.link.sourceNode, m_server->config().name));
            }
            continue;
        }
        if (!inbound.leased) {
            // Without a write lease the primary's database would go on taking writes while
            // this node takes over: two writable primaries.
            if (now - inbound.lastAutoNoteMs > 5000) {
                inbound.lastAutoNoteMs = now;
                event(1, inbound.link.id, tr("no automatic failover"),
                      QCoreApplication::translate("FailoverManager", "%1 is unreachable, but its table %2 was not fenced by a write lease: it may still take writes; "
                                                                     "fail over with --force once %1 is known to be down")
                          .arg(inbound.link.sourceNode, inbound.link.sourceTable));
            }
            continue;
        }
        // Unreachable from here for the timeout: ask the witness before doing anything.
        const QString linkId = inbound.link.id;
        m_running.insert(linkId);
        const QSslConfiguration tls = m_server->tls();
        const QString self = m_server->config().name;
        const Inbound copy = inbound;
        const QFuture<bool> asked = runInPool(&m_workers, [copy, tls, self] {
            auto witness = connectTo(copy.link.witnessHost, copy.link.witnessPort, tls, self, 1000);
            const Message reply = witness->client()->request(protocol::Type::Probe, QCborMap{{QStringLiteral("host"), copy.sourceHost},
                                                                                             {QStringLiteral("port"), copy.sourcePort}})
                                      .result();
            return reply.body.value(QStringLiteral("reachable")).toBool();
        });
        whenFinished(this, asked, [this, linkId](const QFuture<bool> &done) {
            m_running.remove(linkId);
            const auto found = m_inbound.find(linkId);
            if (found == m_inbound.end())
                return;
            bool witnessReachesPrimary = false;
            try {
                witnessReachesPrimary = resultOf(done);
            } catch (const FerryError &error) {
                if (nowMs() - found->lastAutoNoteMs > 5000) {
                    found->lastAutoNoteMs = nowMs();
                    event(1, linkId, tr("no automatic failover"), QCoreApplication::translate("FailoverManager", "the witness could not be asked: %1").arg(error.message()));
                }
                return;
            }
            if (witnessReachesPrimary) {
                if (nowMs() - found->lastAutoNoteMs > 5000) {
                    found->lastAutoNoteMs = nowMs();
                    event(1, linkId, tr("no automatic failover"), QCoreApplication::translate("FailoverManager", "%1 is unreachable from here, but the witness still reaches it").arg(found->link.sourceNode));
                }
                return;
            }
            found->armed = false;   // at most one automatic failover until acknowledged
            saveInbound();
            forcedFailover(linkId, true);
        });
    }
}

} // namespace ferry
