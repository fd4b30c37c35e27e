#pragma once

#include "blocks/blockstate.h"
#include "blocks/targetendpoint.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QSet>

#include <atomic>

namespace ferry {

struct VerifierOptions
{
    int blockRows = 1000;          // rows per block in fixed mode
    int targetBlockMs = 0;         // > 0: adaptive mode, blocks sized to take about this long to hash
    DigestAlgorithm digest = DigestAlgorithm::Md5;
    bool repair = false;
    int fanout = 16;               // sub-ranges per differing range while descending
    int leafRows = 1;              // a sub-range with at most this many source rows is shipped
    int maxAttempts = 3;           // repair attempts per block before it is reported failed
    int batchBlocks = 256;         // block digests sent to the target per message
    int descentBlocks = 64;        // differing blocks repaired together (bounds memory)
    int progressIntervalMs = 100;  // pace of progressUpdated
};

// The source side of the block verification protocol (DESIGN.md): plans key-range blocks
// while hashing the source in one streamed pass, has the target hash the same ranges in
// parallel, descends into differing blocks by sub-ranges, ships only the rows of the
// sub-ranges that differ, and confirms every repaired block against the target.
// run() works in the calling thread; the source Store must belong to it.
class BlockVerifier : public QObject
{
    Q_OBJECT

public:
    BlockVerifier(Store &source, const TableSchema &sourceSchema, TargetEndpoint &target, const TableSchema &targetSchema,
                  const VerifierOptions &options, QObject *parent = nullptr);

    // Throws FerryError when a database or the target fails; block-level repair failures
    // are reported in the summary instead.
    VerificationSummary run();
    void cancel() { m_cancelled = true; }

    const QList<BlockInfo> &blocks() const { return m_blocks; }

signals:
    // At most one per progressIntervalMs, with every block that changed since the last one.
    void progressUpdated(const ferry::VerificationProgress &progress);

private:
    struct Node;
    struct SourceBlock;

    void planAndHash();
    void sendBatch();
    void collect(bool wait);
    void repairDiffering();
    void repairGroup(const QList<int> &indexes);
    SourceBlock loadSourceBlock(int index);
    void setState(int index, BlockState state);
    void reportProgress(bool force);
    void checkCancelled() const;

    Store &m_source;
    TableSchema m_sourceSchema;
    TargetEndpoint &m_target;
    TableSchema m_targetSchema;
    VerifierOptions m_options;

    QList<BlockInfo> m_blocks;
    QList<int> m_unsent;                                       // planned blocks not yet sent
    QList<QPair<QList<int>, QFuture<QList<RangeDigest>>>> m_inflight;
    bool m_planningDone = false;
    VerificationSummary m_summary;

    QSet<int> m_changed;
    QElapsedTimer m_sinceReport;
    std::atomic<bool> m_cancelled{false};
};

} // namespace ferry
