#pragma once

#include "console/consolesession.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace ferry {

// The rows of one block that differ between a link's source and target: what kind of
// difference (missing on the target, extra on the target, other values), the key, and
// both sides' values (for other values, only the columns that differ). Shown under the
// block map when a block is clicked; the rows are read by the session, this widget only
// shows what arrives. "Repair" asks for a repairing verification of the link.
class BlockRowsWidget : public QWidget
{
    Q_OBJECT

public:
    explicit BlockRowsWidget(QWidget *parent = nullptr);

    void clear();
    void showLoading(int block, const QString &range);
    void showRows(const BlockRowsView &rows);
    void showError(int block, const QString &error);

    int block() const { return m_block; }
    int rowCount() const;
    // The text of a cell (for tests): column 0 kind, 1 key, 2 source, 3 target.
    QString cellText(int row, int column) const;
    QString title() const;

    // How a value is shown: NULL, quoted text, hex bytes, numbers as they are.
    static QString displayValue(const QVariant &value);

signals:
    void repairRequested();

private:
    QLabel *m_title;
    QTableWidget *m_table;
    QPushButton *m_repair;
    int m_block = -1;
};

} // namespace ferry
