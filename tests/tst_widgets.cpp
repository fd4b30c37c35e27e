// The console's widgets, as an operator sees them (run with -platform offscreen): the
// topology mirrors the session's model in place and turns drags and context menus into
// requests; the link dialog refuses what a node would refuse and returns the right
// settings; the failover dialog says what will happen (or what is at risk) before it lets
// the operator confirm; the add-data-center dialog refuses bad addresses and nodes that do
// not answer or are shown already, connecting before it accepts; the event log filters and exports what it shows; the block map
// counts and hit-tests blocks and does not re-render on hover; the charts stay bounded.
// Everything is built from NodeView/LinkView data: no session, no node.

#include "adddatacenterdialog.h"
#include "blockmapwidget.h"
#include "blockrowswidget.h"
#include "conflictapplydialog.h"
#include "conflictswidget.h"
#include "datacenteritem.h"
#include "eventlogdock.h"
#include "eventlogfilter.h"
#include "eventlogmodel.h"
#include "failoverdialog.h"
#include "linkchartswidget.h"
#include "linkdialog.h"
#include "linkitem.h"
#include "linklistmodel.h"
#include "linklistwidget.h"
#include "tablebreakdownwidget.h"
#include "mainwindow.h"
#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "topologyview.h"
#include "util/ferryerror.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPromise>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QTableView>
#include <QTableWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <qcustomplot.h>

#include <cmath>
#include <memory>

namespace ferry {

namespace {

NodeView makeNode(const QString &address, const QString &name, bool connected = true)
{
    NodeView node;
    node.address = address;
    node.name = name;
    node.region = QStringLiteral("eu-west");
    node.connected = connected;
    if (!connected)
        node.lastError = QStringLiteral("connection refused");
    node.databases = {QStringLiteral("main"), QStringLiteral("audit")};
    node.tables.insert(QStringLiteral("main"), {QStringLiteral("orders"), QStringLiteral("customers")});
    node.tables.insert(QStringLiteral("audit"), {QStringLiteral("log")});
    return node;
}

LinkView makeLink(const QString &sourceAddress, const QString &sourceName, const QString &id, const QString &targetHost, quint16 targetPort,
                  const QString &targetName, const QString &state = QStringLiteral("streaming"), double lagMs = 12, double rows = 340)
{
    LinkView view;
    view.sourceAddress = sourceAddress;
    view.link.id = id;
    view.link.sourceDatabase = QStringLiteral("main");
    view.link.sourceTable = QStringLiteral("orders");
    view.link.targetHost = targetHost;
    view.link.targetPort = targetPort;
    view.link.targetDatabase = QStringLiteral("main");
    view.link.targetTable = QStringLiteral("orders");
    view.link.sourceNode = sourceName;
    view.link.targetNode = targetName;
    view.stats.id = id;
    view.stats.state = state;
    view.stats.lagMs = lagMs;
    view.stats.rowsPerSecond = rows;
    return view;
}

const QString A = QStringLiteral("10.0.0.1:7450");
const QString B = QStringLiteral("10.0.0.2:7451");
const QString C = QStringLiteral("10.0.0.3:7452");

QList<NodeView> threeNodes()
{
    return {makeNode(A, QStringLiteral("dc-a")), makeNode(B, QStringLiteral("dc-b")), makeNode(C, QStringLiteral("dc-c"))};
}

QList<LinkView> threeLinks()
{
    LinkView bidirectional = makeLink(B, QStringLiteral("dc-b"), QStringLiteral("customers"), QStringLiteral("10.0.0.3"), 7452, QStringLiteral("dc-c"),
                                      QStringLiteral("syncing"), 3, 0);
    bidirectional.link.direction = LinkDefinition::Direction::Bidirectional;
    LinkView paused = makeLink(C, QStringLiteral("dc-c"), QStringLiteral("audit"), QStringLiteral("10.0.0.1"), 7450, QStringLiteral("dc-a"),
                               QStringLiteral("paused"), 0, 0);
    paused.link.paused = true;
    return {makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b")), bidirectional, paused};
}

QPoint viewportPoint(const TopologyView &view, const QPointF &scenePos)
{
    return view.mapFromScene(scenePos);
}

// A mouse move with no button held, straight to the widget (QTest::mouseMove would go
// through QCursor::setPos).
void hover(QWidget *widget, const QPoint &pos)
{
    QMouseEvent move(QEvent::MouseMove, QPointF(pos), widget->mapToGlobal(QPointF(pos)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(widget, &move);
}

QAction *findAction(QMenu *menu, const QString &name)
{
    return menu ? menu->findChild<QAction *>(name) : nullptr;
}

} // namespace

class TestWidgets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // TableBreakdownWidget
    void tableBreakdownPicksAndKeepsATable();

    // TopologyView
    void topologyShowsOneCardPerNodeAndOneArrowPerLink();
    void topologyUpdatesItemsInPlace();
    void topologyDragFromCardToCardRequestsLink();
    void topologyHeaderDragMovesCard();
    void topologyLinkContextMenu();
    void topologyDataCenterContextMenu();
    void topologyClickSelectsLink();
    void topologyZoomAndPositions();
    void topologyArrowKeysSelectLinks();
    void topologyDrawsABidirectionalPairAsOneArrow();
    void topologyStaysReadableWithTwelveDataCenters();

    // LinkDialog
    void linkDialogDefaultsAreValid();
    void linkDialogRefusesEmptyName();
    void linkDialogRefusesBadCharacters();
    void linkDialogRefusesSameTableOnSameDataCenter();
    void linkDialogRefusesNewestWinsWithoutTimestamp();
    void linkDialogReturnsSettings();

    // FailoverDialog
    void failoverDialogGraceful();
    void failoverDialogForcedNeedsConfirmation();
    void failoverDialogAcknowledgesAutomaticFailover();
    void failoverDialogRefusesWhenNothingReachable();
    void failoverDialogEnterCancels();
    void failoverDialogListsEveryLink();

    // LinkListModel, LinkListWidget
    void linkListShowsEveryLinksFigures();
    void linkListUpdatesInPlace();
    void linkListSortsAndSelectsByKeyboard();

    // MainWindow without a session
    void mainWindowMnemonicsDoNotCollide();
    void mainWindowTabReachesTopologyAndLinkList();
    void mainWindowHasAQuickGuide();
    void mainWindowBadgesNewConflicts();
    void actionsFollowTheCertificatesRole();

    // AddDataCenterDialog
    void addDataCenterRefusesBadAddresses();
    void addDataCenterReportsAFailedConnection();
    void addDataCenterRefusesAKnownDataCenter();
    void addDataCenterAcceptsANodeThatAnswers();

    // EventLogDock
    void eventLogNewestOnTopAndBounded();
    void eventLogFiltersByTextAndSeverity();
    void eventLogExportsVisibleRows();
    void eventLogReportsExportError();
    void eventLogTimesCarryTheirTimeZone();

    // ConflictsWidget
    void conflictsShowsRowsAndEmptyState();
    void conflictsFilterAndExportCsv();
    void conflictsApplyActsOnTheConfirmedRow();
    void conflictsApplyRefusedWhenTheNodeWent();

    // BlockMapWidget, LinkChartsWidget
    void blockMapCountsStates();
    void blockMapBlockAt();
    void blockMapHoverDoesNotRerender();
    void blockMapClickNamesTheBlock();
    void blockRowsListsMissingExtraAndDifferent();
    void mainWindowSeparatesVerifyFromRepair();
    void chartsStayBoundedAndSwitchWindows();
    void chartsKeepEveryLinksHistory();
    void chartsVerificationRateIsTrue();
    void chartsZoomPanAndHover();
};

void TestWidgets::initTestCase()
{
    qRegisterMetaType<LinkView>();
    // The main window reads and writes QSettings: this test's own.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FerryTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_widgets"));
    QSettings().clear();
}

// --- TopologyView ---------------------------------------------------------------------

void TestWidgets::topologyShowsOneCardPerNodeAndOneArrowPerLink()
{
    TopologyView view;
    view.setModel(threeNodes(), threeLinks());
    QCOMPARE(view.dataCenterItems().size(), 3);
    QCOMPARE(view.linkItems().size(), 3);
    for (const QString &address : {A, B, C}) {
        DataCenterItem *card = view.dataCenterItem(address);
        QVERIFY(card);
        QVERIFY(!card->isPlaceholder());
        QCOMPARE(card->health(), DataCenterItem::Health::Healthy);
    }
    // The cards name the tables they hold a role for (every sample link replicates orders).
    QCOMPARE(view.dataCenterItem(A)->roleSummary(), QStringLiteral("primary of orders / replica of orders"));
    QCOMPARE(view.dataCenterItem(B)->roleSummary(), QStringLiteral("replica of orders / two-way orders"));
    QCOMPARE(view.dataCenterItem(C)->roleSummary(), QStringLiteral("primary of orders / two-way orders"));
    LinkItem *orders = view.linkItem(A, QStringLiteral("orders"));
    QVERIFY(orders);
    QCOMPARE(orders->sourceItem(), view.dataCenterItem(A));
    QCOMPARE(orders->targetItem(), view.dataCenterItem(B));
    QCOMPARE(orders->label(), QStringLiteral("12 ms \u00b7 340 rows/s"));
    QCOMPARE(orders->color(), LinkItem::stateColor(QStringLiteral("streaming")));
    LinkItem *customers = view.linkItem(B, QStringLiteral("customers"));
    QVERIFY(customers);
    QVERIFY(customers->isBidirectional());
    QCOMPARE(customers->color(), LinkItem::stateColor(QStringLiteral("syncing")));
    LinkItem *audit = view.linkItem(C, QStringLiteral("audit"));
    QVERIFY(audit);
    QVERIFY(audit->isPaused());
    QCOMPARE(audit->targetItem(), view.dataCenterItem(A));
    QCOMPARE(audit->color(), LinkItem::stateColor(QStringLiteral("paused")));
    // The colours the issue names.
    QCOMPARE(LinkItem::stateColor(QStringLiteral("error")), QColor(0xe5, 0x39, 0x35));
    QVERIFY(LinkItem::stateColor(QStringLiteral("connecting")) != LinkItem::stateColor(QStringLiteral("streaming")));

    // A link to a data center the console does not know gets a placeholder card, not a
    // dangling arrow; the placeholder goes with the link.
    QList<LinkView> links = threeLinks();
    links.append(makeLink(A, QStringLiteral("dc-a"), QStringLiteral("far"), QStringLiteral("10.9.9.9"), 7450, QStringLiteral("dc-far")));
    view.setModel(threeNodes(), links);
    QCOMPARE(view.linkItems().size(), 4);
    QCOMPARE(view.dataCenterItems().size(), 4);
    QVERIFY(view.dataCenterItem(QStringLiteral("10.9.9.9:7450"))->isPlaceholder());
    view.setModel(threeNodes(), threeLinks());
    QCOMPARE(view.dataCenterItems().size(), 3);
    QCOMPARE(view.linkItems().size(), 3);

    // A node's disconnection turns its health dot red; a peer that is down, amber.
    QList<NodeView> nodes = threeNodes();
    nodes[1].connected = false;
    nodes[2].peers.append(QCborMap{{QStringLiteral("link"), QStringLiteral("audit")}, {QStringLiteral("state"), QStringLiteral("suspect")}, {QStringLiteral("rtt_ms"), 2.5}});
    view.setModel(nodes, threeLinks());
    QCOMPARE(view.dataCenterItem(B)->health(), DataCenterItem::Health::Down);
    QCOMPARE(view.dataCenterItem(C)->health(), DataCenterItem::Health::Degraded);
    QCOMPARE(view.dataCenterItem(C)->heartbeatText(), QStringLiteral("heartbeat 2.5 ms"));

    // Empty model: no items.
    view.setModel({}, {});
    QCOMPARE(view.dataCenterItems().size(), 0);
    QCOMPARE(view.linkItems().size(), 0);
}

void TestWidgets::topologyUpdatesItemsInPlace()
{
    TopologyView view;
    QSignalSpy selected(&view, &TopologyView::linkSelected);
    view.setModel(threeNodes(), threeLinks());
    const QList<DataCenterItem *> cardsBefore = view.dataCenterItems();
    LinkItem *orders = view.linkItem(A, QStringLiteral("orders"));
    QVERIFY(orders);
    orders->setSelected(true);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.last().at(0).toString(), A);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("orders"));
    const QPointF positionBefore = view.dataCenterItem(B)->pos();

    // New figures and a new state: the same items show them.
    QList<LinkView> links = threeLinks();
    links[0].stats.lagMs = 250;
    links[0].stats.rowsPerSecond = 12345;
    links[0].stats.state = QStringLiteral("error");
    QList<NodeView> nodes = threeNodes();
    nodes[0].primaryTables = 2;
    nodes[0].replicaTables = 1;
    view.setModel(nodes, links);
    QCOMPARE(view.linkItem(A, QStringLiteral("orders")), orders);
    QCOMPARE(orders->label(), QStringLiteral("250 ms \u00b7 12.3k rows/s"));
    QCOMPARE(orders->color(), LinkItem::stateColor(QStringLiteral("error")));
    QVERIFY(orders->title().contains(QStringLiteral("error")));
    QCOMPARE(view.dataCenterItems().size(), 3);
    for (DataCenterItem *card : cardsBefore)
        QVERIFY(view.dataCenterItems().contains(card));
    QCOMPARE(view.dataCenterItem(A)->roleSummary(), QStringLiteral("primary of orders / replica of orders"));
    QCOMPARE(view.dataCenterItem(B)->pos(), positionBefore);
    // The selection stayed, and was not announced again.
    QVERIFY(orders->isSelected());
    QCOMPARE(selected.size(), 1);

    // The selected link goes away: the selection is announced as empty.
    links.removeFirst();
    view.setModel(nodes, links);
    QCOMPARE(view.linkItems().size(), 2);
    QCOMPARE(selected.size(), 2);
    QVERIFY(selected.last().at(1).toString().isEmpty());
}

void TestWidgets::topologyDragFromCardToCardRequestsLink()
{
    TopologyView view;
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.fitToView();
    QSignalSpy requested(&view, &TopologyView::linkRequested);

    DataCenterItem *a = view.dataCenterItem(A);
    DataCenterItem *c = view.dataCenterItem(C);
    // The body of the card (below the header), not the header (which moves the card).
    const QPoint from = viewportPoint(view, a->scenePos() + QPointF(0, 20));
    const QPoint to = viewportPoint(view, c->scenePos() + QPointF(0, 20));
    QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(view.viewport(), from + (to - from) / 2);
    QTest::mouseMove(view.viewport(), to);
    QVERIFY(c->isVisible());
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, to);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).toString(), A);
    QCOMPARE(requested.first().at(1).toString(), C);
    const QPointF positionAfter = a->pos();

    // Released on the background or on the same card: nothing.
    QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(view.viewport(), QPoint(5, 5));
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(5, 5));
    QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(view.viewport(), from + QPoint(10, 5));
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, from + QPoint(10, 5));
    QCOMPARE(requested.size(), 1);
    // Drawing a link does not move the card.
    QCOMPARE(a->pos(), positionAfter);
}

