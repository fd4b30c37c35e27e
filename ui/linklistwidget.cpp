#include "linklistwidget.h"

#include "linklistmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ferry {

LinkListWidget::LinkListWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new LinkListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *bar = new QHBoxLayout;
    auto *label = new QLabel(tr("F&ilter:"), this);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("linkFilter"));
    m_filter->setPlaceholderText(tr("link, data center, table or state"));
    m_filter->setClearButtonEnabled(true);
    label->setBuddy(m_filter);
    bar->addWidget(label);
    bar->addWidget(m_filter, 1);
    layout->addLayout(bar);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(LinkListModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("linkList"));
    m_view->setAccessibleName(tr("Links"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(LinkListModel::Link, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setTabKeyNavigation(false);   // Tab leaves the list, arrows move in it
    m_view->setFocusPolicy(Qt::StrongFocus);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    // Figures and words differ in length (and between languages): every column fits its
    // contents, the last error takes the rest.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(LinkListModel::LastError, QHeaderView::Stretch);
    m_view->horizontalHeader()->setStretchLastSection(false);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LinkListWidget::onCurrentChanged);
}

void LinkListWidget::setLinks(const QList<LinkView> &links)
{
    m_selecting = true;   // rows coming and going move the current index, not the operator
    m_model->setLinks(links);
    m_selecting = false;
}

void LinkListWidget::selectLink(const QString &sourceAddress, const QString &linkId)
{
    const int row = m_model->rowOf(sourceAddress, linkId);
    m_selecting = true;
    if (row < 0) {
        m_view->selectionModel()->clear();
    } else {
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(index);
    }
    m_selecting = false;
}

void LinkListWidget::onCurrentChanged()
{
    if (m_selecting)
        return;
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    emit linkSelected(current.data(LinkListModel::SourceAddressRole).toString(), current.data(LinkListModel::LinkIdRole).toString());
}

} // namespace ferry
