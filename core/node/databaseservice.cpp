#include "node/databaseservice.h"

#include "blocks/rowdifference.h"
#include "node/conflictversion.h"
#include "storage/walcheckpointer.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"
#include "util/ferryerror.h"
#include "util/runinpool.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QScopeGuard>

namespace ferry {

DatabaseService::DatabaseService(const NodeConfig::Database &database)
    : m_database(database)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    if (database.source.kind == DataSource::Kind::Sqlite)
        m_checkpointer = std::make_unique<WalCheckpointer>(database.source.path);
}

DatabaseService::~DatabaseService()
{
    m_pool.start([this] { m_store.reset(); });
    m_pool.waitForDone();
    m_hashers.clear();   // answers what is still being hashed, then stops the threads
}

QString DatabaseService::kind() const
{
    return m_database.source.kind == DataSource::Kind::Sqlite ? QStringLiteral("sqlite") : QStringLiteral("postgresql");
}

Store &DatabaseService::store()
{
    if (m_store && m_store->connectionLost()) {
        // The server restarted: a new connection, and the tables described again.
        m_store.reset();
        m_schemas.clear();
        m_schemaStamps.clear();
    }
    if (!m_store)
        m_store = Store::open(m_database.source, Store::Options{false, 5000, true});
    return *m_store;
}

const TableSchema &DatabaseService::schema(const QString &table)
{
    auto it = m_schemas.find(table);
    if (it == m_schemas.end()) {
        m_schemaStamps.insert(table, store().schemaStamp(table));   // before: a change meanwhile shows later
        it = m_schemas.insert(table, store().describe(table));
    }
    return *it;
}

QFuture<QStringList> DatabaseService::tables()
{
    return runInPool(&m_pool, [this] { return store().tables(); });
}

QFuture<TableSchema> DatabaseService::describe(const QString &table)
{
    return runInPool(&m_pool, [this, table] {
        m_schemas.remove(table);
        return schema(table);
    });
}

void DatabaseService::digestInto(const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm,
                                 const std::shared_ptr<QPromise<QList<RangeDigest>>> &promise)
{
    std::unique_ptr<RangeHasher> &hasher = m_hashers[algorithm];
    if (!hasher)
        hasher = std::make_unique<RangeHasher>(algorithm);
    try {
        ferry::digestRanges(store(), schema, ranges, *hasher, [promise](QList<RangeDigest> digests) {
            promise->addResult(std::move(digests));
            promise->finish();
        });
    } catch (...) {
        hasher.reset();   // it holds part of this request: answers the earlier ones, then goes
        throw;
    }
}

QFuture<QList<RangeDigest>> DatabaseService::digestRanges(const QString &table, std::function<QList<KeyRange>(const TableSchema &)> ranges,
                                                          DigestAlgorithm algorithm)
{
    auto promise = std::make_shared<QPromise<QList<RangeDigest>>>();
    promise->start();
    QFuture<QList<RangeDigest>> future = promise->future();
    m_pool.start([this, promise, table, ranges = std::move(ranges), algorithm] {
        try {
            const TableSchema &tableSchema = schema(table);
            digestInto(tableSchema, ranges(tableSchema), algorithm, promise);
        } catch (...) {
            promise->setException(std::current_exception());
            promise->finish();
        }
    });
    return future;
}

QFuture<QList<RangeDigest>> DatabaseService::replaceRanges(const QString &table, std::function<QList<RangeRows>(const TableSchema &)> parts,
                                                           DigestAlgorithm algorithm, const QString &writeOrigin)
{
    auto promise = std::make_shared<QPromise<QList<RangeDigest>>>();
    promise->start();
    QFuture<QList<RangeDigest>> future = promise->future();
    m_pool.start([this, promise, table, parts = std::move(parts), algorithm, writeOrigin] {
        try {
            const TableSchema &tableSchema = schema(table);
            QList<KeyRange> ranges;
            {
                const QList<RangeRows> decoded = parts(tableSchema);
                store().setWriteOrigin(writeOrigin);
                auto clearOrigin = qScopeGuard([this] { store().setWriteOrigin(QString()); });
                store().replaceRanges(tableSchema, decoded);
                ranges.reserve(decoded.size());
                for (const RangeRows &part : decoded)
                    ranges.append(part.range);
            }
            // The applied digests: what the ranges hold now, read after the commit.
            digestInto(tableSchema, ranges, algorithm, promise);
        } catch (...) {
            promise->setException(std::current_exception());
            promise->finish();
        }
    });
    return future;
}

