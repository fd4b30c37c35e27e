// BlockVerifier driven as ferryctl compare drives it: the source Store in the test thread,
// the target behind a LocalEndpoint (its own thread). Randomized convergence over every
// pair of backends, and the protocol's promises: only differing rows travel, extra target
// rows disappear, a dry run writes nothing, progress is paced and adds up.

#include "blocks/blockverifier.h"
#include "rows/canonicalencoder.h"
#include "blocks/localendpoint.h"

#include "testsupport.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <functional>
#include <limits>

namespace ferry {

using namespace ferry::test;

namespace {

using Spec = ScratchDatabase::ColumnSpec;

Backend backendFrom(const QString &name)
{
    return name == QLatin1String("postgres") ? Backend::Postgres : Backend::Sqlite;
}

// What one run of the verifier produced, including every progress report.
struct RunResult
{
    VerificationSummary summary;
    QList<BlockInfo> blocks;
    int progressSignals = 0;
    VerificationProgress lastProgress;
    QHash<int, BlockState> reportedStates;   // the last state each block was reported in
    qint64 digestRangesRequested = 0;        // ranges the target was asked to digest
    qint64 digestedRows = 0;                 // rows the target read for those digests
};

// Passes every call on to a LocalEndpoint and counts the ranges the target had to digest.
class CountingEndpoint : public TargetEndpoint
{
public:
    explicit CountingEndpoint(TargetEndpoint &inner) : m_inner(inner) {}
    QString displayName() const override { return m_inner.displayName(); }
    QFuture<TableSchema> describe(const QString &table) override { return m_inner.describe(table); }
    QFuture<QList<RangeDigest>> digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm) override
    {
        digestRangesRequested += ranges.size();
        return m_inner.digestRanges(schema, ranges, algorithm).then([this](const QList<RangeDigest> &digests) {
            for (const RangeDigest &digest : digests)
                digestedRows += digest.rows;
            return digests;
        });
    }
    QFuture<QList<RangeDigest>> replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges, DigestAlgorithm algorithm) override
    {
        return m_inner.replaceRanges(schema, ranges, algorithm);
    }
    QFuture<QList<Row>> readRange(const TableSchema &schema, const KeyRange &range, int limit) override
    {
        return m_inner.readRange(schema, range, limit);
    }
    qint64 digestRangesRequested = 0;
    std::atomic<qint64> digestedRows{0};   // counted in the target's thread

private:
    TargetEndpoint &m_inner;
};

// A target that answers replace requests without writing anything: what a repair meets
// when something undoes its writes (or the database silently refuses them).
class DroppingEndpoint : public TargetEndpoint
{
public:
    explicit DroppingEndpoint(TargetEndpoint &inner) : m_inner(inner) {}
    QString displayName() const override { return m_inner.displayName(); }
    QFuture<TableSchema> describe(const QString &table) override { return m_inner.describe(table); }
    QFuture<QList<RangeDigest>> digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm) override
    {
        return m_inner.digestRanges(schema, ranges, algorithm);
    }
    QFuture<QList<RangeDigest>> replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges, DigestAlgorithm algorithm) override
    {
        ++replaces;
        QList<KeyRange> keyRanges;
        for (const RangeRows &part : ranges)
            keyRanges.append(part.range);
        return m_inner.digestRanges(schema, keyRanges, algorithm);   // the "applied" digests of what is still there
    }
    QFuture<QList<Row>> readRange(const TableSchema &schema, const KeyRange &range, int limit) override
    {
        return m_inner.readRange(schema, range, limit);
    }
    int replaces = 0;

private:
    TargetEndpoint &m_inner;
};

RunResult runVerifier(Store &source, const TableSchema &sourceSchema, const ScratchDatabase &targetDb, const QString &targetTable,
                      const VerifierOptions &options, bool targetReadOnly)
{
    LocalEndpoint local(targetDb.dataSource(targetTable), Store::Options{targetReadOnly, 2000});
    CountingEndpoint endpoint(local);
    const TableSchema targetSchema = endpoint.describe(targetTable).result();
    const QString difference = schemaDifference(sourceSchema, targetSchema);
    if (!difference.isEmpty())
        throw FerryError(QStringLiteral("schemas differ: ") + difference);
    BlockVerifier verifier(source, sourceSchema, endpoint, targetSchema, options);
    RunResult result;
    QObject::connect(&verifier, &BlockVerifier::progressUpdated, [&](const VerificationProgress &progress) {
        ++result.progressSignals;
        result.lastProgress = progress;
        for (const auto &[index, block] : progress.changedBlocks)
            result.reportedStates.insert(index, block.state);
    });
    result.summary = verifier.run();
    result.blocks = verifier.blocks();
    result.digestRangesRequested = endpoint.digestRangesRequested;
    result.digestedRows = endpoint.digestedRows;
    return result;
}

RunResult runVerifier(Store &source, const TableSchema &sourceSchema, const ScratchDatabase &targetDb, const QString &targetTable,
                      const VerifierOptions &options)
{
    return runVerifier(source, sourceSchema, targetDb, targetTable, options, !options.repair);
}

QString summaryText(const VerificationSummary &s)
{
    return QStringLiteral("blocks %1, differing %2, repaired %3, failed %4, rows compared %5, target rows %6, sent %7, identical %8%9")
        .arg(s.blocks)
        .arg(s.blocksDiffering)
        .arg(s.blocksRepaired)
        .arg(s.blocksFailed)
        .arg(s.rowsCompared)
        .arg(s.targetRows)
        .arg(s.rowsSent)
        .arg(s.identicalAfter ? QStringLiteral("yes") : QStringLiteral("no"))
        .arg(s.failures.isEmpty() ? QString() : QStringLiteral("; ") + s.failures.join(QLatin1String("; ")));
}

// Blocks cover the whole key space, in order, without gaps or overlaps.
QString blockCoverageProblem(const QList<ColumnType> &keyTypes, const QList<BlockInfo> &blocks)
{
    if (blocks.isEmpty())
        return QStringLiteral("no blocks");
    if (blocks.first().range.hasLo())
        return QStringLiteral("first block has a lower bound");
    if (blocks.last().range.hasHi())
        return QStringLiteral("last block has an upper bound");
    for (int i = 0; i + 1 < blocks.size(); ++i) {
        if (!blocks.at(i).range.hasHi() || !blocks.at(i + 1).range.hasLo()
            || compareKeys(keyTypes, blocks.at(i).range.hi, blocks.at(i + 1).range.lo) != 0)
            return QStringLiteral("blocks %1 and %2 do not meet").arg(i).arg(i + 1);
        if (blocks.at(i).range.hasLo() && compareKeys(keyTypes, blocks.at(i).range.lo, blocks.at(i).range.hi) >= 0)
            return QStringLiteral("block %1 is empty or reversed").arg(i);
    }
    return QString();
}

