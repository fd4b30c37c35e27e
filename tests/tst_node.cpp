// tst_node: ferry-node end to end. Real ferry-node processes (FERRY_NODE_PATH) listen on
// loopback with a deployment CA and certificates made for this run; they are driven by the
// real ferryctl (FERRYCTL_PATH), by raw TLS sockets that write the bytes themselves, and by
// NodeClient.
//
// - status/tables: every node reports its name, region, databases (with their kind) and
//   tables, in JSON and in text; errors name the database or the address.
// - Remote compare: identical tables exit 0 and ship nothing; seeded random drift (inserts,
//   updates, deletes; integer, composite and text keys) is repaired SQLite->SQLite and, with
//   FERRY_TEST_PG_URL, SQLite->PostgreSQL and PostgreSQL->SQLite, and both tables end row for
//   row identical (canonical bytes); rows_sent is bounded by the drift; a one-row change
//   ships one row; three nodes: A->B then B->C leaves C identical to A.
// - Faults against a running node (garbage, truncated, oversized, empty and non-map frames,
//   wrong-typed and missing fields, unknown messages, a bad id, a request before hello,
//   hello with only version 99, a replace whose rows lie outside their range, and clients
//   without a certificate, from another CA or with an expired certificate): the connection
//   is closed (after a typed error reply where the protocol has one) or refused, the node
//   logs why, keeps serving a client connected before and new clients, does not grow by
//   the announced frame size, and no database file changes.
// - ferryctl compare errors (unknown database or table, schema mismatch, no primary key,
//   node down, the same table, bad URLs): exit 2, a message naming the thing, no file
//   changes on either node.
// - kill -9 of the target node during a large repair: the target is a sound SQLite database
//   in which every repaired range is entirely old or entirely new; after a restart a second
//   repair converges. kill -9 of the source node: ferryctl exits 2 naming it, a rerun
//   converges.
// - NodeClient with autoReconnect: disconnected, reconnectScheduled, connected again; a
//   request in flight when the node died fails "unreachable" and is not sent again.
// - ferry-node itself: bad configs exit 2 with one line naming the file and field; SIGTERM
//   stops it with exit 0 and "stopped" (also after all the abuse above).
//
// The functions run in order and share four nodes (dc-a, dc-b, dc-c on three data centers'
// SQLite files, plus PostgreSQL on dc-a and dc-b when FERRY_TEST_PG_URL is set; dc-d for the
// reconnect test); a test that kills a node starts it again on the same port. Set
// FERRY_TEST_KEEP=1 to keep the temporary directory with the node configs and logs.

#include "nodeprocess.h"
#include "testsupport.h"

#include "rows/canonicalencoder.h"
#include "net/nodeclient.h"
#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "rows/keyrange.h"
#include "wire/datacodec.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

#include <sys/types.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;

namespace {

constexpr int BigRows = 200000;      // rows of the source table of the kill tests
constexpr int BigBlockRows = 100;    // their --block-rows: 2000 blocks, ~32 repair transactions

QCborMap helloBody(const QCborArray &versions)
{
    return QCborMap{{QStringLiteral("versions"), versions},
                    {QStringLiteral("digests"), QCborArray{QStringLiteral("md5"), QStringLiteral("sha256")}},
                    {QStringLiteral("client"), QStringLiteral("probe")},
                    {QStringLiteral("software"), QStringLiteral("tst_node")}};
}

QByteArray keyBytes(const TableSchema &schema, const Key &key)
{
    QByteArray bytes;
    const QList<ColumnType> types = schema.keyTypes();
    for (qsizetype i = 0; i < types.size(); ++i)
        CanonicalEncoder::appendValue(bytes, types.at(i), key.at(i));
    return bytes;
}

// A TLS client that writes whatever bytes it is given and decodes what comes back.
class RawPeer
{
public:
    explicit RawPeer(const QSslConfiguration &tls)
    {
        m_socket.setSslConfiguration(tls);
        QObject::connect(&m_socket, &QSslSocket::encrypted, [this] { m_encrypted = true; });
        QObject::connect(&m_socket, &QSslSocket::readyRead, [this] { read(); });
        QObject::connect(&m_socket, &QSslSocket::disconnected, [this] { m_closed = true; });
        QObject::connect(&m_socket, &QSslSocket::errorOccurred, [this](QAbstractSocket::SocketError) {
            m_errors.append(m_socket.errorString());
            if (m_socket.state() == QAbstractSocket::UnconnectedState)
                m_closed = true;
        });
        QObject::connect(&m_socket, &QSslSocket::sslErrors, [this](const QList<QSslError> &errors) {
            for (const QSslError &error : errors)
                m_errors.append(error.errorString());
        });
    }

    // True when this side finished the handshake and the connection is still up.
    bool connectTo(quint16 port, int timeoutMs = 5000)
    {
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        (void)QTest::qWaitFor([&] { return m_encrypted || m_closed; }, timeoutMs);
        return m_encrypted && !m_closed;
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    void close() { m_socket.disconnectFromHost(); }
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
    bool encrypted() const { return m_encrypted; }
    const QList<Message> &messages() const { return m_messages; }
    QString describe() const
    {
        QStringList parts;
        for (const Message &message : m_messages)
            parts.append(QStringLiteral("%1 %2").arg(message.type, QString::fromUtf8(QJsonDocument(message.body.toJsonObject()).toJson(QJsonDocument::Compact))));
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
    FrameReader m_reader;
    QList<Message> m_messages;
    QSslSocket m_socket;   // last: destroyed first, while the members its handlers use exist
};

} // namespace

class TstNode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void statusAndTables();
    void repairConverges_data();
    void repairConverges();
    void oneRowChangeShipsOneRow();
    void threeNodeChain();
    void faultyPeer_data();
    void faultyPeer();
    void refusedCertificates_data();
    void refusedCertificates();
    void compareErrors_data();
    void compareErrors();
    void killTargetMidRepair();
    void killSourceMidRepair();
    void reconnect();
    void badConfig_data();
    void badConfig();
    void sigtermStopsCleanly();

private:
    Run ferryctl(const QStringList &arguments, int timeoutMs = 60000) const
    {
        return runProgram(QStringLiteral(FERRYCTL_PATH), arguments, timeoutMs);
    }
    Run compare(const QString &source, const QString &target, const QStringList &options) const
    {
        return ferryctl(QStringList{QStringLiteral("compare"), source, target} + options + m_clientArgs);
    }
    QString pki(const QString &file) const { return m_pki + QLatin1Char('/') + file; }
    static QString sqlitePath(const ScratchDatabase &db) { return db.dataSource().path; }
    QStringList nodeDatabaseFiles() const
    {
        return {sqlitePath(*m_aShop), sqlitePath(*m_aBilling), sqlitePath(*m_bShop), sqlitePath(*m_cShop)};
    }
    // The client connected before a fault, which must go on being served.
    void checkStillServing(NodeProcess &node, const QString &context);
    void createBigSource();
    QByteArray tableDigest(ScratchDatabase &db, const QString &table, qint64 *rows);
    bool startQuietly(NodeProcess &node);

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_pki;
    QString m_otherPki;
    QStringList m_clientArgs;
    QSslConfiguration m_clientTls;
    quint16 m_closedPort = 0;

