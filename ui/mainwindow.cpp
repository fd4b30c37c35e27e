#include "mainwindow.h"

#include "adddatacenterdialog.h"
#include "blockmapwidget.h"
#include "blockrowswidget.h"
#include "conflictswidget.h"
#include "demo/demodeployment.h"
#include "eventlogdock.h"
#include "failoverdialog.h"
#include "linkchartswidget.h"
#include "linkdialog.h"
#include "linklistwidget.h"
#include "security/accesspolicy.h"
#include "tablebreakdownwidget.h"
#include "topologyview.h"
#include "util/whenfinished.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace ferry {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Ferry console"));
    m_topology = new TopologyView(this);
    m_tabs = new QTabWidget(this);

    auto *blocksPage = new QWidget(this);
    auto *blocksLayout = new QVBoxLayout(blocksPage);
    m_blockTitle = new QLabel(tr("Select a link to see its blocks."), blocksPage);
    m_blockTitle->setWordWrap(true);
    m_blockMap = new BlockMapWidget(blocksPage);
    m_blockRows = new BlockRowsWidget(blocksPage);
    m_tableBreakdown = new TableBreakdownWidget(blocksPage);
    m_tableBreakdown->hide();   // shown for a database link
    connect(m_tableBreakdown, &TableBreakdownWidget::tableSelected, this, [this](const QString &table) {
        if (const std::optional<LinkView> link = selectedLink(); link && link->link.isDatabaseLink())
            showBlocksOf(link->link.memberFor(table).id);
    });
    auto *blocksSplitter = new QSplitter(Qt::Vertical, blocksPage);
    blocksSplitter->addWidget(m_tableBreakdown);
    blocksSplitter->addWidget(m_blockMap);
    blocksSplitter->addWidget(m_blockRows);
    blocksSplitter->setStretchFactor(0, 2);
    blocksSplitter->setStretchFactor(1, 3);
    blocksSplitter->setStretchFactor(2, 2);
    blocksSplitter->setChildrenCollapsible(false);
    blocksLayout->addWidget(m_blockTitle);
    blocksLayout->addWidget(blocksSplitter, 1);
    connect(m_blockMap, &BlockMapWidget::blockClicked, this, &MainWindow::showBlockRows);
    connect(m_blockRows, &BlockRowsWidget::repairRequested, this, [this] { verifyLink(m_selectedSource, m_selectedLink, true); });
    m_tabs->addTab(blocksPage, tr("&Blocks"));
    m_charts = new LinkChartsWidget(this);
    m_tabs->addTab(m_charts, tr("&Charts"));
    m_conflicts = new ConflictsWidget(this);
    m_tabs->addTab(m_conflicts, tr("C&onflicts"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateConflictsBadge);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_topology);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);

    m_eventLog = new EventLogDock(this);
    m_eventLog->setObjectName(QStringLiteral("eventLog"));
    addDockWidget(Qt::BottomDockWidgetArea, m_eventLog);

    m_linkList = new LinkListWidget(this);
    m_linkDock = new QDockWidget(tr("Links"), this);
    m_linkDock->setObjectName(QStringLiteral("linkListDock"));
    m_linkDock->setWidget(m_linkList);
    addDockWidget(Qt::BottomDockWidgetArea, m_linkDock);
    tabifyDockWidget(m_eventLog, m_linkDock);
    m_linkDock->raise();

    m_status = new QLabel(tr("Not connected"), this);
    statusBar()->addPermanentWidget(m_status, 1);
    createActions();

    connect(m_topology, &TopologyView::linkRequested, this, &MainWindow::newLink);
    connect(m_topology, &TopologyView::linkSelected, this, &MainWindow::selectLink);
    connect(m_linkList, &LinkListWidget::linkSelected, this, &MainWindow::selectLink);
    // The requests carry a copy of the link; only its identity is passed on.
    connect(m_topology, &TopologyView::pauseRequested, this, [this](const LinkView &link) { pauseLink(link.sourceAddress, link.link.id, true); });
    connect(m_topology, &TopologyView::resumeRequested, this, [this](const LinkView &link) { pauseLink(link.sourceAddress, link.link.id, false); });
    connect(m_topology, &TopologyView::verifyRequested, this, [this](const LinkView &link) { verifyLink(link.sourceAddress, link.link.id, false); });
    connect(m_topology, &TopologyView::failoverRequested, this, [this](const LinkView &link) { failOver(link.sourceAddress, link.link.id, false); });
    connect(m_topology, &TopologyView::removeRequested, this, [this](const LinkView &link) { removeLink(link.sourceAddress, link.link.id); });
    connect(m_topology, &TopologyView::positionsChanged, this, [this] {
        QSettings settings;
        settings.beginGroup(QStringLiteral("topology"));
        const QHash<QString, QPointF> positions = m_topology->positions();
        for (auto it = positions.begin(); it != positions.end(); ++it)
            settings.setValue(it.key(), it.value());
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) {
        resize(1400, 860);
        resizeDocks({m_eventLog, m_linkDock}, {200, 200}, Qt::Vertical);
    }
    settings.beginGroup(QStringLiteral("topology"));
    QHash<QString, QPointF> positions;
    for (const QString &key : settings.childKeys())
        positions.insert(key, settings.value(key).toPointF());
    m_topology->setPositions(positions);
    updateActions();
}

