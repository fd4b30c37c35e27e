#include "failoverdialog.h"

#include "nodeaddress.h"
#include "util/ferryerror.h"
#include "util/whenfinished.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ferry {

namespace {

QString nameOf(const NodeView &node)
{
    return node.name.isEmpty() ? node.address : node.name;
}

QString htmlList(const QStringList &items)
{
    QString html = QStringLiteral("<ol style=\"margin-left: 0px; -qt-list-indent: 1;\">");
    for (const QString &item : items)
        html += QStringLiteral("<li>%1</li>").arg(item.toHtmlEscaped());
    return html + QStringLiteral("</ol>");
}

} // namespace

FailoverDialog::FailoverDialog(const LinkView &link, const QList<NodeView> &nodes, Purpose purpose, QWidget *parent)
    : QDialog(parent)
    , m_link(link)
    , m_nodes(nodes)
{
    const LinkDefinition &def = m_link.link;
    // Who is who: the link's source is the primary, its target the replica.
    m_replicaAddress = joinNodeAddress(def.targetHost, def.targetPort);
    for (const NodeView &node : std::as_const(m_nodes)) {
        if (node.address == m_link.sourceAddress)
            m_primary = &node;
    }
    for (const NodeView &node : std::as_const(m_nodes)) {
        if (node.address == m_replicaAddress)
            m_replica = &node;
    }
    if (!m_replica && !def.targetNode.isEmpty()) {
        for (const NodeView &node : std::as_const(m_nodes)) {
            if (node.name == def.targetNode)
                m_replica = &node;
        }
    }
    if (m_replica)
        m_replicaAddress = m_replica->address;
    m_primaryName = !def.sourceNode.isEmpty() ? def.sourceNode : (m_primary ? nameOf(*m_primary) : m_link.sourceAddress);
    m_replicaName = !def.targetNode.isEmpty() ? def.targetNode : (m_replica ? nameOf(*m_replica) : m_replicaAddress);
    if (m_replica) {
        for (const QCborValue &value : m_replica->peers) {
            const QCborMap peer = value.toMap();
            if (peer.value(QStringLiteral("link")).toString() == def.id && peer.value(QStringLiteral("role")).toString() == QLatin1String("primary"))
                m_peer = peer;
        }
    }
    m_failback = purpose == Purpose::Failback || (purpose == Purpose::Auto && def.epoch > 0);
    m_forced = !(m_primary && m_primary->connected);

    const QString table = QStringLiteral("%1.%2").arg(def.sourceDatabase, def.sourceTable);
    const QString replicaTable = QStringLiteral("%1.%2").arg(def.targetDatabase, def.targetTable);
    const qint64 nextEpoch = def.epoch + 1;

    setWindowTitle(m_failback ? tr("Fail back link %1").arg(def.id) : tr("Fail over link %1").arg(def.id));
    setMinimumWidth(520);
    auto *layout = new QVBoxLayout(this);

    auto *heading = new QLabel(this);
    heading->setObjectName(QStringLiteral("heading"));
    heading->setWordWrap(true);
    heading->setTextFormat(Qt::RichText);
    const QString headingText = m_failback
        ? tr("Fail back: %1 becomes the primary of %2 again, and %3 its replica.").arg(m_replicaName, replicaTable, m_primaryName)
        : tr("Fail over: %1 becomes the primary of %2, and %3 its replica.").arg(m_replicaName, replicaTable, m_primaryName);
    heading->setText(QStringLiteral("<b>%1</b>").arg(headingText.toHtmlEscaped()));
    layout->addWidget(heading);
    auto *direction = new QLabel(tr("Now: %1 (primary, %2) → %3 (replica, %4). Afterwards: %3 (primary) → %1 (replica).")
                                     .arg(m_primaryName, table, m_replicaName, replicaTable),
                                 this);
    direction->setObjectName(QStringLiteral("direction"));
    direction->setWordWrap(true);
    layout->addWidget(direction);

    // What cannot be done at all.
    if (def.direction != LinkDefinition::Direction::OneWay)
        m_blocked = tr("Link %1 is bidirectional: both tables are writable, there is no primary to fail over.").arg(def.id);
    else if (def.mode != LinkDefinition::Mode::Continuous)
        m_blocked = tr("Link %1 is not continuous: its target is not kept up to date, there is nothing to fail over to.").arg(def.id);
    else if (!m_forced && def.paused)
        m_blocked = tr("Link %1 is paused: resume it first, so that its pending changes can drain to %2.").arg(def.id, m_replicaName);
    else if (m_forced && !(m_replica && m_replica->connected))
        m_blocked = tr("The console reaches neither %1 nor %2: nothing can be asked. Check the network or the nodes.").arg(m_primaryName, m_replicaName);

    // The recovery point, in m_recoveryText, below the plan.
    const auto addRecoveryLabel = [this, layout](const QString &style) {
        auto *recovery = new QLabel(m_recoveryText, this);
        recovery->setObjectName(QStringLiteral("recovery"));
        recovery->setWordWrap(true);
        recovery->setTextFormat(Qt::PlainText);
        recovery->setStyleSheet(style);
        layout->addWidget(recovery);
    };

    auto *plan = new QLabel(this);
    plan->setObjectName(QStringLiteral("plan"));
    plan->setWordWrap(true);
    plan->setTextFormat(Qt::RichText);
    layout->addWidget(plan);

    if (!m_forced) {
        // Graceful: asked of the primary; nothing acknowledged is lost.
        const QStringList steps{
            tr("Fence %1: writes to %2 are refused from now on.").arg(m_primaryName, table),
            tr("Drain %1 pending changes to %2 (the primary waits up to 30 s).").arg(m_link.stats.pending).arg(m_replicaName),
            tr("Promote %1: primary of %2 in epoch %3 (now %4).").arg(m_replicaName, replicaTable).arg(nextEpoch).arg(def.epoch),
            tr("Reverse link %1 so that %2 becomes its replica (read-only).").arg(def.id, m_primaryName),
        };
        m_planText = tr("Graceful failover:") + QLatin1Char('\n') + steps.join(QLatin1Char('\n'));
        plan->setText(QStringLiteral("<p>%1</p>%2<p>%3</p>")
                          .arg(tr("Graceful failover, asked of %1:").arg(m_primaryName).toHtmlEscaped(), htmlList(steps),
                               tr("No acknowledged write is lost. Applications must write to %1 afterwards.").arg(m_replicaName).toHtmlEscaped()));
        // The recovery point of a graceful failover: nothing, because the feed drains first.
        m_recoveryText = tr("Recovery point: no change is at risk. The %1 pending changes are applied on %2 before it is promoted.")
                             .arg(m_link.stats.pending)
                             .arg(m_replicaName);
        addRecoveryLabel(QStringLiteral("color: #2e7d32;"));
        if (!(m_replica && m_replica->connected)) {
            auto *warning = new QLabel(tr("The console has no connection to %1; the failover changes nothing if %2 cannot reach it either.").arg(m_replicaName, m_primaryName), this);
            warning->setWordWrap(true);
            warning->setStyleSheet(QStringLiteral("color: #ef6c00;"));
            layout->addWidget(warning);
        }
    } else {
        // Forced: asked of the replica; show the recovery point before anything.
        const QString reason = m_primary ? (m_primary->lastError.isEmpty() ? tr("not connected") : m_primary->lastError) : tr("not registered in this console");
        const QStringList steps{
            tr("Promote %1 without %2: primary of %3 in epoch %4 (now %5).").arg(m_replicaName, m_primaryName, replicaTable).arg(nextEpoch).arg(def.epoch),
            tr("Reverse link %1: it runs from %2 to %3.").arg(def.id, m_replicaName, m_primaryName),
            tr("When %1 returns it is demoted first: it keeps the changes it never replicated in its conflicts table, then is resynchronized.").arg(m_primaryName),
        };
        m_planText = tr("Forced failover:") + QLatin1Char('\n') + steps.join(QLatin1Char('\n'));
        plan->setText(QStringLiteral("<p>%1</p>%2")
                          .arg(tr("%1 is unreachable (%2). Forced failover, asked of %3:").arg(m_primaryName, reason, m_replicaName).toHtmlEscaped(),
                               htmlList(steps)));

        // The recovery point: what the replica knows (its health entry for the primary),
        // else the primary's last report of changes not yet acknowledged.
        qint64 atRisk = m_link.stats.pending;
        QString source = tr("the last figure %1 reported").arg(m_primaryName);
        if (m_peer.contains(QStringLiteral("changes_at_risk"))) {
            atRisk = m_peer.value(QStringLiteral("changes_at_risk")).toInteger();
            source = tr("as %1 counts them").arg(m_replicaName);
        } else if (m_peer.contains(QStringLiteral("head_seq")) && m_peer.contains(QStringLiteral("applied_seq"))) {
            atRisk = std::max<qint64>(0, m_peer.value(QStringLiteral("head_seq")).toInteger() - m_peer.value(QStringLiteral("applied_seq")).toInteger());
            source = tr("as %1 counts them").arg(m_replicaName);
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        qint64 lastSeenMs = m_peer.value(QStringLiteral("last_seen_ms")).toInteger();
        const qint64 oldestUs = m_peer.value(QStringLiteral("oldest_unacked_at_us")).toInteger();
        QStringList lines;
        if (atRisk > 0)
            lines << tr("Recovery point: %1 changes committed on %2 were not applied on %3 (%4). They are at risk.").arg(atRisk).arg(m_primaryName, m_replicaName, source);
        else
            lines << tr("Recovery point: no change is known to be at risk (%1).").arg(source);
        if (oldestUs > 0)
            lines << tr("The oldest of them was committed %1 ago (%2).").arg(formatAge(now - oldestUs / 1000), QDateTime::fromMSecsSinceEpoch(oldestUs / 1000).toString(Qt::ISODate));
        if (lastSeenMs > 0)
            lines << tr("%1 last heard from %2 %3 ago (%4): whatever %2 committed since is at risk too.")
                         .arg(m_replicaName, m_primaryName, formatAge(now - lastSeenMs), QDateTime::fromMSecsSinceEpoch(lastSeenMs).toString(Qt::ISODate));
        else
            lines << tr("%1 has no record of hearing from %2: the age of the changes at risk is unknown.").arg(m_replicaName, m_primaryName);
        m_recoveryText = lines.join(QLatin1Char('\n'));
        addRecoveryLabel(QStringLiteral("color: #c62828; font-weight: bold;"));

        m_confirm = new QCheckBox(tr("Promote %1 anyway").arg(m_replicaName), this);
        m_confirm->setObjectName(QStringLiteral("confirmForce"));
        layout->addWidget(m_confirm);
        connect(m_confirm, &QCheckBox::toggled, this, &FailoverDialog::updateButtons);
    }

    // The links the failover touches, on both nodes, as the node's plan says.
    m_links = new QLabel(this);
    m_links->setObjectName(QStringLiteral("affectedLinks"));
    m_links->setWordWrap(true);
    m_links->setTextFormat(Qt::RichText);
    m_links->hide();
    layout->addWidget(m_links);

    if (!m_blocked.isEmpty()) {
        auto *blocked = new QLabel(m_blocked, this);
        blocked->setObjectName(QStringLiteral("blocked"));
        blocked->setWordWrap(true);
        blocked->setStyleSheet(QStringLiteral("color: #c62828;"));
        layout->addWidget(blocked);
    }

    // Automatic failover: the link's settings, read-only.
    auto *automatic = new QGroupBox(tr("Automatic failover"), this);
    auto *form = new QFormLayout(automatic);
    form->addRow(tr("State:"), new QLabel(def.autoFailover ? tr("on") : tr("off"), automatic));
    if (def.autoFailover) {
        form->addRow(tr("Timeout:"), new QLabel(tr("%1 ms").arg(def.failoverTimeoutMs), automatic));
        QString witness = def.witnessHost.isEmpty() ? tr("none") : joinNodeAddress(def.witnessHost, def.witnessPort);
        for (const NodeView &node : std::as_const(m_nodes)) {
            if (!def.witnessHost.isEmpty() && node.address == witness && !node.name.isEmpty())
                witness = QStringLiteral("%1 (%2)").arg(node.name, witness);
        }
        form->addRow(tr("Witness:"), new QLabel(witness, automatic));
    }
    const bool happened = m_peer.value(QStringLiteral("auto_failover")).toBool() && !m_peer.value(QStringLiteral("armed")).toBool(true);
    if (happened) {
        auto *note = new QLabel(tr("An automatic failover of this link happened: it stays disarmed until an operator acknowledges it."), automatic);
        note->setWordWrap(true);
        note->setStyleSheet(QStringLiteral("color: #ef6c00;"));
        form->addRow(note);
        m_acknowledge = new QPushButton(tr("&Acknowledge automatic failover"), automatic);
        m_acknowledge->setObjectName(QStringLiteral("acknowledge"));
        connect(m_acknowledge, &QPushButton::clicked, this, &FailoverDialog::acknowledge);
        m_ackStatus = new QLabel(automatic);
        m_ackStatus->setObjectName(QStringLiteral("acknowledgeStatus"));
        m_ackStatus->setWordWrap(true);
        auto *row = new QHBoxLayout;
        row->addWidget(m_acknowledge);
        row->addWidget(m_ackStatus, 1);
        form->addRow(row);
    }
    layout->addWidget(automatic);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    if (m_forced)
        ok->setText(tr("Promote %1").arg(m_replicaName));
    else
        ok->setText(m_failback ? tr("Fail back") : tr("Fail over"));
    // Enter never fails over: Cancel is the default button, OK takes a click or Alt+its key.
    ok->setAutoDefault(false);
    ok->setDefault(false);
    QPushButton *cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setAutoDefault(true);
    cancel->setDefault(true);
    cancel->setFocus();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &FailoverDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &FailoverDialog::reject);
    layout->addWidget(m_buttons);
    updateButtons();
}

