// tst_databaselinks: one link replicates a database (issue 16). Two real ferry-node
// processes (dc-a runs the links, dc-b is the target) on loopback, driven by the real
// ferryctl; the applications are other connections to the same databases. Every result is
// read from the databases themselves (row by row, canonical bytes), not from Ferry's figures.
//
// - wholeDatabase (SQLite -> SQLite, SQLite -> PostgreSQL, PostgreSQL -> SQLite with
//   FERRY_TEST_PG_URL): 50 tables and one without a primary key linked with one command;
//   the 50 arrive, the keyless one is listed as skipped with the reason. While rows are
//   written: a table created on the source is picked up; ADD COLUMN with a default, with
//   values written right after, arrives with the values (old rows with the default); a
//   dropped table is kept on the target, writable and listed as dropped; DROP COLUMN stops
//   only its table ("schema changed"), the others go on streaming; after the same column is
//   dropped on the target, `link resync --table` brings it back. `link show` has a row per
//   table; `link verify --table` of an unknown table is refused.
// - dropPolicy: --on-drop drop drops the target's table too.
// - killDuringInitialSync: kill -9 of the source node while 50 tables copy; after a restart
//   every table ends identical, and the link (links.json) is still one database link.
// - failoverUnderLoad: a graceful failover of a 10-table database link while an application
//   writes to all of them: one fence, one drain, one promotion; every write the application
//   saw committed is on the new primary, both databases end identical, the old primary's
//   tables refuse writes, the new primary runs the database link back (one link, 10 tables)
//   and its writes arrive.
// - transactionsAcrossTables (SQLite -> SQLite, SQLite -> PostgreSQL, PostgreSQL ->
//   SQLite): parent and child tables with a foreign key on both sides (PostgreSQL checks it
//   at every statement); 5,000 large parents before the link: the child table's initial sync
//   waits for the parent's (no foreign key error on the target). An application writes transactions over both (a parent with its
//   children and its total, a child moved between parents, a parent deleted with its
//   children); a reader of the target, meanwhile, never sees a parent whose total is not
//   the sum of its children, nor a child without its parent; both end identical. Then one
//   transaction of about 12 MB (more than a message): the target shows none of it, then all.
// - postgresConnectionBudget: a PostgreSQL database link whose tables would take the
//   connections the applications need (one per table, a quarter of max_connections kept free)
//   is refused, naming max_connections; nothing stored.
// - oneTableLinksFromBefore: a links.json written before database links existed (one
//   one-table link, no "databases") is loaded by the node: the link syncs and streams.
// - badInput: bad patterns, a database link both ways or with a row filter, ?table= on one
//   side only, an unknown target database: exit 2, a message naming it, nothing stored.

#include "nodeprocess.h"
#include "testsupport.h"

#include "net/nodeclient.h"
#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "storage/store.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCborArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <atomic>
#include <thread>

#include <map>
#include <memory>

using namespace ferry;
using namespace ferry::test;

namespace {

constexpr int SettleMs = 60000;
constexpr int Tables = 50;
constexpr int RowsPerTable = 40;

} // namespace

class TstDatabaseLinks : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void wholeDatabase_data();
    void wholeDatabase();
    void dropPolicy();
    void killDuringInitialSync();
    void failoverUnderLoad();
    void transactionsAcrossTables_data();
    void transactionsAcrossTables();
    void badInput();
    void postgresConnectionBudget();
    void oneTableLinksFromBefore();

private:
    Run ctl(const QStringList &arguments, int timeoutMs = 60000) const { return runProgram(ferryctlBinaryPath(), arguments + m_clientArgs, timeoutMs); }
    ScratchDatabase &database(const QString &backend, bool source);
    QString databaseName(const QString &backend) const { return backend == QLatin1String("postgres") ? QStringLiteral("pg") : QStringLiteral("lite"); }
    // A table name unique to this run: registered with the PostgreSQL scratch database (which
    // drops it at the end) when PostgreSQL takes part.
    QString tableName(const QString &base, bool postgres);
    void createTables(ScratchDatabase &db, const QStringList &names, int rows);
    QCborMap linkShow(const QString &id);
    QString tablesDifference(ScratchDatabase &source, ScratchDatabase &target, const QString &table);
    QString waitIdentical(ScratchDatabase &source, ScratchDatabase &target, const QStringList &tables, int timeoutMs = SettleMs);
    QStringList targetTables(ScratchDatabase &target);

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_pki;
    QStringList m_clientArgs;
    QSslConfiguration m_clientTls;
    std::unique_ptr<ScratchDatabase> m_aLite, m_bLite, m_pg;
    std::unique_ptr<NodeProcess> m_a, m_b;
    std::unique_ptr<NodeClientThread> m_client;
    int m_round = 0;
};

