#include "linkdialog.h"

#include "nodeaddress.h"
#include "util/ferryerror.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ferry {

namespace {

QString nodeTitle(const NodeView &node)
{
    return node.name.isEmpty() ? node.address : QStringLiteral("%1 (%2)").arg(node.name, node.address);
}

QString shortName(const NodeView &node)
{
    return node.name.isEmpty() ? node.address : node.name;
}

// A valid link name from free text: invalid characters become '-'.
QString sanitizedId(const QString &text)
{
    QString id;
    for (const QChar c : text) {
        const bool ok = (c.isLetterOrNumber() && c.unicode() < 128) || c == QLatin1Char('.') || c == QLatin1Char('_') || c == QLatin1Char('-');
        id.append(ok ? c : QLatin1Char('-'));
    }
    while (!id.isEmpty() && !(id.at(0).isLetterOrNumber() && id.at(0).unicode() < 128))
        id.remove(0, 1);
    return id.left(64);
}

void setComboItems(QComboBox *combo, const QStringList &items, const QString &keepText)
{
    const QSignalBlocker blocker(combo);
    combo->clear();
    combo->addItems(items);
    if (combo->isEditable()) {
        combo->setEditText(keepText);
    } else {
        const int index = combo->findText(keepText);
        combo->setCurrentIndex(index >= 0 ? index : (items.isEmpty() ? -1 : 0));
    }
}

} // namespace

