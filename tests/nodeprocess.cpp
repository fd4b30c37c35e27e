#include "nodeprocess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <csignal>

#include <sys/types.h>
#include <unistd.h>

namespace ferry::test {

QString nodeBinaryPath()
{
    const QString other = qEnvironmentVariable("FERRY_TEST_NODE_BINARY");
    if (!other.isEmpty())
        return other;
    return QStringLiteral(FERRY_NODE_PATH);
}

QString ferryctlBinaryPath()
{
    return QStringLiteral(FERRYCTL_PATH);
}

QProcessEnvironment processEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LANGUAGE"));
    env.remove(QStringLiteral("LC_MESSAGES"));
    env.remove(QStringLiteral("FERRY_PROFILE"));
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    return env;
}

Run runProgram(const QString &program, const QStringList &arguments, int timeoutMs)
{
    Run run;
    QProcess process;
    process.setProcessEnvironment(processEnvironment());
    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        run.err = QStringLiteral("cannot start %1: %2").arg(program, process.errorString());
        return run;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = QStringLiteral("timed out after %1 ms; ").arg(timeoutMs);
    } else if (process.exitStatus() == QProcess::NormalExit) {
        run.exitCode = process.exitCode();
    }
    run.out += QString::fromUtf8(process.readAllStandardOutput());
    run.err += QString::fromUtf8(process.readAllStandardError());
    run.ms = clock.elapsed();
    return run;
}

QJsonObject jsonOf(const Run &run)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(run.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qWarning("not one JSON object on stdout: %s / stderr: %s", qPrintable(run.out), qPrintable(run.err));
    return document.object();
}

qint64 count(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isDouble() ? qint64(value.toDouble()) : -1;
}

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QByteArray("missing");
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&file);
    return hash.result().toHex();
}

QMap<QString, QByteArray> filesSnapshot(const QStringList &databases)
{
    QMap<QString, QByteArray> files;
    for (const QString &path : databases) {
        files.insert(path, fileHash(path));
        for (const char *suffix : {"-journal", "-wal", "-shm"}) {
            if (QFileInfo::exists(path + QLatin1String(suffix)))
                files.insert(path + QLatin1String(suffix), fileHash(path + QLatin1String(suffix)));
        }
    }
    return files;
}

Message ask(NodeClient *client, QLatin1StringView type, const QCborMap &body, int timeoutMs)
{
    const QFuture<Message> future = client->request(type, body);
    if (!waitForFuture(future, timeoutMs))
        throw FerryError(QStringLiteral("no answer to \"%1\" within %2 ms").arg(QString(type)).arg(timeoutMs));
    return future.result();
}

NodeProcess::NodeProcess(const QString &name, const QString &region, const QString &dir, const QString &pki)
    : m_name(name), m_region(region), m_dir(dir), m_pki(pki)
{
    QDir().mkpath(dir);
}

NodeProcess::~NodeProcess()
{
    if (isRunning()) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QString NodeProcess::url(const QString &database, const QString &table) const
{
    QString url = QStringLiteral("ferry://127.0.0.1:%1").arg(m_port);
    if (!database.isEmpty())
        url += QLatin1Char('/') + database;
    if (!table.isEmpty())
        url += QStringLiteral("?table=") + table;
    return url;
}

QString NodeProcess::start()
{
    writeConfig();
    const qsizetype mark = logSize();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(processEnvironment());
    m_process->setStandardOutputFile(logPath(), QIODevice::Append);
    m_process->setStandardErrorFile(logPath(), QIODevice::Append);
    m_process->start(nodeBinaryPath(), {QStringLiteral("--config"), configPath()});
    if (!m_process->waitForStarted(10000))
        return QStringLiteral("cannot start ferry-node: %1").arg(m_process->errorString());
    static const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < NodeStartTimeoutMs) {
        const QRegularExpressionMatch match = listening.match(logSince(mark));
        if (match.hasMatch()) {
            const quint16 port = match.captured(1).toUShort();
            if (m_port != 0 && port != m_port)
                return QStringLiteral("%1 came back on port %2 instead of %3").arg(m_name).arg(port).arg(m_port);
            m_port = port;
            return {};
        }
        if (m_process->state() == QProcess::NotRunning)
            return QStringLiteral("%1 exited (%2): %3").arg(m_name).arg(m_process->exitCode()).arg(logSince(mark));
        QTest::qWait(10);
    }
    return QStringLiteral("%1 did not report listening: %2").arg(m_name, logSince(mark));
}