    std::unique_ptr<ScratchDatabase> m_aShop, m_aBilling, m_aBulk, m_bShop, m_bBulk, m_cShop, m_dShop, m_pg;
    // After the databases: destroyed (killed) first.
    std::unique_ptr<NodeProcess> m_a, m_b, m_c, m_d;
    std::unique_ptr<NodeClientThread> m_bystander;
    bool m_bigSourceReady = false;
};

// ---------------------------------------------------------------------------------------
// Set-up

void TstNode::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(FERRY_NODE_PATH)).isExecutable(), FERRY_NODE_PATH);
    QVERIFY2(QFileInfo(QStringLiteral(FERRYCTL_PATH)).isExecutable(), FERRYCTL_PATH);
    QVERIFY(QSslSocket::supportsSsl());
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    if (qEnvironmentVariableIsSet("FERRY_TEST_KEEP")) {
        // For a post-mortem: the node logs and configs stay.
        m_root->setAutoRemove(false);
        qInfo("keeping %s", qPrintable(m_root->path()));
    }

    // The deployment: a CA, the nodes, a console; an expired console; another deployment.
    m_pki = m_root->filePath(QStringLiteral("pki"));
    m_otherPki = m_root->filePath(QStringLiteral("other"));
    try {
        createDeploymentCa(m_pki);
        for (const char *name : {"dc-a", "dc-b", "dc-c", "dc-d", "dc-x", "console"})
        {
            // Nodes hold node certificates; the tests' own client is an admin.
            IssueOptions role;
            role.role = QByteArray(name).startsWith("dc-") ? Role::Node : Role::Admin;
            issueCertificate(m_pki, QString::fromLatin1(name), role);
        }
        IssueOptions expired;
        expired.days = 1;
        expired.notBeforeOffsetSeconds = -3 * 86400;
        expired.notAfterOffsetSeconds = -2 * 86400;
        issueCertificate(m_pki, QStringLiteral("old-console"), expired);
        createDeploymentCa(m_otherPki);
        issueCertificate(m_otherPki, QStringLiteral("intruder"));
        m_clientTls = mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), pki(QStringLiteral("console.crt")), pki(QStringLiteral("console.key")));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    m_clientArgs = {QStringLiteral("--ca"), pki(QStringLiteral("ca.crt")), QStringLiteral("--cert"), pki(QStringLiteral("console.crt")),
                    QStringLiteral("--key"), pki(QStringLiteral("console.key"))};
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        m_closedPort = server.serverPort();
    }

    try {
        m_aShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_aBilling = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_aBulk = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_bShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_bBulk = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_cShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_dShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        if (!postgresUrl().isEmpty())
            m_pg = std::make_unique<ScratchDatabase>(Backend::Postgres);

        const QString orders = QStringLiteral("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, qty INTEGER)");
        const QString fill = QStringLiteral("INSERT INTO orders SELECT value, 'item ' || value, value * 3 FROM "
                                            "(WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 50) SELECT value FROM c)");
        // The one-row table: even ids 2..10000, so that a row can be added between two.
        const QString onerow = QStringLiteral("CREATE TABLE onerow (id INTEGER PRIMARY KEY, name TEXT, v REAL)");
        const QString onerowFill = QStringLiteral("INSERT INTO onerow SELECT 2 * value, 'row ' || value, value * 0.25 FROM "
                                                  "(WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 5000) SELECT value FROM c)");
        for (ScratchDatabase *db : {m_aShop.get(), m_bShop.get(), m_cShop.get()}) {
            db->exec(orders);
            db->exec(fill);
        }
        for (ScratchDatabase *db : {m_aShop.get(), m_bShop.get()}) {
            db->exec(onerow);
            db->exec(onerowFill);
        }
        m_aShop->exec(QStringLiteral("CREATE TABLE faults (id INTEGER PRIMARY KEY, name TEXT)"));
        m_aShop->exec(QStringLiteral("INSERT INTO faults SELECT value, 'fault ' || value FROM "
                                     "(WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 100) SELECT value FROM c)"));
        m_aShop->exec(QStringLiteral("CREATE TABLE nokey (id INTEGER, name TEXT)"));
        m_aShop->exec(QStringLiteral("INSERT INTO nokey VALUES (1, 'a')"));
        m_bShop->exec(QStringLiteral("CREATE TABLE orders_wide (id INTEGER PRIMARY KEY, item TEXT NOT NULL, qty INTEGER, note TEXT)"));
        m_aBilling->exec(QStringLiteral("CREATE TABLE invoices (number TEXT, line INTEGER, amount NUMERIC, PRIMARY KEY (number, line))"));
        m_dShop->exec(QStringLiteral("CREATE TABLE resend (id INTEGER PRIMARY KEY, name TEXT)"));
        // The bulk databases have no table until the kill tests (an empty database is
        // listed too); writing the header makes them SQLite files all the same.
        m_aBulk->exec(QStringLiteral("PRAGMA user_version = 1"));
        m_bBulk->exec(QStringLiteral("PRAGMA user_version = 1"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }

    auto sqlite = [](const ScratchDatabase &db) { return QStringLiteral("sqlite:") + sqlitePath(db); };
    m_a = std::make_unique<NodeProcess>(QStringLiteral("dc-a"), QStringLiteral("us-east"), m_root->filePath(QStringLiteral("a")), m_pki);
    m_a->addDatabase(QStringLiteral("shop"), sqlite(*m_aShop));
    m_a->addDatabase(QStringLiteral("billing"), sqlite(*m_aBilling));
    m_a->addDatabase(QStringLiteral("bulk"), sqlite(*m_aBulk));
    m_b = std::make_unique<NodeProcess>(QStringLiteral("dc-b"), QStringLiteral("eu-west"), m_root->filePath(QStringLiteral("b")), m_pki);
    m_b->addDatabase(QStringLiteral("shop"), sqlite(*m_bShop));
    m_b->addDatabase(QStringLiteral("bulk"), sqlite(*m_bBulk));
    if (m_pg) {
        m_a->addDatabase(QStringLiteral("pg"), postgresUrl());
        m_b->addDatabase(QStringLiteral("pg"), postgresUrl());
    }
    m_c = std::make_unique<NodeProcess>(QStringLiteral("dc-c"), QString(), m_root->filePath(QStringLiteral("c")), m_pki);
    m_c->addDatabase(QStringLiteral("shop"), sqlite(*m_cShop));
    m_d = std::make_unique<NodeProcess>(QStringLiteral("dc-d"), QStringLiteral("ap-south"), m_root->filePath(QStringLiteral("d")), m_pki);
    m_d->addDatabase(QStringLiteral("shop"), sqlite(*m_dShop));
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get(), m_d.get()}) {
        const QString error = node->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
}

void TstNode::cleanupTestCase()
{
    m_bystander.reset();
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get(), m_d.get()}) {
        if (node && node->isRunning())
            node->kill9();
    }
}

bool TstNode::startQuietly(NodeProcess &node)
{
    const QString error = node.start();
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return error.isEmpty();
}

void TstNode::checkStillServing(NodeProcess &node, const QString &context)
{
    QVERIFY2(node.isRunning(), qPrintable(QStringLiteral("%1: %2 is gone; its log:\n%3").arg(context, node.name(), node.logSince(0))));
    // The client connected before the fault.
    try {
        const Message reply = ask(m_bystander->client(), protocol::Type::Status);
        QCOMPARE(reply.type, QStringLiteral("status"));
        QCOMPARE(reply.body.value(QLatin1StringView("node")).toString(), node.name());
    } catch (const FerryError &error) {
        QFAIL(qPrintable(QStringLiteral("%1: the client connected before lost its service: %2").arg(context, error.message())));
    }
    // A new client.
    const Run run = ferryctl(QStringList{QStringLiteral("status"), node.url(), QStringLiteral("--json")} + m_clientArgs);
    QVERIFY2(run.exitCode == 0, qPrintable(context + QLatin1Char('\n') + run.describe()));
    QCOMPARE(jsonOf(run).value(QLatin1String("node")).toString(), node.name());
}

// ---------------------------------------------------------------------------------------
// status, tables

void TstNode::statusAndTables()
{
    struct Expected
    {
        NodeProcess *node;
        QMap<QString, QStringList> databases;   // SQLite databases and their tables
    };
    const QList<Expected> nodes{
        {m_a.get(), {{QStringLiteral("shop"), {QStringLiteral("faults"), QStringLiteral("nokey"), QStringLiteral("onerow"), QStringLiteral("orders")}},
                     {QStringLiteral("billing"), {QStringLiteral("invoices")}},
                     {QStringLiteral("bulk"), {}}}},
        {m_b.get(), {{QStringLiteral("shop"), {QStringLiteral("onerow"), QStringLiteral("orders"), QStringLiteral("orders_wide")}},
                     {QStringLiteral("bulk"), {}}}},
        {m_c.get(), {{QStringLiteral("shop"), {QStringLiteral("orders")}}}},
    };
    for (const Expected &expected : nodes) {
        NodeProcess &node = *expected.node;
        Run run = ferryctl(QStringList{QStringLiteral("status"), node.url(), QStringLiteral("--json")} + m_clientArgs);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        const QJsonObject o = jsonOf(run);
        QCOMPARE(o.value(QLatin1String("node")).toString(), node.name());
        QCOMPARE(o.value(QLatin1String("region")).toString(), node.region());
        QVERIFY2(o.value(QLatin1String("software")).toString().startsWith(QLatin1String("ferry/")), qPrintable(run.out));
        QCOMPARE(o.value(QLatin1String("protocol")).toInt(), protocol::Version);
        QVERIFY(o.value(QLatin1String("uptime_ms")).isDouble() && o.value(QLatin1String("uptime_ms")).toDouble() >= 0);

        QStringList names;
        for (const QJsonValue &value : o.value(QLatin1String("databases")).toArray()) {
            const QJsonObject db = value.toObject();
            const QString name = db.value(QLatin1String("name")).toString();
            names.append(name);
            QVERIFY2(!db.contains(QLatin1String("error")), qPrintable(run.out));
            QVERIFY2(db.value(QLatin1String("tables")).isArray(), qPrintable(run.out));
            if (name == QLatin1String("pg")) {
                QCOMPARE(db.value(QLatin1String("kind")).toString(), QStringLiteral("postgresql"));
                continue;
            }
            QCOMPARE(db.value(QLatin1String("kind")).toString(), QStringLiteral("sqlite"));
            QCOMPARE(db.value(QLatin1String("tables")).toVariant().toStringList(), expected.databases.value(name));
        }
        QStringList expectedNames = expected.databases.keys();
        if (m_pg && (expected.node == m_a.get() || expected.node == m_b.get()))
            expectedNames.append(QStringLiteral("pg"));
        names.sort();
        expectedNames.sort();
        QCOMPARE(names, expectedNames);

        // The same in text.
        run = ferryctl(QStringList{QStringLiteral("status"), node.url()} + m_clientArgs);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.out.contains(QStringLiteral("node      %1 (%2)").arg(node.name(), node.region().isEmpty() ? QStringLiteral("-") : node.region())),
                 qPrintable(run.out));
        for (auto it = expected.databases.begin(); it != expected.databases.end(); ++it) {
            const QString line = QStringLiteral("database  %1 (sqlite): %2").arg(it.key(), it.value().join(QLatin1String(", ")));
            QVERIFY2(run.out.contains(line), qPrintable(QStringLiteral("no \"%1\" in:\n%2").arg(line, run.out)));
        }

        // tables, for every database.
        for (auto it = expected.databases.begin(); it != expected.databases.end(); ++it) {
            run = ferryctl(QStringList{QStringLiteral("tables"), node.url(it.key()), QStringLiteral("--json")} + m_clientArgs);
            QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
            QCOMPARE(jsonOf(run).value(QLatin1String("tables")).toVariant().toStringList(), it.value());
            run = ferryctl(QStringList{QStringLiteral("tables"), node.url(it.key())} + m_clientArgs);
            QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
            QCOMPARE(run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts), it.value());
        }
    }

    // Errors name the database, the node, the address.
    Run run = ferryctl(QStringList{QStringLiteral("tables"), m_a->url(QStringLiteral("nosuch")), QStringLiteral("--json")} + m_clientArgs);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("\"nosuch\"")) && run.err.contains(QLatin1String("dc-a")), qPrintable(run.describe()));
    QVERIFY2(jsonOf(run).value(QLatin1String("error")).toString().contains(QLatin1String("nosuch")), qPrintable(run.out));
    run = ferryctl(QStringList{QStringLiteral("status"), QStringLiteral("ferry://127.0.0.1:%1").arg(m_closedPort)} + m_clientArgs);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("127.0.0.1:%1").arg(m_closedPort)), qPrintable(run.describe()));
    run = ferryctl({QStringLiteral("status"), m_a->url(), QStringLiteral("--profile"), m_root->filePath(QStringLiteral("no-such-profile.json"))});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("no-such-profile.json")), qPrintable(run.describe()));
}

