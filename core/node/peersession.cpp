#include "node/peersession.h"

#include "net/nodeclient.h"
#include "node/comparejob.h"
#include "node/databaseservice.h"
#include "node/nodeserver.h"
#include "failover/failovermanager.h"
#include "node/eventlog.h"
#include "replication/linkmanager.h"
#include "replication/linkrunner.h"
#include "security/accesspolicy.h"
#include "security/tlsconfiguration.h"
#include "util/whenfinished.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSslSocket>
#include <QTimer>

#include <memory>

namespace ferry {

namespace {

// Requests of one peer not answered yet, above which the session stops reading.
constexpr int MaxInflight = 64;
// Requests that change something: each is an event of the node naming the certificate
// that asked, the request and its outcome (the data path of a link, apply and replace
// batches, is not: its own events tell what it does).
bool isAudited(const QString &type)
{
    using namespace protocol::Type;
    return type == LinkCreate || type == LinkPause || type == LinkResume || type == LinkVerify || type == LinkRemove || type == Failover
        || type == FailoverAck || type == Compare || type == LinkRegister || type == LinkUnregister || type == Promote || type == Demote
        || type == Guard || type == CreateTable || type == AddColumns || type == DropTable || type == LinkSet || type == LinkResync || type == RepairGrant
        || type == ConflictApply;
}

// What an audited request did, in the operator's words.
QString requestName(const QString &type)
{
    using namespace protocol::Type;
    if (type == LinkCreate) return QCoreApplication::translate("PeerSession", "create link");
    if (type == LinkPause) return QCoreApplication::translate("PeerSession", "pause link");
    if (type == LinkResume) return QCoreApplication::translate("PeerSession", "resume link");
    if (type == LinkVerify) return QCoreApplication::translate("PeerSession", "verify link");
    if (type == LinkRemove) return QCoreApplication::translate("PeerSession", "remove link");
    if (type == LinkSet) return QCoreApplication::translate("PeerSession", "change link settings");
    if (type == LinkResync) return QCoreApplication::translate("PeerSession", "resync link");
    if (type == Failover) return QCoreApplication::translate("PeerSession", "fail over");
    if (type == FailoverAck) return QCoreApplication::translate("PeerSession", "acknowledge failover");
    if (type == Compare) return QCoreApplication::translate("PeerSession", "compare tables");
    if (type == LinkRegister) return QCoreApplication::translate("PeerSession", "register inbound link");
    if (type == LinkUnregister) return QCoreApplication::translate("PeerSession", "unregister inbound link");
    if (type == Promote) return QCoreApplication::translate("PeerSession", "promote");
    if (type == Demote) return QCoreApplication::translate("PeerSession", "demote");
    if (type == Guard) return QCoreApplication::translate("PeerSession", "set replica guard");
    if (type == CreateTable) return QCoreApplication::translate("PeerSession", "create table");
    if (type == AddColumns) return QCoreApplication::translate("PeerSession", "add columns");
    if (type == DropTable) return QCoreApplication::translate("PeerSession", "drop table");
    if (type == RepairGrant) return QCoreApplication::translate("PeerSession", "allow a repair");
    if (type == ConflictApply) return QCoreApplication::translate("PeerSession", "write a conflict's version");
    if (type == Replace) return QCoreApplication::translate("PeerSession", "replace rows");
    if (type == Apply) return QCoreApplication::translate("PeerSession", "apply changes");
    if (type == ApplyGroup) return QCoreApplication::translate("PeerSession", "apply a transaction over several tables");
    return type;
}

// Decrypted bytes the socket holds for the session at most.
constexpr qint64 ReadChunk = 1024 * 1024;

QString software()
{
    return QStringLiteral("ferry/%1").arg(QStringLiteral(FERRY_VERSION));
}

DigestAlgorithm digestField(const MessageFields &fields)
{
    const QString name = fields.string(QLatin1StringView("digest"), QStringLiteral("md5"));
    const auto algorithm = digestAlgorithmFromName(name);
    if (!algorithm)
        throw WireError(protocol::ErrorCode::UnsupportedDigest, QCoreApplication::translate("PeerSession", "unknown digest \"%1\"").arg(name));
    return *algorithm;
}

} // namespace

PeerSession::PeerSession(QSslSocket *socket, NodeServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // What TLS has decrypted and the session has not taken stays under 1 MiB: a peer that
    // sends faster than its requests are served is held back by TCP.
    m_socket->setReadBufferSize(ReadChunk);
    m_certName = certificateName(m_socket->peerCertificate());
    m_role = certificateRole(m_socket->peerCertificate());
    m_peerName = QStringLiteral("%1 (%2:%3)").arg(m_certName.isEmpty() ? QStringLiteral("?") : m_certName, m_socket->peerAddress().toString()).arg(m_socket->peerPort());
    m_sinceHeard.start();
    m_sinceConnected.start();
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &PeerSession::checkTimeouts);
    timer->start(std::clamp(std::min(server->limits().handshakeTimeoutMs, server->limits().idleTimeoutMs) / 4, 25, 1000));
    // Replies taken by the peer: requests held back may be read again.
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] {
        if (m_socket->bytesAvailable() > 0 || m_reader.buffered() > 0)
            onReadyRead();
    });
    qInfo().noquote() << QCoreApplication::translate("PeerSession", "connection from %1").arg(m_peerName);
    connect(m_socket, &QSslSocket::readyRead, this, &PeerSession::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1 disconnected").arg(m_peerName);
        for (const QPointer<CompareJob> &job : std::as_const(m_jobs)) {
            if (job)
                job->cancel();
        }
        m_closing = true;
        emit closed(this);
    });
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &PeerSession::onReadyRead, Qt::QueuedConnection);
}

PeerSession::~PeerSession()
{
    for (const QPointer<CompareJob> &job : std::as_const(m_jobs)) {
        if (job)
            job->cancel();
    }
}

qint64 PeerSession::queuedBytes() const
{
    // TLS moves what is written into its own buffer as it encrypts: both count.
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
}

bool PeerSession::readingPaused() const
{
    return m_inflight >= MaxInflight || m_largeInflight > 0 || queuedBytes() > m_server->limits().maxQueuedReplyBytes / 4;
}

void PeerSession::onReadyRead()
{
    if (m_closing)
        return;
    // Complete frames waiting first; then more bytes, only when requests may be taken.
    processFrames();
    while (!m_closing && !readingPaused() && m_socket->bytesAvailable() > 0) {
        m_reader.append(m_socket->read(ReadChunk));
        m_sinceHeard.start();
        processFrames();
        if (m_closing)
            return;
        if (!m_server->setUnfinishedBytes(this, m_reader.buffered())) {
            abortWithError(QString(protocol::ErrorCode::LimitExceeded),
                           QCoreApplication::translate("PeerSession", "frames received in part from %1 would pass %2 MiB from this peer or %3 MiB in all")
                               .arg(m_certName)
                               .arg(m_server->limits().maxUnfinishedBytesPerPeer / (1024 * 1024))
                               .arg(m_server->limits().maxUnfinishedBytes / (1024 * 1024)));
            return;
        }
    }
}

void PeerSession::checkTimeouts()
{
    if (m_closing)
        return;
    const ConnectionLimits &limits = m_server->limits();
    if (!m_helloDone && m_sinceConnected.elapsed() >= limits.handshakeTimeoutMs) {
        abortWithError(QString(protocol::ErrorCode::LimitExceeded),
                       QCoreApplication::translate("PeerSession", "no hello within %1 ms").arg(limits.handshakeTimeoutMs));
        return;
    }
    if (m_inflight == 0 && m_subscription < 0 && m_jobs.isEmpty() && m_sinceHeard.elapsed() >= limits.idleTimeoutMs)
        abortWithError(QString(protocol::ErrorCode::LimitExceeded),
                       QCoreApplication::translate("PeerSession", "idle for %1 s").arg(limits.idleTimeoutMs / 1000.0, 0, 'f', 1));
}

