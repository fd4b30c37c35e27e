#include "failover/roleregistry.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace ferry {

RoleRegistry::RoleRegistry(const QString &path)
    : m_path(path)
{
}

void RoleRegistry::load()
{
    QFile file(m_path);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("RoleRegistry", "%1: cannot read: %2").arg(m_path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw FerryError(QCoreApplication::translate("RoleRegistry", "%1: not valid JSON: %2").arg(m_path, error.errorString()));
    const QJsonObject tables = document.object().value(QStringLiteral("tables")).toObject();
    for (auto it = tables.begin(); it != tables.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        TableRole role;
        role.epoch = entry.value(QStringLiteral("epoch")).toInteger();
        role.primary = entry.value(QStringLiteral("primary")).toString();
        role.isPrimary = entry.value(QStringLiteral("is_primary")).toBool();
        m_roles.insert(it.key(), role);
    }
}

TableRole RoleRegistry::role(const QString &database, const QString &table) const
{
    return m_roles.value(database + QLatin1Char('/') + table);
}

void RoleRegistry::set(const QString &database, const QString &table, const TableRole &role)
{
    QHash<QString, TableRole> roles = m_roles;
    roles.insert(database + QLatin1Char('/') + table, role);
    save(roles);
    m_roles = roles;
}

void RoleRegistry::save(const QHash<QString, TableRole> &roles) const
{
    QJsonObject tables;
    for (auto it = roles.begin(); it != roles.end(); ++it) {
        tables.insert(it.key(), QJsonObject{{QStringLiteral("epoch"), it->epoch},
                                            {QStringLiteral("primary"), it->primary},
                                            {QStringLiteral("is_primary"), it->isPrimary}});
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        throw FerryError(QCoreApplication::translate("RoleRegistry", "%1: cannot write: %2").arg(m_path, file.errorString()));
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("tables"), tables}}).toJson());
    if (!file.commit())   // QSaveFile flushes and renames into place
        throw FerryError(QCoreApplication::translate("RoleRegistry", "%1: cannot write: %2").arg(m_path, file.errorString()));
}

} // namespace ferry
