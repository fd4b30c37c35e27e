#include "datacenteritem.h"

#include <QApplication>
#include <QCborMap>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace ferry {

namespace {

constexpr double CardWidth = 236;
constexpr double CardHeight = 104;
constexpr double HeaderHeight = 28;
constexpr double Radius = 8;

QPalette itemPalette(const QGraphicsItem *item)
{
    return item->scene() ? item->scene()->palette() : QApplication::palette();
}

QFont itemFont(const QGraphicsItem *item)
{
    return item->scene() ? item->scene()->font() : QApplication::font();
}

} // namespace

DataCenterItem::DataCenterItem(const NodeView &node, QGraphicsItem *parent)
    : QGraphicsObject(parent)
{
    setFlag(ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(0);
    setNode(node);
}

QRectF DataCenterItem::cardRect()
{
    return QRectF(-CardWidth / 2, -CardHeight / 2, CardWidth, CardHeight);
}

QRectF DataCenterItem::lineRect(int line) const
{
    // Below the header: region and address, roles, heartbeat.
    const QRectF card = cardRect();
    const double lineHeight = QFontMetricsF(itemFont(this)).height() + 2;
    return QRectF(card.left() + 10, card.top() + HeaderHeight + 5 + line * lineHeight, card.width() - 20, lineHeight);
}

QRectF DataCenterItem::boundingRect() const
{
    return cardRect().adjusted(-4, -4, 4, 4);
}

bool DataCenterItem::isInHeader(const QPointF &itemPos) const
{
    const QRectF card = cardRect();
    return card.contains(itemPos) && itemPos.y() < card.top() + HeaderHeight;
}

QPointF DataCenterItem::boundaryPoint(const QPointF &towards) const
{
    const QPointF centre = scenePos();
    const QPointF d = towards - centre;
    const QRectF card = cardRect();
    const double hw = card.width() / 2 + 3;
    const double hh = card.height() / 2 + 3;
    if (std::abs(d.x()) < 1e-9 && std::abs(d.y()) < 1e-9)
        return centre;
    const double tx = std::abs(d.x()) > 1e-9 ? hw / std::abs(d.x()) : 1e300;
    const double ty = std::abs(d.y()) > 1e-9 ? hh / std::abs(d.y()) : 1e300;
    return centre + d * std::min(tx, ty);
}

QString DataCenterItem::positionKey() const
{
    return m_node.name.isEmpty() ? m_node.address : m_node.name;
}

DataCenterItem::Health DataCenterItem::healthOf(const NodeView &node)
{
    if (!node.connected)
        return Health::Down;
    for (const QCborValue &peer : node.peers) {
        const QString state = peer.toMap().value(QStringLiteral("state")).toString();
        if (state == QLatin1String("down") || state == QLatin1String("suspect"))
            return Health::Degraded;
    }
    return Health::Healthy;
}

QColor DataCenterItem::healthColor(Health health)
{
    switch (health) {
    case Health::Healthy: return QColor(0x43, 0xa0, 0x47);
    case Health::Degraded: return QColor(0xff, 0xb3, 0x00);
    case Health::Down: return QColor(0xe5, 0x39, 0x35);
    }
    return Qt::gray;
}

double DataCenterItem::heartbeatMs(const NodeView &node)
{
    double sum = 0;
    int count = 0;
    for (const QCborValue &peer : node.peers) {
        const QCborValue rtt = peer.toMap().value(QStringLiteral("rtt_ms"));
        if (rtt.isDouble() || rtt.isInteger()) {
            const double ms = rtt.toDouble();
            if (ms >= 0) {
                sum += ms;
                ++count;
            }
        }
    }
    return count > 0 ? sum / count : -1;
}

QString DataCenterItem::title() const
{
    return m_node.name.isEmpty() ? m_node.address : m_node.name;
}

QString DataCenterItem::roleSummary() const
{
    // The tables by name, from the links; the node's own counts while no link is known.
    if (m_primaryOf.isEmpty() && m_replicaOf.isEmpty() && m_twoWay.isEmpty()) {
        if (m_node.primaryTables == 0 && m_node.replicaTables == 0)
            return tr("no replicated table");
        return tr("primary of %1 / replica of %2").arg(m_node.primaryTables).arg(m_node.replicaTables);
    }
    QStringList parts;
    if (!m_primaryOf.isEmpty())
        parts << tr("primary of %1").arg(m_primaryOf.join(QStringLiteral(", ")));
    if (!m_replicaOf.isEmpty())
        parts << tr("replica of %1").arg(m_replicaOf.join(QStringLiteral(", ")));
    if (!m_twoWay.isEmpty())
        parts << tr("two-way %1").arg(m_twoWay.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral(" / "));
}

void DataCenterItem::setTables(const QStringList &primaryOf, const QStringList &replicaOf, const QStringList &twoWay)
{
    if (primaryOf == m_primaryOf && replicaOf == m_replicaOf && twoWay == m_twoWay)
        return;
    m_primaryOf = primaryOf;
    m_replicaOf = replicaOf;
    m_twoWay = twoWay;
    refreshToolTip();
    update();
}

QString DataCenterItem::heartbeatText() const
{
    if (m_placeholder)
        return tr("not registered in this console");
    if (!m_node.connected)
        return m_node.lastError.isEmpty() ? tr("not connected") : tr("not connected: %1").arg(m_node.lastError);
    const double ms = heartbeatMs(m_node);
    if (ms < 0)
        return m_node.peers.isEmpty() ? tr("heartbeat: no peers") : tr("heartbeat: not measured");
    return tr("heartbeat %1 ms").arg(QString::number(ms, 'f', ms < 10 ? 1 : 0));
}

void DataCenterItem::setNode(const NodeView &node)
{
    // The session sends the whole picture four times a second: repaint only what changed.
    // The heartbeat changes with every health poll: its line alone then.
    auto painted = [this] {
        return title() + QLatin1Char('\n') + m_node.region + QLatin1Char('\n') + m_node.address + QLatin1Char('\n') + roleSummary()
            + QLatin1Char('\n') + QString::number(int(m_health)) + QLatin1Char('\n') + QString::number(int(m_node.connected));
    };
    const QString before = painted();
    const QString heartbeatBefore = heartbeatText();
    m_node = node;
    m_health = m_placeholder ? Health::Down : healthOf(node);
    refreshToolTip();   // read when the pointer rests on the card: nothing to repaint
    if (painted() != before)
        update();
    else if (heartbeatText() != heartbeatBefore)
        update(lineRect(2));
}

void DataCenterItem::setPlaceholder(bool placeholder)
{
    if (placeholder == m_placeholder)
        return;
    m_placeholder = placeholder;
    m_health = m_placeholder ? Health::Down : healthOf(m_node);
    refreshToolTip();
    update();
}

void DataCenterItem::setHighlighted(bool highlighted)
{
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    update();
}

void DataCenterItem::refreshToolTip()
{
    QStringList lines;
    lines << QStringLiteral("<b>%1</b>").arg(title().toHtmlEscaped());
    lines << tr("Address: %1").arg(m_node.address.toHtmlEscaped());
    if (!m_node.region.isEmpty())
        lines << tr("Region: %1").arg(m_node.region.toHtmlEscaped());
    if (m_placeholder)
        lines << tr("A link points here, but this console has no connection to it.");
    else if (m_node.connected)
        lines << tr("Connected");
    else
        lines << tr("Not connected: %1").arg((m_node.lastError.isEmpty() ? tr("connecting") : m_node.lastError).toHtmlEscaped());
    if (!m_node.databases.isEmpty())
        lines << tr("Databases: %1").arg(m_node.databases.join(QStringLiteral(", ")).toHtmlEscaped());
    for (const QCborValue &value : m_node.peers) {
        const QCborMap peer = value.toMap();
        const QString name = peer.value(QStringLiteral("node")).toString();
        const QString role = peer.value(QStringLiteral("role")).toString();
        const QString state = peer.value(QStringLiteral("state")).toString();
        const QString roleText = role == QLatin1String("primary") ? tr("primary") : role == QLatin1String("replica") ? tr("replica") : role;
        const QString stateText = state == QLatin1String("healthy") ? tr("healthy")
                                  : state == QLatin1String("suspect") ? tr("suspect")
                                  : state == QLatin1String("down") ? tr("down")
                                                                    : state;
        lines << tr("Peer %1 (%2 of link %3): %4")
                     .arg((name.isEmpty() ? peer.value(QStringLiteral("address")).toString() : name).toHtmlEscaped(), roleText.toHtmlEscaped(),
                          peer.value(QStringLiteral("link")).toString().toHtmlEscaped(), stateText.toHtmlEscaped());
    }
    lines << tr("<i>Drag to another data center to create a link; drag the header (or Shift+drag) to move.</i>");
    setToolTip(lines.join(QStringLiteral("<br>")));
}

QVariant DataCenterItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionHasChanged)
        emit moved();
    return QGraphicsObject::itemChange(change, value);
}

void DataCenterItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = itemPalette(this);
    const QRectF card = cardRect();
    const bool hovered = option->state & QStyle::State_MouseOver;
    painter->setRenderHint(QPainter::Antialiasing);

    // The card and its header strip.
    QColor border = palette.color(QPalette::Mid);
    double borderWidth = 1.2;
    if (m_highlighted) {
        border = palette.color(QPalette::Highlight);
        borderWidth = 3;
    } else if (hovered) {
        border = palette.color(QPalette::Dark);
        borderWidth = 1.8;
    }
    QPen pen(border, borderWidth);
    if (m_placeholder)
        pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(palette.color(QPalette::Base));
    painter->drawRoundedRect(card, Radius, Radius);
    QPainterPath header;
    header.addRoundedRect(card, Radius, Radius);
    QPainterPath headerClip;
    headerClip.addRect(QRectF(card.left(), card.top(), card.width(), HeaderHeight));
    painter->setPen(Qt::NoPen);
    painter->setBrush(palette.color(QPalette::AlternateBase));
    painter->drawPath(header.intersected(headerClip));
    painter->setPen(QPen(palette.color(QPalette::Midlight), 1));
    painter->drawLine(QPointF(card.left() + 1, card.top() + HeaderHeight), QPointF(card.right() - 1, card.top() + HeaderHeight));

    // The health dot and the name.
    const QPointF dot(card.left() + 14, card.top() + HeaderHeight / 2);
    painter->setPen(QPen(healthColor(m_health).darker(130), 1));
    painter->setBrush(healthColor(m_health));
    painter->drawEllipse(dot, 5.5, 5.5);

    const QColor text = m_placeholder ? palette.color(QPalette::Disabled, QPalette::Text) : palette.color(QPalette::Text);
    const QColor muted = palette.color(QPalette::Disabled, QPalette::Text);
    QFont font = itemFont(this);
    QFont bold = font;
    bold.setBold(true);
    bold.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 1.1 : 10);
    QFont small = font;
    if (font.pointSizeF() > 0)
        small.setPointSizeF(font.pointSizeF() * 0.9);

    const double left = card.left() + 26;
    const double width = card.right() - 8 - left;
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(QRectF(left, card.top(), width, HeaderHeight), Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetricsF(bold).elidedText(title(), Qt::ElideRight, width));

    int index = 0;
    auto line = [&](const QFont &f, const QColor &color, const QString &s) {
        painter->setFont(f);
        painter->setPen(color);
        const QRectF r = lineRect(index++);
        painter->drawText(r, Qt::AlignVCenter | Qt::AlignLeft, QFontMetricsF(f).elidedText(s, Qt::ElideRight, r.width()));
    };
    const QString region = m_node.region.isEmpty() ? tr("region unknown") : m_node.region;
    line(small, muted, QStringLiteral("%1 \u00b7 %2").arg(region, m_node.address));
    line(font, text, roleSummary());
    line(small, m_node.connected || m_placeholder ? muted : healthColor(Health::Down), heartbeatText());
}

} // namespace ferry