LinkDialog::LinkDialog(const NodeView &source, const QList<NodeView> &nodes, const QString &targetAddress, QWidget *parent)
    : QDialog(parent)
    , m_source(source)
    , m_nodes(nodes)
{
    setWindowTitle(tr("New link from %1").arg(shortName(source)));

    // Source: fixed data center, its databases and tables.
    auto *sourceBox = new QGroupBox(tr("Source"), this);
    auto *sourceForm = new QFormLayout(sourceBox);
    auto *sourceLabel = new QLabel(nodeTitle(source), sourceBox);
    sourceLabel->setObjectName(QStringLiteral("sourceNode"));
    sourceForm->addRow(tr("Data center:"), sourceLabel);
    m_sourceDatabase = new QComboBox(sourceBox);
    m_sourceDatabase->setObjectName(QStringLiteral("sourceDatabase"));
    m_sourceDatabase->addItems(source.databases);
    sourceForm->addRow(tr("&Database:"), m_sourceDatabase);
    m_sourceTable = new QComboBox(sourceBox);
    m_sourceTable->setObjectName(QStringLiteral("sourceTable"));
    sourceForm->addRow(tr("&Table:"), m_sourceTable);

    // Target: any data center (the same one with another table too).
    auto *targetBox = new QGroupBox(tr("Target"), this);
    auto *targetForm = new QFormLayout(targetBox);
    m_target = new QComboBox(targetBox);
    m_target->setObjectName(QStringLiteral("targetNode"));
    for (const NodeView &node : nodes)
        m_target->addItem(nodeTitle(node), node.address);
    targetForm->addRow(tr("D&ata center:"), m_target);
    m_targetDatabase = new QComboBox(targetBox);
    m_targetDatabase->setObjectName(QStringLiteral("targetDatabase"));
    m_targetDatabase->setEditable(true);
    targetForm->addRow(tr("Data&base:"), m_targetDatabase);
    m_targetTable = new QComboBox(targetBox);
    m_targetTable->setObjectName(QStringLiteral("targetTable"));
    m_targetTable->setEditable(true);
    targetForm->addRow(tr("Ta&ble:"), m_targetTable);
    m_targetNote = new QLabel(targetBox);
    m_targetNote->setObjectName(QStringLiteral("targetNote"));
    m_targetNote->setWordWrap(true);
    m_targetNote->setForegroundRole(QPalette::PlaceholderText);
    targetForm->addRow(QString(), m_targetNote);

    // How it replicates.
    auto *replicationBox = new QGroupBox(tr("Replication"), this);
    auto *form = new QFormLayout(replicationBox);
    m_mode = new QComboBox(replicationBox);
    m_mode->setObjectName(QStringLiteral("mode"));
    m_mode->addItem(tr("Continuous (change feed)"), LinkDefinition::modeName(LinkDefinition::Mode::Continuous));
    m_mode->addItem(tr("Scheduled verification"), LinkDefinition::modeName(LinkDefinition::Mode::Scheduled));
    m_mode->addItem(tr("One-shot copy"), LinkDefinition::modeName(LinkDefinition::Mode::OneShot));
    m_interval = new QSpinBox(replicationBox);
    m_interval->setObjectName(QStringLiteral("interval"));
    m_interval->setRange(1, 7 * 24 * 60);
    m_interval->setValue(60);
    m_interval->setSuffix(tr(" min"));
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_mode, 1);
    modeRow->addWidget(new QLabel(tr("every"), replicationBox));
    modeRow->addWidget(m_interval);
    auto *modeLabel = new QLabel(tr("&Mode:"), replicationBox);
    modeLabel->setBuddy(m_mode);
    form->addRow(modeLabel, modeRow);

    m_fixedBlocks = new QRadioButton(tr("&Fixed:"), replicationBox);
    m_fixedBlocks->setObjectName(QStringLiteral("fixedBlocks"));
    m_fixedBlocks->setChecked(true);
    m_blockRows = new QSpinBox(replicationBox);
    m_blockRows->setObjectName(QStringLiteral("blockRows"));
    m_blockRows->setRange(1, 10000000);
    m_blockRows->setValue(1000);
    m_blockRows->setSuffix(tr(" rows"));
    m_adaptiveBlocks = new QRadioButton(tr("&Adaptive:"), replicationBox);
    m_adaptiveBlocks->setObjectName(QStringLiteral("adaptiveBlocks"));
    m_blockMs = new QSpinBox(replicationBox);
    m_blockMs->setObjectName(QStringLiteral("blockMs"));
    m_blockMs->setRange(1, 60000);
    m_blockMs->setValue(200);
    m_blockMs->setSuffix(tr(" ms per block"));
    auto *blockRow = new QHBoxLayout;
    blockRow->addWidget(m_fixedBlocks);
    blockRow->addWidget(m_blockRows, 1);
    blockRow->addWidget(m_adaptiveBlocks);
    blockRow->addWidget(m_blockMs, 1);
    form->addRow(new QLabel(tr("Blocks:"), replicationBox), blockRow);

    m_digest = new QComboBox(replicationBox);
    m_digest->setObjectName(QStringLiteral("digest"));
    m_digest->addItem(tr("MD5 (fast)"), digestAlgorithmName(DigestAlgorithm::Md5));
    m_digest->addItem(tr("SHA-256 (stronger)"), digestAlgorithmName(DigestAlgorithm::Sha256));
    form->addRow(tr("&Digest:"), m_digest);
    m_compression = new QCheckBox(tr("&Compress rows on the wire"), replicationBox);
    m_compression->setObjectName(QStringLiteral("compression"));
    form->addRow(QString(), m_compression);
    m_bandwidth = new QDoubleSpinBox(replicationBox);
    m_bandwidth->setObjectName(QStringLiteral("bandwidth"));
    m_bandwidth->setRange(0, 100000);
    m_bandwidth->setDecimals(1);
    m_bandwidth->setSuffix(tr(" MB/s"));
    m_bandwidth->setSpecialValueText(tr("no cap"));
    form->addRow(tr("Band&width cap:"), m_bandwidth);
    m_filter = new QLineEdit(replicationBox);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("SQL condition on the source rows, e.g. region = 'eu'; empty: every row"));
    form->addRow(tr("Row &filter:"), m_filter);
    m_direction = new QComboBox(replicationBox);
    m_direction->setObjectName(QStringLiteral("direction"));
    m_direction->addItem(tr("One-way (target is a read-only replica)"), LinkDefinition::directionName(LinkDefinition::Direction::OneWay));
    m_direction->addItem(tr("Bidirectional (both tables writable)"), LinkDefinition::directionName(LinkDefinition::Direction::Bidirectional));
    form->addRow(tr("Di&rection:"), m_direction);
    m_conflicts = new QComboBox(replicationBox);
    m_conflicts->setObjectName(QStringLiteral("conflicts"));
    m_conflicts->addItem(tr("Source wins"), LinkDefinition::conflictsName(LinkDefinition::Conflicts::SourceWins));
    m_conflicts->addItem(tr("Target wins"), LinkDefinition::conflictsName(LinkDefinition::Conflicts::TargetWins));
    m_conflicts->addItem(tr("Newest wins"), LinkDefinition::conflictsName(LinkDefinition::Conflicts::NewestWins));
    m_timestampColumn = new QLineEdit(replicationBox);
    m_timestampColumn->setObjectName(QStringLiteral("timestampColumn"));
    m_timestampColumn->setPlaceholderText(tr("timestamp column"));
    auto *conflictRow = new QHBoxLayout;
    conflictRow->addWidget(m_conflicts, 1);
    conflictRow->addWidget(m_timestampColumn, 1);
    auto *conflictsLabel = new QLabel(tr("C&onflicts:"), replicationBox);
    conflictsLabel->setBuddy(m_conflicts);
    form->addRow(conflictsLabel, conflictRow);

    // Name and automatic failover.
    auto *nameBox = new QGroupBox(tr("Link"), this);
    auto *nameForm = new QFormLayout(nameBox);
    m_name = new QLineEdit(nameBox);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setMaxLength(200);   // longer than valid, so that the message can say so
    m_name->setPlaceholderText(tr("letters, digits, '.', '_', '-'"));
    nameForm->addRow(tr("&Name:"), m_name);

    m_autoFailover = new QGroupBox(tr("Automatic &failover"), this);
    m_autoFailover->setObjectName(QStringLiteral("autoFailover"));
    m_autoFailover->setCheckable(true);
    m_autoFailover->setChecked(false);
    auto *failoverForm = new QFormLayout(m_autoFailover);
    auto *failoverHelp = new QLabel(tr("When the target cannot reach the source for the timeout and the witness cannot reach it either, the target promotes itself, once, until an operator acknowledges it."), m_autoFailover);
    failoverHelp->setWordWrap(true);
    failoverForm->addRow(failoverHelp);
    m_witness = new QComboBox(m_autoFailover);
    m_witness->setObjectName(QStringLiteral("witness"));
    failoverForm->addRow(tr("&Witness:"), m_witness);
    m_failoverTimeout = new QSpinBox(m_autoFailover);
    m_failoverTimeout->setObjectName(QStringLiteral("failoverTimeout"));
    m_failoverTimeout->setRange(1000, 3600000);
    m_failoverTimeout->setSingleStep(500);
    m_failoverTimeout->setValue(5000);
    m_failoverTimeout->setSuffix(tr(" ms"));
    failoverForm->addRow(tr("&Timeout:"), m_failoverTimeout);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->setTextFormat(Qt::PlainText);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create link"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LinkDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LinkDialog::reject);

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(sourceBox);
    left->addWidget(targetBox);
    left->addWidget(nameBox);
    left->addStretch();
    auto *right = new QVBoxLayout;
    right->addWidget(replicationBox);
    right->addWidget(m_autoFailover);
    right->addStretch();
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    // Initial choices: the drag's target, else the first other data center.
    int targetIndex = m_target->findData(targetAddress);
    if (targetIndex < 0) {
        for (int i = 0; i < m_target->count(); ++i) {
            if (m_target->itemData(i).toString() != source.address) {
                targetIndex = i;
                break;
            }
        }
    }
    m_target->setCurrentIndex(targetIndex >= 0 ? targetIndex : 0);
    fillSourceTables();
    m_suggestedTargetTable = m_sourceTable->currentText();
    fillTargetDatabases();
    fillWitnesses();
    suggestName();
    m_name->setText(m_suggestedName);

    auto sourceTableChanged = [this] {
        // The target table follows the source table until the operator types another one.
        const QString table = m_sourceTable->currentText();
        if (m_targetTable->currentText() == m_suggestedTargetTable || m_targetTable->currentText().isEmpty())
            m_targetTable->setEditText(table);
        m_suggestedTargetTable = table;
        suggestName();
        revalidate();
    };
    connect(m_sourceDatabase, &QComboBox::currentIndexChanged, this, [this, sourceTableChanged] {
        fillSourceTables();
        sourceTableChanged();
    });
    connect(m_sourceTable, &QComboBox::currentIndexChanged, this, sourceTableChanged);
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        fillTargetDatabases();
        fillWitnesses();
        suggestName();
        revalidate();
    });
    connect(m_targetDatabase, &QComboBox::currentTextChanged, this, [this] {
        fillTargetTables();
        revalidate();
    });
    connect(m_targetDatabase, &QComboBox::editTextChanged, this, &LinkDialog::revalidate);
    connect(m_targetTable, &QComboBox::currentTextChanged, this, &LinkDialog::revalidate);
    connect(m_targetTable, &QComboBox::editTextChanged, this, &LinkDialog::revalidate);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &LinkDialog::revalidate);
    connect(m_fixedBlocks, &QRadioButton::toggled, this, &LinkDialog::revalidate);
    connect(m_filter, &QLineEdit::textChanged, this, &LinkDialog::revalidate);
    connect(m_direction, &QComboBox::currentIndexChanged, this, &LinkDialog::revalidate);
    connect(m_conflicts, &QComboBox::currentIndexChanged, this, &LinkDialog::revalidate);
    connect(m_timestampColumn, &QLineEdit::textChanged, this, &LinkDialog::revalidate);
    connect(m_name, &QLineEdit::textChanged, this, &LinkDialog::revalidate);
    connect(m_autoFailover, &QGroupBox::toggled, this, &LinkDialog::revalidate);
    connect(m_witness, &QComboBox::currentIndexChanged, this, &LinkDialog::revalidate);
    revalidate();
}