MainWindow::~MainWindow()
{
    detach();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *addDc = file->addAction(QIcon(QStringLiteral(":/icons/datacenter.svg")), tr("&Add data center..."), this, &MainWindow::addDataCenter);
    addDc->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    file->addSeparator();
    file->addAction(tr("&Open topology..."), QKeySequence::Open, this, &MainWindow::openTopology);
    file->addAction(tr("&Save topology..."), QKeySequence::Save, this, &MainWindow::saveTopology);
    file->addSeparator();
    file->addAction(tr("&Language..."), this, &MainWindow::chooseLanguage);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *link = menuBar()->addMenu(tr("&Link"));
    m_newLink = link->addAction(QIcon(QStringLiteral(":/icons/link-new.svg")), tr("&New link..."), this, [this] { newLink(QString(), QString()); });
    m_newLink->setShortcut(QKeySequence::New);
    m_pause = link->addAction(QIcon(QStringLiteral(":/icons/pause.svg")), tr("&Pause"), this, [this] { pauseLink(m_selectedSource, m_selectedLink, true); });
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_resume = link->addAction(QIcon(QStringLiteral(":/icons/resume.svg")), tr("&Resume"), this, [this] { pauseLink(m_selectedSource, m_selectedLink, false); });
    m_resume->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_verify = link->addAction(QIcon(QStringLiteral(":/icons/verify.svg")), tr("&Verify (read-only)"), this, [this] { verifyLink(m_selectedSource, m_selectedLink, false); });
    // The toolbar's shorter name (the menu and the tooltip say read-only): at 1024 pixels the
    // toolbar has room for every action and the workload.
    m_verify->setIconText(tr("Verify"));
    m_verify->setShortcut(QKeySequence(Qt::Key_F5));
    m_verify->setToolTip(tr("Compare every block of the link's table on both sides and list the keys that differ; changes nothing (F5)"));
    m_verify->setProperty("ferryToolTip", m_verify->toolTip());   // kept when updateActions() sets a refusal
    m_repair = link->addAction(tr("Repa&ir"), this, [this] { verifyLink(m_selectedSource, m_selectedLink, true); });
    m_repair->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_repair->setToolTip(tr("Verify every block and make the target's rows equal to the source's (Shift+F5)"));
    link->addSeparator();
    m_failover = link->addAction(QIcon(QStringLiteral(":/icons/failover.svg")), tr("&Fail over..."), this, [this] { failOver(m_selectedSource, m_selectedLink, false); });
    m_failover->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    m_failback = link->addAction(tr("Fail &back..."), this, [this] { failOver(m_selectedSource, m_selectedLink, true); });
    link->addSeparator();
    m_remove = link->addAction(QIcon(QStringLiteral(":/icons/remove.svg")), tr("Re&move"), this, [this] { removeLink(m_selectedSource, m_selectedLink); });
    m_remove->setShortcut(QKeySequence::Delete);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, m_topology, &TopologyView::zoomIn);
    view->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, m_topology, &TopologyView::zoomOut);
    view->addAction(tr("&Fit"), QKeySequence(Qt::CTRL | Qt::Key_0), m_topology, &TopologyView::fitToView);
    view->addSeparator();
    QAction *links = m_linkDock->toggleViewAction();
    links->setText(tr("&Links"));
    links->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    view->addAction(links);
    QAction *events = m_eventLog->toggleViewAction();
    events->setText(tr("&Events"));
    view->addAction(events);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *guide = help->addAction(tr("&Quick guide"), this, &MainWindow::showGuide);
    guide->setObjectName(QStringLiteral("quickGuide"));
    guide->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Ferry"), this, [this] {
        QMessageBox::about(this, tr("About Ferry"),
                           tr("<b>Ferry %1</b><br>Replicates database tables between data centers: block verification, "
                              "change feed, failover.").arg(QApplication::applicationVersion()));
    });

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(addDc);
    tools->addAction(m_newLink);
    tools->addSeparator();
    tools->addAction(m_pause);
    tools->addAction(m_resume);
    tools->addAction(m_verify);
    tools->addAction(m_repair);
    tools->addAction(m_failover);
    tools->addAction(m_remove);
}

void MainWindow::showBusy(const QString &text)
{
    m_status->setText(text);
}

