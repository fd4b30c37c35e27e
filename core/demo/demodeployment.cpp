#include "demo/demodeployment.h"

#include "node/nodeserver.h"
#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QThread>
#include <QUuid>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ferry {

namespace {

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        throw FerryError(QCoreApplication::translate("DemoDeployment", "no free loopback port: %1").arg(probe.errorString()));
    return probe.serverPort();
}

// The sample tables, written once through a connection of this thread: Shanghai's orders
// and customers; Virginia's own inventory (so that a link can start from any data center
// that has a table, and a drag from Virginia opens a dialog that can be accepted).
void createSampleDatabase(const QString &path, bool withRows, bool withInventory)
{
    const QString connection = QStringLiteral("ferry-demo-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open())
            throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot create: %2").arg(path, db.lastError().text()));
        QSqlQuery query(db);
        auto run = [&](const QString &sql) {
            if (!query.exec(sql))
                throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot write the sample rows: %2").arg(path, query.lastError().text()));
        };
        run(QStringLiteral("PRAGMA journal_mode = WAL"));
        if (withRows) {
            run(QStringLiteral("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, item TEXT, quantity INTEGER, "
                               "amount NUMERIC, status TEXT, updated_at TIMESTAMP)"));
            run(QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, email TEXT, created_at TIMESTAMP)"));
            db.transaction();
            QRandomGenerator random(20261126);
            static const char *const items[] = {"tea", "silk", "porcelain", "bicycle", "lantern", "umbrella", "kite", "fan"};
            static const char *const statuses[] = {"new", "paid", "shipped", "delivered"};
            static const char *const countries[] = {"CN", "DE", "US", "FR", "JP", "BR", "IN", "GB"};
            QSqlQuery orders(db);
            orders.prepare(QStringLiteral("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)"));
            QSqlQuery customers(db);
            customers.prepare(QStringLiteral("INSERT INTO customers VALUES (?, ?, ?, ?, ?)"));
            for (int i = 1; i <= 100000; ++i) {
                orders.addBindValue(i);
                orders.addBindValue(int(random.bounded(1, 100001)));
                orders.addBindValue(QString::fromLatin1(items[random.bounded(8)]));
                orders.addBindValue(int(random.bounded(1, 20)));
                orders.addBindValue(QStringLiteral("%1.%2").arg(random.bounded(1, 5000)).arg(random.bounded(10, 100)));
                orders.addBindValue(QString::fromLatin1(statuses[random.bounded(4)]));
                orders.addBindValue(QStringLiteral("2026-11-%1 %2:%3:00").arg(random.bounded(1, 26), 2, 10, QLatin1Char('0'))
                                        .arg(random.bounded(24), 2, 10, QLatin1Char('0')).arg(random.bounded(60), 2, 10, QLatin1Char('0')));
                if (!orders.exec())
                    throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot write the sample rows: %2").arg(path, orders.lastError().text()));
                customers.addBindValue(i);
                customers.addBindValue(QStringLiteral("customer %1").arg(i));
                customers.addBindValue(QString::fromLatin1(countries[random.bounded(8)]));
                customers.addBindValue(QStringLiteral("c%1@example.com").arg(i));
                customers.addBindValue(QStringLiteral("2025-%1-01 00:00:00").arg(random.bounded(1, 13), 2, 10, QLatin1Char('0')));
                if (!customers.exec())
                    throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot write the sample rows: %2").arg(path, customers.lastError().text()));
            }
            db.commit();
        }
        if (withInventory) {
            run(QStringLiteral("CREATE TABLE inventory (sku INTEGER PRIMARY KEY, item TEXT NOT NULL, warehouse TEXT, quantity INTEGER, updated_at TIMESTAMP)"));
            db.transaction();
            QRandomGenerator random(20261207);
            static const char *const items[] = {"tea", "silk", "porcelain", "bicycle", "lantern", "umbrella", "kite", "fan"};
            static const char *const warehouses[] = {"Richmond", "Norfolk", "Arlington", "Roanoke"};
            QSqlQuery inventory(db);
            inventory.prepare(QStringLiteral("INSERT INTO inventory VALUES (?, ?, ?, ?, ?)"));
            for (int i = 1; i <= 5000; ++i) {
                inventory.addBindValue(i);
                inventory.addBindValue(QString::fromLatin1(items[random.bounded(8)]));
                inventory.addBindValue(QString::fromLatin1(warehouses[random.bounded(4)]));
                inventory.addBindValue(int(random.bounded(0, 500)));
                inventory.addBindValue(QStringLiteral("2026-12-%1 09:00:00").arg(random.bounded(1, 7), 2, 10, QLatin1Char('0')));
                if (!inventory.exec())
                    throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot write the sample rows: %2").arg(path, inventory.lastError().text()));
            }
            db.commit();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
}

} // namespace

// One node in a thread of its own: the server is made, started and destroyed there.
struct DemoDeployment::Host
{
    QThread thread;
    NodeServer *server = nullptr;
};

DemoDeployment::DemoDeployment(const QString &directory)
    : m_directory(directory)
{
    m_sites = {{QStringLiteral("shanghai"), QStringLiteral("Shanghai (cn-east)"), QString(), QPointF(330, 40)},
               {QStringLiteral("frankfurt"), QStringLiteral("Frankfurt (eu-central)"), QString(), QPointF(0, -150)},
               {QStringLiteral("virginia"), QStringLiteral("Virginia (us-east)"), QString(), QPointF(-330, 40)}};
    for (Site &site : m_sites)
        site.configFile = QDir(m_directory).filePath(site.name + QStringLiteral(".json"));
}

DemoDeployment::~DemoDeployment()
{
    stopWorkload();
    stop();
}

void DemoDeployment::prepare()
{
    const QDir dir(m_directory);
    if (!dir.mkpath(QStringLiteral("pki")))
        throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot create the demo directory").arg(m_directory));
    const QString pki = dir.filePath(QStringLiteral("pki"));
    if (!QFile::exists(QDir(pki).filePath(QStringLiteral("ca.crt")))) {
        createDeploymentCa(pki);
        m_createdNow = true;
    }
    for (const QString &name : {QStringLiteral("shanghai"), QStringLiteral("frankfurt"), QStringLiteral("virginia"), QStringLiteral("console")}) {
        // The sites are nodes, the console an admin; a demo made before roles existed gets
        // its certificates issued again (one without a role may only read).
        IssueOptions options;
        options.role = name == QLatin1String("console") ? Role::Admin : Role::Node;
        const QString certificate = QDir(pki).filePath(name + QStringLiteral(".crt"));
        if (QFile::exists(certificate) && certificateRole(QSslCertificate::fromPath(certificate).value(0)) != options.role) {
            QFile::remove(certificate);
            QFile::remove(QDir(pki).filePath(name + QStringLiteral(".key")));
        }
        if (!QFile::exists(certificate))
            issueCertificate(pki, name, options);
    }
    for (int i = 0; i < m_sites.size(); ++i) {
        const Site &site = m_sites.at(i);
        const QString database = dir.filePath(site.name + QStringLiteral(".db"));
        if (!QFile::exists(database)) {
            createSampleDatabase(database + QStringLiteral(".tmp"), i == 0, site.name == QLatin1String("virginia"));
            QFile::remove(database + QStringLiteral(".tmp-wal"));
            QFile::remove(database + QStringLiteral(".tmp-shm"));
            if (!QFile::rename(database + QStringLiteral(".tmp"), database))
                throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot create").arg(database));
            m_createdNow = true;
        }
        if (!QFile::exists(site.configFile)) {
            const QJsonObject config{{QStringLiteral("name"), site.name},
                                     {QStringLiteral("region"), site.region},
                                     {QStringLiteral("listen"), QJsonObject{{QStringLiteral("address"), QStringLiteral("127.0.0.1")},
                                                                            {QStringLiteral("port"), freePort()}}},
                                     {QStringLiteral("tls"), QJsonObject{{QStringLiteral("ca"), QStringLiteral("pki/ca.crt")},
                                                                         {QStringLiteral("certificate"), QStringLiteral("pki/%1.crt").arg(site.name)},
                                                                         {QStringLiteral("key"), QStringLiteral("pki/%1.key").arg(site.name)}}},
                                     {QStringLiteral("databases"), QJsonObject{{QStringLiteral("main"), QStringLiteral("sqlite:%1.db").arg(site.name)}}},
                                     {QStringLiteral("data_directory"), site.name + QStringLiteral("-state")}};
            QFile file(site.configFile);
            if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(config).toJson()) < 0)
                throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot write: %2").arg(site.configFile, file.errorString()));
        }
    }
}

