#pragma once

#include "console/consolesession.h"

#include <QGraphicsObject>

namespace ferry {

// One data center in the topology view: a card with its name, region, the roles it holds
// ("primary of N / replica of M"), a health dot (its connection and its peers' states) and
// the heartbeat round trip to its replicas. It shows a NodeView; it owns no state.
// Dragging the card by its header (or anywhere with Shift) moves it; a drag from the rest
// of the card draws a new link (TopologyView handles both).
class DataCenterItem : public QGraphicsObject
{
    Q_OBJECT

public:
    enum { Type = UserType + 1 };
    enum class Health { Healthy, Degraded, Down };

    explicit DataCenterItem(const NodeView &node, QGraphicsItem *parent = nullptr);

    int type() const override { return Type; }

    // Updates what the card shows (in place: no new item, the position stays).
    void setNode(const NodeView &node);
    const NodeView &node() const { return m_node; }
    QString address() const { return m_node.address; }
    // The key positions are saved under: the node's name, its address until it is known.
    QString positionKey() const;
    // A placeholder for a link target the console has no connection to.
    void setPlaceholder(bool placeholder);
    bool isPlaceholder() const { return m_placeholder; }
    // Drawn as the drop target of a link being drawn.
    void setHighlighted(bool highlighted);

    Health health() const { return m_health; }
    static QColor healthColor(Health health);
    static Health healthOf(const NodeView &node);
    // Mean heartbeat round trip (ms) to its peers, or a negative value when unknown.
    static double heartbeatMs(const NodeView &node);

    // The tables this data center holds a role for, by name (from the links the topology
    // shows): "primary of orders / replica of customers".
    void setTables(const QStringList &primaryOf, const QStringList &replicaOf, const QStringList &twoWay);
    QString title() const;
    QString roleSummary() const;
    QString heartbeatText() const;

    // The card in item coordinates, and its header strip (drag to move).
    static QRectF cardRect();
    bool isInHeader(const QPointF &itemPos) const;
    // Where a line from the card's centre towards `towards` (scene) leaves the card.
    QPointF boundaryPoint(const QPointF &towards) const;

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

signals:
    void moved();

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    void refreshToolTip();
    QRectF lineRect(int line) const;   // the text lines below the header, item coordinates

    NodeView m_node;
    QStringList m_primaryOf;
    QStringList m_replicaOf;
    QStringList m_twoWay;
    Health m_health = Health::Down;
    bool m_placeholder = false;
    bool m_highlighted = false;
};

} // namespace ferry
