#include "storage/postgresstore.h"

#include "rows/canonicalencoder.h"
#include "storage/pgcopy.h"
#include "storage/pgcopywriter.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QVarLengthArray>
#include <QtEndian>

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

namespace ferry {

namespace {

// A growing byte buffer that keeps its memory between uses, without QByteArray::append()'s
// per-call costs, which show when a row is a dozen small pieces.
class Buffer
{
public:
    void clear() { m_size = 0; }
    char *reserve(qsizetype n)
    {
        if (m_size + n > m_data.size())
            m_data.resize(std::max<qsizetype>(m_size + n, m_data.size() * 2 + 256));
        return m_data.data() + m_size;
    }
    void append(const char *data, qsizetype n)
    {
        if (n > 0)
            std::memcpy(reserve(n), data, size_t(n));
        m_size += n;
    }
    void append(char c) { *reserve(1) = c; ++m_size; }
    void advance(qsizetype n) { m_size += n; }   // n bytes written at reserve()
    void append(const char *text) { append(text, qsizetype(std::strlen(text))); }
    void append(const QByteArray &bytes) { append(bytes.constData(), bytes.size()); }
    void putU32(quint32 v) { qToBigEndian(v, reserve(4)); m_size += 4; }
    void putU64(quint64 v) { qToBigEndian(v, reserve(8)); m_size += 8; }
    qsizetype size() const { return m_size; }
    char *data() { return m_data.data(); }
    const char *constData() const { return m_data.constData(); }

private:
    QByteArray m_data;
    qsizetype m_size = 0;
};


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

std::pair<int, int> PostgresStore::connectionUse()
{
    QSqlQuery query = exec(QStringLiteral("SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int, "
                                          "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int"),
                           {});
    if (!query.next())
        return {-1, -1};
    return {query.value(0).toInt(), query.value(1).toInt()};
}

QByteArray PostgresStore::schemaStamp(const QString &table)
{
    // The relation (a table dropped and created again is another one), its columns by
    // position, name, type and modifier, and its primary key.
    QSqlQuery query = exec(QStringLiteral("SELECT c.oid::text || '|' || coalesce((SELECT string_agg(a.attnum || ':' || a.attname || ':' || a.atttypid || ':' "
                                          "|| a.atttypmod, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 "
                                          "AND NOT a.attisdropped), '') || '|' || coalesce((SELECT i.indkey::text FROM pg_index i "
                                          "WHERE i.indrelid = c.oid AND i.indisprimary), '') FROM pg_class c WHERE c.oid = to_regclass(?)"),
                           {quoteTable(table)});
    if (!query.next())
        return {};
    return query.value(0).toString().toUtf8();
}

QStringList PostgresStore::referencedTables(const QString &table)
{
    // Named as Ferry names tables: bare in the current schema, qualified elsewhere.
    QSqlQuery query = exec(QStringLiteral("SELECT DISTINCT CASE WHEN n.nspname = current_schema() THEN p.relname ELSE n.nspname || '.' || p.relname END "
                                          "FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid JOIN pg_namespace n ON n.oid = p.relnamespace "
                                          "WHERE c.contype = 'f' AND c.conrelid = to_regclass(?) AND c.confrelid <> c.conrelid"),
                           {quoteTable(table)});
    QStringList parents;
    while (query.next())
        parents.append(query.value(0).toString());
    return parents;
}

QString PostgresStore::selectExpression(const Column &column) const
{
    switch (column.type) {
    case ColumnType::Timestamp:
        // Infinite timestamps and dates have no epoch: they read as the extreme numbers
        // (what they are inside PostgreSQL), which formatTimestamp() writes back as such.
        return QStringLiteral("CASE WHEN %1 = 'infinity' THEN '9223372036854775807'::int8 WHEN %1 = '-infinity' THEN '-9223372036854775808'::int8 "
                              "ELSE (extract(epoch from %1) * 1000000)::int8 END")
            .arg(quote(column.name));
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

namespace {

// A value in COPY's text format (the default: tab between columns, \N for NULL,
// backslash escapes), as the column's type reads it.
void appendCopyValue(Buffer &out, const Column &column, const QVariant &value)
{
    if (value.isNull()) {
        out.append("\\N", 2);
        return;
    }
    char buffer[40];
    switch (column.type) {
    case ColumnType::Integer: {
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, qint64(value.toLongLong()));
        out.append(buffer, result.ptr - buffer);
        return;
    }
    case ColumnType::Real: {
        const double d = value.toDouble();
        if (std::isnan(d)) {
            out.append("NaN");
        } else if (std::isinf(d)) {
            out.append(d > 0 ? "Infinity" : "-Infinity");
        } else {
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);   // shortest exact form
            out.append(buffer, result.ptr - buffer);
        }
        return;
    }
    case ColumnType::Boolean:
        out.append(value.toBool() ? 't' : 'f');
        return;
    case ColumnType::Timestamp: {
        const int length = formatTimestamp(value.toLongLong(), buffer);
        if (length > 0)
            out.append(buffer, length);
        else
            out.append(formatTimestamp(value.toLongLong()).toLatin1());
        return;
    }
    case ColumnType::Blob: {
        // bytea's hex form, \x..., with its backslash escaped for COPY.
        const QByteArray bytes = value.toByteArray();
        out.append("\\\\x", 3);
        out.append(bytes.toHex());
        return;
    }
    case ColumnType::Text:
    case ColumnType::Numeric: {
        auto escaped = [](char16_t c) -> char {
            return c == u'\\' ? '\\' : c == u'\n' ? 'n' : c == u'\r' ? 'r' : c == u'\t' ? 't' : c == 0 ? '0' : 0;
        };
        const QString text = value.toString();
        // ASCII (most text) straight from the UTF-16, anything else through toUtf8().
        const char16_t *chars = reinterpret_cast<const char16_t *>(text.utf16());
        const qsizetype size = text.size();
        char *to = out.reserve(2 * size);
        qsizetype written = 0;
        bool ascii = true;
        for (qsizetype i = 0; i < size && ascii; ++i) {
            const char16_t c = chars[i];
            if (c >= 0x80) {
                ascii = false;
            } else if (const char e = escaped(c)) {
                to[written++] = '\\';
                to[written++] = e;   // "\0" is refused by PostgreSQL's text, as a bound NUL would be
            } else {
                to[written++] = char(c);
            }
        }
        if (ascii) {
            out.advance(written);
            return;
        }
        const QByteArray utf8 = text.toUtf8();
        qsizetype from = 0;
        for (qsizetype i = 0; i < utf8.size(); ++i) {
            const char e = escaped(char16_t(uchar(utf8.at(i))));
            if (!e)
                continue;
            out.append(utf8.constData() + from, i - from);
            out.append('\\');
            out.append(e);
            from = i + 1;
        }
        out.append(utf8.constData() + from, utf8.size() - from);
        return;
    }
    }
}

} // namespace

namespace {

// A key value as a text parameter, as toDatabase() and QPSQL would write it; bytea goes
// as a binary parameter (its raw bytes).
void appendKeyParameter(const Column &column, const QVariant &value, QList<QByteArray> *values, QList<int> *formats)
{
    QByteArray text;
    int format = 0;
    switch (column.type) {
    case ColumnType::Integer:
        text = QByteArray::number(value.toLongLong());
        break;
    case ColumnType::Real: {
        const double d = value.toDouble();
        if (std::isnan(d)) {
            text = "NaN";
        } else if (std::isinf(d)) {
            text = d > 0 ? "Infinity" : "-Infinity";
        } else {
            char buffer[40];
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
            text = QByteArray(buffer, result.ptr - buffer);
        }
        break;
    }
    case ColumnType::Boolean:
        text = value.toBool() ? "t" : "f";
        break;
    case ColumnType::Timestamp:
        text = formatTimestamp(value.toLongLong()).toLatin1();
        break;
    case ColumnType::Blob:
        text = value.toByteArray();
        format = 1;
        break;
    case ColumnType::Text:
    case ColumnType::Numeric:
        text = value.toString().toUtf8();
        break;
    }
    values->append(text);
    formats->append(format);
}

} // namespace

bool PostgresStore::connectionLost() const
{
    PGconn *conn = connection();
    return conn && PQstatus(conn) == CONNECTION_BAD;
}

PGconn *PostgresStore::connection() const
{
    // QPSQL's handle is the libpq connection (Debian's QPSQL links the same system libpq
    // this file is compiled against); its type is named after the struct behind PGconn.
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

qint64 PostgresStore::scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink)
{
    PGconn *conn = connection();
    if (!conn)
        return Store::scanEncoded(schema, ranges, sink);

    // One COPY (SELECT ...) TO STDOUT (FORMAT binary) per run of adjacent ranges (each
    // one's hi is the next one's lo), streamed: each row goes to the range it lies in.
    const QList<ColumnType> keyTypes = schema.keyTypes();
    const int keyCount = int(schema.primaryKey.size());
    PgCopyReader reader(conn, schema, m_displayName);
    QStringList order;
    for (int index : schema.primaryKey)
        order.append(orderExpression(schema.columns.at(index)));
    const QString tuple = keyCount == 1 ? order.first() : QLatin1Char('(') + order.join(QLatin1String(", ")) + QLatin1Char(')');
    const QString filter = rowFilter(schema.table);
    const QString select = QStringLiteral("COPY (SELECT %1 FROM %2").arg(reader.selectList(), quoteTable(schema.table));
    auto literals = [&](const Key &key) {
        QStringList values;
        for (int i = 0; i < keyCount; ++i)
            values.append(QString::fromUtf8(reader.keyLiteral(schema.columns.at(schema.primaryKey.at(i)), key.at(i))));
        return keyCount == 1 ? values.first() : QLatin1Char('(') + values.join(QLatin1String(", ")) + QLatin1Char(')');
    };

    qint64 delivered = 0;
    for (qsizetype first = 0; first < ranges.size();) {
        qsizetype last = first;
        while (last + 1 < ranges.size() && ranges.at(last).hasHi() && ranges.at(last + 1).hasLo()
               && compareKeys(keyTypes, ranges.at(last).hi, ranges.at(last + 1).lo) == 0)
            ++last;
        const KeyRange whole{ranges.at(first).lo, ranges.at(last).hi};
        QStringList where;
        if (whole.hasLo())
            where.append(tuple + QStringLiteral(" >= ") + literals(whole.lo));
        if (whole.hasHi())
            where.append(tuple + QStringLiteral(" < ") + literals(whole.hi));
        if (!filter.isEmpty())
            where.append(QLatin1Char('(') + filter + QLatin1Char(')'));
        QString sql = select;
        if (!where.isEmpty())
            sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
        sql += QStringLiteral(" ORDER BY ") + order.join(QLatin1String(", ")) + QStringLiteral(") TO STDOUT (FORMAT binary)");

        qsizetype current = first;
        bool stopped = false;
        reader.run(sql.toUtf8(), [&](const EncodedRow &row) {
            if (current < last) {
                const Key key = row.key();
                while (current < last && compareKeys(keyTypes, key, ranges.at(current).hi) >= 0)
                    ++current;
            }
            ++delivered;
            stopped = !sink(current, row);
            return !stopped;
        });
        if (stopped)
            return delivered;
        first = last + 1;
    }
    return delivered;
}

void PostgresStore::insertNew(const TableSchema &schema, const QList<const Row *> &rows)
{
    PGconn *conn = connection();
    if (!conn)
        return SqlStore::insertNew(schema, rows);
    if (rows.isEmpty())
        return;
    {
        // Binary COPY when every column's type has a binary form PgCopyWriter writes as the
        // text below would; the text form otherwise.
        const QByteArray table = quoteTable(schema.table).toUtf8();
        const char *values[1] = {table.constData()};
        std::unique_ptr<PGresult, void (*)(PGresult *)> types(
            PQexecParams(conn, "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                               "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
                         1, nullptr, values, nullptr, nullptr, 0),
            PQclear);
        if (PQresultStatus(types.get()) != PGRES_TUPLES_OK) {
            const QString detail = QString::fromUtf8(PQresultErrorMessage(types.get())).section(QLatin1Char('\n'), 0, 0).trimmed();
            throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table), detail));
        }
        QHash<QString, QString> typeNames;
        for (int r = 0; r < PQntuples(types.get()); ++r)
            typeNames.insert(QString::fromUtf8(PQgetvalue(types.get(), r, 0)), QString::fromUtf8(PQgetvalue(types.get(), r, 1)));
        PgCopyWriter writer(conn, schema, quoteTable(schema.table), typeNames, m_displayName);
        if (writer.supported())
            return writer.write(rows);
    }
    auto fail = [&](const QString &detail) {
        // Leave the connection as QPSQL expects it: no result pending (the caller rolls back).
        while (PGresult *rest = PQgetResult(conn))
            PQclear(rest);
        throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table),
                                                          detail.section(QLatin1Char('\n'), 0, 0).trimmed()));
    };
    QStringList names;
    for (const Column &column : schema.columns)
        names.append(quote(column.name));
    const QByteArray sql = QStringLiteral("COPY %1 (%2) FROM STDIN").arg(quoteTable(schema.table), names.join(QLatin1String(", "))).toUtf8();
    PGresult *started = PQexec(conn, sql.constData());
    const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
    const QString startError = QString::fromUtf8(PQresultErrorMessage(started));
    PQclear(started);
    if (!copying)
        fail(startError);
    Buffer data;
    auto send = [&] {
        if (PQputCopyData(conn, data.constData(), int(data.size())) != 1)
            fail(QString::fromUtf8(PQerrorMessage(conn)));
        data.clear();
    };
    for (const Row *row : rows) {
        for (int i = 0; i < schema.columns.size(); ++i) {
            if (i > 0)
                data.append('\t');
            appendCopyValue(data, schema.columns.at(i), row->at(i));
        }
        data.append('\n');
        if (data.size() >= (1 << 20) - 4096)
            send();
    }
    if (data.size() > 0)
        send();
    if (PQputCopyEnd(conn, nullptr) != 1)
        fail(QString::fromUtf8(PQerrorMessage(conn)));
    PGresult *result = PQgetResult(conn);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const QString error = QString::fromUtf8(PQresultErrorMessage(result));
    PQclear(result);
    if (!ok)
        fail(error);
    while (PGresult *rest = PQgetResult(conn))
        PQclear(rest);
}