void DemoDeployment::fillLargeTable(const std::function<bool(qint64, qint64)> &progress, qint64 total)
{
    const QString path = QDir(m_directory).filePath(m_sites.first().name + QStringLiteral(".db"));
    const QString connection = QStringLiteral("ferry-demo-large-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        // The node and the workload write to this file too: wait for them rather than fail.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=30000"));
        if (!db.open())
            throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot open: %2").arg(path, db.lastError().text()));
        QSqlQuery query(db);
        auto run = [&](const QString &sql) {
            if (!query.exec(sql))
                throw FerryError(QCoreApplication::translate("DemoDeployment", "%1: cannot write the %2 table: %3").arg(path, largeTableName(), query.lastError().text()));
        };
        run(QStringLiteral("CREATE TABLE IF NOT EXISTS shipments (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, carrier TEXT, "
                           "destination TEXT, weight_kg REAL, shipped_at TIMESTAMP)"));
        run(QStringLiteral("SELECT coalesce(max(id), 0) FROM shipments"));
        qint64 done = query.next() ? query.value(0).toLongLong() : 0;
        query.finish();
        // Batches of 50,000 rows: a fraction of a second of the write lock each.
        constexpr qint64 Batch = 50000;
        while (done < total) {
            if (progress && !progress(done, total))
                break;
            const qint64 last = std::min(total, done + Batch);
            run(QStringLiteral("BEGIN IMMEDIATE"));
            // Values derived from the id: the same table on every machine, written by
            // SQLite itself (one statement per batch, no row through Qt).
            run(QStringLiteral("WITH RECURSIVE s(x) AS (SELECT %1 UNION ALL SELECT x + 1 FROM s WHERE x < %2) "
                               "INSERT INTO shipments SELECT x, 1 + (x * 7919) % 100000, "
                               "CASE x % 4 WHEN 0 THEN 'SF Express' WHEN 1 THEN 'DHL' WHEN 2 THEN 'UPS' ELSE 'COSCO' END, "
                               "CASE x % 5 WHEN 0 THEN 'Frankfurt' WHEN 1 THEN 'Richmond' WHEN 2 THEN 'Lyon' WHEN 3 THEN 'Osaka' ELSE 'Recife' END, "
                               "((x * 37) % 5000) / 100.0, "
                               "printf('2026-%02d-%02d %02d:%02d:00', 1 + x % 11, 1 + x % 28, x % 24, x % 60) FROM s")
                    .arg(done + 1)
                    .arg(last));
            run(QStringLiteral("COMMIT"));
            done = last;
        }
        if (progress && done >= total)
            progress(done, total);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
}

