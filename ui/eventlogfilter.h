#pragma once

#include <QSortFilterProxyModel>

namespace ferry {

// The event log as the dock shows it: rows at or above a severity whose text (any column)
// contains the filter text, case-insensitively.
class EventLogFilter : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EventLogFilter(QObject *parent = nullptr);

    // NodeEvent::Severity as int: 0 shows everything, 1 warnings and errors, 2 errors.
    void setMinimumSeverity(int severity);
    int minimumSeverity() const { return m_minimumSeverity; }
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    int m_minimumSeverity = 0;
};

} // namespace ferry
