// Node benchmark: Ferry between two real ferry-node processes over loopback TLS, against
// the tools an operator would use instead. Prints one Markdown table.
//
//   ferry_bench_node [--rows N] [--pg URL] [--runs R] [--workdir DIR] [--wait-idle PERCENT]
//                    [--only verify,repair,copy,pg]
//
// In one run, in a temporary directory: a deployment CA and certificates (ferryctl certs),
// two ferry-node processes on 127.0.0.1 (a source node and a target node), a generated
// SQLite table of --rows rows (~100 canonical bytes a row, as ferry_bench_core makes it),
// and every measurement next to its peer:
//   1. verify of identical tables (ferryctl compare between the nodes), against one side's
//      local scan + digest of the same table (digestRanges in this process);
//   2. repair of 0.1% scattered changed rows, against rsync of primary-key ordered CSV
//      dumps of both tables through an rsync daemon on 127.0.0.1: the transfer alone, the
//      dump time on its own row, and the two together (what the time target is judged
//      against: an operator who repairs a table with rsync has to dump both tables first);
//   3. a full copy into an empty table, against `sqlite3 src.db .dump T | sqlite3 dst.db`
//      and, with --pg, `pg_dump -t T | psql` into another database of the same server
//      (with Ferry's PostgreSQL -> PostgreSQL and SQLite -> PostgreSQL copies);
//   4. with --pg: the full copy PostgreSQL -> PostgreSQL against pg_dump | psql, and a scan +
//      digest of the PostgreSQL table against psql's COPY (SELECT ... ORDER BY id) TO STDOUT
//      (FORMAT binary) | md5sum (issue 13's benchmark d).
// Every measurement checks its result (Ferry: identical_after and row counts; peers: the
// copied file or table is the same as the source), and a figure whose check failed is
// printed as INVALID, with exit status 1. Times are the median of --runs runs.

#include "benchsupport.h"

#include "blocks/rangedigest.h"
#include "storage/store.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include <sys/resource.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::bench;

namespace {

// ---------------------------------------------------------------------------------------
// Output

struct TableRow
{
    QString what;
    QString ferry;
    QString peer;
    QString ratio;
    QString target;   // "yes", "no", or "-" when the issue sets no target for the row
    QString note;
};

QList<TableRow> g_rows;
bool g_invalid = false;

QString secs(double s)
{
    return QStringLiteral("%1 s").arg(s, 0, 'f', 3);
}

QString byteCount(qint64 n)
{
    return QLocale(QLocale::English).toString(n) + QStringLiteral(" B");
}

QString ratio(double ferry, double peer)
{
    if (peer <= 0)
        return QStringLiteral("-");
    return QStringLiteral("%1x").arg(ferry / peer, 0, 'f', ferry / peer < 0.1 ? 4 : 2);
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

QString spread(const QList<double> &values)
{
    if (values.size() < 2)
        return QStringLiteral("one run");
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return QStringLiteral("median of %1, range %2-%3 s").arg(values.size()).arg(*lo, 0, 'f', 3).arg(*hi, 0, 'f', 3);
}

// A figure that failed its check.
void invalid(const QString &what, const QString &why)
{
    g_invalid = true;
    g_rows.append({what, QStringLiteral("INVALID"), QStringLiteral("INVALID"), QStringLiteral("-"), QStringLiteral("-"), why});
    say(QStringLiteral("  INVALID: %1: %2").arg(what, why));
}

// --wait-idle: before each timed run, wait (at most five minutes) until the machine has been
// at least this idle over a second, so that other work on a shared machine skews less.
double g_waitIdle = 0;
double g_waitedSeconds = 0;

double idleOverOneSecond()
{
    auto sample = [] {
        QFile file(QStringLiteral("/proc/stat"));
        if (!file.open(QIODevice::ReadOnly))
            return std::pair<double, double>(0, 0);
        const QList<QByteArray> fields = file.readLine().simplified().split(' ');
        double total = 0;
        for (qsizetype i = 1; i < fields.size() && i <= 8; ++i)
            total += fields.at(i).toDouble();
        return std::pair<double, double>(fields.value(4).toDouble() + fields.value(5).toDouble(), total);
    };
    const auto [idle0, total0] = sample();
    QThread::msleep(1000);
    const auto [idle1, total1] = sample();
    return total1 > total0 ? (idle1 - idle0) / (total1 - total0) : 1.0;
}

void waitForIdle()
{
    if (g_waitIdle <= 0)
        return;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 300000) {
        if (idleOverOneSecond() >= g_waitIdle)
            break;
    }
    g_waitedSeconds += timer.elapsed() / 1000.0;
}

// CPU time (user + system) next to the wall times: on a shared machine it moves far less
// with other work than wall time does, so it tells how much work each side did.
double tv(const timeval &t) { return t.tv_sec + t.tv_usec / 1e6; }

double selfCpu()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return tv(usage.ru_utime) + tv(usage.ru_stime);
}

// Of the children this process has waited for (ferryctl, rsync, sqlite3).
double childrenCpu()
{
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    return tv(usage.ru_utime) + tv(usage.ru_stime);
}

// Of the running processes whose command line contains needle, with the children they
// have reaped (an rsync daemon's per-connection processes).
double processCpu(const QString &needle)
{
    static const double tick = double(sysconf(_SC_CLK_TCK));
    const QByteArray pattern = needle.toUtf8();
    double total = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        if (!entry.at(0).isDigit())
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!cmdline.open(QIODevice::ReadOnly) || !cmdline.readAll().contains(pattern))
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        // After "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        for (int field : {14, 15, 16, 17})
            total += fields.value(field - 3).toDouble() / tick;
    }
    return total;
}

// The PostgreSQL server's CPU seconds so far: the postmaster with the backends it has
// reaped, and its live children (backends, background processes). 0 when not measured.
qint64 g_postmaster = 0;

double serverCpu()
{
    if (g_postmaster <= 0)
        return 0;
    static const double tick = double(sysconf(_SC_CLK_TCK));
    double total = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        if (!entry.at(0).isDigit())
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        const bool postmaster = entry.toLongLong() == g_postmaster;
        if (!postmaster && fields.value(4 - 3).toLongLong() != g_postmaster)
            continue;
        for (int field : {14, 15, 16, 17})
            total += fields.value(field - 3).toDouble() / tick;
    }
    return total;
}

QString cpuText(double seconds)
{
    return QStringLiteral("%1 s").arg(seconds, 0, 'f', 2);
}

// The two data centers: ferry-node processes on loopback ports they pick themselves. A node
// found stopped (by a signal from outside the benchmark) can be started again.
class NodePair
{
public:
    explicit NodePair(const QString &dir) : m_dir(dir) {}

