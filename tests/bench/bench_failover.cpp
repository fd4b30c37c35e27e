// Failover time benchmark: how long a table is not writable anywhere when it fails over,
// measured the way an application sees it. Three real ferry-node processes on 127.0.0.1
// (dc-a and dc-b, each with its own SQLite database in WAL mode, and dc-c, the witness),
// certificates by `ferryctl certs`, links by `ferryctl link create`. Prints one Markdown
// table, beside the failure-detection defaults of systems operators use today (published
// figures, not measured here).
//
//   ferry_bench_failover [--runs N] [--rate WRITES_PER_S] [--workdir DIR] [--keep]
//
// Graceful (table g, a continuous link): an application writes --rate rows a second (1,000
// by default), each INSERT its own transaction on its own connection, to the primary; a
// prober tries an INSERT on the replica every 2 ms (refused while it is a replica). The
// time is from the moment `ferryctl failover PRIMARY g --to REPLICA` is started to the
// commit of the prober's first accepted INSERT on the new primary. The next run fails back
// the other way. A run counts only when every INSERT the primary acknowledged is on the new
// primary as soon as ferryctl returned, the old primary refuses writes, and the link runs
// the other way with the next epoch.
//
// Automatic (table k, --auto-failover --witness dc-c --failover-timeout 1000): an application
// writes 100 rows a second to the primary until just before the kill; kill -9 of the
// primary's ferry-node; the time is from the kill to the commit of the prober's first
// accepted INSERT on the replica. Then the killed node is started again: it must come back
// as the replica of the new epoch, refuse writes, end identical to the new primary, and
// every row it acknowledged must be on the new primary or in its own _ferry_conflicts (no
// silent loss); `ferryctl failover-ack` on it re-arms automatic failover, and the next run
// kills the other node. A run that fails any of this stops the benchmark with an error
// instead of a figure.
//
// Overlap (both phases with automatic failover): a probe writes to both databases, one
// after the other, every 2 ms through its own connections, also to the killed or frozen
// node's database (which outlives its node). The overlap of a run is how long both
// databases took writes at once: the last write the old primary's database accepted minus
// the first the new primary's accepted (0 when the first came after the last). The write
// lease (failover/writelease.h) makes it 0: the old primary's database refuses writes by
// itself once its lease lapsed, and the replica is promoted only after that.
//
// Frozen (table f, as k): SIGSTOP of the primary's ferry-node (a long pause, a hung VM)
// instead of kill -9; the time is from the SIGSTOP to the first write the probe got
// accepted on the replica; then SIGCONT: the old primary must learn of the new epoch and
// refuse writes naming the new primary, and `ferryctl failover-ack` re-arms the link.

#include "benchsupport.h"

#include "../nodeprocess.h"

#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <memory>

using namespace ferry;
using namespace ferry::bench;
using ferry::test::NodeProcess;
using ferry::test::Run;

namespace {

constexpr int InitialRows = 1000;
constexpr int FailoverTimeoutMs = 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// INSERT INTO table (id, v, n) at a steady rate (0: every intervalMs), each in its own
// transaction on its own connection; ids count up from firstId and are never reused.
class Writer : public QThread
{
public:
    Writer(const QString &path, const QString &table, qint64 firstId, int perSecond)
        : m_path(path), m_table(table), m_next(firstId), m_perSecond(perSecond) {}
    ~Writer() override { stopNow(); }

