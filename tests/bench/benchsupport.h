#pragma once

// Helpers shared by the benchmarks that run real ferry-node processes (bench_node.cpp,
// bench_lag.cpp): child processes, certificates and node configs made the way an operator
// makes them, and plain Qt SQL connections for setting up and checking tables.

#include "blocks/rangedigest.h"
#include "storage/datasource.h"

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace ferry::bench {

// Progress on stderr (stdout carries the tables).
void say(const QString &text);

// The 1, 5 and 15 minute load averages, as /proc/loadavg has them.
QString loadAverage();

// ---------------------------------------------------------------------------------------
// Processes

// The environment of every child: untranslated messages (the node's "listening on" line)
// and plain numbers.
QProcessEnvironment childEnvironment();

struct Finished
{
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
    double seconds = 0;

    bool ok() const { return !crashed && exitCode == 0; }
    QString describe() const;
};

// The path of an installed tool; throws FerryError naming the Debian package when missing.
QString findTool(const QString &name, const QString &package);

// Runs program to completion; its wall time counts from start() to exit.
Finished run(const QString &program, const QStringList &arguments, const QString &stdoutFile = {});

// first | second, both started before the clock stops; wall time until both exited.
Finished runPipe(const QString &first, const QStringList &firstArguments, const QString &second, const QStringList &secondArguments);

quint16 freePort();

// A long-running child (ferry-node, a server) that is stopped by its own pid when this
// object goes: terminated, then killed after 10 s.
class Child
{
public:
    Child(const QString &name, const QString &program, const QStringList &arguments, const QString &logFile);
    ~Child();
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

    QString logText() const;
    // Waits until the log matches pattern; returns the first capture. Throws FerryError
    // with the log when the child exits or timeoutMs pass first.
    QString waitForLog(const QRegularExpression &pattern, int timeoutMs);
    // Without an event loop, QProcess notices an exit only when asked: this asks.
    bool running();
    qint64 pid() const;
    // After it stopped: "crashed" or "exited with status N".
    QString exitDescription() const;

private:
    QString m_name;
    QString m_log;
    QProcess m_process;
};

// ---------------------------------------------------------------------------------------
// Ferry nodes

// A deployment CA in dir/certs and a certificate for each name (ferryctl certs init/issue),
// then a client profile dir/client.json for the certificate named client; returns its path.
// The nodes' certificates have the role node, the client's the role admin.
QString makeCertificates(const QString &ferryctl, const QString &dir, const QStringList &nodes, const QString &client);

// A ferry-node config for node name on 127.0.0.1 (port 0: a port it picks itself) with the
// certificates makeCertificates() made in the same directory; databases are JSON members
// ("\"src\": \"sqlite:src.db\"").
QByteArray nodeConfig(const QString &name, const QStringList &databases, quint16 port = 0);

// Matches the line ferry-node logs when it listens; the capture is the port.
QRegularExpression listeningPattern();

// A ferry-node process started on config (a file nodeConfig() wrote), its output in
// logFile; waits until it listens.
class FerryNode
{
public:
    FerryNode(const QString &name, const QString &program, const QString &config, const QString &logFile);
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_child.pid(); }
    bool running() { return m_child.running(); }
    QString exitDescription() const { return m_child.exitDescription(); }
    QString logText() const { return m_child.logText(); }

private:
    Child m_child;
    quint16 m_port = 0;
};

// ---------------------------------------------------------------------------------------
// Databases

void writeFile(const QString &path, const QByteArray &content);

// Throw FerryError with the statement and the database's message.
void exec(QSqlDatabase &db, const QString &sql);
qint64 scalar(QSqlDatabase &db, const QString &sql);

// A Qt SQL connection for setting up and checking tables, closed with the object. It
// belongs to the thread that made it.
class Connection
{
public:
    explicit Connection(const DataSource &source);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    void exec(const QString &sql) { bench::exec(m_db, sql); }
    qint64 scalar(const QString &sql) { return bench::scalar(m_db, sql); }
    QSqlDatabase &db() { return m_db; }

private:
    QString m_name;
    QSqlDatabase m_db;
};

DataSource withDatabase(const DataSource &server, const QString &database, const QString &table);
// The database's URL without a table, as a node config or libpq takes it.
QString nodeDatabaseUrl(DataSource source);

// The whole table's rows and MD5 over its canonical encoding: equal on both sides exactly
// when the tables hold the same rows (SQLite and PostgreSQL alike).
RangeDigest tableDigest(const DataSource &source);

} // namespace ferry::bench