    void start()
    {
        static const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
        for (int i = 0; i < 2; ++i) {
            if (m_nodes[i] && m_nodes[i]->running())
                continue;
            const QString name = i == 0 ? QStringLiteral("source") : QStringLiteral("target");
            const QString log = QStringLiteral("%1/%2%3.log").arg(m_dir, name, m_starts[i] > 0 ? QStringLiteral(".%1").arg(m_starts[i]) : QString());
            if (m_nodes[i])
                m_lastStop = QStringLiteral("the %1 node stopped: %2").arg(name, m_nodes[i]->logText().trimmed().section(QLatin1Char('\n'), -2).simplified());
            m_nodes[i].reset();
            m_nodes[i] = std::make_unique<Child>(QStringLiteral("the %1 ferry-node").arg(name), QStringLiteral(FERRY_NODE_PATH),
                                                 QStringList{QStringLiteral("--config"), QStringLiteral("%1/%2.json").arg(m_dir, name)}, log);
            m_ports[i] = quint16(m_nodes[i]->waitForLog(listening, 20000).toUInt());
            ++m_starts[i];
        }
    }

    bool running() { return m_nodes[0] && m_nodes[1] && m_nodes[0]->running() && m_nodes[1]->running(); }
    quint16 sourcePort() const { return m_ports[0]; }
    quint16 targetPort() const { return m_ports[1]; }
    int restarts() const { return m_starts[0] + m_starts[1] - 2; }
    QString lastStop() const { return m_lastStop; }
    // CPU seconds each node has used so far.
    double sourceCpu() const { return processCpu(QStringLiteral("%1/source.json").arg(m_dir)); }
    double targetCpu() const { return processCpu(QStringLiteral("%1/target.json").arg(m_dir)); }

private:
    QString m_dir;
    std::unique_ptr<Child> m_nodes[2];
    quint16 m_ports[2] = {0, 0};
    int m_starts[2] = {0, 0};
    QString m_lastStop;
};

// ---------------------------------------------------------------------------------------
// Databases

const QString SqliteColumns = QStringLiteral("(id INTEGER PRIMARY KEY, account INTEGER NOT NULL, amount REAL NOT NULL, "
                                             "name TEXT NOT NULL, note TEXT, created TIMESTAMP NOT NULL)");
const QString PostgresColumns = QStringLiteral("(id bigint PRIMARY KEY, account bigint NOT NULL, amount double precision NOT NULL, "
                                               "name text NOT NULL, note text, created timestamp NOT NULL)");

// The table ferry_bench_core generates, on either backend: ~100 canonical bytes a row.
void generate(const DataSource &source, qint64 rows)
{
    Connection db(source);
    const QString table = source.table;
    if (source.kind == DataSource::Kind::Sqlite) {
        db.exec(QStringLiteral("PRAGMA journal_mode = OFF"));
        db.exec(QStringLiteral("PRAGMA synchronous = OFF"));
        db.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(table));
        db.exec(QStringLiteral("CREATE TABLE %1 %2").arg(table, SqliteColumns));
        // Built by concatenation: QString::arg() would read printf's "%02d" as its own %2.
        db.exec(QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ") + QString::number(rows)
                + QStringLiteral(") INSERT INTO ") + table
                + QStringLiteral(" SELECT x, x * 7919 % 100003, (x * 37 % 100000) / 100.0, "
                                 "printf('customer-%08d-%s', x, substr(hex(x * 2654435761), 1, 16)), "
                                 "printf('note %d for order %d', x % 977, x), "
                                 "printf('2024-%02d-%02d %02d:%02d:%02d', 1 + x % 12, 1 + x % 28, x % 24, x % 60, x % 59) FROM c"));
    } else {
        db.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(table));
        db.exec(QStringLiteral("CREATE TABLE %1 %2").arg(table, PostgresColumns));
        db.exec(QStringLiteral("INSERT INTO ") + table
                + QStringLiteral(" SELECT x, x * 7919 % 100003, (x * 37 % 100000) / 100.0, "
                                 "format('customer-%s-%s', lpad(x::text, 8, '0'), upper(substr(md5(x::text), 1, 16))), "
                                 "format('note %s for order %s', x % 977, x), "
                                 "timestamp '2024-01-01' + make_interval(secs => x) FROM generate_series(1::bigint, ")
                + QString::number(rows) + QStringLiteral(") x"));
        db.exec(QStringLiteral("ANALYZE %1").arg(table));
    }
}

// An empty table of the benchmark's shape, made afresh (a new file for SQLite would not be
// seen by the node that has the old one open, so the table is dropped and the file vacuumed).
void recreateEmpty(const DataSource &source)
{
    Connection db(source);
    db.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(source.table));
    if (source.kind == DataSource::Kind::Sqlite) {
        db.exec(QStringLiteral("VACUUM"));
        db.exec(QStringLiteral("CREATE TABLE %1 %2").arg(source.table, SqliteColumns));
    } else {
        db.exec(QStringLiteral("CREATE TABLE %1 %2").arg(source.table, PostgresColumns));
    }
}

qint64 countRows(const DataSource &source)
{
    Connection db(source);
    return db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(source.table));
}

// ---------------------------------------------------------------------------------------
// Ferry through ferryctl

struct Compare
{
    Finished process;
    QJsonObject json;
    QString problem;   // empty when the run checks out
    double sourceCpu = 0;   // CPU seconds of the source node, the target node and ferryctl
    double targetCpu = 0;
    double ctlCpu = 0;

    double cpu() const { return sourceCpu + targetCpu + ctlCpu; }
    QString cpuSplit() const
    {
        return QStringLiteral("%1: source node %2, target node %3, ferryctl %4").arg(cpuText(cpu()), cpuText(sourceCpu), cpuText(targetCpu), cpuText(ctlCpu));
    }

    double wall() const { return process.seconds; }
    qint64 wireBytes() const { return qint64(json.value(QStringLiteral("bytes_on_wire")).toDouble()); }
    QString summary() const
    {
        return QStringLiteral("%1 blocks, %2 differed, %3 rows sent, identical_after=%4, node's time %5 s")
            .arg(json.value(QStringLiteral("blocks")).toInt())
            .arg(json.value(QStringLiteral("blocks_differing")).toInt())
            .arg(qint64(json.value(QStringLiteral("rows_sent")).toDouble()))
            .arg(json.value(QStringLiteral("identical_after")).toBool() ? QStringLiteral("true") : QStringLiteral("false"))
            .arg(json.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 3);
    }
};

class Ferry
{
public:
    QString ferryctl;
    QString profile;
    NodePair *nodes = nullptr;

