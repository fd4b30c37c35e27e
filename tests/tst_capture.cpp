// The change feed's storage on SQLite and on a real PostgreSQL server (FERRY_TEST_PG_URL):
// capture triggers that see every write an application makes through its own connection,
// the change log read in order and pruned, tables created from a schema described on the
// other backend, exactly-once application of batches per link, write origins (so a reverse
// streamer can skip echoes), replica guards, and conflict resolution where no losing
// version is ever dropped without a record. A table's columns changed behind the feed are
// noticed (schemaStamp, schemaChange) and never read as values the source never had.
// PostgreSQL's awkward values (numeric NaN and 60 digits, infinite timestamps and dates, BC
// dates, double NaN, -0 and infinity) either arrive exactly, read back from the target
// database directly, or are refused naming table, key and column, with nothing written.

#include "rows/canonicalencoder.h"
#include "rows/keyrange.h"

#include "testsupport.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <cstring>

namespace ferry {

using namespace ferry::test;

namespace {

using Spec = ScratchDatabase::ColumnSpec;

void addBackends()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres") << QStringLiteral("postgres");
}

Backend backendOf(const QString &name)
{
    return name == QLatin1String("postgres") ? Backend::Postgres : Backend::Sqlite;
}

qint64 nowUs()
{
    return QDateTime::currentMSecsSinceEpoch() * 1000;
}

qint64 utcMicros(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int micros = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), QTimeZone::utc()).toMSecsSinceEpoch() * 1000 + micros;
}

QString sqlText(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

QString sqlBlob(Backend backend, const QByteArray &bytes)
{
    const QString hex = QString::fromLatin1(bytes.toHex());
    return backend == Backend::Postgres ? QStringLiteral("'\\x%1'::bytea").arg(hex) : QStringLiteral("X'%1'").arg(hex);
}

Change upsertChange(qint64 seq, const TableSchema &schema, const Row &row)
{
    Change change;
    change.seq = seq;
    change.key = schema.keyOf(row);
    change.row = row;
    return change;
}

Change deleteChange(qint64 seq, const Key &key)
{
    Change change;
    change.seq = seq;
    change.deleted = true;
    change.key = key;
    return change;
}

// "U(1)" / "D(1)": what a change says, for readable comparisons.
QString opText(const Change &change)
{
    return (change.deleted ? QStringLiteral("D") : QStringLiteral("U")) + rowText(change.key);
}

QStringList opTexts(const QList<Change> &changes)
{
    QStringList texts;
    for (const Change &change : changes)
        texts.append(opText(change));
    return texts;
}

QList<qint64> seqs(const QList<Change> &changes)
{
    QList<qint64> result;
    for (const Change &change : changes)
        result.append(change.seq);
    return result;
}

QByteArray keyBytes(const TableSchema &schema, const Key &key)
{
    QByteArray bytes;
    const QList<ColumnType> types = schema.keyTypes();
    for (int i = 0; i < types.size(); ++i)
        CanonicalEncoder::appendValue(bytes, types.at(i), key.at(i));
    return bytes;
}

bool sameKey(const TableSchema &schema, const Key &a, const Key &b)
{
    return a.size() == b.size() && keyBytes(schema, a) == keyBytes(schema, b);
}

// What applying changes in order makes of rows (both sorted by key).
QList<Row> applyInMemory(const TableSchema &schema, const QList<Row> &rows, const QList<Change> &changes)
{
    QHash<QByteArray, Row> byKey;
    for (const Row &row : rows)
        byKey.insert(keyBytes(schema, schema.keyOf(row)), row);
    for (const Change &change : changes) {
        if (change.deleted)
            byKey.remove(keyBytes(schema, change.key));
        else
            byKey.insert(keyBytes(schema, change.key), change.row);
    }
    QList<Row> result = byKey.values();
    sortByKey(schema, &result);
    return result;
}

// One row of _ferry_conflicts.
struct ConflictRow
{
    QString link;
    QString key;
    QString kept;
    QString lost;
    QString lostOrigin;
    QString reason;
};

QList<ConflictRow> conflictsOf(ScratchDatabase &db, const QString &table)
{
    QList<ConflictRow> records;
    const QList<QVariantList> rows = db.query(
        QStringLiteral("SELECT link, key, kept, lost, lost_origin, reason FROM _ferry_conflicts WHERE tbl = %1 ORDER BY id").arg(sqlText(table)));
    for (const QVariantList &row : rows)
        records.append({row.at(0).toString(), row.at(1).toString(), row.at(2).toString(), row.at(3).toString(), row.at(4).toString(), row.at(5).toString()});
    return records;
}

// Column column of a row recorded as JSON in _ferry_conflicts; a null QString for "no row".
QString jsonColumn(const QString &rowJson, int column)
{
    if (rowJson.isEmpty())
        return QString();
    const QJsonArray values = QJsonDocument::fromJson(rowJson.toUtf8()).array();
    return values.at(column).toVariant().toString();
}

// Removes what Ferry installed for the test's tables (triggers, functions, logs, rows of
// the shared bookkeeping tables): the PostgreSQL server is shared by parallel test programs.
class FerryObjects
{
public:
    explicit FerryObjects(ScratchDatabase &db) : m_db(db) {}
    FerryObjects(const FerryObjects &) = delete;
    FerryObjects &operator=(const FerryObjects &) = delete;
    ~FerryObjects()
    {
        for (const QString &table : std::as_const(m_tables)) {
            TableSchema schema;
            schema.table = table;
            try {
                m_db.store().setReplicaGuard(schema, false, QString());
                m_db.store().removeCapture(table);
                m_db.exec(QStringLiteral("DELETE FROM _ferry_conflicts WHERE tbl = %1").arg(sqlText(table)));
                m_db.exec(QStringLiteral("DELETE FROM _ferry_applied WHERE link LIKE %1").arg(sqlText(table + QLatin1Char('%'))));
            } catch (const FerryError &) {
            }
        }
    }
    // Returns table.
    QString add(const QString &table)
    {
        m_tables.append(table);
        return table;
    }

private:
    ScratchDatabase &m_db;
    QStringList m_tables;
};

// Data for captureKeyTypes: a table, and four keys a, b, c, d as SQL literals and as the
// canonical keys readChanges must report.
struct KeyCase
{
    QList<Spec> columns;
    QList<int> primaryKey;
    int payload = 0;              // index of the non-key text column
    QList<QStringList> sql;       // a, b, c, d: one literal per key column
    QList<Key> keys;
};

KeyCase keyCase(const QString &kind, Backend backend)
{
    KeyCase c;
    if (kind == QLatin1String("composite")) {
        c.columns = {Spec{QStringLiteral("k1"), ColumnType::Integer, true}, Spec{QStringLiteral("payload"), ColumnType::Text},
                     Spec{QStringLiteral("k2"), ColumnType::Text, true}};
        c.primaryKey = {0, 2};
        c.payload = 1;
        c.sql = {{QStringLiteral("1"), QStringLiteral("'a'")}, {QStringLiteral("1"), QStringLiteral("'b'")},
                 {QStringLiteral("2"), QStringLiteral("'a'")}, {QStringLiteral("-5"), sqlText(QStringLiteral("\u00fc'x"))}};
        c.keys = {{qlonglong(1), QStringLiteral("a")}, {qlonglong(1), QStringLiteral("b")}, {qlonglong(2), QStringLiteral("a")},
                  {qlonglong(-5), QStringLiteral("\u00fc'x")}};
    } else if (kind == QLatin1String("text")) {
        c.columns = {Spec{QStringLiteral("k"), ColumnType::Text, true}, Spec{QStringLiteral("payload"), ColumnType::Text}};
        c.primaryKey = {0};
        c.payload = 1;
        const QStringList texts = {QStringLiteral("O'Brien"), QStringLiteral("\u4e2d\u6587 \u2713"), QString::fromUtf8("\xF0\x9F\x98\x80"), QStringLiteral("")};
        for (const QString &text : texts) {
            c.sql.append({sqlText(text)});
            c.keys.append({text});
        }
    } else if (kind == QLatin1String("blob")) {
        c.columns = {Spec{QStringLiteral("k"), ColumnType::Blob, true}, Spec{QStringLiteral("payload"), ColumnType::Text}};
        c.primaryKey = {0};
        c.payload = 1;
        const QList<QByteArray> blobs = {QByteArray("\x00", 1), QByteArray("\x00\xff\x10", 3), QByteArray("\x7f\x00", 2), QByteArray("", 0)};
        for (const QByteArray &bytes : blobs) {
            c.sql.append({sqlBlob(backend, bytes)});
            c.keys.append({bytes});
        }
    } else {
        c.columns = {Spec{QStringLiteral("k"), ColumnType::Timestamp, true}, Spec{QStringLiteral("payload"), ColumnType::Text}};
        c.primaryKey = {0};
        c.payload = 1;
        // Applications write timestamps in more than one text form (a date alone, the
        // milliseconds strftime('%f') gives): the log must find their rows all the same.
        c.sql = {{QStringLiteral("'2024-02-29 12:34:56.789012'")}, {QStringLiteral("'2024-03-01'")},
                 {QStringLiteral("'2024-03-02 08:00:00'")}, {QStringLiteral("'2024-03-03 09:15:00.250'")}};
        c.keys = {{utcMicros(2024, 2, 29, 12, 34, 56, 789012)}, {utcMicros(2024, 3, 1)}, {utcMicros(2024, 3, 2, 8)},
                  {utcMicros(2024, 3, 3, 9, 15, 0, 250000)}};
    }
    return c;
}

} // namespace