void TstDatabaseLinks::initTestCase()
{
    QVERIFY(QSslSocket::supportsSsl());
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    m_pki = m_root->filePath(QStringLiteral("pki"));
    try {
        createDeploymentCa(m_pki);
        for (const char *name : {"dc-a", "dc-b", "console"}) {
            IssueOptions role;
            role.role = QByteArray(name).startsWith("dc-") ? Role::Node : Role::Admin;
            issueCertificate(m_pki, QString::fromLatin1(name), role);
        }
        m_clientTls = mutualTlsConfiguration(m_pki + QStringLiteral("/ca.crt"), m_pki + QStringLiteral("/console.crt"), m_pki + QStringLiteral("/console.key"));
        m_aLite = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_bLite = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        for (ScratchDatabase *db : {m_aLite.get(), m_bLite.get()})
            db->query(QStringLiteral("PRAGMA journal_mode=wal"));
        if (!postgresUrl().isEmpty())
            m_pg = std::make_unique<ScratchDatabase>(Backend::Postgres);
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    m_clientArgs = {QStringLiteral("--ca"), m_pki + QStringLiteral("/ca.crt"), QStringLiteral("--cert"), m_pki + QStringLiteral("/console.crt"),
                    QStringLiteral("--key"), m_pki + QStringLiteral("/console.key")};
    m_a = std::make_unique<NodeProcess>(QStringLiteral("dc-a"), QStringLiteral("us-east"), m_root->filePath(QStringLiteral("a")), m_pki);
    m_a->addDatabase(QStringLiteral("lite"), QStringLiteral("sqlite:") + m_aLite->dataSource().path);
    m_b = std::make_unique<NodeProcess>(QStringLiteral("dc-b"), QStringLiteral("eu-west"), m_root->filePath(QStringLiteral("b")), m_pki);
    m_b->addDatabase(QStringLiteral("lite"), QStringLiteral("sqlite:") + m_bLite->dataSource().path);
    if (m_pg) {
        m_a->addDatabase(QStringLiteral("pg"), postgresUrl());
        m_b->addDatabase(QStringLiteral("pg"), postgresUrl());
    }
    for (NodeProcess *node : {m_a.get(), m_b.get()}) {
        const QString error = node->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
}

void TstDatabaseLinks::cleanup()
{
    m_client.reset();
    for (NodeProcess *node : {m_a.get(), m_b.get()}) {
        if (node && !node->isRunning())
            node->start();
    }
    const Run list = ctl({QStringLiteral("link"), QStringLiteral("list"), m_a->url(), QStringLiteral("--json")});
    for (const QJsonValue &entry : jsonOf(list).value(QLatin1String("links")).toArray()) {
        const QString id = entry.toObject().value(QLatin1String("link")).toObject().value(QLatin1String("id")).toString();
        const Run removed = ctl({QStringLiteral("link"), QStringLiteral("remove"), m_a->url(), id});
        if (removed.exitCode != 0)
            qWarning("cleanup: removing link %s: %s", qPrintable(id), qPrintable(removed.describe()));
    }
}

void TstDatabaseLinks::cleanupTestCase()
{
    m_client.reset();
    for (NodeProcess *node : {m_a.get(), m_b.get()}) {
        if (node && node->isRunning()) {
            const int status = node->terminate();
            if (status != 0)
                qWarning("%s stopped with %d; its log:\n%s", qPrintable(node->name()), status, qPrintable(node->logSince(0).right(4000)));
        }
    }
}

ScratchDatabase &TstDatabaseLinks::database(const QString &backend, bool source)
{
    if (backend == QLatin1String("postgres"))
        return *m_pg;
    return source ? *m_aLite : *m_bLite;
}

QString TstDatabaseLinks::tableName(const QString &base, bool postgres)
{
    return postgres ? m_pg->name(base) : base;
}

void TstDatabaseLinks::createTables(ScratchDatabase &db, const QStringList &names, int rows)
{
    for (const QString &table : names) {
        db.exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, name TEXT, n INTEGER)").arg(table));
        QStringList values;
        for (int row = 1; row <= rows; ++row)
            values.append(QStringLiteral("(%1, 'row %1 of %2', %3)").arg(row).arg(table).arg(row * 7 % 13));
        if (!values.isEmpty())
            db.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(table, values.join(QLatin1String(", "))));
    }
}

QCborMap TstDatabaseLinks::linkShow(const QString &id)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        try {
            if (!m_client) {
                NodeClient::Options options;
                options.clientName = QStringLiteral("tst_databaselinks");
                options.connectTimeoutMs = 15000;   // 50 tables' links busy the machine
                m_client = std::make_unique<NodeClientThread>(QStringLiteral("127.0.0.1"), m_a->port(), m_clientTls, options);
                m_client->connectAndWait();
            }
            return ask(m_client->client(), protocol::Type::LinkShow, QCborMap{{QStringLiteral("link"), id}}, 15000).body;
        } catch (const WireError &error) {
            if (error.code() == protocol::ErrorCode::UnknownLink)
                return {};
            qWarning("link show %s: %s", qPrintable(id), qPrintable(error.message()));
            m_client.reset();
        } catch (const FerryError &error) {
            qWarning("link show %s: %s", qPrintable(id), qPrintable(error.message()));
            m_client.reset();
        }
    }
    return {};
}

QString TstDatabaseLinks::tablesDifference(ScratchDatabase &source, ScratchDatabase &target, const QString &table)
{
    try {
        const TableSchema sourceSchema = source.store().describe(table);
        const TableSchema targetSchema = target.store().describe(table);
        if (sourceSchema.columnNames() != targetSchema.columnNames())
            return QStringLiteral("%1: columns %2 on the source, %3 on the target")
                .arg(table, sourceSchema.columnNames().join(QLatin1Char(',')), targetSchema.columnNames().join(QLatin1Char(',')));
        const QString difference = rowsDifference(sourceSchema, readAll(source.store(), sourceSchema), readAll(target.store(), targetSchema));
        return difference.isEmpty() ? QString() : table + QStringLiteral(": ") + difference;
    } catch (const FerryError &error) {
        return table + QStringLiteral(": ") + error.message();
    }
}

QString TstDatabaseLinks::waitIdentical(ScratchDatabase &source, ScratchDatabase &target, const QStringList &tables, int timeoutMs)
{
    QString difference;
    QStringList left = tables;
    (void)QTest::qWaitFor([&] {
        while (!left.isEmpty()) {
            difference = tablesDifference(source, target, left.first());
            if (!difference.isEmpty())
                return false;
            left.removeFirst();
        }
        return true;
    }, timeoutMs);
    return difference;
}

QStringList TstDatabaseLinks::targetTables(ScratchDatabase &target)
{
    try {
        return target.store().tables();
    } catch (const FerryError &error) {
        return {error.message()};
    }
}

