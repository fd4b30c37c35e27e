#include "testsupport.h"

#include "rows/canonicalencoder.h"
#include "rows/keyrange.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <algorithm>
#include <atomic>
#include <limits>

namespace ferry::test {

QString postgresUrl()
{
    return qEnvironmentVariable("FERRY_TEST_PG_URL").trimmed();
}

bool postgresRequired()
{
    return qEnvironmentVariable("FERRY_REQUIRE_PG") == QLatin1String("1");
}

QString backendName(Backend backend)
{
    return backend == Backend::Postgres ? QStringLiteral("postgres") : QStringLiteral("sqlite");
}

namespace {

std::atomic<int> scratchCounter{0};

QString quoteIdentifier(const QString &name)
{
    QString escaped = name;
    escaped.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

QSqlDatabase addTestConnection(Backend backend, const QString &sqlitePath, const QString &connectionName)
{
    if (backend == Backend::Sqlite) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(sqlitePath);
        return db;
    }
    const DataSource source = DataSource::parse(postgresUrl(), false);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(source.host);
    db.setPort(source.port);
    db.setDatabaseName(source.database);
    db.setUserName(source.user);
    db.setPassword(source.password);
    return db;
}

ScratchDatabase::ScratchDatabase(Backend backend)
    : m_backend(backend)
{
    const int number = ++scratchCounter;
    m_connectionName = QStringLiteral("scratch-%1").arg(number);
    if (backend == Backend::Sqlite) {
        if (!m_dir.isValid())
            throw FerryError(QStringLiteral("cannot create a temporary directory: %1").arg(m_dir.errorString()));
        m_path = m_dir.filePath(QStringLiteral("scratch.sqlite"));
        m_db = addTestConnection(backend, m_path, m_connectionName);
    } else {
        if (postgresUrl().isEmpty())
            throw FerryError(QStringLiteral("FERRY_TEST_PG_URL is not set"));
        m_prefix = QStringLiteral("ferry_t%1_%2_").arg(QCoreApplication::applicationPid()).arg(number);
        m_db = addTestConnection(backend, QString(), m_connectionName);
    }
    if (!m_db.open()) {
        const QString message = m_db.lastError().text();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        throw FerryError(QStringLiteral("scratch %1 database: cannot open: %2").arg(backendName(backend), message));
    }
    if (backend == Backend::Postgres)
        exec(QStringLiteral("SET client_min_messages = warning"));
}

ScratchDatabase::~ScratchDatabase()
{
    m_store.reset();
    for (auto it = m_names.crbegin(); it != m_names.crend(); ++it) {
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("DROP TABLE IF EXISTS %1 CASCADE").arg(quoteIdentifier(*it))))
            query.exec(QStringLiteral("DROP VIEW IF EXISTS %1").arg(quoteIdentifier(*it)));
    }
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString ScratchDatabase::name(const QString &base)
{
    const QString name = m_prefix + base;
    if (!m_names.contains(name))
        m_names.append(name);
    return name;
}

void ScratchDatabase::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        throw FerryError(QStringLiteral("scratch %1: %2: %3").arg(backendName(m_backend), sql, query.lastError().text()));
}

QList<QVariantList> ScratchDatabase::query(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        throw FerryError(QStringLiteral("scratch %1: %2: %3").arg(backendName(m_backend), sql, query.lastError().text()));
    QList<QVariantList> rows;
    while (query.next()) {
        QVariantList row;
        for (int i = 0; i < query.record().count(); ++i)
            row.append(query.value(i));
        rows.append(row);
    }
    return rows;
}

DataSource ScratchDatabase::dataSource(const QString &table) const
{
    DataSource source;
    if (m_backend == Backend::Sqlite) {
        source.kind = DataSource::Kind::Sqlite;
        source.path = m_path;
    } else {
        source = DataSource::parse(postgresUrl(), false);
    }
    source.table = table;
    return source;
}

std::unique_ptr<Store> ScratchDatabase::open(bool readOnly) const
{
    Store::Options options;
    options.readOnly = readOnly;
    return Store::open(dataSource(), options);
}

Store &ScratchDatabase::store()
{
    if (!m_store)
        m_store = open(false);
    return *m_store;
}

