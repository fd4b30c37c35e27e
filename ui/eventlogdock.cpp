#include "eventlogdock.h"

#include "eventlogfilter.h"
#include "eventlogmodel.h"
#include "util/ferryerror.h"
#include "util/runinpool.h"
#include "util/whenfinished.h"

#include <QApplication>
#include <QCache>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStaticText>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace ferry {

namespace {

// The cells of the event table, drawn from text laid out once: an event's texts never
// change, and laying them out again on every repaint (QStyledItemDelegate does, with
// elision and shaping) was the costliest paint of the console while events came in
// (about 2 ms of the GUI thread per repaint of the table, half of it with this delegate;
// tests/bench/bench_console.cpp, docs/benchmarks.md). Background, selection and focus are
// drawn by the style as before.
class EventCellDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QWidget *widget = opt.widget;
        const QStyle *style = widget ? widget->style() : QApplication::style();
        const QString text = opt.text;
        opt.text.clear();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        if (text.isEmpty())
            return;
        // The text rectangle as QCommonStyle has it for a cell without icon or check box.
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect r = opt.rect.adjusted(margin, 0, -margin, 0);
        if (r.width() <= 0)
            return;
        const QString key = QString::number(r.width()) + QLatin1Char('\x1f') + QString::number(int(opt.textElideMode)) + QLatin1Char('\x1f')
            + opt.font.key() + QLatin1Char('\x1f') + text;
        QStaticText *laidOut = m_texts.object(key);
        if (!laidOut) {
            laidOut = new QStaticText(QFontMetrics(opt.font).elidedText(text, opt.textElideMode, r.width()));
            laidOut->setTextFormat(Qt::PlainText);
            laidOut->prepare(QTransform(), opt.font);
            m_texts.insert(key, laidOut);
        }
        const QSizeF size = laidOut->size();
        const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
        double x = r.left();
        if (align & Qt::AlignRight)
            x = r.right() + 1 - size.width();
        else if (align & Qt::AlignHCenter)
            x = r.left() + (r.width() - size.width()) / 2;
        const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
                                           : (opt.state & QStyle::State_Active)  ? QPalette::Normal
                                                                                 : QPalette::Inactive;
        painter->save();
        painter->setFont(opt.font);
        painter->setPen(opt.palette.color(group, (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
        painter->drawStaticText(QPointF(x, r.top() + (r.height() - size.height()) / 2), *laidOut);
        painter->restore();
    }

private:
    // By width, elide mode, font and text; a few screens of cells.
    mutable QCache<QString, QStaticText> m_texts{4000};
};

} // namespace

EventLogDock::EventLogDock(QWidget *parent, int capacity)
    : QDockWidget(tr("Events"), parent)
    , m_model(new EventLogModel(capacity, this))
    , m_filter(new EventLogFilter(this))
{
    setObjectName(QStringLiteral("eventLogDock"));
    m_writer.setMaxThreadCount(1);
    m_filter->setSourceModel(m_model);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bar = new QHBoxLayout;
    m_text = new QLineEdit(content);
    m_text->setObjectName(QStringLiteral("filterText"));
    m_text->setPlaceholderText(tr("Filter: text in any column"));
    m_text->setClearButtonEnabled(true);
    m_severity = new QComboBox(content);
    m_severity->setObjectName(QStringLiteral("severity"));
    m_severity->addItem(tr("All severities"), 0);
    m_severity->addItem(tr("Warnings and errors"), 1);
    m_severity->addItem(tr("Errors only"), 2);
    m_export = new QPushButton(tr("&Export CSV..."), content);
    m_export->setObjectName(QStringLiteral("exportCsv"));
    m_status = new QLabel(content);
    m_status->setObjectName(QStringLiteral("status"));
    bar->addWidget(m_text, 2);
    bar->addWidget(m_severity);
    bar->addWidget(m_export);
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);

    m_view = new QTableView(content);
    m_view->setObjectName(QStringLiteral("events"));
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new EventCellDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(EventLogModel::TimeColumn, m_view->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00.000")) + 16);
    m_view->horizontalHeader()->resizeSection(EventLogModel::SeverityColumn, 80);
    layout->addWidget(m_view);
    setWidget(content);

    connect(m_text, &QLineEdit::textChanged, this, &EventLogDock::setFilterText);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] { m_filter->setMinimumSeverity(m_severity->currentData().toInt()); });
    connect(m_export, &QPushButton::clicked, this, &EventLogDock::chooseExportFile);
}

EventLogDock::~EventLogDock()
{
    m_writer.waitForDone();
}

int EventLogDock::visibleRowCount() const
{
    return m_filter->rowCount();
}

void EventLogDock::addEvents(const QList<NodeEvent> &events)
{
    m_model->addEvents(events);
}

void EventLogDock::setFilterText(const QString &text)
{
    if (m_text->text() != text)
        m_text->setText(text);   // comes back here through textChanged
    else
        m_filter->setText(text);
}

void EventLogDock::setMinimumSeverity(int severity)
{
    const int index = m_severity->findData(severity);
    if (index >= 0)
        m_severity->setCurrentIndex(index);
    m_filter->setMinimumSeverity(severity);
}

QString EventLogDock::csvField(const QString &text)
{
    // RFC 4180: quote a field with a separator, a quote or a line break; double the quotes.
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QFuture<int> EventLogDock::exportCsv(const QString &path)
{
    // What is shown now, copied in this thread; the disk is touched in the worker only.
    QStringList lines;
    const int rows = m_filter->rowCount();
    lines.reserve(rows + 1);
    QStringList fields;
    for (int column = 0; column < EventLogModel::ColumnCount; ++column)
        fields << csvField(m_filter->headerData(column, Qt::Horizontal).toString());
    lines << fields.join(QLatin1Char(','));
    for (int row = 0; row < rows; ++row) {
        fields.clear();
        for (int column = 0; column < EventLogModel::ColumnCount; ++column)
            fields << csvField(m_filter->index(row, column).data().toString());
        lines << fields.join(QLatin1Char(','));
    }
    m_export->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Writing %1...").arg(QDir::toNativeSeparators(path)));

    QFuture<int> future = runInPool(&m_writer, [path, lines, rows] {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            throw FerryError(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        const QByteArray data = lines.join(QStringLiteral("\r\n")).toUtf8() + "\r\n";
        if (file.write(data) != data.size() || !file.commit())
            throw FerryError(tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return rows;
    });
    whenFinished(this, future, [this, path](const QFuture<int> &done) {
        m_export->setEnabled(true);
        QString error;
        int written = 0;
        try {
            written = resultOf(done);
        } catch (const std::exception &e) {
            error = errorMessage(e);
        }
        if (error.isEmpty()) {
            const QString message = tr("Exported %1 events to %2.").arg(written).arg(QDir::toNativeSeparators(path));
            m_status->setText(message);
            emit exportFinished(true, message);
            return;
        }
        const QString message = tr("The events were not exported: %1").arg(error);
        m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_status->setText(message);
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export CSV"), message, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        emit exportFinished(false, message);
    });
    return future;
}

void EventLogDock::chooseExportFile()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export events as CSV"), QDir(folder).filePath(QStringLiteral("ferry-events.csv")),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty())
        return;
    exportCsv(path);
}

} // namespace ferry