void MainWindow::showDemoProgress(qint64 done, qint64 total, const QString &error)
{
    if (!m_demoProgress) {
        m_demoProgressText = new QLabel(this);
        m_demoProgressText->setObjectName(QStringLiteral("demoProgressText"));
        m_demoProgress = new QProgressBar(this);
        m_demoProgress->setObjectName(QStringLiteral("demoProgress"));
        m_demoProgress->setMaximumWidth(160);
        m_demoProgress->setRange(0, 1000);
        statusBar()->addPermanentWidget(m_demoProgressText);
        statusBar()->addPermanentWidget(m_demoProgress);
    }
    if (!error.isEmpty()) {
        m_demoProgress->hide();
        m_demoProgressText->setText(tr("The demo's large table could not be written: %1").arg(error));
        return;
    }
    if (total <= 0 || done >= total) {
        m_demoProgress->hide();
        m_demoProgressText->hide();
        statusBar()->showMessage(tr("The demo's shipments table is ready: %L1 rows; drag Shanghai to Virginia to replicate it").arg(total), 15000);
        return;
    }
    m_demoProgressText->setText(tr("Writing the demo's shipments table: %L1 of %L2 rows").arg(done).arg(total));
    m_demoProgress->setValue(int(done * 1000 / total));
    m_demoProgressText->show();
    m_demoProgress->show();
}

void MainWindow::attach(ConsoleSession *session, DemoDeployment *demo)
{
    m_session = session;
    m_demo = demo;
    setRole(session->role());
    connect(session, &ConsoleSession::nodesChanged, this, [this](const QList<NodeView> &nodes) { updateModel(nodes, m_links); });
    connect(session, &ConsoleSession::linksChanged, this, [this](const QList<LinkView> &links) { updateModel(m_nodes, links); });
    connect(session, &ConsoleSession::eventsReceived, m_eventLog, &EventLogDock::addEvents);
    connect(session, &ConsoleSession::blocksUpdated, this,
            [this](const QString &linkId, const VerificationProgress &progress, const QString &sourceAddress) {
                BlockCache &cache = m_blockCache[blockCacheKey(sourceAddress, linkId)];
                // A report with fewer planned blocks than known starts a new round.
                const bool newRound = progress.blocksPlanned < cache.planned;
                if (newRound)
                    cache = BlockCache();
                cache.planned = progress.blocksPlanned;
                for (const auto &[index, block] : progress.changedBlocks)
                    cache.blocks.insert(index, block);
                if (linkId != m_blockLink || sourceAddress != m_selectedSource)
                    return;
                if (newRound)
                    m_blockMap->clear();
                m_blockMap->applyProgress(progress);
            });
    m_conflicts->setSession(session);
    if (demo) {
        // The demo's data centers where the demo puts them, unless the operator moved them.
        QHash<QString, QPointF> positions = m_topology->positions();
        bool added = false;
        for (const DemoDeployment::Site &site : demo->sites()) {
            if (!positions.contains(site.name)) {
                positions.insert(site.name, site.position);
                added = true;
            }
        }
        if (added)
            m_topology->setPositions(positions);

        auto *label = new QLabel(tr("Wor&kload:"), this);
        m_rate = new QSpinBox(this);
        m_rate->setRange(0, 5000);
        m_rate->setSuffix(tr(" writes/s"));
        m_rate->setValue(int(demo->workloadRate()));
        m_rate->setToolTip(tr("Writes per second to Shanghai's orders table"));
        label->setBuddy(m_rate);
        QToolBar *demoBar = addToolBar(tr("Demo"));
        demoBar->setObjectName(QStringLiteral("demoToolBar"));
        demoBar->addWidget(label);
        demoBar->addWidget(m_rate);
        connect(m_rate, &QSpinBox::valueChanged, this, [this](int rate) {
            if (m_demo)
                m_demo->setWorkloadRate(rate);
        });
    }
    m_status->setText(tr("Connecting..."));
}

void MainWindow::detach()
{
    if (m_session)
        m_session->disconnect(this);
    m_session = nullptr;
    m_demo = nullptr;
}

void MainWindow::startDemo(double writesPerSecond)
{
    if (!m_demo)
        return;
    m_demo->startWorkload(writesPerSecond);
    if (m_rate)
        m_rate->setValue(int(writesPerSecond));
}

void MainWindow::ensureDemoLinks()
{
    // On the demo's first start: one continuous link, Shanghai's orders to Frankfurt.
    if (!m_demo || m_demoLinksChecked || !m_session)
        return;
    const QStringList addresses = m_demo->nodeAddresses();
    int connected = 0;
    for (const NodeView &node : m_nodes)
        connected += node.connected && addresses.contains(node.address);
    if (connected < addresses.size())
        return;
    m_demoLinksChecked = true;
    const QString shanghai = addresses.at(0);
    whenFinished(
        this, m_session->request(shanghai, protocol::Type::LinkList, {}),
        [this, shanghai, addresses](const QCborMap &reply) {
            if (!m_session || !reply.value(QStringLiteral("links")).toArray().isEmpty())
                return;
            const QString frankfurt = addresses.at(1);
            const qsizetype colon = frankfurt.lastIndexOf(QLatin1Char(':'));
            const QCborMap settings{{QStringLiteral("id"), QStringLiteral("orders-sha-fra")},
                                    {QStringLiteral("source_db"), QStringLiteral("main")},
                                    {QStringLiteral("source_table"), QStringLiteral("orders")},
                                    {QStringLiteral("target_host"), frankfurt.left(colon)},
                                    {QStringLiteral("target_port"), frankfurt.mid(colon + 1).toInt()},
                                    {QStringLiteral("target_db"), QStringLiteral("main")},
                                    {QStringLiteral("target_table"), QStringLiteral("orders")},
                                    {QStringLiteral("mode"), QStringLiteral("continuous")},
                                    {QStringLiteral("block_rows"), 200}};
            whenFinished(this, m_session->createLink(shanghai, settings), [](const QCborMap &) {},
                         [this](const std::exception &error) { report(tr("Creating the demo link"), errorMessage(error)); });
        },
        [this](const std::exception &error) { report(tr("Reading Shanghai's links"), errorMessage(error)); });
}