void PeerSession::abortWithError(const QString &code, const QString &message)
{
    if (m_closing)
        return;
    m_closing = true;   // first: writing the error below may call back into the session
    qWarning().noquote() << QCoreApplication::translate("PeerSession", "closing the connection from %1: %2 (%3)").arg(m_peerName, message, code);
    // Written if the socket takes it at once; the peer is not waited for.
    if (queuedBytes() < m_server->limits().maxQueuedReplyBytes)
        m_socket->write(encodeFrame(encodeMessage(protocol::Type::Error, -1, QCborMap{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}})));
    m_socket->flush();
    m_reader = FrameReader();
    m_server->setUnfinishedBytes(this, 0);
    m_socket->abort();   // emits disconnected: the session is closed
}

void PeerSession::processFrames()
{
    QByteArray body;
    while (!m_closing && !readingPaused()) {
        Message message;
        try {
            if (!m_reader.next(body))
                return;
            message = decodeMessage(body);
            m_compress = m_compress || message.compressed;
        } catch (const WireError &error) {
            closeWithError(-1, error.code(), error.message());
            return;
        }
        try {
            handle(message);
        } catch (const WireError &error) {
            // A malformed request is a broken or hostile peer: answer, then hang up. A
            // request that is well formed but cannot be served keeps the connection.
            if (error.code() == protocol::ErrorCode::BadMessage || error.code() == protocol::ErrorCode::UnknownMessage
                || error.code() == protocol::ErrorCode::NotReady || error.code() == protocol::ErrorCode::UnsupportedVersion
                || error.code() == protocol::ErrorCode::WrongIdentity)
                closeWithError(message.id, error.code(), error.message());
            else
                replyError(message.id, error.code(), error.message(), error.fields());
        }
    }
}