void LinkDialog::setExistingLinkIds(const QStringList &ids)
{
    m_existingIds = ids;
    if (m_name->text() == m_suggestedName) {
        suggestName();
        m_name->setText(m_suggestedName);
    }
    revalidate();
}

const NodeView *LinkDialog::targetNode() const
{
    const QString address = m_target->currentData().toString();
    for (const NodeView &node : m_nodes) {
        if (node.address == address)
            return &node;
    }
    return nullptr;
}

const NodeView *LinkDialog::witnessNode() const
{
    const QString address = m_witness->currentData().toString();
    for (const NodeView &node : m_nodes) {
        if (!address.isEmpty() && node.address == address)
            return &node;
    }
    return nullptr;
}

void LinkDialog::fillSourceTables()
{
    const QString database = m_sourceDatabase->currentText();
    QStringList tables = m_source.tables.value(database);
    tables.sort(Qt::CaseInsensitive);
    setComboItems(m_sourceTable, tables, m_sourceTable->currentText());
    m_sourceTable->setEnabled(!tables.isEmpty());
}

void LinkDialog::fillTargetDatabases()
{
    const NodeView *target = targetNode();
    QString keep = m_targetDatabase->currentText();
    const QStringList databases = target ? target->databases : QStringList();
    if (keep.isEmpty() || !databases.contains(keep))
        keep = databases.contains(m_sourceDatabase->currentText()) || databases.isEmpty() ? m_sourceDatabase->currentText() : databases.first();
    setComboItems(m_targetDatabase, databases, keep);
    fillTargetTables();
}

