#pragma once

#include "console/consolesession.h"

#include <QGraphicsView>
#include <QHash>
#include <QPointer>

class QGraphicsPathItem;
class QMenu;

namespace ferry {

class DataCenterItem;
class LinkItem;

// The topology: data centers as cards, links as arrows between them (DESIGN.md, Widgets).
// The scene mirrors the session's model: setModel() updates the items in place (no
// flicker, the selection stays) and adds or removes what changed; the view owns no state
// of its own but the card positions, which the main window saves (positions()).
//
// - Zoom: Ctrl+wheel, the + and - keys, 0 (100 %), F (fit); pan: drag the background.
// - Drag from one card to another: linkRequested(source, target). Move a card by its
//   header, or anywhere with Shift held.
// - Context menus on links (pause/resume, verify, fail over, remove) and cards (new link,
//   fail over) emit the request signals; the main window asks the session.
class TopologyView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit TopologyView(QWidget *parent = nullptr);
    ~TopologyView() override;

    // Card positions (scene coordinates of their centres) by node name (address until the
    // name is known): the main window saves them in QSettings and gives them back.
    QHash<QString, QPointF> positions() const;
    void setPositions(const QHash<QString, QPointF> &positions);

    double zoom() const;

    QList<DataCenterItem *> dataCenterItems() const;
    QList<LinkItem *> linkItems() const;
    DataCenterItem *dataCenterItem(const QString &address) const;
    LinkItem *linkItem(const QString &sourceAddress, const QString &linkId) const;

    // The context menu for a point of the viewport (nullptr where there is none); the
    // caller owns it. contextMenuEvent() shows it.
    QMenu *createContextMenu(const QPoint &viewportPos, QWidget *parent = nullptr);
    // The console certificate's role: the menus grey out what it may not ask, saying why.
    void setRole(Role role) { m_role = role; }

public slots:
    void setModel(const QList<ferry::NodeView> &nodes, const QList<ferry::LinkView> &links);
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitToView();
    // Selects a link's arrow (empty strings: none) and shows it; emits linkSelected only
    // when the selection changes.
    void selectLink(const QString &sourceAddress, const QString &linkId);
    // Selects the next (or previous) link in the order of their names (arrow keys).
    void selectNextLink(int step);

signals:
    // targetAddress is empty for "New link from here...": the operator picks it.
    void linkRequested(const QString &sourceAddress, const QString &targetAddress);
    // Empty strings when no link is selected any more.
    void linkSelected(const QString &sourceAddress, const QString &linkId);
    void pauseRequested(const ferry::LinkView &link);
    void resumeRequested(const ferry::LinkView &link);
    void verifyRequested(const ferry::LinkView &link);
    void failoverRequested(const ferry::LinkView &link);
    void removeRequested(const ferry::LinkView &link);
    // The operator moved a card.
    void positionsChanged();

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    DataCenterItem *cardAt(const QPoint &viewportPos) const;
    LinkItem *linkAt(const QPoint &viewportPos) const;
    DataCenterItem *findTarget(const LinkDefinition &link) const;
    DataCenterItem *placeholderFor(const LinkDefinition &link);
    QPointF freePosition(int index, int count) const;
    void assignLanes();
    void adjustLinksOf(DataCenterItem *card);
    void updateSceneRect();
    void setZoom(double zoom);
    void onSelectionChanged();
    void cancelLinkDrag();
    void updateRubberBand(const QPointF &scenePos);

    QGraphicsScene *m_scene;
    QHash<QString, DataCenterItem *> m_cards;        // by address (placeholders too)
    QHash<QString, LinkItem *> m_links;              // by LinkItem::key()
    Role m_role = Role::Admin;                       // without a session: every action
    QHash<QString, QString> m_aliases;               // a pair's reverse half -> its item's key
    QHash<QString, QPointF> m_positions;             // saved, by position key
    QString m_selectedKey;

    // Mouse gestures.
    QPointer<DataCenterItem> m_linkSource;           // drawing a new link from this card
    QGraphicsPathItem *m_rubberBand = nullptr;
    QPointer<DataCenterItem> m_dropTarget;
    QPointer<DataCenterItem> m_moving;               // moving this card
    QPointF m_moveOffset;
    bool m_moved = false;
    bool m_panning = false;
    bool m_viewChosen = false;
    bool m_selectingLink = false;                    // in selectLink()                       // the operator zoomed or panned
    QPoint m_lastPanPos;
    QPoint m_pressPos;
};

} // namespace ferry