    Compare compare(const QString &sourceDb, const QString &sourceTable, const QString &targetDb, const QString &targetTable, bool repair) const
    {
        Compare result = compareOnce(sourceDb, sourceTable, targetDb, targetTable, repair);
        if (result.problem.isEmpty())
            return result;
        // A node told to stop closes its connections before it exits: give it a moment.
        for (int i = 0; i < 30 && nodes->running(); ++i)
            QThread::msleep(100);
        if (nodes->running())
            return result;
        // Only a run cut short by a node stopped from outside is tried again, once; the
        // failed run gave no figure.
        nodes->start();
        say(QStringLiteral("    a node was stopped during the run (%1); started again, measuring once more").arg(nodes->lastStop()));
        return compareOnce(sourceDb, sourceTable, targetDb, targetTable, repair);
    }

private:
    Compare compareOnce(const QString &sourceDb, const QString &sourceTable, const QString &targetDb, const QString &targetTable, bool repair) const
    {
        QStringList arguments{QStringLiteral("compare"),
                              QStringLiteral("ferry://127.0.0.1:%1/%2?table=%3").arg(nodes->sourcePort()).arg(sourceDb, sourceTable),
                              QStringLiteral("ferry://127.0.0.1:%1/%2?table=%3").arg(nodes->targetPort()).arg(targetDb, targetTable),
                              QStringLiteral("--json"), QStringLiteral("--profile"), profile};
        if (repair)
            arguments.append(QStringLiteral("--repair"));
        Compare result;
        const double source0 = nodes->sourceCpu(), target0 = nodes->targetCpu(), ctl0 = childrenCpu();
        result.process = run(ferryctl, arguments);
        result.sourceCpu = nodes->sourceCpu() - source0;
        result.targetCpu = nodes->targetCpu() - target0;
        result.ctlCpu = childrenCpu() - ctl0;
        result.json = QJsonDocument::fromJson(result.process.out).object();
        if (result.json.isEmpty() || result.json.contains(QStringLiteral("error")))
            result.problem = QStringLiteral("ferryctl failed: %1").arg(result.process.describe());
        else if (!result.json.value(QStringLiteral("identical_after")).toBool() || result.process.exitCode != 0)
            result.problem = QStringLiteral("not identical after the run (%1)").arg(result.summary());
        say(QStringLiteral("    ferryctl compare%1 %2 -> %3: %4 s, %5 B on the wire; %6")
                .arg(repair ? QStringLiteral(" --repair") : QString(), sourceDb, targetDb)
                .arg(result.wall(), 0, 'f', 3)
                .arg(result.wireBytes())
                .arg(result.problem.isEmpty() ? result.summary() : result.problem));
        return result;
    }
};

// ---------------------------------------------------------------------------------------
// The measurements

struct Setup
{
    QString dir;
    qint64 rows = 0;
    int runs = 3;
    Ferry ferry;
    DataSource source;        // sqlite src.db, table bench (node "source", database "src")
    DataSource target;        // sqlite dst.db, table bench (node "target", database "dst")
    DataSource copyTarget;    // sqlite copy.db, table bench (node "target", database "copy")
    std::optional<DataSource> pgSource;   // ferry_bench_node_src in the --pg database (node "source", database "pgsrc")
    std::optional<DataSource> pgCopy;     // table bench in database ferry_bench_node_copy (node "target", database "pgcopy")
    std::optional<DataSource> pgDump;     // database ferry_bench_node_dump, where pg_dump | psql writes
    QString sqlite3;
    QString rsync;
    QString pgDumpTool;
    QString psql;
};

// 1. Verify of identical tables over loopback TLS against one side's local scan + digest.
void measureVerify(const Setup &s)
{
    say(QStringLiteral("1. verify of identical tables"));
    const QString what = QStringLiteral("1. verify identical tables (SQLite, over loopback TLS) vs local scan + digest of one side");
    // One untimed run each, so that both files are in the page cache for every timed run.
    (void)tableDigest(s.source);
    (void)s.ferry.compare(QStringLiteral("src"), s.source.table, QStringLiteral("dst"), s.target.table, false);

    QList<double> ferryTimes, nodeTimes, localTimes, ferryCpu, localCpu;
    qint64 wire = 0;
    QString summary, cpuSplit;
    const RangeDigest expected = tableDigest(s.target);
    for (int i = 0; i < s.runs; ++i) {
        // Alternated, so that a change in the machine's load falls on both.
        auto store = Store::open(s.source, Store::Options{true, 10000});
        const TableSchema schema = store->describe(s.source.table);
        waitForIdle();
        QElapsedTimer timer;
        const double cpu0 = selfCpu();
        timer.start();
        const RangeDigest local = digestRanges(*store, schema, {KeyRange{}}, DigestAlgorithm::Md5).first();
        localTimes.append(timer.nsecsElapsed() / 1e9);
        localCpu.append(selfCpu() - cpu0);
        say(QStringLiteral("    local scan + digest: %1 s").arg(localTimes.constLast(), 0, 'f', 3));
        if (local != expected || local.rows != s.rows)
            return invalid(what, QStringLiteral("the source and target tables are not the same (%1 / %2 rows)").arg(local.rows).arg(expected.rows));

        waitForIdle();
        const Compare c = s.ferry.compare(QStringLiteral("src"), s.source.table, QStringLiteral("dst"), s.target.table, false);
        if (!c.problem.isEmpty())
            return invalid(what, c.problem);
        if (c.json.value(QStringLiteral("blocks_differing")).toInt() != 0 || qint64(c.json.value(QStringLiteral("rows_compared")).toDouble()) != s.rows)
            return invalid(what, QStringLiteral("identical tables reported as different: %1").arg(c.summary()));
        ferryTimes.append(c.wall());
        nodeTimes.append(c.json.value(QStringLiteral("seconds")).toDouble());
        ferryCpu.append(c.cpu());
        wire = c.wireBytes();
        summary = c.summary();
        cpuSplit = c.cpuSplit();
    }
    const double ferry = median(ferryTimes);
    const double local = median(localTimes);
    g_rows.append({what, QStringLiteral("%1, %2 on the wire").arg(secs(ferry), byteCount(wire)), secs(local), ratio(ferry, local),
                   ferry <= 1.5 * local ? QStringLiteral("yes (<= 1.5x)") : QStringLiteral("no (<= 1.5x)"),
                   QStringLiteral("Ferry: ferryctl wall time, %1 (node's own time, median: %2 s); local: %3; %4. "
                                  "CPU time, median: Ferry %5 (last run %6), local %7")
                       .arg(spread(ferryTimes)).arg(median(nodeTimes), 0, 'f', 3).arg(spread(localTimes), summary)
                       .arg(cpuText(median(ferryCpu)), cpuSplit, cpuText(median(localCpu)))});
}

// The rows changed for the repair: rows/1000 of them, one in each run of 1000 keys at a
// scattered offset: 8 in 10 updated on the source, 1 in 10 deleted on the source, 1 in 10
// deleted on the target (a row inserted on the source since the target was in sync).
struct Changes
{
    QStringList updated, deletedAtSource, missingAtTarget;
};

Changes planChanges(qint64 rows)
{
    Changes changes;
    const qint64 count = std::max<qint64>(1, rows / 1000);
    const qint64 bucket = rows / count;
    for (qint64 j = 0; j < count; ++j) {
        const QString id = QString::number(1 + j * bucket + (j * 7919) % bucket);
        if (j % 10 == 3)
            changes.deletedAtSource.append(id);
        else if (j % 10 == 7)
            changes.missingAtTarget.append(id);
        else
            changes.updated.append(id);
    }
    return changes;
}