// Table shapes for the randomized rounds, and keys that lie before or after every key the
// random generator makes.
struct Shape
{
    QString name;
    QList<Spec> columns;
    QList<int> key;
    std::function<Key(RandomRows &, bool before)> outside;
};

QList<Shape> shapes()
{
    const qint64 year1800 = Q_INT64_C(-5364662400000000);
    const qint64 year2200 = Q_INT64_C(7258118400000000);
    return {
        {QStringLiteral("int"),
         {Spec{QStringLiteral("id"), ColumnType::Integer, true}, Spec{QStringLiteral("t"), ColumnType::Text}, Spec{QStringLiteral("r"), ColumnType::Real},
          Spec{QStringLiteral("b"), ColumnType::Blob}, Spec{QStringLiteral("f"), ColumnType::Boolean}, Spec{QStringLiteral("ts"), ColumnType::Timestamp},
          Spec{QStringLiteral("n"), ColumnType::Numeric}, Spec{QStringLiteral("i"), ColumnType::Integer}},
         {0},
         [](RandomRows &random, bool before) {
             const qlonglong offset = random.bounded(1000000);
             if (random.bounded(10) == 0)
                 return Key{before ? qlonglong(std::numeric_limits<qint64>::min()) + offset : qlonglong(std::numeric_limits<qint64>::max()) - offset};
             return Key{before ? qlonglong(-2000000) - offset : qlonglong(2000000) + offset};
         }},
        {QStringLiteral("text_int"),
         {Spec{QStringLiteral("v"), ColumnType::Text}, Spec{QStringLiteral("k1"), ColumnType::Text, true}, Spec{QStringLiteral("k2"), ColumnType::Integer, true},
          Spec{QStringLiteral("r"), ColumnType::Real}, Spec{QStringLiteral("b"), ColumnType::Blob}},
         {1, 2},
         [](RandomRows &random, bool before) {
             // The generator makes no empty text keys; nothing sorts after U+10FFFF.
             const qlonglong n = random.bounded(1000);
             return before ? Key{QString(""), n} : Key{QString::fromUtf8("\xF4\x8F\xBF\xBF") + QStringLiteral("z"), n};
         }},
        {QStringLiteral("ts_num"),
         {Spec{QStringLiteral("ts"), ColumnType::Timestamp, true}, Spec{QStringLiteral("n"), ColumnType::Numeric, true},
          Spec{QStringLiteral("flag"), ColumnType::Boolean}, Spec{QStringLiteral("note"), ColumnType::Text, true}},
         {0, 1},
         [year1800, year2200](RandomRows &random, bool before) {
             const qlonglong offset = random.bounded(1000000000);
             return before ? Key{qlonglong(year1800 - offset), QStringLiteral("1.5")} : Key{qlonglong(year2200 + offset), QStringLiteral("-2")};
         }},
        {QStringLiteral("num"),
         {Spec{QStringLiteral("n"), ColumnType::Numeric, true}, Spec{QStringLiteral("r"), ColumnType::Real}, Spec{QStringLiteral("t"), ColumnType::Text}},
         {0},
         [](RandomRows &random, bool before) {
             const QString digits = QString::number(random.bounded(1000000));
             return Key{normalizeNumeric(before ? QStringLiteral("-1000000000.") + digits : QStringLiteral("1000000000.") + digits)};
         }},
    };
}

// Random updates, deletes (single and runs), inserts inside and outside the key span.
void mutate(Store &store, const TableSchema &schema, const Shape &shape, RandomRows &random, const QList<Row> &rows, int changes)
{
    QList<Row> upserts;
    QList<Key> removals;
    for (int i = 0; i < changes; ++i) {
        const int pick = rows.isEmpty() ? 0 : random.bounded(int(rows.size()));
        switch (random.bounded(8)) {
        case 0:
        case 1:
        case 2:
            if (!rows.isEmpty())
                upserts.append(random.rowWithKey(schema, schema.keyOf(rows.at(pick))));
            break;
        case 3:
        case 4:
            if (!rows.isEmpty())
                removals.append(schema.keyOf(rows.at(pick)));
            break;
        case 5:
            upserts.append(random.rows(schema, 1).first());
            break;
        case 6:
            upserts.append(random.rowWithKey(schema, shape.outside(random, random.bounded(2) == 0)));
            break;
        case 7: {
            const int run = 1 + random.bounded(40);
            for (int j = pick; j < std::min<qsizetype>(rows.size(), pick + run); ++j)
                removals.append(schema.keyOf(rows.at(j)));
            break;
        }
        }
    }
    store.upsert(schema, upserts);
    store.remove(schema, removals);
}

// Makes a simple (id, v, n) table of count rows with ids 0, 2, 4, ... written by SQL.
void fillNumbered(ScratchDatabase &db, const QString &table, int count)
{
    db.exec(QStringLiteral("CREATE TABLE %1 (id %2 NOT NULL PRIMARY KEY, v %3, n %4)")
                .arg(table, ScratchDatabase::declaredType(db.backend(), ColumnType::Integer),
                     ScratchDatabase::declaredType(db.backend(), ColumnType::Text), ScratchDatabase::declaredType(db.backend(), ColumnType::Numeric)));
    if (count <= 0)
        return;
    if (db.backend() == Backend::Postgres) {
        db.exec(QStringLiteral("INSERT INTO %1 SELECT 2 * x, 'value ' || x, x / 100.0 FROM generate_series(0, %2) AS x").arg(table).arg(count - 1));
    } else {
        db.exec(QStringLiteral("WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x < %2) "
                               "INSERT INTO %1 SELECT 2 * x, 'value ' || x, x / 100.0 FROM s")
                    .arg(table)
                    .arg(count - 1));
    }
}

void addPairs()
{
    QTest::addColumn<QString>("sourceBackend");
    QTest::addColumn<QString>("targetBackend");
    QTest::newRow("sqlite->sqlite") << QStringLiteral("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres->postgres") << QStringLiteral("postgres") << QStringLiteral("postgres");
    QTest::newRow("sqlite->postgres") << QStringLiteral("sqlite") << QStringLiteral("postgres");
    QTest::newRow("postgres->sqlite") << QStringLiteral("postgres") << QStringLiteral("sqlite");
}

