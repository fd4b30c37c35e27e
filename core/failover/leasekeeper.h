#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <memory>

namespace ferry {

class LinkManager;
class NodeClientThread;
class NodeServer;

// Renews the write leases of this node's leased links on its own schedule (DESIGN.md
// "Trust" 3). A link renews its lease with the answers to its batches, but a verification
// round holds those up for as long as it runs (seconds, minutes on a large table or a slow
// link), and the lease would lapse under a healthy primary. So, every half heartbeat, for
// each link whose runner holds a lease, this asks the link's target over a connection of
// its own (one per target node) ("lease": is this node still the primary of the pair, in the link's epoch?) and,
// when the target says it may promote itself, moves the lease in the source database to
// LEASE ms after the request was sent: the target heard from this node at or after then,
// so its failover (which waits LEASE and a margin after it last heard) comes after the
// lease lapsed. Nothing here makes a lease longer than that bound: a frozen node renews
// nothing, a node whose database or target is gone renews nothing, and its database stops
// taking writes by itself when the lease ends.
//
// Lives in the node's network thread; the database work runs in one worker thread of its
// own (a store is used by the thread that opened it).
class LeaseKeeper : public QObject
{
    Q_OBJECT

public:
    LeaseKeeper(NodeServer *server, LinkManager *links, QObject *parent = nullptr);
    ~LeaseKeeper() override;

    // Renewals this keeper wrote (for the tests and the log).
    qint64 renewals() const { return m_renewals; }

private:
    struct Target;
    void tick();
    void renew(const QString &linkId, const QString &database, const QString &table, qint64 untilUs);

    NodeServer *m_server;
    LinkManager *m_links;
    QTimer m_timer;
    QHash<QString, std::shared_ptr<Target>> m_targets;   // by target node and address
    QSet<QString> m_asking;                              // links with a lease request in flight
    QThreadPool m_renewer;                               // one thread, kept
    std::atomic<qint64> m_renewals{0};
};

} // namespace ferry
