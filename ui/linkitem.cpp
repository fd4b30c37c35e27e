#include "linkitem.h"

#include "datacenteritem.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace ferry {

namespace {

constexpr double LaneWidth = 110;
constexpr double HeadLength = 13;
constexpr double HeadHalfWidth = 6.5;

QFont itemFont(const QGraphicsItem *item)
{
    return item->scene() ? item->scene()->font() : QApplication::font();
}

QFont smallFont(const QFont &font)
{
    QFont small = font;
    if (font.pointSizeF() > 0)
        small.setPointSizeF(font.pointSizeF() * 0.9);
    return small;
}

QPointF unit(const QPointF &v)
{
    const double length = std::hypot(v.x(), v.y());
    return length > 1e-9 ? v / length : QPointF(1, 0);
}

} // namespace

LinkItem::LinkItem(const LinkView &link, DataCenterItem *source, DataCenterItem *target, QGraphicsItem *parent)
    : QGraphicsObject(parent)
    , m_link(link)
    , m_source(source)
    , m_target(target)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(1);
    refreshToolTip();
    adjust();
}

QString LinkItem::keyOf(const QString &sourceAddress, const QString &linkId)
{
    return sourceAddress + QLatin1Char('\n') + linkId;
}

QColor LinkItem::stateColor(const QString &state)
{
    if (state == QLatin1String("streaming"))
        return QColor(0x43, 0xa0, 0x47);
    if (state == QLatin1String("syncing") || state == QLatin1String("verifying"))
        return QColor(0x1e, 0x88, 0xe5);
    if (state == QLatin1String("paused"))
        return QColor(0x9e, 0x9e, 0x9e);
    if (state == QLatin1String("error"))
        return QColor(0xe5, 0x39, 0x35);
    if (state == QLatin1String("connecting"))
        return QColor(0xff, 0xb3, 0x00);
    if (state == QLatin1String("waiting"))
        return QColor(0x78, 0x90, 0x9c);
    if (state == QLatin1String("done"))
        return QColor(0x55, 0x8b, 0x2f);
    if (state == QLatin1String("catching-up") || state == QLatin1String("resyncing"))
        return QColor(0x1e, 0x88, 0xe5);
    if (state == QLatin1String("stalled"))
        return QColor(0xfb, 0x8c, 0x00);
    return QColor(0xb0, 0xb0, 0xb0);
}

QString LinkItem::stateLabel(const QString &state)
{
    if (state == QLatin1String("connecting"))
        return tr("connecting");
    if (state == QLatin1String("syncing"))
        return tr("syncing");
    if (state == QLatin1String("streaming"))
        return tr("streaming");
    if (state == QLatin1String("verifying"))
        return tr("verifying");
    if (state == QLatin1String("waiting"))
        return tr("waiting");
    if (state == QLatin1String("paused"))
        return tr("paused");
    if (state == QLatin1String("done"))
        return tr("done");
    if (state == QLatin1String("error"))
        return tr("error");
    if (state == QLatin1String("demoted"))
        return tr("demoted");
    if (state == QLatin1String("catching-up"))
        return tr("catching up");
    if (state == QLatin1String("stalled"))
        return tr("stalled");
    if (state == QLatin1String("resyncing"))
        return tr("resyncing");
    return state.isEmpty() ? tr("unknown") : state;
}

QString LinkItem::settingsLabel(const LinkDefinition &link)
{
    QString mode;
    switch (link.mode) {
    case LinkDefinition::Mode::Continuous: mode = tr("continuous"); break;
    case LinkDefinition::Mode::Scheduled: mode = tr("every %1 min").arg(link.intervalMinutes); break;
    case LinkDefinition::Mode::OneShot: mode = tr("one-shot"); break;
    }
    const QString direction = link.direction == LinkDefinition::Direction::Bidirectional ? tr("bidirectional") : tr("one-way");
    QString conflicts;
    switch (link.conflicts) {
    case LinkDefinition::Conflicts::SourceWins: conflicts = tr("source wins"); break;
    case LinkDefinition::Conflicts::TargetWins: conflicts = tr("target wins"); break;
    case LinkDefinition::Conflicts::NewestWins: conflicts = tr("newest wins (by %1)").arg(link.timestampColumn); break;
    }
    return tr("Mode: %1; direction: %2; conflicts: %3").arg(mode, direction, conflicts);
}

