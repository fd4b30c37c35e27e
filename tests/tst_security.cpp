// Trust rule 4 (DESIGN.md, "Trust"; issue 15): only who should, can; no one can knock a
// node over. Against a real ferry-node process:
// - identity: a hello that claims another node than the certificate is refused
//   (wrong_identity); a client that means to reach node X refuses a node whose certificate
//   names another, and any client refuses a node whose hello differs from its certificate;
//   a node whose certificate names another node does not start;
// - connection floods: connections closed before the TLS handshake, and connections held
//   open without a handshake, never stop a real client from connecting promptly; each
//   refused handshake (plaintext, TLS 1.1, another CA, no handshake in time) is logged
//   once, with the address;
// - limits: no hello in time, idle sessions, too many sessions of one certificate, strings
//   too long, frames received in part from several connections and replies the peer does
//   not read: each is a typed error (limit_exceeded) and the node's RSS (/proc) stays bounded.

#include "nodeprocess.h"
#include "testsupport.h"

#include "net/nodeclient.h"
#include "security/certificates.h"
#include "security/role.h"
#include "security/tlsconfiguration.h"
#include "wire/datacodec.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCborArray>
#include <QCborMap>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;

namespace {

QCborMap hello(const QString &node = {}, const QString &label = QStringLiteral("tst_security"))
{
    QCborMap body{{QStringLiteral("versions"), QCborArray{protocol::Version}},
                  {QStringLiteral("digests"), QCborArray{QStringLiteral("md5")}},
                  {QStringLiteral("software"), QStringLiteral("tst_security")}};
    if (!node.isEmpty())
        body.insert(QStringLiteral("node"), node);
    if (!label.isEmpty())
        body.insert(QStringLiteral("client"), label);
    return body;
}

QByteArray frame(QLatin1StringView type, qint64 id, const QCborMap &body = {})
{
    return encodeFrame(encodeMessage(type, id, body));
}

// A TLS peer that writes raw bytes and collects what comes back (unless told not to read).
class RawPeer
{
public:
    explicit RawPeer(const QSslConfiguration &tls, bool reads = true)
    {
        m_socket.setSslConfiguration(tls);
        QObject::connect(&m_socket, &QSslSocket::encrypted, [this] { m_encrypted = true; });
        if (reads)
            QObject::connect(&m_socket, &QSslSocket::readyRead, [this] { read(); });
        else
            m_socket.setReadBufferSize(16 * 1024);
        QObject::connect(&m_socket, &QSslSocket::disconnected, [this] { m_closed = true; });
        QObject::connect(&m_socket, &QSslSocket::errorOccurred, [this](QAbstractSocket::SocketError) {
            m_errors.append(m_socket.errorString());
            if (m_socket.state() == QAbstractSocket::UnconnectedState)
                m_closed = true;
        });
    }
    bool connectTo(quint16 port, int timeoutMs = 5000)
    {
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        (void)QTest::qWaitFor([&] { return m_encrypted || m_closed; }, timeoutMs);
        return m_encrypted && !m_closed;
    }
    // Writes and waits until the bytes are on their way (or the connection is gone).
    bool send(const QByteArray &bytes, int timeoutMs = 30000)
    {
        for (qsizetype at = 0; at < bytes.size() && !m_closed; at += 1024 * 1024) {
            m_socket.write(bytes.mid(at, 1024 * 1024));
            if (!QTest::qWaitFor([&] { return m_closed || m_socket.encryptedBytesToWrite() + m_socket.bytesToWrite() < 4 * 1024 * 1024; }, timeoutMs))
                return false;
        }
        return QTest::qWaitFor([&] { return m_closed || m_socket.encryptedBytesToWrite() + m_socket.bytesToWrite() == 0; }, timeoutMs) && !m_closed;
    }
    void write(const QByteArray &bytes) { m_socket.write(bytes); }
    bool waitForMessages(qsizetype n, int timeoutMs)
    {
        return QTest::qWaitFor([&] { return m_messages.size() >= n || m_closed; }, timeoutMs) && m_messages.size() >= n;
    }
    bool waitClosed(int timeoutMs)
    {
        const bool closed = QTest::qWaitFor([&] { return m_closed || m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
        read();
        return closed;
    }
    bool closed() const { return m_closed; }
    quint16 localPort() const { return m_socket.localPort(); }
    const QList<Message> &messages() const { return m_messages; }
    // The code of the first error message received, or an empty string.
    QString errorCode() const
    {
        for (const Message &message : m_messages) {
            if (message.type == protocol::Type::Error)
                return message.body.value(QLatin1StringView("code")).toString();
        }
        return {};
    }
    QString describe() const
    {
        QStringList parts;
        for (const Message &message : m_messages)
            parts.append(QStringLiteral("%1 %2").arg(message.type, message.body.value(QLatin1StringView("message")).toString()));
        return QStringLiteral("received [%1]; errors [%2]").arg(parts.join(QLatin1String("; ")), m_errors.join(QLatin1String("; ")));
    }

private:
    void read()
    {
        m_reader.append(m_socket.readAll());
        try {
            QByteArray body;
            while (m_reader.next(body))
                m_messages.append(decodeMessage(body));
        } catch (const WireError &error) {
            m_errors.append(QStringLiteral("undecodable reply: ") + error.message());
        }
    }

    bool m_encrypted = false;
    bool m_closed = false;
    QStringList m_errors;
    FrameReader m_reader{protocol::MaxFrameSize};
    QList<Message> m_messages;
    QSslSocket m_socket;   // last: destroyed first
};

int countLines(const QString &log, const QString &needle)
{
    return int(log.count(needle));
}

} // namespace

class TstSecurity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    // Identity
    void helloClaimingAnotherNodeIsRefused();
    void helloOfItsOwnNameOrALabelIsAccepted();
    void clientChecksTheNodeItMeantToReach();
    void clientRefusesAHelloOfAnotherName();
    void nodeWithTheCertificateOfAnotherNameDoesNotStart();

    // Floods and refusals
    void connectionsClosedBeforeTheHandshake();
    void idleConnectionsWithoutHandshake();
    void sessionsAnsweredDuringAConnectionFlood();
    void refusedHandshakesAreLoggedOnce_data();
    void refusedHandshakesAreLoggedOnce();

    // Limits
    void noHelloInTime();
    void idleSession();
    void tooManySessionsOfOneCertificate();
    void stringsTooLong();
    void unfinishedFramesStayBounded();
    void unreadRepliesStayBounded();

    // Roles
    void certificatesCarryTheirRole();
    void roleMatrix_data();
    void roleMatrix();
    void nodeRegistersOnlyItsOwnLinks();
    void batchesOnlyFromTheLinksSource();
    void strangerNodeChangesNothing();
    void repairsOnlyWithAnAdminsGrant();
    void changesAreAudited();
    void caCertificatesAreNotPeers_data();
    void caCertificatesAreNotPeers();

    // Files
    void stateIsForTheNodeAlone();
    void exposedSecretsAreWarnedAbout();

private:
    QString pki(const QString &file) const { return QDir(m_pki).filePath(file); }
    QSslConfiguration tlsOf(const QString &name) const
    {
        return mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), pki(name + QStringLiteral(".crt")), pki(name + QStringLiteral(".key")));
    }
    // A client of the node's port, connected and ready: the ms it took, or -1.
    qint64 connectClient(const QSslConfiguration &tls, int timeoutMs);

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_pki;
    QString m_otherPki;
    QSslConfiguration m_opsTls;
    std::unique_ptr<ScratchDatabase> m_shop;
    std::unique_ptr<NodeProcess> m_a;
};

