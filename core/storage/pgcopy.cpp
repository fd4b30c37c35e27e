#include "storage/pgcopy.h"

#include "rows/canonicalencoder.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QtEndian>

#include <libpq-fe.h>

#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>

namespace ferry {

namespace {

// PostgreSQL counts timestamps from 2000-01-01, Ferry from 1970-01-01.
constexpr qint64 EpochShiftDays = 10957;
constexpr qint64 MicrosPerDay = Q_INT64_C(86400000000);
constexpr qint64 EpochShiftMicros = EpochShiftDays * MicrosPerDay;

const char BinarySignature[11] = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n', '\0'};

// One field of the current row: its bytes, or null (data == nullptr) for NULL.
struct Field
{
    const char *data = nullptr;
    int length = 0;
};

qint64 binaryInteger(const char *data, int length)
{
    switch (length) {
    case 2: return qFromBigEndian<qint16>(data);
    case 4: return qFromBigEndian<qint32>(data);
    default: return qFromBigEndian<qint64>(data);
    }
}

double binaryDouble(const char *data)
{
    const quint64 bits = qFromBigEndian<quint64>(data);
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

QByteArray numericText(const char *data, int length)
{
    const QString text = QString::fromUtf8(data, length);
    const QString normalized = normalizeNumeric(text);
    return (normalized.isNull() ? text : normalized).toLatin1();
}

} // namespace

// The current row: its canonical encoding, and its values on demand.
class PgCopyRow final : public EncodedRow
{
public:
    PgCopyRow(const TableSchema &schema, std::function<void(const QString &)> fail) : m_schema(schema), m_fail(std::move(fail))
    {
        m_fields.resize(schema.columns.size());
    }

    QList<Field> &fields() { return m_fields; }

    // Microseconds since 1970 of a timestamp (8 bytes) or date (4 bytes) field.
    qint64 timestamp(const Field &field) const
    {
        if (field.length == 4) {
            const qint32 days = qFromBigEndian<qint32>(field.data);
            if (days == INT_MAX)
                return LLONG_MAX;
            if (days == INT_MIN)
                return LLONG_MIN;
            qint64 micros = 0;
            if (__builtin_mul_overflow(qint64(days) + EpochShiftDays, MicrosPerDay, &micros))
                m_fail(QStringLiteral("bigint out of range"));
            return micros;
        }
        const qint64 value = qFromBigEndian<qint64>(field.data);
        if (value == LLONG_MAX || value == LLONG_MIN)
            return value;
        qint64 micros = 0;
        if (__builtin_add_overflow(value, EpochShiftMicros, &micros))
            m_fail(QStringLiteral("bigint out of range"));
        return micros;
    }

    void encode()
    {
        QByteArray &out = m_buffer;
        qsizetype size = 4;
        // Room for the fixed-size values; text and blobs grow it below.
        qsizetype needed = 4;
        for (const Field &field : std::as_const(m_fields))
            needed += 9 + (field.data ? field.length + 4 : 0);
        if (out.size() < needed + 64)
            out.resize(std::max<qsizetype>(needed + 64, out.size() * 2));
        char *p = out.data();
        folded = false;
        for (qsizetype i = 0; i < m_fields.size(); ++i) {
            const Field &field = m_fields.at(i);
            if (!field.data) {
                p[size++] = char(CanonicalEncoder::TagNull);
                continue;
            }
            switch (m_schema.columns.at(i).type) {
            case ColumnType::Integer:
                p[size++] = char(CanonicalEncoder::TagInteger);
                qToBigEndian(quint64(binaryInteger(field.data, field.length)), p + size);
                size += 8;
                break;
            case ColumnType::Timestamp:
                p[size++] = char(CanonicalEncoder::TagTimestamp);
                qToBigEndian(quint64(timestamp(field)), p + size);
                size += 8;
                break;
            case ColumnType::Real: {
                const double d = binaryDouble(field.data);
                folded = folded || CanonicalEncoder::foldsReal(d);
                p[size++] = char(CanonicalEncoder::TagReal);
                qToBigEndian(CanonicalEncoder::realBits(d), p + size);
                size += 8;
                break;
            }
            case ColumnType::Boolean:
                p[size++] = char(CanonicalEncoder::TagBoolean);
                p[size++] = char(*field.data ? 1 : 0);
                break;
            case ColumnType::Text:
            case ColumnType::Blob:
                p[size++] = char(m_schema.columns.at(i).type == ColumnType::Text ? CanonicalEncoder::TagText : CanonicalEncoder::TagBlob);
                qToBigEndian(quint32(field.length), p + size);
                size += 4;
                std::memcpy(p + size, field.data, size_t(field.length));
                size += field.length;
                break;
            case ColumnType::Numeric: {
                const QByteArray text = numericText(field.data, field.length);
                if (size + 5 + text.size() > out.size()) {
                    out.resize(size + 5 + text.size() + needed);
                    p = out.data();
                }
                p[size++] = char(CanonicalEncoder::TagNumeric);
                qToBigEndian(quint32(text.size()), p + size);
                size += 4;
                std::memcpy(p + size, text.constData(), size_t(text.size()));
                size += text.size();
                break;
            }
            }
        }
        qToBigEndian(quint32(size - 4), p);
        bytes = QByteArrayView(p, size);
    }

