#pragma once

#include "console/consolesession.h"
#include "conflictapplydialog.h"
#include "security/role.h"

#include <QFuture>
#include <QPointer>
#include <QThreadPool>
#include <QWidget>

#include <functional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QTextBrowser;

namespace ferry {

// The conflicts a data center recorded in one database (both versions of every row a
// conflict policy decided on): a table, and the kept and the lost version side by side
// for the selected row. Refresh asks the node (through the session) without blocking.
class ConflictsWidget : public QWidget
{
    Q_OBJECT

public:
    using Fetcher = std::function<QFuture<QList<ConflictView>>(const QString &nodeAddress, const QString &database, int limit)>;
    // How a version is written (ConsoleSession::applyConflictVersion).
    using Applier = std::function<QFuture<QCborMap>(const QString &nodeAddress, const QString &database, const ConflictView &conflict, bool lost)>;

    explicit ConflictsWidget(QWidget *parent = nullptr);

    // How conflicts are read: the session, or anything that answers the same way (tests).
    void setFetcher(Fetcher fetcher);
    void setApplier(Applier applier);
    void setSession(ConsoleSession *session)
    {
        QPointer<ConsoleSession> guarded(session);
        setFetcher([guarded](const QString &nodeAddress, const QString &database, int limit) {
            return guarded ? guarded->conflicts(nodeAddress, database, limit) : QFuture<QList<ConflictView>>();
        });
        setApplier([guarded](const QString &nodeAddress, const QString &database, const ConflictView &conflict, bool lost) {
            return guarded ? guarded->applyConflictVersion(nodeAddress, database, conflict, lost) : QFuture<QCborMap>();
        });
    }
    // What the console's certificate may ask: the apply actions stay grey (with the reason
    // as their tooltip) for a role the node would refuse.
    void setRole(Role role);
    void setLimit(int limit) { m_limit = limit; }

    QString currentNode() const;
    QString currentDatabase() const;
    const QList<ConflictView> &conflicts() const { return m_rows; }
    // What the widget says instead of the table (nothing chosen, no conflicts), or empty
    // while the table is shown.
    QString emptyText() const;
    // Loading, or why the last refresh failed.
    QString statusText() const;
    QString keptText() const;
    QString lostText() const;
    // A refresh is under way.
    bool loading() const;
    // Rows shown (those the filter keeps).
    int visibleRowCount() const;
    // Writes the rows shown as CSV (RFC 4180, UTF-8, times with their time zone) in a worker
    // thread; the number of rows written, or a FerryError naming the file.
    QFuture<int> exportCsv(const QString &path);
    // The conflict shown in the selected row (none: id 0).
    ConflictView selectedConflict() const;
    // The open "Apply ... version" confirmation, if any.
    ConflictApplyDialog *applyDialog() const { return m_applyDialog; }
    QAction *applyKeptAction() const { return m_applyKept; }
    QAction *applyLostAction() const { return m_applyLost; }

public slots:
    // The data centers and their databases (ConsoleSession::nodesChanged); keeps the choice.
    void setNodes(const QList<ferry::NodeView> &nodes);
    void select(const QString &nodeAddress, const QString &database);
    void refresh();
    void setFilterText(const QString &text);
    // Opens the confirmation for the selected row's kept or lost version (not modal to the
    // rest of the console: refreshes go on while it is open).
    void openApply(bool lost);

private:
    void fillDatabases();
    void selectionChanged();
    void showRows(const QList<ConflictView> &rows);
    void showEmpty(const QString &message);
    void setStatus(const QString &message, bool error = false);
    void showDetail();
    void applyFilter();
    void chooseExportFile();
    void updateApplyActions();
    // On confirm: the conflict is resolved again by its identity, then written.
    void confirmApply(const ConflictApplyTarget &target);

    Fetcher m_fetch;
    Applier m_apply;
    Role m_role = Role::Admin;
    bool m_applying = false;
    int m_limit = 500;
    QList<NodeView> m_nodes;
    QList<ConflictView> m_rows;
    quint64 m_generation = 0;    // replies to an older request (or selection) are dropped

    QComboBox *m_node;
    QComboBox *m_database;
    QPushButton *m_refresh;
    QLineEdit *m_filter;
    QPushButton *m_export;
    QThreadPool m_writer;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QLabel *m_status;
    QTableWidget *m_table;
    QLabel *m_keptTitle;
    QLabel *m_lostTitle;
    QTextBrowser *m_kept;
    QTextBrowser *m_lost;
    QAction *m_applyKept;
    QAction *m_applyLost;
    QPushButton *m_applyKeptButton;
    QPushButton *m_applyLostButton;
    QPointer<ConflictApplyDialog> m_applyDialog;
};

} // namespace ferry
