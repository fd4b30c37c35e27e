#include "replication/linkstats.h"

namespace ferry {

QCborMap LinkStats::toCbor() const
{
    return QCborMap{{QStringLiteral("id"), id},
                    {QStringLiteral("state"), state},
                    {QStringLiteral("rows_per_s"), rowsPerSecond},
                    {QStringLiteral("bytes_per_s"), bytesPerSecond},
                    {QStringLiteral("lag_ms"), lagMs},
                    {QStringLiteral("lag_p50_ms"), lagP50Ms},
                    {QStringLiteral("lag_p99_ms"), lagP99Ms},
                    {QStringLiteral("pending"), pending},
                    {QStringLiteral("applied_total"), appliedTotal},
                    {QStringLiteral("bytes_total"), bytesTotal},
                    {QStringLiteral("acked_seq"), ackedSeq},
                    {QStringLiteral("blocks"), blocks},
                    {QStringLiteral("blocks_verified"), blocksVerified},
                    {QStringLiteral("blocks_differing"), blocksDiffering},
                    {QStringLiteral("blocks_repaired"), blocksRepaired},
                    {QStringLiteral("conflicts"), conflicts},
                    {QStringLiteral("errors"), errors},
                    {QStringLiteral("last_error"), lastError},
                    {QStringLiteral("last_error_at_ms"), lastErrorAtMs},
                    {QStringLiteral("error_since_ms"), errorSinceMs},
                    {QStringLiteral("last_progress_ms"), lastProgressMs},
                    {QStringLiteral("last_verify_at_ms"), lastVerifyAtMs},
                    {QStringLiteral("retained_wal_bytes"), retainedWalBytes}};
}

LinkStats LinkStats::fromCbor(const QCborMap &map)
{
    LinkStats stats;
    stats.id = map.value(QStringLiteral("id")).toString();
    stats.state = map.value(QStringLiteral("state")).toString();
    stats.rowsPerSecond = map.value(QStringLiteral("rows_per_s")).toDouble();
    stats.bytesPerSecond = map.value(QStringLiteral("bytes_per_s")).toDouble();
    stats.lagMs = map.value(QStringLiteral("lag_ms")).toDouble();
    stats.lagP50Ms = map.value(QStringLiteral("lag_p50_ms")).toDouble();
    stats.lagP99Ms = map.value(QStringLiteral("lag_p99_ms")).toDouble();
    stats.pending = map.value(QStringLiteral("pending")).toInteger();
    stats.retainedWalBytes = map.value(QStringLiteral("retained_wal_bytes")).toInteger(-1);
    stats.appliedTotal = map.value(QStringLiteral("applied_total")).toInteger();
    stats.bytesTotal = map.value(QStringLiteral("bytes_total")).toInteger();
    stats.ackedSeq = map.value(QStringLiteral("acked_seq")).toInteger();
    stats.blocks = int(map.value(QStringLiteral("blocks")).toInteger());
    stats.blocksVerified = int(map.value(QStringLiteral("blocks_verified")).toInteger());
    stats.blocksDiffering = int(map.value(QStringLiteral("blocks_differing")).toInteger());
    stats.blocksRepaired = int(map.value(QStringLiteral("blocks_repaired")).toInteger());
    stats.conflicts = map.value(QStringLiteral("conflicts")).toInteger();
    stats.errors = map.value(QStringLiteral("errors")).toInteger();
    stats.lastError = map.value(QStringLiteral("last_error")).toString();
    stats.lastErrorAtMs = map.value(QStringLiteral("last_error_at_ms")).toInteger();
    stats.errorSinceMs = map.value(QStringLiteral("error_since_ms")).toInteger();
    stats.lastProgressMs = map.value(QStringLiteral("last_progress_ms")).toInteger();
    stats.lastVerifyAtMs = map.value(QStringLiteral("last_verify_at_ms")).toInteger();
    return stats;
}

QString linkStateName(LinkState state)
{
    switch (state) {
    case LinkState::Connecting: return QStringLiteral("connecting");
    case LinkState::Syncing: return QStringLiteral("syncing");
    case LinkState::Resyncing: return QStringLiteral("resyncing");
    case LinkState::Verifying: return QStringLiteral("verifying");
    case LinkState::Streaming: return QStringLiteral("streaming");
    case LinkState::CatchingUp: return QStringLiteral("catching-up");
    case LinkState::Stalled: return QStringLiteral("stalled");
    case LinkState::Waiting: return QStringLiteral("waiting");
    case LinkState::Done: return QStringLiteral("done");
    case LinkState::Paused: return QStringLiteral("paused");
    case LinkState::Error: return QStringLiteral("error");
    case LinkState::Demoted: return QStringLiteral("demoted");
    }
    return QStringLiteral("error");
}

LinkState linkState(LinkState phase, bool paused, const LinkStats &figures, qint64 nowMs)
{
    if (phase == LinkState::Demoted)
        return LinkState::Demoted;
    if (paused)
        return LinkState::Paused;
    if (figures.errorSinceMs > 0)
        return LinkState::Error;
    const bool waiting = figures.pending > 0;
    if (phase == LinkState::Streaming || phase == LinkState::Connecting) {
        if (waiting && nowMs - figures.lastProgressMs >= LinkStats::StallMs)
            return LinkState::Stalled;
        if (phase == LinkState::Streaming && (figures.pending > LinkStats::CatchUpChanges || figures.lagMs > LinkStats::CatchUpLagMs))
            return LinkState::CatchingUp;
    }
    return phase;
}

} // namespace ferry