void DemoDeployment::start()
{
    for (const Site &site : m_sites) {
        const NodeConfig config = NodeConfig::load(site.configFile);
        QDir().mkpath(config.dataDirectory);
        auto host = std::make_unique<Host>();
        host->thread.setObjectName(QStringLiteral("ferry-demo-") + site.name);
        host->thread.start();
        std::exception_ptr failure;
        NodeServer *server = nullptr;
        QObject context;
        context.moveToThread(&host->thread);
        QMetaObject::invokeMethod(&context, [&] {
#ifdef Q_OS_LINUX
            // The nodes share the console's process and CPUs: a little less priority for
            // them (and the threads they start, which inherit it) keeps the console's GUI
            // thread first in line while a link syncs at full speed (tests/bench/
            // bench_console.cpp measured the event loop's stall; docs/benchmarks.md).
            // On Linux a nice value belongs to a thread.
            setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 5);
#endif
            try {
                server = new NodeServer(config);
                server->start();
            } catch (...) {
                delete server;
                server = nullptr;
                failure = std::current_exception();
            }
        }, Qt::BlockingQueuedConnection);
        host->server = server;
        m_hosts.push_back(std::move(host));
        if (failure)
            std::rethrow_exception(failure);
    }
}

void DemoDeployment::stop()
{
    for (auto &host : m_hosts) {
        if (host->server) {
            NodeServer *server = host->server;
            QObject context;
            context.moveToThread(&host->thread);
            QMetaObject::invokeMethod(&context, [server] { delete server; }, Qt::BlockingQueuedConnection);
            host->server = nullptr;
        }
        host->thread.quit();
        host->thread.wait();
    }
    m_hosts.clear();
}