// ---------------------------------------------------------------------------------------
// Remote compare and repair

void TstNode::repairConverges_data()
{
    QTest::addColumn<bool>("sourcePg");
    QTest::addColumn<bool>("targetPg");
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("keyKind");   // 0 integer, 1 (integer, text), 2 text
    QTest::newRow("sqlite->sqlite, integer key, seed 1") << false << false << 1 << 0;
    QTest::newRow("sqlite->sqlite, composite key, seed 2") << false << false << 2 << 1;
    QTest::newRow("sqlite->sqlite, text key, seed 3") << false << false << 3 << 2;
    QTest::newRow("sqlite->postgres, integer key, seed 4") << false << true << 4 << 0;
    QTest::newRow("sqlite->postgres, composite key, seed 5") << false << true << 5 << 1;
    QTest::newRow("postgres->sqlite, integer key, seed 6") << true << false << 6 << 0;
    QTest::newRow("postgres->sqlite, text key, seed 7") << true << false << 7 << 2;
}

void TstNode::repairConverges()
{
    QFETCH(bool, sourcePg);
    QFETCH(bool, targetPg);
    QFETCH(int, seed);
    QFETCH(int, keyKind);
    if (sourcePg || targetPg) {
        FERRY_REQUIRE_POSTGRES();
        QVERIFY(m_pg);
    }
    ScratchDatabase &sourceDb = sourcePg ? *m_pg : *m_aShop;
    ScratchDatabase &targetDb = targetPg ? *m_pg : *m_bShop;
    const QString sourceTable = sourceDb.name(QStringLiteral("rnd%1_src").arg(seed));
    const QString targetTable = targetDb.name(QStringLiteral("rnd%1_dst").arg(seed));
    const QList<ScratchDatabase::ColumnSpec> columns{
        {QStringLiteral("id"), ColumnType::Integer, true},   {QStringLiteral("code"), ColumnType::Text, true},
        {QStringLiteral("name"), ColumnType::Text, false},   {QStringLiteral("v"), ColumnType::Real, false},
        {QStringLiteral("b"), ColumnType::Blob, false},      {QStringLiteral("flag"), ColumnType::Boolean, false},
        {QStringLiteral("ts"), ColumnType::Timestamp, false}, {QStringLiteral("amount"), ColumnType::Numeric, false},
    };
    const QList<int> key = keyKind == 0 ? QList<int>{0} : keyKind == 1 ? QList<int>{0, 1} : QList<int>{1};
    TableSchema schema;
    TableSchema targetSchema;
    FERRY_NO_THROW(schema = sourceDb.createTable(sourceTable, columns, key); targetSchema = targetDb.createTable(targetTable, columns, key));
    QCOMPARE(schemaDifference(schema, targetSchema), QString());

    RandomRows random{quint32(seed)};
    const QList<Row> rows = random.rows(schema, 3000);
    FERRY_NO_THROW(sourceDb.store().upsert(schema, rows); targetDb.store().upsert(targetSchema, rows));
    const QString source = m_a->url(sourcePg ? QStringLiteral("pg") : QStringLiteral("shop"), sourceTable);
    const QString target = m_b->url(targetPg ? QStringLiteral("pg") : QStringLiteral("shop"), targetTable);
    const QString targetFile = targetPg ? QString() : sqlitePath(targetDb);

    // Identical: exit 0, nothing shipped.
    Run run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("200")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QJsonObject o = jsonOf(run);
    QCOMPARE(count(o, "blocks"), 15);
    QCOMPARE(count(o, "blocks_differing"), 0);
    QCOMPARE(count(o, "rows_compared"), 3000);
    QCOMPARE(count(o, "target_rows"), 3000);
    QCOMPARE(count(o, "rows_sent"), 0);
    QCOMPARE(count(o, "bytes_sent"), 0);
    QVERIFY(count(o, "bytes_on_wire") > 0);
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
    QVERIFY(o.value(QLatin1String("seconds")).isDouble());

    // Drift on the target: deletes, updates, inserts of new keys.
    RandomRows drift(quint32(seed) * 7919u + 17u);
    QSet<QByteArray> keys;
    QList<Key> deleted;
    QList<Row> changed;
    int reallyChanged = 0;
    for (const Row &row : rows) {
        keys.insert(keyBytes(schema, schema.keyOf(row)));
        const int dice = drift.bounded(100);
        if (dice < 4) {
            deleted.append(schema.keyOf(row));
        } else if (dice < 8) {
            changed.append(drift.rowWithKey(schema, schema.keyOf(row)));
            if (CanonicalEncoder::encodeRow(schema, changed.constLast()) != CanonicalEncoder::encodeRow(schema, row))
                ++reallyChanged;
        }
    }
    QList<Row> extra;
    for (const Row &row : RandomRows(quint32(seed) + 1000u).rows(schema, 150)) {
        if (!keys.contains(keyBytes(schema, schema.keyOf(row))))
            extra.append(row);
    }
    QVERIFY(deleted.size() > 50 && reallyChanged > 50 && extra.size() > 50);
    FERRY_NO_THROW(targetDb.store().remove(targetSchema, deleted); targetDb.store().upsert(targetSchema, changed + extra));
    QList<Row> targetBefore;
    FERRY_NO_THROW(targetBefore = readAll(targetDb.store(), targetSchema));
    const QByteArray fileBefore = targetPg ? QByteArray() : fileHash(targetFile);

    // Without --repair: exit 1, the target untouched.
    run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("200")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    o = jsonOf(run);
    QVERIFY(count(o, "blocks_differing") > 0);
    QCOMPARE(count(o, "rows_sent"), 0);
    QCOMPARE(count(o, "target_rows"), qint64(3000 - deleted.size() + extra.size()));
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), false);
    // The differing keys, read from both nodes (scan requests): exactly the planted ones.
    run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("200"), QStringLiteral("--keys"), QStringLiteral("100000")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    o = jsonOf(run);
    QCOMPARE(count(o, "missing_keys"), qint64(deleted.size()));
    QCOMPARE(count(o, "extra_keys"), qint64(extra.size()));
    QCOMPARE(count(o, "different_keys"), qint64(reallyChanged));
    qint64 listedKeys = 0;
    for (const QJsonValue &block : o.value(QLatin1String("differences")).toArray())
        listedKeys += block[QLatin1String("keys")].toArray().size();
    QCOMPARE(listedKeys, qint64(deleted.size() + extra.size() + reallyChanged));
    QList<Row> targetNow;
    FERRY_NO_THROW(targetNow = readAll(targetDb.store(), targetSchema));
    QCOMPARE(rowsDifference(schema, targetBefore, targetNow), QString());
    if (!targetPg)
        QCOMPARE(fileHash(targetFile), fileBefore);

    // With --repair: exit 0, only the drift travels, and the tables end identical.
    const QString blockRows = QString::number(QList<int>{97, 250, 1000}.at(seed % 3));
    const QString digest = seed % 2 ? QStringLiteral("sha256") : QStringLiteral("md5");
    run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--repair"), QStringLiteral("--block-rows"), blockRows,
                                   QStringLiteral("--digest"), digest});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    o = jsonOf(run);
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
    QCOMPARE(o.value(QLatin1String("digest")).toString(), digest);
    QCOMPARE(count(o, "blocks_failed"), 0);
    QVERIFY(count(o, "blocks_differing") > 0);
    QCOMPARE(count(o, "blocks_repaired"), count(o, "blocks_differing"));
    QCOMPARE(count(o, "rows_compared"), 3000);
    // Every deleted or changed row must travel; beyond those, at most one neighbour per row
    // the target had in excess.
    const qint64 sent = count(o, "rows_sent");
    QVERIFY2(sent >= deleted.size() + reallyChanged && sent <= deleted.size() + reallyChanged + extra.size(),
             qPrintable(QStringLiteral("rows_sent %1; %2 deleted, %3 changed, %4 extra").arg(sent).arg(deleted.size()).arg(reallyChanged).arg(extra.size())));
    QVERIFY(count(o, "bytes_sent") > 0);
    QVERIFY(count(o, "bytes_on_wire") > count(o, "bytes_sent"));

    QList<Row> sourceAfter;
    QList<Row> targetAfter;
    FERRY_NO_THROW(sourceAfter = readAll(sourceDb.store(), schema); targetAfter = readAll(targetDb.store(), targetSchema));
    QCOMPARE(rowsDifference(schema, rows, sourceAfter), QString());   // the source is never written
    QCOMPARE(rowsDifference(schema, sourceAfter, targetAfter), QString());

    // And a fresh compare with other blocks agrees.
    run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("333")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(count(jsonOf(run), "blocks_differing"), 0);
}

