// tst_failover: roles, epochs and failover end to end. Three real ferry-node processes on
// loopback with certificates made for this run: dc-a (the primary), dc-b (its replica) and
// dc-c (the witness), each with its own SQLite database in WAL mode. Every link runs from
// dc-a to dc-b through a fault-injecting TCP proxy in this process (nodeprocess.h), so that
// the connection between A and B can be cut, slowed or refused while the witness C still
// reaches A directly. The applications are other connections to the same database files
// (AppWriter threads, and this process's own connections), and every write they make is
// counted only when it committed without error (acknowledged).
//
// - gracefulUnderLoad: an application writes to A at 300 rows/s during `ferryctl failover
//   ferry://A L --to dc-b`: the writes the fence refuses name dc-b; no write is acknowledged
//   by A after the failover returned; every acknowledged row is on B the moment B is
//   primary; the link (same id) runs B -> A in epoch 1; A refuses writes naming dc-b;
//   writes to B arrive on A; `ferryctl compare` finds the tables identical; roles.json of
//   both nodes and the events of both (fenced, drained, promoted, done) say the same.
// - automaticFailoverOnKill: three links (k_run and k_stop with --auto-failover --witness
//   dc-c --failover-timeout 1000, k_force without), kill -9 of A. k_run: an application
//   writes to A up to the kill; B is promoted (the first write B accepts) within timeout +
//   1 s of the kill. k_stop: the link is slowed (40 KB/s) and 2,001 changes are committed
//   well before the kill, so B knows of changes it has not applied. The recovery point B
//   reports (the "automatic failover done" event, `ferryctl failover --force --json` for
//   k_force) is compared with what A's database file really holds after the kill: see
//   checkRecoveryPoint() for the exact assertion. `ferryctl health` on B shows A down.
// - oldPrimaryReturns: A restarts: it is demoted (refuses writes naming dc-b) while B keeps
//   accepting writes; every change B never applied is in A's _ferry_conflicts with both
//   versions (kept = B's row, lost = A's), one per lost row, as many as were lost; the
//   resync makes A's tables identical to B's; B's new writes arrive on A.
// - failback: a graceful failover of k_run back to A under a write load on B restores the
//   direction A -> B with no acknowledged write lost.
// - partitionWitnessSeesPrimary: the proxy refuses A's link connections for 3.5 s while C
//   still reaches A: no failover (B stays replica, A stays primary and keeps accepting
//   writes), B's events say why, B's health shows A down; after healing the link resumes
//   and every row A acknowledged meanwhile arrives.
// - secondAutomaticNeedsAck: an automatic failover to B; A returns as B's replica; kill -9
//   of B: A is not promoted (its events say it waits for failover-ack); after `ferryctl
//   failover-ack ferry://A s` A is promoted.
// - badInput: failover of an unknown link, --to a node that is not the replica, --force
//   asked of the primary, --force while the primary is reachable, a graceful failover asked
//   of the replica, --to another node asked of the replica, no --to, failover-ack of an
//   unknown link, and a failover while another runs (the first one stalled by the proxy,
//   which then fails and lifts its fence): exit 2, a message naming the thing, and nothing
//   changed (roles.json, inbound.json, links.json, guards and capture triggers, the link).
// - leaseGuardInTheDatabase (SQLite and PostgreSQL, no nodes): the write lease guard lets
//   application writes through while the lease holds, refuses them with its message once
//   it lapsed (nothing renews it), always lets an applier's (origin-tagged) write through,
//   follows the earliest of several holders, never moves back, and goes with the last one.
// - frozenPrimaryNoOverlap: SIGSTOP of A with automatic failover armed while a probe writes
//   to both databases every 3 ms: the last write A's database accepted returned before the
//   first B accepted began (no overlap); A's refusals name the lapsed lease; after SIGCONT
//   A becomes B's replica.
// - restartedPrimaryStartsFenced: kill -9 of A, automatic failover, kill -9 of B, then A's
//   database refuses writes before its node starts and for 3 s after (every 50 ms); when B
//   returns, A becomes its replica with B's rows.
// - linkRecreatedAfterFailover: graceful failover, `link remove` and `link create` between
//   the same tables, twice (A -> B, then back): the link streams in the failover's epoch,
//   writes arrive, the replica refuses naming the primary; no event carries "|N|".
// - forcedFailoverRecoveryPointCoversLoss: a link slowed to 6 KB/s under 200 writes/s,
//   kill -9 of A, `failover --force` on B: the reported "at least N" is at most the loss
//   counted in both databases, every lost change lies in the reported window [T1, T2]
//   (T2: when A's lease lapsed), and when A returns the "demoted" event and its
//   _ferry_conflicts count the same number.
// - linkSetEachSetting: `ferryctl link set` of every setting (shown by the node, written to
//   links.json, the link still delivers; the filter filters; auto-failover takes and then
//   releases A's lease); bad values exit 2 naming the setting with links.json unchanged.
// - planListsEveryLink: table "planned" on A with its link to B, a second one-way link
//   A -> C and a cascade B -> C: `ferryctl failover --plan --json` lists the three (the
//   failing link reverses, the other two continue) and changes nothing; with a
//   bidirectional pair A <-> C added, the plan lists it as blocking, the failover is
//   refused naming it and changes nothing; with the pair removed, the failover does what
//   the plan said: a write on B reaches A, and through A and B both tables on C. Then,
//   B killed, the forced plan asked of A lists the link and A's own link, says B's links
//   are not known, and changes nothing.
// - leaseKeptThroughLongRound: a verification round made long (every row of B's copy spoiled,
//   the link capped at 8 KB/s) with automatic failover armed: an application writing to A
//   all along is never refused (A renews its lease on its own schedule, not only with the
//   link's batches), and B does not fail over. Then SIGSTOP of A during a second long
//   round, with a probe writing to both databases: A's database stops taking writes within
//   its lease of the stop, B takes its first write after A's last (no overlap), and every
//   write B acknowledged is still on B once A woke up and became its replica.
//
// With automatic failover armed, the primary's table is fenced by a write lease its
// replica's answers renew (failover/writelease.h): partitionWitnessSeesPrimary checks that
// A stops taking writes within the lease of the cut (B cannot confirm it) and takes them
// again after the heal; secondAutomaticNeedsAck that A, re-armed while B is down and B
// never held a lease, does not promote itself and needs --force.
//
// Every step is checked in `ferryctl events --json` (time, node, link, what, outcome).
// FERRY_TEST_KEEP=1 keeps the node directories (configs, logs, state) for a post-mortem.

#include "nodeprocess.h"
#include "testsupport.h"

#include "net/nodeclient.h"
#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "wire/protocol.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <memory>

using namespace ferry;
using namespace ferry::test;

namespace {

constexpr int SettleMs = 30000;
constexpr int FailoverTimeoutMs = 1000;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// ---------------------------------------------------------------------------------------
// An application: INSERT INTO t (id, v, n) at a steady rate, each in its own transaction
// on its own connection, with ids counting up from firstId (a refused write uses up its
// id, so every id is written at most once). It keeps the ids of the writes that committed
// without error (acknowledged), when the first and the last of them committed, and the
// messages of the refused ones.

class AppWriter : public QThread
{
public:
    AppWriter(const QString &path, const QString &table, qint64 firstId, int perSecond)
        : m_path(path), m_table(table), m_next(firstId), m_perSecond(perSecond) {}
    ~AppWriter() override { stopNow(); }

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
    qint64 acknowledgedCount() const { return m_acknowledgedCount; }
    qint64 refusedCount() const { return m_refused; }
    qint64 firstAckMs() const { return m_firstAckMs; }
    qint64 lastAckMs() const { return m_lastAckMs; }
    QStringList refusals() const
    {
        QMutexLocker locker(&m_mutex);
        return QStringList(m_refusals.begin(), m_refusals.end());
    }
    static QString value(qint64 id) { return QStringLiteral("app %1").arg(id); }

protected:
    void run() override
    {
        const QString name = QStringLiteral("app-writer-%1").arg(quintptr(this));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(m_path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=20000"));
            if (db.open()) {
                QSqlQuery query(db);
                query.prepare(QStringLiteral("INSERT INTO %1 (id, v, n) VALUES (?, ?, ?)").arg(m_table));
                QElapsedTimer clock;
                clock.start();
                qint64 done = 0;
                while (!m_stop) {
                    if (done >= clock.elapsed() * m_perSecond / 1000) {
                        msleep(1);
                        continue;
                    }
                    ++done;
                    const qint64 id = m_next++;
                    query.bindValue(0, id);
                    query.bindValue(1, value(id));
                    query.bindValue(2, id % 97);
                    if (query.exec()) {
                        const qint64 at = nowMs();
                        QMutexLocker locker(&m_mutex);
                        m_acknowledged.append(id);
                        ++m_acknowledgedCount;
                        if (m_firstAckMs == 0)
                            m_firstAckMs = at;
                        m_lastAckMs = at;
                    } else {
                        ++m_refused;
                        QMutexLocker locker(&m_mutex);
                        if (m_refusals.size() < 10)
                            m_refusals.insert(query.lastError().text());
                    }
                    query.finish();
                }
            } else {
                QMutexLocker locker(&m_mutex);
                m_refusals.insert(db.lastError().text());
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
    std::atomic<qint64> m_acknowledgedCount{0};
    std::atomic<qint64> m_refused{0};
    std::atomic<qint64> m_firstAckMs{0};
    std::atomic<qint64> m_lastAckMs{0};
    mutable QMutex m_mutex;
    QList<qint64> m_acknowledged;
    QSet<QString> m_refusals;
};

// A probe that writes to both databases of a pair, one after the other, every few ms, each
// write in its own transaction on its own connection, and keeps when each write that
// committed began and returned (ms since the epoch). Both databases take writes at the same
// moment when a write to one committed after a write to the other did.
class OverlapProbe : public QThread
{
public:
    OverlapProbe(const QString &pathA, const QString &pathB, const QString &table, qint64 firstId)
        : m_paths{pathA, pathB}, m_table(table), m_next(firstId) {}
    ~OverlapProbe() override { stopNow(); }
    void stopNow()
    {
        m_stop = true;
        wait();
    }
    struct Write
    {
        qint64 beganMs = 0;
        qint64 returnedMs = 0;
    };
    QList<Write> accepted(int side) const
    {
        QMutexLocker locker(&m_mutex);
        return m_accepted[side];
    }
    int acceptedCount(int side) const
    {
        QMutexLocker locker(&m_mutex);
        return int(m_accepted[side].size());
    }
    QStringList refusals(int side) const
    {
        QMutexLocker locker(&m_mutex);
        return QStringList(m_refusals[side].begin(), m_refusals[side].end());
    }

protected:
    void run() override
    {
        const QString names[2] = {QStringLiteral("probe-a-%1").arg(quintptr(this)), QStringLiteral("probe-b-%1").arg(quintptr(this))};
        {
            QSqlDatabase db[2];
            for (int side = 0; side < 2; ++side) {
                db[side] = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), names[side]);
                db[side].setDatabaseName(m_paths[side]);
                // A frozen node may hold the write lock: a write that waits is a refused one.
                db[side].setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=100"));
                db[side].open();
            }
            while (!m_stop) {
                for (int side = 0; side < 2; ++side) {
                    QSqlQuery query(db[side]);
                    const qint64 id = m_next++;
                    const qint64 began = nowMs();
                    const bool ok = query.exec(QStringLiteral("INSERT INTO %1 (id, v, n) VALUES (%2, 'probe', %3)").arg(m_table).arg(id).arg(side));
                    const qint64 returned = nowMs();
                    QMutexLocker locker(&m_mutex);
                    if (ok)
                        m_accepted[side].append(Write{began, returned});
                    else if (m_refusals[side].size() < 10)
                        m_refusals[side].insert(query.lastError().text());
                }
                msleep(3);
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
    mutable QMutex m_mutex;
    QList<Write> m_accepted[2];
    QSet<QString> m_refusals[2];
};

qint64 number(ScratchDatabase &db, const QString &sql)
{
    try {
        const QList<QVariantList> rows = db.query(sql);
        if (rows.isEmpty() || rows.first().isEmpty() || rows.first().first().isNull())
            return -1;
        return rows.first().first().toLongLong();
    } catch (const FerryError &error) {
        qWarning("%s", qPrintable(error.message()));
        return -1;
    }
}

// An application's write; returns the database's error ("" when it committed).
QString tryWrite(ScratchDatabase &db, const QString &sql)
{
    try {
        db.exec(sql);
    } catch (const FerryError &error) {
        return error.message();
    }
    return QString();
}

// Every row of a table as "id|v|n", by id.
QMap<qint64, QString> rowsOf(ScratchDatabase &db, const QString &table)
{
    QMap<qint64, QString> rows;
    try {
        for (const QVariantList &row : db.query(QStringLiteral("SELECT id, v, n FROM %1 ORDER BY id").arg(table)))
            rows.insert(row.value(0).toLongLong(), QStringLiteral("%1|%2|%3").arg(row.value(0).toLongLong()).arg(row.value(1).toString()).arg(row.value(2).toLongLong()));
    } catch (const FerryError &error) {
        qWarning("%s", qPrintable(error.message()));
    }
    return rows;
}

// "" when both maps hold the same rows; otherwise the first few differences.
QString rowsDifference(const QMap<qint64, QString> &expected, const QMap<qint64, QString> &actual)
{
    QStringList differences;
    for (auto it = expected.begin(); it != expected.end() && differences.size() < 5; ++it) {
        if (!actual.contains(it.key()))
            differences.append(QStringLiteral("missing %1").arg(it.value()));
        else if (actual.value(it.key()) != it.value())
            differences.append(QStringLiteral("%1 instead of %2").arg(actual.value(it.key()), it.value()));
    }
    for (auto it = actual.begin(); it != actual.end() && differences.size() < 5; ++it) {
        if (!expected.contains(it.key()))
            differences.append(QStringLiteral("extra %1").arg(it.value()));
    }
    if (differences.isEmpty())
        return QString();
    return QStringLiteral("%1 rows expected, %2 found: %3").arg(expected.size()).arg(actual.size()).arg(differences.join(QLatin1String("; ")));
}

// A JSON array of a conflicts record (kept or lost) as "id|v|n"; "" for an empty one.
QString recordText(const QString &json)
{
    if (json.isEmpty())
        return QString();
    const QJsonArray values = QJsonDocument::fromJson(json.toUtf8()).array();
    return QStringLiteral("%1|%2|%3").arg(qint64(values.at(0).toDouble())).arg(values.at(1).toString()).arg(qint64(values.at(2).toDouble()));
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(none)");
}

QJsonObject jsonFile(const QString &path)
{
    return QJsonDocument::fromJson(fileBytes(path)).object();
}

} // namespace

class TstFailover : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();

    void gracefulUnderLoad();
    void automaticFailoverOnKill();
    void oldPrimaryReturns();
    void failback();
    void partitionWitnessSeesPrimary();
    void secondAutomaticNeedsAck();
    void badInput();
    void leaseGuardInTheDatabase_data();
    void leaseGuardInTheDatabase();
    void frozenPrimaryNoOverlap();
    void restartedPrimaryStartsFenced();
    void linkRecreatedAfterFailover();
    void forcedFailoverRecoveryPointCoversLoss();
    void linkSetEachSetting();
    void leaseKeptThroughLongRound();
    void planListsEveryLink();

private:
    Run ctl(const QStringList &arguments, int timeoutMs = 60000) const
    {
        return runProgram(ferryctlBinaryPath(), arguments + m_clientArgs, timeoutMs);
    }
    QString viaProxy(const ProxyThread &proxy, const QString &table) const;
    // Creates the table on A (rows 1..rows) and a link A -> B through proxy, with options;
    // waits until it streams and B holds the same rows.
    void createLinkedTable(const QString &table, int rows, ProxyThread &proxy, const QStringList &options = {});
    QStringList autoFailoverOptions() const
    {
        return {QStringLiteral("--auto-failover"), QStringLiteral("--witness"), m_c->address(), QStringLiteral("--failover-timeout"),
                QString::number(FailoverTimeoutMs)};
    }
    QJsonObject linkShow(NodeProcess &node, const QString &id);
    QString linkState(NodeProcess &node, const QString &id)
    {
        return linkShow(node, id).value(QLatin1String("stats")).toObject().value(QLatin1String("state")).toString();
    }
    QString describe(NodeProcess &node, const QString &id);
    // The role of shop/table in the node's roles.json (empty when it has none).
    QJsonObject role(NodeProcess &node, const QString &table)
    {
        return jsonFile(node.dataDirectory() + QStringLiteral("/roles.json")).value(QLatin1String("tables")).toObject().value(QStringLiteral("shop/") + table).toObject();
    }
    QJsonArray events(NodeProcess &node);
    // The newest event of the link whose "what" contains what; empty when there is none.
    QJsonObject findEvent(NodeProcess &node, const QString &link, const QString &what);
    bool waitForEvent(NodeProcess &node, const QString &link, const QString &what, int timeoutMs = SettleMs)
    {
        return QTest::qWaitFor([&] { return !findEvent(node, link, what).isEmpty(); }, timeoutMs);
    }
    // Checks that the event is there and complete (time, node, link, what, outcome).
    void checkEvent(NodeProcess &node, const QString &link, const QString &what);
    QJsonArray healthPeers(NodeProcess &node, int *heartbeatMs = nullptr);
    // Waits until B says A's table is fenced by a write lease for the link (B's answers
    // renew it): only then may B promote itself automatically.
    bool waitLeased(const QString &link, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] {
            for (const QJsonValue &peer : healthPeers(*m_b)) {
                if (peer.toObject().value(QLatin1String("link")).toString() == link && peer.toObject().value(QLatin1String("leased")).toBool())
                    return true;
            }
            return false;
        }, timeoutMs);
    }
    QString waitIdentical(ScratchDatabase &primary, ScratchDatabase &replica, const QString &table, int timeoutMs = SettleMs);
    void compareWithFerryctl(NodeProcess &primary, NodeProcess &replica, const QString &table);
    void removeAllLinks();
    bool restart(NodeProcess &node);
    ScratchDatabase &dbOf(NodeProcess &node) { return &node == m_a.get() ? *m_aShop : &node == m_b.get() ? *m_bShop : *m_cShop; }
    // roles.json, inbound.json and links.json of A and B, and the _ferry_ objects of both
    // databases: what a refused failover must leave as it was.
    QString stateSnapshot();
    // Makes every row of B's copy of table differ from A's (written as an applier would, so
    // that the replica guard lets it through): the next verification round repairs them all.
    void spoilReplica(const QString &table);
    // See the definition.
    void checkRecoveryPoint(const QString &table, qint64 reported, qint64 killMs, bool writerStoppedEarly);

