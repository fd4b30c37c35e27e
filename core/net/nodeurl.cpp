#include "net/nodeurl.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

namespace ferry {

NodeUrl NodeUrl::parse(const QString &text, Need need)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("ferry"))
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: not a node URL (expected ferry://HOST:PORT/DB?table=NAME)").arg(text));
    NodeUrl result;
    result.host = url.host();
    if (result.host.isEmpty())
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: no host").arg(text));
    const int port = url.port(7450);
    if (port < 1 || port > 65535)
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: port must be 1 to 65535").arg(text));
    result.port = quint16(port);
    if (!url.userInfo().isEmpty() || !url.fragment().isEmpty())
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: a node URL must not have a user name or a fragment").arg(text));
    QString path = url.path();
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (path.contains(QLatin1Char('/')))
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: the path must be a single database name").arg(text));
    result.database = path;
    const QUrlQuery query(url);
    for (const auto &item : query.queryItems(QUrl::FullyDecoded)) {
        if (item.first != QLatin1String("table"))
            throw FerryError(QCoreApplication::translate("NodeUrl", "%1: unknown parameter \"%2\" (only table=NAME is understood)").arg(text, item.first));
        result.table = item.second;
    }
    if (need != Need::Node && result.database.isEmpty())
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: no database (expected ferry://HOST:PORT/DB)").arg(text));
    if (need == Need::Table && result.table.isEmpty())
        throw FerryError(QCoreApplication::translate("NodeUrl", "%1: no table given (add ?table=NAME)").arg(text));
    return result;
}

QString NodeUrl::toString() const
{
    const QString hostPart = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    QString text = QStringLiteral("ferry://%1:%2").arg(hostPart).arg(port);
    if (!database.isEmpty())
        text += QLatin1Char('/') + database;
    if (!table.isEmpty())
        text += QStringLiteral("?table=") + table;
    return text;
}

} // namespace ferry
