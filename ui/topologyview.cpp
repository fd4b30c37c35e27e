#include "topologyview.h"

#include "datacenteritem.h"
#include "linkitem.h"
#include "nodeaddress.h"
#include "security/accesspolicy.h"
#include "wire/protocol.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QSet>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

namespace ferry {

namespace {

constexpr double MinZoom = 0.15;
constexpr double MaxZoom = 4.0;
constexpr double ZoomStep = 1.2;
constexpr double Pi = 3.14159265358979323846;

bool isLoopback(const QString &host)
{
    return host == QLatin1String("localhost") || host == QLatin1String("127.0.0.1") || host == QLatin1String("::1")
        || host == QLatin1String("[::1]");
}

QString targetAddressOf(const LinkDefinition &link)
{
    return joinNodeAddress(link.targetHost, link.targetPort);
}

} // namespace

TopologyView::TopologyView(QWidget *parent)
    : QGraphicsView(parent)
    , m_scene(new QGraphicsScene(this))
{
    setScene(m_scene);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setDragMode(QGraphicsView::NoDrag);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName(tr("Topology"));
    setToolTip(QString());
    setSceneRect(QRectF(-2000, -2000, 4000, 4000));
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &TopologyView::onSelectionChanged);
}

TopologyView::~TopologyView()
{
    // The items go with the scene; nothing may call back into the view meanwhile.
    disconnect(m_scene, nullptr, this, nullptr);
    for (DataCenterItem *card : std::as_const(m_cards))
        disconnect(card, nullptr, this, nullptr);
}

QHash<QString, QPointF> TopologyView::positions() const
{
    QHash<QString, QPointF> result = m_positions;
    for (const DataCenterItem *card : m_cards) {
        if (!card->isPlaceholder())
            result.insert(card->positionKey(), card->pos());
    }
    return result;
}

void TopologyView::setPositions(const QHash<QString, QPointF> &positions)
{
    m_positions = positions;
    for (DataCenterItem *card : std::as_const(m_cards)) {
        const auto found = m_positions.constFind(card->positionKey());
        if (found != m_positions.constEnd())
            card->setPos(*found);
    }
    updateSceneRect();
}

double TopologyView::zoom() const
{
    return transform().m11();
}

QList<DataCenterItem *> TopologyView::dataCenterItems() const
{
    return m_cards.values();
}

QList<LinkItem *> TopologyView::linkItems() const
{
    return m_links.values();
}

DataCenterItem *TopologyView::dataCenterItem(const QString &address) const
{
    return m_cards.value(address);
}

LinkItem *TopologyView::linkItem(const QString &sourceAddress, const QString &linkId) const
{
    const QString key = LinkItem::keyOf(sourceAddress, linkId);
    return m_links.value(m_aliases.value(key, key));
}

QPointF TopologyView::freePosition(int index, int count) const
{
    // On a circle large enough for every card, starting at the top; if a card (placed by
    // hand or by an earlier layout) is in the way, the next free spot further out.
    const QRectF card = DataCenterItem::cardRect();
    const double spacing = card.width() + 90;
    double radius = std::max(260.0, count * spacing / (2 * Pi));
    const double step = 2 * Pi / std::max(1, count);
    double angle = -Pi / 2 + step * index;
    auto occupied = [&](const QPointF &p) {
        for (const DataCenterItem *other : m_cards) {
            const QPointF d = other->pos() - p;
            if (std::abs(d.x()) < card.width() + 30 && std::abs(d.y()) < card.height() + 30)
                return true;
        }
        return false;
    };
    if (count == 1 && m_cards.isEmpty())
        return QPointF(0, 0);
    for (int attempt = 0; attempt < 96; ++attempt) {
        const QPointF p(radius * std::cos(angle), radius * std::sin(angle));
        if (!occupied(p))
            return p;
        angle += step / 2;
        if (attempt % 8 == 7)
            radius += card.height() + 60;
    }
    return QPointF(radius * std::cos(angle), radius * std::sin(angle));
}

