#pragma once

#include "console/consolesession.h"

#include <QAbstractTableModel>
#include <QHash>

namespace ferry {

// Every link the console knows, one row each, keyed by (source node address, link id)
// (DESIGN.md, Widgets: a live list). setLinks() updates the rows in place: dataChanged for
// the rows whose figures changed, beginInsertRows/beginRemoveRows for links that came or
// went, never a reset per tick, so that a view's selection, sorting and scroll position
// survive the four refreshes a second. Sorting is the proxy's (SortRole gives numbers).
class LinkListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Link, Source, Target, Table, State, RowsPerSecond, Lag, Pending, Errors, LastError, LastErrorAt, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, SourceAddressRole, LinkIdRole };

    explicit LinkListModel(QObject *parent = nullptr);

    void setLinks(const QList<LinkView> &links);
    // The row of a link, or -1.
    int rowOf(const QString &sourceAddress, const QString &linkId) const;
    const LinkView &linkAt(int row) const { return m_links.at(row); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString keyOf(const QString &sourceAddress, const QString &linkId) { return sourceAddress + QLatin1Char('/') + linkId; }

private:
    QList<LinkView> m_links;        // in arrival order; the proxy sorts
    QHash<QString, int> m_rows;     // key -> row
    void reindex();
};

} // namespace ferry
