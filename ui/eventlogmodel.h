#pragma once

#include "node/eventlog.h"

#include <QAbstractTableModel>

#include <deque>

namespace ferry {

// The events of every data center for the event log dock: time, severity, data center,
// link, message (what: outcome), the newest on top, at most `capacity` rows (the oldest
// go first).
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, SeverityColumn, DataCenterColumn, LinkColumn, MessageColumn, ColumnCount };
    enum Role { SeverityRole = Qt::UserRole + 1, TimeRole };

    explicit EventLogModel(int capacity = 10000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void addEvents(const QList<NodeEvent> &events);
    void clear();
    int capacity() const { return m_capacity; }
    const NodeEvent &event(int row) const { return m_events.at(size_t(row)); }

    static QString message(const NodeEvent &event);
    static QString severityLabel(NodeEvent::Severity severity);
    static QString timeText(qint64 atMs);

private:
    void trim();

    std::deque<NodeEvent> m_events;   // newest first
    int m_capacity;
};

} // namespace ferry
