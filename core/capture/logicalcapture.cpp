#include "capture/logicalcapture.h"

#include "rows/canonicalencoder.h"
#include "rows/rowsize.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QThread>

#include <cstdlib>
#include <libpq-fe.h>

namespace ferry {

namespace {

using Result = std::unique_ptr<PGresult, void (*)(PGresult *)>;

// The canonical type of a column as pgoutput names its type (by oid); false for a type
// Ferry does not replicate.
bool typeOfOid(quint32 oid, ColumnType *type)
{
    switch (oid) {
    case 20: case 21: case 23: *type = ColumnType::Integer; return true;
    case 700: case 701: *type = ColumnType::Real; return true;
    case 25: case 1042: case 1043: *type = ColumnType::Text; return true;
    case 17: *type = ColumnType::Blob; return true;
    case 16: *type = ColumnType::Boolean; return true;
    case 1082: case 1114: case 1184: *type = ColumnType::Timestamp; return true;
    case 1700: *type = ColumnType::Numeric; return true;
    default: return false;
    }
}

} // namespace

LogicalCapture::LogicalCapture(const DataSource &source, const QString &linkId)
    : m_source(source)
    , m_linkId(linkId)
    , m_name(slotName(linkId))
    , m_stream(source)
{
}

LogicalCapture::~LogicalCapture()
{
    m_stream.close();
    if (m_sql)
        PQfinish(m_sql);
}

QString LogicalCapture::slotName(const QString &linkId)
{
    QString name;
    for (const QChar c : linkId.toLower())
        name.append((c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ? c : QLatin1Char('_'));
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(linkId.toUtf8(), QCryptographicHash::Md5).toHex().left(8));
    return QStringLiteral("ferry_") + name.left(40) + QLatin1Char('_') + hash;
}

PGconn *LogicalCapture::connect(const DataSource &source)
{
    const QByteArray host = source.host.toUtf8();
    const QByteArray port = QByteArray::number(source.port);
    const QByteArray user = source.user.toUtf8();
    const QByteArray password = source.password.toUtf8();
    const QByteArray database = source.database.toUtf8();
    // The same output forms as the replication connection's (values of rows read here
    // complete rows of the stream).
    const char *keywords[] = {"host", "port", "user", "password", "dbname", "application_name", "options", "connect_timeout", nullptr};
    const char *values[] = {host.constData(), port.constData(), user.isEmpty() ? nullptr : user.constData(), password.isEmpty() ? nullptr : password.constData(),
                            database.constData(), "ferry", "-c DateStyle=ISO -c TimeZone=UTC -c extra_float_digits=3 -c bytea_output=hex", "10", nullptr};
    PGconn *conn = PQconnectdbParams(keywords, values, 0);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        const QString error = conn ? QString::fromUtf8(PQerrorMessage(conn)).trimmed() : QString();
        PQfinish(conn);
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: cannot connect: %2").arg(source.displayName(), error));
    }
    return conn;
}

PGconn *LogicalCapture::sql()
{
    if (m_sql && PQstatus(m_sql) != CONNECTION_OK) {
        PQfinish(m_sql);
        m_sql = nullptr;
    }
    if (!m_sql)
        m_sql = connect(m_source);
    return m_sql;
}

namespace {

QList<QList<QByteArray>> run(PGconn *conn, const QString &where, const QByteArray &sql, const QList<QByteArray> &params, QList<bool> *nulls)
{
    QVarLengthArray<const char *, 8> values;
    for (const QByteArray &param : params)
        values.append(param.isNull() ? nullptr : param.constData());
    Result result(PQexecParams(conn, sql.constData(), int(params.size()), nullptr, values.constData(), nullptr, nullptr, 0), PQclear);
    const ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        throw FerryError(QStringLiteral("%1: %2").arg(where, QString::fromUtf8(PQresultErrorMessage(result.get())).trimmed()));
    QList<QList<QByteArray>> rows;
    for (int r = 0; r < PQntuples(result.get()); ++r) {
        QList<QByteArray> row;
        for (int c = 0; c < PQnfields(result.get()); ++c) {
            const bool null = PQgetisnull(result.get(), r, c);
            if (nulls)
                nulls->append(null);
            row.append(null ? QByteArray() : QByteArray(PQgetvalue(result.get(), r, c), PQgetlength(result.get(), r, c)));
        }
        rows.append(row);
    }
    return rows;
}

QByteArray identifier(PGconn *conn, const QString &name)
{
    const QByteArray utf8 = name.toUtf8();
    char *quoted = PQescapeIdentifier(conn, utf8.constData(), size_t(utf8.size()));
    const QByteArray result(quoted ? quoted : "");
    PQfreemem(quoted);
    return result;
}

QByteArray tableIdentifier(PGconn *conn, const QString &table)
{
    const qsizetype dot = table.indexOf(QLatin1Char('.'));
    if (dot > 0)
        return identifier(conn, table.left(dot)) + '.' + identifier(conn, table.mid(dot + 1));
    return identifier(conn, table);
}

} // namespace

