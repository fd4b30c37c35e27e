// Core engine benchmark (issue: core engine). Prints one Markdown table.
//
//   ferry_bench_core [--rows N] [--memory-rows N,N,...] [--pg URL] [--workdir DIR]
//
// On a generated table of --rows rows (~100 canonical bytes a row) it measures, in one run:
//   - raw OpenSSL MD5 over the same canonical bytes (the peer for scan+digest);
//   - scan + encode + digest of the whole table, per backend;
//   - compare of two identical tables, per backend;
//   - repair of 10 scattered changed rows and of 1% changed rows: rows and bytes shipped;
//   - peak memory (VmHWM) of a compare, in a child process per size in --memory-rows.
// PostgreSQL parts run when --pg or FERRY_TEST_PG_URL gives a server.

#include "blocks/blockverifier.h"
#include "rows/canonicalencoder.h"
#include "blocks/localendpoint.h"
#include "blocks/rangedigest.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <cstdio>

using namespace ferry;

namespace {

struct Result
{
    QString what;
    QString backend;
    QString time;
    QString throughput;
    QString shipped;
    QString note;
};

QList<Result> g_results;

void add(const QString &what, const QString &backend, double seconds, qint64 rows, qint64 bytes, const QString &shipped = {}, const QString &note = {})
{
    QString throughput;
    if (seconds > 0 && bytes > 0)
        throughput = QStringLiteral("%1 MB/s, %2 Mrows/s").arg(bytes / seconds / 1e6, 0, 'f', 0).arg(rows / seconds / 1e6, 0, 'f', 2);
    else if (seconds > 0 && rows > 0)
        throughput = QStringLiteral("%1 Mrows/s").arg(rows / seconds / 1e6, 0, 'f', 2);
    g_results.append({what, backend, QStringLiteral("%1 s").arg(seconds, 0, 'f', 3), throughput, shipped, note});
    std::fprintf(stderr, "  %s [%s]: %.3f s %s\n", qPrintable(what), qPrintable(backend), seconds, qPrintable(shipped));
}

void runSql(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        throw FerryError(QStringLiteral("benchmark setup failed: %1: %2").arg(sql.left(80), query.lastError().text()));
}

QSqlDatabase connect(const DataSource &source, const QString &name)
{
    QSqlDatabase db;
    if (source.kind == DataSource::Kind::Sqlite) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(source.path);
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(source.host);
        db.setPort(source.port);
        db.setUserName(source.user);
        db.setPassword(source.password);
        db.setDatabaseName(source.database);
    }
    if (!db.open())
        throw FerryError(QStringLiteral("cannot open %1: %2").arg(source.displayName(), db.lastError().text()));
    return db;
}

// Same shape on both backends: ~100 canonical bytes a row.
void generate(const DataSource &source, qint64 rows)
{
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = connect(source, name);
        const QString table = source.table;
        if (source.kind == DataSource::Kind::Sqlite) {
            runSql(db, QStringLiteral("PRAGMA journal_mode = OFF"));
            runSql(db, QStringLiteral("PRAGMA synchronous = OFF"));
            runSql(db, QStringLiteral("DROP TABLE IF EXISTS %1").arg(table));
            runSql(db, QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, account INTEGER NOT NULL, amount REAL NOT NULL, "
                                      "name TEXT NOT NULL, note TEXT, created TIMESTAMP NOT NULL)").arg(table));
            // Built by concatenation: QString::arg() would read printf's "%02d" as its own %2.
            runSql(db, QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ") + QString::number(rows)
                           + QStringLiteral(") INSERT INTO ") + table
                           + QStringLiteral(" SELECT x, x * 7919 % 100003, (x * 37 % 100000) / 100.0, "
                                            "printf('customer-%08d-%s', x, substr(hex(x * 2654435761), 1, 16)), "
                                            "printf('note %d for order %d', x % 977, x), "
                                            "printf('2024-%02d-%02d %02d:%02d:%02d', 1 + x % 12, 1 + x % 28, x % 24, x % 60, x % 59) FROM c"));
        } else {
            runSql(db, QStringLiteral("DROP TABLE IF EXISTS %1").arg(table));
            runSql(db, QStringLiteral("CREATE TABLE %1 (id bigint PRIMARY KEY, account bigint NOT NULL, amount double precision NOT NULL, "
                                      "name text NOT NULL, note text, created timestamp NOT NULL)").arg(table));
            runSql(db, QStringLiteral("INSERT INTO ") + table
                           + QStringLiteral(" SELECT x, x * 7919 % 100003, (x * 37 % 100000) / 100.0, "
                                            "format('customer-%s-%s', lpad(x::text, 8, '0'), upper(substr(md5(x::text), 1, 16))), "
                                            "format('note %s for order %s', x % 977, x), "
                                            "timestamp '2024-01-01' + make_interval(secs => x) FROM generate_series(1::bigint, ")
                           + QString::number(rows) + QStringLiteral(") x"));
            runSql(db, QStringLiteral("ANALYZE %1").arg(table));
        }
    }
    QSqlDatabase::removeDatabase(name);
}