// --- Applying a batch of changes ------------------------------------------------------

void PostgresStore::dropApplyStatements(PGconn *conn)
{
    for (const auto &[sql, name] : m_applyStatements)
        PQclear(PQexec(conn, "DEALLOCATE " + name));
    m_applyStatements.clear();
}

ApplyResult PostgresStore::applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options)
{
    PGconn *conn = connection();
    if (!conn || options.detectConflicts || options.linkId.isEmpty() || options.origin.isEmpty())
        return SqlStore::applyChanges(schema, changes, lastSeq, options);
    ensureBookkeeping();
    using Result = std::unique_ptr<PGresult, void (*)(PGresult *)>;
    const QString what = QCoreApplication::translate("SqlStore", "applying changes to table \"%1\"").arg(schema.table);
    int queued = 0;   // pipelined statements sent since the last Sync
    // Reads the replies up to the next Sync; the first error, if any.
    auto drain = [&] {
        QString error;
        while (PQstatus(conn) == CONNECTION_OK) {
            Result reply(PQgetResult(conn), PQclear);
            if (!reply)
                continue;   // the end of one statement's results
            const ExecStatusType status = PQresultStatus(reply.get());
            if (status == PGRES_PIPELINE_SYNC)
                return error;
            if (status == PGRES_FATAL_ERROR && error.isEmpty())
                error = QString::fromUtf8(PQresultErrorMessage(reply.get()));
        }
        return error.isEmpty() ? QString::fromUtf8(PQerrorMessage(conn)) : error;
    };
    // Rolls back, and throws with the server's first line.
    auto fail = [&](const QString &detail) {
        if (PQpipelineStatus(conn) != PQ_PIPELINE_OFF) {
            if (queued > 0 && PQpipelineSync(conn) == 1)
                drain();
            queued = 0;
            PQexitPipelineMode(conn);
        }
        PQclear(PQexec(conn, "ROLLBACK"));
        dropApplyStatements(conn);
        const QString line = detail.section(QLatin1Char('\n'), 0, 0).trimmed();
        throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, what, line.startsWith(QLatin1String("ERROR:")) ? line.mid(6).trimmed() : line));
    };
    auto literal = [&](const QString &text) {
        const QByteArray utf8 = text.toUtf8();
        char *escaped = PQescapeLiteral(conn, utf8.constData(), size_t(utf8.size()));
        if (!escaped)
            fail(QString::fromUtf8(PQerrorMessage(conn)));
        const QByteArray quoted(escaped);
        PQfreemem(escaped);
        return quoted;
    };

    // Round trip 1: the transaction, the origin the replica guard and the capture trigger
    // see, and the link's applied sequence number (changes at or below it were applied
    // before: a batch sent again after a lost reply).
    const QByteArray begin = "BEGIN; SELECT set_config('ferry.origin', " + literal(options.origin)
                             + ", true); SELECT seq FROM _ferry_applied WHERE link = " + literal(options.linkId);
    qint64 before = 0;
    {
        Result started(PQexec(conn, begin.constData()), PQclear);
        if (PQresultStatus(started.get()) != PGRES_TUPLES_OK)
            fail(QString::fromUtf8(PQresultErrorMessage(started.get())));
        if (PQntuples(started.get()) > 0)
            before = std::strtoll(PQgetvalue(started.get(), 0, 0), nullptr, 10);
    }
    ApplyResult result;
    result.appliedSeq = std::max(before, lastSeq);

    // Round trip 2 (one per 256 statements in a long batch, so that the replies the server
    // writes never fill the socket while this side is still sending): the rows in log
    // order, the new applied sequence number, COMMIT. A Sync inside BEGIN ... COMMIT
    // commits nothing. Statements are prepared once per connection, in the pipeline.
    QStringList names;
    QStringList marks;
    for (int i = 0; i < schema.columns.size(); ++i) {
        names.append(quote(schema.columns.at(i).name));
        marks.append(QStringLiteral("$%1").arg(i + 1));
    }
    const QByteArray upsertSql = (QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)").arg(quoteTable(schema.table), names.join(QLatin1String(", ")), marks.join(QLatin1String(", ")))
                                  + upsertSuffix(schema)).toUtf8();
    QStringList keyMatch;
    for (int i = 0; i < schema.primaryKey.size(); ++i)
        keyMatch.append(QStringLiteral("%1 = $%2").arg(quote(schema.columns.at(schema.primaryKey.at(i)).name)).arg(i + 1));
    const QByteArray deleteSql = QStringLiteral("DELETE FROM %1 WHERE %2").arg(quoteTable(schema.table), keyMatch.join(QLatin1String(" AND "))).toUtf8();
    const QByteArray truncateSql = QStringLiteral("DELETE FROM %1").arg(quoteTable(schema.table)).toUtf8();
    const QByteArray appliedSql = "INSERT INTO _ferry_applied (link, seq) VALUES ($1, $2) ON CONFLICT (link) DO UPDATE SET seq = excluded.seq";

    if (PQenterPipelineMode(conn) != 1)
        fail(QString::fromUtf8(PQerrorMessage(conn)));
    auto collect = [&] {
        if (PQpipelineSync(conn) != 1)
            fail(QString::fromUtf8(PQerrorMessage(conn)));
        queued = 0;
        const QString error = drain();
        if (!error.isEmpty())
            fail(error);
    };
    auto send = [&](const QByteArray &sql, const QList<QByteArray> &values, const QList<int> &formats, const QList<bool> &nulls) {
        auto found = m_applyStatements.find(sql);
        if (found == m_applyStatements.end()) {
            const QByteArray name = "ferry_apply_" + QByteArray::number(++m_applyStatementCount);
            if (PQsendPrepare(conn, name.constData(), sql.constData(), 0, nullptr) != 1)
                fail(QString::fromUtf8(PQerrorMessage(conn)));
            found = m_applyStatements.emplace(sql, name).first;   // dropped again if anything fails
            ++queued;
        }
        QVarLengthArray<const char *, 16> pointers;
        QVarLengthArray<int, 16> lengths;
        for (qsizetype i = 0; i < values.size(); ++i) {
            pointers.append(nulls.at(i) ? nullptr : values.at(i).constData());
            lengths.append(int(values.at(i).size()));
        }
        if (PQsendQueryPrepared(conn, found->second.constData(), int(values.size()), pointers.constData(), lengths.constData(), formats.constData(), 0) != 1)
            fail(QString::fromUtf8(PQerrorMessage(conn)));
        if (++queued >= 256)
            collect();
    };

    QList<QByteArray> values;
    QList<int> formats;
    QList<bool> nulls;
    auto add = [&](const Column &column, const QVariant &value) {
        nulls.append(value.isNull());
        if (value.isNull()) {
            values.append(QByteArray());
            formats.append(0);
        } else {
            appendKeyParameter(column, value, &values, &formats);
        }
    };
    for (const Change &change : changes) {
        if (change.seq <= before) {
            ++result.skipped;
            continue;
        }
        values.clear();
        formats.clear();
        nulls.clear();
        if (change.deleted && change.key.isEmpty()) {
            // A TRUNCATE of the source table, in its place among the changes.
            send(truncateSql, {}, {}, {});
        } else if (change.deleted) {
            for (int i = 0; i < schema.primaryKey.size(); ++i)
                add(schema.columns.at(schema.primaryKey.at(i)), change.key.at(i));
            send(deleteSql, values, formats, nulls);
        } else {
            for (int i = 0; i < schema.columns.size(); ++i)
                add(schema.columns.at(i), change.row.at(i));
            send(upsertSql, values, formats, nulls);
        }
        ++result.applied;
    }
    send(appliedSql, {options.linkId.toUtf8(), QByteArray::number(result.appliedSeq)}, {0, 0}, {false, false});
    if (PQsendQueryParams(conn, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
        fail(QString::fromUtf8(PQerrorMessage(conn)));
    ++queued;
    collect();
    if (PQexitPipelineMode(conn) != 1)
        fail(QString::fromUtf8(PQerrorMessage(conn)));
    return result;
}

// --- Replication -----------------------------------------------------------------
//
// The change log of table T is _ferry_log_T, appended to by an AFTER ROW trigger in the
// writing transaction. Sequence numbers from a sequence are handed out in statement
// order, not commit order, so a reader could pass a number whose transaction has not
// committed yet and never see it. The trigger therefore takes a transaction-scoped
// advisory lock before it appends: writers of a captured table commit one after another
// from their first write to it, and seq order is commit order. The lock is the table's
// (each table has its own log and sequence): writers of different tables do not wait for
// each other. (A measured cost; see docs/benchmarks.md.) The write origin is the transaction-local setting ferry.origin.

namespace {

QString pgLiteral(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

// The advisory lock keys of Ferry's DDL (CaptureLockKey + 1, + 2).
constexpr qint64 CaptureLockKey = 0x4665727279; // "Ferry"
// A capture trigger's lock: (CaptureLockClass, the table's key), the two-integer form,
// which never meets the one-integer keys above.
constexpr qint32 CaptureLockClass = 0x46657272; // "Ferr"
qint32 captureLockKey(const QString &table);

// The channel a captured table's trigger notifies on commit.
QString changeChannel(const QString &table)
{
    const qsizetype dot = table.indexOf(QLatin1Char('.'));
    return QStringLiteral("ferry_changes_%1").arg(quint32(captureLockKey(dot > 0 ? table.mid(dot + 1) : table)), 8, 16, QLatin1Char('0'));
}

qint32 captureLockKey(const QString &table)
{
    // FNV-1a of the name: the same key in every session and every build.
    quint32 hash = 2166136261u;
    for (const char byte : table.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 16777619u;
    }
    return qint32(hash);
}

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
    // The capture trigger notifies the table's own channel (changeChannel()); the notice
    // arrives when the writing transaction has committed. A channel per table: a hundred
    // links listening on one channel would each be told of every write to every table.
    QSqlDriver *driver = m_db.driver();
    const QString channel = changeChannel(table);
    if (!driver->hasFeature(QSqlDriver::EventNotifications))
        return false;
    if (!driver->subscribedToNotifications().contains(channel) && !driver->subscribeToNotification(channel))
        return false;
    QObject::connect(driver, &QSqlDriver::notification, driver, [channel, wake](const QString &name, QSqlDriver::NotificationSource, const QVariant &) {
        if (name == channel)
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
                       "  PERFORM pg_notify('%8', '');\n"
                       "  RETURN NULL;\n"
                       "END\n"
                       "$ferry$")
            .arg(function)
            .arg(QStringLiteral("%1, %2").arg(CaptureLockClass).arg(captureLockKey(schema.table)))
            .arg(oldKey.join(QLatin1String(", ")), newKey.join(QLatin1String(", ")), log, columns, values, changeChannel(schema.table)),
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

QStringList PostgresStore::captureTriggers(const QString &table) const
{
    return {ferryName(QStringLiteral("_ferry_cap_"), table)};
}

void PostgresStore::advanceChangeSeq(const TableSchema &schema, qint64 minSeq)
{
    const QString log = quote(ferryName(QStringLiteral("_ferry_log_"), schema.table));
    exec(QStringLiteral("SELECT setval(s::regclass, ?) FROM pg_get_serial_sequence(?, 'seq') AS s "
                        "WHERE coalesce(pg_sequence_last_value(s::regclass), 0) < ?"),
         {minSeq, log, minSeq});
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

QStringList PostgresStore::leaseTableDdl() const
{
    // Serialized: CREATE ... IF NOT EXISTS races with itself in concurrent sessions.
    return {QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(CaptureLockKey + 2),
            QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_lease (tbl text NOT NULL, holder text NOT NULL, expires_us bigint NOT NULL, "
                           "PRIMARY KEY (tbl, holder))")};
}

QStringList PostgresStore::leaseGuardDdl(const TableSchema &schema, const QString &message) const
{
    // The clock is the database server's (clock_timestamp(), not the transaction's start):
    // a transaction that began while the lease held cannot write after it lapsed.
    const QString function = quote(ferryName(QStringLiteral("_ferry_leasefn_"), schema.table));
    return {
        QStringLiteral("CREATE OR REPLACE FUNCTION %1() RETURNS trigger LANGUAGE plpgsql AS $ferry$\n"
                       "BEGIN\n"
                       "  IF coalesce(current_setting('ferry.origin', true), '') = ''\n"
                       "     AND coalesce((SELECT min(expires_us) FROM _ferry_lease WHERE tbl = %2), 0)\n"
                       "         < (extract(epoch from clock_timestamp()) * 1000000)::bigint THEN\n"
                       "    RAISE EXCEPTION USING ERRCODE = 'read_only_sql_transaction', MESSAGE = %3;\n"
                       "  END IF;\n"
                       "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
                       "  RETURN NEW;\n"
                       "END\n"
                       "$ferry$")
            .arg(function, pgLiteral(schema.table), pgLiteral(message)),
        QStringLiteral("CREATE TRIGGER %1 BEFORE INSERT OR UPDATE OR DELETE ON %2 FOR EACH ROW EXECUTE FUNCTION %3()")
            .arg(quote(ferryName(QStringLiteral("_ferry_lease_"), schema.table)), quoteTable(schema.table), function),
        QStringLiteral("CREATE TRIGGER %1 BEFORE TRUNCATE ON %2 FOR EACH STATEMENT EXECUTE FUNCTION %3()")
            .arg(quote(ferryName(QStringLiteral("_ferry_lease_trunc_"), schema.table)), quoteTable(schema.table), function),
    };
}

QStringList PostgresStore::dropLeaseGuardDdl(const QString &table) const
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2").arg(quote(ferryName(QStringLiteral("_ferry_lease_"), table)), quoteTable(table)),
            QStringLiteral("DROP TRIGGER IF EXISTS %1 ON %2").arg(quote(ferryName(QStringLiteral("_ferry_lease_trunc_"), table)), quoteTable(table)),
            QStringLiteral("DROP FUNCTION IF EXISTS %1()").arg(quote(ferryName(QStringLiteral("_ferry_leasefn_"), table)))};
}

} // namespace ferry
