#pragma once

#include <QString>

namespace ferry {

// A node, and optionally one of its databases and tables:
//   ferry://HOST:PORT                 a node
//   ferry://HOST:PORT/DB              one of its databases
//   ferry://HOST:PORT/DB?table=NAME   one table
// PORT defaults to 7450; an IPv6 host is written in brackets.
struct NodeUrl
{
    QString host;
    quint16 port = 7450;
    QString database;
    QString table;

    static bool looksLikeNodeUrl(const QString &text) { return text.startsWith(QLatin1String("ferry://")); }
    // Throws FerryError quoting the URL and saying what is wrong; need says what must be there.
    enum class Need { Node, Database, Table };
    static NodeUrl parse(const QString &text, Need need);

    QString toString() const;
};

} // namespace ferry