    Key key() const override { return CanonicalEncoder::decodeKey(m_schema, bytes); }

    // As PostgresStore::fromDatabase() makes the values of scan() from QPSQL's.
    Row row() const override
    {
        Row row(m_schema.columns.size());
        for (qsizetype i = 0; i < m_fields.size(); ++i) {
            const Field &field = m_fields.at(i);
            if (!field.data)
                continue;
            switch (m_schema.columns.at(i).type) {
            case ColumnType::Integer: row[i] = qlonglong(binaryInteger(field.data, field.length)); break;
            case ColumnType::Timestamp: row[i] = qlonglong(timestamp(field)); break;
            case ColumnType::Real: row[i] = binaryDouble(field.data); break;
            case ColumnType::Boolean: row[i] = *field.data != 0; break;
            case ColumnType::Text: row[i] = QString::fromUtf8(field.data, field.length); break;
            case ColumnType::Blob: row[i] = QByteArray(field.data, field.length); break;
            case ColumnType::Numeric: row[i] = QString::fromLatin1(numericText(field.data, field.length)); break;
            }
        }
        return row;
    }

private:
    const TableSchema &m_schema;
    std::function<void(const QString &)> m_fail;
    QList<Field> m_fields;
    QByteArray m_buffer;
};

PgCopyReader::PgCopyReader(PGconn *connection, const TableSchema &schema, const QString &displayName)
    : m_conn(connection), m_schema(schema), m_displayName(displayName)
{
}

QString PgCopyReader::selectList() const
{
    QStringList columns;
    for (const Column &column : m_schema.columns) {
        QString name = column.name;
        name.replace(QLatin1Char('"'), QLatin1String("\"\""));
        name = QLatin1Char('"') + name + QLatin1Char('"');
        switch (column.type) {
        case ColumnType::Real: columns.append(name + QStringLiteral("::float8")); break;
        case ColumnType::Numeric: columns.append(name + QStringLiteral("::text")); break;
        default: columns.append(name); break;
        }
    }
    return columns.join(QLatin1String(", "));
}

QByteArray PgCopyReader::keyLiteral(const Column &column, const QVariant &value) const
{
    // The text a bound parameter had (PostgresStore's appendKeyParameter), quoted.
    QByteArray text;
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
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);   // shortest exact form
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
        text = "\\x" + value.toByteArray().toHex();
        break;
    case ColumnType::Text:
    case ColumnType::Numeric:
        text = value.toString().toUtf8();
        break;
    }
    char *escaped = PQescapeLiteral(m_conn, text.constData(), size_t(text.size()));
    if (!escaped)
        fail(QString::fromUtf8(PQerrorMessage(m_conn)));
    const QByteArray literal(escaped);
    PQfreemem(escaped);
    return literal;
}

void PgCopyReader::fail(const QString &detail) const
{
    QString line = detail.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.startsWith(QLatin1String("ERROR:")))
        line = line.mid(6).trimmed();
    throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqlStore", "reading table \"%1\" failed").arg(m_schema.table), line));
}

