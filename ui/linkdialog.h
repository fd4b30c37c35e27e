#pragma once

#include "console/consolesession.h"

#include <QCborMap>
#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace ferry {

// A new replication link from one data center (fixed: where the drag started) to another:
// tables, mode, blocks, digest, compression, bandwidth, filter, direction, conflicts,
// name and automatic failover. Everything is checked while it is typed: a message under
// the form says what is wrong and OK stays disabled until it is right, so nothing is sent
// that the source node would refuse. settings() is the link's CBOR map (LinkDefinition's
// keys) for ConsoleSession::createLink().
class LinkDialog : public QDialog
{
    Q_OBJECT

public:
    // targetAddress preselects the target data center (the end of the drag); empty: the
    // first other one.
    LinkDialog(const NodeView &source, const QList<NodeView> &nodes, const QString &targetAddress = QString(),
               QWidget *parent = nullptr);

    // The source node's link names, refused as the new link's name.
    void setExistingLinkIds(const QStringList &ids);

    QCborMap settings() const;
    QString sourceAddress() const { return m_source.address; }
    // Why OK is disabled, or empty.
    QString validationError() const;

    void accept() override;

private:
    const NodeView *targetNode() const;
    const NodeView *witnessNode() const;
    void fillSourceTables();
    void fillTargets();
    void fillTargetDatabases();
    void fillTargetTables();
    void fillWitnesses();
    void suggestName();
    void revalidate();

    NodeView m_source;
    QList<NodeView> m_nodes;

    QComboBox *m_sourceDatabase;
    QComboBox *m_sourceTable;
    QComboBox *m_target;
    QComboBox *m_targetDatabase;
    QComboBox *m_targetTable;
    QLabel *m_targetNote;
    QComboBox *m_mode;
    QSpinBox *m_interval;
    QRadioButton *m_fixedBlocks;
    QRadioButton *m_adaptiveBlocks;
    QSpinBox *m_blockRows;
    QSpinBox *m_blockMs;
    QComboBox *m_digest;
    QCheckBox *m_compression;
    QDoubleSpinBox *m_bandwidth;
    QLineEdit *m_filter;
    QComboBox *m_direction;
    QComboBox *m_conflicts;
    QLineEdit *m_timestampColumn;
    QLineEdit *m_name;
    QGroupBox *m_autoFailover;
    QComboBox *m_witness;
    QSpinBox *m_failoverTimeout;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QString m_suggestedName;
    QString m_suggestedTargetTable;
    QStringList m_existingIds;
};

} // namespace ferry
