#include "rows/tableschema.h"

#include <QCoreApplication>
#include <QStringList>

namespace ferry {

int TableSchema::columnIndex(const QString &name) const
{
    for (int i = 0; i < columns.size(); ++i) {
        if (columns.at(i).name == name)
            return i;
    }
    return -1;
}

Key TableSchema::keyOf(const Row &row) const
{
    Key key;
    key.reserve(primaryKey.size());
    for (int index : primaryKey)
        key.append(row.at(index));
    return key;
}

QList<ColumnType> TableSchema::keyTypes() const
{
    QList<ColumnType> types;
    types.reserve(primaryKey.size());
    for (int index : primaryKey)
        types.append(columns.at(index).type);
    return types;
}

QStringList TableSchema::columnNames() const
{
    QStringList names;
    for (const Column &column : columns)
        names.append(column.name);
    return names;
}

QString schemaChange(const TableSchema &before, const TableSchema &now)
{
    for (const Column &column : before.columns) {
        const int index = now.columnIndex(column.name);
        if (index < 0) {
            return QCoreApplication::translate("TableSchema", "column \"%1\" of table \"%2\" was dropped or renamed").arg(column.name, before.table);
        }
        const Column &other = now.columns.at(index);
        if (other.type != column.type) {
            return QCoreApplication::translate("TableSchema", "column \"%1\" of table \"%2\" changed type from %3 (%4) to %5 (%6)")
                .arg(column.name, before.table, columnTypeName(column.type), column.declaredType, columnTypeName(other.type), other.declaredType);
        }
    }
    for (const Column &column : now.columns) {
        if (before.columnIndex(column.name) < 0)
            return QCoreApplication::translate("TableSchema", "column \"%1\" was added to table \"%2\"").arg(column.name, before.table);
    }
    if (before.columnNames() != now.columnNames()) {
        return QCoreApplication::translate("TableSchema", "the columns of table \"%1\" are in another order (%2, was %3)")
            .arg(before.table, now.columnNames().join(QLatin1Char(',')), before.columnNames().join(QLatin1Char(',')));
    }
    if (before.primaryKey != now.primaryKey)
        return QCoreApplication::translate("TableSchema", "the primary key of table \"%1\" changed").arg(before.table);
    return {};
}

QString schemaDifference(const TableSchema &source, const TableSchema &target)
{
    for (const Column &column : source.columns) {
        const int index = target.columnIndex(column.name);
        if (index < 0) {
            return QCoreApplication::translate("TableSchema", "column \"%1\" of source table \"%2\" is missing in target table \"%3\"")
                .arg(column.name, source.table, target.table);
        }
        const Column &other = target.columns.at(index);
        if (other.type != column.type) {
            return QCoreApplication::translate("TableSchema", "column \"%1\" is %2 (%3) in source table \"%4\" but %5 (%6) in target table \"%7\"")
                .arg(column.name, columnTypeName(column.type), column.declaredType, source.table,
                     columnTypeName(other.type), other.declaredType, target.table);
        }
    }
    for (const Column &column : target.columns) {
        if (source.columnIndex(column.name) < 0) {
            return QCoreApplication::translate("TableSchema", "target table \"%1\" has column \"%2\" that source table \"%3\" lacks")
                .arg(target.table, column.name, source.table);
        }
    }
    if (source.columnNames() != target.columnNames()) {
        return QCoreApplication::translate("TableSchema", "columns of \"%1\" and \"%2\" are in a different order (%3 / %4)")
            .arg(source.table, target.table, source.columnNames().join(QLatin1Char(',')),
                 target.columnNames().join(QLatin1Char(',')));
    }
    if (source.primaryKey != target.primaryKey) {
        auto keyNames = [](const TableSchema &schema) {
            QStringList names;
            for (int index : schema.primaryKey)
                names.append(schema.columns.at(index).name);
            return names.join(QLatin1Char(','));
        };
        return QCoreApplication::translate("TableSchema", "primary key of source table \"%1\" is (%2) but of target table \"%3\" is (%4)")
            .arg(source.table, keyNames(source), target.table, keyNames(target));
    }
    return {};
}

} // namespace ferry
