#include "node/nodeserver.h"

#include "node/databaseservice.h"
#include "node/peersession.h"
#include "node/tlsacceptor.h"
#include "failover/failovermanager.h"
#include "node/eventlog.h"
#include "replication/linkmanager.h"
#include "security/tlsconfiguration.h"
#include "util/ferryerror.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/protocol.h"

#include <QCoreApplication>
#include <QDir>
#include <QSslSocket>
#include <QTimer>

namespace ferry {

NodeServer::NodeServer(const NodeConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    for (const NodeConfig::Database &database : m_config.databases)
        m_databases.emplace(database.name, std::make_unique<DatabaseService>(database));
}

NodeServer::~NodeServer()
{
    stop();
}

void NodeServer::start()
{
    m_tls = mutualTlsConfiguration(m_config.caFile, m_config.certificateFile, m_config.keyFile);
    // A node is the name in its certificate: a config that calls it otherwise would make
    // every peer refuse it.
    const QString certified = certificateName(m_tls.localCertificate());
    if (certified != m_config.name)
        throw FerryError(QCoreApplication::translate("NodeServer", "%1: the certificate names \"%2\", not this node (\"%3\"); issue one for %3 (ferryctl certs issue DIR %3)")
                             .arg(m_config.certificateFile, certified, m_config.name));
    m_server = new TlsAcceptor(m_tls, m_config.limits, this);
    connect(m_server, &TlsAcceptor::handshakeDone, this, &NodeServer::accept);
    if (!m_server->listen(m_config.listenAddress, m_config.listenPort))
        throw FerryError(QCoreApplication::translate("NodeServer", "cannot listen on %1:%2: %3")
                             .arg(m_config.listenAddress.toString()).arg(m_config.listenPort).arg(m_server->errorString()));
    m_uptime.start();
    // Listening on port 0 picks a free port: the links need the real one (the reverse half
    // of a bidirectional link connects back to it).
    m_config.listenPort = m_server->serverPort();
    m_events = new EventLog(QDir(m_config.dataDirectory).filePath(QStringLiteral("events.jsonl")), m_config.name, 5000, this);
    m_links = new LinkManager(m_config, m_tls, this);
    m_failover = new FailoverManager(this, m_links, m_events, this);
    connect(m_links, &LinkManager::eventOccurred, m_events, [this](int severity, const QString &link, const QString &what, const QString &outcome) {
        m_events->record(NodeEvent::Severity(severity), link, what, outcome);
    });
    m_failover->load();   // roles first: a link must not stream in an epoch that has passed
    m_links->load();
    m_events->record(NodeEvent::Severity::Info, QString(), QCoreApplication::translate("NodeServer", "node started"),
                     QCoreApplication::translate("NodeServer", "listening on port %1").arg(m_config.listenPort));
}

void NodeServer::accept(QSslSocket *socket)
{
    const QString peer = certificateName(socket->peerCertificate());
    QString refusal;
    if (m_sessions.size() >= m_config.limits.maxSessions)
        refusal = QCoreApplication::translate("NodeServer", "%1 connections in all; no more are taken").arg(m_config.limits.maxSessions);
    else if (m_sessionsPerPeer.value(peer) >= m_config.limits.maxSessionsPerPeer)
        refusal = QCoreApplication::translate("NodeServer", "%1 connections of certificate \"%2\" already; no more are taken").arg(m_config.limits.maxSessionsPerPeer).arg(peer);
    if (!refusal.isEmpty()) {
        qWarning().noquote() << QCoreApplication::translate("NodeServer", "refused %1:%2: %3").arg(socket->peerAddress().toString()).arg(socket->peerPort()).arg(refusal);
        socket->setParent(this);
        socket->write(encodeFrame(encodeMessage(protocol::Type::Error, 0,
                                                QCborMap{{QStringLiteral("code"), QString(protocol::ErrorCode::LimitExceeded)}, {QStringLiteral("message"), refusal}})));
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        QTimer::singleShot(5000, socket, [socket] { socket->abort(); socket->deleteLater(); });
        return;
    }
    auto *session = new PeerSession(socket, this);
    m_sessions.append(session);
    ++m_sessionsPerPeer[peer];
    connect(session, &PeerSession::closed, this, [this, peer](PeerSession *closed) {
        if (!m_sessions.removeOne(closed))
            return;
        if (--m_sessionsPerPeer[peer] <= 0)
            m_sessionsPerPeer.remove(peer);
        setUnfinishedBytes(closed, 0);
        closed->deleteLater();
    });
}

bool NodeServer::setUnfinishedBytes(PeerSession *session, qint64 bytes)
{
    const qint64 before = m_unfinished.value(session);
    const QString peer = session->peerCertificateName();
    const qint64 peerAfter = m_unfinishedPerPeer.value(peer) - before + bytes;
    const qint64 totalAfter = m_unfinishedTotal - before + bytes;
    if (bytes > before && (peerAfter > m_config.limits.maxUnfinishedBytesPerPeer || totalAfter > m_config.limits.maxUnfinishedBytes))
        return false;
    m_unfinishedTotal = totalAfter;
    if (peerAfter > 0)
        m_unfinishedPerPeer[peer] = peerAfter;
    else
        m_unfinishedPerPeer.remove(peer);
    if (bytes > 0)
        m_unfinished[session] = bytes;
    else
        m_unfinished.remove(session);
    return true;
}

void NodeServer::stop()
{
    if (m_server)
        m_server->close();
    const QList<PeerSession *> sessions = m_sessions;
    m_sessions.clear();
    m_sessionsPerPeer.clear();
    m_unfinished.clear();
    m_unfinishedPerPeer.clear();
    m_unfinishedTotal = 0;
    qDeleteAll(sessions);
    delete m_failover;
    m_failover = nullptr;
    delete m_links;   // stops the links' threads; their state is on disk
    m_links = nullptr;
}

quint16 NodeServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

DatabaseService *NodeServer::database(const QString &name)
{
    const auto it = m_databases.find(name);
    return it == m_databases.end() ? nullptr : it->second.get();
}

namespace {

QString repairGrantKey(const QString &database, const QString &table, const QString &node)
{
    // Names hold no NUL: the parts cannot run into each other.
    return database + QChar(0) + table + QChar(0) + node;
}

} // namespace

void NodeServer::grantRepair(const QString &database, const QString &table, const QString &node, bool granted)
{
    // Lapsed grants go first: the table stays as small as the grants in use.
    const qint64 now = m_uptime.elapsed();
    for (auto it = m_repairGrants.begin(); it != m_repairGrants.end();)
        it = it.value() <= now ? m_repairGrants.erase(it) : std::next(it);
    if (granted)
        m_repairGrants.insert(repairGrantKey(database, table, node), now + RepairGrantMs);
    else
        m_repairGrants.remove(repairGrantKey(database, table, node));
}

bool NodeServer::useRepairGrant(const QString &database, const QString &table, const QString &node)
{
    const auto it = m_repairGrants.find(repairGrantKey(database, table, node));
    if (it == m_repairGrants.end())
        return false;
    const qint64 now = m_uptime.elapsed();
    if (it.value() <= now) {
        m_repairGrants.erase(it);
        return false;
    }
    it.value() = now + RepairGrantMs;
    return true;
}

} // namespace ferry