void TstSecurity::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    if (qEnvironmentVariableIsSet("FERRY_TEST_KEEP")) {
        m_root->setAutoRemove(false);
        qInfo("keeping %s", qPrintable(m_root->path()));
    }
    m_pki = m_root->filePath(QStringLiteral("pki"));
    m_otherPki = m_root->filePath(QStringLiteral("other"));
    try {
        createDeploymentCa(m_pki);
        const QList<std::pair<const char *, Role>> certificates{
            {"dc-a", Role::Node},   {"dc-b", Role::Node},         {"dc-m", Role::Node},       {"ops", Role::Admin},
            {"crowd", Role::Viewer}, {"bulk", Role::Viewer},      {"viewer", Role::Viewer},   {"operator", Role::Operator},
            {"admin", Role::Admin}, {"old-console", Role::None}};
        for (const auto &[name, role] : certificates) {
            IssueOptions options;
            options.role = role;
            issueCertificate(m_pki, QString::fromLatin1(name), options);
        }
        createDeploymentCa(m_otherPki);
        issueCertificate(m_otherPki, QStringLiteral("intruder"));
        m_opsTls = tlsOf(QStringLiteral("ops"));
        m_shop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_shop->exec(QStringLiteral("CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT)"));
        // 24 rows of 256 KiB: one rows request answers 6 MiB.
        m_shop->exec(QStringLiteral("INSERT INTO big SELECT value, printf('%.262144c', 'x') FROM "
                                    "(WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 24) SELECT value FROM c)"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    m_a = std::make_unique<NodeProcess>(QStringLiteral("dc-a"), QStringLiteral("us-east"), m_root->filePath(QStringLiteral("a")), m_pki);
    m_a->addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_shop->dataSource().path);
    m_a->setExtraConfig(QJsonObject{{QStringLiteral("limits"), QJsonObject{{QStringLiteral("handshake_timeout_ms"), 3000},
                                                                            {QStringLiteral("idle_timeout_ms"), 3000},
                                                                            {QStringLiteral("max_handshakes_per_address"), 16},
                                                                            {QStringLiteral("max_sessions_per_peer"), 8},
                                                                            {QStringLiteral("max_unfinished_mb_per_peer"), 48},
                                                                            {QStringLiteral("max_unfinished_mb"), 96},
                                                                            {QStringLiteral("max_queued_reply_mb"), 16}}}});
    const QString problem = m_a->start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TstSecurity::cleanupTestCase()
{
    m_a.reset();
}

qint64 TstSecurity::connectClient(const QSslConfiguration &tls, int timeoutMs)
{
    NodeClient::Options options;
    options.clientName = QStringLiteral("probe");
    options.connectTimeoutMs = timeoutMs;
    NodeClient client(QStringLiteral("127.0.0.1"), m_a->port(), tls, options);
    QElapsedTimer clock;
    clock.start();
    client.open();
    const QFuture<Message> pong = client.request(protocol::Type::Ping, {});
    if (!waitForFuture(pong, timeoutMs + 1000))
        return -1;
    try {
        (void)pong.result();
    } catch (const WireError &error) {
        qWarning("connect failed: %s", qPrintable(error.message()));
        return -1;
    }
    return clock.elapsed();
}

// ---------------------------------------------------------------------------------------
// Identity

void TstSecurity::helloClaimingAnotherNodeIsRefused()
{
    // An operator's certificate claiming to be dc-b (the peer of dc-a's links): the hello
    // is refused and nothing else is taken on that connection.
    const qsizetype mark = m_a->logSize();
    RawPeer peer(m_opsTls);
    QVERIFY(peer.connectTo(m_a->port()));
    peer.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-b"))) + frame(protocol::Type::Health, 1));
    QVERIFY2(peer.waitClosed(5000), qPrintable(peer.describe()));
    QCOMPARE(peer.errorCode(), QString(protocol::ErrorCode::WrongIdentity));
    QVERIFY2(peer.messages().size() == 1, qPrintable(peer.describe()));   // no hello, no health
    QVERIFY(peer.messages().at(0).body.value(QLatin1StringView("message")).toString().contains(QLatin1String("\"ops\"")));
    QVERIFY(m_a->waitForLog(mark, QStringLiteral("wrong_identity")));

    // The same with the certificate of another node.
    RawPeer other(tlsOf(QStringLiteral("dc-b")));
    QVERIFY(other.connectTo(m_a->port()));
    other.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-c"))));
    QVERIFY(other.waitClosed(5000));
    QCOMPARE(other.errorCode(), QString(protocol::ErrorCode::WrongIdentity));
}

void TstSecurity::helloOfItsOwnNameOrALabelIsAccepted()
{
    RawPeer node(tlsOf(QStringLiteral("dc-b")));
    QVERIFY(node.connectTo(m_a->port()));
    node.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-b"))));
    QVERIFY2(node.waitForMessages(1, 5000), qPrintable(node.describe()));
    QCOMPARE(node.messages().at(0).type, QStringLiteral("hello"));

    RawPeer labelled(m_opsTls);
    QVERIFY(labelled.connectTo(m_a->port()));
    labelled.write(frame(protocol::Type::Hello, 0, hello(QString(), QStringLiteral("ferryctl"))) + frame(protocol::Type::Ping, 1));
    QVERIFY2(labelled.waitForMessages(2, 5000), qPrintable(labelled.describe()));
    QCOMPARE(labelled.messages().at(1).type, QStringLiteral("pong"));

    // NodeClient sends its name as a node only with that node's certificate.
    QVERIFY(connectClient(m_opsTls, 5000) >= 0);
}

void TstSecurity::clientChecksTheNodeItMeantToReach()
{
    for (const QString &expected : {QStringLiteral("dc-b"), QStringLiteral("dc-a")}) {
        NodeClient::Options options;
        options.clientName = QStringLiteral("dc-b");
        options.expectedNode = expected;
        NodeClientThread client(QStringLiteral("127.0.0.1"), m_a->port(), tlsOf(QStringLiteral("dc-b")), options);
        QString code;
        QString message;
        try {
            client.connectAndWait();
        } catch (const WireError &error) {
            code = error.code();
            message = error.message();
        }
        if (expected == QLatin1String("dc-a")) {
            QVERIFY2(code.isEmpty(), qPrintable(message));
        } else {
            QCOMPARE(code, QString(protocol::ErrorCode::WrongIdentity));
            QVERIFY2(message.contains(QLatin1String("\"dc-a\"")) && message.contains(QLatin1String("dc-b")), qPrintable(message));
        }
    }
}

void TstSecurity::clientRefusesAHelloOfAnotherName()
{
    // A node holding dc-b's certificate that says it is dc-a in its hello.
    QSslServer server;
    server.setSslConfiguration(tlsOf(QStringLiteral("dc-b")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QList<QSslSocket *> sockets;
    connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
        while (server.hasPendingConnections()) {
            auto *socket = qobject_cast<QSslSocket *>(server.nextPendingConnection());
            sockets.append(socket);
            connect(socket, &QSslSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write(frame(protocol::Type::Hello, 0,
                                    QCborMap{{QStringLiteral("version"), protocol::Version}, {QStringLiteral("digests"), QCborArray{QStringLiteral("md5")}},
                                             {QStringLiteral("node"), QStringLiteral("dc-a")}}));
            });
        }
    });
    NodeClient::Options options;
    options.clientName = QStringLiteral("ops");
    NodeClient client(QStringLiteral("127.0.0.1"), server.serverPort(), m_opsTls, options);
    client.open();
    const QFuture<Message> pong = client.request(protocol::Type::Ping, {});
    QVERIFY(waitForFuture(pong, 10000));
    QString code;
    try {
        (void)pong.result();
    } catch (const WireError &error) {
        code = error.code();
        QVERIFY2(error.message().contains(QLatin1String("\"dc-a\"")) && error.message().contains(QLatin1String("\"dc-b\"")), qPrintable(error.message()));
    }
    QCOMPARE(code, QString(protocol::ErrorCode::WrongIdentity));
    QVERIFY(!client.isReady());
}

void TstSecurity::nodeWithTheCertificateOfAnotherNameDoesNotStart()
{
    NodeProcess node(QStringLiteral("dc-z"), QString(), m_root->filePath(QStringLiteral("z")), m_pki);
    node.addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_shop->dataSource().path);
    node.setCertificate(pki(QStringLiteral("dc-a.crt")), pki(QStringLiteral("dc-a.key")));
    const QString problem = node.start();
    QVERIFY2(!problem.isEmpty(), "a node named dc-z started with dc-a's certificate");
    QVERIFY2(problem.contains(QLatin1String("\"dc-a\"")) && problem.contains(pki(QStringLiteral("dc-a.crt"))), qPrintable(problem));
}

// ---------------------------------------------------------------------------------------
// Floods and refusals

void TstSecurity::connectionsClosedBeforeTheHandshake()
{
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 40; ++i) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_a->port());
            QVERIFY(socket.waitForConnected(2000));
            socket.abort();
        }
        const qint64 ms = connectClient(m_opsTls, 3000);
        // Well under the handshake timeout (3 s): the node did not wait for those connections.
        QVERIFY2(ms >= 0 && ms < 2500, qPrintable(QStringLiteral("round %1: a client took %2 ms to connect").arg(round).arg(ms)));
    }
}