// Opens the scratch database of the row's backend (QSKIP/QFAIL for PostgreSQL without a server).
#define SCRATCH(db)                                                                                          \
    QFETCH(QString, backend);                                                                                \
    const Backend kind = backendOf(backend);                                                                 \
    if (kind == Backend::Postgres)                                                                           \
        FERRY_REQUIRE_POSTGRES();                                                                            \
    std::unique_ptr<ScratchDatabase> db;                                                                     \
    FERRY_NO_THROW(db = std::make_unique<ScratchDatabase>(kind))

class TestCapture : public QObject
{
    Q_OBJECT

private slots:
    void captureApplicationWrites_data() { addBackends(); }
    void captureApplicationWrites();
    void captureKeyTypes_data();
    void captureKeyTypes();
    void createTableAcrossBackends_data();
    void createTableAcrossBackends();
    void applyChangesExactlyOnce_data() { addBackends(); }
    void applyChangesExactlyOnce();
    void applyLongBatchesOfEveryType_data() { addBackends(); }
    void applyLongBatchesOfEveryType();
    void writeOrigins_data() { addBackends(); }
    void writeOrigins();
    void replicaGuard_data() { addBackends(); }
    void replicaGuard();
    void logBacklogMarksAndRenumbering_data() { addBackends(); }
    void logBacklogMarksAndRenumbering();
    void conflictFixedWinner_data();
    void conflictFixedWinner();
    void conflictNewestWinsConverges_data();
    void conflictNewestWinsConverges();
    void schemaChangeIsNoticed_data() { addBackends(); }
    void schemaChangeIsNoticed();
    void awkwardValues_data();
    void awkwardValues();
};

