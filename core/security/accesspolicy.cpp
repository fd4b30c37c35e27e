#include "security/accesspolicy.h"

#include "wire/protocol.h"

#include <QCoreApplication>

namespace ferry {

namespace {

enum Bit : unsigned { Viewer = 1, Operator = 2, Admin = 4, Node = 8 };
constexpr unsigned Readers = Viewer | Operator | Admin;

unsigned bitOf(Role role)
{
    switch (role) {
    case Role::Viewer: return Viewer;
    case Role::Operator: return Operator;
    case Role::Admin: return Admin;
    case Role::Node: return Node;
    case Role::None: return Viewer;   // issued before roles: reads only
    }
    return 0;
}

unsigned allowedBits(const QString &type, bool forced)
{
    using namespace protocol::Type;
    if (type == Hello || type == Ping)
        return Readers | Node;
    if (type == Status || type == LinkList || type == LinkShow || type == Subscribe || type == Health || type == Events)
        return Readers;
    // Schema reads: the consoles, and a link's source before it creates or fills a table.
    if (type == Tables || type == Describe)
        return Readers | Node;
    // A resync verifies the whole table again, as verify does a part of it.
    if (type == LinkVerify || type == LinkResync || type == FailoverAck)
        return Operator | Admin;
    // Writes one recorded version of a row as an application write (audited).
    if (type == ConflictApply)
        return Operator | Admin;
    if (type == Failover)
        return forced ? Admin : Operator | Admin;
    // The reverse half of a bidirectional link follows its source: created, paused,
    // resumed and removed by the node at the other end.
    if (type == LinkPause || type == LinkResume)
        return Operator | Admin | Node;
    if (type == LinkCreate || type == LinkRemove)
        return Admin | Node;
    // Row data and what reaches other hosts: admins, and nodes between themselves.
    if (type == Rows || type == Scan || type == Digest || type == Probe)
        return Admin | Node;
    if (type == Compare || type == Conflicts || type == LinkSet || type == RepairGrant)
        return Admin;
    // A link's target side and failover between the nodes of a link.
    if (type == Replace || type == CreateTable || type == AddColumns || type == DropTable || type == Guard || type == Applied || type == Apply || type == ApplyGroup || type == LinkRegister
        || type == LinkUnregister || type == Promote || type == Demote || type == Lease)
        return Node;
    return Readers | Node | Admin;
}

} // namespace

bool isAllowed(Role role, const QString &requestType, bool forced)
{
    return (allowedBits(requestType, forced) & bitOf(role)) != 0;
}

QStringList rolesAllowed(const QString &requestType, bool forced)
{
    const unsigned bits = allowedBits(requestType, forced);
    QStringList names;
    for (Role role : {Role::Viewer, Role::Operator, Role::Admin, Role::Node}) {
        if (bits & bitOf(role))
            names.append(roleName(role));
    }
    return names;
}

QString roleRefusal(Role role, const QString &requestType, bool forced)
{
    if (isAllowed(role, requestType, forced))
        return QString();
    return QCoreApplication::translate("AccessPolicy", "The certificate of this console has the role %1; this needs the role %2.")
        .arg(roleName(role == Role::None ? Role::Viewer : role), rolesAllowed(requestType, forced).join(QCoreApplication::translate("AccessPolicy", " or ")));
}

} // namespace ferry