void PeerSession::reply(QLatin1StringView type, qint64 id, const QCborMap &body)
{
    if (m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(encodeFrame(encodeMessage(type, id, body, m_compress)));
    audit(id, type, body);
    if (queuedBytes() > m_server->limits().maxQueuedReplyBytes)
        abortWithError(QString(protocol::ErrorCode::LimitExceeded),
                       QCoreApplication::translate("PeerSession", "more than %1 MiB of replies not read by the peer")
                           .arg(m_server->limits().maxQueuedReplyBytes / (1024 * 1024)));
}

void PeerSession::audit(qint64 id, QLatin1StringView replyType, const QCborMap &body)
{
    if (id < 0 || m_audited.isEmpty() || NodeClient::isEventType(QString(replyType)))
        return;
    const auto it = m_audited.constFind(id);
    if (it == m_audited.constEnd())
        return;
    const Audited request = *it;
    m_audited.erase(it);
    if (!m_server->events())
        return;
    const bool failed = replyType == protocol::Type::Error;
    if (request.refusalsOnly) {
        const QString code = body.value(QLatin1StringView("code")).toString();
        if (!failed || (code != protocol::ErrorCode::Forbidden && code != protocol::ErrorCode::WrongIdentity))
            return;
    }
    const QString outcome = failed ? QCoreApplication::translate("PeerSession", "refused: %1 (%2)")
                                         .arg(body.value(QLatin1StringView("message")).toString().left(500), body.value(QLatin1StringView("code")).toString())
                                   : QCoreApplication::translate("PeerSession", "done");
    m_server->events()->record(failed ? NodeEvent::Severity::Warning : NodeEvent::Severity::Info, request.link,
                               QCoreApplication::translate("PeerSession", "request: %1").arg(requestName(request.type)),
                               request.detail.isEmpty() ? outcome : QStringLiteral("%1: %2").arg(request.detail, outcome),
                               QStringLiteral("%1 (%2) %3:%4").arg(m_certName, roleName(m_role), m_socket->peerAddress().toString()).arg(m_socket->peerPort()));
}

void PeerSession::replyError(qint64 id, const QString &code, const QString &message, const QCborMap &fields)
{
    QCborMap body = fields;   // typed fields of the error (WireError::fields())
    body.insert(QStringLiteral("code"), code);
    body.insert(QStringLiteral("message"), message);
    reply(protocol::Type::Error, id, body);
}

void PeerSession::closeWithError(qint64 id, const QString &code, const QString &message)
{
    if (m_closing)
        return;
    qWarning().noquote() << QCoreApplication::translate("PeerSession", "closing the connection from %1: %2 (%3)").arg(m_peerName, message, code);
    replyError(id, code, message);
    m_closing = true;
    m_server->setUnfinishedBytes(this, 0);
    m_socket->disconnectFromHost();   // after the error reply has been written...
    QTimer::singleShot(5000, m_socket, [socket = m_socket] { socket->abort(); });   // ...by a peer that reads it
}

template <typename T, typename Fn>
void PeerSession::replyWhenDone(qint64 id, QFuture<T> future, Fn toReply, bool large)
{
    ++m_inflight;
    if (large)
        ++m_largeInflight;
    whenFinished(this, future, [this, id, toReply, large](QFuture<T> done) {
        if (large)
            --m_largeInflight;
        try {
            done.waitForFinished();   // finished: rethrows what the work threw
            if (done.isCanceled())
                throw WireError(protocol::ErrorCode::Cancelled, QCoreApplication::translate("PeerSession", "cancelled"));
            if constexpr (std::is_void_v<T>) {
                const auto [type, body] = toReply(true);
                reply(type, id, body);
            } else {
                const auto [type, body] = toReply(done.result());
                reply(type, id, body);
            }
        } catch (const WireError &error) {
            if (error.code() == protocol::ErrorCode::BadMessage)
                closeWithError(id, error.code(), error.message());
            else
                replyError(id, error.code(), error.message(), error.fields());
        } catch (const FerryError &error) {
            replyError(id, QString(protocol::ErrorCode::Database), error.message());
        } catch (...) {
            replyError(id, QString(protocol::ErrorCode::Internal), QCoreApplication::translate("PeerSession", "internal error"));
        }
        finishRequest();
    });
}

void PeerSession::finishRequest()
{
    --m_inflight;
    onReadyRead();
}

void PeerSession::handle(const Message &message)
{
    if (!m_helloDone) {
        if (message.type != protocol::Type::Hello)
            throw WireError(protocol::ErrorCode::NotReady, QCoreApplication::translate("PeerSession", "\"%1\" before hello").arg(message.type));
        handleHello(message);
        return;
    }
    const QString &type = message.type;
    // A link's once-a-second check of its replica's guard changes nothing when the guard
    // is there (when it is not, the link's own event says so): not an audit entry a second.
    const bool guardCheck = type == protocol::Type::Guard && message.body.value(QLatin1StringView("if_missing")).toBool();
    // The data path of a link (its batches and repairs) is an event only when refused: a
    // certificate that may not write there.
    const bool dataPath = type == protocol::Type::Replace || type == protocol::Type::Apply;
    if ((isAudited(type) && !guardCheck || dataPath) && message.id >= 0) {
        const QCborValue link = message.body.value(dataPath ? QLatin1StringView("link_id") : QLatin1StringView("link"));
        QString linkId = link.isString() ? link.toString() : link.toMap().value(QLatin1StringView("id")).toString();
        if (dataPath && linkId.isEmpty())
            linkId = message.body.value(QLatin1StringView("link")).toString();
        if (linkId.size() > 64)
            linkId = linkId.left(64) + QStringLiteral("...");
        QString detail;
        if (type == protocol::Type::ConflictApply) {
            // Which row of which table, in which version: the event names it.
            const QCborMap &body = message.body;
            detail = QCoreApplication::translate("PeerSession", "conflict %1: the %2 version of %3.%4, key %5")
                         .arg(body.value(QLatin1StringView("conflict")).toInteger())
                         .arg(body.value(QLatin1StringView("version")).toString().left(16), body.value(QLatin1StringView("db")).toString().left(64),
                              body.value(QLatin1StringView("table")).toString().left(64), body.value(QLatin1StringView("key")).toString().left(200));
        }
        m_audited.insert(message.id, Audited{type, linkId, dataPath, detail});
    }
    // What the certificate's role allows, before anything is looked at or touched.
    const bool forced = type == protocol::Type::Failover && message.body.value(QLatin1StringView("force")).toBool();
    if (!isAllowed(m_role, type, forced))
        throw WireError(protocol::ErrorCode::Forbidden,
                        QCoreApplication::translate("PeerSession", "\"%1\"%2 needs the role %3; the certificate \"%4\" has the role %5")
                            .arg(type, forced ? QStringLiteral(" (forced)") : QString(), rolesAllowed(type, forced).join(QLatin1String(" or ")), m_certName,
                                 roleName(m_role)));
    if (m_server->failover())
        m_server->failover()->noteSeen(m_peerNode);
    const MessageFields fields(message);
    if (type == protocol::Type::Ping) {
        reply(protocol::Type::Pong, message.id, QCborMap{{QStringLiteral("time_ms"), QDateTime::currentMSecsSinceEpoch()}});
        return;
    }
    if (type == protocol::Type::Status) {
        handleStatus(message);
        return;
    }
    if (type == protocol::Type::Compare) {
        handleCompare(message);
        return;
    }
    // link_register belongs to failover (below), not to the link API.
    if (type.startsWith(QLatin1String("link_")) && type != protocol::Type::LinkRegister) {
        handleLinkRequest(message);
        return;
    }
    if (type == protocol::Type::Subscribe) {
        handleSubscribe(message);
        return;
    }
    if (type == protocol::Type::RepairGrant) {
        const QString db = fields.string(QLatin1StringView("db"));
        const QString table = fields.string(QLatin1StringView("table"));
        const QString node = fields.string(QLatin1StringView("node"));
        if (!m_server->database(db))
            throw WireError(protocol::ErrorCode::UnknownDatabase,
                            QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, db));
        const bool allow = fields.boolean(QLatin1StringView("allow"), true);
        m_server->grantRepair(db, table, node, allow);
        qInfo().noquote() << (allow ? QCoreApplication::translate("PeerSession", "%1 allowed node %2 to repair %3.%4")
                                    : QCoreApplication::translate("PeerSession", "%1 took back the repair of %3.%4 by node %2"))
                                 .arg(m_peerName, node, db, table);
        reply(protocol::Type::Ok, message.id);
        return;
    }
    if (handleFailoverRequest(message))
        return;
    if (type != protocol::Type::Tables && type != protocol::Type::Describe && type != protocol::Type::Digest && type != protocol::Type::Replace
        && type != protocol::Type::CreateTable && type != protocol::Type::AddColumns && type != protocol::Type::DropTable && type != protocol::Type::Guard && type != protocol::Type::Applied && type != protocol::Type::Apply
        && type != protocol::Type::ApplyGroup)
        throw WireError(protocol::ErrorCode::UnknownMessage, QCoreApplication::translate("PeerSession", "unknown message \"%1\"").arg(type));

    const QString dbName = fields.string(QLatin1StringView("db"));
    DatabaseService *database = m_server->database(dbName);
    if (!database)
        throw WireError(protocol::ErrorCode::UnknownDatabase,
                        QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, dbName));
    if (handleTargetSide(message, database))
        return;
    if (type == protocol::Type::Tables) {
        replyWhenDone(message.id, database->tables(), [](const QStringList &tables) {
            return std::make_pair(protocol::Type::Tables, QCborMap{{QStringLiteral("tables"), QCborArray::fromStringList(tables)}});
        });
        return;
    }
    const QString table = fields.string(QLatin1StringView("table"));
    if (type == protocol::Type::Describe) {
        replyWhenDone(message.id, database->describe(table), [](const TableSchema &schema) {
            return std::make_pair(protocol::Type::Schema, QCborMap{{QStringLiteral("schema"), wirecodec::encodeSchema(schema)}});
        });
        return;
    }
    const DigestAlgorithm algorithm = digestField(fields);
    auto toDigests = [](const QList<RangeDigest> &digests) {
        return std::make_pair(protocol::Type::Digests, QCborMap{{QStringLiteral("digests"), wirecodec::encodeDigests(digests)}});
    };
    if (type == protocol::Type::Digest) {
        const QCborArray ranges = fields.array(QLatin1StringView("ranges"));
        // Decoded in the database's thread, against the table's schema there.
        replyWhenDone(message.id, database->digestRanges(table, [ranges](const TableSchema &schema) {
            return wirecodec::decodeRanges(schema.keyTypes(), ranges, QStringLiteral("digest"));
        }, algorithm), toDigests);
        return;
    }
    // A link's initial sync or verification round names its link; a repair asked of a
    // node by an admin (compare --repair) does not, and needs that admin's grant here.
    const QString replaceLink = fields.string(QLatin1StringView("link"), QString());
    if (!replaceLink.isEmpty())
        requireLinkSource(QString(type), replaceLink, database->name(), table);
    else
        requireRepairGrant(database->name(), table);
    const QCborArray parts = fields.array(QLatin1StringView("parts"));
    replyWhenDone(message.id, database->replaceRanges(table, [parts](const TableSchema &schema) {
        return wirecodec::decodeRangeRows(schema, parts, QStringLiteral("replace"));
    }, algorithm, m_peerNode), toDigests);
}

void PeerSession::handleHello(const Message &message)
{
    const MessageFields fields(message);
    int version = 0;
    QStringList offered;
    for (const QCborValue &value : fields.array(QLatin1StringView("versions"))) {
        if (!value.isInteger())
            fields.fail(QLatin1StringView("versions"), QCoreApplication::translate("PeerSession", "holds a value that is not an integer"));
        offered.append(QString::number(value.toInteger()));
        if (value.toInteger() >= protocol::OldestVersion && value.toInteger() <= protocol::Version)
            version = std::max(version, int(value.toInteger()));
    }
    if (version == 0)
        throw WireError(protocol::ErrorCode::UnsupportedVersion,
                        QCoreApplication::translate("PeerSession", "protocol version(s) %1 not supported; this node speaks %2 to %3")
                            .arg(offered.join(QLatin1String(", "))).arg(protocol::OldestVersion).arg(protocol::Version));
    QCborArray digests;
    for (const QCborValue &value : fields.array(QLatin1StringView("digests"))) {
        if (digestAlgorithmFromName(value.toString()))
            digests.append(value.toString());
    }
    // A peer is the name in its certificate: a hello that claims to be another node is a
    // peer trying to act as that node (lift its guard, promote, demote), refused outright.
    const QString claimed = fields.string(QLatin1StringView("node"), QString());
    if (!claimed.isEmpty() && claimed != m_certName)
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        QCoreApplication::translate("PeerSession", "the hello claims node \"%1\" but the certificate names \"%2\"").arg(claimed, m_certName));
    m_peerNode = claimed;
    const QString label = fields.string(QLatin1StringView("client"), QString());
    if (!claimed.isEmpty())
        m_peerName += QStringLiteral(" \"%1\"").arg(claimed);
    else if (!label.isEmpty())
        m_peerName += QStringLiteral(" [%1]").arg(label);
    m_helloDone = true;
    reply(protocol::Type::Hello, message.id,
          QCborMap{{QStringLiteral("version"), version},
                   {QStringLiteral("digests"), digests},
                   {QStringLiteral("node"), m_server->config().name},
                   {QStringLiteral("region"), m_server->config().region},
                   {QStringLiteral("software"), software()}});
}