void TestWidgets::topologyHeaderDragMovesCard()
{
    TopologyView view;
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.resetZoom();
    view.centerOn(0, 0);
    QSignalSpy requested(&view, &TopologyView::linkRequested);
    QSignalSpy moved(&view, &TopologyView::positionsChanged);
    DataCenterItem *b = view.dataCenterItem(B);
    const QPointF before = b->pos();
    const QPointF lineBefore = view.linkItem(A, QStringLiteral("orders"))->midPoint();
    const QPoint header = viewportPoint(view, b->scenePos() + QPointF(0, -40));
    QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, header);
    QTest::mouseMove(view.viewport(), header + QPoint(40, 30));
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, header + QPoint(40, 30));
    QCOMPARE(requested.size(), 0);
    QCOMPARE(moved.size(), 1);
    QVERIFY(qAbs(b->pos().x() - before.x() - 40) < 1.5);
    QVERIFY(qAbs(b->pos().y() - before.y() - 30) < 1.5);
    // The arrow followed the card, and the position is remembered under the node's name.
    QVERIFY(view.linkItem(A, QStringLiteral("orders"))->midPoint() != lineBefore);
    QCOMPARE(view.positions().value(QStringLiteral("dc-b")), b->pos());
}

void TestWidgets::topologyLinkContextMenu()
{
    TopologyView view;
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.fitToView();
    QSignalSpy pause(&view, &TopologyView::pauseRequested);
    QSignalSpy resume(&view, &TopologyView::resumeRequested);
    QSignalSpy verify(&view, &TopologyView::verifyRequested);
    QSignalSpy failover(&view, &TopologyView::failoverRequested);
    QSignalSpy remove(&view, &TopologyView::removeRequested);

    LinkItem *orders = view.linkItem(A, QStringLiteral("orders"));
    std::unique_ptr<QMenu> menu(view.createContextMenu(viewportPoint(view, orders->midPoint())));
    QVERIFY(menu);
    QVERIFY(orders->isSelected());   // a right click selects the link it is on
    QVERIFY(findAction(menu.get(), QStringLiteral("pauseLink")));
    QVERIFY(!findAction(menu.get(), QStringLiteral("resumeLink")));
    for (const char *name : {"pauseLink", "verifyLink", "failoverLink", "removeLink"}) {
        QAction *action = findAction(menu.get(), QLatin1String(name));
        QVERIFY2(action, name);
        QVERIFY2(action->isEnabled(), name);
        action->trigger();
    }
    QCOMPARE(pause.size(), 1);
    QCOMPARE(verify.size(), 1);
    QCOMPARE(failover.size(), 1);
    QCOMPARE(remove.size(), 1);
    QCOMPARE(pause.first().at(0).value<LinkView>().link.id, QStringLiteral("orders"));
    QCOMPARE(remove.first().at(0).value<LinkView>().sourceAddress, A);

    // A paused link offers Resume; a bidirectional one cannot fail over.
    menu.reset(view.createContextMenu(viewportPoint(view, view.linkItem(C, QStringLiteral("audit"))->midPoint())));
    QVERIFY(menu);
    QVERIFY(!findAction(menu.get(), QStringLiteral("pauseLink")));
    findAction(menu.get(), QStringLiteral("resumeLink"))->trigger();
    QCOMPARE(resume.size(), 1);
    QCOMPARE(resume.first().at(0).value<LinkView>().link.id, QStringLiteral("audit"));
    menu.reset(view.createContextMenu(viewportPoint(view, view.linkItem(B, QStringLiteral("customers"))->midPoint())));
    QVERIFY(menu);
    QVERIFY(!findAction(menu.get(), QStringLiteral("failoverLink"))->isEnabled());

    // Nothing under the point: no menu.
    QVERIFY(!view.createContextMenu(QPoint(2, 2)));
}

void TestWidgets::actionsFollowTheCertificatesRole()
{
    // The console knows its role from its own certificate.
    QTemporaryDir pki;
    QVERIFY(pki.isValid());
    try {
        const CertificateFiles ca = createDeploymentCa(pki.path());
        IssueOptions options;
        options.role = Role::Viewer;
        const CertificateFiles watcher = issueCertificate(pki.path(), QStringLiteral("watcher"), options);
        ConsoleSession session(mutualTlsConfiguration(ca.certificateFile, watcher.certificateFile, watcher.keyFile));
        QCOMPARE(session.role(), Role::Viewer);
        options.role = Role::Operator;
        const CertificateFiles op = issueCertificate(pki.path(), QStringLiteral("op"), options);
        ConsoleSession operatorSession(mutualTlsConfiguration(ca.certificateFile, op.certificateFile, op.keyFile));
        QCOMPARE(operatorSession.role(), Role::Operator);
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }

    // The link menu of the topology: what the role may not ask is grey, and says why.
    TopologyView view;
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.fitToView();
    QSignalSpy remove(&view, &TopologyView::removeRequested);
    auto linkMenu = [&] { return std::unique_ptr<QMenu>(view.createContextMenu(viewportPoint(view, view.linkItem(A, QStringLiteral("orders"))->midPoint()))); };
    auto cardMenu = [&] { return std::unique_ptr<QMenu>(view.createContextMenu(viewportPoint(view, view.dataCenterItem(B)->scenePos()))); };
    const QStringList actions{QStringLiteral("pauseLink"), QStringLiteral("verifyLink"), QStringLiteral("failoverLink"), QStringLiteral("removeLink")};
    const QList<std::tuple<Role, QString, QStringList>> expected{
        // role, its name in the tooltip, the actions it may take
        {Role::Viewer, QStringLiteral("viewer"), {}},
        {Role::None, QStringLiteral("viewer"), {}},   // a certificate from before roles reads only
        {Role::Operator, QStringLiteral("operator"), {QStringLiteral("pauseLink"), QStringLiteral("verifyLink"), QStringLiteral("failoverLink")}},
        {Role::Admin, QStringLiteral("admin"), actions},
    };
    for (const auto &[role, name, allowed] : expected) {
        view.setRole(role);
        std::unique_ptr<QMenu> menu = linkMenu();
        QVERIFY(menu);
        for (const QString &action : actions) {
            QAction *item = findAction(menu.get(), action);
            QVERIFY2(item, qPrintable(action));
            const QString what = QStringLiteral("%1 for %2: tooltip \"%3\"").arg(action, name, item->toolTip());
            QVERIFY2(item->isEnabled() == allowed.contains(action), qPrintable(what));
            if (!allowed.contains(action)) {
                QVERIFY2(item->toolTip().contains(name) && item->toolTip().contains(QLatin1String("admin")), qPrintable(what));
                item->trigger();   // a disabled action does nothing
            }
        }
        std::unique_ptr<QMenu> card = cardMenu();
        QAction *newLink = findAction(card.get(), QStringLiteral("newLinkFrom"));
        QVERIFY(newLink);
        QCOMPARE(newLink->isEnabled(), role == Role::Admin);
        QCOMPARE(card->findChild<QMenu *>(QStringLiteral("failoverFrom"))->menuAction()->isEnabled(), role == Role::Admin || role == Role::Operator);
    }
    QCOMPARE(remove.size(), 0);

    // The main window's Link menu and toolbar.
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QMenu *linkMenuBar = nullptr;
    for (QAction *title : window.menuBar()->actions()) {
        if (title->text() == QLatin1String("&Link"))
            linkMenuBar = title->menu();
    }
    QVERIFY(linkMenuBar);
    auto byText = [&](const QString &text) -> QAction * {
        for (QAction *action : linkMenuBar->actions()) {
            if (action->text() == text)
                return action;
        }
        return nullptr;
    };
    QAction *newLinkAction = byText(QStringLiteral("&New link..."));
    QAction *removeAction = byText(QStringLiteral("Re&move"));
    QAction *failoverAction = byText(QStringLiteral("&Fail over..."));
    QVERIFY(newLinkAction && removeAction && failoverAction);
    window.setRole(Role::Viewer);
    QVERIFY(!newLinkAction->isEnabled());
    QVERIFY2(newLinkAction->toolTip().contains(QLatin1String("viewer")), qPrintable(newLinkAction->toolTip()));
    QVERIFY2(failoverAction->toolTip().contains(QLatin1String("operator or admin")), qPrintable(failoverAction->toolTip()));
    window.setRole(Role::Operator);
    QVERIFY2(removeAction->toolTip().contains(QLatin1String("operator")), qPrintable(removeAction->toolTip()));
    QVERIFY2(!failoverAction->toolTip().contains(QLatin1String("role")), qPrintable(failoverAction->toolTip()));
    window.setRole(Role::Admin);
    for (QAction *action : {newLinkAction, removeAction, failoverAction})
        QVERIFY2(!action->toolTip().contains(QLatin1String("role")), qPrintable(action->toolTip()));
}

void TestWidgets::topologyDataCenterContextMenu()
{
    TopologyView view;
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.fitToView();
    QSignalSpy requested(&view, &TopologyView::linkRequested);
    QSignalSpy failover(&view, &TopologyView::failoverRequested);
    std::unique_ptr<QMenu> menu(view.createContextMenu(viewportPoint(view, view.dataCenterItem(B)->scenePos())));
    QVERIFY(menu);
    QAction *newLink = findAction(menu.get(), QStringLiteral("newLinkFrom"));
    QVERIFY(newLink);
    newLink->trigger();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().at(0).toString(), B);
    QVERIFY(requested.first().at(1).toString().isEmpty());
    // B is the replica of "orders" (and in the bidirectional "customers", which has no
    // failover): one entry, for orders.
    auto *sub = menu->findChild<QMenu *>(QStringLiteral("failoverFrom"));
    QVERIFY(sub);
    QCOMPARE(sub->actions().size(), 1);
    QAction *orders = findAction(menu.get(), QStringLiteral("failover:orders"));
    QVERIFY(orders);
    QVERIFY(orders->text().contains(QStringLiteral("dc-b")));
    orders->trigger();
    QCOMPARE(failover.size(), 1);
    QCOMPARE(failover.first().at(0).value<LinkView>().link.id, QStringLiteral("orders"));
}

void TestWidgets::topologyClickSelectsLink()
{
    TopologyView view;
    view.resize(1000, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.fitToView();
    QSignalSpy selected(&view, &TopologyView::linkSelected);
    LinkItem *customers = view.linkItem(B, QStringLiteral("customers"));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, viewportPoint(view, customers->midPoint()));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().at(0).toString(), B);
    QCOMPARE(selected.first().at(1).toString(), QStringLiteral("customers"));
    // A click on the background clears it.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(3, 3));
    QCOMPARE(selected.size(), 2);
    QVERIFY(selected.last().at(0).toString().isEmpty());
}

void TestWidgets::topologyZoomAndPositions()
{
    TopologyView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    view.resetZoom();
    QCOMPARE(view.zoom(), 1.0);
    QTest::keyClick(&view, Qt::Key_Plus);
    QVERIFY(view.zoom() > 1.1);
    QTest::keyClick(&view, Qt::Key_Minus);
    QTest::keyClick(&view, Qt::Key_Minus);
    QVERIFY(view.zoom() < 0.9);
    QTest::keyClick(&view, Qt::Key_0);
    QCOMPARE(view.zoom(), 1.0);
    // Ctrl+wheel zooms; a plain wheel does not.
    QWheelEvent wheel(QPointF(400, 300), view.viewport()->mapToGlobal(QPointF(400, 300)), QPoint(), QPoint(0, 240), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &wheel);
    QVERIFY(view.zoom() > 1.3);
    QWheelEvent plain(QPointF(400, 300), view.viewport()->mapToGlobal(QPointF(400, 300)), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    const double zoomed = view.zoom();
    QApplication::sendEvent(view.viewport(), &plain);
    QCOMPARE(view.zoom(), zoomed);
    // Dragging the background pans.
    const QPointF centreBefore = view.mapToScene(view.viewport()->rect().center());
    QTest::mousePress(view.viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(3, 3));
    QTest::mouseMove(view.viewport(), QPoint(53, 43));
    QTest::mouseRelease(view.viewport(), Qt::LeftButton, Qt::NoModifier, QPoint(53, 43));
    const QPointF panned = view.mapToScene(view.viewport()->rect().center()) - centreBefore;
    QVERIFY2(qAbs(panned.x() * view.zoom() + 50) < 2 && qAbs(panned.y() * view.zoom() + 40) < 2,
             qPrintable(QStringLiteral("%1 %2").arg(panned.x()).arg(panned.y())));
    // Fit shows every card.
    view.fitToView();
    const QRect visible = view.viewport()->rect();
    for (DataCenterItem *card : view.dataCenterItems())
        QVERIFY(visible.contains(view.mapFromScene(card->sceneBoundingRect()).boundingRect()));

    // Positions: by name, given back before the nodes appear.
    QHash<QString, QPointF> positions = view.positions();
    QCOMPARE(positions.size(), 3);
    QVERIFY(positions.contains(QStringLiteral("dc-a")));
    positions[QStringLiteral("dc-a")] = QPointF(-777, 333);
    TopologyView other;
    other.setPositions(positions);
    other.setModel(threeNodes(), threeLinks());
    QCOMPARE(other.dataCenterItem(A)->pos(), QPointF(-777, 333));
    QCOMPARE(other.dataCenterItem(B)->pos(), positions.value(QStringLiteral("dc-b")));
    // A new node is laid out where no card is.
    QList<NodeView> four = threeNodes();
    four.append(makeNode(QStringLiteral("10.0.0.4:7453"), QStringLiteral("dc-d")));
    other.setModel(four, threeLinks());
    DataCenterItem *d = other.dataCenterItem(QStringLiteral("10.0.0.4:7453"));
    QVERIFY(d);
    for (DataCenterItem *card : other.dataCenterItems()) {
        if (card != d)
            QVERIFY(!card->sceneBoundingRect().intersects(d->sceneBoundingRect()));
    }
}

// --- LinkDialog -----------------------------------------------------------------------

namespace {

struct LinkDialogParts
{
    QLineEdit *name;
    QComboBox *targetNode;
    QComboBox *targetDatabase;
    QComboBox *targetTable;
    QLabel *error;
    QPushButton *ok;
};

LinkDialogParts partsOf(LinkDialog &dialog)
{
    return {dialog.findChild<QLineEdit *>(QStringLiteral("name")), dialog.findChild<QComboBox *>(QStringLiteral("targetNode")),
            dialog.findChild<QComboBox *>(QStringLiteral("targetDatabase")), dialog.findChild<QComboBox *>(QStringLiteral("targetTable")),
            dialog.findChild<QLabel *>(QStringLiteral("error")),
            dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)};
}

// OK does nothing: disabled, the message is shown, and accept() does not close.
void expectRefused(LinkDialog &dialog, const QString &messagePart)
{
    const LinkDialogParts parts = partsOf(dialog);
    QVERIFY(!parts.ok->isEnabled());
    QVERIFY(!parts.error->isHidden());
    QVERIFY2(parts.error->text().contains(messagePart, Qt::CaseInsensitive), qPrintable(parts.error->text()));
    QCOMPARE(dialog.validationError(), parts.error->text());
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::mouseClick(parts.ok, Qt::LeftButton);
    dialog.accept();
    QCOMPARE(accepted.size(), 0);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

} // namespace

void TestWidgets::linkDialogDefaultsAreValid()
{
    LinkDialog dialog(makeNode(A, QStringLiteral("dc-a")), threeNodes(), B);
    const LinkDialogParts parts = partsOf(dialog);
    QCOMPARE(parts.targetNode->currentData().toString(), B);
    // The target table defaults to the source table's name.
    QCOMPARE(parts.targetTable->currentText(), dialog.findChild<QComboBox *>(QStringLiteral("sourceTable"))->currentText());
    QVERIFY(parts.ok->isEnabled());
    QVERIFY(parts.error->isHidden());
    QVERIFY(LinkDefinition::isValidId(parts.name->text()));
    // A table that does not exist on the target is announced as created.
    parts.targetTable->setEditText(QStringLiteral("orders_copy"));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("targetNote"))->text().contains(QStringLiteral("will be created")));
    QVERIFY(parts.ok->isEnabled());
}

