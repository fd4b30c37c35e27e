#include "storage/sqlstore.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QScopeGuard>
#include <QSet>
#include <QUuid>

#include <algorithm>
#include <optional>

namespace ferry {

SqlStore::SqlStore(const QString &driver, const QString &displayName)
    : m_connectionName(QStringLiteral("ferry-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_displayName(displayName)
{
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        throw FerryError(QCoreApplication::translate("SqlStore", "%1: Qt SQL driver %2 is not installed (Debian: libqt6sql6-%3)")
                             .arg(displayName, driver, driver == QLatin1String("QPSQL") ? QStringLiteral("psql") : QStringLiteral("sqlite")));
    }
    m_db = QSqlDatabase::addDatabase(driver, m_connectionName);
}

SqlStore::~SqlStore()
{
    m_cachedQueries.clear();   // before their connection goes
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString SqlStore::quote(const QString &identifier)
{
    QString escaped = identifier;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

QVariant SqlStore::nonNullForBinding(ColumnType type, const QVariant &value)
{
    if (type == ColumnType::Blob) {
        const QByteArray bytes = value.toByteArray();
        return bytes.isNull() ? QByteArray("", 0) : bytes;   // e.g. an empty blob read by QSQLITE
    }
    const QString text = value.toString();
    return text.isNull() ? QString(QLatin1String("")) : text;
}

namespace {

// The first line of what the database said (PostgreSQL adds LINE/caret lines).
QString errorDetail(const QSqlError &error)
{
    QString detail = error.databaseText().trimmed();
    if (detail.isEmpty())
        detail = error.text().trimmed();
    detail = detail.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (detail.startsWith(QLatin1String("ERROR:")))
        detail = detail.mid(6).trimmed();
    return detail;
}

} // namespace

void SqlStore::fail(const QString &what, const QSqlQuery &query) const
{
    throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, what, errorDetail(query.lastError())));
}

void SqlStore::failDatabase(const QString &what) const
{
    throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, what, errorDetail(m_db.lastError())));
}

QSqlQuery SqlStore::exec(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (bindings.isEmpty()) {
        // Unprepared: statements such as SET cannot be prepared on PostgreSQL.
        if (!query.exec(sql))
            fail(QCoreApplication::translate("SqlStore", "query failed"), query);
        return query;
    }
    if (!query.prepare(sql))
        fail(QCoreApplication::translate("SqlStore", "cannot prepare query"), query);
    for (const QVariant &value : bindings)
        query.addBindValue(value);
    if (!query.exec())
        fail(QCoreApplication::translate("SqlStore", "query failed"), query);
    return query;
}

QSqlQuery &SqlStore::cachedQuery(const QString &sql)
{
    auto it = m_cachedQueries.find(sql);
    if (it == m_cachedQueries.end()) {
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        if (!query.prepare(sql))
            fail(QCoreApplication::translate("SqlStore", "cannot prepare query"), query);
        it = m_cachedQueries.emplace(sql, query).first;
    }
    return it->second;
}

QSqlQuery &SqlStore::execCached(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery &query = cachedQuery(sql);
    for (int i = 0; i < bindings.size(); ++i)
        query.bindValue(i, bindings.at(i));
    if (!query.exec())
        fail(QCoreApplication::translate("SqlStore", "query failed"), query);
    return query;
}

QString SqlStore::keyTuple(const TableSchema &schema) const
{
    QStringList parts;
    for (int index : schema.primaryKey)
        parts.append(orderExpression(schema.columns.at(index)));
    return parts.size() == 1 ? parts.first() : QLatin1Char('(') + parts.join(QLatin1String(", ")) + QLatin1Char(')');
}

QString SqlStore::placeholders(int count) const
{
    QStringList marks;
    for (int i = 0; i < count; ++i)
        marks.append(QStringLiteral("?"));
    return count == 1 ? marks.first() : QLatin1Char('(') + marks.join(QLatin1String(", ")) + QLatin1Char(')');
}

void SqlStore::bindKey(const TableSchema &schema, const Key &key, QVariantList *bindings) const
{
    for (int i = 0; i < schema.primaryKey.size(); ++i)
        bindings->append(toDatabase(schema.columns.at(schema.primaryKey.at(i)), key.at(i)));
}

void SqlStore::appendRangePredicate(const TableSchema &schema, const KeyRange &range, QStringList *where, QVariantList *bindings) const
{
    const QString tuple = keyTuple(schema);
    const QString marks = placeholders(int(schema.primaryKey.size()));
    if (range.hasLo())
        where->append(tuple + QStringLiteral(" >= ") + marks);
    if (range.hasHi())
        where->append(tuple + QStringLiteral(" < ") + marks);
    bindRange(schema, range, bindings);
}

void SqlStore::bindRange(const TableSchema &schema, const KeyRange &range, QVariantList *bindings) const
{
    if (range.hasLo())
        bindKey(schema, range.lo, bindings);
    if (range.hasHi())
        bindKey(schema, range.hi, bindings);
}

QString SqlStore::selectSql(const TableSchema &schema, const KeyRange &range, const Key &after, int limit, QVariantList *bindings) const
{
    QStringList columns;
    for (const Column &column : schema.columns)
        columns.append(selectExpression(column));
    QStringList order;
    for (int index : schema.primaryKey)
        order.append(orderExpression(schema.columns.at(index)));
    QStringList where;
    appendRangePredicate(schema, range, &where, bindings);
    const QString filter = m_rowFilters.value(schema.table);
    if (!filter.isEmpty())
        where.append(QLatin1Char('(') + filter + QLatin1Char(')'));   // binds nothing: range bindings stay in order
    if (!after.isEmpty()) {
        where.append(keyTuple(schema) + QStringLiteral(" > ") + placeholders(int(schema.primaryKey.size())));
        bindKey(schema, after, bindings);
    }
    QString sql = QStringLiteral("SELECT %1 FROM %2").arg(columns.join(QLatin1String(", ")), quoteTable(schema.table));
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
    sql += QStringLiteral(" ORDER BY ") + order.join(QLatin1String(", "));
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    return sql;
}

