#include "blocks/canonicalencoder.h"

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
    case ColumnType::Real: {
        double d = value.toDouble();
        quint64 bits;
        if (std::isnan(d)) {
            bits = Q_UINT64_C(0x7ff8000000000000);
        } else {
            if (d == 0.0)
                d = 0.0;   // folds -0.0
            std::memcpy(&bits, &d, sizeof bits);
        }
        out.append(char(TagReal));
        appendI64(out, qint64(bits));
        return;
    }
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