void TstNode::oneRowChangeShipsOneRow()
{
    const QString source = m_a->url(QStringLiteral("shop"), QStringLiteral("onerow"));
    const QString target = m_b->url(QStringLiteral("shop"), QStringLiteral("onerow"));
    const QString dump = QStringLiteral("SELECT id, name, v FROM onerow ORDER BY id");
    QList<QVariantList> sourceRows;
    FERRY_NO_THROW(sourceRows = m_aShop->query(dump));
    QCOMPARE(sourceRows.size(), 5000);

    Run run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("1000")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const qint64 identicalWire = count(jsonOf(run), "bytes_on_wire");
    QCOMPARE(count(jsonOf(run), "rows_sent"), 0);

    const QStringList changes{
        QStringLiteral("UPDATE onerow SET name = 'changed' WHERE id = 5000"),
        QStringLiteral("DELETE FROM onerow WHERE id = 7778"),
        QStringLiteral("INSERT INTO onerow VALUES (3001, 'between 3000 and 3002', 1.5)"),
        QStringLiteral("UPDATE onerow SET v = NULL WHERE id = 2"),
    };
    for (const QString &change : changes) {
        FERRY_NO_THROW(m_bShop->exec(change));
        run = compare(source, target, {QStringLiteral("--json"), QStringLiteral("--repair"), QStringLiteral("--block-rows"), QStringLiteral("1000")});
        QVERIFY2(run.exitCode == 0, qPrintable(change + QLatin1Char('\n') + run.describe()));
        const QJsonObject o = jsonOf(run);
        qDebug("%s: %lld rows, %lld bytes sent, %lld bytes on the wire (%lld when identical)", qPrintable(change), count(o, "rows_sent"),
               count(o, "bytes_sent"), count(o, "bytes_on_wire"), identicalWire);
        QCOMPARE(count(o, "blocks"), 5);
        QCOMPARE(count(o, "blocks_differing"), 1);
        QCOMPARE(count(o, "blocks_repaired"), 1);
        QCOMPARE(count(o, "rows_sent"), 1);
        QVERIFY2(count(o, "bytes_sent") < 100, qPrintable(run.out));
        // The table is ~150 kB; descending into one block costs a few digests per level.
        QVERIFY2(count(o, "bytes_on_wire") < identicalWire + 6000, qPrintable(run.out));
        QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
        QList<QVariantList> targetRows;
        FERRY_NO_THROW(targetRows = m_bShop->query(dump));
        QVERIFY2(targetRows == sourceRows, qPrintable(change));
    }
}

