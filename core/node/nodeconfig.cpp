#include "node/nodeconfig.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace ferry {

namespace {

class Reader
{
public:
    Reader(const QString &displayPath, const QString &baseDirectory) : m_path(displayPath), m_base(baseDirectory) {}

    [[noreturn]] void fail(const QString &field, const QString &problem) const
    {
        throw FerryError(QStringLiteral("%1: %2: %3").arg(m_path, field, problem));
    }

    QString string(const QJsonObject &object, const QString &key, const QString &field, bool required) const
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                fail(field, QCoreApplication::translate("NodeConfig", "missing (a string is required)"));
            return {};
        }
        if (!value.isString())
            fail(field, QCoreApplication::translate("NodeConfig", "must be a string"));
        const QString text = value.toString().trimmed();
        if (required && text.isEmpty())
            fail(field, QCoreApplication::translate("NodeConfig", "must not be empty"));
        return text;
    }

    QJsonObject object(const QJsonObject &parent, const QString &key, const QString &field) const
    {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined())
            fail(field, QCoreApplication::translate("NodeConfig", "missing (an object is required)"));
        if (!value.isObject())
            fail(field, QCoreApplication::translate("NodeConfig", "must be an object"));
        return value.toObject();
    }

    QString path(const QString &text) const { return QDir::cleanPath(QDir(m_base).absoluteFilePath(text)); }

    QString existingFile(const QJsonObject &object, const QString &key, const QString &field) const
    {
        const QString file = path(string(object, key, field, true));
        const QFileInfo info(file);
        if (!info.exists())
            fail(field, QCoreApplication::translate("NodeConfig", "%1 does not exist").arg(file));
        if (!info.isFile() || !info.isReadable())
            fail(field, QCoreApplication::translate("NodeConfig", "%1 is not a readable file").arg(file));
        return file;
    }

    void onlyKeys(const QJsonObject &object, const QStringList &known, const QString &where) const
    {
        for (const QString &key : object.keys()) {
            if (!known.contains(key))
                fail(where.isEmpty() ? key : where + QLatin1Char('.') + key, QCoreApplication::translate("NodeConfig", "unknown setting (known: %1)").arg(known.join(QLatin1String(", "))));
        }
    }

private:
    QString m_path;
    QString m_base;
};

} // namespace

NodeConfig NodeConfig::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        throw FerryError(QCoreApplication::translate("NodeConfig", "%1: no such config file").arg(path));
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("NodeConfig", "%1: cannot read: %2").arg(path, file.errorString()));
    if (file.size() > 1024 * 1024)
        throw FerryError(QCoreApplication::translate("NodeConfig", "%1: larger than 1 MiB, not a Ferry node config").arg(path));
    return parse(file.readAll(), QFileInfo(path).absolutePath(), path);
}

