#pragma once

#include "replication/linkstats.h"

#include <QHash>
#include <QSharedPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QCPGraph;
class QCustomPlot;
class QMouseEvent;

namespace ferry {

// Live figures of the links (QCustomPlot 2.1): rows/s and bytes/s, lag (ms) and changes
// pending, blocks verified per second. Every link's samples are kept from the console's
// start (up to an hour, the largest window), whichever link is shown: selecting a link
// shows its whole history at once (the graphs share the link's data containers). Samples
// are added as they come (addData) and what falls out of the hour is dropped
// (removeBefore); a steady timer replots with rpQueuedReplot, never once per sample, one
// plot per tick. The window is 1 min, 10 min or 1 h and follows the present; the wheel
// zooms and a drag pans the time axis of all three plots (then they stop following until
// a double-click); hovering shows the values under the mouse.
class LinkChartsWidget : public QWidget
{
    Q_OBJECT

public:
    explicit LinkChartsWidget(QWidget *parent = nullptr);
    ~LinkChartsWidget() override;

    // A sample of one link (key: any stable id of the link).
    void addSample(const QString &linkKey, qint64 atMs, const LinkStats &stats);
    // A sample of the link shown.
    void addSample(qint64 atMs, const LinkStats &stats) { addSample(m_shown, atMs, stats); }
    // Shows a link's history (empty key: none).
    void showLink(const QString &linkKey);
    QString shownLink() const { return m_shown; }
    // Forgets the shown link's history.
    void clear();
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }
    // Points held per graph of the shown link / of any link (bounded by the hour), for tests.
    int pointCount() const;
    int pointCount(const QString &linkKey) const;
    // Whether the time axis follows the present (false after a zoom or a pan).
    bool isFollowing() const { return m_following; }
    void setFollowing(bool following);
    // Replots every plot now (for a picture of the widget; the timer does it otherwise).
    void replotNow();
    // What hovering a plot at a time (seconds since the epoch) shows.
    QString valuesAt(QCustomPlot *plot, double key) const;
    QCustomPlot *throughputPlot() const { return m_throughput; }
    QCustomPlot *lagPlot() const { return m_lag; }
    QCustomPlot *blocksPlot() const { return m_blocks; }

private:
    static constexpr int PlotCount = 3;
    static constexpr unsigned AllPlots = (1u << PlotCount) - 1;

    struct History;   // one link's samples (linkchartswidget.cpp)

    History &history(const QString &linkKey);
    void replot();
    void hover(QCustomPlot *plot, QMouseEvent *event);
    void syncRange(QCustomPlot *from);

    QComboBox *m_window;
    QCustomPlot *m_throughput;
    QCustomPlot *m_lag;
    QCustomPlot *m_blocks;
    QCPGraph *m_rows = nullptr;
    QCPGraph *m_bytes = nullptr;
    QCPGraph *m_lagGraph = nullptr;
    QCPGraph *m_pending = nullptr;
    QCPGraph *m_verified = nullptr;
    QTimer m_replot;
    int m_windowSeconds = 60;
    QHash<QString, std::shared_ptr<History>> m_histories;
    QString m_shown;
    bool m_following = true;
    bool m_syncing = false;
    unsigned m_changed = 0;   // a bit per plot: throughput, lag, blocks
    int m_nextPlot = 0;
};

} // namespace ferry