void LinkDialog::fillTargetTables()
{
    const NodeView *target = targetNode();
    QStringList tables = target ? target->tables.value(m_targetDatabase->currentText()) : QStringList();
    tables.sort(Qt::CaseInsensitive);
    QString keep = m_targetTable->currentText();
    if (keep.isEmpty())
        keep = m_sourceTable->currentText();
    setComboItems(m_targetTable, tables, keep);
}

void LinkDialog::fillWitnesses()
{
    // A witness is a third data center: neither the source nor the target.
    const QString keep = m_witness->currentData().toString();
    const QString target = m_target->currentData().toString();
    const QSignalBlocker blocker(m_witness);
    m_witness->clear();
    for (const NodeView &node : std::as_const(m_nodes)) {
        if (node.address != m_source.address && node.address != target)
            m_witness->addItem(nodeTitle(node), node.address);
    }
    const int index = m_witness->findData(keep);
    m_witness->setCurrentIndex(index >= 0 ? index : (m_witness->count() > 0 ? 0 : -1));
}

void LinkDialog::suggestName()
{
    const bool following = m_name == nullptr || m_name->text() == m_suggestedName;
    const NodeView *target = targetNode();
    QString base = sanitizedId(QStringLiteral("%1-to-%2").arg(m_sourceTable->currentText(), target ? shortName(*target) : QString()));
    if (base.isEmpty())
        base = QStringLiteral("link");
    QString name = base;
    for (int n = 2; m_existingIds.contains(name); ++n)
        name = QStringLiteral("%1-%2").arg(base.left(60)).arg(n);
    m_suggestedName = name;
    if (following && m_name)
        m_name->setText(name);
}

