#pragma once

#include <QCborMap>
#include <QString>

namespace ferry {

// The live figures of one link, as its source node publishes them (at most four times a
// second, all links in one message).
// Where a link stands. Derived from its figures (linkState()), never set on a code path:
// a link with changes waiting and no progress is stalled, whatever its runner is doing.
enum class LinkState {
    Connecting,   // preparing the connection to the target
    Syncing,      // the initial sync
    Resyncing,    // a whole-table verification forced by something the link found (a restored source, a recreated target)
    Verifying,    // a verification round (verify now, scheduled)
    Streaming,    // the change feed keeps up
    CatchingUp,   // the change feed makes progress with a backlog
    Stalled,      // changes wait and nothing was acknowledged for StallMs
    Waiting,      // scheduled: between rounds
    Done,         // one-shot: copied
    Paused,
    Error,        // the current error is lastError, since errorSinceMs
    Demoted,      // another node is primary of the table pair
};

// A link's figures, as every reader sees them (the node API, ferryctl, the console and the
// failover plan read these, nothing else).
struct LinkStats
{
    static constexpr qint64 StallMs = 10000;       // pending > 0 and no progress this long: stalled
    static constexpr qint64 CatchUpChanges = 1000; // more pending than one batch: catching up
    static constexpr double CatchUpLagMs = 1000;

    QString id;
    QString state;               // linkStateName(): connecting, syncing, resyncing, verifying, streaming,
                                 // catching-up, stalled, waiting, done, paused, error, demoted
    double rowsPerSecond = 0;    // changes applied on the target, over the last second or so
    double bytesPerSecond = 0;   // frame bytes to and from the target
    double lagMs = 0;            // the age of the oldest change not yet acknowledged; 0 when none waits
    double lagP50Ms = 0;         // source commit to acknowledgement, over the last 1000 changes
    double lagP99Ms = 0;
    qint64 pending = 0;          // changes captured and not yet acknowledged by the target, always
    qint64 appliedTotal = 0;
    qint64 bytesTotal = 0;
    qint64 ackedSeq = 0;
    int blocks = 0;              // the last or current verification round
    int blocksVerified = 0;
    int blocksDiffering = 0;
    int blocksRepaired = 0;
    qint64 conflicts = 0;        // recorded on the target
    qint64 errors = 0;
    QString lastError;
    qint64 lastErrorAtMs = 0;
    qint64 errorSinceMs = 0;     // > 0 while the link is in error (lastError is the current one)
    qint64 lastProgressMs = 0;   // when the acknowledged position last moved, or nothing was waiting
    qint64 lastVerifyAtMs = 0;
    qint64 retainedWalBytes = -1; // PostgreSQL source: WAL its replication slot keeps on the server; -1: no slot

    QCborMap toCbor() const;
    static LinkStats fromCbor(const QCborMap &map);
};

QString linkStateName(LinkState state);

// The state a link's figures say it is in. phase: what its runner is doing (Connecting,
// Syncing, Resyncing, Verifying, Streaming, Waiting, Done, Demoted).
LinkState linkState(LinkState phase, bool paused, const LinkStats &figures, qint64 nowMs);

} // namespace ferry