QString LinkItem::formatLag(double ms)
{
    if (!(ms >= 0))
        return tr("no lag figure");
    if (ms > 0 && ms < 10)
        return tr("%1 ms").arg(QString::number(ms, 'f', 1));
    if (ms < 1000)
        return tr("%1 ms").arg(QString::number(std::round(ms), 'f', 0));
    if (ms < 120000)
        return tr("%1 s").arg(QString::number(ms / 1000, 'f', 1));
    return tr("%1 min").arg(QString::number(ms / 60000, 'f', 0));
}

QString LinkItem::formatRate(double rowsPerSecond)
{
    if (!(rowsPerSecond >= 0))
        rowsPerSecond = 0;
    if (rowsPerSecond < 10 && rowsPerSecond != std::floor(rowsPerSecond))
        return tr("%1 rows/s").arg(QString::number(rowsPerSecond, 'f', 1));
    if (rowsPerSecond < 1000)
        return tr("%1 rows/s").arg(QString::number(std::round(rowsPerSecond), 'f', 0));
    if (rowsPerSecond < 1e6)
        return tr("%1k rows/s").arg(QString::number(rowsPerSecond / 1e3, 'f', 1));
    return tr("%1M rows/s").arg(QString::number(rowsPerSecond / 1e6, 'f', 1));
}

bool LinkItem::isBidirectional() const
{
    return m_link.link.direction == LinkDefinition::Direction::Bidirectional;
}

bool LinkItem::isPaused() const
{
    return m_link.link.paused || m_link.stats.state == QLatin1String("paused");
}

QColor LinkItem::color() const
{
    if (m_link.stats.state.isEmpty() && m_link.link.paused)
        return stateColor(QStringLiteral("paused"));
    return stateColor(m_link.stats.state);
}

QString LinkItem::title() const
{
    QString state = m_link.stats.state;
    if (state.isEmpty() && m_link.link.paused)
        state = QStringLiteral("paused");
    return QStringLiteral("%1 \u00b7 %2").arg(m_link.link.id, stateLabel(state));
}

QString LinkItem::label() const
{
    const QString forward = QStringLiteral("%1 \u00b7 %2").arg(formatLag(m_link.stats.lagMs), formatRate(m_link.stats.rowsPerSecond));
    if (!m_reverse)
        return forward;
    // A pair: each direction's figures, with its arrow.
    return QStringLiteral("\u2192 %1  \u2190 %2 \u00b7 %3").arg(forward, formatLag(m_reverse->stats.lagMs), formatRate(m_reverse->stats.rowsPerSecond));
}

void LinkItem::setReverse(const std::optional<LinkView> &reverse)
{
    const QString oldLabel = label();
    m_reverse = reverse;
    if (label() != oldLabel) {
        refreshToolTip();
        adjust();   // the label box may change size
    }
}

QPointF LinkItem::midPoint() const
{
    return m_mid;
}

void LinkItem::setLink(const LinkView &link)
{
    const QString oldTitle = title();
    const QString oldLabel = label();
    const bool oldBidirectional = isBidirectional();
    const QColor oldColor = color();
    const bool oldPaused = isPaused();
    const QRectF oldLabelRect = labelRect();
    m_link = link;
    refreshToolTip();   // read when the pointer rests on the arrow: nothing to repaint
    const bool textChanged = title() != oldTitle || label() != oldLabel;
    if (isBidirectional() != oldBidirectional) {
        adjust();   // the heads change
    } else if (color() != oldColor || isPaused() != oldPaused) {
        // The arrow's pen changes: the whole item.
        if (textChanged && labelRect() != oldLabelRect)
            adjust();
        else
            update();
    } else if (textChanged) {
        // Only the figures in the label changed (lag and rows/s, four times a second while
        // the link moves rows): repaint the label box alone rather than the arrow's whole
        // bounding rect, which reaches over the cards at both ends. The geometry changes
        // only when the box does.
        if (labelRect() != oldLabelRect)
            adjust();
        else
            update(oldLabelRect.adjusted(-2, -2, 2, 2));
    }
    // else: nothing visible changed (the session sends the whole picture four times a second)
}

void LinkItem::setEndpoints(DataCenterItem *source, DataCenterItem *target)
{
    if (source == m_source && target == m_target)
        return;
    m_source = source;
    m_target = target;
    adjust();
}

void LinkItem::setLane(double lane)
{
    if (lane == m_lane)
        return;
    m_lane = lane;
    adjust();
}