QString LinkDialog::validationError() const
{
    const QString sourceDatabase = m_sourceDatabase->currentText();
    const QString sourceTable = m_sourceTable->currentText();
    const NodeView *target = targetNode();
    const QString targetDatabase = m_targetDatabase->currentText().trimmed();
    const QString targetTable = m_targetTable->currentText().trimmed();
    const QString name = m_name->text().trimmed();

    if (sourceDatabase.isEmpty())
        return tr("%1 reports no database: the console cannot create a link from it yet.").arg(shortName(m_source));
    if (sourceTable.isEmpty())
        return tr("Choose the source table (%1 lists no table in database %2).").arg(shortName(m_source), sourceDatabase);
    if (!target)
        return tr("Choose the target data center.");
    if (targetDatabase.isEmpty())
        return tr("Enter the target database on %1.").arg(shortName(*target));
    if (targetTable.isEmpty())
        return tr("Enter the target table on %1.").arg(shortName(*target));
    if (target->address == m_source.address && targetDatabase.compare(sourceDatabase, Qt::CaseInsensitive) == 0
        && targetTable.compare(sourceTable, Qt::CaseInsensitive) == 0)
        return tr("The source and the target are the same table (%1.%2 on %3): choose another target table or data center.")
            .arg(sourceDatabase, sourceTable, shortName(m_source));
    if (name.isEmpty())
        return tr("Enter a name for the link.");
    if (!LinkDefinition::isValidId(name))
        return tr("The link name \"%1\" is not valid: use letters, digits, '.', '_' and '-', start with a letter or digit, at most 64 characters.").arg(name);
    if (m_existingIds.contains(name))
        return tr("%1 already has a link named \"%2\": choose another name.").arg(shortName(m_source), name);
    const QString mode = m_mode->currentData().toString();
    const bool bidirectional = m_direction->currentData().toString() == LinkDefinition::directionName(LinkDefinition::Direction::Bidirectional);
    const QString filter = m_filter->text().trimmed();
    if (filter.contains(QLatin1Char(';')))
        return tr("The row filter must be one SQL condition, without ';'.");
    if (bidirectional && !filter.isEmpty())
        return tr("A bidirectional link copies whole tables: remove the row filter.");
    if (m_conflicts->currentData().toString() == LinkDefinition::conflictsName(LinkDefinition::Conflicts::NewestWins)
        && m_timestampColumn->text().trimmed().isEmpty())
        return tr("Newest wins compares a timestamp column: enter the column that holds each row's last change.");
    if (m_autoFailover->isChecked()) {
        if (bidirectional)
            return tr("A bidirectional link has a writable table on both sides: automatic failover does not apply. Turn it off or make the link one-way.");
        if (mode != LinkDefinition::modeName(LinkDefinition::Mode::Continuous))
            return tr("Automatic failover needs a continuous link: a scheduled or one-shot link keeps no replica up to date.");
        if (!witnessNode())
            return tr("Automatic failover needs a witness: a third data center that must also find the source unreachable. Register one, or turn automatic failover off.");
    }
    // Whatever else the node would refuse, in its own words.
    try {
        LinkDefinition::fromCbor(settings());
    } catch (const FerryError &error) {
        return error.message();
    }
    return QString();
}

