#include "storage/postgresstore.h"

#include "blocks/canonicalencoder.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QSqlDriver>
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
    exec(QStringLiteral("SET client_min_messages = warning"));   // no "already exists, skipping" notices
    exec(QStringLiteral("SET lock_timeout = %1").arg(options.busyTimeoutMs));
    if (options.readOnly)
        exec(QStringLiteral("SET default_transaction_read_only = on"));
}

QStringList PostgresStore::tables()
{
    QSqlQuery query = exec(QStringLiteral("SELECT table_name FROM information_schema.tables "
                                          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
                                          "AND table_name NOT LIKE '\\_ferry\\_%' ORDER BY 1"));
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

// --- Replication -----------------------------------------------------------------
//
// The change log of table T is _ferry_log_T, appended to by an AFTER ROW trigger in the
// writing transaction. Sequence numbers from a sequence are handed out in statement
// order, not commit order, so a reader could pass a number whose transaction has not
// committed yet and never see it. The trigger therefore takes a transaction-scoped
// advisory lock before it appends: writers of captured tables commit one after another
// from their first captured write, and seq order is commit order. (A measured cost; see
// docs/benchmarks.md.) The write origin is the transaction-local setting ferry.origin.

namespace {

QString pgLiteral(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

// The one advisory lock key every capture trigger takes.
constexpr qint64 CaptureLockKey = 0x4665727279; // "Ferry"

} // namespace

QString PostgresStore::columnDdl(const Column &column) const
{
    switch (column.type) {
    case ColumnType::Integer: return QStringLiteral("bigint");
    case ColumnType::Real: return QStringLiteral("double precision");
    case ColumnType::Text: return QStringLiteral("text");
    case ColumnType::Blob: return QStringLiteral("bytea");
    case ColumnType::Boolean: return QStringLiteral("boolean");
    case ColumnType::Timestamp: return QStringLiteral("timestamp(6)");
    case ColumnType::Numeric: return QStringLiteral("numeric");
    }
    return QStringLiteral("text");
}

QString PostgresStore::keyColumnDdl(const Column &column) const
{
    return column.declaredType.isEmpty() ? columnDdl(column) : column.declaredType;
}

bool PostgresStore::objectExists(const QString &name)
{
    QSqlQuery query = exec(QStringLiteral("SELECT 1 FROM pg_class WHERE relname = ? AND relnamespace = current_schema()::regnamespace "
                                          "UNION ALL SELECT 1 FROM pg_trigger WHERE tgname = ?"),
                           {name, name});
    return query.next();
}

QStringList PostgresStore::bookkeepingDdl() const
{
    // Serialized: CREATE ... IF NOT EXISTS races with itself in concurrent sessions.
    return {QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(CaptureLockKey + 1),
            QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_applied (link text PRIMARY KEY, seq bigint NOT NULL)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_conflicts (id bigserial PRIMARY KEY, at bigint NOT NULL, "
                           "link text NOT NULL, tbl text NOT NULL, key text NOT NULL, kept text NOT NULL, lost text NOT NULL, "
                           "lost_origin text NOT NULL, reason text NOT NULL)")};
}

void PostgresStore::beginWriteOrigin()
{
    execCached(QStringLiteral("SELECT set_config('ferry.origin', ?, true)"), {m_writeOrigin}).finish();
}

QString PostgresStore::currentRowJoin(const TableSchema &schema, const QStringList &columns, const QString &filter) const
{
    // LATERAL with LIMIT 1 (the key is unique): the planner cannot turn it into a hash join
    // over the whole table, every log entry costs one primary-key lookup.
    QStringList where;
    for (int i = 0; i < schema.primaryKey.size(); ++i)
        where.append(QStringLiteral("%1 = ferry_log.ferry_stored%2").arg(quote(schema.columns.at(schema.primaryKey.at(i)).name)).arg(i));
    if (!filter.isEmpty())
        where.append(QLatin1Char('(') + filter + QLatin1Char(')'));
    return QStringLiteral("LEFT JOIN LATERAL (SELECT %1 FROM %2 WHERE %3 LIMIT 1) AS ferry_cur ON true")
        .arg(columns.join(QLatin1String(", ")), quoteTable(schema.table), where.join(QLatin1String(" AND ")));
}

bool PostgresStore::notifyOnChanges(const QString &table, const std::function<void()> &wake)
{
    // The capture trigger sends pg_notify('ferry_changes', TG_TABLE_NAME) (without the
    // schema); the notice arrives when the writing transaction has committed.
    QSqlDriver *driver = m_db.driver();
    const QString channel = QStringLiteral("ferry_changes");
    if (!driver->hasFeature(QSqlDriver::EventNotifications))
        return false;
    if (!driver->subscribedToNotifications().contains(channel) && !driver->subscribeToNotification(channel))
        return false;
    const qsizetype dot = table.indexOf(QLatin1Char('.'));
    const QString name = dot > 0 ? table.mid(dot + 1) : table;
    QObject::connect(driver, &QSqlDriver::notification, driver, [name, wake](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
        if (payload.toString() == name)
            wake();
    });
    return true;
}

QStringList PostgresStore::captureDdl(const TableSchema &schema) const
{
    const QString log = quote(ferryName(QStringLiteral("_ferry_log_"), schema.table));
    const QString function = quote(ferryName(QStringLiteral("_ferry_capture_"), schema.table));
    QStringList keyDefs;
    QStringList keyNames;
    QStringList newKey;
    QStringList oldKey;
    for (int index : schema.primaryKey) {
        const Column &column = schema.columns.at(index);
        keyDefs.append(quote(QStringLiteral("k_") + column.name) + QLatin1Char(' ') + keyColumnDdl(column));
        keyNames.append(quote(QStringLiteral("k_") + column.name));
        newKey.append(QStringLiteral("NEW.") + quote(column.name));
        oldKey.append(QStringLiteral("OLD.") + quote(column.name));
    }
    const QString columns = QStringLiteral("op, origin, at, ") + keyNames.join(QLatin1String(", "));
    const QString values = QStringLiteral("nullif(current_setting('ferry.origin', true), ''), (extract(epoch from clock_timestamp()) * 1000000)::bigint");
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (seq bigserial PRIMARY KEY, op char(1) NOT NULL, origin text, at bigint NOT NULL, %2)")
            .arg(log, keyDefs.join(QLatin1String(", "))),
        // Conflict detection looks up pending changes by key.
        QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (%3)")
            .arg(quote(ferryName(QStringLiteral("_ferry_logkey_"), schema.table)), log, keyNames.join(QLatin1String(", "))),
        QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $ferry$\n"
                       "BEGIN\n"
                       "  PERFORM pg_advisory_xact_lock(%2);\n"
                       "  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (%3) IS DISTINCT FROM (%4)) THEN\n"
                       "    INSERT INTO %5 (%6) VALUES ('D', %7, %3);\n"
                       "  END IF;\n"
                       "  IF TG_OP <> 'DELETE' THEN\n"
                       "    INSERT INTO %5 (%6) VALUES ('U', %7, %4);\n"
                       "  END IF;\n"
                       "  PERFORM pg_notify('ferry_changes', TG_TABLE_NAME);\n"
                       "  RETURN NULL;\n"
                       "END\n"
                       "$ferry$")
            .arg(function)
            .arg(CaptureLockKey)
            .arg(oldKey.join(QLatin1String(", ")), newKey.join(QLatin1String(", ")), log, columns, values),
        QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2").arg(quote(ferryName(QStringLiteral("_ferry_cap_"), schema.table)), quoteTable(schema.table)),
        QStringLiteral("CREATE TRIGGER %1 AFTER INSERT OR UPDATE OR DELETE ON %2 FOR EACH ROW EXECUTE FUNCTION %3()")
            .arg(quote(ferryName(QStringLiteral("_ferry_cap_"), schema.table)), quoteTable(schema.table), function),
    };
}