QString FailoverDialog::formatAge(qint64 ms)
{
    if (ms < 0)
        ms = 0;
    const qint64 s = ms / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    if (s < 48 * 3600)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("%1 days").arg(s / 86400);
}

QString FailoverDialog::nodeAddress() const
{
    // Graceful: the primary fences and drains; forced: the replica promotes itself.
    return m_forced ? m_replicaAddress : m_link.sourceAddress;
}

QString FailoverDialog::blockingReason() const
{
    if (!m_blocked.isEmpty())
        return m_blocked;
    if (!m_planRefusal.isEmpty())
        return m_planRefusal;
    if (m_planPending)
        return tr("Waiting for %1 to list the links this failover touches.").arg(m_forced ? m_replicaName : m_primaryName);
    if (m_forced && m_confirm && !m_confirm->isChecked())
        return tr("Tick \"Promote %1 anyway\" to accept the changes at risk.").arg(m_replicaName);
    return QString();
}

bool FailoverDialog::canAcknowledge() const
{
    return m_acknowledge && m_acknowledge->isEnabled();
}

void FailoverDialog::setAcknowledger(Acknowledger acknowledger)
{
    m_acknowledger = std::move(acknowledger);
    updateButtons();
}

void FailoverDialog::setPlanner(Planner planner)
{
    if (!planner || !m_blocked.isEmpty())
        return;   // nothing can be asked, or nothing can be done anyway
    m_planPending = true;
    m_links->setText(QStringLiteral("<p>%1</p>").arg(tr("Asking %1 which links this failover touches...").arg(m_forced ? m_replicaName : m_primaryName).toHtmlEscaped()));
    m_links->show();
    updateButtons();
    const QFuture<QCborMap> future = planner(nodeAddress(), m_link.link.id, m_replicaName, m_forced);
    // The dialog is the context: if it is closed first, nothing runs.
    whenFinished(this, future, [this](const QCborMap &plan) { showPlan(plan); },
                 [this](const std::exception &error) {
                     // The failover checks again when it is asked; the operator is told the
                     // list is missing, and may still go on.
                     m_planPending = false;
                     m_links->setText(QStringLiteral("<p style=\"color: #ef6c00;\">%1</p>")
                                          .arg(tr("The links this failover touches are not known: %1").arg(errorMessage(error)).toHtmlEscaped()));
                     updateButtons();
                 });
}