void TestCapture::captureApplicationWrites()
{
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("cap")));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("name"), ColumnType::Text}, Spec{QStringLiteral("v"), ColumnType::Integer}},
            {0});
        auto store = db->open(false);
        QVERIFY(!store->hasCapture(table));
        store->installCapture(schema);
        store->installCapture(schema);   // idempotent
        QVERIFY(store->hasCapture(table));
        QCOMPARE(store->lastChangeSeq(schema), qint64(0));
        QVERIFY(store->readChanges(schema, 0, 100).isEmpty());

        // Ferry's own tables (log, bookkeeping) are not offered as tables to replicate.
        const QStringList tables = store->tables();
        QVERIFY2(tables.contains(table), qPrintable(tables.join(QLatin1Char(','))));
        for (const QString &name : tables)
            QVERIFY2(!name.startsWith(QLatin1String("_ferry_")) && !name.startsWith(QLatin1String("sqlite_")), qPrintable(name));

        // Plain SQL on another connection, as an application writes.
        const qint64 before = nowUs();
        db->exec(QStringLiteral("INSERT INTO %1 (id, name, v) VALUES (1, 'one', 10)").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = 11 WHERE id = 1").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET id = 2 WHERE id = 1").arg(table));   // key change: D(1), U(2)
        db->exec(QStringLiteral("INSERT INTO %1 (id, name, v) VALUES (3, 'three', 30), (4, 'four', 40), (5, 'five', 50)").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = v + 1 WHERE id IN (4, 5)").arg(table));
        db->exec(QStringLiteral("DELETE FROM %1 WHERE id = 3").arg(table));
        db->exec(QStringLiteral("BEGIN"));
        db->exec(QStringLiteral("INSERT INTO %1 (id, name, v) VALUES (6, 'six', 60)").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = 99 WHERE id = 2").arg(table));
        db->exec(QStringLiteral("DELETE FROM %1 WHERE id = 4").arg(table));
        db->exec(QStringLiteral("ROLLBACK"));
        store->installCapture(schema);   // again: keeps the log
        const qint64 after = nowUs();

        const QList<Change> changes = store->readChanges(schema, 0, 1000);
        QStringList ops = opTexts(changes);
        QCOMPARE(ops.size(), 10);
        // The two-row UPDATE logs both rows; their order within the statement is the database's.
        QCOMPARE(QSet<QString>(ops.begin() + 7, ops.begin() + 9), (QSet<QString>{QStringLiteral("U(4)"), QStringLiteral("U(5)")}));
        ops[7] = QStringLiteral("U(4)");
        ops[8] = QStringLiteral("U(5)");
        // Each change carries the row as it is now: key 1 and key 3 are gone, so their
        // upserts read as deletes (what the later changes make of them anyway).
        QCOMPARE(ops, (QStringList{QStringLiteral("D(1)"), QStringLiteral("D(1)"), QStringLiteral("D(1)"), QStringLiteral("U(2)"),
                                   QStringLiteral("D(3)"), QStringLiteral("U(4)"), QStringLiteral("U(5)"), QStringLiteral("U(4)"),
                                   QStringLiteral("U(5)"), QStringLiteral("D(3)")}));
        const QHash<qlonglong, Row> current = {{2, Row{qlonglong(2), QStringLiteral("one"), qlonglong(11)}},
                                               {4, Row{qlonglong(4), QStringLiteral("four"), qlonglong(41)}},
                                               {5, Row{qlonglong(5), QStringLiteral("five"), qlonglong(51)}}};
        qint64 previous = 0;
        for (const Change &change : changes) {
            QVERIFY2(change.seq > previous, qPrintable(QStringLiteral("seq %1 after %2").arg(change.seq).arg(previous)));
            previous = change.seq;
            QVERIFY2(change.origin.isEmpty(), qPrintable(change.origin));
            QVERIFY2(change.committedAtUs >= before - 5000000 && change.committedAtUs <= after + 5000000,
                     qPrintable(QStringLiteral("committedAtUs %1 not within [%2, %3]").arg(change.committedAtUs).arg(before).arg(after)));
            if (change.deleted) {
                QVERIFY(change.row.isEmpty());
            } else {
                const qlonglong id = change.key.at(0).toLongLong();
                QCOMPARE(rowsDifference(schema, {current.value(id)}, {change.row}), QString());
            }
        }
        QCOMPARE(store->lastChangeSeq(schema), changes.constLast().seq);

        // Paging: limit and afterSeq give the same changes, page by page.
        for (int limit : {1, 3, 4, 100}) {
            QList<Change> paged;
            qint64 afterSeq = 0;
            for (;;) {
                const QList<Change> page = store->readChanges(schema, afterSeq, limit);
                QVERIFY(page.size() <= limit);
                if (page.isEmpty())
                    break;
                paged += page;
                afterSeq = page.constLast().seq;
            }
            QCOMPARE(seqs(paged), seqs(changes));
            QCOMPARE(opTexts(paged), opTexts(changes));
        }
        QCOMPARE(seqs(store->readChanges(schema, changes.at(3).seq, 100)), seqs(changes.mid(4)));

        // A delete whose row has been inserted again since reads as that row: a change
        // always carries the row as it is now.
        db->exec(QStringLiteral("DELETE FROM %1 WHERE id = 5").arg(table));
        db->exec(QStringLiteral("INSERT INTO %1 (id, name, v) VALUES (5, 'five again', 55)").arg(table));
        const QList<Change> reinserted = store->readChanges(schema, changes.constLast().seq, 100);
        QCOMPARE(opTexts(reinserted), (QStringList{QStringLiteral("U(5)"), QStringLiteral("U(5)")}));
        for (const Change &change : reinserted)
            QCOMPARE(rowsDifference(schema, {Row{qlonglong(5), QStringLiteral("five again"), qlonglong(55)}}, {change.row}), QString());
        const qint64 last = reinserted.constLast().seq;

        // Pruning forgets exactly the changes up to the given seq.
        store->pruneChanges(schema, changes.at(4).seq);
        QCOMPARE(seqs(store->readChanges(schema, 0, 100)), seqs(changes.mid(5) + reinserted));
        QCOMPARE(store->lastChangeSeq(schema), last);
        store->pruneChanges(schema, last);
        QVERIFY(store->readChanges(schema, 0, 100).isEmpty());
        // After the log was emptied, new changes still get higher numbers than any before.
        db->exec(QStringLiteral("INSERT INTO %1 (id, name, v) VALUES (7, 'seven', 70)").arg(table));
        const QList<Change> afterPrune = store->readChanges(schema, 0, 100);
        QCOMPARE(opTexts(afterPrune), QStringList{QStringLiteral("U(7)")});
        QVERIFY(afterPrune.constFirst().seq > last);

        // removeCapture stops capturing; the application keeps writing.
        store->removeCapture(table);
        QVERIFY(!store->hasCapture(table));
        db->exec(QStringLiteral("INSERT INTO %1 (id, name, v) VALUES (8, 'eight', 80)").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = 81 WHERE id = 8").arg(table));
        db->exec(QStringLiteral("DELETE FROM %1 WHERE id = 7").arg(table));
        store->installCapture(schema);
        QVERIFY(store->readChanges(schema, 0, 100).isEmpty());
        QCOMPARE(store->lastChangeSeq(schema), qint64(0));
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::captureKeyTypes_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<QString>("keyKind");
    for (const QString &backend : {QStringLiteral("sqlite"), QStringLiteral("postgres")}) {
        for (const QString &keyKind : {QStringLiteral("composite"), QStringLiteral("text"), QStringLiteral("blob"), QStringLiteral("timestamp")})
            QTest::newRow(qPrintable(backend + QLatin1Char('/') + keyKind)) << backend << keyKind;
    }
}

void TestCapture::captureKeyTypes()
{
    SCRATCH(db);
    QFETCH(QString, keyKind);
    FerryObjects ferry(*db);
    try {
        const KeyCase c = keyCase(keyKind, kind);
        const QString table = ferry.add(db->name(QStringLiteral("keys_") + keyKind));
        const TableSchema schema = db->createTable(table, c.columns, c.primaryKey);
        auto store = db->open(false);
        store->installCapture(schema);

        QStringList columnNames;
        for (int index : c.primaryKey)
            columnNames.append(c.columns.at(index).name);
        const QString payload = c.columns.at(c.payload).name;
        auto values = [&](int key, const QString &text) { return QLatin1Char('(') + c.sql.at(key).join(QLatin1String(", ")) + QStringLiteral(", ") + sqlText(text) + QLatin1Char(')'); };
        auto where = [&](int key) {
            QStringList conditions;
            for (int i = 0; i < columnNames.size(); ++i)
                conditions.append(columnNames.at(i) + QStringLiteral(" = ") + c.sql.at(key).at(i));
            return conditions.join(QLatin1String(" AND "));
        };
        auto assignKey = [&](int key) {
            QStringList assignments;
            for (int i = 0; i < columnNames.size(); ++i)
                assignments.append(columnNames.at(i) + QStringLiteral(" = ") + c.sql.at(key).at(i));
            return assignments.join(QLatin1String(", "));
        };
        const QString insertColumns = columnNames.join(QLatin1String(", ")) + QStringLiteral(", ") + payload;
        enum { A, B, C, D };
        db->exec(QStringLiteral("INSERT INTO %1 (%2) VALUES %3, %4").arg(table, insertColumns, values(A, QStringLiteral("a")), values(B, QStringLiteral("b"))));
        db->exec(QStringLiteral("UPDATE %1 SET %2 = 'a2' WHERE %3").arg(table, payload, where(A)));
        db->exec(QStringLiteral("UPDATE %1 SET %2 WHERE %3").arg(table, assignKey(C), where(B)));   // b becomes c
        db->exec(QStringLiteral("DELETE FROM %1 WHERE %2").arg(table, where(A)));
        db->exec(QStringLiteral("INSERT INTO %1 (%2) VALUES %3").arg(table, insertColumns, values(D, QStringLiteral("d"))));

        auto rowOf = [&](int key, const QString &text) {
            Row row(c.columns.size());
            for (int i = 0; i < c.primaryKey.size(); ++i)
                row[c.primaryKey.at(i)] = c.keys.at(key).at(i);
            row[c.payload] = text;
            return row;
        };
        struct Expected
        {
            int key;
            bool deleted;
            Row row;
        };
        const QList<Expected> expected = {{A, true, {}}, {B, true, {}}, {A, true, {}}, {B, true, {}},
                                          {C, false, rowOf(C, QStringLiteral("b"))}, {A, true, {}}, {D, false, rowOf(D, QStringLiteral("d"))}};
        const QList<Change> changes = store->readChanges(schema, 0, 100);
        QCOMPARE(changes.size(), expected.size());
        for (int i = 0; i < changes.size(); ++i) {
            const Change &change = changes.at(i);
            const QString context = QStringLiteral("change %1 %2: ").arg(i).arg(opText(change));
            QVERIFY2(sameKey(schema, change.key, c.keys.at(expected.at(i).key)),
                     qPrintable(context + QStringLiteral("key %1, expected %2").arg(rowText(change.key), rowText(c.keys.at(expected.at(i).key)))));
            QVERIFY2(change.deleted == expected.at(i).deleted, qPrintable(context + QStringLiteral("deleted is %1").arg(change.deleted)));
            if (!change.deleted)
                QVERIFY2(rowsDifference(schema, {expected.at(i).row}, {change.row}).isEmpty(), qPrintable(context + rowsDifference(schema, {expected.at(i).row}, {change.row})));
        }

        // Conflict detection finds the pending local change by key: the local version of
        // c stays (this node wins) and the remote one is recorded as lost.
        ApplyOptions options;
        options.linkId = table + QStringLiteral("/in");
        options.origin = QStringLiteral("dc-a");
        options.localOrigin = QStringLiteral("dc-b");
        options.winner = QStringLiteral("dc-b");
        options.detectConflicts = true;
        const ApplyResult result = store->applyChanges(schema, {upsertChange(1, schema, rowOf(C, QStringLiteral("remote")))}, 1, options);
        QCOMPARE(result.conflicts, 1);
        QCOMPARE(result.applied, 0);
        QCOMPARE(rowsDifference(schema, store->fetch(schema, {c.keys.at(C)}), {rowOf(C, QStringLiteral("b"))}), QString());
        const QList<ConflictRow> conflicts = conflictsOf(*db, table);
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(jsonColumn(conflicts.at(0).lost, c.payload), QStringLiteral("remote"));
        QCOMPARE(jsonColumn(conflicts.at(0).kept, c.payload), QStringLiteral("b"));
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::createTableAcrossBackends_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::newRow("sqlite->postgres") << QStringLiteral("sqlite") << QStringLiteral("postgres");
    QTest::newRow("postgres->sqlite") << QStringLiteral("postgres") << QStringLiteral("sqlite");
    QTest::newRow("sqlite->sqlite") << QStringLiteral("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres->postgres") << QStringLiteral("postgres") << QStringLiteral("postgres");
}

void TestCapture::createTableAcrossBackends()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    if (from == QLatin1String("postgres") || to == QLatin1String("postgres"))
        FERRY_REQUIRE_POSTGRES();
    try {
        ScratchDatabase source(backendOf(from));
        ScratchDatabase target(backendOf(to));
        // Every canonical type, NOT NULL columns, and a composite key (text, integer) that
        // is neither the first columns nor in column order.
        const TableSchema sourceSchema = source.createTable(source.name(QStringLiteral("origin")),
                                                            {Spec{QStringLiteral("r"), ColumnType::Real}, Spec{QStringLiteral("n"), ColumnType::Integer, true},
                                                             Spec{QStringLiteral("t"), ColumnType::Text, true}, Spec{QStringLiteral("b"), ColumnType::Blob},
                                                             Spec{QStringLiteral("f"), ColumnType::Boolean}, Spec{QStringLiteral("ts"), ColumnType::Timestamp, true},
                                                             Spec{QStringLiteral("d"), ColumnType::Numeric}},
                                                            {2, 1});
        TableSchema wanted = sourceSchema;
        wanted.table = target.name(QStringLiteral("created"));
        auto targetStore = target.open(false);
        targetStore->createTable(wanted);

        const TableSchema created = targetStore->describe(wanted.table);
        QCOMPARE(created.table, wanted.table);
        QCOMPARE(schemaDifference(sourceSchema, created), QString());
        QCOMPARE(schemaDifference(created, sourceSchema), QString());
        QCOMPARE(created.columnNames(), sourceSchema.columnNames());
        QCOMPARE(created.primaryKey, (QList<int>{2, 1}));
        for (int i = 0; i < created.columns.size(); ++i) {
            QVERIFY2(created.columns.at(i).type == sourceSchema.columns.at(i).type, qPrintable(created.columns.at(i).name));
            QVERIFY2(created.columns.at(i).notNull == sourceSchema.columns.at(i).notNull, qPrintable(created.columns.at(i).name));
        }

        // Rows round-trip: source -> created table -> back.
        auto sourceStore = source.open(false);
        RandomRows random(31);
        const QList<Row> rows = random.rows(sourceSchema, 150);
        sourceStore->upsert(sourceSchema, rows);
        const QList<Row> fromSource = readAll(*sourceStore, sourceSchema);
        QCOMPARE(rowsDifference(sourceSchema, rows, fromSource), QString());
        targetStore->replaceRanges(created, {RangeRows{KeyRange{}, fromSource}});
        const QList<Row> fromTarget = readAll(*targetStore, created);
        QCOMPARE(rowsDifference(created, rows, fromTarget), QString());

        // Creating it again, or another table under its name, throws and changes nothing.
        QString message;
        FERRY_EXPECT_ERROR(message, targetStore->createTable(wanted));
        QVERIFY2(message.contains(wanted.table), qPrintable(message));
        TableSchema other;
        other.table = wanted.table;
        other.columns = {Column{QStringLiteral("id"), ColumnType::Integer, QString(), true}};
        other.primaryKey = {0};
        FERRY_EXPECT_ERROR(message, targetStore->createTable(other));
        QVERIFY2(message.contains(wanted.table), qPrintable(message));
        QCOMPARE(schemaDifference(created, targetStore->describe(wanted.table)), QString());
        QCOMPARE(rowsDifference(created, rows, readAll(*target.open(true), created)), QString());
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::applyChangesExactlyOnce()
{
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("apply")));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("name"), ColumnType::Text, true}, Spec{QStringLiteral("v"), ColumnType::Real}},
            {0});
        auto store = db->open(false);
        RandomRows random(17);
        const QList<Row> rows = random.rows(schema, 40);

        // Inserts, updates of some of them, deletes (one of a key never present), and a
        // re-insert after a delete; sequence numbers with gaps, as a log after pruning has.
        QList<Change> batch;
        qint64 seq = 100;
        for (const Row &row : rows)
            batch.append(upsertChange(seq += 3, schema, row));
        for (int i = 0; i < 10; ++i)
            batch.append(upsertChange(seq += 2, schema, random.rowWithKey(schema, schema.keyOf(rows.at(i)))));
        for (int i = 10; i < 15; ++i)
            batch.append(deleteChange(seq += 1, schema.keyOf(rows.at(i))));
        batch.append(deleteChange(seq += 1, {qlonglong(5000000)}));
        batch.append(upsertChange(seq += 1, schema, random.rowWithKey(schema, schema.keyOf(rows.at(10)))));
        const QList<Row> expected = applyInMemory(schema, {}, batch);

        ApplyOptions options;
        options.linkId = table + QStringLiteral("/a");
        options.origin = QStringLiteral("dc-a");
        ApplyResult result = store->applyChanges(schema, batch, seq, options);
        QCOMPARE(result.appliedSeq, seq);
        QCOMPARE(result.applied, int(batch.size()));
        QCOMPARE(result.skipped, 0);
        QCOMPARE(result.conflicts, 0);
        QCOMPARE(rowsDifference(schema, expected, readAll(*store, schema)), QString());
        QCOMPARE(store->appliedSeq(options.linkId), seq);

        // The same batch again (a resend after a lost acknowledgement): all skipped.
        result = store->applyChanges(schema, batch, seq, options);
        QCOMPARE(result.applied, 0);
        QCOMPARE(result.skipped, int(batch.size()));
        QCOMPARE(result.appliedSeq, seq);
        QCOMPARE(rowsDifference(schema, expected, readAll(*store, schema)), QString());

        // A batch overlapping what was applied: the old part is skipped, the rest applied.
        // The old part, were it applied again, would undo later changes (rows[0] back to
        // its first version).
        QList<Change> overlapping = {batch.at(0), batch.at(45), batch.constLast()};
        QList<Change> fresh = {upsertChange(seq += 5, schema, random.rowWithKey(schema, schema.keyOf(rows.at(20)))),
                               deleteChange(seq += 5, schema.keyOf(rows.at(21)))};
        overlapping += fresh;
        result = store->applyChanges(schema, overlapping, seq, options);
        QCOMPARE(result.skipped, 3);
        QCOMPARE(result.applied, 2);
        QCOMPARE(result.appliedSeq, seq);
        const QList<Row> expected2 = applyInMemory(schema, expected, fresh);
        QCOMPARE(rowsDifference(schema, expected2, readAll(*store, schema)), QString());

        // The applied seq lives in the database: a new connection sees it.
        {
            auto reopened = db->open(false);
            QCOMPARE(reopened->appliedSeq(options.linkId), seq);
            QCOMPARE(reopened->appliedSeq(table + QStringLiteral("/never")), qint64(0));
        }

        // Another link keeps its own number: seq 1 and 2 are new to it.
        ApplyOptions other = options;
        other.linkId = table + QStringLiteral("/b");
        other.origin = QStringLiteral("dc-c");
        const Row extra1 = random.rowWithKey(schema, {qlonglong(7000001)});
        const Row extra2 = random.rowWithKey(schema, {qlonglong(7000002)});
        result = store->applyChanges(schema, {upsertChange(1, schema, extra1), upsertChange(2, schema, extra2)}, 2, other);
        QCOMPARE(result.applied, 2);
        QCOMPARE(result.skipped, 0);
        QCOMPARE(store->appliedSeq(other.linkId), qint64(2));
        QCOMPARE(store->appliedSeq(options.linkId), seq);
        const QList<Row> expected3 = applyInMemory(schema, expected2, {upsertChange(1, schema, extra1), upsertChange(2, schema, extra2)});
        QCOMPARE(rowsDifference(schema, expected3, readAll(*store, schema)), QString());

        // A batch with nothing new still moves the link to lastSeq (the source skipped
        // changes that were not for this target); an older lastSeq never moves it back.
        result = store->applyChanges(schema, {}, seq + 100, options);
        QCOMPARE(result.appliedSeq, seq + 100);
        seq += 100;
        result = store->applyChanges(schema, {}, seq - 50, options);
        QCOMPARE(result.appliedSeq, seq);
        QCOMPARE(store->appliedSeq(options.linkId), seq);

        // An error in the middle of a batch (NOT NULL violated) rolls back the whole batch
        // and the applied seq.
        Row bad = random.rowWithKey(schema, {qlonglong(8000002)});
        bad[1] = QVariant();
        const QList<Change> failing = {upsertChange(seq + 1, schema, random.rowWithKey(schema, {qlonglong(8000001)})),
                                       deleteChange(seq + 2, schema.keyOf(rows.at(30))),
                                       upsertChange(seq + 3, schema, bad),
                                       upsertChange(seq + 4, schema, random.rowWithKey(schema, {qlonglong(8000003)}))};
        QString message;
        FERRY_EXPECT_ERROR(message, store->applyChanges(schema, failing, seq + 4, options));
        QVERIFY2(message.contains(table), qPrintable(message));
        QCOMPARE(rowsDifference(schema, expected3, readAll(*store, schema)), QString());
        QCOMPARE(store->appliedSeq(options.linkId), seq);
        QCOMPARE(db->open(true)->appliedSeq(options.linkId), seq);

        // The store is usable afterwards, and the corrected batch applies in full.
        QList<Change> corrected = failing;
        corrected[2].row[1] = QStringLiteral("fixed");
        result = store->applyChanges(schema, corrected, seq + 4, options);
        QCOMPARE(result.applied, 4);
        QCOMPARE(result.appliedSeq, seq + 4);
        QCOMPARE(rowsDifference(schema, applyInMemory(schema, expected3, corrected), readAll(*store, schema)), QString());
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::applyLongBatchesOfEveryType()
{
    // Batches longer than what PostgreSQL's applier sends between two Syncs (256
    // statements), of every canonical type with NULLs: applied as the same changes in
    // memory, and a failure in the last part of a long batch undoes its first parts too.
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("long")));
        const TableSchema schema = db->createTable(table,
                                                   {Spec{QStringLiteral("r"), ColumnType::Real}, Spec{QStringLiteral("n"), ColumnType::Integer, true},
                                                    Spec{QStringLiteral("t"), ColumnType::Text, true}, Spec{QStringLiteral("b"), ColumnType::Blob},
                                                    Spec{QStringLiteral("f"), ColumnType::Boolean}, Spec{QStringLiteral("ts"), ColumnType::Timestamp, true},
                                                    Spec{QStringLiteral("d"), ColumnType::Numeric}},
                                                   {2, 1});
        auto store = db->open(false);
        RandomRows random(41);
        const QList<Row> rows = random.rows(schema, 600);
        QList<Change> batch;
        qint64 seq = 0;
        for (const Row &row : rows)
            batch.append(upsertChange(++seq, schema, row));
        for (int i = 0; i < 150; ++i)
            batch.append(upsertChange(++seq, schema, random.rowWithKey(schema, schema.keyOf(rows.at(random.bounded(600))))));
        for (int i = 0; i < 80; ++i)
            batch.append(deleteChange(++seq, schema.keyOf(rows.at(random.bounded(600)))));
        const QList<Row> expected = applyInMemory(schema, {}, batch);

        ApplyOptions options;
        options.linkId = table + QStringLiteral("/long");
        options.origin = QStringLiteral("dc-a");
        ApplyResult result = store->applyChanges(schema, batch, seq, options);
        QCOMPARE(result.applied, int(batch.size()));
        QCOMPARE(result.appliedSeq, seq);
        QCOMPARE(rowsDifference(schema, expected, readAll(*store, schema)), QString());
        QCOMPARE(rowsDifference(schema, expected, readAll(*db->open(true), schema)), QString());

        // 700 changes, the 690th breaks NOT NULL: nothing of the batch stays.
        QList<Change> failing;
        for (int i = 0; i < 700; ++i)
            failing.append(upsertChange(seq + 1 + i, schema, random.rowWithKey(schema, schema.keyOf(rows.at(i % 600)))));
        failing[689].row[5] = QVariant();
        QString message;
        FERRY_EXPECT_ERROR(message, store->applyChanges(schema, failing, seq + 700, options));
        QVERIFY2(message.contains(table), qPrintable(message));
        QCOMPARE(rowsDifference(schema, expected, readAll(*db->open(true), schema)), QString());
        QCOMPARE(store->appliedSeq(options.linkId), seq);

        // The same store applies the corrected batch in full.
        failing[689].row[5] = qlonglong(1700000000000000);
        result = store->applyChanges(schema, failing, seq + 700, options);
        QCOMPARE(result.applied, 700);
        QCOMPARE(rowsDifference(schema, applyInMemory(schema, expected, failing), readAll(*db->open(true), schema)), QString());
        QCOMPARE(store->appliedSeq(options.linkId), seq + 700);
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::writeOrigins()
{
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("origins")));
        const TableSchema schema = db->createTable(table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Text, true}}, {0});
        auto store = db->open(false);
        store->installCapture(schema);
        auto row = [](qlonglong id, const QString &v) { return Row{id, v}; };
        auto originsAfter = [&](qint64 afterSeq) {
            QStringList texts;
            for (const Change &change : store->readChanges(schema, afterSeq, 1000))
                texts.append(rowText(change.key) + QLatin1Char('@') + change.origin);
            return texts;
        };

        // An application write: no origin.
        db->exec(QStringLiteral("INSERT INTO %1 (id, v) VALUES (1, 'app'), (0, 'app')").arg(table));
        QCOMPARE(originsAfter(0), (QStringList{QStringLiteral("(1)@"), QStringLiteral("(0)@")}));
        qint64 mark = store->lastChangeSeq(schema);

        // The applier's writes carry the source node's name.
        ApplyOptions options;
        options.linkId = table + QStringLiteral("/a");
        options.origin = QStringLiteral("dc-a");
        const ApplyResult result = store->applyChanges(
            schema, {upsertChange(1, schema, row(2, QStringLiteral("a"))), upsertChange(2, schema, row(1, QStringLiteral("a"))), deleteChange(3, {qlonglong(0)})}, 3,
            options);
        QCOMPARE(result.applied, 3);
        QCOMPARE(originsAfter(mark), (QStringList{QStringLiteral("(2)@dc-a"), QStringLiteral("(1)@dc-a"), QStringLiteral("(0)@dc-a")}));
        mark = store->lastChangeSeq(schema);

        // After the applier: the same store without an origin, and the application, write untagged.
        store->upsert(schema, {row(3, QStringLiteral("own"))});
        db->exec(QStringLiteral("UPDATE %1 SET v = 'app2' WHERE id = 3").arg(table));
        QCOMPARE(originsAfter(mark), (QStringList{QStringLiteral("(3)@"), QStringLiteral("(3)@")}));
        mark = store->lastChangeSeq(schema);

        // setWriteOrigin tags replaceRanges, upsert and remove of that store.
        auto tagged = db->open(false);
        tagged->setWriteOrigin(QStringLiteral("dc-b"));
        tagged->replaceRanges(schema, {RangeRows{KeyRange{{qlonglong(10)}, {qlonglong(20)}}, {row(10, QStringLiteral("b")), row(11, QStringLiteral("b"))}}});
        tagged->upsert(schema, {row(12, QStringLiteral("b"))});
        tagged->remove(schema, {{qlonglong(12)}});
        QCOMPARE(originsAfter(mark), (QStringList{QStringLiteral("(10)@dc-b"), QStringLiteral("(11)@dc-b"), QStringLiteral("(12)@dc-b"), QStringLiteral("(12)@dc-b")}));
        mark = store->lastChangeSeq(schema);
        tagged->replaceRanges(schema, {RangeRows{KeyRange{{qlonglong(10)}, {qlonglong(20)}}, {row(10, QStringLiteral("b2"))}}});   // deletes 10, 11; inserts 10
        QStringList replaced = originsAfter(mark);
        std::sort(replaced.begin(), replaced.end());
        QCOMPARE(replaced, (QStringList{QStringLiteral("(10)@dc-b"), QStringLiteral("(10)@dc-b"), QStringLiteral("(11)@dc-b")}));
        mark = store->lastChangeSeq(schema);

        // applyChanges tags with its own origin and restores the store's afterwards.
        ApplyOptions fromC = options;
        fromC.linkId = table + QStringLiteral("/c");
        fromC.origin = QStringLiteral("dc-c");
        tagged->applyChanges(schema, {upsertChange(1, schema, row(13, QStringLiteral("c")))}, 1, fromC);
        tagged->upsert(schema, {row(14, QStringLiteral("b"))});
        tagged->setWriteOrigin(QString());
        tagged->upsert(schema, {row(15, QStringLiteral("none"))});
        db->exec(QStringLiteral("INSERT INTO %1 (id, v) VALUES (16, 'app')").arg(table));
        QCOMPARE(originsAfter(mark), (QStringList{QStringLiteral("(13)@dc-c"), QStringLiteral("(14)@dc-b"), QStringLiteral("(15)@"), QStringLiteral("(16)@")}));
        mark = store->lastChangeSeq(schema);

        // A failed batch leaves no origin behind either.
        Row bad = row(17, QStringLiteral("x"));
        bad[1] = QVariant();   // v is NOT NULL
        QString message;
        FERRY_EXPECT_ERROR(message, tagged->applyChanges(schema, {upsertChange(2, schema, row(18, QStringLiteral("c"))), upsertChange(3, schema, bad)}, 3, fromC));
        tagged->upsert(schema, {row(19, QStringLiteral("none"))});
        QCOMPARE(originsAfter(mark), (QStringList{QStringLiteral("(19)@")}));
        if (kind == Backend::Sqlite)
            QCOMPARE(db->query(QStringLiteral("SELECT count(*) FROM _ferry_session")).at(0).at(0).toInt(), 0);
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::replicaGuard()
{
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("guarded")));
        const TableSchema schema = db->createTable(table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Text, true}}, {0});
        auto store = db->open(false);
        store->installCapture(schema);
        db->exec(QStringLiteral("INSERT INTO %1 (id, v) VALUES (1, 'one'), (2, 'two')").arg(table));
        const QList<Row> before = readAll(*store, schema);
        const qint64 logged = store->lastChangeSeq(schema);
        auto noSession = [&] {
            return kind != Backend::Sqlite || db->query(QStringLiteral("SELECT count(*) FROM _ferry_session")).at(0).at(0).toInt() == 0;
        };

        const QString guardMessage = QStringLiteral("%1 is a replica of dc-a: write to the primary").arg(table);
        QVERIFY(!store->hasReplicaGuard(table));
        store->setReplicaGuard(schema, true, guardMessage);
        store->setReplicaGuard(schema, true, guardMessage);   // again: still one guard
        QVERIFY(store->hasReplicaGuard(table));
        QVERIFY(db->open(true)->hasReplicaGuard(table));

        // Application writes on another connection fail with the guard's message.
        QStringList refused = {QStringLiteral("INSERT INTO %1 (id, v) VALUES (3, 'three')").arg(table),
                               QStringLiteral("UPDATE %1 SET v = 'changed' WHERE id = 1").arg(table),
                               QStringLiteral("DELETE FROM %1 WHERE id = 2").arg(table)};
        if (kind == Backend::Postgres)
            refused.append(QStringLiteral("TRUNCATE %1").arg(table));
        for (const QString &sql : refused) {
            QString message;
            FERRY_EXPECT_ERROR(message, db->exec(sql));
            QVERIFY2(message.contains(guardMessage), qPrintable(message));
        }
        // So do Store writes without a write origin.
        QString message;
        FERRY_EXPECT_ERROR(message, store->upsert(schema, {Row{qlonglong(4), QStringLiteral("four")}}));
        QVERIFY2(message.contains(guardMessage), qPrintable(message));
        QCOMPARE(rowsDifference(schema, before, readAll(*store, schema)), QString());
        QCOMPARE(store->lastChangeSeq(schema), logged);

        // The applier and a store with a write origin get through.
        ApplyOptions options;
        options.linkId = table + QStringLiteral("/a");
        options.origin = QStringLiteral("dc-a");
        const ApplyResult result = store->applyChanges(
            schema, {upsertChange(1, schema, Row{qlonglong(1), QStringLiteral("from a")}), deleteChange(2, {qlonglong(2)}), upsertChange(3, schema, Row{qlonglong(5), QStringLiteral("five")})},
            3, options);
        QCOMPARE(result.applied, 3);
        QVERIFY(noSession());
        auto repairer = db->open(false);
        repairer->setWriteOrigin(QStringLiteral("dc-a"));
        repairer->replaceRanges(schema, {RangeRows{KeyRange{{qlonglong(5)}, {}}, {Row{qlonglong(5), QStringLiteral("five'")}, Row{qlonglong(6), QStringLiteral("six")}}}});
        QVERIFY(noSession());
        const QList<Row> applied = {Row{qlonglong(1), QStringLiteral("from a")}, Row{qlonglong(5), QStringLiteral("five'")}, Row{qlonglong(6), QStringLiteral("six")}};
        QCOMPARE(rowsDifference(schema, applied, readAll(*store, schema)), QString());

        // The guard still holds after the applier committed (its origin did not outlive
        // its transaction), and after a batch that failed.
        FERRY_EXPECT_ERROR(message, db->exec(QStringLiteral("DELETE FROM %1").arg(table)));
        QVERIFY2(message.contains(guardMessage), qPrintable(message));
        FERRY_EXPECT_ERROR(message, store->applyChanges(schema, {upsertChange(4, schema, Row{qlonglong(7), QStringLiteral("seven")}), upsertChange(5, schema, Row{qlonglong(8), QVariant()})}, 5, options));
        QVERIFY(noSession());
        FERRY_EXPECT_ERROR(message, db->exec(QStringLiteral("INSERT INTO %1 (id, v) VALUES (8, 'eight')").arg(table)));
        QVERIFY2(message.contains(guardMessage), qPrintable(message));
        QCOMPARE(rowsDifference(schema, applied, readAll(*store, schema)), QString());

        // Off: applications write again, and are captured as application writes.
        const qint64 mark = store->lastChangeSeq(schema);
        store->setReplicaGuard(schema, false, QString());
        QVERIFY(!store->hasReplicaGuard(table));
        db->exec(QStringLiteral("INSERT INTO %1 (id, v) VALUES (9, 'nine')").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = 'one' WHERE id = 1").arg(table));
        store->upsert(schema, {Row{qlonglong(10), QStringLiteral("ten")}});
        const QList<Change> changes = store->readChanges(schema, mark, 100);
        QCOMPARE(opTexts(changes), (QStringList{QStringLiteral("U(9)"), QStringLiteral("U(1)"), QStringLiteral("U(10)")}));
        for (const Change &change : changes)
            QVERIFY(change.origin.isEmpty());
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::conflictFixedWinner_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("remoteWins");
    for (const QString &backend : {QStringLiteral("sqlite"), QStringLiteral("postgres")}) {
        QTest::newRow(qPrintable(backend + QStringLiteral("/remote wins"))) << backend << true;
        QTest::newRow(qPrintable(backend + QStringLiteral("/local wins"))) << backend << false;
    }
}