void copyTable(const DataSource &from, const DataSource &to)
{
    if (from.kind == DataSource::Kind::Sqlite) {
        QFile::remove(to.path);
        if (!QFile::copy(from.path, to.path))
            throw FerryError(QStringLiteral("cannot copy %1").arg(from.path));
        return;
    }
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = connect(from, name);
        runSql(db, QStringLiteral("DROP TABLE IF EXISTS %1").arg(to.table));
        runSql(db, QStringLiteral("CREATE TABLE %1 (LIKE %2 INCLUDING ALL)").arg(to.table, from.table));
        runSql(db, QStringLiteral("INSERT INTO %1 SELECT * FROM %2").arg(to.table, from.table));
        runSql(db, QStringLiteral("ANALYZE %1").arg(to.table));
    }
    QSqlDatabase::removeDatabase(name);
}

void changeRows(const DataSource &target, const QString &where)
{
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = connect(target, name);
        runSql(db, QStringLiteral("UPDATE %1 SET note = 'changed behind Ferry''s back' WHERE %2").arg(target.table, where));
    }
    QSqlDatabase::removeDatabase(name);
}

VerificationSummary compare(const DataSource &source, const DataSource &target, bool repair)
{
    auto store = Store::open(source, Store::Options{true, 2000});
    const TableSchema schema = store->describe(source.table);
    LocalEndpoint endpoint(target, Store::Options{!repair, 2000});
    const TableSchema targetSchema = endpoint.describe(target.table).result();
    VerifierOptions options;
    options.repair = repair;
    BlockVerifier verifier(*store, schema, endpoint, targetSchema, options);
    return verifier.run();
}

qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