void SqlStore::failValue(const TableSchema &schema, const Column &column, const QVariant &stored) const
{
    throw FerryError(QCoreApplication::translate("SqlStore", "%1: table \"%2\", column \"%3\" (%4) holds a value that is not %4: %5")
                         .arg(m_displayName, schema.table, column.name, columnTypeName(column.type), stored.toString().left(40)));
}

qint64 SqlStore::scan(const TableSchema &schema, const KeyRange &range, const RowSink &sink)
{
    const int pageSize = scanPageSize();
    const int columnCount = int(schema.columns.size());

    qint64 delivered = 0;
    Row row(columnCount);
    Key after;   // last key of the previous page
    for (;;) {
        QVariantList bindings;
        const QString sql = selectSql(schema, range, after, pageSize, &bindings);
        QSqlQuery query = exec(sql, bindings);
        int inPage = 0;
        while (query.next()) {
            for (int i = 0; i < columnCount; ++i) {
                if (!fromDatabase(schema.columns.at(i), query.value(i), &row[i]))
                    failValue(schema, schema.columns.at(i), query.value(i));
            }
            ++delivered;
            ++inPage;
            if (!sink(row))
                return delivered;
        }
        if (query.lastError().isValid())
            fail(QCoreApplication::translate("SqlStore", "reading table \"%1\" failed").arg(schema.table), query);
        if (pageSize <= 0 || inPage < pageSize)
            return delivered;
        after = schema.keyOf(row);
    }
}

template <typename Fn>
void SqlStore::inTransaction(const QString &what, Fn fn)
{
    if (!m_writeOrigin.isEmpty())
        ensureBookkeeping();
    if (m_db.driverName() == QLatin1String("QSQLITE")) {
        // Take the write lock at BEGIN, waiting out the busy timeout. A deferred transaction
        // that reads first (DROP ... IF EXISTS, the applied sequence number) fails at once
        // with "database is locked" when another connection commits before its first write
        // (WAL's stale snapshot), which an application writing to the table makes likely.
        QSqlQuery begin(m_db);
        if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
            fail(QCoreApplication::translate("SqlStore", "cannot begin a transaction to %1").arg(what), begin);
    } else if (!m_db.transaction()) {
        failDatabase(QCoreApplication::translate("SqlStore", "cannot begin a transaction to %1").arg(what));
    }
    try {
        if (!m_writeOrigin.isEmpty())
            beginWriteOrigin();
        fn();
        if (!m_writeOrigin.isEmpty())
            endWriteOrigin();
    } catch (...) {
        m_db.rollback();
        throw;
    }
    if (!m_db.commit()) {
        const QString message = m_db.lastError().text();
        m_db.rollback();
        throw FerryError(QCoreApplication::translate("SqlStore", "%1: commit of %2 failed: %3").arg(m_displayName, what, message));
    }
}

void SqlStore::insertRows(const TableSchema &schema, const QList<Row> &rows, bool upsert)
{
    if (rows.isEmpty())
        return;
    QStringList names;
    QStringList marks;
    for (const Column &column : schema.columns) {
        names.append(quote(column.name));
        marks.append(QStringLiteral("?"));
    }
    const int columnCount = int(schema.columns.size());
    const QString tuple = QLatin1Char('(') + marks.join(QLatin1String(", ")) + QLatin1Char(')');
    // A plain insert writes many rows a statement (at most 500 values): a statement a row is
    // a server round trip a row on PostgreSQL (tests/bench/bench_node.cpp). An upsert stays
    // one row a statement: PostgreSQL refuses a statement that would update a row twice.
    const qsizetype perStatement = upsert ? 1 : std::max(1, 500 / std::max(1, columnCount));
    auto prepare = [&](qsizetype count) {
        QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES %3")
                          .arg(quoteTable(schema.table), names.join(QLatin1String(", ")), QStringList(count, tuple).join(QLatin1String(", ")));
        if (upsert)
            sql += upsertSuffix(schema);
        QSqlQuery query(m_db);
        if (!query.prepare(sql))
            fail(QCoreApplication::translate("SqlStore", "cannot prepare insert into \"%1\"").arg(schema.table), query);
        return query;
    };
    const qsizetype fullCount = std::min(perStatement, rows.size());
    QSqlQuery full = prepare(fullCount);
    std::optional<QSqlQuery> rest;   // the last statement, when it has fewer rows
    for (qsizetype done = 0; done < rows.size();) {
        const qsizetype count = std::min(perStatement, rows.size() - done);
        if (count != fullCount)
            rest = prepare(count);
        QSqlQuery &query = count == fullCount ? full : *rest;
        for (qsizetype r = 0; r < count; ++r) {
            const Row &row = rows.at(done + r);
            for (int i = 0; i < columnCount; ++i)
                query.bindValue(int(r * columnCount + i), toDatabase(schema.columns.at(i), row.at(i)));
        }
        if (!query.exec())
            fail(QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table), query);
        done += count;
    }
}

void SqlStore::replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges)
{
    inTransaction(QCoreApplication::translate("SqlStore", "repair of table \"%1\"").arg(schema.table), [&] {
        // The ranges are sorted and do not overlap (wirecodec::decodeRangeRows checks), and
        // every row lies in its range: deleting every range, then inserting every row, is
        // the same as doing both range by range. A run of adjacent ranges (one's hi is the
        // next one's lo) is one range, deleted by one statement: an initial copy is one
        // delete per request. One prepared statement per shape of range (bounded below,
        // above, both, neither), executed for each range: on PostgreSQL every prepare
        // is a round trip.
        const QList<ColumnType> keyTypes = schema.keyTypes();
        std::optional<QSqlQuery> deletes[4];
        auto deleteRange = [&](const KeyRange &range) {
            std::optional<QSqlQuery> &query = deletes[(range.hasLo() ? 1 : 0) + (range.hasHi() ? 2 : 0)];
            QStringList where;
            QVariantList bindings;
            appendRangePredicate(schema, range, &where, &bindings);
            if (!query) {
                QString sql = QStringLiteral("DELETE FROM ") + quoteTable(schema.table);
                if (!where.isEmpty())
                    sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
                query.emplace(m_db);
                if (!query->prepare(sql))
                    fail(QCoreApplication::translate("SqlStore", "cannot prepare query"), *query);
            }
            for (int i = 0; i < bindings.size(); ++i)
                query->bindValue(i, bindings.at(i));
            if (!query->exec())
                fail(QCoreApplication::translate("SqlStore", "query failed"), *query);
        };
        for (qsizetype first = 0; first < ranges.size();) {
            qsizetype last = first;
            while (last + 1 < ranges.size() && ranges.at(last).range.hasHi() && ranges.at(last + 1).range.hasLo()
                   && compareKeys(keyTypes, ranges.at(last).range.hi, ranges.at(last + 1).range.lo) == 0)
                ++last;
            deleteRange(KeyRange{ranges.at(first).range.lo, ranges.at(last).range.hi});
            first = last + 1;
        }
        for (std::optional<QSqlQuery> &query : deletes)
            query.reset();   // before other statements use the connection
        QList<const Row *> rows;
        for (const RangeRows &part : ranges) {
            for (const Row &row : part.rows)
                rows.append(&row);
        }
        insertNew(schema, rows);
    });
}