void addSameBackendPairs()
{
    QTest::addColumn<QString>("sourceBackend");
    QTest::addColumn<QString>("targetBackend");
    QTest::newRow("sqlite->sqlite") << QStringLiteral("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgres->postgres") << QStringLiteral("postgres") << QStringLiteral("postgres");
}

} // namespace

// Opens source and target scratch databases for the row's backends.
#define SCRATCH_PAIR(source, target)                                                                         \
    QFETCH(QString, sourceBackend);                                                                          \
    QFETCH(QString, targetBackend);                                                                          \
    if (sourceBackend == QLatin1String("postgres") || targetBackend == QLatin1String("postgres"))            \
        FERRY_REQUIRE_POSTGRES();                                                                            \
    std::unique_ptr<ScratchDatabase> source;                                                                 \
    std::unique_ptr<ScratchDatabase> target;                                                                 \
    FERRY_NO_THROW(source = std::make_unique<ScratchDatabase>(backendFrom(sourceBackend)));                  \
    FERRY_NO_THROW(target = std::make_unique<ScratchDatabase>(backendFrom(targetBackend)))

class TestVerifier : public QObject
{
    Q_OBJECT

private slots:
    void randomizedConvergence_data() { addPairs(); }
    void randomizedConvergence();
    void oneRowChangeShipsFewRows_data();
    void oneRowChangeShipsFewRows();
    void scatteredChangesShipFewRows_data() { addSameBackendPairs(); }
    void scatteredChangesShipFewRows();
    void extraRowsOutsideSourceKeysAreDeleted_data() { addPairs(); }
    void extraRowsOutsideSourceKeysAreDeleted();
    void emptySourceEmptiesTarget_data() { addPairs(); }
    void emptySourceEmptiesTarget();
    void emptySourceAndTarget_data() { addSameBackendPairs(); }
    void emptySourceAndTarget();
    void emptyTargetGetsEverything_data() { addSameBackendPairs(); }
    void emptyTargetGetsEverything();
    void repairThatDoesNotHoldFails_data() { addSameBackendPairs(); }
    void repairThatDoesNotHoldFails();
    void descentStartsInThePlan_data() { addSameBackendPairs(); }
    void descentStartsInThePlan();
    void blockBoundaries_data();
    void blockBoundaries();
    void dryRunWritesNothing_data() { addSameBackendPairs(); }
    void dryRunWritesNothing();
    void verifyOnlyListsExactlyThePlantedKeys_data() { addPairs(); }
    void verifyOnlyListsExactlyThePlantedKeys();
    void diffRowsSplitsMissingExtraDifferent();
    void adaptiveBlocksConverge_data() { addSameBackendPairs(); }
    void adaptiveBlocksConverge();
    void sha256Digest_data() { addPairs(); }
    void sha256Digest();
    void progressIsPacedAndAddsUp();
};

void TestVerifier::randomizedConvergence()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QList<Shape> allShapes = shapes();
        // The verifier reads the source through a read-only connection, as ferryctl does.
        const auto sourceStore = sourceDb->open(true);
        for (quint32 seed = 1; seed <= 20; ++seed) {
            RandomRows random(seed * 7919 + (sourceBackend.size() << 8) + targetBackend.size());
            const Shape &shape = allShapes.at(seed % allShapes.size());
            const QString sourceTable = sourceDb->name(QStringLiteral("src_%1").arg(seed));
            const QString targetTable = targetDb->name(QStringLiteral("tgt_%1").arg(seed));
            const TableSchema sourceSchema = sourceDb->createTable(sourceTable, shape.columns, shape.key);
            const TableSchema targetSchema = targetDb->createTable(targetTable, shape.columns, shape.key);
            Store &sourceWriter = sourceDb->store();
            Store &targetWriter = targetDb->store();

            // A copy, then the target drifts a lot and the source a little.
            const int count = seed % 5 == 0 ? 2500 : 100 + random.bounded(700);
            const QList<Row> rows = random.rows(sourceSchema, count);
            sourceWriter.upsert(sourceSchema, rows);
            if (sourceDb->backend() == Backend::Postgres && targetDb->backend() == Backend::Postgres)
                targetDb->exec(QStringLiteral("INSERT INTO %1 SELECT * FROM %2").arg(targetTable, sourceTable));   // same server: faster
            else
                targetWriter.upsert(targetSchema, rows);
            const int targetChanges = seed % 7 == 0 ? 0 : random.bounded(60);
            const int sourceChanges = seed % 7 == 0 ? 0 : random.bounded(10);
            mutate(targetWriter, targetSchema, shape, random, rows, targetChanges);
            mutate(sourceWriter, sourceSchema, shape, random, rows, sourceChanges);

            VerifierOptions options;
            options.repair = true;
            options.blockRows = QList<int>{7, 64, 100, 250, 1000}.at(random.bounded(5));
            options.fanout = QList<int>{2, 3, 16, 64}.at(random.bounded(4));
            options.leafRows = QList<int>{1, 1, 4, 32}.at(random.bounded(4));
            options.batchBlocks = QList<int>{1, 5, 256}.at(random.bounded(3));
            options.descentBlocks = QList<int>{1, 3, 64}.at(random.bounded(3));
            options.digest = seed % 2 ? DigestAlgorithm::Md5 : DigestAlgorithm::Sha256;
            options.splitPlanShare = QList<double>{0, 0.25, 2}.at(seed % 3);   // sub-ranges in the plan requests: always, usually, never
            const QString context = QStringLiteral("seed %1 (split plan at %11), shape %2, %3 rows, blockRows %4, fanout %5, leafRows %6, batch %7, descent %8, %9 target and %10 source changes")
                                        .arg(seed)
                                        .arg(shape.name)
                                        .arg(count)
                                        .arg(options.blockRows)
                                        .arg(options.fanout)
                                        .arg(options.leafRows)
                                        .arg(options.batchBlocks)
                                        .arg(options.descentBlocks)
                                        .arg(targetChanges)
                                        .arg(sourceChanges)
                                        .arg(options.splitPlanShare);

            const RunResult result = runVerifier(*sourceStore, sourceSchema, *targetDb, targetTable, options);
            const VerificationSummary &summary = result.summary;
            const QString text = context + QStringLiteral(": ") + summaryText(summary);
            QVERIFY2(summary.identicalAfter, qPrintable(text));
            QVERIFY2(summary.blocksFailed == 0 && summary.failures.isEmpty(), qPrintable(text));
            QVERIFY2(summary.blocksRepaired == summary.blocksDiffering, qPrintable(text));
            if (targetChanges == 0 && sourceChanges == 0) {
                QCOMPARE(summary.blocksDiffering, 0);
                QCOMPARE(summary.rowsSent, qint64(0));
            }
            QCOMPARE(summary.blocks, int(result.blocks.size()));
            const QString coverage = blockCoverageProblem(sourceSchema.keyTypes(), result.blocks);
            QVERIFY2(coverage.isEmpty(), qPrintable(context + QStringLiteral(": ") + coverage));
            qint64 blockRows = 0;
            for (const BlockInfo &block : result.blocks) {
                QVERIFY2(block.state == BlockState::Equal || block.state == BlockState::Repaired, qPrintable(text));
                QCOMPARE(block.targetRows, block.sourceRows);
                QCOMPARE(block.targetDigest, block.sourceDigest);
                blockRows += block.sourceRows;
            }

            // The truth: both tables read in full are the same rows.
            const QList<Row> sourceRows = readAll(*sourceStore, sourceSchema);
            const QList<Row> targetRows = readAll(targetDb->store(), targetSchema);
            QCOMPARE(summary.rowsCompared, qint64(sourceRows.size()));
            QCOMPARE(summary.targetRows, qint64(sourceRows.size()));
            QCOMPARE(blockRows, qint64(sourceRows.size()));
            const QString difference = rowsDifference(sourceSchema, sourceRows, targetRows);
            QVERIFY2(difference.isEmpty(), qPrintable(context + QStringLiteral(": ") + difference));

            // A second pass finds nothing to do (every few seeds: connections cost time).
            if (seed % 3 != 0)
                continue;
            options.repair = false;
            const RunResult again = runVerifier(*sourceStore, sourceSchema, *targetDb, targetTable, options);
            QVERIFY2(again.summary.identicalAfter && again.summary.blocksDiffering == 0, qPrintable(context + QStringLiteral(": second pass: ") + summaryText(again.summary)));
        }
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::oneRowChangeShipsFewRows_data()
{
    QTest::addColumn<QString>("sourceBackend");
    QTest::addColumn<QString>("targetBackend");
    QTest::addColumn<QString>("change");
    for (const char *change : {"update", "delete", "insert"}) {
        QTest::addRow("sqlite %s", change) << QStringLiteral("sqlite") << QStringLiteral("sqlite") << QString::fromLatin1(change);
        QTest::addRow("postgres %s", change) << QStringLiteral("postgres") << QStringLiteral("postgres") << QString::fromLatin1(change);
    }
}

