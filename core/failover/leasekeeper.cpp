#include "failover/leasekeeper.h"

#include "failover/writelease.h"
#include "net/nodeclient.h"
#include "node/nodeserver.h"
#include "replication/linkmanager.h"
#include "replication/linkrunner.h"
#include "storage/store.h"
#include "util/runinpool.h"
#include "util/whenfinished.h"
#include "wire/protocol.h"

#include <QDateTime>
#include <QDebug>

#include <map>

namespace ferry {

namespace {

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

// The stores the renewer thread opened, by database name: used by that thread only.
thread_local std::map<QString, std::unique_ptr<Store>> t_stores;

} // namespace

struct LeaseKeeper::Target
{
    std::unique_ptr<NodeClientThread> connection;
    int asking = 0;   // questions in flight over it
};

LeaseKeeper::LeaseKeeper(NodeServer *server, LinkManager *links, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_links(links)
{
    m_renewer.setMaxThreadCount(1);
    m_renewer.setExpiryTimeout(-1);   // the same thread, so that its stores stay usable
    // Twice per heartbeat, as the link renews it while it streams.
    m_timer.setInterval(std::max(50, server->config().heartbeatMs / 2));
    connect(&m_timer, &QTimer::timeout, this, &LeaseKeeper::tick);
    m_timer.start();
}

LeaseKeeper::~LeaseKeeper()
{
    m_timer.stop();
    m_renewer.start([] { t_stores.clear(); });   // closed by the thread that opened them
    m_renewer.waitForDone();
    m_targets.clear();
}

void LeaseKeeper::tick()
{
    const NodeConfig &config = m_server->config();
    QSet<QString> used;   // targets of leased links
    for (LinkRunner *runner : m_links->runners()) {
        if (!runner->holdsWriteLease())
            continue;
        const LinkDefinition link = runner->definition();
        if (m_asking.contains(link.id))
            continue;   // the last question is still open: no renewal before its answer
        // One connection per target node, whatever the number of links to it.
        const QString key = QStringLiteral("%1|%2:%3").arg(link.targetNode, link.targetHost).arg(link.targetPort);
        used.insert(key);
        std::shared_ptr<Target> &target = m_targets[key];
        if (!target) {
            const int leaseMs = writelease::leaseMs(link.failoverTimeoutMs);
            NodeClient::Options options;
            options.clientName = config.name;
            options.expectedNode = link.targetNode;
            options.autoReconnect = true;
            options.initialBackoffMs = 100;
            options.maxBackoffMs = std::max(200, leaseMs);
            options.connectTimeoutMs = std::max(1000, leaseMs);
            // A target that stopped answering holds no question open for longer than this.
            options.silenceTimeoutMs = std::max(1000, 2 * leaseMs);
            target = std::make_shared<Target>();
            target->connection = std::make_unique<NodeClientThread>(link.targetHost, link.targetPort, m_server->tls(), options);
            target->connection->client()->open();
        }
        const int leaseMs = writelease::leaseMs(link.failoverTimeoutMs);
        // The target receives the question at or after this moment.
        const qint64 sentAtUs = nowUs();
        const QString linkId = link.id;
        const QString database = link.sourceDatabase;
        const QString table = link.sourceTable;
        m_asking.insert(linkId);
        ++target->asking;
        const std::shared_ptr<Target> asked = target;
        const QFuture<Message> answer = target->connection->client()->request(protocol::Type::Lease, QCborMap{{QStringLiteral("link_id"), linkId},
                                                                                                            {QStringLiteral("db"), link.targetDatabase},
                                                                                                            {QStringLiteral("table"), link.targetTable},
                                                                                                            {QStringLiteral("epoch"), link.epoch},
                                                                                                            {QStringLiteral("lease_ms"), leaseMs}});
        whenFinished(this, answer, [this, asked, linkId, database, table, sentAtUs, leaseMs](const QFuture<Message> &done) {
            --asked->asking;
            bool armed = false;
            try {
                armed = resultOf(done).body.value(QStringLiteral("armed")).toBool();
            } catch (const FerryError &) {
                // Not confirmed (unreachable, a newer epoch, a failover under way there):
                // nothing is renewed; the link itself reports and handles what happened.
            }
            if (!armed) {
                m_asking.remove(linkId);
                return;
            }
            renew(linkId, database, table, sentAtUs + qint64(leaseMs) * 1000);
        });
    }
    for (auto it = m_targets.begin(); it != m_targets.end();) {
        if (!used.contains(it.key()) && it.value()->asking == 0)
            it = m_targets.erase(it);
        else
            ++it;
    }
}

void LeaseKeeper::renew(const QString &linkId, const QString &database, const QString &table, qint64 untilUs)
{
    const NodeConfig::Database *source = m_server->config().database(database);
    if (!source) {
        m_asking.remove(linkId);
        return;
    }
    const DataSource dataSource = source->source;
    const QFuture<bool> renewed = runInPool(&m_renewer, [database, dataSource, table, linkId, untilUs] {
        try {
            std::unique_ptr<Store> &store = t_stores[database];
            if (!store)
                store = Store::open(dataSource, Store::Options{false, 1000});
            // Never moves the expiry back, and renews nothing when the link released its
            // lease meanwhile.
            return store->renewWriteLease(table, linkId, untilUs);
        } catch (const FerryError &) {
            t_stores.erase(database);   // opened again next time (the database may be back)
            throw;
        }
    });
    whenFinished(this, renewed, [this, linkId](const QFuture<bool> &done) {
        m_asking.remove(linkId);
        try {
            if (resultOf(done))
                ++m_renewals;
        } catch (const FerryError &error) {
            // The lease lapses by itself, and the database refuses writes then.
            qWarning().noquote() << tr("link %1: the write lease could not be renewed: %2").arg(linkId, error.message());
        }
    });
}

} // namespace ferry
