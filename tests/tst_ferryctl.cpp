// tst_ferryctl: runs the real ferryctl binary (FERRYCTL_PATH) through QProcess.
//
// Every input an operator can get wrong must end with exit code 2, a message on stderr that
// names the table, column, database or URL concerned, and nothing written on either side:
// the SQLite files of a test are checksummed before and after (and no file may appear),
// PostgreSQL tables are dumped with each row's xmin, so even a rewrite of equal rows shows.
// Good paths: identical tables exit 0, different ones 1 (target untouched) and, with
// --repair, 0 with the target equal to the source afterwards.
//
// PostgreSQL cases use the real server in FERRY_TEST_PG_URL (postgresql://USER@HOST:PORT/DB);
// without it they are skipped, or fail when FERRY_REQUIRE_PG=1. Table names carry the
// process id, so parallel runs do not meet.

#include "storage/datasource.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    qint64 ms = 0;
};

// The rows every test table starts with; the same values on SQLite and PostgreSQL.
QVariantList rowValues(int id)
{
    QByteArray blob;
    blob.append(char((id >> 8) & 0xff));
    blob.append(char(id & 0xff));
    return {qlonglong(id), QStringLiteral("name %1").arg(id), id * 0.5, blob};
}

QString valueText(const QVariant &value)
{
    if (value.isNull())
        return QStringLiteral("NULL");
    if (value.typeId() == QMetaType::QByteArray)
        return QString::fromLatin1(value.toByteArray().toHex());
    if (value.typeId() == QMetaType::Double)
        return QString::number(value.toDouble(), 'g', 17);
    return value.toString();
}

void execOrFail(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        QFAIL(qPrintable(QStringLiteral("%1: %2").arg(sql, query.lastError().text())));
}

} // namespace

class TstFerryctl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void usageErrors();
    void badSqliteInput_data();
    void badSqliteInput();
    void missingSqliteFileIsNotCreated();
    void lockedTarget();
    void sqliteIdentical();
    void sqliteDifferentThenRepair();
    void messagesFollowTheLocale();

    void badPostgresInput_data();
    void badPostgresInput();
    void postgresIdentical();
    void postgresDifferentThenRepair();
    void sqliteToPostgresRepair();

private:
    Run ferryctl(const QStringList &arguments, const QProcessEnvironment &environment = {});
    void expectError(const QStringList &arguments, const QStringList &needles);

    // SQLite fixture: src.db and dst.db in a fresh directory per test.
    QString path(const QString &file) const { return m_dir->filePath(file); }
    QString sqlite(const QString &file, const QString &table) const { return QStringLiteral("sqlite:%1?table=%2").arg(path(file), table); }
    void createSqliteFixture();
    QMap<QString, QByteArray> fileSnapshot() const;
    QStringList sqliteRows(const QString &file, const QString &table);

    // PostgreSQL: tables named m_pgPrefix + suffix in the database of FERRY_TEST_PG_URL.
    bool requirePostgres();
    QString pgTable(const QString &suffix) const { return m_pgPrefix + suffix; }
    QString pg(const QString &suffix) const { return m_pgBase + QStringLiteral("?table=") + pgTable(suffix); }
    void createPostgresFixture();
    QStringList pgDump();   // every fixture table, with xmin: any write shows
    QStringList pgRows(const QString &suffix);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_pgBase;       // FERRY_TEST_PG_URL without a query
    QString m_pgPrefix;
    QString m_pgSkipReason;
    QStringList m_pgSuffixes{QStringLiteral("src"), QStringLiteral("dst"), QStringLiteral("same"), QStringLiteral("nopk"),
                             QStringLiteral("badtype"), QStringLiteral("extra"), QStringLiteral("othertype"), QStringLiteral("otherpk")};
    int m_closedPort = 0;
};

// ---------------------------------------------------------------------------------------
// Helpers

Run TstFerryctl::ferryctl(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QProcess process;
    QProcessEnvironment env = environment;
    if (env.isEmpty()) {
        // English messages whatever the developer's locale: tests match on them.
        env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("LANGUAGE"));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    }
    process.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    process.start(QStringLiteral(FERRYCTL_PATH), arguments);
    Run run;
    if (!process.waitForStarted(10000)) {
        run.err = QStringLiteral("ferryctl did not start: ") + process.errorString();
        return run;
    }
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("ferryctl did not finish within 30 s");
        return run;
    }
    run.ms = clock.elapsed();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TstFerryctl::expectError(const QStringList &arguments, const QStringList &needles)
{
    const Run run = ferryctl(arguments);
    const QString context = QStringLiteral("ferryctl %1\nexit %2\nstderr: %3\nstdout: %4")
                                .arg(arguments.join(QLatin1Char(' '))).arg(run.exitCode).arg(run.err, run.out);
    QVERIFY2(run.exitCode == 2, qPrintable(context));
    QVERIFY2(run.err.contains(QLatin1String("ferryctl: error: ")), qPrintable(context));
    for (const QString &needle : needles)
        QVERIFY2(run.err.contains(needle), qPrintable(QStringLiteral("stderr does not mention \"%1\"\n%2").arg(needle, context)));
    if (arguments.contains(QLatin1String("--json"))) {
        const QJsonObject object = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QVERIFY2(object.value(QLatin1String("error")).isString(), qPrintable(context));
        for (const QString &needle : needles)
            QVERIFY2(object.value(QLatin1String("error")).toString().contains(needle), qPrintable(context));
    }
}

