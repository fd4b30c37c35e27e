#pragma once

#include "node/nodeconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSslConfiguration>

#include <memory>

class QSslSocket;

namespace ferry {

class DatabaseService;
class EventLog;
class FailoverManager;
class LinkManager;
class PeerSession;
class TlsAcceptor;

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

    const ConnectionLimits &limits() const { return m_config.limits; }
    // Bytes of frames received in part, per peer (certificate name) and in all. A session
    // reports its own figure after every read; false when that would go beyond a limit
    // (then nothing is recorded, and the session closes).
    bool setUnfinishedBytes(PeerSession *session, qint64 bytes);
    qint64 unfinishedBytes() const { return m_unfinishedTotal; }

    // Repairs without a link (compare --repair): an admin allows node to replace rows of
    // database.table here (repair_grant), for RepairGrantMs after the grant or its last
    // use; revoked by the admin when the compare is over. In the node's thread.
    static constexpr qint64 RepairGrantMs = 10 * 60 * 1000;
    void grantRepair(const QString &database, const QString &table, const QString &node, bool granted);
    // Whether node may repair database.table now (and, if so, the grant is extended).
    bool useRepairGrant(const QString &database, const QString &table, const QString &node);

private:
    void accept(QSslSocket *socket);

    NodeConfig m_config;
    QSslConfiguration m_tls;
    TlsAcceptor *m_server = nullptr;
    LinkManager *m_links = nullptr;
    FailoverManager *m_failover = nullptr;
    EventLog *m_events = nullptr;
    QElapsedTimer m_uptime;
    std::map<QString, std::unique_ptr<DatabaseService>> m_databases;
    QList<PeerSession *> m_sessions;
    QHash<QString, int> m_sessionsPerPeer;
    QHash<PeerSession *, qint64> m_unfinished;
    QHash<QString, qint64> m_unfinishedPerPeer;
    qint64 m_unfinishedTotal = 0;
    // "db/table/node" -> when the grant lapses (m_uptime ms).
    QHash<QString, qint64> m_repairGrants;
};

} // namespace ferry