    void stopNow()
    {
        m_stop = true;
        wait();
    }
    QList<qint64> acknowledged() const
    {
        QMutexLocker locker(&m_mutex);
        return m_acknowledged;
    }
    qint64 acknowledgedCount() const { return m_count; }
    qint64 firstAckMs() const { return m_firstAckMs; }
    qint64 lastAckMs() const { return m_lastAckMs; }
    QString lastError() const
    {
        QMutexLocker locker(&m_mutex);
        return m_lastError;
    }

protected:
    void run() override
    {
        const QString name = QStringLiteral("bench-writer-%1").arg(quintptr(this));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=20000"));
            if (!db.open()) {
                QMutexLocker locker(&m_mutex);
                m_lastError = db.lastError().text();
            } else {
                QSqlQuery pragma(db);
                pragma.exec(QStringLiteral("PRAGMA synchronous=NORMAL"));   // as Ferry's own connections in WAL mode
                QSqlQuery query(db);
                query.prepare(QStringLiteral("INSERT INTO %1 (id, v, n) VALUES (?, ?, ?)").arg(m_table));
                QElapsedTimer clock;
                clock.start();
                qint64 done = 0;
                while (!m_stop) {
                    if (done >= clock.elapsed() * m_perSecond / 1000) {
                        QThread::usleep(200);
                        continue;
                    }
                    ++done;
                    const qint64 id = m_next++;
                    query.bindValue(0, id);
                    query.bindValue(1, QStringLiteral("bench %1").arg(id));
                    query.bindValue(2, id % 97);
                    if (query.exec()) {
                        const qint64 at = nowMs();
                        QMutexLocker locker(&m_mutex);
                        m_acknowledged.append(id);
                        ++m_count;
                        if (m_firstAckMs == 0)
                            m_firstAckMs = at;
                        m_lastAckMs = at;
                    } else {
                        QMutexLocker locker(&m_mutex);
                        m_lastError = query.lastError().text();
                    }
                    query.finish();
                }
            }
        }
        QSqlDatabase::removeDatabase(name);
    }

private:
    QString m_path;
    QString m_table;
    qint64 m_next;
    int m_perSecond;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_count{0};
    std::atomic<qint64> m_firstAckMs{0};
    std::atomic<qint64> m_lastAckMs{0};
    mutable QMutex m_mutex;
    QList<qint64> m_acknowledged;
    QString m_lastError;
};

// Writes to both databases of a pair, one after the other, every 2 ms, each write on its own
// connection; keeps when the writes each database accepted began and returned.
class Probe : public QThread
{
public:
    Probe(const QString &pathA, const QString &pathB, const QString &table, qint64 firstId) : m_paths{pathA, pathB}, m_table(table), m_next(firstId) {}
    ~Probe() override { stopNow(); }
    void stopNow()
    {
        m_stop = true;
        wait();
    }
    // Side 0's last accepted write returned, side 1's first began, how many side 1 took.
    qint64 lastReturnedMs(int side) const { return m_lastReturned[side]; }
    qint64 firstBeganMs(int side) const { return m_firstBegan[side]; }
    qint64 accepted(int side) const { return m_accepted[side]; }

protected:
    void run() override
    {
        const QString names[2] = {QStringLiteral("probe-0-%1").arg(quintptr(this)), QStringLiteral("probe-1-%1").arg(quintptr(this))};
        {
            QSqlDatabase db[2];
            for (int side = 0; side < 2; ++side) {
                db[side] = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), names[side]);
                db[side].setDatabaseName(m_paths[side]);
                db[side].setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=100"));
                db[side].open();
            }
            while (!m_stop) {
                for (int side = 0; side < 2; ++side) {
                    QSqlQuery query(db[side]);
                    const qint64 began = nowMs();
                    if (query.exec(QStringLiteral("INSERT INTO %1 (id, v, n) VALUES (%2, 'probe', %3)").arg(m_table).arg(m_next++).arg(side))) {
                        if (m_firstBegan[side] == 0)
                            m_firstBegan[side] = began;
                        m_lastReturned[side] = nowMs();
                        ++m_accepted[side];
                    }
                }
                QThread::msleep(2);
            }
        }
        for (const QString &name : names)
            QSqlDatabase::removeDatabase(name);
    }

private:
    QString m_paths[2];
    QString m_table;
    qint64 m_next;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_lastReturned[2] = {0, 0};
    std::atomic<qint64> m_firstBegan[2] = {0, 0};
    std::atomic<qint64> m_accepted[2] = {0, 0};
};

struct Site
{
    std::unique_ptr<NodeProcess> node;
    QString dbPath;
    std::unique_ptr<Connection> db;   // this program's own connection, for checks
};

