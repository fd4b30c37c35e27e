#pragma once

#include "blocks/digest.h"
#include "wire/frame.h"
#include "wire/message.h"

#include <QFuture>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QElapsedTimer>
#include <QPromise>
#include <QSslConfiguration>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>

class QSslSocket;

namespace ferry {

// What a node said of itself in its hello.
struct NodeHello
{
    QString node;
    QString region;
    QString software;
    int version = 0;
    QList<DigestAlgorithm> digests;
};

// One mutual-TLS connection to a ferry-node, asynchronous and signal-based: the client
// API that ferryctl, the console and other nodes use. It lives in one thread with an
// event loop (any thread; see startClientThread for a thread of its own), and request()
// may be called from any thread.
//
// A request sent over a connection that drops fails with WireError "unreachable": the
// caller cannot know whether it was carried out, so it is never sent again on its own.
// Requests made while the connection is still being set up wait for it. With
// autoReconnect, a lost connection is opened again after a delay that doubles from
// initialBackoffMs up to maxBackoffMs and starts over after a successful hello.
class NodeClient : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        // Sent in hello. When it is the common name of this side's certificate (a node
        // reaching another node), it is sent as the node name the peer checks against the
        // certificate; otherwise as a label for the peer's log (ferryctl, console).
        QString clientName;
        // The node this client means to reach: when set, a node whose certificate names
        // another node is refused (wrong_identity) before anything is sent to it. Whatever
        // this says, a node whose hello names another node than its certificate is refused.
        QString expectedNode;
        bool autoReconnect = false;
        int initialBackoffMs = 250;
        int maxBackoffMs = 10000;
        int connectTimeoutMs = 10000; // TCP + TLS + hello
        bool compress = false;        // zlib for messages above 1 KiB
        double maxBytesPerSecond = 0; // a cap on what this client sends; 0: none
        // With a request unanswered, the connection is given up (its requests fail as
        // unreachable) when nothing at all arrives from the node for this long: a peer
        // that vanished without closing the connection (a half-open TCP connection, a
        // network that black-holes packets) would otherwise hold it forever. 0: never.
        int silenceTimeoutMs = 0;
    };
    using EventHandler = std::function<void(const Message &event)>;

    NodeClient(const QString &host, quint16 port, const QSslConfiguration &tls, const Options &options, QObject *parent = nullptr);
    ~NodeClient() override;

    QString address() const { return QStringLiteral("%1:%2").arg(m_host).arg(m_port); }

    // Starts connecting (from any thread). Requests queue until the hello is done.
    void open();
    // Closes the connection and stops reconnecting; pending requests fail (cancelled).
    void close();

    // Sends a request and returns its final reply. An error reply, a protocol violation or a
    // lost connection arrive as WireError in the future. onEvent, when given, is called in
    // the client's thread for every event carrying the request's id (progress, link_stats,
    // blocks: any message of an event type), before and after the final reply, until the
    // connection closes: so a subscribe's reply ok is followed by its link_stats events.
    QFuture<Message> request(QLatin1StringView type, const QCborMap &body, EventHandler onEvent = {});
    // The same with the body already encoded (see encodeMessage(type, id, QByteArray, ...)).
    QFuture<Message> requestEncoded(QLatin1StringView type, const QByteArray &encodedBody);
    // Messages of these types are events, never a final reply.
    static bool isEventType(const QString &type);

    bool isReady() const { return m_ready; }
    NodeHello hello() const;
    qint64 bytesWritten() const { return m_bytesWritten; }   // frame bytes, both directions
    qint64 bytesRead() const { return m_bytesRead; }

signals:
    void connected(const ferry::NodeHello &hello);
    void disconnected(const QString &reason);
    void reconnectScheduled(int delayMs);

private:
    struct Pending
    {
        qint64 id = 0;
        QString type;
        QCborMap body;
        QByteArray encodedBody;   // instead of body, when not empty
        std::shared_ptr<QPromise<Message>> promise;
        EventHandler onEvent;
    };

    QFuture<Message> request(QLatin1StringView type, const QCborMap &body, EventHandler onEvent, Pending pending);
    void startConnecting();
    void enqueue(Pending pending);
    void sendPending(Pending &pending);
    void flushQueue();
    void onEncrypted();
    void onReadyRead();
    void handleMessage(const Message &message);
    void drop(const QString &reason, bool reconnect, QLatin1StringView code = QLatin1StringView("unreachable"));
    void failAll(const QString &code, const QString &message);

    QString m_host;
    quint16 m_port;
    QSslConfiguration m_tls;
    Options m_options;

    QSslSocket *m_socket = nullptr;
    FrameReader m_reader;
    QTimer *m_connectTimer;           // children, so that they move with the client
    QTimer *m_reconnectTimer;
    QTimer *m_rateTimer;              // sends what the bandwidth cap held back
    QTimer *m_silenceTimer;           // checks Options::silenceTimeoutMs
    QElapsedTimer m_lastHeard;        // since the last bytes from the node, or the first request in flight
    double m_tokens = 0;              // bytes that may be sent now under the cap
    QElapsedTimer m_refill;
    int m_backoffMs = 0;
    bool m_wanted = false;            // open() was called and close() was not
    bool m_helloSent = false;
    std::atomic<bool> m_ready{false};

    std::atomic<qint64> m_nextId{1};
    QList<Pending> m_queued;          // waiting for the connection
    QHash<qint64, Pending> m_inflight;
    QHash<qint64, EventHandler> m_listeners;   // answered requests whose events go on (subscribe)

    mutable QMutex m_helloMutex;
    NodeHello m_hello;
    std::atomic<qint64> m_bytesWritten{0};
    std::atomic<qint64> m_bytesRead{0};
};

// A NodeClient in a thread of its own, for callers that block on its futures (the block
// verifier, ferryctl). Destroying it closes the client and joins the thread.
class NodeClientThread
{
public:
    NodeClientThread(const QString &host, quint16 port, const QSslConfiguration &tls, const NodeClient::Options &options);
    ~NodeClientThread();
    NodeClientThread(const NodeClientThread &) = delete;
    NodeClientThread &operator=(const NodeClientThread &) = delete;

    NodeClient *client() const { return m_client; }

    // Opens the connection and waits for the hello; throws WireError when it fails.
    NodeHello connectAndWait();

private:
    QThread *m_thread = nullptr;
    NodeClient *m_client = nullptr;
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::NodeHello)
