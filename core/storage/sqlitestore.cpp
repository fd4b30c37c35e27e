#include "storage/sqlitestore.h"

#include "rows/canonicalencoder.h"
#include "storage/timestamptext.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHash>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QtEndian>

#include <sqlite3.h>

#include <cmath>
#include <cstring>

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
    // A double-quoted name that matches no column would be read as a string literal (a
    // misfeature SQLite keeps for old applications): a column dropped behind Ferry's back
    // would read as its own name. Ferry quotes every name and wants the error instead.
    if (sqlite3 *db = connection()) {
        sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
        sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
    }
    // Reading the schema checks that this is a database and that it is not locked.
    exec(QStringLiteral("SELECT count(*) FROM sqlite_master"));
    // In WAL mode, NORMAL is SQLite's recommended durability: a commit may be lost on
    // power failure but never half-applied. Ferry keeps an applied change's sequence
    // number in the same transaction as the change, so a lost commit is applied again.
    QSqlQuery mode = exec(QStringLiteral("PRAGMA journal_mode"));
    const bool wal = mode.next() && mode.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0;
    m_rollbackJournal = !wal;
    if (wal) {
        exec(QStringLiteral("PRAGMA synchronous = NORMAL"));
        if (options.deferCheckpoints) {
            // 64 MB of 4 KB pages, as a last resort (WalCheckpointer); when this connection
            // starts the log over, it cuts the file back to that size.
            exec(QStringLiteral("PRAGMA wal_autocheckpoint = 16384"));
            exec(QStringLiteral("PRAGMA journal_size_limit = 67108864"));
        }
    }
}

SqliteStore::~SqliteStore() = default;

void SqliteStore::checkStorable(const TableSchema &schema, const Row &row) const
{
    static const QRegularExpression numberLiteral(QStringLiteral("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$"));
    for (int i = 0; i < schema.columns.size() && i < row.size(); ++i) {
        const Column &column = schema.columns.at(i);
        const QVariant &value = row.at(i);
        if (value.isNull() || (column.type != ColumnType::Real && column.type != ColumnType::Numeric))
            continue;
        QString reason;
        if (column.type == ColumnType::Real) {
            const double d = value.toDouble();
            if (std::isnan(d))
                reason = QCoreApplication::translate("SqliteStore", "SQLite stores a NaN as NULL");
            else if (d == 0 && std::signbit(d))
                reason = QCoreApplication::translate("SqliteStore", "SQLite stores -0 as 0");
        } else {
            const QVariant stored = toDatabase(column, value);
            if (stored.typeId() == QMetaType::QString && numberLiteral.match(stored.toString()).hasMatch())
                reason = QCoreApplication::translate("SqliteStore", "SQLite keeps only about 15 significant digits of a number in a %1 column").arg(column.declaredType);
        }
        if (reason.isEmpty())
            continue;
        const double d = column.type == ColumnType::Real ? value.toDouble() : 0;
        const QString valueText = column.type != ColumnType::Real ? value.toString().left(80)
                                  : std::isnan(d)                 ? QStringLiteral("NaN")
                                                                  : QStringLiteral("-0");
        QStringList key;
        for (int k : schema.primaryKey)
            key.append(QStringLiteral("%1 = %2").arg(schema.columns.at(k).name, row.value(k).toString()));
        throw FerryError(QCoreApplication::translate("SqliteStore", "%1: table \"%2\", key (%3), column \"%4\": the value %5 cannot be stored exactly (%6); nothing was written")
                             .arg(m_displayName, schema.table, key.join(QLatin1String(", ")), column.name, valueText, reason));
    }
}

void SqliteStore::replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges)
{
    for (const RangeRows &range : ranges) {
        for (const Row &row : range.rows)
            checkStorable(schema, row);
    }
    SqlStore::replaceRanges(schema, ranges);
}

void SqliteStore::upsert(const TableSchema &schema, const QList<Row> &rows)
{
    for (const Row &row : rows)
        checkStorable(schema, row);
    SqlStore::upsert(schema, rows);
}

ApplyResult SqliteStore::applyChanges(const TableSchema &schema, const QList<Change> &changes, qint64 lastSeq, const ApplyOptions &options)
{
    for (const Change &change : changes) {
        if (!change.deleted)
            checkStorable(schema, change.row);
    }
    return SqlStore::applyChanges(schema, changes, lastSeq, options);
}