bool sameFiles(const QString &a, const QString &b)
{
    QFile fa(a), fb(b);
    if (!fa.open(QIODevice::ReadOnly) || !fb.open(QIODevice::ReadOnly) || fa.size() != fb.size())
        return false;
    while (!fa.atEnd()) {
        if (fa.read(1 << 20) != fb.read(1 << 20))
            return false;
    }
    return true;
}

qint64 statsNumber(const QByteArray &stats, const QString &label)
{
    const QRegularExpression pattern(QRegularExpression::escape(label) + QStringLiteral(":\\s*([0-9,.]+)"));
    const QRegularExpressionMatch match = pattern.match(QString::fromLocal8Bit(stats));
    if (!match.hasMatch())
        return -1;
    QString digits = match.captured(1);
    digits.remove(QLatin1Char(',')).remove(QLatin1Char('.'));
    return digits.toLongLong();
}

// 2. Repair of 0.1% scattered changed rows against rsync of the dumps.
void measureRepair(const Setup &s)
{
    say(QStringLiteral("2. repair of 0.1% changed rows"));
    const Changes changes = planChanges(s.rows);
    const QString mix = QStringLiteral("%1 changed rows: %2 updated (note, amount) and %3 deleted on the source, %4 missing on the target")
                            .arg(changes.updated.size() + changes.deletedAtSource.size() + changes.missingAtTarget.size())
                            .arg(changes.updated.size()).arg(changes.deletedAtSource.size()).arg(changes.missingAtTarget.size());
    say(QStringLiteral("    ") + mix);
    {
        Connection src(s.source);
        src.exec(QStringLiteral("BEGIN"));
        if (!changes.updated.isEmpty())
            src.exec(QStringLiteral("UPDATE bench SET note = 'changed on the source', amount = amount + 1 WHERE id IN (%1)").arg(changes.updated.join(QLatin1Char(','))));
        if (!changes.deletedAtSource.isEmpty())
            src.exec(QStringLiteral("DELETE FROM bench WHERE id IN (%1)").arg(changes.deletedAtSource.join(QLatin1Char(','))));
        src.exec(QStringLiteral("COMMIT"));
        Connection dst(s.target);
        if (!changes.missingAtTarget.isEmpty())
            dst.exec(QStringLiteral("DELETE FROM bench WHERE id IN (%1)").arg(changes.missingAtTarget.join(QLatin1Char(','))));
        // The damaged target, restored before every run.
        QFile::remove(s.dir + QStringLiteral("/damaged.db"));
        dst.exec(QStringLiteral("VACUUM INTO '%1/damaged.db'").arg(s.dir));
    }
    const qint64 sourceRows = countRows(s.source);
    const RangeDigest sourceDigest = tableDigest(s.source);

    // The dumps rsync works on: one line per row in primary-key order, as sqlite3 writes CSV.
    const QString dumpDir = s.dir + QStringLiteral("/rsync");
    const QString moduleDir = dumpDir + QStringLiteral("/module");
    QDir().mkpath(moduleDir);
    const QString sourceDump = dumpDir + QStringLiteral("/bench.csv");
    const QString targetDump = dumpDir + QStringLiteral("/target-before.csv");
    const QString query = QStringLiteral("SELECT * FROM bench ORDER BY id");
    waitForIdle();
    const Finished dumpSource = run(s.sqlite3, {QStringLiteral("-csv"), s.source.path, query}, sourceDump);
    waitForIdle();
    const Finished dumpTarget = run(s.sqlite3, {QStringLiteral("-csv"), s.target.path, query}, targetDump);
    if (!dumpSource.ok() || !dumpTarget.ok())
        throw FerryError(QStringLiteral("sqlite3 dump failed: %1 %2").arg(dumpSource.describe(), dumpTarget.describe()));
    const qint64 dumpBytes = QFileInfo(sourceDump).size();

    // An rsync daemon on 127.0.0.1 with one writable module holding the target's dump.
    const quint16 rsyncPort = freePort();
    const QString config = dumpDir + QStringLiteral("/rsyncd.conf");
    {
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            throw FerryError(QStringLiteral("cannot write %1").arg(config));
        file.write(QStringLiteral("pid file = %1/rsyncd.pid\nuse chroot = no\nlog file = %1/rsyncd.log\n"
                                  "[target]\npath = %2\nread only = false\nuid = %3\ngid = %4\n")
                       .arg(dumpDir, moduleDir).arg(getuid()).arg(getgid()).toUtf8());
    }
    Child daemon(QStringLiteral("rsync daemon"), s.rsync,
                 {QStringLiteral("--daemon"), QStringLiteral("--no-detach"), QStringLiteral("--config=") + config, QStringLiteral("--address=127.0.0.1"),
                  QStringLiteral("--port=%1").arg(rsyncPort)},
                 dumpDir + QStringLiteral("/rsyncd.out"));
    {
        QElapsedTimer timer;
        timer.start();
        QTcpSocket probe;
        for (;;) {
            probe.connectToHost(QHostAddress::LocalHost, rsyncPort);
            if (probe.waitForConnected(200))
                break;
            probe.abort();
            if (!daemon.running() || timer.elapsed() > 10000)
                throw FerryError(QStringLiteral("the rsync daemon did not start: %1").arg(daemon.logText()));
            QThread::msleep(50);
        }
        probe.disconnectFromHost();
    }

    const QString what = QStringLiteral("2. repair 0.1% scattered changed rows (SQLite)");
    QList<double> ferryTimes, rsyncTimes, ferryCpu, rsyncCpu;
    qint64 ferryWire = 0, rsyncWire = 0;
    QString summary, rsyncStats, cpuSplit;
    const QString targetFile = moduleDir + QStringLiteral("/bench.csv");
    for (int i = 0; i < s.runs; ++i) {
        // Ferry: the target table back to its damaged state, then ferryctl compare --repair.
        {
            Connection dst(s.target);
            dst.exec(QStringLiteral("ATTACH DATABASE '%1/damaged.db' AS damaged").arg(s.dir));
            dst.exec(QStringLiteral("BEGIN"));
            dst.exec(QStringLiteral("DELETE FROM bench"));
            dst.exec(QStringLiteral("INSERT INTO bench SELECT * FROM damaged.bench"));
            dst.exec(QStringLiteral("COMMIT"));
            dst.exec(QStringLiteral("DETACH DATABASE damaged"));
        }
        waitForIdle();
        const Compare c = s.ferry.compare(QStringLiteral("src"), s.source.table, QStringLiteral("dst"), s.target.table, true);
        if (!c.problem.isEmpty())
            return invalid(what, c.problem);
        const qint64 targetRows = countRows(s.target);
        if (targetRows != sourceRows || tableDigest(s.target) != sourceDigest)
            return invalid(what, QStringLiteral("after the repair the target has %1 rows, the source %2, or their digests differ").arg(targetRows).arg(sourceRows));
        ferryTimes.append(c.wall());
        ferryCpu.append(c.cpu());
        ferryWire = c.wireBytes();
        summary = c.summary();
        cpuSplit = c.cpuSplit();

        // rsync: the target's dump back in the module, then the source's dump onto it.
        QFile::remove(targetFile);
        if (!QFile::copy(targetDump, targetFile))
            throw FerryError(QStringLiteral("cannot copy %1").arg(targetDump));
        waitForIdle();
        const double daemon0 = processCpu(config), client0 = childrenCpu();
        const Finished r = run(s.rsync, {QStringLiteral("--no-whole-file"), QStringLiteral("--stats"), QStringLiteral("--no-human-readable"), sourceDump,
                                         QStringLiteral("rsync://127.0.0.1:%1/target/bench.csv").arg(rsyncPort)});
        const double client = childrenCpu() - client0;
        QThread::msleep(200);   // the daemon reaps its connection's process
        rsyncCpu.append(client + processCpu(config) - daemon0);
        if (!r.ok())
            return invalid(what, QStringLiteral("rsync failed: %1").arg(r.describe()));
        if (!sameFiles(sourceDump, targetFile))
            return invalid(what, QStringLiteral("after rsync the target's dump differs from the source's"));
        const qint64 sent = statsNumber(r.out, QStringLiteral("Total bytes sent"));
        const qint64 received = statsNumber(r.out, QStringLiteral("Total bytes received"));
        if (sent < 0 || received < 0)
            return invalid(what, QStringLiteral("no byte counts in rsync's --stats: %1").arg(QString::fromLocal8Bit(r.out).left(300)));
        rsyncWire = sent + received;
        rsyncTimes.append(r.seconds);
        rsyncStats = QStringLiteral("literal data %1 B, matched %2 B").arg(statsNumber(r.out, QStringLiteral("Literal data"))).arg(statsNumber(r.out, QStringLiteral("Matched data")));
        say(QStringLiteral("    rsync: %1 s, %2 B sent + %3 B received; %4").arg(r.seconds, 0, 'f', 3).arg(sent).arg(received).arg(rsyncStats));
    }
    const double ferry = median(ferryTimes);
    const double rsync = median(rsyncTimes);
    g_rows.append({what + QStringLiteral(": bytes on the wire vs rsync of PK-ordered CSV dumps"), byteCount(ferryWire), byteCount(rsyncWire),
                   ratio(double(ferryWire), double(rsyncWire)),
                   ferryWire < rsyncWire ? QStringLiteral("yes (fewer)") : QStringLiteral("no (fewer)"),
                   QStringLiteral("%1. Ferry: frame bytes both ways, TLS overhead not counted; %2. rsync --no-whole-file through its daemon: "
                                  "Total bytes sent + received, %3 of a %4 dump")
                       .arg(mix, summary, rsyncStats, byteCount(dumpBytes))});
    // "Less time than rsync" is judged against what an operator pays to repair a table with
    // rsync: dumping both tables and the transfer (loading the result back into the database
    // is still not counted for rsync). The transfer alone, on dumps made before its clock
    // started, is printed as well, for reference.
    g_rows.append({what + QStringLiteral(": time vs rsync (transfer only)"), secs(ferry), secs(rsync), ratio(ferry, rsync),
                   QStringLiteral("- (reference; judged two rows below)"),
                   QStringLiteral("Ferry: ferryctl wall time, %1; rsync: client wall time of the transfer alone, %2; not counted for rsync: "
                                  "dumping both tables (next row) nor loading the result back into the database. "
                                  "CPU time, median: Ferry %3 (last run %4), rsync client + daemon %5")
                       .arg(spread(ferryTimes), spread(rsyncTimes), cpuText(median(ferryCpu)), cpuSplit, cpuText(median(rsyncCpu)))});
    const double dumps = dumpSource.seconds + dumpTarget.seconds;
    g_rows.append({QStringLiteral("2. (rsync's share not counted above) dump both tables to CSV with sqlite3, in key order"), QStringLiteral("-"),
                   secs(dumps), QStringLiteral("-"), QStringLiteral("-"),
                   QStringLiteral("source %1 + target %2, one run each; rsync time + dump time = %3")
                       .arg(secs(dumpSource.seconds), secs(dumpTarget.seconds), secs(rsync + dumps))});
    g_rows.append({what + QStringLiteral(": time vs rsync including the dumps it needs"), secs(ferry), secs(rsync + dumps), ratio(ferry, rsync + dumps),
                   ferry < rsync + dumps ? QStringLiteral("yes (less)") : QStringLiteral("no (less)"),
                   QStringLiteral("rsync: the transfer (median, two rows above) + dumping both tables (row above, one run each), the least an "
                                  "operator pays to repair a table with rsync; loading the result back into the database is still not counted for rsync")});
}