void PeerSession::handleStatus(const Message &message)
{
    // Tables of every database, gathered as each database's thread answers.
    struct Gather
    {
        QCborArray databases;
        int remaining = 0;
    };
    auto gather = std::make_shared<Gather>();
    const NodeConfig &config = m_server->config();
    const qint64 id = message.id;
    auto finish = [this, gather, id] {
        if (--gather->remaining > 0)
            return;
        reply(protocol::Type::Status, id,
              QCborMap{{QStringLiteral("node"), m_server->config().name},
                       {QStringLiteral("region"), m_server->config().region},
                       {QStringLiteral("software"), software()},
                       {QStringLiteral("uptime_ms"), m_server->uptimeMs()},
                       {QStringLiteral("sessions"), m_server->sessionCount()},
                       {QStringLiteral("databases"), gather->databases}});
        finishRequest();
    };
    ++m_inflight;
    gather->remaining = int(config.databases.size()) + 1;
    for (const NodeConfig::Database &db : config.databases) {
        DatabaseService *service = m_server->database(db.name);
        const qsizetype slot = gather->databases.size();
        gather->databases.append(QCborMap{{QStringLiteral("name"), db.name}, {QStringLiteral("kind"), service->kind()}});
        whenFinished(this, service->tables(), [gather, slot, finish](const QFuture<QStringList> &tables) {
            QCborMap entry = gather->databases.at(slot).toMap();
            try {
                entry.insert(QStringLiteral("tables"), QCborArray::fromStringList(tables.result()));
            } catch (const FerryError &error) {
                entry.insert(QStringLiteral("error"), error.message());
            }
            gather->databases[slot] = entry;
            finish();
        });
    }
    finish();
}

void PeerSession::handleCompare(const Message &message)
{
    const MessageFields fields(message);
    CompareRequest request;
    request.database = fields.string(QLatin1StringView("db"));
    request.table = fields.string(QLatin1StringView("table"));
    const MessageFields target(QStringLiteral("compare.target"), fields.map(QLatin1StringView("target")));
    request.targetHost = target.string(QLatin1StringView("host"));
    request.targetPort = quint16(target.integer(QLatin1StringView("port"), 1, 65535));
    request.targetDatabase = target.string(QLatin1StringView("db"));
    request.targetTable = target.string(QLatin1StringView("table"));
    request.options.repair = fields.boolean(QLatin1StringView("repair"), false);
    request.options.blockRows = int(fields.integer(QLatin1StringView("block_rows"), 1, 10000000, 1000));
    request.options.targetBlockMs = int(fields.integer(QLatin1StringView("block_ms"), 0, 60000, 0));
    request.options.digest = digestField(fields);
    // Without repair: how many differing keys the summary lists (0: none, as before).
    request.options.listKeys = int(fields.integer(QLatin1StringView("list_keys"), 0, 100000, 0));
    if (!m_server->database(request.database))
        throw WireError(protocol::ErrorCode::UnknownDatabase,
                        QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, request.database));

    const qint64 id = message.id;
    qInfo().noquote() << (request.options.repair ? QCoreApplication::translate("PeerSession", "%1 asked to repair %2.%3 against %4:%5/%6.%7")
                                                 : QCoreApplication::translate("PeerSession", "%1 asked to compare %2.%3 with %4:%5/%6.%7"))
                             .arg(m_peerName, request.database, request.table, request.targetHost)
                             .arg(request.targetPort)
                             .arg(request.targetDatabase, request.targetTable);
    auto *job = new CompareJob(m_server->config(), m_server->tls(), request, this);
    m_jobs.insert(id, job);
    ++m_inflight;
    connect(job, &CompareJob::progressUpdated, this, [this, id](const VerificationProgress &progress) {
        reply(protocol::Type::Progress, id, wirecodec::encodeProgress(progress));
    }, Qt::QueuedConnection);
    connect(job, &CompareJob::succeeded, this, [this, id, job](const VerificationSummary &summary, qint64 wireBytes) {
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "compare for %1 done: %2 blocks, %3 differed, %4 repaired, %5 failed, %6 s")
                                 .arg(m_peerName).arg(summary.blocks).arg(summary.blocksDiffering).arg(summary.blocksRepaired).arg(summary.blocksFailed)
                                 .arg(summary.seconds, 0, 'f', 2);
        reply(protocol::Type::Summary, id, QCborMap{{QStringLiteral("summary"), wirecodec::encodeSummary(summary)}, {QStringLiteral("wire_bytes"), wireBytes}});
        m_jobs.remove(id);
        job->deleteLater();
        finishRequest();
    }, Qt::QueuedConnection);
    connect(job, &CompareJob::failed, this, [this, id, job](const QString &code, const QString &text) {
        qWarning().noquote() << QCoreApplication::translate("PeerSession", "compare for %1 failed: %2").arg(m_peerName, text);
        replyError(id, code, text);
        m_jobs.remove(id);
        job->deleteLater();
        finishRequest();
    }, Qt::QueuedConnection);
    job->start();
}