void NodeProcess::sendSignal(int number) const
{
    if (pid() > 0)
        ::kill(pid_t(pid()), number);
}

void NodeProcess::kill9()
{
    sendSignal(SIGKILL);
    if (m_process)
        m_process->waitForFinished(10000);
}

int NodeProcess::terminate(int timeoutMs)
{
    if (!isRunning())
        return -1;
    sendSignal(SIGTERM);
    if (!m_process->waitForFinished(timeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

qsizetype NodeProcess::logSize() const
{
    return QFileInfo(logPath()).size();
}

QString NodeProcess::logSince(qsizetype mark) const
{
    QFile file(logPath());
    if (!file.open(QIODevice::ReadOnly) || !file.seek(mark))
        return {};
    return QString::fromUtf8(file.readAll());
}

bool NodeProcess::waitForLog(qsizetype mark, const QString &needle, int timeoutMs) const
{
    return QTest::qWaitFor([&] { return logSince(mark).contains(needle); }, timeoutMs);
}

qint64 NodeProcess::memoryKb(const char *field) const
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid()));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

void NodeProcess::writeConfig() const
{
    QJsonObject databases;
    for (auto it = m_databases.begin(); it != m_databases.end(); ++it)
        databases.insert(it.key(), it.value());
    QJsonObject config{
        {QStringLiteral("name"), m_name},
        {QStringLiteral("region"), m_region},
        {QStringLiteral("listen"), QJsonObject{{QStringLiteral("address"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), m_port}}},
        {QStringLiteral("tls"), QJsonObject{{QStringLiteral("ca"), m_pki + QStringLiteral("/ca.crt")},
                                            {QStringLiteral("certificate"), m_certificate.isEmpty() ? m_pki + QStringLiteral("/%1.crt").arg(m_name) : m_certificate},
                                            {QStringLiteral("key"), m_key.isEmpty() ? m_pki + QStringLiteral("/%1.key").arg(m_name) : m_key}}},
        {QStringLiteral("databases"), databases},
        {QStringLiteral("data_directory"), QStringLiteral("state")},
    };
    for (auto it = m_extra.begin(); it != m_extra.end(); ++it) {
        // An older build (FERRY_TEST_NODE_BINARY) knows no limits: it runs with none.
        if (it.key() == QLatin1String("limits") && qEnvironmentVariableIsSet("FERRY_TEST_NODE_BINARY"))
            continue;
        config.insert(it.key(), it.value());
    }
    QFile file(configPath());
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(config).toJson());
}

// ---------------------------------------------------------------------------------------
// FaultProxy

FaultProxy::FaultProxy(quint16 targetPort)
    : m_targetPort(targetPort)
{
}

void FaultProxy::listen()
{
    if (!m_server) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, [this] { accept(); });
    }
    if (!m_server->listen(QHostAddress::LocalHost, m_port))
        qWarning("proxy: cannot listen on %u: %s", m_port, qPrintable(m_server->errorString()));
    m_port = m_server->serverPort();
}

void FaultProxy::setMode(Mode mode)
{
    m_mode = mode;
    if (mode == BlackHole) {
        for (const auto &pair : std::as_const(m_pairs)) {
            pair->toUpstream.clear();
            pair->toClient.clear();
        }
    }
    for (const auto &pair : std::as_const(m_pairs))
        flush(pair);
}

void FaultProxy::dropAll()
{
    const auto pairs = m_pairs;
    for (const auto &pair : pairs)
        close(pair);
}

void FaultProxy::setRefusing(bool refusing)
{
    if (refusing) {
        m_server->close();
        dropAll();
    } else if (!m_server->isListening()) {
        listen();
    }
}