// Ferry's full copy: the target table emptied, then ferryctl compare --repair; median time.
struct CopyResult
{
    double seconds = 0;
    QString note;
    QString problem;
    double cpu = -1;   // median CPU seconds of every process involved; -1: not measured
    double serverCpu = 0;   // median CPU seconds of the PostgreSQL server (g_postmaster)
};

CopyResult ferryCopy(const Setup &s, const QString &sourceDb, const DataSource &from, const QString &targetDb, const DataSource &to)
{
    const qint64 sourceRows = countRows(from);
    QList<double> times, cpu, server;
    QString summary, cpuSplit;
    for (int i = 0; i < s.runs; ++i) {
        recreateEmpty(to);
        waitForIdle();
        const double server0 = serverCpu();
        const Compare c = s.ferry.compare(sourceDb, from.table, targetDb, to.table, true);
        server.append(serverCpu() - server0);
        if (!c.problem.isEmpty())
            return {0, {}, c.problem};
        const qint64 copied = countRows(to);
        if (copied != sourceRows || qint64(c.json.value(QStringLiteral("rows_sent")).toDouble()) != sourceRows)
            return {0, {}, QStringLiteral("copied %1 rows of %2 (%3)").arg(copied).arg(sourceRows).arg(c.summary())};
        times.append(c.wall());
        cpu.append(c.cpu());
        summary = c.summary();
        cpuSplit = c.cpuSplit();
    }
    return {median(times), QStringLiteral("%1 rows, %2, %3; CPU time (last run) %4").arg(sourceRows).arg(spread(times), summary, cpuSplit), {}, median(cpu),
            median(server)};
}