QFuture<void> DatabaseService::createTable(const TableSchema &schema)
{
    return runInPool(&m_pool, [this, schema] {
        store().createTable(schema);
        m_schemas.remove(schema.table);
    });
}

QFuture<QStringList> DatabaseService::addColumns(const TableSchema &schema)
{
    return runInPool(&m_pool, [this, schema] {
        m_schemas.remove(schema.table);
        return store().addColumns(schema);
    });
}

QFuture<void> DatabaseService::dropTable(const QString &table)
{
    return runInPool(&m_pool, [this, table] {
        if (!store().tables().contains(table))
            return;
        store().setReplicaGuard(schema(table), false, QString());
        m_schemas.remove(table);
        store().dropTable(table);
    });
}

QFuture<void> DatabaseService::setReplicaGuard(const QString &table, bool on, const QString &message)
{
    return runInPool(&m_pool, [this, table, on, message] { store().setReplicaGuard(schema(table), on, message); });
}

QFuture<bool> DatabaseService::ensureReplicaGuard(const QString &table, const QString &message)
{
    return runInPool(&m_pool, [this, table, message] {
        if (store().hasReplicaGuard(table))
            return false;
        m_schemas.remove(table);   // the table may be a new one of the same name
        store().setReplicaGuard(schema(table), true, message);
        return true;
    });
}

QFuture<qint64> DatabaseService::appliedSeq(const QString &linkId)
{
    return runInPool(&m_pool, [this, linkId] { return store().appliedSeq(linkId); });
}

QFuture<qint64> DatabaseService::lastChangeSeq(const QString &table)
{
    return runInPool(&m_pool, [this, table] { return store().hasCapture(table) ? store().lastChangeSeq(schema(table)) : qint64(0); });
}

QFuture<QList<Row>> DatabaseService::fetch(const QString &table, std::function<QList<Key>(const TableSchema &)> keys)
{
    return runInPool(&m_pool, [this, table, keys = std::move(keys)] {
        const TableSchema &tableSchema = schema(table);
        return store().fetch(tableSchema, keys(tableSchema));
    });
}

QFuture<QList<Row>> DatabaseService::readRange(const QString &table, std::function<KeyRange(const TableSchema &)> range, int limit)
{
    return runInPool(&m_pool, [this, table, range = std::move(range), limit] {
        const TableSchema &tableSchema = schema(table);
        return readRows(store(), tableSchema, range(tableSchema), limit);
    });
}

QFuture<QList<StoredConflict>> DatabaseService::conflicts(int limit)
{
    return runInPool(&m_pool, [this, limit] {
        QList<StoredConflict> rows = store().readConflicts(limit);
        // The column names, so that both versions can be shown by name.
        QHash<QString, std::pair<QStringList, QStringList>> columns;
        for (StoredConflict &row : rows) {
            if (!columns.contains(row.table)) {
                QStringList names;
                QStringList types;
                try {
                    for (const Column &column : schema(row.table).columns) {
                        names.append(column.name);
                        types.append(columnTypeName(column.type));
                    }
                } catch (const FerryError &) {
                    // The table is gone: the versions are shown by position.
                }
                columns.insert(row.table, {names, types});
            }
            row.columns = columns.value(row.table).first;
            row.columnTypes = columns.value(row.table).second;
        }
        return rows;
    });
}