    std::unique_ptr<QTemporaryDir> m_root;
    QString m_pki;
    QStringList m_clientArgs;
    std::unique_ptr<ScratchDatabase> m_aShop, m_bShop, m_cShop;
    std::unique_ptr<NodeProcess> m_a, m_b, m_c;
    std::unique_ptr<ProxyThread> m_proxy;   // A -> B
    std::unique_ptr<ProxyThread> m_slow;    // A -> B, slowed for k_stop
    qint64 m_testStartMs = 0;
    int m_heartbeatMs = 250;

    // automaticFailoverOnKill -> oldPrimaryReturns -> failback
    bool m_killDone = false;
    bool m_returnDone = false;
    QMap<QString, QMap<qint64, QString>> m_lost;   // table -> the rows A had that B did not, as A had them
    QMap<QString, QMap<qint64, QString>> m_kept;   // table -> B's version of those keys ("" for none)
    QMap<QString, qint64> m_lostChanges;           // table -> changes of A's log B never applied
    qint64 m_collisionId = 0;
};

// ---------------------------------------------------------------------------------------
// Set-up and helpers

void TstFailover::initTestCase()
{
    QVERIFY2(QFileInfo(nodeBinaryPath()).isExecutable(), qPrintable(nodeBinaryPath()));
    QVERIFY2(QFileInfo(ferryctlBinaryPath()).isExecutable(), qPrintable(ferryctlBinaryPath()));
    QVERIFY(QSslSocket::supportsSsl());
    m_testStartMs = nowMs();
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    if (qEnvironmentVariableIsSet("FERRY_TEST_KEEP")) {
        m_root->setAutoRemove(false);
        qInfo("keeping %s", qPrintable(m_root->path()));
    }
    m_pki = m_root->filePath(QStringLiteral("pki"));
    try {
        createDeploymentCa(m_pki);
        for (const char *name : {"dc-a", "dc-b", "dc-c", "console"})
        {
            // Nodes hold node certificates; the tests' own client is an admin.
            IssueOptions role;
            role.role = QByteArray(name).startsWith("dc-") ? Role::Node : Role::Admin;
            issueCertificate(m_pki, QString::fromLatin1(name), role);
        }
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    m_clientArgs = {QStringLiteral("--ca"), m_pki + QStringLiteral("/ca.crt"), QStringLiteral("--cert"), m_pki + QStringLiteral("/console.crt"),
                    QStringLiteral("--key"), m_pki + QStringLiteral("/console.key")};
    try {
        m_aShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_bShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        m_cShop = std::make_unique<ScratchDatabase>(Backend::Sqlite);
        for (ScratchDatabase *db : {m_aShop.get(), m_bShop.get(), m_cShop.get()})
            db->query(QStringLiteral("PRAGMA journal_mode=wal"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    m_a = std::make_unique<NodeProcess>(QStringLiteral("dc-a"), QStringLiteral("us-east"), m_root->filePath(QStringLiteral("a")), m_pki);
    m_b = std::make_unique<NodeProcess>(QStringLiteral("dc-b"), QStringLiteral("eu-west"), m_root->filePath(QStringLiteral("b")), m_pki);
    m_c = std::make_unique<NodeProcess>(QStringLiteral("dc-c"), QStringLiteral("ap-south"), m_root->filePath(QStringLiteral("c")), m_pki);
    m_a->addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_aShop->dataSource().path);
    m_b->addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_bShop->dataSource().path);
    m_c->addDatabase(QStringLiteral("shop"), QStringLiteral("sqlite:") + m_cShop->dataSource().path);
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get()}) {
        const QString error = node->start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    m_proxy = std::make_unique<ProxyThread>(m_b->port());
    m_slow = std::make_unique<ProxyThread>(m_b->port());
    QVERIFY(m_proxy->port() != 0 && m_slow->port() != 0);
    int heartbeat = 0;
    healthPeers(*m_b, &heartbeat);
    QVERIFY2(heartbeat > 0, "health did not report heartbeat_ms");
    m_heartbeatMs = heartbeat;
}

bool TstFailover::restart(NodeProcess &node)
{
    const QString error = node.start();
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return error.isEmpty();
}

void TstFailover::cleanup()
{
    for (ProxyThread *proxy : {m_proxy.get(), m_slow.get()}) {
        proxy->setRate(0);
        proxy->setMode(FaultProxy::Pass);
        proxy->setRefusing(false);
    }
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get()}) {
        if (!node->isRunning())
            restart(*node);
    }
}

void TstFailover::cleanupTestCase()
{
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get()}) {
        if (node && node->isRunning()) {
            const int status = node->terminate();
            if (status != 0)
                qWarning("%s stopped with %d; its log:\n%s", qPrintable(node->name()), status, qPrintable(node->logSince(0).right(4000)));
        }
    }
    m_proxy.reset();
    m_slow.reset();
}

// Every scenario starts without the links of the ones before (their heartbeats would keep
// the nodes seeing each other through another path than the proxy).
void TstFailover::removeAllLinks()
{
    for (NodeProcess *node : {m_a.get(), m_b.get(), m_c.get()}) {
        if (!node->isRunning())
            continue;
        const Run list = ctl({QStringLiteral("link"), QStringLiteral("list"), node->url(), QStringLiteral("--json")});
        for (const QJsonValue &entry : jsonOf(list).value(QLatin1String("links")).toArray()) {
            const QString id = entry.toObject().value(QLatin1String("link")).toObject().value(QLatin1String("id")).toString();
            const Run removed = ctl({QStringLiteral("link"), QStringLiteral("remove"), node->url(), id});
            if (removed.exitCode != 0)
                qWarning("removing link %s from %s: %s", qPrintable(id), qPrintable(node->name()), qPrintable(removed.describe()));
        }
    }
}

QString TstFailover::viaProxy(const ProxyThread &proxy, const QString &table) const
{
    return QStringLiteral("ferry://127.0.0.1:%1/shop?table=%2").arg(const_cast<ProxyThread &>(proxy).port()).arg(table);
}