QList<ApplyResult> SqliteStore::applyGroup(const QList<GroupPart> &parts, const QString &origin)
{
    for (const GroupPart &part : parts) {
        for (const Change &change : part.changes) {
            if (!change.deleted)
                checkStorable(part.schema, change.row);
        }
    }
    return SqlStore::applyGroup(parts, origin);
}

QStringList SqliteStore::referencedTables(const QString &table)
{
    QSqlQuery query = exec(QStringLiteral("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)"), {table});
    QStringList parents;
    while (query.next()) {
        const QString parent = query.value(0).toString();
        if (parent.compare(table, Qt::CaseInsensitive) != 0)
            parents.append(parent);
    }
    return parents;
}

QByteArray SqliteStore::schemaStamp(const QString &table)
{
    // Any schema change of the database (not only of this table) raises schema_version:
    // a cheap test whose false alarms describe() settles.
    QSqlQuery query = exec(QStringLiteral("SELECT (SELECT schema_version FROM pragma_schema_version), "
                                          "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)"),
                           {table});
    if (!query.next() || !query.value(1).toBool())
        return {};
    return query.value(0).toString().toLatin1();
}

bool SqliteStore::notifyOnChanges(const QString &table, const std::function<void()> &wake)
{
    // SQLite tells no other process of a commit, but a commit writes the database file or,
    // in WAL mode, its write-ahead log: both are watched (inotify on Linux). Any write
    // wakes the reader, whatever the table; a wake for nothing costs one read of the log.
    Q_UNUSED(table);
    if (!m_changeWatcher) {
        m_changeWatcher = std::make_unique<QFileSystemWatcher>();
        QFileSystemWatcher *watcher = m_changeWatcher.get();
        QObject::connect(watcher, &QFileSystemWatcher::fileChanged, watcher, [watcher](const QString &path) {
            if (!watcher->files().contains(path) && QFileInfo::exists(path))
                watcher->addPath(path);   // replaced: watch the new file
        });
    }
    const QString file = m_db.databaseName();
    QStringList paths{file};
    if (QFileInfo::exists(file + QStringLiteral("-wal")))
        paths.append(file + QStringLiteral("-wal"));
    m_changeWatcher->addPaths(paths);
    if (m_changeWatcher->files().isEmpty())
        return false;
    QObject::connect(m_changeWatcher.get(), &QFileSystemWatcher::fileChanged, m_changeWatcher.get(), [wake](const QString &) { wake(); });
    return true;
}

QStringList SqliteStore::tables()
{
    QSqlQuery query = exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                          "AND name NOT LIKE '\\_ferry\\_%' ESCAPE '\\' ORDER BY name"));
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
        // Compared in normal form: '139244.60' is the decimal 139244.6 exactly. NaN and the
        // infinities have no normal form: kept as text.
        const QString normalized = normalizeNumeric(text);
        if (ok && std::isfinite(real) && !normalized.isNull()
            && normalizeNumeric(QString::number(real, 'f', QLocale::FloatingPointShortest)) == normalized)
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
        if (normalized.isNull()) {
            // PostgreSQL's numeric NaN and infinities, kept as text, read as PostgreSQL spells them.
            for (const QLatin1String special : {QLatin1String("NaN"), QLatin1String("Infinity"), QLatin1String("-Infinity")}) {
                if (isText && text.compare(special, Qt::CaseInsensitive) == 0) {
                    *value = QString(special);
                    return true;
                }
            }
            return false;
        }
        *value = normalized;
        return true;
    }
    }
    return false;
}

