#include "console/consolesession.h"

#include "net/remoteendpoint.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"
#include "util/runinpool.h"
#include "util/whenfinished.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QMutexLocker>
#include <QThread>

namespace ferry {

namespace {

// For the session's own reads: an answer lost with the connection is asked again after the
// reconnect or at the next poll.
void ignoreLost(const std::exception &) {}

} // namespace

ConsoleSession::ConsoleSession(const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
    , m_tls(tls)
{
    qRegisterMetaType<QList<ferry::NodeView>>();
    qRegisterMetaType<QList<ferry::LinkView>>();
    qRegisterMetaType<QList<ferry::NodeEvent>>();
    qRegisterMetaType<ferry::VerificationProgress>();
}

Role ConsoleSession::role() const
{
    return certificateRole(m_tls.localCertificate());
}

ConsoleSession::~ConsoleSession()
{
    if (m_thread && m_thread->isRunning()) {
        // The clients and timers belong to the session's thread: end them there, bring
        // the object back to this thread, then stop the thread.
        QThread *home = QThread::currentThread();
        QMetaObject::invokeMethod(this, [this, home] {
            delete m_publish;
            delete m_health;
            m_publish = m_health = nullptr;
            QMutexLocker locker(&m_mutex);
            m_nodes.clear();
            moveToThread(home);
        }, Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
    QMutexLocker locker(&m_mutex);
    m_nodes.clear();
}

void ConsoleSession::startInThread()
{
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("ferry-console-session"));
    moveToThread(m_thread.get());
    m_thread->start();
    QMetaObject::invokeMethod(this, [this] {
        m_publish = new QTimer(this);
        m_publish->setInterval(250);
        connect(m_publish, &QTimer::timeout, this, &ConsoleSession::publish);
        m_publish->start();
        m_health = new QTimer(this);
        m_health->setInterval(1000);
        connect(m_health, &QTimer::timeout, this, &ConsoleSession::pollHealth);
        m_health->start();
    });
}

QFuture<NodeHello> ConsoleSession::probe(const QString &host, quint16 port, int timeoutMs) const
{
    return runInPool(QThreadPool::globalInstance(), [host, port, timeoutMs, tls = m_tls] {
        NodeClient::Options options;
        options.clientName = QStringLiteral("console");
        options.connectTimeoutMs = timeoutMs;
        NodeClientThread connection(host, port, tls, options);
        return connection.connectAndWait();
    });
}

void ConsoleSession::addNode(const QString &host, quint16 port)
{
    const QString address = QStringLiteral("%1:%2").arg(host).arg(port);
    QMetaObject::invokeMethod(this, [this, address] { connectNode(address); });
}

void ConsoleSession::removeNode(const QString &address)
{
    QMetaObject::invokeMethod(this, [this, address] {
        {
            QMutexLocker locker(&m_mutex);
            m_nodes.erase(address);
            for (auto it = m_links.begin(); it != m_links.end();) {
                if (it->sourceAddress == address)
                    it = m_links.erase(it);
                else
                    ++it;
            }
        }
        m_dirty = true;
    });
}

void ConsoleSession::connectNode(const QString &address)
{
    QMutexLocker locker(&m_mutex);
    if (m_nodes.count(address))
        return;
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    NodeClient::Options options;
    options.clientName = QStringLiteral("console");
    options.autoReconnect = true;
    options.connectTimeoutMs = 5000;
    Node &node = m_nodes[address];
    node.view.address = address;
    node.client = std::make_unique<NodeClient>(address.left(colon), quint16(address.mid(colon + 1).toUInt()), m_tls, options);
    NodeClient *client = node.client.get();
    connect(client, &NodeClient::connected, this, [this, address](const NodeHello &hello) { onConnected(address, hello); });
    connect(client, &NodeClient::disconnected, this, [this, address](const QString &reason) {
        QMutexLocker locker(&m_mutex);
        const auto it = m_nodes.find(address);
        if (it == m_nodes.end())
            return;
        it->second.view.connected = false;
        it->second.view.lastError = reason;
        m_dirty = true;
    });
    locker.unlock();
    client->open();
    m_dirty = true;
}

NodeClient *ConsoleSession::client(const QString &address) const
{
    QMutexLocker locker(&m_mutex);
    const auto it = m_nodes.find(address);
    return it == m_nodes.end() ? nullptr : it->second.client.get();
}

void ConsoleSession::onConnected(const QString &address, const NodeHello &hello)
{
    NodeClient *node = client(address);
    if (!node)
        return;
    {
        QMutexLocker locker(&m_mutex);
        NodeView &view = m_nodes[address].view;
        view.connected = true;
        view.name = hello.node;
        view.region = hello.region;
        view.lastError.clear();
        m_dirty = true;
    }
    node->request(protocol::Type::Subscribe, {}, [this, address](const Message &event) { onEvent(address, event); });
    refreshTables(address);
    // Events that happened before the console connected.
    whenFinished(this, node->request(protocol::Type::Events, QCborMap{{QStringLiteral("count"), 200}}), [this](const Message &reply) {
        for (const QCborValue &value : reply.body.value(QStringLiteral("events")).toArray())
            m_pendingEvents.append(NodeEvent::fromCbor(value.toMap()));
    }, ignoreLost);
    pollHealth();
}

// The node's databases and tables (a link may have created one since the last time).
void ConsoleSession::refreshTables(const QString &address)
{
    NodeClient *node = client(address);
    if (!node)
        return;
    whenFinished(this, node->request(protocol::Type::Status, {}), [this, address](const Message &reply) {
        QMutexLocker locker(&m_mutex);
        const auto it = m_nodes.find(address);
        if (it == m_nodes.end())
            return;
        NodeView &view = it->second.view;
        view.databases.clear();
        view.tables.clear();
        for (const QCborValue &value : reply.body.value(QStringLiteral("databases")).toArray()) {
            const QCborMap db = value.toMap();
            const QString name = db.value(QStringLiteral("name")).toString();
            view.databases.append(name);
            QStringList tables;
            for (const QCborValue &table : db.value(QStringLiteral("tables")).toArray())
                tables.append(table.toString());
            view.tables.insert(name, tables);
        }
        m_dirty = true;
    }, ignoreLost);
}

void ConsoleSession::onEvent(const QString &address, const Message &event)
{
    if (event.type == protocol::Type::LinkStats) {
        QMutexLocker locker(&m_mutex);
        for (const QCborValue &value : event.body.value(QStringLiteral("links")).toArray()) {
            const LinkStats stats = LinkStats::fromCbor(value.toMap());
            const QString key = address + QLatin1Char('/') + stats.id;
            const auto it = m_links.find(key);
            if (it != m_links.end())
                it->stats = stats;
        }
        m_dirty = true;
    } else if (event.type == protocol::Type::Blocks) {
        try {
            emit blocksUpdated(event.body.value(QStringLiteral("link")).toString(),
                               wirecodec::decodeProgress(event.body.value(QStringLiteral("progress")).toMap(), event.type), address);
        } catch (const FerryError &) {
            // A malformed report is dropped; the next one carries the state again.
        }
    } else if (event.type == protocol::Type::Event) {
        m_pendingEvents.append(NodeEvent::fromCbor(event.body.value(QStringLiteral("event")).toMap()));
    }
}

void ConsoleSession::pollHealth()
{
    QStringList addresses;
    {
        QMutexLocker locker(&m_mutex);
        for (const auto &[address, node] : m_nodes) {
            if (node.view.connected)
                addresses.append(address);
        }
    }
    const bool tablesToo = ++m_healthPolls % 5 == 0;
    for (const QString &address : addresses) {
        NodeClient *node = client(address);
        if (!node)
            continue;
        if (tablesToo)
            refreshTables(address);
        whenFinished(this, node->request(protocol::Type::Health, {}), [this, address](const Message &reply) {
            QMutexLocker locker(&m_mutex);
            const auto it = m_nodes.find(address);
            if (it == m_nodes.end())
                return;
            NodeView &view = it->second.view;
            view.peers = reply.body.value(QStringLiteral("peers")).toArray();
            view.primaryTables = view.replicaTables = 0;
            for (const QCborValue &peer : view.peers) {
                if (peer.toMap().value(QStringLiteral("role")).toString() == QLatin1String("replica"))
                    ++view.primaryTables;   // the peer is this node's replica
                else
                    ++view.replicaTables;
            }
            m_dirty = true;
        }, ignoreLost);
        // The links themselves (created or removed by anyone).
        whenFinished(this, node->request(protocol::Type::LinkList, {}), [this, address](const Message &reply) {
            QMutexLocker locker(&m_mutex);
            QSet<QString> seen;
            for (const QCborValue &value : reply.body.value(QStringLiteral("links")).toArray()) {
                const QCborMap entry = value.toMap();
                LinkView view;
                view.sourceAddress = address;
                try {
                    view.link = LinkDefinition::fromCbor(entry.value(QStringLiteral("link")).toMap());
                } catch (const FerryError &) {
                    continue;
                }
                view.stats = LinkStats::fromCbor(entry.value(QStringLiteral("stats")).toMap());
                for (const QCborValue &row : entry.value(QStringLiteral("tables")).toArray()) {
                    const QCborMap table = row.toMap();
                    LinkStats stats;
                    stats.id = table.value(QStringLiteral("link")).toString();
                    stats.state = table.value(QStringLiteral("state")).toString();
                    stats.pending = table.value(QStringLiteral("pending")).toInteger();
                    stats.lagMs = table.value(QStringLiteral("lag_ms")).toDouble();
                    stats.rowsPerSecond = table.value(QStringLiteral("rows_per_s")).toDouble();
                    stats.appliedTotal = table.value(QStringLiteral("applied_total")).toInteger();
                    stats.blocks = int(table.value(QStringLiteral("blocks")).toInteger());
                    stats.blocksVerified = int(table.value(QStringLiteral("blocks_verified")).toInteger());
                    stats.blocksDiffering = int(table.value(QStringLiteral("blocks_differing")).toInteger());
                    stats.lastError = table.value(QStringLiteral("last_error")).toString();
                    stats.lastErrorAtMs = table.value(QStringLiteral("last_error_at_ms")).toInteger();
                    view.tables.append({table.value(QStringLiteral("table")).toString(), stats});
                }
                const QString key = address + QLatin1Char('/') + view.link.id;
                seen.insert(key);
                m_links.insert(key, view);
            }
            for (auto it = m_links.begin(); it != m_links.end();) {
                if (it->sourceAddress == address && !seen.contains(it.key()))
                    it = m_links.erase(it);
                else
                    ++it;
            }
            m_dirty = true;
        }, ignoreLost);
    }
}

void ConsoleSession::publish()
{
    if (m_dirty) {
        m_dirty = false;
        emit nodesChanged(nodes());
        emit linksChanged(links());
    }
    if (!m_pendingEvents.isEmpty()) {
        QList<NodeEvent> fresh;
        for (const NodeEvent &event : std::as_const(m_pendingEvents)) {
            const QString key = QStringLiteral("%1|%2|%3|%4|%5").arg(event.node).arg(event.atMs).arg(event.link, event.what, event.outcome);
            if (!m_seenEvents.contains(key)) {
                m_seenEvents.insert(key);
                fresh.append(event);
            }
        }
        if (m_seenEvents.size() > 20000)
            m_seenEvents.clear();   // bounded; an event that old is not sent again
        m_pendingEvents = fresh;
    }
    if (!m_pendingEvents.isEmpty()) {
        std::sort(m_pendingEvents.begin(), m_pendingEvents.end(), [](const NodeEvent &a, const NodeEvent &b) { return a.atMs < b.atMs; });
        emit eventsReceived(m_pendingEvents);
        m_pendingEvents.clear();
    }
}

QList<NodeView> ConsoleSession::nodes() const
{
    QMutexLocker locker(&m_mutex);
    QList<NodeView> views;
    for (const auto &[address, node] : m_nodes)
        views.append(node.view);
    return views;
}

QList<LinkView> ConsoleSession::links() const
{
    QMutexLocker locker(&m_mutex);
    return m_links.values();
}

QFuture<QCborMap> ConsoleSession::request(const QString &nodeAddress, QLatin1StringView type, const QCborMap &body)
{
    NodeClient *node = client(nodeAddress);
    if (!node)
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(
            WireError(protocol::ErrorCode::Unreachable, QCoreApplication::translate("ConsoleSession", "%1 is not one of the console's data centers").arg(nodeAddress))));
    return node->request(type, body).then([](const Message &reply) { return reply.body; });
}

QFuture<QCborMap> ConsoleSession::createLink(const QString &sourceAddress, const QCborMap &settings)
{
    return request(sourceAddress, protocol::Type::LinkCreate, QCborMap{{QStringLiteral("link"), settings}});
}

QFuture<QCborMap> ConsoleSession::setLinkPaused(const QString &sourceAddress, const QString &linkId, bool paused)
{
    return request(sourceAddress, paused ? protocol::Type::LinkPause : protocol::Type::LinkResume, QCborMap{{QStringLiteral("link"), linkId}});
}

QFuture<QCborMap> ConsoleSession::verifyLink(const QString &sourceAddress, const QString &linkId, bool repair)
{
    return request(sourceAddress, protocol::Type::LinkVerify, QCborMap{{QStringLiteral("link"), linkId}, {QStringLiteral("repair"), repair}});
}

QFuture<BlockRowsView> ConsoleSession::blockRows(const LinkView &link, int block, const KeyRange &range, int limit)
{
    auto fail = [](const QString &message) {
        return QtFuture::makeExceptionalFuture<BlockRowsView>(std::make_exception_ptr(WireError(protocol::ErrorCode::Unreachable, message)));
    };
    // The target's node as the console knows it: by its name, else by the address the
    // source node reaches it at.
    QString targetAddress;
    {
        QMutexLocker locker(&m_mutex);
        for (const auto &[address, node] : m_nodes) {
            if (node.view.name == link.link.targetNode
                || (targetAddress.isEmpty() && address == QStringLiteral("%1:%2").arg(link.link.targetHost).arg(link.link.targetPort)))
                targetAddress = address;
        }
    }
    NodeClient *source = client(link.sourceAddress);
    NodeClient *target = targetAddress.isEmpty() ? nullptr : client(targetAddress);
    if (!source)
        return fail(QCoreApplication::translate("ConsoleSession", "%1 is not one of the console's data centers").arg(link.sourceAddress));
    if (!target)
        return fail(QCoreApplication::translate("ConsoleSession", "the console is not connected to %1, the target of link %2").arg(link.link.targetNode, link.link.id));
    // Rows of one block: a few thousand at most; the wire's scan limit bounds a runaway one.
    constexpr int MaxRows = protocol::MaxScanRows;
    auto sourceSide = std::make_shared<RemoteEndpoint>(source, link.link.sourceDatabase);
    auto targetSide = std::make_shared<RemoteEndpoint>(target, link.link.targetDatabase);
    const QString sourceTable = link.link.sourceTable;
    const QString targetTable = link.link.targetTable;
    auto view = std::make_shared<BlockRowsView>();
    view->block = block;
    auto sourceRows = std::make_shared<QList<Row>>();
    // Each step continues in the thread that completed the previous one (a client's), the
    // comparison in the pool: never the GUI's.
    return sourceSide->describe(sourceTable)
        .then([sourceSide, view, range](const TableSchema &schema) {
            view->schema = schema;
            return sourceSide->readRange(schema, range, MaxRows);
        })
        .unwrap()
        .then([targetSide, targetTable, sourceRows](const QList<Row> &rows) {
            *sourceRows = rows;
            return targetSide->describe(targetTable);
        })
        .unwrap()
        .then([targetSide, range](const TableSchema &schema) { return targetSide->readRange(schema, range, MaxRows); })
        .unwrap()
        .then(QtFuture::Launch::Async, [view, sourceRows, range, limit](const QList<Row> &targetRows) {
            view->differences = diffRows(view->schema, *sourceRows, targetRows, limit);
            view->differences.block = view->block;
            view->differences.range = range;
            return *view;
        });
}

QFuture<QCborMap> ConsoleSession::removeLink(const QString &sourceAddress, const QString &linkId)
{
    return request(sourceAddress, protocol::Type::LinkRemove, QCborMap{{QStringLiteral("link"), linkId}});
}

QFuture<QCborMap> ConsoleSession::failover(const QString &nodeAddress, const QString &linkId, const QString &to, bool force)
{
    return request(nodeAddress, protocol::Type::Failover,
                   QCborMap{{QStringLiteral("link"), linkId}, {QStringLiteral("to"), to}, {QStringLiteral("force"), force}});
}

QFuture<QCborMap> ConsoleSession::acknowledgeFailover(const QString &nodeAddress, const QString &linkId)
{
    return request(nodeAddress, protocol::Type::FailoverAck, QCborMap{{QStringLiteral("link"), linkId}});
}

QFuture<QCborMap> ConsoleSession::failoverPlan(const QString &nodeAddress, const QString &linkId, const QString &to, bool force)
{
    return request(nodeAddress, protocol::Type::FailoverPlan, QCborMap{{QStringLiteral("link"), linkId}, {QStringLiteral("to"), to}, {QStringLiteral("force"), force}});
}

QFuture<QList<ConflictView>> ConsoleSession::conflicts(const QString &nodeAddress, const QString &database, int limit)
{
    return request(nodeAddress, protocol::Type::Conflicts, QCborMap{{QStringLiteral("db"), database}, {QStringLiteral("limit"), limit}})
        .then([](const QCborMap &reply) {
            QList<ConflictView> rows;
            for (const QCborValue &value : reply.value(QStringLiteral("conflicts")).toArray()) {
                const QCborMap row = value.toMap();
                rows.append(ConflictView{row.value(QStringLiteral("id")).toInteger(), row.value(QStringLiteral("at_us")).toInteger(),
                                         row.value(QStringLiteral("link")).toString(), row.value(QStringLiteral("table")).toString(),
                                         row.value(QStringLiteral("key")).toString(), row.value(QStringLiteral("kept")).toString(),
                                         row.value(QStringLiteral("lost")).toString(), row.value(QStringLiteral("lost_origin")).toString(),
                                         row.value(QStringLiteral("reason")).toString(), {}});
                for (const QCborValue &name : row.value(QStringLiteral("columns")).toArray())
                    rows.last().columns.append(name.toString());
                for (const QCborValue &type : row.value(QStringLiteral("column_types")).toArray())
                    rows.last().columnTypes.append(type.toString());
            }
            return rows;
        });
}

QFuture<QCborMap> ConsoleSession::applyConflictVersion(const QString &nodeAddress, const QString &database, const ConflictView &conflict, bool lost)
{
    return request(nodeAddress, protocol::Type::ConflictApply,
                   QCborMap{{QStringLiteral("db"), database}, {QStringLiteral("conflict"), conflict.id}, {QStringLiteral("table"), conflict.table},
                            {QStringLiteral("key"), conflict.key}, {QStringLiteral("version"), lost ? QStringLiteral("lost") : QStringLiteral("kept")},
                            {QStringLiteral("values"), lost ? conflict.lost : conflict.kept}, {QStringLiteral("link"), conflict.link}});
}

} // namespace ferry
