#include "security/role.h"

#include <QStringList>

namespace ferry {

QString roleName(Role role)
{
    switch (role) {
    case Role::Viewer: return QStringLiteral("viewer");
    case Role::Operator: return QStringLiteral("operator");
    case Role::Admin: return QStringLiteral("admin");
    case Role::Node: return QStringLiteral("node");
    case Role::None: break;
    }
    return QStringLiteral("none");
}

std::optional<Role> roleFromName(const QString &name)
{
    for (Role role : {Role::Viewer, Role::Operator, Role::Admin, Role::Node}) {
        if (roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

Role certificateRole(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return Role::None;
    const QString prefix = QLatin1String(RoleUnitPrefix);
    std::optional<Role> found;
    for (const QString &unit : certificate.subjectInfo(QSslCertificate::OrganizationalUnitName)) {
        if (!unit.startsWith(prefix))
            continue;
        const std::optional<Role> role = roleFromName(unit.mid(prefix.size()));
        // Two different roles, or one Ferry does not know: no role at all.
        if (!role || (found && *found != *role))
            return Role::None;
        found = role;
    }
    return found.value_or(Role::None);
}

} // namespace ferry