// sqlite3 .dump | sqlite3 into a new file; median time. Checked by rows and digest.
CopyResult sqliteDumpCopy(const Setup &s)
{
    const RangeDigest expected = tableDigest(s.source);
    const QString file = s.dir + QStringLiteral("/dumpcopy.db");
    QList<double> times, cpu;
    for (int i = 0; i < s.runs; ++i) {
        QFile::remove(file);
        waitForIdle();
        const double cpu0 = childrenCpu();
        const Finished f = runPipe(s.sqlite3, {s.source.path, QStringLiteral(".dump bench")}, s.sqlite3, {file});
        if (!f.ok() || !f.err.trimmed().isEmpty())
            return {0, {}, QStringLiteral("sqlite3 .dump | sqlite3 failed: %1").arg(f.describe())};
        const RangeDigest copied = tableDigest(DataSource::parse(QStringLiteral("sqlite:%1?table=bench").arg(file)));
        if (copied.rows != expected.rows)
            return {0, {}, QStringLiteral("sqlite3 copied %1 rows of %2").arg(copied.rows).arg(expected.rows)};
        times.append(f.seconds);
        cpu.append(childrenCpu() - cpu0);
        if (copied.digest != expected.digest)
            return {median(times), QStringLiteral("%1 rows, %2; NOT the same values: the copy's digest differs").arg(copied.rows).arg(spread(times)), {}, median(cpu)};
    }
    return {median(times), QStringLiteral("%1 rows, %2; same rows and digest").arg(expected.rows).arg(spread(times)), {}, median(cpu)};
}

// pg_dump -t | psql into another database of the same server; median time.
CopyResult pgDumpCopy(const Setup &s)
{
    const DataSource &from = *s.pgSource;
    const DataSource to = withDatabase(*s.pgDump, s.pgDump->database, from.table);
    const RangeDigest expected = tableDigest(from);
    QList<double> times, cpu, server;
    for (int i = 0; i < s.runs; ++i) {
        {
            Connection db(to);
            db.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(to.table));
        }
        waitForIdle();
        const double server0 = serverCpu(), client0 = childrenCpu();
        const Finished f = runPipe(s.pgDumpTool, {QStringLiteral("--no-owner"), QStringLiteral("-t"), from.table, QStringLiteral("-d"), nodeDatabaseUrl(from)},
                                   s.psql, {QStringLiteral("-q"), QStringLiteral("-X"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), nodeDatabaseUrl(to)});
        const double serverAfter = serverCpu(), clientAfter = childrenCpu();
        if (!f.ok())
            return {0, {}, QStringLiteral("pg_dump | psql failed: %1").arg(f.describe())};
        const RangeDigest copied = tableDigest(to);
        if (copied != expected)
            return {0, {}, QStringLiteral("pg_dump | psql copied %1 rows of %2, or the digests differ").arg(copied.rows).arg(expected.rows)};
        times.append(f.seconds);
        server.append(serverAfter - server0);
        cpu.append(clientAfter - client0);
    }
    return {median(times), QStringLiteral("%1 rows, %2; same rows and digest").arg(expected.rows).arg(spread(times)), {}, median(cpu), median(server)};
}

void addCopyRow(const QString &what, const CopyResult &ferry, const QString &peerName, const CopyResult &peer)
{
    if (!ferry.problem.isEmpty())
        return invalid(what, ferry.problem);
    if (!peer.problem.isEmpty())
        return invalid(what, peer.problem);
    const QString cpu = ferry.serverCpu > 0 || peer.serverCpu > 0
                            ? QStringLiteral(". CPU time, median: Ferry %1 (nodes and ferryctl %2, PostgreSQL server %3), peer %4 (clients %5, server %6)")
                                  .arg(cpuText(ferry.cpu + ferry.serverCpu), cpuText(ferry.cpu), cpuText(ferry.serverCpu), cpuText(peer.cpu + peer.serverCpu),
                                       cpuText(peer.cpu), cpuText(peer.serverCpu))
                        : peer.cpu >= 0 ? QStringLiteral(". CPU time, median: Ferry %1, peer %2").arg(cpuText(ferry.cpu), cpuText(peer.cpu))
                                        : QStringLiteral(". CPU time not compared: the PostgreSQL server does part of the work");
    g_rows.append({what, secs(ferry.seconds), QStringLiteral("%1 (%2)").arg(secs(peer.seconds), peerName), ratio(ferry.seconds, peer.seconds),
                   QStringLiteral("- (no target set)"), QStringLiteral("Ferry: %1. Peer: %2%3").arg(ferry.note, peer.note, cpu)});
}

// 3. Full copies into empty tables.
void measureCopies(const Setup &s)
{
    say(QStringLiteral("3. full copy into an empty table"));
    say(QStringLiteral("    sqlite3 .dump | sqlite3"));
    const CopyResult sqlitePeer = sqliteDumpCopy(s);
    const CopyResult sqliteFerry = ferryCopy(s, QStringLiteral("src"), s.source, QStringLiteral("copy"), s.copyTarget);
    addCopyRow(QStringLiteral("3. full copy into an empty table, SQLite -> SQLite"), sqliteFerry, QStringLiteral("sqlite3 src.db .dump bench | sqlite3 new.db"), sqlitePeer);
    if (!s.pgSource)
        return;
    say(QStringLiteral("    pg_dump | psql"));
    const CopyResult pgPeer = pgDumpCopy(s);
    const CopyResult pgFerry = ferryCopy(s, QStringLiteral("pgsrc"), *s.pgSource, QStringLiteral("pgcopy"), *s.pgCopy);
    addCopyRow(QStringLiteral("3. full copy into an empty table, PostgreSQL -> PostgreSQL (another database, same server)"), pgFerry,
               QStringLiteral("pg_dump -t | psql"), pgPeer);
    const CopyResult mixedFerry = ferryCopy(s, QStringLiteral("src"), s.source, QStringLiteral("pgcopy"), *s.pgCopy);
    addCopyRow(QStringLiteral("3. full copy into an empty table, SQLite -> PostgreSQL (peer: the PostgreSQL -> PostgreSQL dump, for comparison)"),
               mixedFerry, QStringLiteral("pg_dump -t | psql"), pgPeer);
}