void SqlStore::insertNew(const TableSchema &schema, const QList<const Row *> &rows)
{
    QList<Row> copies;
    copies.reserve(rows.size());
    for (const Row *row : rows)
        copies.append(*row);   // implicitly shared: no values are copied
    insertRows(schema, copies, false);
}

void SqlStore::upsert(const TableSchema &schema, const QList<Row> &rows)
{
    inTransaction(QCoreApplication::translate("SqlStore", "upsert into table \"%1\"").arg(schema.table), [&] { insertRows(schema, rows, true); });
}

QString SqlStore::upsertSuffix(const TableSchema &schema) const
{
    QStringList keyNames;
    QStringList updates;
    for (int i = 0; i < schema.columns.size(); ++i) {
        const QString name = quote(schema.columns.at(i).name);
        if (schema.primaryKey.contains(i))
            keyNames.append(name);
        else
            updates.append(name + QStringLiteral(" = excluded.") + name);
    }
    return QStringLiteral(" ON CONFLICT (%1) DO ").arg(keyNames.join(QLatin1String(", ")))
           + (updates.isEmpty() ? QStringLiteral("NOTHING") : QStringLiteral("UPDATE SET ") + updates.join(QLatin1String(", ")));
}

QString SqlStore::keyCondition(const TableSchema &schema) const
{
    QStringList conditions;
    for (int index : schema.primaryKey)
        conditions.append(quote(schema.columns.at(index).name) + QStringLiteral(" = ?"));
    return conditions.join(QLatin1String(" AND "));
}

void SqlStore::remove(const TableSchema &schema, const QList<Key> &keys)
{
    inTransaction(QCoreApplication::translate("SqlStore", "delete from table \"%1\"").arg(schema.table), [&] {
        QSqlQuery query(m_db);
        if (!query.prepare(QStringLiteral("DELETE FROM %1 WHERE %2").arg(quoteTable(schema.table), keyCondition(schema))))
            fail(QCoreApplication::translate("SqlStore", "cannot prepare delete from \"%1\"").arg(schema.table), query);
        for (const Key &key : keys) {
            for (int i = 0; i < schema.primaryKey.size(); ++i)
                query.bindValue(i, toDatabase(schema.columns.at(schema.primaryKey.at(i)), key.at(i)));
            if (!query.exec())
                fail(QCoreApplication::translate("SqlStore", "delete from \"%1\" failed").arg(schema.table), query);
        }
    });
}

QString SqlStore::ferryName(const QString &prefix, const QString &table)
{
    QString name = table;
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_]"));
    name.replace(unsafe, QStringLiteral("_"));
    return prefix + name;
}

namespace {

// A row as JSON text for the conflicts table: shown to the operator, and read back by
// node/conflictversion.h when the operator writes that version again.
QString rowJson(const TableSchema &schema, const Row &row)
{
    if (row.isEmpty())
        return QString();
    QJsonArray values;
    for (qsizetype i = 0; i < row.size() && i < schema.columns.size(); ++i) {
        const QVariant &value = row.at(i);
        if (value.isNull())
            values.append(QJsonValue::Null);
        else if (schema.columns.at(i).type == ColumnType::Blob)
            values.append(QStringLiteral("\\x") + QString::fromLatin1(value.toByteArray().toHex()));
        else
            values.append(QJsonValue::fromVariant(value));
    }
    return QString::fromUtf8(QJsonDocument(values).toJson(QJsonDocument::Compact));
}

QString keyJson(const TableSchema &schema, const Key &key)
{
    TableSchema keySchema;
    for (int index : schema.primaryKey)
        keySchema.columns.append(schema.columns.at(index));
    return rowJson(keySchema, key);
}

} // namespace

void SqlStore::setRowFilter(const QString &table, const QString &condition)
{
    const QString trimmed = condition.trimmed();
    if (trimmed.isEmpty()) {
        m_rowFilters.remove(table);
        return;
    }
    if (trimmed.contains(QLatin1Char(';')))
        throw FerryError(QCoreApplication::translate("SqlStore", "%1: row filter \"%2\" must be one condition, without ';'").arg(m_displayName, trimmed));
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT 1 FROM %1 WHERE (%2) LIMIT 0").arg(quoteTable(table), trimmed))) {
        fail(QCoreApplication::translate("SqlStore", "row filter \"%1\" on table \"%2\" is not a valid condition").arg(trimmed, table), query);
    }
    m_rowFilters.insert(table, trimmed);
}