void TstFerryctl::createSqliteFixture()
{
    const QString connection = QStringLiteral("fixture");
    for (const QString &file : {QStringLiteral("src.db"), QStringLiteral("dst.db")}) {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(path(file));
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            const bool target = file == QLatin1String("dst.db");
            const QString columns = QStringLiteral("id INTEGER PRIMARY KEY, name TEXT, v REAL, b BLOB");
            QStringList tables{QStringLiteral("t")};
            execOrFail(db, QStringLiteral("CREATE TABLE t (%1)").arg(columns));
            execOrFail(db, QStringLiteral("CREATE TABLE nopk (id INTEGER, name TEXT, v REAL, b BLOB)"));
            execOrFail(db, QStringLiteral("CREATE TABLE badtype (%1, j JSON)").arg(columns));
            execOrFail(db, QStringLiteral("CREATE VIEW vw AS SELECT * FROM t"));
            if (target) {
                tables.append(QStringLiteral("same"));
                execOrFail(db, QStringLiteral("CREATE TABLE same (%1)").arg(columns));
                execOrFail(db, QStringLiteral("CREATE TABLE extra (%1, w INTEGER)").arg(columns));
                execOrFail(db, QStringLiteral("CREATE TABLE fewer (id INTEGER PRIMARY KEY, name TEXT, v REAL)"));
                execOrFail(db, QStringLiteral("CREATE TABLE othertype (id INTEGER PRIMARY KEY, name INTEGER, v REAL, b BLOB)"));
                execOrFail(db, QStringLiteral("CREATE TABLE otherpk (id INTEGER, name TEXT, v REAL, b BLOB, PRIMARY KEY (id, name))"));
            }
            QVERIFY(db.transaction());
            for (const QString &table : tables) {
                QSqlQuery insert(db);
                QVERIFY(insert.prepare(QStringLiteral("INSERT INTO %1 (id, name, v, b) VALUES (?, ?, ?, ?)").arg(table)));
                for (int id = 1; id <= 300; ++id) {
                    const QVariantList values = rowValues(id);
                    for (int i = 0; i < values.size(); ++i)
                        insert.bindValue(i, values.at(i));
                    QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
                }
            }
            if (target) {
                // Differences of every kind: changed, missing, extra, NULL vs value, "" vs NULL.
                execOrFail(db, QStringLiteral("UPDATE t SET name = 'changed' WHERE id = 10"));
                execOrFail(db, QStringLiteral("DELETE FROM t WHERE id IN (20, 21, 22)"));
                execOrFail(db, QStringLiteral("INSERT INTO t (id, name) VALUES (301, 'extra row'), (0, 'before the first')"));
                execOrFail(db, QStringLiteral("UPDATE t SET v = NULL WHERE id = 150"));
                execOrFail(db, QStringLiteral("UPDATE t SET name = '' WHERE id = 299"));
            }
            QVERIFY(db.commit());
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
    }
}

QMap<QString, QByteArray> TstFerryctl::fileSnapshot() const
{
    QMap<QString, QByteArray> files;
    const QDir dir(m_dir->path());
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            files.insert(name, QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
        else
            files.insert(name, QByteArray("unreadable"));
    }
    return files;
}

QStringList TstFerryctl::sqliteRows(const QString &file, const QString &table)
{
    QStringList rows;
    const QString connection = QStringLiteral("rows");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path(file));
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT id, name, v, b FROM %1 ORDER BY id").arg(table))) {
                while (query.next()) {
                    QStringList values;
                    for (int i = 0; i < 4; ++i)
                        values.append(valueText(query.value(i)));
                    rows.append(values.join(QLatin1Char('|')));
                }
            } else {
                rows.append(QStringLiteral("query failed: ") + query.lastError().text());
            }
            db.close();
        } else {
            rows.append(QStringLiteral("open failed: ") + db.lastError().text());
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return rows;
}

