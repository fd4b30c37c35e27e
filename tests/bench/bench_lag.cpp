// Change-feed lag benchmark: how long after a write commits on the source it is visible on
// the target, for Ferry (two real ferry-node processes, a continuous link) and, in the
// same run, for PostgreSQL's own logical replication. Prints Markdown tables.
//
//   ferry_bench_lag --pg URL [--seconds S] [--rates 500,2000] [--poll-us 500] [--workdir DIR]
//                   [--only ferry-sqlite,ferry-pg,pg-logical,overhead] [--flood 10000,1000] [--keep]
//
// --flood HALF,IDLE (issue 15) measures the Ferry runs twice: as above, and while HALF
// half-open connections (TCP connected, no TLS handshake ever) and IDLE idle TLS
// connections (a valid certificate, the handshake done, never a hello) are held against
// the target node, each reopened as soon as the node closes it; both runs print the
// target node's peak RSS, and a table puts them side by side (targets: lag p99 within 2x
// of the run without the flood, RSS under 200 MB). The soft limit of open files is raised
// to the hard limit for the flood's sockets.
//
// --keep leaves the work directory (the nodes' logs) in place; with
// QT_LOGGING_RULES="ferry.link.timing.debug=true" the source node logs where each batch's
// time went every 5 s.
//
// --pg names a PostgreSQL server (scripts/with-postgres.sh starts one); this program starts a
// second one itself (initdb in a temporary directory, as the postgres user when run as
// root, fsync=off like the first, wal_level=logical, a free loopback port). The second
// server is the source of both PostgreSQL runs (Ferry's and the publication), the --pg
// server their target, so that both replicate between the same two instances.
//
// Every measurement is the same loop. A writer in this process, on its own connection,
// writes --seconds worth of rows at a steady rate, each row write in its own transaction:
// half insert a new row, half update a random existing row, and every write sets the
// row's seq column to the write's sequence number; the writer notes the time its COMMIT
// returned. A watcher thread, on its own connection to the target, runs
// `SELECT id, seq FROM lag WHERE seq >= <lowest write not yet seen>` (seq is indexed) every
// --poll-us and notes, for each write, the end of the first poll whose result shows it or a
// later write of the same row. Lag = seen - committed. The watcher also counts writes that
// became visible after a later write (a target state that never existed on the source).
// After the writer stops, everything must arrive; then the target table is compared with
// the source (row count and MD5 over the canonical rows) and, for Ferry, the number of
// changes the link applied during the measurement with the number of writes (exactly once).
//
// Ferry: certificates by `ferryctl certs`, two ferry-node processes on 127.0.0.1, one
// continuous link per backend created by `ferryctl link create`; the measurements start
// after its initial sync (state streaming, nothing pending). SQLite databases are in WAL
// mode. The capture overhead is the same write loop, unpaced, on a plain table and on a
// table with Ferry's capture triggers (Store::installCapture, as a link installs them),
// in alternating rounds, with no link running.

#include "benchsupport.h"

#include "security/tlsconfiguration.h"
#include "storage/store.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRandomGenerator>
#include <QEventLoop>
#include <QScopeGuard>
#include <QSslSocket>
#include <QTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::bench;

namespace {

constexpr qint64 InitialRows = 10000;
const QString Table = QStringLiteral("lag");

qint64 nowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void sleepUntilNs(qint64 deadline)
{
    timespec ts;
    ts.tv_sec = deadline / 1000000000;
    ts.tv_nsec = deadline % 1000000000;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

QString ms(double value)
{
    return QStringLiteral("%1 ms").arg(value, 0, 'f', value < 10 ? 2 : 1);
}

QString number(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

// value at quantile q of sorted values (nearest rank)
double quantile(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    const size_t rank = size_t(std::ceil(q * double(sorted.size())));
    return sorted.at(std::min(sorted.size() - 1, rank > 0 ? rank - 1 : 0));
}

// ---------------------------------------------------------------------------------------
// The second PostgreSQL server

class PostgresServer
{
public:
    explicit PostgresServer(const QStringList &settings)
        : m_dir(QDir::tempPath() + QStringLiteral("/ferry-lag-pg-XXXXXX"))
    {
        QStringList bins = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        std::sort(bins.begin(), bins.end(), [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
        if (bins.isEmpty() || !QFile::exists(QStringLiteral("/usr/lib/postgresql/%1/bin/initdb").arg(bins.last())))
            throw FerryError(QStringLiteral("PostgreSQL server binaries not found (Debian: apt-get install postgresql)"));
        m_bin = QStringLiteral("/usr/lib/postgresql/%1/bin/").arg(bins.last());
        if (!m_dir.isValid())
            throw FerryError(QStringLiteral("cannot create a directory for the second PostgreSQL server: %1").arg(m_dir.errorString()));
        ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
        if (getuid() == 0) {
            const passwd *user = getpwnam("postgres");
            if (!user)
                throw FerryError(QStringLiteral("running as root, but there is no postgres user to run the second PostgreSQL server"));
            if (::chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) != 0)
                throw FerryError(QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path()));
        }
        const Finished init = asServerUser(m_bin + QStringLiteral("initdb"),
                                           {QStringLiteral("-D"), data(), QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("--auth=trust"),
                                            QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8")});
        if (!init.ok())
            throw FerryError(QStringLiteral("initdb failed: %1 %2").arg(init.describe(), QString::fromLocal8Bit(init.out).right(500)));
        for (int attempt = 0; attempt < 10 && m_port == 0; ++attempt) {
            const quint16 port = freePort();
            QStringList options{QStringLiteral("-c listen_addresses=127.0.0.1"), QStringLiteral("-p %1").arg(port), QStringLiteral("-k %1").arg(m_dir.path())};
            for (const QString &setting : settings)
                options.append(QStringLiteral("-c ") + setting);
            const Finished start = asServerUser(m_bin + QStringLiteral("pg_ctl"),
                                                {QStringLiteral("-D"), data(), QStringLiteral("-l"), m_dir.path() + QStringLiteral("/server.log"), QStringLiteral("-w"),
                                                 QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"), options.join(QLatin1Char(' ')), QStringLiteral("start")});
            if (start.ok())
                m_port = port;
        }
        if (m_port == 0) {
            QFile log(m_dir.path() + QStringLiteral("/server.log"));
            log.open(QIODevice::ReadOnly);
            throw FerryError(QStringLiteral("could not start the second PostgreSQL server; its log:\n%1").arg(QString::fromLocal8Bit(log.readAll()).right(2000)));
        }
        const Finished version = run(m_bin + QStringLiteral("postgres"), {QStringLiteral("--version")});
        m_version = QString::fromLocal8Bit(version.out).trimmed().section(QLatin1Char(' '), 2, 2);   // "postgres (PostgreSQL) 15.18 (Debian ...)"
    }

    ~PostgresServer()
    {
        if (m_port != 0)
            asServerUser(m_bin + QStringLiteral("pg_ctl"), {QStringLiteral("-D"), data(), QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("stop")});
    }

    quint16 port() const { return m_port; }
    QString version() const { return m_version; }
    DataSource database(const QString &name, const QString &table = {}) const
    {
        return withDatabase(DataSource::parse(QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(m_port), false), name, table);
    }

private:
    QString data() const { return m_dir.path() + QStringLiteral("/data"); }
    Finished asServerUser(const QString &program, const QStringList &arguments) const
    {
        if (getuid() != 0)
            return run(program, arguments);
        return run(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} + arguments);
    }

    QTemporaryDir m_dir;
    QString m_bin;
    QString m_version;
    quint16 m_port = 0;
};

// ---------------------------------------------------------------------------------------
// Tables

// The replicated table: a key, the sequence number of the write that last touched the
// row (indexed, so that the watcher finds new writes without a scan), and a payload.
void createLagTable(const DataSource &source, const QString &table, qint64 rows)
{
    Connection db(source);
    db.exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(table));
    if (source.kind == DataSource::Kind::Sqlite) {
        db.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
        db.exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, amount REAL NOT NULL, note TEXT NOT NULL)").arg(table));
        if (rows > 0)
            db.exec(QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %1) "
                                   "INSERT INTO %2 SELECT x, 0, x * 1.25, 'initial row ' || x FROM c")
                        .arg(rows)
                        .arg(table));
    } else {
        db.exec(QStringLiteral("CREATE TABLE %1 (id bigint PRIMARY KEY, seq bigint NOT NULL, amount double precision NOT NULL, note text NOT NULL)").arg(table));
        if (rows > 0)
            db.exec(QStringLiteral("INSERT INTO %1 SELECT x, 0, x * 1.25, 'initial row ' || x FROM generate_series(1::bigint, %2) x").arg(table).arg(rows));
    }
    db.exec(QStringLiteral("CREATE INDEX %1_seq ON %1 (seq)").arg(table));
    if (source.kind == DataSource::Kind::Postgres)
        db.exec(QStringLiteral("ANALYZE %1").arg(table));
}

qint64 countRows(const DataSource &source)
{
    Connection db(source);
    return db.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(source.table));
}

// ---------------------------------------------------------------------------------------
// Writer and watcher

// One measurement's writes: which row each touched, when its commit returned, and when
// the watcher saw it. Entry i is the write with seq firstSeq + i. The writer fills key and
// prev before it sends a write and then publishes it through `issued`.
struct Journal
{
    Journal(qint64 firstSeq, qsizetype capacity)
        : firstSeq(firstSeq)
        , capacity(capacity)
        , key(new qint64[capacity])
        , prev(new qint64[capacity])
        , commitNs(new qint64[capacity])
        , latencyNs(new qint64[capacity])
        , visibleNs(new qint64[capacity]())
    {
    }