void TstDatabaseLinks::wholeDatabase_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::newRow("sqlite-sqlite") << QStringLiteral("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("sqlite-postgres") << QStringLiteral("sqlite") << QStringLiteral("postgres");
    QTest::newRow("postgres-sqlite") << QStringLiteral("postgres") << QStringLiteral("sqlite");
}

void TstDatabaseLinks::wholeDatabase()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    const bool postgres = from == QLatin1String("postgres") || to == QLatin1String("postgres");
    if (postgres && !m_pg) {
        if (postgresRequired())
            QFAIL("FERRY_TEST_PG_URL is not set");
        QSKIP("FERRY_TEST_PG_URL is not set: PostgreSQL part skipped");
    }
    ScratchDatabase &source = database(from, true);
    ScratchDatabase &target = database(to, false);
    const QString prefix = QStringLiteral("w%1_").arg(++m_round);
    QStringList tables;
    for (int i = 0; i < Tables; ++i)
        tables.append(tableName(prefix + QStringLiteral("t%1").arg(i, 2, 10, QLatin1Char('0')), postgres));
    FERRY_NO_THROW(createTables(source, tables, RowsPerTable));
    const QString keyless = tableName(prefix + QStringLiteral("nokey"), postgres);
    FERRY_NO_THROW(source.exec(QStringLiteral("CREATE TABLE %1 (a INTEGER, b TEXT)").arg(keyless)));
    const QString pattern = tableName(prefix, postgres) + QLatin1Char('*');

    // One command for the whole database (the tables this run made, by pattern).
    const QString id = QStringLiteral("db%1").arg(m_round);
    Run run = ctl({QStringLiteral("link"), QStringLiteral("create"), m_a->url(databaseName(from)), m_b->url(databaseName(to)), QStringLiteral("--id"), id,
                   QStringLiteral("--tables"), pattern, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QString difference = waitIdentical(source, target, tables);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(std::max<qsizetype>(0, m_a->logSize() - 3000))));
    QVERIFY2(!targetTables(target).contains(keyless), qPrintable(targetTables(target).join(QLatin1Char(','))));

    QCborMap shown = linkShow(id);
    QVERIFY2(shown.value(QStringLiteral("tables")).toArray().size() == Tables, qPrintable(QString::fromUtf8(QJsonDocument(shown.toJsonObject()).toJson())));
    const QCborArray skipped = shown.value(QStringLiteral("skipped")).toArray();
    QCOMPARE(skipped.size(), 1);
    QCOMPARE(skipped.at(0).toMap().value(QStringLiteral("table")).toString(), keyless);
    QVERIFY(skipped.at(0).toMap().value(QStringLiteral("reason")).toString().contains(QLatin1String("primary key")));
    QVERIFY2(QTest::qWaitFor([&] { return linkShow(id).value(QStringLiteral("stats")).toMap().value(QStringLiteral("state")).toString() == QLatin1String("streaming"); }, SettleMs),
             qPrintable(QString::fromUtf8(QJsonDocument(linkShow(id).value(QStringLiteral("stats")).toMap().toJsonObject()).toJson())));

    // Text output: one line per table.
    run = ctl({QStringLiteral("link"), QStringLiteral("show"), m_a->url(), id});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    for (const QString &table : {tables.first(), tables.last()})
        QVERIFY2(run.out.contains(table), qPrintable(run.out));
    QVERIFY2(run.out.contains(keyless) && run.out.contains(QLatin1String("primary key")), qPrintable(run.out));

    // Writes go on in every table while the schema changes below.
    int written = 0;
    auto writeSome = [&] {
        for (int i = 0; i < Tables; i += 7) {
            if (i == 2 || i == 3)
                continue;   // dropped / stopped below
            source.exec(QStringLiteral("INSERT INTO %1 VALUES (%2, 'written %2', %3)").arg(tables.at(i)).arg(1000 + written).arg(written));
            source.exec(QStringLiteral("UPDATE %1 SET n = n + 1 WHERE id = %2").arg(tables.at(i)).arg(1 + written % RowsPerTable));
        }
        ++written;
    };
    FERRY_NO_THROW(writeSome());

    // A table created on the source is picked up: copied, then streamed.
    const QString created = tableName(prefix + QStringLiteral("new"), postgres);
    FERRY_NO_THROW(createTables(source, {created}, 25));
    FERRY_NO_THROW(writeSome());
    difference = waitIdentical(source, target, {created});
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(std::max<qsizetype>(0, m_a->logSize() - 3000))));
    FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES (500, 'after the copy', 1)").arg(created)));
    difference = waitIdentical(source, target, {created});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));

    // ADD COLUMN with a default, and values written right after.
    const QString altered = tables.at(1);
    FERRY_NO_THROW(source.exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN extra INTEGER DEFAULT 7").arg(altered)));
    FERRY_NO_THROW(source.exec(QStringLiteral("UPDATE %1 SET extra = 100 + id WHERE id <= 5").arg(altered)));
    FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES (900, 'with extra', 9, 99)").arg(altered)));
    FERRY_NO_THROW(writeSome());
    difference = waitIdentical(source, target, {altered});
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(std::max<qsizetype>(0, m_a->logSize() - 3000))));
    {
        // Independently of Ferry's reading: the default reached the rows that had it.
        const QList<QVariantList> extras = target.query(QStringLiteral("SELECT extra FROM %1 WHERE id = 20").arg(altered));
        QCOMPARE(extras.size(), 1);
        QCOMPARE(extras.first().first().toInt(), 7);
    }

    // DROP TABLE: kept on the target (default), writable, listed as dropped.
    const QString dropped = tables.at(2);
    FERRY_NO_THROW(source.exec(QStringLiteral("DROP TABLE %1").arg(dropped)));
    QVERIFY2(QTest::qWaitFor([&] {
                 return linkShow(id).value(QStringLiteral("dropped")).toArray().contains(QCborValue(dropped));
             }, 20000),
             qPrintable(QString::fromUtf8(QJsonDocument(linkShow(id).toJsonObject()).toJson())));
    QVERIFY(targetTables(target).contains(dropped));
    QVERIFY(QTest::qWaitFor([&] {
        try {
            target.exec(QStringLiteral("INSERT INTO %1 VALUES (7777, 'kept and writable', 0)").arg(dropped));
            return true;
        } catch (const FerryError &) {
            return false;   // the guard is lifted once the table's link has stopped
        }
    }, 20000));
    QCOMPARE(target.query(QStringLiteral("SELECT count(*) FROM %1").arg(dropped)).first().first().toInt(), RowsPerTable + 1);

    // DROP COLUMN stops only its table, saying so; the others go on.
    const QString narrowed = tables.at(3);
    FERRY_NO_THROW(source.exec(QStringLiteral("ALTER TABLE %1 DROP COLUMN name").arg(narrowed)));
    FERRY_NO_THROW(source.exec(QStringLiteral("UPDATE %1 SET n = 1000 WHERE id = 1").arg(narrowed)));
    QVERIFY2(QTest::qWaitFor([&] {
                 for (const QCborValue &entry : linkShow(id).value(QStringLiteral("tables")).toArray()) {
                     if (entry.toMap().value(QStringLiteral("table")).toString() == narrowed)
                         return entry.toMap().value(QStringLiteral("last_error")).toString().contains(QLatin1String("schema changed"));
                 }
                 return false;
             }, 20000),
             qPrintable(QString::fromUtf8(QJsonDocument(linkShow(id).toJsonObject()).toJson())));
    FERRY_NO_THROW(writeSome());
    QStringList others;
    for (int i = 0; i < Tables; ++i) {
        if (i != 2 && i != 3)
            others.append(tables.at(i));
    }
    difference = waitIdentical(source, target, others + QStringList{created});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    // Nothing of the stopped table was applied with the wrong columns.
    QCOMPARE(target.query(QStringLiteral("SELECT n FROM %1 WHERE id = 1").arg(narrowed)).first().first().toInt(), 7 % 13);
    // The operator makes the target match and resyncs that one table.
    FERRY_NO_THROW(target.exec(QStringLiteral("ALTER TABLE %1 DROP COLUMN name").arg(narrowed)));
    run = ctl({QStringLiteral("link"), QStringLiteral("resync"), m_a->url(), id, QStringLiteral("--table"), narrowed});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    difference = waitIdentical(source, target, {narrowed});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));

    run = ctl({QStringLiteral("link"), QStringLiteral("verify"), m_a->url(), id, QStringLiteral("--table"), QStringLiteral("no_such_table")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("no_such_table")), qPrintable(run.describe()));

    // Everything, one last time, after more writes.
    FERRY_NO_THROW(writeSome());
    difference = waitIdentical(source, target, others + QStringList{created, narrowed});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TstDatabaseLinks::dropPolicy()
{
    const QString prefix = QStringLiteral("d%1_").arg(++m_round);
    const QStringList tables = {prefix + QStringLiteral("keep"), prefix + QStringLiteral("gone")};
    FERRY_NO_THROW(createTables(*m_aLite, tables, 10));
    const QString id = QStringLiteral("drop%1").arg(m_round);
    Run run = ctl({QStringLiteral("link"), QStringLiteral("create"), m_a->url(QStringLiteral("lite")), m_b->url(QStringLiteral("lite")), QStringLiteral("--id"), id,
                   QStringLiteral("--tables"), prefix + QLatin1Char('*'), QStringLiteral("--on-drop"), QStringLiteral("drop")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QString difference = waitIdentical(*m_aLite, *m_bLite, tables);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    FERRY_NO_THROW(m_aLite->exec(QStringLiteral("DROP TABLE %1").arg(tables.at(1))));
    QVERIFY2(QTest::qWaitFor([&] { return !targetTables(*m_bLite).contains(tables.at(1)); }, 20000), qPrintable(m_a->logSince(0).right(3000)));
    QVERIFY(targetTables(*m_bLite).contains(tables.at(0)));
    FERRY_NO_THROW(m_aLite->exec(QStringLiteral("INSERT INTO %1 VALUES (11, 'still streaming', 1)").arg(tables.at(0))));
    difference = waitIdentical(*m_aLite, *m_bLite, {tables.at(0)});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TstDatabaseLinks::killDuringInitialSync()
{
    const QString prefix = QStringLiteral("k%1_").arg(++m_round);
    QStringList tables;
    for (int i = 0; i < Tables; ++i)
        tables.append(prefix + QStringLiteral("t%1").arg(i, 2, 10, QLatin1Char('0')));
    FERRY_NO_THROW(createTables(*m_aLite, tables, 2000));
    const QString id = QStringLiteral("kill%1").arg(m_round);
    // Capped, so that the kill finds the copy half-way.
    Run run = ctl({QStringLiteral("link"), QStringLiteral("create"), m_a->url(QStringLiteral("lite")), m_b->url(QStringLiteral("lite")), QStringLiteral("--id"), id,
                   QStringLiteral("--tables"), prefix + QLatin1Char('*'), QStringLiteral("--bandwidth"), QStringLiteral("0.05")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(QTest::qWaitFor([&] { return linkShow(id).value(QStringLiteral("stats")).toMap().value(QStringLiteral("applied_total")).toInteger() > 0
                                          || targetTables(*m_bLite).filter(prefix).size() >= 5; }, 20000));
    FERRY_NO_THROW(m_aLite->exec(QStringLiteral("UPDATE %1 SET n = -1 WHERE id <= 10").arg(tables.at(0))));
    m_client.reset();
    m_a->kill9();
    FERRY_NO_THROW(m_aLite->exec(QStringLiteral("UPDATE %1 SET n = -2 WHERE id <= 10").arg(tables.last())));
    // The node comes back with the link as links.json keeps it: one database link.
    {
        QFile file(m_a->dataDirectory() + QStringLiteral("/links.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(state.value(QLatin1String("databases")).toArray().size(), 1);
    }
    QVERIFY(m_a->start().isEmpty());
    const QString difference = waitIdentical(*m_aLite, *m_bLite, tables, 240000);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(0).right(3000)));
    QCOMPARE(linkShow(id).value(QStringLiteral("tables")).toArray().size(), Tables);
}

void TstDatabaseLinks::failoverUnderLoad()
{
    const QString prefix = QStringLiteral("f%1_").arg(++m_round);
    QStringList tables;
    for (int i = 0; i < 10; ++i)
        tables.append(prefix + QStringLiteral("t%1").arg(i));
    FERRY_NO_THROW(createTables(*m_aLite, tables, 100));
    const QString id = QStringLiteral("fo%1").arg(m_round);
    Run run = ctl({QStringLiteral("link"), QStringLiteral("create"), m_a->url(QStringLiteral("lite")), m_b->url(QStringLiteral("lite")), QStringLiteral("--id"), id,
                   QStringLiteral("--tables"), prefix + QLatin1Char('*')});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QString difference = waitIdentical(*m_aLite, *m_bLite, tables);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QVERIFY(QTest::qWaitFor([&] { return linkShow(id).value(QStringLiteral("stats")).toMap().value(QStringLiteral("state")).toString() == QLatin1String("streaming"); }, SettleMs));

    // The application: inserts round the tables through its own connection, and remembers
    // what committed.
    std::atomic<bool> stop{false};
    QList<std::pair<QString, int>> committed;
    std::atomic<int> refused{0};
    const QString path = m_aLite->dataSource().path;
    std::thread writer([&] {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("failover-app"));
            db.setDatabaseName(path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
            if (db.open()) {
                for (int n = 0; !stop; ++n) {
                    const QString table = tables.at(n % tables.size());
                    QSqlQuery query(db);
                    if (query.exec(QStringLiteral("INSERT INTO %1 VALUES (%2, 'app %2', %3)").arg(table).arg(10000 + n).arg(n)))
                        committed.append({table, 10000 + n});
                    else
                        ++refused;
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                }
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("failover-app"));
    });
    QTest::qWait(1500);
    // The plan first: every table listed, nothing changed.
    run = ctl({QStringLiteral("failover"), m_a->url(), id, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--plan"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QJsonObject plan = jsonOf(run);
    QCOMPARE(plan.value(QLatin1String("tables")).toInt(), tables.size());
    QVERIFY2(plan.value(QLatin1String("allowed")).toBool(), qPrintable(run.out));
    QStringList planned;
    for (const QJsonValue &entry : plan.value(QLatin1String("links")).toArray()) {
        if (entry.toObject().value(QLatin1String("change")).toString() == QLatin1String("reverses"))
            planned.append(entry.toObject().value(QLatin1String("source_table")).toString());
    }
    planned.sort();
    QCOMPARE(planned, tables);
    run = ctl({QStringLiteral("failover"), m_a->url(), id, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--plan")});
    QVERIFY2(run.exitCode == 0 && run.out.contains(QLatin1String("10 tables fail over as one")), qPrintable(run.describe()));
    QVERIFY2(linkShow(id).value(QStringLiteral("tables")).toArray().size() == tables.size(), "the plan changed the link");
    run = ctl({QStringLiteral("failover"), m_a->url(), id, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--json")}, 90000);
    QTest::qWait(1000);   // the application keeps trying against the fenced tables
    stop = true;
    writer.join();
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + QStringLiteral("\n") + m_a->logSince(0).right(3000)));
    const QJsonObject result = jsonOf(run);
    QCOMPARE(result.value(QLatin1String("tables")).toInt(), tables.size());
    QVERIFY2(committed.size() > 50 && refused > 0, qPrintable(QStringLiteral("committed %1, refused %2").arg(committed.size()).arg(refused.load())));

    // Nothing the application saw committed is lost; both sides equal.
    for (const auto &[table, key] : std::as_const(committed)) {
        const QList<QVariantList> found = m_bLite->query(QStringLiteral("SELECT count(*) FROM %1 WHERE id = %2").arg(table).arg(key));
        QVERIFY2(found.first().first().toInt() == 1, qPrintable(QStringLiteral("%1 id %2 committed on dc-a, missing on dc-b").arg(table).arg(key)));
    }
    difference = waitIdentical(*m_aLite, *m_bLite, tables);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    // dc-a is the replica now: its tables refuse writes.
    for (const QString &table : {tables.first(), tables.last()}) {
        QString error;
        FERRY_EXPECT_ERROR(error, m_aLite->exec(QStringLiteral("INSERT INTO %1 VALUES (99999, 'old primary', 0)").arg(table)));
        QVERIFY2(error.contains(QLatin1String("dc-b")), qPrintable(error));
    }
    // dc-b runs the database link back: one link, every table; its writes reach dc-a.
    const Run list = ctl({QStringLiteral("link"), QStringLiteral("list"), m_b->url(), QStringLiteral("--json")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
    const QJsonArray links = jsonOf(list).value(QLatin1String("links")).toArray();
    QCOMPARE(links.size(), 1);
    QCOMPARE(links.first().toObject().value(QLatin1String("link")).toObject().value(QLatin1String("id")).toString(), id);
    QCOMPARE(links.first().toObject().value(QLatin1String("tables")).toArray().size(), tables.size());
    const Run aList = ctl({QStringLiteral("link"), QStringLiteral("list"), m_a->url(), QStringLiteral("--json")});
    QCOMPARE(jsonOf(aList).value(QLatin1String("links")).toArray().size(), 0);
    FERRY_NO_THROW(m_bLite->exec(QStringLiteral("INSERT INTO %1 VALUES (50000, 'written on the new primary', 5)").arg(tables.at(3))));
    difference = waitIdentical(*m_bLite, *m_aLite, {tables.at(3)});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    // Cleanup: the link now runs from dc-b.
    run = ctl({QStringLiteral("link"), QStringLiteral("remove"), m_b->url(), id});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
}

void TstDatabaseLinks::transactionsAcrossTables_data()
{
    wholeDatabase_data();
}

void TstDatabaseLinks::transactionsAcrossTables()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    const bool postgres = from == QLatin1String("postgres") || to == QLatin1String("postgres");
    if (postgres && !m_pg) {
        if (postgresRequired())
            QFAIL("FERRY_TEST_PG_URL is not set");
        QSKIP("FERRY_TEST_PG_URL is not set: PostgreSQL part skipped");
    }
    ScratchDatabase &source = database(from, true);
    ScratchDatabase &target = database(to, false);
    const QString prefix = QStringLiteral("x%1_").arg(++m_round);
    const QString parent = tableName(prefix + QStringLiteral("parent"), postgres);
    const QString child = tableName(prefix + QStringLiteral("child"), postgres);
    for (ScratchDatabase *db : {&source, &target}) {
        const QString integer = db->backend() == Backend::Postgres ? QStringLiteral("bigint") : QStringLiteral("INTEGER");
        FERRY_NO_THROW(db->exec(QStringLiteral("CREATE TABLE %1 (id %2 PRIMARY KEY, name TEXT, total %2 NOT NULL)").arg(parent, integer)));
        FERRY_NO_THROW(db->exec(QStringLiteral("CREATE TABLE %1 (id %2 PRIMARY KEY, parent_id %2 NOT NULL REFERENCES %3 (id), amount %2 NOT NULL)")
                                    .arg(child, integer, parent)));
        FERRY_NO_THROW(db->exec(QStringLiteral("CREATE INDEX %1_parent ON %1 (parent_id)").arg(child)));
    }
    // Before the link: 20 parents of 3 children each, and 5,000 of one child each (the child
    // table's initial sync must not run ahead of its parent's on a target that checks).
    std::map<int, std::map<int, int>> live;   // parent -> child -> amount
    for (int p = 1; p <= 20; ++p) {
        FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES (%2, 'parent %2', %3)").arg(parent).arg(p).arg(1 + 2 + 3)));
        for (int k = 1; k <= 3; ++k) {
            FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES (%2, %3, %4)").arg(child).arg(p * 10 + k).arg(p).arg(k)));
            live[p][p * 10 + k] = k;
        }
    }
    for (int p = 10000; p < 15000; p += 500) {
        QStringList parents;
        QStringList children;
        for (int q = p; q < p + 500; ++q) {
            parents.append(QStringLiteral("(%1, '%2', 3)").arg(q).arg(QString(2000, QLatin1Char('p'))));
            children.append(QStringLiteral("(%1, %2, 3)").arg(500000 + q).arg(q));
            live[q][500000 + q] = 3;
        }
        FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(parent, parents.join(QLatin1String(", ")))));
        FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(child, children.join(QLatin1String(", ")))));
    }
    const QString id = QStringLiteral("tx%1").arg(m_round);
    Run run = ctl({QStringLiteral("link"), QStringLiteral("create"), m_a->url(databaseName(from)), m_b->url(databaseName(to)), QStringLiteral("--id"), id,
                   QStringLiteral("--tables"), tableName(prefix, postgres) + QLatin1Char('*')});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QString difference = waitIdentical(source, target, {parent, child});
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(std::max<qsizetype>(0, m_a->logSize() - 3000))));
    QVERIFY(QTest::qWaitFor([&] { return linkShow(id).value(QStringLiteral("stats")).toMap().value(QStringLiteral("state")).toString() == QLatin1String("streaming"); }, SettleMs));
    // Parents first: the child table never met a missing parent on the target.
    for (const QCborValue &row : linkShow(id).value(QStringLiteral("tables")).toArray())
        QVERIFY2(row.toMap().value(QStringLiteral("last_error")).toString().isEmpty(), qPrintable(QString::fromUtf8(QJsonDocument(row.toMap().toJsonObject()).toJson())));

    // The application, through its own connection: every transaction keeps each parent's
    // total equal to the sum of its children, and passes through states that do not.
    std::atomic<bool> done{false};
    QString writerError;
    int transactions = 0;
    const DataSource sourceData = source.dataSource();
    std::thread writer([&] {
        const QString connection = QStringLiteral("tx-app");
        {
            QSqlDatabase db = addTestConnection(source.backend(), sourceData.path, connection);
            if (source.backend() == Backend::Sqlite)
                db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
            if (!db.open())
                writerError = db.lastError().text();
            QSqlQuery query(db);
            auto run = [&](const QString &sql) {
                if (!writerError.isEmpty())
                    return;
                if (!query.exec(sql))
                    writerError = sql + QStringLiteral(": ") + query.lastError().text();
            };
            for (int n = 0; n < 400 && writerError.isEmpty(); ++n) {
                if (!db.transaction()) {
                    writerError = db.lastError().text();
                    break;
                }
                auto pick = [&](int skip) {
                    auto it = live.begin();
                    std::advance(it, (n * 7 + skip) % live.size());
                    return it;
                };
                switch (n % 4) {
                case 0: {   // a parent, its children, then its total
                    const int p = 1000 + n;
                    run(QStringLiteral("INSERT INTO %1 VALUES (%2, 'parent %2', 0)").arg(parent).arg(p));
                    int total = 0;
                    for (int k = 1; k <= 3; ++k) {
                        run(QStringLiteral("INSERT INTO %1 VALUES (%2, %3, %4)").arg(child).arg(p * 10 + k).arg(p).arg(k * n));
                        live[p][p * 10 + k] = k * n;
                        total += k * n;
                    }
                    run(QStringLiteral("UPDATE %1 SET total = %2 WHERE id = %3").arg(parent).arg(total).arg(p));
                    break;
                }
                case 1: {   // a child moves to another parent
                    auto from = pick(0);
                    auto to = pick(1);
                    if (from == to || from->second.empty())
                        break;
                    const auto [c, amount] = *from->second.begin();
                    run(QStringLiteral("UPDATE %1 SET parent_id = %2 WHERE id = %3").arg(child).arg(to->first).arg(c));
                    run(QStringLiteral("UPDATE %1 SET total = total - %2 WHERE id = %3").arg(parent).arg(amount).arg(from->first));
                    run(QStringLiteral("UPDATE %1 SET total = total + %2 WHERE id = %3").arg(parent).arg(amount).arg(to->first));
                    to->second[c] = amount;
                    from->second.erase(c);
                    break;
                }
                case 2: {   // a parent goes with its children
                    if (live.size() < 10)
                        break;
                    auto gone = pick(2);
                    run(QStringLiteral("DELETE FROM %1 WHERE parent_id = %2").arg(child).arg(gone->first));
                    run(QStringLiteral("DELETE FROM %1 WHERE id = %2").arg(parent).arg(gone->first));
                    live.erase(gone);
                    break;
                }
                default: {   // a child's amount, and its parent's total
                    auto in = pick(3);
                    if (in->second.empty())
                        break;
                    const int c = in->second.rbegin()->first;
                    run(QStringLiteral("UPDATE %1 SET amount = amount + 5 WHERE id = %2").arg(child).arg(c));
                    run(QStringLiteral("UPDATE %1 SET total = total + 5 WHERE id = %2").arg(parent).arg(in->first));
                    in->second[c] += 5;
                    break;
                }
                }
                if (!writerError.isEmpty()) {
                    db.rollback();
                    break;
                }
                if (!db.commit())
                    writerError = db.lastError().text();
                ++transactions;
                std::this_thread::sleep_for(std::chrono::milliseconds(3));
            }
        }
        QSqlDatabase::removeDatabase(connection);
        done = true;
    });

    // A reader of the target, meanwhile: one statement, one snapshot.
    const QString check = QStringLiteral("SELECT (SELECT count(*) FROM %1 p LEFT JOIN (SELECT parent_id, sum(amount) AS s FROM %2 GROUP BY parent_id) c "
                                         "ON c.parent_id = p.id WHERE p.total <> coalesce(c.s, 0)), "
                                         "(SELECT count(*) FROM %2 c LEFT JOIN %1 p ON p.id = c.parent_id WHERE p.id IS NULL)")
                              .arg(parent, child);
    int reads = 0;
    QStringList broken;
    auto look = [&] {
        try {
            const QList<QVariantList> found = target.query(check);
            ++reads;
            if (found.first().at(0).toInt() != 0 || found.first().at(1).toInt() != 0)
                broken.append(QStringLiteral("read %1: %2 parents whose total is not their children's sum, %3 children without a parent")
                                  .arg(reads)
                                  .arg(found.first().at(0).toInt())
                                  .arg(found.first().at(1).toInt()));
        } catch (const FerryError &error) {
            broken.append(error.message());
        }
    };
    while (!done) {
        look();
        QTest::qWait(2);
    }
    writer.join();
    QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
    difference = waitIdentical(source, target, {parent, child});
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(std::max<qsizetype>(0, m_a->logSize() - 3000))));
    look();
    QVERIFY2(broken.isEmpty(), qPrintable(QStringLiteral("%1 of %2 reads broken; the first: %3").arg(broken.size()).arg(reads).arg(broken.mid(0, 5).join(QLatin1String("; ")))));
    QVERIFY2(reads > 50 && transactions == 400, qPrintable(QStringLiteral("%1 reads, %2 transactions").arg(reads).arg(transactions)));
    const QCborMap stats = linkShow(id).value(QStringLiteral("stats")).toMap();
    QVERIFY2(stats.value(QStringLiteral("state")).toString() == QLatin1String("streaming"), qPrintable(QString::fromUtf8(QJsonDocument(stats.toJsonObject()).toJson())));

    // One transaction larger than a message (about 12 MB over both tables): it reaches the
    // target in parts the target keeps, and appears there at once, whole.
    const QString bulk = QStringLiteral("SELECT count(*) FROM %1 WHERE id >= 100000").arg(parent);
    FERRY_NO_THROW(source.exec(QStringLiteral("BEGIN")));
    for (int p = 100000; p < 102500; p += 100) {
        QStringList parents;
        QStringList children;
        for (int q = p; q < p + 100; ++q) {
            parents.append(QStringLiteral("(%1, '%2', 7)").arg(q).arg(QString(4000, QLatin1Char('a' + q % 26))));
            children.append(QStringLiteral("(%1, %2, 7)").arg(q * 10).arg(q));
        }
        FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(parent, parents.join(QLatin1String(", ")))));
        FERRY_NO_THROW(source.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(child, children.join(QLatin1String(", ")))));
    }
    FERRY_NO_THROW(source.exec(QStringLiteral("COMMIT")));
    QStringList seen;
    (void)QTest::qWaitFor([&] {
        try {
            const int count = target.query(bulk).first().first().toInt();
            if (seen.isEmpty() || seen.last() != QString::number(count))
                seen.append(QString::number(count));
            return count == 2500;
        } catch (const FerryError &error) {
            seen.append(error.message());
            return false;
        }
    }, SettleMs);
    QVERIFY2(seen.size() <= 2 && seen.last() == QLatin1String("2500") && (seen.size() == 1 || seen.first() == QLatin1String("0")),
             qPrintable(QStringLiteral("counts seen on the target: ") + seen.join(QLatin1String(", "))));
    look();
    QVERIFY2(broken.isEmpty(), qPrintable(broken.join(QLatin1String("; "))));
    difference = waitIdentical(source, target, {parent, child});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TstDatabaseLinks::badInput()
{
    const QString links = m_a->dataDirectory() + QStringLiteral("/links.json");
    const QByteArray before = fileHash(links);
    const QString source = m_a->url(QStringLiteral("lite"));
    const QString target = m_b->url(QStringLiteral("lite"));
    const QList<std::pair<QStringList, QString>> cases = {
        {{source, target, QStringLiteral("--tables"), QStringLiteral("bad name!")}, QStringLiteral("bad name!")},
        {{source, target, QStringLiteral("--bidirectional")}, QStringLiteral("one way")},
        {{source, target, QStringLiteral("--filter"), QStringLiteral("id > 1")}, QStringLiteral("filter")},
        {{source + QStringLiteral("?table=x"), target}, QStringLiteral("?table=")},
        {{source, m_b->url(QStringLiteral("nosuchdb"))}, QStringLiteral("nosuchdb")},
        {{source, target, QStringLiteral("--on-drop"), QStringLiteral("sometimes")}, QStringLiteral("sometimes")},
    };
    for (const auto &[arguments, named] : cases) {
        const Run run = ctl(QStringList{QStringLiteral("link"), QStringLiteral("create")} + arguments + QStringList{QStringLiteral("--id"), QStringLiteral("bad")});
        QVERIFY2(run.exitCode == 2, qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.describe()));
        QVERIFY2(run.err.contains(named), qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.describe()));
    }
    QCOMPARE(fileHash(links), before);
    QVERIFY(linkShow(QStringLiteral("bad")).isEmpty());
}