QPolygonF LinkItem::arrowHead(const QPointF &tip, const QPointF &from) const
{
    const QPointF d = unit(tip - from);
    const QPointF n(-d.y(), d.x());
    const QPointF base = tip - d * HeadLength;
    return QPolygonF{tip, base + n * HeadHalfWidth, base - n * HeadHalfWidth};
}

QRectF LinkItem::labelRect() const
{
    // Measuring shapes the texts: only when they (or the font) changed.
    const QFont font = smallFont(itemFont(this));
    const QString titleText = title();
    const QString labelText = label();
    if (m_labelSize.isEmpty() || titleText != m_measuredTitle || labelText != m_measuredLabel || font != m_measuredFont) {
        QFont bold = font;
        bold.setBold(true);
        const QFontMetricsF titleMetrics(bold);
        const QFontMetricsF metrics(font);
        // The width in steps of 8: figures that change every second keep the box (and the
        // item's geometry) as it is, so that a change repaints the box alone.
        const double text = std::max(titleMetrics.horizontalAdvance(titleText), metrics.horizontalAdvance(labelText));
        m_labelSize = QSizeF(std::ceil((text + 14) / 8) * 8, titleMetrics.height() + metrics.height() + 8);
        m_measuredTitle = titleText;
        m_measuredLabel = labelText;
        m_measuredFont = font;
    }
    return QRectF(m_mid.x() - m_labelSize.width() / 2, m_mid.y() - m_labelSize.height() / 2, m_labelSize.width(), m_labelSize.height());
}

void LinkItem::adjust()
{
    prepareGeometryChange();
    m_path = QPainterPath();
    m_endHead.clear();
    m_startHead.clear();
    if (!m_source || !m_target) {
        m_mid = QPointF();
        m_bounds = QRectF();
        update();
        return;
    }
    QPointF start;
    QPointF end;
    QPointF startFrom;   // where the line comes from at its start and end, for the heads
    QPointF endFrom;
    if (m_source == m_target) {
        // A link between two tables of the same data center: a loop on the card's right.
        const QRectF card = DataCenterItem::cardRect().translated(m_source->scenePos());
        const double out = 70 + 30 * std::abs(m_lane);
        start = QPointF(card.right() + 3, card.center().y() - 22);
        end = QPointF(card.right() + 3, card.center().y() + 22);
        const QPointF c1(start.x() + out, start.y() - 45);
        const QPointF c2(end.x() + out, end.y() + 45);
        const QPointF endBase = end + unit(c2 - end) * HeadLength * 0.6;
        m_path.moveTo(start);
        m_path.cubicTo(c1, c2, endBase);
        startFrom = c1;
        endFrom = c2;
    } else {
        const QPointF s = m_source->scenePos();
        const QPointF t = m_target->scenePos();
        const QPointF d = unit(t - s);
        const QPointF n(-d.y(), d.x());
        // A quadratic curve through (s + t) / 2 + n * lane * LaneWidth: its control point is
        // twice as far out.
        const QPointF control = (s + t) / 2 + n * (m_lane * LaneWidth * 2);
        start = m_source->boundaryPoint(m_lane == 0 ? t : control);
        end = m_target->boundaryPoint(m_lane == 0 ? s : control);
        startFrom = m_lane == 0 ? end : control;
        endFrom = m_lane == 0 ? start : control;
        // The line stops at the heads' bases so that it does not poke through the tips.
        const QPointF endBase = end - unit(end - endFrom) * HeadLength * 0.8;
        const QPointF startBase = isBidirectional() ? start - unit(start - startFrom) * HeadLength * 0.8 : start;
        m_path.moveTo(startBase);
        if (m_lane == 0)
            m_path.lineTo(endBase);
        else
            m_path.quadTo(control, endBase);
    }
    m_endHead = arrowHead(end, endFrom);
    if (isBidirectional())
        m_startHead = arrowHead(start, startFrom);
    m_mid = m_path.pointAtPercent(0.5);
    m_bounds = m_path.boundingRect().united(m_endHead.boundingRect()).united(m_startHead.boundingRect()).united(labelRect()).adjusted(-8, -8, 8, 8);
    update();
}

QRectF LinkItem::boundingRect() const
{
    return m_bounds;
}

QPainterPath LinkItem::shape() const
{
    QPainterPath result;
    if (m_path.isEmpty())
        return result;
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    stroker.setCapStyle(Qt::RoundCap);
    result = stroker.createStroke(m_path);
    result.addPolygon(m_endHead);
    if (!m_startHead.isEmpty())
        result.addPolygon(m_startHead);
    result.addRect(labelRect());
    result.setFillRule(Qt::WindingFill);
    return result;
}

