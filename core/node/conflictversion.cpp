#include "node/conflictversion.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <cctype>
#include <cmath>

namespace ferry {

namespace {

// An integral JSON number as a qint64 (Qt keeps integers exactly when they fit).
bool integerOf(const QJsonValue &value, qlonglong *out)
{
    if (!value.isDouble())
        return false;
    const QVariant variant = value.toVariant();
    if (variant.typeId() == QMetaType::LongLong || variant.typeId() == QMetaType::Int) {
        *out = variant.toLongLong();
        return true;
    }
    const double number = value.toDouble();
    if (std::trunc(number) != number || std::fabs(number) > 9007199254740992.0)
        return false;
    *out = qlonglong(number);
    return true;
}

bool hexBlob(const QString &text, QByteArray *out)
{
    if (!text.startsWith(QLatin1String("\\x")) || text.size() % 2 != 0)
        return false;
    for (qsizetype i = 2; i < text.size(); ++i) {
        if (!isxdigit(text.at(i).toLatin1()))
            return false;
    }
    *out = QByteArray::fromHex(text.mid(2).toLatin1());
    return true;
}

} // namespace

QString conflictRowFromJson(const QString &table, const QList<Column> &columns, const QString &json, Row *row)
{
    row->clear();
    if (json.isEmpty())
        return QString();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isArray())
        return QCoreApplication::translate("ConflictVersion", "the stored row of table \"%1\" is not a list of values: %2").arg(table, json.left(200));
    const QJsonArray values = document.array();
    if (values.size() != columns.size())
        return QCoreApplication::translate("ConflictVersion", "the stored row has %1 values, table \"%2\" has %3 columns now")
            .arg(values.size())
            .arg(table)
            .arg(columns.size());
    Row result;
    result.reserve(values.size());
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QJsonValue value = values.at(i);
        const Column &column = columns.at(i);
        if (value.isNull()) {
            result.append(QVariant());
            continue;
        }
        bool fits = false;
        qlonglong integer = 0;
        switch (column.type) {
        case ColumnType::Integer:
        case ColumnType::Timestamp:
            fits = integerOf(value, &integer);
            if (fits)
                result.append(QVariant(integer));
            break;
        case ColumnType::Real:
            fits = value.isDouble();
            if (fits)
                result.append(QVariant(value.toDouble()));
            break;
        case ColumnType::Text:
        case ColumnType::Numeric:
            fits = value.isString();
            if (fits)
                result.append(QVariant(value.toString()));
            break;
        case ColumnType::Blob: {
            QByteArray bytes;
            fits = value.isString() && hexBlob(value.toString(), &bytes);
            if (fits)
                result.append(QVariant(bytes));
            break;
        }
        case ColumnType::Boolean:
            fits = value.isBool();
            if (fits)
                result.append(QVariant(value.toBool()));
            break;
        }
        if (!fits) {
            const QString shown = value.isString() ? value.toString() : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
            return QCoreApplication::translate("ConflictVersion", "value %1 of the stored row (%2) does not fit column \"%3\" (%4) of table \"%5\"")
                .arg(i + 1)
                .arg(shown.left(100), column.name, columnTypeName(column.type), table);
        }
    }
    *row = result;
    return QString();
}

} // namespace ferry