void TstDatabaseLinks::postgresConnectionBudget()
{
    FERRY_REQUIRE_POSTGRES();
    const QList<QVariantList> limit = m_pg->query(QStringLiteral("SELECT current_setting('max_connections')::int"));
    const int tables = limit.first().first().toInt();   // more than the server could ever give
    const QString prefix = QStringLiteral("c%1_").arg(++m_round);
    QStringList names;
    for (int i = 0; i < tables; ++i)
        names.append(m_pg->name(prefix + QString::number(i)));
    FERRY_NO_THROW(createTables(*m_pg, names, 0));
    const QString links = m_a->dataDirectory() + QStringLiteral("/links.json");
    const QByteArray before = fileHash(links);
    const Run run = ctl({QStringLiteral("link"), QStringLiteral("create"), m_a->url(QStringLiteral("pg")), m_b->url(QStringLiteral("lite")), QStringLiteral("--id"),
                         QStringLiteral("budget"), QStringLiteral("--tables"), m_pg->name(prefix) + QLatin1Char('*')});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("max_connections")), qPrintable(run.describe()));
    QCOMPARE(fileHash(links), before);
    QVERIFY(linkShow(QStringLiteral("budget")).isEmpty());
    QVERIFY(targetTables(*m_bLite).filter(m_pg->name(prefix)).isEmpty());
}