void MainWindow::updateModel(const QList<NodeView> &nodes, const QList<LinkView> &links)
{
    m_nodes = nodes;
    m_links = links;
    m_topology->setModel(nodes, links);
    m_linkList->setLinks(links);
    m_conflicts->setNodes(nodes);
    m_conflictsTotal = 0;
    for (const LinkView &link : links)
        m_conflictsTotal += link.stats.conflicts;
    if (m_conflictsSeen < 0 && !links.isEmpty())
        m_conflictsSeen = m_conflictsTotal;   // what was there when the console started is not new
    m_conflictsSeen = std::min(m_conflictsSeen, m_conflictsTotal);   // a link removed takes its conflicts along
    updateConflictsBadge();
    int connected = 0;
    double rows = 0;
    double worstLag = 0;
    for (const NodeView &node : nodes)
        connected += node.connected;
    // Every link's history from the console's start, not only the selected one's.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const LinkView &link : links) {
        rows += link.stats.rowsPerSecond;
        worstLag = std::max(worstLag, link.stats.lagMs);
        m_charts->addSample(blockCacheKey(link.sourceAddress, link.link.id), now, link.stats);
    }
    m_status->setText(tr("%1 of %2 data centers connected  |  %3 links  |  %4 rows/s  |  worst lag %5 ms")
                          .arg(connected)
                          .arg(nodes.size())
                          .arg(links.size())
                          .arg(rows, 0, 'f', 0)
                          .arg(worstLag, 0, 'f', 1));
    if (const std::optional<LinkView> selected = selectedLink(); selected && selected->link.isDatabaseLink())
        m_tableBreakdown->setTables(selected->link.id, selected->tables);
    // Something to look at: the first link, until the operator picks one.
    if (m_selectedLink.isEmpty() && !links.isEmpty())
        selectLink(links.first().sourceAddress, links.first().link.id);
    if (m_verifyWhenReady && !links.isEmpty() && links.first().stats.state == QLatin1String("streaming")) {
        m_verifyWhenReady = false;
        verifyLink(links.first().sourceAddress, links.first().link.id, m_verifyWhenReadyRepairs);
    }
    ensureDemoLinks();
    updateActions();
}

std::optional<LinkView> MainWindow::findLink(const QString &sourceAddress, const QString &linkId) const
{
    if (linkId.isEmpty())
        return std::nullopt;
    for (const LinkView &link : m_links) {
        if (link.sourceAddress == sourceAddress && link.link.id == linkId)
            return link;
    }
    return std::nullopt;
}

void MainWindow::reportLinkGone(const QString &what, const QString &sourceAddress, const QString &linkId)
{
    QString source = sourceAddress;
    for (const NodeView &node : std::as_const(m_nodes)) {
        if (node.address == sourceAddress && !node.name.isEmpty())
            source = node.name;
    }
    const QString text = tr("Link %1 run by %2 no longer exists (it was removed or failed over while the dialog was open). Nothing was done.")
                             .arg(linkId, source);
    statusBar()->showMessage(text, 15000);
    QMessageBox box(QMessageBox::Information, what, text, QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("linkGone"));
    box.exec();
}

void MainWindow::updateConflictsBadge()
{
    const int index = m_tabs->indexOf(m_conflicts);
    if (m_tabs->currentWidget() == m_conflicts && m_conflictsSeen >= 0)
        m_conflictsSeen = m_conflictsTotal;
    const qint64 fresh = newConflicts();
    const QString text = fresh > 0 ? tr("C&onflicts (%1 new)").arg(fresh) : tr("C&onflicts");
    if (m_tabs->tabText(index) != text) {
        m_tabs->setTabText(index, text);
        m_tabs->setTabToolTip(index, fresh > 0 ? tr("%1 conflicts were recorded since you last looked at this tab").arg(fresh) : QString());
    }
}

