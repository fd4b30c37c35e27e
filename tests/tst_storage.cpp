// Store on SQLite and on a real PostgreSQL server (FERRY_TEST_PG_URL): listing and describing
// tables, streamed key-ordered scans, atomic range replacement, upsert and remove, and the
// promise the block protocol rests on: the same logical rows read from either backend give
// byte-identical canonical encodings and equal digests.

#include "rows/canonicalencoder.h"
#include "blocks/rangedigest.h"
#include "rows/keyrange.h"
#include "storage/walcheckpointer.h"

#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <limits>

namespace ferry {

using namespace ferry::test;

namespace {

constexpr qint64 Int64Min = std::numeric_limits<qint64>::min();
constexpr qint64 Int64Max = std::numeric_limits<qint64>::max();
constexpr double Inf = std::numeric_limits<double>::infinity();

void addBackends()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres") << QStringLiteral("postgres");
}

QList<Row> filterRange(const TableSchema &schema, const QList<Row> &rows, const KeyRange &range)
{
    QList<Row> result;
    const QList<ColumnType> types = schema.keyTypes();
    for (const Row &row : rows) {
        if (locateKey(types, schema.keyOf(row), range) == 0)
            result.append(row);
    }
    return result;
}

QList<QByteArray> encodeAll(const TableSchema &schema, const QList<Row> &rows)
{
    QList<QByteArray> encoded;
    for (const Row &row : rows)
        encoded.append(CanonicalEncoder::encodeRow(schema, row));
    return encoded;
}

QByteArray digestOfRows(DigestAlgorithm algorithm, const TableSchema &schema, const QList<Row> &rows)
{
    Digest digest(algorithm);
    for (const Row &row : rows)
        digest.update(CanonicalEncoder::encodeRow(schema, row));
    return digest.finish();
}

using Spec = ScratchDatabase::ColumnSpec;

} // namespace

// Opens the scratch database of the row's backend (QSKIP/QFAIL for PostgreSQL without a server).
#define SCRATCH(db)                                                                                          \
    QFETCH(QString, backend);                                                                                \
    const Backend kind = backend == QLatin1String("postgres") ? Backend::Postgres : Backend::Sqlite;         \
    if (kind == Backend::Postgres)                                                                           \
        FERRY_REQUIRE_POSTGRES();                                                                            \
    std::unique_ptr<ScratchDatabase> db;                                                                     \
    FERRY_NO_THROW(db = std::make_unique<ScratchDatabase>(kind))

class TestStorage : public QObject
{
    Q_OBJECT

private slots:
    void tables_data() { addBackends(); }
    void tables();
    void describeTypes_data() { addBackends(); }
    void describeTypes();
    void describePrimaryKeys_data() { addBackends(); }
    void describePrimaryKeys();
    void describeErrors_data() { addBackends(); }
    void describeErrors();
    void scanRanges_data() { addBackends(); }
    void scanRanges();
    void scanLargeTableInKeyOrder_data() { addBackends(); }
    void scanLargeTableInKeyOrder();
    void scanIgnoresColumnCollation_data() { addBackends(); }
    void scanIgnoresColumnCollation();
    void numericValuesRoundTrip_data() { addBackends(); }
    void numericValuesRoundTrip();
    void replaceRanges_data() { addBackends(); }
    void replaceRanges();
    void replaceRangesFailureChangesNothing_data() { addBackends(); }
    void replaceRangesFailureChangesNothing();
    void upsertAndRemove_data() { addBackends(); }
    void upsertAndRemove();
    void readOnlyStoreWritesNothing_data() { addBackends(); }
    void readOnlyStoreWritesNothing();
    void scanEncodedMatchesScan_data() { addBackends(); }
    void scanEncodedMatchesScan();
    void scanEncodedLetsWritersInRollbackJournal();
    void sqliteFastPathOddStorage();
    void sqliteDeferredCheckpoints();
    void crossBackendEncoding();
    void crossBackendEmptyAndOneRow();
    void postgresCopyScanEveryType();
    void postgresCopyWriteEveryType();
};

