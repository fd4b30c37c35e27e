#pragma once

#include <QPair>
#include <QString>

namespace ferry {

// A node's address as the console keeps it (NodeView::address): "host:port", an IPv6
// host in brackets. The port is 0 when there is none.
inline QPair<QString, quint16> splitNodeAddress(const QString &address)
{
    const int colon = int(address.lastIndexOf(QLatin1Char(':')));
    if (colon <= 0 || (address.startsWith(QLatin1Char('[')) && colon < address.indexOf(QLatin1Char(']'))))
        return {address, 0};
    QString host = address.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = address.mid(colon + 1).toUInt(&ok);
    return {host, ok && port <= 65535 ? quint16(port) : quint16(0)};
}

inline QString joinNodeAddress(const QString &host, quint16 port)
{
    const QString shown = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("%1:%2").arg(shown).arg(port);
}

} // namespace ferry