bool PeerSession::handleTargetSide(const Message &message, DatabaseService *database)
{
    const MessageFields fields(message);
    const QString &type = message.type;
    auto done = [](bool) { return std::make_pair(protocol::Type::Ok, QCborMap()); };
    if (type == protocol::Type::CreateTable) {
        const TableSchema schema = wirecodec::decodeSchema(fields.value(QLatin1StringView("schema")), type);
        requireLinkSource(QString(type), fields.string(QLatin1StringView("link"), QString()), database->name(), schema.table);
        replyWhenDone(message.id, database->createTable(schema), done);
        return true;
    }
    if (type == protocol::Type::AddColumns) {
        const TableSchema schema = wirecodec::decodeSchema(fields.value(QLatin1StringView("schema")), type);
        requireLinkSource(QString(type), fields.string(QLatin1StringView("link"), QString()), database->name(), schema.table);
        replyWhenDone(message.id, database->addColumns(schema), [](const QStringList &added) {
            return std::make_pair(protocol::Type::Ok, QCborMap{{QStringLiteral("added"), QCborArray::fromStringList(added)}});
        });
        return true;
    }
    if (type == protocol::Type::DropTable) {
        const QString table = fields.string(QLatin1StringView("table"));
        const QString linkId = fields.string(QLatin1StringView("link"), QString());
        requireLinkSource(QString(type), linkId, database->name(), table);
        const LinkDefinition *link = m_server->failover()->inboundLink(linkId);
        if (link->memberOf.isEmpty() || link->onDrop != LinkDefinition::OnDrop::Drop)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("PeerSession", "drop_table: link %1 is not part of a database link that drops the tables dropped on its "
                                                        "source; %2.%3 is kept")
                                .arg(linkId, database->name(), table));
        replyWhenDone(message.id, database->dropTable(table), done);
        return true;
    }
    if (type == protocol::Type::Guard) {
        const QString table = fields.string(QLatin1StringView("table"));
        const bool on = fields.boolean(QLatin1StringView("on"), false);
        const QString text = fields.text(QLatin1StringView("message"), QString());
        const QString linkId = fields.string(QLatin1StringView("link"), QString());
        requireLinkSource(QString(type), linkId, database->name(), table);
        FailoverManager *failover = m_server->failover();
        // A former primary's link must not put its guard on a table promoted since.
        if (failover && fields.has(QLatin1StringView("epoch")))
            failover->checkEpoch(database->name(), table, fields.integer(QLatin1StringView("epoch"), 0, LLONG_MAX));
        if (on && fields.boolean(QLatin1StringView("if_missing"), false)) {
            // A link's check that its replica is still the table it guarded.
            replyWhenDone(message.id, database->ensureReplicaGuard(table, text), [](bool installed) {
                return std::make_pair(protocol::Type::Ok, QCborMap{{QStringLiteral("installed"), installed}});
            });
            return true;
        }
        if (!on && !linkId.isEmpty() && failover) {
            // Another link still needs the guard: removing this one must not lift it.
            if (const LinkDefinition *other = failover->writerOf(database->name(), table, linkId, true)) {
                reply(protocol::Type::Ok, message.id, QCborMap{{QStringLiteral("kept_for"), other->id}});
                return true;
            }
        }
        replyWhenDone(message.id, database->setReplicaGuard(table, on, text), done);
        return true;
    }
    if (type == protocol::Type::Applied) {
        replyWhenDone(message.id, database->appliedSeq(fields.string(QLatin1StringView("link"))), [](qint64 seq) {
            return std::make_pair(protocol::Type::Applied, QCborMap{{QStringLiteral("seq"), seq}});
        });
        return true;
    }
    if (type == protocol::Type::ApplyGroup) {
        handleApplyGroup(message, database);
        return true;
    }
    if (type != protocol::Type::Apply)
        return false;
    const QString applyLink = fields.string(QLatin1StringView("link_id"), QString());
    // Only from the node that is the source of that link, as it registered it.
    if (FailoverManager *registry = m_server->failover()) {
        const QString source = registry->inboundSource(applyLink);
        if (source.isEmpty() || source != m_certName)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            source.isEmpty() ? QCoreApplication::translate("PeerSession", "apply: this node has no link \"%1\" registered by \"%2\"").arg(applyLink, m_certName)
                                             : QCoreApplication::translate("PeerSession", "apply: link %1 comes from node \"%2\", not from \"%3\"").arg(applyLink, source, m_certName));
    }
    const QString table = fields.string(QLatin1StringView("table"));
    QCborArray changes = fields.array(QLatin1StringView("changes"));
    const qint64 lastSeq = fields.integer(QLatin1StringView("last_seq"), 0, LLONG_MAX);
    const MessageFields conflicts(QStringLiteral("apply.conflicts"), fields.map(QLatin1StringView("conflicts")));
    ApplyOptions options;
    options.linkId = fields.string(QLatin1StringView("link"));
    options.origin = m_peerNode;
    if (options.origin.isEmpty())
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("PeerSession", "apply from a peer that gave no node name in its hello"));
    options.localOrigin = m_server->config().name;
    options.detectConflicts = conflicts.boolean(QLatin1StringView("detect"), false);
    const QString policy = conflicts.string(QLatin1StringView("policy"), QStringLiteral("source-wins"));
    options.policy = policy == QLatin1String("newest-wins") ? ConflictPolicy::NewestWins : ConflictPolicy::FixedWinner;
    options.winner = conflicts.string(QLatin1StringView("winner"), QString());
    const QString timestampColumn = options.policy == ConflictPolicy::NewestWins ? conflicts.string(QLatin1StringView("ts_column"), QString()) : QString();
    if (options.detectConflicts && m_server->links()) {
        options.localAckedSeq = m_server->links()->ackedSeq(fields.string(QLatin1StringView("peer_link"), QString()));
        // A local change the peer had not applied when it read this batch is one its rows do
        // not include, even if it has been acknowledged since: still a conflict.
        const qint64 peerApplied = fields.integer(QLatin1StringView("peer_applied"), -1, LLONG_MAX, -1);
        if (peerApplied > 0) {
            options.localAckedSeq = std::min(options.localAckedSeq, peerApplied);
            // ...and those changes stay in the log until the peer has read past them.
            m_server->links()->notePeerApplied(database->name(), table, fields.string(QLatin1StringView("peer_link"), QString()), peerApplied);
        }
    }
    // Every batch is also a heartbeat of the source; a source of an older epoch is refused
    // (stale_epoch) before anything is applied.
    FailoverManager::Heartbeat heartbeat;
    heartbeat.linkId = fields.string(QLatin1StringView("link_id"), QString());
    heartbeat.epoch = fields.integer(QLatin1StringView("epoch"), 0, LLONG_MAX, 0);
    heartbeat.headSeq = fields.integer(QLatin1StringView("head_seq"), 0, LLONG_MAX, 0);
    heartbeat.headAtUs = fields.integer(QLatin1StringView("head_at_us"), 0, LLONG_MAX, 0);
    heartbeat.oldestUnackedAtUs = fields.integer(QLatin1StringView("oldest_unacked_at_us"), 0, LLONG_MAX, 0);
    if (changes.isEmpty())
        heartbeat.coveredSeq = lastSeq;   // the source's acknowledged position
    heartbeat.leased = fields.boolean(QLatin1StringView("leased"), false);
    heartbeat.leaseMs = fields.integer(QLatin1StringView("lease_ms"), 0, INT_MAX, 0);
    FailoverManager *failover = m_server->failover();
    const bool armed = failover && failover->noteHeartbeat(database->name(), table, heartbeat);
    // A part of a source transaction larger than a frame: kept until the final part, so
    // that the target applies the whole transaction at once or not at all.
    if (!fields.boolean(QLatin1StringView("final"), true) && !changes.isEmpty()) {
        constexpr qint64 MaxStagedBytes = qint64(1) << 30;
        StagedChanges &staged = m_staged[options.linkId];
        staged.bytes += QCborValue(changes).toCbor().size();
        if (staged.bytes > MaxStagedBytes) {
            m_staged.remove(options.linkId);
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("PeerSession", "link %1 sent more than %2 MB of one source transaction")
                                                                 .arg(options.linkId).arg(MaxStagedBytes >> 20));
        }
        for (const QCborValue &change : std::as_const(changes))
            staged.changes.append(change);
        reply(protocol::Type::Applied, message.id, QCborMap{{QStringLiteral("applied"), 0}, {QStringLiteral("staged"), staged.changes.size()},
                                                            {QStringLiteral("armed"), armed}});
        return true;
    }
    if (fields.boolean(QLatin1StringView("final"), true) && m_staged.contains(options.linkId)) {
        QCborArray whole = m_staged.take(options.linkId).changes;
        for (const QCborValue &change : std::as_const(changes))
            whole.append(change);
        changes = whole;
    }
    if (changes.isEmpty()) {   // a heartbeat only: nothing to write
        // "armed" (in every answer): this node may promote itself, so the source must hold a
        // write lease.
        reply(protocol::Type::Applied, message.id, QCborMap{{QStringLiteral("applied"), 0}, {QStringLiteral("skipped"), 0}, {QStringLiteral("conflicts"), 0},
                                                            {QStringLiteral("armed"), armed}});
        return true;
    }
    const QString linkId = heartbeat.linkId;
    QPointer<FailoverManager> guardedFailover(failover);
    // New conflicts are an event (the console's event log, ferryctl events): where they are
    // kept and how many.
    EventLog *events = m_server->events();
    const QString where = QStringLiteral("%1.%2").arg(database->name(), table);
    replyWhenDone(message.id,
                  database->applyChanges(table, [changes](const TableSchema &schema) { return wirecodec::decodeChanges(schema, changes, QStringLiteral("apply")); },
                                         lastSeq, options, timestampColumn),
                  [guardedFailover, linkId, armed, events, where](const ApplyResult &result) {
                      if (guardedFailover)
                          guardedFailover->noteApplied(linkId, result.appliedSeq);
                      if (result.conflicts > 0 && events)
                          events->record(NodeEvent::Severity::Warning, linkId, QCoreApplication::translate("PeerSession", "conflicts recorded"),
                                         QCoreApplication::translate("PeerSession", "%1 conflicting changes to %2 decided by the link's policy; both versions are kept in _ferry_conflicts")
                                             .arg(result.conflicts).arg(where));
                      return std::make_pair(protocol::Type::Applied, QCborMap{{QStringLiteral("seq"), result.appliedSeq},
                                                                               {QStringLiteral("armed"), armed},
                                                                               {QStringLiteral("applied"), result.applied},
                                                                               {QStringLiteral("skipped"), result.skipped},
                                                                               {QStringLiteral("conflicts"), result.conflicts},
                                                                               {QStringLiteral("queued_us"), result.queuedUs},
                                                                               {QStringLiteral("work_us"), result.workUs}});
                  });
    return true;
}