void TstNode::threeNodeChain()
{
    // A holds the truth; B has drifted; C is empty. A->B, then B->C.
    const QString create = QStringLiteral("CREATE TABLE chain (region TEXT NOT NULL, id INTEGER NOT NULL, amount NUMERIC, seen TIMESTAMP, PRIMARY KEY (region, id))");
    const QString fill = QStringLiteral("INSERT INTO chain SELECT CASE value % 3 WHEN 0 THEN 'eu' WHEN 1 THEN 'us' ELSE 'ap' END, value, value * 1.5, "
                                        "'2024-01-01 00:00:00' FROM (WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 3000) SELECT value FROM c)");
    try {
        for (ScratchDatabase *db : {m_aShop.get(), m_bShop.get(), m_cShop.get()})
            db->exec(create);
        m_aShop->exec(fill);
        m_bShop->exec(fill);
        m_bShop->exec(QStringLiteral("UPDATE chain SET amount = amount + 1 WHERE id % 17 = 0"));
        m_bShop->exec(QStringLiteral("DELETE FROM chain WHERE id % 23 = 0"));
        m_bShop->exec(QStringLiteral("INSERT INTO chain VALUES ('zz', 1, 0, NULL), ('aa', 0, 0, NULL)"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    const QString a = m_a->url(QStringLiteral("shop"), QStringLiteral("chain"));
    const QString b = m_b->url(QStringLiteral("shop"), QStringLiteral("chain"));
    const QString c = m_c->url(QStringLiteral("shop"), QStringLiteral("chain"));

    Run run = compare(b, c, {QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.describe()));
    QCOMPARE(count(jsonOf(run), "target_rows"), 0);

    run = compare(a, b, {QStringLiteral("--json"), QStringLiteral("--repair"), QStringLiteral("--block-rows"), QStringLiteral("250")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(count(jsonOf(run), "blocks_differing") > 0);
    run = compare(b, c, {QStringLiteral("--json"), QStringLiteral("--repair"), QStringLiteral("--block-rows"), QStringLiteral("400")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(count(jsonOf(run), "rows_sent"), 3000);   // an initial copy ships every row once

    // C now equals A, as the nodes see it and row for row.
    run = compare(a, c, {QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("128")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(count(jsonOf(run), "blocks_differing"), 0);
    run = compare(c, a, {QStringLiteral("--json"), QStringLiteral("--digest"), QStringLiteral("sha256")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QString dump = QStringLiteral("SELECT region, id, amount, seen FROM chain ORDER BY region, id");
    QList<QVariantList> rowsA, rowsC;
    FERRY_NO_THROW(rowsA = m_aShop->query(dump); rowsC = m_cShop->query(dump));
    QCOMPARE(rowsA.size(), 3000);
    QVERIFY(rowsA == rowsC);
}

// ---------------------------------------------------------------------------------------
// Faults against a running node

void TstNode::faultyPeer_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("code");        // of the error reply; empty: the client hangs up itself
    QTest::addColumn<qint64>("replyId");      // the request id the error reply carries, -1 none
    QTest::addColumn<QString>("logNeedle");
    auto row = [](const char *kind, const char *code, qint64 id, const char *needle) {
        QTest::newRow(kind) << QString::fromLatin1(kind) << QString::fromLatin1(code) << id << QString::fromUtf8(needle);
    };
    row("garbage text after the handshake", "bad_frame", -1, "frame length");
    row("garbage CBOR after the handshake", "bad_frame", -1, "not valid CBOR");
    row("garbage after hello", "bad_frame", -1, "not valid CBOR");
    row("truncated frame then close", "", -1, "disconnected");
    row("oversized length prefix", "bad_frame", -1, "4294967295");
    row("empty frame", "bad_frame", -1, "frame length 0");
    row("CBOR that is not a map", "bad_message", -1, "not a CBOR map");
    row("two CBOR values in one frame", "bad_frame", -1, "more than one CBOR value");
    row("request id of the wrong type", "bad_message", -1, "request id");
    row("wrong-typed field", "bad_message", 1, "field \"db\" is not a string");
    row("missing field", "bad_message", 1, "field \"table\" is missing");
    row("unknown message type", "unknown_message", 1, "\"frobnicate\"");
    row("request before hello", "not_ready", 1, "before hello");
    row("hello with only version 99", "unsupported_version", 0, "99");
    row("replace with a row outside its range", "bad_message", 1, "outside its range");
}

void TstNode::faultyPeer()
{
    QFETCH(QString, kind);
    QFETCH(QString, code);
    QFETCH(qint64, replyId);
    QFETCH(QString, logNeedle);
    NodeProcess &node = *m_a;
    QVERIFY(node.isRunning());
    if (!m_bystander || !m_bystander->client()->isReady()) {
        NodeClient::Options options;
        options.clientName = QStringLiteral("bystander");
        m_bystander = std::make_unique<NodeClientThread>(QStringLiteral("127.0.0.1"), node.port(), m_clientTls, options);
        FERRY_NO_THROW(m_bystander->connectAndWait());
    }

    const QByteArray hello = encodeFrame(encodeMessage(protocol::Type::Hello, 0, helloBody({protocol::Version})));
    bool helloFirst = true;
    QByteArray bytes;
    if (kind == QLatin1String("garbage text after the handshake")) {
        helloFirst = false;
        bytes = "GET / HTTP/1.1\r\nHost: dc-a\r\n\r\n";
    } else if (kind == QLatin1String("garbage CBOR after the handshake") || kind == QLatin1String("garbage after hello")) {
        helloFirst = kind.contains(QLatin1String("hello"));
        bytes = QByteArray::fromHex("0000000cfffefd1c1d1e1fbcbdbebfc0");
    } else if (kind == QLatin1String("truncated frame then close")) {
        const QByteArray frame = encodeFrame(encodeMessage(protocol::Type::Describe, 1, {{QStringLiteral("db"), QStringLiteral("shop")},
                                                                                          {QStringLiteral("table"), QStringLiteral("faults")}}));
        bytes = frame.left(frame.size() - 5);
    } else if (kind == QLatin1String("oversized length prefix")) {
        bytes = QByteArray::fromHex("ffffffff") + QByteArray(64, 'x');
    } else if (kind == QLatin1String("empty frame")) {
        bytes = QByteArray::fromHex("00000000") + encodeFrame(encodeMessage(protocol::Type::Ping, 1));
    } else if (kind == QLatin1String("CBOR that is not a map")) {
        bytes = encodeFrame(QCborValue(QCborArray{1, 2, 3}).toCbor());
    } else if (kind == QLatin1String("two CBOR values in one frame")) {
        bytes = encodeFrame(encodeMessage(protocol::Type::Ping, 1) + QCborValue(7).toCbor());
    } else if (kind == QLatin1String("request id of the wrong type")) {
        bytes = encodeFrame(QCborMap{{QStringLiteral("t"), QStringLiteral("ping")}, {QStringLiteral("id"), QStringLiteral("one")}}.toCborValue().toCbor());
    } else if (kind == QLatin1String("wrong-typed field")) {
        bytes = encodeFrame(encodeMessage(protocol::Type::Describe, 1, {{QStringLiteral("db"), 5}, {QStringLiteral("table"), QStringLiteral("faults")}}));
    } else if (kind == QLatin1String("missing field")) {
        bytes = encodeFrame(encodeMessage(protocol::Type::Describe, 1, {{QStringLiteral("db"), QStringLiteral("shop")}}));
    } else if (kind == QLatin1String("unknown message type")) {
        bytes = encodeFrame(encodeMessage(QLatin1StringView("frobnicate"), 1, {{QStringLiteral("db"), QStringLiteral("shop")}}));
    } else if (kind == QLatin1String("request before hello")) {
        helloFirst = false;
        bytes = encodeFrame(encodeMessage(protocol::Type::Status, 1));
    } else if (kind == QLatin1String("hello with only version 99")) {
        helloFirst = false;
        bytes = encodeFrame(encodeMessage(protocol::Type::Hello, 0, helloBody({99})));
    } else if (kind == QLatin1String("replace with a row outside its range")) {
        // A replace that names no link needs an admin's grant for the sending node, as
        // ferryctl compare --repair asks for: given, so that the rows are what is refused.
        FERRY_NO_THROW(m_bystander->client()->request(protocol::Type::RepairGrant, {{QStringLiteral("db"), QStringLiteral("shop")},
                                                                                     {QStringLiteral("table"), QStringLiteral("faults")},
                                                                                     {QStringLiteral("node"), QStringLiteral("dc-x")}}).result());
        TableSchema schema;
        FERRY_NO_THROW(schema = m_aShop->store().describe(QStringLiteral("faults")));
        // Range [10, 20) with a row of key 50: applied, it would delete 10..19 and write 50.
        const RangeRows part{KeyRange{{qlonglong(10)}, {qlonglong(20)}}, {Row{qlonglong(50), QStringLiteral("intruder")}}};
        bytes = encodeFrame(encodeMessage(protocol::Type::Replace, 1,
                                          {{QStringLiteral("db"), QStringLiteral("shop")},
                                           {QStringLiteral("table"), QStringLiteral("faults")},
                                           {QStringLiteral("digest"), QStringLiteral("md5")},
                                           {QStringLiteral("parts"), wirecodec::encodeRangeRows(schema, {part})}}));
    } else {
        QFAIL(qPrintable(kind));
    }

    const auto filesBefore = filesSnapshot(nodeDatabaseFiles());
    QList<QVariantList> faultsBefore;
    FERRY_NO_THROW(faultsBefore = m_aShop->query(QStringLiteral("SELECT id, name FROM faults ORDER BY id")));
    const qsizetype mark = node.logSize();
    const qint64 peakBefore = node.memoryKb("VmPeak");

    // replace is for nodes only (a link's target side): sent with a node's certificate.
    QSslConfiguration tls = m_clientTls;
    if (kind.startsWith(QLatin1String("replace")))
        FERRY_NO_THROW(tls = mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), pki(QStringLiteral("dc-x.crt")), pki(QStringLiteral("dc-x.key"))));
    RawPeer peer(tls);
    QVERIFY2(peer.connectTo(node.port()), qPrintable(peer.describe()));
    if (helloFirst) {
        peer.send(hello);
        QVERIFY2(peer.waitForMessages(1, 5000), qPrintable(peer.describe()));
        QCOMPARE(peer.messages().at(0).type, QStringLiteral("hello"));
        QCOMPARE(peer.messages().at(0).body.value(QLatin1StringView("node")).toString(), node.name());
    }
    const qsizetype answered = peer.messages().size();
    QElapsedTimer clock;
    clock.start();
    peer.send(bytes);
    if (code.isEmpty()) {
        QTest::qWait(200);
        QCOMPARE(peer.messages().size(), answered);   // half a frame gets no answer
        peer.close();
        QVERIFY2(peer.waitClosed(5000), qPrintable(peer.describe()));
        QVERIFY2(node.waitForLog(mark, logNeedle), qPrintable(node.logSince(mark)));
    } else {
        QVERIFY2(peer.waitClosed(5000), qPrintable(QStringLiteral("the node kept the connection open: ") + peer.describe()));
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QStringLiteral("closing took %1 ms").arg(clock.elapsed())));
        QVERIFY2(peer.messages().size() == answered + 1, qPrintable(peer.describe()));
        const Message &error = peer.messages().constLast();
        QCOMPARE(error.type, QStringLiteral("error"));
        QCOMPARE(error.body.value(QLatin1StringView("code")).toString(), code);
        QCOMPARE(error.id, replyId);
        QVERIFY2(!error.body.value(QLatin1StringView("message")).toString().isEmpty(), qPrintable(peer.describe()));
        QVERIFY2(node.waitForLog(mark, QStringLiteral("(%1)").arg(code)), qPrintable(node.logSince(mark)));
        const QString log = node.logSince(mark);
        QVERIFY2(log.contains(kind.startsWith(QLatin1String("replace")) ? QLatin1String("closing the connection from dc-x (127.0.0.1:")
                                                                        : QLatin1String("closing the connection from console (127.0.0.1:")),
                 qPrintable(log));
        QVERIFY2(log.contains(logNeedle), qPrintable(QStringLiteral("no \"%1\" in the log:\n%2").arg(logNeedle, log)));
    }
    // The announced size is never set aside (VmPeak counts reserved address space too).
    const qint64 peakAfter = node.memoryKb("VmPeak");
    QVERIFY2(peakAfter - peakBefore < 1024 * 1024, qPrintable(QStringLiteral("VmPeak %1 kB -> %2 kB").arg(peakBefore).arg(peakAfter)));

    checkStillServing(node, kind);
    QCOMPARE(filesSnapshot(nodeDatabaseFiles()), filesBefore);
    QList<QVariantList> faultsAfter;
    FERRY_NO_THROW(faultsAfter = m_aShop->query(QStringLiteral("SELECT id, name FROM faults ORDER BY id")));
    QVERIFY(faultsAfter == faultsBefore);
}

void TstNode::refusedCertificates_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("logNeedle");
    QTest::newRow("no certificate") << QStringLiteral("none") << QStringLiteral("did not present any certificate");
    QTest::newRow("certificate from another CA") << QStringLiteral("other") << QString();
    QTest::newRow("expired certificate") << QStringLiteral("expired") << QStringLiteral("expired");
}

void TstNode::refusedCertificates()
{
    QFETCH(QString, kind);
    QFETCH(QString, logNeedle);
    NodeProcess &node = *m_a;
    if (!m_bystander || !m_bystander->client()->isReady()) {
        NodeClient::Options options;
        options.clientName = QStringLiteral("bystander");
        m_bystander = std::make_unique<NodeClientThread>(QStringLiteral("127.0.0.1"), node.port(), m_clientTls, options);
        FERRY_NO_THROW(m_bystander->connectAndWait());
    }
    QSslConfiguration tls;
    try {
        if (kind == QLatin1String("none")) {
            tls = m_clientTls;
            tls.setLocalCertificateChain({});
            tls.setPrivateKey(QSslKey());
        } else if (kind == QLatin1String("other")) {
            // Trusts this deployment's CA, presents a certificate of another one.
            tls = mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), m_otherPki + QStringLiteral("/intruder.crt"), m_otherPki + QStringLiteral("/intruder.key"));
        } else {
            tls = mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), pki(QStringLiteral("old-console.crt")), pki(QStringLiteral("old-console.key")));
        }
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }

    const auto filesBefore = filesSnapshot(nodeDatabaseFiles());
    const qsizetype mark = node.logSize();
    RawPeer peer(tls);
    // Under TLS 1.3 the client may believe its side is done before the node checks its
    // certificate; then the hello it sends must go unanswered.
    if (peer.connectTo(node.port()))
        peer.send(encodeFrame(encodeMessage(protocol::Type::Hello, 0, helloBody({protocol::Version}))));
    QVERIFY2(peer.waitClosed(5000), qPrintable(QStringLiteral("still connected: ") + peer.describe()));
    QVERIFY2(peer.messages().isEmpty(), qPrintable(peer.describe()));
    QVERIFY2(node.waitForLog(mark, QStringLiteral("refused 127.0.0.1:")), qPrintable(node.logSince(mark)));
    QVERIFY2(node.logSince(mark).contains(logNeedle), qPrintable(node.logSince(mark)));
    // No session was opened for it ("connection from CN (ADDRESS)").
    static const QRegularExpression session(QStringLiteral("connection from \\S+ \\("));
    QVERIFY2(!node.logSince(mark).contains(session), qPrintable(node.logSince(mark)));

    // ferryctl with that certificate is refused too, and says so.
    if (kind != QLatin1String("none")) {
        const QString name = kind == QLatin1String("other") ? m_otherPki + QStringLiteral("/intruder") : pki(QStringLiteral("old-console"));
        const Run run = ferryctl({QStringLiteral("status"), node.url(), QStringLiteral("--ca"), pki(QStringLiteral("ca.crt")), QStringLiteral("--cert"),
                                  name + QStringLiteral(".crt"), QStringLiteral("--key"), name + QStringLiteral(".key")});
        QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
        QVERIFY2(run.err.contains(node.address()), qPrintable(run.describe()));
    }
    checkStillServing(node, kind);
    QCOMPARE(filesSnapshot(nodeDatabaseFiles()), filesBefore);
}

// ---------------------------------------------------------------------------------------
// ferryctl compare errors

void TstNode::compareErrors_data()
{
    // {A}, {B}: the nodes' host:port; {closed}: a port nobody listens on; {Aport}: A's port.
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("needles");
    auto row = [](const char *name, const char *source, const char *target, const QStringList &needles) {
        QTest::newRow(name) << QString::fromLatin1(source) << QString::fromLatin1(target) << needles;
    };
    row("unknown source database", "ferry://{A}/nosuch?table=orders", "ferry://{B}/shop?table=orders", {"\"nosuch\"", "dc-a"});
    row("unknown target database", "ferry://{A}/shop?table=orders", "ferry://{B}/nosuch?table=orders", {"\"nosuch\"", "dc-b"});
    row("unknown source table", "ferry://{A}/shop?table=nosuch", "ferry://{B}/shop?table=orders", {"\"nosuch\"", "does not exist"});
    row("unknown target table", "ferry://{A}/shop?table=orders", "ferry://{B}/shop?table=nosuch", {"\"nosuch\"", "does not exist"});
    row("schema mismatch", "ferry://{A}/shop?table=orders", "ferry://{B}/shop?table=orders_wide", {"schemas differ", "\"note\"", "\"orders_wide\""});
    row("source without primary key", "ferry://{A}/shop?table=nokey", "ferry://{B}/shop?table=orders", {"\"nokey\"", "primary key"});
    row("target node down", "ferry://{A}/shop?table=orders", "ferry://127.0.0.1:{closed}/shop?table=orders", {"target node", "127.0.0.1:{closed}"});
    row("source node down", "ferry://127.0.0.1:{closed}/shop?table=orders", "ferry://{B}/shop?table=orders", {"source node", "127.0.0.1:{closed}"});
    row("same table", "ferry://{A}/shop?table=orders", "ferry://{A}/shop?table=orders", {"same table", "orders"});
    row("same table by another name", "ferry://{A}/shop?table=orders", "ferry://localhost:{Aport}/shop?table=orders", {"same table", "orders", "dc-a"});
    row("port out of range", "ferry://{A}/shop?table=orders", "ferry://127.0.0.1:99999/shop?table=orders", {"ferry://127.0.0.1:99999/shop?table=orders"});
    row("no table in URL", "ferry://{A}/shop", "ferry://{B}/shop?table=orders", {"ferry://{A}/shop", "?table=NAME"});
    row("no database in URL", "ferry://{A}/shop?table=orders", "ferry://{B}?table=orders", {"ferry://{B}?table=orders", "no database"});
    row("unknown URL parameter", "ferry://{A}/shop?table=orders&mode=fast", "ferry://{B}/shop?table=orders", {"\"mode\""});
    row("node URL and SQLite URL", "ferry://{A}/shop?table=orders", "sqlite:/tmp/ferry-nowhere.db?table=orders", {"two ferry:// URLs"});
}

void TstNode::compareErrors()
{
    QFETCH(QString, source);
    QFETCH(QString, target);
    QFETCH(QStringList, needles);
    for (QString *text : QList<QString *>{&source, &target}) {
        text->replace(QLatin1String("{A}"), m_a->address()).replace(QLatin1String("{B}"), m_b->address());
        text->replace(QLatin1String("{closed}"), QString::number(m_closedPort)).replace(QLatin1String("{Aport}"), QString::number(m_a->port()));
    }
    for (QString &needle : needles) {
        needle.replace(QLatin1String("{A}"), m_a->address()).replace(QLatin1String("{B}"), m_b->address());
        needle.replace(QLatin1String("{closed}"), QString::number(m_closedPort));
    }
    const auto before = filesSnapshot(nodeDatabaseFiles());
    for (const QStringList &options : {QStringList{}, QStringList{QStringLiteral("--repair")}, QStringList{QStringLiteral("--repair"), QStringLiteral("--json")}}) {
        const Run run = compare(source, target, options);
        const QString context = QStringLiteral("%1 -> %2 %3\n%4").arg(source, target, options.join(QLatin1Char(' ')), run.describe());
        QVERIFY2(run.exitCode == 2, qPrintable(context));
        QVERIFY2(run.err.startsWith(QLatin1String("ferryctl: error: ")), qPrintable(context));
        for (const QString &needle : std::as_const(needles))
            QVERIFY2(run.err.contains(needle), qPrintable(QStringLiteral("no \"%1\" in stderr\n%2").arg(needle, context)));
        if (options.contains(QStringLiteral("--json")))
            QVERIFY2(jsonOf(run).value(QLatin1String("error")).toString().contains(needles.first()), qPrintable(context));
        else
            QVERIFY2(run.out.isEmpty(), qPrintable(context));
        QVERIFY2(run.ms < 20000, qPrintable(context));
    }
    QCOMPARE(filesSnapshot(nodeDatabaseFiles()), before);
    QVERIFY(m_a->isRunning() && m_b->isRunning());
}

// ---------------------------------------------------------------------------------------
// kill -9 in the middle of a repair

void TstNode::createBigSource()
{
    if (m_bigSourceReady)
        return;
    // Even keys 0, 2, ..., 2 * (BigRows - 1); payload "src-ID", n = 1, and 400 bytes of pad:
    // about 80 MB, more than the source keeps in flight ahead of the target's answers, so
    // that a kill lands while part of the table is still to be sent.
    m_aBulk->exec(QStringLiteral("CREATE TABLE big (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, n INTEGER NOT NULL, pad TEXT NOT NULL DEFAULT '')"));
    m_aBulk->exec(QStringLiteral("WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < %1) "
                                 "INSERT INTO big SELECT 2 * i, 'src-' || (2 * i), 1, printf('%.400c', 'p') FROM c").arg(BigRows - 1));
    m_bigSourceReady = true;
}

QByteArray TstNode::tableDigest(ScratchDatabase &db, const QString &table, qint64 *rows)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QList<QVariantList> result = db.query(QStringLiteral("SELECT id, payload, n, pad FROM %1 ORDER BY id").arg(table));
    for (const QVariantList &row : result)
        hash.addData(QStringLiteral("%1|%2|%3|%4\n").arg(row.at(0).toLongLong()).arg(row.at(1).toString()).arg(row.at(2).toLongLong()).arg(row.at(3).toString()).toUtf8());
    *rows = result.size();
    return hash.result().toHex();
}