void TstDatabaseLinks::oneTableLinksFromBefore()
{
    const QString table = QStringLiteral("u%1_orders").arg(++m_round);
    FERRY_NO_THROW(createTables(*m_aLite, {table}, 30));
    // dc-a stops; its links.json is replaced by one in the format of the release before.
    m_client.reset();
    QCOMPARE(m_a->terminate(), 0);
    const QByteArray old = QStringLiteral(R"({"links": [{"link": {"id": "legacy", "source_db": "lite", "source_table": "%1",
        "target_host": "127.0.0.1", "target_port": %2, "target_db": "lite", "target_table": "%1", "mode": "continuous",
        "interval_minutes": 60, "block_rows": 1000, "block_ms": 0, "digest": "md5", "compression": false, "bandwidth_mbps": 0,
        "filter": "", "direction": "one-way", "conflicts": "source-wins", "timestamp_column": "", "paused": false,
        "auto_failover": false, "failover_timeout_ms": 5000, "epoch": 0, "source_node": "dc-a", "target_node": "dc-b"},
        "checkpoint": {"synced": false, "start_seq": 0, "acked_seq": 0, "last_verify_at_ms": 0, "verify_pending": false,
        "resync_reason": "", "mark": "", "next_mark": ""}}]})")
                                .arg(table)
                                .arg(m_b->port())
                                .toUtf8();
    {
        QFile file(m_a->dataDirectory() + QStringLiteral("/links.json"));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(old);
    }
    QVERIFY(m_a->start().isEmpty());
    QString difference = waitIdentical(*m_aLite, *m_bLite, {table});
    QVERIFY2(difference.isEmpty(), qPrintable(difference + QStringLiteral("\n") + m_a->logSince(0).right(2000)));
    FERRY_NO_THROW(m_aLite->exec(QStringLiteral("UPDATE %1 SET n = 4242 WHERE id = 3").arg(table)));
    difference = waitIdentical(*m_aLite, *m_bLite, {table});
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    const QCborMap shown = linkShow(QStringLiteral("legacy"));
    QCOMPARE(shown.value(QStringLiteral("link")).toMap().value(QStringLiteral("source_table")).toString(), table);
    QVERIFY(!shown.contains(QStringLiteral("tables")));
}

QTEST_GUILESS_MAIN(TstDatabaseLinks)
#include "tst_databaselinks.moc"