QFuture<ConflictVersionWritten> DatabaseService::applyConflictVersion(const ConflictVersionRequest &request)
{
    return runInPool(&m_pool, [this, request] {
        const QString which = request.lost ? QCoreApplication::translate("DatabaseService", "lost") : QCoreApplication::translate("DatabaseService", "kept");
        StoredConflict conflict;
        if (!store().readConflict(request.conflictId, &conflict))
            throw WireError(protocol::ErrorCode::UnknownConflict,
                            QCoreApplication::translate("DatabaseService", "no conflict %1 is recorded in database \"%2\"; nothing was written")
                                .arg(request.conflictId)
                                .arg(m_database.name));
        const QString stored = request.lost ? conflict.lost : conflict.kept;
        if (conflict.table != request.table || conflict.key != request.key || stored != request.values)
            throw WireError(protocol::ErrorCode::UnknownConflict,
                            QCoreApplication::translate("DatabaseService", "conflict %1 in database \"%2\" is for table \"%3\", key %4, not for the %5 version "
                                                                           "of table \"%6\", key %7 that was asked for; nothing was written")
                                .arg(request.conflictId)
                                .arg(m_database.name, conflict.table, conflict.key, which, request.table, request.key));
        // Described now, not from the cache the links' appliers compare the table with:
        // refreshing that here would hide a schema change from them.
        TableSchema schema;
        try {
            schema = store().describe(conflict.table);
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Database,
                            QCoreApplication::translate("DatabaseService", "conflict %1: %2; nothing was written").arg(request.conflictId).arg(error.message()));
        }
        auto mismatch = [&](const QString &what) {
            return WireError(protocol::ErrorCode::SchemaChanged,
                             QCoreApplication::translate("DatabaseService", "conflict %1 no longer fits table \"%2\" of database \"%3\": %4; nothing was written")
                                 .arg(request.conflictId)
                                 .arg(conflict.table, m_database.name, what));
        };
        QList<Column> keyColumns;
        for (int index : schema.primaryKey)
            keyColumns.append(schema.columns.at(index));
        Key key;
        QString problem = conflictRowFromJson(conflict.table, keyColumns, conflict.key, &key);
        if (!problem.isEmpty())
            throw mismatch(QCoreApplication::translate("DatabaseService", "the key: %1").arg(problem));
        if (key.isEmpty())
            throw mismatch(QCoreApplication::translate("DatabaseService", "the conflict has no key"));
        Row row;
        problem = conflictRowFromJson(conflict.table, schema.columns, stored, &row);
        if (!problem.isEmpty())
            throw mismatch(problem);
        if (!row.isEmpty() && schema.keyOf(row) != key)
            throw mismatch(QCoreApplication::translate("DatabaseService", "the stored row's key is not the conflict's key %1").arg(conflict.key));
        // An application's write: no write origin, so a replica's guard or a lapsed lease
        // refuses it as it refuses any application's, and the capture log records it as a
        // local change that the link carries to the peer.
        try {
            if (row.isEmpty())
                store().remove(schema, {key});
            else
                store().upsert(schema, {row});
        } catch (const FerryError &error) {
            throw WireError(protocol::ErrorCode::Database,
                            QCoreApplication::translate("DatabaseService", "table \"%1\" of database \"%2\" refused the %3 version of conflict %4: %5; nothing was written")
                                .arg(conflict.table, m_database.name, which)
                                .arg(request.conflictId)
                                .arg(error.message()));
        }
        return ConflictVersionWritten{conflict.table, conflict.key, row.isEmpty()};
    });
}

QFuture<void> DatabaseService::installCapture(const QString &table)
{
    return runInPool(&m_pool, [this, table] { store().installCapture(schema(table)); });
}