void TstSecurity::sessionsAnsweredDuringAConnectionFlood()
{
    // A session made before the flood: its pings are timed while thousands of TCP
    // connections (never a TLS handshake) are opened against the node, each one the node
    // drops opened again.
    //
    // A node of its own (dc-a's certificate, another folder and port): the connections a
    // flood leaves in the kernel's accept queue are still taken and dropped after it ends,
    // and they come from 127.0.0.1 like every other test's, whose handshakes they would push
    // out of the per-address limit.
    NodeProcess flooded(QStringLiteral("dc-a"), QStringLiteral("us-east"), m_root->filePath(QStringLiteral("flooded")), m_pki);
    flooded.addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_shop->dataSource().path);
    flooded.setExtraConfig(QJsonObject{{QStringLiteral("limits"), QJsonObject{{QStringLiteral("handshake_timeout_ms"), 3000},
                                                                               {QStringLiteral("max_handshakes_per_address"), 16}}}});
    const QString problem = flooded.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    RawPeer peer(m_opsTls);
    QVERIFY(peer.connectTo(flooded.port()));
    peer.write(frame(protocol::Type::Hello, 0, hello()));
    QVERIFY(peer.waitForMessages(1, 5000));
    std::atomic<bool> stop{false};
    std::thread flood([&] {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(flooded.port());
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        std::vector<int> fds(5000, -1);
        while (!stop) {
            for (int &fd : fds) {
                if (fd >= 0) {
                    char byte;
                    const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
                    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN)) {
                        ::close(fd);
                        fd = -1;
                    }
                }
                if (fd < 0) {
                    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
                        ::close(fd);
                        fd = -1;
                    }
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    });
    auto joined = qScopeGuard([&] {
        stop = true;
        flood.join();
    });
    QTest::qWait(1000);   // the flood builds up
    qint64 worst = 0;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer clock;
        clock.start();
        const qsizetype before = peer.messages().size();
        peer.write(frame(protocol::Type::Ping, 100 + i));
        QVERIFY2(peer.waitForMessages(before + 1, 20000), qPrintable(peer.describe()));
        worst = std::max(worst, clock.elapsed());
        QTest::qWait(100);
    }
    qInfo("slowest ping during the flood: %lld ms", worst);
    // Measured on the project's loaded 2-vCPU machine: 103 to 132 ms; 440 and 834 ms when
    // the acceptor took every waiting connection in one turn of the event loop.
    QVERIFY2(worst < 300, qPrintable(QStringLiteral("a ping took %1 ms during the flood").arg(worst)));
}

void TstSecurity::idleConnectionsWithoutHandshake()
{
    const qsizetype mark = m_a->logSize();
    // More than the unfinished handshakes one address may hold (16 here).
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    QList<quint16> ports;
    for (int i = 0; i < 60; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, m_a->port());
        QVERIFY(socket->waitForConnected(2000));
        ports.append(socket->localPort());
        idle.push_back(std::move(socket));
    }
    for (int i = 0; i < 3; ++i) {
        const qint64 ms = connectClient(m_opsTls, 3000);
        // Well under the handshake timeout (3 s): the oldest idle ones made room at once.
        QVERIFY2(ms >= 0 && ms < 2500, qPrintable(QStringLiteral("a client took %1 ms to connect beside 60 idle connections").arg(ms)));
    }
    // Every idle connection is closed by the node: dropped for room or timed out (3 s).
    QVERIFY(QTest::qWaitFor([&] {
        return std::all_of(idle.begin(), idle.end(), [](const std::unique_ptr<QTcpSocket> &s) { return s->state() == QAbstractSocket::UnconnectedState; });
    }, 9000));
    QTest::qWait(200);
    const QString log = m_a->logSince(mark);
    for (quint16 port : std::as_const(ports)) {
        const QString needle = QStringLiteral("refused 127.0.0.1:%1:").arg(port);
        QVERIFY2(countLines(log, needle) == 1, qPrintable(QStringLiteral("%1 logged %2 times:\n%3").arg(needle).arg(countLines(log, needle)).arg(log.left(3000))));
    }
    QVERIFY(log.contains(QLatin1String("no TLS handshake within 3000 ms")));
    QVERIFY(log.contains(QLatin1String("unfinished TLS handshakes from this address")));
}

void TstSecurity::refusedHandshakesAreLoggedOnce_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("plaintext") << QStringLiteral("plaintext");
    QTest::newRow("TLS 1.1") << QStringLiteral("tls11");
    QTest::newRow("certificate of another CA") << QStringLiteral("other-ca");
    QTest::newRow("no certificate") << QStringLiteral("no-certificate");
}

void TstSecurity::refusedHandshakesAreLoggedOnce()
{
    QFETCH(QString, kind);
    const qsizetype mark = m_a->logSize();
    quint16 port = 0;
    if (kind == QLatin1String("plaintext")) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_a->port());
        QVERIFY(socket.waitForConnected(2000));
        port = socket.localPort();
        socket.write("GET / HTTP/1.1\r\nHost: dc-a\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
    } else {
        QSslConfiguration tls;
        if (kind == QLatin1String("other-ca")) {
            tls = mutualTlsConfiguration(QDir(m_otherPki).filePath(QStringLiteral("ca.crt")), QDir(m_otherPki).filePath(QStringLiteral("intruder.crt")),
                                         QDir(m_otherPki).filePath(QStringLiteral("intruder.key")));
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        } else {
            tls = QSslConfiguration::defaultConfiguration();
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
            if (kind == QLatin1String("tls11")) {
                QT_WARNING_PUSH
                QT_WARNING_DISABLE_DEPRECATED
                tls.setProtocol(QSsl::TlsV1_1);
                QT_WARNING_POP
                tls.setLocalCertificateChain(m_opsTls.localCertificateChain());
                tls.setPrivateKey(m_opsTls.privateKey());
            }
        }
        QSslSocket socket;
        socket.setSslConfiguration(tls);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_a->port());
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState || socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
        port = socket.localPort();
        // TLS 1.3 lets the client finish before the server has checked its certificate: a
        // byte makes it read the server's verdict.
        socket.write("x");
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
    }
    QVERIFY(port != 0);
    const QString needle = QStringLiteral("refused 127.0.0.1:%1:").arg(port);
    QVERIFY2(m_a->waitForLog(mark, needle, 5000), qPrintable(m_a->logSince(mark)));
    QTest::qWait(300);
    const QString log = m_a->logSince(mark);
    QVERIFY2(countLines(log, needle) == 1, qPrintable(log));
    QVERIFY(connectClient(m_opsTls, 3000) >= 0);
}

// ---------------------------------------------------------------------------------------
// Limits