void TstFailover::createLinkedTable(const QString &table, int rows, ProxyThread &proxy, const QStringList &options)
{
    FERRY_NO_THROW(m_aShop->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, v TEXT NOT NULL, n INTEGER NOT NULL)").arg(table)));
    FERRY_NO_THROW(m_aShop->exec(QStringLiteral("INSERT INTO %1 SELECT value, 'row ' || value, value % 97 FROM "
                                                "(WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < %2) SELECT value FROM c)")
                                     .arg(table).arg(rows)));
    const Run run = ctl(QStringList{QStringLiteral("link"), QStringLiteral("create"), m_a->url(QStringLiteral("shop"), table), viaProxy(proxy, table),
                                    QStringLiteral("--id"), table, QStringLiteral("--json")}
                        + options);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_a, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_a, table)));
    const QString difference = waitIdentical(*m_aShop, *m_bShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

QJsonObject TstFailover::linkShow(NodeProcess &node, const QString &id)
{
    if (!node.isRunning())
        return {};
    const Run run = ctl({QStringLiteral("link"), QStringLiteral("show"), node.url(), id, QStringLiteral("--json")}, 10000);
    if (run.exitCode != 0)
        return {};
    return jsonOf(run);
}

QString TstFailover::describe(NodeProcess &node, const QString &id)
{
    return QStringLiteral("link %1 on %2: %3\nlog tail:\n%4")
        .arg(id, node.name(), QString::fromUtf8(QJsonDocument(linkShow(node, id)).toJson(QJsonDocument::Compact)),
             node.logSince(std::max<qsizetype>(0, node.logSize() - 4000)));
}

QJsonArray TstFailover::events(NodeProcess &node)
{
    const Run run = ctl({QStringLiteral("events"), node.url(), QStringLiteral("--count"), QStringLiteral("5000"), QStringLiteral("--json")}, 10000);
    if (run.exitCode != 0) {
        qWarning("events of %s: %s", qPrintable(node.name()), qPrintable(run.describe()));
        return {};
    }
    return jsonOf(run).value(QLatin1String("events")).toArray();
}

QJsonObject TstFailover::findEvent(NodeProcess &node, const QString &link, const QString &what)
{
    const QJsonArray all = events(node);
    for (qsizetype i = all.size() - 1; i >= 0; --i) {
        const QJsonObject event = all.at(i).toObject();
        if (event.value(QLatin1String("link")).toString() == link && event.value(QLatin1String("what")).toString().contains(what))
            return event;
    }
    return {};
}

void TstFailover::checkEvent(NodeProcess &node, const QString &link, const QString &what)
{
    const QJsonObject event = findEvent(node, link, what);
    QVERIFY2(!event.isEmpty(), qPrintable(QStringLiteral("no event \"%1\" of link %2 on %3; its events:\n%4")
                                              .arg(what, link, node.name(), QString::fromUtf8(QJsonDocument(events(node)).toJson()).right(6000))));
    const qint64 at = qint64(event.value(QLatin1String("at_ms")).toDouble());
    QVERIFY2(at >= m_testStartMs && at <= nowMs(), qPrintable(QStringLiteral("event time %1").arg(at)));
    QCOMPARE(event.value(QLatin1String("node")).toString(), node.name());
    QCOMPARE(event.value(QLatin1String("link")).toString(), link);
    QVERIFY(!event.value(QLatin1String("outcome")).toString().isEmpty());
    QVERIFY(!event.value(QLatin1String("severity")).toString().isEmpty());
}

QJsonArray TstFailover::healthPeers(NodeProcess &node, int *heartbeatMs)
{
    const Run run = ctl({QStringLiteral("health"), node.url(), QStringLiteral("--json")}, 10000);
    if (run.exitCode != 0) {
        qWarning("health of %s: %s", qPrintable(node.name()), qPrintable(run.describe()));
        return {};
    }
    const QJsonObject health = jsonOf(run);
    if (heartbeatMs)
        *heartbeatMs = health.value(QLatin1String("heartbeat_ms")).toInt();
    return health.value(QLatin1String("peers")).toArray();
}

QString TstFailover::waitIdentical(ScratchDatabase &primary, ScratchDatabase &replica, const QString &table, int timeoutMs)
{
    QString difference;
    (void)QTest::qWaitFor([&] {
        difference = rowsDifference(rowsOf(primary, table), rowsOf(replica, table));
        if (!difference.isEmpty())
            QTest::qWait(50);
        return difference.isEmpty();
    }, timeoutMs);
    return difference;
}

void TstFailover::compareWithFerryctl(NodeProcess &primary, NodeProcess &replica, const QString &table)
{
    const Run run = ctl({QStringLiteral("compare"), primary.url(QStringLiteral("shop"), table), replica.url(QStringLiteral("shop"), table), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QJsonObject summary = jsonOf(run);
    QCOMPARE(summary.value(QLatin1String("identical_after")).toBool(), true);
    QCOMPARE(summary.value(QLatin1String("blocks_differing")).toInt(-1), 0);
}

QString TstFailover::stateSnapshot()
{
    QStringList parts;
    for (NodeProcess *node : {m_a.get(), m_b.get()}) {
        for (const char *file : {"roles.json", "inbound.json", "links.json"})
            parts.append(QStringLiteral("%1/%2: %3").arg(node->name(), QLatin1String(file), QString::fromLatin1(fileHash(node->dataDirectory() + QLatin1Char('/') + QLatin1String(file)))));
        try {
            for (const QVariantList &row : dbOf(*node).query(QStringLiteral("SELECT type, name FROM sqlite_master WHERE name LIKE '\\_ferry%' ESCAPE '\\' ORDER BY name")))
                parts.append(QStringLiteral("%1 %2 %3").arg(node->name(), row.value(0).toString(), row.value(1).toString()));
        } catch (const FerryError &error) {
            parts.append(error.message());
        }
    }
    return parts.join(QLatin1Char('\n'));
}

// ---------------------------------------------------------------------------------------
// 1. Graceful failover under a steady write load

void TstFailover::gracefulUnderLoad()
{
    removeAllLinks();
    const QString table = QStringLiteral("g");
    createLinkedTable(table, 500, *m_proxy);
    if (QTest::currentTestFailed())
        return;

    AppWriter writer(m_aShop->dataSource().path, table, 100000, 300);
    writer.start();
    QVERIFY(QTest::qWaitFor([&] { return writer.acknowledgedCount() >= 150; }, 10000));

    const Run run = ctl({QStringLiteral("failover"), m_a->url(), table, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--json")});
    const qint64 returnedMs = nowMs();
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + describe(*m_a, table)));
    const QJsonObject result = jsonOf(run);
    QCOMPARE(result.value(QLatin1String("link")).toString(), table);
    QCOMPARE(result.value(QLatin1String("from")).toString(), QStringLiteral("dc-a"));
    QCOMPARE(result.value(QLatin1String("to")).toString(), QStringLiteral("dc-b"));
    QCOMPARE(result.value(QLatin1String("epoch")).toInt(), 1);
    QCOMPARE(result.value(QLatin1String("forced")).toBool(true), false);
    QCOMPARE(result.value(QLatin1String("changes_at_risk")).toInt(-1), 0);
    QVERIFY(result.value(QLatin1String("duration_ms")).toDouble(-1) >= 0);

    // Every write A acknowledged is on B the moment B is primary: nothing to wait for.
    const QMap<qint64, QString> onB = rowsOf(*m_bShop, table);
    QTest::qWait(500);   // the application goes on writing to A: every write is refused now
    writer.stopNow();
    const QList<qint64> acknowledged = writer.acknowledged();
    QVERIFY(acknowledged.size() >= 150);
    QStringList missing;
    for (qint64 id : acknowledged) {
        if (onB.value(id) != QStringLiteral("%1|%2|%3").arg(id).arg(AppWriter::value(id)).arg(id % 97))
            missing.append(QString::number(id));
    }
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1 of %2 acknowledged rows not on B when it became primary: %3")
                                               .arg(missing.size()).arg(acknowledged.size()).arg(missing.mid(0, 20).join(QLatin1Char(' ')))));
    QVERIFY2(writer.lastAckMs() <= returnedMs, "A acknowledged a write after the failover returned");
    QVERIFY(writer.refusedCount() > 0);
    for (const QString &refusal : writer.refusals())
        QVERIFY2(refusal.contains(QLatin1String("dc-b")), qPrintable(refusal));
    qInfo("graceful failover under load: %lld writes acknowledged, %lld refused, failover took %lld ms (ferryctl %lld ms)",
          qint64(acknowledged.size()), writer.refusedCount(), qint64(result.value(QLatin1String("duration_ms")).toDouble()), run.ms);

    // The link runs B -> A with the same id, in epoch 1; A runs it no more.
    QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_b, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_b, table)));
    const QJsonObject reversed = linkShow(*m_b, table).value(QLatin1String("link")).toObject();
    QCOMPARE(reversed.value(QLatin1String("source_node")).toString(), QStringLiteral("dc-b"));
    QCOMPARE(reversed.value(QLatin1String("target_node")).toString(), QStringLiteral("dc-a"));
    QCOMPARE(reversed.value(QLatin1String("epoch")).toInt(), 1);
    QVERIFY(linkShow(*m_a, table).isEmpty());
    QCOMPARE(role(*m_a, table).value(QLatin1String("epoch")).toInt(), 1);
    QCOMPARE(role(*m_a, table).value(QLatin1String("primary")).toString(), QStringLiteral("dc-b"));
    QCOMPARE(role(*m_a, table).value(QLatin1String("is_primary")).toBool(true), false);
    QCOMPARE(role(*m_b, table).value(QLatin1String("primary")).toString(), QStringLiteral("dc-b"));
    QCOMPARE(role(*m_b, table).value(QLatin1String("is_primary")).toBool(), true);

    // A refuses applications' writes and names the new primary; B takes them and they arrive on A.
    const QString refused = tryWrite(*m_aShop, QStringLiteral("INSERT INTO g VALUES (900001, 'on a', 1)"));
    QVERIFY2(refused.contains(QLatin1String("dc-b")), qPrintable(refused));
    QCOMPARE(number(*m_aShop, QStringLiteral("SELECT count(*) FROM g WHERE id = 900001")), 0);
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("INSERT INTO g VALUES (900002, 'on b', 2)")), QString());
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("UPDATE g SET v = 'changed on b' WHERE id = 1")), QString());
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("DELETE FROM g WHERE id = 2")), QString());
    const QString difference = waitIdentical(*m_bShop, *m_aShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_b, table)));
    compareWithFerryctl(*m_b, *m_a, table);

    for (const char *what : {"graceful failover started", "fenced", "drained", "graceful failover done"})
        checkEvent(*m_a, table, QLatin1String(what));
    checkEvent(*m_b, table, QStringLiteral("promoted"));
}

// ---------------------------------------------------------------------------------------
// 2. kill -9 of the primary with automatic failover