void TestStorage::tables()
{
    SCRATCH(db);
    try {
        const QString b = db->name(QStringLiteral("tables_b"));
        const QString a = db->name(QStringLiteral("tables_a"));
        const QString view = db->name(QStringLiteral("tables_view"));
        db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, v TEXT)").arg(b));
        db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY)").arg(a));
        db->exec(QStringLiteral("CREATE VIEW %1 AS SELECT id FROM %2").arg(view, a));
        const QStringList tables = db->open(true)->tables();
        if (kind == Backend::Sqlite) {
            QCOMPARE(tables, (QStringList{a, b}));   // sorted, no views, no sqlite_ internals
        } else {
            // Other test programs share the server: look at this test's names only.
            QVERIFY2(tables.contains(a) && tables.contains(b), qPrintable(tables.join(QLatin1Char(','))));
            QVERIFY(tables.indexOf(a) < tables.indexOf(b));
            QVERIFY(!tables.contains(view));
        }
        // An AUTOINCREMENT table makes SQLite create sqlite_sequence: it must not show.
        if (kind == Backend::Sqlite) {
            const QString c = db->name(QStringLiteral("tables_c"));
            db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY AUTOINCREMENT)").arg(c));
            QCOMPARE(db->open(true)->tables(), (QStringList{a, b, c}));
        }
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::describeTypes()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("types"));
        QList<QPair<QString, ColumnType>> expected;   // declared type -> canonical type
        if (kind == Backend::Sqlite) {
            expected = {
                {QStringLiteral("INTEGER"), ColumnType::Integer},    {QStringLiteral("INT"), ColumnType::Integer},
                {QStringLiteral("BIGINT"), ColumnType::Integer},     {QStringLiteral("SMALLINT"), ColumnType::Integer},
                {QStringLiteral("UNSIGNED BIG INT"), ColumnType::Integer},
                {QStringLiteral("REAL"), ColumnType::Real},          {QStringLiteral("DOUBLE"), ColumnType::Real},
                {QStringLiteral("DOUBLE PRECISION"), ColumnType::Real}, {QStringLiteral("FLOAT"), ColumnType::Real},
                {QStringLiteral("TEXT"), ColumnType::Text},          {QStringLiteral("VARCHAR(20)"), ColumnType::Text},
                {QStringLiteral("CHARACTER(5)"), ColumnType::Text},  {QStringLiteral("NVARCHAR(10)"), ColumnType::Text},
                {QStringLiteral("CLOB"), ColumnType::Text},          {QStringLiteral("text"), ColumnType::Text},
                {QStringLiteral("BLOB"), ColumnType::Blob},
                {QStringLiteral("BOOLEAN"), ColumnType::Boolean},    {QStringLiteral("BOOL"), ColumnType::Boolean},
                {QStringLiteral("TIMESTAMP"), ColumnType::Timestamp}, {QStringLiteral("DATETIME"), ColumnType::Timestamp},
                {QStringLiteral("DATE"), ColumnType::Timestamp},
                {QStringLiteral("NUMERIC"), ColumnType::Numeric},    {QStringLiteral("DECIMAL(10,2)"), ColumnType::Numeric},
            };
        } else {
            expected = {
                {QStringLiteral("smallint"), ColumnType::Integer},   {QStringLiteral("integer"), ColumnType::Integer},
                {QStringLiteral("bigint"), ColumnType::Integer},     {QStringLiteral("real"), ColumnType::Real},
                {QStringLiteral("double precision"), ColumnType::Real}, {QStringLiteral("text"), ColumnType::Text},
                {QStringLiteral("character varying(20)"), ColumnType::Text}, {QStringLiteral("character(5)"), ColumnType::Text},
                {QStringLiteral("bytea"), ColumnType::Blob},         {QStringLiteral("boolean"), ColumnType::Boolean},
                {QStringLiteral("timestamp without time zone"), ColumnType::Timestamp},
                {QStringLiteral("timestamp with time zone"), ColumnType::Timestamp},
                {QStringLiteral("date"), ColumnType::Timestamp},     {QStringLiteral("numeric"), ColumnType::Numeric},
                {QStringLiteral("numeric(10,2)"), ColumnType::Numeric},
            };
        }
        QStringList columns;
        for (int i = 0; i < expected.size(); ++i)
            columns.append(QStringLiteral("c%1 %2").arg(i).arg(expected.at(i).first));
        columns.append(QStringLiteral("required TEXT NOT NULL"));
        db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, %2)").arg(table, columns.join(QLatin1String(", "))));

        const TableSchema schema = db->open(true)->describe(table);
        QCOMPARE(schema.table, table);
        QCOMPARE(schema.columns.size(), expected.size() + 2);
        QCOMPARE(schema.columns.at(0).name, QStringLiteral("id"));
        QCOMPARE(schema.columns.at(0).type, ColumnType::Integer);
        for (int i = 0; i < expected.size(); ++i) {
            const Column &column = schema.columns.at(i + 1);
            QCOMPARE(column.name, QStringLiteral("c%1").arg(i));
            QVERIFY2(column.type == expected.at(i).second,
                     qPrintable(QStringLiteral("%1 mapped to %2").arg(expected.at(i).first, columnTypeName(column.type))));
            QCOMPARE(column.declaredType.toLower(), expected.at(i).first.toLower());   // kept for messages
            QVERIFY(!column.notNull);
        }
        QCOMPARE(schema.columns.constLast().name, QStringLiteral("required"));
        QVERIFY(schema.columns.constLast().notNull);
        QCOMPARE(schema.primaryKey, QList<int>{0});
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::describePrimaryKeys()
{
    SCRATCH(db);
    try {
        // The key column need not be the first one.
        const QString single = db->name(QStringLiteral("pk_single"));
        db->exec(QStringLiteral("CREATE TABLE %1 (v TEXT, id INTEGER PRIMARY KEY, w REAL)").arg(single));
        // Key order (c, a) differs from column order (a, b, c).
        const QString composite = db->name(QStringLiteral("pk_composite"));
        db->exec(QStringLiteral("CREATE TABLE %1 (a INTEGER, b TEXT, c TEXT, d REAL, PRIMARY KEY (c, a))").arg(composite));
        const QString three = db->name(QStringLiteral("pk_three"));
        db->exec(QStringLiteral("CREATE TABLE %1 (x INTEGER, y INTEGER, z INTEGER, PRIMARY KEY (z, x, y))").arg(three));

        auto store = db->open(true);
        QCOMPARE(store->describe(single).primaryKey, QList<int>{1});
        const TableSchema schema = store->describe(composite);
        QCOMPARE(schema.primaryKey, (QList<int>{2, 0}));
        QCOMPARE(schema.keyTypes(), (QList<ColumnType>{ColumnType::Text, ColumnType::Integer}));
        QCOMPARE(store->describe(three).primaryKey, (QList<int>{2, 0, 1}));

        if (kind == Backend::Sqlite) {
            const QString withoutRowid = db->name(QStringLiteral("pk_without_rowid"));
            db->exec(QStringLiteral("CREATE TABLE %1 (a TEXT, b INTEGER, PRIMARY KEY (b, a)) WITHOUT ROWID").arg(withoutRowid));
            QCOMPARE(store->describe(withoutRowid).primaryKey, (QList<int>{1, 0}));
        } else {
            // A schema-qualified name reaches the same table.
            const TableSchema qualified = store->describe(QStringLiteral("public.") + composite);
            QCOMPARE(qualified.primaryKey, (QList<int>{2, 0}));
            QCOMPARE(qualified.columnNames(), schema.columnNames());
        }
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::describeErrors()
{
    SCRATCH(db);
    try {
        auto store = db->open(true);
        QString message;

        const QString missing = db->name(QStringLiteral("no_such_table"));
        FERRY_EXPECT_ERROR(message, store->describe(missing));
        QVERIFY2(message.contains(missing) && message.contains(store->displayName()), qPrintable(message));

        const QString noKey = db->name(QStringLiteral("no_key"));
        db->exec(QStringLiteral("CREATE TABLE %1 (a INTEGER, b TEXT)").arg(noKey));
        FERRY_EXPECT_ERROR(message, store->describe(noKey));
        QVERIFY2(message.contains(noKey) && message.contains(QLatin1String("primary key")), qPrintable(message));

        // Unsupported column types: the message names the column, the table and the type.
        QList<QPair<QString, QString>> unsupported;   // (column definition, declared type as reported)
        if (kind == Backend::Sqlite) {
            unsupported = {{QStringLiteral("untyped"), QStringLiteral("(none)")}, {QStringLiteral("doc JSON"), QStringLiteral("JSON")}};
        } else {
            unsupported = {{QStringLiteral("location point"), QStringLiteral("point")}, {QStringLiteral("doc json"), QStringLiteral("json")},
                           {QStringLiteral("tags text[]"), QStringLiteral("text[]")}};
        }
        int n = 0;
        for (const auto &[definition, declared] : unsupported) {
            const QString table = db->name(QStringLiteral("unsupported_%1").arg(n++));
            db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, fine TEXT, %2)").arg(table, definition));
            const QString column = definition.section(QLatin1Char(' '), 0, 0);
            FERRY_EXPECT_ERROR(message, store->describe(table));
            QVERIFY2(message.contains(QLatin1Char('"') + column + QLatin1Char('"')), qPrintable(message));
            QVERIFY2(message.contains(QLatin1Char('"') + table + QLatin1Char('"')), qPrintable(message));
            QVERIFY2(message.contains(declared), qPrintable(message));
        }

        // A view is not a table Ferry can replicate into.
        const QString base = db->name(QStringLiteral("view_base"));
        const QString view = db->name(QStringLiteral("a_view"));
        db->exec(QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY)").arg(base));
        db->exec(QStringLiteral("CREATE VIEW %1 AS SELECT id FROM %2").arg(view, base));
        FERRY_EXPECT_ERROR(message, store->describe(view));
        QVERIFY2(message.contains(view), qPrintable(message));
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::scanRanges()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("scan"));
        const TableSchema schema = db->createTable(
            table,
            {Spec{QStringLiteral("v"), ColumnType::Real}, Spec{QStringLiteral("k1"), ColumnType::Text, true},
             Spec{QStringLiteral("k2"), ColumnType::Integer, true}, Spec{QStringLiteral("payload"), ColumnType::Blob}},
            {1, 2});
        RandomRows random(7);
        const QList<Row> rows = random.rows(schema, 400);   // in key order (code points, then integer)
        auto store = db->open(false);
        store->upsert(schema, rows);

        QCOMPARE(readAll(*store, schema), rows);
        QCOMPARE(rowsDifference(schema, rows, readAll(*store, schema)), QString());

        auto randomBound = [&]() -> Key {
            switch (random.bounded(4)) {
            case 0: return Key();   // unbounded
            case 1: return Key{random.keyValue(ColumnType::Text), random.keyValue(ColumnType::Integer)};   // most likely absent
            default: return schema.keyOf(rows.at(random.bounded(int(rows.size()))));   // an existing key
            }
        };
        for (int i = 0; i < 40; ++i) {
            const KeyRange range{randomBound(), randomBound()};
            const QList<Row> expected = filterRange(schema, rows, range);
            QList<Row> actual;
            const qint64 delivered = store->scan(schema, range, [&](const Row &row) {
                actual.append(row);
                return true;
            });
            const QString where = describeRange(range);
            QCOMPARE(delivered, qint64(expected.size()));
            QVERIFY2(rowsDifference(schema, expected, actual).isEmpty(),
                     qPrintable(where + QLatin1String(": ") + rowsDifference(schema, expected, actual)));
        }

        // A range ending exactly at an existing key excludes it; one starting there includes it.
        const Key middle = schema.keyOf(rows.at(200));
        QCOMPARE(readAll(*store, schema, KeyRange{{}, middle}), rows.mid(0, 200));
        QCOMPARE(readAll(*store, schema, KeyRange{middle, {}}), rows.mid(200));
        QCOMPARE(readAll(*store, schema, KeyRange{middle, middle}), QList<Row>());
        // Composite bounds compare the whole tuple: same first column, next integer.
        const Key justAfter{middle.at(0), middle.at(1).toLongLong() + 1};
        QCOMPARE(readAll(*store, schema, KeyRange{middle, justAfter}), rows.mid(200, 1));

        // The sink stops the scan.
        QList<Row> firstFew;
        const qint64 delivered = store->scan(schema, KeyRange{}, [&](const Row &row) {
            firstFew.append(row);
            return firstFew.size() < 7;
        });
        QCOMPARE(delivered, qint64(7));
        QCOMPARE(firstFew, rows.mid(0, 7));
    }
    FERRY_CATCH_ERRORS
}

// More rows than one PostgreSQL scan page (20000): paging must neither skip nor repeat rows,
// with a text key in code point order and a composite key.
void TestStorage::scanLargeTableInKeyOrder()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("large"));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("k"), ColumnType::Text, true}, Spec{QStringLiteral("n"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Integer}},
            {0, 1});
        const int count = 45000;
        // Five text keys whose code point order differs from most locales' order.
        if (kind == Backend::Postgres) {
            db->exec(QStringLiteral("INSERT INTO %1 SELECT (ARRAY['b','B','\u00e9','\U0001F600','\uFFFD'])[x % 5 + 1], x / 5, x FROM generate_series(0, %2) AS x")
                         .arg(table)
                         .arg(count - 1));
        } else {
            db->exec(QStringLiteral("WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x < %2) "
                                    "INSERT INTO %1 SELECT CASE x % 5 WHEN 0 THEN 'b' WHEN 1 THEN 'B' WHEN 2 THEN '\u00e9' "
                                    "WHEN 3 THEN '\U0001F600' ELSE '\uFFFD' END, x / 5, x FROM s")
                         .arg(table)
                         .arg(count - 1));
        }
        auto store = db->open(true);
        const QList<ColumnType> types = schema.keyTypes();
        Key previous;
        qint64 seen = 0;
        bool ordered = true;
        QSet<qlonglong> values;
        store->scan(schema, KeyRange{}, [&](const Row &row) {
            const Key key = schema.keyOf(row);
            if (!previous.isEmpty() && compareKeys(types, previous, key) >= 0)
                ordered = false;
            previous = key;
            values.insert(row.at(2).toLongLong());
            ++seen;
            return true;
        });
        QVERIFY2(ordered, "scan is not in strictly increasing key order");
        QCOMPARE(seen, qint64(count));
        QCOMPARE(values.size(), count);   // no row repeated, none skipped

        // In code point order 'B' (U+0042) < 'b' < U+00E9 < U+FFFD < U+1F600. This range holds
        // 8000 + 9000 + 5000 rows: more than one PostgreSQL page.
        const KeyRange range{Key{QStringLiteral("B"), qlonglong(1000)}, Key{QString(QChar(0xE9)), qlonglong(5000)}};
        QCOMPARE(store->scan(schema, range, [](const Row &) { return true; }), qint64(count / 5 - 1000 + count / 5 + 5000));
        const KeyRange last{Key{QString::fromUtf8("\xF0\x9F\x98\x80"), qlonglong(count / 5 - 10)}, Key()};
        const QList<Row> tail = readAll(*store, schema, last);
        QCOMPARE(tail.size(), 10);
        QCOMPARE(tail.constLast().at(1).toLongLong(), qlonglong(count / 5 - 1));
    }
    FERRY_CATCH_ERRORS
}