DataCenterItem *TopologyView::findTarget(const LinkDefinition &link) const
{
    if (DataCenterItem *card = m_cards.value(targetAddressOf(link)))
        return card;
    // The source node may reach the target under another name than the console does.
    if (!link.targetNode.isEmpty()) {
        for (DataCenterItem *card : m_cards) {
            if (!card->isPlaceholder() && card->node().name == link.targetNode)
                return card;
        }
    }
    if (isLoopback(link.targetHost)) {
        for (DataCenterItem *card : m_cards) {
            const auto [host, port] = splitNodeAddress(card->address());
            if (port == link.targetPort && isLoopback(host))
                return card;
        }
    }
    return nullptr;
}

DataCenterItem *TopologyView::placeholderFor(const LinkDefinition &link)
{
    NodeView node;
    node.address = targetAddressOf(link);
    node.name = link.targetNode;
    auto *card = new DataCenterItem(node);
    card->setPlaceholder(true);
    const auto saved = m_positions.constFind(card->positionKey());
    card->setPos(saved != m_positions.constEnd() ? *saved : freePosition(int(m_cards.size()), int(m_cards.size()) + 1));
    m_scene->addItem(card);
    connect(card, &DataCenterItem::moved, this, [this, card] { adjustLinksOf(card); });
    m_cards.insert(node.address, card);
    return card;
}