void TestWidgets::linkDialogRefusesEmptyName()
{
    LinkDialog dialog(makeNode(A, QStringLiteral("dc-a")), threeNodes(), B);
    partsOf(dialog).name->setText(QString());
    expectRefused(dialog, QStringLiteral("name"));
    partsOf(dialog).name->setText(QStringLiteral("   "));
    expectRefused(dialog, QStringLiteral("name"));
}

void TestWidgets::linkDialogRefusesBadCharacters()
{
    LinkDialog dialog(makeNode(A, QStringLiteral("dc-a")), threeNodes(), B);
    for (const QString &bad : {QStringLiteral("orders link"), QStringLiteral("orders/eu"), QStringLiteral("-orders"), QStringLiteral("\u00e9t\u00e9"),
                               QString(65, QLatin1Char('x'))}) {
        partsOf(dialog).name->setText(bad);
        expectRefused(dialog, QStringLiteral("not valid"));
    }
    partsOf(dialog).name->setText(QStringLiteral("orders.eu_2-b"));
    QVERIFY(partsOf(dialog).ok->isEnabled());
    // The source node's existing names are refused too.
    dialog.setExistingLinkIds({QStringLiteral("orders.eu_2-b")});
    expectRefused(dialog, QStringLiteral("already has a link"));
}

void TestWidgets::linkDialogRefusesSameTableOnSameDataCenter()
{
    LinkDialog dialog(makeNode(A, QStringLiteral("dc-a")), threeNodes(), B);
    const LinkDialogParts parts = partsOf(dialog);
    dialog.findChild<QComboBox *>(QStringLiteral("sourceTable"))->setCurrentText(QStringLiteral("orders"));
    parts.targetNode->setCurrentIndex(parts.targetNode->findData(A));
    parts.targetDatabase->setEditText(QStringLiteral("main"));
    parts.targetTable->setEditText(QStringLiteral("orders"));
    expectRefused(dialog, QStringLiteral("same table"));
    // Another table on the same data center is fine, and so is the same table elsewhere.
    parts.targetTable->setEditText(QStringLiteral("orders_archive"));
    QVERIFY(parts.ok->isEnabled());
    parts.targetTable->setEditText(QStringLiteral("orders"));
    parts.targetDatabase->setEditText(QStringLiteral("audit"));
    QVERIFY(parts.ok->isEnabled());
    parts.targetDatabase->setEditText(QStringLiteral("main"));
    QVERIFY(!parts.ok->isEnabled());
    parts.targetNode->setCurrentIndex(parts.targetNode->findData(C));
    parts.targetTable->setEditText(QStringLiteral("orders"));
    QVERIFY(parts.ok->isEnabled());
}

void TestWidgets::linkDialogRefusesNewestWinsWithoutTimestamp()
{
    LinkDialog dialog(makeNode(A, QStringLiteral("dc-a")), threeNodes(), B);
    auto *conflicts = dialog.findChild<QComboBox *>(QStringLiteral("conflicts"));
    conflicts->setCurrentIndex(conflicts->findData(QStringLiteral("newest-wins")));
    expectRefused(dialog, QStringLiteral("timestamp column"));
    dialog.findChild<QLineEdit *>(QStringLiteral("timestampColumn"))->setText(QStringLiteral("updated_at"));
    QVERIFY(partsOf(dialog).ok->isEnabled());
    QCOMPARE(dialog.settings().value(QStringLiteral("timestamp_column")).toString(), QStringLiteral("updated_at"));
    // A row filter on a bidirectional link, and automatic failover without a third data
    // center, are refused as the node would.
    auto *direction = dialog.findChild<QComboBox *>(QStringLiteral("direction"));
    direction->setCurrentIndex(direction->findData(QStringLiteral("bidirectional")));
    dialog.findChild<QLineEdit *>(QStringLiteral("filter"))->setText(QStringLiteral("region = 'eu'"));
    expectRefused(dialog, QStringLiteral("row filter"));
    dialog.findChild<QLineEdit *>(QStringLiteral("filter"))->clear();
    QVERIFY(partsOf(dialog).ok->isEnabled());
    direction->setCurrentIndex(direction->findData(QStringLiteral("one-way")));
    LinkDialog twoNodes(makeNode(A, QStringLiteral("dc-a")), {makeNode(A, QStringLiteral("dc-a")), makeNode(B, QStringLiteral("dc-b"))}, B);
    twoNodes.findChild<QGroupBox *>(QStringLiteral("autoFailover"))->setChecked(true);
    expectRefused(twoNodes, QStringLiteral("witness"));
}

void TestWidgets::linkDialogReturnsSettings()
{
    LinkDialog dialog(makeNode(A, QStringLiteral("dc-a")), threeNodes(), B);
    const LinkDialogParts parts = partsOf(dialog);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.findChild<QComboBox *>(QStringLiteral("sourceTable"))->setCurrentText(QStringLiteral("customers"));
    QCOMPARE(parts.targetTable->currentText(), QStringLiteral("customers"));   // follows the source table
    parts.targetTable->setEditText(QStringLiteral("customers_eu"));
    parts.name->setText(QStringLiteral("customers-eu"));
    auto *mode = dialog.findChild<QComboBox *>(QStringLiteral("mode"));
    mode->setCurrentIndex(mode->findData(QStringLiteral("scheduled")));
    dialog.findChild<QSpinBox *>(QStringLiteral("interval"))->setValue(15);
    dialog.findChild<QRadioButton *>(QStringLiteral("adaptiveBlocks"))->setChecked(true);
    dialog.findChild<QSpinBox *>(QStringLiteral("blockMs"))->setValue(250);
    auto *digest = dialog.findChild<QComboBox *>(QStringLiteral("digest"));
    digest->setCurrentIndex(digest->findData(QStringLiteral("sha256")));
    dialog.findChild<QCheckBox *>(QStringLiteral("compression"))->setChecked(true);
    dialog.findChild<QDoubleSpinBox *>(QStringLiteral("bandwidth"))->setValue(12.5);
    dialog.findChild<QLineEdit *>(QStringLiteral("filter"))->setText(QStringLiteral("region = 'eu'"));
    auto *conflicts = dialog.findChild<QComboBox *>(QStringLiteral("conflicts"));
    conflicts->setCurrentIndex(conflicts->findData(QStringLiteral("target-wins")));
    QVERIFY2(parts.ok->isEnabled(), qPrintable(dialog.validationError()));
    QTest::mouseClick(parts.ok, Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);

    const QCborMap s = dialog.settings();
    QCOMPARE(dialog.sourceAddress(), A);
    QCOMPARE(s.value(QStringLiteral("id")).toString(), QStringLiteral("customers-eu"));
    QCOMPARE(s.value(QStringLiteral("source_db")).toString(), QStringLiteral("main"));
    QCOMPARE(s.value(QStringLiteral("source_table")).toString(), QStringLiteral("customers"));
    QCOMPARE(s.value(QStringLiteral("target_host")).toString(), QStringLiteral("10.0.0.2"));
    QCOMPARE(s.value(QStringLiteral("target_port")).toInteger(), 7451);
    QCOMPARE(s.value(QStringLiteral("target_db")).toString(), QStringLiteral("main"));
    QCOMPARE(s.value(QStringLiteral("target_table")).toString(), QStringLiteral("customers_eu"));
    QCOMPARE(s.value(QStringLiteral("mode")).toString(), QStringLiteral("scheduled"));
    QCOMPARE(s.value(QStringLiteral("interval_minutes")).toInteger(), 15);
    QCOMPARE(s.value(QStringLiteral("block_ms")).toInteger(), 250);
    QCOMPARE(s.value(QStringLiteral("block_rows")).toInteger(), 1000);
    QCOMPARE(s.value(QStringLiteral("digest")).toString(), QStringLiteral("sha256"));
    QCOMPARE(s.value(QStringLiteral("compression")).toBool(), true);
    QCOMPARE(s.value(QStringLiteral("bandwidth_mbps")).toDouble(), 12.5);
    QCOMPARE(s.value(QStringLiteral("filter")).toString(), QStringLiteral("region = 'eu'"));
    QCOMPARE(s.value(QStringLiteral("direction")).toString(), QStringLiteral("one-way"));
    QCOMPARE(s.value(QStringLiteral("conflicts")).toString(), QStringLiteral("target-wins"));
    QCOMPARE(s.value(QStringLiteral("auto_failover")).toBool(), false);
    QVERIFY(!s.contains(QStringLiteral("witness_host")));

    // Automatic failover with a witness (the third data center), continuous.
    mode->setCurrentIndex(mode->findData(QStringLiteral("continuous")));
    dialog.findChild<QGroupBox *>(QStringLiteral("autoFailover"))->setChecked(true);
    dialog.findChild<QSpinBox *>(QStringLiteral("failoverTimeout"))->setValue(8000);
    QVERIFY2(parts.ok->isEnabled(), qPrintable(dialog.validationError()));
    const QCborMap f = dialog.settings();
    QCOMPARE(f.value(QStringLiteral("auto_failover")).toBool(), true);
    QCOMPARE(f.value(QStringLiteral("witness_host")).toString(), QStringLiteral("10.0.0.3"));
    QCOMPARE(f.value(QStringLiteral("witness_port")).toInteger(), 7452);
    QCOMPARE(f.value(QStringLiteral("failover_timeout_ms")).toInteger(), 8000);

    // What the node will read back from it.
    const LinkDefinition link = LinkDefinition::fromCbor(f);
    QCOMPARE(link.id, QStringLiteral("customers-eu"));
    QCOMPARE(link.targetPort, quint16(7451));
    QCOMPARE(link.digest, DigestAlgorithm::Sha256);
    QCOMPARE(link.blockMs, 250);
    QCOMPARE(link.bandwidthMBps, 12.5);
    QCOMPARE(link.witnessHost, QStringLiteral("10.0.0.3"));
    QCOMPARE(link.failoverTimeoutMs, 8000);
}

// --- FailoverDialog -------------------------------------------------------------------

void TestWidgets::failoverDialogGraceful()
{
    LinkView link = makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"));
    link.stats.pending = 42;
    link.link.epoch = 0;
    FailoverDialog dialog(link, threeNodes());
    QVERIFY(!dialog.isForced());
    QVERIFY(!dialog.isFailback());
    QCOMPARE(dialog.nodeAddress(), A);   // the primary fences and drains
    QCOMPARE(dialog.promotedNode(), QStringLiteral("dc-b"));
    QCOMPARE(dialog.linkId(), QStringLiteral("orders"));
    const QString plan = dialog.planText();
    QVERIFY2(plan.contains(QStringLiteral("Fence dc-a")), qPrintable(plan));
    QVERIFY2(plan.contains(QStringLiteral("Drain 42 pending changes")), qPrintable(plan));
    QVERIFY2(plan.contains(QStringLiteral("Promote dc-b")), qPrintable(plan));
    QVERIFY2(plan.contains(QStringLiteral("epoch 1")), qPrintable(plan));
    QVERIFY2(plan.contains(QStringLiteral("Reverse link orders so that dc-a becomes its replica")), qPrintable(plan));
    QVERIFY2(dialog.recoveryText().contains(QStringLiteral("no change is at risk. The 42 pending changes are applied on dc-b")), qPrintable(dialog.recoveryText()));
    QVERIFY(!dialog.findChild<QCheckBox *>(QStringLiteral("confirmForce")));
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::mouseClick(ok, Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);

    // After a failover the link runs the other way: failing it over again is a fail back.
    LinkView back = makeLink(B, QStringLiteral("dc-b"), QStringLiteral("orders"), QStringLiteral("10.0.0.1"), 7450, QStringLiteral("dc-a"));
    back.link.epoch = 1;
    FailoverDialog failback(back, threeNodes());
    QVERIFY(failback.isFailback());
    QVERIFY(failback.windowTitle().contains(QStringLiteral("Fail back")));
    QCOMPARE(failback.nodeAddress(), B);
    QCOMPARE(failback.promotedNode(), QStringLiteral("dc-a"));
    QVERIFY(failback.planText().contains(QStringLiteral("epoch 2")));

    // A paused link cannot drain: refused with the reason.
    link.link.paused = true;
    FailoverDialog paused(link, threeNodes());
    QVERIFY(paused.blockingReason().contains(QStringLiteral("paused")));
    QVERIFY(!paused.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
}

void TestWidgets::failoverDialogForcedNeedsConfirmation()
{
    QList<NodeView> nodes = threeNodes();
    nodes[0].connected = false;   // the primary, dc-a
    nodes[0].lastError = QStringLiteral("connection timed out");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    nodes[1].peers.append(QCborMap{{QStringLiteral("node"), QStringLiteral("dc-a")},
                                   {QStringLiteral("address"), A},
                                   {QStringLiteral("link"), QStringLiteral("orders")},
                                   {QStringLiteral("role"), QStringLiteral("primary")},
                                   {QStringLiteral("last_seen_ms"), now - 42000},
                                   {QStringLiteral("state"), QStringLiteral("down")},
                                   {QStringLiteral("auto_failover"), false},
                                   {QStringLiteral("armed"), true}});
    LinkView link = makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"));
    link.stats.pending = 17;
    FailoverDialog dialog(link, nodes);
    QVERIFY(dialog.isForced());
    QCOMPARE(dialog.nodeAddress(), B);   // the replica promotes itself
    QCOMPARE(dialog.promotedNode(), QStringLiteral("dc-b"));
    const QString recovery = dialog.recoveryText();
    QVERIFY2(recovery.contains(QStringLiteral("17 changes")), qPrintable(recovery));
    QVERIFY2(recovery.contains(QStringLiteral("42 s ago")), qPrintable(recovery));
    auto *label = dialog.findChild<QLabel *>(QStringLiteral("recovery"));
    QVERIFY(label);
    QCOMPARE(label->text(), recovery);
    QVERIFY(label->styleSheet().contains(QStringLiteral("#c62828")));   // in red
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("plan"))->text().contains(QStringLiteral("connection timed out")));

    // OK only once "Promote dc-b anyway" is ticked.
    auto *confirm = dialog.findChild<QCheckBox *>(QStringLiteral("confirmForce"));
    QVERIFY(confirm);
    QCOMPARE(confirm->text(), QStringLiteral("Promote dc-b anyway"));
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.accept();
    QCOMPARE(accepted.size(), 0);
    confirm->setChecked(true);
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);
    QVERIFY(dialog.isForced());

    // No acknowledgement offered while automatic failover is armed.
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("acknowledge")));
}

void TestWidgets::failoverDialogAcknowledgesAutomaticFailover()
{
    QList<NodeView> nodes = threeNodes();
    nodes[1].peers.append(QCborMap{{QStringLiteral("link"), QStringLiteral("orders")},
                                   {QStringLiteral("role"), QStringLiteral("primary")},
                                   {QStringLiteral("last_seen_ms"), QDateTime::currentMSecsSinceEpoch()},
                                   {QStringLiteral("state"), QStringLiteral("healthy")},
                                   {QStringLiteral("auto_failover"), true},
                                   {QStringLiteral("armed"), false}});
    LinkView link = makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"));
    link.link.autoFailover = true;
    link.link.witnessHost = QStringLiteral("10.0.0.3");
    link.link.witnessPort = 7452;
    link.link.failoverTimeoutMs = 7000;
    FailoverDialog dialog(link, nodes);
    auto *acknowledge = dialog.findChild<QPushButton *>(QStringLiteral("acknowledge"));
    QVERIFY(acknowledge);
    QVERIFY(!acknowledge->isEnabled());   // nothing to ask through yet
    // The settings, read-only.
    QStringList texts;
    for (QLabel *label : dialog.findChildren<QLabel *>())
        texts << label->text();
    QVERIFY(texts.contains(QStringLiteral("7000 ms")));
    QVERIFY(texts.contains(QStringLiteral("dc-c (10.0.0.3:7452)")));

    QStringList asked;
    dialog.setAcknowledger([&asked](const QString &address, const QString &linkId) {
        asked << address << linkId;
        return QtFuture::makeReadyFuture(QCborMap{{QStringLiteral("ok"), true}});
    });
    QVERIFY(acknowledge->isEnabled());
    QSignalSpy acknowledged(&dialog, &FailoverDialog::acknowledged);
    QTest::mouseClick(acknowledge, Qt::LeftButton);
    QTRY_COMPARE(acknowledged.size(), 1);
    QCOMPARE(asked, (QStringList{B, QStringLiteral("orders")}));
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("acknowledgeStatus"))->text().contains(QStringLiteral("armed again")));

    // A refusal is shown, not swallowed.
    FailoverDialog refused(link, nodes);
    refused.setAcknowledger([](const QString &, const QString &) {
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(FerryError(QStringLiteral("node dc-b is not the replica of a link \"orders\""))));
    });
    QTest::mouseClick(refused.findChild<QPushButton *>(QStringLiteral("acknowledge")), Qt::LeftButton);
    QTRY_VERIFY(refused.findChild<QLabel *>(QStringLiteral("acknowledgeStatus"))->text().contains(QStringLiteral("not the replica")));
}