namespace {

// A statement on the connection QSQLITE opened (Debian's QSQLITE links the same system
// libsqlite3 this file is compiled against).
class Statement
{
public:
    Statement() = default;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement() { sqlite3_finalize(m_stmt); }
    sqlite3_stmt *get() const { return m_stmt; }
    sqlite3_stmt **out() { return &m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
};

// A column value as QSQLITE's fetch gives it to scan().
QVariant storedValue(sqlite3_stmt *stmt, int i)
{
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
        return qlonglong(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
    case SQLITE_BLOB:
        return QByteArray(static_cast<const char *>(sqlite3_column_blob(stmt, i)), sqlite3_column_bytes(stmt, i));
    case SQLITE_NULL:
        return QVariant(QMetaType::fromType<QString>());
    default:
        return QString(static_cast<const QChar *>(sqlite3_column_text16(stmt, i)), sqlite3_column_bytes16(stmt, i) / qsizetype(sizeof(QChar)));
    }
}

// Binds a value as QSQLITE would (toDatabase() has made it a database value).
int bindValue(sqlite3_stmt *stmt, int index, const QVariant &value)
{
    switch (value.isNull() ? QMetaType::UnknownType : value.typeId()) {
    case QMetaType::UnknownType:
        return sqlite3_bind_null(stmt, index);
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::Bool:
        return sqlite3_bind_int64(stmt, index, value.toLongLong());
    case QMetaType::Double:
        return sqlite3_bind_double(stmt, index, value.toDouble());
    case QMetaType::QByteArray: {
        // An empty blob is not NULL: a null pointer would bind NULL.
        const QByteArray &bytes = *static_cast<const QByteArray *>(value.constData());
        return sqlite3_bind_blob64(stmt, index, bytes.isEmpty() ? "" : bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
    }
    case QMetaType::QString: {
        const QString &text = *static_cast<const QString *>(value.constData());
        return sqlite3_bind_text16(stmt, index, text.isEmpty() ? static_cast<const void *>(u"") : static_cast<const void *>(text.utf16()), int(text.size() * sizeof(char16_t)), SQLITE_TRANSIENT);
    }
    default: {
        const QByteArray text = value.toString().toUtf8();
        return sqlite3_bind_text64(stmt, index, text.constData(), sqlite3_uint64(text.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    }
}

// A text value as UTF-8 in scratch, without an allocation for ASCII (most text).
QByteArrayView utf8Of(const QString &text, QByteArray &scratch)
{
    const qsizetype size = text.size();
    if (scratch.size() < size)
        scratch.resize(std::max<qsizetype>(size, 256));
    const char16_t *from = reinterpret_cast<const char16_t *>(text.utf16());
    char *to = scratch.data();
    for (qsizetype i = 0; i < size; ++i) {
        if (from[i] >= 0x80) {
            scratch = text.toUtf8();
            return scratch;
        }
        to[i] = char(from[i]);
    }
    return QByteArrayView(to, size);
}

// An output buffer that keeps its memory between rows (QByteArray::clear() frees it).
class RowBuffer
{
public:
    void clear() { m_size = 0; }
    QByteArrayView view() const { return QByteArrayView(m_data.constData(), m_size); }
    char *data() { return m_data.data(); }
    void putTag(char tag) { reserve(1)[0] = tag; ++m_size; }
    void put32(quint32 v) { qToBigEndian(v, reserve(4)); m_size += 4; }
    void put64(quint64 v) { qToBigEndian(v, reserve(8)); m_size += 8; }
    void putBytes(const char *bytes, qsizetype n)
    {
        if (n > 0)
            std::memcpy(reserve(n), bytes, size_t(n));
        m_size += n;
    }
    void putEncoded(const QByteArray &encoded) { putBytes(encoded.constData(), encoded.size()); }

private:
    char *reserve(qsizetype n)
    {
        if (m_size + n > m_data.size())
            m_data.resize(std::max<qsizetype>(2 * m_data.size(), m_size + n + 256));
        return m_data.data() + m_size;
    }

    QByteArray m_data;
    qsizetype m_size = 0;
};

void putReal(RowBuffer &out, double d)
{
    out.putTag(CanonicalEncoder::TagReal);
    out.put64(CanonicalEncoder::realBits(d));
}

} // namespace

class SqliteStore::StatementRow final : public EncodedRow
{
public:
    StatementRow(const SqliteStore &store, const TableSchema &schema) : m_store(store), m_schema(schema) {}

    // Encodes the current row of stmt exactly as CanonicalEncoder::appendRow encodes the
    // Row scan() would deliver: the common storage classes directly, the rest through
    // fromDatabase().
    void encode(sqlite3_stmt *stmt)
    {
        m_stmt = stmt;
        m_buffer.clear();
        m_buffer.put32(0);
        folded = false;
        for (int i = 0; i < m_schema.columns.size(); ++i) {
            const Column &column = m_schema.columns.at(i);
            // sqlite3_value_* on a column's value: allowed because the connection has no
            // mutex (scanEncoded checks), and one call per column cheaper than sqlite3_column_*.
            sqlite3_value *cell = sqlite3_column_value(stmt, i);
            const int storage = sqlite3_value_type(cell);
            if (storage == SQLITE_NULL) {
                m_buffer.putTag(CanonicalEncoder::TagNull);
                continue;
            }
            if (column.type == ColumnType::Integer && storage == SQLITE_INTEGER) {
                m_buffer.putTag(CanonicalEncoder::TagInteger);
                m_buffer.put64(quint64(sqlite3_value_int64(cell)));
                continue;
            }
            if (column.type == ColumnType::Real && (storage == SQLITE_FLOAT || storage == SQLITE_INTEGER)) {
                const double d = storage == SQLITE_FLOAT ? sqlite3_value_double(cell) : double(sqlite3_value_int64(cell));
                folded = folded || CanonicalEncoder::foldsReal(d);
                putReal(m_buffer, d);
                continue;
            }
            if ((column.type == ColumnType::Text && storage == SQLITE_TEXT) || (column.type == ColumnType::Blob && storage == SQLITE_BLOB)) {
                const char *data = storage == SQLITE_TEXT ? reinterpret_cast<const char *>(sqlite3_value_text(cell))
                                                          : static_cast<const char *>(sqlite3_value_blob(cell));
                const int size = sqlite3_value_bytes(cell);
                // Text that is not valid UTF-8 goes the way scan() reads it (through UTF-16).
                if (storage == SQLITE_BLOB || QByteArrayView(data, size).isValidUtf8()) {
                    m_buffer.putTag(storage == SQLITE_TEXT ? CanonicalEncoder::TagText : CanonicalEncoder::TagBlob);
                    m_buffer.put32(quint32(size));
                    m_buffer.putBytes(data, size);
                    continue;
                }
            }
            if (column.type == ColumnType::Timestamp && storage == SQLITE_TEXT) {
                qint64 micros = 0;
                if (parseCanonicalTimestamp(reinterpret_cast<const char *>(sqlite3_value_text(cell)), sqlite3_value_bytes(cell), &micros)) {
                    m_buffer.putTag(CanonicalEncoder::TagTimestamp);
                    m_buffer.put64(quint64(micros));
                    continue;
                }
            }
            QVariant value;
            const QVariant stored = storedValue(stmt, i);
            if (!m_store.fromDatabase(column, stored, &value))
                m_store.failValue(m_schema, column, stored);
            if (column.type == ColumnType::Real && !value.isNull())
                folded = folded || CanonicalEncoder::foldsReal(value.toDouble());
            m_scratch.resize(0);
            CanonicalEncoder::appendValue(m_scratch, column.type, value);
            m_buffer.putEncoded(m_scratch);
        }
        bytes = m_buffer.view();
        qToBigEndian(quint32(bytes.size() - 4), m_buffer.data());
    }

    Key key() const override
    {
        Key key;
        key.reserve(m_schema.primaryKey.size());
        for (int index : m_schema.primaryKey)
            key.append(value(index));
        return key;
    }

    Row row() const override
    {
        Row row;
        row.reserve(m_schema.columns.size());
        for (int i = 0; i < m_schema.columns.size(); ++i)
            row.append(value(i));
        return row;
    }

private:
    // Column i of the current row, as scan() reads it.
    QVariant value(int i) const
    {
        QVariant value;
        const QVariant stored = storedValue(m_stmt, i);
        if (!m_store.fromDatabase(m_schema.columns.at(i), stored, &value))
            m_store.failValue(m_schema, m_schema.columns.at(i), stored);
        return value;
    }

    const SqliteStore &m_store;
    const TableSchema &m_schema;
    sqlite3_stmt *m_stmt = nullptr;
    RowBuffer m_buffer;
    QByteArray m_scratch;
};

sqlite3 *SqliteStore::connection() const
{
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

void SqliteStore::insertNew(const TableSchema &schema, const QList<const Row *> &rows)
{
    sqlite3 *db = connection();
    if (!db)
        return SqlStore::insertNew(schema, rows);
    if (rows.isEmpty())
        return;
    const int columnCount = int(schema.columns.size());
    QStringList names;
    QStringList marks;
    for (const Column &column : schema.columns) {
        names.append(quote(column.name));
        marks.append(QStringLiteral("?"));
    }
    const QString tuple = QLatin1Char('(') + marks.join(QLatin1String(", ")) + QLatin1Char(')');
    auto fail = [&](const QString &what) {
        throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, what, QString::fromUtf8(sqlite3_errmsg(db))));
    };
    // Many rows a statement (fewer steps), one statement prepared for the full count and
    // one for a single row, which writes the rest.
    const qsizetype perStatement = std::clamp<qsizetype>(999 / std::max(1, columnCount), 1, 64);
    auto prepare = [&](Statement &statement, qsizetype count) {
        const QString sql = QStringLiteral("INSERT INTO %1 (%2) VALUES %3")
                                .arg(quoteTable(schema.table), names.join(QLatin1String(", ")), QStringList(count, tuple).join(QLatin1String(", ")));
        if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, statement.out(), nullptr) != SQLITE_OK)
            fail(QCoreApplication::translate("SqlStore", "cannot prepare insert into \"%1\"").arg(schema.table));
    };
    // Each value bound as toDatabase() and bindValue() would, the common types without a
    // QVariant in between: text as UTF-8 (SQLite would translate UTF-16 itself, allocating),
    // timestamps formatted on the stack.
    QByteArray scratch;
    auto bind = [&](sqlite3_stmt *stmt, int index, const Column &column, const QVariant &value) {
        if (value.isNull())
            return sqlite3_bind_null(stmt, index);
        // QVariant::toLongLong() and toDouble() go through Qt's conversion machinery even for
        // a value of the very type: read it directly when it is.
        switch (column.type) {
        case ColumnType::Integer:
            return sqlite3_bind_int64(stmt, index, value.typeId() == QMetaType::LongLong ? *static_cast<const qlonglong *>(value.constData()) : value.toLongLong());
        case ColumnType::Real:
            return sqlite3_bind_double(stmt, index, value.typeId() == QMetaType::Double ? *static_cast<const double *>(value.constData()) : value.toDouble());
        case ColumnType::Boolean:
            return sqlite3_bind_int64(stmt, index, value.toBool() ? 1 : 0);
        case ColumnType::Text: {
            const QByteArrayView utf8 = value.typeId() == QMetaType::QString ? utf8Of(*static_cast<const QString *>(value.constData()), scratch)
                                                                             : utf8Of(value.toString(), scratch);
            return sqlite3_bind_text64(stmt, index, utf8.isEmpty() ? "" : utf8.data(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
        case ColumnType::Timestamp: {
            char text[26];
            const int length = formatTimestamp(value.typeId() == QMetaType::LongLong ? *static_cast<const qlonglong *>(value.constData()) : value.toLongLong(), text);
            if (length > 0)
                return sqlite3_bind_text64(stmt, index, text, sqlite3_uint64(length), SQLITE_TRANSIENT, SQLITE_UTF8);
            break;
        }
        default:
            break;
        }
        return bindValue(stmt, index, toDatabase(column, value));
    };
    Statement many;
    Statement one;
    if (rows.size() >= perStatement)
        prepare(many, perStatement);
    prepare(one, 1);
    for (qsizetype done = 0; done < rows.size();) {
        const qsizetype count = rows.size() - done >= perStatement ? perStatement : 1;
        sqlite3_stmt *stmt = count > 1 ? many.get() : one.get();
        for (qsizetype r = 0; r < count; ++r) {
            const Row &row = *rows.at(done + r);
            for (int i = 0; i < columnCount; ++i) {
                if (bind(stmt, int(r * columnCount + i + 1), schema.columns.at(i), row.at(i)) != SQLITE_OK)
                    fail(QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table));
            }
        }
        const int rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE)
            fail(QCoreApplication::translate("SqlStore", "insert into \"%1\" failed").arg(schema.table));
        done += count;
    }
}

qint64 SqliteStore::scanEncoded(const TableSchema &schema, const QList<KeyRange> &ranges, const EncodedRowSink &sink)
{
    sqlite3 *db = connection();
    if (!db)
        return Store::scanEncoded(schema, ranges, sink);
    // QSQLITE opens connections without a mutex (SQLITE_OPEN_NOMUTEX), which is what lets
    // StatementRow read column values through sqlite3_value_*.
    if (sqlite3_db_mutex(db))
        return Store::scanEncoded(schema, ranges, sink);

    StatementRow row(*this, schema);
    qint64 delivered = 0;
    if (m_rollbackJournal) {
        // Rollback-journal mode: while a statement reads, no application can commit. So
        // each range is read in short pieces (ChunkRows rows or ChunkMs), each piece
        // copied and its statement reset (the shared lock goes) before the caller sees
        // its rows, whatever the caller then waits for. A piece goes on after the key
        // the previous one ended at, bound as SQLite stored it.
        constexpr int ChunkRows = 2000;
        constexpr qint64 ChunkMs = 20;
        const int keyCount = int(schema.primaryKey.size());
        QByteArray bytes;
        QList<qsizetype> ends;
        QHash<qsizetype, Row> exact;   // the rows whose encoding folds something
        QVariantList lastStored;
        for (qsizetype index = 0; index < ranges.size(); ++index) {
            lastStored.clear();
            for (;;) {
                QVariantList bindings;
                Key placeholder;
                if (!lastStored.isEmpty())
                    placeholder = Key(keyCount, QVariant(qlonglong(0)));
                const QString sql = selectSql(schema, ranges.at(index), placeholder, ChunkRows, &bindings);
                for (int i = 0; i < lastStored.size(); ++i)
                    bindings[bindings.size() - keyCount + i] = lastStored.at(i);
                Statement statement;
                if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, statement.out(), nullptr) != SQLITE_OK)
                    throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqliteStore", "cannot prepare query"),
                                                                     QString::fromUtf8(sqlite3_errmsg(db))));
                sqlite3_stmt *stmt = statement.get();
                for (int i = 0; i < bindings.size(); ++i) {
                    if (bindValue(stmt, i + 1, bindings.at(i)) != SQLITE_OK)
                        throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqliteStore", "cannot bind a key value"),
                                                                         QString::fromUtf8(sqlite3_errmsg(db))));
                }
                bytes.clear();
                ends.clear();
                exact.clear();
                QElapsedTimer piece;
                piece.start();
                int rc;
                while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
                    row.encode(stmt);
                    if (row.folded)
                        exact.insert(ends.size(), row.row());
                    bytes.append(row.bytes.data(), row.bytes.size());
                    ends.append(bytes.size());
                    // The key as stored, while the statement stands on the row.
                    lastStored.clear();
                    for (int i = 0; i < keyCount; ++i)
                        lastStored.append(storedValue(stmt, schema.primaryKey.at(i)));
                    if (piece.elapsed() >= ChunkMs)
                        break;
                }
                if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                    throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqlStore", "reading table \"%1\" failed").arg(schema.table),
                                                                     QString::fromUtf8(sqlite3_errmsg(db))));
                const bool more = rc == SQLITE_ROW || ends.size() == ChunkRows;
                sqlite3_reset(stmt);   // the lock goes before the caller sees a row
                class BufferedRow final : public EncodedRow
                {
                public:
                    const TableSchema *schema = nullptr;
                    Row exactRow;
                    Row row() const override { return folded ? exactRow : CanonicalEncoder::decodeRow(*schema, bytes); }
                    Key key() const override { return schema->keyOf(row()); }
                };
                BufferedRow buffered;
                buffered.schema = &schema;
                qsizetype start = 0;
                for (qsizetype i = 0; i < ends.size(); ++i) {
                    buffered.bytes = QByteArrayView(bytes.constData() + start, ends.at(i) - start);
                    buffered.folded = exact.contains(i);
                    buffered.exactRow = buffered.folded ? exact.value(i) : Row();
                    start = ends.at(i);
                    ++delivered;
                    if (!sink(index, buffered))
                        return delivered;
                }
                if (!more || ends.isEmpty())
                    break;
            }
        }
        return delivered;
    }

    // One prepared statement per shape of range (bounded below, above, both, neither),
    // rebound for each range.
    Statement statements[4];
    for (qsizetype index = 0; index < ranges.size(); ++index) {
        const KeyRange &range = ranges.at(index);
        QVariantList bindings;
        Statement &statement = statements[(range.hasLo() ? 1 : 0) + (range.hasHi() ? 2 : 0)];
        if (statement.get()) {
            bindRange(schema, range, &bindings);
        } else {
            const QString sql = selectSql(schema, range, Key(), 0, &bindings);
            if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, statement.out(), nullptr) != SQLITE_OK)
                throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqliteStore", "cannot prepare query"),
                                                                 QString::fromUtf8(sqlite3_errmsg(db))));
        }
        sqlite3_stmt *stmt = statement.get();
        sqlite3_reset(stmt);
        for (int i = 0; i < bindings.size(); ++i) {
            const int rc = bindValue(stmt, i + 1, bindings.at(i));
            if (rc != SQLITE_OK)
                throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqliteStore", "cannot bind a key value"),
                                                                 QString::fromUtf8(sqlite3_errmsg(db))));
        }
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            row.encode(stmt);
            ++delivered;
            if (!sink(index, row)) {
                sqlite3_reset(stmt);
                return delivered;
            }
        }
        if (rc != SQLITE_DONE) {
            const QString message = QString::fromUtf8(sqlite3_errmsg(db));
            sqlite3_reset(stmt);
            throw FerryError(QStringLiteral("%1: %2: %3").arg(m_displayName, QCoreApplication::translate("SqlStore", "reading table \"%1\" failed").arg(schema.table), message));
        }
        sqlite3_reset(stmt);
    }
    return delivered;
}

