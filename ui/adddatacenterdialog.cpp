#include "adddatacenterdialog.h"

#include "console/consolesession.h"
#include "util/ferryerror.h"
#include "util/whenfinished.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ferry {

AddDataCenterDialog::AddDataCenterDialog(const QList<NodeView> &known, Prober prober, QWidget *parent)
    : QDialog(parent)
    , m_known(known)
    , m_prober(std::move(prober))
{
    setWindowTitle(tr("Add data center"));
    m_address = new QLineEdit(this);
    m_address->setObjectName(QStringLiteral("address"));
    m_address->setPlaceholderText(tr("for example 10.0.0.5:7450"));
    m_address->setMinimumWidth(320);
    m_status = new QLabel(tr("The console connects with its own certificate; the node's must be signed by the same deployment CA."), this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AddDataCenterDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddDataCenterDialog::reject);
    connect(m_address, &QLineEdit::textEdited, this, [this] {
        m_status->setStyleSheet(QString());
    });

    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("ferry-node &address (HOST:PORT):"), this);
    label->setBuddy(m_address);
    form->addRow(label, m_address);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

void AddDataCenterDialog::setAddress(const QString &address)
{
    m_address->setText(address);
}

QString AddDataCenterDialog::statusText() const
{
    return m_status->text();
}

void AddDataCenterDialog::showError(const QString &text)
{
    m_status->setText(text);
    m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_address->setFocus();
}

void AddDataCenterDialog::accept()
{
    if (m_probing)
        return;
    const QString address = m_address->text().trimmed();
    if (address.isEmpty()) {
        showError(tr("Enter the address of the data center's ferry-node, as HOST:PORT."));
        return;
    }
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? address.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? address.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);   // [::1]:7450
    if (host.isEmpty() || host.contains(QLatin1Char(' ')) || !portOk || port == 0 || port > 65535) {
        showError(tr("\"%1\" is not HOST:PORT (for example 10.0.0.5:7450).").arg(address));
        return;
    }
    const QString normalized = QStringLiteral("%1:%2").arg(host).arg(port);
    for (const NodeView &node : std::as_const(m_known)) {
        if (node.address == normalized) {
            showError(tr("%1 is already in the topology.").arg(normalized));
            return;
        }
    }
    m_probing = true;
    m_ok->setEnabled(false);
    m_address->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Connecting to %1...").arg(normalized));
    m_host = host;
    m_port = quint16(port);
    // The dialog is the context: closed first, nothing runs.
    whenFinished(
        this, m_prober(host, quint16(port)),
        [this, normalized](const NodeHello &hello) { probeFinished(normalized, &hello, QString()); },
        [this, normalized](const std::exception &error) { probeFinished(normalized, nullptr, errorMessage(error)); });
}

void AddDataCenterDialog::probeFinished(const QString &address, const NodeHello *hello, const QString &error)
{
    m_probing = false;
    m_ok->setEnabled(true);
    m_address->setEnabled(true);
    if (!hello) {
        showError(tr("%1 cannot be added: %2\nCheck the address, that ferry-node runs there, and that its certificate was issued by this deployment's CA.")
                      .arg(address, error));
        return;
    }
    for (const NodeView &node : std::as_const(m_known)) {
        if (!node.name.isEmpty() && node.name == hello->node) {
            showError(tr("%1 is data center %2, which is already in the topology at %3.").arg(address, hello->node, node.address));
            return;
        }
    }
    m_hello = *hello;
    QDialog::accept();
}

} // namespace ferry