    const qint64 firstSeq;
    const qsizetype capacity;
    std::unique_ptr<qint64[]> key;         // the row the write touched
    std::unique_ptr<qint64[]> prev;        // the entry that last wrote the same row, -1 for none
    std::unique_ptr<qint64[]> commitNs;    // when the write's COMMIT returned
    std::unique_ptr<qint64[]> latencyNs;   // how long the write took
    std::unique_ptr<qint64[]> visibleNs;   // the watcher's; 0: not seen
    std::atomic<qsizetype> issued{0};
    std::atomic<bool> writerDone{false};
    qsizetype committed = 0;               // set before writerDone
    qint64 startNs = 0;
};

// Writes to one table through its own connection (it belongs to the thread that made the
// writer), keeping the next key and sequence number from one measurement to the next.
class Writer
{
public:
    Writer(const DataSource &source, qint64 existingRows, quint32 seed)
        : m_source(source)
        , m_db(source)
        , m_nextId(existingRows + 1)
        , m_random(seed)
    {
        if (source.kind == DataSource::Kind::Sqlite)
            m_db.exec(QStringLiteral("PRAGMA synchronous = NORMAL"));   // in WAL mode, as SqliteStore and most applications run
        m_insert = QSqlQuery(m_db.db());
        m_update = QSqlQuery(m_db.db());
        if (!m_insert.prepare(QStringLiteral("INSERT INTO %1 (id, seq, amount, note) VALUES (?, ?, ?, ?)").arg(source.table))
            || !m_update.prepare(QStringLiteral("UPDATE %1 SET seq = ?, amount = ?, note = ? WHERE id = ?").arg(source.table)))
            throw FerryError(QStringLiteral("cannot prepare the writer's statements: %1 %2").arg(m_insert.lastError().text(), m_update.lastError().text()));
    }

    // A journal for run(); rate <= 0: as fast as the database takes the writes.
    std::unique_ptr<Journal> journalFor(double rate, double seconds) const
    {
        const qsizetype capacity = rate > 0 ? qsizetype(rate * seconds * 1.05) + 16 : qsizetype(100000 * seconds) + 16;
        return std::make_unique<Journal>(m_nextSeq, capacity);
    }

    // Half inserts of new rows, half updates of random existing rows, each in its own
    // transaction, due at startNs + i / rate (late writes go at once, not skipped).
    void run(Journal &j, double rate, double seconds)
    {
        j.startNs = nowNs() + 2000000;
        const qint64 stopNs = j.startNs + qint64(seconds * 1e9);
        qsizetype i = 0;
        auto finish = qScopeGuard([&] {
            j.committed = i;
            m_nextSeq += i;
            j.writerDone.store(true, std::memory_order_release);
        });
        for (; i < j.capacity; ++i) {
            if (rate > 0) {
                const qint64 due = j.startNs + qint64(double(i) * 1e9 / rate);
                if (due >= stopNs)
                    break;
                if (due > nowNs())
                    sleepUntilNs(due);
            } else if (nowNs() >= stopNs) {
                break;
            }
            const qint64 seq = m_nextSeq + i;
            const bool insert = m_random.bounded(2) == 0;
            const qint64 id = insert ? m_nextId++ : 1 + qint64(m_random.bounded(quint64(m_nextId - 1)));
            const auto last = m_lastSeq.find(id);
            j.key[i] = id;
            j.prev[i] = last != m_lastSeq.end() && last->second >= j.firstSeq ? last->second - j.firstSeq : -1;
            m_lastSeq[id] = seq;
            j.issued.store(i + 1, std::memory_order_release);
            const double amount = double(m_random.bounded(1000000)) / 100.0;
            const QString note = QStringLiteral("write %1 of the lag benchmark").arg(seq);
            QSqlQuery &query = insert ? m_insert : m_update;
            if (insert) {
                query.bindValue(0, id);
                query.bindValue(1, seq);
                query.bindValue(2, amount);
                query.bindValue(3, note);
            } else {
                query.bindValue(0, seq);
                query.bindValue(1, amount);
                query.bindValue(2, note);
                query.bindValue(3, id);
            }
            const qint64 before = nowNs();
            if (!query.exec())
                throw FerryError(QStringLiteral("write %1 to %2 failed: %3").arg(seq).arg(m_source.displayName(), query.lastError().text()));
            const qint64 after = nowNs();
            query.finish();
            j.commitNs[i] = after;
            j.latencyNs[i] = after - before;
        }
    }

private:
    DataSource m_source;
    Connection m_db;
    QSqlQuery m_insert;
    QSqlQuery m_update;
    qint64 m_nextId;
    qint64 m_nextSeq = 1;
    QRandomGenerator m_random;
    std::unordered_map<qint64, qint64> m_lastSeq;   // row -> seq of its last write
};

struct WatchResult
{
    qint64 polls = 0;
    qint64 queryNs = 0;    // time inside the queries
    qint64 firstNs = 0;
    qint64 lastNs = 0;
    QString error;
};

// Polls the target every pollUs until every write of the journal was seen, or stop. A
// write is seen at the end of the first poll whose result holds it or a later write of
// the same row (the row has moved past it).
void watch(const DataSource &target, Journal *j, int pollUs, const std::atomic<bool> *stop, WatchResult *result)
{
    try {
        Connection db(target);
        QSqlQuery query(db.db());
        query.setForwardOnly(true);
        if (!query.prepare(QStringLiteral("SELECT id, seq FROM %1 WHERE seq >= ?").arg(target.table)))
            throw FerryError(QStringLiteral("cannot prepare the watcher's query: %1").arg(query.lastError().text()));
        std::vector<qint64> rows;
        rows.reserve(4096);
        qsizetype low = 0;   // the first entry not seen yet
        qint64 next = nowNs();
        result->firstNs = next;
        while (!stop->load()) {
            if (j->writerDone.load(std::memory_order_acquire) && low >= j->committed)
                break;
            query.bindValue(0, j->firstSeq + low);
            const qint64 started = nowNs();
            if (!query.exec())
                throw FerryError(QStringLiteral("the watcher's query failed: %1").arg(query.lastError().text()));
            rows.clear();
            while (query.next())
                rows.push_back(query.value(1).toLongLong() - j->firstSeq);
            const qint64 ended = nowNs();
            query.finish();
            const qsizetype issued = j->issued.load(std::memory_order_acquire);
            for (const qint64 index : rows) {
                if (index < 0 || index >= issued)
                    continue;
                for (qint64 k = index; k >= 0 && j->visibleNs[k] == 0; k = j->prev[k])
                    j->visibleNs[k] = ended;
            }
            while (low < issued && j->visibleNs[low] != 0)
                ++low;
            ++result->polls;
            result->queryNs += ended - started;
            result->lastNs = ended;
            next += qint64(pollUs) * 1000;
            if (next < ended)
                next = ended;
            sleepUntilNs(next);
        }
    } catch (const FerryError &error) {
        result->error = error.message();
    }
}

// Peak resident set of a process, from /proc (VmHWM: the high-water mark since it started
// is not what one run adds, so the current VmRSS is sampled instead).
double rssMb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

// Hostile connections held against a node while a measurement runs: half-open ones (TCP
// connected, no TLS handshake ever) on raw sockets in one thread, idle TLS ones (a valid
// certificate, the handshake done, never a hello) on QSslSockets in another; each one the
// node closes is opened again. Also samples the node's RSS every 100 ms.
class Flood
{
public:
    Flood(quint16 port, int halfOpen, int idle, const QSslConfiguration &tls, qint64 pid)
        : m_port(port), m_halfOpen(halfOpen), m_idle(idle), m_tls(tls), m_pid(pid)
    {
    }
    ~Flood() { stop(); }

