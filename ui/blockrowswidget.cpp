#include "blockrowswidget.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ferry {

BlockRowsWidget::BlockRowsWidget(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("blockRowsTitle"));
    m_title->setWordWrap(true);
    m_repair = new QPushButton(tr("Repair the link..."), this);
    m_repair->setObjectName(QStringLiteral("repairFromBlock"));
    m_repair->setToolTip(tr("Run a verification that makes the target's rows equal to the source's"));
    connect(m_repair, &QPushButton::clicked, this, &BlockRowsWidget::repairRequested);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("blockRows"));
    m_table->setHorizontalHeaderLabels({tr("Difference"), tr("Key"), tr("On the source"), tr("On the target")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Differing rows of the block"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_repair);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    clear();
}

void BlockRowsWidget::clear()
{
    m_block = -1;
    m_table->setRowCount(0);
    m_title->setText(tr("Click a block to list the rows that differ."));
    m_repair->setEnabled(false);
}

void BlockRowsWidget::showLoading(int block, const QString &range)
{
    m_block = block;
    m_table->setRowCount(0);
    m_title->setText(tr("Block %1 %2: reading both sides...").arg(block).arg(range));
    m_repair->setEnabled(false);
}

void BlockRowsWidget::showError(int block, const QString &error)
{
    m_block = block;
    m_table->setRowCount(0);
    m_title->setText(tr("Block %1: the rows could not be read: %2").arg(block).arg(error));
    m_repair->setEnabled(false);
}

QString BlockRowsWidget::displayValue(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QStringLiteral("NULL");
    switch (value.typeId()) {
    case QMetaType::QString: return QLatin1Char('\'') + value.toString() + QLatin1Char('\'');
    case QMetaType::QByteArray: return QStringLiteral("x'%1'").arg(QString::fromLatin1(value.toByteArray().toHex()));
    case QMetaType::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default: return value.toString();
    }
}

void BlockRowsWidget::showRows(const BlockRowsView &rows)
{
    m_block = rows.block;
    const RangeDifferences &d = rows.differences;
    m_table->setRowCount(0);
    m_table->setRowCount(int(d.rows.size()));
    auto columns = [&](const Row &row, const QList<int> &which) {
        QStringList parts;
        for (int i : which) {
            if (i < rows.schema.columns.size() && i < row.size())
                parts.append(QStringLiteral("%1 = %2").arg(rows.schema.columns.at(i).name, displayValue(row.at(i))));
        }
        return parts.join(QLatin1String(", "));
    };
    QList<int> all;
    for (int i = 0; i < rows.schema.columns.size(); ++i)
        all.append(i);
    for (int r = 0; r < d.rows.size(); ++r) {
        const RowDifference &row = d.rows.at(r);
        QString kind;
        QList<int> shown = all;
        switch (row.kind) {
        case RowDifference::Kind::Missing: kind = tr("missing on the target"); break;
        case RowDifference::Kind::Extra: kind = tr("extra on the target"); break;
        case RowDifference::Kind::Different:
            kind = tr("other values");
            shown.clear();
            for (int i : all) {
                if (i < row.source.size() && i < row.target.size() && displayValue(row.source.at(i)) != displayValue(row.target.at(i)))
                    shown.append(i);
            }
            break;
        }
        QStringList key;
        for (int k = 0; k < row.key.size(); ++k) {
            const int column = k < rows.schema.primaryKey.size() ? rows.schema.primaryKey.at(k) : -1;
            const QString name = column >= 0 && column < rows.schema.columns.size() ? rows.schema.columns.at(column).name : QString();
            key.append(name.isEmpty() ? displayValue(row.key.at(k)) : QStringLiteral("%1 = %2").arg(name, displayValue(row.key.at(k))));
        }
        const QString source = row.source.isEmpty() ? tr("(no row)") : columns(row.source, shown);
        const QString target = row.target.isEmpty() ? tr("(no row)") : columns(row.target, shown);
        const QStringList cells{kind, key.join(QLatin1String(", ")), source, target};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            item->setToolTip(c >= 2 ? (c == 2 ? (row.source.isEmpty() ? cells.at(c) : columns(row.source, all)) : (row.target.isEmpty() ? cells.at(c) : columns(row.target, all)))
                                    : cells.at(c));
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnToContents(0);
    m_table->resizeColumnToContents(1);
    if (d.total() == 0) {
        m_title->setText(tr("Block %1 %2: no row differs now.").arg(rows.block).arg(describeRange(d.range)));
    } else {
        QString text = tr("Block %1 %2: %3 missing on the target, %4 extra on the target, %5 with other values.")
                           .arg(rows.block)
                           .arg(describeRange(d.range))
                           .arg(d.missing)
                           .arg(d.extra)
                           .arg(d.different);
        if (d.truncated())
            text += QLatin1Char(' ') + tr("The first %1 are listed.").arg(d.rows.size());
        m_title->setText(text);
    }
    m_repair->setEnabled(d.total() > 0);
}

int BlockRowsWidget::rowCount() const
{
    return m_table->rowCount();
}

QString BlockRowsWidget::cellText(int row, int column) const
{
    const QTableWidgetItem *item = m_table->item(row, column);
    return item ? item->text() : QString();
}

QString BlockRowsWidget::title() const
{
    return m_title->text();
}

} // namespace ferry