QVariant LinkItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemSelectedHasChanged)
        update();
    return QGraphicsObject::itemChange(change, value);
}

void LinkItem::refreshToolTip()
{
    const LinkDefinition &l = m_link.link;
    const LinkStats &s = m_link.stats;
    QStringList lines;
    lines << QStringLiteral("<b>%1</b> (%2)").arg(l.id.toHtmlEscaped(), stateLabel(s.state).toHtmlEscaped());
    const QString source = l.sourceNode.isEmpty() ? m_link.sourceAddress : l.sourceNode;
    const QString target = l.targetNode.isEmpty() ? QStringLiteral("%1:%2").arg(l.targetHost).arg(l.targetPort) : l.targetNode;
    lines << tr("%1.%2 on %3 → %4.%5 on %6")
                 .arg(l.sourceDatabase.toHtmlEscaped(), l.sourceTableLabel().toHtmlEscaped(), source.toHtmlEscaped(),
                      l.targetDatabase.toHtmlEscaped(), l.targetTableLabel().toHtmlEscaped(), target.toHtmlEscaped());
    lines << settingsLabel(l).toHtmlEscaped();
    lines << tr("Lag: %1 (p50 %2, p99 %3)").arg(formatLag(s.lagMs), formatLag(s.lagP50Ms), formatLag(s.lagP99Ms));
    lines << tr("Throughput: %1; pending changes: %2").arg(formatRate(s.rowsPerSecond)).arg(s.pending);
    if (s.blocks > 0)
        lines << tr("Blocks: %1 of %2 verified, %3 differed, %4 repaired").arg(s.blocksVerified).arg(s.blocks).arg(s.blocksDiffering).arg(s.blocksRepaired);
    if (s.conflicts > 0)
        lines << tr("Conflicts recorded: %1").arg(s.conflicts);
    if (!s.lastError.isEmpty())
        lines << QStringLiteral("<span style=\"color:#c62828\">%1</span>").arg(tr("Last error: %1").arg(s.lastError).toHtmlEscaped());
    if (m_reverse) {
        const LinkStats &r = m_reverse->stats;
        lines << tr("Back from %1 (%2): lag %3, %4, pending changes: %5")
                     .arg(target.toHtmlEscaped(), stateLabel(r.state).toHtmlEscaped(), formatLag(r.lagMs), formatRate(r.rowsPerSecond))
                     .arg(r.pending);
        if (!r.lastError.isEmpty())
            lines << QStringLiteral("<span style=\"color:#c62828\">%1</span>").arg(tr("Last error: %1").arg(r.lastError).toHtmlEscaped());
    }
    setToolTip(lines.join(QStringLiteral("<br>")));
}

void LinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    if (m_path.isEmpty())
        return;
    const QPalette palette = scene() ? scene()->palette() : QApplication::palette();
    const QColor c = color();
    const bool hovered = option->state & QStyle::State_MouseOver;
    painter->setRenderHint(QPainter::Antialiasing);

    if (isSelected()) {
        QColor halo = palette.color(QPalette::Highlight);
        halo.setAlpha(90);
        painter->setPen(QPen(halo, 10, Qt::SolidLine, Qt::RoundCap));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
    }
    QPen pen(c, hovered || isSelected() ? 3.5 : 2.5, isPaused() ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    painter->setPen(QPen(c, 1));
    painter->setBrush(c);
    painter->drawPolygon(m_endHead);
    if (!m_startHead.isEmpty())
        painter->drawPolygon(m_startHead);

    // The label: name and state, then lag and rows/s.
    const QRectF box = labelRect();
    QColor background = palette.color(QPalette::Base);
    background.setAlpha(235);
    painter->setPen(QPen(c, isSelected() ? 2 : 1));
    painter->setBrush(background);
    painter->drawRoundedRect(box, 5, 5);
    const QFont font = smallFont(itemFont(this));
    QFont bold = font;
    bold.setBold(true);
    const double titleHeight = QFontMetricsF(bold).height();
    painter->setPen(palette.color(QPalette::Text));
    painter->setFont(bold);
    painter->drawText(QRectF(box.left(), box.top() + 4, box.width(), titleHeight), Qt::AlignCenter, title());
    painter->setFont(font);
    painter->drawText(QRectF(box.left(), box.top() + 4 + titleHeight, box.width(), box.height() - 8 - titleHeight), Qt::AlignCenter, label());
}

} // namespace ferry