void TopologyView::setModel(const QList<NodeView> &nodes, const QList<LinkView> &links)
{
    const bool wasEmpty = m_cards.isEmpty();

    // Data centers: update in place, add the new ones where there is room.
    bool moved = false;
    QSet<QString> nodeAddresses;
    int index = 0;
    for (const NodeView &node : nodes) {
        nodeAddresses.insert(node.address);
        DataCenterItem *card = m_cards.value(node.address);
        if (!card) {
            auto *created = new DataCenterItem(node);
            const auto saved = m_positions.constFind(created->positionKey());
            created->setPos(saved != m_positions.constEnd() ? *saved : freePosition(index, int(nodes.size())));
            m_scene->addItem(created);
            connect(created, &DataCenterItem::moved, this, [this, created] { adjustLinksOf(created); });
            m_cards.insert(node.address, created);
        } else {
            const QString oldKey = card->positionKey();
            card->setPlaceholder(false);
            card->setNode(node);
            // The name became known: a position saved under it wins over the automatic one.
            if (card->positionKey() != oldKey && card != m_moving) {
                const auto saved = m_positions.constFind(card->positionKey());
                if (saved != m_positions.constEnd()) {
                    card->setPos(*saved);
                    moved = true;
                }
            }
        }
        ++index;
    }
    // Cards of nodes no longer in the model stay only as placeholders of link targets.
    for (DataCenterItem *card : std::as_const(m_cards)) {
        if (!nodeAddresses.contains(card->address()))
            card->setPlaceholder(true);
    }

    // A bidirectional pair is one arrow with two heads: the half that runs on the target
    // node (reverseOf names its counterpart) is drawn by its counterpart's item.
    m_aliases.clear();
    QHash<QString, const LinkView *> reverses;   // counterpart's key -> the reverse half
    for (const LinkView &view : links) {
        if (view.link.reverseOf.isEmpty())
            continue;
        const DataCenterItem *towards = findTarget(view.link);
        for (const LinkView &other : links) {
            if (other.link.id == view.link.reverseOf && other.link.reverseOf.isEmpty()
                && other.link.direction == LinkDefinition::Direction::Bidirectional && towards && m_cards.value(other.sourceAddress) == towards) {
                const QString key = LinkItem::keyOf(other.sourceAddress, other.link.id);
                m_aliases.insert(LinkItem::keyOf(view.sourceAddress, view.link.id), key);
                reverses.insert(key, &view);
            }
        }
    }

    // Links: update in place, add and remove.
    QSet<QString> linkKeys;
    QSet<DataCenterItem *> referenced;
    for (const LinkView &view : links) {
        if (m_aliases.contains(LinkItem::keyOf(view.sourceAddress, view.link.id)))
            continue;
        DataCenterItem *source = m_cards.value(view.sourceAddress);
        if (!source) {
            NodeView placeholder;
            placeholder.address = view.sourceAddress;
            placeholder.name = view.link.sourceNode;
            source = new DataCenterItem(placeholder);
            source->setPlaceholder(true);
            source->setPos(freePosition(int(m_cards.size()), int(m_cards.size()) + 1));
            m_scene->addItem(source);
            connect(source, &DataCenterItem::moved, this, [this, source] { adjustLinksOf(source); });
            m_cards.insert(view.sourceAddress, source);
        }
        DataCenterItem *target = findTarget(view.link);
        if (!target)
            target = placeholderFor(view.link);
        referenced.insert(source);
        referenced.insert(target);
        const QString key = LinkItem::keyOf(view.sourceAddress, view.link.id);
        linkKeys.insert(key);
        const LinkView *reverse = reverses.value(key);
        if (LinkItem *item = m_links.value(key)) {
            item->setEndpoints(source, target);
            item->setReverse(reverse ? std::optional<LinkView>(*reverse) : std::nullopt);
            item->setLink(view);
        } else {
            auto *created = new LinkItem(view, source, target);
            created->setReverse(reverse ? std::optional<LinkView>(*reverse) : std::nullopt);
            m_scene->addItem(created);
            created->adjust();   // the label's size depends on the scene's font
            m_links.insert(key, created);
        }
    }
    for (auto it = m_links.begin(); it != m_links.end();) {
        if (linkKeys.contains(it.key())) {
            ++it;
            continue;
        }
        delete it.value();
        it = m_links.erase(it);
    }
    for (auto it = m_cards.begin(); it != m_cards.end();) {
        DataCenterItem *card = it.value();
        if (nodeAddresses.contains(it.key()) || referenced.contains(card)) {
            ++it;
            continue;
        }
        if (card == m_linkSource || card == m_dropTarget)
            cancelLinkDrag();
        if (!card->isPlaceholder())
            m_positions.insert(card->positionKey(), card->pos());
        disconnect(card, nullptr, this, nullptr);
        delete card;
        it = m_cards.erase(it);
    }
    // Each card names the tables it holds a role for.
    QHash<DataCenterItem *, std::array<QStringList, 3>> tables;   // primary of, replica of, two-way
    const auto addTable = [](QStringList &list, const QString &table) {
        if (!table.isEmpty() && !list.contains(table))
            list.append(table);
    };
    for (LinkItem *item : std::as_const(m_links)) {
        const LinkDefinition &def = item->link().link;
        if (def.mode != LinkDefinition::Mode::Continuous || !item->sourceItem() || !item->targetItem())
            continue;
        if (def.direction == LinkDefinition::Direction::Bidirectional) {
            addTable(tables[item->sourceItem()][2], def.sourceTableLabel());
            addTable(tables[item->targetItem()][2], def.targetTableLabel());
        } else {
            addTable(tables[item->sourceItem()][0], def.sourceTableLabel());
            addTable(tables[item->targetItem()][1], def.targetTableLabel());
        }
    }
    for (DataCenterItem *card : std::as_const(m_cards)) {
        std::array<QStringList, 3> names = tables.value(card);
        for (QStringList &list : names)
            list.sort();
        card->setTables(names[0], names[1], names[2]);
    }
    assignLanes();
    onSelectionChanged();
    updateSceneRect();
    // The whole picture on the first model, and again when cards went to the places saved
    // under their names, until the operator zooms or pans.
    if ((wasEmpty || (moved && !m_viewChosen)) && !m_cards.isEmpty())
        fitToView();
    if (wasEmpty != m_cards.isEmpty())
        viewport()->update();   // the empty-state text comes or goes
}

void TopologyView::assignLanes()
{
    // Links between the same two cards side by side: lanes centred on the straight line,
    // in the frame of the pair (lower address first) so that opposite links part.
    QHash<QString, QList<LinkItem *>> pairs;
    for (LinkItem *item : std::as_const(m_links)) {
        if (!item->sourceItem() || !item->targetItem())
            continue;
        const QString a = item->sourceItem()->address();
        const QString b = item->targetItem()->address();
        pairs[a < b ? a + QLatin1Char('\n') + b : b + QLatin1Char('\n') + a].append(item);
    }
    for (QList<LinkItem *> &group : pairs) {
        std::sort(group.begin(), group.end(), [](const LinkItem *x, const LinkItem *y) { return x->key() < y->key(); });
        const int n = int(group.size());
        for (int i = 0; i < n; ++i) {
            LinkItem *item = group.at(i);
            if (item->sourceItem() == item->targetItem()) {
                item->setLane(i);
                continue;
            }
            if (n == 1) {
                item->setLane(0);
                continue;
            }
            const double sign = item->sourceItem()->address() < item->targetItem()->address() ? 1 : -1;
            item->setLane((i - (n - 1) / 2.0) * sign);
        }
    }
}

