#pragma once

#include <QString>
#include <stdexcept>

namespace ferry {

// The one exception type core code throws. The message is meant for the operator:
// it says what went wrong and where (table, column, database).
class FerryError : public std::runtime_error
{
public:
    explicit FerryError(const QString &message)
        : std::runtime_error(message.toStdString()), m_message(message) {}

    QString message() const { return m_message; }

private:
    QString m_message;
};

} // namespace ferry