// The dialog asks the node for the plan and lists every link it touches; OK waits for the
// list, and a plan the node refuses (a pair both ways on the table) keeps OK disabled.
void TestWidgets::failoverDialogListsEveryLink()
{
    const LinkView link = makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"));
    const auto entry = [](const QString &id, const QString &from, const QString &to, const QString &change, const QString &detail) {
        return QCborMap{{QStringLiteral("link"), id}, {QStringLiteral("source_node"), from}, {QStringLiteral("source_db"), QStringLiteral("shop")},
                        {QStringLiteral("source_table"), QStringLiteral("orders")}, {QStringLiteral("target_node"), to},
                        {QStringLiteral("target_db"), QStringLiteral("shop")}, {QStringLiteral("target_table"), QStringLiteral("orders")},
                        {QStringLiteral("direction"), QStringLiteral("one-way")}, {QStringLiteral("change"), change}, {QStringLiteral("detail"), detail}};
    };
    QCborMap plan{{QStringLiteral("allowed"), true},
                  {QStringLiteral("links"), QCborArray{entry(QStringLiteral("orders"), QStringLiteral("dc-a"), QStringLiteral("dc-b"), QStringLiteral("reverses"), QStringLiteral("runs from dc-b")),
                                                       entry(QStringLiteral("orders-c"), QStringLiteral("dc-a"), QStringLiteral("dc-c"), QStringLiteral("continues"), QStringLiteral("a cascade")),
                                                       entry(QStringLiteral("orders-d"), QStringLiteral("dc-b"), QStringLiteral("dc-d"), QStringLiteral("continues"), QStringLiteral("carries dc-b's writes"))}}};

    FailoverDialog dialog(link, threeNodes());
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());   // no planner: nothing to wait for
    auto promise = std::make_shared<QPromise<QCborMap>>();
    QStringList asked;
    dialog.setPlanner([&asked, promise](const QString &address, const QString &linkId, const QString &to, bool force) {
        asked << address << linkId << to << (force ? QStringLiteral("forced") : QStringLiteral("graceful"));
        promise->start();
        return promise->future();
    });
    QCOMPARE(asked, (QStringList{A, QStringLiteral("orders"), QStringLiteral("dc-b"), QStringLiteral("graceful")}));
    QVERIFY(!ok->isEnabled());   // the operator sees the list before confirming
    QVERIFY(dialog.blockingReason().contains(QStringLiteral("dc-a")));
    promise->addResult(plan);
    promise->finish();
    QTRY_VERIFY(ok->isEnabled());
    auto *links = dialog.findChild<QLabel *>(QStringLiteral("affectedLinks"));
    QVERIFY(links && links->isVisibleTo(&dialog));
    for (const QString &expected : {QStringLiteral("orders (dc-a shop.orders → dc-b shop.orders, one-way): reverses. runs from dc-b"),
                                    QStringLiteral("orders-c (dc-a shop.orders → dc-c shop.orders, one-way): continues. a cascade"),
                                    QStringLiteral("orders-d (dc-b shop.orders → dc-d shop.orders, one-way): continues. carries dc-b's writes")})
        QVERIFY2(dialog.linksText().split(QLatin1Char('\n')).contains(expected), qPrintable(dialog.linksText()));
    QVERIFY(links->text().contains(QStringLiteral("Links this failover touches (3)")));

    // Refused by the node: OK stays disabled, and the dialog says why.
    QCborArray withPair = plan.value(QStringLiteral("links")).toArray();
    withPair.append(entry(QStringLiteral("orders-z"), QStringLiteral("dc-a"), QStringLiteral("dc-c"), QStringLiteral("blocks"), QStringLiteral("both ways")));
    plan.insert(QStringLiteral("links"), withPair);
    plan.insert(QStringLiteral("allowed"), false);
    plan.insert(QStringLiteral("refused"), QStringLiteral("link orders-z replicates shop.orders on dc-a both ways"));
    FailoverDialog refused(link, threeNodes());
    refused.setPlanner([plan](const QString &, const QString &, const QString &, bool) { return QtFuture::makeReadyFuture(plan); });
    QTRY_VERIFY(refused.linksText().contains(QStringLiteral("orders-z")));
    QVERIFY(!refused.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(refused.blockingReason().contains(QStringLiteral("orders-z")));
    QVERIFY(refused.findChild<QLabel *>(QStringLiteral("affectedLinks"))->text().contains(QStringLiteral("Refused: link orders-z")));

    // The plan cannot be had: said so, and the failover may still be asked (it checks again).
    FailoverDialog unknown(link, threeNodes());
    unknown.setPlanner([](const QString &, const QString &, const QString &, bool) {
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(FerryError(QStringLiteral("dc-a: unknown message \"failover_plan\""))));
    });
    QTRY_VERIFY(unknown.findChild<QLabel *>(QStringLiteral("affectedLinks"))->text().contains(QStringLiteral("not known")));
    QVERIFY(unknown.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
}

void TestWidgets::failoverDialogRefusesWhenNothingReachable()
{
    QList<NodeView> nodes = threeNodes();
    nodes[0].connected = false;
    nodes[1].connected = false;
    FailoverDialog dialog(makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b")), nodes);
    QVERIFY(dialog.isForced());
    dialog.findChild<QCheckBox *>(QStringLiteral("confirmForce"))->setChecked(true);
    QVERIFY(!dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(dialog.blockingReason().contains(QStringLiteral("neither")));
    // Nothing at risk is known, and the dialog says so rather than showing 0 as a fact.
    QVERIFY(dialog.recoveryText().contains(QStringLiteral("no change is known to be at risk")));
}

// --- EventLogDock ---------------------------------------------------------------------

namespace {

NodeEvent makeEvent(qint64 atMs, NodeEvent::Severity severity, const QString &node, const QString &link, const QString &what, const QString &outcome)
{
    NodeEvent e;
    e.atMs = atMs;
    e.severity = severity;
    e.node = node;
    e.link = link;
    e.what = what;
    e.outcome = outcome;
    return e;
}

QList<NodeEvent> sampleEvents(qint64 t0)
{
    using S = NodeEvent::Severity;
    return {makeEvent(t0 + 1000, S::Info, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("link created"), QStringLiteral("to dc-b")),
            makeEvent(t0 + 2000, S::Warning, QStringLiteral("dc-b"), QStringLiteral("orders"), QStringLiteral("peer suspect"), QStringLiteral("dc-a, no heartbeat for 1 s")),
            makeEvent(t0 + 3000, S::Error, QStringLiteral("dc-b"), QStringLiteral("orders"), QStringLiteral("forced failover failed"), QStringLiteral("nothing was changed")),
            makeEvent(t0 + 4000, S::Info, QStringLiteral("dc-c"), QStringLiteral("audit"), QStringLiteral("verification done"), QStringLiteral("12 blocks, \"all\" equal")),
            makeEvent(t0 + 5000, S::Error, QStringLiteral("dc-c"), QStringLiteral("audit"), QStringLiteral("apply failed"), QStringLiteral("disk full")),
            makeEvent(t0 + 6000, S::Info, QStringLiteral("dc-a"), QString(), QStringLiteral("node started"), QString())};
}

} // namespace

void TestWidgets::eventLogNewestOnTopAndBounded()
{
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
    EventLogDock dock;
    const QList<NodeEvent> events = sampleEvents(t0);
    dock.addEvents(events.mid(0, 3));
    dock.addEvents(events.mid(3));
    EventLogModel *model = dock.model();
    QCOMPARE(model->rowCount(), 6);
    QCOMPARE(model->event(0).what, QStringLiteral("node started"));   // newest on top
    QCOMPARE(model->event(5).what, QStringLiteral("link created"));
    QCOMPARE(model->index(1, EventLogModel::MessageColumn).data().toString(), QStringLiteral("apply failed: disk full"));
    QCOMPARE(model->index(1, EventLogModel::SeverityColumn).data().toString(), QStringLiteral("error"));
    QCOMPARE(model->index(1, EventLogModel::DataCenterColumn).data().toString(), QStringLiteral("dc-c"));
    QCOMPARE(model->index(1, EventLogModel::LinkColumn).data().toString(), QStringLiteral("audit"));
    QCOMPARE(model->index(0, EventLogModel::MessageColumn).data().toString(), QStringLiteral("node started"));
    // A late event (another node's clock) goes where its time puts it.
    dock.addEvents({makeEvent(t0 + 3500, NodeEvent::Severity::Info, QStringLiteral("dc-a"), QString(), QStringLiteral("late"), QString())});
    QCOMPARE(model->rowCount(), 7);
    QCOMPARE(model->event(3).what, QStringLiteral("late"));

    // Bounded: the oldest go.
    EventLogDock small(nullptr, 100);
    QList<NodeEvent> many;
    for (int i = 0; i < 150; ++i)
        many << makeEvent(t0 + i, NodeEvent::Severity::Info, QStringLiteral("dc-a"), QString(), QStringLiteral("event %1").arg(i), QString());
    small.addEvents(many.mid(0, 70));
    small.addEvents(many.mid(70));
    QCOMPARE(small.model()->rowCount(), 100);
    QCOMPARE(small.model()->event(0).what, QStringLiteral("event 149"));
    QCOMPARE(small.model()->event(99).what, QStringLiteral("event 50"));
    EventLogDock defaultDock;
    QCOMPARE(defaultDock.model()->capacity(), 10000);
}

void TestWidgets::eventLogFiltersByTextAndSeverity()
{
    EventLogDock dock;
    dock.addEvents(sampleEvents(QDateTime::currentMSecsSinceEpoch()));
    auto *text = dock.findChild<QLineEdit *>(QStringLiteral("filterText"));
    auto *severity = dock.findChild<QComboBox *>(QStringLiteral("severity"));
    QVERIFY(text && severity);
    QCOMPARE(dock.visibleRowCount(), 6);
    QTest::keyClicks(text, QStringLiteral("ORDERS"));   // any column, any case
    QCOMPARE(dock.visibleRowCount(), 3);
    severity->setCurrentIndex(severity->findData(2));   // errors only
    QCOMPARE(dock.visibleRowCount(), 1);
    QCOMPARE(dock.filter()->index(0, EventLogModel::MessageColumn).data().toString(), QStringLiteral("forced failover failed: nothing was changed"));
    text->clear();
    QCOMPARE(dock.visibleRowCount(), 2);
    severity->setCurrentIndex(severity->findData(1));   // warnings and errors
    QCOMPARE(dock.visibleRowCount(), 3);
    text->setText(QStringLiteral("disk"));
    QCOMPARE(dock.visibleRowCount(), 1);
    severity->setCurrentIndex(severity->findData(0));
    text->setText(QStringLiteral("dc-c"));
    QCOMPARE(dock.visibleRowCount(), 2);
    // New events go through the filter too.
    dock.addEvents({makeEvent(QDateTime::currentMSecsSinceEpoch() + 10000, NodeEvent::Severity::Warning, QStringLiteral("dc-c"), QString(),
                              QStringLiteral("peer down"), QStringLiteral("dc-a"))});
    QCOMPARE(dock.visibleRowCount(), 3);
}

void TestWidgets::eventLogExportsVisibleRows()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EventLogDock dock;
    dock.addEvents(sampleEvents(QDateTime::currentMSecsSinceEpoch()));
    dock.setFilterText(QStringLiteral("dc-c"));
    QCOMPARE(dock.visibleRowCount(), 2);
    QSignalSpy finished(&dock, &EventLogDock::exportFinished);
    const QString path = dir.filePath(QStringLiteral("events.csv"));
    QFuture<int> future = dock.exportCsv(path);
    future.waitForFinished();
    QCOMPARE(future.result(), 2);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(dock.findChild<QLabel *>(QStringLiteral("status"))->text().contains(QStringLiteral("Exported 2 events")));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString content = QString::fromUtf8(file.readAll());
    QStringList lines = content.split(QStringLiteral("\r\n"));
    QCOMPARE(lines.takeLast(), QString());   // the last line ends too
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QStringLiteral("Time,Severity,Data center,Link,Message"));
    // As shown: newest first, the message quoted where it has a comma or a quote.
    const QString time1 = dock.filter()->index(0, EventLogModel::TimeColumn).data().toString();
    const QString time2 = dock.filter()->index(1, EventLogModel::TimeColumn).data().toString();
    QCOMPARE(lines.at(1), time1 + QStringLiteral(",error,dc-c,audit,apply failed: disk full"));
    QCOMPARE(lines.at(2), time2 + QStringLiteral(",info,dc-c,audit,\"verification done: 12 blocks, \"\"all\"\" equal\""));
}

void TestWidgets::eventLogReportsExportError()
{
    EventLogDock dock;
    dock.addEvents(sampleEvents(QDateTime::currentMSecsSinceEpoch()));
    QSignalSpy finished(&dock, &EventLogDock::exportFinished);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing-folder/events.csv"));
    QFuture<int> future = dock.exportCsv(path);
    bool threw = false;
    try {
        future.waitForFinished();   // rethrows what the worker threw
        future.result();
    } catch (const FerryError &error) {
        threw = error.message().contains(QStringLiteral("missing-folder"));
    }
    QVERIFY(threw);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("missing-folder")));
    QVERIFY(!QFile::exists(path));
}

// --- ConflictsWidget ------------------------------------------------------------------

