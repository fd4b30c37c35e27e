#pragma once

// Shared helpers for the end-to-end tests with real processes (tst_node, tst_links):
// ferry-node processes with their config and log, running ferryctl and other programs,
// and small waits over NodeClient. The program paths are compiled into this library
// (FERRY_NODE_PATH, FERRYCTL_PATH): see nodeBinaryPath() and ferryctlBinaryPath().

#include "net/nodeclient.h"
#include "util/ferryerror.h"
#include "wire/message.h"

#include <QFuture>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QThread>

#include <memory>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace ferry::test {

constexpr int NodeStartTimeoutMs = 15000;

QString nodeBinaryPath();      // FERRY_NODE_PATH, or $FERRY_TEST_NODE_BINARY (to run a test against another build)
QString ferryctlBinaryPath();  // FERRYCTL_PATH

// The environment for child processes: untranslated messages (C.UTF-8), no FERRY_PROFILE.
QProcessEnvironment processEnvironment();

struct Run
{
    int exitCode = -1;   // -1: crashed, timed out or did not start
    QString out;
    QString err;
    qint64 ms = 0;

    QString describe() const { return QStringLiteral("exit %1 after %2 ms\nstderr: %3\nstdout: %4").arg(exitCode).arg(ms).arg(err, out); }
};

// Runs a program to its end (killed after timeoutMs) and collects its output.
Run runProgram(const QString &program, const QStringList &arguments, int timeoutMs = 60000);

// The one JSON object a program printed on stdout (empty, with a warning, if it did not).
QJsonObject jsonOf(const Run &run);
// A number of a JSON object, or -1.
qint64 count(const QJsonObject &object, const char *key);

QByteArray fileHash(const QString &path);
// Every file of the SQLite databases (the database, and a journal or WAL if any).
QMap<QString, QByteArray> filesSnapshot(const QStringList &databases);

template <typename T>
bool waitForFuture(const QFuture<T> &future, int timeoutMs)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs);
}

// One request through a NodeClient; rethrows the WireError of an error reply.
Message ask(NodeClient *client, QLatin1StringView type, const QCborMap &body = {}, int timeoutMs = 10000);

// A ferry-node process with its config file and its log (stdout and stderr appended to a
// file, so that it never blocks on a full pipe while the test waits for something else).
// Its data directory is DIR/state.
class NodeProcess
{
public:
    NodeProcess(const QString &name, const QString &region, const QString &dir, const QString &pki);
    ~NodeProcess();

    void addDatabase(const QString &name, const QString &url) { m_databases.insert(name, url); }
    // Fields added to (or replacing those of) the config file, e.g. "limits".
    void setExtraConfig(const QJsonObject &extra) { m_extra = extra; }
    // The certificate and key the config names (default: PKI/NAME.crt and PKI/NAME.key).
    void setCertificate(const QString &certificateFile, const QString &keyFile) { m_certificate = certificateFile; m_key = keyFile; }
    QString name() const { return m_name; }
    QString region() const { return m_region; }
    quint16 port() const { return m_port; }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    QString url(const QString &database = {}, const QString &table = {}) const;
    QString configPath() const { return m_dir + QStringLiteral("/node.json"); }
    QString logPath() const { return m_dir + QStringLiteral("/node.log"); }
    QString dataDirectory() const { return m_dir + QStringLiteral("/state"); }

    // Starts the node (on its previous port, or on a free one the first time) and waits for
    // its "listening" line; returns what went wrong, or an empty string.
    QString start();

    bool isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    void sendSignal(int number) const;
    void kill9();
    // SIGTERM and wait: the exit code, or -1 for a crash or a hang.
    int terminate(int timeoutMs = 10000);

    qsizetype logSize() const;
    QString logSince(qsizetype mark) const;
    bool waitForLog(qsizetype mark, const QString &needle, int timeoutMs = 5000) const;
    // A field of /proc/PID/status in kB (VmPeak, VmRSS), or -1.
    qint64 memoryKb(const char *field) const;

private:
    void writeConfig() const;

    QString m_name;
    QString m_region;
    QString m_dir;
    QString m_pki;
    QMap<QString, QString> m_databases;
    QJsonObject m_extra;
    QString m_certificate;
    QString m_key;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

// A fault-injecting TCP proxy (shared by tst_links and tst_failover): forwards every
// connection to the target port, and on command drops every connection, stalls (holds both
// directions), holds only the replies (what the target sends), refuses connections (stops
// listening: with dropAll, a network partition), or forwards what the client sends at a
// capped rate (a slow link). Lives in the thread of a ProxyThread, so that it forwards
// while the test blocks on a process.
class FaultProxy : public QObject
{
public:
    // BlackHole: what either side sends is lost, and the connections stay open (a peer
    // gone without a FIN, a half-open connection).
    enum Mode { Pass, Stall, HoldReplies, BlackHole };

    explicit FaultProxy(quint16 targetPort);

    void listen();
    quint16 port() const { return m_port; }
    int accepted() const { return m_accepted; }
    int active() const { return int(m_pairs.size()); }

    void setMode(Mode mode);
    void dropAll();
    void setRefusing(bool refusing);
    // At most bytesPerSecond of what clients send reach the target (0: no cap).
    void setRate(qint64 bytesPerSecond);

private:
    struct Pair
    {
        QTcpSocket *client = nullptr;
        QTcpSocket *upstream = nullptr;
        QByteArray toUpstream;
        QByteArray toClient;
        bool closed = false;
    };
    using PairPtr = std::shared_ptr<Pair>;

    void accept();
    void forward(const PairPtr &pair, bool fromClient);
    void flush(const PairPtr &pair);
    void close(const PairPtr &pair);

    quint16 m_targetPort;
    quint16 m_port = 0;
    QTcpServer *m_server = nullptr;
    Mode m_mode = Pass;
    int m_accepted = 0;
    QList<PairPtr> m_pairs;
    qint64 m_rate = 0;
    double m_budget = 0;
    QTimer *m_refill = nullptr;
};

class ProxyThread
{
public:
    explicit ProxyThread(quint16 targetPort);
    ~ProxyThread();
    ProxyThread(const ProxyThread &) = delete;
    ProxyThread &operator=(const ProxyThread &) = delete;

    template <typename Fn>
    void call(Fn fn)
    {
        QMetaObject::invokeMethod(m_proxy, fn, Qt::BlockingQueuedConnection);
    }
    quint16 port();
    int accepted();
    int active();
    void setMode(FaultProxy::Mode mode) { call([this, mode] { m_proxy->setMode(mode); }); }
    void dropAll() { call([this] { m_proxy->dropAll(); }); }
    void setRefusing(bool refusing) { call([this, refusing] { m_proxy->setRefusing(refusing); }); }
    void setRate(qint64 bytesPerSecond) { call([this, bytesPerSecond] { m_proxy->setRate(bytesPerSecond); }); }

private:
    QThread m_thread;
    FaultProxy *m_proxy = nullptr;
};

} // namespace ferry::test
