#include "blockmapwidget.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>
#include <cstring>
#include <vector>

namespace ferry {

namespace {

constexpr int LegendLineHeight = 20;

} // namespace

BlockMapWidget::BlockMapWidget(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Block map"));
}

QColor BlockMapWidget::stateColor(BlockState state)
{
    switch (state) {
    case BlockState::Pending: return QColor(0xd0, 0xd4, 0xda);
    case BlockState::Hashing: return QColor(0x7f, 0xb3, 0xe8);
    case BlockState::Equal: return QColor(0x4c, 0xaf, 0x50);
    case BlockState::Differs: return QColor(0xff, 0x98, 0x00);
    case BlockState::Repairing: return QColor(0xab, 0x47, 0xbc);
    case BlockState::Repaired: return QColor(0x00, 0x96, 0x88);
    case BlockState::Failed: return QColor(0xe5, 0x39, 0x35);
    }
    return Qt::gray;
}

QString BlockMapWidget::stateLabel(BlockState state)
{
    switch (state) {
    case BlockState::Pending: return tr("pending");
    case BlockState::Hashing: return tr("hashing");
    case BlockState::Equal: return tr("equal");
    case BlockState::Differs: return tr("differs");
    case BlockState::Repairing: return tr("repairing");
    case BlockState::Repaired: return tr("repaired");
    case BlockState::Failed: return tr("failed");
    }
    return {};
}

void BlockMapWidget::clear()
{
    m_blocks.clear();
    m_counts.fill(0);
    m_hover = -1;
    m_dirty = true;
    update();
}

void BlockMapWidget::setBlock(int index, const BlockInfo &block)
{
    if (index < 0)
        return;
    if (index >= m_blocks.size()) {
        const qsizetype added = index + 1 - m_blocks.size();
        m_blocks.resize(index + 1);
        m_counts[int(BlockState::Pending)] += int(added);
    }
    --m_counts[int(m_blocks.at(index).state)];
    m_blocks[index] = block;
    ++m_counts[int(block.state)];
}

void BlockMapWidget::applyProgress(const VerificationProgress &progress)
{
    if (progress.blocksPlanned > m_blocks.size()) {
        m_counts[int(BlockState::Pending)] += int(progress.blocksPlanned - m_blocks.size());
        m_blocks.resize(progress.blocksPlanned);
    }
    for (const auto &[index, block] : progress.changedBlocks)
        setBlock(index, block);
    m_dirty = true;
    update();
}

QRect BlockMapWidget::mapRect() const
{
    return rect().adjusted(0, 0, 0, -legendHeight());
}

BlockMapWidget::Layout BlockMapWidget::layout() const
{
    Layout result;
    const QRect area = mapRect();
    const int n = std::max(1, int(m_blocks.size()));
    if (area.width() <= 0 || area.height() <= 0)
        return result;
    // Square-ish cells that fill the area: columns / rows ~ width / height.
    const double aspect = double(area.width()) / area.height();
    result.columns = std::max(1, int(std::ceil(std::sqrt(n * aspect))));
    result.rows = std::max(1, int(std::ceil(double(n) / result.columns)));
    result.cellWidth = double(area.width()) / result.columns;
    result.cellHeight = double(area.height()) / result.rows;
    return result;
}

void BlockMapWidget::renderImage()
{
    const qreal ratio = devicePixelRatioF();
    const QRect area = mapRect();
    const QSize pixels(std::max(1, int(area.width() * ratio)), std::max(1, int(area.height() * ratio)));
    if (m_image.size() != pixels)
        m_image = QImage(pixels, QImage::Format_RGB32);
    // Set here, on the cached image: paintEvent must not copy (detach) it to set it.
    m_image.setDevicePixelRatio(ratio);
    m_image.fill(palette().color(QPalette::Base));
    m_dirty = false;
    ++m_renders;
    if (m_blocks.isEmpty())
        return;
    // Colours from a lookup table, cells written straight into the scan lines.
    std::array<QRgb, BlockStateCount> colors;
    for (int i = 0; i < BlockStateCount; ++i)
        colors[i] = stateColor(BlockState(i)).rgb();
    const Layout l = layout();
    const double cw = l.cellWidth * ratio;
    const double ch = l.cellHeight * ratio;
    const bool gaps = cw >= 4 && ch >= 4;   // a 1-pixel gap between cells large enough to show it
    const int width = m_image.width();
    const int height = m_image.height();
    // Each pixel column's cell column (-1 for a gap), worked out once per render.
    std::vector<int> columnOf(width);
    for (int x = 0; x < width; ++x) {
        const int column = std::min(l.columns - 1, int(x / cw));
        columnOf[x] = (gaps && x >= int((column + 1) * cw) - 1) ? -1 : column;
    }
    const QRgb background = palette().color(QPalette::Base).rgb();
    // A cell row's colours are looked up once; the pixel lines of the same cell row are
    // copies of its first line.
    std::vector<QRgb> rowColors(size_t(l.columns));
    const QRgb *previousLine = nullptr;
    int previousRow = -1;
    for (int y = 0; y < height; ++y) {
        const int row = std::min(l.rows - 1, int(y / ch));
        QRgb *line = reinterpret_cast<QRgb *>(m_image.scanLine(y));
        if (gaps && y >= int((row + 1) * ch) - 1)
            continue;
        if (row == previousRow) {
            std::memcpy(line, previousLine, size_t(width) * sizeof(QRgb));
            continue;
        }
        const qsizetype rowBase = qsizetype(row) * l.columns;
        for (int column = 0; column < l.columns; ++column) {
            const qsizetype index = rowBase + column;
            rowColors[size_t(column)] = index < m_blocks.size() ? colors[int(m_blocks.at(index).state)] : background;
        }
        for (int x = 0; x < width; ++x) {
            const int column = columnOf[x];
            line[x] = column < 0 ? background : rowColors[size_t(column)];
        }
        previousLine = line;
        previousRow = row;
    }
}

QRect BlockMapWidget::cellRect(int index) const
{
    if (index < 0 || index >= m_blocks.size())
        return QRect();
    const QRect area = mapRect();
    const Layout l = layout();
    const int row = index / l.columns;
    const int column = index % l.columns;
    return QRectF(area.left() + column * l.cellWidth, area.top() + row * l.cellHeight, l.cellWidth, l.cellHeight).toAlignedRect();
}

void BlockMapWidget::paintEvent(QPaintEvent *event)
{
    if (m_dirty || m_image.devicePixelRatio() != devicePixelRatioF())
        renderImage();
    QPainter painter(this);
    const QRect area = mapRect();
    // The image is opaque and covers the map area: the background is only needed around
    // it. The painter clips to the region asked for (a hover repaints two cells only).
    const QRect image(area.topLeft(), m_image.deviceIndependentSize().toSize());
    for (const QRect &r : event->region().subtracted(QRegion(image)))
        painter.fillRect(r, palette().color(QPalette::Window));
    painter.drawImage(area.topLeft(), m_image);
    if (m_hover >= 0 && m_hover < m_blocks.size()) {
        const Layout l = layout();
        const int row = m_hover / l.columns;
        const int column = m_hover % l.columns;
        const QRectF cell(area.left() + column * l.cellWidth, area.top() + row * l.cellHeight, l.cellWidth, l.cellHeight);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(cell.adjusted(-1, -1, 1, 1));
    }
    // The legend: a swatch, the state's name and how many blocks are in it, wrapped onto
    // as many lines as the width needs.
    if (!event->rect().intersects(QRect(0, area.bottom() + 1, width(), height())))
        return;
    painter.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics metrics(font());
    int x = 4;
    int y = area.bottom() + 4;
    for (int i = 0; i < BlockStateCount; ++i) {
        const QString text = QStringLiteral("%1 %2").arg(stateLabel(BlockState(i))).arg(m_counts[i]);
        const int width = 14 + metrics.horizontalAdvance(text) + 12;
        if (x > 4 && x + width > this->width()) {
            x = 4;
            y += LegendLineHeight;
        }
        painter.fillRect(QRect(x, y + 3, 10, 10), stateColor(BlockState(i)));
        painter.drawText(QPoint(x + 14, y + 3 + metrics.ascent() - 1), text);
        x += width;
    }
}

int BlockMapWidget::legendHeight() const
{
    const QFontMetrics metrics(font());
    int lines = 1;
    int x = 4;
    for (int i = 0; i < BlockStateCount; ++i) {
        const int width = 14 + metrics.horizontalAdvance(QStringLiteral("%1 %2").arg(stateLabel(BlockState(i))).arg(m_counts[i])) + 12;
        if (x > 4 && x + width > this->width()) {
            x = 4;
            ++lines;
        }
        x += width;
    }
    return lines * LegendLineHeight + 4;
}

void BlockMapWidget::resizeEvent(QResizeEvent *event)
{
    m_dirty = true;
    QWidget::resizeEvent(event);
}

int BlockMapWidget::blockAt(const QPoint &point) const
{
    const QRect area = mapRect();
    if (!area.contains(point) || m_blocks.isEmpty())
        return -1;
    const Layout l = layout();
    const int column = std::min(l.columns - 1, int((point.x() - area.left()) / l.cellWidth));
    const int row = std::min(l.rows - 1, int((point.y() - area.top()) / l.cellHeight));
    const qsizetype index = qsizetype(row) * l.columns + column;
    return index < m_blocks.size() ? int(index) : -1;
}

void BlockMapWidget::mousePressEvent(QMouseEvent *event)
{
    const int index = event->button() == Qt::LeftButton ? blockAt(event->position().toPoint()) : -1;
    if (index >= 0)
        emit blockClicked(index);
    QWidget::mousePressEvent(event);
}

void BlockMapWidget::mouseMoveEvent(QMouseEvent *event)
{
    const int hover = blockAt(event->position().toPoint());
    if (hover != m_hover) {
        // The image stays: only the old and the new hover frames are drawn again.
        update(cellRect(m_hover).adjusted(-3, -3, 3, 3));
        m_hover = hover;
        update(cellRect(m_hover).adjusted(-3, -3, 3, 3));
    }
}

void BlockMapWidget::leaveEvent(QEvent *event)
{
    update(cellRect(m_hover).adjusted(-3, -3, 3, 3));
    m_hover = -1;
    QWidget::leaveEvent(event);
}

bool BlockMapWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = blockAt(help->pos());
        if (index < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const BlockInfo &b = m_blocks.at(index);
        QToolTip::showText(help->globalPos(),
                           tr("Block %1: %2\nKey range %3\nRows: %4 source, %5 target\nSource digest: %6\nTarget digest: %7")
                               .arg(index)
                               .arg(stateLabel(b.state), describeRange(b.range))
                               .arg(b.sourceRows)
                               .arg(b.targetRows < 0 ? tr("not yet") : QString::number(b.targetRows))
                               .arg(b.sourceDigest.isEmpty() ? tr("not yet") : QString::fromLatin1(b.sourceDigest.toHex()),
                                    b.targetDigest.isEmpty() ? tr("not yet") : QString::fromLatin1(b.targetDigest.toHex()))
                               + QLatin1Char('\n') + tr("Click to list the rows that differ."),
                           this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace ferry