void MainWindow::showGuide()
{
    QMessageBox box(QMessageBox::NoIcon, tr("Quick guide"), QString(), QMessageBox::Close, this);
    box.setObjectName(QStringLiteral("guide"));
    box.setTextFormat(Qt::RichText);
    box.setText(tr("<h3>Ferry console</h3>"
                   "<p><b>Replicate a table:</b> drag from one data center's card to another's, or Link &gt; New link (Ctrl+N).</p>"
                   "<p><b>Select a link:</b> click its arrow, or use the Links list (View &gt; Links, Ctrl+L). "
                   "The selection drives the Blocks and Charts tabs.</p>"
                   "<p><b>Keyboard:</b> Tab moves between the topology, the tabs and the lists; in the topology the arrow keys "
                   "select the next or previous link, + and - zoom, F fits; in a list the arrow keys select. "
                   "F5 verifies the selected link without changing anything, Shift+F5 repairs it, Ctrl+P pauses, Ctrl+R resumes, Ctrl+F fails over, Delete removes. "
                   "Confirmation dialogs default to Cancel: Enter never fails over or removes by itself.</p>"
                   "<p><b>Blocks:</b> after a verification, click a block to list its rows that differ: missing on the target, "
                   "extra on the target, or with other values, both sides side by side.</p>"
                   "<p><b>Charts:</b> every link's history since the console started; hover for values, "
                   "wheel to zoom the time axis, drag to pan, double-click to follow the present again.</p>"
                   "<p><b>Colours:</b> green streaming, blue syncing or verifying, amber paused or stalled, red error.</p>"));
    box.exec();
}

void MainWindow::selectLink(const QString &sourceAddress, const QString &linkId)
{
    if (sourceAddress == m_selectedSource && linkId == m_selectedLink)
        return;
    m_selectedSource = sourceAddress;
    m_selectedLink = linkId;
    m_charts->showLink(linkId.isEmpty() ? QString() : blockCacheKey(sourceAddress, linkId));
    m_topology->selectLink(sourceAddress, linkId);
    m_linkList->selectLink(sourceAddress, linkId);
    const std::optional<LinkView> selected = selectedLink();
    m_blockLink.clear();
    if (selected && selected->link.isDatabaseLink()) {
        // The tables, and the blocks of the one picked (setTables() picks the first).
        m_tableBreakdown->show();
        m_tableBreakdown->setTables(linkId, selected->tables);
        if (m_blockLink.isEmpty() && !m_tableBreakdown->currentTable().isEmpty())
            showBlocksOf(selected->link.memberFor(m_tableBreakdown->currentTable()).id);
    } else {
        m_tableBreakdown->hide();
    }
    if (m_blockLink.isEmpty())
        showBlocksOf(linkId);
    updateActions();
}

void MainWindow::showBlocksOf(const QString &blockLinkId)
{
    m_blockLink = blockLinkId;
    m_blockMap->clear();
    m_blockRows->clear();
    const auto cached = m_blockCache.constFind(blockCacheKey(m_selectedSource, blockLinkId));
    if (cached != m_blockCache.constEnd()) {
        VerificationProgress all;
        all.blocksPlanned = cached->planned;
        for (auto it = cached->blocks.begin(); it != cached->blocks.end(); ++it)
            all.changedBlocks.append({it.key(), it.value()});
        m_blockMap->applyProgress(all);
    }
    if (std::optional<LinkView> link = blockLinkView()) {
        m_blockTitle->setText(tr("Link %1: %2 %3.%4 to %5 %6.%7 — blocks of the current or last verification round")
                                  .arg(link->link.id, link->link.sourceNode, link->link.sourceDatabase, link->link.sourceTable,
                                       link->link.targetNode, link->link.targetDatabase, link->link.targetTable));
        if (m_session && link->stats.blocks == 0)
            m_blockTitle->setText(m_blockTitle->text() + tr(" (run Verify to see every block)"));
    } else {
        m_blockTitle->setText(tr("Select a link to see its blocks."));
    }
}

std::optional<LinkView> MainWindow::blockLinkView() const
{
    std::optional<LinkView> link = selectedLink();
    if (!link || !link->link.isDatabaseLink())
        return link;
    // A table of the database link: its member link, with its own figures.
    for (const auto &[table, stats] : std::as_const(link->tables)) {
        if (stats.id == m_blockLink) {
            LinkView member = *link;
            member.link = link->link.memberFor(table);
            member.stats = stats;
            member.tables.clear();
            return member;
        }
    }
    return std::nullopt;
}

void MainWindow::updateActions()
{
    const std::optional<LinkView> link = selectedLink();
    const bool selected = link.has_value();
    const bool paused = selected && link->link.paused;
    m_newLink->setEnabled(m_session);
    m_pause->setEnabled(selected && !paused);
    m_resume->setEnabled(selected && paused);
    m_verify->setEnabled(selected);
    m_repair->setEnabled(selected);
    m_failover->setEnabled(selected);
    m_failback->setEnabled(selected);
    m_remove->setEnabled(selected);
    // What the certificate's role may not ask stays grey, whatever is selected; the tooltip
    // says why (the node would refuse it).
    const std::pair<QAction *, QLatin1StringView> requests[] = {{m_newLink, protocol::Type::LinkCreate}, {m_pause, protocol::Type::LinkPause},
                                                                {m_resume, protocol::Type::LinkResume}, {m_verify, protocol::Type::LinkVerify},
                                                                {m_failover, protocol::Type::Failover},  {m_failback, protocol::Type::Failover},
                                                                {m_remove, protocol::Type::LinkRemove}};
    for (const auto &[action, request] : requests) {
        const QString refusal = roleRefusal(m_role, QString(request));
        if (!refusal.isEmpty())
            action->setEnabled(false);
        // Empty: the action's own tooltip (or its text).
        action->setToolTip(refusal.isEmpty() ? action->property("ferryToolTip").toString() : refusal);
    }
}

