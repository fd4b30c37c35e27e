#include "rows/keyrange.h"

#include <QStringList>

namespace ferry {

namespace {

// Code point order of two UTF-16 strings, which equals UTF-8 byte order.
int compareCodePoints(const QString &a, const QString &b)
{
    const qsizetype n = qMin(a.size(), b.size());
    const QChar *pa = a.constData();
    const QChar *pb = b.constData();
    for (qsizetype i = 0; i < n; ++i) {
        char16_t ca = pa[i].unicode();
        char16_t cb = pb[i].unicode();
        if (ca == cb)
            continue;
        // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF: move them above
        // U+E000..U+FFFF so that the order follows code points.
        auto fix = [](char16_t c) -> unsigned { return (c >= 0xD800) ? (c < 0xE000 ? c + 0x2000u : c - 0x800u) : c; };
        return fix(ca) < fix(cb) ? -1 : 1;
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

int compareDecimals(const QString &a, const QString &b)
{
    // Both normalized: optional '-', integer digits without leading zeros, optional
    // '.' and fraction digits without trailing zeros.
    const bool negA = a.startsWith(QLatin1Char('-'));
    const bool negB = b.startsWith(QLatin1Char('-'));
    if (negA != negB)
        return negA ? -1 : 1;
    const QString ma = negA ? a.mid(1) : a;
    const QString mb = negB ? b.mid(1) : b;
    const qsizetype dotA = ma.indexOf(QLatin1Char('.'));
    const qsizetype dotB = mb.indexOf(QLatin1Char('.'));
    const QString intA = dotA < 0 ? ma : ma.left(dotA);
    const QString intB = dotB < 0 ? mb : mb.left(dotB);
    int result = 0;
    if (intA.size() != intB.size()) {
        result = intA.size() < intB.size() ? -1 : 1;
    } else {
        result = intA.compare(intB);
        if (result == 0) {
            const QString fracA = dotA < 0 ? QString() : ma.mid(dotA + 1);
            const QString fracB = dotB < 0 ? QString() : mb.mid(dotB + 1);
            result = fracA.compare(fracB);
        }
        result = result < 0 ? -1 : (result > 0 ? 1 : 0);
    }
    return negA ? -result : result;
}

} // namespace

int compareValues(ColumnType type, const QVariant &a, const QVariant &b)
{
    const bool nullA = a.isNull();
    const bool nullB = b.isNull();
    if (nullA || nullB)
        return nullA == nullB ? 0 : (nullA ? -1 : 1);   // NULL first, as SQLite orders them
    switch (type) {
    case ColumnType::Integer:
    case ColumnType::Timestamp: {
        const qlonglong x = a.toLongLong();
        const qlonglong y = b.toLongLong();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    case ColumnType::Real: {
        const double x = a.toDouble();
        const double y = b.toDouble();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    case ColumnType::Boolean:
        return int(a.toBool()) - int(b.toBool());
    case ColumnType::Text:
        return compareCodePoints(a.toString(), b.toString());
    case ColumnType::Blob: {
        const QByteArray x = a.toByteArray();
        const QByteArray y = b.toByteArray();
        const int c = x.compare(y);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ColumnType::Numeric:
        return compareDecimals(a.toString(), b.toString());
    }
    return 0;
}

int compareKeys(const QList<ColumnType> &types, const Key &a, const Key &b)
{
    for (int i = 0; i < types.size(); ++i) {
        const int c = compareValues(types.at(i), a.at(i), b.at(i));
        if (c != 0)
            return c;
    }
    return 0;
}

int compareRowKey(const TableSchema &schema, const Row &row, const Key &key)
{
    for (int i = 0; i < schema.primaryKey.size(); ++i) {
        const int index = schema.primaryKey.at(i);
        const int c = compareValues(schema.columns.at(index).type, row.at(index), key.at(i));
        if (c != 0)
            return c;
    }
    return 0;
}

int locateKey(const QList<ColumnType> &types, const Key &key, const KeyRange &range)
{
    if (range.hasLo() && compareKeys(types, key, range.lo) < 0)
        return -1;
    if (range.hasHi() && compareKeys(types, key, range.hi) >= 0)
        return 1;
    return 0;
}

QString describeRange(const KeyRange &range)
{
    auto keyText = [](const Key &key) {
        QStringList parts;
        for (const QVariant &value : key)
            parts.append(value.isNull() ? QStringLiteral("NULL") : value.toString());
        return parts.size() == 1 ? parts.first() : QLatin1Char('(') + parts.join(QLatin1String(", ")) + QLatin1Char(')');
    };
    return QStringLiteral("[%1, %2)")
        .arg(range.hasLo() ? keyText(range.lo) : QStringLiteral("-inf"),
             range.hasHi() ? keyText(range.hi) : QStringLiteral("+inf"));
}

} // namespace ferry