void TstSecurity::noHelloInTime()
{
    RawPeer peer(m_opsTls);
    QVERIFY(peer.connectTo(m_a->port()));
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(peer.waitClosed(5000), "a connection without a hello stayed open");
    QVERIFY2(clock.elapsed() >= 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(peer.errorCode(), QString(protocol::ErrorCode::LimitExceeded));
}

void TstSecurity::idleSession()
{
    RawPeer peer(m_opsTls);
    QVERIFY(peer.connectTo(m_a->port()));
    peer.write(frame(protocol::Type::Hello, 0, hello()));
    QVERIFY(peer.waitForMessages(1, 5000));
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(peer.waitClosed(8000), "an idle session stayed open");
    QVERIFY2(clock.elapsed() >= 2500, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(peer.errorCode(), QString(protocol::ErrorCode::LimitExceeded));
    QVERIFY2(peer.messages().last().body.value(QLatin1StringView("message")).toString().contains(QLatin1String("idle")), qPrintable(peer.describe()));
}

void TstSecurity::tooManySessionsOfOneCertificate()
{
    const QSslConfiguration crowd = tlsOf(QStringLiteral("crowd"));
    std::vector<std::unique_ptr<RawPeer>> peers;
    for (int i = 0; i < 8; ++i) {
        peers.push_back(std::make_unique<RawPeer>(crowd));
        QVERIFY(peers.back()->connectTo(m_a->port()));
        peers.back()->write(frame(protocol::Type::Hello, 0, hello()));
        QVERIFY(peers.back()->waitForMessages(1, 5000));
    }
    RawPeer ninth(crowd);
    (void)ninth.connectTo(m_a->port());
    QVERIFY(ninth.waitClosed(5000));
    QCOMPARE(ninth.errorCode(), QString(protocol::ErrorCode::LimitExceeded));
    QVERIFY2(ninth.describe().contains(QLatin1String("\"crowd\"")), qPrintable(ninth.describe()));
    // Another certificate is not held back by the crowd.
    QVERIFY(connectClient(m_opsTls, 3000) >= 0);
}

void TstSecurity::stringsTooLong()
{
    const QString eventsFile = QDir(m_a->dataDirectory()).filePath(QStringLiteral("events.jsonl"));
    const qint64 before = QFileInfo(eventsFile).size();
    RawPeer peer(m_opsTls);
    QVERIFY(peer.connectTo(m_a->port()));
    peer.write(frame(protocol::Type::Hello, 0, hello()));
    const QString longId(1024 * 1024, QLatin1Char('x'));
    for (int i = 1; i <= 20; ++i)
        QVERIFY(peer.send(frame(protocol::Type::LinkPause, i, QCborMap{{QStringLiteral("link"), longId}})));
    QVERIFY2(peer.waitForMessages(21, 20000), qPrintable(peer.describe()));
    for (int i = 1; i <= 20; ++i) {
        QCOMPARE(peer.messages().at(i).type, QStringLiteral("error"));
        QCOMPARE(peer.messages().at(i).body.value(QLatin1StringView("code")).toString(), QString(protocol::ErrorCode::LimitExceeded));
    }
    QVERIFY(peer.messages().at(1).body.value(QLatin1StringView("message")).toString().contains(QLatin1String("\"link\"")));
    QVERIFY2(QFileInfo(eventsFile).size() - before < 64 * 1024, qPrintable(QString::number(QFileInfo(eventsFile).size() - before)));
}

void TstSecurity::unfinishedFramesStayBounded()
{
    // Eight connections of one certificate each send most of a 64 MiB frame: without a
    // limit the node holds 8 x 40 MiB. Here a peer may hold 48 MiB, the node 96 MiB.
    const qint64 rssBefore = m_a->memoryKb("VmRSS");
    QVERIFY(rssBefore > 0);
    const qsizetype mark = m_a->logSize();
    const QSslConfiguration bulk = tlsOf(QStringLiteral("bulk"));
    QByteArray header(4, '\0');
    qToBigEndian(quint32(protocol::MaxFrameSize), header.data());
    const QByteArray partial = header + QByteArray(40 * 1024 * 1024, 'z');
    std::vector<std::unique_ptr<RawPeer>> peers;
    int refused = 0;
    qint64 rssPeak = rssBefore;
    for (int i = 0; i < 8; ++i) {
        peers.push_back(std::make_unique<RawPeer>(bulk));
        QVERIFY(peers.back()->connectTo(m_a->port()));
        peers.back()->write(frame(protocol::Type::Hello, 0, hello()));
        QVERIFY(peers.back()->waitForMessages(1, 5000));
        (void)peers.back()->send(partial, 60000);
        QTest::qWait(200);
        rssPeak = std::max(rssPeak, m_a->memoryKb("VmRSS"));
    }
    for (const auto &peer : peers) {
        if (peer->closed() || peer->waitClosed(100))
            ++refused;
    }
    // The first holds 40 MiB; the second would pass the peer's 48 MiB: it and the rest are
    // closed, each with the reason in the log (a peer still sending may miss the error
    // reply: the connection is reset under it).
    // (A connection that stops in the middle of its frame for 3 s is idle, and closed too.)
    const QString log = m_a->logSince(mark);
    const int overLimit = countLines(log, QStringLiteral("frames received in part from bulk would pass 48 MiB"));
    const int idle = countLines(log, QStringLiteral("[tst_security]: idle for"));
    // Every closed connection has its reason in the log (an idle one may be logged a moment
    // before its close reaches the peer).
    QVERIFY2(refused >= 7 && overLimit >= 6 && overLimit + idle >= refused,
             qPrintable(QStringLiteral("%1 of 8 connections closed, %2 over the limit, %3 idle").arg(refused).arg(overLimit).arg(idle)));
    qInfo("VmRSS %lld kB before, peak %lld kB with 8 unfinished frames", rssBefore, rssPeak);
    QVERIFY2(rssPeak - rssBefore < 100 * 1024, qPrintable(QStringLiteral("RSS grew by %1 MB").arg((rssPeak - rssBefore) / 1024)));
    // The memory is given back and the node serves everyone.
    peers.clear();
    QVERIFY(connectClient(bulk, 3000) >= 0);
}

void TstSecurity::unreadRepliesStayBounded()
{
    // A peer asks for 6 MiB of rows 200 times and reads nothing.
    const qint64 rssBefore = m_a->memoryKb("VmRSS");
    const qsizetype mark = m_a->logSize();
    RawPeer greedy(m_opsTls, false);
    QVERIFY(greedy.connectTo(m_a->port()));
    greedy.write(frame(protocol::Type::Hello, 0, hello()));
    QCborArray keys;
    for (int id = 1; id <= 24; ++id)
        keys.append(QCborArray{id});
    const QByteArray request = frame(protocol::Type::Rows, 1, QCborMap{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("table"), QStringLiteral("big")}, {QStringLiteral("keys"), keys}});
    QByteArray all;
    for (int i = 0; i < 200; ++i)
        all += request;
    greedy.write(all);
    qint64 rssPeak = rssBefore;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 8000 && !greedy.closed()) {
        QTest::qWait(100);
        rssPeak = std::max(rssPeak, m_a->memoryKb("VmRSS"));
    }
    qInfo("VmRSS %lld kB before, peak %lld kB with replies not read", rssBefore, rssPeak);
    // Held back, not refused: the requests were good ones.
    QVERIFY2(!m_a->logSince(mark).contains(QLatin1String("bad_message")), qPrintable(m_a->logSince(mark)));
    QVERIFY2(rssPeak - rssBefore < 150 * 1024, qPrintable(QStringLiteral("RSS grew by %1 MB").arg((rssPeak - rssBefore) / 1024)));
    QVERIFY(connectClient(m_opsTls, 3000) >= 0);
}

// ---------------------------------------------------------------------------------------
// Roles

void TstSecurity::certificatesCarryTheirRole()
{
    const QSslCertificate admin = QSslCertificate::fromPath(pki(QStringLiteral("admin.crt"))).value(0);
    QCOMPARE(admin.subjectInfo(QSslCertificate::OrganizationalUnitName), QStringList{QStringLiteral("ferry-role:admin")});
    QCOMPARE(certificateRole(admin), Role::Admin);
    QCOMPARE(certificateRole(QSslCertificate::fromPath(pki(QStringLiteral("dc-a.crt"))).value(0)), Role::Node);
    QCOMPARE(certificateRole(QSslCertificate::fromPath(pki(QStringLiteral("old-console.crt"))).value(0)), Role::None);

    // ferryctl certs issue --role, and a role that does not exist.
    const Run run = runProgram(ferryctlBinaryPath(), {QStringLiteral("certs"), QStringLiteral("issue"), m_pki, QStringLiteral("op2"), QStringLiteral("--role"), QStringLiteral("operator")});
    QVERIFY2(run.exitCode == 0 && run.out.contains(QLatin1String("role: operator")), qPrintable(run.describe()));
    QCOMPARE(certificateRole(QSslCertificate::fromPath(pki(QStringLiteral("op2.crt"))).value(0)), Role::Operator);
    const Run bad = runProgram(ferryctlBinaryPath(), {QStringLiteral("certs"), QStringLiteral("issue"), m_pki, QStringLiteral("op3"), QStringLiteral("--role"), QStringLiteral("root")});
    QVERIFY2(bad.exitCode == 2 && bad.err.contains(QLatin1String("\"root\" is not a role")), qPrintable(bad.describe()));
    QVERIFY(!QFile::exists(pki(QStringLiteral("op3.crt"))));
}

void TstSecurity::roleMatrix_data()
{
    // What each role may do, written out here (not taken from the node's own table).
    // Columns: viewer, operator, admin, node; a certificate without a role is a viewer.
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("force");
    QTest::addColumn<QString>("allowed");   // letters: v o a n
    auto row = [](const char *type, const char *allowed, bool force = false) {
        QTest::newRow(qPrintable(QStringLiteral("%1%2").arg(QLatin1String(type), force ? QStringLiteral(" forced") : QString())))
            << QString::fromLatin1(type) << force << QString::fromLatin1(allowed);
    };
    row("ping", "voan");
    row("status", "voa");
    row("tables", "voan");
    row("describe", "voan");
    row("link_list", "voa");
    row("link_show", "voa");
    row("subscribe", "voa");
    row("health", "voa");
    row("events", "voa");
    row("link_pause", "oan");
    row("link_resume", "oan");
    row("link_verify", "oa");
    row("link_resync", "oa");
    row("link_set", "a");
    row("failover", "oa");
    row("failover", "a", true);
    row("failover_ack", "oa");
    row("link_create", "an");
    row("link_remove", "an");
    row("rows", "an");
    row("digest", "an");
    row("probe", "an");
    row("compare", "a");
    row("conflicts", "a");
    row("replace", "n");
    row("create_table", "n");
    row("guard", "n");
    row("applied", "n");
    row("apply", "n");
    row("register_link", "n");
    row("unregister_link", "n");
    row("promote", "n");
    row("demote", "n");
    row("lease", "n");
    row("failover_plan", "voan");
}

