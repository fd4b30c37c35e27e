#pragma once

#include <QCborMap>
#include <QString>

namespace ferry {

// The live figures of one link, as its source node publishes them (at most four times a
// second, all links in one message).
struct LinkStats
{
    QString id;
    QString state;               // connecting, syncing, streaming, verifying, waiting, paused, done, error
    double rowsPerSecond = 0;    // changes applied on the target, over the last second or so
    double bytesPerSecond = 0;   // frame bytes to and from the target
    double lagMs = 0;            // source commit to target apply, the last batch's worst
    double lagP50Ms = 0;         // over the last 1000 changes
    double lagP99Ms = 0;
    qint64 pending = 0;          // changes captured and not yet acknowledged by the target
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
    qint64 lastVerifyAtMs = 0;

    QCborMap toCbor() const;
    static LinkStats fromCbor(const QCborMap &map);
};

} // namespace ferry
