#include "linkchartswidget.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>

#include <array>

#include <qcustomplot.h>

namespace ferry {

struct LinkChartsWidget::History
{
    QSharedPointer<QCPGraphDataContainer> rows, bytes, lag, pending, verified;
    qint64 lastVerifiedAtMs = 0;   // the start of the window the verification rate is measured over
    int lastVerified = 0;
    double verifiedPerSecond = 0;
    double now = 0;
};

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
    // Zoom (wheel) and pan (drag) the time axis only.
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    plot->axisRect()->setRangeDragAxes(plot->xAxis, nullptr);
    plot->axisRect()->setRangeZoomAxes(plot->xAxis, nullptr);
    plot->setMouseTracking(true);
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
    auto *hint = new QLabel(tr("Wheel: zoom, drag: pan, double-click: now"), this);
    hint->setObjectName(QStringLiteral("chartHint"));
    hint->setEnabled(false);
    bar->addWidget(hint, 1);
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
    showLink(QString());

    for (QCustomPlot *plot : {m_throughput, m_lag, m_blocks}) {
        // The operator's zoom or pan stops the axis following the present.
        connect(plot, &QCustomPlot::mousePress, this, [this] { m_following = false; });
        connect(plot, &QCustomPlot::mouseWheel, this, [this] { m_following = false; });
        connect(plot, &QCustomPlot::mouseDoubleClick, this, [this] { setFollowing(true); });
        connect(plot, &QCustomPlot::mouseMove, this, [this, plot](QMouseEvent *event) { hover(plot, event); });
        connect(plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, [this, plot] { syncRange(plot); });
    }

    connect(m_window, &QComboBox::currentIndexChanged, this, [this] { setWindowSeconds(m_window->currentData().toInt()); });
    // A steady, queued replot: samples only mark the plots as changed. Each plot is replotted
    // four times a second, one plot per tick: a replot renders and paints at once (about a
    // millisecond on the build machine), and three in a row would hold the event loop
    // three times as long.
    m_replot.setInterval(250 / PlotCount);
    connect(&m_replot, &QTimer::timeout, this, &LinkChartsWidget::replot);
    m_replot.start();
}

LinkChartsWidget::~LinkChartsWidget() = default;

void LinkChartsWidget::setWindowSeconds(int seconds)
{
    m_windowSeconds = seconds;
    const int index = m_window->findData(seconds);
    if (index >= 0 && index != m_window->currentIndex())
        m_window->setCurrentIndex(index);
    setFollowing(true);
}

void LinkChartsWidget::setFollowing(bool following)
{
    m_following = following;
    m_changed = AllPlots;
}

LinkChartsWidget::History &LinkChartsWidget::history(const QString &linkKey)
{
    std::shared_ptr<History> &h = m_histories[linkKey];
    if (!h) {
        h = std::make_shared<History>();
        h->rows.reset(new QCPGraphDataContainer);
        h->bytes.reset(new QCPGraphDataContainer);
        h->lag.reset(new QCPGraphDataContainer);
        h->pending.reset(new QCPGraphDataContainer);
        h->verified.reset(new QCPGraphDataContainer);
    }
    return *h;
}

void LinkChartsWidget::addSample(const QString &linkKey, qint64 atMs, const LinkStats &stats)
{
    History &h = history(linkKey);
    const double t = atMs / 1000.0;
    h.rows->add(QCPGraphData(t, stats.rowsPerSecond));
    h.bytes->add(QCPGraphData(t, stats.bytesPerSecond));
    h.lag->add(QCPGraphData(t, stats.lagMs));
    h.pending->add(QCPGraphData(t, double(stats.pending)));
    // Over a second at least: samples can arrive a millisecond apart (a round's last
    // progress and the stats), and a count divided by that is no rate.
    if (h.lastVerifiedAtMs == 0 || stats.blocksVerified < h.lastVerified) {
        // The first sample, or a new round (its count starts again).
        h.lastVerified = stats.blocksVerified;
        h.lastVerifiedAtMs = atMs;
        h.verifiedPerSecond = 0;
    } else if (atMs - h.lastVerifiedAtMs >= 1000) {
        h.verifiedPerSecond = (stats.blocksVerified - h.lastVerified) * 1000.0 / (atMs - h.lastVerifiedAtMs);
        h.lastVerified = stats.blocksVerified;
        h.lastVerifiedAtMs = atMs;
    }
    h.verified->add(QCPGraphData(t, h.verifiedPerSecond));
    // Bounded: the largest window is kept (so that switching windows shows history).
    const double keepFrom = t - 3600;
    for (const auto &data : {h.rows, h.bytes, h.lag, h.pending, h.verified})
        data->removeBefore(keepFrom);
    h.now = t;
    if (linkKey == m_shown)
        m_changed = AllPlots;
}