void TopologyView::adjustLinksOf(DataCenterItem *card)
{
    for (LinkItem *item : std::as_const(m_links)) {
        if (item->sourceItem() == card || item->targetItem() == card)
            item->adjust();
    }
}

void TopologyView::updateSceneRect()
{
    QRectF bounds;
    for (const DataCenterItem *card : std::as_const(m_cards))
        bounds = bounds.united(card->sceneBoundingRect());
    for (const LinkItem *item : std::as_const(m_links))
        bounds = bounds.united(item->sceneBoundingRect());
    if (bounds.isNull())
        bounds = QRectF(-400, -300, 800, 600);
    // Room to pan around the cards, and never less than what is on screen now.
    const double z = std::max(MinZoom, zoom());
    const double margin = std::max(viewport()->width(), viewport()->height()) / z;
    const QRectF visible = mapToScene(viewport()->rect()).boundingRect();
    const QRectF rect = bounds.adjusted(-margin, -margin, margin, margin).united(visible);
    if (rect != sceneRect())
        setSceneRect(rect);
}

void TopologyView::setZoom(double z)
{
    m_viewChosen = true;
    z = std::clamp(z, MinZoom, MaxZoom);
    setTransform(QTransform::fromScale(z, z));
    updateSceneRect();
}

void TopologyView::zoomIn()
{
    const auto anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    setZoom(zoom() * ZoomStep);
    setTransformationAnchor(anchor);
}

void TopologyView::zoomOut()
{
    const auto anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    setZoom(zoom() / ZoomStep);
    setTransformationAnchor(anchor);
}

void TopologyView::resetZoom()
{
    const auto anchor = transformationAnchor();
    setTransformationAnchor(AnchorViewCenter);
    setZoom(1.0);
    setTransformationAnchor(anchor);
}

void TopologyView::fitToView()
{
    QRectF bounds;
    for (const DataCenterItem *card : std::as_const(m_cards))
        bounds = bounds.united(card->sceneBoundingRect());
    for (const LinkItem *item : std::as_const(m_links))
        bounds = bounds.united(item->sceneBoundingRect());
    if (bounds.isNull()) {
        resetZoom();
        centerOn(0, 0);
        return;
    }
    bounds.adjust(-30, -30, 30, 30);
    // Make room first, so that fitInView can centre on the cards.
    setSceneRect(sceneRect().united(bounds.adjusted(-bounds.width(), -bounds.height(), bounds.width(), bounds.height())));
    fitInView(bounds, Qt::KeepAspectRatio);
    if (zoom() > 1.5 || zoom() < MinZoom) {
        setTransform(QTransform::fromScale(std::clamp(zoom(), MinZoom, 1.5), std::clamp(zoom(), MinZoom, 1.5)));
        centerOn(bounds.center());
    }
    updateSceneRect();
    centerOn(bounds.center());
}

void TopologyView::selectLink(const QString &sourceAddress, const QString &linkId)
{
    LinkItem *item = linkId.isEmpty() ? nullptr : linkItem(sourceAddress, linkId);
    if (item && item->isSelected() && m_scene->selectedItems().size() == 1)
        return;
    // One announcement for the change, not one for the clearing and one for the new arrow.
    m_selectingLink = true;
    m_scene->clearSelection();
    if (item)
        item->setSelected(true);
    m_selectingLink = false;
    if (item)
        ensureVisible(QRectF(item->midPoint() - QPointF(60, 20), QSizeF(120, 40)), 20, 20);
    onSelectionChanged();
}

