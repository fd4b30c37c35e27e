#pragma once

#include "rows/columntype.h"

#include <QList>
#include <QString>
#include <QVariant>

namespace ferry {

using Row = QList<QVariant>;   // one value per column, in TableSchema::columns order
using Key = QList<QVariant>;   // one value per primary-key column, in key order

struct Column
{
    QString name;
    ColumnType type = ColumnType::Text;
    QString declaredType;   // as the backend spells it, for messages
    bool notNull = false;
};

struct TableSchema
{
    QString table;
    QList<Column> columns;
    QList<int> primaryKey;  // indexes into columns, in key order

    int columnIndex(const QString &name) const;
    Key keyOf(const Row &row) const;
    QList<ColumnType> keyTypes() const;
    QStringList columnNames() const;
};

// Empty when the two schemas can be replicated into each other; otherwise a message that
// names the first difference (missing column, other type, other primary key).
QString schemaDifference(const TableSchema &source, const TableSchema &target);

// Empty when a table that had schema before still has it as far as replication is
// concerned (the same columns in the same order, canonical types and primary key);
// otherwise what changed, naming the first column concerned: dropped or renamed, added,
// of another type, moved, or the primary key.
QString schemaChange(const TableSchema &before, const TableSchema &now);

} // namespace ferry
