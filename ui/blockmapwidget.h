#pragma once

#include "blocks/blockstate.h"

#include <QImage>
#include <QWidget>

#include <array>

namespace ferry {

// One cell per block of a link's table, coloured by state (pending, hashing, equal,
// differs, repairing, repaired, failed), with a legend and counts below. The cells are
// rendered into a QImage at the widget's pixel size only when blocks or the size change;
// paintEvent blits it and draws the hovered cell on top (qBittorrent's PiecesBar). The
// tooltip gives the block's key range, rows and both digests. Stays smooth at 100,000
// blocks.
class BlockMapWidget : public QWidget
{
    Q_OBJECT

public:
    explicit BlockMapWidget(QWidget *parent = nullptr);

    // Forgets every block (a new verification round, another link).
    void clear();
    // Takes the blocks a progress report says changed, and the planned count.
    void applyProgress(const VerificationProgress &progress);

    int blockCount() const { return int(m_blocks.size()); }
    const BlockInfo &block(int index) const { return m_blocks.at(index); }
    int count(BlockState state) const { return m_counts[int(state)]; }
    // The block under a point of the widget, or -1.
    int blockAt(const QPoint &point) const;
    // The colour of a state (the same for the map, the legend and the topology arrows).
    static QColor stateColor(BlockState state);
    static QString stateLabel(BlockState state);

    QSize sizeHint() const override { return QSize(480, 200); }
    QSize minimumSizeHint() const override { return QSize(160, 90); }

    // The map's area: cells, without the legend.
    QRect mapRect() const;

    // How many times the cells were rendered into the image (not the repaints that only
    // blit it), for tests and benchmarks.
    int renderCount() const { return m_renders; }

signals:
    // A block was clicked (the console then lists its differing rows).
    void blockClicked(int index);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Layout
    {
        int columns = 1;
        int rows = 1;
        double cellWidth = 1;
        double cellHeight = 1;
    };
    Layout layout() const;
    int legendHeight() const;
    QRect cellRect(int index) const;   // widget coordinates; empty for -1
    void renderImage();
    void setBlock(int index, const BlockInfo &block);

    QList<BlockInfo> m_blocks;
    std::array<int, BlockStateCount> m_counts{};
    QImage m_image;
    bool m_dirty = true;
    int m_hover = -1;
    int m_renders = 0;
};

} // namespace ferry
