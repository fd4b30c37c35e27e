#pragma once

#include "net/nodeclient.h"

#include <QDialog>
#include <QFuture>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace ferry {

struct NodeView;

// File > Add data center: the address of a ferry-node, tried before it joins the topology.
// OK checks the text, then connects once with the console's certificates (in a worker
// thread, the dialog stays responsive); only a node that answered is accepted. An address
// that does not parse, is already shown, does not answer, or presents a certificate the
// deployment CA did not sign is refused with the reason in the dialog, and nothing changes.
class AddDataCenterDialog : public QDialog
{
    Q_OBJECT

public:
    using Prober = std::function<QFuture<NodeHello>(const QString &host, quint16 port)>;

    AddDataCenterDialog(const QList<NodeView> &known, Prober prober, QWidget *parent = nullptr);

    void setAddress(const QString &address);
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    // The node's hello, once accepted.
    NodeHello hello() const { return m_hello; }
    QString statusText() const;
    bool isProbing() const { return m_probing; }

public slots:
    void accept() override;

private:
    void showError(const QString &text);
    void probeFinished(const QString &address, const NodeHello *hello, const QString &error);

    QList<NodeView> m_known;
    Prober m_prober;
    QLineEdit *m_address;
    QLabel *m_status;
    QPushButton *m_ok;
    QString m_host;
    quint16 m_port = 0;
    NodeHello m_hello;
    bool m_probing = false;
};

} // namespace ferry
