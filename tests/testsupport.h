#pragma once

// Shared helpers for the core tests (tst_encoding, tst_storage, tst_verifier): scratch
// databases on both backends, random tables, and row comparison with readable failures.

#include "storage/store.h"
#include "util/ferryerror.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// Runs the statements; a FerryError fails the current test with its message (instead of
// escaping the test function, which would abort the whole test program).
#define FERRY_NO_THROW(...)                                                                                  \
    do {                                                                                                     \
        try {                                                                                                \
            __VA_ARGS__;                                                                                     \
        } catch (const ::ferry::FerryError &ferryError_) {                                                   \
            QFAIL(qPrintable(QStringLiteral("unexpected FerryError: ") + ferryError_.message()));            \
        }                                                                                                    \
    } while (false)

// Ends a try block around a test body: a FerryError fails the test with its message.
#define FERRY_CATCH_ERRORS                                                                                   \
    catch (const ::ferry::FerryError &ferryError_)                                                           \
    {                                                                                                        \
        QFAIL(qPrintable(QStringLiteral("unexpected FerryError: ") + ferryError_.message()));                \
    }

// Runs the statements, expects a FerryError and stores its message in messageVar.
#define FERRY_EXPECT_ERROR(messageVar, ...)                                                                  \
    do {                                                                                                     \
        bool thrown_ = false;                                                                                \
        try {                                                                                                \
            __VA_ARGS__;                                                                                     \
        } catch (const ::ferry::FerryError &ferryError_) {                                                   \
            thrown_ = true;                                                                                  \
            messageVar = ferryError_.message();                                                              \
        }                                                                                                    \
        if (!thrown_)                                                                                        \
            QFAIL("expected a FerryError from: " #__VA_ARGS__);                                             \
    } while (false)

// PostgreSQL parts need FERRY_TEST_PG_URL; without it they are skipped, unless
// FERRY_REQUIRE_PG=1 (CI), where a missing server is a failure.
#define FERRY_REQUIRE_POSTGRES()                                                                             \
    do {                                                                                                     \
        if (::ferry::test::postgresUrl().isEmpty()) {                                                        \
            if (::ferry::test::postgresRequired())                                                           \
                QFAIL("FERRY_REQUIRE_PG=1 but FERRY_TEST_PG_URL is not set "                                 \
                      "(e.g. postgresql://postgres@127.0.0.1:5432/postgres; scripts/with-postgres.sh sets it)"); \
            QSKIP("FERRY_TEST_PG_URL is not set: PostgreSQL part skipped");                                  \
        }                                                                                                    \
    } while (false)

namespace ferry::test {

QString postgresUrl();
bool postgresRequired();

enum class Backend { Sqlite, Postgres };
QString backendName(Backend backend);

// A Qt SQL connection (not opened) named connectionName: to the SQLite file sqlitePath, or
// to the PostgreSQL server of FERRY_TEST_PG_URL.
QSqlDatabase addTestConnection(Backend backend, const QString &sqlitePath, const QString &connectionName);

// A scratch database: SQLite in a file of a temporary directory, or the PostgreSQL server
// of FERRY_TEST_PG_URL, where name() makes table names unique to this process and this
// object (ctest runs test programs in parallel against one server). Every name handed out
// is dropped when the object is destroyed. Belongs to the thread that created it.
class ScratchDatabase
{
public:
    explicit ScratchDatabase(Backend backend);   // throws FerryError
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;

    Backend backend() const { return m_backend; }
    // The physical name for a table (or view) called base in this test; dropped at the end.
    QString name(const QString &base);
    // Runs one statement on the test's own connection; throws FerryError naming the SQL.
    void exec(const QString &sql);
    QList<QVariantList> query(const QString &sql);

    DataSource dataSource(const QString &table = QString()) const;
    // A new Store on this database (a new connection).
    std::unique_ptr<Store> open(bool readOnly = false) const;
    // One writable Store kept for the life of this object (connections to PostgreSQL are
    // slow to open: tests that loop reuse this one).
    Store &store();

    // CREATE TABLE with the backend's spelling of each canonical type; returns describe().
    struct ColumnSpec
    {
        QString name;
        ColumnType type;
        bool notNull = false;
    };
    TableSchema createTable(const QString &table, const QList<ColumnSpec> &columns, const QList<int> &primaryKey);
    static QString declaredType(Backend backend, ColumnType type);

private:
    Backend m_backend;
    QTemporaryDir m_dir;
    QString m_path;
    QString m_connectionName;
    QString m_prefix;
    QSqlDatabase m_db;
    QStringList m_names;
    std::unique_ptr<Store> m_store;
};

// Helpers over rows.
QList<Row> readAll(Store &store, const TableSchema &schema, const KeyRange &range = KeyRange{});
QString rowText(const Row &row);
// Empty when the two lists hold the same rows (same canonical bytes) in the same order;
// otherwise says where they first differ.
QString rowsDifference(const TableSchema &schema, const QList<Row> &expected, const QList<Row> &actual);
void sortByKey(const TableSchema &schema, QList<Row> *rows);

// Random values of every canonical type, chosen so that both backends store them exactly
// (numerics with at most 15 significant digits, because SQLite keeps NUMERIC as REAL).
class RandomRows
{
public:
    explicit RandomRows(quint32 seed) : m_random(seed) {}

    QVariant value(ColumnType type, bool allowNull);
    QVariant keyValue(ColumnType type);                       // never NULL, varied
    // count rows with distinct keys, in key order.
    QList<Row> rows(const TableSchema &schema, int count);
    Row rowWithKey(const TableSchema &schema, const Key &key);
    int bounded(int n) { return int(m_random.bounded(n)); }
    QRandomGenerator &generator() { return m_random; }

private:
    QRandomGenerator m_random;
};

} // namespace ferry::test