void TstNode::killTargetMidRepair()
{
    // The target: blocks of even number (source rows 100b..100b+99) are missing, so each
    // ships whole as one range; in blocks of odd number every row is old and the first one
    // has an extra neighbour (key + 1) that the repair must delete along with it.
    try {
        createBigSource();
        m_bBulk->exec(QStringLiteral("CREATE TABLE big_t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, n INTEGER NOT NULL, pad TEXT NOT NULL DEFAULT '')"));
        m_bBulk->exec(QStringLiteral("WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < %1) "
                                     "INSERT INTO big_t (id, payload, n) SELECT 2 * i, 'old-' || (2 * i), 0 FROM c WHERE (i / %2) % 2 = 1")
                          .arg(BigRows - 1).arg(BigBlockRows));
        m_bBulk->exec(QStringLiteral("WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < %1) "
                                     "INSERT INTO big_t (id, payload, n) SELECT 2 * i + 1, 'extra', 2 FROM c WHERE (i / %2) % 2 = 1 AND i % %2 = 0")
                          .arg(BigRows - 1).arg(BigBlockRows));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    const QString source = m_a->url(QStringLiteral("bulk"), QStringLiteral("big"));
    const QString target = m_b->url(QStringLiteral("bulk"), QStringLiteral("big_t"));
    const QStringList options{QStringLiteral("--json"), QStringLiteral("--repair"), QStringLiteral("--block-rows"), QString::number(BigBlockRows)};

    QProcess ctl;
    ctl.setProcessEnvironment(processEnvironment());
    QElapsedTimer clock;
    clock.start();
    ctl.start(QStringLiteral(FERRYCTL_PATH), QStringList{QStringLiteral("compare"), source, target} + options + m_clientArgs);
    QVERIFY(ctl.waitForStarted(10000));
    // As soon as one repair transaction has committed, kill the target hard.
    bool started = false;
    while (!started && clock.elapsed() < 60000 && ctl.state() != QProcess::NotRunning) {
        try {
            started = m_bBulk->query(QStringLiteral("SELECT count(*) FROM big_t WHERE n = 1")).value(0).value(0).toLongLong() > 0;
        } catch (const FerryError &) {
            // Busy while the node commits: ask again.
        }
        if (!started)
            QTest::qWait(5);
    }
    QVERIFY2(started && ctl.state() != QProcess::NotRunning,
             qPrintable(QStringLiteral("the repair was not caught in the middle: %1").arg(QString::fromUtf8(ctl.readAllStandardError()))));
    m_b->kill9();
    qDebug("target killed %lld ms into the repair", clock.elapsed());
    QVERIFY(ctl.waitForFinished(20000));
    const QString err = QString::fromUtf8(ctl.readAllStandardError());
    QVERIFY2(ctl.exitStatus() == QProcess::NormalExit && ctl.exitCode() == 2, qPrintable(QStringLiteral("exit %1: %2").arg(ctl.exitCode()).arg(err)));
    QVERIFY2(err.startsWith(QLatin1String("ferryctl: error: ")) && err.contains(m_b->address()), qPrintable(err));
    QVERIFY(m_a->isRunning());

    // The target as the kill left it (this connection rolls back the hot journal).
    QList<QVariantList> integrity;
    FERRY_NO_THROW(integrity = m_bBulk->query(QStringLiteral("PRAGMA integrity_check")));
    QCOMPARE(integrity.value(0).value(0).toString(), QStringLiteral("ok"));
    QHash<qint64, QPair<QString, qint64>> rows;
    try {
        for (const QVariantList &row : m_bBulk->query(QStringLiteral("SELECT id, payload, n FROM big_t")))
            rows.insert(row.at(0).toLongLong(), {row.at(1).toString(), row.at(2).toLongLong()});
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    int newRanges = 0;
    int oldRanges = 0;
    qint64 expectedRows = 0;
    for (int block = 0; block < BigRows / BigBlockRows; ++block) {
        const int first = block * BigBlockRows;
        if (block % 2 == 0) {
            // One range: all 100 source rows, or none.
            int present = 0;
            for (int i = first; i < first + BigBlockRows; ++i) {
                const auto it = rows.constFind(2 * i);
                if (it == rows.constEnd())
                    continue;
                ++present;
                QVERIFY2(it->first == QStringLiteral("src-%1").arg(2 * i) && it->second == 1, qPrintable(QStringLiteral("row %1 is %2").arg(2 * i).arg(it->first)));
            }
            QVERIFY2(present == 0 || present == BigBlockRows, qPrintable(QStringLiteral("block %1 half applied: %2 of %3 rows").arg(block).arg(present).arg(BigBlockRows)));
            present ? ++newRanges : ++oldRanges;
            expectedRows += present;
        } else {
            // Ranges of one source row each: old or new; the first one with its neighbour.
            for (int i = first; i < first + BigBlockRows; ++i) {
                const auto it = rows.constFind(2 * i);
                QVERIFY2(it != rows.constEnd(), qPrintable(QStringLiteral("row %1 lost").arg(2 * i)));
                const bool isNew = it->first == QStringLiteral("src-%1").arg(2 * i) && it->second == 1;
                const bool isOld = it->first == QStringLiteral("old-%1").arg(2 * i) && it->second == 0;
                QVERIFY2(isNew || isOld, qPrintable(QStringLiteral("row %1 is %2/%3").arg(2 * i).arg(it->first).arg(it->second)));
                isNew ? ++newRanges : ++oldRanges;
                ++expectedRows;
                if (i == first) {
                    const bool extra = rows.contains(2 * i + 1);
                    QVERIFY2(extra == isOld, qPrintable(QStringLiteral("range [%1, %2) half applied: row %1 %3, row %4 %5")
                                                            .arg(2 * i).arg(2 * i + 2).arg(isNew ? "new" : "old").arg(2 * i + 1).arg(extra ? "kept" : "deleted")));
                    expectedRows += extra;
                }
            }
        }
    }
    QCOMPARE(qint64(rows.size()), expectedRows);   // nothing else in the table
    qDebug("after the kill: %d ranges new, %d ranges old", newRanges, oldRanges);
    QVERIFY2(newRanges > 0 && oldRanges > 0, "the kill did not land in the middle of the repair");

    // Restarted, the target takes a second repair to the end.
    QVERIFY(startQuietly(*m_b));
    const Run run = compare(source, target, options);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(jsonOf(run).value(QLatin1String("identical_after")).toBool(), true);
    qint64 sourceCount = 0;
    qint64 targetCount = 0;
    QByteArray sourceDigest, targetDigest;
    FERRY_NO_THROW(sourceDigest = tableDigest(*m_aBulk, QStringLiteral("big"), &sourceCount); targetDigest = tableDigest(*m_bBulk, QStringLiteral("big_t"), &targetCount));
    QCOMPARE(sourceCount, qint64(BigRows));
    QCOMPARE(targetCount, qint64(BigRows));
    QCOMPARE(targetDigest, sourceDigest);
}

void TstNode::killSourceMidRepair()
{
    try {
        createBigSource();
        m_bBulk->exec(QStringLiteral("CREATE TABLE big_s (id INTEGER PRIMARY KEY, payload TEXT NOT NULL, n INTEGER NOT NULL, pad TEXT NOT NULL DEFAULT '')"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    const QString source = m_a->url(QStringLiteral("bulk"), QStringLiteral("big"));
    const QString target = m_b->url(QStringLiteral("bulk"), QStringLiteral("big_s"));
    const QStringList options{QStringLiteral("--repair"), QStringLiteral("--block-rows"), QString::number(BigBlockRows)};
    const qsizetype targetLog = m_b->logSize();

    QProcess ctl;
    ctl.setProcessEnvironment(processEnvironment());
    QElapsedTimer clock;
    clock.start();
    ctl.start(QStringLiteral(FERRYCTL_PATH), QStringList{QStringLiteral("compare"), source, target} + options + m_clientArgs);
    QVERIFY(ctl.waitForStarted(10000));
    bool started = false;
    while (!started && clock.elapsed() < 60000 && ctl.state() != QProcess::NotRunning) {
        try {
            started = m_bBulk->query(QStringLiteral("SELECT count(*) FROM big_s")).value(0).value(0).toLongLong() > 0;
        } catch (const FerryError &) {
        }
        if (!started)
            QTest::qWait(5);
    }
    QVERIFY2(started && ctl.state() != QProcess::NotRunning,
             qPrintable(QStringLiteral("the repair was not caught in the middle: %1").arg(QString::fromUtf8(ctl.readAllStandardError()))));
    m_a->kill9();
    const qint64 killedAt = clock.elapsed();
    QVERIFY(ctl.waitForFinished(20000));
    const QString err = QString::fromUtf8(ctl.readAllStandardError());
    qDebug("source killed %lld ms into the repair; ferryctl ended %lld ms later: %s", killedAt, clock.elapsed() - killedAt, qPrintable(err.trimmed()));
    QVERIFY2(ctl.exitStatus() == QProcess::NormalExit && ctl.exitCode() == 2, qPrintable(QStringLiteral("exit %1: %2").arg(ctl.exitCode()).arg(err)));
    QVERIFY2(err.startsWith(QLatin1String("ferryctl: error: ")) && err.contains(m_a->address()), qPrintable(err));
    QVERIFY2(clock.elapsed() - killedAt < 5000, "ferryctl took long to notice that the source node died");
    m_bystander.reset();   // it was connected to the node just killed
    QVERIFY(m_b->isRunning());
    // Let the target finish what it had received before looking at it: once the source's
    // session has ended, a request queued behind that work in the database's thread
    // returns when the work is done.
    QVERIFY2(m_b->waitForLog(targetLog, QStringLiteral("\"dc-a\" disconnected"), 10000), qPrintable(m_b->logSince(targetLog)));
    const Run settled = ferryctl(QStringList{QStringLiteral("tables"), m_b->url(QStringLiteral("bulk"))} + m_clientArgs);
    QVERIFY2(settled.exitCode == 0 && settled.out.contains(QLatin1String("big_s")), qPrintable(settled.describe()));

    // On the target, every range the repair shipped (a whole block: the target had none of
    // it) is there entirely or not at all.
    QHash<qint64, QString> rows;
    try {
        for (const QVariantList &row : m_bBulk->query(QStringLiteral("SELECT id, payload FROM big_s")))
            rows.insert(row.at(0).toLongLong(), row.at(1).toString());
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    int whole = 0;
    int missing = 0;
    for (int block = 0; block < BigRows / BigBlockRows; ++block) {
        int present = 0;
        for (int i = block * BigBlockRows; i < (block + 1) * BigBlockRows; ++i) {
            const auto it = rows.constFind(2 * i);
            if (it == rows.constEnd())
                continue;
            ++present;
            QVERIFY2(*it == QStringLiteral("src-%1").arg(2 * i), qPrintable(QStringLiteral("row %1 is %2").arg(2 * i).arg(*it)));
        }
        QVERIFY2(present == 0 || present == BigBlockRows, qPrintable(QStringLiteral("block %1 half applied: %2 rows").arg(block).arg(present)));
        present ? ++whole : ++missing;
    }
    QCOMPARE(qint64(rows.size()), qint64(whole) * BigBlockRows);
    qDebug("after the kill: %d blocks copied, %d not", whole, missing);
    QVERIFY2(whole > 0 && missing > 0, "the kill did not land in the middle of the repair");

    // Restarted on its port, the source runs the repair to the end.
    QVERIFY(startQuietly(*m_a));
    const Run run = compare(source, target, options + QStringList{QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(jsonOf(run).value(QLatin1String("identical_after")).toBool(), true);
    QCOMPARE(count(jsonOf(run), "rows_sent"), qint64(missing) * BigBlockRows);   // what was copied is not sent again
    qint64 sourceCount = 0;
    qint64 targetCount = 0;
    QByteArray sourceDigest, targetDigest;
    FERRY_NO_THROW(sourceDigest = tableDigest(*m_aBulk, QStringLiteral("big"), &sourceCount); targetDigest = tableDigest(*m_bBulk, QStringLiteral("big_s"), &targetCount));
    QCOMPARE(targetCount, qint64(BigRows));
    QCOMPARE(targetDigest, sourceDigest);
}

// ---------------------------------------------------------------------------------------
// NodeClient reconnecting

void TstNode::reconnect()
{
    NodeProcess &node = *m_d;
    QVERIFY(node.isRunning());
    TableSchema schema;
    FERRY_NO_THROW(schema = m_dShop->store().describe(QStringLiteral("resend")));

    NodeClient::Options options;
    options.clientName = QStringLiteral("reconnect-probe");
    options.autoReconnect = true;
    options.initialBackoffMs = 100;
    options.maxBackoffMs = 400;
    options.connectTimeoutMs = 3000;
    NodeClient client(QStringLiteral("127.0.0.1"), node.port(), m_clientTls, options);
    QStringList events;
    connect(&client, &NodeClient::connected, this, [&](const NodeHello &hello) { events.append(QStringLiteral("connected ") + hello.node); });
    connect(&client, &NodeClient::disconnected, this, [&](const QString &) { events.append(QStringLiteral("disconnected")); });
    connect(&client, &NodeClient::reconnectScheduled, this, [&](int delayMs) {
        events.append(QStringLiteral("reconnectScheduled"));
        QVERIFY(delayMs >= options.initialBackoffMs && delayMs <= options.maxBackoffMs);
    });
    client.open();
    QVERIFY2(QTest::qWaitFor([&] { return !events.isEmpty(); }, 5000), qPrintable(node.logSince(0)));
    QCOMPARE(events, QStringList{QStringLiteral("connected dc-d")});
    try {
        QCOMPARE(ask(&client, protocol::Type::Ping).type, QStringLiteral("pong"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }

    // A request in flight when the node dies: a replace that would add row 7. The node is
    // stopped first, so that it cannot answer before it is killed.
    node.sendSignal(SIGSTOP);
    const RangeRows part{KeyRange{{qlonglong(7)}, {qlonglong(8)}}, {Row{qlonglong(7), QStringLiteral("sent once")}}};
    const QFuture<Message> inflight = client.request(protocol::Type::Replace, {{QStringLiteral("db"), QStringLiteral("shop")},
                                                                              {QStringLiteral("table"), QStringLiteral("resend")},
                                                                              {QStringLiteral("digest"), QStringLiteral("md5")},
                                                                              {QStringLiteral("parts"), wirecodec::encodeRangeRows(schema, {part})}});
    QTest::qWait(200);
    QVERIFY(!inflight.isFinished());
    qsizetype mark = events.size();
    node.kill9();
    QVERIFY(waitForFuture(inflight, 5000));
    try {
        inflight.result();
        QFAIL("a request in flight when the node died succeeded");
    } catch (const WireError &error) {
        QCOMPARE(error.code(), QStringLiteral("unreachable"));
        QVERIFY2(error.message().contains(node.address()), qPrintable(error.message()));
    }
    QVERIFY(QTest::qWaitFor([&] { return events.size() >= mark + 2; }, 5000));
    QCOMPARE(events.mid(mark, 2), (QStringList{QStringLiteral("disconnected"), QStringLiteral("reconnectScheduled")}));
    QVERIFY(!client.isReady());

    // Back on the same port: connected again, and requests work.
    QTest::qWait(300);   // a few attempts against the closed port
    QVERIFY(startQuietly(node));
    QVERIFY2(QTest::qWaitFor([&] { return events.constLast().startsWith(QLatin1String("connected")); }, 10000), qPrintable(events.join(QLatin1String(", "))));
    QCOMPARE(events.constLast(), QStringLiteral("connected dc-d"));
    QCOMPARE(events.count(QStringLiteral("connected dc-d")), 2);
    try {
        const Message status = ask(&client, protocol::Type::Status);
        QCOMPARE(status.body.value(QLatin1StringView("node")).toString(), QStringLiteral("dc-d"));
        // The request that was in flight was not sent again on the new connection.
        QTest::qWait(200);
        const Message digests = ask(&client, protocol::Type::Digest, {{QStringLiteral("db"), QStringLiteral("shop")},
                                                                      {QStringLiteral("table"), QStringLiteral("resend")},
                                                                      {QStringLiteral("ranges"), wirecodec::encodeRanges(schema.keyTypes(), {KeyRange{}})}});
        QCOMPARE(digests.body.value(QLatin1StringView("digests")).toArray().at(0).toArray().at(0).toInteger(), qint64(0));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    QList<QVariantList> resent;
    FERRY_NO_THROW(resent = m_dShop->query(QStringLiteral("SELECT count(*) FROM resend")));
    QCOMPARE(resent.value(0).value(0).toLongLong(), 0);

    // A clean stop (SIGTERM) is a lost connection too.
    mark = events.size();
    const qsizetype logMark = node.logSize();
    QCOMPARE(node.terminate(), 0);
    QVERIFY2(node.logSince(logMark).contains(QLatin1String("SIGTERM received: stopping")), qPrintable(node.logSince(logMark)));
    QVERIFY(QTest::qWaitFor([&] { return events.size() >= mark + 2; }, 5000));
    QCOMPARE(events.mid(mark, 2), (QStringList{QStringLiteral("disconnected"), QStringLiteral("reconnectScheduled")}));
    QVERIFY(startQuietly(node));
    QVERIFY2(QTest::qWaitFor([&] { return events.constLast().startsWith(QLatin1String("connected")); }, 10000), qPrintable(events.join(QLatin1String(", "))));
    try {
        QCOMPARE(ask(&client, protocol::Type::Ping).type, QStringLiteral("pong"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    // Every event is one of the three, and the client ends connected.
    for (const QString &event : std::as_const(events))
        QVERIFY2(event == QLatin1String("connected dc-d") || event == QLatin1String("disconnected") || event == QLatin1String("reconnectScheduled"), qPrintable(event));
    client.close();
}

// ---------------------------------------------------------------------------------------
// ferry-node's own errors and its stop

void TstNode::badConfig_data()
{
    // {dir}: the directory of the config files; {pki}; {db}: an existing SQLite file; {port}:
    // a port in use. A config is the JSON text, or "-" for no file at all.
    QTest::addColumn<QString>("config");
    QTest::addColumn<QStringList>("arguments");   // ferry-node's, {config} being the file
    QTest::addColumn<QStringList>("needles");
    const QString good = QStringLiteral(
        "{\"name\": \"dc-x\", \"listen\": {\"address\": \"127.0.0.1\", \"port\": %1}, "
        "\"tls\": {\"ca\": \"{pki}/ca.crt\", \"certificate\": \"%2\", \"key\": \"{pki}/dc-x.key\"}, "
        "\"databases\": {\"shop\": \"%3\"}, \"data_directory\": \"state\"%4}");
    auto config = [&](const QString &port, const QString &certificate, const QString &database, const QString &more = QString()) {
        return good.arg(port, certificate, database, more);
    };
    const QString cert = QStringLiteral("{pki}/dc-x.crt");
    const QString db = QStringLiteral("sqlite:{db}");
    const QStringList standard{QStringLiteral("--config"), QStringLiteral("{config}")};
    QTest::newRow("missing file") << QStringLiteral("-") << standard << QStringList{QStringLiteral("{config}"), QStringLiteral("no such config file")};
    QTest::newRow("not JSON") << QStringLiteral("{\"name\": \"dc-x\",\n  \"listen\": ") << standard
                              << QStringList{QStringLiteral("{config}"), QStringLiteral("line 2"), QStringLiteral("not valid JSON")};
    QTest::newRow("port out of range") << config(QStringLiteral("70000"), cert, db) << standard
                                       << QStringList{QStringLiteral("{config}"), QStringLiteral("listen.port")};
    QTest::newRow("port as text") << config(QStringLiteral("\"7450\""), cert, db) << standard
                                  << QStringList{QStringLiteral("{config}"), QStringLiteral("listen.port")};
    QTest::newRow("missing TLS file") << config(QStringLiteral("0"), QStringLiteral("{dir}/missing.crt"), db) << standard
                                      << QStringList{QStringLiteral("{config}"), QStringLiteral("tls.certificate"), QStringLiteral("{dir}/missing.crt")};
    QTest::newRow("TLS file that is not a certificate") << config(QStringLiteral("0"), QStringLiteral("{dir}/garbage.crt"), db) << standard
                                                        << QStringList{QStringLiteral("{dir}/garbage.crt"), QStringLiteral("not a PEM certificate")};
    QTest::newRow("missing database file") << config(QStringLiteral("0"), cert, QStringLiteral("sqlite:{dir}/nowhere.db")) << standard
                                           << QStringList{QStringLiteral("{config}"), QStringLiteral("databases.shop"), QStringLiteral("{dir}/nowhere.db")};
    QTest::newRow("unknown setting") << config(QStringLiteral("0"), cert, db, QStringLiteral(", \"colour\": \"red\"")) << standard
                                     << QStringList{QStringLiteral("{config}"), QStringLiteral("colour")};
    QTest::newRow("port in use") << config(QStringLiteral("{port}"), cert, db) << standard
                                 << QStringList{QStringLiteral("cannot listen on 127.0.0.1:{port}")};
    QTest::newRow("no --config") << QStringLiteral("-") << QStringList{} << QStringList{QStringLiteral("--config FILE is required")};
}

void TstNode::badConfig()
{
    QFETCH(QString, config);
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, needles);
    const QString dir = m_root->filePath(QStringLiteral("configs"));
    QVERIFY(QDir().mkpath(dir));
    static int number = 0;
    const QString path = QStringLiteral("%1/node-%2.json").arg(dir).arg(++number);
    QFile garbage(dir + QStringLiteral("/garbage.crt"));
    QVERIFY(garbage.open(QIODevice::WriteOnly | QIODevice::Truncate));
    garbage.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    garbage.close();
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    auto fill = [&](QString text) {
        return text.replace(QLatin1String("{config}"), path)
            .replace(QLatin1String("{dir}"), dir)
            .replace(QLatin1String("{pki}"), m_pki)
            .replace(QLatin1String("{db}"), sqlitePath(*m_dShop))
            .replace(QLatin1String("{port}"), QString::number(occupier.serverPort()));
    };
    if (config != QLatin1String("-")) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(fill(config).toUtf8());
    }
    for (QString &argument : arguments)
        argument = fill(argument);
    for (QString &needle : needles)
        needle = fill(needle);
    const auto before = filesSnapshot({sqlitePath(*m_dShop)});

    const Run run = runProgram(QStringLiteral(FERRY_NODE_PATH), arguments, 10000);
    QVERIFY2(run.exitCode > 0, qPrintable(run.describe()));
    QVERIFY2(run.ms < 5000, qPrintable(run.describe()));
    const QString line = run.err.trimmed();
    QVERIFY2(!line.contains(QLatin1Char('\n')), qPrintable(QStringLiteral("more than one line:\n") + run.err));
    QVERIFY2(line.startsWith(QLatin1String("ferry-node: error: ")), qPrintable(run.describe()));
    for (const QString &needle : std::as_const(needles))
        QVERIFY2(line.contains(needle), qPrintable(QStringLiteral("no \"%1\" in: %2").arg(needle, line)));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));
    QCOMPARE(filesSnapshot({sqlitePath(*m_dShop)}), before);
}

void TstNode::sigtermStopsCleanly()
{
    // After everything above, every node still stops cleanly on SIGTERM, also with a
    // client connected.
    NodeClient::Options options;
    options.clientName = QStringLiteral("last");
    NodeClientThread connected(QStringLiteral("127.0.0.1"), m_a->port(), m_clientTls, options);
    FERRY_NO_THROW(connected.connectAndWait());
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get(), m_d.get()}) {
        QVERIFY2(node->isRunning(), qPrintable(node->name() + QStringLiteral(" is not running: ") + node->logSince(0)));
        const qsizetype mark = node->logSize();
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(node->terminate(), 0);
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QStringLiteral("%1 took %2 ms to stop").arg(node->name()).arg(clock.elapsed())));
        const QStringList lines = node->logSince(mark).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 2, qPrintable(node->logSince(mark)));
        QVERIFY2(lines.filter(QStringLiteral("SIGTERM received: stopping")).size() == 1, qPrintable(node->logSince(mark)));
        QVERIFY2(lines.constLast().endsWith(QLatin1String(" stopped")), qPrintable(node->logSince(mark)));
        QVERIFY2(!node->logSince(0).contains(QLatin1String("error: ")), qPrintable(node->logSince(0)));
    }
    QVERIFY(QTest::qWaitFor([&] { return !connected.client()->isReady(); }, 5000));
}

// ---------------------------------------------------------------------------------------

QTEST_GUILESS_MAIN(TstNode)
#include "tst_node.moc"