QList<QList<QByteArray>> LogicalCapture::query(const QByteArray &sqlText, const QList<QByteArray> &params, QList<bool> *nulls)
{
    return run(sql(), m_source.displayName(), sqlText, params, nulls);
}

QString LogicalCapture::quotedTable(const QString &table)
{
    return QString::fromUtf8(tableIdentifier(sql(), table));
}

void LogicalCapture::checkServer(const DataSource &source, const QString &table, const QString &linkId)
{
    PGconn *conn = connect(source);
    auto finish = qScopeGuard([conn] { PQfinish(conn); });
    const QString where = source.displayName();
    const QByteArray name = slotName(linkId).toUtf8();
    const auto rows = run(conn, where,
                          "SELECT current_setting('wal_level'), current_user, "
                          "(SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user), "
                          "current_setting('max_replication_slots')::int - (SELECT count(*) FROM pg_replication_slots WHERE slot_name <> $1), "
                          "current_setting('max_wal_senders')::int - (SELECT count(*) FROM pg_stat_replication), "
                          "(SELECT relreplident FROM pg_class WHERE oid = to_regclass($2)), "
                          "current_setting('max_replication_slots'), "
                          "(SELECT has_database_privilege(current_user, current_database(), 'CREATE'))",
                          {name, tableIdentifier(conn, table)}, nullptr);
    const QList<QByteArray> &row = rows.at(0);
    if (row.at(0) != "logical")
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: wal_level is %2, and Ferry reads a PostgreSQL table's changes through logical decoding: set wal_level = logical "
                            "(ALTER SYSTEM SET wal_level = logical, or in postgresql.conf) and restart the server")
                             .arg(where, QString::fromUtf8(row.at(0))));
    if (row.at(2) != "t")
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: role %2 may not read the WAL: give it the REPLICATION attribute (ALTER ROLE %2 REPLICATION)")
                             .arg(where, QString::fromUtf8(row.at(1))));
    if (row.at(3).toInt() <= 0)
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: all %2 replication slots are in use (max_replication_slots): raise max_replication_slots and restart the server, "
                            "or drop a slot no longer needed (SELECT pg_drop_replication_slot(name) from pg_replication_slots)")
                             .arg(where, QString::fromUtf8(row.at(6))));
    if (row.at(4).toInt() <= 0)
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: every WAL sender is busy (max_wal_senders): raise max_wal_senders and restart the server").arg(where));
    if (row.at(5) == "n" || row.at(5) == "i")
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: table %2 has REPLICA IDENTITY %3: its deletes would not carry the primary key; "
                            "set ALTER TABLE %2 REPLICA IDENTITY DEFAULT")
                             .arg(where, table, row.at(5) == "n" ? QStringLiteral("NOTHING") : QStringLiteral("USING INDEX")));
    if (row.at(7) != "t")
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: role %2 may not create a publication in this database: GRANT CREATE ON DATABASE %3 TO %2")
                             .arg(where, QString::fromUtf8(row.at(1)), source.database));
}