void TstSecurity::roleMatrix()
{
    QFETCH(QString, type);
    QFETCH(bool, force);
    QFETCH(QString, allowed);
    const QList<std::pair<QString, QChar>> holders{{QStringLiteral("old-console"), QLatin1Char('v')}, {QStringLiteral("viewer"), QLatin1Char('v')},
                                                   {QStringLiteral("operator"), QLatin1Char('o')}, {QStringLiteral("admin"), QLatin1Char('a')},
                                                   {QStringLiteral("dc-m"), QLatin1Char('n')}};
    // Fields that name nothing this node has: an allowed request fails further on (unknown
    // link, no such table, bad message), never with forbidden, and changes nothing.
    QCborMap body{{QStringLiteral("db"), QStringLiteral("nodb")},      {QStringLiteral("table"), QStringLiteral("nope")},
                  {QStringLiteral("link"), QStringLiteral("nolink")},  {QStringLiteral("to"), QStringLiteral("dc-b")},
                  {QStringLiteral("host"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), 1},
                  {QStringLiteral("force"), force}};
    for (const auto &[holder, letter] : holders) {
        RawPeer peer(tlsOf(holder));
        QVERIFY(peer.connectTo(m_a->port()));
        peer.write(frame(protocol::Type::Hello, 0, hello(letter == QLatin1Char('n') ? holder : QString())));
        QVERIFY2(peer.waitForMessages(1, 5000), qPrintable(peer.describe()));
        QCOMPARE(peer.messages().at(0).type, QStringLiteral("hello"));
        peer.write(frame(QLatin1StringView(type.toLatin1()), 7, body));
        QVERIFY2(peer.waitForMessages(2, 10000), qPrintable(holder + QStringLiteral(": ") + peer.describe()));
        const Message &answer = peer.messages().at(1);
        const bool forbidden = answer.type == QLatin1String("error") && answer.body.value(QLatin1StringView("code")).toString() == QLatin1String("forbidden");
        const QString what = QStringLiteral("%1 (%2) asking %3: %4 %5").arg(holder, letter, type, answer.type, answer.body.value(QLatin1StringView("message")).toString());
        QVERIFY2(forbidden != allowed.contains(letter), qPrintable(what));
        if (forbidden) {
            // The refusal names the roles that may.
            const QString message = answer.body.value(QLatin1StringView("message")).toString();
            QVERIFY2(message.contains(QLatin1String("needs the role")), qPrintable(message));
            for (const QChar role : allowed)
                QVERIFY2(message.contains(QLatin1String(role == QLatin1Char('v') ? "viewer" : role == QLatin1Char('o') ? "operator" : role == QLatin1Char('a') ? "admin" : "node")),
                         qPrintable(message));
            QCOMPARE(answer.id, qint64(7));
            QVERIFY2(!peer.closed(), "a forbidden request closed the connection");
        }
    }
}

void TstSecurity::nodeRegistersOnlyItsOwnLinks()
{
    RawPeer peer(tlsOf(QStringLiteral("dc-m")));
    QVERIFY(peer.connectTo(m_a->port()));
    peer.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-m"))));
    QVERIFY(peer.waitForMessages(1, 5000));
    const QCborMap link{{QStringLiteral("id"), QStringLiteral("stolen")},
                        {QStringLiteral("source_node"), QStringLiteral("dc-b")},
                        {QStringLiteral("source_db"), QStringLiteral("shop")},
                        {QStringLiteral("source_table"), QStringLiteral("big")},
                        {QStringLiteral("target_node"), QStringLiteral("dc-a")},
                        {QStringLiteral("target_host"), QStringLiteral("127.0.0.1")},
                        {QStringLiteral("target_port"), m_a->port()},
                        {QStringLiteral("target_db"), QStringLiteral("shop")},
                        {QStringLiteral("target_table"), QStringLiteral("big")}};
    peer.write(frame(protocol::Type::LinkRegister, 3, QCborMap{{QStringLiteral("link"), link}, {QStringLiteral("source_port"), 7450}}));
    QVERIFY2(peer.waitForMessages(2, 5000), qPrintable(peer.describe()));
    QCOMPARE(peer.messages().at(1).type, QStringLiteral("error"));
    QVERIFY2(peer.messages().at(1).body.value(QLatin1StringView("code")).toString() != QLatin1String("forbidden"), qPrintable(peer.describe()));
    QVERIFY2(peer.describe().contains(QLatin1String("\"dc-b\"")) && peer.describe().contains(QLatin1String("\"dc-m\"")), qPrintable(peer.describe()));
    QVERIFY(!QFile(QDir(m_a->dataDirectory()).filePath(QStringLiteral("inbound.json"))).exists()
            || !QFile(QDir(m_a->dataDirectory()).filePath(QStringLiteral("inbound.json"))).readAll().contains("stolen"));
}

void TstSecurity::batchesOnlyFromTheLinksSource()
{
    // dc-b registers link "pair" into dc-a's table big, as a link's source does.
    const QCborMap link{{QStringLiteral("id"), QStringLiteral("pair")},          {QStringLiteral("source_node"), QStringLiteral("dc-b")},
                        {QStringLiteral("source_db"), QStringLiteral("shop")},   {QStringLiteral("source_table"), QStringLiteral("big")},
                        {QStringLiteral("target_node"), QStringLiteral("dc-a")}, {QStringLiteral("target_host"), QStringLiteral("127.0.0.1")},
                        {QStringLiteral("target_port"), m_a->port()},            {QStringLiteral("target_db"), QStringLiteral("shop")},
                        {QStringLiteral("target_table"), QStringLiteral("big")}};
    RawPeer source(tlsOf(QStringLiteral("dc-b")));
    QVERIFY(source.connectTo(m_a->port()));
    source.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-b")))
                 + frame(protocol::Type::LinkRegister, 1, QCborMap{{QStringLiteral("link"), link}, {QStringLiteral("source_port"), 7450}}));
    QVERIFY2(source.waitForMessages(2, 5000), qPrintable(source.describe()));
    QCOMPARE(source.messages().at(1).type, QStringLiteral("ok"));

    // dc-m, another node, sends a batch for that link (a delete of row 1), and for a link
    // nobody registered; then it tries to register "pair" as its own.
    QList<QVariantList> before;
    FERRY_NO_THROW(before = m_shop->query(QStringLiteral("SELECT id, length(payload) FROM big ORDER BY id")));
    const QCborArray deleteRow1{QCborMap{{QStringLiteral("seq"), 1}, {QStringLiteral("op"), QStringLiteral("delete")}, {QStringLiteral("key"), QCborArray{1}}}};
    QCborMap batch{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("table"), QStringLiteral("big")},
                   {QStringLiteral("link"), QStringLiteral("pair:dc-b")}, {QStringLiteral("link_id"), QStringLiteral("pair")},
                   {QStringLiteral("changes"), deleteRow1}, {QStringLiteral("last_seq"), 1}, {QStringLiteral("epoch"), 1000}};
    QCborMap unregistered = batch;
    unregistered.insert(QStringLiteral("link_id"), QStringLiteral("made-up"));
    QCborMap takeOver = link;
    takeOver.insert(QStringLiteral("source_node"), QStringLiteral("dc-m"));
    // Each refusal closes the intruder's connection: one connection per attempt.
    QStringList refusals;
    // A database link's transaction (apply_group) naming that link, from dc-m.
    const QCborMap group{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("group"), QStringLiteral("pair")},
                         {QStringLiteral("parts"), QCborArray{QCborMap{{QStringLiteral("table"), QStringLiteral("big")}, {QStringLiteral("link_id"), QStringLiteral("pair")},
                                                                       {QStringLiteral("last_seq"), 1}, {QStringLiteral("epoch"), 1000},
                                                                       {QStringLiteral("changes"), deleteRow1}}}}};
    for (const QByteArray &request : {frame(protocol::Type::Apply, 1, batch), frame(protocol::Type::Apply, 1, unregistered),
                                      frame(protocol::Type::LinkRegister, 1, QCborMap{{QStringLiteral("link"), takeOver}, {QStringLiteral("source_port"), 7450}}),
                                      frame(protocol::Type::ApplyGroup, 1, group)}) {
        RawPeer intruder(tlsOf(QStringLiteral("dc-m")));
        QVERIFY(intruder.connectTo(m_a->port()));
        intruder.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-m"))) + request);
        QVERIFY2(intruder.waitForMessages(2, 5000), qPrintable(intruder.describe()));
        QCOMPARE(intruder.messages().at(1).type, QStringLiteral("error"));
        QCOMPARE(intruder.messages().at(1).body.value(QLatin1StringView("code")).toString(), QString(protocol::ErrorCode::WrongIdentity));
        refusals.append(intruder.describe());
    }
    QVERIFY2(refusals.at(0).contains(QLatin1String("comes from node \"dc-b\"")), qPrintable(refusals.at(0)));
    QVERIFY2(refusals.at(1).contains(QLatin1String("no link \"made-up\"")), qPrintable(refusals.at(1)));
    QVERIFY2(refusals.at(2).contains(QLatin1String("registered by node \"dc-b\"")), qPrintable(refusals.at(2)));
    QVERIFY2(refusals.at(3).contains(QLatin1String("comes from node \"dc-b\"")), qPrintable(refusals.at(3)));
    // The link's own source may not use apply_group for a link that is no table of a
    // database link either.
    {
        RawPeer owner(tlsOf(QStringLiteral("dc-b")));
        QVERIFY(owner.connectTo(m_a->port()));
        owner.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-b"))) + frame(protocol::Type::ApplyGroup, 1, group));
        QVERIFY2(owner.waitForMessages(2, 5000), qPrintable(owner.describe()));
        QCOMPARE(owner.messages().at(1).body.value(QLatin1StringView("code")).toString(), QString(protocol::ErrorCode::WrongIdentity));
        QVERIFY2(owner.describe().contains(QLatin1String("is not a table of database link")), qPrintable(owner.describe()));
    }
    QList<QVariantList> after;
    FERRY_NO_THROW(after = m_shop->query(QStringLiteral("SELECT id, length(payload) FROM big ORDER BY id")));
    QCOMPARE(after, before);
    QCOMPARE(after.size(), 24);

    source.write(frame(protocol::Type::LinkUnregister, 2, QCborMap{{QStringLiteral("link"), QStringLiteral("pair")}}));
    QVERIFY(source.waitForMessages(3, 5000));
}

