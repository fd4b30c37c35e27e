#pragma once

#include "console/consolesession.h"

#include <QDialog>

class QJsonValue;
class QLabel;
class QPushButton;

namespace ferry {

// What "Apply kept/lost version" acts on, copied when the action is opened: the conflict
// is named by its node, database and id, with the table, key and values the operator is
// shown. Nothing here points into a list that a refresh replaces.
struct ConflictApplyTarget
{
    QString nodeAddress;
    QString nodeTitle;           // for messages
    QString database;
    ConflictView conflict;
    bool lost = false;           // the lost version (else the kept one)

    QString values() const { return lost ? conflict.lost : conflict.kept; }
};

// The confirmation of writing one version of a conflict to its table: shows the table, the
// key and the values that will be written (or that the row will be deleted), and says that
// the link carries the write to its peer. Cancel is the default button: Enter does not write.
class ConflictApplyDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConflictApplyDialog(const ConflictApplyTarget &target, QWidget *parent = nullptr);

    const ConflictApplyTarget &target() const { return m_target; }
    // The text shown (what and where), for tests.
    QString text() const;
    QPushButton *applyButton() const { return m_apply; }

    // One value of a stored row version (JSON, as the node keeps it) as the operator reads
    // it: NULL, text as it is, a timestamp column's microseconds as a UTC date and time.
    static QString valueText(const QJsonValue &value, const QString &columnType);

private:
    ConflictApplyTarget m_target;
    QLabel *m_text;
    QLabel *m_values;
    QPushButton *m_apply;
};

} // namespace ferry