void LogicalCapture::drop(const DataSource &source, const QString &linkId)
{
    PGconn *conn = connect(source);
    auto finish = qScopeGuard([conn] { PQfinish(conn); });
    const QString where = source.displayName();
    const QByteArray name = slotName(linkId).toUtf8();
    // The stream's walsender may take a moment to let the slot go.
    for (int attempt = 0;; ++attempt) {
        try {
            run(conn, where, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", {name}, nullptr);
            break;
        } catch (const FerryError &) {
            if (attempt >= 50)
                throw;
            QThread::msleep(100);
        }
    }
    run(conn, where, "DROP PUBLICATION IF EXISTS " + identifier(conn, QString::fromUtf8(name)), {}, nullptr);
    if (!run(conn, where, "SELECT to_regclass('_ferry_capture_pos')", {}, nullptr).at(0).at(0).isEmpty())
        run(conn, where, "DELETE FROM _ferry_capture_pos WHERE link = $1", {linkId.toUtf8()}, nullptr);
}

bool LogicalCapture::ensure(const TableSchema &schema, qint64 minSeq)
{
    m_schema = schema;
    const QByteArray name = m_name.toUtf8();
    const QByteArray table = tableIdentifier(sql(), schema.table);
    query("CREATE TABLE IF NOT EXISTS _ferry_capture_pos (link text PRIMARY KEY, seq bigint NOT NULL, lsn bigint NOT NULL)");
    // The publication first: the slot decodes with the catalogs as they were, and a
    // publication created after it would be missing for what came between.
    if (query("SELECT 1 FROM pg_publication WHERE pubname = $1", {name}).isEmpty())
        query("CREATE PUBLICATION " + identifier(sql(), m_name) + " FOR TABLE " + table);
    else if (query("SELECT 1 FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid WHERE p.pubname = $1 AND r.prrelid = to_regclass($2)",
                   {name, table})
                 .isEmpty())
        query("ALTER PUBLICATION " + identifier(sql(), m_name) + " SET TABLE " + table);
    bool created = false;
    const auto position = query("SELECT seq, lsn FROM _ferry_capture_pos WHERE link = $1", {m_linkId.toUtf8()});
    qint64 seq = position.isEmpty() ? 0 : position.at(0).at(0).toLongLong();
    quint64 lsn = position.isEmpty() ? 0 : position.at(0).at(1).toULongLong();
    if (query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", {name}).isEmpty()) {
        const auto slot = query("SELECT lsn FROM pg_create_logical_replication_slot($1, 'pgoutput')", {name});
        lsn = PgReplicationStream::parseLsn(slot.at(0).at(0));
        created = true;
    } else if (position.isEmpty()) {
        lsn = PgReplicationStream::parseLsn(query("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = $1", {name}).at(0).at(0));
    }
    seq = std::max(seq, minSeq);
    query("INSERT INTO _ferry_capture_pos (link, seq, lsn) VALUES ($1, $2, $3) ON CONFLICT (link) DO UPDATE SET seq = excluded.seq, lsn = excluded.lsn",
          {m_linkId.toUtf8(), QByteArray::number(seq), QByteArray::number(lsn)});
    m_nextSeq = m_ackSeq = m_durableSeq = seq;
    m_ackLsn = m_durableLsn = m_readLsn = lsn;
    return created;
}

bool LogicalCapture::intact(const QString &table)
{
    const QByteArray name = m_name.toUtf8();
    const auto rows = query("SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1), "
                            "(SELECT count(*) FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid "
                            "WHERE p.pubname = $1 AND r.prrelid = to_regclass($2))",
                            {name, tableIdentifier(sql(), table)});
    return rows.at(0).at(0).toInt() > 0 && rows.at(0).at(1).toInt() > 0;
}

void LogicalCapture::start()
{
    m_stream.close();
    m_decoder.reset();
    m_open.clear();
    m_openBytes = 0;
    m_openSent = false;
    m_commitTimes.clear();
    m_nextSeq = m_ackSeq = m_durableSeq;
    m_ackLsn = m_readLsn = m_durableLsn;
    m_stream.start(m_name, m_name, m_durableLsn);
    m_sincePeek.invalidate();
    m_sincePersist.start();
}

void LogicalCapture::close()
{
    m_stream.close();
}

QString LogicalCapture::checkRelation(const PgRelation &relation)
{
    TableSchema now;
    now.table = m_schema.table;
    for (const PgRelation::Column &column : relation.columns) {
        Column mapped;
        mapped.name = column.name;
        mapped.declaredType = QStringLiteral("oid %1").arg(column.typeOid);
        const int before = m_schema.columnIndex(column.name);
        if (before >= 0)
            mapped.declaredType = m_schema.columns.at(before).declaredType;
        if (!typeOfOid(column.typeOid, &mapped.type))
            return QCoreApplication::translate("LogicalCapture", "column \"%1\" of table \"%2\" changed to a type Ferry cannot replicate (type oid %3)").arg(column.name, m_schema.table).arg(column.typeOid);
        now.columns.append(mapped);
    }
    now.primaryKey = m_schema.primaryKey;
    return schemaChange(m_schema, now);
}

bool LogicalCapture::fromText(const Column &column, quint32 typeOid, const QByteArray &text, QVariant *value) const
{
    bool ok = true;
    switch (column.type) {
    case ColumnType::Integer:
        *value = text.toLongLong(&ok);
        return ok;
    case ColumnType::Real: {
        char *end = nullptr;
        // A real (float4) reads as a float and widens, as the scans' ::float8 does.
        const double number = typeOid == 700 ? double(std::strtof(text.constData(), &end)) : std::strtod(text.constData(), &end);
        *value = number;
        return end && *end == '\0';
    }
    case ColumnType::Text:
        *value = QString::fromUtf8(text);
        return true;
    case ColumnType::Blob:
        if (!text.startsWith("\\x"))
            return false;
        *value = QByteArray::fromHex(text.mid(2));
        return true;
    case ColumnType::Boolean:
        *value = text == "t";
        return text == "t" || text == "f";
    case ColumnType::Timestamp: {
        qint64 micros = 0;
        if (!parseCanonicalTimestamp(text.constData(), text.size(), &micros) && !parseTimestamp(QString::fromLatin1(text), &micros))
            return false;
        *value = qlonglong(micros);
        return true;
    }
    case ColumnType::Numeric: {
        const QString raw = QString::fromLatin1(text);
        const QString normalized = normalizeNumeric(raw);
        *value = normalized.isNull() ? raw : normalized;   // keeps NaN and the infinities
        return true;
    }
    }
    return false;
}

Key LogicalCapture::keyOf(const PgTuple &tuple, const PgRelation &relation)
{
    Key key;
    for (int index : m_schema.primaryKey) {
        if (index >= tuple.kinds.size() || tuple.kinds.at(index) != PgTuple::Text)
            throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: a change of table %2 came without its primary key (replica identity)").arg(m_source.displayName(), m_schema.table));
        QVariant value;
        if (!fromText(m_schema.columns.at(index), relation.columns.at(index).typeOid, tuple.values.at(index), &value))
            throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: column \"%2\" of table %3: cannot read \"%4\"")
                                 .arg(m_source.displayName(), m_schema.columns.at(index).name, m_schema.table, QString::fromUtf8(tuple.values.at(index).left(80))));
        key.append(value);
    }
    return key;
}