void TestWidgets::conflictsShowsRowsAndEmptyState()
{
    ConflictsWidget widget;
    QStringList asked;
    QList<ConflictView> answer;
    ConflictView c;
    c.id = 1;
    c.atUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    c.link = QStringLiteral("customers");
    c.table = QStringLiteral("customers");
    c.key = QStringLiteral("[42]");
    c.kept = QStringLiteral("[42,\"Ada\",\"eu\"]");
    c.lost = QStringLiteral("[42,\"Ada L.\",\"eu\"]");
    c.lostOrigin = QStringLiteral("dc-c");
    c.reason = QStringLiteral("source-wins");
    c.columns = QStringList{QStringLiteral("id"), QStringLiteral("customer_name"), QStringLiteral("region")};
    widget.setFetcher([&](const QString &address, const QString &database, int limit) {
        asked << QStringLiteral("%1/%2/%3").arg(address, database).arg(limit);
        return QtFuture::makeReadyFuture(answer);
    });
    widget.setNodes(threeNodes());
    // Choosing (the first node and database by default) reads at once; nothing found.
    QCOMPARE(widget.currentNode(), A);
    QCOMPARE(widget.currentDatabase(), QStringLiteral("main"));
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first(), QStringLiteral("%1/main/500").arg(A));
    // The answer arrives through the event loop, as a real one from the session does.
    QTRY_VERIFY2(widget.emptyText().contains(QStringLiteral("No conflicts")), qPrintable(widget.emptyText()));
    // The session's four-times-a-second update does not ask again.
    widget.setNodes(threeNodes());
    QCOMPARE(asked.size(), 1);

    answer = {c};
    widget.select(B, QStringLiteral("main"));
    QCOMPARE(asked.last(), QStringLiteral("%1/main/500").arg(B));
    QTRY_COMPARE(widget.conflicts().size(), 1);
    QVERIFY(widget.emptyText().isEmpty());
    QVERIFY(widget.keptText().contains(QStringLiteral("Ada")));
    QVERIFY(widget.lostText().contains(QStringLiteral("Ada L.")));
    QVERIFY(!widget.keptText().contains(QStringLiteral("Ada L.")));
    // Both versions name their columns.
    QVERIFY2(widget.keptText().contains(QStringLiteral("customer_name")) && widget.lostText().contains(QStringLiteral("region")), qPrintable(widget.lostText()));

    // An error is shown; the refresh button works again.
    widget.setFetcher([](const QString &, const QString &, int) {
        return QtFuture::makeExceptionalFuture<QList<ConflictView>>(std::make_exception_ptr(FerryError(QStringLiteral("node dc-b has no database \"main\""))));
    });
    auto *refresh = widget.findChild<QPushButton *>(QStringLiteral("refresh"));
    QTest::mouseClick(refresh, Qt::LeftButton);
    QTRY_VERIFY(widget.statusText().contains(QStringLiteral("has no database")));
    QVERIFY(refresh->isEnabled());
}

namespace {

ConflictView makeConflict(qint64 id, const QString &kept, const QString &lost)
{
    ConflictView c;
    c.id = id;
    c.atUs = (QDateTime::currentMSecsSinceEpoch() - 1000 + id) * 1000;
    c.link = QStringLiteral("orders");
    c.table = QStringLiteral("orders");
    c.key = QStringLiteral("[%1]").arg(id);
    c.kept = kept.isEmpty() ? QString() : QStringLiteral("[%1,\"%2\",%3]").arg(id).arg(kept).arg(id * 10);
    c.lost = lost.isEmpty() ? QString() : QStringLiteral("[%1,\"%2\",%3]").arg(id).arg(lost).arg(id * 10 + 1);
    c.lostOrigin = QStringLiteral("dc-b");
    c.reason = QStringLiteral("newest-wins");
    c.columns = QStringList{QStringLiteral("id"), QStringLiteral("status"), QStringLiteral("ts")};
    c.columnTypes = QStringList{QStringLiteral("integer"), QStringLiteral("text"), QStringLiteral("timestamp")};
    return c;
}

struct ApplyCall
{
    QString node;
    QString database;
    ConflictView conflict;
    bool lost = false;
};

} // namespace

// "Apply lost version": the confirmation shows table, key and values, stays open 10 s while
// the rows are read again four times a second (new conflicts on top, the operator's
// selection elsewhere), and on accept writes exactly the row it was opened for.
void TestWidgets::conflictsApplyActsOnTheConfirmedRow()
{
    ConflictsWidget widget;
    widget.resize(1000, 600);
    QList<ConflictView> answer{makeConflict(3, QStringLiteral("kept-3"), QStringLiteral("lost-3")),
                               makeConflict(2, QStringLiteral("kept-2"), QStringLiteral("lost-2")),
                               makeConflict(1, QStringLiteral("kept-1"), QString())};
    widget.setFetcher([&answer](const QString &, const QString &, int) { return QtFuture::makeReadyFuture(answer); });
    QList<ApplyCall> calls;
    widget.setApplier([&calls](const QString &node, const QString &database, const ConflictView &conflict, bool lost) {
        calls.append(ApplyCall{node, database, conflict, lost});
        return QtFuture::makeReadyFuture(QCborMap{{QStringLiteral("table"), conflict.table}, {QStringLiteral("key"), conflict.key},
                                                  {QStringLiteral("deleted"), (lost ? conflict.lost : conflict.kept).isEmpty()}});
    });
    widget.setNodes(threeNodes());
    widget.show();
    QTRY_COMPARE(widget.conflicts().size(), 3);
    auto *table = widget.findChild<QTableWidget *>(QStringLiteral("conflicts"));
    auto *lostButton = widget.findChild<QPushButton *>(QStringLiteral("applyLostButton"));
    auto *keptButton = widget.findChild<QPushButton *>(QStringLiteral("applyKeptButton"));
    QVERIFY(table && lostButton && keptButton);
    // Keyboard: the buttons take focus by Tab and have mnemonics; the table's context menu
    // (menu key) holds the same actions.
    QVERIFY(lostButton->focusPolicy() & Qt::TabFocus);
    QVERIFY(lostButton->text().contains(QLatin1Char('&')) && keptButton->text().contains(QLatin1Char('&')));
    QCOMPARE(table->contextMenuPolicy(), Qt::ActionsContextMenu);
    QVERIFY(table->actions().contains(widget.applyKeptAction()) && table->actions().contains(widget.applyLostAction()));

    table->selectRow(1);
    QCOMPARE(widget.selectedConflict().id, 2);
    QVERIFY(lostButton->isEnabled() && widget.applyLostAction()->isEnabled());
    widget.applyLostAction()->trigger();
    QPointer<ConflictApplyDialog> dialog = widget.applyDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->text().contains(QStringLiteral("orders")) && dialog->text().contains(QStringLiteral("[2]")) && dialog->text().contains(QStringLiteral("lost-2"))
                 && dialog->text().contains(QStringLiteral("status")) && !dialog->text().contains(QStringLiteral("kept-2")),
             qPrintable(dialog->text()));
    // A timestamp column's microseconds are a date, in the dialog and in the browser.
    QVERIFY2(dialog->text().contains(QStringLiteral("1970-01-01 00:00:00.000021 UTC")), qPrintable(dialog->text()));
    QVERIFY2(widget.lostText().contains(QStringLiteral("1970-01-01 00:00:00.000021 UTC")), qPrintable(widget.lostText()));
    // Enter does not write.
    QVERIFY(!dialog->applyButton()->isDefault());
    QVERIFY(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->isDefault());

    // Ten seconds of refreshes: new conflicts arrive on top, the operator selects the newest.
    QElapsedTimer held;
    held.start();
    qint64 next = 4;
    while (held.elapsed() < 10000) {
        answer.prepend(makeConflict(next, QStringLiteral("kept-%1").arg(next), QStringLiteral("lost-%1").arg(next)));
        ++next;
        widget.refresh();
        QTest::qWait(250);
        table->selectRow(0);
    }
    QTRY_COMPARE(widget.conflicts().size(), int(answer.size()));
    QCOMPARE(widget.selectedConflict().id, next - 1);
    QCOMPARE(widget.applyDialog(), dialog.data());
    QVERIFY(calls.isEmpty());
    QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);
    QTRY_COMPARE(calls.size(), 1);
    QCOMPARE(calls.first().node, A);
    QCOMPARE(calls.first().database, QStringLiteral("main"));
    QCOMPARE(calls.first().conflict.id, 2);
    QCOMPARE(calls.first().conflict.key, QStringLiteral("[2]"));
    QCOMPARE(calls.first().conflict.lost, QStringLiteral("[2,\"lost-2\",21]"));
    QVERIFY(calls.first().lost);
    QTRY_VERIFY2(widget.statusText().contains(QStringLiteral("Wrote the lost version of orders, key [2]")), qPrintable(widget.statusText()));
    QTRY_VERIFY(!dialog);   // closed and deleted

    // A version that is a deletion says so, and the answer names the deletion.
    const int oldest = table->rowCount() - 1;
    table->selectRow(oldest);
    QCOMPARE(widget.selectedConflict().id, 1);
    QTest::mouseClick(lostButton, Qt::LeftButton);
    dialog = widget.applyDialog();
    QVERIFY(dialog);
    QVERIFY2(dialog->text().contains(QStringLiteral("deletion")), qPrintable(dialog->text()));
    dialog->reject();
    QTRY_VERIFY(!dialog);
    QCOMPARE(calls.size(), 1);   // cancelled: nothing sent

    // A role the node would refuse: grey, and the tooltip says why.
    widget.setRole(Role::Viewer);
    QVERIFY(!lostButton->isEnabled() && !widget.applyKeptAction()->isEnabled());
    QVERIFY2(lostButton->toolTip().contains(QStringLiteral("operator")), qPrintable(lostButton->toolTip()));
    widget.applyLostAction()->trigger();
    QVERIFY(!widget.applyDialog());
}

// The confirmation was open while the data center was removed from the console: accepting
// it sends nothing and says why; an error from the node is shown with the conflict's id.
void TestWidgets::conflictsApplyRefusedWhenTheNodeWent()
{
    ConflictsWidget widget;
    QList<ConflictView> answer{makeConflict(7, QStringLiteral("kept-7"), QStringLiteral("lost-7"))};
    widget.setFetcher([&answer](const QString &, const QString &, int) { return QtFuture::makeReadyFuture(answer); });
    int calls = 0;
    QString refusal;
    widget.setApplier([&](const QString &, const QString &, const ConflictView &, bool) {
        ++calls;
        return QtFuture::makeExceptionalFuture<QCborMap>(std::make_exception_ptr(FerryError(refusal)));
    });
    widget.setNodes(threeNodes());
    widget.show();
    QTRY_COMPARE(widget.conflicts().size(), 1);
    widget.applyKeptAction()->trigger();
    QPointer<ConflictApplyDialog> dialog = widget.applyDialog();
    QVERIFY(dialog);
    widget.setNodes({makeNode(B, QStringLiteral("dc-b")), makeNode(C, QStringLiteral("dc-c"))});
    QTest::qWait(100);
    QVERIFY(dialog);
    dialog->accept();
    QCOMPARE(calls, 0);
    QVERIFY2(widget.statusText().contains(QStringLiteral("no longer in the console")) && widget.statusText().contains(QStringLiteral("conflict 7")),
             qPrintable(widget.statusText()));

    // The node refuses (a replica's guard): the message is shown, the actions work again.
    widget.setNodes(threeNodes());
    widget.select(A, QStringLiteral("main"));
    QTRY_COMPARE(widget.conflicts().size(), 1);
    refusal = QStringLiteral("table \"orders\" is a replica of dc-a");
    widget.applyLostAction()->trigger();
    QVERIFY(widget.applyDialog());
    widget.applyDialog()->accept();
    QCOMPARE(calls, 1);
    QTRY_VERIFY2(widget.statusText().contains(QStringLiteral("is a replica of dc-a")), qPrintable(widget.statusText()));
    QVERIFY(widget.applyLostAction()->isEnabled());
}

// --- AddDataCenterDialog ----------------------------------------------------------------

namespace {

struct FakeProber
{
    QStringList asked;
    std::function<QFuture<NodeHello>()> answer;
    AddDataCenterDialog::Prober prober()
    {
        return [this](const QString &host, quint16 port) {
            asked << QStringLiteral("%1:%2").arg(host).arg(port);
            return answer();
        };
    }
};

NodeHello helloFrom(const QString &name)
{
    NodeHello hello;
    hello.node = name;
    hello.region = QStringLiteral("ap-south");
    return hello;
}

} // namespace

void TestWidgets::addDataCenterRefusesBadAddresses()
{
    FakeProber fake;
    fake.answer = [] { return QtFuture::makeReadyFuture(helloFrom(QStringLiteral("dc-d"))); };
    AddDataCenterDialog dialog(threeNodes(), fake.prober());
    dialog.show();
    const QStringList bad{QString(), QStringLiteral("   "), QStringLiteral("10.0.0.9"), QStringLiteral("10.0.0.9:"), QStringLiteral(":7450"),
                          QStringLiteral("10.0.0.9:0"), QStringLiteral("10.0.0.9:65536"), QStringLiteral("10.0.0.9:port"),
                          QStringLiteral("my host:7450")};
    for (const QString &address : bad) {
        dialog.setAddress(address);
        dialog.accept();
        QVERIFY2(dialog.isVisible(), qPrintable(address));
        QVERIFY2(!dialog.isProbing(), qPrintable(address));
        QVERIFY2(dialog.statusText().contains(address.trimmed().isEmpty() ? QStringLiteral("HOST:PORT") : QStringLiteral("is not HOST:PORT")),
                 qPrintable(address + QStringLiteral(" -> ") + dialog.statusText()));
    }
    QVERIFY(fake.asked.isEmpty());   // nothing was even tried
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestWidgets::addDataCenterReportsAFailedConnection()
{
    FakeProber fake;
    fake.answer = [] {
        return QtFuture::makeExceptionalFuture<NodeHello>(std::make_exception_ptr(
            FerryError(QStringLiteral("10.0.0.9:7450: TLS: The issuer certificate of a locally looked up certificate could not be found"))));
    };
    AddDataCenterDialog dialog(threeNodes(), fake.prober());
    dialog.show();
    dialog.setAddress(QStringLiteral(" 10.0.0.9:7450 "));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.accept();
    QCOMPARE(fake.asked, QStringList{QStringLiteral("10.0.0.9:7450")});
    QTRY_VERIFY(!dialog.isProbing());
    QVERIFY2(dialog.statusText().contains(QStringLiteral("cannot be added")), qPrintable(dialog.statusText()));
    QVERIFY(dialog.statusText().contains(QStringLiteral("issuer certificate")));
    QVERIFY(dialog.isVisible());
    QCOMPARE(accepted.size(), 0);
    // Connect works again after the failure.
    auto *connectButton = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(connectButton->isEnabled());
}

void TestWidgets::addDataCenterRefusesAKnownDataCenter()
{
    FakeProber fake;
    fake.answer = [] { return QtFuture::makeReadyFuture(helloFrom(QStringLiteral("dc-b"))); };
    AddDataCenterDialog dialog(threeNodes(), fake.prober());
    dialog.show();
    // The same address: refused without connecting.
    dialog.setAddress(A);
    dialog.accept();
    QVERIFY(dialog.statusText().contains(QStringLiteral("already in the topology")));
    QVERIFY(fake.asked.isEmpty());
    // Another address of a node that is already shown (dc-b): refused once it answers.
    dialog.setAddress(QStringLiteral("dc-b.example.net:7451"));
    dialog.accept();
    QTRY_VERIFY(!dialog.isProbing());
    QCOMPARE(fake.asked.size(), 1);
    QVERIFY2(dialog.statusText().contains(QStringLiteral("dc-b")) && dialog.statusText().contains(B), qPrintable(dialog.statusText()));
    QVERIFY(dialog.isVisible());
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
}

void TestWidgets::addDataCenterAcceptsANodeThatAnswers()
{
    FakeProber fake;
    auto promise = std::make_shared<QPromise<NodeHello>>();
    fake.answer = [promise] {
        promise->start();
        return promise->future();
    };
    AddDataCenterDialog dialog(threeNodes(), fake.prober());
    dialog.show();
    dialog.setAddress(QStringLiteral("[::1]:7460"));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.accept();
    // While it connects: the dialog stays responsive, says so, and a second OK does nothing.
    QVERIFY(dialog.isProbing());
    QVERIFY(dialog.statusText().contains(QStringLiteral("::1:7460")));
    dialog.accept();
    QCOMPARE(fake.asked.size(), 1);
    QTest::qWait(20);
    QCOMPARE(accepted.size(), 0);
    promise->addResult(helloFrom(QStringLiteral("dc-d")));
    promise->finish();
    QTRY_COMPARE(accepted.size(), 1);
    QCOMPARE(dialog.host(), QStringLiteral("::1"));
    QCOMPARE(dialog.port(), quint16(7460));
    QCOMPARE(dialog.hello().node, QStringLiteral("dc-d"));
}

// --- BlockMapWidget -------------------------------------------------------------------

namespace {

VerificationProgress progressWith(int planned, const QList<QPair<int, BlockState>> &states)
{
    VerificationProgress progress;
    progress.blocksPlanned = planned;
    for (const auto &[index, state] : states) {
        BlockInfo info;
        info.state = state;
        info.sourceRows = 10;
        progress.changedBlocks.append({index, info});
    }
    return progress;
}

} // namespace

void TestWidgets::blockMapClickNamesTheBlock()
{
    BlockMapWidget map;
    map.resize(400, 200);
    map.applyProgress(progressWith(50, {{7, BlockState::Differs}}));
    QSignalSpy clicked(&map, &BlockMapWidget::blockClicked);
    // The centre of block 7's cell, found through blockAt.
    QPoint at(-1, -1);
    for (int y = 0; y < map.height() && at.x() < 0; ++y) {
        for (int x = 0; x < map.width(); ++x) {
            if (map.blockAt(QPoint(x, y)) == 7) {
                at = QPoint(x + 2, y + 2);
                break;
            }
        }
    }
    QVERIFY(at.x() >= 0);
    QCOMPARE(map.blockAt(at), 7);
    QTest::mouseClick(&map, Qt::LeftButton, Qt::NoModifier, at);
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 7);
    // Outside the cells, or with the right button: nothing.
    QTest::mouseClick(&map, Qt::RightButton, Qt::NoModifier, at);
    QTest::mouseClick(&map, Qt::LeftButton, Qt::NoModifier, QPoint(map.width() - 1, map.height() - 1));
    QCOMPARE(clicked.size(), 1);
}