void FailoverDialog::showPlan(const QCborMap &plan)
{
    m_planPending = false;
    const auto changeText = [](const QString &change) {
        if (change == QLatin1String("reverses"))
            return tr("reverses");
        if (change == QLatin1String("continues"))
            return tr("continues");
        if (change == QLatin1String("waits"))
            return tr("waits");
        if (change == QLatin1String("blocks"))
            return tr("blocks the failover");
        return change;
    };
    QStringList lines;
    QString html;
    const QCborArray links = plan.value(QStringLiteral("links")).toArray();
    for (const QCborValue &value : links) {
        const QCborMap link = value.toMap();
        const QString change = link.value(QStringLiteral("change")).toString();
        const QString line = tr("%1 (%2 %3.%4 → %5 %6.%7, %8): %9. %10")
                                 .arg(link.value(QStringLiteral("link")).toString(), link.value(QStringLiteral("source_node")).toString(),
                                      link.value(QStringLiteral("source_db")).toString(), link.value(QStringLiteral("source_table")).toString(),
                                      link.value(QStringLiteral("target_node")).toString(), link.value(QStringLiteral("target_db")).toString(),
                                      link.value(QStringLiteral("target_table")).toString(), link.value(QStringLiteral("direction")).toString())
                                 .arg(changeText(change), link.value(QStringLiteral("detail")).toString());
        lines << line;
        html += QStringLiteral("<li%1>%2</li>").arg(change == QLatin1String("blocks") ? QStringLiteral(" style=\"color: #c62828;\"") : QString(), line.toHtmlEscaped());
    }
    for (const QCborValue &note : plan.value(QStringLiteral("unknown")).toArray()) {
        const QString line = tr("Not known: %1").arg(note.toString());
        lines << line;
        html += QStringLiteral("<li style=\"color: #ef6c00;\">%1</li>").arg(line.toHtmlEscaped());
    }
    if (!plan.value(QStringLiteral("allowed")).toBool(true))
        m_planRefusal = plan.value(QStringLiteral("refused")).toString(tr("%1 refuses this failover.").arg(m_forced ? m_replicaName : m_primaryName));
    m_linksText = lines.join(QLatin1Char('\n'));
    m_links->setText(QStringLiteral("<p>%1</p><ul style=\"margin-left: 0px; -qt-list-indent: 1;\">%2</ul>%3")
                         .arg(tr("Links this failover touches (%1):").arg(links.size()).toHtmlEscaped(), html,
                              m_planRefusal.isEmpty() ? QString()
                                                      : QStringLiteral("<p style=\"color: #c62828;\">%1</p>").arg(tr("Refused: %1").arg(m_planRefusal).toHtmlEscaped())));
    updateButtons();
}

void FailoverDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(blockingReason().isEmpty());
    if (m_acknowledge) {
        const bool reachable = m_replica && m_replica->connected;
        m_acknowledge->setEnabled(bool(m_acknowledger) && reachable && !m_acknowledging);
        if (!reachable)
            m_acknowledge->setToolTip(tr("The console has no connection to %1.").arg(m_replicaName));
    }
}

void FailoverDialog::acknowledge()
{
    if (!m_acknowledger || m_acknowledging)
        return;
    m_acknowledging = true;
    m_ackStatus->setText(tr("Asking %1...").arg(m_replicaName));
    m_ackStatus->setStyleSheet(QString());
    updateButtons();
    const QString linkId = m_link.link.id;
    QFuture<QCborMap> future = m_acknowledger(m_replicaAddress, linkId);
    auto done = [this, linkId](const QString &error) {
        m_acknowledging = false;
        if (error.isEmpty()) {
            m_ackStatus->setText(tr("Acknowledged: automatic failover of %1 is armed again.").arg(linkId));
            m_acknowledge->hide();
            emit acknowledged(linkId);
        } else {
            m_ackStatus->setText(tr("%1 did not acknowledge: %2").arg(m_replicaName, error));
            m_ackStatus->setStyleSheet(QStringLiteral("color: #c62828;"));
        }
        updateButtons();
    };
    // The dialog is the context: if it is closed first, nothing runs.
    whenFinished(this, future, [done](const QCborMap &) { done(QString()); },
                 [done](const std::exception &error) { done(errorMessage(error)); });
}

void FailoverDialog::accept()
{
    if (!blockingReason().isEmpty()) {
        updateButtons();
        return;
    }
    QDialog::accept();
}

} // namespace ferry
