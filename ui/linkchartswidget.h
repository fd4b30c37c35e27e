#pragma once

#include "replication/linkstats.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QCPGraph;
class QCustomPlot;

namespace ferry {

// Live figures of one link (QCustomPlot 2.1): rows/s and bytes/s, lag (ms) and changes
// pending, blocks verified per second. Samples are added as they come (addData) and
// what falls out of the window is dropped (removeBefore); a steady timer replots with
// rpQueuedReplot, never once per sample, one plot per tick (each four times a second).
// The window is 1 min, 10 min or 1 h.
class LinkChartsWidget : public QWidget
{
    Q_OBJECT

public:
    explicit LinkChartsWidget(QWidget *parent = nullptr);

    void addSample(qint64 atMs, const LinkStats &stats);
    void clear();
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }
    // Points held per graph (bounded by the window), for tests.
    int pointCount() const;
    QCustomPlot *throughputPlot() const { return m_throughput; }

private:
    static constexpr int PlotCount = 3;
    static constexpr unsigned AllPlots = (1u << PlotCount) - 1;

    void replot();

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
    qint64 m_lastVerifiedAtMs = 0;
    int m_lastVerified = 0;
    double m_now = 0;
    unsigned m_changed = 0;   // a bit per plot: throughput, lag, blocks
    int m_nextPlot = 0;
};

} // namespace ferry
