#pragma once

#include "rows/tableschema.h"

namespace ferry {

// Reads back a row version kept in _ferry_conflicts (a JSON array of the values in column
// order, as storage/sqlstore.cpp writes it: blobs as "\x" and hex, timestamps as
// microseconds, numerics as text) as values of columns. An empty json is no row (that
// version is a deletion): row is left empty. Returns an empty string on success, else what
// does not fit, naming the column: another number of values, or a value another column
// type would hold. table is for the message.
QString conflictRowFromJson(const QString &table, const QList<Column> &columns, const QString &json, Row *row);

} // namespace ferry
