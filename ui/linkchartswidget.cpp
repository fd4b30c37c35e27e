#include "linkchartswidget.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <array>

#include <qcustomplot.h>

namespace ferry {

namespace {

QCustomPlot *makePlot(QWidget *parent, const QString &leftLabel, const QString &rightLabel)
{
    auto *plot = new QCustomPlot(parent);
    plot->setMinimumHeight(110);
    plot->setNoAntialiasingOnDrag(true);
    plot->setPlottingHint(QCP::phFastPolylines, true);
    QSharedPointer<QCPAxisTickerDateTime> ticker(new QCPAxisTickerDateTime);
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setDateTimeSpec(Qt::LocalTime);
    plot->xAxis->setTicker(ticker);
    plot->yAxis->setLabel(leftLabel);
    if (!rightLabel.isEmpty()) {
        plot->yAxis2->setVisible(true);
        plot->yAxis2->setLabel(rightLabel);
    }
    plot->legend->setVisible(true);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    return plot;
}

QCPGraph *makeGraph(QCustomPlot *plot, QCPAxis *valueAxis, const QString &name, const QColor &color)
{
    QCPGraph *graph = plot->addGraph(plot->xAxis, valueAxis);
    graph->setName(name);
    graph->setPen(QPen(color, 1.5));
    graph->setAdaptiveSampling(true);
    return graph;
}

} // namespace

LinkChartsWidget::LinkChartsWidget(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *label = new QLabel(tr("&Window:"), this);
    m_window = new QComboBox(this);
    m_window->addItem(tr("1 minute"), 60);
    m_window->addItem(tr("10 minutes"), 600);
    m_window->addItem(tr("1 hour"), 3600);
    label->setBuddy(m_window);
    bar->addWidget(label);
    bar->addWidget(m_window);
    bar->addStretch();
    layout->addLayout(bar);

    m_throughput = makePlot(this, tr("rows/s"), tr("bytes/s"));
    m_rows = makeGraph(m_throughput, m_throughput->yAxis, tr("rows/s"), QColor(0x1e, 0x88, 0xe5));
    m_bytes = makeGraph(m_throughput, m_throughput->yAxis2, tr("bytes/s"), QColor(0x8e, 0x24, 0xaa));
    m_lag = makePlot(this, tr("lag (ms)"), tr("pending"));
    m_lagGraph = makeGraph(m_lag, m_lag->yAxis, tr("lag (ms)"), QColor(0xf4, 0x51, 0x1e));
    m_pending = makeGraph(m_lag, m_lag->yAxis2, tr("changes pending"), QColor(0x6d, 0x4c, 0x41));
    m_blocks = makePlot(this, tr("blocks/s"), QString());
    m_verified = makeGraph(m_blocks, m_blocks->yAxis, tr("blocks verified per second"), QColor(0x43, 0xa0, 0x47));
    layout->addWidget(m_throughput, 2);
    layout->addWidget(m_lag, 2);
    layout->addWidget(m_blocks, 1);

    connect(m_window, &QComboBox::currentIndexChanged, this, [this] { setWindowSeconds(m_window->currentData().toInt()); });
    // A steady, queued replot: samples only mark the plots as changed. Each plot is replotted
    // four times a second, one plot per tick: a replot renders and paints at once (about a
    // millisecond on the build machine), and three in a row would hold the event loop
    // three times as long.
    m_replot.setInterval(250 / PlotCount);
    connect(&m_replot, &QTimer::timeout, this, &LinkChartsWidget::replot);
    m_replot.start();
}

void LinkChartsWidget::setWindowSeconds(int seconds)
{
    m_windowSeconds = seconds;
    const int index = m_window->findData(seconds);
    if (index >= 0 && index != m_window->currentIndex())
        m_window->setCurrentIndex(index);
    m_changed = AllPlots;
}

void LinkChartsWidget::addSample(qint64 atMs, const LinkStats &stats)
{
    const double t = atMs / 1000.0;
    m_rows->addData(t, stats.rowsPerSecond);
    m_bytes->addData(t, stats.bytesPerSecond);
    m_lagGraph->addData(t, stats.lagMs);
    m_pending->addData(t, double(stats.pending));
    double perSecond = 0;
    if (m_lastVerifiedAtMs > 0 && atMs > m_lastVerifiedAtMs && stats.blocksVerified >= m_lastVerified)
        perSecond = (stats.blocksVerified - m_lastVerified) * 1000.0 / (atMs - m_lastVerifiedAtMs);
    m_verified->addData(t, perSecond);
    m_lastVerified = stats.blocksVerified;
    m_lastVerifiedAtMs = atMs;
    // Bounded: the largest window is kept (so that switching windows shows history).
    const double keepFrom = t - 3600;
    for (QCPGraph *graph : {m_rows, m_bytes, m_lagGraph, m_pending, m_verified})
        graph->data()->removeBefore(keepFrom);
    m_now = t;
    m_changed = AllPlots;
}

int LinkChartsWidget::pointCount() const
{
    return m_rows->data()->size();
}

void LinkChartsWidget::clear()
{
    for (QCPGraph *graph : {m_rows, m_bytes, m_lagGraph, m_pending, m_verified})
        graph->data()->clear();
    m_lastVerifiedAtMs = 0;
    m_lastVerified = 0;
    m_changed = AllPlots;
}

void LinkChartsWidget::replot()
{
    if (!m_changed || !isVisible())
        return;
    // The next plot with changes, round robin.
    int index = m_nextPlot;
    while (!(m_changed & (1u << index)))
        index = (index + 1) % PlotCount;
    m_nextPlot = (index + 1) % PlotCount;
    m_changed &= ~(1u << index);
    QCustomPlot *plot = std::array<QCustomPlot *, PlotCount>{m_throughput, m_lag, m_blocks}[size_t(index)];
    const double from = m_now - m_windowSeconds;
    plot->xAxis->setRange(from, m_now);
    bool found = false;
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph *graph = plot->graph(i);
        const QCPRange range = graph->data()->valueRange(found, QCP::sdBoth, QCPRange(from, m_now));
        QCPAxis *axis = graph->valueAxis();
        axis->setRange(0, found ? std::max(1.0, range.upper * 1.15) : 1.0);
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ferry