// --- Replication -----------------------------------------------------------------
//
// The change log of table T is _ferry_log_T (seq, op 'U'/'D', origin, at, k_<key columns>);
// AFTER triggers append to it in the writing transaction, so it commits (or not) with the
// write, and SQLite's single writer makes seq order commit order. The write origin is
// a row in _ferry_session that exists only inside an applier's transaction (set at its
// start, deleted before commit): no other connection can ever see it.

namespace {

QString sqlLiteral(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

QString SqliteStore::columnDdl(const Column &column) const
{
    switch (column.type) {
    case ColumnType::Integer: return QStringLiteral("INTEGER");
    case ColumnType::Real: return QStringLiteral("REAL");
    case ColumnType::Text: return QStringLiteral("TEXT");
    case ColumnType::Blob: return QStringLiteral("BLOB");
    case ColumnType::Boolean: return QStringLiteral("BOOLEAN");
    case ColumnType::Timestamp: return QStringLiteral("TIMESTAMP");
    case ColumnType::Numeric: return QStringLiteral("NUMERIC");
    }
    return QStringLiteral("TEXT");
}

QString SqliteStore::keyColumnDdl(const Column &column) const
{
    return column.declaredType.isEmpty() ? columnDdl(column) : column.declaredType;
}

bool SqliteStore::objectExists(const QString &name)
{
    QSqlQuery query = exec(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = ?"), {name});
    return query.next();
}

QStringList SqliteStore::bookkeepingDdl() const
{
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_session (id INTEGER PRIMARY KEY CHECK (id = 1), origin TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_applied (link TEXT PRIMARY KEY, seq INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, "
                           "link TEXT NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL, kept TEXT NOT NULL, lost TEXT NOT NULL, "
                           "lost_origin TEXT NOT NULL, reason TEXT NOT NULL)")};
}

void SqliteStore::beginWriteOrigin()
{
    execCached(QStringLiteral("INSERT OR REPLACE INTO _ferry_session (id, origin) VALUES (1, ?)"), {m_writeOrigin}).finish();
}

void SqliteStore::endWriteOrigin()
{
    exec(QStringLiteral("DELETE FROM _ferry_session"));
}

QStringList SqliteStore::captureDdl(const TableSchema &schema) const
{
    const QString log = quote(ferryName(QStringLiteral("_ferry_log_"), schema.table));
    const QString table = quote(schema.table);
    QStringList keyDefs;
    QStringList keyNames;
    QStringList newKey;
    QStringList oldKey;
    QStringList keyChanged;
    for (int index : schema.primaryKey) {
        const Column &column = schema.columns.at(index);
        keyDefs.append(quote(QStringLiteral("k_") + column.name) + QLatin1Char(' ') + keyColumnDdl(column));
        keyNames.append(quote(QStringLiteral("k_") + column.name));
        newKey.append(QStringLiteral("NEW.") + quote(column.name));
        oldKey.append(QStringLiteral("OLD.") + quote(column.name));
        keyChanged.append(QStringLiteral("OLD.%1 IS NOT NEW.%1").arg(quote(column.name)));
    }
    const QString columns = QStringLiteral("op, origin, at, ") + keyNames.join(QLatin1String(", "));
    const QString origin = QStringLiteral("(SELECT origin FROM _ferry_session WHERE id = 1)");
    const QString now = QStringLiteral("CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)");
    auto name = [&](const QString &prefix) { return quote(ferryName(prefix, schema.table)); };
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (seq INTEGER PRIMARY KEY AUTOINCREMENT, op TEXT NOT NULL, origin TEXT, at INTEGER NOT NULL, %2)")
            .arg(log, keyDefs.join(QLatin1String(", "))),
        // Conflict detection looks up pending changes by key.
        QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2 (%3)").arg(name(QStringLiteral("_ferry_logkey_")), log, keyNames.join(QLatin1String(", "))),
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS %1 AFTER INSERT ON %2 BEGIN INSERT INTO %3 (%4) VALUES ('U', %5, %6, %7); END")
            .arg(name(QStringLiteral("_ferry_cap_ins_")), table, log, columns, origin, now, newKey.join(QLatin1String(", "))),
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS %1 AFTER UPDATE ON %2 BEGIN "
                       "INSERT INTO %3 (%4) SELECT 'D', %5, %6, %7 WHERE %8; "
                       "INSERT INTO %3 (%4) VALUES ('U', %5, %6, %9); END")
            .arg(name(QStringLiteral("_ferry_cap_upd_")), table, log, columns, origin, now, oldKey.join(QLatin1String(", ")),
                 keyChanged.join(QLatin1String(" OR ")), newKey.join(QLatin1String(", "))),
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS %1 AFTER DELETE ON %2 BEGIN INSERT INTO %3 (%4) VALUES ('D', %5, %6, %7); END")
            .arg(name(QStringLiteral("_ferry_cap_del_")), table, log, columns, origin, now, oldKey.join(QLatin1String(", "))),
    };
}

QStringList SqliteStore::dropCaptureDdl(const QString &table) const
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_cap_ins_"), table))),
            QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_cap_upd_"), table))),
            QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_cap_del_"), table))),
            QStringLiteral("DROP TABLE IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_log_"), table)))};
}

