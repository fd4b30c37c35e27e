#include "storage/sqlitestore.h"

#include "blocks/canonicalencoder.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSqlQuery>

#include <cmath>

namespace ferry {

SqliteStore::SqliteStore(const DataSource &source, const Options &options)
    : SqlStore(QStringLiteral("QSQLITE"), QStringLiteral("sqlite:") + source.path)
{
    // QSQLITE would silently create a missing file: refuse instead, so that a typo in a
    // path never leaves an empty database behind.
    const QFileInfo info(source.path);
    if (!info.exists())
        throw FerryError(QCoreApplication::translate("SqliteStore", "%1: no such file").arg(m_displayName));
    if (!info.isFile())
        throw FerryError(QCoreApplication::translate("SqliteStore", "%1: not a regular file").arg(m_displayName));
    m_db.setDatabaseName(source.path);
    QString connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs);
    if (options.readOnly)
        connectOptions += QStringLiteral(";QSQLITE_OPEN_READONLY");
    m_db.setConnectOptions(connectOptions);
    if (!m_db.open())
        failDatabase(QCoreApplication::translate("SqliteStore", "cannot open"));
    // Reading the schema checks that this is a database and that it is not locked.
    exec(QStringLiteral("SELECT count(*) FROM sqlite_master"));
}

