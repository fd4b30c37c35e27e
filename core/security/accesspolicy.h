#pragma once

#include "security/role.h"

#include <QString>
#include <QStringList>

namespace ferry {

// Which roles may send which request (wire/protocol.h). forced: a failover with force.
// Unknown request types are allowed here (the session answers unknown_message itself).
bool isAllowed(Role role, const QString &requestType, bool forced = false);
// The roles that may, for a refusal's message: e.g. ["operator", "admin"].
QStringList rolesAllowed(const QString &requestType, bool forced = false);
// Why a holder of role may not send the request, for a disabled action's tooltip in the
// console; empty when it may.
QString roleRefusal(Role role, const QString &requestType, bool forced = false);

} // namespace ferry