void MainWindow::setRole(Role role)
{
    m_role = role;
    m_topology->setRole(role);
    m_conflicts->setRole(role);
    updateActions();
}

void MainWindow::report(const QString &what, const QString &error)
{
    statusBar()->showMessage(tr("%1 failed: %2").arg(what, error), 15000);
    QMessageBox::warning(this, what, error);
}

void MainWindow::newLink(const QString &sourceAddress, const QString &targetAddress)
{
    if (!m_session)
        return;
    // Without a drag: from the selected link's source, or the first connected data center.
    QString from = sourceAddress.isEmpty() ? m_selectedSource : sourceAddress;
    const NodeView *source = nullptr;
    for (const NodeView &node : m_nodes) {
        if (node.address == from || (from.isEmpty() && node.connected && !source))
            source = &node;
    }
    if (!source || !source->connected) {
        QMessageBox::information(this, tr("New link"), tr("The source data center is not connected."));
        return;
    }
    LinkDialog dialog(*source, m_nodes, targetAddress, this);
    QStringList existing;
    for (const LinkView &link : m_links) {
        if (link.sourceAddress == source->address)
            existing.append(link.link.id);
    }
    dialog.setExistingLinkIds(existing);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QCborMap settings = dialog.settings();
    statusBar()->showMessage(tr("Creating link %1...").arg(settings.value(QStringLiteral("id")).toString()));
    whenFinished(this, m_session->createLink(dialog.sourceAddress(), settings),
                 [this](const QCborMap &reply) {
                     statusBar()->showMessage(tr("Link %1 created").arg(reply.value(QStringLiteral("link")).toMap().value(QStringLiteral("id")).toString()), 5000);
                 },
                 [this](const std::exception &error) { report(tr("Creating the link"), errorMessage(error)); });
}

void MainWindow::pauseLink(QString sourceAddress, QString linkId, bool paused)
{
    if (!m_session || !findLink(sourceAddress, linkId))
        return;
    whenFinished(this, m_session->setLinkPaused(sourceAddress, linkId, paused),
                 [this, paused, linkId](const QCborMap &) {
                     statusBar()->showMessage(paused ? tr("Link %1 paused").arg(linkId) : tr("Link %1 resumed").arg(linkId), 5000);
                 },
                 [this](const std::exception &error) { report(tr("Pausing or resuming the link"), errorMessage(error)); });
}

void MainWindow::verifyLink(QString sourceAddress, QString linkId, bool repair)
{
    if (!m_session || !findLink(sourceAddress, linkId))
        return;
    if (linkId == m_selectedLink && sourceAddress == m_selectedSource) {
        m_blockMap->clear();
        m_blockRows->clear();
    }
    m_blockCache.remove(blockCacheKey(sourceAddress, linkId));
    whenFinished(this, m_session->verifyLink(sourceAddress, linkId, repair),
                 [this, linkId, repair](const QCborMap &) {
                     statusBar()->showMessage(repair ? tr("Repair of %1 started").arg(linkId)
                                                     : tr("Read-only verification of %1 started: nothing is changed").arg(linkId), 5000);
                 },
                 [this, repair](const std::exception &error) { report(repair ? tr("Repairing the link") : tr("Verifying the link"), errorMessage(error)); });
}

void MainWindow::showBlockRows(int index)
{
    const std::optional<LinkView> link = blockLinkView();
    if (!m_session || !link || index < 0 || index >= m_blockMap->blockCount())
        return;
    const BlockInfo block = m_blockMap->block(index);
    m_blockRows->showLoading(index, describeRange(block.range));
    const QString source = m_selectedSource;
    const QString linkId = m_blockLink;
    whenFinished(this, m_session->blockRows(*link, index, block.range, 500),
                 [this, source, linkId, index](const BlockRowsView &rows) {
                     // Only if the operator still looks at that block of that link (or table).
                     if (source == m_selectedSource && linkId == m_blockLink && m_blockRows->block() == index)
                         m_blockRows->showRows(rows);
                 },
                 [this, source, linkId, index](const std::exception &error) {
                     if (source == m_selectedSource && linkId == m_blockLink && m_blockRows->block() == index)
                         m_blockRows->showError(index, errorMessage(error));
                 });
}