// 4. (issue 13, benchmark d) PostgreSQL at the speed of the server: a full copy
// PostgreSQL -> PostgreSQL against pg_dump | psql (the same pair as in 3.), and a scan +
// digest of the table against psql's COPY (SELECT ... ORDER BY key) TO STDOUT (FORMAT
// binary) piped to md5sum.
void measurePostgres(const Setup &s)
{
    if (!s.pgSource) {
        invalid(QStringLiteral("4. PostgreSQL at the speed of the server"), QStringLiteral("needs --pg"));
        return;
    }
    say(QStringLiteral("4. PostgreSQL at the speed of the server"));
    say(QStringLiteral("    pg_dump | psql"));
    const CopyResult pgPeer = pgDumpCopy(s);
    const CopyResult pgFerry = ferryCopy(s, QStringLiteral("pgsrc"), *s.pgSource, QStringLiteral("pgcopy"), *s.pgCopy);
    const QString copyWhat = QStringLiteral("4. full copy of %1 rows PostgreSQL -> PostgreSQL (another database, same server)").arg(s.rows);
    if (!pgFerry.problem.isEmpty() || !pgPeer.problem.isEmpty()) {
        invalid(copyWhat, pgFerry.problem + pgPeer.problem);
    } else {
        g_rows.append({copyWhat, secs(pgFerry.seconds), QStringLiteral("%1 (pg_dump -t | psql)").arg(secs(pgPeer.seconds)), ratio(pgFerry.seconds, pgPeer.seconds),
                       pgFerry.seconds <= pgPeer.seconds ? QStringLiteral("yes (<= 1x)") : QStringLiteral("no (<= 1x)"),
                       QStringLiteral("Ferry: %1. Peer: %2. CPU time, median: Ferry %3 (nodes and ferryctl %4, PostgreSQL server %5), "
                                      "peer %6 (pg_dump and psql %7, server %8)")
                           .arg(pgFerry.note, pgPeer.note, cpuText(pgFerry.cpu + pgFerry.serverCpu), cpuText(pgFerry.cpu), cpuText(pgFerry.serverCpu),
                                cpuText(pgPeer.cpu + pgPeer.serverCpu), cpuText(pgPeer.cpu), cpuText(pgPeer.serverCpu))});
    }

    // Scan + digest: Ferry's digestRanges (the path both nodes hash with) in this process,
    // against psql's binary COPY of the same rows in key order, hashed by md5sum.
    const QString what = QStringLiteral("4. scan + digest of %1 rows (PostgreSQL) vs COPY (SELECT * ... ORDER BY id) TO STDOUT (FORMAT binary) | md5sum").arg(s.rows);
    const DataSource &from = *s.pgSource;
    const QString md5sum = findTool(QStringLiteral("md5sum"), QStringLiteral("coreutils"));
    // bash for pipefail, and for md5sum's output (runPipe drops it).
    const QStringList peerArguments{QStringLiteral("-c"), QStringLiteral("set -o pipefail; \"$1\" -X -q -d \"$2\" -c \"$3\" | \"$4\""), QStringLiteral("bash"),
                                    s.psql, nodeDatabaseUrl(from), QStringLiteral("COPY (SELECT * FROM %1 ORDER BY id) TO STDOUT (FORMAT binary)").arg(from.table), md5sum};
    QList<double> ferryTimes, peerTimes, ferryCpu, ferryServer, peerCpu, peerServer;
    for (int i = 0; i < s.runs; ++i) {
        auto store = Store::open(from, Store::Options{true, 10000});
        const TableSchema schema = store->describe(from.table);
        waitForIdle();
        QElapsedTimer timer;
        const double self0 = selfCpu(), server0 = serverCpu();
        timer.start();
        const RangeDigest digest = digestRanges(*store, schema, {KeyRange{}}, DigestAlgorithm::Md5).first();
        ferryTimes.append(timer.nsecsElapsed() / 1e9);
        ferryCpu.append(selfCpu() - self0);
        ferryServer.append(serverCpu() - server0);
        if (digest.rows != s.rows || digest.digest.size() != 16)
            return invalid(what, QStringLiteral("Ferry's scan read %1 rows of %2").arg(digest.rows).arg(s.rows));
        say(QStringLiteral("    Ferry scan + digest: %1 s").arg(ferryTimes.constLast(), 0, 'f', 3));
        waitForIdle();
        const double client0 = childrenCpu(), peerServer0 = serverCpu();
        const Finished f = run(QStringLiteral("bash"), peerArguments);
        peerCpu.append(childrenCpu() - client0);
        peerServer.append(serverCpu() - peerServer0);
        if (!f.ok() || !QRegularExpression(QStringLiteral("^[0-9a-f]{32} ")).match(QString::fromLatin1(f.out)).hasMatch())
            return invalid(what, QStringLiteral("psql COPY | md5sum failed: %1").arg(f.describe()));
        peerTimes.append(f.seconds);
        say(QStringLiteral("    psql COPY binary | md5sum: %1 s").arg(peerTimes.constLast(), 0, 'f', 3));
    }
    const double ferry = median(ferryTimes);
    const double peer = median(peerTimes);
    g_rows.append({what, secs(ferry), secs(peer), ratio(ferry, peer), ferry <= 1.2 * peer ? QStringLiteral("yes (<= 1.2x)") : QStringLiteral("no (<= 1.2x)"),
                   QStringLiteral("Ferry: digestRanges (MD5 of the canonical rows) over a new connection, %1 rows; %2. Peer: %3. "
                                  "CPU time, median: Ferry %4 (this process %5, PostgreSQL server %6), peer %7 (bash, psql and md5sum %8, server %9)")
                       .arg(s.rows).arg(spread(ferryTimes), spread(peerTimes))
                       .arg(cpuText(median(ferryCpu) + median(ferryServer)), cpuText(median(ferryCpu)), cpuText(median(ferryServer)))
                       .arg(cpuText(median(peerCpu) + median(peerServer)), cpuText(median(peerCpu)), cpuText(median(peerServer)))});
}

// ---------------------------------------------------------------------------------------

