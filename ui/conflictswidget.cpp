#include "conflictswidget.h"

#include "eventlogdock.h"
#include "security/accesspolicy.h"
#include "util/ferryerror.h"
#include "util/runinpool.h"
#include "util/whenfinished.h"
#include "wire/protocol.h"

#include <QAction>

#include <QDir>
#include <QFileDialog>
#include <QLineEdit>
#include <QSaveFile>
#include <QStandardPaths>

#include "util/ferryerror.h"
#include "util/whenfinished.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ferry {

namespace {

// The data center's name in the chooser (its address in the item's tooltip): at 1024x700
// "name (host:port)" leaves the bar no room.
QString nodeName(const NodeView &node)
{
    return node.name.isEmpty() ? node.address : node.name;
}

QString nodeTitle(const NodeView &node)
{
    return node.name.isEmpty() ? node.address : QStringLiteral("%1 (%2)").arg(node.name, node.address);
}

// A stored row version: a JSON array of the row's values in column order; empty when
// there is no row (deleted on that side).
QStringList rowValues(const QString &json, const QStringList &types, bool *parsed)
{
    *parsed = false;
    if (json.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isArray())
        return {json};
    *parsed = true;
    QStringList values;
    const QJsonArray array = document.array();
    for (qsizetype i = 0; i < array.size(); ++i)
        values << ConflictApplyDialog::valueText(array.at(i), types.value(i));
    return values;
}

QString rowHtml(const QStringList &values, const QStringList &other, bool parsed, const QString &absent, const QStringList &columns)
{
    if (values.isEmpty())
        return QStringLiteral("<p><i>%1</i></p>").arg(absent.toHtmlEscaped());
    if (!parsed)
        return QStringLiteral("<pre>%1</pre>").arg(values.first().toHtmlEscaped());
    // One value per line; those that differ from the other version are marked.
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
    for (int i = 0; i < values.size(); ++i) {
        const bool differs = i >= other.size() || other.at(i) != values.at(i);
        html += QStringLiteral("<tr%1><td style=\"color:#888\">%2</td><td>%3</td></tr>")
                    .arg(differs ? QStringLiteral(" style=\"background-color:#fff3cd\"") : QString())
                    .arg(i < columns.size() ? columns.at(i).toHtmlEscaped() : QString::number(i + 1))
                    .arg(values.at(i).toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}

} // namespace

ConflictsWidget::ConflictsWidget(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    auto *nodeLabel = new QLabel(tr("&Data center:"), this);
    m_node = new QComboBox(this);
    m_node->setObjectName(QStringLiteral("node"));
    m_node->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    nodeLabel->setBuddy(m_node);
    auto *databaseLabel = new QLabel(tr("Databa&se:"), this);
    m_database = new QComboBox(this);
    m_database->setObjectName(QStringLiteral("database"));
    m_database->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    databaseLabel->setBuddy(m_database);
    m_refresh = new QPushButton(tr("&Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("refresh"));
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("conflictFilter"));
    m_filter->setPlaceholderText(tr("Filter: link, table, key, reason"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(120);
    m_export = new QPushButton(tr("E&xport CSV..."), this);
    m_export->setObjectName(QStringLiteral("exportConflicts"));
    m_writer.setMaxThreadCount(1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setTextFormat(Qt::PlainText);
    bar->addWidget(nodeLabel);
    bar->addWidget(m_node);
    bar->addWidget(databaseLabel);
    bar->addWidget(m_database);
    bar->addWidget(m_refresh);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_export);
    layout->addLayout(bar);
    // On a line of its own: at 1024x700 the bar has no room left for a sentence.
    m_status->setWordWrap(true);
    m_status->setVisible(false);
    layout->addWidget(m_status);

    m_stack = new QStackedWidget(this);
    m_message = new QLabel(m_stack);
    m_message->setObjectName(QStringLiteral("emptyState"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setForegroundRole(QPalette::PlaceholderText);
    m_stack->addWidget(m_message);

    auto *splitter = new QSplitter(Qt::Vertical, m_stack);
    m_table = new QTableWidget(0, 6, splitter);
    m_table->setObjectName(QStringLiteral("conflicts"));
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("Link"), tr("Table"), tr("Key"), tr("Reason"), tr("Lost version from")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *detail = new QWidget(splitter);
    auto *detailLayout = new QHBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    auto *keptColumn = new QVBoxLayout;
    m_keptTitle = new QLabel(tr("Kept"), detail);
    m_kept = new QTextBrowser(detail);
    m_kept->setObjectName(QStringLiteral("kept"));
    keptColumn->addWidget(m_keptTitle);
    keptColumn->addWidget(m_kept);
    auto *lostColumn = new QVBoxLayout;
    m_lostTitle = new QLabel(tr("Lost"), detail);
    m_lost = new QTextBrowser(detail);
    m_lost->setObjectName(QStringLiteral("lost"));
    lostColumn->addWidget(m_lostTitle);
    lostColumn->addWidget(m_lost);
    // Writing one version again: a button under each version, and the same actions in the
    // table's context menu (the menu key or Shift+F10 opens it on the selected row).
    m_applyKept = new QAction(tr("Apply &kept version..."), this);
    m_applyKept->setObjectName(QStringLiteral("applyKept"));
    m_applyLost = new QAction(tr("Apply &lost version..."), this);
    m_applyLost->setObjectName(QStringLiteral("applyLost"));
    m_applyKeptButton = new QPushButton(tr("Apply ke&pt version..."), detail);
    m_applyKeptButton->setObjectName(QStringLiteral("applyKeptButton"));
    m_applyLostButton = new QPushButton(tr("Apply los&t version..."), detail);
    m_applyLostButton->setObjectName(QStringLiteral("applyLostButton"));
    for (QPushButton *button : {m_applyKeptButton, m_applyLostButton})
        button->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
    keptColumn->addWidget(m_applyKeptButton, 0, Qt::AlignLeft);
    lostColumn->addWidget(m_applyLostButton, 0, Qt::AlignLeft);
    m_table->addAction(m_applyKept);
    m_table->addAction(m_applyLost);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_applyKept, &QAction::triggered, this, [this] { openApply(false); });
    connect(m_applyLost, &QAction::triggered, this, [this] { openApply(true); });
    connect(m_applyKeptButton, &QPushButton::clicked, this, [this] { openApply(false); });
    connect(m_applyLostButton, &QPushButton::clicked, this, [this] { openApply(true); });
    detailLayout->addLayout(keptColumn);
    detailLayout->addLayout(lostColumn);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    m_stack->addWidget(splitter);
    layout->addWidget(m_stack, 1);

    connect(m_node, &QComboBox::currentIndexChanged, this, [this] {
        fillDatabases();
        selectionChanged();
    });
    connect(m_database, &QComboBox::currentIndexChanged, this, &ConflictsWidget::selectionChanged);
    connect(m_refresh, &QPushButton::clicked, this, &ConflictsWidget::refresh);
    connect(m_filter, &QLineEdit::textChanged, this, &ConflictsWidget::applyFilter);
    connect(m_export, &QPushButton::clicked, this, &ConflictsWidget::chooseExportFile);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ConflictsWidget::showDetail);
    showEmpty(tr("Choose a data center and a database to see the conflicts recorded there."));
    updateApplyActions();
}

void ConflictsWidget::setFetcher(Fetcher fetcher)
{
    m_fetch = std::move(fetcher);
}

void ConflictsWidget::setApplier(Applier applier)
{
    m_apply = std::move(applier);
    updateApplyActions();
}

void ConflictsWidget::setRole(Role role)
{
    m_role = role;
    updateApplyActions();
}

ConflictView ConflictsWidget::selectedConflict() const
{
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    const int row = ranges.isEmpty() ? -1 : ranges.first().topRow();
    if (row < 0 || row >= m_rows.size() || m_table->isRowHidden(row))
        return ConflictView();
    return m_rows.at(row);
}

void ConflictsWidget::updateApplyActions()
{
    const QString refusal = roleRefusal(m_role, QString(protocol::Type::ConflictApply));
    const ConflictView selected = selectedConflict();
    const bool enabled = refusal.isEmpty() && m_apply && !m_applying && selected.id > 0;
    for (QAction *action : {m_applyKept, m_applyLost})
        action->setEnabled(enabled);
    const QString keptTip = refusal.isEmpty() ? tr("Write the kept version of the selected row to its table again; the link carries it to its peer") : refusal;
    const QString lostTip = refusal.isEmpty() ? tr("Write the lost version of the selected row to its table; the link carries it to its peer") : refusal;
    m_applyKept->setToolTip(keptTip);
    m_applyLost->setToolTip(lostTip);
    m_applyKeptButton->setEnabled(enabled);
    m_applyLostButton->setEnabled(enabled);
    m_applyKeptButton->setToolTip(keptTip);
    m_applyLostButton->setToolTip(lostTip);
}

void ConflictsWidget::openApply(bool lost)
{
    const ConflictView conflict = selectedConflict();
    if (conflict.id <= 0 || !m_apply || !roleRefusal(m_role, QString(protocol::Type::ConflictApply)).isEmpty())
        return;
    if (m_applyDialog)
        m_applyDialog->close();
    ConflictApplyTarget target;
    target.nodeAddress = currentNode();
    target.nodeTitle = m_node->currentData(Qt::ToolTipRole).toString();
    target.database = currentDatabase();
    target.conflict = conflict;
    target.lost = lost;
    auto *dialog = new ConflictApplyDialog(target, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_applyDialog = dialog;
    // The dialog carries its own copy of what it was opened for; the rows may be replaced
    // any number of times before the operator answers.
    connect(dialog, &QDialog::accepted, this, [this, dialog] { confirmApply(dialog->target()); });
    dialog->open();
}

void ConflictsWidget::confirmApply(const ConflictApplyTarget &target)
{
    const ConflictView &c = target.conflict;
    const QString which = target.lost ? tr("lost") : tr("kept");
    auto refuse = [this, id = c.id, which](const QString &why) {
        setStatus(tr("The %1 version of conflict %2 was not written: %3").arg(which).arg(id).arg(why), true);
    };
    // The data center is looked up again: removed or disconnected meanwhile, nothing is sent.
    const NodeView *node = nullptr;
    for (const NodeView &candidate : std::as_const(m_nodes)) {
        if (candidate.address == target.nodeAddress)
            node = &candidate;
    }
    if (!node) {
        refuse(tr("%1 is no longer in the console").arg(target.nodeTitle));
        return;
    }
    if (!node->connected) {
        refuse(tr("%1 is not connected").arg(target.nodeTitle));
        return;
    }
    // Still listed here: it must be the same conflict (the node checks it again).
    if (currentNode() == target.nodeAddress && currentDatabase() == target.database) {
        for (const ConflictView &row : std::as_const(m_rows)) {
            if (row.id == c.id && (row.table != c.table || row.key != c.key || (target.lost ? row.lost : row.kept) != target.values())) {
                refuse(tr("conflict %1 is no longer the row the confirmation showed").arg(c.id));
                return;
            }
        }
    }
    if (!m_apply) {
        refuse(tr("no console session"));
        return;
    }
    m_applying = true;
    updateApplyActions();
    setStatus(tr("Writing the %1 version of %2, key %3, on %4...").arg(which, c.table, c.key, target.nodeTitle));
    whenFinished(this, m_apply(target.nodeAddress, target.database, c, target.lost),
                 [this, target, which](const QCborMap &reply) {
                     m_applying = false;
                     updateApplyActions();
                     const bool deleted = reply.value(QStringLiteral("deleted")).toBool();
                     const ConflictView &c = target.conflict;
                     setStatus(deleted ? tr("Deleted the row with key %1 from %2 on %3 (the %4 version of conflict %5); the link carries it to its peer.")
                                             .arg(c.key, c.table, target.nodeTitle, which)
                                             .arg(c.id)
                                       : tr("Wrote the %1 version of %2, key %3, on %4 (conflict %5); the link carries it to its peer.")
                                             .arg(which, c.table, c.key, target.nodeTitle)
                                             .arg(c.id));
                 },
                 [this, refuse](const std::exception &error) {
                     m_applying = false;
                     updateApplyActions();
                     refuse(errorMessage(error));
                 });
}

QString ConflictsWidget::currentNode() const
{
    return m_node->currentData().toString();
}

QString ConflictsWidget::currentDatabase() const
{
    return m_database->currentText();
}

QString ConflictsWidget::emptyText() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

bool ConflictsWidget::loading() const
{
    return !m_refresh->isEnabled();
}

QString ConflictsWidget::statusText() const
{
    return m_status->text();
}

QString ConflictsWidget::keptText() const
{
    return m_kept->toPlainText();
}

QString ConflictsWidget::lostText() const
{
    return m_lost->toPlainText();
}

void ConflictsWidget::setNodes(const QList<NodeView> &nodes)
{
    m_nodes = nodes;
    const QString keep = currentNode();
    QStringList titles;
    QStringList current;
    for (const NodeView &node : nodes)
        titles << nodeName(node) + QLatin1Char('\n') + node.address;
    for (int i = 0; i < m_node->count(); ++i)
        current << m_node->itemText(i) + QLatin1Char('\n') + m_node->itemData(i).toString();
    if (titles != current) {
        // Four times a second from the session: rebuilt only when the list changed.
        const QSignalBlocker blocker(m_node);
        m_node->clear();
        for (const NodeView &node : nodes) {
            m_node->addItem(nodeName(node), node.address);
            m_node->setItemData(m_node->count() - 1, nodeTitle(node), Qt::ToolTipRole);
        }
        const int index = m_node->findData(keep);
        m_node->setCurrentIndex(index >= 0 ? index : (m_node->count() > 0 ? 0 : -1));
        // The names whole: the filter gives up room first.
        m_node->setMinimumWidth(m_node->sizeHint().width());
    }
    const QString keepDatabase = currentDatabase();
    fillDatabases();
    if (currentNode() != keep || currentDatabase() != keepDatabase)
        selectionChanged();
}

void ConflictsWidget::fillDatabases()
{
    const QString address = currentNode();
    QStringList databases;
    for (const NodeView &node : std::as_const(m_nodes)) {
        if (node.address == address)
            databases = node.databases;
    }
    QStringList current;
    for (int i = 0; i < m_database->count(); ++i)
        current << m_database->itemText(i);
    if (current == databases)
        return;
    const QString keep = currentDatabase();
    const QSignalBlocker blocker(m_database);
    m_database->clear();
    m_database->addItems(databases);
    const int index = m_database->findText(keep);
    m_database->setCurrentIndex(index >= 0 ? index : (m_database->count() > 0 ? 0 : -1));
    m_database->setMinimumWidth(m_database->sizeHint().width());
}

void ConflictsWidget::select(const QString &nodeAddress, const QString &database)
{
    {
        const QSignalBlocker nodeBlocker(m_node);
        const int index = m_node->findData(nodeAddress);
        if (index >= 0)
            m_node->setCurrentIndex(index);
        fillDatabases();
        const QSignalBlocker databaseBlocker(m_database);
        const int databaseIndex = m_database->findText(database);
        if (databaseIndex >= 0)
            m_database->setCurrentIndex(databaseIndex);
    }
    selectionChanged();
}

void ConflictsWidget::selectionChanged()
{
    // Whatever was asked before is for another choice now.
    ++m_generation;
    m_rows.clear();
    m_table->setRowCount(0);
    m_refresh->setEnabled(true);
    setStatus(QString());
    if (currentNode().isEmpty() || currentDatabase().isEmpty()) {
        showEmpty(tr("Choose a data center and a database to see the conflicts recorded there."));
        return;
    }
    showEmpty(tr("Press Refresh to read the conflicts recorded in %1 on %2.").arg(currentDatabase(), m_node->currentText()));
    refresh();
}

void ConflictsWidget::refresh()
{
    const QString address = currentNode();
    const QString database = currentDatabase();
    if (address.isEmpty() || database.isEmpty()) {
        showEmpty(tr("Choose a data center and a database to see the conflicts recorded there."));
        return;
    }
    const NodeView *node = nullptr;
    for (const NodeView &candidate : std::as_const(m_nodes)) {
        if (candidate.address == address)
            node = &candidate;
    }
    const QString name = node && !node->name.isEmpty() ? node->name : address;
    if (node && !node->connected) {
        setStatus(tr("%1 is not connected: %2").arg(name, node->lastError.isEmpty() ? tr("connecting") : node->lastError), true);
        return;
    }
    if (!m_fetch) {
        setStatus(tr("No console session: the conflicts cannot be read."), true);
        return;
    }
    const quint64 generation = ++m_generation;
    m_refresh->setEnabled(false);
    setStatus(tr("Reading the conflicts of %1 on %2...").arg(database, name));
    auto apply = [this, generation, address, database, name](const QList<ConflictView> *rows, const QString &error) {
        // A reply for another choice, or to a request made before the last one: dropped.
        if (generation != m_generation || currentNode() != address || currentDatabase() != database)
            return;
        m_refresh->setEnabled(true);
        if (!rows) {
            setStatus(tr("Could not read the conflicts of %1 on %2: %3").arg(database, name, error), true);
            return;
        }
        setStatus(QString());
        showRows(*rows);
        if (rows->isEmpty())
            showEmpty(tr("No conflicts recorded in %1 on %2.").arg(database, name));
    };
    whenFinished(this, m_fetch(address, database, m_limit),
                 [apply](const QList<ConflictView> &rows) { apply(&rows, QString()); },
                 [apply](const std::exception &error) { apply(nullptr, errorMessage(error)); });
}

void ConflictsWidget::showEmpty(const QString &message)
{
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

void ConflictsWidget::setStatus(const QString &message, bool error)
{
    m_status->setText(message);
    m_status->setVisible(!message.isEmpty());
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

void ConflictsWidget::showRows(const QList<ConflictView> &rows)
{
    const qint64 keepId = selectedConflict().id;
    m_rows = rows;
    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        const ConflictView &c = rows.at(row);
        const QStringList cells{QDateTime::fromMSecsSinceEpoch(c.atUs / 1000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t")),
                                c.link, c.table, c.key, c.reason, c.lostOrigin};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(cells.at(column));
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
    applyFilter();
    if (!rows.isEmpty()) {
        m_stack->setCurrentIndex(1);
        // The operator's row stays selected across refreshes (by its id), wherever it moved.
        int select = 0;
        for (int row = 0; row < rows.size(); ++row) {
            if (rows.at(row).id == keepId)
                select = row;
        }
        m_table->selectRow(select);
    }
    showDetail();
}

void ConflictsWidget::showDetail()
{
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    const int row = ranges.isEmpty() ? -1 : ranges.first().topRow();
    updateApplyActions();
    if (row < 0 || row >= m_rows.size()) {
        m_keptTitle->setText(tr("Kept"));
        m_lostTitle->setText(tr("Lost"));
        m_kept->clear();
        m_lost->clear();
        return;
    }
    const ConflictView &c = m_rows.at(row);
    bool keptParsed = false;
    bool lostParsed = false;
    const QStringList kept = rowValues(c.kept, c.columnTypes, &keptParsed);
    const QStringList lost = rowValues(c.lost, c.columnTypes, &lostParsed);
    m_keptTitle->setText(tr("Kept (key %1)").arg(c.key));
    m_lostTitle->setText(c.lostOrigin.isEmpty() ? tr("Lost") : tr("Lost (from %1)").arg(c.lostOrigin));
    m_kept->setHtml(rowHtml(kept, lost, keptParsed, tr("no row: deleted"), c.columns));
    m_lost->setHtml(rowHtml(lost, kept, lostParsed, tr("no row: deleted"), c.columns));
}

void ConflictsWidget::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

void ConflictsWidget::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool keep = text.isEmpty();
        for (int column = 0; column < m_table->columnCount() && !keep; ++column) {
            const QTableWidgetItem *item = m_table->item(row, column);
            keep = item && item->text().contains(text, Qt::CaseInsensitive);
        }
        m_table->setRowHidden(row, !keep);
    }
    updateApplyActions();
}

int ConflictsWidget::visibleRowCount() const
{
    int rows = 0;
    for (int row = 0; row < m_table->rowCount(); ++row)
        rows += !m_table->isRowHidden(row);
    return rows;
}

QFuture<int> ConflictsWidget::exportCsv(const QString &path)
{
    // What is shown now, copied in this thread (both versions of each row too); the disk is
    // touched in the worker only.
    QStringList lines;
    QStringList fields;
    for (int column = 0; column < m_table->columnCount(); ++column)
        fields << EventLogDock::csvField(m_table->horizontalHeaderItem(column)->text());
    fields << EventLogDock::csvField(tr("Kept version")) << EventLogDock::csvField(tr("Lost version"));
    lines << fields.join(QLatin1Char(','));
    int rows = 0;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->isRowHidden(row))
            continue;
        fields.clear();
        for (int column = 0; column < m_table->columnCount(); ++column)
            fields << EventLogDock::csvField(m_table->item(row, column)->text());
        fields << EventLogDock::csvField(m_rows.at(row).kept) << EventLogDock::csvField(m_rows.at(row).lost);
        lines << fields.join(QLatin1Char(','));
        ++rows;
    }
    m_export->setEnabled(false);
    setStatus(tr("Writing %1...").arg(QDir::toNativeSeparators(path)));
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
        try {
            setStatus(tr("Exported %1 conflicts to %2.").arg(resultOf(done)).arg(QDir::toNativeSeparators(path)));
        } catch (const std::exception &e) {
            setStatus(tr("The conflicts were not exported: %1").arg(errorMessage(e)), true);
        }
    });
    return future;
}

void ConflictsWidget::chooseExportFile()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export conflicts as CSV"), QDir(folder).filePath(QStringLiteral("ferry-conflicts.csv")),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        exportCsv(path);
}

} // namespace ferry
