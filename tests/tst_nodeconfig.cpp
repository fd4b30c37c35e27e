// ferry-node's config file: a valid file is read with relative paths resolved against the
// file's directory, and every kind of mistake is one clear line naming the field.

#include "node/nodeconfig.h"
#include "util/ferryerror.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace ferry {

namespace {

void touch(const QString &path)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("x");
}

QJsonObject validConfig()
{
    return QJsonObject{
        {QStringLiteral("name"), QStringLiteral("dc-east")},
        {QStringLiteral("region"), QStringLiteral("us-east-1")},
        {QStringLiteral("listen"), QJsonObject{{QStringLiteral("address"), QStringLiteral("127.0.0.1")}, {QStringLiteral("port"), 7450}}},
        {QStringLiteral("tls"), QJsonObject{{QStringLiteral("ca"), QStringLiteral("certs/ca.crt")},
                                            {QStringLiteral("certificate"), QStringLiteral("certs/dc-east.crt")},
                                            {QStringLiteral("key"), QStringLiteral("certs/dc-east.key")}}},
        {QStringLiteral("databases"), QJsonObject{{QStringLiteral("shop"), QStringLiteral("sqlite:shop.db")},
                                                  {QStringLiteral("billing"), QStringLiteral("postgresql://ferry@db1.example:5433/billing")}}},
        {QStringLiteral("data_directory"), QStringLiteral("state")},
    };
}

// Sets a dotted path ("listen.port") in a JSON object; an undefined value removes it.
void setPath(QJsonObject &object, const QStringList &path, const QJsonValue &value)
{
    if (path.size() == 1) {
        if (value.isUndefined())
            object.remove(path.first());
        else
            object.insert(path.first(), value);
        return;
    }
    QJsonObject child = object.value(path.first()).toObject();
    setPath(child, path.mid(1), value);
    object.insert(path.first(), child);
}

} // namespace

class TestNodeConfig : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void validConfigResolvesPaths();
    void errors_data();
    void errors();
    void unreadableFiles();

private:
    QString write(const QByteArray &json);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestNodeConfig::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("certs")));
    for (const char *name : {"certs/ca.crt", "certs/dc-east.crt", "certs/dc-east.key", "shop.db"})
        touch(m_dir->filePath(QString::fromLatin1(name)));
}