class Bench
{
public:
    Bench(const QString &workdir, int runs, int rate, bool keep) : m_workdir(workdir), m_runs(runs), m_rate(rate), m_keep(keep) {}
    int run();

private:
    Run ctl(const QStringList &arguments, int timeoutMs = 60000) const
    {
        return ferry::test::runProgram(ferry::test::ferryctlBinaryPath(), arguments + m_clientArgs, timeoutMs);
    }
    Run ctlChecked(const QStringList &arguments) const
    {
        const Run run = ctl(arguments);
        if (run.exitCode != 0)
            throw FerryError(QStringLiteral("ferryctl %1: %2").arg(arguments.join(QLatin1Char(' ')), run.describe()));
        return run;
    }
    static bool waitFor(const std::function<bool()> &condition, int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (!condition()) {
            if (clock.elapsed() > timeoutMs)
                return false;
            QThread::msleep(20);
            QCoreApplication::processEvents();
        }
        return true;
    }
    QJsonObject role(Site &site, const QString &table) const
    {
        QFile file(site.node->dataDirectory() + QStringLiteral("/roles.json"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("tables")).toObject().value(QStringLiteral("shop/") + table).toObject();
    }
    QString linkState(Site &site, const QString &id) const
    {
        const Run run = ctl({QStringLiteral("link"), QStringLiteral("show"), site.node->url(), id, QStringLiteral("--json")}, 10000);
        if (run.exitCode != 0)
            return QString();
        return ferry::test::jsonOf(run).value(QLatin1String("stats")).toObject().value(QLatin1String("state")).toString();
    }
    QString linkSource(Site &site, const QString &id) const
    {
        const Run run = ctl({QStringLiteral("link"), QStringLiteral("show"), site.node->url(), id, QStringLiteral("--json")}, 10000);
        if (run.exitCode != 0)
            return QString();
        return ferry::test::jsonOf(run).value(QLatin1String("link")).toObject().value(QLatin1String("source_node")).toString();
    }
    QString linkJson(Site &site, const QString &id) const
    {
        return ctl({QStringLiteral("link"), QStringLiteral("show"), site.node->url(), id, QStringLiteral("--json")}, 10000).out.trimmed();
    }
    QString tableText(Site &site, const QString &table) const
    {
        QString text;
        QSqlQuery query(site.db->db());
        if (!query.exec(QStringLiteral("SELECT id, v, n FROM %1 ORDER BY id").arg(table)))
            throw FerryError(query.lastError().text());
        while (query.next())
            text += QStringLiteral("%1|%2|%3\n").arg(query.value(0).toLongLong()).arg(query.value(1).toString()).arg(query.value(2).toLongLong());
        return text;
    }
    QSet<qint64> ids(Site &site, const QString &sql) const
    {
        QSet<qint64> result;
        QSqlQuery query(site.db->db());
        if (!query.exec(sql))
            throw FerryError(query.lastError().text());
        while (query.next())
            result.insert(query.value(0).toLongLong());
        return result;
    }
    bool refusesWrites(Site &site, const QString &table, const QString &naming)
    {
        QSqlQuery query(site.db->db());
        const bool refused = !query.exec(QStringLiteral("INSERT INTO %1 (id, v, n) VALUES (-1, 'probe', 0)").arg(table));
        if (!refused)
            query.exec(QStringLiteral("DELETE FROM %1 WHERE id = -1").arg(table));
        return refused && query.lastError().text().contains(naming);
    }

    void setUp();
    QList<double> graceful();
    QList<double> automatic();
    QList<double> frozen();
    void printTable(const QList<double> &gracefulMs, const QList<double> &automaticMs, const QList<double> &frozenMs) const;
    // The overlap of a run from its probe (side 0: the old primary, side 1: the new one).
    double overlapOf(const Probe &probe)
    {
        const double overlap = std::max<double>(0, double(probe.lastReturnedMs(0) - probe.firstBeganMs(1)));
        m_overlaps.append(overlap);
        return overlap;
    }

    QString m_workdir;
    int m_runs;
    int m_rate;
    bool m_keep;
    std::unique_ptr<QTemporaryDir> m_dir;
    QStringList m_clientArgs;
    Site m_sites[3];
    QList<double> m_overlaps;   // ms, every run with automatic failover
};

void Bench::setUp()
{
    m_dir = std::make_unique<QTemporaryDir>(m_workdir + QStringLiteral("/ferry-bench-failover-XXXXXX"));
    m_dir->setAutoRemove(!m_keep);
    if (!m_dir->isValid())
        throw FerryError(QStringLiteral("cannot create a directory in %1").arg(m_workdir));
    const QString root = m_dir->path();
    say(QStringLiteral("working in %1").arg(root));
    makeCertificates(ferry::test::ferryctlBinaryPath(), root, {QStringLiteral("dc-a"), QStringLiteral("dc-b"), QStringLiteral("dc-c")}, QStringLiteral("bench"));
    m_clientArgs = {QStringLiteral("--ca"), root + QStringLiteral("/certs/ca.crt"), QStringLiteral("--cert"), root + QStringLiteral("/certs/bench.crt"),
                    QStringLiteral("--key"), root + QStringLiteral("/certs/bench.key")};
    const char *names[3] = {"dc-a", "dc-b", "dc-c"};
    for (int i = 0; i < 3; ++i) {
        Site &site = m_sites[i];
        const QString name = QString::fromLatin1(names[i]);
        site.dbPath = root + QStringLiteral("/%1.db").arg(name);
        DataSource source;
        source.kind = DataSource::Kind::Sqlite;
        source.path = site.dbPath;
        site.db = std::make_unique<Connection>(source);
        site.db->exec(QStringLiteral("PRAGMA journal_mode=wal"));
        if (i == 0) {
            for (const QString &table : {QStringLiteral("g"), QStringLiteral("k"), QStringLiteral("f")}) {
                site.db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER NOT NULL)").arg(table));
                site.db->exec(QStringLiteral("INSERT INTO %1 SELECT value, 'row ' || value, value % 97 FROM "
                                             "(WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < %2) SELECT value FROM c)")
                                  .arg(table).arg(InitialRows));
            }
        }
        site.node = std::make_unique<NodeProcess>(name, QStringLiteral("region-%1").arg(i), root + QLatin1Char('/') + name, root + QStringLiteral("/certs"));
        site.node->addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + site.dbPath);
        const QString error = site.node->start();
        if (!error.isEmpty())
            throw FerryError(error);
    }
}