void TestWidgets::blockRowsListsMissingExtraAndDifferent()
{
    BlockRowsWidget widget;
    widget.resize(700, 300);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    auto *repair = widget.findChild<QPushButton *>(QStringLiteral("repairFromBlock"));
    QVERIFY(repair);
    QVERIFY(!repair->isEnabled());

    TableSchema schema;
    schema.table = QStringLiteral("customers");
    schema.columns = {Column{QStringLiteral("id"), ColumnType::Integer}, Column{QStringLiteral("name"), ColumnType::Text},
                      Column{QStringLiteral("country"), ColumnType::Text}};
    schema.primaryKey = {0};
    const QList<Row> source{{qlonglong(1), QStringLiteral("Ann"), QStringLiteral("CN")}, {qlonglong(2), QStringLiteral("Bo"), QStringLiteral("DE")},
                            {qlonglong(4), QStringLiteral("Di"), QStringLiteral("US")}};
    const QList<Row> target{{qlonglong(1), QStringLiteral("Ann"), QStringLiteral("CN")}, {qlonglong(2), QStringLiteral("changed"), QStringLiteral("DE")},
                            {qlonglong(3), QStringLiteral("Cy"), QVariant()}};
    BlockRowsView view;
    view.block = 12;
    view.schema = schema;
    view.differences = diffRows(schema, source, target, 100);
    view.differences.block = 12;
    view.differences.range = KeyRange{{qlonglong(1)}, {qlonglong(5)}};

    widget.showLoading(12, describeRange(view.differences.range));
    QCOMPARE(widget.block(), 12);
    QVERIFY(widget.title().contains(QLatin1String("reading")));
    widget.showRows(view);
    QCOMPARE(widget.rowCount(), 3);
    QVERIFY2(widget.title().contains(QLatin1String("1 missing on the target, 1 extra on the target, 1 with other values")), qPrintable(widget.title()));
    // Key order: 2 (other values: only the differing column), 3 (extra), 4 (missing).
    QCOMPARE(widget.cellText(0, 0), QStringLiteral("other values"));
    QCOMPARE(widget.cellText(0, 1), QStringLiteral("id = 2"));
    QCOMPARE(widget.cellText(0, 2), QStringLiteral("name = 'Bo'"));
    QCOMPARE(widget.cellText(0, 3), QStringLiteral("name = 'changed'"));
    QCOMPARE(widget.cellText(1, 0), QStringLiteral("extra on the target"));
    QCOMPARE(widget.cellText(1, 2), QStringLiteral("(no row)"));
    QCOMPARE(widget.cellText(1, 3), QStringLiteral("id = 3, name = 'Cy', country = NULL"));
    QCOMPARE(widget.cellText(2, 0), QStringLiteral("missing on the target"));
    QCOMPARE(widget.cellText(2, 1), QStringLiteral("id = 4"));
    QCOMPARE(widget.cellText(2, 3), QStringLiteral("(no row)"));
    QVERIFY(repair->isEnabled());
    QSignalSpy repairs(&widget, &BlockRowsWidget::repairRequested);
    QTest::mouseClick(repair, Qt::LeftButton);
    QCOMPARE(repairs.size(), 1);

    // A block that no longer differs says so; an error says what.
    view.differences = diffRows(schema, source, source, 100);
    widget.showRows(view);
    QCOMPARE(widget.rowCount(), 0);
    QVERIFY(widget.title().contains(QLatin1String("no row differs")));
    QVERIFY(!repair->isEnabled());
    widget.showError(12, QStringLiteral("virginia is not connected"));
    QVERIFY(widget.title().contains(QLatin1String("virginia is not connected")));
    // Capped listings say how many are shown.
    view.differences = diffRows(schema, source, target, 1);
    widget.showRows(view);
    QCOMPARE(widget.rowCount(), 1);
    QVERIFY(widget.title().contains(QLatin1String("The first 1 are listed")));
    QCOMPARE(BlockRowsWidget::displayValue(QByteArray("\x01\xff", 2)), QStringLiteral("x'01ff'"));
}

void TestWidgets::mainWindowSeparatesVerifyFromRepair()
{
    MainWindow window;
    QAction *verify = nullptr;
    QAction *repair = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcut() == QKeySequence(Qt::Key_F5))
            verify = action;
        if (action->shortcut() == QKeySequence(Qt::SHIFT | Qt::Key_F5))
            repair = action;
    }
    QVERIFY(verify && repair);
    QVERIFY(verify != repair);
    QVERIFY2(verify->text().contains(QLatin1String("read-only")), qPrintable(verify->text()));
    QVERIFY2(repair->text().remove(QLatin1Char('&')).contains(QLatin1String("Repair")), qPrintable(repair->text()));
    // Nothing selected: neither can run.
    QVERIFY(!verify->isEnabled());
    QVERIFY(!repair->isEnabled());
    QVERIFY(window.blockRows());
}

void TestWidgets::blockMapCountsStates()
{
    BlockMapWidget map;
    QList<QPair<int, BlockState>> states;
    for (int i = 0; i < 10; ++i)
        states.append({i, BlockState::Equal});
    for (int i = 10; i < 15; ++i)
        states.append({i, BlockState::Differs});
    for (int i = 15; i < 18; ++i)
        states.append({i, BlockState::Failed});
    states.append({18, BlockState::Repaired});
    states.append({19, BlockState::Hashing});
    map.applyProgress(progressWith(100, states));
    QCOMPARE(map.blockCount(), 100);
    QCOMPARE(map.count(BlockState::Equal), 10);
    QCOMPARE(map.count(BlockState::Differs), 5);
    QCOMPARE(map.count(BlockState::Failed), 3);
    QCOMPARE(map.count(BlockState::Repaired), 1);
    QCOMPARE(map.count(BlockState::Hashing), 1);
    QCOMPARE(map.count(BlockState::Pending), 80);
    QCOMPARE(map.count(BlockState::Repairing), 0);
    // A block moves: the counts follow; a block beyond the plan extends it.
    map.applyProgress(progressWith(100, {{10, BlockState::Repairing}, {11, BlockState::Repaired}, {120, BlockState::Equal}}));
    QCOMPARE(map.blockCount(), 121);
    QCOMPARE(map.count(BlockState::Differs), 3);
    QCOMPARE(map.count(BlockState::Repairing), 1);
    QCOMPARE(map.count(BlockState::Repaired), 2);
    QCOMPARE(map.count(BlockState::Equal), 11);
    QCOMPARE(map.count(BlockState::Pending), 80 + 20);
    int total = 0;
    for (int s = 0; s < BlockStateCount; ++s)
        total += map.count(BlockState(s));
    QCOMPARE(total, map.blockCount());
    map.clear();
    QCOMPARE(map.blockCount(), 0);
    QCOMPARE(map.count(BlockState::Equal), 0);
}

void TestWidgets::blockMapBlockAt()
{
    BlockMapWidget map;
    map.resize(400, 222);
    map.applyProgress(progressWith(100, {}));
    const QRect area = map.mapRect();
    QCOMPARE(area.topLeft(), QPoint(0, 0));
    QCOMPARE(area.width(), 400);
    QVERIFY(area.height() > 100 && area.height() < 222);   // the legend is below
    // Square-ish cells filling the area: columns / rows ~ width / height.
    const int columns = int(std::ceil(std::sqrt(100 * double(area.width()) / area.height())));
    const int rows = int(std::ceil(100.0 / columns));
    const double cw = double(area.width()) / columns;
    const double ch = double(area.height()) / rows;
    auto centre = [&](int row, int column) { return QPoint(int(area.left() + (column + 0.5) * cw), int(area.top() + (row + 0.5) * ch)); };
    QCOMPARE(map.blockAt(QPoint(0, 0)), 0);
    QCOMPARE(map.blockAt(centre(0, 1)), 1);
    QCOMPARE(map.blockAt(centre(1, 0)), columns);
    QCOMPARE(map.blockAt(centre(2, 3)), 2 * columns + 3);
    const int last = 99;
    QCOMPARE(map.blockAt(centre(last / columns, last % columns)), last);
    if (rows * columns > 100)
        QCOMPARE(map.blockAt(centre(rows - 1, columns - 1)), -1);   // past the last block
    QCOMPARE(map.blockAt(QPoint(10, area.bottom() + 6)), -1);         // the legend
    QCOMPARE(map.blockAt(QPoint(-1, 5)), -1);
    map.clear();
    QCOMPARE(map.blockAt(QPoint(5, 5)), -1);
}

void TestWidgets::blockMapHoverDoesNotRerender()
{
    BlockMapWidget map;
    map.resize(400, 222);
    QList<QPair<int, BlockState>> states;
    for (int i = 0; i < 500; i += 2)
        states.append({i, BlockState::Equal});
    map.applyProgress(progressWith(500, states));
    map.show();
    QVERIFY(QTest::qWaitForWindowExposed(&map));
    map.repaint();
    const int renders = map.renderCount();
    QVERIFY(renders >= 1);
    const QImage before = map.grab().toImage();
    QCOMPARE(map.renderCount(), renders);

    // Hovering a cell draws its frame over the cached image, which is not rendered again.
    hover(&map, QPoint(50, 50));
    map.repaint();
    const QImage hovered = map.grab().toImage();
    hover(&map, QPoint(150, 120));
    map.repaint();
    QCOMPARE(map.renderCount(), renders);
    QVERIFY(hovered != before);   // the frame is drawn

    // New data, or a new size: rendered once more each.
    map.applyProgress(progressWith(500, {{1, BlockState::Failed}}));
    map.repaint();
    QCOMPARE(map.renderCount(), renders + 1);
    map.repaint();
    QCOMPARE(map.renderCount(), renders + 1);
    map.resize(500, 300);
    map.repaint();
    QCOMPARE(map.renderCount(), renders + 2);
}

// --- LinkChartsWidget -----------------------------------------------------------------

void TestWidgets::chartsStayBoundedAndSwitchWindows()
{
    LinkChartsWidget charts;
    charts.resize(700, 500);
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const qint64 t0 = 1700000000000;
    LinkStats stats;
    // Two hours of one sample a second.
    for (int i = 0; i < 7200; ++i) {
        stats.rowsPerSecond = 100 + i % 50;
        stats.lagMs = 5;
        stats.blocksVerified = i;
        charts.addSample(t0 + qint64(i) * 1000, stats);
    }
    QVERIFY2(charts.pointCount() <= 3601, qPrintable(QString::number(charts.pointCount())));
    QVERIFY(charts.pointCount() >= 3599);

    auto *window = charts.findChild<QComboBox *>();
    QVERIFY(window);
    QCOMPARE(charts.windowSeconds(), 60);
    QTRY_VERIFY(qAbs(charts.throughputPlot()->xAxis->range().size() - 60) < 0.5);
    charts.setWindowSeconds(600);
    QCOMPARE(window->currentData().toInt(), 600);
    QTRY_VERIFY(qAbs(charts.throughputPlot()->xAxis->range().size() - 600) < 0.5);
    window->setCurrentIndex(window->findData(3600));
    QCOMPARE(charts.windowSeconds(), 3600);
    QTRY_VERIFY(qAbs(charts.throughputPlot()->xAxis->range().size() - 3600) < 0.5);
    // The x range ends at the last sample.
    QVERIFY(qAbs(charts.throughputPlot()->xAxis->range().upper - (t0 + 7199 * 1000) / 1000.0) < 0.5);
    // Still bounded after more samples.
    for (int i = 7200; i < 7300; ++i)
        charts.addSample(t0 + qint64(i) * 1000, stats);
    QVERIFY(charts.pointCount() <= 3601);
}

void TestWidgets::topologyArrowKeysSelectLinks()
{
    TopologyView view;
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(threeNodes(), threeLinks());
    QSignalSpy selected(&view, &TopologyView::linkSelected);
    view.setFocus();
    // In the order of the links' names: audit, customers, orders, then round again.
    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("audit"));
    QCOMPARE(selected.last().at(0).toString(), C);
    QTest::keyClick(&view, Qt::Key_Down);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("customers"));
    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("orders"));
    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("audit"));
    QTest::keyClick(&view, Qt::Key_Left);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("orders"));
    QVERIFY(view.linkItem(A, QStringLiteral("orders"))->isSelected());
    // Selected from outside (the link list): the arrow follows, one signal.
    const int before = int(selected.size());
    view.selectLink(B, QStringLiteral("customers"));
    QVERIFY(view.linkItem(B, QStringLiteral("customers"))->isSelected());
    QVERIFY(!view.linkItem(A, QStringLiteral("orders"))->isSelected());
    QCOMPARE(selected.size(), before + 1);
    view.selectLink(B, QStringLiteral("customers"));
    QCOMPARE(selected.size(), before + 1);
}