// The recovery point B reported (changes_at_risk: what A's last message said its change
// log held, minus what B applied) against what really was lost: the changes of A's log,
// read from A's database file after the kill, that B never applied.
//
// B learns where A's log ends from every batch and every heartbeat (an empty batch A sends
// when it has had nothing to send for heartbeat_ms), so:
// - when the application stopped writing more than a heartbeat before the kill, the last
//   message B received carried A's final log position, and the report matches the real
//   loss exactly (k_stop: 2,001 changes committed long before the kill on a slowed link,
//   of which B applied the first batches only);
// - with writes up to the kill, the changes committed after the last message B received
//   cannot be counted. The report never exceeds the real loss (it counts only committed
//   changes A told B about), and every change it misses was committed less than one
//   heartbeat interval (plus 250 ms for building, sending and reading a message on this
//   loaded two-core machine) before the kill. While the application writes, A sends a batch
//   within milliseconds of each commit, so in practice the gap is a few changes at most.
void TstFailover::checkRecoveryPoint(const QString &table, qint64 reported, qint64 killMs, bool writerStoppedEarly)
{
    // No row for the link when B never applied a change of it (only the initial sync).
    const qint64 applied = std::max<qint64>(0, number(*m_bShop, QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = '%1@0'").arg(table)));
    QList<QPair<qint64, qint64>> lost;   // seq, committed at (µs)
    for (const QVariantList &row : m_aShop->query(QStringLiteral("SELECT seq, at FROM _ferry_log_%1 WHERE seq > %2 ORDER BY seq").arg(table).arg(applied)))
        lost.append({row.value(0).toLongLong(), row.value(1).toLongLong()});
    m_lostChanges.insert(table, lost.size());
    qInfo("%s: B applied up to %lld; %lld changes of A's log never reached B; B reported %lld at risk",
          qPrintable(table), applied, qint64(lost.size()), reported);
    QVERIFY2(reported >= 0, qPrintable(QStringLiteral("no recovery point for %1").arg(table)));
    QVERIFY2(reported <= lost.size(), qPrintable(QStringLiteral("%1: %2 changes reported at risk, only %3 lost").arg(table).arg(reported).arg(lost.size())));
    if (writerStoppedEarly) {
        QCOMPARE(reported, qint64(lost.size()));
        return;
    }
    const qint64 windowUs = (qint64(m_heartbeatMs) + 250) * 1000;
    for (qsizetype i = reported; i < lost.size(); ++i) {
        QVERIFY2(lost.at(i).second >= killMs * 1000 - windowUs,
                 qPrintable(QStringLiteral("%1: change %2, committed %3 ms before the kill, was not reported at risk")
                                .arg(table).arg(lost.at(i).first).arg(killMs - lost.at(i).second / 1000)));
    }
}

void TstFailover::automaticFailoverOnKill()
{
    removeAllLinks();
    createLinkedTable(QStringLiteral("k_run"), 300, *m_proxy, autoFailoverOptions());
    createLinkedTable(QStringLiteral("k_stop"), 300, *m_slow, autoFailoverOptions());
    createLinkedTable(QStringLiteral("k_force"), 300, *m_proxy);
    if (QTest::currentTestFailed())
        return;
    for (const QString &link : {QStringLiteral("k_run"), QStringLiteral("k_stop")})
        QVERIFY2(waitLeased(link), qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));
    QVERIFY2(QTest::qWaitFor([&] {
        const QJsonArray peers = healthPeers(*m_b);
        int healthy = 0;
        for (const QJsonValue &peer : peers)
            healthy += peer.toObject().value(QLatin1String("state")).toString() == QLatin1String("healthy");
        return healthy == 3;
    }, 10000), qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));

    // k_stop: a slow link, and 2,001 changes committed at once, long before the kill.
    m_slow->setRate(40000);
    const qint64 stopBase = number(*m_bShop, QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = 'k_stop@0'"));
    FERRY_NO_THROW(m_aShop->exec(QStringLiteral("BEGIN")));
    FERRY_NO_THROW(m_aShop->exec(QStringLiteral("INSERT INTO k_stop SELECT value, 'burst ' || value, value % 97 FROM "
                                                "(WITH RECURSIVE c(value) AS (SELECT 10001 UNION ALL SELECT value + 1 FROM c WHERE value < 12000) SELECT value FROM c)")));
    FERRY_NO_THROW(m_aShop->exec(QStringLiteral("UPDATE k_stop SET v = 'changed on a', n = 1000 WHERE id = 1")));
    FERRY_NO_THROW(m_aShop->exec(QStringLiteral("COMMIT")));
    const qint64 burstMs = nowMs();

    // k_run: an application writes to A up to the kill; another tries to write to B.
    AppWriter onA(m_aShop->dataSource().path, QStringLiteral("k_run"), 100000, 200);
    onA.start();
    // B knows of the whole burst (its first batch carried the log's end) and applied part of it.
    QVERIFY2(QTest::qWaitFor([&] { return number(*m_bShop, QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = 'k_stop@0'")) > stopBase; }, 20000),
             qPrintable(describe(*m_a, QStringLiteral("k_stop"))));
    const qint64 firstBatchMs = nowMs() - burstMs;
    QTest::qWait(std::max<int>(0, int(burstMs + 2 * m_heartbeatMs - nowMs())));
    const qint64 appliedBeforeKill = number(*m_bShop, QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = 'k_stop@0'"));
    qInfo("k_stop: the first batch of the burst was applied on B %lld ms after the commit", firstBatchMs);
    QVERIFY2(appliedBeforeKill < stopBase + 2001, "the slowed link drained before the kill: slow it more");
    QVERIFY(onA.acknowledgedCount() > 50);
    AppWriter onB(m_bShop->dataSource().path, QStringLiteral("k_run"), 500000, 200);
    onB.start();
    QTest::qWait(100);
    QCOMPARE(onB.acknowledgedCount(), qint64(0));   // B is a replica

    onA.stopNow();
    const qint64 killMs = nowMs();
    m_a->kill9();
    m_slow->setRate(0);

    // The rows of A's database as the kill left them (the database outlives the node).
    const QMap<qint64, QString> aRun = rowsOf(*m_aShop, QStringLiteral("k_run"));
    const QMap<qint64, QString> aStop = rowsOf(*m_aShop, QStringLiteral("k_stop"));

    // B is promoted within the timeout + 1 s: the first write B accepts.
    QVERIFY2(QTest::qWaitFor([&] { return onB.acknowledgedCount() > 0; }, 10000), qPrintable(describe(*m_b, QStringLiteral("k_run"))));
    const qint64 promotedAfterMs = onB.firstAckMs() - killMs;
    onB.stopNow();
    qInfo("kill -9 to the first write accepted on B: %lld ms (timeout %d ms)", promotedAfterMs, FailoverTimeoutMs);
    QVERIFY2(promotedAfterMs <= FailoverTimeoutMs + 1000, qPrintable(QStringLiteral("promoted %1 ms after the kill").arg(promotedAfterMs)));
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_b, QStringLiteral("k_stop")).value(QLatin1String("is_primary")).toBool(); }, 10000),
             qPrintable(describe(*m_b, QStringLiteral("k_stop"))));
    for (const QString &refusal : onB.refusals())
        QVERIFY2(refusal.contains(QLatin1String("dc-a")), qPrintable(refusal));

    // The reported recovery points against A's database file.
    static const QRegularExpression atRisk(QStringLiteral("at least (\\d+) changes written on dc-a between (\\S+) and"));
    for (const QString &table : {QStringLiteral("k_run"), QStringLiteral("k_stop")}) {
        QVERIFY(waitForEvent(*m_b, table, QStringLiteral("automatic failover done"), 5000));
        checkEvent(*m_b, table, QStringLiteral("automatic failover started"));
        checkEvent(*m_b, table, QStringLiteral("automatic failover done"));
        const QString outcome = findEvent(*m_b, table, QStringLiteral("automatic failover done")).value(QLatin1String("outcome")).toString();
        const QRegularExpressionMatch match = atRisk.match(outcome);
        const qint64 reported = match.hasMatch() ? match.captured(1).toLongLong() : -1;
        // Never "nothing lost": the bound says what B cannot know.
        QVERIFY2(!outcome.contains(QLatin1String("no change is known to be lost")), qPrintable(outcome));
        QVERIFY2(reported >= 0, qPrintable(outcome));
        checkRecoveryPoint(table, reported, killMs, table == QLatin1String("k_stop"));
        if (QTest::currentTestFailed())
            return;
        if (table == QLatin1String("k_stop")) {
            QVERIFY2(reported > 1000, qPrintable(outcome));
            // "since": no later than the oldest change B lost.
            const qint64 oldestLostUs = number(*m_aShop, QStringLiteral("SELECT min(at) FROM _ferry_log_k_stop WHERE seq > %1")
                                                             .arg(number(*m_bShop, QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = 'k_stop@0'"))));
            const QDateTime since = QDateTime::fromString(match.captured(2).remove(QRegularExpression(QStringLiteral("[;,.]$"))), Qt::ISODateWithMs);
            QVERIFY2(since.isValid() && since.toMSecsSinceEpoch() <= oldestLostUs / 1000 + 1, qPrintable(outcome));
        }
    }

    // k_force: asked of the replica, with the primary unreachable; the recovery point in JSON.
    const Run forced = ctl({QStringLiteral("failover"), m_b->url(), QStringLiteral("k_force"), QStringLiteral("--to"), QStringLiteral("dc-b"),
                            QStringLiteral("--force"), QStringLiteral("--json")});
    QVERIFY2(forced.exitCode == 0, qPrintable(forced.describe()));
    const QJsonObject result = jsonOf(forced);
    QCOMPARE(result.value(QLatin1String("forced")).toBool(), true);
    QCOMPARE(result.value(QLatin1String("automatic")).toBool(true), false);
    QCOMPARE(result.value(QLatin1String("epoch")).toInt(), 1);
    QCOMPARE(result.value(QLatin1String("from")).toString(), QStringLiteral("dc-a"));
    QCOMPARE(result.value(QLatin1String("to")).toString(), QStringLiteral("dc-b"));
    QVERIFY(result.value(QLatin1String("duration_ms")).toDouble(-1) >= 0);
    QVERIFY(result.contains(QLatin1String("oldest_at_risk_us")));
    checkRecoveryPoint(QStringLiteral("k_force"), result.value(QLatin1String("changes_at_risk")).toInteger(-1), killMs, true);
    checkEvent(*m_b, QStringLiteral("k_force"), QStringLiteral("forced failover started"));
    checkEvent(*m_b, QStringLiteral("k_force"), QStringLiteral("forced failover done"));
    const Run text = ctl({QStringLiteral("failover"), m_b->url(), QStringLiteral("k_force"), QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--force")});
    QCOMPARE(text.exitCode, 2);   // B is its primary now

    // B sees A down.
    const QJsonArray peers = healthPeers(*m_b);
    int down = 0;
    for (const QJsonValue &value : peers) {
        const QJsonObject peer = value.toObject();
        if (peer.value(QLatin1String("node")).toString() == QLatin1String("dc-a")) {
            QVERIFY2(peer.value(QLatin1String("state")).toString() == QLatin1String("down"), qPrintable(QString::fromUtf8(QJsonDocument(peer).toJson())));
            ++down;
        }
    }
    QVERIFY2(down >= 3, qPrintable(QString::fromUtf8(QJsonDocument(peers).toJson())));

    // What A had that B does not: kept for oldPrimaryReturns, which checks A's conflicts.
    for (const QString &table : {QStringLiteral("k_run"), QStringLiteral("k_stop"), QStringLiteral("k_force")}) {
        const QMap<qint64, QString> onA = table == QLatin1String("k_run") ? aRun : table == QLatin1String("k_stop") ? aStop : rowsOf(*m_aShop, table);
        const QMap<qint64, QString> onBNow = rowsOf(*m_bShop, table);
        QMap<qint64, QString> lost;
        QMap<qint64, QString> kept;
        for (auto it = onA.begin(); it != onA.end(); ++it) {
            if (onBNow.value(it.key()) != it.value()) {
                lost.insert(it.key(), it.value());
                kept.insert(it.key(), onBNow.value(it.key()));
            }
        }
        QCOMPARE(qint64(lost.size()), m_lostChanges.value(table));   // one change per lost row
        m_lost.insert(table, lost);
        m_kept.insert(table, kept);
    }
    QVERIFY(m_lost.value(QStringLiteral("k_stop")).contains(1));   // A's update of a row B has
    QCOMPARE(m_kept.value(QStringLiteral("k_stop")).value(1), QStringLiteral("1|row 1|1"));

    // B writes a row with a key A lost: B's version must be the one kept.
    m_collisionId = m_lost.value(QStringLiteral("k_stop")).lastKey();
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("INSERT INTO k_stop VALUES (%1, 'written on b', 7)").arg(m_collisionId)), QString());
    m_kept[QStringLiteral("k_stop")][m_collisionId] = QStringLiteral("%1|written on b|7").arg(m_collisionId);
    m_killDone = true;
}

// ---------------------------------------------------------------------------------------
// 3. The old primary returns

void TstFailover::oldPrimaryReturns()
{
    if (!m_killDone)
        QSKIP("automaticFailoverOnKill did not complete");
    const QStringList tables{QStringLiteral("k_run"), QStringLiteral("k_stop"), QStringLiteral("k_force")};
    if (!m_a->isRunning())
        QVERIFY(restart(*m_a));

    // A is demoted: it knows B is primary in epoch 1 and refuses writes naming B.
    for (const QString &table : tables) {
        QVERIFY2(QTest::qWaitFor([&] { return role(*m_a, table).value(QLatin1String("primary")).toString() == QLatin1String("dc-b"); }, SettleMs),
                 qPrintable(describe(*m_b, table)));
        QCOMPARE(role(*m_a, table).value(QLatin1String("epoch")).toInt(), 1);
        QCOMPARE(role(*m_a, table).value(QLatin1String("is_primary")).toBool(true), false);
    }
    // The resync: A ends with B's rows.
    for (const QString &table : tables) {
        const QString difference = waitIdentical(*m_bShop, *m_aShop, table);
        QVERIFY2(difference.isEmpty(), qPrintable(table + QStringLiteral(": ") + difference + describe(*m_b, table)));
    }
    for (const QString &table : tables) {
        const QString refused = tryWrite(*m_aShop, QStringLiteral("INSERT INTO %1 VALUES (900001, 'on a', 1)").arg(table));
        QVERIFY2(refused.contains(QLatin1String("dc-b")), qPrintable(table + QStringLiteral(": ") + refused));
        // B is still writable (the returning primary must not fence it) and its writes arrive on A.
        const QString written = tryWrite(*m_bShop, QStringLiteral("INSERT INTO %1 VALUES (900002, 'on b', 2)").arg(table));
        QVERIFY2(written.isEmpty(), qPrintable(table + QStringLiteral(": ") + written));
    }
    for (const QString &table : tables) {
        QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_b, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_b, table)));
        const QString difference = waitIdentical(*m_bShop, *m_aShop, table);
        QVERIFY2(difference.isEmpty(), qPrintable(table + QStringLiteral(": ") + difference));
        compareWithFerryctl(*m_b, *m_a, table);
    }

    // Every change B never applied is in A's conflicts table: one record per lost row, with
    // B's version (kept) and A's (lost).
    for (const QString &table : tables) {
        const QMap<qint64, QString> lost = m_lost.value(table);
        QMap<qint64, QPair<QString, QString>> records;
        for (const QVariantList &row : m_aShop->query(QStringLiteral("SELECT key, kept, lost, lost_origin FROM _ferry_conflicts WHERE link = '%1' AND tbl = '%1'").arg(table))) {
            const qint64 id = qint64(QJsonDocument::fromJson(row.value(0).toString().toUtf8()).array().at(0).toDouble());
            QVERIFY2(!records.contains(id), qPrintable(QStringLiteral("%1: key %2 recorded twice").arg(table).arg(id)));
            records.insert(id, {recordText(row.value(1).toString()), recordText(row.value(2).toString())});
            QCOMPARE(row.value(3).toString(), QStringLiteral("dc-a"));
        }
        QCOMPARE(qint64(records.size()), qint64(lost.size()));
        QCOMPARE(qint64(records.size()), m_lostChanges.value(table));
        for (auto it = lost.begin(); it != lost.end(); ++it) {
            QVERIFY2(records.contains(it.key()), qPrintable(QStringLiteral("%1: lost row %2 is not in the conflicts table").arg(table, it.value())));
            QCOMPARE(records.value(it.key()).second, it.value());
            QCOMPARE(records.value(it.key()).first, m_kept.value(table).value(it.key()));
        }
        qInfo("%s: %lld rows A never replicated are in its _ferry_conflicts", qPrintable(table), qint64(records.size()));
        // The demotion says how many.
        const QJsonObject demoted = findEvent(*m_a, table, QStringLiteral("demoted"));
        QVERIFY2(demoted.value(QLatin1String("outcome")).toString().contains(QStringLiteral("; %1 unreplicated changes").arg(lost.size())),
                 qPrintable(QString::fromUtf8(QJsonDocument(demoted).toJson())));
        checkEvent(*m_a, table, QStringLiteral("demoted"));
    }
    QVERIFY(m_lost.value(QStringLiteral("k_stop")).size() > 1000);
    QCOMPARE(rowsOf(*m_aShop, QStringLiteral("k_stop")).value(m_collisionId), QStringLiteral("%1|written on b|7").arg(m_collisionId));

    // B sees A again.
    QVERIFY2(QTest::qWaitFor([&] {
        for (const QJsonValue &peer : healthPeers(*m_b)) {
            if (peer.toObject().value(QLatin1String("state")).toString() != QLatin1String("healthy"))
                return false;
        }
        return true;
    }, 10000), qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));
    m_returnDone = true;
}

// ---------------------------------------------------------------------------------------
// 4. Failback: graceful failover back to the original primary

void TstFailover::failback()
{
    if (!m_returnDone)
        QSKIP("oldPrimaryReturns did not complete");
    const QString table = QStringLiteral("k_run");
    AppWriter writer(m_bShop->dataSource().path, table, 700000, 300);
    writer.start();
    QVERIFY(QTest::qWaitFor([&] { return writer.acknowledgedCount() >= 100; }, 10000));
    const Run run = ctl({QStringLiteral("failover"), m_b->url(), table, QStringLiteral("--to"), QStringLiteral("dc-a"), QStringLiteral("--json")});
    const qint64 returnedMs = nowMs();
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe() + describe(*m_b, table)));
    QCOMPARE(jsonOf(run).value(QLatin1String("epoch")).toInt(), 2);
    const QMap<qint64, QString> onA = rowsOf(*m_aShop, table);
    QTest::qWait(300);
    writer.stopNow();
    QStringList missing;
    for (qint64 id : writer.acknowledged()) {
        if (onA.value(id) != QStringLiteral("%1|%2|%3").arg(id).arg(AppWriter::value(id)).arg(id % 97))
            missing.append(QString::number(id));
    }
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1 acknowledged rows not on A: %2").arg(missing.size()).arg(missing.mid(0, 20).join(QLatin1Char(' ')))));
    QVERIFY(writer.lastAckMs() <= returnedMs);
    for (const QString &refusal : writer.refusals())
        QVERIFY2(refusal.contains(QLatin1String("dc-a")), qPrintable(refusal));

    // The original direction again: A -> B, epoch 2.
    QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_a, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_a, table)));
    const QJsonObject link = linkShow(*m_a, table).value(QLatin1String("link")).toObject();
    QCOMPARE(link.value(QLatin1String("source_node")).toString(), QStringLiteral("dc-a"));
    QCOMPARE(link.value(QLatin1String("target_node")).toString(), QStringLiteral("dc-b"));
    QCOMPARE(link.value(QLatin1String("epoch")).toInt(), 2);
    QVERIFY(linkShow(*m_b, table).isEmpty());
    QCOMPARE(role(*m_a, table).value(QLatin1String("is_primary")).toBool(), true);
    QCOMPARE(role(*m_b, table).value(QLatin1String("primary")).toString(), QStringLiteral("dc-a"));
    const QString refused = tryWrite(*m_bShop, QStringLiteral("INSERT INTO k_run VALUES (900003, 'on b', 3)"));
    QVERIFY2(refused.contains(QLatin1String("dc-a")), qPrintable(refused));
    QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO k_run VALUES (900004, 'on a', 4)")), QString());
    const QString difference = waitIdentical(*m_aShop, *m_bShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_a, table)));
    compareWithFerryctl(*m_a, *m_b, table);
    checkEvent(*m_b, table, QStringLiteral("graceful failover done"));
    checkEvent(*m_a, table, QStringLiteral("promoted"));
}

// ---------------------------------------------------------------------------------------
// 5. A partition between A and B while the witness still reaches A

