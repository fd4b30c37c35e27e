#include "node/comparejob.h"

#include "net/nodeclient.h"
#include "net/remoteendpoint.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QMutexLocker>

namespace ferry {

CompareJob::CompareJob(const NodeConfig &config, const QSslConfiguration &tls, const CompareRequest &request, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_tls(tls)
    , m_request(request)
{
}

CompareJob::~CompareJob()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

void CompareJob::start()
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("ferry-compare"));
    m_thread->start();
}

void CompareJob::cancel()
{
    m_cancelled = true;
    QMutexLocker locker(&m_mutex);
    if (m_verifier)
        m_verifier->cancel();
}

void CompareJob::run()
{
    try {
        const NodeConfig::Database *database = m_config.database(m_request.database);
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase,
                            QCoreApplication::translate("CompareJob", "node %1 has no database \"%2\"").arg(m_config.name, m_request.database));
        std::unique_ptr<Store> source;
        TableSchema sourceSchema;
        try {
            source = Store::open(database->source, Store::Options{true, 5000});
            sourceSchema = source->describe(m_request.table);
        } catch (const WireError &) {
            throw;
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Database, error.message());
        }

        NodeClient::Options options;
        options.clientName = m_config.name;
        NodeClientThread connection(m_request.targetHost, m_request.targetPort, m_tls, options);
        NodeHello hello;
        try {
            hello = connection.connectAndWait();
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Unreachable,
                            QCoreApplication::translate("CompareJob", "cannot reach the target node: %1").arg(error.message()));
        }
        if (hello.node == m_config.name && m_request.targetDatabase == m_request.database && m_request.targetTable == m_request.table)
            throw WireError(protocol::ErrorCode::BadMessage,
                            QCoreApplication::translate("CompareJob", "source and target are the same table (%1 on %2)").arg(m_request.table, m_config.name));
        if (!hello.digests.contains(m_request.options.digest))
            throw WireError(protocol::ErrorCode::UnsupportedDigest,
                            QCoreApplication::translate("CompareJob", "node %1 does not offer digest %2").arg(hello.node, digestAlgorithmName(m_request.options.digest)));

        RemoteEndpoint target(connection.client(), m_request.targetDatabase);
        const TableSchema targetSchema = target.describe(m_request.targetTable).result();
        const QString difference = schemaDifference(sourceSchema, targetSchema);
        if (!difference.isEmpty())
            throw WireError(protocol::ErrorCode::Database, QCoreApplication::translate("CompareJob", "schemas differ: %1").arg(difference));

        BlockVerifier verifier(*source, sourceSchema, target, targetSchema, m_request.options);
        connect(&verifier, &BlockVerifier::progressUpdated, this, &CompareJob::progressUpdated, Qt::DirectConnection);
        {
            QMutexLocker locker(&m_mutex);
            if (m_cancelled)
                throw WireError(protocol::ErrorCode::Cancelled, QCoreApplication::translate("CompareJob", "the compare was cancelled"));
            m_verifier = &verifier;
        }
        VerificationSummary summary;
        try {
            summary = verifier.run();
        } catch (...) {
            QMutexLocker locker(&m_mutex);
            m_verifier = nullptr;
            throw;
        }
        {
            QMutexLocker locker(&m_mutex);
            m_verifier = nullptr;
        }
        emit succeeded(summary, connection.client()->bytesWritten() + connection.client()->bytesRead());
    } catch (const WireError &error) {
        emit failed(m_cancelled ? QString(protocol::ErrorCode::Cancelled) : error.code(), error.message());
    } catch (const FerryError &error) {
        emit failed(m_cancelled ? QString(protocol::ErrorCode::Cancelled) : QString(protocol::ErrorCode::Database), error.message());
    } catch (const std::exception &error) {
        emit failed(QString(protocol::ErrorCode::Internal), QString::fromLocal8Bit(error.what()));
    }
}

} // namespace ferry