void TestWidgets::topologyDrawsABidirectionalPairAsOneArrow()
{
    // As the nodes report a bidirectional link: its creator runs one half, the target node
    // the other (reverseOf names the first), towards the creator.
    LinkView there = makeLink(A, QStringLiteral("dc-a"), QStringLiteral("pair"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"),
                              QStringLiteral("streaming"), 12, 340);
    there.link.direction = LinkDefinition::Direction::Bidirectional;
    LinkView back = makeLink(B, QStringLiteral("dc-b"), QStringLiteral("pair.reverse"), QStringLiteral("10.0.0.1"), 7450, QStringLiteral("dc-a"),
                             QStringLiteral("streaming"), 30, 5);
    back.link.direction = LinkDefinition::Direction::Bidirectional;
    back.link.reverseOf = QStringLiteral("pair");
    TopologyView view;
    view.setModel(threeNodes(), {there, back});
    QCOMPARE(view.linkItems().size(), 1);
    LinkItem *item = view.linkItem(A, QStringLiteral("pair"));
    QVERIFY(item);
    QCOMPARE(view.linkItem(B, QStringLiteral("pair.reverse")), item);
    QVERIFY(item->isBidirectional());
    QVERIFY(item->reverse().has_value());
    // Both directions' figures, each with its arrow.
    QCOMPARE(item->label(), QStringLiteral("\u2192 12 ms \u00b7 340 rows/s  \u2190 30 ms \u00b7 5 rows/s"));
    QVERIFY2(item->toolTip().contains(QStringLiteral("Back from dc-b")), qPrintable(item->toolTip()));
    // The reverse half's figures update the same arrow.
    back.stats.lagMs = 900;
    view.setModel(threeNodes(), {there, back});
    QCOMPARE(view.linkItems().size(), 1);
    QVERIFY2(item->label().contains(QStringLiteral("\u2190 900 ms")), qPrintable(item->label()));
    // Alone (the creator's half not reported yet), the reverse half is drawn by itself.
    view.setModel(threeNodes(), {back});
    QCOMPARE(view.linkItems().size(), 1);
    QVERIFY(view.linkItem(B, QStringLiteral("pair.reverse")));
    QVERIFY(!view.linkItem(B, QStringLiteral("pair.reverse"))->reverse().has_value());
}

void TestWidgets::topologyStaysReadableWithTwelveDataCenters()
{
    // A generated topology: 12 data centers, 40 links between them.
    QList<NodeView> nodes;
    for (int i = 0; i < 12; ++i)
        nodes.append(makeNode(QStringLiteral("10.1.0.%1:7450").arg(i + 1), QStringLiteral("dc-%1").arg(i + 1, 2, 10, QLatin1Char('0'))));
    QList<LinkView> links;
    for (int k = 0; k < 40; ++k) {
        const int from = k % 12;
        const int to = (from + 1 + k / 12) % 12;
        links.append(makeLink(nodes.at(from).address, nodes.at(from).name, QStringLiteral("link-%1").arg(k), QStringLiteral("10.1.0.%1").arg(to + 1), 7450,
                              nodes.at(to).name));
    }
    TopologyView view;
    view.resize(640, 520);   // the topology's share of a 1024x700 window
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setModel(nodes, links);
    QCOMPARE(view.dataCenterItems().size(), 12);
    QCOMPARE(view.linkItems().size(), 40);
    // No card covers another.
    const QList<DataCenterItem *> cards = view.dataCenterItems();
    for (int i = 0; i < cards.size(); ++i) {
        for (int j = i + 1; j < cards.size(); ++j)
            QVERIFY2(!cards.at(i)->sceneBoundingRect().intersects(cards.at(j)->sceneBoundingRect()),
                     qPrintable(cards.at(i)->title() + QStringLiteral(" covers ") + cards.at(j)->title()));
    }
    // Fitted: every card in the viewport, at a zoom where their text can still be read.
    view.fitToView();
    const QRectF visible = view.mapToScene(view.viewport()->rect()).boundingRect();
    for (const DataCenterItem *card : cards)
        QVERIFY2(visible.contains(card->sceneBoundingRect()), qPrintable(card->title()));
    QVERIFY2(view.zoom() >= 0.3, qPrintable(QString::number(view.zoom())));
    // Arrow keys reach every link.
    QSet<QString> reached;
    view.setFocus();
    QSignalSpy selected(&view, &TopologyView::linkSelected);
    for (int i = 0; i < 40; ++i)
        QTest::keyClick(&view, Qt::Key_Right);
    for (const QList<QVariant> &args : std::as_const(selected))
        reached.insert(args.at(1).toString());
    QCOMPARE(reached.size(), 40);
}

void TestWidgets::conflictsFilterAndExportCsv()
{
    ConflictsWidget widget;
    QList<ConflictView> answer;
    for (int i = 0; i < 4; ++i) {
        ConflictView c;
        c.id = i + 1;
        c.atUs = QDateTime(QDate(2026, 12, 7), QTime(10, i, 0), QTimeZone::utc()).toMSecsSinceEpoch() * 1000;
        c.link = i < 3 ? QStringLiteral("customers") : QStringLiteral("stock");
        c.table = c.link;
        c.key = QStringLiteral("[%1]").arg(40 + i);
        c.kept = QStringLiteral("[%1,\"Ada\",\"eu\"]").arg(40 + i);
        c.lost = QStringLiteral("[%1,\"Ada, L.\",\"eu\"]").arg(40 + i);
        c.lostOrigin = QStringLiteral("dc-c");
        c.reason = QStringLiteral("source-wins");
        answer.append(c);
    }
    widget.setFetcher([&](const QString &, const QString &, int) { return QtFuture::makeReadyFuture(answer); });
    widget.setNodes(threeNodes());
    QTRY_COMPARE(widget.conflicts().size(), 4);
    QCOMPARE(widget.visibleRowCount(), 4);
    // Times as dates with their time zone.
    auto *table = widget.findChild<QTableWidget *>(QStringLiteral("conflicts"));
    QVERIFY(table);
    const QDateTime first = QDateTime::fromMSecsSinceEpoch(answer.first().atUs / 1000);
    QCOMPARE(table->item(0, 0)->text(), first.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz ")) + first.timeZoneAbbreviation());
    // The filter keeps the rows that mention the text anywhere.
    widget.setFilterText(QStringLiteral("STOCK"));
    QCOMPARE(widget.visibleRowCount(), 1);
    widget.setFilterText(QStringLiteral("[41]"));
    QCOMPARE(widget.visibleRowCount(), 1);
    widget.setFilterText(QStringLiteral("customers"));
    QCOMPARE(widget.visibleRowCount(), 3);
    // CSV of what is shown: a header, three rows, both versions quoted as RFC 4180 says.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("conflicts.csv"));
    QFuture<int> written = widget.exportCsv(path);
    QTRY_VERIFY(written.isFinished());
    QCOMPARE(written.result(), 3);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QVERIFY2(lines.at(0).startsWith(QStringLiteral("Time,Link,Table,Key,Reason")), qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).contains(QStringLiteral(",customers,customers,[40],source-wins,dc-c,")), qPrintable(lines.at(1)));
    QVERIFY2(lines.at(1).endsWith(QStringLiteral("\"[40,\"\"Ada\"\",\"\"eu\"\"]\",\"[40,\"\"Ada, L.\"\",\"\"eu\"\"]\"")), qPrintable(lines.at(1)));
    QVERIFY(!lines.join(QLatin1Char('\n')).contains(QStringLiteral("stock")));
    // A file that cannot be written: said, nothing else changes.
    QFuture<int> refused = widget.exportCsv(dir.filePath(QStringLiteral("no/such/dir/conflicts.csv")));
    QTRY_VERIFY(refused.isFinished());
    QTRY_VERIFY2(widget.statusText().contains(QStringLiteral("not exported")), qPrintable(widget.statusText()));
    QCOMPARE(widget.visibleRowCount(), 3);
}

void TestWidgets::eventLogTimesCarryTheirTimeZone()
{
    const qint64 at = QDateTime(QDate(2026, 12, 7), QTime(14, 30, 5, 250), QTimeZone::utc()).toMSecsSinceEpoch();
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(at);
    const QString text = EventLogModel::timeText(at);
    QCOMPARE(text, local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz ")) + local.timeZoneAbbreviation());
    QVERIFY(!local.timeZoneAbbreviation().isEmpty());
    // The tooltip: ISO 8601 with the offset, the same instant.
    EventLogModel model(10);
    NodeEvent event;
    event.atMs = at;
    event.node = QStringLiteral("dc-a");
    event.what = QStringLiteral("link created");
    model.addEvents({event});
    const QString iso = model.index(0, EventLogModel::TimeColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(iso.endsWith(QLatin1Char('Z')) || iso.contains(QRegularExpression(QStringLiteral("[+-]\\d\\d:\\d\\d$"))), qPrintable(iso));
    QCOMPARE(QDateTime::fromString(iso, Qt::ISODateWithMs).toMSecsSinceEpoch(), at);
}

void TestWidgets::failoverDialogEnterCancels()
{
    LinkView link = makeLink(A, QStringLiteral("dc-a"), QStringLiteral("orders"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"));
    FailoverDialog dialog(link, threeNodes());
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QPushButton *cancel = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel);
    QVERIFY(ok->isEnabled());   // a failover that can be confirmed...
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(cancel->isDefault());
    QVERIFY(!ok->isDefault());
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    // ... is not confirmed by Enter, wherever the focus is in the dialog.
    QTest::keyClick(&dialog, Qt::Key_Return);
    QCOMPARE(accepted.size(), 0);
    QCOMPARE(rejected.size(), 1);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClick(&dialog, Qt::Key_Enter);
    QCOMPARE(accepted.size(), 0);
    // A click confirms.
    dialog.show();
    QTest::mouseClick(ok, Qt::LeftButton);
    QCOMPARE(accepted.size(), 1);
}

namespace {

QList<LinkView> figuredLinks()
{
    QList<LinkView> links = threeLinks();
    links[0].stats.pending = 17;
    links[0].stats.errors = 2;
    links[0].stats.lastError = QStringLiteral("target refused the batch: disk full");
    links[0].stats.lastErrorAtMs = QDateTime(QDate(2026, 12, 7), QTime(13, 5, 9), QTimeZone::utc()).toMSecsSinceEpoch();
    links[1].stats.lagMs = 250;
    links[1].stats.pending = 4000;
    links[2].stats.lagMs = 0;
    return links;
}

QString cell(QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

} // namespace

void TestWidgets::linkListShowsEveryLinksFigures()
{
    LinkListModel model;
    const QList<LinkView> links = figuredLinks();
    model.setLinks(links);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(LinkListModel::ColumnCount));
    for (const LinkView &link : links) {
        const int row = model.rowOf(link.sourceAddress, link.link.id);
        QVERIFY(row >= 0);
        QCOMPARE(cell(&model, row, LinkListModel::Link), link.link.id);
        QCOMPARE(cell(&model, row, LinkListModel::Source), link.link.sourceNode);
        QCOMPARE(cell(&model, row, LinkListModel::Target), link.link.targetNode);
        QCOMPARE(cell(&model, row, LinkListModel::State), LinkItem::stateLabel(link.stats.state));
        QCOMPARE(cell(&model, row, LinkListModel::Lag), LinkItem::formatLag(link.stats.lagMs));
        QCOMPARE(cell(&model, row, LinkListModel::Pending), QString::number(link.stats.pending));
        QCOMPARE(cell(&model, row, LinkListModel::Errors), QString::number(link.stats.errors));
        QCOMPARE(cell(&model, row, LinkListModel::LastError), link.stats.lastError);
        QCOMPARE(model.index(row, 0).data(LinkListModel::SourceAddressRole).toString(), link.sourceAddress);
        QCOMPARE(model.index(row, 0).data(LinkListModel::LinkIdRole).toString(), link.link.id);
    }
    const int orders = model.rowOf(A, QStringLiteral("orders"));
    QCOMPARE(cell(&model, orders, LinkListModel::RowsPerSecond), QStringLiteral("340"));
    QCOMPARE(cell(&model, orders, LinkListModel::Table), QStringLiteral("orders"));
    // The time of the last error carries its time zone.
    const QString at = cell(&model, orders, LinkListModel::LastErrorAt);
    const QDateTime local = QDateTime(QDate(2026, 12, 7), QTime(13, 5, 9), QTimeZone::utc()).toLocalTime();
    QVERIFY2(at.startsWith(local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))), qPrintable(at));
    QVERIFY2(at.size() > 19, qPrintable(at));
    QVERIFY(cell(&model, model.rowOf(B, QStringLiteral("customers")), LinkListModel::LastErrorAt).isEmpty());
    // A state this console has no word for is shown as the node says it.
    QList<LinkView> other = links;
    other[2].stats.state = QStringLiteral("rebalancing");
    model.setLinks(other);
    QCOMPARE(cell(&model, model.rowOf(C, QStringLiteral("audit")), LinkListModel::State), QStringLiteral("rebalancing"));
}

void TestWidgets::linkListUpdatesInPlace()
{
    LinkListModel model;
    QList<LinkView> links = figuredLinks();
    model.setLinks(links);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    const QPersistentModelIndex audit = model.index(model.rowOf(C, QStringLiteral("audit")), 0);

    // The same figures: nothing.
    model.setLinks(links);
    QCOMPARE(changed.size(), 0);
    // One link's lag changes: that row only.
    links[1].stats.lagMs = 900;
    model.setLinks(links);
    QCOMPARE(changed.size(), 1);
    const int customers = model.rowOf(B, QStringLiteral("customers"));
    QCOMPARE(changed.last().at(0).toModelIndex().row(), customers);
    QCOMPARE(changed.last().at(1).toModelIndex().row(), customers);
    QCOMPARE(cell(&model, customers, LinkListModel::Lag), LinkItem::formatLag(900));
    // In another order (the session's hash): no change at all.
    QList<LinkView> shuffled{links[2], links[0], links[1]};
    model.setLinks(shuffled);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowOf(B, QStringLiteral("customers")), customers);
    // A link goes: one row removed; one comes: one row inserted.
    model.setLinks({links[0], links[2]});
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(B, QStringLiteral("customers")), -1);
    LinkView fresh = makeLink(C, QStringLiteral("dc-c"), QStringLiteral("stock"), QStringLiteral("10.0.0.2"), 7451, QStringLiteral("dc-b"));
    model.setLinks({links[0], links[2], fresh});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(&model, model.rowOf(C, QStringLiteral("stock")), LinkListModel::Link), QStringLiteral("stock"));
    // The same link id from another source is another link.
    LinkView twin = makeLink(B, QStringLiteral("dc-b"), QStringLiteral("stock"), QStringLiteral("10.0.0.1"), 7450, QStringLiteral("dc-a"));
    model.setLinks({links[0], links[2], fresh, twin});
    QCOMPARE(model.rowCount(), 4);
    QVERIFY(model.rowOf(B, QStringLiteral("stock")) != model.rowOf(C, QStringLiteral("stock")));
    // Never a reset, and an index kept by a view still points at its link.
    QCOMPARE(reset.size(), 0);
    QVERIFY(audit.isValid());
    QCOMPARE(audit.data().toString(), QStringLiteral("audit"));
}

void TestWidgets::linkListSortsAndSelectsByKeyboard()
{
    LinkListWidget list;
    list.resize(900, 300);
    list.show();
    QVERIFY(QTest::qWaitForWindowExposed(&list));
    QList<LinkView> links = figuredLinks();
    list.setLinks(links);
    QSortFilterProxyModel *proxy = list.proxy();
    // Sorted by lag, as numbers (250 ms above 12 ms, 0 ms first).
    list.view()->sortByColumn(LinkListModel::Lag, Qt::AscendingOrder);
    QCOMPARE(cell(proxy, 0, LinkListModel::Link), QStringLiteral("audit"));
    QCOMPARE(cell(proxy, 1, LinkListModel::Link), QStringLiteral("orders"));
    QCOMPARE(cell(proxy, 2, LinkListModel::Link), QStringLiteral("customers"));
    list.view()->sortByColumn(LinkListModel::Pending, Qt::DescendingOrder);
    QCOMPARE(cell(proxy, 0, LinkListModel::Link), QStringLiteral("customers"));

    // Keyboard: the arrows move the selection, which is reported by identity.
    list.selectLink(B, QStringLiteral("customers"));
    list.view()->setFocus();
    QTRY_VERIFY(list.view()->hasFocus());
    QSignalSpy selected(&list, &LinkListWidget::linkSelected);
    list.selectLink(B, QStringLiteral("customers"));
    QCOMPARE(selected.size(), 0);   // selected from outside: no echo
    QTest::keyClick(list.view(), Qt::Key_Down);
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.last().at(0).toString(), A);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("orders"));
    // A refresh that changes the order keeps the selection on the same link and says nothing.
    links[0].stats.pending = 100000;
    list.setLinks(links);
    QCOMPARE(selected.size(), 1);
    const QModelIndex current = list.view()->selectionModel()->currentIndex();
    QCOMPARE(current.data(LinkListModel::LinkIdRole).toString(), QStringLiteral("orders"));
    QCOMPARE(current.row(), 0);
    QVERIFY(list.view()->selectionModel()->isRowSelected(0, QModelIndex()));
    QTest::keyClick(list.view(), Qt::Key_Down);
    QCOMPARE(selected.last().at(1).toString(), QStringLiteral("customers"));
    // The filter.
    auto *filter = list.findChild<QLineEdit *>(QStringLiteral("linkFilter"));
    QVERIFY(filter);
    QTest::keyClicks(filter, QStringLiteral("dc-c"));
    QCOMPARE(proxy->rowCount(), 2);   // customers (to dc-c) and audit (from dc-c)
}

