#include "replication/linkmanager.h"

#include "capture/logicalcapture.h"
#include "wire/datacodec.h"
#include "net/nodeclient.h"
#include "net/remoteendpoint.h"
#include "util/runinpool.h"
#include "util/whenfinished.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QThread>

namespace ferry {

namespace {

QCborMap checkpointToCbor(const LinkCheckpoint &checkpoint)
{
    return QCborMap{{QStringLiteral("synced"), checkpoint.synced},
                    {QStringLiteral("start_seq"), checkpoint.startSeq},
                    {QStringLiteral("acked_seq"), checkpoint.ackedSeq},
                    {QStringLiteral("last_verify_at_ms"), checkpoint.lastVerifyAtMs},
                    {QStringLiteral("verify_pending"), checkpoint.verifyPending},
                    {QStringLiteral("resync_reason"), checkpoint.resyncReason},
                    {QStringLiteral("mark"), checkpoint.mark},
                    {QStringLiteral("next_mark"), checkpoint.nextMark}};
}

LinkCheckpoint checkpointFromCbor(const QCborMap &map)
{
    LinkCheckpoint checkpoint;
    checkpoint.synced = map.value(QStringLiteral("synced")).toBool();
    checkpoint.startSeq = map.value(QStringLiteral("start_seq")).toInteger();
    checkpoint.ackedSeq = map.value(QStringLiteral("acked_seq")).toInteger();
    checkpoint.lastVerifyAtMs = map.value(QStringLiteral("last_verify_at_ms")).toInteger();
    checkpoint.verifyPending = map.value(QStringLiteral("verify_pending")).toBool();
    checkpoint.resyncReason = map.value(QStringLiteral("resync_reason")).toString();
    checkpoint.mark = map.value(QStringLiteral("mark")).toString();
    checkpoint.nextMark = map.value(QStringLiteral("next_mark")).toString();
    return checkpoint;
}

} // namespace

LinkManager::LinkManager(const NodeConfig &config, const QSslConfiguration &tls, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_tls(tls)
{
    m_checks.setMaxThreadCount(2);
    m_reverse.setMaxThreadCount(1);
    m_publish.setInterval(250);
    connect(&m_publish, &QTimer::timeout, this, [this] {
        if (m_links.empty())
            return;
        QCborArray stats;
        for (const auto &[id, entry] : m_links) {
            if (entry.runner->definition().memberOf.isEmpty())
                stats.append(entry.runner->stats().toCbor());
        }
        for (const auto &[id, database] : m_databases)
            stats.append(databaseStats(database).toCbor());
        emit statsPublished(stats);
    });
    m_publish.start();
    m_scan.setInterval(2000);
    connect(&m_scan, &QTimer::timeout, this, &LinkManager::scanDatabaseLinks);
    m_scan.start();
    m_saveSoon.setSingleShot(true);
    connect(&m_saveSoon, &QTimer::timeout, this, &LinkManager::save);
    m_saveTimer.setInterval(1000);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] {
        if (m_dirty)
            save();
    });
    m_saveTimer.start();
}

LinkManager::~LinkManager()
{
    for (auto &[id, entry] : m_links)
        entry.runner->stop(false);
    if (m_dirty)
        save();
    m_checks.waitForDone();
    m_reverse.waitForDone();
}

QString LinkManager::statePath() const
{
    return QDir(m_config.dataDirectory).filePath(QStringLiteral("links.json"));
}

