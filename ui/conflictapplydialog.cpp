#include "conflictapplydialog.h"

#include "storage/timestamptext.h"

#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace ferry {

QString ConflictApplyDialog::valueText(const QJsonValue &value, const QString &columnType)
{
    if (value.isNull())
        return QStringLiteral("NULL");
    if (value.isString())
        return value.toString();
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble()) {
        const QVariant number = value.toVariant();
        if (number.typeId() == QMetaType::LongLong || number.typeId() == QMetaType::Int) {
            if (columnType == QLatin1String("timestamp"))
                return tr("%1 UTC").arg(formatTimestamp(number.toLongLong()));
            return QString::number(number.toLongLong());
        }
        return QString::number(value.toDouble(), 'g', 17);
    }
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

ConflictApplyDialog::ConflictApplyDialog(const ConflictApplyTarget &target, QWidget *parent)
    : QDialog(parent)
    , m_target(target)
{
    setObjectName(QStringLiteral("confirmApplyConflict"));
    setWindowTitle(target.lost ? tr("Apply lost version") : tr("Apply kept version"));
    const ConflictView &c = target.conflict;
    auto *layout = new QVBoxLayout(this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("what"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    const QString values = target.values();
    if (values.isEmpty()) {
        m_text->setText(tr("Conflict %1: the %2 version of this row is a deletion. Delete the row with key %3 from table %4 in %5 on %6?\n"
                           "It is written as an application's write: the link carries it to its peer.")
                            .arg(c.id)
                            .arg(target.lost ? tr("lost") : tr("kept"), c.key, c.table, target.database, target.nodeTitle));
    } else {
        m_text->setText(tr("Conflict %1: write the %2 version of the row with key %3 to table %4 in %5 on %6?\n"
                           "It is written as an application's write: the link carries it to its peer.")
                            .arg(c.id)
                            .arg(target.lost ? tr("lost") : tr("kept"), c.key, c.table, target.database, target.nodeTitle));
    }
    layout->addWidget(m_text);

    // The values that will be written, by column.
    m_values = new QLabel(this);
    m_values->setObjectName(QStringLiteral("values"));
    m_values->setTextFormat(Qt::RichText);
    m_values->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_values->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    QString html;
    if (!values.isEmpty()) {
        const QJsonDocument document = QJsonDocument::fromJson(values.toUtf8());
        html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"3\">");
        if (document.isArray()) {
            const QJsonArray array = document.array();
            for (qsizetype i = 0; i < array.size(); ++i) {
                html += QStringLiteral("<tr><td style=\"color:#888\">%1</td><td>%2</td></tr>")
                            .arg(i < c.columns.size() ? c.columns.at(i).toHtmlEscaped() : QString::number(i + 1), valueText(array.at(i), c.columnTypes.value(i)).toHtmlEscaped());
            }
        } else {
            html += QStringLiteral("<tr><td>%1</td></tr>").arg(values.toHtmlEscaped());
        }
        html += QStringLiteral("</table>");
    }
    m_values->setText(html);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_values);
    scroll->setWidgetResizable(true);
    scroll->setVisible(!values.isEmpty());
    scroll->setMinimumHeight(values.isEmpty() ? 0 : 120);
    layout->addWidget(scroll, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_apply = buttons->addButton(values.isEmpty() ? tr("&Delete the row") : tr("&Write this version"), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("apply"));
    m_apply->setAutoDefault(false);
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    cancel->setDefault(true);   // Enter does not write
    cancel->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(520, 360);
}

QString ConflictApplyDialog::text() const
{
    return m_text->text() + QLatin1Char('\n') + m_values->text();
}

} // namespace ferry