void MainWindow::removeLink(QString sourceAddress, QString linkId)
{
    const std::optional<LinkView> link = findLink(sourceAddress, linkId);
    if (!m_session || !link)
        return;
    QMessageBox box(QMessageBox::Question, tr("Remove link"),
                    tr("Remove link %1 from %2 to %3? The replica's table stays as it is and becomes writable.")
                        .arg(link->link.id, link->link.sourceNode, link->link.targetNode),
                    QMessageBox::Yes | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("confirmRemove"));
    box.button(QMessageBox::Yes)->setText(tr("Remove"));
    // Enter does not remove: Cancel is the default.
    box.setDefaultButton(QMessageBox::Cancel);
    if (box.exec() != QMessageBox::Yes || !m_session)
        return;
    // The list was replaced while the dialog was open: the link is looked up again.
    if (!findLink(sourceAddress, linkId)) {
        reportLinkGone(tr("Remove link"), sourceAddress, linkId);
        return;
    }
    whenFinished(this, m_session->removeLink(sourceAddress, linkId),
                 [this, linkId](const QCborMap &) { statusBar()->showMessage(tr("Link %1 removed").arg(linkId), 5000); },
                 [this](const std::exception &error) { report(tr("Removing the link"), errorMessage(error)); });
}

void MainWindow::failOver(QString sourceAddress, QString linkId, bool failback)
{
    const std::optional<LinkView> link = findLink(sourceAddress, linkId);
    if (!m_session || !link)
        return;
    // The dialog works on its own copy of the link and of the data centers.
    FailoverDialog dialog(*link, m_nodes, failback ? FailoverDialog::Purpose::Failback : FailoverDialog::Purpose::Auto, this);
    dialog.setSession(m_session);
    if (dialog.exec() != QDialog::Accepted || !m_session)
        return;
    // Refreshes ran while the dialog was open: the link must still run from the same
    // primary, else the plan the operator confirmed is not what would happen.
    if (!findLink(sourceAddress, linkId)) {
        reportLinkGone(failback ? tr("Fail back") : tr("Fail over"), sourceAddress, linkId);
        return;
    }
    const QString promoted = dialog.promotedNode();
    statusBar()->showMessage(tr("Failing over link %1 to %2...").arg(linkId, promoted));
    whenFinished(this, m_session->failover(dialog.nodeAddress(), linkId, promoted, dialog.isForced()),
                 [this](const QCborMap &reply) {
                     QString text = tr("Link %1: %2 is primary (epoch %3) after %4 ms")
                                        .arg(reply.value(QStringLiteral("link")).toString(), reply.value(QStringLiteral("to")).toString())
                                        .arg(reply.value(QStringLiteral("epoch")).toInteger())
                                        .arg(reply.value(QStringLiteral("duration_ms")).toInteger());
                     if (reply.value(QStringLiteral("forced")).toBool())
                         text += tr("; %1 changes at risk").arg(reply.value(QStringLiteral("changes_at_risk")).toInteger());
                     statusBar()->showMessage(text, 15000);
                 },
                 [this](const std::exception &error) { report(tr("Failing over"), errorMessage(error)); });
}

void MainWindow::addDataCenter()
{
    if (!m_session) {
        QMessageBox::information(this, tr("Add data center"), tr("Open a connection first (ferry --connect FILE), or wait for the demo to start."));
        return;
    }
    QPointer<ConsoleSession> session = m_session;
    AddDataCenterDialog dialog(m_nodes, [session](const QString &host, quint16 port) {
        if (!session)
            return QtFuture::makeExceptionalFuture<NodeHello>(std::make_exception_ptr(FerryError(tr("the console is not connected"))));
        return session->probe(host, port);
    }, this);
    if (dialog.exec() != QDialog::Accepted || !m_session)
        return;
    m_session->addNode(dialog.host(), dialog.port());
    statusBar()->showMessage(tr("Data center %1 added").arg(dialog.hello().node), 5000);
}

void MainWindow::openTopology()
{
    if (!m_session)
        return;
    const QString file = QFileDialog::getOpenFileName(this, tr("Open topology"), QString(), tr("Topology (*.json)"));
    if (file.isEmpty())
        return;
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        report(tr("Opening the topology"), in.errorString());
        return;
    }
    const QJsonObject object = QJsonDocument::fromJson(in.readAll()).object();
    const QJsonArray nodes = object.value(QStringLiteral("nodes")).toArray();
    if (nodes.isEmpty()) {
        report(tr("Opening the topology"), tr("%1 lists no data centers").arg(file));
        return;
    }
    QHash<QString, QPointF> positions = m_topology->positions();
    for (const QJsonValue &value : nodes) {
        const QJsonObject node = value.toObject();
        const QString address = node.value(QStringLiteral("address")).toString();
        const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
        if (colon <= 0)
            continue;
        m_session->addNode(address.left(colon), quint16(address.mid(colon + 1).toUInt()));
        if (node.contains(QStringLiteral("x")))
            positions.insert(node.value(QStringLiteral("name")).toString(address), QPointF(node.value(QStringLiteral("x")).toDouble(), node.value(QStringLiteral("y")).toDouble()));
    }
    m_topology->setPositions(positions);
}

