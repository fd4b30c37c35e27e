#include "benchsupport.h"

#include "storage/store.h"
#include "util/ferryerror.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QUuid>

#include <cstdio>

namespace ferry::bench {

void say(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
    std::fflush(stderr);
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll()).section(QLatin1Char(' '), 0, 2);
}

// ---------------------------------------------------------------------------------------
// Processes

QProcessEnvironment childEnvironment()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("C"));
    return environment;
}

QString Finished::describe() const
{
    return crashed ? QStringLiteral("crashed") : QStringLiteral("exit %1: %2").arg(exitCode).arg(QString::fromLocal8Bit(err).trimmed().left(300));
}

QString findTool(const QString &name, const QString &package)
{
    const QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        throw FerryError(QStringLiteral("%1 is not installed (Debian: apt-get install %2)").arg(name, package));
    return path;
}

Finished run(const QString &program, const QStringList &arguments, const QString &stdoutFile)
{
    QProcess process;
    process.setProcessEnvironment(childEnvironment());
    if (!stdoutFile.isEmpty())
        process.setStandardOutputFile(stdoutFile);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    if (!process.waitForStarted(-1))
        throw FerryError(QStringLiteral("cannot start %1: %2").arg(program, process.errorString()));
    process.waitForFinished(-1);
    Finished done;
    done.seconds = timer.nsecsElapsed() / 1e9;
    done.crashed = process.exitStatus() != QProcess::NormalExit;
    done.exitCode = process.exitCode();
    done.out = process.readAllStandardOutput();
    done.err = process.readAllStandardError();
    return done;
}

Finished runPipe(const QString &first, const QStringList &firstArguments, const QString &second, const QStringList &secondArguments)
{
    QProcess producer;
    QProcess consumer;
    producer.setProcessEnvironment(childEnvironment());
    consumer.setProcessEnvironment(childEnvironment());
    producer.setStandardOutputProcess(&consumer);
    consumer.setStandardOutputFile(QProcess::nullDevice());
    QElapsedTimer timer;
    timer.start();
    consumer.start(second, secondArguments);
    producer.start(first, firstArguments);
    if (!consumer.waitForStarted(-1) || !producer.waitForStarted(-1))
        throw FerryError(QStringLiteral("cannot start %1 | %2").arg(first, second));
    producer.waitForFinished(-1);
    consumer.waitForFinished(-1);
    Finished done;
    done.seconds = timer.nsecsElapsed() / 1e9;
    done.crashed = producer.exitStatus() != QProcess::NormalExit || consumer.exitStatus() != QProcess::NormalExit;
    done.exitCode = producer.exitCode() != 0 ? producer.exitCode() : consumer.exitCode();
    done.err = producer.readAllStandardError() + consumer.readAllStandardError();
    return done;
}

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        throw FerryError(QStringLiteral("cannot find a free port: %1").arg(server.errorString()));
    return server.serverPort();
}

Child::Child(const QString &name, const QString &program, const QStringList &arguments, const QString &logFile)
    : m_name(name)
    , m_log(logFile)
{
    m_process.setProcessEnvironment(childEnvironment());
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(logFile);
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(-1))
        throw FerryError(QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString()));
}

qint64 Child::pid() const
{
    return m_process.processId();
}

Child::~Child()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString Child::logText() const
{
    QFile file(m_log);
    return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : QString();
}

QString Child::waitForLog(const QRegularExpression &pattern, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        const QRegularExpressionMatch match = pattern.match(logText());
        if (match.hasMatch())
            return match.captured(1);
        if (m_process.waitForFinished(50))
            break;
    }
    throw FerryError(QStringLiteral("%1 did not start; its log:\n%2").arg(m_name, logText()));
}

QString Child::exitDescription() const
{
    return m_process.exitStatus() == QProcess::CrashExit ? QStringLiteral("crashed") : QStringLiteral("exited with status %1").arg(m_process.exitCode());
}

bool Child::running()
{
    m_process.waitForFinished(0);
    return m_process.state() == QProcess::Running;
}