// Ferry orders text keys by code point whatever collation the column declares (SQLite
// NOCASE, an ICU collation on PostgreSQL), or block ranges would not match across backends.
void TestStorage::scanIgnoresColumnCollation()
{
    SCRATCH(db);
    try {
        QString collation = QStringLiteral("NOCASE");
        if (kind == Backend::Postgres) {
            if (db->query(QStringLiteral("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")).isEmpty())
                QSKIP("this PostgreSQL server has no ICU collation und-x-icu");
            collation = QStringLiteral("\"und-x-icu\"");
        }
        const QString table = db->name(QStringLiteral("collated"));
        db->exec(QStringLiteral("CREATE TABLE %1 (k TEXT COLLATE %2 PRIMARY KEY, v INTEGER)").arg(table, collation));
        const QStringList keys = {QStringLiteral("a"), QStringLiteral("B"), QStringLiteral("c"), QStringLiteral("D"), QString(QChar(0xE9)),
                                  QStringLiteral("Z"), QString::fromUtf8("\xF0\x9F\x98\x80"), QString(QChar(0xFFFD))};
        for (int i = 0; i < keys.size(); ++i)
            db->exec(QStringLiteral("INSERT INTO %1 VALUES ('%2', %3)").arg(table, keys.at(i)).arg(i));
        Store &store = db->store();
        const TableSchema schema = store.describe(table);
        auto keysOf = [](const QList<Row> &rows) {
            QStringList result;
            for (const Row &row : rows)
                result.append(row.at(0).toString());
            return result;
        };
        const QString smile = QString::fromUtf8("\xF0\x9F\x98\x80");
        QCOMPARE(keysOf(readAll(store, schema)), (QStringList{QStringLiteral("B"), QStringLiteral("D"), QStringLiteral("Z"), QStringLiteral("a"),
                                                               QStringLiteral("c"), QString(QChar(0xE9)), QString(QChar(0xFFFD)), smile}));
        QCOMPARE(keysOf(readAll(store, schema, KeyRange{Key{QStringLiteral("C")}, Key{QStringLiteral("b")}})),
                 (QStringList{QStringLiteral("D"), QStringLiteral("Z"), QStringLiteral("a")}));
        QCOMPARE(keysOf(readAll(store, schema, KeyRange{Key{QString(QChar(0xFFFD))}, Key()})), (QStringList{QString(QChar(0xFFFD)), smile}));
    }
    FERRY_CATCH_ERRORS
}

// Decimals come back exactly as written, as values and as keys. SQLite keeps NUMERIC as
// INTEGER or REAL; up to 15 significant digits (and integers up to 64 bits) must survive.
void TestStorage::numericValuesRoundTrip()
{
    SCRATCH(db);
    try {
        QStringList values = {QStringLiteral("84658985.190986"), QStringLiteral("0.1"), QStringLiteral("-3393017"),
                              QStringLiteral("12345678901234567"), QStringLiteral("-9007199254740993"), QStringLiteral("0.30000000000000004"),
                              QStringLiteral("100"), QStringLiteral("-0.5"), QStringLiteral("0.0000001"), QStringLiteral("123456789.12345"),
                              QStringLiteral("0"), QStringLiteral("99999999999999.9")};
        if (kind == Backend::Postgres)
            values.append(QStringLiteral("123456789012345678901234567890.123456789"));   // beyond any double
        QRandomGenerator random(42);
        for (int i = 0; i < 500; ++i) {
            const QString text = QStringLiteral("%1%2.%3")
                                     .arg(random.bounded(2) ? QStringLiteral("-") : QString())
                                     .arg(random.bounded(1, 100000000))
                                     .arg(random.bounded(1000000), 6, 10, QLatin1Char('0'));
            values.append(normalizeNumeric(text));
        }
        values.removeDuplicates();

        const QString table = db->name(QStringLiteral("numeric_values"));
        const TableSchema schema = db->createTable(table, {Spec{QStringLiteral("n"), ColumnType::Numeric, true}, Spec{QStringLiteral("id"), ColumnType::Integer}}, {0});
        QList<Row> rows;
        for (int i = 0; i < values.size(); ++i)
            rows.append(Row{values.at(i), qlonglong(i)});
        sortByKey(schema, &rows);
        Store &store = db->store();
        store.upsert(schema, rows);
        const QList<Row> back = readAll(store, schema);
        QVERIFY2(rowsDifference(schema, rows, back).isEmpty(), qPrintable(rowsDifference(schema, rows, back)));

        // Ranges bounded by decimal keys select by numeric value.
        for (int i = 0; i < 20; ++i) {
            const KeyRange range{schema.keyOf(rows.at(random.bounded(int(rows.size())))), schema.keyOf(rows.at(random.bounded(int(rows.size()))))};
            const QList<Row> expected = filterRange(schema, rows, range);
            const QList<Row> actual = readAll(store, schema, range);
            QVERIFY2(rowsDifference(schema, expected, actual).isEmpty(),
                     qPrintable(describeRange(range) + QLatin1String(": ") + rowsDifference(schema, expected, actual)));
        }
        // Upsert and remove find rows by decimal key.
        store.upsert(schema, {Row{QStringLiteral("84658985.190986"), qlonglong(-1)}});
        store.remove(schema, {Key{QStringLiteral("0.30000000000000004")}, Key{QStringLiteral("-3393017")}});
        const QList<Row> changed = readAll(store, schema);
        QCOMPARE(changed.size(), rows.size() - 2);
        const QList<Row> one = readAll(store, schema, KeyRange{Key{QStringLiteral("84658985.190986")}, Key{QStringLiteral("84658985.190987")}});
        QCOMPARE(one.size(), 1);
        QCOMPARE(one.first().at(1).toLongLong(), qlonglong(-1));

        // A decimal written with trailing zeros (as applications write money: 139244.60) is
        // the same number: stored, never refused, and read back in normal form.
        const QString amounts = db->name(QStringLiteral("numeric_amounts"));
        const TableSchema amountSchema =
            db->createTable(amounts, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("amount"), ColumnType::Numeric}}, {0});
        const QStringList written = {QStringLiteral("139244.60"), QStringLiteral("1.500"), QStringLiteral("100.0"), QStringLiteral("0.10")};
        QList<Row> amountRows;
        for (int i = 0; i < written.size(); ++i)
            amountRows.append(Row{qlonglong(i), written.at(i)});
        store.upsert(amountSchema, amountRows);
        const QList<Row> amountsBack = readAll(store, amountSchema);
        QCOMPARE(amountsBack.size(), written.size());
        for (int i = 0; i < written.size(); ++i)
            QCOMPARE(amountsBack.at(i).at(1).toString(), normalizeNumeric(written.at(i)));
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::replaceRanges()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("replace"));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("name"), ColumnType::Text, true}, Spec{QStringLiteral("amount"), ColumnType::Numeric}},
            {0});
        auto row = [](qlonglong id, const QString &name, const QVariant &amount = QVariant()) { return Row{id, name, amount}; };
        QList<Row> model;
        for (qlonglong id = 0; id < 1000; id += 10)
            model.append(row(id, QStringLiteral("row %1").arg(id), QStringLiteral("%1.25").arg(id)));
        auto store = db->open(false);
        store->upsert(schema, model);

        const QList<RangeRows> ranges = {
            {KeyRange{{}, {qlonglong(20)}}, {row(-5, QStringLiteral("new first")), row(10, QStringLiteral("changed 10"))}},
            {KeyRange{{qlonglong(200)}, {qlonglong(300)}}, {row(200, QStringLiteral("changed 200"), QStringLiteral("1")), row(255, QStringLiteral("new 255"))}},
            {KeyRange{{qlonglong(500)}, {qlonglong(510)}}, {}},
            {KeyRange{{qlonglong(950)}, {}}, {row(960, QStringLiteral("changed 960")), row(5000, QStringLiteral("new last"))}},
        };
        store->replaceRanges(schema, ranges);

        // The model: drop each range, add its rows.
        QList<Row> expected;
        for (const Row &r : model) {
            bool inside = false;
            for (const RangeRows &part : ranges)
                inside = inside || locateKey(schema.keyTypes(), schema.keyOf(r), part.range) == 0;
            if (!inside)
                expected.append(r);
        }
        for (const RangeRows &part : ranges)
            expected.append(part.rows);
        sortByKey(schema, &expected);
        const QList<Row> actual = readAll(*store, schema);
        QVERIFY2(rowsDifference(schema, expected, actual).isEmpty(), qPrintable(rowsDifference(schema, expected, actual)));
        QCOMPARE(actual.size(), 100 - 2 - 10 - 1 - 5 + 2 + 2 + 0 + 2);

        // The whole table as one range.
        const QList<Row> fresh = {row(1, QStringLiteral("only")), row(2, QStringLiteral("rows"), QStringLiteral("-0.5"))};
        store->replaceRanges(schema, {RangeRows{KeyRange{}, fresh}});
        QCOMPARE(rowsDifference(schema, fresh, readAll(*store, schema)), QString());
        store->replaceRanges(schema, {RangeRows{KeyRange{}, {}}});
        QCOMPARE(readAll(*store, schema).size(), 0);
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::replaceRangesFailureChangesNothing()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("replace_fail"));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("name"), ColumnType::Text, true}}, {0});
        QList<Row> before;
        for (qlonglong id = 0; id < 100; ++id)
            before.append(Row{id, QStringLiteral("row %1").arg(id)});
        auto store = db->open(false);
        store->upsert(schema, before);

        QString message;
        // The first range is fine; the second inserts a NULL into a NOT NULL column.
        FERRY_EXPECT_ERROR(message, store->replaceRanges(schema, {
            RangeRows{KeyRange{{}, {qlonglong(50)}}, {Row{qlonglong(1), QStringLiteral("survivor")}}},
            RangeRows{KeyRange{{qlonglong(50)}, {qlonglong(60)}}, {Row{qlonglong(55), QStringLiteral("ok")}, Row{qlonglong(56), QVariant()}}},
        }));
        QVERIFY2(message.contains(table), qPrintable(message));
        QVERIFY2(rowsDifference(schema, before, readAll(*store, schema)).isEmpty(), qPrintable(rowsDifference(schema, before, readAll(*store, schema))));

        // Two rows with the same key in one range: the primary key rejects it, nothing changes.
        FERRY_EXPECT_ERROR(message, store->replaceRanges(schema, {
            RangeRows{KeyRange{{qlonglong(10)}, {qlonglong(20)}}, {Row{qlonglong(12), QStringLiteral("a")}, Row{qlonglong(12), QStringLiteral("b")}}},
        }));
        QVERIFY2(rowsDifference(schema, before, readAll(*store, schema)).isEmpty(), qPrintable(rowsDifference(schema, before, readAll(*store, schema))));

        // The store still works after the rolled-back transactions.
        store->replaceRanges(schema, {RangeRows{KeyRange{{qlonglong(90)}, {}}, {}}});
        QCOMPARE(readAll(*store, schema).size(), 90);
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::upsertAndRemove()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("upsert"));
        const TableSchema schema = db->createTable(
            table,
            {Spec{QStringLiteral("k1"), ColumnType::Text, true}, Spec{QStringLiteral("k2"), ColumnType::Timestamp, true},
             Spec{QStringLiteral("flag"), ColumnType::Boolean}, Spec{QStringLiteral("note"), ColumnType::Text, true}},
            {0, 1});
        RandomRows random(11);
        QList<Row> model = random.rows(schema, 60);
        auto store = db->open(false);
        store->upsert(schema, model.mid(0, 40));
        QCOMPARE(rowsDifference(schema, model.mid(0, 40), readAll(*store, schema)), QString());

        // Update rows 30..39 (existing keys) and insert 40..59 in one call.
        for (int i = 30; i < 40; ++i)
            model[i] = random.rowWithKey(schema, schema.keyOf(model.at(i)));
        store->upsert(schema, model.mid(30));
        QCOMPARE(rowsDifference(schema, model, readAll(*store, schema)), QString());

        // Remove some keys, one of them twice, and a key that does not exist.
        QList<Key> keys = {schema.keyOf(model.at(0)), schema.keyOf(model.at(17)), schema.keyOf(model.at(59)), schema.keyOf(model.at(17)),
                           Key{QStringLiteral("no such key"), qlonglong(1)}};
        store->remove(schema, keys);
        model.removeAt(59);
        model.removeAt(17);
        model.removeAt(0);
        QCOMPARE(rowsDifference(schema, model, readAll(*store, schema)), QString());

        // A failing upsert (NULL in a NOT NULL column) applies none of its rows.
        QList<Row> bad = {random.rowWithKey(schema, Key{QStringLiteral("new"), qlonglong(5)}), model.at(3)};
        bad[1][3] = QVariant();
        QString message;
        FERRY_EXPECT_ERROR(message, store->upsert(schema, bad));
        QVERIFY2(message.contains(table), qPrintable(message));
        QCOMPARE(rowsDifference(schema, model, readAll(*store, schema)), QString());

        // A table made only of key columns: upserting an existing row is not an error.
        const QString keysOnly = db->name(QStringLiteral("keys_only"));
        const TableSchema keysSchema = db->createTable(
            keysOnly, {Spec{QStringLiteral("a"), ColumnType::Integer, true}, Spec{QStringLiteral("b"), ColumnType::Text, true}}, {0, 1});
        const QList<Row> pairs = {Row{qlonglong(1), QStringLiteral("x")}, Row{qlonglong(2), QStringLiteral("y")}};
        store->upsert(keysSchema, pairs);
        store->upsert(keysSchema, pairs);
        QCOMPARE(readAll(*store, keysSchema), pairs);
        store->remove(keysSchema, {Key{qlonglong(1), QStringLiteral("x")}});
        QCOMPARE(readAll(*store, keysSchema), pairs.mid(1));
    }
    FERRY_CATCH_ERRORS
}