void MainWindow::saveTopology()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save topology"), QStringLiteral("topology.json"), tr("Topology (*.json)"));
    if (file.isEmpty())
        return;
    const QHash<QString, QPointF> positions = m_topology->positions();
    QJsonArray nodes;
    for (const NodeView &node : m_nodes) {
        const QPointF at = positions.value(node.name.isEmpty() ? node.address : node.name);
        nodes.append(QJsonObject{{QStringLiteral("address"), node.address}, {QStringLiteral("name"), node.name},
                                 {QStringLiteral("x"), at.x()}, {QStringLiteral("y"), at.y()}});
    }
    QJsonArray links;
    for (const LinkView &link : m_links)
        links.append(QJsonObject{{QStringLiteral("source"), link.sourceAddress}, {QStringLiteral("link"), link.link.toCbor().toJsonObject()}});
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(QJsonDocument(QJsonObject{{QStringLiteral("nodes"), nodes}, {QStringLiteral("links"), links}}).toJson()) < 0) {
        report(tr("Saving the topology"), out.errorString());
        return;
    }
    statusBar()->showMessage(tr("Topology saved to %1").arg(file), 5000);
}

void MainWindow::chooseLanguage()
{
    const QStringList names{tr("System default"), QStringLiteral("English"), QStringLiteral("简体中文")};
    const QStringList codes{QString(), QStringLiteral("en"), QStringLiteral("zh_CN")};
    QSettings settings;
    const int current = std::max<int>(0, codes.indexOf(settings.value(QStringLiteral("language")).toString()));
    bool ok = false;
    const QString chosen = QInputDialog::getItem(this, tr("Language"), tr("Language of the console:"), names, current, false, &ok);
    if (!ok)
        return;
    settings.setValue(QStringLiteral("language"), codes.at(names.indexOf(chosen)));
    QMessageBox::information(this, tr("Language"), tr("The console uses the new language from its next start."));
}

void MainWindow::saveScreenshot(const QString &file, const QString &view)
{
    if (view == QLatin1String("blockrows")) {
        // The rows of the first block a read-only verification found differing.
        m_tabs->setCurrentIndex(0);
        for (int i = 0; i < m_blockMap->blockCount(); ++i) {
            if (m_blockMap->block(i).state == BlockState::Differs) {
                showBlockRows(i);
                QElapsedTimer waiting;
                waiting.start();
                while (waiting.elapsed() < 5000 && m_blockRows->rowCount() == 0)
                    QApplication::processEvents(QEventLoop::AllEvents, 50);
                break;
            }
        }
    }
    if (view == QLatin1String("blocks") || view == QLatin1String("failover")) {
        if (!m_links.isEmpty() && m_selectedLink.isEmpty())
            selectLink(m_links.first().sourceAddress, m_links.first().link.id);
        m_tabs->setCurrentIndex(0);
    }
    if (view == QLatin1String("dblink")) {
        // A database link, its tables above the block map of the one picked.
        for (const LinkView &link : std::as_const(m_links)) {
            if (link.link.isDatabaseLink()) {
                selectLink(link.sourceAddress, link.link.id);
                verifyLink(link.sourceAddress, link.link.id, false);   // every table's blocks
                break;
            }
        }
        m_tabs->setCurrentIndex(0);
        QElapsedTimer waiting;
        waiting.start();
        while (waiting.elapsed() < 6000)
            QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    if (view == QLatin1String("charts")) {
        m_tabs->setCurrentIndex(1);
        QApplication::processEvents();
        m_charts->replotNow();
    }
    if (view == QLatin1String("small")) {
        // The smallest window the console is made for: nothing may be cut off.
        showNormal();
        resize(1024, 700);
        QApplication::processEvents();
        m_charts->replotNow();
    }
    if (view == QLatin1String("conflicts") || view == QLatin1String("conflictapply")) {
        // The first data center and database that recorded conflicts, its newest selected.
        m_tabs->setCurrentWidget(m_conflicts);
        for (const NodeView &node : std::as_const(m_nodes)) {
            for (const QString &database : node.databases) {
                m_conflicts->select(node.address, database);
                QElapsedTimer waiting;
                waiting.start();
                while (waiting.elapsed() < 5000 && m_conflicts->loading())
                    QApplication::processEvents(QEventLoop::AllEvents, 50);
                if (!m_conflicts->conflicts().isEmpty())
                    break;
            }
            if (!m_conflicts->conflicts().isEmpty())
                break;
        }
        QApplication::processEvents();
        if (view == QLatin1String("conflictapply") && !m_conflicts->conflicts().isEmpty()) {
            m_conflicts->openApply(true);
            if (ConflictApplyDialog *dialog = m_conflicts->applyDialog()) {
                QApplication::processEvents();
                dialog->grab().save(file);
                dialog->close();
                return;
            }
        }
    }
    if (view == QLatin1String("failover") && selectedLink()) {
        auto *dialog = new FailoverDialog(*selectedLink(), m_nodes, FailoverDialog::Purpose::Auto, this);
        dialog->show();
        QApplication::processEvents();
        dialog->grab().save(file);
        dialog->deleteLater();
        return;
    }
    QApplication::processEvents();
    grab().save(file);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

} // namespace ferry
