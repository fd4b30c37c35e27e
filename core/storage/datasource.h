#pragma once

#include <QString>

namespace ferry {

// Where a table lives, parsed from the URLs ferryctl and the console accept:
//   sqlite:PATH?table=NAME
//   postgresql://USER[:PASSWORD]@HOST[:PORT]/DB?table=NAME
// (postgres:// is accepted too; without a password libpq's PGPASSWORD and ~/.pgpass apply).
struct DataSource
{
    enum class Kind { Sqlite, Postgres };

    Kind kind = Kind::Sqlite;
    QString path;        // SQLite file
    QString host;        // PostgreSQL
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString table;       // may be empty when only the database is meant

    // Throws FerryError with a message that quotes the URL and says what is wrong.
    static DataSource parse(const QString &url, bool requireTable = true);

    // The URL without the password, for messages and logs.
    QString displayName() const;
};

} // namespace ferry