void TestCapture::conflictFixedWinner()
{
    SCRATCH(db);
    QFETCH(bool, remoteWins);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("fixed")));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Text}, Spec{QStringLiteral("ts"), ColumnType::Timestamp, true}},
            {0});
        auto store = db->open(false);
        store->installCapture(schema);
        const qint64 ts = utcMicros(2024, 5, 1, 12);
        auto row = [&](qlonglong id, const QString &v) { return Row{id, v, ts}; };

        // Rows the other side has seen (acknowledged), then local changes it has not.
        db->exec(QStringLiteral("INSERT INTO %1 (id, v, ts) VALUES (1, 'base', '2024-05-01 12:00:00'), (2, 'base', '2024-05-01 12:00:00'), "
                                "(3, 'base', '2024-05-01 12:00:00'), (4, 'base', '2024-05-01 12:00:00'), (5, 'base', '2024-05-01 12:00:00'), "
                                "(6, 'base', '2024-05-01 12:00:00')")
                     .arg(table));
        const qint64 acked = store->lastChangeSeq(schema);
        db->exec(QStringLiteral("UPDATE %1 SET v = 'local1' WHERE id = 1").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = 'local2' WHERE id = 2").arg(table));
        db->exec(QStringLiteral("DELETE FROM %1 WHERE id = 3").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET v = 'local4' WHERE id = 4").arg(table));

        ApplyOptions options;
        options.linkId = table + QStringLiteral("/a");
        options.origin = QStringLiteral("dc-a");
        options.localOrigin = QStringLiteral("dc-b");
        options.detectConflicts = true;
        options.localAckedSeq = acked;
        options.policy = ConflictPolicy::FixedWinner;
        options.winner = remoteWins ? QStringLiteral("dc-a") : QStringLiteral("dc-b");

        // 1 and 3: remote update against local update / local delete; 2: remote delete
        // against local update; 5 and 6: no pending local change (6 was acknowledged).
        const QList<Change> incoming = {upsertChange(11, schema, row(1, QStringLiteral("remote1"))), upsertChange(12, schema, row(3, QStringLiteral("remote3"))),
                                        upsertChange(13, schema, row(5, QStringLiteral("remote5"))), deleteChange(14, {qlonglong(2)}),
                                        upsertChange(15, schema, row(6, QStringLiteral("remote6")))};

        // A batch that fails records no conflict and changes nothing.
        const QList<Row> initial = readAll(*store, schema);
        Row bad = row(7, QStringLiteral("bad"));
        bad[2] = QVariant();
        QString message;
        FERRY_EXPECT_ERROR(message, store->applyChanges(schema, incoming + QList<Change>{upsertChange(16, schema, bad)}, 16, options));
        QCOMPARE(conflictsOf(*db, table).size(), 0);
        QCOMPARE(rowsDifference(schema, initial, readAll(*store, schema)), QString());
        QCOMPARE(store->appliedSeq(options.linkId), qint64(0));

        const ApplyResult result = store->applyChanges(schema, incoming, 15, options);
        QCOMPARE(result.conflicts, 3);
        QCOMPARE(result.applied, remoteWins ? 5 : 2);
        QCOMPARE(result.appliedSeq, qint64(15));

        QList<Row> expected;
        if (remoteWins)
            expected = {row(1, QStringLiteral("remote1")), row(3, QStringLiteral("remote3")), row(4, QStringLiteral("local4")), row(5, QStringLiteral("remote5")), row(6, QStringLiteral("remote6"))};
        else
            expected = {row(1, QStringLiteral("local1")), row(2, QStringLiteral("local2")), row(4, QStringLiteral("local4")), row(5, QStringLiteral("remote5")), row(6, QStringLiteral("remote6"))};
        QCOMPARE(rowsDifference(schema, expected, readAll(*store, schema)), QString());

        // Every losing version is in _ferry_conflicts, with the winning one beside it.
        const QList<ConflictRow> conflicts = conflictsOf(*db, table);
        QCOMPARE(conflicts.size(), 3);
        QHash<QString, ConflictRow> byKey;
        for (const ConflictRow &record : conflicts) {
            QCOMPARE(record.link, options.linkId);
            QVERIFY(!record.reason.isEmpty());
            byKey.insert(record.key, record);
        }
        QCOMPARE(QSet<QString>(byKey.keyBegin(), byKey.keyEnd()), (QSet<QString>{QStringLiteral("[1]"), QStringLiteral("[2]"), QStringLiteral("[3]")}));
        const QString loser = remoteWins ? QStringLiteral("dc-b") : QStringLiteral("dc-a");
        for (const ConflictRow &record : conflicts)
            QCOMPARE(record.lostOrigin, loser);
        const ConflictRow &one = byKey.value(QStringLiteral("[1]"));
        const ConflictRow &two = byKey.value(QStringLiteral("[2]"));
        const ConflictRow &three = byKey.value(QStringLiteral("[3]"));
        if (remoteWins) {
            QCOMPARE(jsonColumn(one.kept, 1), QStringLiteral("remote1"));
            QCOMPARE(jsonColumn(one.lost, 1), QStringLiteral("local1"));
            QCOMPARE(jsonColumn(two.kept, 1), QString());   // the remote delete won
            QCOMPARE(jsonColumn(two.lost, 1), QStringLiteral("local2"));
            QCOMPARE(jsonColumn(three.kept, 1), QStringLiteral("remote3"));
            QVERIFY(three.lost.isEmpty());                 // the local delete lost
            QVERIFY2(three.reason.contains(QLatin1String("delete")), qPrintable(three.reason));
        } else {
            QCOMPARE(jsonColumn(one.kept, 1), QStringLiteral("local1"));
            QCOMPARE(jsonColumn(one.lost, 1), QStringLiteral("remote1"));
            QCOMPARE(jsonColumn(two.kept, 1), QStringLiteral("local2"));
            QVERIFY(two.lost.isEmpty());                   // the remote delete lost
            QVERIFY2(two.reason.contains(QLatin1String("delete")), qPrintable(two.reason));
            QVERIFY(three.kept.isEmpty());                 // the local delete stands
            QCOMPARE(jsonColumn(three.lost, 1), QStringLiteral("remote3"));
        }

        // A later change from the same origin to a key it wrote itself is no conflict:
        // its own earlier write in this log is not a local change.
        const ApplyResult again = store->applyChanges(schema, {upsertChange(16, schema, row(5, QStringLiteral("remote5b")))}, 16, options);
        QCOMPARE(again.conflicts, 0);
        QCOMPARE(again.applied, 1);
        QCOMPARE(conflictsOf(*db, table).size(), 3);
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::conflictNewestWinsConverges_data()
{
    QTest::addColumn<QString>("backend");
    QTest::addColumn<bool>("simultaneous");
    for (const QString &backend : {QStringLiteral("sqlite"), QStringLiteral("postgres")}) {
        QTest::newRow(qPrintable(backend + QStringLiteral("/simultaneous"))) << backend << true;
        QTest::newRow(qPrintable(backend + QStringLiteral("/one after the other"))) << backend << false;
    }
}

// Two data centers (two tables with capture, two connections) change the same rows before
// either has seen the other's changes; both streams are applied with NewestWins.
void TestCapture::conflictNewestWinsConverges()
{
    SCRATCH(db);
    QFETCH(bool, simultaneous);
    FerryObjects ferry(*db);
    try {
        const QList<Spec> columns = {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Text},
                                     Spec{QStringLiteral("ts"), ColumnType::Timestamp, true}};
        const QString tableA = ferry.add(db->name(QStringLiteral("dc_a")));
        const QString tableB = ferry.add(db->name(QStringLiteral("dc_b")));
        const TableSchema schemaA = db->createTable(tableA, columns, {0});
        const TableSchema schemaB = db->createTable(tableB, columns, {0});
        auto storeA = db->open(false);
        auto storeB = db->open(false);
        storeA->installCapture(schemaA);
        storeB->installCapture(schemaB);
        for (const QString &table : {tableA, tableB}) {
            QStringList values;
            for (int id = 1; id <= 6; ++id)
                values.append(QStringLiteral("(%1, 'base', '2024-05-01 12:00:00')").arg(id));
            db->exec(QStringLiteral("INSERT INTO %1 (id, v, ts) VALUES %2").arg(table, values.join(QLatin1String(", "))));
        }
        // Each side has seen the other's seed rows.
        const qint64 ackedA = storeA->lastChangeSeq(schemaA);
        const qint64 ackedB = storeB->lastChangeSeq(schemaB);

        // 1: B newer; 2: A newer; 3: only A; 4: same timestamp (the greater node name,
        // dc-b, wins); 5: only B deletes; 6: A updates, B deletes (the update is newer than
        // no row at all).
        auto update = [&](const QString &table, int id, const QString &v, const QString &time) {
            db->exec(QStringLiteral("UPDATE %1 SET v = '%2', ts = '2024-05-01 %3' WHERE id = %4").arg(table, v, time).arg(id));
        };
        update(tableA, 1, QStringLiteral("A1"), QStringLiteral("12:00:10"));
        update(tableA, 2, QStringLiteral("A2"), QStringLiteral("12:00:30"));
        update(tableA, 3, QStringLiteral("A3"), QStringLiteral("12:00:10"));
        update(tableA, 4, QStringLiteral("A4"), QStringLiteral("12:00:20"));
        update(tableA, 6, QStringLiteral("A6"), QStringLiteral("12:00:05"));
        update(tableB, 1, QStringLiteral("B1"), QStringLiteral("12:00:20"));
        update(tableB, 2, QStringLiteral("B2"), QStringLiteral("12:00:15"));
        update(tableB, 4, QStringLiteral("B4"), QStringLiteral("12:00:20"));
        db->exec(QStringLiteral("DELETE FROM %1 WHERE id IN (5, 6)").arg(tableB));

        ApplyOptions intoB;
        intoB.linkId = tableA + QStringLiteral("->b");
        intoB.origin = QStringLiteral("dc-a");
        intoB.localOrigin = QStringLiteral("dc-b");
        intoB.detectConflicts = true;
        intoB.policy = ConflictPolicy::NewestWins;
        intoB.timestampColumn = 2;
        ApplyOptions intoA = intoB;
        intoA.linkId = tableB + QStringLiteral("->a");
        intoA.origin = QStringLiteral("dc-b");
        intoA.localOrigin = QStringLiteral("dc-a");

        // A streamer: this side's changes after what it sent, without the other side's echoes.
        auto stream = [](Store &store, const TableSchema &schema, qint64 afterSeq, const QString &remote, qint64 *last) {
            QList<Change> changes;
            for (const Change &change : store.readChanges(schema, afterSeq, 1000)) {
                *last = change.seq;
                if (change.origin != remote)
                    changes.append(change);
            }
            return changes;
        };
        qint64 sentA = ackedA;
        qint64 sentB = ackedB;
        if (simultaneous) {
            const QList<Change> fromA = stream(*storeA, schemaA, sentA, QStringLiteral("dc-b"), &sentA);
            const QList<Change> fromB = stream(*storeB, schemaB, sentB, QStringLiteral("dc-a"), &sentB);
            intoB.localAckedSeq = ackedB;
            intoA.localAckedSeq = ackedA;
            QCOMPARE(storeB->applyChanges(schemaB, fromA, sentA, intoB).conflicts, 4);
            QCOMPARE(storeA->applyChanges(schemaA, fromB, sentB, intoA).conflicts, 4);
        } else {
            const QList<Change> fromA = stream(*storeA, schemaA, sentA, QStringLiteral("dc-b"), &sentA);
            intoB.localAckedSeq = ackedB;
            QCOMPARE(storeB->applyChanges(schemaB, fromA, sentA, intoB).conflicts, 4);
            // B's changes now carry B's rows as they are after that.
            const QList<Change> fromB = stream(*storeB, schemaB, sentB, QStringLiteral("dc-a"), &sentB);
            intoA.localAckedSeq = storeB->appliedSeq(intoB.linkId);
            storeA->applyChanges(schemaA, fromB, sentB, intoA);
        }
        // Whatever is left to stream (what each side applied is an echo, skipped).
        for (int round = 0; round < 2; ++round) {
            intoB.localAckedSeq = storeA->appliedSeq(intoA.linkId);
            intoA.localAckedSeq = storeB->appliedSeq(intoB.linkId);
            const QList<Change> fromA = stream(*storeA, schemaA, sentA, QStringLiteral("dc-b"), &sentA);
            storeB->applyChanges(schemaB, fromA, sentA, intoB);
            const QList<Change> fromB = stream(*storeB, schemaB, sentB, QStringLiteral("dc-a"), &sentB);
            storeA->applyChanges(schemaA, fromB, sentB, intoA);
        }

        const qint64 t0 = utcMicros(2024, 5, 1, 12);
        const QList<Row> expected = {Row{qlonglong(1), QStringLiteral("B1"), t0 + 20000000}, Row{qlonglong(2), QStringLiteral("A2"), t0 + 30000000},
                                     Row{qlonglong(3), QStringLiteral("A3"), t0 + 10000000}, Row{qlonglong(4), QStringLiteral("B4"), t0 + 20000000},
                                     Row{qlonglong(6), QStringLiteral("A6"), t0 + 5000000}};
        QCOMPARE(rowsDifference(schemaA, expected, readAll(*storeA, schemaA)), QString());
        QCOMPARE(rowsDifference(schemaB, expected, readAll(*storeB, schemaB)), QString());

        // Nothing lost silently: every losing version is recorded on at least one side,
        // and no winning version is recorded as lost.
        QSet<QString> lost;
        for (const QString &table : {tableA, tableB}) {
            for (const ConflictRow &record : conflictsOf(*db, table)) {
                const QString v = jsonColumn(record.lost, 1);
                lost.insert(v.isNull() ? record.key + QStringLiteral(" deleted") : v);
            }
        }
        for (const QString &loser : {QStringLiteral("A1"), QStringLiteral("B2"), QStringLiteral("A4"), QStringLiteral("[6] deleted")})
            QVERIFY2(lost.contains(loser), qPrintable(QStringList(lost.begin(), lost.end()).join(QLatin1Char(','))));
        for (const QString &winner : {QStringLiteral("B1"), QStringLiteral("A2"), QStringLiteral("A3"), QStringLiteral("B4"), QStringLiteral("A6")})
            QVERIFY2(!lost.contains(winner), qPrintable(winner));
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::logBacklogMarksAndRenumbering()
{
    // What the link layer reads to tell the truth and to recognise a restored database:
    // the backlog after a position, whether the capture triggers are in place, a link's
    // mark, and a log renumbered past a position.
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("backlog")));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Integer}}, {0});
        auto store = db->open(false);
        QVERIFY(!store->captureIntact(table));
        store->installCapture(schema);
        QVERIFY(store->captureIntact(table));
        QCOMPARE(store->backlog(schema, 0).changes, qint64(0));
        QCOMPARE(store->backlog(schema, 0).oldestAtUs, qint64(0));

        const qint64 before = nowUs();
        for (int id = 1; id <= 5; ++id)
            db->exec(QStringLiteral("INSERT INTO %1 (id, v) VALUES (%2, 0)").arg(table).arg(id));
        const QList<Change> changes = store->readChanges(schema, 0, 100);
        QCOMPARE(changes.size(), 5);
        Store::Backlog backlog = store->backlog(schema, 0);
        QCOMPARE(backlog.changes, qint64(5));
        QCOMPARE(backlog.oldestAtUs, changes.first().committedAtUs);
        QVERIFY(backlog.oldestAtUs >= before - 5000000);
        backlog = store->backlog(schema, changes.at(2).seq);
        QCOMPARE(backlog.changes, qint64(2));
        QCOMPARE(backlog.oldestAtUs, changes.at(3).committedAtUs);

        // Renumbering: the next change gets a number past the given one, never lower.
        const qint64 past = changes.last().seq + 1000;
        store->advanceChangeSeq(schema, past);
        store->advanceChangeSeq(schema, 3);   // never backwards
        db->exec(QStringLiteral("UPDATE %1 SET v = 1 WHERE id = 1").arg(table));
        const QList<Change> renumbered = store->readChanges(schema, changes.last().seq, 100);
        QCOMPARE(renumbered.size(), 1);
        QCOMPARE(renumbered.first().seq, past + 1);

        // Marks: none, then the last one set, per link.
        QCOMPARE(store->linkMark(QStringLiteral("l1")), QString());
        store->setLinkMark(QStringLiteral("l1"), QStringLiteral("first"));
        store->setLinkMark(QStringLiteral("l2"), QStringLiteral("other"));
        store->setLinkMark(QStringLiteral("l1"), QStringLiteral("second"));
        QCOMPARE(store->linkMark(QStringLiteral("l1")), QStringLiteral("second"));
        QCOMPARE(db->open(false)->linkMark(QStringLiteral("l2")), QStringLiteral("other"));

        // A table dropped and created again has lost its capture triggers.
        db->exec(QStringLiteral("DROP TABLE %1").arg(table));
        db->createTable(table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("v"), ColumnType::Integer}}, {0});
        QVERIFY(!store->captureIntact(table));
        store->installCapture(schema);
        QVERIFY(store->captureIntact(table));
        db->exec(QStringLiteral("DROP TABLE IF EXISTS _ferry_marks"));
    }
    FERRY_CATCH_ERRORS
}