namespace {

QCborMap ownedLink(quint16 port)
{
    return QCborMap{{QStringLiteral("id"), QStringLiteral("owned")},       {QStringLiteral("source_node"), QStringLiteral("dc-b")},
                    {QStringLiteral("source_db"), QStringLiteral("shop")}, {QStringLiteral("source_table"), QStringLiteral("big")},
                    {QStringLiteral("target_node"), QStringLiteral("dc-a")}, {QStringLiteral("target_host"), QStringLiteral("127.0.0.1")},
                    {QStringLiteral("target_port"), port},                 {QStringLiteral("target_db"), QStringLiteral("shop")},
                    {QStringLiteral("target_table"), QStringLiteral("big")}};
}

} // namespace

void TstSecurity::strangerNodeChangesNothing()
{
    // dc-b is the source of link "owned" into dc-a's shop.big and puts the replica guard on
    // it, as a link does when it connects.
    const QCborMap link = ownedLink(m_a->port());
    RawPeer source(tlsOf(QStringLiteral("dc-b")));
    QVERIFY(source.connectTo(m_a->port()));
    source.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-b")))
                 + frame(protocol::Type::LinkRegister, 1, QCborMap{{QStringLiteral("link"), link}, {QStringLiteral("source_port"), 7450}})
                 + frame(protocol::Type::Guard, 2, QCborMap{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("table"), QStringLiteral("big")},
                                                           {QStringLiteral("on"), true}, {QStringLiteral("link"), QStringLiteral("owned")},
                                                           {QStringLiteral("message"), QStringLiteral("replica of dc-b")}}));
    QVERIFY2(source.waitForMessages(3, 10000), qPrintable(source.describe()));
    QCOMPARE(source.messages().at(1).type, QStringLiteral("ok"));
    QCOMPARE(source.messages().at(2).type, QStringLiteral("ok"));

    // What dc-a's database holds, read with SQLite directly.
    const QString rowsSql = QStringLiteral("SELECT id, length(payload) FROM big ORDER BY id");
    const QString objectsSql = QStringLiteral("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
    QList<QVariantList> rowsBefore, objectsBefore;
    FERRY_NO_THROW(rowsBefore = m_shop->query(rowsSql));
    FERRY_NO_THROW(objectsBefore = m_shop->query(objectsSql));
    QCOMPARE(rowsBefore.size(), 24);
    bool guarded = false;
    for (const QVariantList &object : objectsBefore)
        guarded = guarded || object.value(1).toString().contains(QLatin1String("_ferry_guard_"));
    QVERIFY2(guarded, "dc-b's guard request did not put the guard on");
    const QString roles = QDir(m_a->dataDirectory()).filePath(QStringLiteral("roles.json"));
    const QString inbound = QDir(m_a->dataDirectory()).filePath(QStringLiteral("inbound.json"));
    auto fileText = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    };
    const QByteArray rolesBefore = fileText(roles);
    const QByteArray inboundBefore = fileText(inbound);
    QVERIFY(inboundBefore.contains("owned"));

    // dc-m: a node of the same deployment CA, with a valid node certificate, that is not the
    // peer of any of dc-a's links, acting for dc-b's link and for tables of dc-a.
    QCborMap takenOver = link;
    takenOver.insert(QStringLiteral("source_node"), QStringLiteral("dc-m"));
    QCborMap reverse = link;
    reverse.insert(QStringLiteral("id"), QStringLiteral("owned.reverse"));
    reverse.insert(QStringLiteral("reverse_of"), QStringLiteral("owned"));
    reverse.insert(QStringLiteral("direction"), QStringLiteral("bidirectional"));
    reverse.insert(QStringLiteral("source_node"), QStringLiteral("dc-a"));
    reverse.insert(QStringLiteral("target_node"), QStringLiteral("dc-m"));
    TableSchema big;
    big.table = QStringLiteral("big");
    big.columns = {Column{QStringLiteral("id"), ColumnType::Integer, QStringLiteral("INTEGER"), true},
                   Column{QStringLiteral("payload"), ColumnType::Text, QStringLiteral("TEXT"), false}};
    big.primaryKey = {0};
    TableSchema plantedSchema = big;
    plantedSchema.table = QStringLiteral("planted");
    const QCborMap planted = wirecodec::encodeSchema(plantedSchema);
    const QCborArray wipe = wirecodec::encodeRangeRows(big, {RangeRows{KeyRange{}, {}}});
    const QCborMap shopBig{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("table"), QStringLiteral("big")}};
    auto with = [&](QCborMap body, const QCborMap &more) {
        for (auto it = more.cbegin(); it != more.cend(); ++it)
            body.insert(it.key(), it.value());
        return body;
    };
    const QList<std::tuple<QString, QByteArray, QString>> attempts{
        {QStringLiteral("guard off for dc-b's link"), frame(protocol::Type::Guard, 1, with(shopBig, {{QStringLiteral("on"), false}, {QStringLiteral("link"), QStringLiteral("owned")}})),
         QStringLiteral("comes from node \"dc-b\", not from \"dc-m\"")},
        {QStringLiteral("guard off naming no link"), frame(protocol::Type::Guard, 1, with(shopBig, {{QStringLiteral("on"), false}})), QStringLiteral("names no link")},
        {QStringLiteral("replace for dc-b's link"), frame(protocol::Type::Replace, 1, with(shopBig, {{QStringLiteral("link"), QStringLiteral("owned")}, {QStringLiteral("parts"), wipe}})),
         QStringLiteral("comes from node \"dc-b\"")},
        {QStringLiteral("replace naming no link"), frame(protocol::Type::Replace, 1, with(shopBig, {{QStringLiteral("parts"), wipe}})),
         QStringLiteral("no admin allowed node \"dc-m\"")},
        {QStringLiteral("create_table for dc-b's link"),
         frame(protocol::Type::CreateTable, 1, QCborMap{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("link"), QStringLiteral("owned")}, {QStringLiteral("schema"), planted}}),
         QStringLiteral("comes from node \"dc-b\"")},
        {QStringLiteral("create_table naming no link"),
         frame(protocol::Type::CreateTable, 1, QCborMap{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("schema"), planted}}), QStringLiteral("names no link")},
        {QStringLiteral("promote"),
         frame(protocol::Type::Promote, 1, with(shopBig, {{QStringLiteral("link"), takenOver}, {QStringLiteral("epoch"), 50}, {QStringLiteral("replica_port"), 7450}})),
         QStringLiteral("has registered no link owned")},
        {QStringLiteral("demote"),
         frame(protocol::Type::Demote, 1, with(shopBig, {{QStringLiteral("link"), QStringLiteral("owned")}, {QStringLiteral("epoch"), 50}, {QStringLiteral("primary"), QStringLiteral("dc-m")},
                                                         {QStringLiteral("primary_port"), 7450}, {QStringLiteral("applied_seq"), 0}})),
         QStringLiteral("runs no link owned")},
        {QStringLiteral("unregister dc-b's link"), frame(protocol::Type::LinkUnregister, 1, QCborMap{{QStringLiteral("link"), QStringLiteral("owned")}}),
         QStringLiteral("registered by node \"dc-b\"")},
        {QStringLiteral("create the reverse half of dc-b's link"), frame(protocol::Type::LinkCreate, 1, QCborMap{{QStringLiteral("link"), reverse}}),
         QStringLiteral("may only create the reverse half of a link it registered")},
    };
    for (const auto &[what, request, expected] : attempts) {
        RawPeer intruder(tlsOf(QStringLiteral("dc-m")));
        QVERIFY(intruder.connectTo(m_a->port()));
        intruder.write(frame(protocol::Type::Hello, 0, hello(QStringLiteral("dc-m"))) + request);
        QVERIFY2(intruder.waitForMessages(2, 10000), qPrintable(what + QStringLiteral(": ") + intruder.describe()));
        const Message &answer = intruder.messages().at(1);
        QVERIFY2(answer.type == QLatin1String("error") && answer.body.value(QLatin1StringView("code")).toString() == QString(protocol::ErrorCode::WrongIdentity),
                 qPrintable(what + QStringLiteral(": ") + intruder.describe()));
        QVERIFY2(answer.body.value(QLatin1StringView("message")).toString().contains(expected), qPrintable(what + QStringLiteral(": ") + intruder.describe()));
    }

    // Nothing changed: the rows, the guard, no new table, the roles and the registered links.
    QList<QVariantList> rowsAfter, objectsAfter;
    FERRY_NO_THROW(rowsAfter = m_shop->query(rowsSql));
    FERRY_NO_THROW(objectsAfter = m_shop->query(objectsSql));
    QCOMPARE(rowsAfter, rowsBefore);
    QCOMPARE(objectsAfter, objectsBefore);
    QCOMPARE(fileText(roles), rolesBefore);
    QCOMPARE(fileText(inbound), inboundBefore);

    // Each refusal is an audit event naming dc-m's certificate (read from disk).
    QTest::qWait(200);
    const QByteArray events = fileText(QDir(m_a->dataDirectory()).filePath(QStringLiteral("events.jsonl")));
    int refused = 0;
    for (const QByteArray &line : events.split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(QLatin1String("by")).toString().startsWith(QLatin1String("dc-m (node)"))
            && event.value(QLatin1String("outcome")).toString().startsWith(QLatin1String("refused:")))
            ++refused;
    }
    QVERIFY2(refused >= int(attempts.size()), qPrintable(QStringLiteral("%1 refusals audited").arg(refused)));

    // The actual source still can: dc-b lifts its guard and drops its link.
    source.write(frame(protocol::Type::Guard, 3, with(shopBig, {{QStringLiteral("on"), false}, {QStringLiteral("link"), QStringLiteral("owned")}}))
                 + frame(protocol::Type::LinkUnregister, 4, QCborMap{{QStringLiteral("link"), QStringLiteral("owned")}}));
    QVERIFY2(source.waitForMessages(5, 10000), qPrintable(source.describe()));
    QCOMPARE(source.messages().at(3).type, QStringLiteral("ok"));
    QCOMPARE(source.messages().at(4).type, QStringLiteral("ok"));
    FERRY_NO_THROW(objectsAfter = m_shop->query(objectsSql));
    for (const QVariantList &object : objectsAfter)
        QVERIFY2(!object.value(1).toString().contains(QLatin1String("_ferry_guard_")), "dc-b could not lift its own guard");
    QVERIFY(!fileText(inbound).contains("owned"));
}

