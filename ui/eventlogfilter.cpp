#include "eventlogfilter.h"

#include "eventlogmodel.h"

namespace ferry {

EventLogFilter::EventLogFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setFilterKeyColumn(-1);   // the text may be in any column
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void EventLogFilter::setMinimumSeverity(int severity)
{
    if (severity == m_minimumSeverity)
        return;
    m_minimumSeverity = severity;
    invalidateRowsFilter();
}

void EventLogFilter::setText(const QString &text)
{
    setFilterFixedString(text.trimmed());
}

bool EventLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (index.data(EventLogModel::SeverityRole).toInt() < m_minimumSeverity)
        return false;
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace ferry