// A 1000-row block with one row changed: the descent finds it, at most 2 rows travel.
void TestVerifier::oneRowChangeShipsFewRows()
{
    QFETCH(QString, change);
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("one_src"));
        const QString targetTable = targetDb->name(QStringLiteral("one_tgt"));
        fillNumbered(*sourceDb, sourceTable, 1000);
        fillNumbered(*targetDb, targetTable, 1000);
        if (change == QLatin1String("update"))
            targetDb->exec(QStringLiteral("UPDATE %1 SET v = 'drifted' WHERE id = 1234").arg(targetTable));
        else if (change == QLatin1String("delete"))
            targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = 1234").arg(targetTable));
        else
            targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (1235, 'extra', 1)").arg(targetTable));

        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 1000;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        const QString text = summaryText(result.summary);
        QVERIFY2(result.summary.identicalAfter, qPrintable(text));
        QCOMPARE(result.summary.blocks, 1);
        QCOMPARE(result.summary.blocksDiffering, 1);
        QCOMPARE(result.summary.blocksRepaired, 1);
        QVERIFY2(result.summary.rowsSent >= 1 && result.summary.rowsSent <= 2, qPrintable(text));
        // bytesSent counts the canonical bytes of the shipped rows only.
        const QList<Row> sourceRows = readAll(*sourceStore, schema);
        qint64 smallest = std::numeric_limits<qint64>::max();
        qint64 largest = 0;
        for (const Row &row : sourceRows) {
            const qint64 size = CanonicalEncoder::encodeRow(schema, row).size();
            smallest = std::min(smallest, size);
            largest = std::max(largest, size);
        }
        QVERIFY2(result.summary.bytesSent >= smallest * result.summary.rowsSent && result.summary.bytesSent <= largest * result.summary.rowsSent,
                 qPrintable(text + QStringLiteral(", %1 bytes").arg(result.summary.bytesSent)));
        const QString difference = rowsDifference(schema, sourceRows, readAll(targetDb->store(), targetSchema));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }
    FERRY_CATCH_ERRORS
}

// 10 scattered changes in a 20000-row table: at most 2 rows per change travel.
void TestVerifier::scatteredChangesShipFewRows()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("scattered_src"));
        const QString targetTable = targetDb->name(QStringLiteral("scattered_tgt"));
        fillNumbered(*sourceDb, sourceTable, 20000);
        fillNumbered(*targetDb, targetTable, 20000);
        for (int i = 0; i < 10; ++i) {
            const int id = 2 * (1000 + i * 1913);
            switch (i % 3) {
            case 0: targetDb->exec(QStringLiteral("UPDATE %1 SET n = -1 WHERE id = %2").arg(targetTable).arg(id)); break;
            case 1: targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = %2").arg(targetTable).arg(id)); break;
            default: targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (%2, 'extra', NULL)").arg(targetTable).arg(id + 1)); break;
            }
        }
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        const QString text = summaryText(result.summary);
        QVERIFY2(result.summary.identicalAfter, qPrintable(text));
        QCOMPARE(result.summary.blocks, 20);
        QCOMPARE(result.summary.blocksDiffering, 10);   // one change per block, by construction
        QVERIFY2(result.summary.rowsSent >= 10 && result.summary.rowsSent <= 20, qPrintable(text));
        QCOMPARE(result.summary.rowsCompared, qint64(20000));
        const QString difference = rowsDifference(schema, readAll(*sourceStore, schema), readAll(targetDb->store(), targetSchema));
        QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }
    FERRY_CATCH_ERRORS
}