Row LogicalCapture::rowOf(const PgRowChange &change)
{
    const PgRelation *relation = m_decoder.relation(change.relation);
    PgTuple tuple = change.newTuple;
    if (tuple.hasUnchanged()) {
        // A TOASTed value the update left alone is not in the WAL record: from the old row
        // when the replica identity is FULL, otherwise from the table as it is now (as the
        // trigger capture read rows; a later change of the row follows in the stream).
        for (int i = 0; i < tuple.kinds.size(); ++i) {
            if (tuple.kinds.at(i) == PgTuple::Unchanged && change.hasOld && i < change.oldTuple.kinds.size()
                && change.oldTuple.kinds.at(i) != PgTuple::Unchanged && relation->identity == 'f') {
                tuple.kinds[i] = change.oldTuple.kinds.at(i);
                tuple.values[i] = change.oldTuple.values.at(i);
            }
        }
    }
    if (tuple.hasUnchanged()) {
        const Key key = keyOf(tuple, *relation);
        QStringList where;
        QList<QByteArray> params;
        for (int i = 0; i < m_schema.primaryKey.size(); ++i) {
            const int index = m_schema.primaryKey.at(i);
            where.append(QStringLiteral("%1 = $%2").arg(QString::fromUtf8(identifier(sql(), m_schema.columns.at(index).name))).arg(i + 1));
            params.append(tuple.values.at(index));
        }
        QStringList columns;
        for (const Column &column : m_schema.columns)
            columns.append(QString::fromUtf8(identifier(sql(), column.name)) + QStringLiteral("::text"));
        QList<bool> nulls;
        const auto rows = query(QStringLiteral("SELECT %1 FROM %2 WHERE %3").arg(columns.join(QLatin1String(", ")), quotedTable(m_schema.table), where.join(QLatin1String(" AND "))).toUtf8(),
                                params, &nulls);
        if (rows.isEmpty())
            return {};   // deleted since: its delete follows
        for (int i = 0; i < tuple.kinds.size(); ++i) {
            if (tuple.kinds.at(i) == PgTuple::Unchanged) {
                tuple.kinds[i] = nulls.at(i) ? PgTuple::Null : PgTuple::Text;
                tuple.values[i] = rows.at(0).at(i);
            }
        }
        Q_UNUSED(key);
    }
    Row row;
    row.reserve(m_schema.columns.size());
    for (int i = 0; i < m_schema.columns.size(); ++i) {
        if (tuple.kinds.at(i) == PgTuple::Null) {
            row.append(QVariant());
            continue;
        }
        QVariant value;
        if (!fromText(m_schema.columns.at(i), relation->columns.at(i).typeOid, tuple.values.at(i), &value))
            throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: column \"%2\" of table %3: cannot read \"%4\"")
                                 .arg(m_source.displayName(), m_schema.columns.at(i).name, m_schema.table, QString::fromUtf8(tuple.values.at(i).left(80))));
        row.append(value);
    }
    return row;
}