void LinkManager::load()
{
    QFile file(statePath());
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("LinkManager", "%1: cannot read: %2").arg(file.fileName(), file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw FerryError(QCoreApplication::translate("LinkManager", "%1: not valid JSON: %2").arg(file.fileName(), error.errorString()));
    for (const QJsonValue &value : document.object().value(QStringLiteral("databases")).toArray()) {
        try {
            DatabaseLink database = DatabaseLink::fromCbor(QCborValue::fromJsonValue(value).toMap());
            m_databases[database.link.id] = database;
        } catch (const FerryError &problem) {
            throw FerryError(QStringLiteral("%1: %2").arg(file.fileName(), problem.message()));
        }
    }
    for (const QJsonValue &value : document.object().value(QStringLiteral("links")).toArray()) {
        const QCborMap entry = QCborValue::fromJsonValue(value).toMap();
        LinkDefinition link;
        try {
            link = LinkDefinition::fromCbor(entry.value(QStringLiteral("link")).toMap());
        } catch (const FerryError &problem) {
            throw FerryError(QStringLiteral("%1: %2").arg(file.fileName(), problem.message()));
        }
        startRunner(link, checkpointFromCbor(entry.value(QStringLiteral("checkpoint")).toMap()));
    }
}

void LinkManager::saveSoon()
{
    if (m_saveSoon.isActive())
        return;
    const qint64 since = m_sinceSave.isValid() ? m_sinceSave.elapsed() : SaveGapMs;
    m_saveSoon.start(int(std::max<qint64>(0, SaveGapMs - since)));
}

void LinkManager::save()
{
    m_saveSoon.stop();
    m_sinceSave.start();
    QJsonArray links;
    for (const auto &[id, entry] : m_links) {
        links.append(QCborMap{{QStringLiteral("link"), entry.runner->definition().toCbor()},
                              {QStringLiteral("checkpoint"), checkpointToCbor(entry.runner->checkpoint())}}
                         .toJsonObject());
    }
    QSaveFile file(statePath());
    if (!file.open(QIODevice::WriteOnly)) {
        qWarning().noquote() << QCoreApplication::translate("LinkManager", "%1: cannot write: %2").arg(file.fileName(), file.errorString());
        return;
    }
    QJsonObject state{{QStringLiteral("links"), links}};
    if (!m_databases.empty()) {
        QJsonArray databases;
        for (const auto &[id, database] : m_databases)
            databases.append(database.toCbor().toJsonObject());
        state.insert(QStringLiteral("databases"), databases);
    }
    file.write(QJsonDocument(state).toJson());
    if (!file.commit()) {
        qWarning().noquote() << QCoreApplication::translate("LinkManager", "%1: cannot write: %2").arg(file.fileName(), file.errorString());
        return;
    }
    m_dirty = false;
}

void LinkManager::startRunner(const LinkDefinition &link, const LinkCheckpoint &checkpoint)
{
    auto runner = std::make_unique<LinkRunner>(m_config, m_tls, link, checkpoint, &m_acks);
    if (!link.memberOf.isEmpty()) {
        std::shared_ptr<TransactionFeed> &feed = m_feeds[link.memberOf];
        if (!feed)
            feed = std::make_shared<TransactionFeed>(link.memberOf, link.targetDatabase, &m_acks);
        // Known before any table's runner steps: a child's initial sync waits for its parents.
        feed->noteTable(link.sourceTable, checkpoint.synced);
        runner->setFeed(feed);
    }
    // Saved at once (a runner reports at most once a second while streaming): a node killed
    // right after an initial sync must not forget that it completed, or it would sync the
    // whole table again and, after a failover, count what the sync copied as unreplicated.
    // Many links (a database link's tables) report at once: their reports are written
    // together, at most every SaveGapMs.
    connect(runner.get(), &LinkRunner::checkpointChanged, this, &LinkManager::saveSoon, Qt::QueuedConnection);
    connect(runner.get(), &LinkRunner::progressUpdated, this, &LinkManager::progressUpdated, Qt::QueuedConnection);
    connect(runner.get(), &LinkRunner::definitionChanged, this, [this] { m_dirty = true; }, Qt::QueuedConnection);
    connect(runner.get(), &LinkRunner::demotionRequired, this, &LinkManager::demotionRequired, Qt::QueuedConnection);
    connect(runner.get(), &LinkRunner::eventOccurred, this, &LinkManager::eventOccurred, Qt::QueuedConnection);
    // What the link has acknowledged holds its changes in the source's log from the start:
    // another link on the same table must not prune them while this one cannot reach its
    // target (the runner registers its position only once it has connected).
    if (link.mode == LinkDefinition::Mode::Continuous && checkpoint.synced)
        m_acks.set(link.sourceDatabase, link.sourceTable, link.id, checkpoint.ackedSeq);
    runner->start();
    m_links[link.id].runner = std::move(runner);
}

LinkRunner &LinkManager::runner(const QString &id) const
{
    const auto it = m_links.find(id);
    if (it == m_links.end())
        throw WireError(protocol::ErrorCode::UnknownLink, QCoreApplication::translate("LinkManager", "node %1 runs no link \"%2\"").arg(m_config.name, id));
    return *it->second.runner;
}

QFuture<LinkDefinition> LinkManager::create(const LinkDefinition &requested)
{
    if (m_links.count(requested.id) || m_databases.count(requested.id) || m_creating.contains(requested.id))
        return QtFuture::makeExceptionalFuture<LinkDefinition>(std::make_exception_ptr(WireError(
            protocol::ErrorCode::LinkExists, QCoreApplication::translate("LinkManager", "node %1 already runs a link \"%2\"").arg(m_config.name, requested.id))));
    m_creating.insert(requested.id);
    if (requested.isDatabaseLink())
        return createDatabaseLink(requested);
    const NodeConfig config = m_config;
    const QSslConfiguration tls = m_tls;
    // Everything is checked in a worker thread before anything is stored or written.
    const QFuture<LinkDefinition> checked = runInPool(&m_checks, [requested, config, tls] {
        LinkDefinition link = requested;
        link.sourceNode = config.name;
        const NodeConfig::Database *database = config.database(link.sourceDatabase);
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase,
                            QCoreApplication::translate("LinkManager", "node %1 has no database \"%2\"").arg(config.name, link.sourceDatabase));
        TableSchema sourceSchema;
        try {
            auto store = Store::open(database->source, Store::Options{true, 5000});
            sourceSchema = store->describe(link.sourceTable);
            store->setRowFilter(link.sourceTable, link.filter);
            // What reading the WAL needs from the server, before anything is created.
            if (LinkRunner::capturesFromWal(link, database->source))
                LogicalCapture::checkServer(database->source, link.sourceTable, link.id);
        } catch (const WireError &) {
            throw;
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Database, error.message());
        }
        if (!link.timestampColumn.isEmpty() && sourceSchema.columnIndex(link.timestampColumn) < 0)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("LinkManager", "table \"%1\" has no column \"%2\" (timestamp_column)")
                                                                 .arg(link.sourceTable, link.timestampColumn));
        NodeClient::Options options;
        options.clientName = config.name;
        options.connectTimeoutMs = 5000;
        NodeClientThread connection(link.targetHost, link.targetPort, tls, options);
        NodeHello hello;
        try {
            hello = connection.connectAndWait();
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Unreachable,
                            QCoreApplication::translate("LinkManager", "cannot reach the target node: %1").arg(error.message()));
        }
        if (!link.targetNode.isEmpty() && link.targetNode != hello.node)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("LinkManager", "%1:%2 is node %3, not %4")
                                                                 .arg(link.targetHost).arg(link.targetPort).arg(hello.node, link.targetNode));
        link.targetNode = hello.node;
        if (hello.node == config.name && link.targetDatabase == link.sourceDatabase && link.targetTable == link.sourceTable)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("LinkManager", "source and target are the same table (%1 on %2)")
                                                                 .arg(link.sourceTable, config.name));
        const Message tables = connection.client()->request(protocol::Type::Tables, QCborMap{{QStringLiteral("db"), link.targetDatabase}}).result();
        bool exists = false;
        for (const QCborValue &name : MessageFields(tables).array(QLatin1StringView("tables")))
            exists = exists || name.toString() == link.targetTable;
        if (exists) {
            RemoteEndpoint target(connection.client(), link.targetDatabase);
            const QString difference = schemaDifference(sourceSchema, target.describe(link.targetTable).result());
            if (!difference.isEmpty())
                throw WireError(protocol::ErrorCode::Database, QCoreApplication::translate("LinkManager", "schemas differ: %1").arg(difference));
        }
        // The target refuses a second writer of its table before anything is stored.
        try {
            connection.client()->request(protocol::Type::LinkRegister, QCborMap{{QStringLiteral("link"), link.toCbor()},
                                                                                {QStringLiteral("source_port"), config.listenPort},
                                                                                {QStringLiteral("dry_run"), true}})
                .result();
        } catch (const WireError &error) {
            if (error.code() == protocol::ErrorCode::WriterExists)
                throw;
        }
        return link;
    });
    return thenIn(this, checked, [this, id = requested.id](const QFuture<LinkDefinition> &done) {
        m_creating.remove(id);
        const LinkDefinition link = resultOf(done);   // rethrows what the checks found
        LinkCheckpoint checkpoint;
        // The reverse half of a bidirectional link starts from tables the forward half syncs.
        checkpoint.synced = !link.reverseOf.isEmpty();
        startRunner(link, checkpoint);
        save();
        emit eventOccurred(0, link.id, QCoreApplication::translate("LinkManager", "link created"),
                           QCoreApplication::translate("LinkManager", "%1.%2 to %3 %4.%5").arg(link.sourceDatabase, link.sourceTable, link.targetNode, link.targetDatabase, link.targetTable));
        qInfo().noquote() << QCoreApplication::translate("LinkManager", "link %1 created: %2.%3 -> %4 %5.%6 (%7, %8)")
                                 .arg(link.id, link.sourceDatabase, link.sourceTable, link.targetNode, link.targetDatabase, link.targetTable,
                                      LinkDefinition::modeName(link.mode), LinkDefinition::directionName(link.direction));
        return link;
    });
}