// Graceful failovers back and forth under the write load.
QList<double> Bench::graceful()
{
    Site *primary = &m_sites[0];
    Site *replica = &m_sites[1];
    ctlChecked({QStringLiteral("link"), QStringLiteral("create"), primary->node->url(QStringLiteral("shop"), QStringLiteral("g")),
                replica->node->url(QStringLiteral("shop"), QStringLiteral("g")), QStringLiteral("--id"), QStringLiteral("g")});
    if (!waitFor([&] { return linkState(*primary, QStringLiteral("g")) == QLatin1String("streaming"); }, 30000))
        throw FerryError(QStringLiteral("link g did not start streaming"));
    QList<double> times;
    qint64 nextId = 1000000;
    for (int run = 1; run <= m_runs; ++run) {
        Writer writer(primary->dbPath, QStringLiteral("g"), nextId, m_rate);
        Writer prober(replica->dbPath, QStringLiteral("g"), nextId + 500000, 500);
        nextId += 1000000;
        writer.start();
        QThread::msleep(1000);   // the load runs steadily before the failover
        if (writer.acknowledgedCount() < m_rate / 2)
            throw FerryError(QStringLiteral("graceful run %1: the writer managed only %2 writes in 1 s: %3").arg(run).arg(writer.acknowledgedCount()).arg(writer.lastError()));
        prober.start();
        QThread::msleep(50);
        if (prober.acknowledgedCount() != 0)
            throw FerryError(QStringLiteral("graceful run %1: %2 accepts writes before the failover").arg(run).arg(replica->node->name()));
        const qint64 startMs = nowMs();
        const Run failover = ctl({QStringLiteral("failover"), primary->node->url(), QStringLiteral("g"), QStringLiteral("--to"), replica->node->name(), QStringLiteral("--json")});
        const qint64 returnedMs = nowMs();
        if (failover.exitCode != 0)
            throw FerryError(QStringLiteral("graceful run %1: %2\nthe link on %3: %4").arg(run).arg(failover.describe(), primary->node->name(), linkJson(*primary, QStringLiteral("g"))));
        // Checked at once: every acknowledged write must already be on the new primary.
        const QSet<qint64> onNew = ids(*replica, QStringLiteral("SELECT id FROM g WHERE id >= %1 AND id < %2").arg(nextId - 1000000).arg(nextId - 500000));
        if (!waitFor([&] { return prober.acknowledgedCount() > 0; }, 10000))
            throw FerryError(QStringLiteral("graceful run %1: %2 accepted no write after the failover").arg(run).arg(replica->node->name()));
        writer.stopNow();
        prober.stopNow();
        const double ms = double(prober.firstAckMs() - startMs);
        qint64 missing = 0;
        for (qint64 id : writer.acknowledged())
            missing += onNew.contains(id) ? 0 : 1;
        if (missing > 0)
            throw FerryError(QStringLiteral("graceful run %1: %2 of %3 acknowledged writes are not on the new primary").arg(run).arg(missing).arg(writer.acknowledgedCount()));
        if (writer.lastAckMs() > returnedMs)
            throw FerryError(QStringLiteral("graceful run %1: the old primary acknowledged a write after the failover").arg(run));
        const int epoch = ferry::test::jsonOf(failover).value(QLatin1String("epoch")).toInt();
        if (epoch != run || role(*replica, QStringLiteral("g")).value(QLatin1String("is_primary")).toBool() != true)
            throw FerryError(QStringLiteral("graceful run %1: epoch %2, roles.json of %3: %4").arg(run).arg(epoch).arg(replica->node->name(),
                                 QString::fromUtf8(QJsonDocument(role(*replica, QStringLiteral("g"))).toJson(QJsonDocument::Compact))));
        if (!refusesWrites(*primary, QStringLiteral("g"), replica->node->name()))
            throw FerryError(QStringLiteral("graceful run %1: %2 does not refuse writes naming %3").arg(run).arg(primary->node->name(), replica->node->name()));
        std::swap(primary, replica);
        if (!waitFor([&] { return linkState(*primary, QStringLiteral("g")) == QLatin1String("streaming"); }, 30000)
            || linkSource(*primary, QStringLiteral("g")) != primary->node->name())
            throw FerryError(QStringLiteral("graceful run %1: the link does not run from %2").arg(run).arg(primary->node->name()));
        say(QStringLiteral("graceful %1/%2: %3 ms (%4 writes acknowledged, ferryctl returned after %5 ms)")
                .arg(run).arg(m_runs).arg(ms, 0, 'f', 0).arg(writer.acknowledgedCount()).arg(returnedMs - startMs));
        times.append(ms);
    }
    // Both tables end identical.
    if (!waitFor([&] { return tableText(m_sites[0], QStringLiteral("g")) == tableText(m_sites[1], QStringLiteral("g")); }, 30000))
        throw FerryError(QStringLiteral("graceful: the tables differ at the end"));
    ctlChecked({QStringLiteral("link"), QStringLiteral("remove"), primary->node->url(), QStringLiteral("g")});
    return times;
}

