#pragma once

#include "replication/linkstats.h"

#include <QList>
#include <QPair>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace ferry {

// A database link's tables, one row each (state, pending, lag, rows/s, applied, blocks,
// differing, last error), above the block map: the row picked is the table whose blocks
// the map shows. Updated in place at every refresh; the picked table stays picked.
class TableBreakdownWidget : public QWidget
{
    Q_OBJECT

public:
    explicit TableBreakdownWidget(QWidget *parent = nullptr);

    // The link's tables (LinkView::tables); picks the first when none is picked yet or the
    // picked one is gone.
    void setTables(const QString &linkId, const QList<QPair<QString, LinkStats>> &tables);
    QString currentTable() const { return m_current; }
    QTableWidget *view() const { return m_view; }

signals:
    void tableSelected(const QString &table);

private:
    QLabel *m_title;
    QTableWidget *m_view;
    QString m_linkId;
    QString m_current;
    bool m_updating = false;
};

} // namespace ferry