QFuture<void> LinkManager::setPaused(const QString &id, bool paused)
{
    if (const auto database = m_databases.find(id); database != m_databases.end()) {
        database->second.link.paused = paused;
        for (const auto &[table, member] : membersOf(id))
            member->setPaused(paused);
        emit eventOccurred(0, id, paused ? QCoreApplication::translate("LinkManager", "link paused") : QCoreApplication::translate("LinkManager", "link resumed"),
                           paused ? QCoreApplication::translate("LinkManager", "every table; changes wait in the source's logs")
                                  : QCoreApplication::translate("LinkManager", "every table, streaming from where it stopped"));
        save();
        return QtFuture::makeReadyFuture();
    }
    LinkRunner &link = runner(id);
    link.setPaused(paused);
    emit eventOccurred(0, id, paused ? QCoreApplication::translate("LinkManager", "link paused") : QCoreApplication::translate("LinkManager", "link resumed"),
                       paused ? QCoreApplication::translate("LinkManager", "changes wait in the source's log")
                              : QCoreApplication::translate("LinkManager", "streaming from where it stopped"));
    save();   // the flag is part of the stored definition
    const LinkDefinition definition = link.definition();
    if (definition.direction != LinkDefinition::Direction::Bidirectional || !definition.reverseOf.isEmpty())
        return QtFuture::makeReadyFuture();
    return tellReverse(definition, paused ? protocol::Type::LinkPause : protocol::Type::LinkResume);
}

