#pragma once

#include "console/consolesession.h"

#include <QCborMap>
#include <QDialog>
#include <QFuture>
#include <QPointer>

#include <functional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;

namespace ferry {

// What a failover of one link will do, before the operator confirms it.
//
// - Graceful, when the console is connected to the primary (the link's source): fence the
//   primary, drain its pending changes, promote the replica with the next epoch, reverse
//   the link so that the old primary becomes the replica. Asked of the primary.
// - Forced, when the primary is unreachable: the recovery point first (the changes at
//   risk, as far as the replica and the primary's last report know, and their age), in
//   red, and OK only once "Promote <replica> anyway" is ticked. Asked of the replica.
// - The link's automatic failover settings, read-only, with "Acknowledge automatic
//   failover" when one happened (it stays disarmed until then).
// A fail back is the same dialog for the link as it now runs (after a failover the link
// runs the other way): Purpose::Failback words it so; Auto picks it for a link whose
// epoch shows it was failed over before.
class FailoverDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Purpose { Auto, Failover, Failback };
    using Acknowledger = std::function<QFuture<QCborMap>(const QString &nodeAddress, const QString &linkId)>;
    // Asks the node for the failover plan (ConsoleSession::failoverPlan).
    using Planner = std::function<QFuture<QCborMap>(const QString &nodeAddress, const QString &linkId, const QString &to, bool force)>;

    FailoverDialog(const LinkView &link, const QList<NodeView> &nodes, Purpose purpose = Purpose::Auto, QWidget *parent = nullptr);

    // The choice, for ConsoleSession::failover(nodeAddress(), linkId(), promotedNode(), isForced()).
    QString nodeAddress() const;
    QString linkId() const { return m_link.link.id; }
    QString promotedNode() const { return m_replicaName; }
    bool isForced() const { return m_forced; }
    bool isFailback() const { return m_failback; }

    // What the dialog says, as plain text (the plan, or the recovery point when forced).
    QString planText() const { return m_planText; }
    QString recoveryText() const { return m_recoveryText; }
    // The links the failover touches, from the node's plan, one per line ("" until it came).
    QString linksText() const { return m_linksText; }
    // Why OK is disabled, or empty.
    QString blockingReason() const;
    bool canAcknowledge() const;
    static QString formatAge(qint64 ms);

    // How "Acknowledge automatic failover" reaches the replica.
    void setAcknowledger(Acknowledger acknowledger);
    // Asks for the plan now: OK stays disabled until the list of links it touches is shown.
    void setPlanner(Planner planner);
    void setSession(ConsoleSession *session)
    {
        QPointer<ConsoleSession> guarded(session);
        setAcknowledger([guarded](const QString &nodeAddress, const QString &linkId) {
            return guarded ? guarded->acknowledgeFailover(nodeAddress, linkId) : QFuture<QCborMap>();
        });
        setPlanner([guarded](const QString &nodeAddress, const QString &linkId, const QString &to, bool force) {
            return guarded ? guarded->failoverPlan(nodeAddress, linkId, to, force) : QFuture<QCborMap>();
        });
    }

    void accept() override;

signals:
    void acknowledged(const QString &linkId);

private:
    void acknowledge();
    void showPlan(const QCborMap &plan);
    void updateButtons();

    LinkView m_link;
    const NodeView *m_primary = nullptr;
    const NodeView *m_replica = nullptr;
    QList<NodeView> m_nodes;
    QCborMap m_peer;             // the replica's health entry for the link's primary
    QString m_primaryName;
    QString m_replicaName;
    QString m_replicaAddress;
    bool m_forced = false;
    bool m_failback = false;
    QString m_blocked;           // a reason nothing can be done
    QString m_planText;
    QString m_recoveryText;
    Acknowledger m_acknowledger;
    bool m_acknowledging = false;
    bool m_planPending = false;
    QString m_linksText;
    QString m_planRefusal;       // the node's reason the failover would be refused
    QLabel *m_links = nullptr;

    QCheckBox *m_confirm = nullptr;
    QPushButton *m_acknowledge = nullptr;
    QLabel *m_ackStatus = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace ferry