namespace {

QChar mnemonicOf(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == QLatin1Char('&')) {
            if (text.at(i + 1) == QLatin1Char('&')) {
                ++i;
                continue;
            }
            return text.at(i + 1).toLower();
        }
    }
    return QChar();
}

} // namespace

void TestWidgets::tableBreakdownPicksAndKeepsATable()
{
    // A database link's tables: the first is picked (its blocks shown), a click picks
    // another, and a refresh with new figures and a new table keeps the one picked.
    TableBreakdownWidget widget;
    QSignalSpy picked(&widget, &TableBreakdownWidget::tableSelected);
    auto stats = [](const QString &id, const QString &state, qint64 pending, const QString &error = QString()) {
        LinkStats s;
        s.id = id;
        s.state = state;
        s.pending = pending;
        s.blocks = 8;
        s.blocksVerified = 8;
        s.lastError = error;
        s.lastErrorAtMs = error.isEmpty() ? 0 : QDateTime::currentMSecsSinceEpoch();
        return s;
    };
    widget.setTables(QStringLiteral("shop"), {{QStringLiteral("customers"), stats(QStringLiteral("shop.customers"), QStringLiteral("streaming"), 0)},
                                              {QStringLiteral("orders"), stats(QStringLiteral("shop.orders"), QStringLiteral("error"), 42,
                                                                               QStringLiteral("schema changed: column note dropped"))}});
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QCOMPARE(picked.count(), 1);
    QCOMPARE(picked.at(0).at(0).toString(), QStringLiteral("customers"));
    QCOMPARE(widget.currentTable(), QStringLiteral("customers"));
    QTableWidget *view = widget.view();
    QCOMPARE(view->rowCount(), 2);
    QCOMPARE(view->item(1, 0)->text(), QStringLiteral("orders"));
    QCOMPARE(view->item(1, 2)->text(), QLocale().toString(42));
    QVERIFY(view->item(1, 8)->text().contains(QLatin1String("schema changed")));
    QCOMPARE(view->item(0, 6)->text(), QStringLiteral("8 of 8"));
    // Keyboard: Down picks the next table.
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Down);
    QCOMPARE(picked.count(), 2);
    QCOMPARE(picked.at(1).at(0).toString(), QStringLiteral("orders"));
    // A refresh (a table created since, other figures) keeps "orders" picked and says nothing.
    widget.setTables(QStringLiteral("shop"), {{QStringLiteral("audit"), stats(QStringLiteral("shop.audit"), QStringLiteral("syncing"), 5)},
                                              {QStringLiteral("customers"), stats(QStringLiteral("shop.customers"), QStringLiteral("streaming"), 0)},
                                              {QStringLiteral("orders"), stats(QStringLiteral("shop.orders"), QStringLiteral("streaming"), 0)}});
    QCOMPARE(picked.count(), 2);
    QCOMPARE(widget.currentTable(), QStringLiteral("orders"));
    QCOMPARE(view->currentRow(), 2);
    QVERIFY(view->item(2, 8)->text().isEmpty());
    // Another database link: its first table.
    widget.setTables(QStringLiteral("crm"), {{QStringLiteral("leads"), stats(QStringLiteral("crm.leads"), QStringLiteral("streaming"), 0)}});
    QCOMPARE(picked.count(), 3);
    QCOMPARE(widget.currentTable(), QStringLiteral("leads"));
}

void TestWidgets::mainWindowMnemonicsDoNotCollide()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // In the window: menu bar titles, tabs, labels with a buddy, buttons, group boxes.
    QHash<QChar, QStringList> used;
    for (QAction *action : window.menuBar()->actions())
        used[mnemonicOf(action->text())] << QStringLiteral("menu ") + action->text();
    for (QTabWidget *tabs : window.findChildren<QTabWidget *>()) {
        for (int i = 0; i < tabs->count(); ++i)
            used[mnemonicOf(tabs->tabText(i))] << QStringLiteral("tab ") + tabs->tabText(i);
    }
    for (QLabel *label : window.findChildren<QLabel *>()) {
        if (label->buddy())
            used[mnemonicOf(label->text())] << QStringLiteral("label ") + label->text();
    }
    for (QAbstractButton *button : window.findChildren<QAbstractButton *>())
        used[mnemonicOf(button->text())] << QStringLiteral("button ") + button->text();
    for (QGroupBox *box : window.findChildren<QGroupBox *>())
        used[mnemonicOf(box->title())] << QStringLiteral("group ") + box->title();
    used.remove(QChar());
    QStringList collisions;
    for (auto it = used.begin(); it != used.end(); ++it) {
        if (it->size() > 1)
            collisions << QStringLiteral("%1: %2").arg(it.key(), it->join(QStringLiteral(", ")));
    }
    QVERIFY2(collisions.isEmpty(), qPrintable(collisions.join(QLatin1Char('\n'))));
    // In each menu, among its items.
    QVERIFY(used.size() >= 8);
    for (QAction *title : window.menuBar()->actions()) {
        QHash<QChar, QStringList> items;
        for (QAction *action : title->menu()->actions()) {
            if (!action->isSeparator())
                items[mnemonicOf(action->text())] << action->text();
        }
        items.remove(QChar());
        for (auto it = items.begin(); it != items.end(); ++it)
            QVERIFY2(it->size() == 1, qPrintable(title->text() + QStringLiteral(": ") + it->join(QStringLiteral(", "))));
    }
}

void TestWidgets::mainWindowTabReachesTopologyAndLinkList()
{
    MainWindow window;
    window.resize(1024, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *topology = window.findChild<TopologyView *>();
    auto *list = window.findChild<QTableView *>(QStringLiteral("linkList"));
    QVERIFY(topology && list);
    QVERIFY(list->isVisible());   // the Links dock is shown on a first start
    topology->setFocus();
    QTRY_VERIFY(topology->hasFocus());
    bool reachedList = false;
    bool backToTopology = false;
    for (int i = 0; i < 40 && !(reachedList && backToTopology); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        reachedList = reachedList || list->hasFocus();
        backToTopology = reachedList && topology->hasFocus();
    }
    QVERIFY2(reachedList, "Tab never reached the link list");
    QVERIFY2(backToTopology, "Tab never came back to the topology");
    // View > Links (Ctrl+L) hides and shows the list.
    QAction *links = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_L))
            links = action;
    }
    QVERIFY(links);
    links->trigger();
    QVERIFY(!list->isVisible());
    links->trigger();
    QVERIFY(list->isVisible());
}

void TestWidgets::mainWindowHasAQuickGuide()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QAction *guide = window.findChild<QAction *>(QStringLiteral("quickGuide"));
    QVERIFY(guide);
    QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents));
    QString text;
    QTimer::singleShot(0, &window, [&] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        text = box->text();
        box->accept();
    });
    guide->trigger();
    QVERIFY2(text.contains(QStringLiteral("Tab")) && text.contains(QStringLiteral("Enter never fails over")), qPrintable(text));
}

void TestWidgets::mainWindowBadgesNewConflicts()
{
    // The window on a session that is never started: its signals, emitted here, are the
    // refreshes.
    ConsoleSession session{QSslConfiguration()};
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.attach(&session, nullptr);
    auto *tabs = window.findChild<QTabWidget *>();
    QVERIFY(tabs);
    const int conflictsTab = 2;
    QCOMPARE(tabs->tabText(conflictsTab), QStringLiteral("C&onflicts"));
    QList<LinkView> links = threeLinks();
    links[1].stats.conflicts = 5;   // recorded before the console started: not new
    emit session.nodesChanged(threeNodes());
    emit session.linksChanged(links);
    QCOMPARE(window.newConflicts(), 0);
    QCOMPARE(tabs->tabText(conflictsTab), QStringLiteral("C&onflicts"));
    links[1].stats.conflicts = 8;
    links[0].stats.conflicts = 1;
    emit session.linksChanged(links);
    QCOMPARE(window.newConflicts(), 4);
    QCOMPARE(tabs->tabText(conflictsTab), QStringLiteral("C&onflicts (4 new)"));
    // Looked at: seen.
    tabs->setCurrentIndex(conflictsTab);
    QCOMPARE(window.newConflicts(), 0);
    QCOMPARE(tabs->tabText(conflictsTab), QStringLiteral("C&onflicts"));
    // While the tab is shown, new ones are seen at once.
    links[0].stats.conflicts = 3;
    emit session.linksChanged(links);
    QCOMPARE(tabs->tabText(conflictsTab), QStringLiteral("C&onflicts"));
    tabs->setCurrentIndex(0);
    links[0].stats.conflicts = 4;
    emit session.linksChanged(links);
    QCOMPARE(tabs->tabText(conflictsTab), QStringLiteral("C&onflicts (1 new)"));
    window.detach();
}

void TestWidgets::chartsKeepEveryLinksHistory()
{
    LinkChartsWidget charts;
    charts.resize(700, 500);
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const qint64 t0 = 1700000000000;
    const QString orders = QStringLiteral("a/orders");
    const QString customers = QStringLiteral("b/customers");
    LinkStats stats;
    // Samples of both links from the start, whichever is shown.
    charts.showLink(customers);
    for (int i = 0; i < 100; ++i) {
        stats.rowsPerSecond = 1000 + i;
        charts.addSample(orders, t0 + i * 250, stats);
        stats.rowsPerSecond = 7;
        if (i % 2 == 0)
            charts.addSample(customers, t0 + i * 250, stats);
    }
    QCOMPARE(charts.pointCount(orders), 100);
    QCOMPARE(charts.pointCount(customers), 50);
    QCOMPARE(charts.pointCount(), 50);
    // Selecting orders shows its whole history at once, and back again.
    charts.showLink(orders);
    QCOMPARE(charts.pointCount(), 100);
    QCOMPARE(charts.throughputPlot()->graph(0)->data()->at(0)->value, 1000.0);
    QCOMPARE(charts.throughputPlot()->graph(0)->data()->at(99)->value, 1099.0);
    charts.showLink(customers);
    charts.showLink(orders);
    QCOMPARE(charts.pointCount(), 100);
    QTRY_VERIFY(qAbs(charts.throughputPlot()->xAxis->range().upper - (t0 + 99 * 250) / 1000.0) < 0.01);
    // Samples of the link shown land in its history.
    charts.addSample(orders, t0 + 100 * 250, stats);
    QCOMPARE(charts.pointCount(), 101);
    QCOMPARE(charts.pointCount(customers), 50);
}

void TestWidgets::chartsVerificationRateIsTrue()
{
    // A round of 500 blocks over 4 s is 125 blocks a second, however close together its
    // samples arrive (the round's last progress and the stats a millisecond apart).
    LinkChartsWidget charts;
    const qint64 t0 = 1700000000000;
    const QString link = QStringLiteral("a/orders");
    charts.showLink(link);
    LinkStats stats;
    const QList<QPair<qint64, int>> samples = {{0, 0}, {1000, 100}, {1001, 120}, {2000, 250}, {3000, 380}, {3999, 499}, {4000, 500}, {4001, 500}, {5000, 500}};
    for (const auto &[at, verified] : samples) {
        stats.blocksVerified = verified;
        charts.addSample(link, t0 + at, stats);
    }
    const QSharedPointer<QCPGraphDataContainer> data = charts.blocksPlot()->graph(0)->data();
    double highest = 0;
    for (auto it = data->constBegin(); it != data->constEnd(); ++it)
        highest = std::max(highest, it->value);
    QVERIFY2(highest <= 150, qPrintable(QStringLiteral("%1 blocks a second").arg(highest)));
    QVERIFY(highest >= 100);
    // A new round starts its count again: no negative rate, no spike.
    stats.blocksVerified = 3;
    charts.addSample(link, t0 + 5001, stats);
    QVERIFY(data->at(data->size() - 1)->value >= 0 && data->at(data->size() - 1)->value <= 150);
}

void TestWidgets::chartsZoomPanAndHover()
{
    LinkChartsWidget charts;
    charts.resize(700, 500);
    charts.show();
    QVERIFY(QTest::qWaitForWindowExposed(&charts));
    const qint64 t0 = 1700000000000;
    LinkStats stats;
    charts.showLink(QStringLiteral("x"));
    for (int i = 0; i < 600; ++i) {
        stats.rowsPerSecond = i;
        stats.lagMs = 2 * i;
        stats.pending = 3 * i;
        charts.addSample(QStringLiteral("x"), t0 + i * 1000, stats);
    }
    charts.setWindowSeconds(600);
    QCustomPlot *plot = charts.throughputPlot();
    QVERIFY(plot->interactions().testFlag(QCP::iRangeZoom));
    QVERIFY(plot->interactions().testFlag(QCP::iRangeDrag));
    QCOMPARE(plot->axisRect()->rangeZoom(), Qt::Horizontal);
    QCOMPARE(plot->axisRect()->rangeDrag(), Qt::Horizontal);
    QTRY_VERIFY(qAbs(plot->xAxis->range().size() - 600) < 0.5);
    QVERIFY(charts.isFollowing());
    // The wheel zooms the time axis of every plot; the axis stops following.
    const QPoint centre = plot->axisRect()->rect().center();
    QWheelEvent wheel(QPointF(centre), plot->mapToGlobal(QPointF(centre)), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(plot, &wheel);
    QVERIFY(!charts.isFollowing());
    const double zoomed = plot->xAxis->range().size();
    QVERIFY2(zoomed < 500, qPrintable(QString::number(zoomed)));
    QTRY_VERIFY(qAbs(charts.lagPlot()->xAxis->range().size() - zoomed) < 0.01);
    // New samples do not move it back.
    charts.addSample(QStringLiteral("x"), t0 + 600 * 1000, stats);
    QTest::qWait(300);
    QVERIFY(qAbs(plot->xAxis->range().size() - zoomed) < 0.01);
    // A drag pans it.
    const double lower = plot->xAxis->range().lower;
    QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, centre);
    QMouseEvent move(QEvent::MouseMove, QPointF(centre + QPoint(100, 0)), plot->mapToGlobal(QPointF(centre + QPoint(100, 0))), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(plot, &move);
    QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, centre + QPoint(100, 0));
    QVERIFY2(plot->xAxis->range().lower < lower - 1, qPrintable(QStringLiteral("%1 -> %2").arg(lower).arg(plot->xAxis->range().lower)));
    // A double-click follows the present again.
    QTest::mouseDClick(plot, Qt::LeftButton, Qt::NoModifier, centre);
    QVERIFY(charts.isFollowing());
    QTRY_VERIFY(qAbs(plot->xAxis->range().size() - 600) < 0.5);
    // Hover: the values of the nearest sample, with its time and time zone.
    const QString values = charts.valuesAt(charts.lagPlot(), (t0 + 100 * 1000 + 300) / 1000.0);
    QVERIFY2(values.contains(QStringLiteral("lag (ms): 200")), qPrintable(values));
    QVERIFY2(values.contains(QStringLiteral("changes pending: 300")), qPrintable(values));
    QVERIFY2(values.startsWith(QDateTime::fromMSecsSinceEpoch(t0 + 100 * 1000).toString(QStringLiteral("HH:mm:ss"))), qPrintable(values));
}

} // namespace ferry

QTEST_MAIN(ferry::TestWidgets)
#include "tst_widgets.moc"