// Counts in the JSON summary are numbers with an integral value.
static qint64 jsonCount(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (!value.isDouble() || value.toDouble() != std::floor(value.toDouble()) || value.toDouble() < 0) {
        qWarning("JSON field %s is %s, not a count", key, qPrintable(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        return -1;
    }
    return qint64(value.toDouble());
}

static QJsonObject summaryOf(const Run &run)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not one JSON object on stdout: %s / stderr: %s", qPrintable(run.out), qPrintable(run.err));
    return document.object();
}

// Every field ferryctl --json promises, with its type.
static void checkSummaryTypes(const QJsonObject &o)
{
    for (const char *key : {"source", "target", "digest"})
        QVERIFY2(o.value(QLatin1String(key)).isString(), key);
    for (const char *key : {"repair", "identical_after"})
        QVERIFY2(o.value(QLatin1String(key)).isBool(), key);
    for (const char *key : {"blocks", "blocks_differing", "blocks_repaired", "blocks_failed", "rows_compared", "target_rows",
                            "rows_sent", "bytes_sent"})
        QVERIFY2(jsonCount(o, key) >= 0, key);
    QVERIFY(o.value(QLatin1String("seconds")).isDouble());
    QVERIFY(o.value(QLatin1String("seconds")).toDouble() >= 0);
    QVERIFY(o.value(QLatin1String("failures")).isArray());
}

bool TstFerryctl::requirePostgres()
{
    return m_pgSkipReason.isEmpty();
}

void TstFerryctl::createPostgresFixture()
{
    QSqlDatabase db = QSqlDatabase::database(QStringLiteral("pg"));
    for (const QString &suffix : m_pgSuffixes)
        execOrFail(db, QStringLiteral("DROP TABLE IF EXISTS %1").arg(pgTable(suffix)));
    const QString columns = QStringLiteral("id bigint PRIMARY KEY, name text, v double precision, b bytea");
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (%2)").arg(pgTable(QStringLiteral("src")), columns));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (%2)").arg(pgTable(QStringLiteral("dst")), columns));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (%2)").arg(pgTable(QStringLiteral("same")), columns));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (id bigint, name text, v double precision, b bytea)").arg(pgTable(QStringLiteral("nopk"))));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (%2, j jsonb)").arg(pgTable(QStringLiteral("badtype")), columns));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (%2, w integer)").arg(pgTable(QStringLiteral("extra")), columns));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (id bigint PRIMARY KEY, name integer, v double precision, b bytea)").arg(pgTable(QStringLiteral("othertype"))));
    execOrFail(db, QStringLiteral("CREATE TABLE %1 (id bigint, name text, v double precision, b bytea, PRIMARY KEY (id, name))").arg(pgTable(QStringLiteral("otherpk"))));
    QVERIFY(db.transaction());
    for (const QString &suffix : {QStringLiteral("src"), QStringLiteral("dst"), QStringLiteral("same"), QStringLiteral("nopk")}) {
        QSqlQuery insert(db);
        QVERIFY(insert.prepare(QStringLiteral("INSERT INTO %1 (id, name, v, b) VALUES (?, ?, ?, ?)").arg(pgTable(suffix))));
        for (int id = 1; id <= 300; ++id) {
            const QVariantList values = rowValues(id);
            for (int i = 0; i < values.size(); ++i)
                insert.bindValue(i, values.at(i));
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
    }
    const QString dst = pgTable(QStringLiteral("dst"));
    execOrFail(db, QStringLiteral("UPDATE %1 SET name = 'changed' WHERE id = 10").arg(dst));
    execOrFail(db, QStringLiteral("DELETE FROM %1 WHERE id IN (20, 21, 22)").arg(dst));
    execOrFail(db, QStringLiteral("INSERT INTO %1 (id, name) VALUES (301, 'extra row'), (0, 'before the first')").arg(dst));
    execOrFail(db, QStringLiteral("UPDATE %1 SET v = NULL WHERE id = 150").arg(dst));
    execOrFail(db, QStringLiteral("UPDATE %1 SET name = '' WHERE id = 299").arg(dst));
    QVERIFY(db.commit());
}

QStringList TstFerryctl::pgDump()
{
    QSqlDatabase db = QSqlDatabase::database(QStringLiteral("pg"));
    QStringList dump;
    for (const QString &suffix : m_pgSuffixes) {
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("SELECT x.xmin::text || ' ' || x::text FROM %1 x ORDER BY x.id, 1").arg(pgTable(suffix)))) {
            dump.append(suffix + QStringLiteral(": ") + query.lastError().text());
            continue;
        }
        dump.append(QStringLiteral("-- ") + suffix);
        while (query.next())
            dump.append(query.value(0).toString());
    }
    return dump;
}

QStringList TstFerryctl::pgRows(const QString &suffix)
{
    QSqlDatabase db = QSqlDatabase::database(QStringLiteral("pg"));
    QSqlQuery query(db);
    QStringList rows;
    if (!query.exec(QStringLiteral("SELECT id, name, v, b FROM %1 ORDER BY id").arg(pgTable(suffix))))
        return {query.lastError().text()};
    while (query.next()) {
        QStringList values;
        for (int i = 0; i < 4; ++i)
            values.append(valueText(query.value(i)));
        rows.append(values.join(QLatin1Char('|')));
    }
    return rows;
}

// ---------------------------------------------------------------------------------------
// Set-up

void TstFerryctl::initTestCase()
{
    QVERIFY2(QFileInfo(QStringLiteral(FERRYCTL_PATH)).isExecutable(), FERRYCTL_PATH);
    QVERIFY(QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")));

    {
        // A port nobody listens on: bind a free one, then let it go.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        m_closedPort = server.serverPort();
        server.close();
    }

    m_pgPrefix = QStringLiteral("ferry_ctl_%1_").arg(QCoreApplication::applicationPid());
    const QString url = qEnvironmentVariable("FERRY_TEST_PG_URL");
    const bool required = qEnvironmentVariable("FERRY_REQUIRE_PG") == QLatin1String("1");
    if (url.isEmpty()) {
        m_pgSkipReason = QStringLiteral("FERRY_TEST_PG_URL is not set");
        if (required)
            QFAIL("FERRY_REQUIRE_PG=1 but FERRY_TEST_PG_URL is not set");
        return;
    }
    m_pgBase = url.section(QLatin1Char('?'), 0, 0);
    ferry::DataSource source;
    try {
        source = ferry::DataSource::parse(m_pgBase, false);
    } catch (const std::exception &error) {
        QFAIL(error.what());
    }
    QVERIFY2(source.kind == ferry::DataSource::Kind::Postgres, "FERRY_TEST_PG_URL is not a postgresql:// URL");
    QVERIFY(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("pg"));
    db.setHostName(source.host);
    db.setPort(source.port);
    db.setDatabaseName(source.database);
    db.setUserName(source.user);
    db.setPassword(source.password);
    db.setConnectOptions(QStringLiteral("connect_timeout=5"));
    // The URL was given: a server that cannot be reached is a failure, not a skip.
    QVERIFY2(db.open(), qPrintable(QStringLiteral("%1: %2").arg(m_pgBase, db.lastError().text())));
    execOrFail(db, QStringLiteral("SET client_min_messages = warning"));
}

void TstFerryctl::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    createSqliteFixture();
}