void LogicalCapture::convert(const PgRowChange &change, qint64 committedAtUs, QList<Change> *out, qint64 *bytes)
{
    auto add = [&](Change next) {
        next.seq = ++m_nextSeq;
        next.committedAtUs = committedAtUs;
        *bytes += next.deleted ? 32 : approximateRowBytes(next.row);
        out->append(std::move(next));
    };
    if (change.kind == PgRowChange::Kind::Truncate) {
        // Every row goes: a delete without a key (the target empties its table).
        Change truncate;
        truncate.deleted = true;
        add(truncate);
        return;
    }
    const PgRelation *relation = m_decoder.relation(change.relation);
    if (!relation)
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: a change of relation %2 came before its description").arg(m_source.displayName()).arg(change.relation));
    if (relation->columns.size() != m_schema.columns.size())
        throw FerryError(QCoreApplication::translate("LogicalCapture", "%1: a change of table %2 has %3 columns, the table %4").arg(m_source.displayName(), m_schema.table).arg(relation->columns.size()).arg(m_schema.columns.size()));
    if (change.kind == PgRowChange::Kind::Delete) {
        Change deleted;
        deleted.deleted = true;
        deleted.key = keyOf(change.oldTuple, *relation);
        add(deleted);
        return;
    }
    Change upsert;
    upsert.row = rowOf(change);
    if (change.kind == PgRowChange::Kind::Update && change.hasOld) {
        // The old key: only sent when the key changed (or with REPLICA IDENTITY FULL).
        const Key oldKey = keyOf(change.oldTuple, *relation);
        if (upsert.row.isEmpty() || oldKey != m_schema.keyOf(upsert.row)) {
            Change deleted;
            deleted.deleted = true;
            deleted.key = oldKey;
            add(deleted);
        }
    }
    if (upsert.row.isEmpty())
        return;
    upsert.key = m_schema.keyOf(upsert.row);
    add(upsert);
}

LogicalCapture::Batch LogicalCapture::read(int maxChanges, qint64 maxBytes)
{
    Batch batch;
    qint64 bytes = 0;
    PgReplicationStream::Message message;
    while (batch.changes.size() < maxChanges && bytes < maxBytes && m_stream.read(&message)) {
        switch (m_decoder.feed(message.data)) {
        case PgOutputDecoder::Event::Relation: {
            const PgRelation *relation = m_decoder.relation(m_decoder.lastRelation());
            const QString change = checkRelation(*relation);
            if (!change.isEmpty()) {
                batch = Batch();
                batch.schemaChange = change;
                return batch;
            }
            break;
        }
        case PgOutputDecoder::Event::Change: {
            for (const PgRowChange &change : m_decoder.takeOpenChanges())
                convert(change, m_decoder.openCommittedAtUs(), &m_open, &m_openBytes);
            if ((m_open.size() + batch.changes.size() >= maxChanges || m_openBytes + bytes >= maxBytes) && !batch.changes.isEmpty() && !m_openSent)
                return batch;   // whole transactions now; the open one goes on in the next batch
            if (m_open.size() + batch.changes.size() >= maxChanges || m_openBytes + bytes >= maxBytes) {
                // A large transaction: in parts the target keeps until its end.
                if (!m_open.isEmpty())
                    m_commitTimes.append({m_open.constLast().seq, m_decoder.openCommittedAtUs()});
                batch.changes.append(m_open);
                m_open.clear();
                m_openBytes = 0;
                m_openSent = true;
                batch.final = false;
                return batch;
            }
            break;
        }
        case PgOutputDecoder::Event::Commit: {
            const PgTransaction done = m_decoder.takeCommitted();
            m_readLsn = done.endLsn;
            if (!m_open.isEmpty())
                m_commitTimes.append({m_open.constLast().seq, done.committedAtUs});
            bytes += m_openBytes;
            batch.changes.append(m_open);
            m_open.clear();
            m_openBytes = 0;
            if (!batch.changes.isEmpty() || m_openSent)
                batch.endLsn = done.endLsn;
            m_openSent = false;
            break;
        }
        case PgOutputDecoder::Event::None:
            break;
        }
    }
    // Whole transactions only (or the end of one sent in parts): the open one waits.
    if (m_openSent && batch.changes.isEmpty())
        batch.final = false;
    return batch;
}