QStringList DemoDeployment::nodeAddresses() const
{
    QStringList addresses;
    for (const Site &site : m_sites) {
        const NodeConfig config = NodeConfig::load(site.configFile);
        addresses.append(QStringLiteral("127.0.0.1:%1").arg(config.listenPort));
    }
    return addresses;
}

QSslConfiguration DemoDeployment::consoleTls() const
{
    const QDir pki(QDir(m_directory).filePath(QStringLiteral("pki")));
    return mutualTlsConfiguration(pki.filePath(QStringLiteral("ca.crt")), pki.filePath(QStringLiteral("console.crt")), pki.filePath(QStringLiteral("console.key")));
}

DataSource DemoDeployment::ordersSource() const
{
    DataSource source;
    source.kind = DataSource::Kind::Sqlite;
    source.path = QDir(m_directory).filePath(QStringLiteral("shanghai.db"));
    source.table = QStringLiteral("orders");
    return source;
}

void DemoDeployment::startWorkload(double writesPerSecond)
{
    stopWorkload();
    m_rate = writesPerSecond;
    m_stopWorkload = false;
    const DataSource source = ordersSource();
    m_workload = std::thread([this, source] {
        try {
            auto store = Store::open(source, Store::Options{false, 5000});
            const TableSchema schema = store->describe(source.table);
            WorkloadGenerator generator(*store, schema, WorkloadGenerator::Mix{40, 50, 10}, 7);
            WorkloadGenerator::Counts counts;
            // Paced here rather than in run(), so that the rate and stop are seen at once.
            while (!m_stopWorkload) {
                const double rate = m_rate;
                if (rate <= 0) {
                    QThread::msleep(50);
                    continue;
                }
                const auto start = std::chrono::steady_clock::now();
                try {
                    generator.writeOne(&counts);
                } catch (const FerryError &error) {
                    // A fenced or demoted table refuses writes: the demo's application waits.
                    qInfo().noquote() << QCoreApplication::translate("DemoDeployment", "demo workload paused: %1").arg(error.message());
                    QThread::msleep(1000);
                    continue;
                }
                const auto due = start + std::chrono::microseconds(qint64(1e6 / rate));
                std::this_thread::sleep_until(due);
            }
        } catch (const FerryError &error) {
            qWarning().noquote() << QCoreApplication::translate("DemoDeployment", "demo workload stopped: %1").arg(error.message());
        }
    });
}

void DemoDeployment::setWorkloadRate(double writesPerSecond)
{
    m_rate = std::max(0.0, writesPerSecond);
}

void DemoDeployment::stopWorkload()
{
    m_stopWorkload = true;
    if (m_workload.joinable())
        m_workload.join();
}

} // namespace ferry