void TestCapture::schemaChangeIsNoticed()
{
    SCRATCH(db);
    FerryObjects ferry(*db);
    try {
        const QString table = ferry.add(db->name(QStringLiteral("altered")));
        const TableSchema schema = db->createTable(
            table, {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("name"), ColumnType::Text}, Spec{QStringLiteral("note"), ColumnType::Text}},
            {0});
        auto store = db->open(false);
        store->installCapture(schema);
        db->exec(QStringLiteral("INSERT INTO %1 VALUES (1, 'one', 'first'), (2, 'two', 'second')").arg(table));
        QCOMPARE(store->readChanges(schema, 0, 10).size(), 2);
        const QByteArray stamp = store->schemaStamp(table);
        QVERIFY(!stamp.isEmpty());
        QCOMPARE(store->schemaStamp(table), stamp);   // writes change nothing
        QVERIFY(store->schemaStamp(db->name(QStringLiteral("no_such_table"))).isEmpty());

        // DROP COLUMN by the application, then an update: reading with the old schema fails
        // (SQLite would otherwise read the column's name as a string literal).
        db->exec(QStringLiteral("ALTER TABLE %1 DROP COLUMN note").arg(table));
        db->exec(QStringLiteral("UPDATE %1 SET name = 'uno' WHERE id = 1").arg(table));
        const QByteArray dropped = store->schemaStamp(table);
        QVERIFY(dropped != stamp);
        TableSchema now = store->describe(table);
        QString change = schemaChange(schema, now);
        QVERIFY2(change.contains(QLatin1String("\"note\"")) && change.contains(QLatin1String("dropped")), qPrintable(change));
        QString readError;
        try {
            for (const Change &c : store->readChanges(schema, 0, 10)) {
                QVERIFY2(!c.row.contains(QVariant(QStringLiteral("note"))), qPrintable(c.row.value(2).toString()));
            }
        } catch (const FerryError &error) {
            readError = error.message();
        }
        QVERIFY2(!readError.isEmpty(), "reading the log with a dropped column must fail");

        // ADD COLUMN and RENAME COLUMN move the stamp and are named.
        db->exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN extra TEXT").arg(table));
        QVERIFY(store->schemaStamp(table) != dropped);
        change = schemaChange(now, store->describe(table));
        QVERIFY2(change.contains(QLatin1String("\"extra\"")) && change.contains(QLatin1String("added")), qPrintable(change));
        now = store->describe(table);
        const QByteArray added = store->schemaStamp(table);
        db->exec(QStringLiteral("ALTER TABLE %1 RENAME COLUMN extra TO other").arg(table));
        QVERIFY(store->schemaStamp(table) != added);
        change = schemaChange(now, store->describe(table));
        QVERIFY2(change.contains(QLatin1String("\"extra\"")), qPrintable(change));
        QVERIFY(schemaChange(now, now).isEmpty());
    } FERRY_CATCH_ERRORS
}