QString ScratchDatabase::declaredType(Backend backend, ColumnType type)
{
    const bool pg = backend == Backend::Postgres;
    switch (type) {
    case ColumnType::Integer: return pg ? QStringLiteral("bigint") : QStringLiteral("INTEGER");
    case ColumnType::Real: return pg ? QStringLiteral("double precision") : QStringLiteral("REAL");
    case ColumnType::Text: return pg ? QStringLiteral("text") : QStringLiteral("TEXT");
    case ColumnType::Blob: return pg ? QStringLiteral("bytea") : QStringLiteral("BLOB");
    case ColumnType::Boolean: return pg ? QStringLiteral("boolean") : QStringLiteral("BOOLEAN");
    case ColumnType::Timestamp: return pg ? QStringLiteral("timestamp") : QStringLiteral("TIMESTAMP");
    case ColumnType::Numeric: return pg ? QStringLiteral("numeric") : QStringLiteral("NUMERIC");
    }
    return QString();
}

TableSchema ScratchDatabase::createTable(const QString &table, const QList<ColumnSpec> &columns, const QList<int> &primaryKey)
{
    QStringList parts;
    for (const ColumnSpec &column : columns) {
        parts.append(quoteIdentifier(column.name) + QLatin1Char(' ') + declaredType(m_backend, column.type)
                     + (column.notNull ? QStringLiteral(" NOT NULL") : QString()));
    }
    QStringList keyNames;
    for (int index : primaryKey)
        keyNames.append(quoteIdentifier(columns.at(index).name));
    parts.append(QStringLiteral("PRIMARY KEY (%1)").arg(keyNames.join(QLatin1String(", "))));
    exec(QStringLiteral("CREATE TABLE %1 (%2)").arg(quoteIdentifier(table), parts.join(QLatin1String(", "))));
    return store().describe(table);
}

QList<Row> readAll(Store &store, const TableSchema &schema, const KeyRange &range)
{
    QList<Row> rows;
    store.scan(schema, range, [&](const Row &row) {
        rows.append(row);
        return true;
    });
    return rows;
}

QString rowText(const Row &row)
{
    QStringList parts;
    for (const QVariant &value : row) {
        if (value.isNull())
            parts.append(QStringLiteral("NULL"));
        else if (value.typeId() == QMetaType::QByteArray)
            parts.append(QStringLiteral("x'%1'").arg(QString::fromLatin1(value.toByteArray().toHex())));
        else if (value.typeId() == QMetaType::QString)
            parts.append(QLatin1Char('"') + value.toString() + QLatin1Char('"'));
        else
            parts.append(value.toString());
    }
    return QLatin1Char('(') + parts.join(QLatin1String(", ")) + QLatin1Char(')');
}

QString rowsDifference(const TableSchema &schema, const QList<Row> &expected, const QList<Row> &actual)
{
    const qsizetype n = std::min(expected.size(), actual.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (CanonicalEncoder::encodeRow(schema, expected.at(i)) != CanonicalEncoder::encodeRow(schema, actual.at(i))) {
            return QStringLiteral("row %1 of %2/%3 differs: expected %4, got %5")
                .arg(i)
                .arg(expected.size())
                .arg(actual.size())
                .arg(rowText(expected.at(i)), rowText(actual.at(i)));
        }
    }
    if (expected.size() != actual.size()) {
        return QStringLiteral("expected %1 rows, got %2; first extra: %3")
            .arg(expected.size())
            .arg(actual.size())
            .arg(rowText(expected.size() > n ? expected.at(n) : actual.at(n)));
    }
    return QString();
}

void sortByKey(const TableSchema &schema, QList<Row> *rows)
{
    const QList<ColumnType> types = schema.keyTypes();
    std::sort(rows->begin(), rows->end(),
              [&](const Row &a, const Row &b) { return compareKeys(types, schema.keyOf(a), schema.keyOf(b)) < 0; });
}

namespace {

// Characters that stress encoding and ordering: ASCII of both cases, Latin-1, BMP above
// the surrogate block, a code point above U+FFFF, quotes and backslashes.
const QStringList &textPieces()
{
    static const QStringList pieces = {
        QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("B"), QStringLiteral("Z"), QStringLiteral("0"),
        QStringLiteral(" "), QString(QChar(0xE9)), QString(QChar(0xDF)), QString(QChar(0x2713)), QString(QChar(0x4E2D)),
        QString(QChar(0xFFFD)), QString(QChar(0xE000)), QString::fromUtf8("\xF0\x9F\x98\x80"), QStringLiteral("'"),
        QStringLiteral("\\"), QStringLiteral("\""), QStringLiteral("\n"), QStringLiteral("\t"), QStringLiteral("\r"),
    };
    return pieces;
}

} // namespace