QStringList PostgresStore::dropCaptureDdl(const QString &table) const
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2").arg(quote(ferryName(QStringLiteral("_ferry_cap_"), table)), quoteTable(table)),
            QStringLiteral("DROP FUNCTION IF EXISTS %1()").arg(quote(ferryName(QStringLiteral("_ferry_capture_"), table))),
            QStringLiteral("DROP TABLE IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_log_"), table)))};
}

QStringList PostgresStore::guardDdl(const TableSchema &schema, const QString &message) const
{
    const QString function = quote(ferryName(QStringLiteral("_ferry_guardfn_"), schema.table));
    return {
        QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $ferry$\n"
                       "BEGIN\n"
                       "  IF coalesce(current_setting('ferry.origin', true), '') = '' THEN\n"
                       "    RAISE EXCEPTION USING ERRCODE = 'read_only_sql_transaction', MESSAGE = %2;\n"
                       "  END IF;\n"
                       "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
                       "  RETURN NEW;\n"
                       "END\n"
                       "$ferry$")
            .arg(function, pgLiteral(message)),
        QStringLiteral("CREATE TRIGGER %1 BEFORE INSERT OR UPDATE OR DELETE ON %2 FOR EACH ROW EXECUTE FUNCTION %3()")
            .arg(quote(ferryName(QStringLiteral("_ferry_guard_"), schema.table)), quoteTable(schema.table), function),
        QStringLiteral("CREATE TRIGGER %1 BEFORE TRUNCATE ON %2 FOR EACH STATEMENT EXECUTE FUNCTION %3()")
            .arg(quote(ferryName(QStringLiteral("_ferry_guard_trunc_"), schema.table)), quoteTable(schema.table), function),
    };
}

QStringList PostgresStore::dropGuardDdl(const QString &table) const
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2").arg(quote(ferryName(QStringLiteral("_ferry_guard_"), table)), quoteTable(table)),
            QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2").arg(quote(ferryName(QStringLiteral("_ferry_guard_trunc_"), table)), quoteTable(table)),
            QStringLiteral("DROP FUNCTION IF EXISTS %1()").arg(quote(ferryName(QStringLiteral("_ferry_guardfn_"), table)))};
}

} // namespace ferry