namespace {

// Sends type {link: ID.reverse} to the target node of the forward half link, and waits for
// the answer. Blocking: in a worker thread.
void tellReverseNow(const LinkDefinition &link, const QSslConfiguration &tls, const QString &node, const QByteArray &typeName)
{
    NodeClient::Options options;
    options.clientName = node;
    options.connectTimeoutMs = 5000;
    const QString reverseId = link.id + QStringLiteral(".reverse");
    try {
        NodeClientThread connection(link.targetHost, link.targetPort, tls, options);
        connection.connectAndWait();
        connection.client()->request(QLatin1StringView(typeName), QCborMap{{QStringLiteral("link"), reverseId}}).result();
    } catch (const WireError &error) {
        if (error.code() == protocol::ErrorCode::UnknownLink)
            return;   // not created yet: the forward half creates it with its own state
        const QString message = QCoreApplication::translate("LinkManager", "link %1 on %2: the reverse direction %3 on %4 could not be told (%5): %6")
                                    .arg(link.id, node, reverseId, link.targetNode, QString::fromLatin1(typeName), error.message());
        qWarning().noquote() << message;
        throw WireError(protocol::ErrorCode::Unreachable, message);
    }
}

} // namespace

QFuture<void> LinkManager::tellReverse(const LinkDefinition &link, QLatin1StringView type)
{
    return runInPool(&m_reverse, [link, tls = m_tls, node = m_config.name, typeName = QByteArray(type.data(), type.size())] {
        tellReverseNow(link, tls, node, typeName);
    });
}

void LinkManager::verifyNow(const QString &id, bool repair, const QString &table)
{
    if (!m_databases.count(id)) {
        if (!table.isEmpty() && runner(id).definition().sourceTable != table)
            throw WireError(protocol::ErrorCode::UnknownLink, QCoreApplication::translate("LinkManager", "link %1 replicates one table, not \"%2\"").arg(id, table));
        runner(id).verifyNow(repair);
        return;
    }
    const auto members = membersOf(id);
    if (!table.isEmpty() && !members.count(table))
        throw WireError(protocol::ErrorCode::UnknownLink, QCoreApplication::translate("LinkManager", "database link %1 replicates no table \"%2\"").arg(id, table));
    for (const auto &[name, member] : members) {
        if (table.isEmpty() || name == table)
            member->verifyNow(repair);
    }
}

void LinkManager::resync(const QString &id, const QString &table)
{
    if (!m_databases.count(id)) {
        runner(id).resync();
        return;
    }
    const auto members = membersOf(id);
    if (!table.isEmpty() && !members.count(table))
        throw WireError(protocol::ErrorCode::UnknownLink, QCoreApplication::translate("LinkManager", "database link %1 replicates no table \"%2\"").arg(id, table));
    for (const auto &[name, member] : members) {
        if (table.isEmpty() || name == table)
            member->resync();
    }
}

QFuture<void> LinkManager::remove(const QString &id)
{
    if (m_databases.count(id)) {
        // Every table's link goes, each lifting its guard and dropping its capture.
        std::vector<std::shared_ptr<LinkRunner>> members;
        for (const auto &[table, member] : membersOf(id)) {
            auto node = m_links.extract(member->definition().id);
            members.push_back(std::shared_ptr<LinkRunner>(std::move(node.mapped().runner)));
        }
        m_databases.erase(id);
        m_feeds.erase(id);
        save();
        emit eventOccurred(0, id, QCoreApplication::translate("LinkManager", "link removed"),
                           QCoreApplication::translate("LinkManager", "%n table(s): guards lifted, capture dropped", nullptr, int(members.size())));
        return runInPool(&m_reverse, [members] {
            for (const auto &member : members)
                member->stop(true);
        });
    }
    if (m_links.count(id) && !runner(id).definition().memberOf.isEmpty())
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("LinkManager", "link %1 is a table of database link %2: remove %2, or leave the table "
                                                                                                      "out of its patterns")
                                                              .arg(id, runner(id).definition().memberOf));
    if (m_links.count(id))
        emit eventOccurred(0, id, QCoreApplication::translate("LinkManager", "link removed"), QCoreApplication::translate("LinkManager", "guard lifted, capture dropped"));
    runner(id);   // throws unknown_link
    auto node = m_links.extract(id);
    std::shared_ptr<LinkRunner> link(std::move(node.mapped().runner));
    save();
    // Lifting the guard and dropping the capture touch the databases and the target
    // node: not in this thread.
    // In the reverse-request pool, so that it reaches the reverse half after the pauses and
    // resumes asked before it.
    const LinkDefinition definition = link->definition();
    const bool tell = definition.direction == LinkDefinition::Direction::Bidirectional && definition.reverseOf.isEmpty();
    return runInPool(&m_reverse, [link, definition, tell, tls = m_tls, node = m_config.name] {
        link->stop(true);
        if (tell)
            tellReverseNow(definition, tls, node, QByteArray(protocol::Type::LinkRemove.data(), protocol::Type::LinkRemove.size()));
    });
}