// Rows on the target before the first source key and after the last one belong to the
// first and last blocks (unbounded ranges) and are deleted by the repair.
void TestVerifier::extraRowsOutsideSourceKeysAreDeleted()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("ends_src"));
        const QString targetTable = targetDb->name(QStringLiteral("ends_tgt"));
        fillNumbered(*sourceDb, sourceTable, 1000);   // ids 0..1998
        fillNumbered(*targetDb, targetTable, 1000);
        for (const QString &id : {QStringLiteral("-9223372036854775808"), QStringLiteral("-50"), QStringLiteral("-1"),
                                 QStringLiteral("1999"), QStringLiteral("2000"), QStringLiteral("5000"), QStringLiteral("9223372036854775807")})
            targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (%2, 'outside', 0)").arg(targetTable, id));

        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 100;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        const QString text = summaryText(result.summary);
        QVERIFY2(result.summary.identicalAfter, qPrintable(text));
        QCOMPARE(result.summary.blocks, 10);
        QCOMPARE(result.summary.blocksDiffering, 2);   // only the first and the last block
        QCOMPARE(result.blocks.first().state, BlockState::Repaired);
        QCOMPARE(result.blocks.last().state, BlockState::Repaired);
        for (int i = 1; i < 9; ++i)
            QCOMPARE(result.blocks.at(i).state, BlockState::Equal);
        QVERIFY2(result.summary.rowsSent <= 4, qPrintable(text));
        const QList<Row> targetRows = readAll(targetDb->store(), targetSchema);
        QCOMPARE(targetRows.size(), 1000);
        QCOMPARE(rowsDifference(schema, readAll(*sourceStore, schema), targetRows), QString());
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::emptySourceEmptiesTarget()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("empty_src"));
        const QString targetTable = targetDb->name(QStringLiteral("full_tgt"));
        fillNumbered(*sourceDb, sourceTable, 0);
        fillNumbered(*targetDb, targetTable, 500);
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 100;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        const QString text = summaryText(result.summary);
        QVERIFY2(result.summary.identicalAfter, qPrintable(text));
        QCOMPARE(result.summary.blocks, 1);   // one block covering every key
        QCOMPARE(result.summary.blocksDiffering, 1);
        QCOMPARE(result.summary.rowsCompared, qint64(0));
        QCOMPARE(result.summary.rowsSent, qint64(0));
        QCOMPARE(result.blocks.first().state, BlockState::Repaired);
        QCOMPARE(readAll(targetDb->store(), targetSchema).size(), 0);
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::emptySourceAndTarget()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("empty_src"));
        const QString targetTable = targetDb->name(QStringLiteral("empty_tgt"));
        fillNumbered(*sourceDb, sourceTable, 0);
        fillNumbered(*targetDb, targetTable, 0);
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        for (bool repair : {false, true}) {
            VerifierOptions options;
            options.repair = repair;
            const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
            QVERIFY2(result.summary.identicalAfter, qPrintable(summaryText(result.summary)));
            QCOMPARE(result.summary.blocks, 1);
            QCOMPARE(result.summary.blocksDiffering, 0);
            QCOMPARE(result.summary.rowsSent, qint64(0));
            QCOMPARE(result.blocks.first().state, BlockState::Equal);
            QCOMPARE(result.blocks.first().sourceDigest, Digest::of(DigestAlgorithm::Md5, QByteArray()));
        }
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::emptyTargetGetsEverything()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("full_src"));
        const QString targetTable = targetDb->name(QStringLiteral("empty_tgt"));
        fillNumbered(*sourceDb, sourceTable, 777);
        fillNumbered(*targetDb, targetTable, 0);
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 100;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QVERIFY2(result.summary.identicalAfter, qPrintable(summaryText(result.summary)));
        QCOMPARE(result.summary.blocks, 8);
        QCOMPARE(result.summary.blocksDiffering, 8);
        QCOMPARE(result.summary.rowsSent, qint64(777));
        // Blocks missing on the target ship whole: each block is digested once to find it
        // differs, with no descent into sub-ranges; the digests the target computes after
        // applying the rows (the replace's answer) confirm the repair, without another request.
        QCOMPARE(result.digestRangesRequested, qint64(result.summary.blocks));
        qint64 bytes = 0;
        const QList<Row> sourceRows = readAll(*sourceStore, schema);
        for (const Row &row : sourceRows)
            bytes += CanonicalEncoder::encodeRow(schema, row).size();
        QCOMPARE(result.summary.bytesSent, bytes);
        QCOMPARE(rowsDifference(schema, sourceRows, readAll(targetDb->store(), targetSchema)), QString());
    }
    FERRY_CATCH_ERRORS
}

// Every repaired block is confirmed against the target: when the repair does not hold, the
// block is tried maxAttempts times, then reported failed; shipped whole (nothing on the
// target) or by descent, with the plan split into sub-ranges or not.
void TestVerifier::repairThatDoesNotHoldFails()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("nohold_src"));
        fillNumbered(*sourceDb, sourceTable, 1000);
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        for (int round = 0; round < 3; ++round) {
            // Round 0: the target is empty (whole blocks); 1 and 2: one row differs in blocks
            // 2 and 7 (descent), the plan split into sub-ranges in round 2.
            const QString targetTable = targetDb->name(QStringLiteral("nohold_tgt%1").arg(round));
            fillNumbered(*targetDb, targetTable, round == 0 ? 0 : 1000);
            if (round > 0)
                targetDb->exec(QStringLiteral("UPDATE %1 SET v = 'drift' WHERE id IN (450, 1430)").arg(targetTable));
            LocalEndpoint local(targetDb->dataSource(targetTable), Store::Options{false, 2000});
            DroppingEndpoint endpoint(local);
            VerifierOptions options;
            options.repair = true;
            options.blockRows = 100;
            options.maxAttempts = 3;
            options.splitPlanShare = round == 2 ? 0 : 2;
            BlockVerifier verifier(*sourceStore, schema, endpoint, endpoint.describe(targetTable).result(), options);
            const VerificationSummary summary = verifier.run();
            const QString text = summaryText(summary);
            const int differing = round == 0 ? 10 : 2;
            QVERIFY2(!summary.identicalAfter, qPrintable(text));
            QCOMPARE(summary.blocksDiffering, differing);
            QCOMPARE(summary.blocksRepaired, 0);
            QCOMPARE(summary.blocksFailed, differing);
            QCOMPARE(summary.failures.size(), differing);
            QVERIFY2(summary.failures.first().contains(QLatin1String("still differs after 3 repair attempts")), qPrintable(text));
            int failed = 0;
            for (const BlockInfo &block : verifier.blocks()) {
                if (block.state == BlockState::Failed) {
                    ++failed;
                    QCOMPARE(block.attempts, 3);
                    QVERIFY(block.targetDigest != block.sourceDigest || block.targetRows != block.sourceRows);
                } else {
                    QCOMPARE(block.state, BlockState::Equal);
                }
            }
            QCOMPARE(failed, differing);
            QVERIFY2(endpoint.replaces >= 3, qPrintable(QStringLiteral("%1 replace requests").arg(endpoint.replaces)));
        }
    }
    FERRY_CATCH_ERRORS
}