void benchBackend(const QString &label, const DataSource &source, const DataSource &target, qint64 rows)
{
    QElapsedTimer timer;
    std::fprintf(stderr, "%s: generating %lld rows\n", qPrintable(label), rows);
    generate(source, rows);

    auto store = Store::open(source, Store::Options{true, 2000});
    const TableSchema schema = store->describe(source.table);

    // Peer: raw MD5 over exactly the canonical bytes the scan digests.
    QByteArray all;
    all.reserve(rows * 110);
    store->scan(schema, KeyRange{}, [&](const Row &row) {
        CanonicalEncoder::appendRow(all, schema, row);
        return true;
    });
    // Each throughput figure is the median of five runs.
    auto median = [](QList<double> runs) {
        std::sort(runs.begin(), runs.end());
        return runs.at(runs.size() / 2);
    };
    if (label == QLatin1String("SQLite")) {
        QList<double> runs;
        for (int run = 0; run < 5; ++run) {
            Digest md5(DigestAlgorithm::Md5);
            timer.start();
            md5.update(all);
            md5.finish();
            runs.append(timer.nsecsElapsed() / 1e9);
        }
        add(QStringLiteral("raw OpenSSL MD5 over the canonical bytes (peer)"), QStringLiteral("memory"), median(runs), rows, all.size(),
            {}, QStringLiteral("%1 bytes, %2 bytes/row; median of 5").arg(all.size()).arg(double(all.size()) / rows, 0, 'f', 1));
    }
    const qint64 bytes = all.size();
    all = QByteArray();

    QList<double> runs;
    qint64 digested = 0;
    for (int run = 0; run < 5; ++run) {
        timer.start();
        digested = digestRanges(*store, schema, {KeyRange{}}, DigestAlgorithm::Md5).first().rows;
        runs.append(timer.nsecsElapsed() / 1e9);
    }
    add(QStringLiteral("scan + encode + MD5, whole table"), label, median(runs), digested, bytes, {}, QStringLiteral("median of 5"));
    store.reset();

    copyTable(source, target);
    timer.start();
    VerificationSummary summary = compare(source, target, false);
    add(QStringLiteral("compare identical tables"), label, timer.nsecsElapsed() / 1e9, summary.rowsCompared, bytes,
        QStringLiteral("0 rows"), QStringLiteral("%1 blocks, identical=%2").arg(summary.blocks).arg(summary.identicalAfter ? "yes" : "NO"));

    changeRows(target, QStringLiteral("id IN (%1)").arg([&] {
        QStringList ids;
        for (int i = 0; i < 10; ++i)
            ids.append(QString::number(1 + (rows / 10) * i + (i * 7919) % qMax<qint64>(1, rows / 10)));
        return ids.join(QLatin1Char(','));
    }()));
    timer.start();
    summary = compare(source, target, true);
    add(QStringLiteral("repair 10 scattered changed rows"), label, timer.nsecsElapsed() / 1e9, summary.rowsCompared, bytes,
        QStringLiteral("%1 rows, %2 bytes").arg(summary.rowsSent).arg(summary.bytesSent),
        QStringLiteral("%1 blocks differed, identical after=%2").arg(summary.blocksDiffering).arg(summary.identicalAfter ? "yes" : "NO"));

    changeRows(target, QStringLiteral("id % 100 = 7"));
    timer.start();
    summary = compare(source, target, true);
    add(QStringLiteral("repair 1% changed rows"), label, timer.nsecsElapsed() / 1e9, summary.rowsCompared, bytes,
        QStringLiteral("%1 rows, %2 bytes").arg(summary.rowsSent).arg(summary.bytesSent),
        QStringLiteral("%1 blocks differed, identical after=%2").arg(summary.blocksDiffering).arg(summary.identicalAfter ? "yes" : "NO"));
}

