#include "net/nodeclient.h"

#include "security/tlsconfiguration.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QMutexLocker>
#include <QSslSocket>
#include <QThread>

#include <openssl/crypto.h>

#include <algorithm>

namespace ferry {

namespace {

QString software()
{
    return QStringLiteral("ferry/%1").arg(QStringLiteral(FERRY_VERSION));
}

} // namespace

NodeClient::NodeClient(const QString &host, quint16 port, const QSslConfiguration &tls, const Options &options, QObject *parent)
    : QObject(parent)
    , m_host(host)
    , m_port(port)
    , m_tls(tls)
    , m_options(options)
    , m_connectTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
    , m_rateTimer(new QTimer(this))
    , m_silenceTimer(new QTimer(this))
{
    if (m_options.silenceTimeoutMs > 0) {
        m_silenceTimer->start(std::clamp(m_options.silenceTimeoutMs / 4, 10, 1000));
        connect(m_silenceTimer, &QTimer::timeout, this, [this] {
            if (m_socket && !m_inflight.isEmpty() && m_lastHeard.isValid() && m_lastHeard.elapsed() >= m_options.silenceTimeoutMs)
                drop(QCoreApplication::translate("NodeClient", "%1: nothing received for %2 s with a request unanswered; reconnecting")
                         .arg(address())
                         .arg(m_options.silenceTimeoutMs / 1000.0, 0, 'f', 1),
                     true);
        });
    }
    m_rateTimer->setSingleShot(true);
    connect(m_rateTimer, &QTimer::timeout, this, &NodeClient::flushQueue);
    m_backoffMs = m_options.initialBackoffMs;
    m_connectTimer->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        drop(QCoreApplication::translate("NodeClient", "%1: no answer within %2 ms").arg(address()).arg(m_options.connectTimeoutMs), true);
    });
    connect(m_reconnectTimer, &QTimer::timeout, this, &NodeClient::startConnecting);
}