// When many blocks differ, the plan requests ask for each block's first sub-ranges: the
// descent starts one level down, and the target reads every differing block once less.
void TestVerifier::descentStartsInThePlan()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("split_src"));
        const QString targetTable = targetDb->name(QStringLiteral("split_tgt"));
        fillNumbered(*sourceDb, sourceTable, 2000);   // ids 0, 2, ..., 3998
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        qint64 digested[2] = {0, 0};
        for (int split = 0; split < 2; ++split) {
            targetDb->exec(QStringLiteral("DROP TABLE IF EXISTS %1").arg(targetTable));
            fillNumbered(*targetDb, targetTable, 2000);
            targetDb->exec(QStringLiteral("UPDATE %1 SET v = 'drift' WHERE id % 200 = 58").arg(targetTable));   // one row in every block
            VerifierOptions options;
            options.repair = true;
            options.blockRows = 100;
            options.splitPlanShare = split ? 0 : 2;
            const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
            const QString text = summaryText(result.summary);
            QVERIFY2(result.summary.identicalAfter && result.summary.blocksFailed == 0, qPrintable(text));
            QCOMPARE(result.summary.blocksDiffering, 20);
            QCOMPARE(result.summary.blocksRepaired, 20);
            QCOMPARE(result.summary.rowsSent, qint64(20));
            for (const BlockInfo &block : result.blocks)
                QCOMPARE(block.targetDigest, block.sourceDigest);
            digested[split] = result.digestedRows;
        }
        // Both read the table to plan and the 20 blocks to confirm them; only the first
        // reads the 20 blocks again to compare their first sub-ranges.
        QVERIFY2(digested[1] + 2000 <= digested[0], qPrintable(QStringLiteral("rows digested: %1 without, %2 with sub-ranges in the plan").arg(digested[0]).arg(digested[1])));

        // A verification of equal tables in that mode finds them equal, digests included.
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 100;
        options.splitPlanShare = 0;
        const RunResult again = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QVERIFY2(again.summary.identicalAfter && again.summary.blocksDiffering == 0, qPrintable(summaryText(again.summary)));
        for (const BlockInfo &block : again.blocks) {
            QCOMPARE(block.state, BlockState::Equal);
            QCOMPARE(block.targetDigest, block.sourceDigest);
            QCOMPARE(block.targetRows, block.sourceRows);
        }
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::blockBoundaries_data()
{
    QTest::addColumn<QString>("sourceBackend");
    QTest::addColumn<QString>("targetBackend");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("blockRows");
    for (const char *backend : {"sqlite", "postgres"}) {
        for (const auto &[rows, blockRows] : QList<QPair<int, int>>{{1, 100}, {99, 100}, {100, 100}, {101, 100}, {200, 100}, {201, 100}, {10, 1}}) {
            QTest::addRow("%s %d rows, blocks of %d", backend, rows, blockRows)
                << QString::fromLatin1(backend) << QString::fromLatin1(backend) << rows << blockRows;
        }
    }
}

// Exactly blockRows rows make one block, one more makes two; changes on either side of
// every boundary are repaired.
void TestVerifier::blockBoundaries()
{
    QFETCH(int, rows);
    QFETCH(int, blockRows);
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("bounds_src"));
        const QString targetTable = targetDb->name(QStringLiteral("bounds_tgt"));
        fillNumbered(*sourceDb, sourceTable, rows);   // ids 0, 2, ..., 2 * (rows - 1)
        fillNumbered(*targetDb, targetTable, rows);
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        const int expectedBlocks = (rows + blockRows - 1) / blockRows;

        VerifierOptions options;
        options.blockRows = blockRows;
        const RunResult clean = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QCOMPARE(clean.summary.blocks, expectedBlocks);
        QCOMPARE(clean.summary.blocksDiffering, 0);
        QVERIFY(clean.summary.identicalAfter);
        QCOMPARE(blockCoverageProblem(schema.keyTypes(), clean.blocks), QString());
        for (int i = 0; i < expectedBlocks; ++i) {
            QCOMPARE(clean.blocks.at(i).sourceRows, qint64(std::min(blockRows, rows - i * blockRows)));
            if (i > 0)   // a block starts at its first row's key
                QCOMPARE(clean.blocks.at(i).range.lo, Key{qlonglong(2 * i * blockRows)});
        }

        // Around every boundary: delete the last row of the block before, change the first
        // row of the block after, add a key just below the boundary key.
        for (int i = 1; i <= expectedBlocks; ++i) {
            const int first = 2 * i * blockRows;   // the first id of block i (may not exist)
            targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = %2").arg(targetTable).arg(first - 2));
            targetDb->exec(QStringLiteral("UPDATE %1 SET v = 'changed' WHERE id = %2").arg(targetTable).arg(first));
            targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (%2, 'extra', 1)").arg(targetTable).arg(first - 1));
        }
        options.repair = true;
        const RunResult repaired = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QVERIFY2(repaired.summary.identicalAfter, qPrintable(summaryText(repaired.summary)));
        QCOMPARE(repaired.summary.blocks, expectedBlocks);
        QCOMPARE(repaired.summary.blocksDiffering, expectedBlocks);
        QCOMPARE(rowsDifference(schema, readAll(*sourceStore, schema), readAll(targetDb->store(), targetSchema)), QString());
    }
    FERRY_CATCH_ERRORS
}

// Without --repair the verifier only reports, even through a writable connection.
void TestVerifier::dryRunWritesNothing()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("dry_src"));
        const QString targetTable = targetDb->name(QStringLiteral("dry_tgt"));
        fillNumbered(*sourceDb, sourceTable, 1000);
        fillNumbered(*targetDb, targetTable, 1000);
        // Differences in blocks 0, 4 and 9 (blocks of 100 rows, ids step 2).
        targetDb->exec(QStringLiteral("UPDATE %1 SET v = NULL WHERE id = 10").arg(targetTable));
        targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = 850").arg(targetTable));
        targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (100001, 'extra', 1)").arg(targetTable));

        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        const QList<Row> before = readAll(targetDb->store(), targetSchema);
        // First through a writable connection (the verifier itself must not write), then
        // read-only as ferryctl opens it.
        for (bool readOnlyTarget : {false, true}) {
            VerifierOptions options;
            options.repair = false;
            options.blockRows = 100;
            const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options, readOnlyTarget);
            const QString text = summaryText(result.summary);
            QVERIFY2(!result.summary.identicalAfter, qPrintable(text));
            QCOMPARE(result.summary.blocks, 10);
            QCOMPARE(result.summary.blocksDiffering, 3);
            QCOMPARE(result.summary.blocksRepaired, 0);
            QCOMPARE(result.summary.rowsSent, qint64(0));
            QCOMPARE(result.summary.bytesSent, qint64(0));
            QCOMPARE(result.summary.targetRows, qint64(1000));
            for (int i = 0; i < result.blocks.size(); ++i) {
                const bool differs = i == 0 || i == 4 || i == 9;
                QCOMPARE(result.blocks.at(i).state, differs ? BlockState::Differs : BlockState::Equal);
            }
            QCOMPARE(result.blocks.at(4).targetRows, qint64(99));
            QCOMPARE(result.blocks.at(9).targetRows, qint64(101));
            const QList<Row> after = readAll(targetDb->store(), targetSchema);
            QCOMPARE(rowsDifference(schema, before, after), QString());
        }
    }
    FERRY_CATCH_ERRORS
}

