#pragma once

#include "blocks/blockverifier.h"
#include "node/nodeconfig.h"

#include <QMutex>
#include <QObject>
#include <QSslConfiguration>
#include <QThread>

#include <memory>

namespace ferry {

// What a compare request asks of the source node.
struct CompareRequest
{
    QString database;        // this node's database
    QString table;
    QString targetHost;      // the target data center's ferry-node
    quint16 targetPort = 0;
    QString targetDatabase;
    QString targetTable;
    VerifierOptions options;
};

// Runs one verification (and repair) of a table of this node against a table on another
// node, in a worker thread: opens the source table, connects to the target node with this
// node's certificate, checks both schemas before anything is written, and runs the block
// verifier with the target reached through a RemoteEndpoint. Rows go straight from this
// node to the target node.
class CompareJob : public QObject
{
    Q_OBJECT

public:
    CompareJob(const NodeConfig &config, const QSslConfiguration &tls, const CompareRequest &request, QObject *parent = nullptr);
    ~CompareJob() override;   // cancels and joins the worker

    void start();
    void cancel();

signals:
    // Emitted from the worker thread; connect with a queued connection.
    void progressUpdated(const ferry::VerificationProgress &progress);
    void succeeded(const ferry::VerificationSummary &summary, qint64 wireBytes);
    void failed(const QString &code, const QString &message);

private:
    void run();

    NodeConfig m_config;
    QSslConfiguration m_tls;
    CompareRequest m_request;
    std::unique_ptr<QThread> m_thread;
    QMutex m_mutex;
    BlockVerifier *m_verifier = nullptr;   // while it runs, under m_mutex
    std::atomic<bool> m_cancelled{false};
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::VerificationSummary)