void TstFailover::partitionWitnessSeesPrimary()
{
    removeAllLinks();
    const QString table = QStringLiteral("p");
    createLinkedTable(table, 300, *m_proxy, autoFailoverOptions());
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(waitLeased(table), qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));
    AppWriter writer(m_aShop->dataSource().path, table, 100000, 100);
    writer.start();
    QVERIFY(QTest::qWaitFor([&] { return writer.acknowledgedCount() >= 20; }, 10000));

    m_proxy->setRefusing(true);   // A's connections to B are cut and refused; C still reaches A
    const qint64 cutMs = nowMs();
    QTest::qWait(FailoverTimeoutMs + 2500);
    const qint64 acknowledgedDuringCut = writer.acknowledgedCount();

    // No failover: B is a replica, A the primary, and B's events say why.
    QVERIFY2(role(*m_b, table).value(QLatin1String("is_primary")).toBool() == false, qPrintable(describe(*m_b, table)));
    QVERIFY(linkShow(*m_b, table).isEmpty());
    QCOMPARE(linkShow(*m_a, table).value(QLatin1String("link")).toObject().value(QLatin1String("target_node")).toString(), QStringLiteral("dc-b"));
    const QString refused = tryWrite(*m_bShop, QStringLiteral("INSERT INTO p VALUES (900001, 'on b', 1)"));
    QVERIFY2(refused.contains(QLatin1String("dc-a")), qPrintable(refused));
    checkEvent(*m_b, table, QStringLiteral("no automatic failover"));
    const QString why = findEvent(*m_b, table, QStringLiteral("no automatic failover")).value(QLatin1String("outcome")).toString();
    QVERIFY2(why.contains(QLatin1String("witness")) && why.contains(QLatin1String("dc-a")), qPrintable(why));
    QVERIFY(qint64(findEvent(*m_b, table, QStringLiteral("no automatic failover")).value(QLatin1String("at_ms")).toDouble()) >= cutMs);
    QVERIFY(findEvent(*m_b, table, QStringLiteral("automatic failover started")).isEmpty());
    bool sawDown = false;
    for (const QJsonValue &peer : healthPeers(*m_b)) {
        if (peer.toObject().value(QLatin1String("link")).toString() == table)
            sawDown = peer.toObject().value(QLatin1String("state")).toString() == QLatin1String("down");
    }
    QVERIFY2(sawDown, qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));

    // A is primary all along, but B cannot confirm it: A's database stops taking writes
    // when its write lease lapses (automatic failover is armed, so B might have taken over).
    QVERIFY(writer.acknowledgedCount() > 20);
    const int leaseMs = FailoverTimeoutMs - 250;   // failover/writelease.h
    QVERIFY2(writer.lastAckMs() <= cutMs + leaseMs + 250,
             qPrintable(QStringLiteral("A acknowledged a write %1 ms after the cut (lease %2 ms)").arg(writer.lastAckMs() - cutMs).arg(leaseMs)));
    bool fenced = false;
    for (const QString &refusal : writer.refusals())
        fenced = fenced || (refusal.contains(QLatin1String("write lease lapsed")) && refusal.contains(QLatin1String("dc-b")));
    QVERIFY2(fenced, qPrintable(writer.refusals().join(QLatin1Char('\n'))));

    // Heal: the link resumes, A takes writes again, and nothing A acknowledged is lost.
    m_proxy->setRefusing(false);
    QVERIFY2(QTest::qWaitFor([&] { return writer.acknowledgedCount() > acknowledgedDuringCut + 10; }, SettleMs), qPrintable(describe(*m_a, table)));
    writer.stopNow();
    const QString difference = waitIdentical(*m_aShop, *m_bShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_a, table)));
    const QMap<qint64, QString> onB = rowsOf(*m_bShop, table);
    for (qint64 id : writer.acknowledged())
        QVERIFY2(onB.contains(id), qPrintable(QStringLiteral("acknowledged row %1 is not on B").arg(id)));
    QCOMPARE(role(*m_b, table).value(QLatin1String("is_primary")).toBool(), false);
    QVERIFY(findEvent(*m_b, table, QStringLiteral("automatic failover started")).isEmpty());
    QVERIFY(QTest::qWaitFor([&] { return linkState(*m_a, table) == QLatin1String("streaming"); }, SettleMs));
    compareWithFerryctl(*m_a, *m_b, table);
}

// ---------------------------------------------------------------------------------------
// 6. At most one automatic failover until failover-ack

void TstFailover::secondAutomaticNeedsAck()
{
    removeAllLinks();
    const QString table = QStringLiteral("s");
    createLinkedTable(table, 300, *m_proxy, autoFailoverOptions());
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(waitLeased(table), qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));

    // The first automatic failover: A dies, B takes over.
    m_a->kill9();
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_b, table).value(QLatin1String("is_primary")).toBool(); }, 10000), qPrintable(describe(*m_b, table)));
    QVERIFY(waitForEvent(*m_b, table, QStringLiteral("automatic failover done"), 5000));
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("INSERT INTO s VALUES (900001, 'on b', 1)")), QString());

    // A returns as B's replica.
    QVERIFY(restart(*m_a));
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_a, table).value(QLatin1String("primary")).toString() == QLatin1String("dc-b"); }, SettleMs),
             qPrintable(describe(*m_b, table)));
    QString difference = waitIdentical(*m_bShop, *m_aShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_b, table)));
    QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_b, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_b, table)));
    bool disarmed = false;
    QVERIFY(QTest::qWaitFor([&] {
        for (const QJsonValue &value : healthPeers(*m_a)) {
            const QJsonObject peer = value.toObject();
            if (peer.value(QLatin1String("link")).toString() == table && peer.value(QLatin1String("role")).toString() == QLatin1String("primary")) {
                disarmed = peer.value(QLatin1String("auto_failover")).toBool() && !peer.value(QLatin1String("armed")).toBool(true);
                return peer.value(QLatin1String("state")).toString() == QLatin1String("healthy");
            }
        }
        return false;
    }, 10000));
    QVERIFY2(disarmed, qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_a)).toJson())));

    // The new primary dies: no second automatic failover before failover-ack.
    const qint64 killMs = nowMs();
    m_b->kill9();
    QTest::qWait(FailoverTimeoutMs + 2500);
    QCOMPARE(role(*m_a, table).value(QLatin1String("is_primary")).toBool(true), false);
    QCOMPARE(role(*m_a, table).value(QLatin1String("epoch")).toInt(), 1);
    const QString refused = tryWrite(*m_aShop, QStringLiteral("INSERT INTO s VALUES (900002, 'on a', 2)"));
    QVERIFY2(refused.contains(QLatin1String("dc-b")), qPrintable(refused));
    QVERIFY(linkShow(*m_a, table).isEmpty());
    checkEvent(*m_a, table, QStringLiteral("no automatic failover"));
    const QJsonObject why = findEvent(*m_a, table, QStringLiteral("no automatic failover"));
    QVERIFY2(why.value(QLatin1String("outcome")).toString().contains(QLatin1String("failover-ack")), qPrintable(QString::fromUtf8(QJsonDocument(why).toJson())));
    QVERIFY(qint64(why.value(QLatin1String("at_ms")).toDouble()) >= killMs);

    // Acknowledged, but B died without ever holding a write lease (it was not armed): its
    // database may still take writes, so A does not promote itself; it says why.
    const Run ack = ctl({QStringLiteral("failover-ack"), m_a->url(), table});
    QVERIFY2(ack.exitCode == 0, qPrintable(ack.describe()));
    checkEvent(*m_a, table, QStringLiteral("automatic failover acknowledged"));
    QVERIFY2(QTest::qWaitFor([&] {
        return findEvent(*m_a, table, QStringLiteral("no automatic failover")).value(QLatin1String("outcome")).toString().contains(QLatin1String("write lease"));
    }, 10000), qPrintable(QString::fromUtf8(QJsonDocument(events(*m_a)).toJson())));
    QCOMPARE(role(*m_a, table).value(QLatin1String("is_primary")).toBool(true), false);
    // The operator, who knows B is down, forces it.
    const Run forced = ctl({QStringLiteral("failover"), m_a->url(), table, QStringLiteral("--to"), QStringLiteral("dc-a"), QStringLiteral("--force"), QStringLiteral("--json")});
    QVERIFY2(forced.exitCode == 0, qPrintable(forced.describe()));
    QCOMPARE(role(*m_a, table).value(QLatin1String("epoch")).toInt(), 2);
    QVERIFY(QTest::qWaitFor([&] { return tryWrite(*m_aShop, QStringLiteral("INSERT INTO s VALUES (900003, 'on a', 3)")).isEmpty(); }, 5000));
    checkEvent(*m_a, table, QStringLiteral("forced failover done"));
    // B's only write after the first failover reached A by the resync (not by the change
    // feed): none is known to be missing, but B had no lease, so the bound stays open.
    const QJsonObject recovery = jsonOf(forced);
    QCOMPARE(recovery.value(QLatin1String("changes_at_risk")).toInteger(-1), qint64(0));
    QCOMPARE(recovery.value(QLatin1String("changes_at_risk_exact")).toBool(true), false);
    QVERIFY(recovery.value(QLatin1String("at_risk_until_us")).isNull());

    // B returns and follows A, while an application writes to A all along: a link that
    // always has changes to send sends no heartbeat, and A must still learn from its
    // batches' answers that B is armed, and take a write lease.
    AppWriter onA(m_aShop->dataSource().path, table, 910000, 200);
    onA.start();
    QVERIFY(restart(*m_b));
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_b, table).value(QLatin1String("epoch")).toInt() == 2; }, SettleMs), qPrintable(describe(*m_a, table)));
    QVERIFY(waitForEvent(*m_b, table, QStringLiteral("demoted"), 5000));
    const QString demoted = findEvent(*m_b, table, QStringLiteral("demoted")).value(QLatin1String("outcome")).toString();
    QVERIFY2(demoted.contains(QLatin1String("epoch 2; 0 unreplicated changes")), qPrintable(demoted));
    QVERIFY2(QTest::qWaitFor([&] { return number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 's'")) == 1; }, 10000),
             qPrintable(describe(*m_a, table)));
    QTest::qWait(3 * m_heartbeatMs);
    // B is armed (the forced failover kept its state), A leased: kill -9 of A under the
    // load, and B takes over by itself, after A's database stopped taking writes.
    AppWriter onB(m_bShop->dataSource().path, table, 920000, 200);
    onB.start();
    const qint64 secondKillMs = nowMs();
    m_a->kill9();
    QVERIFY2(QTest::qWaitFor([&] { return onB.acknowledgedCount() > 0; }, 10000), qPrintable(describe(*m_b, table)));
    onA.stopNow();
    onB.stopNow();
    qInfo("kill -9 under load to the first write on B: %lld ms; A's database took its last write %lld ms after the kill",
          onB.firstAckMs() - secondKillMs, onA.lastAckMs() - secondKillMs);
    QVERIFY(onA.lastAckMs() < onB.firstAckMs());
    QCOMPARE(role(*m_b, table).value(QLatin1String("epoch")).toInt(), 3);
}

// ---------------------------------------------------------------------------------------
// 7. Bad input: refused, named, nothing changed

void TstFailover::badInput()
{
    removeAllLinks();
    const QString table = QStringLiteral("bad");
    createLinkedTable(table, 100, *m_proxy);
    if (QTest::currentTestFailed())
        return;
    QTest::qWait(1500);   // links.json and inbound.json settle
    const QString before = stateSnapshot();

    struct Case
    {
        NodeProcess *node;
        QStringList arguments;
        QStringList named;
    };
    const QString to = QStringLiteral("--to");
    const QList<Case> cases{
        {m_a.get(), {QStringLiteral("nope"), to, QStringLiteral("dc-b")}, {QStringLiteral("\"nope\""), QStringLiteral("dc-a")}},
        {m_a.get(), {table, to, QStringLiteral("dc-c")}, {QStringLiteral("dc-c"), QStringLiteral("dc-b"), table}},
        {m_a.get(), {table, to, QStringLiteral("dc-b"), QStringLiteral("--force")}, {QStringLiteral("dc-a is the primary"), QStringLiteral("dc-b")}},
        {m_b.get(), {table, to, QStringLiteral("dc-b"), QStringLiteral("--force")}, {QStringLiteral("dc-a is reachable")}},
        {m_b.get(), {table, to, QStringLiteral("dc-b")}, {QStringLiteral("asked of the primary (dc-a)")}},
        {m_b.get(), {table, to, QStringLiteral("dc-a"), QStringLiteral("--force")}, {QStringLiteral("dc-b is the replica"), QStringLiteral("not dc-a")}},
        {m_a.get(), {table}, {QStringLiteral("--to")}},
    };
    for (const Case &c : cases) {
        const Run run = ctl(QStringList{QStringLiteral("failover"), c.node->url()} + c.arguments);
        QVERIFY2(run.exitCode == 2, qPrintable(c.arguments.join(QLatin1Char(' ')) + QLatin1Char('\n') + run.describe()));
        for (const QString &name : c.named)
            QVERIFY2(run.err.contains(name), qPrintable(QStringLiteral("\"%1\" not named: %2").arg(name, run.err)));
        QCOMPARE(stateSnapshot(), before);
    }
    // Refused requests are on record too.
    checkEvent(*m_a, QStringLiteral("nope"), QStringLiteral("failover refused"));
    checkEvent(*m_a, table, QStringLiteral("failover refused"));
    checkEvent(*m_b, table, QStringLiteral("failover refused"));
    const Run ack = ctl({QStringLiteral("failover-ack"), m_b->url(), QStringLiteral("nope")});
    QVERIFY2(ack.exitCode == 2 && ack.err.contains(QLatin1String("\"nope\"")), qPrintable(ack.describe()));
    QCOMPARE(stateSnapshot(), before);
    checkEvent(*m_b, table, QStringLiteral("forced failover failed"));

    // A failover while another runs. The first one is stalled at the promotion (the proxy
    // holds everything between A and B); while it waits, a second one is refused and changes
    // nothing. The first then fails after its 5 s connect timeout and lifts its fence.
    m_proxy->setMode(FaultProxy::Stall);
    QProcess first;
    first.setProcessEnvironment(processEnvironment());
    first.start(ferryctlBinaryPath(), QStringList{QStringLiteral("failover"), m_a->url(), table, to, QStringLiteral("dc-b"), QStringLiteral("--json")} + m_clientArgs);
    QVERIFY(first.waitForStarted(10000));
    QVERIFY(waitForEvent(*m_a, table, QStringLiteral("drained"), 10000));
    const QString during = stateSnapshot();
    const Run second = ctl({QStringLiteral("failover"), m_a->url(), table, to, QStringLiteral("dc-b")});
    QVERIFY2(second.exitCode == 2 && second.err.contains(QLatin1String("already running")) && second.err.contains(table), qPrintable(second.describe()));
    QCOMPARE(stateSnapshot(), during);
    const Run forcedDuring = ctl({QStringLiteral("failover"), m_b->url(), table, to, QStringLiteral("dc-b"), QStringLiteral("--force")});
    QCOMPARE(forcedDuring.exitCode, 2);
    QCOMPARE(stateSnapshot(), during);
    QVERIFY(first.waitForFinished(30000));
    const QString firstErr = QString::fromUtf8(first.readAllStandardError());
    QVERIFY2(first.exitCode() == 2, qPrintable(firstErr));
    checkEvent(*m_a, table, QStringLiteral("graceful failover failed"));
    m_proxy->setMode(FaultProxy::Pass);

    // The failed failover lifted its fence: A is the primary, writes arrive on B.
    QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO bad VALUES (900001, 'on a', 1)")), QString());
    QVERIFY(!tryWrite(*m_bShop, QStringLiteral("INSERT INTO bad VALUES (900002, 'on b', 2)")).isEmpty());
    const QString difference = waitIdentical(*m_aShop, *m_bShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_a, table)));
    QCOMPARE(role(*m_a, table).value(QLatin1String("is_primary")).toBool(false), false);   // never recorded: A was primary all along
    QVERIFY(role(*m_b, table).isEmpty());
    QCOMPARE(linkShow(*m_a, table).value(QLatin1String("link")).toObject().value(QLatin1String("target_node")).toString(), QStringLiteral("dc-b"));
}