NodeClient::~NodeClient()
{
    m_wanted = false;
    failAll(protocol::ErrorCode::Cancelled, QCoreApplication::translate("NodeClient", "%1: the connection was closed").arg(address()));
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

NodeHello NodeClient::hello() const
{
    QMutexLocker locker(&m_helloMutex);
    return m_hello;
}

void NodeClient::open()
{
    QMetaObject::invokeMethod(this, [this] {
        if (m_wanted)
            return;
        m_wanted = true;
        m_backoffMs = m_options.initialBackoffMs;
        startConnecting();
    });
}

void NodeClient::close()
{
    QMetaObject::invokeMethod(this, [this] {
        m_wanted = false;
        m_reconnectTimer->stop();
        drop(QCoreApplication::translate("NodeClient", "%1: the connection was closed").arg(address()), false);
        failAll(protocol::ErrorCode::Cancelled, QCoreApplication::translate("NodeClient", "%1: the connection was closed").arg(address()));
    });
}

QFuture<Message> NodeClient::requestEncoded(QLatin1StringView type, const QByteArray &encodedBody)
{
    Pending pending;
    pending.encodedBody = encodedBody;
    return request(type, QCborMap(), {}, std::move(pending));
}

QFuture<Message> NodeClient::request(QLatin1StringView type, const QCborMap &body, EventHandler onEvent)
{
    return request(type, body, std::move(onEvent), Pending());
}

QFuture<Message> NodeClient::request(QLatin1StringView type, const QCborMap &body, EventHandler onEvent, Pending pending)
{
    pending.id = m_nextId++;
    pending.type = QString(type);
    pending.body = body;
    pending.promise = std::make_shared<QPromise<Message>>();
    pending.onEvent = std::move(onEvent);
    pending.promise->start();
    QFuture<Message> future = pending.promise->future();
    if (QThread::currentThread() == thread())
        enqueue(std::move(pending));
    else
        QMetaObject::invokeMethod(this, [this, pending = std::move(pending)]() mutable { enqueue(std::move(pending)); });
    return future;
}

void NodeClient::enqueue(Pending pending)
{
    if (!m_wanted) {
        pending.promise->setException(std::make_exception_ptr(
            WireError(protocol::ErrorCode::Unreachable, QCoreApplication::translate("NodeClient", "%1: not connected").arg(address()))));
        pending.promise->finish();
        return;
    }
    m_queued.append(std::move(pending));
    if (m_ready)
        flushQueue();
}

void NodeClient::flushQueue()
{
    while (m_ready && !m_queued.isEmpty()) {
        if (m_options.maxBytesPerSecond > 0) {
            // Token bucket holding at most a quarter second of sending.
            const double rate = m_options.maxBytesPerSecond;
            if (!m_refill.isValid())
                m_refill.start();
            m_tokens = std::min(rate / 4, m_tokens + rate * m_refill.nsecsElapsed() / 1e9);
            m_refill.restart();
            if (m_tokens < 0) {
                if (!m_rateTimer->isActive())
                    m_rateTimer->start(std::max(1, int(-m_tokens / rate * 1000)));
                return;
            }
        }
        Pending pending = m_queued.takeFirst();
        sendPending(pending);
    }
}

void NodeClient::sendPending(Pending &pending)
{
    const QByteArray type = pending.type.toLatin1();
    const QByteArray frame = encodeFrame(pending.encodedBody.isEmpty()
                                             ? encodeMessage(QLatin1StringView(type), pending.id, pending.body, m_options.compress)
                                             : encodeMessage(QLatin1StringView(type), pending.id, pending.encodedBody, m_options.compress));
    m_bytesWritten += frame.size();
    m_tokens -= frame.size();
    m_socket->write(frame);
    if (m_inflight.isEmpty())
        m_lastHeard.start();   // the silence counts from the first request unanswered
    pending.body = QCborMap();   // sent: no need to keep the rows in memory
    pending.encodedBody = QByteArray();
    m_inflight.insert(pending.id, std::move(pending));
}

void NodeClient::startConnecting()
{
    if (!m_wanted)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_reader = FrameReader();
    m_helloSent = false;
    m_ready = false;
    m_socket = new QSslSocket(this);
    m_socket->setSslConfiguration(m_tls);
    m_socket->setPeerVerifyName(m_host);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QSslSocket::encrypted, this, &NodeClient::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &NodeClient::onReadyRead);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        drop(QCoreApplication::translate("NodeClient", "%1: TLS: %2").arg(address(), texts.join(QLatin1String("; "))), true);
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket)
            drop(QStringLiteral("%1: %2").arg(address(), m_socket->errorString()), true);
    });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        drop(QCoreApplication::translate("NodeClient", "%1: the node closed the connection").arg(address()), true);
    });
    m_connectTimer->start(m_options.connectTimeoutMs);
    m_socket->connectToHostEncrypted(m_host, m_port);
}

void NodeClient::onEncrypted()
{
    const QString problem = peerCertificateProblem(m_socket->peerCertificate(), m_tls.caCertificates());
    if (!problem.isEmpty()) {
        drop(QStringLiteral("%1: %2").arg(address(), problem), true, protocol::ErrorCode::WrongIdentity);
        return;
    }
    const QString certified = certificateName(m_socket->peerCertificate());
    if (!m_options.expectedNode.isEmpty() && certified != m_options.expectedNode) {
        drop(QCoreApplication::translate("NodeClient", "%1: the certificate names node \"%2\", not %3, the node this connection is meant for")
                 .arg(address(), certified, m_options.expectedNode),
             true, protocol::ErrorCode::WrongIdentity);
        return;
    }
    QCborArray versions;
    for (int v = protocol::Version; v >= protocol::OldestVersion; --v)
        versions.append(v);
    QCborMap body{{QStringLiteral("versions"), versions},
                  {QStringLiteral("digests"), QCborArray{digestAlgorithmName(DigestAlgorithm::Md5), digestAlgorithmName(DigestAlgorithm::Sha256)}},
                  {QStringLiteral("software"), software()}};
    // A node name is a claim the peer checks against this side's certificate: only a
    // client holding that node's certificate makes it.
    if (!m_options.clientName.isEmpty() && m_options.clientName == certificateName(m_tls.localCertificate()))
        body.insert(QStringLiteral("node"), m_options.clientName);
    else if (!m_options.clientName.isEmpty())
        body.insert(QStringLiteral("client"), m_options.clientName);
    const QByteArray frame = encodeFrame(encodeMessage(protocol::Type::Hello, 0, body));
    m_bytesWritten += frame.size();
    m_socket->write(frame);
    m_helloSent = true;
}