QCborMap LinkManager::describe(const QString &id) const
{
    if (const auto database = m_databases.find(id); database != m_databases.end()) {
        const QList<QPair<QString, LinkStats>> tables = memberStats(id);
        QCborArray skipped;
        for (const auto &[table, reason] : database->second.skipped)
            skipped.append(QCborMap{{QStringLiteral("table"), table}, {QStringLiteral("reason"), reason}});
        QCborMap map{{QStringLiteral("link"), database->second.link.toCbor()},
                     {QStringLiteral("stats"), aggregateStats(id, tables, database->second.link.paused).toCbor()},
                     {QStringLiteral("tables"), tableBreakdown(tables)},
                     {QStringLiteral("skipped"), skipped},
                     {QStringLiteral("dropped"), QCborArray::fromStringList(database->second.dropped)}};
        return map;
    }
    const LinkRunner &link = runner(id);
    QCborMap map{{QStringLiteral("link"), link.definition().toCbor()}, {QStringLiteral("stats"), link.stats().toCbor()}};
    const QList<RangeDifferences> differences = link.lastDifferences();
    if (!differences.isEmpty())
        map.insert(QStringLiteral("differences"), wirecodec::encodeDifferences(differences));
    return map;
}

QCborArray LinkManager::list() const
{
    QCborArray links;
    for (const auto &[id, entry] : m_links) {
        const LinkDefinition definition = entry.runner->definition();
        if (definition.memberOf.isEmpty())
            links.append(QCborMap{{QStringLiteral("link"), definition.toCbor()}, {QStringLiteral("stats"), entry.runner->stats().toCbor()}});
    }
    for (const auto &[id, database] : m_databases) {
        links.append(QCborMap{{QStringLiteral("link"), database.link.toCbor()},
                              {QStringLiteral("stats"), databaseStats(database).toCbor()},
                              {QStringLiteral("tables"), tableBreakdown(memberStats(id))}});
    }
    return links;
}

void LinkManager::notePeerApplied(const QString &database, const QString &table, const QString &linkId, qint64 seq)
{
    if (m_links.count(linkId))
        m_acks.set(database, table, LinkRunner::peerReadKey(linkId), seq);
}

qint64 LinkManager::ackedSeq(const QString &linkId) const
{
    const auto it = m_links.find(linkId);
    return it == m_links.end() ? 0 : it->second.runner->checkpoint().ackedSeq;
}

void LinkManager::adopt(const LinkDefinition &link, const LinkCheckpoint &checkpoint)
{
    if (m_links.count(link.id)) {
        m_links[link.id].runner->stop(false);
        m_links.erase(link.id);
    }
    if (!link.memberOf.isEmpty() && !m_databases.count(link.memberOf)) {
        DatabaseLink database;
        database.link = link;
        database.link.id = link.memberOf;
        database.link.sourceTable.clear();
        database.link.targetTable.clear();
        database.link.tables = link.databaseTables.isEmpty() ? QStringList{link.sourceTable} : link.databaseTables;
        database.link.memberOf.clear();
        database.link.databaseTables.clear();
        m_databases[database.link.id] = database;
        emit eventOccurred(0, database.link.id, QCoreApplication::translate("LinkManager", "database link taken over"),
                           QCoreApplication::translate("LinkManager", "%1 to %2 %3, tables %4").arg(database.link.sourceDatabase, database.link.targetNode, database.link.targetDatabase,
                                                                                                    database.link.tables.join(QLatin1String(", "))));
    }
    startRunner(link, checkpoint);
    save();
}

void LinkManager::detachFromAnyThread(const QString &id)
{
    std::shared_ptr<LinkRunner> runner;
    auto take = [&] {
        const auto it = m_links.find(id);
        if (it == m_links.end())
            return;
        runner = std::move(it->second.runner);
        m_links.erase(it);
        m_acks.remove(runner->definition().sourceDatabase, runner->definition().sourceTable, id);
        const QString group = runner->definition().memberOf;
        if (!group.isEmpty() && m_databases.count(group) && membersOf(group).empty())
            m_databases.erase(group);   // every table failed over: the database link runs from the other node
            m_feeds.erase(group);
        save();
    };
    if (QThread::currentThread() == thread())
        take();
    else
        QMetaObject::invokeMethod(this, take, Qt::BlockingQueuedConnection);
    if (runner)
        runner->stop(false);
}