QStringList SqliteStore::captureTriggers(const QString &table) const
{
    return {ferryName(QStringLiteral("_ferry_cap_ins_"), table), ferryName(QStringLiteral("_ferry_cap_upd_"), table),
            ferryName(QStringLiteral("_ferry_cap_del_"), table)};
}

void SqliteStore::advanceChangeSeq(const TableSchema &schema, qint64 minSeq)
{
    // AUTOINCREMENT keeps the highest number it handed out in sqlite_sequence.
    const QString log = ferryName(QStringLiteral("_ferry_log_"), schema.table);
    exec(QStringLiteral("UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?"), {minSeq, log, minSeq});
    exec(QStringLiteral("INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)"),
         {log, minSeq, log});
}

QStringList SqliteStore::guardDdl(const TableSchema &schema, const QString &message) const
{
    // The marker object hasReplicaGuard() looks for is the insert trigger.
    const QString table = quote(schema.table);
    const QString when = QStringLiteral("WHEN (SELECT origin FROM _ferry_session WHERE id = 1) IS NULL");
    const QString body = QStringLiteral("BEGIN SELECT RAISE(ABORT, %1); END").arg(sqlLiteral(message));
    return {QStringLiteral("CREATE TRIGGER %1 BEFORE INSERT ON %2 %3 %4").arg(quote(ferryName(QStringLiteral("_ferry_guard_"), schema.table)), table, when, body),
            QStringLiteral("CREATE TRIGGER %1 BEFORE UPDATE ON %2 %3 %4").arg(quote(ferryName(QStringLiteral("_ferry_guard_upd_"), schema.table)), table, when, body),
            QStringLiteral("CREATE TRIGGER %1 BEFORE DELETE ON %2 %3 %4").arg(quote(ferryName(QStringLiteral("_ferry_guard_del_"), schema.table)), table, when, body)};
}