QList<Row> SqlStore::fetch(const TableSchema &schema, const QList<Key> &keys)
{
    QList<Row> rows;
    if (keys.isEmpty())
        return rows;
    QStringList columns;
    for (const Column &column : schema.columns)
        columns.append(selectExpression(column));
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    QString condition = keyCondition(schema);
    const QString filter = m_rowFilters.value(schema.table);
    if (!filter.isEmpty())
        condition += QStringLiteral(" AND (") + filter + QLatin1Char(')');
    if (!query.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE %3").arg(columns.join(QLatin1String(", ")), quoteTable(schema.table), condition)))
        fail(QCoreApplication::translate("SqlStore", "cannot prepare a read of table \"%1\"").arg(schema.table), query);
    Row row(schema.columns.size());
    for (const Key &key : keys) {
        for (int i = 0; i < schema.primaryKey.size(); ++i)
            query.bindValue(i, toDatabase(schema.columns.at(schema.primaryKey.at(i)), key.at(i)));
        if (!query.exec())
            fail(QCoreApplication::translate("SqlStore", "reading table \"%1\" failed").arg(schema.table), query);
        if (query.next()) {
            for (int i = 0; i < schema.columns.size(); ++i) {
                if (!fromDatabase(schema.columns.at(i), query.value(i), &row[i]))
                    failValue(schema, schema.columns.at(i), query.value(i));
            }
            rows.append(row);
        }
        query.finish();
    }
    return rows;
}

void SqlStore::createTable(const TableSchema &schema)
{
    if (objectExists(schema.table))
        throw FerryError(QCoreApplication::translate("SqlStore", "%1: table \"%2\" exists already").arg(m_displayName, schema.table));
    QStringList definitions;
    for (const Column &column : schema.columns)
        definitions.append(quote(column.name) + QLatin1Char(' ') + columnDdl(column) + (column.notNull ? QStringLiteral(" NOT NULL") : QString()));
    QStringList keyNames;
    for (int index : schema.primaryKey)
        keyNames.append(quote(schema.columns.at(index).name));
    definitions.append(QStringLiteral("PRIMARY KEY (%1)").arg(keyNames.join(QLatin1String(", "))));
    inTransaction(QCoreApplication::translate("SqlStore", "creation of table \"%1\"").arg(schema.table), [&] {
        exec(QStringLiteral("CREATE TABLE %1 (%2)").arg(quoteTable(schema.table), definitions.join(QLatin1String(", "))));
    });
}

QStringList SqlStore::addColumns(const TableSchema &schema)
{
    const TableSchema current = describe(schema.table);
    for (int i = 0; i < current.columns.size(); ++i) {
        if (i >= schema.columns.size() || schema.columns.at(i).name != current.columns.at(i).name || schema.columns.at(i).type != current.columns.at(i).type)
            throw FerryError(QCoreApplication::translate("SqlStore", "%1: table \"%2\" (%3) is not the start of (%4): columns are added only at the end")
                                 .arg(m_displayName, schema.table, current.columnNames().join(QLatin1String(", ")), schema.columnNames().join(QLatin1String(", "))));
    }
    QStringList added;
    inTransaction(QCoreApplication::translate("SqlStore", "adding columns to table \"%1\"").arg(schema.table), [&] {
        for (qsizetype i = current.columns.size(); i < schema.columns.size(); ++i) {
            const Column &column = schema.columns.at(i);
            exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN %2 %3").arg(quoteTable(schema.table), quote(column.name), columnDdl(column)));
            added.append(column.name);
        }
    });
    return added;
}

void SqlStore::dropTable(const QString &table)
{
    if (!objectExists(table))
        return;
    removeCapture(table);
    inTransaction(QCoreApplication::translate("SqlStore", "dropping table \"%1\"").arg(table), [&] {
        exec(QStringLiteral("DROP TABLE %1").arg(quoteTable(table)));
    });
}

void SqlStore::ensureBookkeeping()
{
    if (m_bookkeepingReady)
        return;
    const QString origin = m_writeOrigin;
    m_writeOrigin.clear();   // the DDL itself is not a replicated write
    try {
        inTransaction(QCoreApplication::translate("SqlStore", "creation of Ferry's bookkeeping tables"), [&] {
            for (const QString &statement : bookkeepingDdl())
                exec(statement);
        });
    } catch (...) {
        m_writeOrigin = origin;
        throw;
    }
    m_writeOrigin = origin;
    m_bookkeepingReady = true;
}

void SqlStore::installCapture(const TableSchema &schema)
{
    ensureBookkeeping();
    inTransaction(QCoreApplication::translate("SqlStore", "installing change capture on table \"%1\"").arg(schema.table), [&] {
        for (const QString &statement : captureDdl(schema))
            exec(statement);
    });
}

void SqlStore::removeCapture(const QString &table)
{
    inTransaction(QCoreApplication::translate("SqlStore", "removing change capture from table \"%1\"").arg(table), [&] {
        for (const QString &statement : dropCaptureDdl(table))
            exec(statement);
    });
}

bool SqlStore::hasCapture(const QString &table)
{
    return objectExists(ferryName(QStringLiteral("_ferry_log_"), table));
}

qint64 SqlStore::lastChangeSeq(const TableSchema &schema)
{
    QSqlQuery query = exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM %1").arg(quote(ferryName(QStringLiteral("_ferry_log_"), schema.table))));
    return query.next() ? query.value(0).toLongLong() : 0;
}

Store::Backlog SqlStore::backlog(const TableSchema &schema, qint64 afterSeq)
{
    // Both by the log's primary key: a range count and one index lookup.
    const QString log = quote(ferryName(QStringLiteral("_ferry_log_"), schema.table));
    QSqlQuery query = exec(QStringLiteral("SELECT (SELECT count(*) FROM %1 WHERE seq > %2), "
                                          "(SELECT at FROM %1 WHERE seq > %2 ORDER BY seq LIMIT 1)")
                               .arg(log)
                               .arg(afterSeq));
    Backlog backlog;
    if (query.next()) {
        backlog.changes = query.value(0).toLongLong();
        backlog.oldestAtUs = query.isNull(1) ? 0 : query.value(1).toLongLong();
    }
    return backlog;
}

bool SqlStore::captureIntact(const QString &table)
{
    for (const QString &trigger : captureTriggers(table)) {
        if (!objectExists(trigger))
            return false;
    }
    return true;
}

QString SqlStore::linkMark(const QString &linkId)
{
    if (!objectExists(QStringLiteral("_ferry_marks")))
        return QString();
    QSqlQuery query = exec(QStringLiteral("SELECT mark FROM _ferry_marks WHERE link = ?"), {linkId});
    return query.next() ? query.value(0).toString() : QString();
}

void SqlStore::setLinkMark(const QString &linkId, const QString &mark)
{
    exec(QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_marks (link text PRIMARY KEY, mark text NOT NULL)"));
    exec(QStringLiteral("INSERT INTO _ferry_marks (link, mark) VALUES (?, ?) ON CONFLICT (link) DO UPDATE SET mark = excluded.mark"), {linkId, mark});
}

QString SqlStore::currentRowJoin(const TableSchema &schema, const QStringList &columns, const QString &filter) const
{
    // A subquery SQLite flattens into the join: one primary-key lookup per log entry.
    QStringList select = columns;
    QStringList on;
    for (int i = 0; i < schema.primaryKey.size(); ++i) {
        select.append(quote(schema.columns.at(schema.primaryKey.at(i)).name) + QStringLiteral(" AS ferry_match%1").arg(i));
        on.append(QStringLiteral("ferry_cur.ferry_match%1 = ferry_log.ferry_stored%1").arg(i));
    }
    QString current = QStringLiteral("SELECT %1 FROM %2").arg(select.join(QLatin1String(", ")), quoteTable(schema.table));
    if (!filter.isEmpty())
        current += QStringLiteral(" WHERE (") + filter + QLatin1Char(')');
    return QStringLiteral("LEFT JOIN (%1) AS ferry_cur ON %2").arg(current, on.join(QLatin1String(" AND ")));
}

QList<Change> SqlStore::readChanges(const TableSchema &schema, qint64 afterSeq, int limit)
{
    // The log entries and, in the same statement (one round trip, one snapshot), the rows
    // they point at as they are now, whatever the logged op: a row changed again or deleted
    // since, or deleted and inserted again, is sent as it is now, which is what the later
    // changes would make of it anyway (and a later change may be an echo the streamer
    // skips, such as the applier's write of a remote version that won a conflict).
    // Looked up by the key as the log stored it, not by its canonical value, which the
    // table may hold in another form (SQLite keeps timestamps as the application wrote
    // them: '2024-03-01' is '2024-03-01 00:00:00' canonically). A row outside the row
    // filter reads as gone, as in fetch().
    const QString log = quote(ferryName(QStringLiteral("_ferry_log_"), schema.table));
    const int keyCount = int(schema.primaryKey.size());
    QStringList logColumns{QStringLiteral("seq"), QStringLiteral("op"), QStringLiteral("origin"), QStringLiteral("at")};
    for (int i = 0; i < keyCount; ++i) {
        // The log's copy of a key column has the column's own type: read it the same way
        // (PostgreSQL timestamps as epoch microseconds, numerics as text).
        Column logColumn = schema.columns.at(schema.primaryKey.at(i));
        logColumn.name = QStringLiteral("k_") + logColumn.name;
        logColumns.append(selectExpression(logColumn) + QStringLiteral(" AS ferry_key%1").arg(i));
        logColumns.append(quote(logColumn.name) + QStringLiteral(" AS ferry_stored%1").arg(i));
    }
    QStringList columns{QStringLiteral("1 AS ferry_present")};
    for (const Column &column : schema.columns)
        columns.append(selectExpression(column));
    // Not prepared (the cursor is a number, inlined): one round trip, and no plan kept
    // across a change of the table's columns.
    const QString sql = QStringLiteral("SELECT ferry_log.*, ferry_cur.* FROM (SELECT %1 FROM %2 WHERE seq > %3 ORDER BY seq LIMIT %4) AS ferry_log %5 "
                                       "ORDER BY ferry_log.seq")
                            .arg(logColumns.join(QLatin1String(", ")), log)
                            .arg(afterSeq)
                            .arg(std::max(1, limit))
                            .arg(currentRowJoin(schema, columns, m_rowFilters.value(schema.table)));
    QSqlQuery query = exec(sql);
    const int present = 4 + 2 * keyCount;
    QList<Change> changes;
    Row row(schema.columns.size());
    while (query.next()) {
        Change change;
        change.seq = query.value(0).toLongLong();
        change.origin = query.value(2).toString();
        change.committedAtUs = query.value(3).toLongLong();
        for (int i = 0; i < keyCount; ++i) {
            const Column &column = schema.columns.at(schema.primaryKey.at(i));
            QVariant value;
            if (!fromDatabase(column, query.value(4 + 2 * i), &value))
                failValue(schema, column, query.value(4 + 2 * i));
            change.key.append(value);
        }
        if (!query.isNull(present)) {
            for (int i = 0; i < schema.columns.size(); ++i) {
                if (!fromDatabase(schema.columns.at(i), query.value(present + 1 + i), &row[i]))
                    failValue(schema, schema.columns.at(i), query.value(present + 1 + i));
            }
            change.deleted = false;
            change.row = row;
        } else {
            change.deleted = true;
        }
        changes.append(std::move(change));
    }
    if (query.lastError().isValid())
        fail(QCoreApplication::translate("SqlStore", "reading the change log of \"%1\" failed").arg(schema.table), query);
    return changes;
}

void SqlStore::pruneChanges(const TableSchema &schema, qint64 upToSeq)
{
    exec(QStringLiteral("DELETE FROM %1 WHERE seq <= ?").arg(quote(ferryName(QStringLiteral("_ferry_log_"), schema.table))), {upToSeq});
}

void SqlStore::setReplicaGuard(const TableSchema &schema, bool on, const QString &message)
{
    ensureBookkeeping();
    inTransaction(QCoreApplication::translate("SqlStore", "changing the replica guard of table \"%1\"").arg(schema.table), [&] {
        for (const QString &statement : dropGuardDdl(schema.table))
            exec(statement);
        if (on) {
            for (const QString &statement : guardDdl(schema, message))
                exec(statement);
        }
    });
}

bool SqlStore::hasReplicaGuard(const QString &table)
{
    return objectExists(ferryName(QStringLiteral("_ferry_guard_"), table));
}

// --- Write lease ----------------------------------------------------------------------

void SqlStore::holdWriteLease(const TableSchema &schema, const QString &holder, qint64 expiresUs, const QString &message)
{
    ensureBookkeeping();   // the guard reads the write origin from it
    const QString origin = m_writeOrigin;
    m_writeOrigin.clear();   // Ferry's own bookkeeping, not a replicated write
    auto restore = qScopeGuard([&] { m_writeOrigin = origin; });
    inTransaction(QCoreApplication::translate("SqlStore", "taking the write lease of table \"%1\"").arg(schema.table), [&] {
        for (const QString &statement : leaseTableDdl())
            exec(statement);
        exec(QStringLiteral("DELETE FROM _ferry_lease WHERE tbl = ? AND holder = ?"), {schema.table, holder});
        exec(QStringLiteral("INSERT INTO _ferry_lease (tbl, holder, expires_us) VALUES (?, ?, ?)"), {schema.table, holder, expiresUs});
        for (const QString &statement : dropLeaseGuardDdl(schema.table))
            exec(statement);
        for (const QString &statement : leaseGuardDdl(schema, message))
            exec(statement);
    });
}

bool SqlStore::renewWriteLease(const QString &table, const QString &holder, qint64 expiresUs)
{
    QSqlQuery &query = execCached(QStringLiteral("UPDATE _ferry_lease SET expires_us = ? WHERE tbl = ? AND holder = ? AND expires_us < ?"),
                                  {expiresUs, table, holder, expiresUs});
    const bool renewed = query.numRowsAffected() > 0;
    query.finish();
    if (renewed)
        return true;
    // Not moved: a later expiry is there already, or holder holds no lease.
    QSqlQuery held = exec(QStringLiteral("SELECT 1 FROM _ferry_lease WHERE tbl = ? AND holder = ?"), {table, holder});
    return held.next();
}

void SqlStore::releaseWriteLease(const QString &table, const QString &holder)
{
    if (!objectExists(QStringLiteral("_ferry_lease")))
        return;
    const QString origin = m_writeOrigin;
    m_writeOrigin.clear();
    auto restore = qScopeGuard([&] { m_writeOrigin = origin; });
    inTransaction(QCoreApplication::translate("SqlStore", "releasing the write lease of table \"%1\"").arg(table), [&] {
        if (holder.isEmpty())
            exec(QStringLiteral("DELETE FROM _ferry_lease WHERE tbl = ?"), {table});
        else
            exec(QStringLiteral("DELETE FROM _ferry_lease WHERE tbl = ? AND holder = ?"), {table, holder});
        QSqlQuery left = exec(QStringLiteral("SELECT count(*) FROM _ferry_lease WHERE tbl = ?"), {table});
        if (left.next() && left.value(0).toLongLong() == 0) {
            for (const QString &statement : dropLeaseGuardDdl(table))
                exec(statement);
        }
    });
}

qint64 SqlStore::writeLeaseExpiry(const QString &table)
{
    if (!objectExists(ferryName(QStringLiteral("_ferry_lease_"), table)))
        return -1;
    QSqlQuery query = exec(QStringLiteral("SELECT min(expires_us) FROM _ferry_lease WHERE tbl = ?"), {table});
    return query.next() && !query.value(0).isNull() ? query.value(0).toLongLong() : 0;
}

qint64 SqlStore::appliedSeq(const QString &linkId)
{
    // Reading creates nothing: the store may be read-only (a status view), and where
    // nothing was ever applied there is no table yet.
    if (!m_bookkeepingReady && !objectExists(QStringLiteral("_ferry_applied")))
        return 0;
    QSqlQuery query = exec(QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = ?"), {linkId});
    return query.next() ? query.value(0).toLongLong() : 0;
}

QList<Key> SqlStore::pendingLocalKeys(const TableSchema &schema, const QList<Key> &keys, const ApplyOptions &options)
{
    QList<Key> pending;
    const QString log = ferryName(QStringLiteral("_ferry_log_"), schema.table);
    if (!objectExists(log))
        return pending;
    QStringList conditions;
    for (int index : schema.primaryKey)
        conditions.append(quote(QStringLiteral("k_") + schema.columns.at(index).name) + QStringLiteral(" = ?"));
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.prepare(QStringLiteral("SELECT 1 FROM %1 WHERE seq > ? AND (origin IS NULL OR origin <> ?) AND %2 LIMIT 1")
                           .arg(quote(log), conditions.join(QLatin1String(" AND ")))))
        fail(QCoreApplication::translate("SqlStore", "cannot prepare a read of the change log of \"%1\"").arg(schema.table), query);
    for (const Key &key : keys) {
        query.bindValue(0, options.localAckedSeq);
        query.bindValue(1, options.origin);
        for (int i = 0; i < schema.primaryKey.size(); ++i)
            query.bindValue(2 + i, toDatabase(schema.columns.at(schema.primaryKey.at(i)), key.at(i)));
        if (!query.exec())
            fail(QCoreApplication::translate("SqlStore", "reading the change log of \"%1\" failed").arg(schema.table), query);
        if (query.next())
            pending.append(key);
        query.finish();
    }
    return pending;
}

void SqlStore::recordConflict(const TableSchema &schema, const ApplyOptions &options, const Key &key, const Row &kept,
                              const Row &lost, const QString &lostOrigin, const QString &reason)
{
    exec(QStringLiteral("INSERT INTO _ferry_conflicts (at, link, tbl, key, kept, lost, lost_origin, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
         {QDateTime::currentMSecsSinceEpoch() * 1000, options.linkId, schema.table, keyJson(schema, key),
          nonNullForBinding(ColumnType::Text, rowJson(schema, kept)), nonNullForBinding(ColumnType::Text, rowJson(schema, lost)),
          nonNullForBinding(ColumnType::Text, lostOrigin), reason});
}

void SqlStore::recordConflicts(const TableSchema &schema, const QString &linkId, const QList<ConflictRecord> &records)
{
    ensureBookkeeping();
    ApplyOptions options;
    options.linkId = linkId;
    inTransaction(QCoreApplication::translate("SqlStore", "keeping conflicting rows of table \"%1\"").arg(schema.table), [&] {
        for (const ConflictRecord &record : records)
            recordConflict(schema, options, record.key, record.kept, record.lost, record.lostOrigin, record.reason);
    });
}

QList<StoredConflict> SqlStore::readConflicts(int limit)
{
    QList<StoredConflict> rows;
    if (!objectExists(QStringLiteral("_ferry_conflicts")))
        return rows;
    QSqlQuery query = exec(QStringLiteral("SELECT id, at, link, tbl, key, kept, lost, lost_origin, reason FROM _ferry_conflicts ORDER BY id DESC LIMIT %1")
                               .arg(std::max(1, limit)));
    while (query.next()) {
        rows.append(StoredConflict{query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toString(), query.value(3).toString(),
                                   query.value(4).toString(), query.value(5).toString(), query.value(6).toString(), query.value(7).toString(),
                                   query.value(8).toString()});
    }
    return rows;
}

bool SqlStore::readConflict(qint64 id, StoredConflict *conflict)
{
    if (!objectExists(QStringLiteral("_ferry_conflicts")))
        return false;
    QSqlQuery query = exec(QStringLiteral("SELECT id, at, link, tbl, key, kept, lost, lost_origin, reason FROM _ferry_conflicts WHERE id = ?"), {id});
    if (!query.next())
        return false;
    *conflict = StoredConflict{query.value(0).toLongLong(), query.value(1).toLongLong(), query.value(2).toString(), query.value(3).toString(),
                               query.value(4).toString(), query.value(5).toString(), query.value(6).toString(), query.value(7).toString(),
                               query.value(8).toString()};
    return true;
}

ApplyResult SqlStore::applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options)
{
    if (options.linkId.isEmpty() || options.origin.isEmpty())
        throw FerryError(QCoreApplication::translate("SqlStore", "%1: applying changes needs a link and an origin").arg(m_displayName));
    ApplyResult result;
    const QString origin = m_writeOrigin;
    m_writeOrigin = options.origin;
    auto restore = qScopeGuard([&] { m_writeOrigin = origin; });
    ensureBookkeeping();
    inTransaction(QCoreApplication::translate("SqlStore", "applying changes to table \"%1\"").arg(schema.table), [&] {
        QSqlQuery &applied = execCached(QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = ?"), {options.linkId});
        const qint64 before = applied.next() ? applied.value(0).toLongLong() : 0;
        applied.finish();
        result.appliedSeq = std::max(before, lastSeq);
        QList<Change> fresh;
        for (const Change &change : changes) {
            if (change.seq <= before)
                ++result.skipped;
            else
                fresh.append(change);
        }

        QSet<QString> conflicting;
        QHash<QString, Row> localRows;
        if (options.detectConflicts && !fresh.isEmpty()) {
            QList<Key> keys;
            for (const Change &change : fresh) {
                if (!change.key.isEmpty())
                    keys.append(change.key);
            }
            for (const Key &key : pendingLocalKeys(schema, keys, options))
                conflicting.insert(keyJson(schema, key));
            if (!conflicting.isEmpty()) {
                QList<Key> conflictKeys;
                for (const Change &change : fresh) {
                    if (conflicting.contains(keyJson(schema, change.key)))
                        conflictKeys.append(change.key);
                }
                for (const Row &row : fetch(schema, conflictKeys))
                    localRows.insert(keyJson(schema, schema.keyOf(row)), row);
            }
        }

        QSqlQuery upsertQuery(m_db);
        QStringList names;
        QStringList marks;
        for (const Column &column : schema.columns) {
            names.append(quote(column.name));
            marks.append(QStringLiteral("?"));
        }
        if (!upsertQuery.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)").arg(quoteTable(schema.table), names.join(QLatin1String(", ")), marks.join(QLatin1String(", ")))
                                 + upsertSuffix(schema)))
            fail(QCoreApplication::translate("SqlStore", "cannot prepare insert into \"%1\"").arg(schema.table), upsertQuery);
        // Prepared when the batch has a delete (on PostgreSQL a prepare is a round trip).
        std::optional<QSqlQuery> deleteQuery;

        for (const Change &change : fresh) {
            if (change.deleted && change.key.isEmpty()) {
                // A TRUNCATE of the source table, in its place among the changes.
                exec(QStringLiteral("DELETE FROM %1").arg(quoteTable(schema.table)));
                ++result.applied;
                continue;
            }
            const QString keyText = keyJson(schema, change.key);
            if (conflicting.contains(keyText)) {
                const Row local = localRows.value(keyText);
                bool remoteWins;
                if (options.policy == ConflictPolicy::NewestWins && options.timestampColumn >= 0) {
                    const QVariant remoteTs = change.deleted ? QVariant() : change.row.value(options.timestampColumn);
                    const QVariant localTs = local.isEmpty() ? QVariant() : local.value(options.timestampColumn);
                    const int order = compareValues(schema.columns.at(options.timestampColumn).type, remoteTs, localTs);
                    remoteWins = order > 0 || (order == 0 && options.origin > options.localOrigin);
                } else {
                    remoteWins = options.winner == options.origin;
                }
                ++result.conflicts;
                if (!remoteWins) {
                    recordConflict(schema, options, change.key, local, change.row, options.origin,
                                   change.deleted ? QStringLiteral("remote delete lost") : QStringLiteral("remote update lost"));
                    continue;
                }
                recordConflict(schema, options, change.key, change.row, local, options.localOrigin,
                               local.isEmpty() ? QStringLiteral("local delete lost") : QStringLiteral("local update lost"));
            }
            if (change.deleted) {
                if (!deleteQuery) {
                    deleteQuery.emplace(m_db);
                    if (!deleteQuery->prepare(QStringLiteral("DELETE FROM %1 WHERE %2").arg(quoteTable(schema.table), keyCondition(schema))))
                        fail(QCoreApplication::translate("SqlStore", "cannot prepare delete from \"%1\"").arg(schema.table), *deleteQuery);
                }
                for (int i = 0; i < schema.primaryKey.size(); ++i)
                    deleteQuery->bindValue(i, toDatabase(schema.columns.at(schema.primaryKey.at(i)), change.key.at(i)));
                if (!deleteQuery->exec())
                    fail(QCoreApplication::translate("SqlStore", "delete from \"%1\" failed").arg(schema.table), *deleteQuery);
            } else {
                for (int i = 0; i < schema.columns.size(); ++i)
                    upsertQuery.bindValue(i, toDatabase(schema.columns.at(i), change.row.at(i)));
                if (!upsertQuery.exec())
                    fail(QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table), upsertQuery);
            }
            ++result.applied;
        }
        execCached(QStringLiteral("INSERT INTO _ferry_applied (link, seq) VALUES (?, ?) ON CONFLICT (link) DO UPDATE SET seq = excluded.seq"),
                   {options.linkId, result.appliedSeq})
            .finish();
    });
    return result;
}

} // namespace ferry