// Automatic failovers: kill -9 of the primary, then the other way after it returned.
QList<double> Bench::automatic()
{
    Site *primary = &m_sites[0];
    Site *replica = &m_sites[1];
    ctlChecked({QStringLiteral("link"), QStringLiteral("create"), primary->node->url(QStringLiteral("shop"), QStringLiteral("k")),
                replica->node->url(QStringLiteral("shop"), QStringLiteral("k")), QStringLiteral("--id"), QStringLiteral("k"), QStringLiteral("--auto-failover"),
                QStringLiteral("--witness"), m_sites[2].node->address(), QStringLiteral("--failover-timeout"), QString::number(FailoverTimeoutMs)});
    if (!waitFor([&] { return linkState(*primary, QStringLiteral("k")) == QLatin1String("streaming"); }, 30000))
        throw FerryError(QStringLiteral("link k did not start streaming"));
    QList<double> times;
    qint64 nextId = 1000000;
    for (int run = 1; run <= m_runs; ++run) {
        const qint64 firstId = nextId;
        Writer writer(primary->dbPath, QStringLiteral("k"), firstId, 100);
        Writer prober(replica->dbPath, QStringLiteral("k"), firstId + 500000, 500);
        nextId += 1000000;
        writer.start();
        QThread::msleep(700);
        prober.start();
        QThread::msleep(50);
        if (prober.acknowledgedCount() != 0)
            throw FerryError(QStringLiteral("automatic run %1: %2 accepts writes before the failover").arg(run).arg(replica->node->name()));
        writer.stopNow();
        Probe probe(primary->dbPath, replica->dbPath, QStringLiteral("k"), firstId + 800000);
        probe.start();
        QThread::msleep(50);
        const qint64 killMs = nowMs();
        primary->node->kill9();
        if (!waitFor([&] { return prober.acknowledgedCount() > 0 && probe.accepted(1) > 0; }, 20000))
            throw FerryError(QStringLiteral("automatic run %1: %2 was not promoted within 20 s").arg(run).arg(replica->node->name()));
        QThread::msleep(200);
        probe.stopNow();
        prober.stopNow();
        const double ms = double(prober.firstAckMs() - killMs);
        const double overlap = overlapOf(probe);
        const QJsonObject promoted = role(*replica, QStringLiteral("k"));
        if (!promoted.value(QLatin1String("is_primary")).toBool() || promoted.value(QLatin1String("epoch")).toInt() != run)
            throw FerryError(QStringLiteral("automatic run %1: roles.json of %2: %3").arg(run).arg(replica->node->name(),
                                 QString::fromUtf8(QJsonDocument(promoted).toJson(QJsonDocument::Compact))));

        // The old primary returns as the replica of the new epoch, with nothing silently lost.
        const QString error = primary->node->start();
        if (!error.isEmpty())
            throw FerryError(error);
        if (!waitFor([&] {
                const QJsonObject demoted = role(*primary, QStringLiteral("k"));
                return demoted.value(QLatin1String("epoch")).toInt() == run && demoted.value(QLatin1String("primary")).toString() == replica->node->name();
            }, 30000))
            throw FerryError(QStringLiteral("automatic run %1: %2 was not demoted").arg(run).arg(primary->node->name()));
        if (!waitFor([&] { return linkState(*replica, QStringLiteral("k")) == QLatin1String("streaming")
                                  && tableText(*primary, QStringLiteral("k")) == tableText(*replica, QStringLiteral("k")); }, 60000))
            throw FerryError(QStringLiteral("automatic run %1: %2 was not resynchronized").arg(run).arg(primary->node->name()));
        if (!refusesWrites(*primary, QStringLiteral("k"), replica->node->name()))
            throw FerryError(QStringLiteral("automatic run %1: %2 does not refuse writes naming %3").arg(run).arg(primary->node->name(), replica->node->name()));
        const QSet<qint64> onNew = ids(*replica, QStringLiteral("SELECT id FROM k WHERE id >= %1 AND id < %2").arg(firstId).arg(firstId + 500000));
        const QSet<qint64> kept = ids(*primary, QStringLiteral("SELECT CAST(json_extract(key, '$[0]') AS INTEGER) FROM _ferry_conflicts WHERE link = 'k'"));
        qint64 lost = 0;
        qint64 conflicts = 0;
        for (qint64 id : writer.acknowledged()) {
            if (!onNew.contains(id)) {
                ++conflicts;
                lost += kept.contains(id) ? 0 : 1;
            }
        }
        if (lost > 0)
            throw FerryError(QStringLiteral("automatic run %1: %2 acknowledged writes are neither on %3 nor in %4's conflicts table")
                                 .arg(run).arg(lost).arg(replica->node->name(), primary->node->name()));
        ctlChecked({QStringLiteral("failover-ack"), primary->node->url(), QStringLiteral("k")});
        say(QStringLiteral("automatic %1/%2: %3 ms (%4 writes acknowledged, %5 of them unreplicated and kept in %6's conflicts table); "
                           "the old primary's database took its last write %7 ms after the kill; overlap %8 ms")
                .arg(run).arg(m_runs).arg(ms, 0, 'f', 0).arg(writer.acknowledgedCount()).arg(conflicts).arg(primary->node->name())
                .arg(probe.lastReturnedMs(0) - killMs).arg(overlap, 0, 'f', 0));
        times.append(ms);
        std::swap(primary, replica);
    }
    return times;
}