const TableSchema &DatabaseService::checkedSchema(const QString &table)
{
    const TableSchema &tableSchema = schema(table);
    // The table changed behind the link (ALTER TABLE): nothing is applied with the
    // schema the changes were sent for, until the link describes the table again.
    const QByteArray stamp = store().schemaStamp(table);
    if (stamp != m_schemaStamps.value(table)) {
        QString change;
        try {
            change = schemaChange(tableSchema, store().describe(table));
        } catch (const FerryError &error) {
            // Gone (dropped behind the link): not a schema change to stop at but a
            // table to create again and copy whole, which the link does when it
            // reconnects after this error.
            m_schemas.remove(table);
            m_schemaStamps.remove(table);
            throw WireError(protocol::ErrorCode::Database, error.message());
        }
        if (!change.isEmpty())
            throw WireError(protocol::ErrorCode::SchemaChanged,
                            QCoreApplication::translate("DatabaseService", "schema changed: %1 (database \"%2\"), nothing was applied").arg(change, m_database.name));
        m_schemaStamps.insert(table, stamp);
    }
    return tableSchema;
}

QStringList DatabaseService::parentsFirst(const QStringList &tables)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHash<QString, QStringList> parents;
    for (const QString &table : tables) {
        Parents &known = m_parents[table];
        if (known.readAtMs == 0 || now - known.readAtMs > 5000) {
            known.tables = store().referencedTables(table);
            known.readAtMs = now;
        }
        for (const QString &parent : std::as_const(known.tables)) {
            if (tables.contains(parent))
                parents[table].append(parent);
        }
    }
    QStringList ordered;
    QStringList left = tables;
    while (!left.isEmpty()) {
        qsizetype next = -1;
        for (qsizetype i = 0; i < left.size() && next < 0; ++i) {
            bool ready = true;
            for (const QString &parent : parents.value(left.at(i)))
                ready = ready && ordered.contains(parent);
            if (ready)
                next = i;
        }
        ordered.append(left.takeAt(next < 0 ? 0 : next));   // a cycle: as given
    }
    return ordered;
}

QFuture<QList<ApplyResult>> DatabaseService::applyGroup(const QList<GroupInput> &parts, const QString &origin)
{
    return runInPool(&m_pool, [this, parts, origin] {
        QStringList tables;
        for (const GroupInput &part : parts) {
            if (tables.contains(part.table))
                throw WireError(protocol::ErrorCode::BadMessage,
                                QCoreApplication::translate("DatabaseService", "apply_group names table \"%1\" twice").arg(part.table));
            tables.append(part.table);
        }
        const QStringList order = parentsFirst(tables);
        QList<Store::GroupPart> ordered;
        for (const QString &table : order) {
            const GroupInput &input = parts.at(tables.indexOf(table));
            Store::GroupPart part;
            part.schema = checkedSchema(table);
            part.changes = wirecodec::decodeChanges(part.schema, input.changes, QStringLiteral("apply_group"));
            part.lastSeq = input.lastSeq;
            part.linkId = input.linkKey;
            ordered.append(std::move(part));
        }
        const QList<ApplyResult> applied = store().applyGroup(ordered, origin);
        QList<ApplyResult> results(parts.size());
        for (qsizetype i = 0; i < order.size(); ++i)
            results[tables.indexOf(order.at(i))] = applied.at(i);
        return results;
    });
}

QFuture<ApplyResult> DatabaseService::applyChanges(const QString &table, std::function<QList<Change>(const TableSchema &)> changes, qint64 lastSeq,
                                                   ApplyOptions options, const QString &timestampColumnName)
{
    QElapsedTimer queued;
    queued.start();
    return runInPool(&m_pool, [this, table, changes = std::move(changes), lastSeq, options, timestampColumnName, queued]() mutable {
        const qint64 queuedUs = queued.nsecsElapsed() / 1000;
        QElapsedTimer work;
        work.start();
        const TableSchema &tableSchema = checkedSchema(table);
        if (!timestampColumnName.isEmpty()) {
            options.timestampColumn = tableSchema.columnIndex(timestampColumnName);
            if (options.timestampColumn < 0)
                throw FerryError(QCoreApplication::translate("DatabaseService", "table \"%1\" has no column \"%2\" to compare for newest-wins")
                                     .arg(table, timestampColumnName));
        }
        ApplyResult result = store().applyChanges(tableSchema, changes(tableSchema), lastSeq, options);
        result.queuedUs = queuedUs;
        result.workUs = work.nsecsElapsed() / 1000;
        return result;
    });
}

} // namespace ferry