namespace ferry {

QList<ApplyResult> SqlStore::applyGroup(const QList<GroupPart> &parts, const QString &origin)
{
    if (origin.isEmpty())
        throw FerryError(QCoreApplication::translate("SqlStore", "%1: applying changes needs an origin").arg(m_displayName));
    QList<ApplyResult> results(parts.size());
    const QString saved = m_writeOrigin;
    m_writeOrigin = origin;
    auto restore = qScopeGuard([&] { m_writeOrigin = saved; });
    ensureBookkeeping();
    QStringList tables;
    for (const GroupPart &part : parts)
        tables.append(part.schema.table);
    inTransaction(QCoreApplication::translate("SqlStore", "applying one transaction to tables %1").arg(tables.join(QLatin1String(", "))), [&] {
        // Each key's last change (all of one read carry the row as it was then), split into
        // what stays or arrives and what goes.
        struct Split
        {
            QList<const Change *> upserts;
            QList<const Change *> deletes;
            bool truncated = false;
        };
        QList<Split> splits(parts.size());
        for (qsizetype p = 0; p < parts.size(); ++p) {
            const GroupPart &part = parts.at(p);
            QSqlQuery &applied = execCached(QStringLiteral("SELECT seq FROM _ferry_applied WHERE link = ?"), {part.linkId});
            const qint64 before = applied.next() ? applied.value(0).toLongLong() : 0;
            applied.finish();
            results[p].appliedSeq = std::max(before, part.lastSeq);
            QHash<QString, qsizetype> last;
            QList<const Change *> fresh;
            for (const Change &change : part.changes) {
                if (change.seq <= before) {
                    ++results[p].skipped;
                    continue;
                }
                if (change.deleted && change.key.isEmpty()) {   // a TRUNCATE: what came before it is gone
                    splits[p].truncated = true;
                    fresh.clear();
                    last.clear();
                    continue;
                }
                const QString key = keyJson(part.schema, change.key);
                const auto it = last.constFind(key);
                if (it != last.constEnd())
                    fresh[*it] = nullptr;
                last.insert(key, fresh.size());
                fresh.append(&change);
            }
            for (const Change *change : std::as_const(fresh)) {
                if (change)
                    (change->deleted ? splits[p].deletes : splits[p].upserts).append(change);
            }
        }
        // Parents first: their rows exist before a child's row points at them.
        for (qsizetype p = 0; p < parts.size(); ++p) {
            const TableSchema &schema = parts.at(p).schema;
            if (splits.at(p).truncated) {
                exec(QStringLiteral("DELETE FROM %1").arg(quoteTable(schema.table)));
                ++results[p].applied;
            }
            if (splits.at(p).upserts.isEmpty())
                continue;
            QStringList names;
            QStringList marks;
            for (const Column &column : schema.columns) {
                names.append(quote(column.name));
                marks.append(QStringLiteral("?"));
            }
            QSqlQuery &upsertQuery = cachedQuery(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                                                     .arg(quoteTable(schema.table), names.join(QLatin1String(", ")), marks.join(QLatin1String(", ")))
                                                 + upsertSuffix(schema));
            for (const Change *change : splits.at(p).upserts) {
                for (int i = 0; i < schema.columns.size(); ++i)
                    upsertQuery.bindValue(i, toDatabase(schema.columns.at(i), change->row.at(i)));
                if (!upsertQuery.exec())
                    fail(QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table), upsertQuery);
                ++results[p].applied;
            }
            upsertQuery.finish();
        }
        // Children first: no row is left pointing at a parent row that goes.
        for (qsizetype p = parts.size() - 1; p >= 0; --p) {
            const TableSchema &schema = parts.at(p).schema;
            if (splits.at(p).deletes.isEmpty())
                continue;
            QSqlQuery &deleteQuery = cachedQuery(QStringLiteral("DELETE FROM %1 WHERE %2").arg(quoteTable(schema.table), keyCondition(schema)));
            for (const Change *change : splits.at(p).deletes) {
                for (int i = 0; i < schema.primaryKey.size(); ++i)
                    deleteQuery.bindValue(i, toDatabase(schema.columns.at(schema.primaryKey.at(i)), change->key.at(i)));
                if (!deleteQuery.exec())
                    fail(QCoreApplication::translate("SqlStore", "delete from \"%1\" failed").arg(schema.table), deleteQuery);
                ++results[p].applied;
            }
            deleteQuery.finish();
        }
        for (qsizetype p = 0; p < parts.size(); ++p) {
            execCached(QStringLiteral("INSERT INTO _ferry_applied (link, seq) VALUES (?, ?) ON CONFLICT (link) DO UPDATE SET seq = excluded.seq"),
                       {parts.at(p).linkId, results.at(p).appliedSeq})
                .finish();
        }
    });
    return results;
}