qint64 PgCopyReader::run(const QByteArray &sql, const Sink &sink)
{
    const bool inTransaction = PQtransactionStatus(m_conn) != PQTRANS_IDLE;
    {
        std::unique_ptr<PGresult, void (*)(PGresult *)> started(PQexec(m_conn, sql.constData()), PQclear);
        if (PQresultStatus(started.get()) != PGRES_COPY_OUT) {
            const QString error = QString::fromUtf8(PQresultErrorMessage(started.get()));
            started.reset();
            while (PGresult *rest = PQgetResult(m_conn))
                PQclear(rest);
            fail(error.isEmpty() ? QString::fromUtf8(PQerrorMessage(m_conn)) : error);
        }
    }

    // Ends the statement: the rows not read are dropped (a cancel outside a transaction,
    // where its error ends nothing else); the connection is left with no result pending.
    auto finish = [&](bool stopped) -> QString {
        if (stopped && !inTransaction) {
            if (PGcancel *cancel = PQgetCancel(m_conn)) {
                char error[256];
                PQcancel(cancel, error, int(sizeof error));
                PQfreeCancel(cancel);
            }
        }
        char *data = nullptr;
        while (PQgetCopyData(m_conn, &data, 0) > 0)
            PQfreemem(data);
        QString error;
        while (PGresult *result = PQgetResult(m_conn)) {
            if (PQresultStatus(result) != PGRES_COMMAND_OK && error.isEmpty())
                error = QString::fromUtf8(PQresultErrorMessage(result));
            PQclear(result);
        }
        return error;
    };

    PgCopyRow row(m_schema, [this](const QString &detail) { fail(detail); });
    QList<Field> &fields = row.fields();
    const qsizetype columnCount = fields.size();
    QByteArray pending;   // bytes of a row split across messages (COPY sends one row a message)
    bool headerRead = false;
    bool trailerRead = false;
    qint64 delivered = 0;
    bool stopped = false;
    QString malformed;

    // Parses and delivers the complete rows in [begin, end); returns where the unparsed
    // rest starts, or nullptr to stop.
    auto parse = [&](const char *begin, const char *end) -> const char * {
        const char *p = begin;
        if (!headerRead) {
            if (end - p < 19)
                return p;
            if (std::memcmp(p, BinarySignature, sizeof BinarySignature) != 0) {
                malformed = QStringLiteral("not a binary COPY stream");
                return nullptr;
            }
            const quint32 extension = qFromBigEndian<quint32>(p + 15);
            if (end - p < 19 + qint64(extension))
                return p;
            p += 19 + extension;
            headerRead = true;
        }
        while (end - p >= 2 && !trailerRead) {
            const qint16 count = qFromBigEndian<qint16>(p);
            if (count == -1) {
                trailerRead = true;
                return p + 2;
            }
            if (count != columnCount) {
                malformed = QStringLiteral("a row of %1 fields where %2 were selected").arg(count).arg(columnCount);
                return nullptr;
            }
            const char *q = p + 2;
            for (qsizetype i = 0; i < columnCount; ++i) {
                if (end - q < 4)
                    return p;
                const qint32 length = qFromBigEndian<qint32>(q);
                q += 4;
                if (length < 0) {
                    fields[i] = Field();
                    continue;
                }
                if (end - q < length)
                    return p;
                fields[i] = Field{q, length};
                q += length;
            }
            p = q;
            row.encode();
            ++delivered;
            if (!sink(row)) {
                stopped = true;
                return nullptr;
            }
        }
        return p;
    };

    try {
        for (;;) {
            char *message = nullptr;
            const int length = PQgetCopyData(m_conn, &message, 0);
            if (length == -1)
                break;
            if (length < 0) {
                const QString connectionError = QString::fromUtf8(PQerrorMessage(m_conn));
                const QString error = finish(false);
                fail(error.isEmpty() ? connectionError : error);
            }
            std::unique_ptr<char, void (*)(void *)> owned(message, PQfreemem);
            const char *rest = nullptr;
            const char *end = nullptr;
            if (pending.isEmpty()) {
                rest = parse(message, message + length);
                end = message + length;
            } else {
                pending.append(message, length);
                rest = parse(pending.constData(), pending.constData() + pending.size());
                end = pending.constData() + pending.size();
            }
            if (!rest)
                break;
            QByteArray left(rest, end - rest);   // a copy: rest may point into pending
            pending.swap(left);
        }
    } catch (...) {
        finish(true);
        throw;
    }
    const QString error = finish(stopped || !malformed.isEmpty());
    if (!malformed.isEmpty())
        fail(malformed);
    if (!error.isEmpty() && !stopped)
        fail(error);
    if (!stopped && (!pending.isEmpty() || !trailerRead))
        fail(QStringLiteral("the binary COPY stream ended in the middle of a row"));
    return delivered;
}

} // namespace ferry
