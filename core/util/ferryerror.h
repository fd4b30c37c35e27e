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

// The operator's message of any exception: a FerryError's own, or what() of another.
inline QString errorMessage(const std::exception &error)
{
    if (const auto *ferry = dynamic_cast<const FerryError *>(&error))
        return ferry->message();
    return QString::fromLocal8Bit(error.what());
}

} // namespace ferry
