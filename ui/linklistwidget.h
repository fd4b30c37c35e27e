#pragma once

#include "console/consolesession.h"

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace ferry {

class LinkListModel;

// The link list (View > Links, a dock): every link with its state, rows/s, lag, pending,
// errors and the last error with its time; sortable by any column, filtered by text,
// keyboard-selectable. The model is updated in place behind a QSortFilterProxyModel
// (DESIGN.md, Widgets), so the selection and the sort order survive every refresh. The
// selected row is reported as (source address, link id), as the topology reports its own.
class LinkListWidget : public QWidget
{
    Q_OBJECT

public:
    explicit LinkListWidget(QWidget *parent = nullptr);

    void setLinks(const QList<LinkView> &links);
    // Selects a link's row (no signal); empty strings clear the selection.
    void selectLink(const QString &sourceAddress, const QString &linkId);

    LinkListModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }

signals:
    void linkSelected(const QString &sourceAddress, const QString &linkId);

private:
    void onCurrentChanged();

    LinkListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    bool m_selecting = false;
};

} // namespace ferry