void TstSecurity::repairsOnlyWithAnAdminsGrant()
{
    // A repair outside a link (compare --repair) replaces rows from the node the admin asked:
    // dc-a takes them only while an admin allows that node to repair that table.
    const QCborMap grant{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("table"), QStringLiteral("big")}, {QStringLiteral("node"), QStringLiteral("dc-m")}};
    // Rows 25 and up: none, so an accepted replace changes nothing either.
    TableSchema big;
    big.table = QStringLiteral("big");
    big.columns = {Column{QStringLiteral("id"), ColumnType::Integer, QStringLiteral("INTEGER"), true},
                   Column{QStringLiteral("payload"), ColumnType::Text, QStringLiteral("TEXT"), false}};
    big.primaryKey = {0};
    const QCborArray empty = wirecodec::encodeRangeRows(big, {RangeRows{KeyRange{Key{qlonglong(25)}, Key()}, {}}});
    const QCborMap replace{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("table"), QStringLiteral("big")}, {QStringLiteral("parts"), empty}};
    auto ask = [&](const QString &holder, const QString &node, QLatin1StringView type, const QCborMap &body) {
        RawPeer peer(tlsOf(holder));
        if (!peer.connectTo(m_a->port()))
            return QStringLiteral("no connection");
        peer.write(frame(protocol::Type::Hello, 0, hello(node)) + frame(type, 5, body));
        if (!peer.waitForMessages(2, 10000))
            return peer.describe();
        const Message &answer = peer.messages().at(1);
        return answer.type == QLatin1String("error") ? answer.body.value(QLatin1StringView("code")).toString() : answer.type;
    };
    const QString m = QStringLiteral("dc-m");
    QCOMPARE(ask(m, m, protocol::Type::Replace, replace), QString(protocol::ErrorCode::WrongIdentity));
    // Only an admin grants; a node cannot grant itself.
    QCOMPARE(ask(m, m, protocol::Type::RepairGrant, grant), QStringLiteral("forbidden"));
    QCOMPARE(ask(QStringLiteral("operator"), QString(), protocol::Type::RepairGrant, grant), QStringLiteral("forbidden"));
    QCOMPARE(ask(QStringLiteral("admin"), QString(), protocol::Type::RepairGrant, grant), QStringLiteral("ok"));
    QCOMPARE(ask(m, m, protocol::Type::Replace, replace), QStringLiteral("digests"));
    // For that node and that table only.
    QCOMPARE(ask(QStringLiteral("dc-b"), QStringLiteral("dc-b"), protocol::Type::Replace, replace), QString(protocol::ErrorCode::WrongIdentity));
    QCborMap revoke = grant;
    revoke.insert(QStringLiteral("allow"), false);
    QCOMPARE(ask(QStringLiteral("admin"), QString(), protocol::Type::RepairGrant, revoke), QStringLiteral("ok"));
    QCOMPARE(ask(m, m, protocol::Type::Replace, replace), QString(protocol::ErrorCode::WrongIdentity));
    QList<QVariantList> rows;
    FERRY_NO_THROW(rows = m_shop->query(QStringLiteral("SELECT count(*) FROM big")));
    QCOMPARE(rows.value(0).value(0).toInt(), 24);
}

void TstSecurity::changesAreAudited()
{
    const QString eventsFile = QDir(m_a->dataDirectory()).filePath(QStringLiteral("events.jsonl"));
    auto ask = [&](const QString &holder, QLatin1StringView type, const QCborMap &body) {
        RawPeer peer(tlsOf(holder));
        if (!peer.connectTo(m_a->port()))
            return QString();
        peer.write(frame(protocol::Type::Hello, 0, hello()) + frame(type, 5, body));
        return peer.waitForMessages(2, 10000) ? peer.messages().at(1).type : QString();
    };
    QCOMPARE(ask(QStringLiteral("operator"), protocol::Type::LinkPause, QCborMap{{QStringLiteral("link"), QStringLiteral("audit-1")}}), QStringLiteral("error"));
    QCOMPARE(ask(QStringLiteral("viewer"), protocol::Type::LinkRemove, QCborMap{{QStringLiteral("link"), QStringLiteral("audit-2")}}), QStringLiteral("error"));
    QCOMPARE(ask(QStringLiteral("dc-m"), protocol::Type::LinkUnregister, QCborMap{{QStringLiteral("link"), QStringLiteral("audit-3")}}), QStringLiteral("ok"));
    // A read is not an event.
    QCOMPARE(ask(QStringLiteral("viewer"), protocol::Type::LinkList, {}), QStringLiteral("links"));

    // On disk, read as JSON lines.
    QTest::qWait(200);
    QFile file(eventsFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QMap<QString, QJsonObject> byLink;
    int reads = 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(QLatin1String("link")).toString().startsWith(QLatin1String("audit-")))
            byLink.insert(event.value(QLatin1String("link")).toString(), event);
        if (event.value(QLatin1String("what")).toString().contains(QLatin1String("link_list")))
            ++reads;
    }
    QCOMPARE(byLink.size(), 3);
    const QJsonObject paused = byLink.value(QStringLiteral("audit-1"));
    QVERIFY2(paused.value(QLatin1String("by")).toString().startsWith(QLatin1String("operator (operator) 127.0.0.1:")), qPrintable(paused.value(QLatin1String("by")).toString()));
    QCOMPARE(paused.value(QLatin1String("what")).toString(), QStringLiteral("request: pause link"));
    QVERIFY(paused.value(QLatin1String("outcome")).toString().startsWith(QLatin1String("refused:")));
    const QJsonObject removed = byLink.value(QStringLiteral("audit-2"));
    QVERIFY(removed.value(QLatin1String("by")).toString().startsWith(QLatin1String("viewer (viewer)")));
    QVERIFY2(removed.value(QLatin1String("outcome")).toString().contains(QLatin1String("needs the role admin or node")), qPrintable(removed.value(QLatin1String("outcome")).toString()));
    QCOMPARE(removed.value(QLatin1String("severity")).toString(), QStringLiteral("warning"));
    const QJsonObject acknowledged = byLink.value(QStringLiteral("audit-3"));
    QVERIFY(acknowledged.value(QLatin1String("by")).toString().startsWith(QLatin1String("dc-m (node)")));
    QCOMPARE(acknowledged.value(QLatin1String("outcome")).toString(), QStringLiteral("done"));
    QCOMPARE(reads, 0);
}

