#include "storage/pgcopywriter.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QtEndian>

#include <libpq-fe.h>

#include <climits>
#include <cmath>
#include <cstring>

namespace ferry {

namespace {

// PostgreSQL counts timestamps from 2000-01-01, Ferry from 1970-01-01.
constexpr qint64 EpochShiftMicros = Q_INT64_C(10957) * Q_INT64_C(86400000000);

const char BinaryHeader[19] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0', 0, 0, 0, 0, 0, 0, 0, 0};

class Buffer
{
public:
    void clear() { m_size = 0; }
    char *reserve(qsizetype n)
    {
        if (m_size + n > m_data.size())
            m_data.resize(std::max<qsizetype>(m_size + n, m_data.size() * 2 + 4096));
        return m_data.data() + m_size;
    }
    void append(const char *data, qsizetype n)
    {
        if (n > 0)
            std::memcpy(reserve(n), data, size_t(n));
        m_size += n;
    }
    template <typename T> void put(T v)
    {
        qToBigEndian(v, reserve(sizeof v));
        m_size += qsizetype(sizeof v);
    }
    qsizetype size() const { return m_size; }
    const char *constData() const { return m_data.constData(); }

private:
    QByteArray m_data;
    qsizetype m_size = 0;
};

} // namespace

PgCopyWriter::PgCopyWriter(PGconn *connection, const TableSchema &schema, const QString &quotedTable, const QHash<QString, QString> &typeNames,
                           const QString &displayName)
    : m_conn(connection), m_schema(schema), m_quotedTable(quotedTable), m_displayName(displayName)
{
    static const QHash<QString, Kind> kinds = {
        {QStringLiteral("int2"), Kind::Int2},           {QStringLiteral("int4"), Kind::Int4},     {QStringLiteral("int8"), Kind::Int8},
        {QStringLiteral("float8"), Kind::Float8},       {QStringLiteral("text"), Kind::Text},     {QStringLiteral("varchar"), Kind::Text},
        {QStringLiteral("bpchar"), Kind::Text},         {QStringLiteral("bytea"), Kind::Bytea},   {QStringLiteral("bool"), Kind::Bool},
        {QStringLiteral("timestamp"), Kind::Timestamp}, {QStringLiteral("timestamptz"), Kind::Timestamp},
    };
    // The canonical type each kind holds: a schema that says otherwise is not this table's.
    auto fits = [](Kind kind, ColumnType type) {
        switch (kind) {
        case Kind::Int2: case Kind::Int4: case Kind::Int8: return type == ColumnType::Integer;
        case Kind::Float8: return type == ColumnType::Real;
        case Kind::Text: return type == ColumnType::Text;
        case Kind::Bytea: return type == ColumnType::Blob;
        case Kind::Bool: return type == ColumnType::Boolean;
        case Kind::Timestamp: return type == ColumnType::Timestamp;
        }
        return false;
    };
    for (const Column &column : schema.columns) {
        const auto it = kinds.constFind(typeNames.value(column.name));
        if (it == kinds.constEnd() || !fits(it.value(), column.type)) {
            m_supported = false;
            return;
        }
        m_kinds.append(it.value());
    }
}

void PgCopyWriter::fail(const QString &detail) const
{
    // Leave the connection as QPSQL expects it: no result pending (the caller rolls back).
    while (PGresult *rest = PQgetResult(m_conn))
        PQclear(rest);
    QString line = detail.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.startsWith(QLatin1String("ERROR:")))
        line = line.mid(6).trimmed();
    throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(m_schema.table), line));
}