// ferryctl compare without --repair opens the target read-only: nothing may get through.
void TestStorage::readOnlyStoreWritesNothing()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("read_only"));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Text}}, {0});
        const QList<Row> rows = {Row{qlonglong(1), QStringLiteral("one")}, Row{qlonglong(2), QStringLiteral("two")}};
        db->open(false)->upsert(schema, rows);

        auto store = db->open(true);
        QString message;
        FERRY_EXPECT_ERROR(message, store->upsert(schema, {Row{qlonglong(3), QStringLiteral("three")}}));
        FERRY_EXPECT_ERROR(message, store->remove(schema, {Key{qlonglong(1)}}));
        FERRY_EXPECT_ERROR(message, store->replaceRanges(schema, {RangeRows{KeyRange{}, {}}}));
        QCOMPARE(readAll(*store, schema), rows);
        QCOMPARE(readAll(*db->open(false), schema), rows);
    }
    FERRY_CATCH_ERRORS
}

namespace {

// The same logical rows, written natively in each dialect (as another application would
// have stored them), and the canonical values Ferry must read from both.
struct CrossRow
{
    QString sqlite;
    QString postgres;
    Row expected;
};

QList<CrossRow> crossRows()
{
    QByteArray allBytes;
    for (int i = 0; i < 256; ++i)
        allBytes.append(char(i));
    const QString allHex = QString::fromLatin1(allBytes.toHex());
    const QString unicode = QString::fromUtf8("\xC3\xA9\xE2\x9C\x93\xF0\x9F\x98\x80\xE4\xB8\xAD");   // é ✓ U+1F600 中
    const QVariant null;
    return {
        {QStringLiteral("(1, 42, 1.5, 'plain', X'00FF', 1, '2024-02-29 12:34:56.789012', '1.50')"),
         QStringLiteral("(1, 42, 1.5, 'plain', '\\x00ff', true, '2024-02-29 12:34:56.789012', 1.50)"),
         {qlonglong(1), qlonglong(42), 1.5, QStringLiteral("plain"), QByteArray("\x00\xff", 2), true, qlonglong(Q_INT64_C(1709210096789012)),
          QStringLiteral("1.5")}},
        {QStringLiteral("(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"), QStringLiteral("(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"),
         {qlonglong(2), null, null, null, null, null, null, null}},
        {QStringLiteral("(3, 0, -0.0, '', X'', 0, '1970-01-01 00:00:00', '-0.0')"),
         QStringLiteral("(3, 0, '-0', '', '\\x', false, '1970-01-01 00:00:00', -0.00)"),
         {qlonglong(3), qlonglong(0), 0.0, QString(""), QByteArray(""), false, qlonglong(0), QStringLiteral("0")}},
        {QStringLiteral("(4, -9223372036854775808, -1e300, '%1', X'%2', TRUE, '1969-12-31 23:59:59.999999', '-0123.4560')").arg(unicode, allHex),
         QStringLiteral("(4, -9223372036854775808, -1e300, '%1', '\\x%2', true, '1969-12-31 23:59:59.999999', -0123.4560)").arg(unicode, allHex),
         {qlonglong(4), qlonglong(Int64Min), -1e300, unicode, allBytes, true, qlonglong(-1), QStringLiteral("-123.456")}},
        {QStringLiteral("(5, 9223372036854775807, 9e999, 'quote '' backslash \\ dq \"', X'275C', 0, '1900-01-01 00:00:00', '12345678901234.50')"),
         QStringLiteral("(5, 9223372036854775807, 'Infinity', 'quote '' backslash \\ dq \"', '\\x275c', false, '1900-01-01 00:00:00', 12345678901234.50)"),
         {qlonglong(5), qlonglong(Int64Max), Inf, QStringLiteral("quote ' backslash \\ dq \""), QByteArray("'\\"), false,
          qlonglong(Q_INT64_C(-2208988800000000)), QStringLiteral("12345678901234.5")}},
        {QStringLiteral("(6, -7, -9e999, 'line' || char(10) || 'break' || char(9) || 'tab', NULL, NULL, '9999-12-31 23:59:59.999999', '0.0000010')"),
         QStringLiteral("(6, -7, '-Infinity', E'line\\nbreak\\ttab', NULL, NULL, '9999-12-31 23:59:59.999999', 0.0000010)"),
         {qlonglong(6), qlonglong(-7), -Inf, QStringLiteral("line\nbreak\ttab"), null, null, qlonglong(Q_INT64_C(253402300799999999)),
          QStringLiteral("0.000001")}},
        // SQLite data stored by other programs: ISO 8601 with T and Z, Unix seconds, 'false'.
        {QStringLiteral("(7, 8, 0.1, '  spaces  ', X'20', 'true', '1969-07-20T20:17:40.123456Z', '100.0')"),
         QStringLiteral("(7, 8, 0.1, '  spaces  ', '\\x20', true, '1969-07-20 20:17:40.123456', 100.0)"),
         {qlonglong(7), qlonglong(8), 0.1, QStringLiteral("  spaces  "), QByteArray(" "), true, qlonglong(Q_INT64_C(-14182939876544)),
          QStringLiteral("100")}},
        {QStringLiteral("(8, 1, 123456.789, '\u4E2D\u6587', X'FF', 'false', 1700000000, '-5')"),
         QStringLiteral("(8, 1, 123456.789, '\u4E2D\u6587', '\\xff', false, '2023-11-14 22:13:20', -5)"),
         {qlonglong(8), qlonglong(1), 123456.789, QStringLiteral("\u4E2D\u6587"), QByteArray("\xff"), false,
          qlonglong(Q_INT64_C(1700000000000000)), QStringLiteral("-5")}},
    };
}

QList<Spec> crossColumns()
{
    return {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("i"), ColumnType::Integer},
            Spec{QStringLiteral("r"), ColumnType::Real},           Spec{QStringLiteral("t"), ColumnType::Text},
            Spec{QStringLiteral("b"), ColumnType::Blob},           Spec{QStringLiteral("f"), ColumnType::Boolean},
            Spec{QStringLiteral("ts"), ColumnType::Timestamp},     Spec{QStringLiteral("n"), ColumnType::Numeric}};
}

} // namespace

