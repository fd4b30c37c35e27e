#pragma once

#include "security/role.h"

#include "blocks/blockstate.h"
#include "blocks/rowdifference.h"
#include "net/nodeclient.h"
#include "node/eventlog.h"
#include "replication/linkdefinition.h"
#include "replication/linkstats.h"

#include <QCborArray>
#include <QCborMap>
#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QSslConfiguration>
#include <QTimer>

#include <memory>

namespace ferry {

// What the console knows of one data center's node.
struct NodeView
{
    QString address;             // host:port, the key
    QString name;                // from its hello ("" until connected)
    QString region;
    bool connected = false;
    QString lastError;           // why it is not connected
    QStringList databases;
    QHash<QString, QStringList> tables;   // database -> tables
    QCborArray peers;            // its health view (failover/failovermanager.h health())
    int primaryTables = 0;       // tables this node is primary of (runs links from)
    int replicaTables = 0;       // tables it is the replica of
};

// One link as its source node reports it.
struct LinkView
{
    QString sourceAddress;       // the node that runs it
    LinkDefinition link;
    LinkStats stats;
    // A database link: each table's figures (id: its member link, LinkDefinition::memberFor()).
    QList<QPair<QString, LinkStats>> tables;
};

// A conflicts-table row, for the console's browser.
struct ConflictView
{
    qint64 id = 0;
    qint64 atUs = 0;
    QString link;
    QString table;
    QString key;
    QString kept;
    QString lost;
    QString lostOrigin;
    QString reason;
    QStringList columns;   // the table's column names (empty: not known)
    QStringList columnTypes;   // their types (columnTypeName(): "timestamp" is microseconds UTC)
};

// The rows of one block that differ between a link's source and target, as read now.
struct BlockRowsView
{
    int block = -1;
    TableSchema schema;          // the source table's
    RangeDifferences differences;
};

// The console's connection to its data centers: one NodeClient per node (mutual TLS,
// reconnecting with backoff), subscribed to link figures, block progress and events. It
// lives in a worker thread of its own (start() moves it there); its signals reach the GUI
// queued and paced: nodesChanged and linksChanged at most four times a second with the
// whole picture, blocksUpdated per verification progress report, eventsReceived in
// batches. The actions are thread-safe and return futures; their errors are WireError
// with a message for the operator.
class ConsoleSession : public QObject
{
    Q_OBJECT

public:
    explicit ConsoleSession(const QSslConfiguration &tls, QObject *parent = nullptr);
    ~ConsoleSession() override;

    // Runs the session in its own thread until the object is destroyed.
    void startInThread();
    // What the nodes let this console do: the role in its own certificate.
    Role role() const;

    // One connection to host:port with the session's certificates, to see whether a node
    // answers there before it is added: its hello, or a WireError saying why not
    // (unreachable, refused, a certificate the deployment CA did not sign). Thread-safe.
    QFuture<NodeHello> probe(const QString &host, quint16 port, int timeoutMs = 5000) const;
    // Connects to a node (host:port) and keeps the connection up. Thread-safe.
    void addNode(const QString &host, quint16 port);
    void removeNode(const QString &address);

    // Thread-safe snapshots.
    QList<NodeView> nodes() const;
    QList<LinkView> links() const;

    QFuture<QCborMap> createLink(const QString &sourceAddress, const QCborMap &settings);
    QFuture<QCborMap> setLinkPaused(const QString &sourceAddress, const QString &linkId, bool paused);
    // repair false: a read-only check that changes nothing and lists the differing keys.
    QFuture<QCborMap> verifyLink(const QString &sourceAddress, const QString &linkId, bool repair);
    // The rows of one block of a link that differ now (both sides read through their nodes,
    // compared in a worker, never in the caller's thread), at most limit of them listed.
    QFuture<BlockRowsView> blockRows(const LinkView &link, int block, const KeyRange &range, int limit);
    QFuture<QCborMap> removeLink(const QString &sourceAddress, const QString &linkId);
    // Asked of nodeAddress: the primary (graceful) or the replica (force).
    QFuture<QCborMap> failover(const QString &nodeAddress, const QString &linkId, const QString &to, bool force);
    QFuture<QCborMap> acknowledgeFailover(const QString &nodeAddress, const QString &linkId);
    // What failover() would do to every link it touches (FailoverManager::plan), changing nothing.
    QFuture<QCborMap> failoverPlan(const QString &nodeAddress, const QString &linkId, const QString &to, bool force);
    QFuture<QList<ConflictView>> conflicts(const QString &nodeAddress, const QString &database, int limit);
    // Writes one version of a recorded conflict to its table on that node as an application
    // write (protocol conflict_apply): the node checks that the conflict is still the one
    // named here (id, table, key and that version's values) and refuses otherwise.
    QFuture<QCborMap> applyConflictVersion(const QString &nodeAddress, const QString &database, const ConflictView &conflict, bool lost);
    // Any request (for dialogs that need something else).
    QFuture<QCborMap> request(const QString &nodeAddress, QLatin1StringView type, const QCborMap &body);

signals:
    void nodesChanged(const QList<ferry::NodeView> &nodes);
    void linksChanged(const QList<ferry::LinkView> &links);
    // sourceAddress: the node that runs the link (link ids are unique per source node).
    void blocksUpdated(const QString &linkId, const ferry::VerificationProgress &progress, const QString &sourceAddress);
    void eventsReceived(const QList<ferry::NodeEvent> &events);

private:
    struct Node
    {
        std::unique_ptr<NodeClient> client;
        NodeView view;
    };

    void connectNode(const QString &address);
    void onConnected(const QString &address, const NodeHello &hello);
    void refreshTables(const QString &address);
    void onEvent(const QString &address, const Message &event);
    void pollHealth();
    void publish();
    NodeClient *client(const QString &address) const;

    QSslConfiguration m_tls;
    std::unique_ptr<QThread> m_thread;
    mutable QMutex m_mutex;              // guards the views read by the snapshots
    std::map<QString, Node> m_nodes;     // by address; touched in the session's thread
    QHash<QString, LinkView> m_links;    // "address/link id"
    QList<NodeEvent> m_pendingEvents;
    QSet<QString> m_seenEvents;          // the backlog and the subscription overlap
    QTimer *m_publish = nullptr;
    QTimer *m_health = nullptr;
    bool m_dirty = false;
    int m_healthPolls = 0;              // the table lists are read every fifth poll
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::NodeView)
Q_DECLARE_METATYPE(ferry::LinkView)
Q_DECLARE_METATYPE(ferry::ConflictView)
Q_DECLARE_METATYPE(ferry::BlockRowsView)
