#pragma once

#include "node/eventlog.h"

#include <QDockWidget>
#include <QFuture>
#include <QThreadPool>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace ferry {

class EventLogFilter;
class EventLogModel;

// The events of every data center, the newest on top (at most 10,000), with a text filter,
// a severity filter and "Export CSV..." of the rows shown. The file is written in a worker
// thread; the outcome is shown in the dock (and an error in a message box).
class EventLogDock : public QDockWidget
{
    Q_OBJECT

public:
    explicit EventLogDock(QWidget *parent = nullptr, int capacity = 10000);
    ~EventLogDock() override;

    EventLogModel *model() const { return m_model; }
    EventLogFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    int visibleRowCount() const;

    // Writes the rows the filters let through (as shown) to path, in a worker thread. The
    // future gives the number of events written, or throws FerryError.
    QFuture<int> exportCsv(const QString &path);

    static QString csvField(const QString &text);

public slots:
    void addEvents(const QList<ferry::NodeEvent> &events);
    void setFilterText(const QString &text);
    // 0: all severities, 1: warnings and errors, 2: errors only.
    void setMinimumSeverity(int severity);

signals:
    void exportFinished(bool ok, const QString &message);

private:
    void chooseExportFile();

    EventLogModel *m_model;
    EventLogFilter *m_filter;
    QTableView *m_view;
    QLineEdit *m_text;
    QComboBox *m_severity;
    QPushButton *m_export;
    QLabel *m_status;
    QThreadPool m_writer;
};

} // namespace ferry