void NodeClient::onReadyRead()
{
    if (!m_socket)
        return;
    const QByteArray bytes = m_socket->readAll();
    m_bytesRead += bytes.size();
    m_lastHeard.start();
    m_reader.append(bytes);
    QByteArray body;
    try {
        while (m_socket && m_reader.next(body))
            handleMessage(decodeMessage(body));
    } catch (const WireError &error) {
        if (error.code() == protocol::ErrorCode::WrongIdentity || error.code() == protocol::ErrorCode::LimitExceeded)
            drop(QStringLiteral("%1: %2").arg(address(), error.message()), true, QLatin1StringView(error.code().toLatin1()));
        else
            drop(QCoreApplication::translate("NodeClient", "%1: protocol error: %2").arg(address(), error.message()), true);
    }
}

void NodeClient::handleMessage(const Message &message)
{
    if (!m_ready) {
        if (message.type == protocol::Type::Error)
            throw WireError(MessageFields(message).string(QLatin1StringView("code"), QString()), MessageFields(message).text(QLatin1StringView("message"), QString()));
        if (message.type != protocol::Type::Hello)
            throw WireError(protocol::ErrorCode::NotReady, QCoreApplication::translate("NodeClient", "expected hello, got \"%1\"").arg(message.type));
        const MessageFields fields(message);
        NodeHello hello;
        hello.version = int(fields.integer(QLatin1StringView("version"), protocol::OldestVersion, protocol::Version));
        hello.node = fields.string(QLatin1StringView("node"));
        hello.region = fields.string(QLatin1StringView("region"), QString());
        hello.software = fields.string(QLatin1StringView("software"), QString());
        const QString certified = certificateName(m_socket->peerCertificate());
        if (hello.node != certified)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("NodeClient", "the node says it is \"%1\" but its certificate names \"%2\"").arg(hello.node, certified));
        for (const QCborValue &name : fields.array(QLatin1StringView("digests"))) {
            if (const auto algorithm = digestAlgorithmFromName(name.toString()))
                hello.digests.append(*algorithm);
        }
        {
            QMutexLocker locker(&m_helloMutex);
            m_hello = hello;
        }
        m_connectTimer->stop();
        m_ready = true;
        m_backoffMs = m_options.initialBackoffMs;
        emit connected(hello);
        flushQueue();
        return;
    }
    if (message.type == protocol::Type::Error && message.id < 0) {
        // The node closes the connection, saying why (a limit hit, a timeout).
        const MessageFields fields(message);
        throw WireError(fields.string(QLatin1StringView("code"), QString(protocol::ErrorCode::Internal)), fields.text(QLatin1StringView("message"), QString()));
    }
    if (isEventType(message.type)) {
        // Events of a request in flight, or of one answered whose events go on.
        if (message.id >= 0 && m_inflight.contains(message.id)) {
            const EventHandler handler = m_inflight[message.id].onEvent;
            if (handler)
                handler(message);
            return;
        }
        if (message.id >= 0 && m_listeners.contains(message.id)) {
            const EventHandler handler = m_listeners.value(message.id);
            handler(message);
            return;
        }
    }
    if (message.id < 0 || !m_inflight.contains(message.id))
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("NodeClient", "a \"%1\" message answers no request").arg(message.type));
    Pending pending = m_inflight.take(message.id);
    if (pending.onEvent && message.type != protocol::Type::Error)
        m_listeners.insert(pending.id, pending.onEvent);   // until the connection closes
    if (message.type == protocol::Type::Error) {
        const MessageFields fields(message);
        QCborMap typed = message.body;   // everything beside code and message: typed fields
        typed.remove(QStringLiteral("code"));
        typed.remove(QStringLiteral("message"));
        pending.promise->setException(std::make_exception_ptr(
            WireError(fields.string(QLatin1StringView("code"), QString(protocol::ErrorCode::Internal)),
                      fields.text(QLatin1StringView("message"), QString()), typed)));
    } else {
        pending.promise->addResult(message);
    }
    pending.promise->finish();
}

