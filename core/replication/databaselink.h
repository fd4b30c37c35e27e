#pragma once

#include "replication/linkdefinition.h"
#include "replication/linkstats.h"

#include <QCborArray>
#include <QList>
#include <QPair>
#include <QStringList>

namespace ferry {

class Store;

// A database link (LinkDefinition::isDatabaseLink()): the tables its patterns match, the
// ones it skips and why, and the tables dropped on the source since it was created. Its
// tables run as member links (LinkDefinition::memberFor()), one runner each; the link's
// figures are theirs summed up (aggregateStats()).
struct DatabaseLink
{
    LinkDefinition link;
    QList<QPair<QString, QString>> skipped;   // table, why it is not replicated
    QStringList dropped;                      // dropped on the source; what became of the target's is in the event log
    bool scanning = false;

    QCborMap toCbor() const;   // {link, skipped, dropped}, kept in links.json
    static DatabaseLink fromCbor(const QCborMap &map);
};

// One look at a database link's source: the matching tables it can replicate (sorted), and
// the matching ones it cannot, with the reason (no primary key, a name too long to be part
// of a link id). Blocking; throws FerryError when the tables cannot be listed.
struct TableScan
{
    QStringList tables;
    QList<QPair<QString, QString>> skipped;
    QStringList present;   // every matching table the source has, replicable or not
};
TableScan scanTables(Store &store, const LinkDefinition &link);

// Each table of a database link holds a connection to a database server: empty when the
// server has room for `tables` more beside the applications' (a quarter of its connections
// stays free), otherwise why not.
QString connectionShortage(Store &store, int tables);

// The figures of a database link: its tables' summed up (pending, rates, counts), the
// worst state and lag, the latest error naming its table.
LinkStats aggregateStats(const QString &id, const QList<QPair<QString, LinkStats>> &tables, bool paused);

// {table, state, pending, lag_ms, rows_per_s, applied_total, blocks, blocks_verified,
// blocks_differing, last_error, last_error_at_ms} for each table: `ferryctl link show`'s
// per-table breakdown.
QCborArray tableBreakdown(const QList<QPair<QString, LinkStats>> &tables);

} // namespace ferry
