#pragma once

#include "node/nodeconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSslConfiguration>

#include <memory>

class QSslServer;

namespace ferry {

class DatabaseService;
class EventLog;
class FailoverManager;
class LinkManager;
class PeerSession;

// The network face of a ferry-node: a mutual-TLS server on the configured address that
// serves this node's databases to consoles, ferryctl and other nodes (wire/protocol.h).
// Lives in one thread with an event loop; database work runs in each database's thread.
class NodeServer : public QObject
{
    Q_OBJECT

public:
    explicit NodeServer(const NodeConfig &config, QObject *parent = nullptr);
    ~NodeServer() override;

    // Loads the TLS files and starts listening. Throws FerryError naming the file or the
    // address when it cannot.
    void start();
    void stop();

    quint16 port() const;
    const NodeConfig &config() const { return m_config; }
    const QSslConfiguration &tls() const { return m_tls; }
    qint64 uptimeMs() const { return m_uptime.elapsed(); }
    int sessionCount() const { return int(m_sessions.size()); }

    // nullptr when this node has no database of that name.
    DatabaseService *database(const QString &name);
    LinkManager *links() const { return m_links; }
    FailoverManager *failover() const { return m_failover; }
    EventLog *events() const { return m_events; }

private:
    NodeConfig m_config;
    QSslConfiguration m_tls;
    QSslServer *m_server = nullptr;
    LinkManager *m_links = nullptr;
    FailoverManager *m_failover = nullptr;
    EventLog *m_events = nullptr;
    QElapsedTimer m_uptime;
    std::map<QString, std::unique_ptr<DatabaseService>> m_databases;
    QList<PeerSession *> m_sessions;
};

} // namespace ferry