void TstFerryctl::cleanup()
{
    m_dir.reset();
}

void TstFerryctl::cleanupTestCase()
{
    if (!QSqlDatabase::contains(QStringLiteral("pg")))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("pg"));
        if (db.isOpen()) {
            for (const QString &suffix : m_pgSuffixes)
                QSqlQuery(db).exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(pgTable(suffix)));
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pg"));
}

// ---------------------------------------------------------------------------------------
// Errors, SQLite and URLs

void TstFerryctl::usageErrors()
{
    Run run = ferryctl({});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QLatin1String("Usage: ferryctl")));
    run = ferryctl({QStringLiteral("frobnicate")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("\"frobnicate\"")), qPrintable(run.err));
    run = ferryctl({QStringLiteral("compare"), sqlite(QStringLiteral("src.db"), QStringLiteral("t"))});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("SOURCE and TARGET")), qPrintable(run.err));
    run = ferryctl({QStringLiteral("compare"), QStringLiteral("--help")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QLatin1String("--block-rows")));
}

void TstFerryctl::badSqliteInput_data()
{
    // Locations are written with {dir} for the fixture directory and {port} for a closed port.
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("needles");
    const QString src = QStringLiteral("sqlite:{dir}/src.db?table=");
    const QString dst = QStringLiteral("sqlite:{dir}/dst.db?table=");
    auto row = [](const char *name, const QStringList &arguments, const QStringList &needles) {
        QTest::newRow(name) << arguments << needles;
    };

    row("source without primary key", {src + "nopk", dst + "nopk"}, {"\"nopk\"", "primary key", "src.db"});
    row("target without primary key", {src + "t", dst + "nopk"}, {"\"nopk\"", "primary key", "dst.db"});
    row("unknown source table", {src + "nosuch", dst + "t"}, {"\"nosuch\"", "does not exist", "src.db"});
    row("unknown target table", {src + "t", dst + "nosuch"}, {"\"nosuch\"", "does not exist", "dst.db"});
    row("view, not a table", {src + "vw", dst + "t"}, {"\"vw\"", "view"});
    row("unsupported column type", {src + "badtype", dst + "badtype"}, {"column \"j\"", "\"badtype\"", "JSON"});
    row("unsupported type on target", {src + "t", dst + "badtype"}, {"column \"j\"", "\"badtype\"", "dst.db"});
    row("target has an extra column", {src + "t", dst + "extra"}, {"schemas differ", "\"w\"", "\"extra\""});
    row("column of another type", {src + "t", dst + "othertype"}, {"schemas differ", "\"name\"", "\"othertype\""});
    row("other primary key", {src + "t", dst + "otherpk"}, {"schemas differ", "primary key", "(id,name)"});
    row("target lacks a column", {src + "t", dst + "fewer"}, {"schemas differ", "column \"b\"", "\"fewer\""});
    row("PostgreSQL on a closed port", {src + "t", "postgresql://ferry@127.0.0.1:{port}/ferry?table=t"},
        {"postgresql://ferry@127.0.0.1:{port}/ferry", "cannot connect"});
    row("no table in URL", {"sqlite:{dir}/src.db", dst + "t"}, {"sqlite:{dir}/src.db", "?table=NAME"});
    row("empty table in URL", {src, dst + "t"}, {"sqlite:{dir}/src.db?table=", "?table=NAME"});
    row("unknown URL parameter", {src + "t&mode=ro", dst + "t"}, {"\"mode\""});
    row("no SQLite path", {"sqlite:?table=t", dst + "t"}, {"sqlite:?table=t"});
    row("unknown scheme", {"mysql://u@h/db?table=t", dst + "t"}, {"mysql://u@h/db?table=t", "unknown kind of location"});
    row("no scheme", {"{dir}/src.db", dst + "t"}, {"{dir}/src.db"});
    row("garbage port", {src + "t", "postgresql://u@127.0.0.1:abc/db?table=t"}, {"postgresql://u@127.0.0.1:abc/db?table=t", "port"});
    row("port out of range", {src + "t", "postgresql://u@127.0.0.1:99999/db?table=t"}, {"postgresql://u@127.0.0.1:99999/db?table=t", "port"});
    row("no PostgreSQL database", {src + "t", "postgresql://u@127.0.0.1:5432/?table=t"}, {"postgresql://u@127.0.0.1:5432/?table=t", "database"});
    row("no PostgreSQL host", {src + "t", "postgresql:///db?table=t"}, {"postgresql:///db?table=t", "host"});
    row("same table", {src + "t", src + "t"}, {"same table", "src.db"});
    row("same table, other spelling", {src + "t", "sqlite:{dir}/./src.db?table=T"}, {"same table"});
    row("same table, sqlite://", {src + "t", "sqlite://{dir}/src.db?table=t"}, {"same table"});
    row("block rows 0", {src + "t", dst + "t", "--block-rows", "0"}, {"--block-rows", "\"0\""});
    row("block rows negative", {src + "t", dst + "t", "--block-rows", "-5"}, {"--block-rows", "\"-5\""});
    row("block rows text", {src + "t", dst + "t", "--block-rows", "many"}, {"--block-rows", "\"many\""});
    row("block rows too large", {src + "t", dst + "t", "--block-rows", "99999999999"}, {"--block-rows", "\"99999999999\""});
    row("block rows without value", {src + "t", dst + "t", "--block-rows"}, {"block-rows"});
    row("block time 0", {src + "t", dst + "t", "--block-time", "0"}, {"--block-time", "\"0\""});
    row("unknown digest", {src + "t", dst + "t", "--digest", "sha1"}, {"\"sha1\"", "md5"});
    row("empty digest", {src + "t", dst + "t", "--digest", ""}, {"digest"});
    row("unknown option", {src + "t", dst + "t", "--fast"}, {"fast"});
    row("three locations", {src + "t", dst + "t", dst + "same"}, {"SOURCE and TARGET"});
}

