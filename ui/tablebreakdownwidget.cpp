#include "tablebreakdownwidget.h"

#include "datacenteritem.h"
#include "linkitem.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ferry {

namespace {

enum Column { Table, State, Pending, Lag, Rate, Applied, Blocks, Differing, LastError, Columns };

} // namespace

TableBreakdownWidget::TableBreakdownWidget(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_view = new QTableWidget(0, Columns, this);
    m_view->setObjectName(QStringLiteral("tableBreakdown"));
    m_view->setHorizontalHeaderLabels({tr("Table"), tr("State"), tr("Pending"), tr("Lag"), tr("Rows/s"), tr("Applied"), tr("Blocks"), tr("Differing"),
                                       tr("Last error")});
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);   // a long error is one line, whole in its tooltip
    m_title->setBuddy(m_view);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
    connect(m_view, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (m_updating || row < 0 || !m_view->item(row, Table))
            return;
        const QString table = m_view->item(row, Table)->text();
        if (table == m_current)
            return;
        m_current = table;
        emit tableSelected(table);
    });
}

void TableBreakdownWidget::setTables(const QString &linkId, const QList<QPair<QString, LinkStats>> &tables)
{
    m_updating = true;
    if (linkId != m_linkId) {
        m_linkId = linkId;
        m_current.clear();
    }
    m_title->setText(tr("&Tables of database link %1 (%2 in all); the block map shows the one picked").arg(linkId).arg(tables.size()));
    const QLocale locale;
    m_view->setRowCount(int(tables.size()));
    int currentRow = -1;
    for (int row = 0; row < tables.size(); ++row) {
        const auto &[table, stats] = tables.at(row);
        if (table == m_current)
            currentRow = row;
        auto set = [&](int column, const QString &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter) {
            QTableWidgetItem *item = m_view->item(row, column);
            if (!item) {
                item = new QTableWidgetItem;
                m_view->setItem(row, column, item);
            }
            item->setText(text);
            item->setTextAlignment(alignment);
        };
        const Qt::Alignment right = Qt::AlignRight | Qt::AlignVCenter;
        set(Table, table);
        set(State, LinkItem::stateLabel(stats.state));
        set(Pending, locale.toString(stats.pending), right);
        set(Lag, LinkItem::formatLag(stats.lagMs), right);
        set(Rate, locale.toString(stats.rowsPerSecond, 'f', 0), right);
        set(Applied, locale.toString(stats.appliedTotal), right);
        set(Blocks, stats.blocks > 0 ? tr("%1 of %2").arg(stats.blocksVerified).arg(stats.blocks) : QStringLiteral("-"), right);
        set(Differing, locale.toString(stats.blocksDiffering), right);
        set(LastError, stats.lastError.isEmpty() ? QString()
                                                 : tr("%1 (%2)").arg(stats.lastError, QDateTime::fromMSecsSinceEpoch(stats.lastErrorAtMs).toString(QStringLiteral("HH:mm:ss"))));
        m_view->item(row, LastError)->setToolTip(stats.lastError);
    }
    const bool picked = currentRow < 0 && !tables.isEmpty();
    if (picked) {
        currentRow = 0;
        m_current = tables.first().first;
    }
    if (currentRow >= 0 && m_view->currentRow() != currentRow)
        m_view->setCurrentCell(currentRow, Table);
    if (tables.isEmpty())
        m_current.clear();
    m_updating = false;
    if (picked)
        emit tableSelected(m_current);
}

} // namespace ferry