namespace {

struct EncodedScan
{
    QList<qsizetype> rangeIndexes;
    QList<QByteArray> bytes;
    QList<Key> keys;
    QList<Row> rows;      // row(); expectedEncoded: scan()'s rows
    QList<Row> decoded;   // CanonicalEncoder::decodeRow(bytes), or row() for a folded row
    QList<Key> decodedKeys;
};

EncodedScan scanEncodedAll(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges)
{
    EncodedScan result;
    store.scanEncoded(schema, ranges, [&](qsizetype index, const EncodedRow &row) {
        result.rangeIndexes.append(index);
        result.bytes.append(row.bytes.toByteArray());
        result.keys.append(row.key());
        result.rows.append(row.row());
        result.decoded.append(row.folded ? row.row() : CanonicalEncoder::decodeRow(schema, row.bytes));
        result.decodedKeys.append(CanonicalEncoder::decodeKey(schema, row.bytes));
        return true;
    });
    return result;
}

// Values the same down to their type and, for doubles, their bits (-0.0 is not 0.0).
QString valuesDifference(const QList<Row> &actual, const QList<Row> &expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 rows, expected %2").arg(actual.size()).arg(expected.size());
    for (qsizetype r = 0; r < actual.size(); ++r) {
        const Row &a = actual.at(r);
        const Row &e = expected.at(r);
        if (a.size() != e.size())
            return QStringLiteral("row %1 has %2 values, expected %3").arg(r).arg(a.size()).arg(e.size());
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QVariant &x = a.at(i);
            const QVariant &y = e.at(i);
            bool same = x.isNull() == y.isNull() && (x.isNull() || x.typeId() == y.typeId());
            if (same && !x.isNull()) {
                if (x.typeId() == QMetaType::Double) {
                    const double dx = x.toDouble(), dy = y.toDouble();
                    same = std::memcmp(&dx, &dy, sizeof dx) == 0;
                } else {
                    same = x == y;   // an empty text or blob, null inside or not, is the same value to Ferry
                }
            }
            if (!same)
                return QStringLiteral("row %1, value %2: %3 (%4), expected %5 (%6)").arg(r).arg(i).arg(x.toString(), QString::fromLatin1(x.typeName()), y.toString(), QString::fromLatin1(y.typeName()));
        }
    }
    return QString();
}

// What scanEncoded() must deliver: scan()'s rows of each range, encoded, in range order.
EncodedScan expectedEncoded(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges)
{
    EncodedScan result;
    for (qsizetype index = 0; index < ranges.size(); ++index) {
        for (const Row &row : readAll(store, schema, ranges.at(index))) {
            result.rangeIndexes.append(index);
            result.bytes.append(CanonicalEncoder::encodeRow(schema, row));
            result.keys.append(schema.keyOf(row));
            result.rows.append(row);
        }
    }
    return result;
}

// Sorted, non-overlapping ranges over keys: some adjacent, some with gaps, some empty.
QList<KeyRange> randomRangeList(RandomRows &random, const TableSchema &schema, const QList<Row> &rows)
{
    QList<int> cuts;
    const int count = 1 + random.bounded(8);
    for (int i = 0; i < count; ++i)
        cuts.append(random.bounded(int(rows.size())));
    std::sort(cuts.begin(), cuts.end());
    QList<KeyRange> ranges;
    Key lo;   // the first range may be unbounded below
    for (int i = 0; i < cuts.size(); ++i) {
        const Key hi = schema.keyOf(rows.at(cuts.at(i)));
        if (random.bounded(3) == 0 && !lo.isEmpty())
            lo = hi;   // an empty range
        ranges.append(KeyRange{lo, hi});
        // Adjacent next range, or a gap up to a later key.
        lo = random.bounded(2) == 0 ? hi : schema.keyOf(rows.at(std::min<int>(int(rows.size()) - 1, cuts.at(i) + random.bounded(5))));
        if (compareKeys(schema.keyTypes(), lo, hi) < 0)
            lo = hi;
    }
    ranges.append(KeyRange{lo, random.bounded(2) == 0 ? Key() : schema.keyOf(rows.constLast())});
    return ranges;
}

} // namespace

// scanEncoded() (SQLite encodes straight from its column buffers) delivers exactly the
// encoded rows of scan(), with the right range index and key, for lists of ranges.
void TestStorage::scanEncodedMatchesScan()
{
    SCRATCH(db);
    try {
        const QString table = db->name(QStringLiteral("encoded"));
        const TableSchema schema = db->createTable(
            table,
            {Spec{QStringLiteral("k1"), ColumnType::Text, true}, Spec{QStringLiteral("k2"), ColumnType::Integer, true},
             Spec{QStringLiteral("r"), ColumnType::Real}, Spec{QStringLiteral("b"), ColumnType::Blob}, Spec{QStringLiteral("f"), ColumnType::Boolean},
             Spec{QStringLiteral("t"), ColumnType::Timestamp}, Spec{QStringLiteral("n"), ColumnType::Numeric}, Spec{QStringLiteral("s"), ColumnType::Text}},
            {0, 1});
        RandomRows random(11);
        QList<Row> rows = random.rows(schema, 300);
        rows[7][2] = -0.0;   // PostgreSQL keeps it; its canonical encoding is that of 0.0
        auto store = db->open(false);
        if (kind == Backend::Sqlite) {
            // SQLite would keep it as 0: refused, naming the column, nothing written.
            QString refused;
            try {
                store->upsert(schema, rows);
            } catch (const FerryError &error) {
                refused = error.message();
            }
            QVERIFY2(refused.contains(QLatin1String("column \"r\"")) && refused.contains(QLatin1String("-0")), qPrintable(refused));
            QCOMPARE(readAll(*store, schema).size(), 0);
            rows[7][2] = 0.0;
        }
        store->upsert(schema, rows);

        for (int round = 0; round < 30; ++round) {
            const QList<KeyRange> ranges = round == 0 ? QList<KeyRange>{KeyRange{}} : randomRangeList(random, schema, rows);
            const EncodedScan expected = expectedEncoded(*store, schema, ranges);
            const EncodedScan actual = scanEncodedAll(*store, schema, ranges);
            QCOMPARE(actual.rangeIndexes, expected.rangeIndexes);
            QCOMPARE(actual.bytes, expected.bytes);
            QCOMPARE(actual.keys, expected.keys);
            // The values scan() reads, from row() and decoded from the bytes.
            QCOMPARE(valuesDifference(actual.rows, expected.rows), QString());
            QCOMPARE(valuesDifference(actual.decoded, expected.rows), QString());
            QCOMPARE(actual.decodedKeys, expected.keys);
        }

        // The sink stops the scan.
        int seen = 0;
        const qint64 delivered = store->scanEncoded(schema, {KeyRange{}}, [&](qsizetype, const EncodedRow &) { return ++seen < 5; });
        QCOMPARE(delivered, qint64(5));
    }
    FERRY_CATCH_ERRORS
}