QStringList SqliteStore::tables()
{
    QSqlQuery query = exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

bool SqliteStore::mapDeclaredType(const QString &declared, ColumnType *type)
{
    const QString t = declared.toUpper();
    if (t.contains(QLatin1String("BOOL")))
        *type = ColumnType::Boolean;
    else if (t.contains(QLatin1String("TIMESTAMP")) || t.contains(QLatin1String("DATETIME")) || t == QLatin1String("DATE"))
        *type = ColumnType::Timestamp;
    else if (t.contains(QLatin1String("INT")))
        *type = ColumnType::Integer;
    else if (t.contains(QLatin1String("CHAR")) || t.contains(QLatin1String("CLOB")) || t.contains(QLatin1String("TEXT")))
        *type = ColumnType::Text;
    else if (t.contains(QLatin1String("BLOB")) || t.contains(QLatin1String("BYTEA")))
        *type = ColumnType::Blob;
    else if (t.contains(QLatin1String("REAL")) || t.contains(QLatin1String("FLOA")) || t.contains(QLatin1String("DOUB")))
        *type = ColumnType::Real;
    else if (t.contains(QLatin1String("NUMERIC")) || t.contains(QLatin1String("DECIMAL")))
        *type = ColumnType::Numeric;
    else
        return false;
    return true;
}

TableSchema SqliteStore::describe(const QString &table)
{
    QSqlQuery exists = exec(QStringLiteral("SELECT type FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')"), {table});
    if (!exists.next())
        throw FerryError(QCoreApplication::translate("SqliteStore", "%1: table \"%2\" does not exist").arg(m_displayName, table));
    if (exists.value(0).toString() != QLatin1String("table"))
        throw FerryError(QCoreApplication::translate("SqliteStore", "%1: \"%2\" is a view, not a table").arg(m_displayName, table));

    TableSchema schema;
    schema.table = table;
    QList<QPair<int, int>> keyOrder;   // (position in key, column index)
    QSqlQuery info = exec(QStringLiteral("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid"), {table});
    while (info.next()) {
        Column column;
        column.name = info.value(0).toString();
        column.declaredType = info.value(1).toString();
        column.notNull = info.value(2).toInt() != 0;
        if (!mapDeclaredType(column.declaredType, &column.type)) {
            throw FerryError(QCoreApplication::translate("SqliteStore", "%1: column \"%2\" of table \"%3\" has type \"%4\", which Ferry cannot replicate "
                                                                        "(supported: integer, real, text, blob, boolean, timestamp, numeric)")
                                 .arg(m_displayName, column.name, table, column.declaredType.isEmpty() ? QCoreApplication::translate("SqliteStore", "(none)") : column.declaredType));
        }
        const int pk = info.value(3).toInt();
        if (pk > 0)
            keyOrder.append({pk, int(schema.columns.size())});
        schema.columns.append(column);
    }
    if (keyOrder.isEmpty())
        throw FerryError(QCoreApplication::translate("SqliteStore", "%1: table \"%2\" has no primary key; Ferry needs one to split it into key ranges").arg(m_displayName, table));
    std::sort(keyOrder.begin(), keyOrder.end());
    for (const auto &entry : keyOrder)
        schema.primaryKey.append(entry.second);
    return schema;
}

QString SqliteStore::orderExpression(const Column &column) const
{
    // A column declared COLLATE NOCASE would otherwise order differently from Ferry.
    if (column.type == ColumnType::Text)
        return quote(column.name) + QStringLiteral(" COLLATE BINARY");
    return quote(column.name);
}

QVariant SqliteStore::toDatabase(const Column &column, const QVariant &value) const
{
    if (value.isNull())
        return QVariant(QMetaType::fromType<QString>());
    switch (column.type) {
    case ColumnType::Boolean:
        return value.toBool() ? 1 : 0;
    case ColumnType::Timestamp:
        return formatTimestamp(value.toLongLong());
    case ColumnType::Text:
    case ColumnType::Blob:
        return nonNullForBinding(column.type, value);
    case ColumnType::Numeric: {
        // A NUMERIC column keeps a decimal as INTEGER or REAL, and SQLite's own text-to-real
        // conversion is not always correctly rounded ('84658985.190986' reads back as
        // 84658985.19098601). Bind the exact integer, or the nearest double when that reads
        // back as the same decimal; anything else as text.
        const QString text = value.toString();
        bool ok = false;
        const qlonglong integer = text.toLongLong(&ok);
        if (ok)
            return integer;
        const double real = text.toDouble(&ok);
        if (ok && normalizeNumeric(QString::number(real, 'f', QLocale::FloatingPointShortest)) == text)
            return real;
        return text;
    }
    default:
        return value;
    }
}

bool SqliteStore::fromDatabase(const Column &column, const QVariant &stored, QVariant *value) const
{
    if (stored.isNull()) {
        *value = QVariant();
        return true;
    }
    const int storedType = stored.typeId();
    const bool isText = storedType == QMetaType::QString;
    const bool isBlob = storedType == QMetaType::QByteArray;
    const bool isReal = storedType == QMetaType::Double;
    switch (column.type) {
    case ColumnType::Integer: {
        if (isReal) {
            const double d = stored.toDouble();
            if (d != std::floor(d) || std::abs(d) > 9.2e18)
                return false;
            *value = qlonglong(d);
            return true;
        }
        bool ok = false;
        const qlonglong v = stored.toLongLong(&ok);
        *value = v;
        return ok && !isBlob;
    }
    case ColumnType::Real: {
        bool ok = false;
        const double v = stored.toDouble(&ok);
        *value = v;
        return ok && !isBlob;
    }
    case ColumnType::Text:
        *value = isBlob ? QString::fromUtf8(stored.toByteArray()) : stored.toString();
        return true;
    case ColumnType::Blob:
        *value = isText ? stored.toString().toUtf8() : stored.toByteArray();
        return true;
    case ColumnType::Boolean: {
        if (isText) {
            const QString t = stored.toString().toLower();
            if (t == QLatin1String("true") || t == QLatin1String("t") || t == QLatin1String("1")) {
                *value = true;
                return true;
            }
            if (t == QLatin1String("false") || t == QLatin1String("f") || t == QLatin1String("0")) {
                *value = false;
                return true;
            }
            return false;
        }
        *value = stored.toLongLong() != 0;
        return !isBlob;
    }
    case ColumnType::Timestamp: {
        if (isText) {
            qint64 micros = 0;
            if (!parseTimestamp(stored.toString(), &micros))
                return false;
            *value = qlonglong(micros);
            return true;
        }
        if (isBlob)
            return false;
        // Numbers are Unix seconds, as SQLite's 'unixepoch' modifier reads them.
        *value = qlonglong(std::llround(stored.toDouble() * 1e6));
        return true;
    }
    case ColumnType::Numeric: {
        QString text;
        if (isReal)
            text = QString::number(stored.toDouble(), 'f', QLocale::FloatingPointShortest);
        else
            text = stored.toString();
        const QString normalized = normalizeNumeric(text);
        if (normalized.isNull())
            return false;
        *value = normalized;
        return true;
    }
    }
    return false;
}

} // namespace ferry
