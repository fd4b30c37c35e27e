#pragma once

#include "node/nodeconfig.h"
#include "replication/workloadgenerator.h"

#include <QPointF>
#include <QSslConfiguration>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

class QThread;

namespace ferry {

class NodeServer;

// The console's built-in demo: three data centers (Shanghai, Frankfurt, Virginia), each a
// real node served from a thread of the console's own process, with SQLite databases in
// a directory of the user's, loopback ports and real mutual TLS with certificates made on
// first start. Shanghai holds two sample tables (orders and customers, 100,000 rows
// each) and a large one (shipments, 2,000,000 rows, written after the nodes started, see
// fillLargeTable), Virginia one of its own (inventory, 5,000 rows); a workload generator
// writes to Shanghai's orders at a rate the user can change.
class DemoDeployment
{
public:
    struct Site
    {
        QString name;
        QString region;
        QString configFile;
        // Where the console draws the site's card on a first start (scene coordinates,
        // west to east as on a map): the same picture every time, whatever the ports.
        QPointF position;
    };

    explicit DemoDeployment(const QString &directory);
    ~DemoDeployment();

    // Creates what is missing: the CA and certificates, the databases with their sample
    // rows, the node configs (on free loopback ports). Blocking: call from a worker thread.
    // Throws FerryError naming the file at fault.
    void prepare();
    bool createdNow() const { return m_createdNow; }

    // Shanghai's large table: the rows of a realistic table, so that the initial sync of a
    // link takes visible seconds and the block map has thousands of blocks.
    static constexpr qint64 LargeTableRows = 2000000;
    static QString largeTableName() { return QStringLiteral("shipments"); }
    // Writes the large table's missing rows into Shanghai's database (created on the first
    // call, continued where an interrupted call stopped) in batches of one transaction
    // each, so that the running node and the workload wait at most one batch for the
    // database. progress(rows written so far, total) after each batch; returning false
    // stops. Blocking: call from a worker thread, after start(). Throws FerryError.
    void fillLargeTable(const std::function<bool(qint64 done, qint64 total)> &progress, qint64 total = LargeTableRows);

    // Starts the three nodes, each in its own thread. Throws FerryError (a port taken).
    void start();
    void stop();

    QList<Site> sites() const { return m_sites; }
    QStringList nodeAddresses() const;       // host:port, in site order
    QSslConfiguration consoleTls() const;
    QString directory() const { return m_directory; }
    // The sample orders table on Shanghai, for the workload generator.
    DataSource ordersSource() const;

    // The workload on Shanghai's orders, in a thread of its own.
    void startWorkload(double writesPerSecond);
    void setWorkloadRate(double writesPerSecond);
    double workloadRate() const { return m_rate; }
    void stopWorkload();

private:
    struct Host;

    QString m_directory;
    QList<Site> m_sites;
    bool m_createdNow = false;
    std::vector<std::unique_ptr<Host>> m_hosts;
    std::thread m_workload;
    std::atomic<bool> m_stopWorkload{false};
    std::atomic<double> m_rate{0};
};

} // namespace ferry
