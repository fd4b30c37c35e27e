#include "storage/postgresstore.h"

#include "blocks/canonicalencoder.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace ferry {

namespace {

QString pgDisplayName(const DataSource &source)
{
    DataSource withoutTable = source;
    withoutTable.table.clear();
    return withoutTable.displayName();
}

} // namespace

PostgresStore::PostgresStore(const DataSource &source, const Options &options)
    : SqlStore(QStringLiteral("QPSQL"), pgDisplayName(source))
{
    m_db.setHostName(source.host);
    m_db.setPort(source.port);
    m_db.setDatabaseName(source.database);
    if (!source.user.isEmpty())
        m_db.setUserName(source.user);
    if (!source.password.isEmpty())
        m_db.setPassword(source.password);
    m_db.setConnectOptions(QStringLiteral("connect_timeout=5;application_name=ferry"));
    if (!m_db.open())
        failDatabase(QCoreApplication::translate("PostgresStore", "cannot connect"));
    exec(QStringLiteral("SET TimeZone = 'UTC'"));
    exec(QStringLiteral("SET extra_float_digits = 3"));   // shortest exact text for float8
    exec(QStringLiteral("SET client_encoding = 'UTF8'"));
    exec(QStringLiteral("SET lock_timeout = %1").arg(options.busyTimeoutMs));
    if (options.readOnly)
        exec(QStringLiteral("SET default_transaction_read_only = on"));
}

QStringList PostgresStore::tables()
{
    QSqlQuery query = exec(QStringLiteral("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"));
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

QString PostgresStore::quoteTable(const QString &table) const
{
    const qsizetype dot = table.indexOf(QLatin1Char('.'));
    if (dot > 0)
        return quote(table.left(dot)) + QLatin1Char('.') + quote(table.mid(dot + 1));
    return quote(table);
}

bool PostgresStore::mapTypeName(const QString &typeName, ColumnType *type)
{
    static const QHash<QString, ColumnType> types = {
        {QStringLiteral("int2"), ColumnType::Integer},      {QStringLiteral("int4"), ColumnType::Integer},
        {QStringLiteral("int8"), ColumnType::Integer},      {QStringLiteral("float4"), ColumnType::Real},
        {QStringLiteral("float8"), ColumnType::Real},       {QStringLiteral("text"), ColumnType::Text},
        {QStringLiteral("varchar"), ColumnType::Text},      {QStringLiteral("bpchar"), ColumnType::Text},
        {QStringLiteral("bytea"), ColumnType::Blob},        {QStringLiteral("bool"), ColumnType::Boolean},
        {QStringLiteral("timestamp"), ColumnType::Timestamp}, {QStringLiteral("timestamptz"), ColumnType::Timestamp},
        {QStringLiteral("date"), ColumnType::Timestamp},    {QStringLiteral("numeric"), ColumnType::Numeric},
    };
    const auto it = types.constFind(typeName);
    if (it == types.constEnd())
        return false;
    *type = it.value();
    return true;
}

TableSchema PostgresStore::describe(const QString &table)
{
    QSqlQuery exists = exec(QStringLiteral("SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass(?)"), {quoteTable(table)});
    if (!exists.next())
        throw FerryError(QCoreApplication::translate("PostgresStore", "%1: table \"%2\" does not exist").arg(m_displayName, table));
    if (exists.value(0).toString() != QLatin1String("r") && exists.value(0).toString() != QLatin1String("p"))
        throw FerryError(QCoreApplication::translate("PostgresStore", "%1: \"%2\" is not a table").arg(m_displayName, table));

    TableSchema schema;
    schema.table = table;
    QSqlQuery columns = exec(QStringLiteral("SELECT a.attname, t.typname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
                                            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                                            "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped "
                                            "ORDER BY a.attnum"),
                             {quoteTable(table)});
    while (columns.next()) {
        Column column;
        column.name = columns.value(0).toString();
        column.declaredType = columns.value(2).toString();
        column.notNull = columns.value(3).toBool();
        if (!mapTypeName(columns.value(1).toString(), &column.type)) {
            throw FerryError(QCoreApplication::translate("PostgresStore", "%1: column \"%2\" of table \"%3\" has type \"%4\", which Ferry cannot replicate "
                                                                          "(supported: integer types, real, double precision, text, varchar, char, bytea, "
                                                                          "boolean, timestamp, timestamptz, date, numeric)")
                                 .arg(m_displayName, column.name, table, column.declaredType));
        }
        schema.columns.append(column);
    }
    QSqlQuery key = exec(QStringLiteral("SELECT a.attname FROM pg_index i "
                                        "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true "
                                        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                                        "WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY k.ord"),
                         {quoteTable(table)});
    while (key.next())
        schema.primaryKey.append(schema.columnIndex(key.value(0).toString()));
    if (schema.primaryKey.isEmpty())
        throw FerryError(QCoreApplication::translate("PostgresStore", "%1: table \"%2\" has no primary key; Ferry needs one to split it into key ranges").arg(m_displayName, table));
    return schema;
}

QString PostgresStore::selectExpression(const Column &column) const
{
    switch (column.type) {
    case ColumnType::Timestamp:
        return QStringLiteral("(extract(epoch from %1) * 1000000)::int8").arg(quote(column.name));
    case ColumnType::Numeric:
        return quote(column.name) + QStringLiteral("::text");
    case ColumnType::Real:
        return quote(column.name) + QStringLiteral("::float8");
    default:
        return quote(column.name);
    }
}

QString PostgresStore::orderExpression(const Column &column) const
{
    if (column.type == ColumnType::Text)
        return quote(column.name) + QStringLiteral(" COLLATE \"C\"");
    // scan() selects a numeric as text under the column's own name, and a bare name in
    // ORDER BY means that output column: the cast keeps the order numeric.
    if (column.type == ColumnType::Numeric)
        return quote(column.name) + QStringLiteral("::numeric");
    return quote(column.name);
}

QVariant PostgresStore::toDatabase(const Column &column, const QVariant &value) const
{
    if (value.isNull())
        return QVariant(QMetaType::fromType<QString>());
    switch (column.type) {
    case ColumnType::Timestamp:
        return formatTimestamp(value.toLongLong());
    case ColumnType::Text:
    case ColumnType::Blob:
        return nonNullForBinding(column.type, value);
    default:
        return value;
    }
}

bool PostgresStore::fromDatabase(const Column &column, const QVariant &stored, QVariant *value) const
{
    if (stored.isNull()) {
        *value = QVariant();
        return true;
    }
    bool ok = true;
    switch (column.type) {
    case ColumnType::Integer:
    case ColumnType::Timestamp:
        *value = stored.toLongLong(&ok);
        return ok;
    case ColumnType::Real:
        *value = stored.toDouble(&ok);
        return ok;
    case ColumnType::Text:
        *value = stored.toString();
        return true;
    case ColumnType::Blob:
        *value = stored.toByteArray();
        return true;
    case ColumnType::Boolean:
        *value = stored.toBool();
        return true;
    case ColumnType::Numeric: {
        const QString normalized = normalizeNumeric(stored.toString());
        *value = normalized.isNull() ? stored.toString() : normalized;   // keeps 'NaN'
        return true;
    }
    }
    return false;
}

} // namespace ferry
