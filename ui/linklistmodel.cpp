#include "linklistmodel.h"

#include "datacenteritem.h"
#include "linkitem.h"
#include "nodeaddress.h"

#include <QDateTime>

namespace ferry {

namespace {

bool sameFigures(const LinkView &a, const LinkView &b)
{
    const LinkStats &x = a.stats;
    const LinkStats &y = b.stats;
    return x.state == y.state && x.rowsPerSecond == y.rowsPerSecond && x.lagMs == y.lagMs && x.pending == y.pending
        && x.errors == y.errors && x.lastError == y.lastError && x.lastErrorAtMs == y.lastErrorAtMs
        && a.link.sourceNode == b.link.sourceNode && a.link.targetNode == b.link.targetNode && a.link.targetHost == b.link.targetHost
        && a.link.targetPort == b.link.targetPort && a.link.sourceTable == b.link.sourceTable && a.link.targetTable == b.link.targetTable
        && a.link.direction == b.link.direction && a.link.paused == b.link.paused;
}

} // namespace

LinkListModel::LinkListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void LinkListModel::reindex()
{
    m_rows.clear();
    for (int row = 0; row < m_links.size(); ++row)
        m_rows.insert(keyOf(m_links.at(row).sourceAddress, m_links.at(row).link.id), row);
}

void LinkListModel::setLinks(const QList<LinkView> &links)
{
    QHash<QString, int> incoming;
    for (int i = 0; i < links.size(); ++i)
        incoming.insert(keyOf(links.at(i).sourceAddress, links.at(i).link.id), i);

    // Links that went: removed from the bottom up, in runs of neighbouring rows.
    for (int row = int(m_links.size()) - 1; row >= 0;) {
        if (incoming.contains(keyOf(m_links.at(row).sourceAddress, m_links.at(row).link.id))) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !incoming.contains(keyOf(m_links.at(first - 1).sourceAddress, m_links.at(first - 1).link.id)))
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_links.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }
    reindex();

    // Links that stayed: in place, one dataChanged per run of changed rows.
    int changedFrom = -1;
    for (int row = 0; row <= int(m_links.size()); ++row) {
        bool changed = false;
        if (row < m_links.size()) {
            const LinkView &now = links.at(incoming.value(keyOf(m_links.at(row).sourceAddress, m_links.at(row).link.id)));
            changed = !sameFigures(m_links.at(row), now);
            m_links[row] = now;
        }
        if (changed && changedFrom < 0)
            changedFrom = row;
        if (!changed && changedFrom >= 0) {
            emit dataChanged(index(changedFrom, 0), index(row - 1, ColumnCount - 1));
            changedFrom = -1;
        }
    }

    // Links that came: appended.
    QList<LinkView> added;
    for (const LinkView &link : links) {
        if (!m_rows.contains(keyOf(link.sourceAddress, link.link.id)))
            added.append(link);
    }
    if (!added.isEmpty()) {
        beginInsertRows(QModelIndex(), int(m_links.size()), int(m_links.size() + added.size() - 1));
        m_links.append(added);
        reindex();
        endInsertRows();
    }
}

int LinkListModel::rowOf(const QString &sourceAddress, const QString &linkId) const
{
    return m_rows.value(keyOf(sourceAddress, linkId), -1);
}

int LinkListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_links.size());
}

int LinkListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LinkListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_links.size())
        return QVariant();
    const LinkView &view = m_links.at(index.row());
    const LinkDefinition &link = view.link;
    const LinkStats &stats = view.stats;
    if (role == SourceAddressRole)
        return view.sourceAddress;
    if (role == LinkIdRole)
        return link.id;
    const QString target = link.targetNode.isEmpty() ? joinNodeAddress(link.targetHost, link.targetPort) : link.targetNode;
    const QString source = link.sourceNode.isEmpty() ? view.sourceAddress : link.sourceNode;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Link: return link.id;
        case Source: return source;
        case Target: return target;
        case Table:
            return link.sourceTableLabel() == link.targetTableLabel() ? link.sourceTableLabel()
                                                                      : QStringLiteral("%1 \u2192 %2").arg(link.sourceTableLabel(), link.targetTableLabel());
        case State: return LinkItem::stateLabel(stats.state);
        case RowsPerSecond: return QString::number(stats.rowsPerSecond, 'f', stats.rowsPerSecond < 10 ? 1 : 0);
        case Lag: return LinkItem::formatLag(stats.lagMs);
        case Pending: return QString::number(stats.pending);
        case Errors: return QString::number(stats.errors);
        case LastError: return stats.lastError;
        case LastErrorAt:
            return stats.lastErrorAtMs > 0 ? QDateTime::fromMSecsSinceEpoch(stats.lastErrorAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss t")) : QString();
        default: break;
        }
        return QVariant();
    }
    if (role == SortRole) {
        switch (index.column()) {
        case RowsPerSecond: return stats.rowsPerSecond;
        case Lag: return stats.lagMs;
        case Pending: return stats.pending;
        case Errors: return stats.errors;
        case LastErrorAt: return stats.lastErrorAtMs;
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case RowsPerSecond:
        case Lag:
        case Pending:
        case Errors: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default: return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    if (role == Qt::DecorationRole && index.column() == State)
        return LinkItem::stateColor(stats.state);
    if (role == Qt::ToolTipRole && index.column() == LastError && !stats.lastError.isEmpty())
        return stats.lastError;
    return QVariant();
}

QVariant LinkListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case Link: return tr("Link");
    case Source: return tr("From");
    case Target: return tr("To");
    case Table: return tr("Table");
    case State: return tr("State");
    case RowsPerSecond: return tr("Rows/s");
    case Lag: return tr("Lag");
    case Pending: return tr("Pending");
    case Errors: return tr("Errors");
    case LastError: return tr("Last error");
    case LastErrorAt: return tr("Last error at");
    default: return QVariant();
    }
}

} // namespace ferry