void PeerSession::handleApplyGroup(const Message &message, DatabaseService *database)
{
    const MessageFields fields(message);
    const QString group = fields.string(QLatin1StringView("group"));
    if (m_peerNode.isEmpty())
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("PeerSession", "apply from a peer that gave no node name in its hello"));
    FailoverManager *failover = m_server->failover();
    QList<DatabaseService::GroupInput> parts;
    qint64 bytes = 0;
    for (const QCborValue &value : fields.array(QLatin1StringView("parts"))) {
        if (!value.isMap())
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("PeerSession", "apply_group: a part is not a map"));
        const MessageFields part(QStringLiteral("apply_group.parts"), value.toMap());
        DatabaseService::GroupInput input;
        input.table = part.string(QLatin1StringView("table"));
        const QString linkId = part.string(QLatin1StringView("link_id"));
        // Only from the source node of a link into that table, a table of this database link.
        requireLinkSource(QString(protocol::Type::ApplyGroup), linkId, database->name(), input.table);
        const LinkDefinition *link = failover->inboundLink(linkId);
        if (group.isEmpty() || link->memberOf != group)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("PeerSession", "apply_group: link %1 is not a table of database link \"%2\"").arg(linkId, group));
        // A source of an older epoch is refused before anything is applied.
        failover->checkEpoch(database->name(), input.table, part.integer(QLatin1StringView("epoch"), 0, LLONG_MAX, 0));
        input.linkId = linkId;
        input.linkKey = link->appliedKey();
        input.lastSeq = part.integer(QLatin1StringView("last_seq"), 0, LLONG_MAX);
        input.changes = part.array(QLatin1StringView("changes"));
        bytes += QCborValue(input.changes).toCbor().size();
        parts.append(std::move(input));
    }
    if (fields.boolean(QLatin1StringView("begin"), true))
        m_stagedGroups.remove(group);
    if (!fields.boolean(QLatin1StringView("final"), true)) {
        constexpr qint64 MaxStagedBytes = qint64(1) << 30;
        StagedGroup &staged = m_stagedGroups[group];
        staged.bytes += bytes;
        if (staged.bytes > MaxStagedBytes) {
            m_stagedGroups.remove(group);
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("PeerSession", "link %1 sent more than %2 MB of one source transaction")
                                                                 .arg(group).arg(MaxStagedBytes >> 20));
        }
        staged.parts.append(parts);
        reply(protocol::Type::Applied, message.id, QCborMap{{QStringLiteral("applied"), 0}, {QStringLiteral("staged"), staged.parts.size()}});
        return;
    }
    if (m_stagedGroups.contains(group)) {
        QList<DatabaseService::GroupInput> whole = m_stagedGroups.take(group).parts;
        whole.append(parts);
        parts = whole;
    }
    // A table's parts in one (the source reads a table's log in order, part after part).
    QList<DatabaseService::GroupInput> merged;
    QStringList mergedLinks;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const qsizetype at = [&] {
            for (qsizetype j = 0; j < merged.size(); ++j) {
                if (merged.at(j).table == parts.at(i).table)
                    return j;
            }
            return qsizetype(-1);
        }();
        if (at < 0) {
            merged.append(parts.at(i));
            mergedLinks.append(parts.at(i).linkId);
            continue;
        }
        for (const QCborValue &change : parts.at(i).changes)
            merged[at].changes.append(change);
        merged[at].lastSeq = std::max(merged.at(at).lastSeq, parts.at(i).lastSeq);
    }
    if (merged.isEmpty()) {
        reply(protocol::Type::Applied, message.id, QCborMap{{QStringLiteral("applied"), 0}});
        return;
    }
    QPointer<FailoverManager> guardedFailover(failover);
    replyWhenDone(message.id, database->applyGroup(merged, m_peerNode), [guardedFailover, mergedLinks](const QList<ApplyResult> &results) {
        qint64 applied = 0;
        QCborArray seqs;
        for (qsizetype i = 0; i < results.size(); ++i) {
            if (guardedFailover)
                guardedFailover->noteApplied(mergedLinks.at(i), results.at(i).appliedSeq);
            applied += results.at(i).applied;
            seqs.append(results.at(i).appliedSeq);
        }
        return std::make_pair(protocol::Type::Applied, QCborMap{{QStringLiteral("applied"), applied}, {QStringLiteral("seqs"), seqs}});
    });
}

void PeerSession::requireLinkSource(const QString &request, const QString &linkId, const QString &database, const QString &table) const
{
    const LinkDefinition *link = m_server->failover() && !linkId.isEmpty() ? m_server->failover()->inboundLink(linkId) : nullptr;
    if (!link)
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        linkId.isEmpty() ? QCoreApplication::translate("PeerSession", "%1 on %2.%3 names no link; only the source node of a link into that table may ask it")
                                               .arg(request, database, table)
                                         : QCoreApplication::translate("PeerSession", "%1: this node has no link \"%2\" registered by \"%3\"").arg(request, linkId, m_certName));
    if (link->sourceNode != m_certName)
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        QCoreApplication::translate("PeerSession", "%1: link %2 comes from node \"%3\", not from \"%4\"").arg(request, linkId, link->sourceNode, m_certName));
    if (link->targetDatabase != database || link->targetTable != table)
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        QCoreApplication::translate("PeerSession", "%1: link %2 writes %3.%4, not %5.%6")
                            .arg(request, linkId, link->targetDatabase, link->targetTable, database, table));
}

void PeerSession::requireRepairGrant(const QString &database, const QString &table) const
{
    if (!m_server->useRepairGrant(database, table, m_certName))
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        QCoreApplication::translate("PeerSession", "replace on %1.%2 names no link, and no admin allowed node \"%3\" to repair that table "
                                                    "(ferryctl compare --repair does)")
                            .arg(database, table, m_certName));
}

void PeerSession::requireLinkPeer(const QString &request, const QString &linkId) const
{
    LinkRunner *runner = m_server->links()->find(linkId);
    if (!runner)
        return;   // answered unknown_link further on
    const LinkDefinition link = runner->definition();
    if (link.reverseOf.isEmpty() || link.targetNode != m_certName)
        throw WireError(protocol::ErrorCode::WrongIdentity,
                        QCoreApplication::translate("PeerSession", "%1: link %2 is not the reverse half of a link from node \"%3\"").arg(request, linkId, m_certName));
}