NodeConfig NodeConfig::parse(const QByteArray &json, const QString &baseDirectory, const QString &displayPath)
{
    const Reader reader(displayPath, baseDirectory);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        const qsizetype line = json.left(error.offset).count('\n') + 1;
        throw FerryError(QCoreApplication::translate("NodeConfig", "%1: line %2: not valid JSON: %3").arg(displayPath).arg(line).arg(error.errorString()));
    }
    if (!document.isObject())
        throw FerryError(QCoreApplication::translate("NodeConfig", "%1: the config must be a JSON object").arg(displayPath));
    const QJsonObject root = document.object();
    reader.onlyKeys(root, {QStringLiteral("name"), QStringLiteral("region"), QStringLiteral("listen"), QStringLiteral("tls"),
                           QStringLiteral("databases"), QStringLiteral("data_directory"), QStringLiteral("limits"), QStringLiteral("heartbeat_ms"), QStringLiteral("max_slot_wal_mb")},
                    QString());

    NodeConfig config;
    config.name = reader.string(root, QStringLiteral("name"), QStringLiteral("name"), true);
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"));
    if (!namePattern.match(config.name).hasMatch())
        reader.fail(QStringLiteral("name"), QCoreApplication::translate("NodeConfig", "\"%1\" is not a node name (letters, digits, '.', '_', '-'; at most 63)").arg(config.name));
    config.region = reader.string(root, QStringLiteral("region"), QStringLiteral("region"), false);

    const QJsonObject listen = reader.object(root, QStringLiteral("listen"), QStringLiteral("listen"));
    reader.onlyKeys(listen, {QStringLiteral("address"), QStringLiteral("port")}, QStringLiteral("listen"));
    const QString address = reader.string(listen, QStringLiteral("address"), QStringLiteral("listen.address"), false);
    if (!address.isEmpty()) {
        if (address == QLatin1String("localhost"))
            config.listenAddress = QHostAddress::LocalHost;
        else if (!config.listenAddress.setAddress(address))
            reader.fail(QStringLiteral("listen.address"), QCoreApplication::translate("NodeConfig", "\"%1\" is not an IP address").arg(address));
    }
    const QJsonValue port = listen.value(QStringLiteral("port"));
    if (port.isUndefined())
        reader.fail(QStringLiteral("listen.port"), QCoreApplication::translate("NodeConfig", "missing (a port number is required)"));
    if (!port.isDouble() || port.toDouble() != std::floor(port.toDouble()) || port.toDouble() < 0 || port.toDouble() > 65535)
        reader.fail(QStringLiteral("listen.port"), QCoreApplication::translate("NodeConfig", "must be a whole number from 0 to 65535"));
    config.listenPort = quint16(port.toInt());

    const QJsonObject tls = reader.object(root, QStringLiteral("tls"), QStringLiteral("tls"));
    reader.onlyKeys(tls, {QStringLiteral("ca"), QStringLiteral("certificate"), QStringLiteral("key")}, QStringLiteral("tls"));
    config.caFile = reader.existingFile(tls, QStringLiteral("ca"), QStringLiteral("tls.ca"));
    config.certificateFile = reader.existingFile(tls, QStringLiteral("certificate"), QStringLiteral("tls.certificate"));
    config.keyFile = reader.existingFile(tls, QStringLiteral("key"), QStringLiteral("tls.key"));

    const QJsonObject databases = reader.object(root, QStringLiteral("databases"), QStringLiteral("databases"));
    for (auto it = databases.begin(); it != databases.end(); ++it) {
        const QString field = QStringLiteral("databases.") + it.key();
        if (!namePattern.match(it.key()).hasMatch())
            reader.fail(field, QCoreApplication::translate("NodeConfig", "\"%1\" is not a database name (letters, digits, '.', '_', '-')").arg(it.key()));
        if (!it.value().isString())
            reader.fail(field, QCoreApplication::translate("NodeConfig", "must be a string: sqlite:PATH or postgresql://USER@HOST:PORT/DB"));
        QString url = it.value().toString().trimmed();
        Database database;
        database.name = it.key();
        try {
            database.source = DataSource::parse(url, false);
        } catch (const FerryError &e) {
            reader.fail(field, e.message());
        }
        if (!database.source.table.isEmpty())
            reader.fail(field, QCoreApplication::translate("NodeConfig", "names a table; a node serves whole databases (drop ?table=)"));
        if (database.source.kind == DataSource::Kind::Sqlite) {
            database.source.path = reader.path(database.source.path);
            if (!QFileInfo(database.source.path).isFile())
                reader.fail(field, QCoreApplication::translate("NodeConfig", "%1 does not exist").arg(database.source.path));
        }
        config.databases.append(database);
    }
    if (config.databases.isEmpty())
        reader.fail(QStringLiteral("databases"), QCoreApplication::translate("NodeConfig", "at least one database is required"));

    const QJsonValue heartbeat = root.value(QStringLiteral("heartbeat_ms"));
    if (!heartbeat.isUndefined()) {
        if (!heartbeat.isDouble() || heartbeat.toDouble() != std::floor(heartbeat.toDouble()) || heartbeat.toDouble() < 10 || heartbeat.toDouble() > 60000)
            reader.fail(QStringLiteral("heartbeat_ms"), QCoreApplication::translate("NodeConfig", "must be a whole number of milliseconds from 10 to 60000"));
        config.heartbeatMs = int(heartbeat.toDouble());
    }

    const QJsonValue slotWal = root.value(QStringLiteral("max_slot_wal_mb"));
    if (!slotWal.isUndefined()) {
        if (!slotWal.isDouble() || slotWal.toDouble() != std::floor(slotWal.toDouble()) || slotWal.toDouble() < 1 || slotWal.toDouble() > 16777216)
            reader.fail(QStringLiteral("max_slot_wal_mb"), QCoreApplication::translate("NodeConfig", "must be a whole number of megabytes from 1 to 16777216"));
        config.maxSlotWalMb = qint64(slotWal.toDouble());
    }

    const QJsonValue limits = root.value(QStringLiteral("limits"));
    if (!limits.isUndefined()) {
        if (!limits.isObject())
            reader.fail(QStringLiteral("limits"), QCoreApplication::translate("NodeConfig", "must be an object"));
        const QJsonObject object = limits.toObject();
        reader.onlyKeys(object, {QStringLiteral("handshake_timeout_ms"), QStringLiteral("idle_timeout_ms"), QStringLiteral("max_handshakes_per_address"),
                                 QStringLiteral("max_handshakes"), QStringLiteral("max_sessions_per_peer"), QStringLiteral("max_sessions"),
                                 QStringLiteral("max_unfinished_mb_per_peer"), QStringLiteral("max_unfinished_mb"), QStringLiteral("max_queued_reply_mb")},
                        QStringLiteral("limits"));
        auto limit = [&](const char *key, qint64 min, qint64 max, auto *target, qint64 scale) {
            const QJsonValue value = object.value(QLatin1String(key));
            if (value.isUndefined())
                return;
            const QString field = QStringLiteral("limits.") + QLatin1String(key);
            if (!value.isDouble() || value.toDouble() != std::floor(value.toDouble()) || value.toDouble() < double(min) || value.toDouble() > double(max))
                reader.fail(field, QCoreApplication::translate("NodeConfig", "must be a whole number from %1 to %2").arg(min).arg(max));
            *target = std::remove_pointer_t<decltype(target)>(qint64(value.toDouble()) * scale);
        };
        ConnectionLimits &l = config.limits;
        limit("handshake_timeout_ms", 100, 600000, &l.handshakeTimeoutMs, 1);
        limit("idle_timeout_ms", 100, 86400000, &l.idleTimeoutMs, 1);
        limit("max_handshakes_per_address", 1, 100000, &l.maxHandshakesPerAddress, 1);
        limit("max_handshakes", 1, 100000, &l.maxHandshakes, 1);
        limit("max_sessions_per_peer", 1, 100000, &l.maxSessionsPerPeer, 1);
        limit("max_sessions", 1, 100000, &l.maxSessions, 1);
        limit("max_unfinished_mb_per_peer", 1, 65536, &l.maxUnfinishedBytesPerPeer, 1024 * 1024);
        limit("max_unfinished_mb", 1, 65536, &l.maxUnfinishedBytes, 1024 * 1024);
        limit("max_queued_reply_mb", 1, 65536, &l.maxQueuedReplyBytes, 1024 * 1024);
    }

    config.dataDirectory = reader.path(reader.string(root, QStringLiteral("data_directory"), QStringLiteral("data_directory"), true));
    const QFileInfo data(config.dataDirectory);
    if (data.exists() && !data.isDir())
        reader.fail(QStringLiteral("data_directory"), QCoreApplication::translate("NodeConfig", "%1 exists and is not a directory").arg(config.dataDirectory));
    return config;
}

const NodeConfig::Database *NodeConfig::database(const QString &name) const
{
    for (const Database &database : databases) {
        if (database.name == name)
            return &database;
    }
    return nullptr;
}

} // namespace ferry