void TestCapture::awkwardValues_data()
{
    QTest::addColumn<QString>("backend");   // the target's; the source is PostgreSQL
    QTest::newRow("to sqlite") << QStringLiteral("sqlite");
    QTest::newRow("to postgres") << QStringLiteral("postgres");
}

void TestCapture::awkwardValues()
{
    FERRY_REQUIRE_POSTGRES();
    QFETCH(QString, backend);
    std::unique_ptr<ScratchDatabase> pg, other;
    FERRY_NO_THROW(pg = std::make_unique<ScratchDatabase>(Backend::Postgres));
    if (backend == QLatin1String("sqlite"))
        FERRY_NO_THROW(other = std::make_unique<ScratchDatabase>(Backend::Sqlite));
    ScratchDatabase &target = other ? *other : *pg;
    FerryObjects ferry(target);
    // id, column, PostgreSQL literal
    const QList<std::tuple<int, QString, QString>> values{
        {1, QStringLiteral("num"), QStringLiteral("'NaN'")},
        {2, QStringLiteral("ts"), QStringLiteral("'infinity'")},
        {3, QStringLiteral("ts"), QStringLiteral("'-infinity'")},
        {4, QStringLiteral("ts"), QStringLiteral("'0044-03-15 12:30:00.25 BC'")},
        {5, QStringLiteral("d"), QStringLiteral("'0001-01-01 BC'")},
        {6, QStringLiteral("d"), QStringLiteral("'infinity'")},
        {7, QStringLiteral("num"), QStringLiteral("123456789012345678901234567890123456789012345678901234567890")},
        {8, QStringLiteral("num"), QStringLiteral("-0.000000000000000000000000000001234567890123456789")},
        {9, QStringLiteral("dbl"), QStringLiteral("'NaN'")},
        {10, QStringLiteral("dbl"), QStringLiteral("'-0'")},
        {11, QStringLiteral("dbl"), QStringLiteral("'-Infinity'")},
        {12, QStringLiteral("num"), QStringLiteral("0.1")},   // an ordinary value, for contrast
    };
    try {
        const QString source = pg->name(QStringLiteral("odd_src"));
        const QString copy = ferry.add(target.name(QStringLiteral("odd_copy")));
        pg->exec(QStringLiteral("CREATE TABLE %1 (id bigint PRIMARY KEY, num numeric, ts timestamp, d date, dbl double precision)").arg(source));
        for (const auto &[id, column, literal] : values)
            pg->exec(QStringLiteral("INSERT INTO %1 (id, %2) VALUES (%3, %4)").arg(source, column).arg(id).arg(literal));
        auto from = pg->open(false);
        auto to = target.open(false);
        const TableSchema schema = from->describe(source);
        TableSchema copySchema = schema;
        copySchema.table = copy;
        to->createTable(copySchema);   // the target table as a link creates it
        const TableSchema targetSchema = to->describe(copy);
        QCOMPARE(schemaDifference(schema, targetSchema), QString());

        for (const auto &[id, column, literal] : values) {
            const QString what = QStringLiteral("%1 = %2 (id %3)").arg(column, literal).arg(id);
            const Key key{qlonglong(id)};
            const QList<Row> read = from->fetch(schema, {key});
            QVERIFY2(read.size() == 1, qPrintable(what));
            const Row row = read.first();
            ApplyOptions options;
            options.linkId = copy + QStringLiteral("/odd");
            options.origin = QStringLiteral("dc-a");
            Change change;
            change.seq = id;
            change.key = key;
            change.row = row;
            QString refused;
            try {
                to->applyChanges(targetSchema, {change}, id, options);
            } catch (const FerryError &error) {
                refused = error.message();
            }
            const QString count = QStringLiteral("SELECT count(*) FROM %1 WHERE id = %2").arg(copy).arg(id);
            if (!refused.isEmpty()) {
                // Refused: the message says where, and nothing was written.
                QVERIFY2(refused.contains(copy) && refused.contains(QLatin1Char('"') + column + QLatin1Char('"'))
                             && refused.contains(QStringLiteral("id = %1").arg(id)),
                         qPrintable(what + QStringLiteral(": ") + refused));
                QCOMPARE(target.query(count).at(0).at(0).toLongLong(), 0);
                qInfo("%s: refused: %s", qPrintable(what), qPrintable(refused));
                // PostgreSQL holds every one of them, SQLite a NaN numeric and an ordinary value.
                QVERIFY2(target.backend() == Backend::Sqlite && id != 1 && id != 12, qPrintable(what + QStringLiteral(": refused: ") + refused));
                continue;
            }
            // Applied: exactly the source's value, read from the target database directly.
            QCOMPARE(target.query(count).at(0).at(0).toLongLong(), 1);
            const int index = schema.columnIndex(column);
            const QVariant expected = row.at(index);
            const QList<Row> back = to->fetch(targetSchema, {key});
            QVERIFY2(back.size() == 1, qPrintable(what));
            const QVariant actual = back.first().at(index);
            if (schema.columns.at(index).type == ColumnType::Real) {
                const double a = actual.toDouble(), e = expected.toDouble();
                QVERIFY2(!actual.isNull() && (std::memcmp(&a, &e, sizeof a) == 0 || (std::isnan(a) && std::isnan(e))),
                         qPrintable(what + QStringLiteral(": got %1").arg(actual.toString())));
            } else {
                QVERIFY2(actual == expected, qPrintable(what + QStringLiteral(": got %1, expected %2").arg(actual.toString(), expected.toString())));
            }
            if (target.backend() == Backend::Postgres) {
                // (A date column is created as a timestamp: compared as timestamps.)
                const QString text = column == QLatin1String("d") ? QStringLiteral("SELECT %1::timestamp::text FROM %2 WHERE id = %3")
                                                                  : QStringLiteral("SELECT %1::text FROM %2 WHERE id = %3");
                QCOMPARE(target.query(text.arg(column, copy).arg(id)).at(0).at(0).toString(), pg->query(text.arg(column, source).arg(id)).at(0).at(0).toString());
            } else {
                const QList<QVariantList> direct = target.query(QStringLiteral("SELECT typeof(%1), CAST(%1 AS TEXT) FROM %2 WHERE id = %3").arg(column, copy).arg(id));
                QVERIFY2(direct.at(0).at(0).toString() != QLatin1String("null"), qPrintable(what));
                if (column == QLatin1String("num")) {
                    const QString sourceText = pg->query(QStringLiteral("SELECT num::text FROM %1 WHERE id = %2").arg(source).arg(id)).at(0).at(0).toString();
                    if (direct.at(0).at(0).toString() == QLatin1String("text"))
                        QCOMPARE(direct.at(0).at(1).toString(), sourceText);
                    else if (direct.at(0).at(0).toString() == QLatin1String("real"))
                        QVERIFY2(QString(sourceText).remove(QLatin1Char('-')).remove(QLatin1Char('.')).remove(QRegularExpression(QStringLiteral("^0+"))).size() <= 15,
                                 qPrintable(what + QStringLiteral(": stored as a REAL")));
                }
            }
        }
        // Every value PostgreSQL holds arrives in PostgreSQL.
        if (target.backend() == Backend::Postgres)
            QCOMPARE(target.query(QStringLiteral("SELECT count(*) FROM %1").arg(copy)).at(0).at(0).toLongLong(), qint64(values.size()));
    } FERRY_CATCH_ERRORS
}

} // namespace ferry

QTEST_GUILESS_MAIN(ferry::TestCapture)
#include "tst_capture.moc"
