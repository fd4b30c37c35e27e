#pragma once

#include "blocks/blockstate.h"
#include "blocks/targetendpoint.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QObject>
#include <QSet>

#include <atomic>
#include <memory>

namespace ferry {

class RangeHasher;

struct VerifierOptions
{
    int blockRows = 1000;          // rows per block in fixed mode
    int targetBlockMs = 0;         // > 0: adaptive mode, blocks sized to take about this long to hash
    DigestAlgorithm digest = DigestAlgorithm::Md5;
    bool repair = false;
    int fanout = 16;               // sub-ranges per differing range while descending
    int leafRows = 1;              // a sub-range with at most this many source rows is shipped
    int maxAttempts = 3;           // repair attempts per block before it is reported failed
    int batchBlocks = 256;         // at most this many block digests asked of the target per message...
    int batchMs = 25;              // ...and a message at least this often while the source is read
    int descentBlocks = 64;        // differing blocks descended together (one message per level)
    // With repair: once at least this share of the blocks answered needed a descent, the
    // target is asked for the digests of each block's first fanout sub-ranges instead of
    // the block's, so a differing block starts its descent one level down (the target reads
    // it once less). 0: from the start; above 1: never.
    double splitPlanShare = 0.25;
    qint64 retainBytes = 32 << 20; // source rows kept in memory for repairs (more waits for the target)
    int progressIntervalMs = 100;  // pace of progressUpdated
    // Without repair: at most this many differing keys are listed in the summary (with
    // both sides' rows), over at most listBlocks differing blocks whose keys are all
    // counted; 0 lists nothing.
    int listKeys = 0;
    int listBlocks = 1000;
};

// The source side of the block verification protocol (DESIGN.md): plans key-range blocks
// while hashing the source in one streamed pass, has the target hash the same ranges in
// parallel, descends into differing blocks by sub-ranges, ships only the rows of the
// sub-ranges that differ, and confirms every repaired block against the target.
//
// The source is read once. With repair on, the canonical rows of each block are kept from
// the scan until the block is settled (equal, repaired or failed), within retainBytes:
// when more is kept, the scan waits for the target. Keys of sub-ranges and the rows shipped
// are decoded from those bytes. Requests to the target are pipelined: block digests while
// the source is read, descents of several groups of blocks, replaces and confirmations are
// all in flight at once, and the target works through them in order.
// run() works in the calling thread; the source Store must belong to it.
class BlockVerifier : public QObject
{
    Q_OBJECT

public:
    BlockVerifier(Store &source, const TableSchema &sourceSchema, TargetEndpoint &target, const TableSchema &targetSchema,
                  const VerifierOptions &options, QObject *parent = nullptr);
    ~BlockVerifier() override;

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
    struct Retained;
    struct Group;
    enum class OpKind { Plan, Level, ReplaceLeaves, ReplaceWhole, Confirm };
    struct Op
    {
        OpKind kind = OpKind::Plan;
        QList<int> blocks;
        QList<int> parts;   // Plan: the ranges asked for each block (1, or its sub-ranges)
        std::shared_ptr<Group> group;
        QFuture<QList<RangeDigest>> future;
    };

    void planAndHash();
    void sendBatch();
    void takeSourceDigests(const QList<QByteArray> &digests);
    void settle(int index);
    void queueRepair(int index);
    void dispatch();
    void pump(bool wait);
    void handle(Op &op);
    void answerPlan(const Op &op, const QList<RangeDigest> &digests);
    QList<Node> split(const Node &node) const;
    void requestLevel(const std::shared_ptr<Group> &group);
    void onLevel(const std::shared_ptr<Group> &group, const QList<RangeDigest> &digests);
    void finishDescent(const std::shared_ptr<Group> &group);
    void confirm(const QList<int> &indexes, const QList<RangeDigest> &digests);
    RangeDigest digestOf(const Node &node) const;
    EncodedRangeRows rowsOf(const Node &node);
    void release(int index);
    void setState(int index, BlockState state);
    void reportProgress(bool force);
    // Without repair: the keys of the differing blocks (listKeys).
    void listDifferences();
    void checkCancelled() const;
    void checkCount(qsizetype answered, qsizetype asked, bool subRanges) const;

    Store &m_source;
    TableSchema m_sourceSchema;
    TargetEndpoint &m_target;
    TableSchema m_targetSchema;
    VerifierOptions m_options;

    QList<BlockInfo> m_blocks;
    int m_sourceDigests = 0;                  // blocks whose source digest is known (a prefix)
    QList<int> m_unsent;                      // planned blocks not yet asked of the target
    QElapsedTimer m_sinceSend;
    QList<Op> m_inflight;                     // requests to the target, oldest first
    QHash<int, std::shared_ptr<Retained>> m_retained;
    qint64 m_retainedBytes = 0;
    QList<int> m_wholeQueue;                  // to repair by shipping every row of the block
    QList<int> m_descentQueue;                // to repair by descending into sub-ranges
    int m_descending = 0;                     // groups whose descent is in flight
    bool m_splitPlan = false;                 // plan requests ask for sub-ranges (splitPlanShare)
    int m_answered = 0;                       // blocks the target answered in plan requests...
    int m_neededDescent = 0;                  // ...and of them, those that differed with rows there
    QHash<int, QList<Node>> m_planParts;      // sub-ranges asked for a block in its plan request
    QSet<int> m_sameAsSource;                 // split blocks whose every sub-range was equal
    QHash<int, std::pair<QList<Node>, QList<Node>>> m_descentStart;   // (level, leaves) found by the plan
    bool m_planningDone = false;
    VerificationSummary m_summary;
    // For the debug log (lcVerify): where the time went.
    qint64 m_waitNs = 0;                      // waiting for the target's answers
    int m_requests[5] = {};                   // answers handled, by OpKind
    qint64 m_peakRetained = 0;

    QSet<int> m_changed;
    QElapsedTimer m_sinceReport;
    std::atomic<bool> m_cancelled{false};
};

} // namespace ferry