QFuture<LinkDefinition> LinkManager::setSettings(const QString &id, const QCborMap &settings)
{
    auto refuse = [](const QString &message) {
        return QtFuture::makeExceptionalFuture<LinkDefinition>(std::make_exception_ptr(WireError(protocol::ErrorCode::BadSetting, message)));
    };
    if (m_databases.count(id))
        return refuse(QCoreApplication::translate("LinkManager", "database link %1: its settings are set when it is created (remove it and create it again)").arg(id));
    const auto it = m_links.find(id);
    if (it == m_links.end())
        return QtFuture::makeExceptionalFuture<LinkDefinition>(std::make_exception_ptr(WireError(
            protocol::ErrorCode::UnknownLink, QCoreApplication::translate("LinkManager", "node %1 runs no link \"%2\"").arg(m_config.name, id))));
    const LinkDefinition before = it->second.runner->definition();
    if (!before.memberOf.isEmpty())
        return refuse(QCoreApplication::translate("LinkManager", "link %1 is a table of database link %2, whose settings are set when it is created").arg(id, before.memberOf));
    if (!before.reverseOf.isEmpty())
        return refuse(QCoreApplication::translate("LinkManager", "link %1 is the reverse half of link %2: change the settings of %2 on its node").arg(id, before.reverseOf));
    static const QStringList allowed = {QStringLiteral("mode"), QStringLiteral("interval_minutes"), QStringLiteral("block_rows"), QStringLiteral("block_ms"),
                                        QStringLiteral("digest"), QStringLiteral("compression"), QStringLiteral("bandwidth_mbps"), QStringLiteral("filter"),
                                        QStringLiteral("conflicts"), QStringLiteral("timestamp_column"), QStringLiteral("auto_failover"),
                                        QStringLiteral("witness_host"), QStringLiteral("witness_port"), QStringLiteral("failover_timeout_ms")};
    if (settings.isEmpty())
        return refuse(QCoreApplication::translate("LinkManager", "no setting to change (settings: %1)").arg(allowed.join(QLatin1String(", "))));
    QCborMap merged = before.toCbor();
    for (auto entry = settings.begin(); entry != settings.end(); ++entry) {
        const QString key = entry.key().toString();
        if (!allowed.contains(key))
            return refuse(QCoreApplication::translate("LinkManager", "\"%1\" is not a setting that can be changed (settings: %2)").arg(key, allowed.join(QLatin1String(", "))));
        merged.insert(key, entry.value());
    }
    LinkDefinition after;
    try {
        after = LinkDefinition::fromCbor(merged);
    } catch (const FerryError &error) {
        return refuse(QCoreApplication::translate("LinkManager", "link %1: %2").arg(id, error.message()));
    }
    if (after.direction == LinkDefinition::Direction::Bidirectional && after.conflicts != before.conflicts)
        return refuse(QCoreApplication::translate("LinkManager", "link %1 is bidirectional: its conflict policy is set when it is created").arg(id));
    if (after.autoFailover && (after.direction != LinkDefinition::Direction::OneWay || after.mode != LinkDefinition::Mode::Continuous))
        return refuse(QCoreApplication::translate("LinkManager", "link %1: automatic failover needs a continuous one-way link").arg(id));
    const NodeConfig config = m_config;
    // The filter and the timestamp column are checked against the source table.
    const QFuture<LinkDefinition> checked = runInPool(&m_checks, [after, config] {
        const NodeConfig::Database *database = config.database(after.sourceDatabase);
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase,
                            QCoreApplication::translate("LinkManager", "node %1 has no database \"%2\"").arg(config.name, after.sourceDatabase));
        try {
            auto store = Store::open(database->source, Store::Options{true, 5000});
            const TableSchema schema = store->describe(after.sourceTable);
            store->setRowFilter(after.sourceTable, after.filter);
            if (!after.timestampColumn.isEmpty() && schema.columnIndex(after.timestampColumn) < 0)
                throw FerryError(QCoreApplication::translate("LinkManager", "table \"%1\" has no column \"%2\" (timestamp_column)").arg(after.sourceTable, after.timestampColumn));
        } catch (const WireError &) {
            throw;
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::BadSetting, error.message());
        }
        return after;
    });
    return thenIn(this, checked, [this, id, before](QFuture<LinkDefinition> result) {
        {
            const LinkDefinition after = resultOf(result);
            const auto found = m_links.find(id);
            if (found == m_links.end() || found->second.runner->definition().toCbor() != before.toCbor())
                throw WireError(protocol::ErrorCode::BadSetting, QCoreApplication::translate("LinkManager", "link %1 changed meanwhile: nothing was set; try again").arg(id));
            LinkDefinition next = after;
            next.paused = found->second.runner->definition().paused;
            LinkCheckpoint checkpoint = found->second.runner->checkpoint();
            if (next.filter != before.filter)
                checkpoint.synced = false;   // rows enter or leave the link: verify the table again
            std::unique_ptr<LinkRunner> old = std::move(found->second.runner);
            m_links.erase(found);
            old->stop(false);
            startRunner(next, checkpoint);
            save();
            QStringList changed;
            const QCborMap was = before.toCbor();
            const QCborMap now = next.toCbor();
            for (auto entry = now.begin(); entry != now.end(); ++entry) {
                if (was.value(entry.key()) != entry.value())
                    changed.append(QStringLiteral("%1=%2").arg(entry.key().toString(), entry.value().toVariant().toString()));
            }
            emit eventOccurred(0, id, QCoreApplication::translate("LinkManager", "settings changed"),
                               changed.isEmpty() ? QCoreApplication::translate("LinkManager", "nothing differed") : changed.join(QLatin1String(", ")));
            return next;
        }
    });
}

std::map<QString, LinkRunner *> LinkManager::membersOf(const QString &id) const
{
    std::map<QString, LinkRunner *> members;
    for (const auto &[linkId, entry] : m_links) {
        const LinkDefinition definition = entry.runner->definition();
        if (definition.memberOf == id)
            members[definition.sourceTable] = entry.runner.get();
    }
    return members;
}

QList<QPair<QString, LinkStats>> LinkManager::memberStats(const QString &id) const
{
    QList<QPair<QString, LinkStats>> tables;
    for (const auto &[table, member] : membersOf(id))
        tables.append({table, member->stats()});
    return tables;
}