static QStringList expand(QStringList list, const QString &dir, int port)
{
    for (QString &item : list)
        item.replace(QLatin1String("{dir}"), dir).replace(QLatin1String("{port}"), QString::number(port));
    return list;
}

void TstFerryctl::badSqliteInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, needles);
    arguments = expand(arguments, m_dir->path(), m_closedPort);
    needles = expand(needles, m_dir->path(), m_closedPort);

    const auto before = fileSnapshot();
    QCOMPARE(before.size(), 2);
    expectError(QStringList{QStringLiteral("compare")} + arguments, needles);
    QCOMPARE(fileSnapshot(), before);
    // With --repair the target is opened for writing: still nothing may change.
    expectError(QStringList{QStringLiteral("compare")} + arguments + QStringList{QStringLiteral("--repair"), QStringLiteral("--json")}, needles);
    QCOMPARE(fileSnapshot(), before);
}

void TstFerryctl::missingSqliteFileIsNotCreated()
{
    const auto before = fileSnapshot();
    const QString missing = path(QStringLiteral("missing.db"));
    const QString inMissingDir = path(QStringLiteral("nodir/missing.db"));
    for (const QStringList &pair : {QStringList{sqlite(QStringLiteral("missing.db"), QStringLiteral("t")), sqlite(QStringLiteral("dst.db"), QStringLiteral("t"))},
                                    QStringList{sqlite(QStringLiteral("src.db"), QStringLiteral("t")), sqlite(QStringLiteral("missing.db"), QStringLiteral("t"))},
                                    QStringList{sqlite(QStringLiteral("src.db"), QStringLiteral("t")), sqlite(QStringLiteral("nodir/missing.db"), QStringLiteral("t"))}}) {
        for (const bool repair : {false, true}) {
            QStringList arguments{QStringLiteral("compare"), pair.at(0), pair.at(1)};
            if (repair)
                arguments.append(QStringLiteral("--repair"));
            expectError(arguments, {QStringLiteral("missing.db"), QStringLiteral("no such file")});
            QVERIFY2(!QFileInfo::exists(missing), "ferryctl created the missing SQLite file");
            QVERIFY2(!QFileInfo::exists(inMissingDir), "ferryctl created the missing SQLite file");
            QVERIFY(!QFileInfo::exists(path(QStringLiteral("nodir"))));
            QCOMPARE(fileSnapshot(), before);
        }
    }
}

void TstFerryctl::lockedTarget()
{
    const auto before = fileSnapshot();
    const QString connection = QStringLiteral("locker");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path(QStringLiteral("dst.db")));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode")) && query.next());
        QCOMPARE(query.value(0).toString().toLower(), QStringLiteral("delete"));   // rollback journal
        query.finish();
        QVERIFY2(query.exec(QStringLiteral("BEGIN EXCLUSIVE")), qPrintable(query.lastError().text()));

        for (const bool repair : {false, true}) {
            QStringList arguments{QStringLiteral("compare"), sqlite(QStringLiteral("src.db"), QStringLiteral("t")),
                                  sqlite(QStringLiteral("dst.db"), QStringLiteral("t"))};
            if (repair)
                arguments.append(QStringLiteral("--repair"));
            QElapsedTimer clock;
            clock.start();
            expectError(arguments, {QStringLiteral("locked"), QStringLiteral("dst.db")});
            QVERIFY2(clock.elapsed() < 8000, qPrintable(QStringLiteral("took %1 ms").arg(clock.elapsed())));
        }
        QVERIFY(query.exec(QStringLiteral("ROLLBACK")));
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    QCOMPARE(fileSnapshot(), before);
}

// ---------------------------------------------------------------------------------------
// Good paths, SQLite

void TstFerryctl::sqliteIdentical()
{
    const auto before = fileSnapshot();
    for (const bool repair : {false, true}) {
        QStringList arguments{QStringLiteral("compare"), sqlite(QStringLiteral("src.db"), QStringLiteral("t")),
                              sqlite(QStringLiteral("dst.db"), QStringLiteral("same")), QStringLiteral("--json"),
                              QStringLiteral("--block-rows"), QStringLiteral("64")};
        if (repair)
            arguments.append(QStringLiteral("--repair"));
        const Run run = ferryctl(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const QJsonObject o = summaryOf(run);
        checkSummaryTypes(o);
        QCOMPARE(o.value(QLatin1String("source")).toString(), sqlite(QStringLiteral("src.db"), QStringLiteral("t")));
        QCOMPARE(o.value(QLatin1String("target")).toString(), sqlite(QStringLiteral("dst.db"), QStringLiteral("same")));
        QCOMPARE(o.value(QLatin1String("digest")).toString(), QStringLiteral("md5"));
        QCOMPARE(o.value(QLatin1String("repair")).toBool(), repair);
        QCOMPARE(jsonCount(o, "blocks"), 5);   // 300 rows / 64
        QCOMPARE(jsonCount(o, "blocks_differing"), 0);
        QCOMPARE(jsonCount(o, "rows_compared"), 300);
        QCOMPARE(jsonCount(o, "target_rows"), 300);
        QCOMPARE(jsonCount(o, "rows_sent"), 0);
        QCOMPARE(jsonCount(o, "bytes_sent"), 0);
        QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
        QVERIFY(o.value(QLatin1String("failures")).toArray().isEmpty());
    }
    const Run text = ferryctl({QStringLiteral("compare"), sqlite(QStringLiteral("src.db"), QStringLiteral("t")),
                               sqlite(QStringLiteral("dst.db"), QStringLiteral("same"))});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(QLatin1String("Result: identical.")), qPrintable(text.out));
    QCOMPARE(fileSnapshot(), before);
}