// Automatic failovers of a frozen primary: SIGSTOP, promotion, SIGCONT, demotion.
QList<double> Bench::frozen()
{
    Site *primary = &m_sites[0];
    Site *replica = &m_sites[1];
    ctlChecked({QStringLiteral("link"), QStringLiteral("create"), primary->node->url(QStringLiteral("shop"), QStringLiteral("f")),
                replica->node->url(QStringLiteral("shop"), QStringLiteral("f")), QStringLiteral("--id"), QStringLiteral("f"), QStringLiteral("--auto-failover"),
                QStringLiteral("--witness"), m_sites[2].node->address(), QStringLiteral("--failover-timeout"), QString::number(FailoverTimeoutMs)});
    if (!waitFor([&] { return linkState(*primary, QStringLiteral("f")) == QLatin1String("streaming"); }, 30000))
        throw FerryError(QStringLiteral("link f did not start streaming"));
    QList<double> times;
    qint64 nextId = 1000000;
    for (int run = 1; run <= m_runs; ++run) {
        // The primary holds its lease, and the replica knows it.
        if (!waitFor([&] {
                QSqlQuery query(primary->db->db());
                return query.exec(QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 'f'")) && query.next() && query.value(0).toInt() == 1;
            }, 30000))
            throw FerryError(QStringLiteral("frozen run %1: %2 took no write lease").arg(run).arg(primary->node->name()));
        QThread::msleep(1000);
        Probe probe(primary->dbPath, replica->dbPath, QStringLiteral("f"), nextId);
        nextId += 1000000;
        probe.start();
        QThread::msleep(300);
        if (probe.accepted(0) == 0 || probe.accepted(1) != 0)
            throw FerryError(QStringLiteral("frozen run %1: before the freeze %2 took %3 writes and %4 took %5").arg(run).arg(primary->node->name())
                                 .arg(probe.accepted(0)).arg(replica->node->name()).arg(probe.accepted(1)));
        const qint64 stopMs = nowMs();
        primary->node->sendSignal(SIGSTOP);
        const bool promoted = waitFor([&] { return probe.accepted(1) > 0; }, 20000);
        QThread::msleep(200);
        probe.stopNow();
        primary->node->sendSignal(SIGCONT);
        if (!promoted)
            throw FerryError(QStringLiteral("frozen run %1: %2 was not promoted within 20 s").arg(run).arg(replica->node->name()));
        const double ms = double(probe.firstBeganMs(1) - stopMs);
        const double overlap = overlapOf(probe);
        if (!waitFor([&] {
                const QJsonObject demoted = role(*primary, QStringLiteral("f"));
                return demoted.value(QLatin1String("epoch")).toInt() == run && demoted.value(QLatin1String("primary")).toString() == replica->node->name();
            }, 30000))
            throw FerryError(QStringLiteral("frozen run %1: %2 was not demoted after SIGCONT").arg(run).arg(primary->node->name()));
        if (!waitFor([&] { return linkState(*replica, QStringLiteral("f")) == QLatin1String("streaming")
                                  && tableText(*primary, QStringLiteral("f")) == tableText(*replica, QStringLiteral("f")); }, 60000))
            throw FerryError(QStringLiteral("frozen run %1: %2 was not resynchronized").arg(run).arg(primary->node->name()));
        if (!refusesWrites(*primary, QStringLiteral("f"), replica->node->name()))
            throw FerryError(QStringLiteral("frozen run %1: %2 does not refuse writes naming %3").arg(run).arg(primary->node->name(), replica->node->name()));
        ctlChecked({QStringLiteral("failover-ack"), primary->node->url(), QStringLiteral("f")});
        say(QStringLiteral("frozen %1/%2: SIGSTOP to the first write on %3: %4 ms; %5's database took its last write %6 ms after the SIGSTOP; overlap %7 ms")
                .arg(run).arg(m_runs).arg(replica->node->name()).arg(ms, 0, 'f', 0).arg(primary->node->name()).arg(probe.lastReturnedMs(0) - stopMs)
                .arg(overlap, 0, 'f', 0));
        times.append(ms);
        std::swap(primary, replica);
    }
    return times;
}

double percentile(QList<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const qsizetype rank = std::max<qsizetype>(1, qsizetype(std::ceil(p * values.size())));
    return values.at(std::min(rank, values.size()) - 1);
}

QString seconds(double ms)
{
    return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 3);
}

