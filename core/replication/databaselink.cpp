#include "replication/databaselink.h"

#include "storage/store.h"
#include "util/ferryerror.h"

#include <QCborMap>
#include <QCoreApplication>

#include <algorithm>
#include <climits>

namespace ferry {

QCborMap DatabaseLink::toCbor() const
{
    QCborArray skippedTables;
    for (const auto &[table, reason] : skipped)
        skippedTables.append(QCborMap{{QStringLiteral("table"), table}, {QStringLiteral("reason"), reason}});
    return QCborMap{{QStringLiteral("link"), link.toCbor()},
                    {QStringLiteral("skipped"), skippedTables},
                    {QStringLiteral("dropped"), QCborArray::fromStringList(dropped)}};
}

DatabaseLink DatabaseLink::fromCbor(const QCborMap &map)
{
    DatabaseLink database;
    database.link = LinkDefinition::fromCbor(map.value(QStringLiteral("link")).toMap());
    for (const QCborValue &entry : map.value(QStringLiteral("skipped")).toArray())
        database.skipped.append({entry.toMap().value(QStringLiteral("table")).toString(), entry.toMap().value(QStringLiteral("reason")).toString()});
    for (const QCborValue &table : map.value(QStringLiteral("dropped")).toArray())
        database.dropped.append(table.toString());
    return database;
}

TableScan scanTables(Store &store, const LinkDefinition &link)
{
    TableScan scan;
    QStringList names = store.tables();
    std::sort(names.begin(), names.end());
    for (const QString &table : names) {
        if (table.startsWith(QLatin1String("_ferry")) || !link.matchesTable(table))
            continue;
        scan.present.append(table);
        if (!LinkDefinition::isValidId(link.memberFor(table).id)) {
            scan.skipped.append({table, QCoreApplication::translate("DatabaseLink", "the name is too long or has characters a link id cannot hold "
                                                                                    "(letters, digits, '.', '_', '-'; at most 64 with the link's id); "
                                                                                    "link it on its own")});
            continue;
        }
        try {
            if (store.describe(table).primaryKey.isEmpty()) {
                scan.skipped.append({table, QCoreApplication::translate("DatabaseLink", "no primary key")});
                continue;
            }
        } catch (const FerryError &error) {
            // A table without a primary key, or with columns Ferry cannot read, says so here.
            scan.skipped.append({table, error.message()});
            continue;
        }
        scan.tables.append(table);
    }
    return scan;
}

QString connectionShortage(Store &store, int tables)
{
    const auto [allowed, used] = store.connectionUse();
    if (allowed < 0 || tables == 0)
        return {};
    const int room = allowed - used - allowed / 4;
    if (tables <= room)
        return {};
    return QCoreApplication::translate("DatabaseLink", "%1 tables would take %2 more connections of the database server (one per table), which "
                                                       "allows %3 and has %4 open; a quarter stays free for the applications. Raise max_connections "
                                                       "or link fewer tables (--tables)")
        .arg(tables)
        .arg(tables)
        .arg(allowed)
        .arg(used);
}

namespace {

// Which state of a table speaks for the whole link: the first of these that any table is in.
int severity(const QString &state)
{
    static const QStringList order = {QStringLiteral("error"),      QStringLiteral("stalled"),  QStringLiteral("demoted"),
                                      QStringLiteral("connecting"), QStringLiteral("resyncing"), QStringLiteral("syncing"),
                                      QStringLiteral("verifying"),  QStringLiteral("catching-up"), QStringLiteral("streaming"),
                                      QStringLiteral("waiting"),    QStringLiteral("done"),      QStringLiteral("paused")};
    const qsizetype index = order.indexOf(state);
    return index < 0 ? 0 : int(index);
}

} // namespace

LinkStats aggregateStats(const QString &id, const QList<QPair<QString, LinkStats>> &tables, bool paused)
{
    LinkStats total;
    total.id = id;
    total.state = paused ? QStringLiteral("paused") : QStringLiteral("waiting");   // no table yet: waiting for one
    total.retainedWalBytes = -1;
    int worst = INT_MAX;
    for (const auto &[table, stats] : tables) {
        const int rank = severity(stats.state);
        if (rank < worst) {
            worst = rank;
            total.state = stats.state;
        }
        total.rowsPerSecond += stats.rowsPerSecond;
        total.bytesPerSecond += stats.bytesPerSecond;
        total.lagMs = std::max(total.lagMs, stats.lagMs);
        total.lagP50Ms = std::max(total.lagP50Ms, stats.lagP50Ms);
        total.lagP99Ms = std::max(total.lagP99Ms, stats.lagP99Ms);
        total.pending += stats.pending;
        total.appliedTotal += stats.appliedTotal;
        total.bytesTotal += stats.bytesTotal;
        total.blocks += stats.blocks;
        total.blocksVerified += stats.blocksVerified;
        total.blocksDiffering += stats.blocksDiffering;
        total.blocksRepaired += stats.blocksRepaired;
        total.conflicts += stats.conflicts;
        total.errors += stats.errors;
        if (stats.lastErrorAtMs > total.lastErrorAtMs) {
            total.lastErrorAtMs = stats.lastErrorAtMs;
            total.lastError = QStringLiteral("%1: %2").arg(table, stats.lastError);
        }
        if (stats.errorSinceMs > 0 && (total.errorSinceMs == 0 || stats.errorSinceMs < total.errorSinceMs))
            total.errorSinceMs = stats.errorSinceMs;
        total.lastProgressMs = total.lastProgressMs == 0 ? stats.lastProgressMs : std::min(total.lastProgressMs, stats.lastProgressMs);
        total.lastVerifyAtMs = total.lastVerifyAtMs == 0 ? stats.lastVerifyAtMs : std::min(total.lastVerifyAtMs, stats.lastVerifyAtMs);
        if (stats.retainedWalBytes >= 0)
            total.retainedWalBytes = std::max<qint64>(0, total.retainedWalBytes) + stats.retainedWalBytes;
    }
    return total;
}

QCborArray tableBreakdown(const QList<QPair<QString, LinkStats>> &tables)
{
    QCborArray rows;
    for (const auto &[table, stats] : tables) {
        rows.append(QCborMap{{QStringLiteral("table"), table},
                             {QStringLiteral("link"), stats.id},
                             {QStringLiteral("state"), stats.state},
                             {QStringLiteral("pending"), stats.pending},
                             {QStringLiteral("lag_ms"), stats.lagMs},
                             {QStringLiteral("rows_per_s"), stats.rowsPerSecond},
                             {QStringLiteral("applied_total"), stats.appliedTotal},
                             {QStringLiteral("blocks"), stats.blocks},
                             {QStringLiteral("blocks_verified"), stats.blocksVerified},
                             {QStringLiteral("blocks_differing"), stats.blocksDiffering},
                             {QStringLiteral("last_error"), stats.lastError},
                             {QStringLiteral("last_error_at_ms"), stats.lastErrorAtMs}});
    }
    return rows;
}

} // namespace ferry