// Verify-only with listKeys: the differing keys of each differing block, split into
// missing, extra and different, with both sides' rows; nothing written; the listing is
// capped, the counts are not.
void TestVerifier::verifyOnlyListsExactlyThePlantedKeys()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("keys_src"));
        const QString targetTable = targetDb->name(QStringLiteral("keys_tgt"));
        fillNumbered(*sourceDb, sourceTable, 1000);
        fillNumbered(*targetDb, targetTable, 1000);
        // Blocks of 100 rows, ids step 2: block 0 has a different row and a missing one,
        // block 4 a missing one, block 9 an extra one (past the last source key).
        targetDb->exec(QStringLiteral("UPDATE %1 SET v = 'drift' WHERE id = 10").arg(targetTable));
        targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = 12").arg(targetTable));
        targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = 850").arg(targetTable));
        targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (100001, 'extra', 1)").arg(targetTable));
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        const QList<Row> before = readAll(targetDb->store(), targetSchema);

        VerifierOptions options;
        options.repair = false;
        options.blockRows = 100;
        options.listKeys = 100;
        RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QCOMPARE(result.summary.blocksDiffering, 3);
        QCOMPARE(result.summary.missingKeys, qint64(2));
        QCOMPARE(result.summary.extraKeys, qint64(1));
        QCOMPARE(result.summary.differentKeys, qint64(1));
        QVERIFY(result.summary.differencesComplete);
        QCOMPARE(result.summary.differences.size(), 3);
        QStringList listed;
        for (const RangeDifferences &block : std::as_const(result.summary.differences)) {
            QCOMPARE(block.total(), qint64(block.rows.size()));
            for (const RowDifference &row : block.rows)
                listed.append(QStringLiteral("%1 %2 %3").arg(block.block).arg(rowDifferenceKindName(row.kind)).arg(row.key.value(0).toLongLong()));
        }
        QCOMPARE(listed, QStringList({QStringLiteral("0 different 10"), QStringLiteral("0 missing 12"), QStringLiteral("4 missing 850"),
                                      QStringLiteral("9 extra 100001")}));
        // Both sides' rows, as the databases hold them.
        const RowDifference &different = result.summary.differences.at(0).rows.at(0);
        QCOMPARE(different.source.value(1).toString(), QStringLiteral("value 5"));
        QCOMPARE(different.target.value(1).toString(), QStringLiteral("drift"));
        QVERIFY(result.summary.differences.at(0).rows.at(1).target.isEmpty());
        QCOMPARE(result.summary.differences.at(2).rows.at(0).target.value(1).toString(), QStringLiteral("extra"));
        QVERIFY(result.summary.differences.at(2).rows.at(0).source.isEmpty());
        QCOMPARE(rowsDifference(schema, before, readAll(targetDb->store(), targetSchema)), QString());

        // Capped: two keys listed, all four counted.
        options.listKeys = 2;
        result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        qsizetype rows = 0;
        for (const RangeDifferences &block : std::as_const(result.summary.differences))
            rows += block.rows.size();
        QCOMPARE(rows, qsizetype(2));
        QCOMPARE(result.summary.missingKeys + result.summary.extraKeys + result.summary.differentKeys, qint64(4));
        // Without listKeys nothing is listed.
        options.listKeys = 0;
        result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QVERIFY(result.summary.differences.isEmpty());
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::diffRowsSplitsMissingExtraDifferent()
{
    TableSchema schema;
    schema.table = QStringLiteral("t");
    schema.columns = {Column{QStringLiteral("a"), ColumnType::Text}, Column{QStringLiteral("b"), ColumnType::Integer},
                      Column{QStringLiteral("v"), ColumnType::Text}};
    schema.primaryKey = {0, 1};
    auto row = [](const char *a, int b, const char *v) { return Row{QString::fromLatin1(a), qlonglong(b), QString::fromLatin1(v)}; };
    const QList<Row> source{row("a", 1, "x"), row("a", 2, "y"), row("b", 1, "z"), row("c", 0, "w")};
    const QList<Row> target{row("a", 0, "q"), row("a", 2, "y"), row("b", 1, "Z"), row("d", 0, "w")};
    const RangeDifferences d = diffRows(schema, source, target, 10);
    QCOMPARE(d.missing, qint64(2));    // a/1, c/0
    QCOMPARE(d.extra, qint64(2));      // a/0, d/0
    QCOMPARE(d.different, qint64(1));  // b/1
    QStringList order;
    for (const RowDifference &r : d.rows)
        order.append(rowDifferenceKindName(r.kind) + QLatin1Char(' ') + r.key.value(0).toString() + r.key.value(1).toString());
    QCOMPARE(order, QStringList({QStringLiteral("extra a0"), QStringLiteral("missing a1"), QStringLiteral("different b1"),
                                 QStringLiteral("missing c0"), QStringLiteral("extra d0")}));
    QCOMPARE(diffRows(schema, source, source, 10).total(), qint64(0));
    const RangeDifferences capped = diffRows(schema, source, target, 1);
    QCOMPARE(capped.rows.size(), qsizetype(1));
    QCOMPARE(capped.total(), qint64(5));
    QVERIFY(capped.truncated());
}