// ---------------------------------------------------------------------------------------
// Ferry nodes

QString makeCertificates(const QString &ferryctl, const QString &dir, const QStringList &nodes, const QString &client)
{
    const QString certs = dir + QStringLiteral("/certs");
    QList<QStringList> steps{{QStringLiteral("certs"), QStringLiteral("init"), certs}};
    // Nodes carry the node role, the client (ferryctl) the admin role: a certificate
    // without a role can only read.
    for (const QString &name : nodes)
        steps.append({QStringLiteral("certs"), QStringLiteral("issue"), certs, name, QStringLiteral("--role"), QStringLiteral("node")});
    steps.append({QStringLiteral("certs"), QStringLiteral("issue"), certs, client, QStringLiteral("--role"), QStringLiteral("admin")});
    for (const QStringList &arguments : steps) {
        const Finished f = run(ferryctl, arguments);
        if (!f.ok())
            throw FerryError(QStringLiteral("ferryctl %1 failed: %2").arg(arguments.join(QLatin1Char(' ')), f.describe()));
    }
    const QString profile = dir + QStringLiteral("/client.json");
    writeFile(profile, QStringLiteral("{\"ca\": \"certs/ca.crt\", \"certificate\": \"certs/%1.crt\", \"key\": \"certs/%1.key\"}\n").arg(client).toUtf8());
    return profile;
}

QByteArray nodeConfig(const QString &name, const QStringList &databases, quint16 port)
{
    return QStringLiteral("{\"name\": \"%1\", \"listen\": {\"address\": \"127.0.0.1\", \"port\": %3},\n"
                          " \"tls\": {\"ca\": \"certs/ca.crt\", \"certificate\": \"certs/%1.crt\", \"key\": \"certs/%1.key\"},\n"
                          " \"databases\": {%2},\n \"data_directory\": \"state-%1\"}\n")
        .arg(name, databases.join(QStringLiteral(", ")))
        .arg(port)
        .toUtf8();
}

QRegularExpression listeningPattern()
{
    return QRegularExpression(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
}

FerryNode::FerryNode(const QString &name, const QString &program, const QString &config, const QString &logFile)
    : m_child(QStringLiteral("ferry-node %1").arg(name), program, {QStringLiteral("--config"), config}, logFile)
{
    m_port = quint16(m_child.waitForLog(listeningPattern(), 20000).toUInt());
}

// ---------------------------------------------------------------------------------------
// Databases

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        throw FerryError(QStringLiteral("cannot write %1").arg(path));
}

void exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        throw FerryError(QStringLiteral("benchmark setup failed: %1: %2").arg(sql.left(100), query.lastError().text()));
}

qint64 scalar(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        throw FerryError(QStringLiteral("benchmark query failed: %1: %2").arg(sql.left(100), query.lastError().text()));
    return query.value(0).toLongLong();
}

Connection::Connection(const DataSource &source)
    : m_name(QUuid::createUuid().toString())
{
    if (source.kind == DataSource::Kind::Sqlite) {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(source.path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
        m_db.setHostName(source.host);
        m_db.setPort(source.port);
        m_db.setUserName(source.user);
        m_db.setPassword(source.password);
        m_db.setDatabaseName(source.database);
    }
    if (!m_db.open())
        throw FerryError(QStringLiteral("cannot open %1: %2").arg(source.displayName(), m_db.lastError().text()));
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

DataSource withDatabase(const DataSource &server, const QString &database, const QString &table)
{
    DataSource source = server;
    source.database = database;
    source.table = table;
    return source;
}

QString nodeDatabaseUrl(DataSource source)
{
    source.table.clear();
    return source.displayName();
}

RangeDigest tableDigest(const DataSource &source)
{
    auto store = Store::open(source, Store::Options{true, 10000});
    const TableSchema schema = store->describe(source.table);
    return digestRanges(*store, schema, {KeyRange{}}, DigestAlgorithm::Md5).first();
}

} // namespace ferry::bench