void PeerSession::handleLinkRequest(const Message &message)
{
    LinkManager *links = m_server->links();
    const MessageFields fields(message);
    const QString &type = message.type;
    const qint64 id = message.id;
    if (type == protocol::Type::LinkList) {
        reply(protocol::Type::Links, id, QCborMap{{QStringLiteral("links"), links->list()}});
        return;
    }
    if (type == protocol::Type::LinkCreate) {
        LinkDefinition link;
        QCborMap definition = fields.map(QLatin1StringView("link"));
        // The reverse half of a bidirectional link reaches back to the node that asked: it
        // comes without a target host (filled in before the definition is checked, which
        // requires one).
        const QCborValue host = definition.value(QStringLiteral("target_host"));
        if (host.isUndefined() || host.isNull() || (host.isString() && host.toString().trimmed().isEmpty()))
            definition.insert(QStringLiteral("target_host"), m_socket->peerAddress().toString());
        try {
            link = LinkDefinition::fromCbor(definition);
        } catch (const WireError &) {
            throw;
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::BadMessage, error.message());
        }
        // A node creates only the reverse half of a bidirectional link it is the source of:
        // running from this node back to it, for a forward half it registered here.
        if (m_role == Role::Node) {
            const LinkDefinition *forward = m_server->failover() ? m_server->failover()->inboundLink(link.reverseOf) : nullptr;
            if (link.reverseOf.isEmpty() || link.sourceNode != m_server->config().name || link.targetNode != m_certName || !forward
                || forward->sourceNode != m_certName)
                throw WireError(protocol::ErrorCode::WrongIdentity,
                                QCoreApplication::translate("PeerSession", "link_create: node \"%1\" may only create the reverse half of a link it registered "
                                                            "here; %2 is not one")
                                    .arg(m_certName, link.id));
        }
        // The link starts in the epoch this node's role of its table is in (refused while the
        // table is another link's replica).
        if (m_server->failover())
            link.epoch = m_server->failover()->epochForNewLink(link);
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1 asked to create link %2").arg(m_peerName, link.id);
        replyWhenDone(id, links->create(link), [links](const LinkDefinition &created) {
            return std::make_pair(protocol::Type::Link, links->describe(created.id));
        });
        return;
    }
    const QString linkId = fields.string(QLatin1StringView("link"));
    if (m_role == Role::Node)
        requireLinkPeer(QString(type), linkId);
    if (type == protocol::Type::LinkShow) {
        reply(protocol::Type::Link, id, links->describe(linkId));
    } else if (type == protocol::Type::LinkPause || type == protocol::Type::LinkResume) {
        QFuture<void> done = links->setPaused(linkId, type == protocol::Type::LinkPause);
        qInfo().noquote() << (type == protocol::Type::LinkPause ? QCoreApplication::translate("PeerSession", "%1: link %2 paused")
                                                                : QCoreApplication::translate("PeerSession", "%1: link %2 resumed"))
                                 .arg(m_peerName, linkId);
        // Answered once the reverse half of a bidirectional link has followed.
        replyWhenDone(id, done,
                      [links, linkId](bool) { return std::make_pair(protocol::Type::Link, links->describe(linkId)); });
    } else if (type == protocol::Type::LinkVerify) {
        // repair (default true): false asks for a read-only check that lists the differing keys.
        links->verifyNow(linkId, fields.boolean(QLatin1StringView("repair"), true), fields.string(QLatin1StringView("table"), QString()));
        reply(protocol::Type::Link, id, links->describe(linkId));
    } else if (type == protocol::Type::LinkSet) {
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1: changing settings of link %2").arg(m_peerName, linkId);
        replyWhenDone(id, links->setSettings(linkId, fields.map(QLatin1StringView("settings"))), [links, linkId](const LinkDefinition &) {
            return std::make_pair(protocol::Type::Link, links->describe(linkId));
        });
    } else if (type == protocol::Type::LinkResync) {
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1: resynchronizing link %2").arg(m_peerName, linkId);
        links->resync(linkId, fields.string(QLatin1StringView("table"), QString()));
        reply(protocol::Type::Link, id, links->describe(linkId));
    } else if (type == protocol::Type::LinkRemove) {
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1: removing link %2").arg(m_peerName, linkId);
        replyWhenDone(id, links->remove(linkId), [](bool) { return std::make_pair(protocol::Type::Ok, QCborMap()); });
    } else {
        throw WireError(protocol::ErrorCode::UnknownMessage, QCoreApplication::translate("PeerSession", "unknown message \"%1\"").arg(type));
    }
}

void PeerSession::handleSubscribe(const Message &message)
{
    if (m_subscription < 0) {
        connect(m_server->links(), &LinkManager::statsPublished, this, [this](const QCborArray &stats) {
            reply(protocol::Type::LinkStats, m_subscription, QCborMap{{QStringLiteral("links"), stats}});
        });
        connect(m_server->events(), &EventLog::recorded, this, [this](const NodeEvent &event) {
            reply(protocol::Type::Event, m_subscription, QCborMap{{QStringLiteral("event"), event.toCbor()}});
        });
        connect(m_server->links(), &LinkManager::progressUpdated, this, [this](const QString &linkId, const VerificationProgress &progress) {
            reply(protocol::Type::Blocks, m_subscription, QCborMap{{QStringLiteral("link"), linkId}, {QStringLiteral("progress"), wirecodec::encodeProgress(progress)}});
        });
    }
    m_subscription = message.id;
    reply(protocol::Type::Ok, message.id);
}

