#pragma once

#include "console/consolesession.h"

#include <QMainWindow>
#include <QPointer>

#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QProgressBar;
class QSpinBox;
class QTabWidget;

namespace ferry {

class BlockMapWidget;
class BlockRowsWidget;
class ConflictsWidget;
class DemoDeployment;
class EventLogDock;
class LinkChartsWidget;
class LinkListWidget;
class TableBreakdownWidget;
class TopologyView;

// The console: topology in the middle, the selected link's block map, live charts and the
// conflicts browser beside it, the event log below; toolbar and menus for every action,
// keyboard shortcuts, totals in the status bar. It talks to the data centers only through
// the ConsoleSession (which works in its own thread): nothing here waits on network or
// disk. Window layout, card positions and language persist in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // The session (and the demo, when it is the demo) the window shows; detach() before
    // destroying them.
    void attach(ConsoleSession *session, DemoDeployment *demo);
    // The role of the console's certificate (attach() takes it from the session): actions
    // it may not ask are greyed out, with a tooltip that says why.
    void setRole(Role role);
    void detach();
    void showBusy(const QString &text);
    // Demo only: how far the large sample table is written (done == total: finished; an
    // error: it could not be).
    void showDemoProgress(qint64 done, qint64 total, const QString &error);
    // Demo only: starts the workload, and on first start creates the demo's links.
    void startDemo(double writesPerSecond);
    // Conflicts recorded since the operator last looked at the Conflicts tab.
    qint64 newConflicts() const { return m_conflictsSeen < 0 ? 0 : m_conflictsTotal - m_conflictsSeen; }
    // Saves a picture of the window for the docs (view: main, blocks, failover, zh).
    void saveScreenshot(const QString &file, const QString &view);
    BlockRowsWidget *blockRows() const { return m_blockRows; }
    // Runs "verify now" on the first link as soon as it is known (for the docs' pictures).
    // repair false: the read-only verification.
    void verifyFirstLinkWhenReady(bool repair = true)
    {
        m_verifyWhenReady = true;
        m_verifyWhenReadyRepairs = repair;
    }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void updateModel(const QList<NodeView> &nodes, const QList<LinkView> &links);
    void selectLink(const QString &sourceAddress, const QString &linkId);
    // A copy of a link as last reported, found by its identity (source address, link id).
    // Never a pointer or a reference into m_links: every refresh replaces that list, and
    // a dialog's event loop runs refreshes (DESIGN.md, Widgets).
    std::optional<LinkView> findLink(const QString &sourceAddress, const QString &linkId) const;
    std::optional<LinkView> selectedLink() const { return findLink(m_selectedSource, m_selectedLink); }
    // Says that a link a dialog was opened for is gone, and that nothing was done.
    void reportLinkGone(const QString &what, const QString &sourceAddress, const QString &linkId);
    void showGuide();
    void newLink(const QString &sourceAddress, const QString &targetAddress);
    // Every action carries the identity of the link it was asked for (by value: the
    // selection it came from changes while a dialog is open) and resolves it again when it
    // runs (after its confirmation dialog, if any).
    void pauseLink(QString sourceAddress, QString linkId, bool paused);
    // repair false: a read-only check (changes nothing, lists the differing keys).
    void verifyLink(QString sourceAddress, QString linkId, bool repair);
    // Lists the differing rows of a block of the selected link (read by the session).
    void showBlockRows(int index);
    void removeLink(QString sourceAddress, QString linkId);
    void failOver(QString sourceAddress, QString linkId, bool failback);
    void addDataCenter();
    void openTopology();
    void saveTopology();
    void chooseLanguage();
    void report(const QString &what, const QString &error);
    void ensureDemoLinks();
    void updateActions();

    QPointer<ConsoleSession> m_session;
    Role m_role = Role::Admin;   // without a session: every action
    DemoDeployment *m_demo = nullptr;
    QList<NodeView> m_nodes;
    QList<LinkView> m_links;
    QString m_selectedSource;
    QString m_selectedLink;
    // The link whose blocks the map shows: the selected one, or the table of a database link
    // picked in its breakdown (its member link).
    QString m_blockLink;
    void showBlocksOf(const QString &blockLinkId);
    std::optional<LinkView> blockLinkView() const;
    bool m_demoLinksChecked = false;
    bool m_verifyWhenReady = false;
    bool m_verifyWhenReadyRepairs = true;
    // Conflicts recorded on the links' targets (the sum of their figures): how many the
    // operator has seen (the Conflicts tab shown), and the total now; the difference is
    // the tab's badge.
    qint64 m_conflictsSeen = -1;
    qint64 m_conflictsTotal = 0;
    void updateConflictsBadge();
    // Every link's blocks as reported so far (reports carry only what changed), so that
    // selecting a link shows all of them at once.
    struct BlockCache
    {
        int planned = 0;
        QHash<int, BlockInfo> blocks;
    };
    QHash<QString, BlockCache> m_blockCache;   // by "source address/link id"
    static QString blockCacheKey(const QString &sourceAddress, const QString &linkId) { return sourceAddress + QLatin1Char('/') + linkId; }

    TopologyView *m_topology;
    QTabWidget *m_tabs;
    QLabel *m_blockTitle;
    TableBreakdownWidget *m_tableBreakdown;
    BlockMapWidget *m_blockMap;
    BlockRowsWidget *m_blockRows;
    LinkChartsWidget *m_charts;
    LinkListWidget *m_linkList;
    QDockWidget *m_linkDock;
    ConflictsWidget *m_conflicts;
    EventLogDock *m_eventLog;
    QLabel *m_status;
    QLabel *m_demoProgressText = nullptr;
    QProgressBar *m_demoProgress = nullptr;
    QSpinBox *m_rate = nullptr;

    QAction *m_newLink;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_verify;
    QAction *m_repair;
    QAction *m_failover;
    QAction *m_failback;
    QAction *m_remove;
};

} // namespace ferry