void LogicalCapture::acknowledge(qint64 seq, quint64 endLsn)
{
    m_ackSeq = std::max(m_ackSeq, seq);
    m_ackLsn = std::max(m_ackLsn, endLsn);
    while (!m_commitTimes.isEmpty() && m_commitTimes.first().first <= m_ackSeq)
        m_commitTimes.removeFirst();
}

void LogicalCapture::acknowledgeIdle()
{
    // Everything read was acknowledged and no transaction is half read: transactions up to
    // the last one read, and up to what the server last said it had sent, had nothing more.
    if (m_ackSeq != m_nextSeq || m_decoder.inTransaction() || !m_open.isEmpty() || m_openSent)
        return;
    m_ackLsn = std::max({m_ackLsn, m_readLsn, m_stream.sentUpTo()});
}

void LogicalCapture::persist(bool force)
{
    if (!m_stream.isOpen())
        return;
    if (!force && m_sincePersist.isValid() && m_sincePersist.elapsed() < 1000)
        return;
    m_sincePersist.start();
    if (m_ackLsn > m_durableLsn || m_ackSeq > m_durableSeq) {
        // Written before the slot hears of it: after a crash the stream resumes from a
        // pair the database holds, never from a slot position this side cannot number.
        query("UPDATE _ferry_capture_pos SET seq = $2, lsn = $3 WHERE link = $1",
              {m_linkId.toUtf8(), QByteArray::number(m_ackSeq), QByteArray::number(m_ackLsn)});
        m_durableSeq = m_ackSeq;
        m_durableLsn = m_ackLsn;
    }
    // Asks for a keepalive: its position lets an idle link move past other tables' WAL.
    m_stream.confirm(m_durableLsn, true);
}

void LogicalCapture::skipToNow(qint64 minSeq)
{
    m_stream.close();
    const quint64 now = PgReplicationStream::parseLsn(query("SELECT pg_current_wal_lsn()").at(0).at(0));
    const qint64 seq = std::max({minSeq, m_nextSeq, m_durableSeq});
    query("UPDATE _ferry_capture_pos SET seq = $2, lsn = $3 WHERE link = $1", {m_linkId.toUtf8(), QByteArray::number(seq), QByteArray::number(now)});
    m_nextSeq = m_ackSeq = m_durableSeq = seq;
    m_ackLsn = m_readLsn = m_durableLsn = std::max(now, m_durableLsn);
}

qint64 LogicalCapture::oldestUnacknowledgedAtUs() const
{
    if (!m_commitTimes.isEmpty())
        return m_commitTimes.first().second;
    return m_open.isEmpty() ? 0 : m_open.first().committedAtUs;
}

Store::Backlog LogicalCapture::peekBacklog(qint64 limit)
{
    if (m_sincePeek.isValid() && m_sincePeek.elapsed() < 2000)
        return m_peeked;
    // pgoutput's messages: I, U, D, T are row changes; a B (begin) carries its
    // transaction's commit time at bytes 9 to 16 (microseconds since 2000-01-01).
    const auto rows = query("SELECT count(*) FILTER (WHERE get_byte(data, 0) IN (73, 85, 68, 84)), "
                            "min(CASE WHEN get_byte(data, 0) = 66 THEN ('x' || encode(substring(data FROM 10 FOR 8), 'hex'))::bit(64)::bigint END) "
                            "FROM pg_logical_slot_peek_binary_changes($1, NULL, $2::int, 'proto_version', '1', 'publication_names', $1)",
                            {m_name.toUtf8(), QByteArray::number(limit)});
    Store::Backlog backlog;
    backlog.changes = rows.at(0).at(0).toLongLong();
    if (backlog.changes > 0 && !rows.at(0).at(1).isEmpty())
        backlog.oldestAtUs = rows.at(0).at(1).toLongLong() + 946684800LL * 1000000LL;
    m_peeked = backlog;
    m_sincePeek.start();
    return backlog;
}

qint64 LogicalCapture::retainedBytes()
{
    const auto rows = query("SELECT (pg_current_wal_lsn() - restart_lsn)::bigint FROM pg_replication_slots WHERE slot_name = $1", {m_name.toUtf8()});
    return rows.isEmpty() ? -1 : rows.at(0).at(0).toLongLong();
}

} // namespace ferry