bool PeerSession::handleFailoverRequest(const Message &message)
{
    FailoverManager *failover = m_server->failover();
    const MessageFields fields(message);
    const QString &type = message.type;
    const qint64 id = message.id;
    auto answer = [](QLatin1StringView replyType) {
        return [replyType](const QCborMap &body) { return std::make_pair(replyType, body); };
    };
    if (type == protocol::Type::LinkRegister) {
        LinkDefinition link;
        try {
            link = LinkDefinition::fromCbor(fields.map(QLatin1StringView("link")));
        } catch (const WireError &) {
            throw;
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::BadMessage, error.message());
        }
        // A node registers only the links it is the source of, and cannot take over one
        // that another node registered.
        const QString registered = failover->inboundSource(link.id);
        if (!registered.isEmpty() && registered != m_certName)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("PeerSession", "register_link: link %1 is registered by node \"%2\", not by \"%3\"")
                                .arg(link.id, registered, m_certName));
        if (link.sourceNode != m_certName)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("PeerSession", "register_link: link %1 comes from node \"%2\", not from \"%3\", the certificate that asks")
                                .arg(link.id, link.sourceNode, m_certName));
        failover->registerInbound(link, m_socket->peerAddress().toString(), quint16(fields.integer(QLatin1StringView("source_port"), 1, 65535)),
                                  fields.boolean(QLatin1StringView("dry_run"), false));
        reply(protocol::Type::Ok, id);
    } else if (type == protocol::Type::LinkUnregister) {
        const QString linkId = fields.string(QLatin1StringView("link"));
        // A link nobody registered is forgotten already; one another node registered is not
        // this peer's to drop.
        const QString source = failover->inboundSource(linkId);
        if (!source.isEmpty() && source != m_certName)
            throw WireError(protocol::ErrorCode::WrongIdentity,
                            QCoreApplication::translate("PeerSession", "unregister_link: link %1 is registered by node \"%2\", not by \"%3\"")
                                .arg(linkId, source, m_certName));
        failover->unregisterInbound(linkId, m_certName);
        reply(protocol::Type::Ok, id);
    } else if (type == protocol::Type::Failover) {
        const QString linkId = fields.string(QLatin1StringView("link"));
        const QString to = fields.string(QLatin1StringView("to"));
        const bool force = fields.boolean(QLatin1StringView("force"), false);
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1 asked to fail link %2 over to %3%4")
                                 .arg(m_peerName, linkId, to, force ? QStringLiteral(" (forced)") : QString());
        replyWhenDone(id, failover->failover(linkId, to, force), answer(protocol::Type::Failover));
    } else if (type == protocol::Type::FailoverAck) {
        failover->acknowledge(fields.string(QLatin1StringView("link")));
        reply(protocol::Type::Ok, id);
    } else if (type == protocol::Type::Promote) {
        replyWhenDone(id, failover->promote(message.body, m_certName, m_socket->peerAddress().toString()), answer(protocol::Type::Ok));
    } else if (type == protocol::Type::Demote) {
        replyWhenDone(id, failover->demote(message.body, m_certName, m_socket->peerAddress().toString()), answer(protocol::Type::Ok));
    } else if (type == protocol::Type::FailoverPlan) {
        if (fields.has(QLatin1StringView("side_of")))
            reply(protocol::Type::FailoverPlan, id, failover->replicaSideOfPlan(fields.map(QLatin1StringView("side_of")), m_certName));
        else
            replyWhenDone(id, failover->plan(fields.string(QLatin1StringView("link")), fields.string(QLatin1StringView("to")), fields.boolean(QLatin1StringView("force"), false)),
                          answer(protocol::Type::FailoverPlan));
    } else if (type == protocol::Type::Lease) {
        const bool armed = failover->noteLease(fields.string(QLatin1StringView("db")), fields.string(QLatin1StringView("table")),
                                               fields.string(QLatin1StringView("link_id")), fields.integer(QLatin1StringView("epoch"), 0, LLONG_MAX),
                                               fields.integer(QLatin1StringView("lease_ms"), 0, INT_MAX), m_certName);
        reply(protocol::Type::Ok, id, QCborMap{{QStringLiteral("armed"), armed}});
    } else if (type == protocol::Type::Probe) {
        replyWhenDone(id, failover->probe(fields.string(QLatin1StringView("host")), quint16(fields.integer(QLatin1StringView("port"), 1, 65535))),
                      answer(protocol::Type::Probe));
    } else if (type == protocol::Type::Health) {
        reply(protocol::Type::Health, id, QCborMap{{QStringLiteral("node"), m_server->config().name},
                                                   {QStringLiteral("heartbeat_ms"), m_server->config().heartbeatMs},
                                                   {QStringLiteral("peers"), failover->health()}});
    } else if (type == protocol::Type::Events) {
        QCborArray events;
        for (const NodeEvent &event : m_server->events()->recent(int(fields.integer(QLatin1StringView("count"), 1, 5000, 100))))
            events.append(event.toCbor());
        reply(protocol::Type::Events, id, QCborMap{{QStringLiteral("events"), events}});
    } else if (type == protocol::Type::Conflicts) {
        DatabaseService *database = m_server->database(fields.string(QLatin1StringView("db")));
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, fields.string(QLatin1StringView("db"))));
        replyWhenDone(id, database->conflicts(int(fields.integer(QLatin1StringView("limit"), 1, 100000, 1000))), [](const QList<StoredConflict> &rows) {
            QCborArray conflicts;
            for (const StoredConflict &row : rows) {
                conflicts.append(QCborMap{{QStringLiteral("id"), row.id}, {QStringLiteral("at_us"), row.atUs}, {QStringLiteral("link"), row.link},
                                          {QStringLiteral("table"), row.table}, {QStringLiteral("key"), row.key}, {QStringLiteral("kept"), row.kept},
                                          {QStringLiteral("lost"), row.lost}, {QStringLiteral("lost_origin"), row.lostOrigin}, {QStringLiteral("reason"), row.reason},
                                          {QStringLiteral("columns"), QCborArray::fromStringList(row.columns)},
                                          {QStringLiteral("column_types"), QCborArray::fromStringList(row.columnTypes)}});
            }
            return std::make_pair(protocol::Type::Conflicts, QCborMap{{QStringLiteral("conflicts"), conflicts}});
        }, true);
    } else if (type == protocol::Type::ConflictApply) {
        const QString dbName = fields.string(QLatin1StringView("db"));
        DatabaseService *database = m_server->database(dbName);
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, dbName));
        ConflictVersionRequest request;
        request.conflictId = fields.integer(QLatin1StringView("conflict"), 1, LLONG_MAX);
        request.table = fields.string(QLatin1StringView("table"));
        request.key = fields.text(QLatin1StringView("key"), QString());
        const QString version = fields.string(QLatin1StringView("version"));
        if (version != QLatin1String("kept") && version != QLatin1String("lost"))
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("PeerSession", "conflict_apply: version must be \"kept\" or \"lost\", not \"%1\"").arg(version));
        request.lost = version == QLatin1String("lost");
        request.values = fields.text(QLatin1StringView("values"), QString());
        qInfo().noquote() << QCoreApplication::translate("PeerSession", "%1 asked to write the %2 version of conflict %3 (%4.%5, key %6)")
                                 .arg(m_peerName, version)
                                 .arg(request.conflictId)
                                 .arg(dbName, request.table, request.key);
        replyWhenDone(id, database->applyConflictVersion(request), [](const ConflictVersionWritten &written) {
            return std::make_pair(protocol::Type::ConflictApplied, QCborMap{{QStringLiteral("table"), written.table}, {QStringLiteral("key"), written.key},
                                                                            {QStringLiteral("deleted"), written.deleted}});
        });
    } else if (type == protocol::Type::Scan) {
        DatabaseService *database = m_server->database(fields.string(QLatin1StringView("db")));
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, fields.string(QLatin1StringView("db"))));
        const QCborValue range = message.body.value(QStringLiteral("range"));
        const int limit = int(fields.integer(QLatin1StringView("limit"), 1, protocol::MaxScanRows));
        auto schemaHolder = std::make_shared<TableSchema>();
        replyWhenDone(id, database->readRange(fields.string(QLatin1StringView("table")), [range, schemaHolder](const TableSchema &schema) {
            *schemaHolder = schema;
            return wirecodec::decodeRange(schema.keyTypes(), range, QStringLiteral("scan"));
        }, limit), [schemaHolder](const QList<Row> &rows) {
            QCborArray encoded;
            for (const Row &row : rows)
                encoded.append(wirecodec::encodeRow(*schemaHolder, row));
            return std::make_pair(protocol::Type::Rows, QCborMap{{QStringLiteral("rows"), encoded}});
        }, true);
    } else if (type == protocol::Type::Rows) {
        DatabaseService *database = m_server->database(fields.string(QLatin1StringView("db")));
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase, QCoreApplication::translate("PeerSession", "node %1 has no database \"%2\"").arg(m_server->config().name, fields.string(QLatin1StringView("db"))));
        const QCborArray keys = fields.array(QLatin1StringView("keys"));
        const QString table = fields.string(QLatin1StringView("table"));
        auto schemaHolder = std::make_shared<TableSchema>();
        replyWhenDone(id, database->fetch(table, [keys, schemaHolder](const TableSchema &schema) {
            *schemaHolder = schema;
            QList<Key> decoded;
            for (const QCborValue &key : keys)
                decoded.append(wirecodec::decodeKey(schema.keyTypes(), key, QStringLiteral("rows")));
            return decoded;
        }), [schemaHolder](const QList<Row> &rows) {
            QCborArray encoded;
            for (const Row &row : rows)
                encoded.append(wirecodec::encodeRow(*schemaHolder, row));
            return std::make_pair(protocol::Type::Rows, QCborMap{{QStringLiteral("rows"), encoded}});
        }, true);
    } else {
        return false;
    }
    return true;
}

} // namespace ferry
