#pragma once

#include "util/ferryerror.h"

namespace ferry {

// A protocol violation or a typed error reply. code is one of the ErrorCode names in
// wire/protocol.h; the message says what was wrong for the operator and the log.
class WireError : public FerryError
{
public:
    WireError(const QString &code, const QString &message)
        : FerryError(message), m_code(code) {}

    QString code() const { return m_code; }

private:
    QString m_code;
};

} // namespace ferry
