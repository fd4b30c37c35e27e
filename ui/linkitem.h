#pragma once

#include "console/consolesession.h"

#include <QFont>
#include <QGraphicsObject>
#include <QPainterPath>
#include <QPointer>

#include <optional>

namespace ferry {

class DataCenterItem;

// One replication link in the topology view: an arrow from the source card to the target
// card (a double arrow for a bidirectional link), coloured by the link's state and
// labelled with its name, state, lag and rows/s. It shows a LinkView; it owns no state.
// Several links between the same two data centers are drawn side by side (lanes).
class LinkItem : public QGraphicsObject
{
    Q_OBJECT

public:
    enum { Type = UserType + 2 };

    LinkItem(const LinkView &link, DataCenterItem *source, DataCenterItem *target, QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }

    static QString keyOf(const QString &sourceAddress, const QString &linkId);
    QString key() const { return keyOf(m_link.sourceAddress, m_link.link.id); }

    // Updates what the arrow shows, in place.
    void setLink(const LinkView &link);
    // The other half of a bidirectional pair (the link its target node runs back), drawn
    // by this arrow: its figures join the label and the tooltip. Call before setLink().
    void setReverse(const std::optional<LinkView> &reverse);
    const std::optional<LinkView> &reverse() const { return m_reverse; }
    const LinkView &link() const { return m_link; }
    void setEndpoints(DataCenterItem *source, DataCenterItem *target);
    DataCenterItem *sourceItem() const { return m_source; }
    DataCenterItem *targetItem() const { return m_target; }
    // 0: straight; other values bend the arrow to that side (in lane widths).
    void setLane(double lane);
    double lane() const { return m_lane; }

    // What the arrow shows.
    QColor color() const;
    QString title() const;           // "orders · streaming"
    QString label() const;           // "12 ms · 340 rows/s"
    bool isBidirectional() const;
    bool isPaused() const;
    // A point on the arrow (scene coordinates), where its label is.
    QPointF midPoint() const;

    static QColor stateColor(const QString &state);
    static QString stateLabel(const QString &state);
    // Mode, direction and conflict policy, in the user's language.
    static QString settingsLabel(const LinkDefinition &link);
    static QString formatLag(double ms);
    static QString formatRate(double rowsPerSecond);

    // Recomputes the arrow from its cards' positions.
    void adjust();

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    QRectF labelRect() const;
    QPolygonF arrowHead(const QPointF &tip, const QPointF &from) const;
    void refreshToolTip();

    LinkView m_link;
    std::optional<LinkView> m_reverse;
    QPointer<DataCenterItem> m_source;
    QPointer<DataCenterItem> m_target;
    double m_lane = 0;
    QPainterPath m_path;
    QPolygonF m_endHead;
    QPolygonF m_startHead;
    QPointF m_mid;
    QRectF m_bounds;
    // The label box's size and what it was measured for (measuring shapes text).
    mutable QSizeF m_labelSize;
    mutable QString m_measuredTitle;
    mutable QString m_measuredLabel;
    mutable QFont m_measuredFont;
};

} // namespace ferry