// Values SQLite keeps in a storage class other than the column's usual one (integers in a
// REAL column, blobs and invalid UTF-8 in TEXT, text in BLOB, timestamps in every accepted
// form, numerics as integer, real and text) encode the same through the fast path as
// through scan(); so do digests of them.
void TestStorage::sqliteDeferredCheckpoints()
{
    // A node's connections leave checkpoints to the WalCheckpointer: their commits do not
    // copy the log into the database file (up to 64 MB of it), the checkpointer's thread
    // does, as the writes come and once more when it stops.
    try {
        ScratchDatabase db(Backend::Sqlite);
        const QString table = db.name(QStringLiteral("wal"));
        db.exec(QStringLiteral("PRAGMA journal_mode = WAL"));
        const TableSchema schema = db.createTable(table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("pad"), ColumnType::Text}}, {0});
        db.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));   // the empty table is in the file
        const DataSource source = db.dataSource();
        const QString wal = source.path + QStringLiteral("-wal");
        const QString pad(2000, QLatin1Char('x'));
        qlonglong next = 0;
        auto write = [&](auto &store, int rows) {
            for (int i = 0; i < rows; i += 10) {
                QList<Row> batch;
                for (int j = 0; j < 10; ++j)
                    batch.append(Row{++next, pad});
                store.upsert(schema, batch);   // a transaction each
            }
        };
        auto rowsInDatabaseFile = [&] {
            // A copy of the database file alone: what has been checkpointed into it.
            QTemporaryDir copy;
            const QString path = copy.filePath(QStringLiteral("copy.db"));
            if (!QFile::copy(source.path, path))
                throw FerryError(QStringLiteral("cannot copy %1").arg(source.path));
            DataSource copied = source;
            copied.path = path;
            return readAll(*Store::open(copied, Store::Options{true, 2000}), schema).size();
        };

        auto store = Store::open(source, Store::Options{false, 5000, true});
        write(*store, 3000);   // ~1,500 pages: twice what makes a commit checkpoint
        QVERIFY2(QFileInfo(wal).size() > 5 << 20, qPrintable(QString::number(QFileInfo(wal).size())));
        QCOMPARE(rowsInDatabaseFile(), 0);
        QCOMPARE(readAll(*store, schema).size(), 3000);

        {
            WalCheckpointer checkpointer(source.path, 20);
            QTRY_VERIFY_WITH_TIMEOUT(checkpointer.checkpoints() > 0, 10000);
            QCOMPARE(rowsInDatabaseFile(), 3000);
            // More in a change feed's rhythm, batches with pauses between them: copied
            // into the file as they come, not at the end.
            for (int i = 0; i < 20; ++i) {
                write(*store, 100);
                QThread::msleep(2);
            }
            // Two checkpoints later everything is in the file (and the file is read only
            // when no checkpoint has anything left to write into it).
            const int done = checkpointer.checkpoints();
            QTRY_VERIFY_WITH_TIMEOUT(checkpointer.checkpoints() >= done + 2, 10000);
            QCOMPARE(rowsInDatabaseFile(), 5000);
            write(*store, 1000);
        }
        // The last checkpoint when the checkpointer stops: the file holds everything.
        QCOMPARE(rowsInDatabaseFile(), 6000);
        QCOMPARE(readAll(*store, schema).size(), 6000);
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::scanEncodedLetsWritersInRollbackJournal()
{
    // In rollback-journal mode a reader's shared lock keeps every writer out: a scan whose
    // caller takes its time (a verification waiting on the network) must not hold it.
    try {
        ScratchDatabase db(Backend::Sqlite);
        db.query(QStringLiteral("PRAGMA journal_mode=delete"));
        const QString table = db.name(QStringLiteral("journaled"));
        const TableSchema schema = db.createTable(
            table, {Spec{QStringLiteral("k1"), ColumnType::Text, true}, Spec{QStringLiteral("k2"), ColumnType::Integer, true}, Spec{QStringLiteral("r"), ColumnType::Real},
                    Spec{QStringLiteral("t"), ColumnType::Timestamp}, Spec{QStringLiteral("n"), ColumnType::Numeric}},
            {0, 1});
        db.exec(QStringLiteral("CREATE TABLE other (id INTEGER PRIMARY KEY)"));
        RandomRows random(5);
        const QList<Row> rows = random.rows(schema, 7000);
        auto store = db.open(false);
        store->upsert(schema, rows);
        QCOMPARE(db.query(QStringLiteral("PRAGMA journal_mode")).at(0).at(0).toString().toLower(), QStringLiteral("delete"));

        // The same rows, keys and bytes as scan() gives, over pieces of the table.
        for (int round = 0; round < 5; ++round) {
            const QList<KeyRange> ranges = round == 0 ? QList<KeyRange>{KeyRange{}} : randomRangeList(random, schema, rows);
            const EncodedScan expected = expectedEncoded(*store, schema, ranges);
            const EncodedScan actual = scanEncodedAll(*store, schema, ranges);
            QCOMPARE(actual.rangeIndexes, expected.rangeIndexes);
            QCOMPARE(actual.bytes, expected.bytes);
            QCOMPARE(actual.keys, expected.keys);
            QCOMPARE(valuesDifference(actual.rows, expected.rows), QString());
        }

        // An application commits, without waiting, while the caller works on the rows.
        auto writer = Store::open(db.dataSource(), Store::Options{false, 0});
        const TableSchema other = writer->describe(QStringLiteral("other"));
        int seen = 0;
        int written = 0;
        QString refused;
        store->scanEncoded(schema, {KeyRange{}}, [&](qsizetype, const EncodedRow &) {
            if (++seen % 1000 == 0) {
                try {
                    writer->upsert(other, {Row{qlonglong(seen)}});
                    ++written;
                } catch (const FerryError &error) {
                    refused = error.message();
                }
            }
            return true;
        });
        QCOMPARE(seen, 7000);
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
        QCOMPARE(written, 7);
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::sqliteFastPathOddStorage()
{
    try {
        ScratchDatabase db(Backend::Sqlite);
        const QString table = db.name(QStringLiteral("odd"));
        const TableSchema schema = db.createTable(
            table,
            {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("r"), ColumnType::Real}, Spec{QStringLiteral("s"), ColumnType::Text},
             Spec{QStringLiteral("b"), ColumnType::Blob}, Spec{QStringLiteral("f"), ColumnType::Boolean}, Spec{QStringLiteral("t"), ColumnType::Timestamp},
             Spec{QStringLiteral("n"), ColumnType::Numeric}},
            {0});
        const QStringList values = {
            QStringLiteral("1, 5, 'plain', X'00ff', 1, '2024-01-02 03:04:05', 12"),
            QStringLiteral("2, -0.0, X'C328', 'text in a blob', 'true', '2024-01-02T03:04:05Z', 12.5"),
            QStringLiteral("3, 1e308, CAST(X'C328FF' AS TEXT), X'', 'f', '2024-01-02', '0012.50'"),
            QStringLiteral("4, NULL, '', NULL, 0, 1700000000.5, -0.0"),
            QStringLiteral("5, 0.1, 'üñíçødé 文字 🚢', CAST('x' AS BLOB), NULL, '2024-02-29 23:59:60.1234567', '-7'"),
            QStringLiteral("6, 3, CAST(42 AS TEXT), 'ünicode text', 'FALSE', '2024-06-30 12:00:00+02:00', 1e-5"),
            QStringLiteral("7, 2.5, 'a' || char(0) || 'b', X'0000', 't', ' 2024-06-30 12:00 ', 99999999999"),
            QStringLiteral("8, 7, 'x', X'01', 1, '1970-01-01 00:00:00.000001', NULL"),
        };
        for (const QString &row : values)
            db.exec(QStringLiteral("INSERT INTO %1 VALUES (%2)").arg(table, row));
        auto store = db.open(true);
        const QList<Row> rows = readAll(*store, schema);
        QCOMPARE(rows.size(), values.size());
        for (const QList<KeyRange> &ranges : {QList<KeyRange>{KeyRange{}},
                                              QList<KeyRange>{KeyRange{{}, {qlonglong(3)}}, KeyRange{{qlonglong(3)}, {qlonglong(6)}}, KeyRange{{qlonglong(7)}, {}}}}) {
            const EncodedScan expected = expectedEncoded(*store, schema, ranges);
            const EncodedScan actual = scanEncodedAll(*store, schema, ranges);
            QCOMPARE(actual.rangeIndexes, expected.rangeIndexes);
            for (qsizetype i = 0; i < expected.bytes.size(); ++i)
                QVERIFY2(actual.bytes.at(i) == expected.bytes.at(i), qPrintable(QStringLiteral("row %1: %2 != %3").arg(i).arg(
                                                                          QString::fromLatin1(actual.bytes.at(i).toHex()), QString::fromLatin1(expected.bytes.at(i).toHex()))));
            QCOMPARE(actual.keys, expected.keys);
            QCOMPARE(valuesDifference(actual.rows, expected.rows), QString());
            QCOMPARE(valuesDifference(actual.decoded, expected.rows), QString());
            QCOMPARE(actual.decodedKeys, expected.keys);
        }

        // A value that does not fit its column is reported, naming the column, on both paths.
        db.exec(QStringLiteral("INSERT INTO %1 (id, t) VALUES (9, 'not a time')").arg(table));
        QString error;
        try {
            scanEncodedAll(*store, schema, {KeyRange{}});
        } catch (const FerryError &e) {
            error = e.message();
        }
        QVERIFY2(error.contains(QLatin1String("\"t\"")) && error.contains(QLatin1String("not a time")), qPrintable(error));
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::crossBackendEncoding()
{
    FERRY_REQUIRE_POSTGRES();
    try {
        ScratchDatabase lite(Backend::Sqlite);
        ScratchDatabase pg(Backend::Postgres);
        const QList<CrossRow> data = crossRows();
        QList<Row> expected;
        for (const CrossRow &row : data)
            expected.append(row.expected);

        // 1. Rows stored natively by each database.
        const QString liteTable = lite.name(QStringLiteral("cross"));
        const QString pgTable = pg.name(QStringLiteral("cross"));
        const TableSchema liteSchema = lite.createTable(liteTable, crossColumns(), {0});
        const TableSchema pgSchema = pg.createTable(pgTable, crossColumns(), {0});
        QCOMPARE(schemaDifference(liteSchema, pgSchema), QString());   // replicable into each other
        for (const CrossRow &row : data) {
            lite.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(liteTable, row.sqlite));
            pg.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(pgTable, row.postgres));
        }
        auto liteStore = lite.open(false);
        auto pgStore = pg.open(false);
        const QList<Row> fromLite = readAll(*liteStore, liteSchema);
        const QList<Row> fromPg = readAll(*pgStore, pgSchema);
        QVERIFY2(rowsDifference(liteSchema, expected, fromLite).isEmpty(), qPrintable(QLatin1String("sqlite: ") + rowsDifference(liteSchema, expected, fromLite)));
        QVERIFY2(rowsDifference(pgSchema, expected, fromPg).isEmpty(), qPrintable(QLatin1String("postgres: ") + rowsDifference(pgSchema, expected, fromPg)));
        QCOMPARE(encodeAll(liteSchema, fromLite), encodeAll(pgSchema, fromPg));

        // 2. Equal digests, over the whole table and over split ranges, for both algorithms.
        const QList<KeyRange> whole = {KeyRange{}};
        const QList<KeyRange> split = {KeyRange{{}, {qlonglong(3)}}, KeyRange{{qlonglong(3)}, {qlonglong(6)}}, KeyRange{{qlonglong(6)}, {qlonglong(7)}},
                                       KeyRange{{qlonglong(100)}, {}}};
        for (DigestAlgorithm algorithm : {DigestAlgorithm::Md5, DigestAlgorithm::Sha256}) {
            const QList<RangeDigest> liteWhole = digestRanges(*liteStore, liteSchema, whole, algorithm);
            const QList<RangeDigest> pgWhole = digestRanges(*pgStore, pgSchema, whole, algorithm);
            QCOMPARE(liteWhole.size(), 1);
            QCOMPARE(liteWhole.first().rows, qint64(data.size()));
            QCOMPARE(liteWhole.first().digest, digestOfRows(algorithm, liteSchema, expected));
            QVERIFY(liteWhole == pgWhole);
            const QList<RangeDigest> liteSplit = digestRanges(*liteStore, liteSchema, split, algorithm);
            const QList<RangeDigest> pgSplit = digestRanges(*pgStore, pgSchema, split, algorithm);
            QVERIFY(liteSplit == pgSplit);
            QCOMPARE(liteSplit.at(0).rows, qint64(2));
            QCOMPARE(liteSplit.at(1).rows, qint64(3));
            QCOMPARE(liteSplit.at(2).rows, qint64(1));
            QCOMPARE(liteSplit.at(3).rows, qint64(0));
            QCOMPARE(liteSplit.at(1).digest, digestOfRows(algorithm, liteSchema, expected.mid(2, 3)));
            QCOMPARE(liteSplit.at(3).digest, Digest::of(algorithm, QByteArray()));
        }

        // 3. Rows written by Ferry (as a repair would) read back identically on both.
        const QString liteWritten = lite.name(QStringLiteral("cross_written"));
        const QString pgWritten = pg.name(QStringLiteral("cross_written"));
        const TableSchema liteWrittenSchema = lite.createTable(liteWritten, crossColumns(), {0});
        const TableSchema pgWrittenSchema = pg.createTable(pgWritten, crossColumns(), {0});
        // PostgreSQL's -0 cannot be kept by SQLite (it would read back as 0): refused,
        // naming table, key and column, nothing written; the rows without it go in.
        QString refused;
        try {
            liteStore->replaceRanges(liteWrittenSchema, {RangeRows{KeyRange{}, fromPg}});
        } catch (const FerryError &error) {
            refused = error.message();
        }
        QVERIFY2(refused.contains(liteWritten) && refused.contains(QLatin1String("id = 3")) && refused.contains(QLatin1String("SQLite stores -0 as 0")),
                 qPrintable(refused));
        QCOMPARE(readAll(*liteStore, liteWrittenSchema).size(), 0);
        QList<Row> storable = fromPg;
        for (Row &row : storable) {
            for (int i = 0; i < row.size(); ++i) {
                if (liteWrittenSchema.columns.at(i).type == ColumnType::Real && !row.at(i).isNull() && row.at(i).toDouble() == 0)
                    row[i] = 0.0;
            }
        }
        liteStore->replaceRanges(liteWrittenSchema, {RangeRows{KeyRange{}, storable}});
        pgStore->replaceRanges(pgWrittenSchema, {RangeRows{KeyRange{}, fromLite}});
        const QList<Row> liteBack = readAll(*liteStore, liteWrittenSchema);
        const QList<Row> pgBack = readAll(*pgStore, pgWrittenSchema);
        QVERIFY2(rowsDifference(liteWrittenSchema, expected, liteBack).isEmpty(), qPrintable(rowsDifference(liteWrittenSchema, expected, liteBack)));
        QVERIFY2(rowsDifference(pgWrittenSchema, expected, pgBack).isEmpty(), qPrintable(rowsDifference(pgWrittenSchema, expected, pgBack)));

        // 4. Random rows of every type through both backends.
        RandomRows random(2024);
        const QList<Row> randomRows = random.rows(liteWrittenSchema, 300);
        liteStore->replaceRanges(liteWrittenSchema, {RangeRows{KeyRange{}, randomRows}});
        pgStore->replaceRanges(pgWrittenSchema, {RangeRows{KeyRange{}, randomRows}});
        const QList<Row> liteRandom = readAll(*liteStore, liteWrittenSchema);
        const QList<Row> pgRandom = readAll(*pgStore, pgWrittenSchema);
        QVERIFY2(rowsDifference(liteWrittenSchema, randomRows, liteRandom).isEmpty(), qPrintable(QLatin1String("sqlite: ") + rowsDifference(liteWrittenSchema, randomRows, liteRandom)));
        QVERIFY2(rowsDifference(pgWrittenSchema, randomRows, pgRandom).isEmpty(), qPrintable(QLatin1String("postgres: ") + rowsDifference(pgWrittenSchema, randomRows, pgRandom)));
        QVERIFY(digestRanges(*liteStore, liteWrittenSchema, whole, DigestAlgorithm::Md5) == digestRanges(*pgStore, pgWrittenSchema, whole, DigestAlgorithm::Md5));
    }
    FERRY_CATCH_ERRORS
}

void TestStorage::crossBackendEmptyAndOneRow()
{
    FERRY_REQUIRE_POSTGRES();
    try {
        ScratchDatabase lite(Backend::Sqlite);
        ScratchDatabase pg(Backend::Postgres);
        const QString liteTable = lite.name(QStringLiteral("small"));
        const QString pgTable = pg.name(QStringLiteral("small"));
        const TableSchema liteSchema = lite.createTable(liteTable, crossColumns(), {0});
        const TableSchema pgSchema = pg.createTable(pgTable, crossColumns(), {0});
        auto liteStore = lite.open(false);
        auto pgStore = pg.open(false);

        for (DigestAlgorithm algorithm : {DigestAlgorithm::Md5, DigestAlgorithm::Sha256}) {
            const QList<RangeDigest> liteEmpty = digestRanges(*liteStore, liteSchema, {KeyRange{}}, algorithm);
            const QList<RangeDigest> pgEmpty = digestRanges(*pgStore, pgSchema, {KeyRange{}}, algorithm);
            QCOMPARE(liteEmpty.size(), 1);
            QCOMPARE(liteEmpty.first().rows, qint64(0));
            QCOMPARE(liteEmpty.first().digest, Digest::of(algorithm, QByteArray()));
            QVERIFY(liteEmpty == pgEmpty);
        }

        const Row row = crossRows().at(3).expected;
        lite.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(liteTable, crossRows().at(3).sqlite));
        pg.exec(QStringLiteral("INSERT INTO %1 VALUES %2").arg(pgTable, crossRows().at(3).postgres));
        for (DigestAlgorithm algorithm : {DigestAlgorithm::Md5, DigestAlgorithm::Sha256}) {
            const QList<RangeDigest> liteOne = digestRanges(*liteStore, liteSchema, {KeyRange{}}, algorithm);
            const QList<RangeDigest> pgOne = digestRanges(*pgStore, pgSchema, {KeyRange{}}, algorithm);
            QCOMPARE(liteOne.first().rows, qint64(1));
            QCOMPARE(liteOne.first().digest, Digest::of(algorithm, CanonicalEncoder::encodeRow(liteSchema, row)));
            QVERIFY(liteOne == pgOne);
        }
    }
    FERRY_CATCH_ERRORS
}