int runBenchmark(qint64 rows, int runs, const QString &pg, const QString &workdir, const QStringList &only)
{
    QTemporaryDir temp(workdir + QStringLiteral("/ferry-bench-node-XXXXXX"));
    if (!temp.isValid())
        throw FerryError(QStringLiteral("cannot create a work directory: %1").arg(temp.errorString()));
    const QString loadBefore = loadAverage();

    Setup s;
    s.dir = temp.path();
    s.rows = rows;
    s.runs = runs;
    s.ferry.ferryctl = QStringLiteral(FERRYCTL_PATH);
    s.sqlite3 = findTool(QStringLiteral("sqlite3"), QStringLiteral("sqlite3"));
    s.rsync = findTool(QStringLiteral("rsync"), QStringLiteral("rsync"));
    s.source = DataSource::parse(QStringLiteral("sqlite:%1/src.db?table=bench").arg(s.dir));
    s.target = DataSource::parse(QStringLiteral("sqlite:%1/dst.db?table=bench").arg(s.dir));
    s.copyTarget = DataSource::parse(QStringLiteral("sqlite:%1/copy.db?table=bench").arg(s.dir));

    // Certificates, as an operator makes them.
    s.ferry.profile = makeCertificates(s.ferry.ferryctl, s.dir, {QStringLiteral("source"), QStringLiteral("target")}, QStringLiteral("bench"));

    say(QStringLiteral("generating %1 rows in SQLite").arg(rows));
    generate(s.source, rows);
    if (!QFile::copy(s.source.path, s.target.path))
        throw FerryError(QStringLiteral("cannot copy %1").arg(s.source.path));
    {
        QFile create(s.copyTarget.path);
        if (!create.open(QIODevice::WriteOnly))
            throw FerryError(QStringLiteral("cannot create %1").arg(s.copyTarget.path));
    }
    recreateEmpty(s.copyTarget);

    QStringList sourceDatabases{QStringLiteral("\"src\": \"sqlite:src.db\"")};
    QStringList targetDatabases{QStringLiteral("\"dst\": \"sqlite:dst.db\""), QStringLiteral("\"copy\": \"sqlite:copy.db\"")};
    std::optional<DataSource> server;
    if (!pg.isEmpty()) {
        server = DataSource::parse(pg.section(QLatin1Char('?'), 0, 0), false);
        s.pgDumpTool = findTool(QStringLiteral("pg_dump"), QStringLiteral("postgresql-client"));
        s.psql = findTool(QStringLiteral("psql"), QStringLiteral("postgresql-client"));
        {
            Connection admin(*server);
            for (const QString &name : {QStringLiteral("ferry_bench_node_copy"), QStringLiteral("ferry_bench_node_dump")}) {
                admin.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
                admin.exec(QStringLiteral("CREATE DATABASE %1").arg(name));
            }
        }
        s.pgSource = withDatabase(*server, server->database, QStringLiteral("ferry_bench_node_src"));
        s.pgCopy = withDatabase(*server, QStringLiteral("ferry_bench_node_copy"), QStringLiteral("bench"));
        s.pgDump = withDatabase(*server, QStringLiteral("ferry_bench_node_dump"), QString());
        {
            // The server's processes are counted from its postmaster, the parent of a backend
            // (a server on this machine only; otherwise no server CPU is reported).
            Connection db(*server);
            QFile stat(QStringLiteral("/proc/%1/stat").arg(db.scalar(QStringLiteral("SELECT pg_backend_pid()"))));
            if (stat.open(QIODevice::ReadOnly)) {
                const QByteArray text = stat.readAll();
                g_postmaster = text.mid(text.lastIndexOf(')') + 2).split(' ').value(1).toLongLong();
            }
        }
        say(QStringLiteral("generating %1 rows in PostgreSQL").arg(rows));
        generate(*s.pgSource, rows);
        recreateEmpty(*s.pgCopy);
        sourceDatabases.append(QStringLiteral("\"pgsrc\": \"%1\"").arg(nodeDatabaseUrl(*s.pgSource)));
        targetDatabases.append(QStringLiteral("\"pgcopy\": \"%1\"").arg(nodeDatabaseUrl(*s.pgCopy)));
    }

    // The two data centers: real ferry-node processes on loopback ports they pick.
    writeFile(s.dir + QStringLiteral("/source.json"), nodeConfig(QStringLiteral("source"), sourceDatabases));
    writeFile(s.dir + QStringLiteral("/target.json"), nodeConfig(QStringLiteral("target"), targetDatabases));
    int status = 0;
    QString restarts;
    {
        NodePair nodes(s.dir);
        nodes.start();
        s.ferry.nodes = &nodes;
        say(QStringLiteral("nodes: source on 127.0.0.1:%1, target on 127.0.0.1:%2").arg(nodes.sourcePort()).arg(nodes.targetPort()));

        if (only.isEmpty() || only.contains(QStringLiteral("verify")))
            measureVerify(s);
        if (only.isEmpty() || only.contains(QStringLiteral("repair")))
            measureRepair(s);
        if (only.isEmpty() || only.contains(QStringLiteral("copy")))
            measureCopies(s);
        if (only.isEmpty() || only.contains(QStringLiteral("pg")))
            measurePostgres(s);
        if (nodes.restarts() > 0)
            restarts = QStringLiteral("; nodes started again after an outside stop: %1 (last: %2)").arg(nodes.restarts()).arg(nodes.lastStop());
    }

    if (server) {
        Connection admin(*server);
        admin.exec(QStringLiteral("DROP TABLE IF EXISTS ferry_bench_node_src"));
        for (const QString &name : {QStringLiteral("ferry_bench_node_copy"), QStringLiteral("ferry_bench_node_dump")})
            admin.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
    }

    std::printf("| measurement | Ferry | peer | Ferry / peer | target met | note |\n|---|---|---|---|---|---|\n");
    auto cell = [](QString text) { return text.replace(QLatin1Char('|'), QLatin1String("\\|")); };   // Markdown
    for (const TableRow &r : g_rows)
        std::printf("| %s | %s | %s | %s | %s | %s |\n", qPrintable(cell(r.what)), qPrintable(cell(r.ferry)), qPrintable(cell(r.peer)),
                    qPrintable(cell(r.ratio)), qPrintable(cell(r.target)), qPrintable(cell(r.note)));
    std::printf("\n%lld rows; load average (1, 5, 15 min) before: %s, after: %s%s%s\n", rows, qPrintable(loadBefore), qPrintable(loadAverage()),
                g_waitIdle > 0 ? qPrintable(QStringLiteral("; waited %1 s in all for the machine to be %2% idle before timed runs").arg(g_waitedSeconds, 0, 'f', 0).arg(g_waitIdle * 100, 0, 'f', 0)) : "",
                qPrintable(restarts));
    if (g_invalid) {
        // Keep the node logs and databases of a run that failed a check.
        temp.setAutoRemove(false);
        std::printf("Some figures are INVALID; the work directory is kept: %s\n", qPrintable(s.dir));
        status = 1;
    }
    return status;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Ferry between two ferry-node processes over loopback TLS, against local hashing, rsync and dump tools."));
    parser.addHelpOption();
    const QCommandLineOption rowsOption(QStringLiteral("rows"), QStringLiteral("Rows in the generated table."), QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption pgOption(QStringLiteral("pg"), QStringLiteral("PostgreSQL URL for the PostgreSQL copies (default: none)."), QStringLiteral("URL"));
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Timed runs of each measurement; the median is printed."), QStringLiteral("R"), QStringLiteral("3"));
    const QCommandLineOption dirOption(QStringLiteral("workdir"), QStringLiteral("Directory for the temporary files."), QStringLiteral("DIR"), QDir::tempPath());
    const QCommandLineOption idleOption(QStringLiteral("wait-idle"), QStringLiteral("Before each timed run, wait until the machine was at least PERCENT idle over a second (at most 5 minutes)."), QStringLiteral("PERCENT"), QStringLiteral("0"));
    const QCommandLineOption onlyOption(QStringLiteral("only"), QStringLiteral("Measure only these: verify, repair, copy, pg (comma-separated; pg needs --pg)."), QStringLiteral("LIST"));
    parser.addOptions({rowsOption, pgOption, runsOption, dirOption, idleOption, onlyOption});
    parser.process(app);

    bool ok = false;
    const qint64 rows = parser.value(rowsOption).toLongLong(&ok);
    if (!ok || rows < 1000) {
        std::fprintf(stderr, "bench: --rows must be a whole number of at least 1000\n");
        return 2;
    }
    const int runs = parser.value(runsOption).toInt(&ok);
    if (!ok || runs < 1) {
        std::fprintf(stderr, "bench: --runs must be at least 1\n");
        return 2;
    }
    g_waitIdle = parser.value(idleOption).toDouble() / 100.0;
    try {
        return runBenchmark(rows, runs, parser.value(pgOption), parser.value(dirOption), parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts));
    } catch (const FerryError &error) {
        std::fprintf(stderr, "bench: %s\n", qPrintable(error.message()));
        return 2;
    }
}
