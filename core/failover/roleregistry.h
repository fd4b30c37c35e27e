#pragma once

#include <QHash>
#include <QString>

namespace ferry {

// A replicated table's role on this node and the epoch it was decided in. Every failover
// raises the epoch; a node that learns of a higher epoch for one of its tables demotes
// itself and refuses writes to it (DESIGN.md, "role, epoch").
struct TableRole
{
    qint64 epoch = 0;
    QString primary;             // the node that is primary in this epoch
    bool isPrimary = false;      // this node is that primary
};

// The roles of this node's tables ("db/table"), kept in DATA_DIRECTORY/roles.json and
// written (atomically, fsync'd) before a change of role takes effect, so an epoch is
// never forgotten across a crash. Not thread-safe: used from the node's network thread.
class RoleRegistry
{
public:
    explicit RoleRegistry(const QString &path);

    void load();   // throws FerryError naming the file
    TableRole role(const QString &database, const QString &table) const;
    // Records the role; throws FerryError when the file cannot be written (then nothing
    // changed).
    void set(const QString &database, const QString &table, const TableRole &role);

private:
    void save(const QHash<QString, TableRole> &roles) const;

    QString m_path;
    QHash<QString, TableRole> m_roles;
};

} // namespace ferry
