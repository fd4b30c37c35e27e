#pragma once

#include "node/connectionlimits.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSslConfiguration>
#include <QTcpServer>

class QSslSocket;
class QTimer;

namespace ferry {

// The listening side of a node: accepts every TCP connection at once and runs its TLS
// handshake without ever waiting on it, so that connections that never finish (closed
// before the handshake, held open silently, speaking plaintext or an old TLS) cannot stop
// the node from accepting others. Unfinished handshakes are bounded per address and in all
// (the oldest is dropped to make room) and time out after handshakeTimeoutMs. Every
// refused or dropped handshake is logged once, with the peer's address and the reason.
class TlsAcceptor : public QTcpServer
{
    Q_OBJECT

public:
    TlsAcceptor(const QSslConfiguration &tls, const ConnectionLimits &limits, QObject *parent = nullptr);
    ~TlsAcceptor() override;

    int handshakesInProgress() const { return int(m_pending.size()); }
    // Stops listening. Hides QTcpServer::close(), which would delete the sockets it counts
    // as pending: they are this acceptor's (see incomingConnection).
    void close();

signals:
    // A connection whose handshake is done; the receiver takes the socket (re-parents it).
    void handshakeDone(QSslSocket *socket);

protected:
    void incomingConnection(qintptr handle) override;

private:
    struct Pending
    {
        QSslSocket *socket = nullptr;
        QString address;
        QElapsedTimer since;
    };

    // Forgets the socket and closes it; logs reason (once) unless it is empty.
    void drop(QSslSocket *socket, const QString &reason);
    qsizetype indexOf(QSslSocket *socket) const;
    void sweep();

    QSslConfiguration m_tls;
    ConnectionLimits m_limits;
    QList<Pending> m_pending;              // in the order they arrived
    QHash<QString, int> m_perAddress;      // unfinished handshakes per address
    QTimer *m_sweep;
    static constexpr int AcceptsPerTurn = 64;
    bool m_releaseQueued = false;
    void releasePending();
};

} // namespace ferry