void TopologyView::selectNextLink(int step)
{
    QList<LinkItem *> links = m_links.values();
    if (links.isEmpty())
        return;
    std::sort(links.begin(), links.end(), [](const LinkItem *x, const LinkItem *y) {
        return x->link().link.id == y->link().link.id ? x->key() < y->key() : x->link().link.id < y->link().link.id;
    });
    const auto current = std::find_if(links.begin(), links.end(), [this](const LinkItem *item) { return item->key() == m_selectedKey; });
    qsizetype index = current == links.end() ? (step > 0 ? 0 : links.size() - 1) : (current - links.begin() + step + links.size()) % links.size();
    LinkItem *next = links.at(index);
    selectLink(next->link().sourceAddress, next->link().link.id);
}

void TopologyView::onSelectionChanged()
{
    if (m_selectingLink)
        return;
    LinkItem *selected = nullptr;
    for (QGraphicsItem *item : m_scene->selectedItems()) {
        if (auto *link = qgraphicsitem_cast<LinkItem *>(item)) {
            selected = link;
            break;
        }
    }
    const QString key = selected ? selected->key() : QString();
    if (key == m_selectedKey)
        return;
    m_selectedKey = key;
    if (selected)
        emit linkSelected(selected->link().sourceAddress, selected->link().link.id);
    else
        emit linkSelected(QString(), QString());
}

DataCenterItem *TopologyView::cardAt(const QPoint &viewportPos) const
{
    // The topmost item decides (a link's label may lie over a card); the rubber band of a
    // link being drawn does not count.
    for (QGraphicsItem *item : items(viewportPos)) {
        if (item == m_rubberBand)
            continue;
        return qgraphicsitem_cast<DataCenterItem *>(item);
    }
    return nullptr;
}

LinkItem *TopologyView::linkAt(const QPoint &viewportPos) const
{
    for (QGraphicsItem *item : items(viewportPos)) {
        if (item == m_rubberBand)
            continue;
        return qgraphicsitem_cast<LinkItem *>(item);
    }
    return nullptr;
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        if (steps != 0)
            setZoom(zoom() * std::pow(ZoomStep, steps));   // about the point under the mouse
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

void TopologyView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        resetZoom();
        return;
    case Qt::Key_F:
        fitToView();
        return;
    case Qt::Key_Right:
    case Qt::Key_Down:
        selectNextLink(1);
        return;
    case Qt::Key_Left:
    case Qt::Key_Up:
        selectNextLink(-1);
        return;
    case Qt::Key_Escape:
        if (m_linkSource) {
            cancelLinkDrag();
            return;
        }
        break;
    default:
        break;
    }
    QGraphicsView::keyPressEvent(event);
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    m_pressPos = pos;
    if (event->button() == Qt::LeftButton) {
        if (DataCenterItem *card = cardAt(pos)) {
            const QPointF scenePos = mapToScene(pos);
            if ((event->modifiers() & Qt::ShiftModifier) || card->isInHeader(card->mapFromScene(scenePos)) || card->isPlaceholder()) {
                m_moving = card;
                m_moveOffset = card->pos() - scenePos;
                m_moved = false;
                viewport()->setCursor(Qt::ClosedHandCursor);
            } else {
                m_linkSource = card;
                viewport()->setCursor(Qt::CrossCursor);
            }
            event->accept();
            return;
        }
        if (!linkAt(pos)) {
            // The background: clear the selection and pan.
            m_scene->clearSelection();
            m_panning = true;
            m_viewChosen = true;
            m_lastPanPos = pos;
            viewport()->setCursor(Qt::ClosedHandCursor);
            event->accept();
            return;
        }
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::updateRubberBand(const QPointF &scenePos)
{
    if (!m_linkSource)
        return;
    if (!m_rubberBand) {
        if ((mapFromScene(scenePos) - m_pressPos).manhattanLength() < QApplication::startDragDistance())
            return;
        m_rubberBand = new QGraphicsPathItem;
        QPen pen(palette().color(QPalette::Highlight), 2, Qt::DashLine, Qt::RoundCap);
        m_rubberBand->setPen(pen);
        m_rubberBand->setBrush(palette().color(QPalette::Highlight));
        m_rubberBand->setZValue(10);
        m_rubberBand->setAcceptedMouseButtons(Qt::NoButton);
        m_scene->addItem(m_rubberBand);
    }
    QPointF end = scenePos;
    if (m_dropTarget)
        end = m_dropTarget->boundaryPoint(m_linkSource->scenePos());
    const QPointF start = m_linkSource->boundaryPoint(end);
    QPainterPath path(start);
    path.lineTo(end);
    const QPointF d = end - start;
    const double length = std::hypot(d.x(), d.y());
    if (length > 1) {
        const QPointF u = d / length;
        const QPointF n(-u.y(), u.x());
        QPolygonF head{end, end - u * 12 + n * 6, end - u * 12 - n * 6, end};
        path.addPolygon(head);
    }
    m_rubberBand->setPath(path);
}

void TopologyView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_linkSource) {
        DataCenterItem *target = cardAt(pos);
        if (target == m_linkSource)
            target = nullptr;
        if (target != m_dropTarget) {
            if (m_dropTarget)
                m_dropTarget->setHighlighted(false);
            m_dropTarget = target;
            if (target)
                target->setHighlighted(true);
        }
        updateRubberBand(mapToScene(pos));
        event->accept();
        return;
    }
    if (m_moving) {
        m_moving->setPos(mapToScene(pos) + m_moveOffset);
        m_moved = true;
        event->accept();
        return;
    }
    if (m_panning) {
        const QPoint delta = pos - m_lastPanPos;
        m_lastPanPos = pos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
    // What a press would do here.
    if (DataCenterItem *card = cardAt(pos)) {
        const bool header = card->isInHeader(card->mapFromScene(mapToScene(pos))) || card->isPlaceholder();
        viewport()->setCursor(header || (event->modifiers() & Qt::ShiftModifier) ? Qt::OpenHandCursor : Qt::CrossCursor);
    } else if (linkAt(pos)) {
        viewport()->setCursor(Qt::PointingHandCursor);
    } else {
        viewport()->unsetCursor();
    }
}