QVariant RandomRows::value(ColumnType type, bool allowNull)
{
    if (allowNull && m_random.bounded(8) == 0)
        return QVariant();
    switch (type) {
    case ColumnType::Integer: {
        switch (m_random.bounded(10)) {
        case 0: return qlonglong(std::numeric_limits<qint64>::min());
        case 1: return qlonglong(std::numeric_limits<qint64>::max());
        case 2: return qlonglong(0);
        default: return qlonglong(m_random.bounded(-1000000, 1000000));
        }
    }
    case ColumnType::Real: {
        switch (m_random.bounded(12)) {
        case 0: return 0.0;
        case 1: return 0.1;
        case 2: return 1e300;
        case 3: return -2.5e-300;
        case 4: return std::numeric_limits<double>::infinity();
        case 5: return -std::numeric_limits<double>::infinity();
        default: return (m_random.generateDouble() - 0.5) * 2e6;
        }
    }
    case ColumnType::Text: {
        QString text;
        const int length = int(m_random.bounded(10));
        for (int i = 0; i < length; ++i)
            text += textPieces().at(int(m_random.bounded(int(textPieces().size()))));
        return text;
    }
    case ColumnType::Blob: {
        QByteArray bytes(int(m_random.bounded(12)), Qt::Uninitialized);
        for (char &c : bytes)
            c = char(m_random.bounded(256));
        return bytes;
    }
    case ColumnType::Boolean:
        return m_random.bounded(2) == 1;
    case ColumnType::Timestamp: {
        // 1900-01-01 .. 2100-01-01, microseconds.
        const qint64 lo = Q_INT64_C(-2208988800000000);
        const qint64 hi = Q_INT64_C(4102444800000000);
        qint64 micros = m_random.bounded(lo, hi);
        if (m_random.bounded(3) == 0)
            micros -= micros % 1000000;   // whole seconds too
        return qlonglong(micros);
    }
    case ColumnType::Numeric: {
        QString text = m_random.bounded(3) == 0 ? QStringLiteral("-") : QString();
        text += QString::number(m_random.bounded(100000000));
        if (m_random.bounded(2) == 0)
            text += QLatin1Char('.') + QString::number(m_random.bounded(1000000)).rightJustified(6, QLatin1Char('0'));
        return normalizeNumeric(text);
    }
    }
    return QVariant();
}

QVariant RandomRows::keyValue(ColumnType type)
{
    switch (type) {
    case ColumnType::Integer:
        return qlonglong(m_random.bounded(-1000000, 1000000));
    case ColumnType::Text: {
        // Short texts from few pieces, so that keys share prefixes.
        QString text;
        const int length = 1 + int(m_random.bounded(4));
        for (int i = 0; i < length; ++i)
            text += textPieces().at(int(m_random.bounded(int(textPieces().size()))));
        return text;
    }
    default:
        return value(type, false);
    }
}

Row RandomRows::rowWithKey(const TableSchema &schema, const Key &key)
{
    Row row(schema.columns.size());
    for (int i = 0; i < schema.columns.size(); ++i) {
        const qsizetype keyPosition = schema.primaryKey.indexOf(i);
        if (keyPosition >= 0)
            row[i] = key.at(keyPosition);
        else
            row[i] = value(schema.columns.at(i).type, !schema.columns.at(i).notNull);
    }
    return row;
}

QList<Row> RandomRows::rows(const TableSchema &schema, int count)
{
    QList<Row> rows;
    QSet<QByteArray> keys;
    const QList<ColumnType> types = schema.keyTypes();
    while (rows.size() < count) {
        Key key;
        QByteArray encoded;
        for (ColumnType type : types) {
            key.append(keyValue(type));
            CanonicalEncoder::appendValue(encoded, type, key.constLast());
        }
        if (keys.contains(encoded))
            continue;
        keys.insert(encoded);
        rows.append(rowWithKey(schema, key));
    }
    sortByKey(schema, &rows);
    return rows;
}

} // namespace ferry::test
