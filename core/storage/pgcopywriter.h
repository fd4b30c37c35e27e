#pragma once

#include "rows/tableschema.h"

#include <QHash>

typedef struct pg_conn PGconn;

namespace ferry {

// Writes rows into a PostgreSQL table with COPY ... FROM STDIN (FORMAT binary) through
// libpq, inside the caller's transaction: PostgreSQL reads each value in its own binary
// form (no text to parse: no timestamp, float or integer input function per value). Each
// value becomes what COPY's text form (PostgresStore::insertNew) made of it:
//   int2/int4/int8     big-endian integers (out of the type's range: an error, as in text)
//   float8             the IEEE bits; every NaN as the quiet NaN float8in gives
//   text/varchar/char  UTF-8 bytes (the column's length modifier applies as for text)
//   bytea              the bytes
//   boolean            one byte
//   timestamp(tz)      microseconds since 2000-01-01 (infinity and -infinity as PostgreSQL
//                      keeps them; the column's precision applies as for text)
// Tables with a column of another type (real, numeric, date: their text input rounds or
// truncates in ways not rebuilt here) are not written by this class: supports() says so.
class PgCopyWriter
{
public:
    // typeNames: the pg_type name of each column of the table (by column name).
    PgCopyWriter(PGconn *connection, const TableSchema &schema, const QString &quotedTable, const QHash<QString, QString> &typeNames,
                 const QString &displayName);

    // Whether every column of the schema has a type written in binary here.
    bool supported() const { return m_supported; }

    // Sends the rows; throws FerryError with the server's (or the value's) message, the
    // connection left with no result pending (the caller rolls back).
    void write(const QList<const Row *> &rows);

private:
    enum class Kind { Int2, Int4, Int8, Float8, Text, Bytea, Bool, Timestamp };
    [[noreturn]] void fail(const QString &detail) const;

    PGconn *m_conn;
    const TableSchema &m_schema;
    QString m_quotedTable;
    QString m_displayName;
    QList<Kind> m_kinds;
    bool m_supported = true;
};

} // namespace ferry