void TopologyView::cancelLinkDrag()
{
    if (m_dropTarget)
        m_dropTarget->setHighlighted(false);
    m_dropTarget = nullptr;
    m_linkSource = nullptr;
    delete m_rubberBand;
    m_rubberBand = nullptr;
    viewport()->unsetCursor();
}

void TopologyView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (event->button() == Qt::LeftButton && m_linkSource) {
        const QPointer<DataCenterItem> source = m_linkSource;
        DataCenterItem *target = cardAt(pos);
        cancelLinkDrag();
        event->accept();
        if (source && target && target != source)
            emit linkRequested(source->address(), target->address());
        return;
    }
    if (event->button() == Qt::LeftButton && m_moving) {
        DataCenterItem *card = m_moving;
        m_moving = nullptr;
        viewport()->unsetCursor();
        if (m_moved) {
            m_positions.insert(card->positionKey(), card->pos());
            updateSceneRect();
            emit positionsChanged();
        }
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton && m_panning) {
        m_panning = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

namespace {

// Greys out what the console's role may not ask (the node would refuse it), saying why.
void permit(QAction *action, Role role, QLatin1StringView request)
{
    const QString refusal = roleRefusal(role, QString(request));
    if (refusal.isEmpty())
        return;
    action->setEnabled(false);
    action->setToolTip(refusal);
}

} // namespace

QMenu *TopologyView::createContextMenu(const QPoint &viewportPos, QWidget *parent)
{
    if (LinkItem *item = linkAt(viewportPos)) {
        if (!item->isSelected()) {
            m_scene->clearSelection();
            item->setSelected(true);
        }
        const LinkView link = item->link();
        auto *menu = new QMenu(parent);
        menu->setToolTipsVisible(true);
        menu->addSection(tr("Link %1").arg(link.link.id));
        if (item->isPaused()) {
            QAction *resume = menu->addAction(tr("&Resume"), this, [this, link] { emit resumeRequested(link); });
            resume->setObjectName(QStringLiteral("resumeLink"));
            permit(resume, m_role, protocol::Type::LinkResume);
        } else {
            QAction *pause = menu->addAction(tr("&Pause"), this, [this, link] { emit pauseRequested(link); });
            pause->setObjectName(QStringLiteral("pauseLink"));
            permit(pause, m_role, protocol::Type::LinkPause);
        }
        QAction *verify = menu->addAction(tr("&Verify (read-only)"), this, [this, link] { emit verifyRequested(link); });
        verify->setObjectName(QStringLiteral("verifyLink"));
        permit(verify, m_role, protocol::Type::LinkVerify);
        QAction *failover = menu->addAction(tr("&Fail over..."), this, [this, link] { emit failoverRequested(link); });
        failover->setObjectName(QStringLiteral("failoverLink"));
        if (link.link.direction != LinkDefinition::Direction::OneWay || link.link.mode != LinkDefinition::Mode::Continuous) {
            failover->setEnabled(false);
            failover->setToolTip(tr("Only a continuous one-way link has a primary and a replica to swap."));
        }
        permit(failover, m_role, protocol::Type::Failover);
        menu->addSeparator();
        QAction *remove = menu->addAction(tr("Re&move"), this, [this, link] { emit removeRequested(link); });
        remove->setObjectName(QStringLiteral("removeLink"));
        permit(remove, m_role, protocol::Type::LinkRemove);
        return menu;
    }
    if (DataCenterItem *card = cardAt(viewportPos)) {
        const QString address = card->address();
        auto *menu = new QMenu(parent);
        menu->setToolTipsVisible(true);
        menu->addSection(card->title());
        QAction *newLink = menu->addAction(tr("&New link from here..."), this, [this, address] { emit linkRequested(address, QString()); });
        newLink->setObjectName(QStringLiteral("newLinkFrom"));
        if (card->isPlaceholder()) {
            newLink->setEnabled(false);
            newLink->setToolTip(tr("This console has no connection to %1: add its node first.").arg(address));
        }
        permit(newLink, m_role, protocol::Type::LinkCreate);
        // Fail over any continuous one-way link this data center takes part in: as the
        // primary (its replica takes over) or as the replica (it takes over, or takes back).
        QMenu *failover = menu->addMenu(tr("&Fail over"));
        failover->setObjectName(QStringLiteral("failoverFrom"));
        QList<LinkItem *> links = m_links.values();
        std::sort(links.begin(), links.end(), [](const LinkItem *x, const LinkItem *y) { return x->key() < y->key(); });
        for (LinkItem *item : std::as_const(links)) {
            if (item->sourceItem() != card && item->targetItem() != card)
                continue;
            const LinkView link = item->link();
            if (link.link.direction != LinkDefinition::Direction::OneWay || link.link.mode != LinkDefinition::Mode::Continuous)
                continue;
            const QString replica = item->targetItem() ? item->targetItem()->title() : link.link.targetNode;
            QAction *action = failover->addAction(tr("%1: make %2 primary...").arg(link.link.id, replica), this,
                                                  [this, link] { emit failoverRequested(link); });
            action->setObjectName(QStringLiteral("failover:") + link.link.id);
        }
        if (failover->isEmpty()) {
            failover->setEnabled(false);
            failover->menuAction()->setToolTip(tr("No continuous one-way link starts or ends here."));
        }
        permit(failover->menuAction(), m_role, protocol::Type::Failover);
        return menu;
    }
    return nullptr;
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    std::unique_ptr<QMenu> menu(createContextMenu(event->pos(), this));
    if (!menu) {
        QGraphicsView::contextMenuEvent(event);
        return;
    }
    menu->exec(event->globalPos());
}

void TopologyView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    if (!m_cards.isEmpty())
        return;
    painter->save();
    painter->resetTransform();
    painter->setPen(palette().color(QPalette::Disabled, QPalette::Text));
    painter->drawText(viewport()->rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
                      tr("No data centers yet. Add a data center's node (host:port) to see it here, then drag from one data center to another to replicate a table."));
    painter->restore();
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    updateSceneRect();
    // Until the operator zooms or pans, the whole picture stays in view whatever the size.
    if (!m_viewChosen && !m_cards.isEmpty())
        fitToView();
}

} // namespace ferry