// ---------------------------------------------------------------------------------------
// 8. Fencing in the database: the write lease

// The lease guard itself, on SQLite and PostgreSQL, without nodes: application writes pass
// while the lease holds and are refused with its message once it lapsed; writes tagged
// with a write origin (an applier's) always pass; renewing opens the table again; the
// guard goes with the last holder, and a guard whose holders are all gone fences.
void TstFailover::leaseGuardInTheDatabase_data()
{
    QTest::addColumn<int>("backend");
    QTest::newRow("sqlite") << int(Backend::Sqlite);
    QTest::newRow("postgresql") << int(Backend::Postgres);
}

void TstFailover::leaseGuardInTheDatabase()
{
    QFETCH(int, backend);
    if (Backend(backend) == Backend::Postgres)
        FERRY_REQUIRE_POSTGRES();
    try {
        ScratchDatabase db{Backend(backend)};
        const QString table = db.name(QStringLiteral("leased"));
        const TableSchema schema = db.createTable(table, {{QStringLiteral("id"), ColumnType::Integer, true}, {QStringLiteral("v"), ColumnType::Text}}, {0});
        auto store = db.open(false);
        const QString message = QStringLiteral("ferry: fenced for the test");
        QCOMPARE(store->writeLeaseExpiry(table), qint64(-1));
        const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        store->holdWriteLease(schema, QStringLiteral("l1"), nowUs + 400000, message);
        QCOMPARE(store->writeLeaseExpiry(table), nowUs + 400000);
        QCOMPARE(tryWrite(db, QStringLiteral("INSERT INTO %1 VALUES (1, 'held')").arg(table)), QString());
        QTest::qWait(600);
        // Lapsed: the database refuses by itself (nothing renews it).
        for (const QString &sql : {QStringLiteral("INSERT INTO %1 VALUES (2, 'lapsed')"), QStringLiteral("UPDATE %1 SET v = 'x'"), QStringLiteral("DELETE FROM %1")}) {
            const QString refused = tryWrite(db, sql.arg(table));
            QVERIFY2(refused.contains(message), qPrintable(sql + QStringLiteral(": ") + refused));
        }
        // An applier's write (tagged with its origin) passes.
        auto applier = db.open(false);
        applier->setWriteOrigin(QStringLiteral("dc-x"));
        FERRY_NO_THROW(applier->upsert(schema, {Row{qint64(3), QStringLiteral("applied")}}));
        QCOMPARE(number(db, QStringLiteral("SELECT count(*) FROM %1").arg(table)), qint64(2));
        // A second holder: the earliest expiry decides.
        const qint64 laterUs = QDateTime::currentMSecsSinceEpoch() * 1000 + 60000000;
        store->holdWriteLease(schema, QStringLiteral("l2"), laterUs, message);
        QVERIFY(tryWrite(db, QStringLiteral("INSERT INTO %1 VALUES (4, 'two holders')").arg(table)).contains(message));
        QVERIFY(store->renewWriteLease(table, QStringLiteral("l1"), laterUs));
        QVERIFY(store->renewWriteLease(table, QStringLiteral("l1"), laterUs - 1000000));   // held, but never moved back
        QCOMPARE(store->writeLeaseExpiry(table), laterUs);
        QCOMPARE(tryWrite(db, QStringLiteral("INSERT INTO %1 VALUES (5, 'renewed')").arg(table)), QString());
        QVERIFY(!store->renewWriteLease(table, QStringLiteral("nobody"), laterUs));
        // Released one by one: the guard goes with the last holder.
        store->releaseWriteLease(table, QStringLiteral("l1"));
        QCOMPARE(store->writeLeaseExpiry(table), laterUs);
        store->releaseWriteLease(table, QStringLiteral("l2"));
        QCOMPARE(store->writeLeaseExpiry(table), qint64(-1));
        QCOMPARE(tryWrite(db, QStringLiteral("INSERT INTO %1 VALUES (6, 'free')").arg(table)), QString());
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
}

// SIGSTOP of a primary with automatic failover armed (a long pause, a hung VM), while a probe
// writes to both databases every few ms: A's database stops taking writes by itself when
// its lease lapses, B takes over only after that: never both at once.
void TstFailover::frozenPrimaryNoOverlap()
{
    removeAllLinks();
    const QString table = QStringLiteral("frozen");
    createLinkedTable(table, 50, *m_proxy, autoFailoverOptions());
    if (QTest::currentTestFailed())
        return;
    // A holds the lease (B said it may promote itself), and B has heard so. Not asserted
    // here: what counts is what both databases do below.
    const bool leased = QTest::qWaitFor([&] {
        for (const QJsonValue &peer : healthPeers(*m_b)) {
            if (peer.toObject().value(QLatin1String("link")).toString() == table && peer.toObject().value(QLatin1String("leased")).toBool())
                return number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 'frozen'")) == 1;
        }
        return false;
    }, 10000);
    if (!leased)
        qWarning("A took no write lease: %s", qPrintable(QString::fromUtf8(QJsonDocument(healthPeers(*m_b)).toJson())));
    OverlapProbe probe(m_aShop->dataSource().path, m_bShop->dataSource().path, table, 1000000);
    probe.start();
    QVERIFY(QTest::qWaitFor([&] { return probe.acceptedCount(0) >= 20; }, 5000));
    QCOMPARE(probe.acceptedCount(1), 0);   // B is a replica

    m_a->sendSignal(SIGSTOP);
    const qint64 stopMs = nowMs();
    auto resume = qScopeGuard([&] { m_a->sendSignal(SIGCONT); });
    const bool promoted = QTest::qWaitFor([&] { return probe.acceptedCount(1) >= 20; }, 15000);
    probe.stopNow();
    m_a->sendSignal(SIGCONT);
    resume.dismiss();
    QVERIFY2(promoted, qPrintable(describe(*m_b, table) + probe.refusals(1).join(QLatin1Char('\n'))));

    const QList<OverlapProbe::Write> onA = probe.accepted(0);
    const QList<OverlapProbe::Write> onB = probe.accepted(1);
    const qint64 lastA = onA.constLast().returnedMs;
    const qint64 firstB = onB.constFirst().beganMs;
    qInfo("SIGSTOP of the primary: its database took its last write %lld ms after the stop, the replica its first after %lld ms; overlap %lld ms",
          lastA - stopMs, firstB - stopMs, std::max<qint64>(0, lastA - firstB));
    QVERIFY2(lastA <= firstB, qPrintable(QStringLiteral("both databases took writes for %1 ms").arg(lastA - firstB)));
    bool fenced = false;
    for (const QString &refusal : probe.refusals(0))
        fenced = fenced || refusal.contains(QLatin1String("write lease lapsed"));
    QVERIFY2(fenced, qPrintable(probe.refusals(0).join(QLatin1Char('\n'))));
    checkEvent(*m_b, table, QStringLiteral("automatic failover done"));

    // A wakes up, learns of epoch 1 and becomes B's replica.
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_a, table).value(QLatin1String("primary")).toString() == QLatin1String("dc-b"); }, SettleMs),
             qPrintable(describe(*m_b, table)));
    const QString difference = waitIdentical(*m_bShop, *m_aShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_b, table)));
    const QString refused = tryWrite(*m_aShop, QStringLiteral("INSERT INTO frozen VALUES (3000001, 'on a', 1)"));
    QVERIFY2(refused.contains(QLatin1String("dc-b")), qPrintable(refused));
}

// kill -9 of the primary, automatic failover, then the new primary becomes unreachable and
// the old one restarts: its database refuses writes before its node starts and from its
// first second on, until it learned its role from the new primary.
void TstFailover::restartedPrimaryStartsFenced()
{
    removeAllLinks();
    const QString table = QStringLiteral("restarted");
    createLinkedTable(table, 50, *m_proxy, autoFailoverOptions());
    if (QTest::currentTestFailed())
        return;
    // A holds the lease (B said it may promote itself), and B has heard so. Not asserted
    // here: what counts is what both databases do below.
    const bool leased = QTest::qWaitFor([&] { return number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 'restarted'")) == 1; }, 10000);
    if (!leased)
        qWarning("A took no write lease: %s", qPrintable(describe(*m_a, table)));
    QTest::qWait(3 * m_heartbeatMs);
    m_a->kill9();
    QVERIFY2(QTest::qWaitFor([&] { return tryWrite(*m_bShop, QStringLiteral("INSERT INTO restarted VALUES (500001, 'on b', 1)")).isEmpty(); }, 10000),
             qPrintable(describe(*m_b, table)));
    m_b->kill9();   // the new primary is unreachable

    qint64 id = 600000;
    const QString before = tryWrite(*m_aShop, QStringLiteral("INSERT INTO restarted VALUES (%1, 'on a', 1)").arg(++id));
    QVERIFY2(before.contains(QLatin1String("write lease lapsed")) && before.contains(QLatin1String("dc-b")), qPrintable(before));
    QVERIFY(restart(*m_a));
    QElapsedTimer clock;
    clock.start();
    int attempts = 0;
    while (clock.elapsed() < 3000) {
        const QString refused = tryWrite(*m_aShop, QStringLiteral("INSERT INTO restarted VALUES (%1, 'on a', 1)").arg(++id));
        QVERIFY2(!refused.isEmpty(), qPrintable(QStringLiteral("the restarted old primary took a write %1 ms after its start").arg(clock.elapsed())));
        ++attempts;
        QTest::qWait(50);
    }
    QVERIFY(attempts > 20);
    QCOMPARE(number(*m_aShop, QStringLiteral("SELECT count(*) FROM restarted WHERE id > 600000")), qint64(0));

    // B returns: A learns it is B's replica and gets B's rows.
    QVERIFY(restart(*m_b));
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_a, table).value(QLatin1String("primary")).toString() == QLatin1String("dc-b"); }, SettleMs),
             qPrintable(describe(*m_b, table)));
    const QString difference = waitIdentical(*m_bShop, *m_aShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_b, table)));
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("INSERT INTO restarted VALUES (500002, 'on b', 2)")), QString());
}

// ---------------------------------------------------------------------------------------
// 9. Links as an operator treats them