void TstFerryctl::sqliteDifferentThenRepair()
{
    const QString source = sqlite(QStringLiteral("src.db"), QStringLiteral("t"));
    const QString target = sqlite(QStringLiteral("dst.db"), QStringLiteral("t"));
    const QStringList sourceRows = sqliteRows(QStringLiteral("src.db"), QStringLiteral("t"));
    QCOMPARE(sourceRows.size(), 300);
    QVERIFY(sqliteRows(QStringLiteral("dst.db"), QStringLiteral("t")) != sourceRows);

    // Without --repair: exit 1, nothing written.
    const auto before = fileSnapshot();
    Run run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("16")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.err + run.out));
    QJsonObject o = summaryOf(run);
    checkSummaryTypes(o);
    QVERIFY(jsonCount(o, "blocks_differing") >= 1);
    QVERIFY(jsonCount(o, "blocks_differing") < jsonCount(o, "blocks"));
    QCOMPARE(jsonCount(o, "rows_compared"), 300);
    QCOMPARE(jsonCount(o, "target_rows"), 299);
    QCOMPARE(jsonCount(o, "rows_sent"), 0);
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), false);
    QCOMPARE(fileSnapshot(), before);
    // The differing keys, exactly the planted ones, split into missing, extra and different,
    // with both sides' values.
    QCOMPARE(jsonCount(o, "missing_keys"), 3);
    QCOMPARE(jsonCount(o, "extra_keys"), 2);
    QCOMPARE(jsonCount(o, "different_keys"), 3);
    QCOMPARE(o.value(QLatin1String("differences_complete")).toBool(), true);
    QMap<QString, QStringList> keysByKind;
    QJsonObject changed10;
    qint64 perBlock = 0;
    for (const QJsonValue &block : o.value(QLatin1String("differences")).toArray()) {
        perBlock += block[QLatin1String("missing")].toInteger() + block[QLatin1String("extra")].toInteger() + block[QLatin1String("different")].toInteger();
        for (const QJsonValue &key : block[QLatin1String("keys")].toArray()) {
            const qint64 id = key[QLatin1String("key")].toArray().at(0).toInteger();
            keysByKind[key[QLatin1String("kind")].toString()].append(QString::number(id));
            if (id == 10)
                changed10 = key.toObject();
        }
    }
    QCOMPARE(perBlock, 8);
    QCOMPARE(keysByKind.value(QStringLiteral("missing")), QStringList({QStringLiteral("20"), QStringLiteral("21"), QStringLiteral("22")}));
    QCOMPARE(keysByKind.value(QStringLiteral("extra")), QStringList({QStringLiteral("0"), QStringLiteral("301")}));
    QCOMPARE(keysByKind.value(QStringLiteral("different")), QStringList({QStringLiteral("10"), QStringLiteral("150"), QStringLiteral("299")}));
    QCOMPARE(changed10.value(QLatin1String("source")).toArray().at(1).toString(), rowValues(10).at(1).toString());
    QCOMPARE(changed10.value(QLatin1String("target")).toArray().at(1).toString(), QStringLiteral("changed"));
    // Capped listing, full counts.
    run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("16"),
                    QStringLiteral("--keys"), QStringLiteral("2")});
    o = summaryOf(run);
    qint64 listed = 0;
    for (const QJsonValue &block : o.value(QLatin1String("differences")).toArray())
        listed += block[QLatin1String("keys")].toArray().size();
    QCOMPARE(listed, 2);
    QCOMPARE(jsonCount(o, "missing_keys") + jsonCount(o, "extra_keys") + jsonCount(o, "different_keys"), 8);
    run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--keys"), QStringLiteral("-1")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("--keys")), qPrintable(run.err));

    run = ferryctl({QStringLiteral("compare"), source, target});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains(QLatin1String("run with --repair")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("3 missing on the target, 2 extra on the target, 3 with other values")), qPrintable(run.out));
    QCOMPARE(fileSnapshot(), before);

    // With --repair: exit 0, and the target holds exactly the source's rows.
    run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--repair"),
                    QStringLiteral("--block-rows"), QStringLiteral("16"), QStringLiteral("--digest"), QStringLiteral("sha256")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    o = summaryOf(run);
    checkSummaryTypes(o);
    QCOMPARE(o.value(QLatin1String("digest")).toString(), QStringLiteral("sha256"));
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
    QVERIFY(jsonCount(o, "blocks_differing") >= 1);
    QCOMPARE(jsonCount(o, "blocks_repaired"), jsonCount(o, "blocks_differing"));
    QCOMPARE(jsonCount(o, "blocks_failed"), 0);
    QVERIFY(jsonCount(o, "rows_sent") >= 5);          // at least the changed and missing rows
    QVERIFY(jsonCount(o, "rows_sent") < 300);         // but not the whole table
    QVERIFY(jsonCount(o, "bytes_sent") > 0);
    QCOMPARE(sqliteRows(QStringLiteral("dst.db"), QStringLiteral("t")), sourceRows);
    QCOMPARE(sqliteRows(QStringLiteral("src.db"), QStringLiteral("t")), sourceRows);

    // A second compare finds nothing to do.
    for (const QString &blockRows : {QStringLiteral("16"), QStringLiteral("1000")}) {
        run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--block-rows"), blockRows});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        o = summaryOf(run);
        QCOMPARE(jsonCount(o, "blocks_differing"), 0);
        QCOMPARE(jsonCount(o, "target_rows"), 300);
        QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
    }
    // And the adaptive mode agrees.
    run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--block-time"), QStringLiteral("5")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
}