// PostgreSQL's scanEncoded() reads through COPY (SELECT ...) TO STDOUT (FORMAT binary)
// and decodes COPY's binary fields itself (storage/pgcopy.h). For every declared type
// Ferry maps, odd values included (NULL, NaN, -0, infinite timestamps and dates, numeric
// NaN and infinities, quotes and backslashes in keys, bytea with NUL bytes), its bytes
// and digests are those of scan()'s values (QPSQL's text results through the SELECT
// expressions the earlier implementation read): the digests do not change. Ranges are
// bounded by composite keys of date, varchar and bytea, which COPY gets as literals.
void TestStorage::postgresCopyScanEveryType()
{
    FERRY_REQUIRE_POSTGRES();
    try {
        ScratchDatabase db(Backend::Postgres);
        const QString table = db.name(QStringLiteral("copy_types"));
        db.exec(QStringLiteral("CREATE TABLE %1 (kd date, ks varchar(20), kb bytea, i2 int2, i4 int4, i8 int8, r4 real, r8 float8, "
                               "t text, c char(5), v varchar(30), b boolean, ts timestamp(3), ts6 timestamp, tz timestamptz, d date, "
                               "n numeric(12,3), nn numeric, bl bytea, PRIMARY KEY (kd, ks, kb))").arg(table));
        // 400 generated rows, every 7th value NULL where the column allows it.
        db.exec(QStringLiteral(
                    "INSERT INTO %1 SELECT date '2000-01-01' + (x % 50) * 97 - 40000, 'k''\\' || (x % 7) || chr(228), "
                    "decode(lpad(to_hex(x), 8, '0') || '00', 'hex'), "
                    "CASE WHEN x % 7 = 1 THEN NULL ELSE (x * 37 % 65535 - 32767)::int2 END, (x * 7919 - 1500000)::int4, "
                    "CASE WHEN x % 7 = 2 THEN NULL ELSE x * 2654435761 * (x % 3 - 1) END, (x / 3.0)::real, "
                    "CASE WHEN x % 7 = 3 THEN NULL ELSE x * 1.1e300 / 7 * (x % 2 * 2 - 1) END, "
                    "CASE WHEN x % 7 = 4 THEN NULL WHEN x % 5 = 0 THEN '' ELSE 'text ' || x || E' \\u00e9\\u4e2d\\U0001F600\\t\\n\\\\\"''' END, "
                    "lpad((x % 99)::text, 3), 'v' || x, x % 2 = 0, "
                    "timestamp '1970-01-01' + make_interval(secs => x * 12345.678) * (x % 3 - 1), "
                    "timestamp '0100-01-01 00:00:00.000001' + make_interval(days => x * 1000, secs => x / 7.0), "
                    "timestamptz '2024-03-01 12:00:00.123456+05' + make_interval(hours => x * 100) * (x % 2 * 2 - 1), "
                    "date '1000-01-01' + x * 3000, "
                    "CASE WHEN x % 7 = 5 THEN NULL ELSE (x * 12.345 - 2000)::numeric(12,3) END, "
                    "CASE WHEN x % 7 = 6 THEN NULL ELSE (x::numeric / 7) ^ (x % 5) END, "
                    "CASE WHEN x % 7 = 0 THEN NULL WHEN x % 11 = 0 THEN ''::bytea ELSE decode(repeat(lpad(to_hex(x % 256), 2, '0') || '00', x % 9), 'hex') END "
                    "FROM generate_series(1, 400) x").arg(table));
        // The odd values, on rows of their own.
        db.exec(QStringLiteral(
                    "INSERT INTO %1 VALUES "
                    "('infinity', 'inf', '\\x', 0, 0, 9223372036854775807, 'NaN', '-0', '', '', '', false, 'infinity', '-infinity', "
                    "'infinity', 'infinity', 'NaN', 'Infinity', '\\x00'), "
                    "('-infinity', '', '\\x00ff27', -32768, -2147483648, -9223372036854775808, '-Infinity', 'NaN', 'x', 'ab', 'z', true, "
                    "'-infinity', 'infinity', '-infinity', '-infinity', '-0.000', '-Infinity', '\\x'), "
                    "('4713-01-01 BC', 'bc', '\\x27', 32767, 2147483647, 0, 'Infinity', '-Infinity', NULL, NULL, NULL, NULL, "
                    "'4713-01-01 00:00:00 BC', '294276-12-31 00:00:00', '4713-01-01 00:00:00+00 BC', '5874897-12-31', "
                    "'0.001', '-0.0000000000000000000000000000001', NULL), "
                    "('2024-02-29', 'x''y', '\\x5c', NULL, NULL, NULL, '-0', '5e-324', 'a\\b', 'c', 'd', false, "
                    "'2024-02-29 23:59:59.999', '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00+00', '2000-01-01', "
                    "'123456789.123', '100000000000000000000000000000000000000000.5', '\\x00')").arg(table));
        auto store = db.open(false);
        const TableSchema schema = store->describe(table);
        QCOMPARE(schema.columns.size(), 19);

        // 294276-12-31 and 5874897-12-31 have no microseconds since 1970 in an i64: the
        // earlier SELECT failed on them ("bigint out of range"), and so does COPY's path.
        for (const QString &column : {QStringLiteral("ts6"), QStringLiteral("d")}) {
            QString scanError, copyError;
            try {
                readAll(*store, schema);
            } catch (const FerryError &error) {
                scanError = error.message();
            }
            try {
                digestRanges(*store, schema, {KeyRange{}}, DigestAlgorithm::Md5);
            } catch (const FerryError &error) {
                copyError = error.message();
            }
            QVERIFY2(scanError.contains(QLatin1String("out of range")), qPrintable(scanError));
            QVERIFY2(copyError.contains(QLatin1String("out of range")) && copyError.contains(table), qPrintable(copyError));
            db.exec(QStringLiteral("UPDATE %1 SET %2 = NULL WHERE ks = 'bc'").arg(table, column));
        }

        const QList<Row> rows = readAll(*store, schema);
        QCOMPARE(rows.size(), 404);
        RandomRows random(29);
        for (int round = 0; round < 25; ++round) {
            const QList<KeyRange> ranges = round == 0 ? QList<KeyRange>{KeyRange{}} : randomRangeList(random, schema, rows);
            const EncodedScan expected = expectedEncoded(*store, schema, ranges);
            const EncodedScan actual = scanEncodedAll(*store, schema, ranges);
            QCOMPARE(actual.rangeIndexes, expected.rangeIndexes);
            QCOMPARE(actual.bytes, expected.bytes);
            QCOMPARE(actual.keys, expected.keys);
            QCOMPARE(valuesDifference(actual.rows, expected.rows), QString());
            QCOMPARE(valuesDifference(actual.decoded, expected.rows), QString());
            const QList<RangeDigest> digests = digestRanges(*store, schema, ranges, DigestAlgorithm::Md5);
            for (qsizetype i = 0; i < ranges.size(); ++i) {
                const QList<Row> inRange = readAll(*store, schema, ranges.at(i));
                QCOMPARE(digests.at(i).rows, qint64(inRange.size()));
                QCOMPARE(digests.at(i).digest, digestOfRows(DigestAlgorithm::Md5, schema, inRange));
            }
        }

        // Stopped by the sink: the statement is cancelled and the connection serves the
        // next one (a whole scan, still identical).
        int seen = 0;
        QCOMPARE(store->scanEncoded(schema, {KeyRange{}}, [&](qsizetype, const EncodedRow &) { return ++seen < 3; }), qint64(3));
        try {
            store->scanEncoded(schema, {KeyRange{}}, [&](qsizetype, const EncodedRow &) -> bool { throw FerryError(QStringLiteral("sink failed")); });
            QFAIL("the sink's error was not passed on");
        } catch (const FerryError &error) {
            QCOMPARE(error.message(), QStringLiteral("sink failed"));
        }
        QCOMPARE(scanEncodedAll(*store, schema, {KeyRange{}}).bytes, expectedEncoded(*store, schema, {KeyRange{}}).bytes);
        // A row filter applies to COPY's statement as it did to the SELECT.
        store->setRowFilter(table, QStringLiteral("b"));
        const EncodedScan filtered = scanEncodedAll(*store, schema, {KeyRange{}});
        QCOMPARE(filtered.bytes, expectedEncoded(*store, schema, {KeyRange{}}).bytes);
        QVERIFY2(filtered.bytes.size() > 100 && filtered.bytes.size() < 300, qPrintable(QString::number(filtered.bytes.size())));
    }
    FERRY_CATCH_ERRORS
}