void LinkDialog::revalidate()
{
    const QString mode = m_mode->currentData().toString();
    m_interval->setEnabled(mode == LinkDefinition::modeName(LinkDefinition::Mode::Scheduled));
    m_blockRows->setEnabled(m_fixedBlocks->isChecked());
    m_blockMs->setEnabled(m_adaptiveBlocks->isChecked());
    m_timestampColumn->setEnabled(m_conflicts->currentData().toString() == LinkDefinition::conflictsName(LinkDefinition::Conflicts::NewestWins));

    // Say when the target table will be created.
    const NodeView *target = targetNode();
    const QString table = m_targetTable->currentText().trimmed();
    const QString database = m_targetDatabase->currentText().trimmed();
    QString note;
    if (target && !table.isEmpty() && !database.isEmpty()) {
        if (!target->connected)
            note = tr("%1 is not connected: the console cannot list its tables. A missing table will be created.").arg(shortName(*target));
        else if (!target->databases.contains(database))
            note = tr("%1 has no database \"%2\".").arg(shortName(*target), database);
        else if (!target->tables.value(database).contains(table))
            note = tr("%1.%2 does not exist on %3: it will be created with the source table's columns and key.").arg(database, table, shortName(*target));
        else
            note = tr("%1.%2 exists on %3: its rows will be made equal to the source's.").arg(database, table, shortName(*target));
    }
    m_targetNote->setText(note);

    const QString error = validationError();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

QCborMap LinkDialog::settings() const
{
    const NodeView *target = targetNode();
    const auto [targetHost, targetPort] = splitNodeAddress(target ? target->address : QString());
    const bool newestWins = m_conflicts->currentData().toString() == LinkDefinition::conflictsName(LinkDefinition::Conflicts::NewestWins);
    QCborMap map{{QStringLiteral("id"), m_name->text().trimmed()},
                 {QStringLiteral("source_db"), m_sourceDatabase->currentText()},
                 {QStringLiteral("source_table"), m_sourceTable->currentText()},
                 {QStringLiteral("target_host"), targetHost},
                 {QStringLiteral("target_port"), targetPort},
                 {QStringLiteral("target_db"), m_targetDatabase->currentText().trimmed()},
                 {QStringLiteral("target_table"), m_targetTable->currentText().trimmed()},
                 {QStringLiteral("mode"), m_mode->currentData().toString()},
                 {QStringLiteral("interval_minutes"), m_interval->value()},
                 {QStringLiteral("block_rows"), m_blockRows->value()},
                 {QStringLiteral("block_ms"), m_adaptiveBlocks->isChecked() ? m_blockMs->value() : 0},
                 {QStringLiteral("digest"), m_digest->currentData().toString()},
                 {QStringLiteral("compression"), m_compression->isChecked()},
                 {QStringLiteral("bandwidth_mbps"), m_bandwidth->value()},
                 {QStringLiteral("filter"), m_filter->text().trimmed()},
                 {QStringLiteral("direction"), m_direction->currentData().toString()},
                 {QStringLiteral("conflicts"), m_conflicts->currentData().toString()},
                 {QStringLiteral("timestamp_column"), newestWins ? m_timestampColumn->text().trimmed() : QString()},
                 {QStringLiteral("auto_failover"), m_autoFailover->isChecked()},
                 {QStringLiteral("failover_timeout_ms"), m_failoverTimeout->value()}};
    if (m_autoFailover->isChecked()) {
        if (const NodeView *witness = witnessNode()) {
            const auto [witnessHost, witnessPort] = splitNodeAddress(witness->address);
            map.insert(QStringLiteral("witness_host"), witnessHost);
            map.insert(QStringLiteral("witness_port"), witnessPort);
        }
    }
    return map;
}

void LinkDialog::accept()
{
    // OK is disabled while something is wrong; Enter or a direct call gets here anyway.
    revalidate();
    if (!validationError().isEmpty())
        return;
    QDialog::accept();
}

} // namespace ferry