void PgCopyWriter::write(const QList<const Row *> &rows)
{
    Q_ASSERT(m_supported);
    QStringList names;
    for (const Column &column : m_schema.columns) {
        QString name = column.name;
        name.replace(QLatin1Char('"'), QLatin1String("\"\""));
        names.append(QLatin1Char('"') + name + QLatin1Char('"'));
    }
    const QByteArray sql = QStringLiteral("COPY %1 (%2) FROM STDIN (FORMAT binary)").arg(m_quotedTable, names.join(QLatin1String(", "))).toUtf8();
    {
        PGresult *started = PQexec(m_conn, sql.constData());
        const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
        const QString error = QString::fromUtf8(PQresultErrorMessage(started));
        PQclear(started);
        if (!copying)
            fail(error);
    }
    // A value that cannot be written ends the COPY with an error (nothing of it is kept).
    QString refused;
    Buffer data;
    auto send = [&] {
        if (PQputCopyData(m_conn, data.constData(), int(data.size())) != 1)
            fail(QString::fromUtf8(PQerrorMessage(m_conn)));
        data.clear();
    };
    data.append(BinaryHeader, sizeof BinaryHeader);
    const qint16 columnCount = qint16(m_schema.columns.size());
    for (const Row *row : rows) {
        data.put<qint16>(columnCount);
        for (qsizetype i = 0; i < m_kinds.size() && refused.isEmpty(); ++i) {
            const QVariant &value = row->at(i);
            if (value.isNull()) {
                data.put<qint32>(-1);
                continue;
            }
            const Column &column = m_schema.columns.at(i);
            switch (m_kinds.at(i)) {
            case Kind::Int2:
            case Kind::Int4: {
                const qlonglong v = value.toLongLong();
                const bool small = m_kinds.at(i) == Kind::Int2;
                if (small ? (v < SHRT_MIN || v > SHRT_MAX) : (v < INT_MIN || v > INT_MAX)) {
                    refused = QCoreApplication::translate("PgCopyWriter", "value %1 is out of range for type %2 of column \"%3\"")
                                  .arg(v).arg(column.declaredType, column.name);
                    break;
                }
                if (small) {
                    data.put<qint32>(2);
                    data.put<qint16>(qint16(v));
                } else {
                    data.put<qint32>(4);
                    data.put<qint32>(qint32(v));
                }
                break;
            }
            case Kind::Int8:
                data.put<qint32>(8);
                data.put<qint64>(value.toLongLong());
                break;
            case Kind::Float8: {
                const double d = value.toDouble();
                quint64 bits = Q_UINT64_C(0x7ff8000000000000);   // float8in's NaN
                if (!std::isnan(d))
                    std::memcpy(&bits, &d, sizeof bits);
                data.put<qint32>(8);
                data.put<quint64>(bits);
                break;
            }
            case Kind::Text: {
                const QByteArray utf8 = value.toString().toUtf8();
                data.put<qint32>(qint32(utf8.size()));
                data.append(utf8.constData(), utf8.size());
                break;
            }
            case Kind::Bytea: {
                const QByteArray bytes = value.toByteArray();
                data.put<qint32>(qint32(bytes.size()));
                data.append(bytes.constData(), bytes.size());
                break;
            }
            case Kind::Bool:
                data.put<qint32>(1);
                data.append(value.toBool() ? "\1" : "\0", 1);
                break;
            case Kind::Timestamp: {
                const qint64 micros = value.toLongLong();
                qint64 stored = micros;
                if (micros != LLONG_MAX && micros != LLONG_MIN && __builtin_sub_overflow(micros, EpochShiftMicros, &stored)) {
                    refused = QCoreApplication::translate("PgCopyWriter", "timestamp %1 is out of range for column \"%2\"").arg(micros).arg(column.name);
                    break;
                }
                data.put<qint32>(8);
                data.put<qint64>(stored);
                break;
            }
            }
        }
        if (!refused.isEmpty())
            break;
        if (data.size() >= (1 << 20) - 4096)
            send();
    }
    if (!refused.isEmpty()) {
        const QByteArray reason = refused.toUtf8();
        PQputCopyEnd(m_conn, reason.constData());
        fail(refused);
    }
    data.put<qint16>(-1);
    send();
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        fail(QString::fromUtf8(PQerrorMessage(m_conn)));
    PGresult *result = PQgetResult(m_conn);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const QString error = QString::fromUtf8(PQresultErrorMessage(result));
    PQclear(result);
    if (!ok)
        fail(error);
    while (PGresult *rest = PQgetResult(m_conn))
        PQclear(rest);
}

} // namespace ferry
