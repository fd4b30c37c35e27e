#pragma once

#include "node/databaseservice.h"
#include "security/role.h"
#include "wire/frame.h"
#include "wire/message.h"

#include <QCborArray>
#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointer>

class QSslSocket;

namespace ferry {

class CompareJob;
class DatabaseService;
class NodeServer;

// One client or peer node connected to this node: reads frames, checks the hello, runs
// each request on the database's own thread (or as a compare job) and writes the replies.
// A protocol violation (unparseable frame, oversized length, a request before hello, an
// unknown message, a field of the wrong type) is logged with the peer's name and address
// and answered with a typed error reply before the connection is closed; the node keeps
// serving its other peers, and no database is touched by a request that fails to decode.
class PeerSession : public QObject
{
    Q_OBJECT

public:
    PeerSession(QSslSocket *socket, NodeServer *server);
    ~PeerSession() override;

    QString peerName() const { return m_peerName; }
    // Who the peer is: the common name of its certificate.
    QString peerCertificateName() const { return m_certName; }

signals:
    void closed(ferry::PeerSession *session);

private:
    void onReadyRead();
    bool readingPaused() const;
    qint64 queuedBytes() const;
    void checkTimeouts();
    void abortWithError(const QString &code, const QString &message);
    void processFrames();
    void handle(const Message &message);
    void handleHello(const Message &message);
    void handleStatus(const Message &message);
    void handleCompare(const Message &message);
    void handleLinkRequest(const Message &message);
    void handleSubscribe(const Message &message);
    bool handleTargetSide(const Message &message, DatabaseService *database);
    bool handleFailoverRequest(const Message &message);
    // A node's request that acts for link linkId on this node's database.table (writes its
    // rows, creates it, sets or lifts its guard): accepted only from the node that
    // registered that link here as its source, and only for the table the link writes.
    // Throws wrong_identity naming both otherwise.
    void requireLinkSource(const QString &request, const QString &linkId, const QString &database, const QString &table) const;
    // A node's request about a link of this node (pause, resume or remove the reverse half
    // of a bidirectional link): only from the node at the other end of it.
    void requireLinkPeer(const QString &request, const QString &linkId) const;
    // A replace without a link: only from a node an admin allowed to repair that table.
    void requireRepairGrant(const QString &database, const QString &table) const;
    void reply(QLatin1StringView type, qint64 id, const QCborMap &body = {});
    void replyError(qint64 id, const QString &code, const QString &message, const QCborMap &fields = {});
    void closeWithError(qint64 id, const QString &code, const QString &message);
    // Replies toReply(result) (toReply(true) for a QFuture<void>), or the error it ended with.
    // large: the answer may be big (rows, conflicts); no other request of the peer is read
    // until it is written, so that what a peer asks for and does not read stays bounded.
    template <typename T, typename Fn>
    void replyWhenDone(qint64 id, QFuture<T> future, Fn toReply, bool large = false);
    void finishRequest();

    QSslSocket *m_socket;
    NodeServer *m_server;
    QString m_peerName;       // certificate common name and address, for the log
    QString m_certName;       // the certificate's common name: who the peer is
    Role m_role = Role::None; // what the certificate lets it do
    FrameReader m_reader;
    bool m_helloDone = false;
    bool m_compress = false;  // the peer compresses: answer in kind
    QString m_peerNode;       // the name the peer gave in its hello
    bool m_closing = false;
    int m_inflight = 0;       // requests not answered yet; reading pauses above a limit
    int m_largeInflight = 0;  // of which with a large answer
    QHash<qint64, QPointer<CompareJob>> m_jobs;
    // Parts of a source transaction too large for one apply (final: false), per link, kept
    // until its final part applies them all in one transaction; gone with the connection.
    struct StagedChanges
    {
        QCborArray changes;
        qint64 bytes = 0;
    };
    QHash<QString, StagedChanges> m_staged;
    // The same for a database link's transaction over several tables (apply_group), per
    // database link: its parts so far.
    struct StagedGroup
    {
        QList<DatabaseService::GroupInput> parts;
        qint64 bytes = 0;
    };
    QHash<QString, StagedGroup> m_stagedGroups;
    // apply_group: checks every part (its link comes from the peer, belongs to the group and
    // writes the table; its epoch is current), then applies them all in one transaction.
    void handleApplyGroup(const Message &message, DatabaseService *database);
    // Requests that change something, by id, until their final reply: each is an event.
    struct Audited
    {
        QString type;
        QString link;
        bool refusalsOnly = false;   // an event only when refused (forbidden, wrong_identity)
        QString detail;              // what the request names, when the link does not say it
    };
    QHash<qint64, Audited> m_audited;
    void audit(qint64 id, QLatin1StringView replyType, const QCborMap &body);
    qint64 m_subscription = -1;   // the request id link_stats and blocks events carry
    QElapsedTimer m_sinceHeard;   // since the last bytes from the peer (or the connection)
    QElapsedTimer m_sinceConnected;
};

} // namespace ferry
