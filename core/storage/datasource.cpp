#include "storage/datasource.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

namespace ferry {

namespace {

QString tableFromQuery(const QString &url, const QString &query, bool requireTable)
{
    const QUrlQuery items(query);
    for (const auto &item : items.queryItems(QUrl::FullyDecoded)) {
        if (item.first != QLatin1String("table"))
            throw FerryError(QCoreApplication::translate("DataSource", "%1: unknown parameter \"%2\" (only table=NAME is understood)").arg(url, item.first));
    }
    const QString table = items.queryItemValue(QStringLiteral("table"), QUrl::FullyDecoded);
    if (requireTable && table.isEmpty())
        throw FerryError(QCoreApplication::translate("DataSource", "%1: no table given (add ?table=NAME)").arg(url));
    return table;
}

} // namespace

DataSource DataSource::parse(const QString &url, bool requireTable)
{
    DataSource source;
    if (url.startsWith(QLatin1String("sqlite:"))) {
        source.kind = Kind::Sqlite;
        QString rest = url.mid(int(qstrlen("sqlite:")));
        if (rest.startsWith(QLatin1String("//")))
            rest = rest.mid(2);   // sqlite:///abs/path
        const qsizetype question = rest.indexOf(QLatin1Char('?'));
        source.path = question < 0 ? rest : rest.left(question);
        if (source.path.isEmpty())
            throw FerryError(QCoreApplication::translate("DataSource", "%1: no SQLite file path (expected sqlite:PATH?table=NAME)").arg(url));
        source.table = tableFromQuery(url, question < 0 ? QString() : rest.mid(question + 1), requireTable);
        return source;
    }
    if (url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://"))) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid()) {
            // QUrl's error text ends in a dump of the URL's parts; the first clause says it.
            throw FerryError(QCoreApplication::translate("DataSource", "%1: malformed PostgreSQL URL (%2)")
                                 .arg(url, parsed.errorString().section(QLatin1String("; "), 0, 0)));
        }
        source.kind = Kind::Postgres;
        source.host = parsed.host();
        if (source.host.isEmpty())
            throw FerryError(QCoreApplication::translate("DataSource", "%1: no host (expected postgresql://USER@HOST:PORT/DB?table=NAME)").arg(url));
        source.port = parsed.port(5432);
        if (source.port <= 0 || source.port > 65535)
            throw FerryError(QCoreApplication::translate("DataSource", "%1: port out of range").arg(url));
        source.user = parsed.userName();
        source.password = parsed.password();
        source.database = parsed.path().mid(1);
        if (source.database.isEmpty() || source.database.contains(QLatin1Char('/')))
            throw FerryError(QCoreApplication::translate("DataSource", "%1: no database name (expected postgresql://USER@HOST:PORT/DB?table=NAME)").arg(url));
        source.table = tableFromQuery(url, parsed.query(), requireTable);
        return source;
    }
    throw FerryError(QCoreApplication::translate("DataSource", "%1: unknown kind of location (expected sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME)").arg(url));
}

QString DataSource::displayName() const
{
    QString base;
    if (kind == Kind::Sqlite) {
        base = QStringLiteral("sqlite:") + path;
    } else {
        base = QStringLiteral("postgresql://%1%2:%3/%4")
                   .arg(user.isEmpty() ? QString() : user + QLatin1Char('@'), host)
                   .arg(port)
                   .arg(database);
    }
    return table.isEmpty() ? base : base + QStringLiteral("?table=") + table;
}

} // namespace ferry
