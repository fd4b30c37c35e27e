#include "node/nodeserver.h"

#include "node/databaseservice.h"
#include "node/peersession.h"
#include "failover/failovermanager.h"
#include "node/eventlog.h"
#include "replication/linkmanager.h"
#include "security/tlsconfiguration.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QSslServer>
#include <QSslSocket>

namespace ferry {

namespace {

QString describePeer(QSslSocket *socket)
{
    return QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
}

} // namespace

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
    m_server = new QSslServer(this);
    m_server->setSslConfiguration(m_tls);
    m_server->setHandshakeTimeout(10000);
    // Refused handshakes are logged with the peer's address and the reason; the server
    // goes on serving everyone else.
    connect(m_server, &QSslServer::peerVerifyError, this, [](QSslSocket *socket, const QSslError &error) {
        qWarning().noquote() << QCoreApplication::translate("NodeServer", "refused %1: %2").arg(describePeer(socket), error.errorString());
    });
    connect(m_server, &QSslServer::sslErrors, this, [](QSslSocket *socket, const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            qWarning().noquote() << QCoreApplication::translate("NodeServer", "refused %1: %2").arg(describePeer(socket), error.errorString());
    });
    connect(m_server, &QSslServer::errorOccurred, this, [](QSslSocket *socket, QAbstractSocket::SocketError) {
        qWarning().noquote() << QCoreApplication::translate("NodeServer", "connection from %1 failed before it was accepted: %2")
                                    .arg(describePeer(socket), socket->errorString());
    });
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (m_server->hasPendingConnections()) {
            auto *socket = qobject_cast<QSslSocket *>(m_server->nextPendingConnection());
            if (!socket)
                continue;
            auto *session = new PeerSession(socket, this);
            m_sessions.append(session);
            connect(session, &PeerSession::closed, this, [this](PeerSession *closed) {
                m_sessions.removeOne(closed);
                closed->deleteLater();
            });
        }
    });
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

void NodeServer::stop()
{
    if (m_server)
        m_server->close();
    const QList<PeerSession *> sessions = m_sessions;
    m_sessions.clear();
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

} // namespace ferry