void TstFerryctl::messagesFollowTheLocale()
{
    // The zh_CN translation is embedded in ferryctl (:/i18n) and chosen by the locale.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("zh_CN"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("zh_CN.UTF-8"));
    env.remove(QStringLiteral("LC_ALL"));
    env.remove(QStringLiteral("LC_MESSAGES"));
    const Run run = ferryctl({QStringLiteral("compare"), QStringLiteral("mysql://h/db?table=t"), sqlite(QStringLiteral("dst.db"), QStringLiteral("t"))}, env);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("ferryctl：错误：mysql://h/db?table=t：")), qPrintable(run.err));
    const Run english = ferryctl({QStringLiteral("compare"), QStringLiteral("mysql://h/db?table=t"), sqlite(QStringLiteral("dst.db"), QStringLiteral("t"))});
    QCOMPARE(english.exitCode, 2);
    QVERIFY2(english.err.startsWith(QLatin1String("ferryctl: error: mysql://h/db?table=t: unknown kind of location")), qPrintable(english.err));
}

// ---------------------------------------------------------------------------------------
// PostgreSQL, on a real server

void TstFerryctl::badPostgresInput_data()
{
    // {pg:SUFFIX} is the URL of fixture table SUFFIX, {table:SUFFIX} its name, {base} the
    // server URL without a table; {dir} as above.
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("needles");
    auto row = [](const char *name, const QStringList &arguments, const QStringList &needles) {
        QTest::newRow(name) << arguments << needles;
    };
    row("source without primary key", {"{pg:nopk}", "{pg:dst}"}, {"\"{table:nopk}\"", "primary key", "{base}"});
    row("target without primary key", {"{pg:src}", "{pg:nopk}"}, {"\"{table:nopk}\"", "primary key"});
    row("unknown source table", {"{pg:nosuch}", "{pg:dst}"}, {"\"{table:nosuch}\"", "does not exist"});
    row("unknown target table", {"{pg:src}", "{pg:nosuch}"}, {"\"{table:nosuch}\"", "does not exist"});
    row("unsupported column type", {"{pg:badtype}", "{pg:dst}"}, {"column \"j\"", "\"{table:badtype}\"", "jsonb"});
    row("unsupported type on target", {"{pg:src}", "{pg:badtype}"}, {"column \"j\"", "\"{table:badtype}\""});
    row("target has an extra column", {"{pg:src}", "{pg:extra}"}, {"schemas differ", "\"w\"", "\"{table:extra}\""});
    row("column of another type", {"{pg:src}", "{pg:othertype}"}, {"schemas differ", "\"name\"", "\"{table:othertype}\""});
    row("other primary key", {"{pg:src}", "{pg:otherpk}"}, {"schemas differ", "primary key", "(id,name)"});
    row("SQLite to PostgreSQL, extra column", {"sqlite:{dir}/src.db?table=t", "{pg:extra}"}, {"\"w\"", "\"{table:extra}\""});
    row("PostgreSQL to SQLite, other type", {"{pg:src}", "sqlite:{dir}/dst.db?table=othertype"}, {"\"name\"", "\"othertype\""});
    row("same table", {"{pg:src}", "{pg:src}"}, {"same table", "{table:src}"});
    row("same table, postgres://", {"{pg:src}", "{pgalias:src}"}, {"same table", "{table:src}"});
    row("no table", {"{base}", "{pg:dst}"}, {"{base}", "?table=NAME"});
    row("unknown database", {"{pg:src}", "{nodb}"}, {"ferry_no_such_db", "cannot connect"});
}

void TstFerryctl::badPostgresInput()
{
    if (!requirePostgres())
        QSKIP(qPrintable(m_pgSkipReason));
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, needles);
    createPostgresFixture();
    if (QTest::currentTestFailed())
        return;

    const QUrl base(m_pgBase);
    QUrl noDatabase = base;
    noDatabase.setPath(QStringLiteral("/ferry_no_such_db_%1").arg(QCoreApplication::applicationPid()));
    auto fill = [&](QStringList list) {
        for (QString &item : list) {
            for (const QString &suffix : m_pgSuffixes + QStringList{QStringLiteral("nosuch")}) {
                item.replace(QStringLiteral("{pg:%1}").arg(suffix), pg(suffix));
                item.replace(QStringLiteral("{pgalias:%1}").arg(suffix), QString(pg(suffix)).replace(QLatin1String("postgresql://"), QLatin1String("postgres://")));
                item.replace(QStringLiteral("{table:%1}").arg(suffix), pgTable(suffix));
            }
            item.replace(QLatin1String("{nodb}"), noDatabase.toString() + QStringLiteral("?table=t"));
            item.replace(QLatin1String("{base}"), m_pgBase);
            item.replace(QLatin1String("{dir}"), m_dir->path());
        }
        return list;
    };
    arguments = fill(arguments);
    needles = fill(needles);

    const QStringList pgBefore = pgDump();
    const auto filesBefore = fileSnapshot();
    expectError(QStringList{QStringLiteral("compare")} + arguments, needles);
    QCOMPARE(pgDump(), pgBefore);
    QCOMPARE(fileSnapshot(), filesBefore);
    expectError(QStringList{QStringLiteral("compare")} + arguments + QStringList{QStringLiteral("--repair"), QStringLiteral("--json")}, needles);
    QCOMPARE(pgDump(), pgBefore);
    QCOMPARE(fileSnapshot(), filesBefore);
}