int memoryChild(qint64 rows, const QString &dir)
{
    const DataSource source = DataSource::parse(QStringLiteral("sqlite:%1/mem-source.db?table=bench").arg(dir));
    const DataSource target = DataSource::parse(QStringLiteral("sqlite:%1/mem-target.db?table=bench").arg(dir));
    generate(source, rows);
    copyTable(source, target);
    changeRows(target, QStringLiteral("id % 100 = 7"));
    const qint64 before = peakRssKiB();
    QElapsedTimer timer;
    timer.start();
    const VerificationSummary summary = compare(source, target, true);
    std::printf("%lld %lld %lld %.3f %d\n", rows, before, peakRssKiB(), timer.nsecsElapsed() / 1e9, summary.identicalAfter ? 1 : 0);
    QFile::remove(source.path);
    QFile::remove(target.path);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("Rows in the generated table."), QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption memoryOption(QStringLiteral("memory-rows"), QStringLiteral("Table sizes for the memory probe."), QStringLiteral("N,N"), QStringLiteral("1000000,4000000"));
    const QCommandLineOption pgOption(QStringLiteral("pg"), QStringLiteral("PostgreSQL URL (default: $FERRY_TEST_PG_URL)."), QStringLiteral("URL"));
    const QCommandLineOption dirOption(QStringLiteral("workdir"), QStringLiteral("Directory for the SQLite files."), QStringLiteral("DIR"));
    const QCommandLineOption childOption(QStringLiteral("memory-child"), QStringLiteral("internal"), QStringLiteral("N"));
    parser.addOptions({rowsOption, memoryOption, pgOption, dirOption, childOption});
    parser.process(app);

    try {
        QTemporaryDir temp(parser.isSet(dirOption) ? parser.value(dirOption) + QStringLiteral("/ferry-bench-XXXXXX") : QDir::tempPath() + QStringLiteral("/ferry-bench-XXXXXX"));
        if (!temp.isValid())
            throw FerryError(QStringLiteral("cannot create a work directory: %1").arg(temp.errorString()));
        if (parser.isSet(childOption))
            return memoryChild(parser.value(childOption).toLongLong(), temp.path());

        const qint64 rows = parser.value(rowsOption).toLongLong();
        benchBackend(QStringLiteral("SQLite"), DataSource::parse(QStringLiteral("sqlite:%1/source.db?table=bench").arg(temp.path())),
                     DataSource::parse(QStringLiteral("sqlite:%1/target.db?table=bench").arg(temp.path())), rows);
        const QString pg = parser.isSet(pgOption) ? parser.value(pgOption) : qEnvironmentVariable("FERRY_TEST_PG_URL");
        if (!pg.isEmpty()) {
            const QString base = pg.section(QLatin1Char('?'), 0, 0);
            const DataSource source = DataSource::parse(base + QStringLiteral("?table=ferry_bench_source"));
            const DataSource target = DataSource::parse(base + QStringLiteral("?table=ferry_bench_target"));
            benchBackend(QStringLiteral("PostgreSQL"), source, target, rows);
            const QString name = QUuid::createUuid().toString();
            {
                QSqlDatabase db = connect(source, name);
                runSql(db, QStringLiteral("DROP TABLE ferry_bench_source, ferry_bench_target"));
            }
            QSqlDatabase::removeDatabase(name);
        }

        QStringList memoryRows = parser.value(memoryOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
        QList<QStringList> memory;
        for (const QString &size : memoryRows) {
            std::fprintf(stderr, "memory probe: %s rows\n", qPrintable(size));
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--memory-child"), size, QStringLiteral("--workdir"), temp.path()});
            child.waitForFinished(-1);
            const QStringList fields = QString::fromUtf8(child.readAllStandardOutput()).trimmed().split(QLatin1Char(' '));
            if (fields.size() == 5)
                memory.append(fields);
            else
                std::fprintf(stderr, "memory probe failed: %s\n", child.readAllStandardError().constData());
        }

        std::printf("| measurement | backend | time | throughput | shipped | note |\n|---|---|---|---|---|---|\n");
        for (const Result &r : g_results)
            std::printf("| %s | %s | %s | %s | %s | %s |\n", qPrintable(r.what), qPrintable(r.backend), qPrintable(r.time), qPrintable(r.throughput),
                        qPrintable(r.shipped), qPrintable(r.note));
        if (!memory.isEmpty()) {
            std::printf("\n| rows (SQLite, repair of 1%% changed rows) | peak RSS before compare | peak RSS after compare | compare time | identical after |\n|---|---|---|---|---|\n");
            for (const QStringList &m : memory)
                std::printf("| %s | %.1f MiB | %.1f MiB | %s s | %s |\n", qPrintable(m[0]), m[1].toDouble() / 1024, m[2].toDouble() / 1024,
                            qPrintable(m[3]), m[4] == QLatin1String("1") ? "yes" : "NO");
        }
        return 0;
    } catch (const FerryError &error) {
        std::fprintf(stderr, "bench: %s\n", qPrintable(error.message()));
        return 2;
    }
}