void FaultProxy::setRate(qint64 bytesPerSecond)
{
    m_rate = std::max<qint64>(0, bytesPerSecond);
    m_budget = 0;
    if (!m_refill) {
        m_refill = new QTimer(this);
        m_refill->setInterval(10);
        connect(m_refill, &QTimer::timeout, this, [this] {
            // At most 50 ms of sending saved up.
            m_budget = std::min(m_budget + m_rate / 100.0, m_rate / 20.0);
            for (const auto &pair : std::as_const(m_pairs))
                flush(pair);
        });
    }
    if (m_rate > 0) {
        m_refill->start();
    } else {
        m_refill->stop();
        for (const auto &pair : std::as_const(m_pairs))
            flush(pair);
    }
}

void FaultProxy::accept()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        ++m_accepted;
        auto pair = std::make_shared<Pair>();
        pair->client = client;
        pair->upstream = new QTcpSocket(this);
        m_pairs.append(pair);
        connect(client, &QTcpSocket::readyRead, this, [this, pair] { forward(pair, true); });
        connect(pair->upstream, &QTcpSocket::readyRead, this, [this, pair] { forward(pair, false); });
        connect(pair->upstream, &QTcpSocket::connected, this, [this, pair] { flush(pair); });
        connect(client, &QTcpSocket::disconnected, this, [this, pair] { close(pair); });
        connect(pair->upstream, &QTcpSocket::disconnected, this, [this, pair] { close(pair); });
        connect(client, &QTcpSocket::errorOccurred, this, [this, pair] { close(pair); });
        connect(pair->upstream, &QTcpSocket::errorOccurred, this, [this, pair] { close(pair); });
        pair->upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
        if (client->bytesAvailable() > 0)
            forward(pair, true);
    }
}

void FaultProxy::forward(const PairPtr &pair, bool fromClient)
{
    if (pair->closed)
        return;
    const QByteArray bytes = fromClient ? pair->client->readAll() : pair->upstream->readAll();
    if (m_mode == BlackHole)
        return;
    (fromClient ? pair->toUpstream : pair->toClient) += bytes;
    flush(pair);
}

void FaultProxy::flush(const PairPtr &pair)
{
    if (pair->closed)
        return;
    if (m_mode != Stall && pair->upstream->state() == QAbstractSocket::ConnectedState && !pair->toUpstream.isEmpty()) {
        qsizetype size = pair->toUpstream.size();
        if (m_rate > 0)
            size = std::min<qsizetype>(size, qsizetype(std::max(0.0, m_budget)));
        if (size > 0) {
            pair->upstream->write(pair->toUpstream.left(size));
            pair->toUpstream.remove(0, size);
            if (m_rate > 0)
                m_budget -= double(size);
        }
    }
    if (m_mode == Pass && !pair->toClient.isEmpty()) {
        pair->client->write(pair->toClient);
        pair->toClient.clear();
    }
}

void FaultProxy::close(const PairPtr &pair)
{
    if (pair->closed)
        return;
    pair->closed = true;
    m_pairs.removeOne(pair);
    for (QTcpSocket *socket : {pair->client, pair->upstream}) {
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

ProxyThread::ProxyThread(quint16 targetPort)
{
    m_proxy = new FaultProxy(targetPort);
    m_proxy->moveToThread(&m_thread);
    m_thread.start();
    call([this] { m_proxy->listen(); });
}

ProxyThread::~ProxyThread()
{
    call([this] { delete m_proxy; });
    m_thread.quit();
    m_thread.wait();
}

quint16 ProxyThread::port()
{
    quint16 port = 0;
    call([&] { port = m_proxy->port(); });
    return port;
}

int ProxyThread::accepted()
{
    int accepted = 0;
    call([&] { accepted = m_proxy->accepted(); });
    return accepted;
}

int ProxyThread::active()
{
    int active = 0;
    call([&] { active = m_proxy->active(); });
    return active;
}

} // namespace ferry::test