void TstSecurity::caCertificatesAreNotPeers_data()
{
    QTest::addColumn<bool>("leaf");
    QTest::newRow("a CA certificate the deployment CA issued") << false;
    QTest::newRow("an admin certificate that CA issued") << true;
}

void TstSecurity::caCertificatesAreNotPeers()
{
    QFETCH(bool, leaf);
    // With openssl(1), not Ferry: a sub-CA issued by the deployment CA (a mistake, or a
    // stolen CA key's worth of trouble), and an admin certificate it issued for any name.
    const QString dir = m_root->filePath(QStringLiteral("sub"));
    if (!QFile::exists(QDir(dir).filePath(QStringLiteral("chain.crt")))) {
        QVERIFY(QDir().mkpath(dir));
        auto openssl = [&](const QStringList &arguments) {
            QProcess process;
            process.setWorkingDirectory(dir);
            process.start(QStringLiteral("openssl"), arguments);
            return process.waitForFinished(30000) && process.exitCode() == 0 ? QString() : QString::fromLocal8Bit(process.readAllStandardError());
        };
        QFile ext(QDir(dir).filePath(QStringLiteral("ca.ext")));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        ext.close();
        QFile leafExt(QDir(dir).filePath(QStringLiteral("leaf.ext")));
        QVERIFY(leafExt.open(QIODevice::WriteOnly));
        leafExt.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        leafExt.close();
        for (const QStringList &arguments : QList<QStringList>{
                 {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sub.key"},
                 {"req", "-new", "-key", "sub.key", "-subj", "/OU=ferry-role:admin/CN=sub-ca", "-out", "sub.csr"},
                 {"x509", "-req", "-in", "sub.csr", "-CA", pki(QStringLiteral("ca.crt")), "-CAkey", pki(QStringLiteral("ca.key")), "-CAcreateserial",
                  "-days", "30", "-extfile", "ca.ext", "-out", "sub.crt"},
                 {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "mallory.key"},
                 {"req", "-new", "-key", "mallory.key", "-subj", "/OU=ferry-role:admin/CN=mallory", "-out", "mallory.csr"},
                 {"x509", "-req", "-in", "mallory.csr", "-CA", "sub.crt", "-CAkey", "sub.key", "-CAcreateserial", "-days", "30", "-extfile", "leaf.ext",
                  "-out", "mallory.crt"}}) {
            const QString error = openssl(arguments);
            QVERIFY2(error.isEmpty(), qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + error));
        }
        QFile chain(QDir(dir).filePath(QStringLiteral("chain.crt")));
        QVERIFY(chain.open(QIODevice::WriteOnly));
        for (const char *file : {"mallory.crt", "sub.crt"}) {
            QFile part(QDir(dir).filePath(QLatin1String(file)));
            QVERIFY(part.open(QIODevice::ReadOnly));
            chain.write(part.readAll());
        }
    }
    QSslConfiguration tls;
    FERRY_NO_THROW(tls = leaf ? mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), QDir(dir).filePath(QStringLiteral("chain.crt")), QDir(dir).filePath(QStringLiteral("mallory.key")))
                              : mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), QDir(dir).filePath(QStringLiteral("sub.crt")), QDir(dir).filePath(QStringLiteral("sub.key"))));
    const qsizetype mark = m_a->logSize();
    RawPeer peer(tls);
    (void)peer.connectTo(m_a->port());
    peer.write(frame(protocol::Type::Hello, 0, hello()) + frame(protocol::Type::LinkList, 1));
    QVERIFY2(peer.waitClosed(5000), qPrintable(peer.describe()));
    QVERIFY2(peer.messages().isEmpty(), qPrintable(peer.describe()));
    const QString needle = leaf ? QStringLiteral("\"mallory\" was not issued by the deployment CA itself") : QStringLiteral("\"sub-ca\" is a CA certificate");
    QVERIFY2(m_a->waitForLog(mark, needle), qPrintable(m_a->logSince(mark)));

    // A node presenting such a certificate is refused by a client the same way.
    QSslServer server;
    QSslConfiguration serverTls = tls;
    server.setSslConfiguration(serverTls);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    NodeClient client(QStringLiteral("127.0.0.1"), server.serverPort(), m_opsTls, NodeClient::Options());
    client.open();
    const QFuture<Message> pong = client.request(protocol::Type::Ping, {});
    QVERIFY(waitForFuture(pong, 10000));
    QString code;
    try {
        (void)pong.result();
    } catch (const WireError &error) {
        code = error.code();
        qInfo("%s", qPrintable(error.message()));
    }
    QCOMPARE(code, QString(protocol::ErrorCode::WrongIdentity));
}

// ---------------------------------------------------------------------------------------
// Files

void TstSecurity::stateIsForTheNodeAlone()
{
    // dc-a wrote its state (links, roles, event log) since it started.
    const QString state = m_a->dataDirectory();
    QCOMPARE(int(QFile::permissions(state) & 0x00ff), 0);   // nothing for the group or others
    QCOMPARE(int(QFile::permissions(state) & 0x7000), 0x7000);
    QDirIterator it(state, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString file = it.next();
        ++files;
        QVERIFY2((QFile::permissions(file) & 0x00ff) == 0, qPrintable(QStringLiteral("%1 is readable by others").arg(file)));
    }
    QVERIFY(files > 0);

    // State left 0644 in a 0755 folder by an older version is restricted at start.
    const QString dir = m_root->filePath(QStringLiteral("old"));
    NodeProcess node(QStringLiteral("dc-b"), QString(), dir, m_pki);
    node.addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_shop->dataSource().path);
    QVERIFY(QDir().mkpath(node.dataDirectory()));
    QFile old(QDir(node.dataDirectory()).filePath(QStringLiteral("events.jsonl")));
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.close();
    QVERIFY(QFile::setPermissions(old.fileName(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QVERIFY(QFile::setPermissions(node.dataDirectory(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup
                                                          | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther));
    const QString problem = node.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(int(QFile::permissions(old.fileName()) & 0x00ff), 0);
    QCOMPARE(int(QFile::permissions(node.dataDirectory()) & 0x00ff), 0);
}

void TstSecurity::exposedSecretsAreWarnedAbout()
{
    // A copy of dc-b's key readable by everyone, and a config with a password readable too.
    const QString dir = m_root->filePath(QStringLiteral("exposed"));
    QVERIFY(QDir().mkpath(dir));
    const QString key = QDir(dir).filePath(QStringLiteral("dc-b.key"));
    QVERIFY(QFile::copy(pki(QStringLiteral("dc-b.key")), key));
    QVERIFY(QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    NodeProcess node(QStringLiteral("dc-b"), QString(), dir, m_pki);
    node.addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_shop->dataSource().path);
    node.addDatabase(QStringLiteral("remote"), QStringLiteral("postgresql://ferry:secret@127.0.0.1:1/remote"));
    node.setCertificate(pki(QStringLiteral("dc-b.crt")), key);
    (void)node.start();   // whether it reaches the database or not: the warnings come first
    const QString log = node.logSince(0);
    QVERIFY2(log.contains(key + QStringLiteral(": the private key can be read")), qPrintable(log));
    QVERIFY2(log.contains(node.configPath() + QStringLiteral(": holds a database password")), qPrintable(log));
    QVERIFY2(!log.contains(QLatin1String("secret")), qPrintable(log));
}

QTEST_MAIN(TstSecurity)
#include "tst_security.moc"
