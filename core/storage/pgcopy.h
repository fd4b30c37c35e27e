#pragma once

#include "storage/store.h"

#include <functional>

typedef struct pg_conn PGconn;

namespace ferry {

// Reads a table from PostgreSQL through libpq with COPY (SELECT ...) TO STDOUT (FORMAT
// binary): one streamed statement per run of key ranges (no pages, no bound parameters,
// no result set held by the client), each row encoded into the canonical encoding
// (rows/canonicalencoder.h) straight from COPY's binary fields, without a QVariant per
// value. The bytes are those PostgresStore's earlier paged SELECT gave (tests/tst_storage
// pins this per type against the generic encoder of scan()'s values):
//   integers       int2/int4/int8 binary, as i64
//   reals          selected as float8 (a real column is cast), IEEE bits
//   text, bytea    the raw bytes (UTF-8, as the session's client_encoding is)
//   boolean        one byte
//   timestamps     timestamp and timestamptz: i64 microseconds since 2000-01-01, date:
//                  i32 days since then, moved to 1970; infinity and -infinity as the
//                  largest and the smallest i64 (as the SELECT's CASE read them); a value
//                  whose microseconds since 1970 do not fit in an i64 is an error, as the
//                  SELECT's int8 cast was
//   numeric        selected as text (the risky binary form is not decoded) and
//                  normalized as fromDatabase() does; NaN and the infinities verbatim
// Used from the thread that owns the connection; the sink must not use the connection.
class PgCopyReader
{
public:
    // Everything named in a message: the database and the table.
    PgCopyReader(PGconn *connection, const TableSchema &schema, const QString &displayName);

    // The select list COPY reads: every column of the schema in order, with the casts the
    // decoding above expects.
    QString selectList() const;
    // A key value as an SQL literal of unknown type (resolved to the column's type where it
    // is compared, as a bound text parameter was). bytea as its hex form.
    QByteArray keyLiteral(const Column &column, const QVariant &value) const;

    // Runs sql, a COPY ... TO STDOUT (FORMAT binary) of selectList(), and calls sink for
    // every row. When the sink returns false or throws, the statement is cancelled (or,
    // inside a transaction, its remaining rows read and dropped, so that the transaction
    // stays usable). Returns the rows delivered; throws FerryError naming the table.
    using Sink = std::function<bool(const EncodedRow &row)>;
    qint64 run(const QByteArray &sql, const Sink &sink);

private:
    [[noreturn]] void fail(const QString &detail) const;

    PGconn *m_conn;
    const TableSchema &m_schema;
    QString m_displayName;
};

} // namespace ferry