LinkStats LinkManager::databaseStats(const DatabaseLink &database) const
{
    return aggregateStats(database.link.id, memberStats(database.link.id), database.link.paused);
}

QFuture<LinkDefinition> LinkManager::createDatabaseLink(const LinkDefinition &requested)
{
    const NodeConfig config = m_config;
    const QSslConfiguration tls = m_tls;
    // Everything is checked in a worker thread before anything is stored or written: the
    // database, its tables, the target node and database, the target's tables of the same
    // names (same schema) and that no other link writes them.
    const QFuture<std::pair<LinkDefinition, TableScan>> checked = runInPool(&m_checks, [requested, config, tls] {
        LinkDefinition link = requested;
        link.sourceNode = config.name;
        const NodeConfig::Database *database = config.database(link.sourceDatabase);
        if (!database)
            throw WireError(protocol::ErrorCode::UnknownDatabase,
                            QCoreApplication::translate("LinkManager", "node %1 has no database \"%2\"").arg(config.name, link.sourceDatabase));
        TableScan scan;
        QHash<QString, TableSchema> schemas;
        try {
            auto store = Store::open(database->source, Store::Options{true, 5000});
            scan = scanTables(*store, link);
            for (const QString &table : scan.tables)
                schemas.insert(table, store->describe(table));
            const QString shortage = connectionShortage(*store, int(scan.tables.size()));
            if (!shortage.isEmpty())
                throw FerryError(QCoreApplication::translate("LinkManager", "database %1 on %2: %3").arg(link.sourceDatabase, config.name, shortage));
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Database, error.message());
        }
        NodeClient::Options options;
        options.clientName = config.name;
        options.connectTimeoutMs = 5000;
        NodeClientThread connection(link.targetHost, link.targetPort, tls, options);
        NodeHello hello;
        try {
            hello = connection.connectAndWait();
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Unreachable,
                            QCoreApplication::translate("LinkManager", "cannot reach the target node: %1").arg(error.message()));
        }
        if (!link.targetNode.isEmpty() && link.targetNode != hello.node)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("LinkManager", "%1:%2 is node %3, not %4")
                                                                 .arg(link.targetHost).arg(link.targetPort).arg(hello.node, link.targetNode));
        link.targetNode = hello.node;
        if (hello.node == config.name && link.targetDatabase == link.sourceDatabase)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("LinkManager", "source and target are the same database (%1 on %2)")
                                                                 .arg(link.sourceDatabase, config.name));
        const Message tables = connection.client()->request(protocol::Type::Tables, QCborMap{{QStringLiteral("db"), link.targetDatabase}}).result();
        QSet<QString> existing;
        for (const QCborValue &name : MessageFields(tables).array(QLatin1StringView("tables")))
            existing.insert(name.toString());
        RemoteEndpoint target(connection.client(), link.targetDatabase);
        for (const QString &table : std::as_const(scan.tables)) {
            if (existing.contains(table)) {
                const QString difference = schemaDifference(schemas.value(table), target.describe(table).result());
                if (!difference.isEmpty())
                    throw WireError(protocol::ErrorCode::Database, QCoreApplication::translate("LinkManager", "table %1: schemas differ: %2").arg(table, difference));
            }
            // The target refuses a second writer of its table before anything is stored.
            try {
                connection.client()->request(protocol::Type::LinkRegister, QCborMap{{QStringLiteral("link"), link.memberFor(table).toCbor()},
                                                                                    {QStringLiteral("source_port"), config.listenPort},
                                                                                    {QStringLiteral("dry_run"), true}})
                    .result();
            } catch (const WireError &error) {
                if (error.code() == protocol::ErrorCode::WriterExists)
                    throw;
            }
        }
        return std::make_pair(link, scan);
    });
    return thenIn(this, checked, [this, id = requested.id](const QFuture<std::pair<LinkDefinition, TableScan>> &done) {
        m_creating.remove(id);
        const auto [link, scan] = resultOf(done);   // rethrows what the checks found
        for (const QString &table : scan.tables) {
            if (m_links.count(link.memberFor(table).id))
                throw WireError(protocol::ErrorCode::LinkExists, QCoreApplication::translate("LinkManager", "node %1 already runs a link \"%2\" (the name table %3 of "
                                                                                                              "database link %4 would take)")
                                                                     .arg(m_config.name, link.memberFor(table).id, table, id));
        }
        DatabaseLink database;
        database.link = link;
        database.skipped = scan.skipped;
        m_databases[id] = database;
        for (const QString &table : scan.tables)
            startRunner(link.memberFor(table), LinkCheckpoint());
        save();
        QStringList skipped;
        for (const auto &[table, reason] : scan.skipped)
            skipped.append(QStringLiteral("%1 (%2)").arg(table, reason));
        emit eventOccurred(0, id, QCoreApplication::translate("LinkManager", "link created"),
                           QCoreApplication::translate("LinkManager", "database %1 to %2 %3: %n table(s)", nullptr, int(scan.tables.size()))
                                   .arg(link.sourceDatabase, link.targetNode, link.targetDatabase)
                               + (skipped.isEmpty() ? QString() : QCoreApplication::translate("LinkManager", "; skipped: %1").arg(skipped.join(QLatin1String("; ")))));
        qInfo().noquote() << QCoreApplication::translate("LinkManager", "database link %1 created: %2 -> %3 %4, tables %5 (%6 skipped)")
                                 .arg(id, link.sourceDatabase, link.targetNode, link.targetDatabase, scan.tables.join(QLatin1String(", ")))
                                 .arg(scan.skipped.size());
        return link;
    });
}