QStringList SqliteStore::dropGuardDdl(const QString &table) const
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_guard_"), table))),
            QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_guard_upd_"), table))),
            QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_guard_del_"), table)))};
}

QStringList SqliteStore::leaseTableDdl() const
{
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS _ferry_lease (tbl TEXT NOT NULL, holder TEXT NOT NULL, expires_us INTEGER NOT NULL, "
                           "PRIMARY KEY (tbl, holder))")};
}

QStringList SqliteStore::leaseGuardDdl(const TableSchema &schema, const QString &message) const
{
    // The marker object writeLeaseExpiry() looks for is the insert trigger. The clock is
    // the database's (julianday('now'), as the capture triggers stamp changes).
    const QString table = quote(schema.table);
    const QString when = QStringLiteral("WHEN (SELECT origin FROM _ferry_session WHERE id = 1) IS NULL "
                                        "AND coalesce((SELECT min(expires_us) FROM _ferry_lease WHERE tbl = %1), 0) "
                                        "< CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)")
                             .arg(sqlLiteral(schema.table));
    const QString body = QStringLiteral("BEGIN SELECT RAISE(ABORT, %1); END").arg(sqlLiteral(message));
    return {QStringLiteral("CREATE TRIGGER %1 BEFORE INSERT ON %2 %3 %4").arg(quote(ferryName(QStringLiteral("_ferry_lease_"), schema.table)), table, when, body),
            QStringLiteral("CREATE TRIGGER %1 BEFORE UPDATE ON %2 %3 %4").arg(quote(ferryName(QStringLiteral("_ferry_lease_upd_"), schema.table)), table, when, body),
            QStringLiteral("CREATE TRIGGER %1 BEFORE DELETE ON %2 %3 %4").arg(quote(ferryName(QStringLiteral("_ferry_lease_del_"), schema.table)), table, when, body)};
}

QStringList SqliteStore::dropLeaseGuardDdl(const QString &table) const
{
    return {QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_lease_"), table))),
            QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_lease_upd_"), table))),
            QStringLiteral("DROP TRIGGER IF EXISTS %1").arg(quote(ferryName(QStringLiteral("_ferry_lease_del_"), table)))};
}

} // namespace ferry
