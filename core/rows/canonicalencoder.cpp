#include "rows/canonicalencoder.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QtEndian>

#include <cmath>
#include <cstring>

namespace ferry {

namespace {

void appendU32(QByteArray &out, quint32 v)
{
    char buf[4];
    qToBigEndian(v, buf);
    out.append(buf, 4);
}

void appendI64(QByteArray &out, qint64 v)
{
    char buf[8];
    qToBigEndian(v, buf);
    out.append(buf, 8);
}

void appendBytes(QByteArray &out, char tag, const QByteArray &bytes)
{
    out.append(tag);
    appendU32(out, quint32(bytes.size()));
    out.append(bytes);
}

} // namespace

namespace CanonicalEncoder {

void appendValue(QByteArray &out, ColumnType type, const QVariant &value)
{
    if (value.isNull()) {
        out.append(char(TagNull));
        return;
    }
    switch (type) {
    case ColumnType::Integer:
        out.append(char(TagInteger));
        appendI64(out, value.toLongLong());
        return;
    case ColumnType::Real:
        out.append(char(TagReal));
        appendI64(out, qint64(realBits(value.toDouble())));
        return;
    case ColumnType::Text:
        appendBytes(out, TagText, value.toString().toUtf8());
        return;
    case ColumnType::Blob:
        appendBytes(out, TagBlob, value.toByteArray());
        return;
    case ColumnType::Boolean:
        out.append(char(TagBoolean));
        out.append(char(value.toBool() ? 1 : 0));
        return;
    case ColumnType::Timestamp:
        out.append(char(TagTimestamp));
        appendI64(out, value.toLongLong());
        return;
    case ColumnType::Numeric:
        appendBytes(out, TagNumeric, value.toString().toLatin1());
        return;
    }
}

void appendRow(QByteArray &out, const TableSchema &schema, const Row &row)
{
    const qsizetype start = out.size();
    appendU32(out, 0);
    for (int i = 0; i < schema.columns.size(); ++i)
        appendValue(out, schema.columns.at(i).type, row.at(i));
    qToBigEndian(quint32(out.size() - start - 4), out.data() + start);
}

QByteArray encodeRow(const TableSchema &schema, const Row &row)
{
    QByteArray out;
    appendRow(out, schema, row);
    return out;
}

quint64 realBits(double d)
{
    if (std::isnan(d))
        return Q_UINT64_C(0x7ff8000000000000);
    if (d == 0.0)
        d = 0.0;   // folds -0.0
    quint64 bits;
    std::memcpy(&bits, &d, sizeof bits);
    return bits;
}

bool foldsReal(double d)
{
    if (std::isnan(d)) {
        quint64 bits;
        std::memcpy(&bits, &d, sizeof bits);
        return bits != Q_UINT64_C(0x7ff8000000000000);
    }
    return d == 0.0 && std::signbit(d);
}

namespace {

class RowReader
{
public:
    RowReader(const TableSchema &schema, QByteArrayView bytes) : m_schema(schema), m_data(bytes.data()), m_end(bytes.data() + bytes.size())
    {
        const quint32 length = read32();
        if (qsizetype(length) != m_end - m_data)
            fail();
    }

    // The next value, or only past it when value is null.
    void next(ColumnType type, QVariant *value)
    {
        need(1);
        const char tag = *m_data++;
        switch (tag) {
        case TagNull:
            if (value)
                *value = QVariant();
            return;
        case TagInteger:
        case TagTimestamp: {
            const qint64 v = qint64(read64());
            if (value)
                *value = qlonglong(v);
            return;
        }
        case TagReal: {
            const quint64 bits = read64();
            if (value) {
                double d;
                std::memcpy(&d, &bits, sizeof d);
                *value = d;
            }
            return;
        }
        case TagBoolean:
            need(1);
            if (value)
                *value = *m_data != 0;
            ++m_data;
            return;
        case TagText:
        case TagBlob:
        case TagNumeric: {
            const quint32 size = read32();
            need(size);
            if (value) {
                if (tag == TagBlob)
                    *value = QByteArray(m_data, qsizetype(size));
                else if (size == 0)
                    *value = QString(QLatin1String(""));   // empty, not null
                else if (tag == TagText)
                    *value = QString::fromUtf8(m_data, qsizetype(size));
                else
                    *value = QString::fromLatin1(m_data, qsizetype(size));
            }
            m_data += size;
            return;
        }
        default:
            fail();
        }
        Q_UNUSED(type);
    }

    bool atEnd() const { return m_data == m_end; }
    [[noreturn]] void fail() const
    {
        throw FerryError(QCoreApplication::translate("CanonicalEncoder", "a canonical row of table \"%1\" is malformed").arg(m_schema.table));
    }

private:
    void need(qsizetype n) const
    {
        if (m_end - m_data < n)
            fail();
    }
    quint32 read32()
    {
        need(4);
        const quint32 v = qFromBigEndian<quint32>(m_data);
        m_data += 4;
        return v;
    }
    quint64 read64()
    {
        need(8);
        const quint64 v = qFromBigEndian<quint64>(m_data);
        m_data += 8;
        return v;
    }

    const TableSchema &m_schema;
    const char *m_data;
    const char *m_end;
};

} // namespace

Row decodeRow(const TableSchema &schema, QByteArrayView bytes)
{
    RowReader reader(schema, bytes);
    Row row(schema.columns.size());
    for (qsizetype i = 0; i < schema.columns.size(); ++i)
        reader.next(schema.columns.at(i).type, &row[i]);
    if (!reader.atEnd())
        reader.fail();
    return row;
}

Key decodeKey(const TableSchema &schema, QByteArrayView bytes)
{
    RowReader reader(schema, bytes);
    Key key(schema.primaryKey.size());
    // Key columns are usually first: stop reading after the last of them.
    int last = 0;
    for (int index : schema.primaryKey)
        last = std::max(last, index);
    for (int i = 0; i <= last; ++i) {
        const qsizetype position = schema.primaryKey.indexOf(i);
        reader.next(schema.columns.at(i).type, position >= 0 ? &key[position] : nullptr);
    }
    return key;
}

} // namespace CanonicalEncoder

QString normalizeNumeric(const QString &input)
{
    QString text = input.trimmed();
    bool negative = false;
    if (text.startsWith(QLatin1Char('+')) || text.startsWith(QLatin1Char('-'))) {
        negative = text.at(0) == QLatin1Char('-');
        text.remove(0, 1);
    }
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    QString intPart = dot < 0 ? text : text.left(dot);
    QString fracPart = dot < 0 ? QString() : text.mid(dot + 1);
    if (intPart.isEmpty() && fracPart.isEmpty())
        return {};
    for (const QString *part : {&intPart, &fracPart}) {
        for (QChar c : *part) {
            if (c < QLatin1Char('0') || c > QLatin1Char('9'))
                return {};
        }
    }
    qsizetype firstNonZero = 0;
    while (firstNonZero < intPart.size() && intPart.at(firstNonZero) == QLatin1Char('0'))
        ++firstNonZero;
    intPart = intPart.mid(firstNonZero);
    while (fracPart.endsWith(QLatin1Char('0')))
        fracPart.chop(1);
    if (intPart.isEmpty())
        intPart = QStringLiteral("0");
    QString result = intPart;
    if (!fracPart.isEmpty())
        result += QLatin1Char('.') + fracPart;
    if (negative && result != QLatin1String("0"))
        result.prepend(QLatin1Char('-'));
    return result;
}

} // namespace ferry