// After a failover (twice, back and forth) the link between the same tables is removed and
// created again: it streams (not "demoted" by its own node's epoch), the replica refuses
// writes naming the primary, and no node's event carries wire fields ("|1|dc-b").
void TstFailover::linkRecreatedAfterFailover()
{
    removeAllLinks();
    const QString table = QStringLiteral("recreated");
    createLinkedTable(table, 50, *m_proxy);
    if (QTest::currentTestFailed())
        return;
    qint64 id = 800000;
    for (int round = 1; round <= 2; ++round) {
        NodeProcess &from = round == 1 ? *m_a : *m_b;
        NodeProcess &to = round == 1 ? *m_b : *m_a;
        const Run failover = ctl({QStringLiteral("failover"), from.url(), table, QStringLiteral("--to"), to.name(), QStringLiteral("--json")});
        QVERIFY2(failover.exitCode == 0, qPrintable(failover.describe()));
        QCOMPARE(jsonOf(failover).value(QLatin1String("epoch")).toInt(), round);
        QVERIFY2(QTest::qWaitFor([&] { return linkState(to, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(to, table)));

        const Run removed = ctl({QStringLiteral("link"), QStringLiteral("remove"), to.url(), table});
        QVERIFY2(removed.exitCode == 0, qPrintable(removed.describe()));
        const Run created = ctl({QStringLiteral("link"), QStringLiteral("create"), to.url(QStringLiteral("shop"), table), from.url(QStringLiteral("shop"), table),
                                 QStringLiteral("--id"), table, QStringLiteral("--json")});
        QVERIFY2(created.exitCode == 0, qPrintable(created.describe()));
        QVERIFY2(QTest::qWaitFor([&] { return linkState(to, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(to, table)));
        QCOMPARE(linkShow(to, table).value(QLatin1String("link")).toObject().value(QLatin1String("epoch")).toInt(), round);
        QCOMPARE(tryWrite(dbOf(to), QStringLiteral("INSERT INTO %1 VALUES (%2, 'round %3', 1)").arg(table).arg(++id).arg(round)), QString());
        const QString difference = waitIdentical(dbOf(to), dbOf(from), table);
        QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(to, table)));
        const QString refused = tryWrite(dbOf(from), QStringLiteral("INSERT INTO %1 VALUES (%2, 'on the replica', 1)").arg(table).arg(++id));
        QVERIFY2(refused.contains(to.name()), qPrintable(refused));
        QTest::qWait(2 * m_heartbeatMs);
        QCOMPARE(linkState(to, table), QStringLiteral("streaming"));
    }
    static const QRegularExpression wireFields(QStringLiteral("\\|\\d+\\|"));
    for (NodeProcess *node : {m_a.get(), m_b.get()}) {
        for (const QJsonValue &event : events(*node)) {
            const QString outcome = event.toObject().value(QLatin1String("outcome")).toString();
            QVERIFY2(!wireFields.match(outcome).hasMatch(), qPrintable(node->name() + QStringLiteral(": ") + outcome));
        }
    }
}

// A forced failover with a slowed link (the proxy passes 6 KB/s while an application writes
// 200 rows/s to A), asked of B right after kill -9 of A: B waits until A's lease lapsed and
// reports "at least N changes, written between T1 and T2, may be lost". Counted directly in
// both databases: N is at most what was really lost, every lost change was
// written between T1 and T2, and when A returns the number it keeps in _ferry_conflicts is
// an event that matches the rows lost.
void TstFailover::forcedFailoverRecoveryPointCoversLoss()
{
    removeAllLinks();
    const QString table = QStringLiteral("delayed");
    createLinkedTable(table, 50, *m_slow, {QStringLiteral("--auto-failover"), QStringLiteral("--witness"), m_c->address(), QStringLiteral("--failover-timeout"), QStringLiteral("4000")});
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(QTest::qWaitFor([&] { return number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 'delayed'")) == 1; }, 10000),
             qPrintable(describe(*m_a, table)));
    QTest::qWait(3 * m_heartbeatMs);
    m_slow->setRate(6000);
    AppWriter writer(m_aShop->dataSource().path, table, 100000, 200);
    writer.start();
    QTest::qWait(2000);
    m_a->kill9();
    writer.stopNow();
    m_slow->setRate(0);   // what the proxy still holds reaches B (A had sent it)
    QTest::qWait(500);
    const Run forced = ctl({QStringLiteral("failover"), m_b->url(), table, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--force"), QStringLiteral("--json")});
    QVERIFY2(forced.exitCode == 0, qPrintable(forced.describe() + describe(*m_b, table)));
    const QJsonObject result = jsonOf(forced);
    const qint64 reported = result.value(QLatin1String("changes_at_risk")).toInteger(-1);
    const qint64 fromUs = result.value(QLatin1String("oldest_at_risk_us")).toInteger();
    const qint64 untilUs = result.value(QLatin1String("at_risk_until_us")).toInteger();
    QCOMPARE(result.value(QLatin1String("changes_at_risk_exact")).toBool(true), false);
    QVERIFY2(fromUs > 0 && untilUs > fromUs, qPrintable(forced.out));

    // What was really lost, read from both database files.
    const qint64 applied = std::max<qint64>(0, number(*m_bShop, QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = 'delayed@0'")));
    const QList<QVariantList> lost = m_aShop->query(QStringLiteral("SELECT seq, at FROM _ferry_log_delayed WHERE seq > %1 ORDER BY seq").arg(applied));
    const QMap<qint64, QString> onA = rowsOf(*m_aShop, table);
    const QMap<qint64, QString> onB = rowsOf(*m_bShop, table);
    qint64 lostRows = 0;
    for (auto it = onA.begin(); it != onA.end(); ++it)
        lostRows += onB.value(it.key()) != it.value();
    qInfo("forced failover on a slowed link: %lld changes (%lld rows) lost, %lld reported at least, window %lld ms",
          qint64(lost.size()), lostRows, reported, (untilUs - fromUs) / 1000);
    QVERIFY2(lost.size() > 0, "nothing was lost: slow the link more");
    QCOMPARE(qint64(lost.size()), lostRows);   // inserts only: one change per row
    // N counts what A told B it had committed: a lower bound, never more than was lost.
    QVERIFY2(reported >= 0 && reported <= lost.size(), qPrintable(QStringLiteral("%1 reported, %2 lost").arg(reported).arg(lost.size())));
    // The capture stamps a change when its statement runs, which may be a little before the
    // transaction commits (and the log is read): 50 ms of slack below T1.
    for (const QVariantList &change : lost) {
        const qint64 at = change.value(1).toLongLong();
        QVERIFY2(at >= fromUs - 50000 && at <= untilUs,
                 qPrintable(QStringLiteral("change %1 written at %2, outside %3..%4").arg(change.value(0).toLongLong()).arg(at).arg(fromUs).arg(untilUs)));
    }
    QVERIFY(writer.lastAckMs() * 1000 <= untilUs);

    // A returns: the number it keeps in its conflicts table is an event, and matches.
    QVERIFY(restart(*m_a));
    QVERIFY2(waitForEvent(*m_a, table, QStringLiteral("demoted")), qPrintable(describe(*m_b, table)));
    const QString demoted = findEvent(*m_a, table, QStringLiteral("demoted")).value(QLatin1String("outcome")).toString();
    QVERIFY2(demoted.contains(QStringLiteral("; %1 unreplicated changes").arg(lost.size())), qPrintable(demoted));
    QCOMPARE(number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_conflicts WHERE link = 'delayed'")), lostRows);
}

// `ferryctl link set` changes each setting of a running link in place: the node shows the
// new value, the link streams again, and the settings with an effect on rows or roles have
// it (a filter, automatic failover and its write lease). A bad value is refused with a
// message naming the setting, and nothing changes (links.json of the node as it was).
void TstFailover::linkSetEachSetting()
{
    removeAllLinks();
    const QString table = QStringLiteral("settings");
    createLinkedTable(table, 50, *m_proxy);
    if (QTest::currentTestFailed())
        return;
    const QString linksJson = m_a->dataDirectory() + QStringLiteral("/links.json");
    auto set = [&](const QStringList &arguments) { return ctl(QStringList{QStringLiteral("link"), QStringLiteral("set"), m_a->url(), table} + arguments); };
    auto setting = [&](const QString &key) { return linkShow(*m_a, table).value(QLatin1String("link")).toObject().value(key); };

    struct Case
    {
        QStringList arguments;
        QString key;
        QJsonValue expected;
    };
    const QList<Case> cases{
        {{QStringLiteral("--mode"), QStringLiteral("scheduled")}, QStringLiteral("mode"), QStringLiteral("scheduled")},
        {{QStringLiteral("--interval"), QStringLiteral("5")}, QStringLiteral("interval_minutes"), 5},
        {{QStringLiteral("--mode"), QStringLiteral("continuous")}, QStringLiteral("mode"), QStringLiteral("continuous")},
        {{QStringLiteral("--block-rows"), QStringLiteral("500")}, QStringLiteral("block_rows"), 500},
        {{QStringLiteral("--block-time"), QStringLiteral("50")}, QStringLiteral("block_ms"), 50},
        {{QStringLiteral("--digest"), QStringLiteral("sha256")}, QStringLiteral("digest"), QStringLiteral("sha256")},
        {{QStringLiteral("--compress")}, QStringLiteral("compression"), true},
        {{QStringLiteral("--no-compress")}, QStringLiteral("compression"), false},
        {{QStringLiteral("--bandwidth"), QStringLiteral("2.5")}, QStringLiteral("bandwidth_mbps"), 2.5},
        {{QStringLiteral("--conflicts"), QStringLiteral("target-wins")}, QStringLiteral("conflicts"), QStringLiteral("target-wins")},
        {{QStringLiteral("--failover-timeout"), QStringLiteral("3000")}, QStringLiteral("failover_timeout_ms"), 3000},
        {{QStringLiteral("--witness"), m_c->address()}, QStringLiteral("witness_port"), int(m_c->port())},
        {{QStringLiteral("--filter"), QStringLiteral("n < 50")}, QStringLiteral("filter"), QStringLiteral("n < 50")},
    };
    qint64 id = 700000;
    for (const Case &change : cases) {
        const Run run = set(change.arguments);
        QVERIFY2(run.exitCode == 0, qPrintable(change.arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + run.describe()));
        QVERIFY2(setting(change.key) == change.expected,
                 qPrintable(QStringLiteral("%1: %2 is %3").arg(change.arguments.join(QLatin1Char(' ')), change.key,
                                                               QString::fromUtf8(QJsonDocument(QJsonArray{setting(change.key)}).toJson(QJsonDocument::Compact)))));
        QVERIFY2(jsonFile(linksJson).value(QLatin1String("links")).toArray().at(0).toObject().value(QLatin1String("link")).toObject().value(change.key) == change.expected,
                 qPrintable(QString::fromUtf8(fileBytes(linksJson))));
        // The link goes on: a row written on A arrives on B (by the feed, or by the
        // verification round a scheduled link runs when asked).
        QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO settings VALUES (%1, 'after %2', 1)").arg(++id).arg(change.key)), QString());
        if (setting(QStringLiteral("mode")).toString() == QLatin1String("scheduled")) {
            QVERIFY(QTest::qWaitFor([&] { return linkState(*m_a, table) == QLatin1String("waiting"); }, SettleMs));
            const Run verify = ctl({QStringLiteral("link"), QStringLiteral("verify"), m_a->url(), table});
            QVERIFY2(verify.exitCode == 0, qPrintable(verify.describe()));
        }
        QVERIFY2(QTest::qWaitFor([&] { return number(*m_bShop, QStringLiteral("SELECT count(*) FROM settings WHERE id = %1").arg(id)) == 1; }, SettleMs),
                 qPrintable(change.key + describe(*m_a, table)));
    }
    // The filter has its effect: a row outside it stays on A.
    QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO settings VALUES (%1, 'outside', 60)").arg(++id)), QString());
    QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO settings VALUES (%1, 'inside', 10)").arg(++id)), QString());
    QVERIFY(QTest::qWaitFor([&] { return number(*m_bShop, QStringLiteral("SELECT count(*) FROM settings WHERE id = %1").arg(id)) == 1; }, SettleMs));
    QCOMPARE(number(*m_bShop, QStringLiteral("SELECT count(*) FROM settings WHERE id = %1").arg(id - 1)), qint64(0));
    QVERIFY(set({QStringLiteral("--filter"), QString()}).exitCode == 0);
    QCOMPARE(setting(QStringLiteral("filter")).toString(), QString());

    // Automatic failover on: B may promote itself, so A takes a write lease; off: released.
    Run run = set({QStringLiteral("--auto-failover")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(setting(QStringLiteral("auto_failover")).toBool(), true);
    QVERIFY2(QTest::qWaitFor([&] { return number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 'settings'")) == 1; }, 10000),
             qPrintable(describe(*m_a, table)));
    QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO settings VALUES (%1, 'leased', 1)").arg(++id)), QString());
    run = set({QStringLiteral("--no-auto-failover")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(QTest::qWaitFor([&] { return number(*m_aShop, QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = 'settings'")) == 0; }, 10000),
             qPrintable(describe(*m_a, table)));
    QVERIFY(number(*m_aShop, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = '_ferry_lease_settings'")) == 0);
    checkEvent(*m_a, table, QStringLiteral("settings changed"));

    // Bad values: exit 2, the setting named, nothing changed.
    const QByteArray before = fileBytes(linksJson);
    const QList<QPair<QStringList, QString>> bad{
        {{QStringLiteral("--mode"), QStringLiteral("sometimes")}, QStringLiteral("mode")},
        {{QStringLiteral("--interval"), QStringLiteral("often")}, QStringLiteral("interval")},
        {{QStringLiteral("--interval"), QStringLiteral("0")}, QStringLiteral("interval_minutes")},
        {{QStringLiteral("--block-rows"), QStringLiteral("0")}, QStringLiteral("block_rows")},
        {{QStringLiteral("--block-time"), QStringLiteral("-5")}, QStringLiteral("block_ms")},
        {{QStringLiteral("--digest"), QStringLiteral("crc32")}, QStringLiteral("digest")},
        {{QStringLiteral("--bandwidth"), QStringLiteral("-1")}, QStringLiteral("bandwidth_mbps")},
        {{QStringLiteral("--filter"), QStringLiteral("no_such_column > 1")}, QStringLiteral("no_such_column")},
        {{QStringLiteral("--conflicts"), QStringLiteral("best")}, QStringLiteral("conflicts")},
        {{QStringLiteral("--conflicts"), QStringLiteral("newest-wins")}, QStringLiteral("timestamp_column")},
        {{QStringLiteral("--timestamp-column"), QStringLiteral("nope")}, QStringLiteral("nope")},
        {{QStringLiteral("--failover-timeout"), QStringLiteral("10")}, QStringLiteral("failover_timeout_ms")},
        {{QStringLiteral("--compress"), QStringLiteral("--no-compress")}, QStringLiteral("--no-compress")},
        {{QStringLiteral("--id"), QStringLiteral("other")}, QStringLiteral("--id")},
        {{}, QStringLiteral("at least one setting")},
    };
    for (const auto &[arguments, named] : bad) {
        const Run refused = set(arguments);
        QVERIFY2(refused.exitCode == 2, qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + refused.describe()));
        QVERIFY2(refused.err.contains(named), qPrintable(arguments.join(QLatin1Char(' ')) + QStringLiteral(": ") + refused.describe()));
        QCOMPARE(fileBytes(linksJson), before);
    }
    const Run unknown = ctl({QStringLiteral("link"), QStringLiteral("set"), m_a->url(), QStringLiteral("no-such-link"), QStringLiteral("--block-rows"), QStringLiteral("10")});
    QVERIFY2(unknown.exitCode == 2 && unknown.err.contains(QLatin1String("no-such-link")), qPrintable(unknown.describe()));
    QCOMPARE(linkState(*m_a, table), QStringLiteral("streaming"));
}

QTEST_GUILESS_MAIN(TstFailover)
void TstFailover::spoilReplica(const QString &table)
{
    try {
        auto store = m_bShop->open(false);
        store->setWriteOrigin(QStringLiteral("dc-test"));
        const TableSchema schema = store->describe(table);
        QList<Row> rows;
        for (const QVariantList &row : m_bShop->query(QStringLiteral("SELECT id, n FROM %1 WHERE id < 100000 ORDER BY id").arg(table)))
            rows.append(Row{row.value(0), QStringLiteral("spoiled on b %1").arg(row.value(0).toLongLong()), row.value(1)});
        store->upsert(schema, rows);
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
}

// A long verification round with automatic failover armed (DESIGN.md "Trust" 3): the
// primary's lease must not depend on the link's batches, which a round holds up. With the
// lease renewed only by the link's answers, the application below was refused with "write
// lease lapsed" within a second of the round's start.
void TstFailover::leaseKeptThroughLongRound()
{
    removeAllLinks();
    const QString table = QStringLiteral("longround");
    createLinkedTable(table, 2000, *m_proxy, autoFailoverOptions());
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(waitLeased(table), qPrintable(describe(*m_b, table)));
    const int leaseMs = FailoverTimeoutMs - 250;   // failover/writelease.h for a 1000 ms timeout
    const Run capped = ctl({QStringLiteral("link"), QStringLiteral("set"), m_a->url(), table, QStringLiteral("--bandwidth"), QStringLiteral("0.008")});
    QVERIFY2(capped.exitCode == 0, qPrintable(capped.describe()));
    QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_a, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_a, table)));

    // 1. A long round, A alive: never refused, no failover.
    spoilReplica(table);
    if (QTest::currentTestFailed())
        return;
    auto roundsDone = [&] {
        int count = 0;
        for (const QJsonValue &event : events(*m_a))
            count += event.toObject().value(QLatin1String("link")).toString() == table
                     && event.toObject().value(QLatin1String("what")).toString().contains(QLatin1String("verification done"));
        return count;
    };
    const int doneBefore = roundsDone();
    AppWriter writer(m_aShop->dataSource().path, table, 500000, 50);
    writer.start();
    QVERIFY(QTest::qWaitFor([&] { return writer.acknowledgedCount() >= 10; }, 10000));
    const qint64 roundStartMs = nowMs();
    const Run verify = ctl({QStringLiteral("link"), QStringLiteral("verify"), m_a->url(), table});
    QVERIFY2(verify.exitCode == 0, qPrintable(verify.describe()));
    QVERIFY2(QTest::qWaitFor([&] { return roundsDone() > doneBefore; }, 120000), qPrintable(describe(*m_a, table)));
    const qint64 roundMs = nowMs() - roundStartMs;
    writer.stopNow();
    qInfo("verification round of %lld ms (lease %d ms): %lld application writes acknowledged on A, %lld refused", roundMs, leaseMs,
          writer.acknowledgedCount(), writer.refusedCount());
    QVERIFY2(roundMs >= 4 * leaseMs, qPrintable(QStringLiteral("the round took only %1 ms: spoil more rows or cap the link lower").arg(roundMs)));
    QVERIFY2(writer.refusedCount() == 0, qPrintable(writer.refusals().join(QLatin1Char('\n'))));
    QCOMPARE(role(*m_b, table).value(QLatin1String("is_primary")).toBool(), false);
    QVERIFY(findEvent(*m_b, table, QStringLiteral("automatic failover started")).isEmpty());
    QString difference = waitIdentical(*m_aShop, *m_bShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_a, table)));

    // 2. SIGSTOP of A in the middle of a long round: its database stops taking writes when
    // its lease ends, B takes over after that, and B keeps what it took.
    spoilReplica(table);
    if (QTest::currentTestFailed())
        return;
    const Run again = ctl({QStringLiteral("link"), QStringLiteral("verify"), m_a->url(), table});
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    OverlapProbe probe(m_aShop->dataSource().path, m_bShop->dataSource().path, table, 2000000);
    probe.start();
    QVERIFY(QTest::qWaitFor([&] { return probe.acceptedCount(0) >= 20; }, 5000));
    QTest::qWait(1000);   // well into the round
    QCOMPARE(probe.acceptedCount(1), 0);
    QCOMPARE(probe.refusals(0), QStringList());
    m_a->sendSignal(SIGSTOP);
    const qint64 stopMs = nowMs();
    auto resume = qScopeGuard([&] { m_a->sendSignal(SIGCONT); });
    const bool promoted = QTest::qWaitFor([&] { return probe.acceptedCount(1) >= 20; }, 15000);
    probe.stopNow();
    m_a->sendSignal(SIGCONT);
    resume.dismiss();
    QVERIFY2(promoted, qPrintable(describe(*m_b, table) + probe.refusals(1).join(QLatin1Char('\n'))));
    const QList<OverlapProbe::Write> onA = probe.accepted(0);
    const QList<OverlapProbe::Write> onB = probe.accepted(1);
    const qint64 lastA = onA.constLast().returnedMs;
    const qint64 firstB = onB.constFirst().beganMs;
    qInfo("SIGSTOP during a round: A's database took its last write %lld ms after the stop (lease %d ms), B its first after %lld ms; overlap %lld ms",
          lastA - stopMs, leaseMs, firstB - stopMs, std::max<qint64>(0, lastA - firstB));
    QVERIFY2(lastA <= firstB, qPrintable(QStringLiteral("both databases took writes for %1 ms").arg(lastA - firstB)));
    QVERIFY2(lastA - stopMs <= leaseMs + 200, qPrintable(QStringLiteral("A took writes %1 ms after it froze").arg(lastA - stopMs)));
    bool fenced = false;
    for (const QString &refusal : probe.refusals(0))
        fenced = fenced || refusal.contains(QLatin1String("write lease lapsed"));
    QVERIFY2(fenced, qPrintable(probe.refusals(0).join(QLatin1Char('\n'))));

    // A wakes up mid-round: it learns of the new epoch and becomes B's replica; nothing B
    // acknowledged is overwritten by the rest of A's round.
    QVERIFY2(QTest::qWaitFor([&] { return role(*m_a, table).value(QLatin1String("primary")).toString() == QLatin1String("dc-b"); }, SettleMs),
             qPrintable(describe(*m_b, table)));
    difference = waitIdentical(*m_bShop, *m_aShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference + describe(*m_b, table)));
    const qint64 onBCount = number(*m_bShop, QStringLiteral("SELECT count(*) FROM %1 WHERE n = 1 AND v = 'probe'").arg(table));
    QCOMPARE(onBCount, qint64(onB.size()));
}

// The failover plan lists every link of the table on both nodes, with what will happen to
// each, and what it says is what the failover then does (checked in the databases).
void TstFailover::planListsEveryLink()
{
    removeAllLinks();
    const QString table = QStringLiteral("planned");
    createLinkedTable(table, 100, *m_proxy);
    if (QTest::currentTestFailed())
        return;
    const auto create = [&](NodeProcess &from, const QString &toTable, const QString &id, const QStringList &options = {}) {
        const Run run = ctl(QStringList{QStringLiteral("link"), QStringLiteral("create"), from.url(QStringLiteral("shop"), table), m_c->url(QStringLiteral("shop"), toTable),
                                        QStringLiteral("--id"), id, QStringLiteral("--json")}
                            + options);
        QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(QTest::qWaitFor([&] { return linkState(from, id) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(from, id)));
    };
    create(*m_a, QStringLiteral("planned_x"), QStringLiteral("px"));
    create(*m_b, QStringLiteral("planned_y"), QStringLiteral("py"));
    if (QTest::currentTestFailed())
        return;
    const QStringList planArguments{QStringLiteral("failover"), m_a->url(), table, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--plan"), QStringLiteral("--json")};
    const auto changes = [](const QJsonObject &plan) {
        QMap<QString, QString> byLink;
        for (const QJsonValue &value : plan.value(QLatin1String("links")).toArray())
            byLink.insert(value.toObject().value(QLatin1String("link")).toString(), value.toObject().value(QLatin1String("change")).toString());
        return byLink;
    };
    const QString rolesBefore = QString::fromLatin1(fileHash(m_a->dataDirectory() + QStringLiteral("/roles.json")) + fileHash(m_b->dataDirectory() + QStringLiteral("/roles.json")));

    Run run = ctl(planArguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QJsonObject plan = jsonOf(run);
    QCOMPARE(plan.value(QLatin1String("allowed")).toBool(), true);
    QCOMPARE(plan.value(QLatin1String("epoch")).toInt(), 1);
    QCOMPARE(plan.value(QLatin1String("unknown")).toArray().size(), 0);
    QMap<QString, QString> expected{{table, QStringLiteral("reverses")}, {QStringLiteral("px"), QStringLiteral("continues")}, {QStringLiteral("py"), QStringLiteral("continues")}};
    QCOMPARE(changes(plan), expected);
    for (const QJsonValue &value : plan.value(QLatin1String("links")).toArray()) {
        const QJsonObject link = value.toObject();
        QVERIFY2(!link.value(QLatin1String("detail")).toString().isEmpty(), qPrintable(QString::fromUtf8(QJsonDocument(link).toJson())));
        if (link.value(QLatin1String("link")).toString() == QLatin1String("py")) {
            QCOMPARE(link.value(QLatin1String("runs_on")).toString(), QStringLiteral("dc-b"));
            QCOMPARE(link.value(QLatin1String("target_table")).toString(), QStringLiteral("planned_y"));
        }
    }
    // The text form names every link too.
    run = ctl(planArguments.mid(0, planArguments.size() - 1));
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    for (const QString &id : {table, QStringLiteral("px"), QStringLiteral("py")})
        QVERIFY2(run.out.contains(QStringLiteral("  %1  ").arg(id)), qPrintable(run.out));

    // A pair both ways on the table: listed as what blocks the failover, which is refused.
    create(*m_a, QStringLiteral("planned_z"), QStringLiteral("pz"), {QStringLiteral("--bidirectional")});
    if (QTest::currentTestFailed())
        return;
    run = ctl(planArguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    plan = jsonOf(run);
    expected.insert(QStringLiteral("pz"), QStringLiteral("blocks"));
    QCOMPARE(changes(plan), expected);
    QCOMPARE(plan.value(QLatin1String("allowed")).toBool(), false);
    QVERIFY2(plan.value(QLatin1String("refused")).toString().contains(QLatin1String("pz")), qPrintable(run.out));
    run = ctl({QStringLiteral("failover"), m_a->url(), table, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QLatin1String("pz")) || run.out.contains(QLatin1String("pz")), qPrintable(run.describe()));
    QCOMPARE(QString::fromLatin1(fileHash(m_a->dataDirectory() + QStringLiteral("/roles.json")) + fileHash(m_b->dataDirectory() + QStringLiteral("/roles.json"))), rolesBefore);
    QCOMPARE(tryWrite(*m_aShop, QStringLiteral("INSERT INTO planned VALUES (700001, 'still primary', 1)")), QString());
    QCOMPARE(linkState(*m_a, table), QStringLiteral("streaming"));
    const Run removed = ctl({QStringLiteral("link"), QStringLiteral("remove"), m_a->url(), QStringLiteral("pz")});
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.describe()));

    // The failover does what the plan said.
    run = ctl({QStringLiteral("failover"), m_a->url(), table, QStringLiteral("--to"), QStringLiteral("dc-b"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(QTest::qWaitFor([&] { return linkState(*m_b, table) == QLatin1String("streaming"); }, SettleMs), qPrintable(describe(*m_b, table)));
    QCOMPARE(tryWrite(*m_bShop, QStringLiteral("INSERT INTO planned VALUES (700002, 'written on b', 2)")), QString());
    for (ScratchDatabase *db : {m_aShop.get(), m_cShop.get()}) {
        for (const QString &copy : {table, QStringLiteral("planned_x"), QStringLiteral("planned_y")}) {
            if ((db == m_aShop.get()) != (copy == table))
                continue;   // A holds "planned", C the other two
            const bool arrived = QTest::qWaitFor([&] { return number(*db, QStringLiteral("SELECT count(*) FROM %1 WHERE id = 700002").arg(copy)) == 1; }, SettleMs);
            QVERIFY2(arrived, qPrintable(copy + describe(*m_a, QStringLiteral("px")) + describe(*m_b, QStringLiteral("py"))));
        }
    }
    QString difference = waitIdentical(*m_bShop, *m_aShop, table);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    for (const QString &copy : {QStringLiteral("planned_x"), QStringLiteral("planned_y")}) {
        QVERIFY2(QTest::qWaitFor([&] { return rowsDifference(rowsOf(*m_bShop, table), rowsOf(*m_cShop, copy)).isEmpty(); }, SettleMs),
                 qPrintable(copy + QStringLiteral(": ") + rowsDifference(rowsOf(*m_bShop, table), rowsOf(*m_cShop, copy))));
    }

    // A forced plan, asked of the replica (now A) while the primary (now B) is down: the
    // link reverses, A's own link of the table continues, B's links are said to be unknown,
    // and nothing changes.
    m_b->kill9();
    const QString rolesOfA = QString::fromLatin1(fileHash(m_a->dataDirectory() + QStringLiteral("/roles.json")));
    run = ctl({QStringLiteral("failover"), m_a->url(), table, QStringLiteral("--to"), QStringLiteral("dc-a"), QStringLiteral("--force"), QStringLiteral("--plan"),
               QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    plan = jsonOf(run);
    QCOMPARE(plan.value(QLatin1String("forced")).toBool(), true);
    QCOMPARE(plan.value(QLatin1String("allowed")).toBool(), true);
    QCOMPARE(plan.value(QLatin1String("epoch")).toInt(), 2);
    QCOMPARE(changes(plan), (QMap<QString, QString>{{table, QStringLiteral("reverses")}, {QStringLiteral("px"), QStringLiteral("continues")}}));
    QCOMPARE(plan.value(QLatin1String("unknown")).toArray().size(), 1);
    QVERIFY2(plan.value(QLatin1String("unknown")).toArray().at(0).toString().contains(QLatin1String("dc-b")), qPrintable(run.out));
    QVERIFY(plan.value(QLatin1String("changes_at_risk")).toInteger(-1) >= 0);
    QCOMPARE(QString::fromLatin1(fileHash(m_a->dataDirectory() + QStringLiteral("/roles.json"))), rolesOfA);
    QVERIFY(tryWrite(*m_aShop, QStringLiteral("INSERT INTO planned VALUES (700003, 'on the replica', 3)")).contains(QLatin1String("dc-b")));
    QVERIFY(restart(*m_b));
}

#include "tst_failover.moc"
