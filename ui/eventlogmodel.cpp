#include "eventlogmodel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <algorithm>

namespace ferry {

EventLogModel::EventLogModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::message(const NodeEvent &event)
{
    if (event.outcome.isEmpty())
        return event.what;
    return event.what + QStringLiteral(": ") + event.outcome;
}

QString EventLogModel::severityLabel(NodeEvent::Severity severity)
{
    switch (severity) {
    case NodeEvent::Severity::Info: return tr("info");
    case NodeEvent::Severity::Warning: return tr("warning");
    case NodeEvent::Severity::Error: return tr("error");
    }
    return {};
}

QString EventLogModel::timeText(qint64 atMs)
{
    // With its time zone: the data centers are in several, the operator in one more.
    return QDateTime::fromMSecsSinceEpoch(atMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t"));
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_events.size()))
        return {};
    const NodeEvent &e = m_events.at(size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return timeText(e.atMs);
        case SeverityColumn: return severityLabel(e.severity);
        case DataCenterColumn: return e.node;
        case LinkColumn: return e.link;
        case MessageColumn: return message(e);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return message(e);
        if (index.column() == TimeColumn)
        {
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(e.atMs);
            return at.toOffsetFromUtc(at.offsetFromUtc()).toString(Qt::ISODateWithMs);   // with its UTC offset
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn || index.column() == MessageColumn) {
            if (e.severity == NodeEvent::Severity::Error)
                return QBrush(QColor(0xc6, 0x28, 0x28));
            if (e.severity == NodeEvent::Severity::Warning)
                return QBrush(QColor(0xe6, 0x51, 0x00));
        }
        return {};
    case SeverityRole:
        return int(e.severity);
    case TimeRole:
        return e.atMs;
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case SeverityColumn: return tr("Severity");
    case DataCenterColumn: return tr("Data center");
    case LinkColumn: return tr("Link");
    case MessageColumn: return tr("Message");
    }
    return {};
}

void EventLogModel::addEvents(const QList<NodeEvent> &events)
{
    if (events.isEmpty())
        return;
    // Oldest first, so that each one goes above the previous.
    QList<NodeEvent> batch = events;
    std::stable_sort(batch.begin(), batch.end(), [](const NodeEvent &a, const NodeEvent &b) { return a.atMs < b.atMs; });
    if (m_events.empty() || batch.first().atMs >= m_events.front().atMs) {
        // The usual case: everything is newer than what is shown; one insertion on top.
        beginInsertRows(QModelIndex(), 0, int(batch.size()) - 1);
        for (const NodeEvent &e : std::as_const(batch))
            m_events.push_front(e);
        endInsertRows();
    } else {
        // Late events (another node's clock, a reconnect): each where its time puts it.
        for (const NodeEvent &e : std::as_const(batch)) {
            const auto at = std::upper_bound(m_events.begin(), m_events.end(), e.atMs,
                                             [](qint64 t, const NodeEvent &existing) { return t >= existing.atMs; });
            const int row = int(at - m_events.begin());
            if (row >= m_capacity)
                continue;   // older than everything kept
            beginInsertRows(QModelIndex(), row, row);
            m_events.insert(at, e);
            endInsertRows();
        }
    }
    trim();
}

void EventLogModel::trim()
{
    if (int(m_events.size()) <= m_capacity)
        return;
    beginRemoveRows(QModelIndex(), m_capacity, int(m_events.size()) - 1);
    m_events.erase(m_events.begin() + m_capacity, m_events.end());
    endRemoveRows();
}

void EventLogModel::clear()
{
    beginResetModel();
    m_events.clear();
    endResetModel();
}

} // namespace ferry