    void start()
    {
        m_stop = false;
        if (m_halfOpen > 0)
            m_raw = std::thread([this] { runHalfOpen(); });
        if (m_idle > 0)
            m_tlsThread = std::thread([this] { runIdle(); });
    }
    void stop()
    {
        m_stop = true;
        if (m_raw.joinable())
            m_raw.join();
        if (m_tlsThread.joinable())
            m_tlsThread.join();
    }
    QString describe() const
    {
        return QStringLiteral("held on average %1 half-open (%2 opened again after the node closed them) and %3 TLS idle (%4 opened again)")
            .arg(m_samples ? double(m_heldHalfSum) / m_samples : 0, 0, 'f', 0)
            .arg(m_reopenedHalf.load())
            .arg(m_samples ? double(m_heldIdleSum) / m_samples : 0, 0, 'f', 0)
            .arg(m_reopenedIdle.load());
    }

private:
    void runHalfOpen()
    {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(m_port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        std::vector<int> fds(size_t(m_halfOpen), -1);
        qint64 lastSample = 0;
        while (!m_stop) {
            int opened = 0;
            int held = 0;
            for (int &fd : fds) {
                if (fd >= 0) {
                    char byte;
                    const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
                    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN)) {
                        ::close(fd);
                        fd = -1;
                        ++m_reopenedHalf;
                    } else {
                        ++held;
                    }
                }
                if (fd < 0 && opened < 2000) {   // at most 2,000 new connections a round
                    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
                        ::close(fd);
                        fd = -1;
                    }
                    ++opened;
                }
            }
            m_heldHalf = held;
            const qint64 now = nowNs();
            if (now - lastSample >= 100000000) {
                lastSample = now;
                m_peakRssMb = std::max(m_peakRssMb.load(), rssMb(m_pid));
                m_heldHalfSum += m_heldHalf;
                m_heldIdleSum += m_heldIdle;
                ++m_samples;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }

    void runIdle()
    {
        QEventLoop loop;
        std::vector<std::unique_ptr<QSslSocket>> sockets;
        std::atomic<int> encrypted{0};
        auto open = [this](QSslSocket *socket) { socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port); };
        for (int i = 0; i < m_idle; ++i) {
            auto socket = std::make_unique<QSslSocket>();
            socket->setSslConfiguration(m_tls);
            QSslSocket *raw = socket.get();
            QObject::connect(raw, &QSslSocket::encrypted, [&encrypted] { ++encrypted; });
            QObject::connect(raw, &QSslSocket::disconnected, [this, raw, open, &encrypted] {
                --encrypted;
                ++m_reopenedIdle;
                QTimer::singleShot(100, raw, [raw, open] { open(raw); });
            });
            QObject::connect(raw, &QSslSocket::errorOccurred, [this, raw, open](QAbstractSocket::SocketError) {
                if (raw->state() == QAbstractSocket::UnconnectedState) {
                    ++m_reopenedIdle;
                    QTimer::singleShot(100, raw, [raw, open] { open(raw); });
                }
            });
            sockets.push_back(std::move(socket));
        }
        for (size_t i = 0; i < sockets.size(); ++i)
            QTimer::singleShot(int(i / 50), sockets[i].get(), [raw = sockets[i].get(), open] { open(raw); });   // 50 a millisecond
        QTimer check;
        QObject::connect(&check, &QTimer::timeout, [&] {
            m_heldIdle = std::max(0, encrypted.load());
            if (m_halfOpen == 0) {
                m_peakRssMb = std::max(m_peakRssMb.load(), rssMb(m_pid));
                m_heldIdleSum += m_heldIdle;
                ++m_samples;
            }
            if (m_stop)
                loop.quit();
        });
        check.start(100);
        loop.exec();
        for (auto &socket : sockets) {
            socket->disconnect();
            socket->abort();
        }
    }

    quint16 m_port;
    int m_halfOpen;
    int m_idle;
    QSslConfiguration m_tls;
    qint64 m_pid;
    std::atomic<bool> m_stop{false};
    std::thread m_raw;
    std::thread m_tlsThread;
    std::atomic<int> m_heldHalf{0};
    std::atomic<int> m_heldIdle{0};
    std::atomic<qint64> m_heldHalfSum{0};
    std::atomic<qint64> m_heldIdleSum{0};
    std::atomic<qint64> m_samples{0};
    std::atomic<qint64> m_reopenedHalf{0};
    std::atomic<qint64> m_reopenedIdle{0};

public:
    std::atomic<double> m_peakRssMb{0};
};

