#pragma once

#include "util/ferryerror.h"

#include <QCborMap>

namespace ferry {

// A protocol violation or a typed error reply. code is one of the ErrorCode names in
// wire/protocol.h; the message says what was wrong for the operator and the log. Values a
// program acts on travel as typed fields beside the message (stale_epoch: "epoch",
// "primary"), never packed into it.
class WireError : public FerryError
{
public:
    WireError(const QString &code, const QString &message, const QCborMap &fields = {})
        : FerryError(message), m_code(code), m_fields(fields) {}

    QString code() const { return m_code; }
    QCborMap fields() const { return m_fields; }

private:
    QString m_code;
    QCborMap m_fields;
};

} // namespace ferry