// Adaptive block sizing (--block-time): sizes follow the hashing time, and the run still
// converges.
void TestVerifier::adaptiveBlocksConverge()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("adaptive_src"));
        const QString targetTable = targetDb->name(QStringLiteral("adaptive_tgt"));
        fillNumbered(*sourceDb, sourceTable, 20000);
        fillNumbered(*targetDb, targetTable, 20000);
        targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id % 997 = 0").arg(targetTable));
        targetDb->exec(QStringLiteral("UPDATE %1 SET v = 'drift' WHERE id % 1409 = 2").arg(targetTable));
        targetDb->exec(QStringLiteral("INSERT INTO %1 VALUES (-7, 'before', 0), (39999, 'inside', 0), (100000, 'after', 0)").arg(targetTable));

        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 1000;
        options.targetBlockMs = 1;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        const QString text = summaryText(result.summary);
        QVERIFY2(result.summary.identicalAfter, qPrintable(text));
        QVERIFY2(result.summary.blocksFailed == 0, qPrintable(text));
        QCOMPARE(blockCoverageProblem(schema.keyTypes(), result.blocks), QString());
        QSet<qint64> sizes;
        for (int i = 0; i + 1 < result.blocks.size(); ++i)
            sizes.insert(result.blocks.at(i).sourceRows);
        QVERIFY2(sizes.size() > 1 || result.blocks.size() <= 2, qPrintable(QStringLiteral("every block has %1 rows").arg(result.blocks.first().sourceRows)));
        for (qint64 size : sizes)
            QVERIFY(size >= 16);   // the adaptive floor
        QCOMPARE(rowsDifference(schema, readAll(*sourceStore, schema), readAll(targetDb->store(), targetSchema)), QString());
    }
    FERRY_CATCH_ERRORS
}

void TestVerifier::sha256Digest()
{
    SCRATCH_PAIR(sourceDb, targetDb);
    try {
        const QString sourceTable = sourceDb->name(QStringLiteral("sha_src"));
        const QString targetTable = targetDb->name(QStringLiteral("sha_tgt"));
        fillNumbered(*sourceDb, sourceTable, 600);
        fillNumbered(*targetDb, targetTable, 600);
        targetDb->exec(QStringLiteral("UPDATE %1 SET n = 12.5 WHERE id = 300").arg(targetTable));
        targetDb->exec(QStringLiteral("DELETE FROM %1 WHERE id = 1000").arg(targetTable));
        auto sourceStore = sourceDb->open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        const TableSchema targetSchema = targetDb->store().describe(targetTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 100;
        options.digest = DigestAlgorithm::Sha256;
        const RunResult result = runVerifier(*sourceStore, schema, *targetDb, targetTable, options);
        QVERIFY2(result.summary.identicalAfter, qPrintable(summaryText(result.summary)));
        QCOMPARE(result.summary.blocksDiffering, 2);
        QCOMPARE(result.blocks.size(), 6);
        for (const BlockInfo &block : result.blocks) {
            QCOMPARE(block.sourceDigest.size(), 32);
            QCOMPARE(block.targetDigest, block.sourceDigest);
        }
        // The first block's digest is SHA-256 over its rows' canonical encodings.
        Digest digest(DigestAlgorithm::Sha256);
        for (const Row &row : readAll(*sourceStore, schema, result.blocks.first().range))
            digest.update(CanonicalEncoder::encodeRow(schema, row));
        QCOMPARE(result.blocks.first().sourceDigest, digest.finish());
        QCOMPARE(rowsDifference(schema, readAll(*sourceStore, schema), readAll(targetDb->store(), targetSchema)), QString());
    }
    FERRY_CATCH_ERRORS
}

// Progress comes at most every progressIntervalMs (plus the forced reports at the end of
// planning and of the run), far fewer than blocks, and the last report matches the summary.
void TestVerifier::progressIsPacedAndAddsUp()
{
    try {
        ScratchDatabase sourceDb(Backend::Sqlite);
        ScratchDatabase targetDb(Backend::Sqlite);
        const QString sourceTable = sourceDb.name(QStringLiteral("paced_src"));
        const QString targetTable = targetDb.name(QStringLiteral("paced_tgt"));
        const int count = 150000;
        fillNumbered(sourceDb, sourceTable, count);
        fillNumbered(targetDb, targetTable, count);
        targetDb.exec(QStringLiteral("UPDATE %1 SET v = 'drift' WHERE id % 1000 = 0").arg(targetTable));   // 300 blocks

        auto sourceStore = sourceDb.open(true);
        const TableSchema schema = sourceStore->describe(sourceTable);
        VerifierOptions options;
        options.repair = true;
        options.blockRows = 20;   // 7500 blocks of 40 ids each
        options.batchBlocks = 16;
        QElapsedTimer clock;
        clock.start();
        const RunResult result = runVerifier(*sourceStore, schema, targetDb, targetTable, options);
        const qint64 elapsedMs = clock.elapsed();
        const VerificationSummary &summary = result.summary;
        QVERIFY2(summary.identicalAfter, qPrintable(summaryText(summary)));
        QCOMPARE(summary.blocks, count / 20);
        QCOMPARE(summary.blocksDiffering, 300);
        QVERIFY2(elapsedMs > 300, qPrintable(QStringLiteral("the run took only %1 ms; make the table larger").arg(elapsedMs)));

        const qint64 allowed = elapsedMs / options.progressIntervalMs + 3;
        QVERIFY2(result.progressSignals <= allowed,
                 qPrintable(QStringLiteral("%1 progress signals in %2 ms (at most %3 expected)").arg(result.progressSignals).arg(elapsedMs).arg(allowed)));
        QVERIFY2(result.progressSignals * 20 < summary.blocks,
                 qPrintable(QStringLiteral("%1 progress signals for %2 blocks").arg(result.progressSignals).arg(summary.blocks)));
        QVERIFY(result.progressSignals >= 2);

        // The final report agrees with the summary...
        const VerificationProgress &last = result.lastProgress;
        QVERIFY(last.planningDone);
        QCOMPARE(last.blocksPlanned, summary.blocks);
        QCOMPARE(last.stateCounts[int(BlockState::Equal)], summary.blocks - summary.blocksRepaired);
        QCOMPARE(last.stateCounts[int(BlockState::Repaired)], summary.blocksRepaired);
        int counted = 0;
        for (int count : last.stateCounts)
            counted += count;
        QCOMPARE(counted, summary.blocks);
        QCOMPARE(last.rowsCompared, summary.rowsCompared);
        QCOMPARE(last.rowsSent, summary.rowsSent);
        QCOMPARE(last.bytesSent, summary.bytesSent);
        // ...and every block was reported, last in its final state.
        QCOMPARE(result.reportedStates.size(), summary.blocks);
        for (int i = 0; i < result.blocks.size(); ++i)
            QCOMPARE(result.reportedStates.value(i), result.blocks.at(i).state);
    }
    FERRY_CATCH_ERRORS
}

} // namespace ferry

QTEST_GUILESS_MAIN(ferry::TestVerifier)
#include "tst_verifier.moc"