void TstFerryctl::postgresIdentical()
{
    if (!requirePostgres())
        QSKIP(qPrintable(m_pgSkipReason));
    createPostgresFixture();
    if (QTest::currentTestFailed())
        return;
    const QStringList before = pgDump();
    for (const bool repair : {false, true}) {
        QStringList arguments{QStringLiteral("compare"), pg(QStringLiteral("src")), pg(QStringLiteral("same")), QStringLiteral("--json"),
                              QStringLiteral("--block-rows"), QStringLiteral("100")};
        if (repair)
            arguments.append(QStringLiteral("--repair"));
        const Run run = ferryctl(arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const QJsonObject o = summaryOf(run);
        checkSummaryTypes(o);
        QCOMPARE(jsonCount(o, "blocks"), 3);
        QCOMPARE(jsonCount(o, "blocks_differing"), 0);
        QCOMPARE(jsonCount(o, "rows_compared"), 300);
        QCOMPARE(jsonCount(o, "rows_sent"), 0);
        QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
    }
    QCOMPARE(pgDump(), before);

    // The same rows in SQLite compare equal to PostgreSQL's: the encoding is canonical.
    const Run cross = ferryctl({QStringLiteral("compare"), pg(QStringLiteral("src")), sqlite(QStringLiteral("dst.db"), QStringLiteral("same")), QStringLiteral("--json")});
    QVERIFY2(cross.exitCode == 0, qPrintable(cross.err + cross.out));
    QCOMPARE(pgDump(), before);
}

void TstFerryctl::postgresDifferentThenRepair()
{
    if (!requirePostgres())
        QSKIP(qPrintable(m_pgSkipReason));
    createPostgresFixture();
    if (QTest::currentTestFailed())
        return;
    const QString source = pg(QStringLiteral("src"));
    const QString target = pg(QStringLiteral("dst"));
    const QStringList sourceRows = pgRows(QStringLiteral("src"));
    QCOMPARE(sourceRows.size(), 300);
    QVERIFY(pgRows(QStringLiteral("dst")) != sourceRows);

    const QStringList before = pgDump();
    Run run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("16")});
    QVERIFY2(run.exitCode == 1, qPrintable(run.err + run.out));
    QJsonObject o = summaryOf(run);
    checkSummaryTypes(o);
    QVERIFY(jsonCount(o, "blocks_differing") >= 1);
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), false);
    QCOMPARE(jsonCount(o, "rows_sent"), 0);
    QCOMPARE(pgDump(), before);

    run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--repair"), QStringLiteral("--block-rows"), QStringLiteral("16")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    o = summaryOf(run);
    QCOMPARE(o.value(QLatin1String("identical_after")).toBool(), true);
    QCOMPARE(jsonCount(o, "blocks_failed"), 0);
    QVERIFY(jsonCount(o, "rows_sent") >= 5);
    QVERIFY(jsonCount(o, "rows_sent") < 300);
    QVERIFY(jsonCount(o, "bytes_sent") > 0);
    QCOMPARE(pgRows(QStringLiteral("dst")), sourceRows);
    QCOMPARE(pgRows(QStringLiteral("src")), sourceRows);

    run = ferryctl({QStringLiteral("compare"), source, target, QStringLiteral("--json"), QStringLiteral("--block-rows"), QStringLiteral("16")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    o = summaryOf(run);
    QCOMPARE(jsonCount(o, "blocks_differing"), 0);
    QCOMPARE(jsonCount(o, "target_rows"), 300);
}

void TstFerryctl::sqliteToPostgresRepair()
{
    if (!requirePostgres())
        QSKIP(qPrintable(m_pgSkipReason));
    createPostgresFixture();
    if (QTest::currentTestFailed())
        return;
    // SQLite's t (source rows) repairs PostgreSQL's dst; then PostgreSQL's src repairs SQLite's t in dst.db.
    Run run = ferryctl({QStringLiteral("compare"), sqlite(QStringLiteral("src.db"), QStringLiteral("t")), pg(QStringLiteral("dst")), QStringLiteral("--repair"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QCOMPARE(pgRows(QStringLiteral("dst")), sqliteRows(QStringLiteral("src.db"), QStringLiteral("t")));
    QCOMPARE(pgRows(QStringLiteral("dst")), pgRows(QStringLiteral("src")));

    run = ferryctl({QStringLiteral("compare"), pg(QStringLiteral("src")), sqlite(QStringLiteral("dst.db"), QStringLiteral("t")), QStringLiteral("--repair"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QCOMPARE(sqliteRows(QStringLiteral("dst.db"), QStringLiteral("t")), pgRows(QStringLiteral("src")));

    run = ferryctl({QStringLiteral("compare"), pg(QStringLiteral("src")), sqlite(QStringLiteral("dst.db"), QStringLiteral("t")), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QCOMPARE(jsonCount(summaryOf(run), "blocks_differing"), 0);
}

QTEST_GUILESS_MAIN(TstFerryctl)
#include "tst_ferryctl.moc"