QString TestNodeConfig::write(const QByteArray &json)
{
    const QString path = m_dir->filePath(QStringLiteral("node.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(json);
    return path;
}

void TestNodeConfig::validConfigResolvesPaths()
{
    const NodeConfig config = NodeConfig::load(write(QJsonDocument(validConfig()).toJson()));
    QCOMPARE(config.name, QStringLiteral("dc-east"));
    QCOMPARE(config.region, QStringLiteral("us-east-1"));
    QCOMPARE(config.listenAddress, QHostAddress(QStringLiteral("127.0.0.1")));
    QCOMPARE(config.listenPort, quint16(7450));
    QCOMPARE(config.caFile, m_dir->filePath(QStringLiteral("certs/ca.crt")));
    QCOMPARE(config.keyFile, m_dir->filePath(QStringLiteral("certs/dc-east.key")));
    QCOMPARE(config.dataDirectory, m_dir->filePath(QStringLiteral("state")));
    QCOMPARE(config.databases.size(), 2);
    const NodeConfig::Database *shop = config.database(QStringLiteral("shop"));
    QVERIFY(shop);
    QCOMPARE(shop->source.kind, DataSource::Kind::Sqlite);
    QCOMPARE(shop->source.path, m_dir->filePath(QStringLiteral("shop.db")));
    const NodeConfig::Database *billing = config.database(QStringLiteral("billing"));
    QVERIFY(billing);
    QCOMPARE(billing->source.kind, DataSource::Kind::Postgres);
    QCOMPARE(billing->source.port, 5433);
    QCOMPARE(billing->source.database, QStringLiteral("billing"));
    QVERIFY(!config.database(QStringLiteral("nope")));

    // Optional settings: no region, no address (all interfaces).
    QJsonObject minimal = validConfig();
    minimal.remove(QStringLiteral("region"));
    setPath(minimal, {QStringLiteral("listen"), QStringLiteral("address")}, QJsonValue::Undefined);
    const NodeConfig defaults = NodeConfig::load(write(QJsonDocument(minimal).toJson()));
    QCOMPARE(defaults.region, QString());
    QCOMPARE(defaults.listenAddress, QHostAddress(QHostAddress::Any));
}

void TestNodeConfig::errors_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("expected");   // what the one-line message must contain

    const QJsonValue none = QJsonValue::Undefined;
    QTest::newRow("no name") << "name" << none << "name: missing";
    QTest::newRow("name not a string") << "name" << QJsonValue(5) << "name: must be a string";
    QTest::newRow("bad name") << "name" << QJsonValue(QStringLiteral("dc east/1")) << "not a node name";
    QTest::newRow("unknown key") << "colour" << QJsonValue(QStringLiteral("red")) << "colour: unknown setting";
    QTest::newRow("unknown listen key") << "listen.backlog" << QJsonValue(5) << "listen.backlog: unknown setting";
    QTest::newRow("no listen") << "listen" << none << "listen: missing";
    QTest::newRow("listen not object") << "listen" << QJsonValue(7450) << "listen: must be an object";
    QTest::newRow("bad address") << "listen.address" << QJsonValue(QStringLiteral("east.example")) << "not an IP address";
    QTest::newRow("no port") << "listen.port" << none << "listen.port: missing";
    QTest::newRow("port text") << "listen.port" << QJsonValue(QStringLiteral("7450")) << "listen.port: must be a whole number";
    QTest::newRow("port too big") << "listen.port" << QJsonValue(70000) << "listen.port: must be a whole number";
    QTest::newRow("port fraction") << "listen.port" << QJsonValue(74.5) << "listen.port: must be a whole number";
    QTest::newRow("no tls") << "tls" << none << "tls: missing";
    QTest::newRow("missing ca file") << "tls.ca" << QJsonValue(QStringLiteral("certs/other-ca.crt")) << "tls.ca:";
    QTest::newRow("key is a directory") << "tls.key" << QJsonValue(QStringLiteral("certs")) << "tls.key:";
    QTest::newRow("no certificate") << "tls.certificate" << none << "tls.certificate: missing";
    QTest::newRow("no databases") << "databases" << QJsonValue(QJsonObject()) << "databases: at least one";
    QTest::newRow("database not a string") << "databases.shop" << QJsonValue(3) << "databases.shop: must be a string";
    QTest::newRow("database bad url") << "databases.shop" << QJsonValue(QStringLiteral("mysql://x/y")) << "databases.shop:";
    QTest::newRow("database with table") << "databases.shop" << QJsonValue(QStringLiteral("sqlite:shop.db?table=orders")) << "drop ?table=";
    QTest::newRow("sqlite file missing") << "databases.shop" << QJsonValue(QStringLiteral("sqlite:missing.db")) << "missing.db does not exist";
    QTest::newRow("bad database name") << "databases.a b" << QJsonValue(QStringLiteral("sqlite:shop.db")) << "not a database name";
    QTest::newRow("no data directory") << "data_directory" << none << "data_directory: missing";
    QTest::newRow("data directory is a file") << "data_directory" << QJsonValue(QStringLiteral("shop.db")) << "not a directory";
}

void TestNodeConfig::errors()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, expected);
    QJsonObject config = validConfig();
    setPath(config, path.split(QLatin1Char('.')), value);
    const QString file = write(QJsonDocument(config).toJson());
    try {
        NodeConfig::load(file);
        QFAIL("the config was accepted");
    } catch (const FerryError &error) {
        QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
        QVERIFY2(error.message().startsWith(file), qPrintable(error.message()));
        QVERIFY2(!error.message().contains(QLatin1Char('\n')), qPrintable(error.message()));
    }
}

void TestNodeConfig::unreadableFiles()
{
    auto messageOf = [](const QString &path) {
        try {
            NodeConfig::load(path);
        } catch (const FerryError &error) {
            return error.message();
        }
        return QString();
    };
    QVERIFY(messageOf(m_dir->filePath(QStringLiteral("absent.json"))).contains(QLatin1String("no such config file")));
    const QString broken = messageOf(write("{\n  \"name\": \"dc-east\",\n  \"listen\": {\n}}}"));
    QVERIFY2(broken.contains(QLatin1String("line 4")) && broken.contains(QLatin1String("not valid JSON")), qPrintable(broken));
    QVERIFY(messageOf(write("[1, 2]")).contains(QLatin1String("must be a JSON object")));
}

} // namespace ferry

QTEST_GUILESS_MAIN(ferry::TestNodeConfig)
#include "tst_nodeconfig.moc"