void LinkChartsWidget::showLink(const QString &linkKey)
{
    m_shown = linkKey;
    History &h = history(linkKey);
    m_rows->setData(h.rows);
    m_bytes->setData(h.bytes);
    m_lagGraph->setData(h.lag);
    m_pending->setData(h.pending);
    m_verified->setData(h.verified);
    setFollowing(true);
}

int LinkChartsWidget::pointCount() const
{
    return m_rows->data()->size();
}

int LinkChartsWidget::pointCount(const QString &linkKey) const
{
    const auto it = m_histories.constFind(linkKey);
    return it == m_histories.constEnd() ? 0 : (*it)->rows->size();
}

void LinkChartsWidget::clear()
{
    History &h = history(m_shown);
    for (const auto &data : {h.rows, h.bytes, h.lag, h.pending, h.verified})
        data->clear();
    h.lastVerifiedAtMs = 0;
    h.lastVerified = 0;
    m_changed = AllPlots;
}

QString LinkChartsWidget::valuesAt(QCustomPlot *plot, double key) const
{
    QStringList lines;
    double at = 0;
    for (int i = 0; i < plot->graphCount(); ++i) {
        const QCPGraph *graph = plot->graph(i);
        const auto data = graph->data();
        if (data->isEmpty())
            continue;
        // The sample nearest to the key.
        auto it = data->findBegin(key, false);
        if (it == data->constEnd())
            --it;
        if (it != data->constBegin()) {
            auto before = it - 1;
            if (std::abs(before->key - key) < std::abs(it->key - key))
                it = before;
        }
        at = it->key;
        lines << QStringLiteral("%1: %2").arg(graph->name(), QLocale().toString(it->value, 'f', it->value < 10 ? 2 : 0));
    }
    if (lines.isEmpty())
        return QString();
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(qint64(at * 1000));
    lines.prepend(when.toString(QStringLiteral("HH:mm:ss t")));
    return lines.join(QLatin1Char('\n'));
}

void LinkChartsWidget::hover(QCustomPlot *plot, QMouseEvent *event)
{
    if (!plot->axisRect()->rect().contains(event->position().toPoint())) {
        QToolTip::hideText();
        return;
    }
    const QString text = valuesAt(plot, plot->xAxis->pixelToCoord(event->position().x()));
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot);
}

void LinkChartsWidget::syncRange(QCustomPlot *from)
{
    // The three plots share one time axis.
    if (m_syncing)
        return;
    m_syncing = true;
    const QCPRange range = from->xAxis->range();
    for (QCustomPlot *plot : {m_throughput, m_lag, m_blocks}) {
        if (plot != from && plot->xAxis->range() != range) {
            plot->xAxis->setRange(range);
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
    }
    m_syncing = false;
}

void LinkChartsWidget::replotNow()
{
    for (int i = 0; i < PlotCount; ++i) {
        m_changed = AllPlots;
        replot();
    }
    for (QCustomPlot *plot : {m_throughput, m_lag, m_blocks})
        plot->replot(QCustomPlot::rpImmediateRefresh);
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
    const auto history = m_histories.constFind(m_shown);
    const double now = history == m_histories.constEnd() ? 0 : (*history)->now;
    if (m_following) {
        m_syncing = true;   // each plot sets its own range when following
        plot->xAxis->setRange(now - m_windowSeconds, now);
        m_syncing = false;
    }
    const QCPRange shown = plot->xAxis->range();
    bool found = false;
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph *graph = plot->graph(i);
        const QCPRange range = graph->data()->valueRange(found, QCP::sdBoth, shown);
        QCPAxis *axis = graph->valueAxis();
        axis->setRange(0, found ? std::max(1.0, range.upper * 1.15) : 1.0);
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ferry