void LinkManager::scanDatabaseLinks()
{
    for (auto &[id, database] : m_databases) {
        if (database.scanning || database.link.paused)
            continue;
        const NodeConfig::Database *source = m_config.database(database.link.sourceDatabase);
        if (!source)
            continue;
        database.scanning = true;
        QSet<QString> running;
        for (const auto &[table, member] : membersOf(id))
            running.insert(table);
        const QFuture<TableScan> scanned = runInPool(&m_checks, [source = source->source, link = database.link, running] {
            auto store = Store::open(source, Store::Options{true, 5000});
            TableScan scan = scanTables(*store, link);
            // New tables the server has no connections left for wait, skipped with the reason.
            QStringList fresh;
            for (const QString &table : std::as_const(scan.tables)) {
                if (!running.contains(table))
                    fresh.append(table);
            }
            const QString shortage = connectionShortage(*store, int(fresh.size()));
            if (!shortage.isEmpty()) {
                for (const QString &table : std::as_const(fresh)) {
                    scan.tables.removeAll(table);
                    scan.skipped.append({table, shortage});
                }
            }
            return scan;
        });
        thenIn(this, scanned, [this, id = id](const QFuture<TableScan> &done) {
            const auto database = m_databases.find(id);
            if (database == m_databases.end())
                return;   // removed meanwhile
            database->second.scanning = false;
            try {
                applyScan(id, resultOf(done));
            } catch (const FerryError &error) {
                // The database could not be read this time: nothing is concluded from it.
                qDebug().noquote() << QStringLiteral("database link %1: tables not scanned: %2").arg(id, error.message());
            }
        });
    }
}

void LinkManager::applyScan(const QString &id, const TableScan &scan)
{
    DatabaseLink &database = m_databases.at(id);
    if (database.link.paused)
        return;
    const std::map<QString, LinkRunner *> members = membersOf(id);
    bool changed = false;
    // Created on the source since the last look: initial sync, then the feed.
    for (const QString &table : scan.tables) {
        if (members.count(table) || (m_isReplica && m_isReplica(database.link.sourceDatabase, table)))
            continue;
        const LinkDefinition member = database.link.memberFor(table);
        if (m_links.count(member.id))
            continue;
        database.dropped.removeAll(table);
        startRunner(member, LinkCheckpoint());
        changed = true;
        emit eventOccurred(0, id, QCoreApplication::translate("LinkManager", "table picked up"),
                           QCoreApplication::translate("LinkManager", "%1 was created on %2 (%3); copying it to %4, then streaming").arg(table, m_config.name, database.link.sourceDatabase, database.link.targetNode));
    }
    // Gone from the source: the table's link stops; the target keeps the table (writable,
    // no longer a replica) or drops it, as the link says.
    std::vector<std::shared_ptr<LinkRunner>> gone;
    for (const auto &[table, member] : members) {
        if (scan.present.contains(table))
            continue;
        auto node = m_links.extract(member->definition().id);
        gone.push_back(std::shared_ptr<LinkRunner>(std::move(node.mapped().runner)));
        if (!database.dropped.contains(table))
            database.dropped.append(table);
        changed = true;
        const bool drop = database.link.onDrop == LinkDefinition::OnDrop::Drop;
        emit eventOccurred(drop ? 1 : 0, id, QCoreApplication::translate("LinkManager", "table dropped on the source"),
                           drop ? QCoreApplication::translate("LinkManager", "%1 was dropped on %2; dropping it on %3 too (on_drop: drop)").arg(table, m_config.name, database.link.targetNode)
                                : QCoreApplication::translate("LinkManager", "%1 was dropped on %2; %3 keeps its copy, writable and no longer replicated (on_drop: keep)")
                                      .arg(table, m_config.name, database.link.targetNode));
    }
    if (database.skipped != scan.skipped) {
        database.skipped = scan.skipped;
        changed = true;
    }
    if (changed)
        save();
    if (!gone.empty()) {
        const bool drop = database.link.onDrop == LinkDefinition::OnDrop::Drop;
        runInPool(&m_reverse, [gone, drop] {
            for (const auto &member : gone)
                member->stop(true, drop);
        });
    }
}

LinkRunner *LinkManager::find(const QString &id) const
{
    const auto it = m_links.find(id);
    return it == m_links.end() ? nullptr : it->second.runner.get();
}

QList<LinkRunner *> LinkManager::runners() const
{
    QList<LinkRunner *> result;
    for (const auto &[id, entry] : m_links)
        result.append(entry.runner.get());
    return result;
}

} // namespace ferry