bool NodeClient::isEventType(const QString &type)
{
    // Event: a node event on a console's subscription (PeerSession::handleSubscribe).
    return type == protocol::Type::Progress || type == protocol::Type::LinkStats || type == protocol::Type::Blocks
        || type == protocol::Type::Event;
}

void NodeClient::drop(const QString &reason, bool reconnect, QLatin1StringView code)
{
    if (!m_socket)
        return;
    QSslSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    m_connectTimer->stop();
    const bool wasReady = m_ready;
    m_ready = false;
    // In flight: the caller cannot know whether it was carried out.
    QHash<qint64, Pending> inflight = std::move(m_inflight);
    m_inflight.clear();
    m_listeners.clear();
    for (Pending &pending : inflight) {
        pending.promise->setException(std::make_exception_ptr(WireError(code, reason)));
        pending.promise->finish();
    }
    int scheduledMs = -1;
    if (!reconnect || !m_options.autoReconnect || !m_wanted) {
        // Nobody will connect again: what waits for the connection fails too.
        QList<Pending> queued = std::move(m_queued);
        m_queued.clear();
        for (Pending &pending : queued) {
            pending.promise->setException(std::make_exception_ptr(WireError(code, reason)));
            pending.promise->finish();
        }
        if (reconnect)
            m_wanted = false;
    } else {
        scheduledMs = m_backoffMs;
        m_reconnectTimer->start(m_backoffMs);
        m_backoffMs = std::min(m_backoffMs * 2, m_options.maxBackoffMs);
    }
    Q_UNUSED(wasReady);
    // The loss first, then the plan to recover from it (unless a slot of disconnected
    // closed the client meanwhile).
    emit disconnected(reason);
    if (scheduledMs >= 0 && m_reconnectTimer->isActive())
        emit reconnectScheduled(scheduledMs);
}

void NodeClient::failAll(const QString &code, const QString &message)
{
    for (Pending &pending : m_inflight) {
        pending.promise->setException(std::make_exception_ptr(WireError(code, message)));
        pending.promise->finish();
    }
    m_inflight.clear();
    m_listeners.clear();
    for (Pending &pending : m_queued) {
        pending.promise->setException(std::make_exception_ptr(WireError(code, message)));
        pending.promise->finish();
    }
    m_queued.clear();
}

NodeClientThread::NodeClientThread(const QString &host, quint16 port, const QSslConfiguration &tls, const NodeClient::Options &options)
{
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("ferry-client"));
    m_client = new NodeClient(host, port, tls, options);
    m_client->moveToThread(m_thread);
    m_thread->start();
}

NodeClientThread::~NodeClientThread()
{
    // The client is deleted in its own thread, and that thread's OpenSSL state released
    // there, before the thread ends: Qt's QThread::wait() returns before a thread's
    // thread-local destructors have run, so OpenSSL's per-thread clean-up could otherwise
    // race the process's exit handlers (ferryctl crashed on exit, rarely, after printing).
    QMetaObject::invokeMethod(
        m_client,
        [client = m_client] {
            delete client;
            OPENSSL_thread_stop();
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

NodeHello NodeClientThread::connectAndWait()
{
    m_client->open();
    (void)m_client->request(protocol::Type::Ping, {}).result();   // rethrows WireError
    return m_client->hello();
}

} // namespace ferry