// The target node's RSS sampled while a run without a flood goes on.
class RssSampler
{
public:
    explicit RssSampler(qint64 pid)
        : m_thread([this, pid] {
            while (!m_stop) {
                m_peakMb = std::max(m_peakMb.load(), rssMb(pid));
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        })
    {
    }
    ~RssSampler()
    {
        m_stop = true;
        m_thread.join();
    }
    double peakMb() const { return m_peakMb; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<double> m_peakMb{0};
    std::thread m_thread;
};

struct FloodSettings
{
    int halfOpen = 0;
    int idle = 0;
    bool on() const { return halfOpen > 0 || idle > 0; }
};

struct LagResult
{
    double rssPeakMb = 0;                // the target node's, sampled every 100 ms
    bool flooded = false;
    QString what;
    int rate = 0;
    bool valid = false;
    QString problem;
    qsizetype writes = 0;
    double achievedRate = 0;
    double p50 = 0, p99 = 0, max = 0;
    double writeP50 = 0, writeP99 = 0;   // the writer's per-write latency, ms
    qsizetype unseen = 0;
    qsizetype overtaken = 0;             // writes seen after a later write was seen
    qsizetype slow = 0;                  // writes seen more than 50 ms after their commit
    qsizetype slowBursts = 0;            // runs of consecutive such writes
    double pollPeriodUs = 0;
    double pollQueryUs = 0;
    QStringList checks;
    QString note;
    QString load;
};

// One measurement: the writer on its source at rate for seconds, the watcher on target.
LagResult measureLag(const QString &what, Writer &writer, const DataSource &target, int rate, double seconds, int pollUs,
                     const std::function<bool()> &replicatorAlive = {})
{
    LagResult r;
    r.what = what;
    r.rate = rate;
    const QString loadBefore = loadAverage();
    say(QStringLiteral("  %1: %2 writes/s for %3 s").arg(what).arg(rate).arg(seconds));

    std::unique_ptr<Journal> journal = writer.journalFor(rate, seconds);
    std::atomic<bool> stop{false};
    std::atomic<bool> finished{false};
    WatchResult watched;
    std::thread watcher([&] {
        watch(target, journal.get(), pollUs, &stop, &watched);
        finished = true;
    });
    QString writeError;
    try {
        writer.run(*journal, rate, seconds);
    } catch (const FerryError &error) {
        writeError = error.message();
    }
    // Everything must arrive: up to 60 s after the last write (not when the replicator died).
    const qint64 deadline = nowNs() + 60000000000LL;
    for (int i = 0; !finished && nowNs() < deadline; ++i) {
        if (replicatorAlive && i % 40 == 0 && !replicatorAlive())
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop = true;
    watcher.join();
    r.load = QStringLiteral("%1 -> %2").arg(loadBefore, loadAverage());

    const Journal &j = *journal;
    r.writes = j.committed;
    std::vector<double> lags, latencies;
    lags.reserve(j.committed);
    latencies.reserve(j.committed);
    qint64 laterSeen = std::numeric_limits<qint64>::max();
    for (qsizetype k = j.committed - 1; k >= 0; --k) {
        latencies.push_back(j.latencyNs[k] / 1e6);
        if (j.visibleNs[k] == 0) {
            ++r.unseen;
            continue;
        }
        lags.push_back((j.visibleNs[k] - j.commitNs[k]) / 1e6);
        if (j.visibleNs[k] > laterSeen)
            ++r.overtaken;
        laterSeen = std::min(laterSeen, j.visibleNs[k]);
    }
    bool inBurst = false;
    for (qsizetype k = 0; k < j.committed; ++k) {
        const bool slow = j.visibleNs[k] != 0 && j.visibleNs[k] - j.commitNs[k] > 50000000;
        r.slow += slow ? 1 : 0;
        r.slowBursts += slow && !inBurst ? 1 : 0;
        inBurst = slow;
    }
    std::sort(lags.begin(), lags.end());
    std::sort(latencies.begin(), latencies.end());
    r.p50 = quantile(lags, 0.50);
    r.p99 = quantile(lags, 0.99);
    r.max = lags.empty() ? 0 : lags.back();
    r.writeP50 = quantile(latencies, 0.50);
    r.writeP99 = quantile(latencies, 0.99);
    if (j.committed > 1)
        r.achievedRate = double(j.committed) * 1e9 / double(j.commitNs[j.committed - 1] - j.startNs);
    if (watched.polls > 0) {
        r.pollPeriodUs = (watched.lastNs - watched.firstNs) / 1e3 / double(watched.polls);
        r.pollQueryUs = watched.queryNs / 1e3 / double(watched.polls);
    }
    if (!writeError.isEmpty())
        r.problem = writeError;
    else if (!watched.error.isEmpty())
        r.problem = watched.error;
    else if (r.unseen > 0)
        r.problem = QStringLiteral("%1 of %2 writes never became visible on the target (waited 60 s)").arg(r.unseen).arg(r.writes);
    r.valid = r.problem.isEmpty() && r.writes > 0;
    r.checks.append(QStringLiteral("%1 writes, %2").arg(number(r.writes), r.unseen == 0 ? QStringLiteral("all seen") : QStringLiteral("%1 never seen").arg(r.unseen)));
    r.checks.append(r.overtaken == 0 ? QStringLiteral("none seen before an earlier write")
                                     : QStringLiteral("%1 seen after a later write (a target state the source never had)").arg(number(r.overtaken)));
    r.checks.append(QStringLiteral("%1 writes over 50 ms, in %2 bursts").arg(number(r.slow), number(r.slowBursts)));
    say(QStringLiteral("    %1 writes (%2/s), lag p50 %3 p99 %4 max %5; writer p50 %6 p99 %7; %8 polls every %9 us (query %10 us); %11")
            .arg(r.writes).arg(r.achievedRate, 0, 'f', 0).arg(ms(r.p50), ms(r.p99), ms(r.max), ms(r.writeP50), ms(r.writeP99))
            .arg(watched.polls).arg(r.pollPeriodUs, 0, 'f', 0).arg(r.pollQueryUs, 0, 'f', 0)
            .arg(r.problem.isEmpty() ? r.checks.join(QStringLiteral("; ")) : r.problem));
    return r;
}

// The target holds the same rows as the source (after everything arrived).
void checkSame(const DataSource &source, const DataSource &target, LagResult *r)
{
    const RangeDigest a = tableDigest(source);
    const RangeDigest b = tableDigest(target);
    if (a != b) {
        r->valid = false;
        r->problem = QStringLiteral("the target differs from the source: %1 / %2 rows, or their MD5").arg(a.rows).arg(b.rows);
        say(QStringLiteral("    INVALID: ") + r->problem);
        return;
    }
    r->checks.append(QStringLiteral("target = source (%1 rows, MD5 of canonical rows)").arg(number(a.rows)));
}

// ---------------------------------------------------------------------------------------
// Ferry through ferryctl

class Ferryctl
{
public:
    QString program;
    QString profile;
    quint16 sourcePort = 0;
    quint16 targetPort = 0;

    QJsonObject call(const QStringList &arguments) const
    {
        const Finished f = run(program, arguments + QStringList{QStringLiteral("--json"), QStringLiteral("--profile"), profile});
        const QJsonDocument document = QJsonDocument::fromJson(f.out);
        const QJsonObject object = document.object();
        if (!f.ok() || !document.isObject() || object.contains(QStringLiteral("error")))
            throw FerryError(QStringLiteral("ferryctl %1 failed: %2 %3").arg(arguments.join(QLatin1Char(' ')), f.describe(), QString::fromLocal8Bit(f.out).trimmed()));
        return object;
    }
    QString sourceNode() const { return QStringLiteral("ferry://127.0.0.1:%1").arg(sourcePort); }
    void createLink(const QString &id, const QString &sourceDb, const QString &targetDb) const
    {
        call({QStringLiteral("link"), QStringLiteral("create"), QStringLiteral("%1/%2?table=%3").arg(sourceNode(), sourceDb, Table),
              QStringLiteral("ferry://127.0.0.1:%1/%2?table=%3").arg(targetPort).arg(targetDb, Table), QStringLiteral("--id"), id});
    }
    QJsonObject stats(const QString &id) const
    {
        return call({QStringLiteral("link"), QStringLiteral("show"), sourceNode(), id}).value(QStringLiteral("stats")).toObject();
    }
    void removeLink(const QString &id) const { call({QStringLiteral("link"), QStringLiteral("remove"), sourceNode(), id}); }
};

// The two data centers: ferry-node processes on fixed loopback ports, so that a node that
// stopped during a measurement is started again where the link expects it, and the next
// measurement can go on. Every stop is counted and reported.
class Nodes
{
public:
    explicit Nodes(const QString &dir)
        : m_dir(dir)
    {
        m_ports[0] = freePort();
        do
            m_ports[1] = freePort();
        while (m_ports[1] == m_ports[0]);
    }

    quint16 sourcePort() const { return m_ports[0]; }
    quint16 targetPort() const { return m_ports[1]; }
    qint64 targetPid() const { return m_nodes[1] ? m_nodes[1]->pid() : 0; }

    void writeConfigs(const QStringList &sourceDatabases, const QStringList &targetDatabases)
    {
        writeFile(m_dir + QStringLiteral("/source.json"), nodeConfig(QStringLiteral("source"), sourceDatabases, m_ports[0]));
        writeFile(m_dir + QStringLiteral("/target.json"), nodeConfig(QStringLiteral("target"), targetDatabases, m_ports[1]));
    }

    // Starts the nodes that are not running.
    void start()
    {
        for (int i = 0; i < 2; ++i) {
            if (m_nodes[i] && m_nodes[i]->running())
                continue;
            const QString name = i == 0 ? QStringLiteral("source") : QStringLiteral("target");
            const QString log = QStringLiteral("%1/%2%3.log").arg(m_dir, name, m_starts[i] > 0 ? QStringLiteral(".%1").arg(m_starts[i]) : QString());
            m_nodes[i].reset();
            m_nodes[i] = std::make_unique<FerryNode>(name, QStringLiteral(FERRY_NODE_PATH), QStringLiteral("%1/%2.json").arg(m_dir, name), log);
            if (m_nodes[i]->port() != m_ports[i])
                throw FerryError(QStringLiteral("the %1 node listens on %2, not on %3").arg(name).arg(m_nodes[i]->port()).arg(m_ports[i]));
            ++m_starts[i];
        }
    }

    bool running() { return m_nodes[0] && m_nodes[1] && m_nodes[0]->running() && m_nodes[1]->running(); }

    // What stopped since the last call ("the target ferry-node crashed; its log ends: ..."),
    // and both running again; empty when nothing stopped.
    QString restartStopped()
    {
        QStringList stopped;
        for (int i = 0; i < 2; ++i) {
            if (m_nodes[i] && !m_nodes[i]->running()) {
                const QString name = i == 0 ? QStringLiteral("source") : QStringLiteral("target");
                stopped.append(QStringLiteral("the %1 ferry-node %2 (its log ends: %3)")
                                   .arg(name, m_nodes[i]->exitDescription(),
                                        m_nodes[i]->logText().trimmed().section(QLatin1Char('\n'), -1).simplified().right(200)));
                m_stops.append(QStringLiteral("%1 %2").arg(name, m_nodes[i]->exitDescription()));
            }
        }
        if (!stopped.isEmpty()) {
            say(QStringLiteral("    ") + stopped.join(QStringLiteral("; ")) + QStringLiteral("; starting it again"));
            start();
        }
        return stopped.join(QStringLiteral("; "));
    }

    QStringList stops() const { return m_stops; }

private:
    QString m_dir;
    quint16 m_ports[2] = {0, 0};
    std::unique_ptr<FerryNode> m_nodes[2];
    int m_starts[2] = {0, 0};
    QStringList m_stops;
};

qint64 statNumber(const QJsonObject &stats, const char *name)
{
    return qint64(stats.value(QLatin1String(name)).toDouble());
}

// Until the link has synced and streams with nothing pending, and the target has the
// source's rows.
void waitForStreaming(const Ferryctl &ctl, const QString &id, const DataSource &source, const DataSource &target)
{
    const qint64 deadline = nowNs() + 300000000000LL;
    QJsonObject stats;
    while (nowNs() < deadline) {
        stats = ctl.stats(id);
        if (stats.value(QStringLiteral("state")).toString() == QLatin1String("streaming") && statNumber(stats, "pending") == 0
            && statNumber(stats, "last_verify_at_ms") > 0 && countRows(target) == countRows(source)) {
            say(QStringLiteral("    link %1 streaming after its initial sync (%2 blocks)").arg(id).arg(statNumber(stats, "blocks")));
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    throw FerryError(QStringLiteral("link %1 did not reach streaming: %2").arg(id, QString::fromUtf8(QJsonDocument(stats).toJson(QJsonDocument::Compact))));
}

QList<LagResult> measureFerry(const QString &what, const Ferryctl &ctl, Nodes &nodes, const QString &id, const QString &sourceDb, const DataSource &source,
                              const QString &targetDb, const DataSource &target, const QList<int> &rates, double seconds, int pollUs,
                              const FloodSettings &flood = {}, const QSslConfiguration &floodTls = {})
{
    say(QStringLiteral("%1").arg(what));
    createLagTable(source, Table, InitialRows);
    createLagTable(target, Table, 0);
    ctl.createLink(id, sourceDb, targetDb);
    waitForStreaming(ctl, id, source, target);
    QList<LagResult> results;
    {
        Writer writer(source, InitialRows, 7);
        QList<std::pair<int, bool>> runs;   // rate, flooded
        for (const int rate : rates) {
            runs.append({rate, false});
            if (flood.on())
                runs.append({rate, true});
        }
        for (const auto &[rate, flooded] : runs) {
            const QJsonObject before = ctl.stats(id);
            const QString label = flooded ? QStringLiteral("%1, flood: %2 half-open + %3 idle TLS").arg(what, number(flood.halfOpen), number(flood.idle)) : what;
            std::unique_ptr<Flood> hostile;
            std::unique_ptr<RssSampler> sampler;
            if (flooded) {
                hostile = std::make_unique<Flood>(nodes.targetPort(), flood.halfOpen, flood.idle, floodTls, nodes.targetPid());
                hostile->start();
                say(QStringLiteral("    flooding the target node; 5 s to build up"));
                std::this_thread::sleep_for(std::chrono::seconds(5));
            } else {
                sampler = std::make_unique<RssSampler>(nodes.targetPid());
            }
            LagResult r = measureLag(label, writer, target, rate, seconds, pollUs, [&nodes] { return nodes.running(); });
            r.flooded = flooded;
            if (hostile) {
                hostile->stop();
                r.rssPeakMb = hostile->m_peakRssMb;
                r.checks.append(hostile->describe());
                say(QStringLiteral("    %1").arg(hostile->describe()));
                hostile.reset();
            } else {
                r.rssPeakMb = sampler->peakMb();
                sampler.reset();
            }
            const QString stopped = nodes.restartStopped();
            if (!stopped.isEmpty()) {
                // No figures from a measurement a node did not survive; the link resumes on
                // the restarted node for the next one.
                r.valid = false;
                r.problem = stopped + (r.problem.isEmpty() ? QString() : QStringLiteral("; ") + r.problem);
                results.append(r);
                waitForStreaming(ctl, id, source, target);
                continue;
            }
            // Exactly once: the link applied one change per write (its counter is updated
            // after the target's reply, so it may trail the rows by a moment).
            QJsonObject after = ctl.stats(id);
            for (int i = 0; i < 50 && statNumber(after, "applied_total") - statNumber(before, "applied_total") < r.writes; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                after = ctl.stats(id);
            }
            const qint64 applied = statNumber(after, "applied_total") - statNumber(before, "applied_total");
            const qint64 errors = statNumber(after, "errors") - statNumber(before, "errors");
            if (r.valid)
                checkSame(source, target, &r);
            if (applied != r.writes && r.valid) {
                r.valid = false;
                r.problem = QStringLiteral("the link applied %1 changes for %2 writes").arg(applied).arg(r.writes);
            }
            r.checks.append(QStringLiteral("the link applied %1 changes for %2 writes, %3 errors").arg(number(applied), number(r.writes)).arg(errors));
            if (errors > 0)
                r.checks.append(QStringLiteral("last error: %1").arg(after.value(QStringLiteral("last_error")).toString()));
            r.note = QStringLiteral("Ferry's own lag figure (commit to the target's reply, last 1000 changes): p50 %1, p99 %2")
                         .arg(ms(after.value(QStringLiteral("lag_p50_ms")).toDouble()), ms(after.value(QStringLiteral("lag_p99_ms")).toDouble()));
            say(QStringLiteral("    %1; %2").arg(r.checks.mid(2).join(QStringLiteral("; ")), r.note));
            results.append(r);
        }
    }
    ctl.removeLink(id);
    return results;
}

// ---------------------------------------------------------------------------------------
// PostgreSQL logical replication, the peer

QList<LagResult> measureLogical(const QString &what, const PostgresServer &publisher, const DataSource &subscriberServer, const QList<int> &rates,
                                double seconds, int pollUs)
{
    say(what);
    const DataSource source = publisher.database(QStringLiteral("ferry_lag_pub"), Table);
    const DataSource target = withDatabase(subscriberServer, QStringLiteral("ferry_lag_sub"), Table);
    createLagTable(source, Table, InitialRows);
    createLagTable(target, Table, 0);
    {
        Connection pub(source);
        pub.exec(QStringLiteral("CREATE PUBLICATION ferry_lag_pub FOR TABLE %1").arg(Table));
        Connection sub(target);
        sub.exec(QStringLiteral("CREATE SUBSCRIPTION ferry_lag_sub CONNECTION 'host=127.0.0.1 port=%1 user=postgres dbname=ferry_lag_pub' PUBLICATION ferry_lag_pub")
                     .arg(publisher.port()));
    }
    QList<LagResult> results;
    try {
        const qint64 deadline = nowNs() + 120000000000LL;
        for (;;) {
            Connection sub(target);
            if (sub.scalar(QStringLiteral("SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")) == 0
                && sub.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(Table)) == InitialRows)
                break;
            if (nowNs() > deadline)
                throw FerryError(QStringLiteral("the subscription did not finish its initial copy in 120 s"));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        say(QStringLiteral("    subscription ready (initial copy of %1 rows done)").arg(InitialRows));
        Writer writer(source, InitialRows, 7);
        for (const int rate : rates) {
            LagResult r = measureLag(what, writer, target, rate, seconds, pollUs);
            if (r.valid)
                checkSame(source, target, &r);
            results.append(r);
        }
    } catch (...) {
        Connection sub(target);
        sub.exec(QStringLiteral("DROP SUBSCRIPTION ferry_lag_sub"));
        throw;
    }
    Connection sub(target);
    sub.exec(QStringLiteral("DROP SUBSCRIPTION ferry_lag_sub"));
    return results;
}

// ---------------------------------------------------------------------------------------
// What capture costs the writer

struct OverheadResult
{
    QString backend;
    QString problem;
    qint64 writes[2] = {0, 0};       // plain, captured
    double seconds[2] = {0, 0};
    double p50[2] = {0, 0};
    double p90[2] = {0, 0};
    double p99[2] = {0, 0};
    QString note;
};

// The same write loop, unpaced, on a plain table and on one with Ferry's capture, in eight
// rounds of seconds/4 (plain, captured, captured, plain, twice), so that a change in the
// machine's load falls on both.
OverheadResult measureOverhead(const QString &backend, const DataSource &database, double seconds)
{
    say(QStringLiteral("capture overhead, %1").arg(backend));
    OverheadResult r;
    r.backend = backend;
    const DataSource plain = withDatabase(database, database.database, QStringLiteral("lag_plain"));
    const DataSource captured = withDatabase(database, database.database, QStringLiteral("lag_captured"));
    createLagTable(plain, plain.table, InitialRows);
    createLagTable(captured, captured.table, InitialRows);
    {
        auto store = Store::open(captured, Store::Options{false, 10000});
        store->installCapture(store->describe(captured.table));
    }
    Writer writers[2] = {Writer(plain, InitialRows, 11), Writer(captured, InitialRows, 11)};
    std::vector<double> latencies[2];
    for (const int variant : {0, 1, 1, 0, 0, 1, 1, 0}) {
        std::unique_ptr<Journal> journal = writers[variant].journalFor(0, seconds / 4);
        writers[variant].run(*journal, 0, seconds / 4);
        const qint64 elapsed = journal->commitNs[journal->committed - 1] - journal->startNs;
        r.writes[variant] += journal->committed;
        r.seconds[variant] += elapsed / 1e9;
        for (qsizetype k = 0; k < journal->committed; ++k)
            latencies[variant].push_back(journal->latencyNs[k] / 1e6);
        say(QStringLiteral("    %1: %2 writes in %3 s").arg(variant ? QStringLiteral("captured") : QStringLiteral("plain")).arg(journal->committed).arg(elapsed / 1e9, 0, 'f', 2));
    }
    for (int variant : {0, 1}) {
        std::sort(latencies[variant].begin(), latencies[variant].end());
        r.p50[variant] = quantile(latencies[variant], 0.5);
        r.p90[variant] = quantile(latencies[variant], 0.9);
        r.p99[variant] = quantile(latencies[variant], 0.99);
    }
    // The captured table's log holds one change per write.
    Connection db(captured);
    const qint64 logged = db.scalar(QStringLiteral("SELECT count(*) FROM _ferry_log_lag_captured"));
    if (logged != r.writes[1])
        r.problem = QStringLiteral("the change log holds %1 changes for %2 writes").arg(logged).arg(r.writes[1]);
    r.note = QStringLiteral("the change log holds %1 changes for %2 writes").arg(number(logged), number(r.writes[1]));
    return r;
}

// ---------------------------------------------------------------------------------------
// Output

QString cell(QString text)
{
    return text.replace(QLatin1Char('|'), QLatin1String("\\|"));
}

void printLagTable(int rate, const QList<LagResult> &rows, double seconds, int pollUs)
{
    std::printf("\nLag at %s row writes/s (%g s each; each write its own transaction; watcher polls every %d us)\n\n", qPrintable(number(rate)), seconds, pollUs);
    std::printf("| replication | writes/s achieved | lag p50 | lag p99 | lag max | writer's commit p50 / p99 | target met (p99 <= 10 ms at 2,000/s) | checks |\n"
                "|---|---|---|---|---|---|---|---|\n");
    for (const LagResult &r : rows) {
        if (r.rate != rate)
            continue;
        if (!r.valid) {
            std::printf("| %s | INVALID | | | | | | %s |\n", qPrintable(cell(r.what)), qPrintable(cell(r.problem)));
            continue;
        }
        const bool peer = r.what.contains(QLatin1String("peer"));
        QString target;
        if (peer)
            target = QStringLiteral("- (peer)");
        else if (rate != 2000)
            target = QStringLiteral("- (set at 2,000/s)");
        else
            target = r.p99 <= 10 && r.achievedRate >= 0.95 * rate ? QStringLiteral("yes") : QStringLiteral("no");
        QString checks = r.checks.join(QStringLiteral("; "));
        checks += QStringLiteral("; watcher: a poll every %1 us, query %2 us").arg(r.pollPeriodUs, 0, 'f', 0).arg(r.pollQueryUs, 0, 'f', 0);
        if (!r.note.isEmpty())
            checks += QStringLiteral("; ") + r.note;
        checks += QStringLiteral("; load %1").arg(r.load);
        std::printf("| %s | %s | %s | %s | %s | %s / %s | %s | %s |\n", qPrintable(cell(r.what)), qPrintable(number(qint64(std::lround(r.achievedRate)))),
                    qPrintable(ms(r.p50)), qPrintable(ms(r.p99)), qPrintable(ms(r.max)), qPrintable(ms(r.writeP50)), qPrintable(ms(r.writeP99)),
                    qPrintable(target), qPrintable(cell(checks)));
    }
}

// The runs with and without the flood side by side (issue 15's targets).
void printFloodTable(const QList<LagResult> &rows, double seconds)
{
    std::printf("\nFlood against the target node (%g s of writes each run)\n\n", seconds);
    std::printf("| run | writes/s achieved | lag p50 | lag p99 | lag max | target node RSS peak | lag p99 within 2x | RSS under 200 MB |\n"
                "|---|---|---|---|---|---|---|---|\n");
    for (const LagResult &r : rows) {
        if (!r.flooded)
            continue;
        const LagResult *plain = nullptr;
        for (const LagResult &other : rows) {
            if (!other.flooded && other.rate == r.rate && r.what.startsWith(other.what))
                plain = &other;
        }
        for (const LagResult *row : {plain, &r}) {
            if (!row)
                continue;
            if (!row->valid) {
                std::printf("| %s | INVALID: %s | | | | | | |\n", qPrintable(cell(row->what)), qPrintable(cell(row->problem)));
                continue;
            }
            const QString within = row == &r && plain && plain->valid ? (r.p99 <= 2 * plain->p99 ? QStringLiteral("yes (%1x)") : QStringLiteral("no (%1x)"))
                                                                            .arg(plain->p99 > 0 ? r.p99 / plain->p99 : 0, 0, 'f', 2)
                                                          : QStringLiteral("-");
            std::printf("| %s | %s | %s | %s | %s | %.1f MB | %s | %s |\n", qPrintable(cell(row->what)), qPrintable(number(qint64(std::lround(row->achievedRate)))),
                        qPrintable(ms(row->p50)), qPrintable(ms(row->p99)), qPrintable(ms(row->max)), row->rssPeakMb, qPrintable(within),
                        row->rssPeakMb < 200 ? "yes" : "no");
        }
    }
}

void printOverheadTable(const QList<OverheadResult> &rows, double seconds)
{
    std::printf("\nCapture overhead on the source: the writer unpaced, one row write per transaction, %g s per table in eight alternating rounds\n\n",
                seconds);
    std::printf("| backend | table | writes/s | write p50 | write p90 | write p99 | capture's cost per write | note |\n|---|---|---|---|---|---|---|---|\n");
    for (const OverheadResult &r : rows) {
        if (!r.problem.isEmpty()) {
            std::printf("| %s | INVALID | | | | | %s |\n", qPrintable(r.backend), qPrintable(cell(r.problem)));
            continue;
        }
        const double rate[2] = {r.writes[0] / r.seconds[0], r.writes[1] / r.seconds[1]};
        auto us = [](double milliseconds) { return QStringLiteral("%1 us").arg(milliseconds * 1000, 0, 'f', 0); };
        std::printf("| %s | plain | %s | %s | %s | %s | | |\n", qPrintable(r.backend), qPrintable(number(qint64(std::lround(rate[0])))), qPrintable(us(r.p50[0])),
                    qPrintable(us(r.p90[0])), qPrintable(ms(r.p99[0])));
        std::printf("| %s | with Ferry's capture | %s | %s | %s | %s | p50 %+.0f us (%+.0f%%), p90 %+.0f us; mean %+.0f%% (from writes/s) | %s |\n",
                    qPrintable(r.backend), qPrintable(number(qint64(std::lround(rate[1])))), qPrintable(us(r.p50[1])), qPrintable(us(r.p90[1])),
                    qPrintable(ms(r.p99[1])), (r.p50[1] - r.p50[0]) * 1000, (r.p50[1] / r.p50[0] - 1) * 100, (r.p90[1] - r.p90[0]) * 1000,
                    (rate[0] / rate[1] - 1) * 100, qPrintable(cell(r.note)));
    }
}

// ---------------------------------------------------------------------------------------

int runBenchmark(double seconds, const QString &pg, const QList<int> &rates, int pollUs, const QString &workdir, const QStringList &only, bool keep,
                 const FloodSettings &flood)
{
    auto wanted = [&](const char *part) { return only.isEmpty() || only.contains(QLatin1String(part)); };
    QTemporaryDir temp(workdir + QStringLiteral("/ferry-bench-lag-XXXXXX"));
    if (!temp.isValid())
        throw FerryError(QStringLiteral("cannot create a work directory: %1").arg(temp.errorString()));
    const QString dir = temp.path();
    if (keep) {
        temp.setAutoRemove(false);
        say(QStringLiteral("work directory (kept): %1").arg(dir));
    }
    const QString loadBefore = loadAverage();

    std::optional<DataSource> subscriberServer;
    std::unique_ptr<PostgresServer> publisher;
    if (!pg.isEmpty()) {
        subscriberServer = DataSource::parse(pg.section(QLatin1Char('?'), 0, 0), false);
        say(QStringLiteral("starting the second PostgreSQL server (wal_level=logical)"));
        publisher = std::make_unique<PostgresServer>(QStringList{QStringLiteral("fsync=off"), QStringLiteral("wal_level=logical"),
                                                                 QStringLiteral("max_wal_senders=10"), QStringLiteral("max_replication_slots=10"),
                                                                 QStringLiteral("max_connections=100")});
        say(QStringLiteral("  PostgreSQL %1 on 127.0.0.1:%2").arg(publisher->version()).arg(publisher->port()));
        Connection pubAdmin(publisher->database(QStringLiteral("postgres")));
        for (const char *name : {"ferry_lag_src", "ferry_lag_pub", "ferry_lag_overhead"})
            pubAdmin.exec(QStringLiteral("CREATE DATABASE %1").arg(QLatin1String(name)));
        Connection subAdmin(*subscriberServer);
        for (const char *name : {"ferry_lag_dst", "ferry_lag_sub"}) {
            subAdmin.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(QLatin1String(name)));
            subAdmin.exec(QStringLiteral("CREATE DATABASE %1").arg(QLatin1String(name)));
        }
    }

    QList<LagResult> lags;
    QList<OverheadResult> overheads;
    QStringList nodeStops;
    const DataSource sqliteSource = DataSource::parse(QStringLiteral("sqlite:%1/src.db?table=%2").arg(dir, Table));
    const DataSource sqliteTarget = DataSource::parse(QStringLiteral("sqlite:%1/dst.db?table=%2").arg(dir, Table));
    if (wanted("ferry-sqlite") || wanted("ferry-pg")) {
        Ferryctl ctl;
        ctl.program = QStringLiteral(FERRYCTL_PATH);
        ctl.profile = makeCertificates(ctl.program, dir, {QStringLiteral("source"), QStringLiteral("target")}, QStringLiteral("bench"));
        createLagTable(sqliteSource, Table, 0);
        createLagTable(sqliteTarget, Table, 0);
        QStringList sourceDatabases{QStringLiteral("\"src\": \"sqlite:src.db\"")};
        QStringList targetDatabases{QStringLiteral("\"dst\": \"sqlite:dst.db\"")};
        std::optional<DataSource> pgSource, pgTarget;
        if (publisher) {
            pgSource = publisher->database(QStringLiteral("ferry_lag_src"), Table);
            pgTarget = withDatabase(*subscriberServer, QStringLiteral("ferry_lag_dst"), Table);
            sourceDatabases.append(QStringLiteral("\"pgsrc\": \"%1\"").arg(nodeDatabaseUrl(*pgSource)));
            targetDatabases.append(QStringLiteral("\"pgdst\": \"%1\"").arg(nodeDatabaseUrl(*pgTarget)));
        }
        Nodes nodes(dir);
        nodes.writeConfigs(sourceDatabases, targetDatabases);
        nodes.start();
        ctl.sourcePort = nodes.sourcePort();
        ctl.targetPort = nodes.targetPort();
        say(QStringLiteral("nodes: source on 127.0.0.1:%1, target on 127.0.0.1:%2").arg(ctl.sourcePort).arg(ctl.targetPort));
        QSslConfiguration floodTls;
        if (flood.on())
            floodTls = mutualTlsConfiguration(dir + QStringLiteral("/certs/ca.crt"), dir + QStringLiteral("/certs/bench.crt"), dir + QStringLiteral("/certs/bench.key"));
        if (wanted("ferry-sqlite"))
            lags += measureFerry(QStringLiteral("Ferry, SQLite -> SQLite (WAL)"), ctl, nodes, QStringLiteral("lag-sqlite"), QStringLiteral("src"), sqliteSource,
                                 QStringLiteral("dst"), sqliteTarget, rates, seconds, pollUs, flood, floodTls);
        if (wanted("ferry-pg") && publisher)
            lags += measureFerry(QStringLiteral("Ferry, PostgreSQL -> PostgreSQL"), ctl, nodes, QStringLiteral("lag-pg"), QStringLiteral("pgsrc"), *pgSource,
                                 QStringLiteral("pgdst"), *pgTarget, rates, seconds, pollUs, flood, floodTls);
        const QString stopped = nodes.restartStopped();
        nodeStops = nodes.stops();
        if (!stopped.isEmpty())
            throw FerryError(QStringLiteral("%1; logs in %2").arg(stopped, dir));
    }
    if (wanted("pg-logical") && publisher)
        lags += measureLogical(QStringLiteral("PostgreSQL %1 logical replication (peer)").arg(publisher->version()), *publisher, *subscriberServer, rates,
                               seconds, pollUs);
    if (wanted("overhead")) {
        const DataSource sqliteDb = DataSource::parse(QStringLiteral("sqlite:%1/overhead.db").arg(dir), false);
        overheads.append(measureOverhead(QStringLiteral("SQLite (WAL)"), sqliteDb, seconds));
        if (publisher)
            overheads.append(measureOverhead(QStringLiteral("PostgreSQL"), publisher->database(QStringLiteral("ferry_lag_overhead")), seconds));
    }

    if (subscriberServer) {
        Connection subAdmin(*subscriberServer);
        for (const char *name : {"ferry_lag_dst", "ferry_lag_sub"})
            subAdmin.exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(QLatin1String(name)));
    }

    bool invalid = false;
    for (const int rate : rates)
        printLagTable(rate, lags, seconds, pollUs);
    for (const LagResult &r : lags)
        invalid = invalid || !r.valid;
    if (flood.on())
        printFloodTable(lags, seconds);
    if (!overheads.isEmpty())
        printOverheadTable(overheads, seconds);
    for (const OverheadResult &r : overheads)
        invalid = invalid || !r.problem.isEmpty();
    std::printf("\nferry-node stops during this run: %s\n", nodeStops.isEmpty() ? "none" : qPrintable(nodeStops.join(QStringLiteral(", "))));
    std::printf("%d CPUs; load average (1, 5, 15 min) before: %s, after: %s%s\n", QThread::idealThreadCount(), qPrintable(loadBefore), qPrintable(loadAverage()),
                publisher ? qPrintable(QStringLiteral("; PostgreSQL %1, the second server on 127.0.0.1:%2").arg(publisher->version()).arg(publisher->port())) : "");
    if (invalid) {
        temp.setAutoRemove(false);
        std::printf("Some figures are INVALID; the work directory is kept: %s\n", qPrintable(dir));
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Change-feed lag: Ferry between two ferry-node processes against PostgreSQL logical replication."));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Seconds of writing per measurement."), QStringLiteral("S"), QStringLiteral("20"));
    const QCommandLineOption pgOption(QStringLiteral("pg"), QStringLiteral("PostgreSQL server URL (the target of the PostgreSQL runs)."), QStringLiteral("URL"));
    const QCommandLineOption ratesOption(QStringLiteral("rates"), QStringLiteral("Row writes per second, comma-separated."), QStringLiteral("LIST"),
                                         QStringLiteral("500,2000"));
    const QCommandLineOption pollOption(QStringLiteral("poll-us"), QStringLiteral("The watcher's poll interval in microseconds."), QStringLiteral("US"),
                                        QStringLiteral("500"));
    const QCommandLineOption dirOption(QStringLiteral("workdir"), QStringLiteral("Directory for the temporary files."), QStringLiteral("DIR"), QDir::tempPath());
    const QCommandLineOption onlyOption(QStringLiteral("only"), QStringLiteral("Only these: ferry-sqlite, ferry-pg, pg-logical, overhead (comma-separated)."),
                                        QStringLiteral("LIST"));
    const QCommandLineOption keepOption(QStringLiteral("keep"), QStringLiteral("Keep the work directory (the nodes' logs)."));
    const QCommandLineOption floodOption(QStringLiteral("flood"),
                                         QStringLiteral("Also measure the Ferry runs while HALF half-open and IDLE idle TLS connections are held against the target node."),
                                         QStringLiteral("HALF,IDLE"));
    parser.addOptions({secondsOption, pgOption, ratesOption, pollOption, dirOption, onlyOption, keepOption, floodOption});
    parser.process(app);

    bool ok = false;
    const double seconds = parser.value(secondsOption).toDouble(&ok);
    if (!ok || seconds < 1) {
        std::fprintf(stderr, "bench: --seconds must be at least 1\n");
        return 2;
    }
    QList<int> rates;
    for (const QString &text : parser.value(ratesOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const int rate = text.toInt(&ok);
        if (!ok || rate < 1) {
            std::fprintf(stderr, "bench: --rates takes positive whole numbers\n");
            return 2;
        }
        rates.append(rate);
    }
    const int pollUs = parser.value(pollOption).toInt(&ok);
    if (!ok || pollUs < 50) {
        std::fprintf(stderr, "bench: --poll-us must be at least 50\n");
        return 2;
    }
    FloodSettings flood;
    if (parser.isSet(floodOption)) {
        const QStringList counts = parser.value(floodOption).split(QLatin1Char(','));
        bool okIdle = false;
        flood.halfOpen = counts.value(0).toInt(&ok);
        flood.idle = counts.value(1).toInt(&okIdle);
        if (counts.size() != 2 || !ok || !okIdle || flood.halfOpen < 0 || flood.idle < 0) {
            std::fprintf(stderr, "bench: --flood takes two counts: HALF,IDLE\n");
            return 2;
        }
        // One descriptor per connection, and some for the rest.
        rlimit files{};
        getrlimit(RLIMIT_NOFILE, &files);
        const rlim_t needed = rlim_t(flood.halfOpen + flood.idle + 1024);
        if (files.rlim_cur < needed) {
            files.rlim_cur = std::min(files.rlim_max, needed);
            setrlimit(RLIMIT_NOFILE, &files);
            getrlimit(RLIMIT_NOFILE, &files);
            say(QStringLiteral("open files: soft limit raised to %1").arg(qulonglong(files.rlim_cur)));
            if (files.rlim_cur < needed) {
                std::fprintf(stderr, "bench: --flood needs %llu open files; the hard limit is %llu\n", qulonglong(needed), qulonglong(files.rlim_max));
                return 2;
            }
        }
    }
    const QString pg = parser.isSet(pgOption) ? parser.value(pgOption) : qEnvironmentVariable("FERRY_TEST_PG_URL");
    if (pg.isEmpty())
        say(QStringLiteral("no --pg: only the SQLite measurements run"));
    try {
        return runBenchmark(seconds, pg, rates, pollUs, parser.value(dirOption), parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts),
                            parser.isSet(keepOption), flood);
    } catch (const FerryError &error) {
        std::fprintf(stderr, "bench: %s\n", qPrintable(error.message()));
        return 2;
    }
}