void SqlStore::readInSnapshot(const std::function<void()> &fn)
{
    // SQLite: a deferred transaction's first read fixes its snapshot (WAL). PostgreSQL:
    // REPEATABLE READ, whose snapshot is taken by the first statement and kept.
    const bool sqlite = m_db.driverName() == QLatin1String("QSQLITE");
    exec(sqlite ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    try {
        fn();
    } catch (...) {
        QSqlQuery rollback(m_db);
        rollback.exec(QStringLiteral("ROLLBACK"));
        throw;
    }
    exec(QStringLiteral("COMMIT"));
}

QList<qint64> SqlStore::lastChangeSeqs(const QList<TableSchema> &schemas)
{
    QList<qint64> seqs;
    if (schemas.isEmpty())
        return seqs;
    QStringList columns;
    for (const TableSchema &schema : schemas)
        columns.append(QStringLiteral("(SELECT coalesce(max(seq), 0) FROM %1)").arg(quote(ferryName(QStringLiteral("_ferry_log_"), schema.table))));
    QSqlQuery query = exec(QStringLiteral("SELECT ") + columns.join(QLatin1String(", ")));
    if (!query.next())
        fail(QCoreApplication::translate("SqlStore", "reading where the change logs stand failed"), query);
    for (qsizetype i = 0; i < schemas.size(); ++i)
        seqs.append(query.value(int(i)).toLongLong());
    return seqs;
}

} // namespace ferry
