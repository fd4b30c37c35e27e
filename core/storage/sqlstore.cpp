#include "storage/sqlstore.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

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
    if (!m_db.transaction())
        failDatabase(QCoreApplication::translate("SqlStore", "cannot begin a transaction to %1").arg(what));
    try {
        fn();
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
    QStringList updates;
    for (int i = 0; i < schema.columns.size(); ++i) {
        const QString name = quote(schema.columns.at(i).name);
        names.append(name);
        marks.append(QStringLiteral("?"));
        if (!schema.primaryKey.contains(i))
            updates.append(name + QStringLiteral(" = excluded.") + name);
    }
    QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                      .arg(quoteTable(schema.table), names.join(QLatin1String(", ")), marks.join(QLatin1String(", ")));
    if (upsert) {
        QStringList keyNames;
        for (int index : schema.primaryKey)
            keyNames.append(quote(schema.columns.at(index).name));
        sql += QStringLiteral(" ON CONFLICT (%1) DO ").arg(keyNames.join(QLatin1String(", ")));
        sql += updates.isEmpty() ? QStringLiteral("NOTHING") : QStringLiteral("UPDATE SET ") + updates.join(QLatin1String(", "));
    }
    QSqlQuery query(m_db);
    if (!query.prepare(sql))
        fail(QCoreApplication::translate("SqlStore", "cannot prepare insert into \"%1\"").arg(schema.table), query);
    for (const Row &row : rows) {
        for (int i = 0; i < schema.columns.size(); ++i)
            query.bindValue(i, toDatabase(schema.columns.at(i), row.at(i)));
        if (!query.exec())
            fail(QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table), query);
    }
}

void SqlStore::replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges)
{
    inTransaction(QCoreApplication::translate("SqlStore", "repair of table \"%1\"").arg(schema.table), [&] {
        for (const RangeRows &part : ranges) {
            QStringList where;
            QVariantList bindings;
            appendRangePredicate(schema, part.range, &where, &bindings);
            QString sql = QStringLiteral("DELETE FROM ") + quoteTable(schema.table);
            if (!where.isEmpty())
                sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
            exec(sql, bindings);
            insertRows(schema, part.rows, false);
        }
    });
}

void SqlStore::upsert(const TableSchema &schema, const QList<Row> &rows)
{
    inTransaction(QCoreApplication::translate("SqlStore", "upsert into table \"%1\"").arg(schema.table), [&] { insertRows(schema, rows, true); });
}

void SqlStore::remove(const TableSchema &schema, const QList<Key> &keys)
{
    inTransaction(QCoreApplication::translate("SqlStore", "delete from table \"%1\"").arg(schema.table), [&] {
        QStringList conditions;
        for (int index : schema.primaryKey)
            conditions.append(quote(schema.columns.at(index).name) + QStringLiteral(" = ?"));
        QSqlQuery query(m_db);
        if (!query.prepare(QStringLiteral("DELETE FROM %1 WHERE %2").arg(quoteTable(schema.table), conditions.join(QLatin1String(" AND ")))))
            fail(QCoreApplication::translate("SqlStore", "cannot prepare delete from \"%1\"").arg(schema.table), query);
        for (const Key &key : keys) {
            for (int i = 0; i < schema.primaryKey.size(); ++i)
                query.bindValue(i, toDatabase(schema.columns.at(schema.primaryKey.at(i)), key.at(i)));
            if (!query.exec())
                fail(QCoreApplication::translate("SqlStore", "delete from \"%1\" failed").arg(schema.table), query);
        }
    });
}

} // namespace ferry
