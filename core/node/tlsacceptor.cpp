#include "node/tlsacceptor.h"

#include "security/tlsconfiguration.h"

#include <QCoreApplication>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>

namespace ferry {

namespace {

QString describe(QSslSocket *socket)
{
    return QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
}

} // namespace

TlsAcceptor::TlsAcceptor(const QSslConfiguration &tls, const ConnectionLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_tls(tls)
    , m_limits(limits)
    , m_sweep(new QTimer(this))
{
    // QTcpServer accepts in a loop until the kernel has no connection left, or until
    // maxPendingConnections are pending: under a flood of connections the loop would never
    // end, and the sessions already served (a link's batches) would wait for it. Every
    // accepted socket is counted as pending until the next turn of the event loop, so at
    // most AcceptsPerTurn are accepted in one turn.
    setMaxPendingConnections(AcceptsPerTurn);
    connect(m_sweep, &QTimer::timeout, this, &TlsAcceptor::sweep);
    m_sweep->start(std::clamp(m_limits.handshakeTimeoutMs / 4, 25, 1000));
}

void TlsAcceptor::releasePending()
{
    m_releaseQueued = false;
    while (hasPendingConnections())
        (void)nextPendingConnection();   // re-enables accepting
}

void TlsAcceptor::close()
{
    releasePending();
    QTcpServer::close();
}

TlsAcceptor::~TlsAcceptor()
{
    releasePending();   // before QTcpServer's destructor deletes what it counts as pending
    for (const Pending &pending : std::as_const(m_pending)) {
        pending.socket->disconnect(this);
        pending.socket->abort();
    }
}

void TlsAcceptor::incomingConnection(qintptr handle)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        qWarning().noquote() << QCoreApplication::translate("NodeServer", "refused a connection: %1").arg(socket->errorString());
        delete socket;
        return;
    }
    addPendingConnection(socket);   // only counted: taken again in the next turn
    if (!m_releaseQueued) {
        m_releaseQueued = true;
        QMetaObject::invokeMethod(this, &TlsAcceptor::releasePending, Qt::QueuedConnection);
    }
    Pending pending;
    pending.socket = socket;
    pending.address = socket->peerAddress().toString();
    pending.since.start();

    // Room first: the oldest unfinished handshake of this address, or of anyone, goes.
    if (m_perAddress.value(pending.address) >= m_limits.maxHandshakesPerAddress) {
        const auto oldest = std::find_if(m_pending.cbegin(), m_pending.cend(), [&](const Pending &p) { return p.address == pending.address; });
        if (oldest != m_pending.cend())
            drop(oldest->socket, QCoreApplication::translate("NodeServer", "%1 unfinished TLS handshakes from this address; dropped the oldest")
                                     .arg(m_limits.maxHandshakesPerAddress));
    }
    if (m_pending.size() >= m_limits.maxHandshakes && !m_pending.isEmpty())
        drop(m_pending.first().socket, QCoreApplication::translate("NodeServer", "%1 unfinished TLS handshakes in all; dropped the oldest").arg(m_limits.maxHandshakes));

    m_pending.append(pending);
    ++m_perAddress[pending.address];
    socket->setSslConfiguration(m_tls);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        const qsizetype index = indexOf(socket);
        if (index < 0)
            return;
        const QString problem = peerCertificateProblem(socket->peerCertificate(), m_tls.caCertificates());
        if (!problem.isEmpty()) {
            drop(socket, problem);
            return;
        }
        const QString address = m_pending.at(index).address;
        m_pending.removeAt(index);
        if (--m_perAddress[address] <= 0)
            m_perAddress.remove(address);
        socket->disconnect(this);
        emit handshakeDone(socket);
    });
    // A verification error arrives as sslErrors, then again as the handshake's failure:
    // the first one is logged, and the socket is forgotten at once.
    connect(socket, &QSslSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        drop(socket, texts.join(QLatin1String("; ")));
    });
    connect(socket, &QSslSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError error) {
        // A peer that closes before the handshake refused nothing: not worth a line.
        drop(socket, error == QAbstractSocket::RemoteHostClosedError ? QString() : socket->errorString());
    });
    connect(socket, &QSslSocket::disconnected, this, [this, socket] { drop(socket, QString()); });
    socket->startServerEncryption();
}

qsizetype TlsAcceptor::indexOf(QSslSocket *socket) const
{
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).socket == socket)
            return i;
    }
    return -1;
}

void TlsAcceptor::drop(QSslSocket *socket, const QString &reason)
{
    const qsizetype index = indexOf(socket);
    if (index < 0)
        return;
    const QString address = m_pending.at(index).address;
    m_pending.removeAt(index);
    if (--m_perAddress[address] <= 0)
        m_perAddress.remove(address);
    if (!reason.isEmpty())
        qWarning().noquote() << QCoreApplication::translate("NodeServer", "refused %1: %2").arg(describe(socket), reason);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void TlsAcceptor::sweep()
{
    QList<QSslSocket *> late;
    for (const Pending &pending : std::as_const(m_pending)) {
        if (pending.since.elapsed() >= m_limits.handshakeTimeoutMs)
            late.append(pending.socket);
    }
    for (QSslSocket *socket : std::as_const(late))
        drop(socket, QCoreApplication::translate("NodeServer", "no TLS handshake within %1 ms").arg(m_limits.handshakeTimeoutMs));
}

} // namespace ferry