// PostgreSQL's insertNew() writes with binary COPY when every column's type has a binary
// form (storage/pgcopywriter.h), with COPY's text form otherwise. The same rows, odd
// values included, written through both into tables of the same columns (the second has
// a numeric column more, which keeps it on the text form), are the same rows when read
// back by PostgreSQL itself; a value out of its column's range is refused and nothing of
// the repair stays.
void TestStorage::postgresCopyWriteEveryType()
{
    FERRY_REQUIRE_POSTGRES();
    try {
        ScratchDatabase db(Backend::Postgres);
        const QString binary = db.name(QStringLiteral("copy_bin"));
        const QString text = db.name(QStringLiteral("copy_text"));
        const QString columns = QStringLiteral("k bigint PRIMARY KEY, i2 int2, i4 int4, r8 float8, t text, c char(5), v varchar(12), bl bytea, "
                                               "b boolean, ts timestamp(3), ts6 timestamp, tz timestamptz");
        db.exec(QStringLiteral("CREATE TABLE %1 (%2)").arg(binary, columns));
        db.exec(QStringLiteral("CREATE TABLE %1 (%2, extra numeric)").arg(text, columns));
        auto store = db.open(false);
        const TableSchema binarySchema = store->describe(binary);
        const TableSchema textSchema = store->describe(text);

        const qlonglong inf = std::numeric_limits<qlonglong>::max();
        const qlonglong minusInf = std::numeric_limits<qlonglong>::min();
        QList<Row> rows;
        rows.append(Row{qlonglong(1), qlonglong(-32768), qlonglong(2147483647), std::nan(""), QString(), QStringLiteral("ab"),
                        QStringLiteral("x"), QByteArray(), true, inf, minusInf, qlonglong(0)});
        rows.append(Row{qlonglong(2), qlonglong(32767), qlonglong(-2147483648LL), -0.0, QStringLiteral("a\tb\\c\nd\"e'f"), QStringLiteral("abcde"),
                        QStringLiteral("\u00e9\u4e2d\U0001F600"), QByteArray("\0\x01\\'\xff", 5), false, qlonglong(-62135596800000000LL) - 1,
                        qlonglong(1700000000123456LL), qlonglong(-1)});
        rows.append(Row{qlonglong(3), QVariant(), QVariant(), std::numeric_limits<double>::infinity(), QVariant(), QVariant(), QVariant(),
                        QVariant(), QVariant(), qlonglong(1700000000123456LL), qlonglong(946684800000000LL), minusInf});
        rows.append(Row{qlonglong(4), qlonglong(0), qlonglong(0), 5e-324, QStringLiteral(" "), QStringLiteral(""), QStringLiteral("123456789012"),
                        QByteArray(1000, '\0'), true, qlonglong(1700000000999999LL), qlonglong(-210866803200000000LL), inf});
        for (int i = 5; i < 300; ++i)
            rows.append(Row{qlonglong(i), qlonglong(i * 101 % 65536 - 32768), qlonglong(i) * 7777777 % 2147483647, i / 7.0 * (i % 2 ? 1e300 : -1e-300),
                            QStringLiteral("row %1 \u00fc").arg(i), QString::number(i % 1000), QStringLiteral("v%1").arg(i), QByteArray::number(i * 31, 16),
                            i % 3 == 0, qlonglong(i) * 123456789012LL - 5000000000000000LL, qlonglong(i) * -987654321987LL, qlonglong(i) * 1000001})
                ;
        QList<Row> textRows = rows;
        for (Row &row : textRows)
            row.append(QVariant());

        store->replaceRanges(binarySchema, {RangeRows{KeyRange{}, rows}});
        store->replaceRanges(textSchema, {RangeRows{KeyRange{}, textRows}});
        // Read by PostgreSQL: every value's text, floats exact.
        db.exec(QStringLiteral("SET extra_float_digits = 3"));
        const QString select = QStringLiteral("SELECT k, i2, i4, r8::text, t, c, v, encode(bl, 'hex'), b, ts::text, ts6::text, tz::text, "
                                              "float8send(r8)::text FROM %1 ORDER BY k");
        const QList<QVariantList> fromBinary = db.query(select.arg(binary));
        const QList<QVariantList> fromText = db.query(select.arg(text));
        QCOMPARE(fromBinary.size(), rows.size());
        QCOMPARE(fromBinary, fromText);
        // And through Ferry: the same digests as the rows written.
        QCOMPARE(digestRanges(*store, binarySchema, {KeyRange{}}, DigestAlgorithm::Md5).first().digest,
                 digestOfRows(DigestAlgorithm::Md5, binarySchema, readAll(*store, binarySchema)));
        QCOMPARE(readAll(*store, binarySchema).size(), rows.size());

        // Out of range for int2: refused, naming the column; the repair changes nothing.
        QList<Row> bad = rows.mid(0, 3);
        bad[2][1] = qlonglong(40000);
        QString refused;
        try {
            store->replaceRanges(binarySchema, {RangeRows{KeyRange{}, bad}});
        } catch (const FerryError &error) {
            refused = error.message();
        }
        QVERIFY2(refused.contains(binary) && refused.contains(QLatin1String("40000")) && refused.contains(QLatin1String("\"i2\"")), qPrintable(refused));
        QCOMPARE(db.query(select.arg(binary)), fromText);
        // The connection is usable after the refusal.
        store->replaceRanges(binarySchema, {RangeRows{KeyRange{{qlonglong(1)}, {qlonglong(2)}}, {rows.at(0)}}});
        QCOMPARE(db.query(select.arg(binary)), fromText);
    }
    FERRY_CATCH_ERRORS
}

} // namespace ferry

QTEST_GUILESS_MAIN(ferry::TestStorage)
#include "tst_storage.moc"