void Bench::printTable(const QList<double> &gracefulMs, const QList<double> &automaticMs, const QList<double> &frozenMs) const
{
    std::printf("| measurement | runs | min | p50 | p90 | max | target |\n|---|---|---|---|---|---|---|\n");
    auto row = [](const QString &name, const QList<double> &values, const QString &target) {
        std::printf("| %s | %lld | %s | %s | %s | %s | %s |\n", qPrintable(name), qint64(values.size()), qPrintable(seconds(percentile(values, 0))),
                    qPrintable(seconds(percentile(values, 0.5))), qPrintable(seconds(percentile(values, 0.9))), qPrintable(seconds(percentile(values, 1.0))),
                    qPrintable(target));
    };
    row(QStringLiteral("Ferry graceful failover under %1 writes/s: request to first write accepted on the new primary").arg(m_rate), gracefulMs,
        QStringLiteral("at most 1 s"));
    row(QStringLiteral("Ferry automatic failover, timeout 1 s: kill -9 to first write accepted on the new primary"), automaticMs, QStringLiteral("at most 2 s"));
    row(QStringLiteral("Ferry automatic failover, timeout 1 s, write lease %1 ms: SIGSTOP of the primary to first write accepted on the new primary")
            .arg(FailoverTimeoutMs - 250), frozenMs, QStringLiteral("at most 2 s"));
    std::printf("| Ferry automatic failover (kill -9 and SIGSTOP): longest time both databases took writes (overlap) | %lld | | | | %.0f ms | 0 ms |\n",
                qint64(m_overlaps.size()), m_overlaps.isEmpty() ? 0.0 : *std::max_element(m_overlaps.begin(), m_overlaps.end()));
    std::printf("| Couchbase Server auto-failover timeout, default (minimum 1 s on recent Enterprise, 5 s before) | published | | 120 s | | | |\n");
    std::printf("| Patroni ttl (leader lock), default | published | | 30 s | | | |\n");
    std::printf("| Redis Sentinel down-after-milliseconds, default | published | | 30 s | | | |\n");
    std::fflush(stdout);
}

int Bench::run()
{
    setUp();
    say(QStringLiteral("machine: %1, %2 CPUs, %3; load average %4").arg(QSysInfo::prettyProductName()).arg(QThread::idealThreadCount())
            .arg(QSysInfo::currentCpuArchitecture(), loadAverage()));
    const QList<double> gracefulMs = graceful();
    const QList<double> automaticMs = automatic();
    const QList<double> frozenMs = frozen();
    say(QStringLiteral("load average at the end %1").arg(loadAverage()));
    printTable(gracefulMs, automaticMs, frozenMs);
    for (Site &site : m_sites)
        site.node->terminate();
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Failover time of Ferry: graceful under load and automatic after kill -9."));
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"), QStringLiteral("Failovers of each kind (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption rateOption(QStringLiteral("rate"), QStringLiteral("Writes a second during graceful failovers (default 1000)."), QStringLiteral("N"),
                                        QStringLiteral("1000"));
    const QCommandLineOption workdirOption(QStringLiteral("workdir"), QStringLiteral("Where the databases and nodes live (default: the temporary directory)."),
                                           QStringLiteral("DIR"), QDir::tempPath());
    const QCommandLineOption keepOption(QStringLiteral("keep"), QStringLiteral("Keep the working directory (databases, node logs) for a post-mortem."));
    parser.addOptions({runsOption, rateOption, workdirOption, keepOption});
    parser.process(app);
    bool ok = false;
    const int runs = parser.value(runsOption).toInt(&ok);
    if (!ok || runs < 1) {
        say(QStringLiteral("--runs must be a positive whole number"));
        return 2;
    }
    const int rate = parser.value(rateOption).toInt(&ok);
    if (!ok || rate < 1) {
        say(QStringLiteral("--rate must be a positive whole number"));
        return 2;
    }
    try {
        Bench bench(parser.value(workdirOption), runs, rate, parser.isSet(keepOption));
        return bench.run();
    } catch (const FerryError &error) {
        say(QStringLiteral("ferry_bench_failover: %1").arg(error.message()));
        return 1;
    }
}
