#include "blocks/blockverifier.h"

#include "rows/canonicalencoder.h"
#include "blocks/rangedigest.h"
#include "blocks/rowdifference.h"
#include "util/ferryerror.h"
#include "wire/protocol.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <algorithm>
#include <cstring>

namespace ferry {

// QT_LOGGING_RULES="ferry.verify.debug=true": one line per run on where the time went.
Q_LOGGING_CATEGORY(lcVerify, "ferry.verify", QtInfoMsg)

namespace {

// Canonical bytes of whole blocks shipped per replace request: small enough that several
// are in flight (the target writes one while the next travels), large enough that the
// per-request costs do not show.
constexpr qint64 WholeRequestBytes = 4 << 20;

} // namespace

// A sub-range of a block being descended into: rows [begin, end) of the block's source rows.
struct BlockVerifier::Node
{
    int block = 0;
    KeyRange range;
    qsizetype begin = 0;
    qsizetype end = 0;
    qsizetype count() const { return end - begin; }
};

// The source rows of one block as the scan read them, kept until the block is settled:
// canonical rows back to back (row i is bytes [offsets[i], offsets[i + 1])), and the few
// rows whose bytes do not decode to the row itself (EncodedRow::folded) as they were read.
struct BlockVerifier::Retained
{
    QByteArray bytes;
    QList<qsizetype> offsets{0};
    QHash<qsizetype, Row> exact;

    qsizetype rows() const { return offsets.size() - 1; }
    QByteArrayView row(qsizetype i) const { return QByteArrayView(bytes.constData() + offsets.at(i), offsets.at(i + 1) - offsets.at(i)); }
    qint64 footprint() const { return bytes.size() + offsets.size() * qint64(sizeof(qsizetype)); }
};

// Differing blocks descending together: one target request per level for all of them.
struct BlockVerifier::Group
{
    QList<int> blocks;
    QList<Node> level;      // nodes whose sub-ranges are to be compared next
    QList<Node> children;   // the sub-ranges asked of the target
    QList<Node> leaves;     // sub-ranges to ship
};

BlockVerifier::BlockVerifier(Store &source, const TableSchema &sourceSchema, TargetEndpoint &target,
                             const TableSchema &targetSchema, const VerifierOptions &options, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_sourceSchema(sourceSchema)
    , m_target(target)
    , m_targetSchema(targetSchema)
    , m_options(options)
{
    m_options.blockRows = std::max(1, m_options.blockRows);
    m_options.fanout = std::max(2, m_options.fanout);
    m_options.leafRows = std::max(1, m_options.leafRows);
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
    m_options.batchBlocks = std::max(1, m_options.batchBlocks);
    m_options.batchMs = std::max(1, m_options.batchMs);
    m_options.descentBlocks = std::max(1, m_options.descentBlocks);
    m_options.retainBytes = std::max<qint64>(1, m_options.retainBytes);
}

BlockVerifier::~BlockVerifier()
{
    // Requests still in flight (run() threw) answer into futures nobody reads.
}

void BlockVerifier::checkCancelled() const
{
    if (m_cancelled)
        throw FerryError(QCoreApplication::translate("BlockVerifier", "verification of \"%1\" was cancelled").arg(m_sourceSchema.table));
}

void BlockVerifier::checkCount(qsizetype answered, qsizetype asked, bool subRanges) const
{
    if (answered == asked)
        return;
    if (subRanges)
        throw FerryError(QCoreApplication::translate("BlockVerifier", "%1 answered %2 digests for %3 sub-ranges").arg(m_target.displayName()).arg(answered).arg(asked));
    throw FerryError(QCoreApplication::translate("BlockVerifier", "%1 answered %2 digests for %3 ranges").arg(m_target.displayName()).arg(answered).arg(asked));
}

void BlockVerifier::setState(int index, BlockState state)
{
    m_blocks[index].state = state;
    m_changed.insert(index);
    reportProgress(false);
}

void BlockVerifier::reportProgress(bool force)
{
    if (!force && m_sinceReport.isValid() && m_sinceReport.elapsed() < m_options.progressIntervalMs)
        return;
    m_sinceReport.restart();
    VerificationProgress progress;
    QList<int> changed(m_changed.begin(), m_changed.end());
    std::sort(changed.begin(), changed.end());
    progress.changedBlocks.reserve(changed.size());
    for (int index : changed)
        progress.changedBlocks.append({index, m_blocks.at(index)});
    m_changed.clear();
    progress.blocksPlanned = int(m_blocks.size());
    progress.planningDone = m_planningDone;
    for (const BlockInfo &block : m_blocks)
        ++progress.stateCounts[int(block.state)];
    progress.rowsCompared = m_summary.rowsCompared;
    progress.rowsSent = m_summary.rowsSent;
    progress.bytesSent = m_summary.bytesSent;
    emit progressUpdated(progress);
}

void BlockVerifier::listDifferences()
{
    // A block holds blockRows rows or so (adaptive blocks more); a range read is bounded
    // (by what one scan request may ask of a node) so that a block gone wild on one side
    // cannot fill the memory. A block with more rows on a side is listed in part.
    constexpr int MaxRangeRows = protocol::MaxScanRows;
    int listed = 0;
    qsizetype rowsListed = 0;
    for (int index = 0; index < m_blocks.size(); ++index) {
        const BlockInfo &block = m_blocks.at(index);
        if (block.state != BlockState::Differs)
            continue;
        if (listed == m_options.listBlocks) {
            m_summary.differencesComplete = false;
            break;
        }
        checkCancelled();
        ++listed;
        QFuture<QList<Row>> targetRows = m_target.readRange(m_targetSchema, block.range, MaxRangeRows);
        const QList<Row> sourceRows = readRows(m_source, m_sourceSchema, block.range, MaxRangeRows);
        targetRows.waitForFinished();
        if (sourceRows.size() >= MaxRangeRows || targetRows.result().size() >= MaxRangeRows)
            m_summary.differencesComplete = false;
        RangeDifferences differences = diffRows(m_sourceSchema, sourceRows, targetRows.result(), int(std::max<qsizetype>(0, m_options.listKeys - rowsListed)));
        rowsListed += differences.rows.size();
        differences.block = index;
        differences.range = block.range;
        m_summary.missingKeys += differences.missing;
        m_summary.extraKeys += differences.extra;
        m_summary.differentKeys += differences.different;
        m_summary.differences.append(differences);
    }
}

VerificationSummary BlockVerifier::run()
{
    QElapsedTimer clock;
    clock.start();
    m_sinceReport.start();

    planAndHash();
    const qint64 scanMs = clock.elapsed();
    const qint64 scanWaitNs = m_waitNs;
    // The rest of the repairs, and the answers still coming.
    while (!m_inflight.isEmpty() || !m_wholeQueue.isEmpty() || !m_descentQueue.isEmpty()) {
        checkCancelled();
        dispatch();
        pump(true);
    }

    m_summary.blocks = int(m_blocks.size());
    m_summary.identicalAfter = true;
    m_summary.targetRows = 0;
    for (const BlockInfo &block : m_blocks) {
        m_summary.targetRows += std::max<qint64>(0, block.targetRows);
        if (block.state != BlockState::Equal && block.state != BlockState::Repaired)
            m_summary.identicalAfter = false;
    }
    if (!m_options.repair && m_options.listKeys > 0)
        listDifferences();
    m_summary.seconds = clock.elapsed() / 1000.0;
    qCDebug(lcVerify).nospace().noquote() << m_sourceSchema.table << ": source read in " << scanMs << " ms (" << scanWaitNs / 1000000
                                << " ms of it waiting for the target), done in " << clock.elapsed() << " ms (" << m_waitNs / 1000000
                                << " ms waiting in all); requests: " << m_requests[int(OpKind::Plan)] << " plan, " << m_requests[int(OpKind::Level)]
                                << " descent, " << m_requests[int(OpKind::ReplaceLeaves)] << " replace of sub-ranges, "
                                << m_requests[int(OpKind::ReplaceWhole)] << " replace of whole blocks, " << m_requests[int(OpKind::Confirm)]
                                << " confirm; at most " << m_peakRetained / (1 << 20) << " MiB of source rows kept";
    reportProgress(true);
    return m_summary;
}

// Steps 2 and 3: one streamed pass over the source cuts blocks and hashes them (on a second
// thread); every batchBlocks blocks, and at least every batchMs, the target is asked for
// the same ranges and hashes them in parallel, so that little is left for it when the
// source is done. With repair on, blocks found to differ are repaired while the scan goes
// on (their rows were kept from it).
void BlockVerifier::planAndHash()
{
    RangeHasher hasher(m_options.digest);
    m_splitPlan = m_options.repair && m_options.splitPlanShare <= 0;
    int targetRows = m_options.blockRows;
    BlockInfo current;
    std::shared_ptr<Retained> kept;
    qint64 lastBlockBytes = 0;
    bool open = false;
    QElapsedTimer blockClock;
    m_sinceSend.start();

    auto closeBlock = [&](const Key &hi) {
        current.range.hi = hi;
        current.state = BlockState::Hashing;
        hasher.endRange();
        const int index = int(m_blocks.size());
        m_blocks.append(current);
        m_changed.insert(index);
        m_unsent.append(index);
        if (kept) {
            lastBlockBytes = kept->bytes.size();
            m_retainedBytes += kept->footprint();
            m_peakRetained = std::max(m_peakRetained, m_retainedBytes);
            m_retained.insert(index, std::move(kept));
            kept.reset();
        }
        open = false;
        if (m_options.targetBlockMs > 0) {
            // Adaptive sizing, as pt-table-checksum's --chunk-time: aim the next block at the
            // target time, changing the size by at most a factor of two per block.
            const double elapsedMs = std::max(0.01, blockClock.nsecsElapsed() / 1e6);
            const double factor = std::clamp(m_options.targetBlockMs / elapsedMs, 0.5, 2.0);
            targetRows = int(std::clamp(targetRows * factor, 16.0, 1e7));
        }
        if (m_unsent.size() >= m_options.batchBlocks || m_sinceSend.elapsed() >= m_options.batchMs)
            sendBatch();
        takeSourceDigests(hasher.takeReady());
        pump(false);
        // Too much kept: let the target catch up before reading on.
        while (m_retainedBytes > m_options.retainBytes && !m_cancelled) {
            sendBatch();
            takeSourceDigests(hasher.takeReady());
            if (m_inflight.isEmpty())
                break;
            pump(true);
        }
        reportProgress(false);
    };

    const qint64 rows = m_source.scanEncoded(m_sourceSchema, {KeyRange{}}, [&](qsizetype, const EncodedRow &row) {
        if (open && current.sourceRows >= targetRows)
            closeBlock(row.key());
        if (!open) {
            current = BlockInfo();
            if (!m_blocks.isEmpty())
                current.range.lo = m_blocks.constLast().range.hi;
            if (m_options.repair) {
                kept = std::make_shared<Retained>();
                // Room for a block like the last one: no reallocations while it fills.
                const qsizetype rowBytes = m_blocks.isEmpty() || m_blocks.constLast().sourceRows == 0
                                               ? 128
                                               : qsizetype(lastBlockBytes / m_blocks.constLast().sourceRows) + 16;
                kept->bytes.reserve(std::min<qsizetype>(qsizetype(targetRows) * rowBytes, 64 << 20));
                kept->offsets.reserve(std::min(targetRows, 1 << 20) + 1);
            }
            open = true;
            blockClock.start();
        }
        hasher.add(row.bytes);
        if (kept) {
            if (row.folded)
                kept->exact.insert(kept->rows(), row.row());
            const qsizetype at = kept->bytes.size();
            kept->bytes.resize(at + row.bytes.size());
            std::memcpy(kept->bytes.data() + at, row.bytes.data(), size_t(row.bytes.size()));
            kept->offsets.append(kept->bytes.size());
        }
        ++current.sourceRows;
        return !m_cancelled;
    });
    checkCancelled();
    m_summary.rowsCompared = rows;
    if (open || m_blocks.isEmpty()) {
        if (!open) {
            current = BlockInfo();   // an empty source is one block covering every key
            if (m_options.repair)
                kept = std::make_shared<Retained>();
        }
        closeBlock(Key());
    }
    takeSourceDigests(hasher.finish());
    m_planningDone = true;
    sendBatch();
    reportProgress(true);
}

void BlockVerifier::sendBatch()
{
    m_sinceSend.restart();
    if (m_unsent.isEmpty())
        return;
    QList<KeyRange> ranges;
    ranges.reserve(m_unsent.size());
    Op op;
    op.kind = OpKind::Plan;
    op.blocks = m_unsent;
    for (int index : m_unsent) {
        const auto kept = m_retained.constFind(index);
        if (m_splitPlan && kept != m_retained.constEnd() && kept.value()->rows() > m_options.leafRows) {
            const QList<Node> parts = split(Node{index, m_blocks.at(index).range, 0, kept.value()->rows()});
            for (const Node &part : parts)
                ranges.append(part.range);
            op.parts.append(int(parts.size()));
            m_planParts.insert(index, parts);
        } else {
            ranges.append(m_blocks.at(index).range);
            op.parts.append(1);
        }
    }
    op.future = m_target.digestRanges(m_targetSchema, ranges, m_options.digest);
    m_inflight.append(std::move(op));
    m_unsent.clear();
}

void BlockVerifier::takeSourceDigests(const QList<QByteArray> &digests)
{
    for (const QByteArray &digest : digests) {
        const int index = m_sourceDigests++;
        m_blocks[index].sourceDigest = digest;
        settle(index);
    }
}

// A block whose digests are both known is equal, or differs (and is queued for repair).
void BlockVerifier::settle(int index)
{
    BlockInfo &block = m_blocks[index];
    if (block.state != BlockState::Hashing || block.sourceDigest.isEmpty() || block.targetRows < 0)
        return;
    // Every sub-range equal: the block is the same rows, hence the same digest.
    if (m_sameAsSource.remove(index))
        block.targetDigest = block.sourceDigest;
    const bool equal = block.targetRows == block.sourceRows && block.targetDigest == block.sourceDigest;
    ++m_answered;
    if (!equal && block.targetRows > 0)
        ++m_neededDescent;
    if (m_options.repair && !m_splitPlan && m_neededDescent >= m_options.splitPlanShare * m_answered && (m_answered >= 16 || m_options.splitPlanShare <= 0))
        m_splitPlan = true;
    if (equal) {
        release(index);
        setState(index, BlockState::Equal);
        return;
    }
    ++m_summary.blocksDiffering;
    setState(index, BlockState::Differs);
    if (m_options.repair)
        queueRepair(index);
}

void BlockVerifier::queueRepair(int index)
{
    BlockInfo &block = m_blocks[index];
    ++block.attempts;
    setState(index, BlockState::Repairing);
    // A block the target has no rows of ships whole: descending would only find that
    // every sub-range is missing (an initial copy is all such blocks).
    if (block.targetRows == 0)
        m_wholeQueue.append(index);
    else
        m_descentQueue.append(index);
}

void BlockVerifier::release(int index)
{
    m_descentStart.remove(index);
    const auto it = m_retained.find(index);
    if (it == m_retained.end())
        return;
    m_retainedBytes -= it.value()->footprint();
    m_retained.erase(it);
}

// Starts the repairs queued: whole blocks in replace requests of a few MiB each, differing
// blocks in descent groups of descentBlocks (smaller ones only when no descent is under
// way, or when the source has been read: then nothing bigger is coming).
void BlockVerifier::dispatch()
{
    while (!m_wholeQueue.isEmpty()) {
        QList<int> blocks;
        QList<EncodedRangeRows> parts;
        qint64 bytes = 0;
        while (!m_wholeQueue.isEmpty() && bytes < WholeRequestBytes) {
            const int index = m_wholeQueue.takeFirst();
            const Retained &kept = *m_retained.value(index);
            const Node whole{index, m_blocks.at(index).range, 0, kept.rows()};
            parts.append(rowsOf(whole));
            bytes += kept.bytes.size();
            blocks.append(index);
        }
        Op op;
        op.kind = OpKind::ReplaceWhole;
        op.blocks = blocks;
        // The applied digests that come back are each block's digest on the target after
        // the write: the confirmation, with no second request.
        op.future = m_target.replaceEncoded(m_targetSchema, parts, m_options.digest);
        m_inflight.append(std::move(op));
    }
    while (!m_descentQueue.isEmpty()
           && (m_descentQueue.size() >= m_options.descentBlocks || m_planningDone || m_descending == 0)) {
        auto group = std::make_shared<Group>();
        group->blocks = m_descentQueue.mid(0, m_options.descentBlocks);
        m_descentQueue.remove(0, group->blocks.size());
        for (int index : group->blocks) {
            const auto start = m_descentStart.constFind(index);
            if (start != m_descentStart.constEnd()) {
                // The plan request compared the block's first sub-ranges already.
                group->level += start->first;
                group->leaves += start->second;
                m_descentStart.erase(start);
            } else {
                group->level.append(Node{index, m_blocks.at(index).range, 0, m_retained.value(index)->rows()});
            }
        }
        ++m_descending;
        requestLevel(group);
    }
}

// Handles every answer that has come; with wait, waits for one first when none has.
void BlockVerifier::pump(bool wait)
{
    for (;;) {
        bool handled = false;
        for (qsizetype i = 0; i < m_inflight.size();) {
            if (!m_inflight.at(i).future.isFinished()) {
                ++i;
                continue;
            }
            Op op = m_inflight.takeAt(i);
            handle(op);
            handled = true;
        }
        checkCancelled();
        if (handled || !wait || m_inflight.isEmpty())
            break;
        QElapsedTimer waiting;
        waiting.start();
        m_inflight.first().future.waitForFinished();
        m_waitNs += waiting.nsecsElapsed();
    }
    dispatch();
}

void BlockVerifier::handle(Op &op)
{
    const QList<RangeDigest> digests = op.future.result();   // rethrows the request's error
    ++m_requests[int(op.kind)];
    switch (op.kind) {
    case OpKind::Plan:
        answerPlan(op, digests);
        break;
    case OpKind::Level:
        onLevel(op.group, digests);
        break;
    case OpKind::ReplaceLeaves: {
        checkCount(digests.size(), op.group->leaves.size(), true);
        // The applied digests cover the leaves only; the blocks are confirmed whole, since
        // their other sub-ranges matter as much.
        QList<KeyRange> ranges;
        for (int index : op.group->blocks)
            ranges.append(m_blocks.at(index).range);
        Op next;
        next.kind = OpKind::Confirm;
        next.blocks = op.group->blocks;
        next.future = m_target.digestRanges(m_targetSchema, ranges, m_options.digest);
        m_inflight.append(std::move(next));
        break;
    }
    case OpKind::ReplaceWhole:
    case OpKind::Confirm:
        checkCount(digests.size(), op.blocks.size(), false);
        confirm(op.blocks, digests);
        break;
    }
}

// Step 3's answer: the target's digests of blocks (or of their sub-ranges).
void BlockVerifier::answerPlan(const Op &op, const QList<RangeDigest> &digests)
{
    qsizetype asked = 0;
    for (int parts : op.parts)
        asked += parts;
    checkCount(digests.size(), asked, false);
    qsizetype at = 0;
    for (qsizetype i = 0; i < op.blocks.size(); ++i) {
        const int index = op.blocks.at(i);
        BlockInfo &block = m_blocks[index];
        const QList<Node> parts = m_planParts.take(index);
        if (parts.isEmpty()) {
            block.targetRows = digests.at(at).rows;
            block.targetDigest = digests.at(at).digest;
            ++at;
        } else {
            // Equal when every sub-range is; otherwise the differing sub-ranges are where
            // the descent starts (and those the target has no rows of ship whole).
            block.targetRows = 0;
            QList<Node> level;
            QList<Node> leaves;
            for (const Node &part : parts) {
                const RangeDigest &digest = digests.at(at++);
                block.targetRows += digest.rows;
                if (digest == digestOf(part))
                    continue;
                (digest.rows == 0 ? leaves : level).append(part);
            }
            if (level.isEmpty() && leaves.isEmpty())
                m_sameAsSource.insert(index);
            else if (block.targetRows > 0)
                m_descentStart.insert(index, {level, leaves});
        }
        settle(index);
    }
}

// The sub-ranges a node is split into: fanout parts of about equal row counts, bounded by
// the keys of their first rows (the node's own bounds at the ends).
QList<BlockVerifier::Node> BlockVerifier::split(const Node &node) const
{
    QList<Node> children;
    const Retained &kept = *m_retained.value(node.block);
    const qsizetype parts = std::min<qsizetype>(m_options.fanout, node.count());
    children.reserve(parts);
    for (qsizetype p = 0; p < parts; ++p) {
        Node child{node.block, {}, node.begin + node.count() * p / parts, node.begin + node.count() * (p + 1) / parts};
        child.range.lo = p == 0 ? node.range.lo : children.constLast().range.hi;
        child.range.hi = p == parts - 1 ? node.range.hi : CanonicalEncoder::decodeKey(m_sourceSchema, kept.row(child.end));
        children.append(child);
    }
    return children;
}

// Step 4, one level for a group: the sub-ranges of every node not small enough to ship,
// in one request.
void BlockVerifier::requestLevel(const std::shared_ptr<Group> &group)
{
    group->children.clear();
    for (const Node &node : std::as_const(group->level)) {
        if (node.count() <= m_options.leafRows) {
            group->leaves.append(node);
            continue;
        }
        group->children += split(node);
    }
    group->level.clear();
    if (group->children.isEmpty()) {
        finishDescent(group);
        return;
    }
    QList<KeyRange> ranges;
    ranges.reserve(group->children.size());
    for (const Node &child : std::as_const(group->children))
        ranges.append(child.range);
    Op op;
    op.kind = OpKind::Level;
    op.group = group;
    op.future = m_target.digestRanges(m_targetSchema, ranges, m_options.digest);
    m_inflight.append(std::move(op));
}

void BlockVerifier::onLevel(const std::shared_ptr<Group> &group, const QList<RangeDigest> &digests)
{
    checkCount(digests.size(), group->children.size(), true);
    for (qsizetype i = 0; i < group->children.size(); ++i) {
        const Node &child = group->children.at(i);
        if (digests.at(i) == digestOf(child))
            continue;
        if (digests.at(i).rows == 0)
            group->leaves.append(child);   // missing on the target: ship it whole
        else
            group->level.append(child);
    }
    group->children.clear();
    if (group->level.isEmpty())
        finishDescent(group);
    else
        requestLevel(group);
}

// Step 5 for a group: ship the rows of the differing leaves; the blocks are confirmed when
// the target has applied them.
void BlockVerifier::finishDescent(const std::shared_ptr<Group> &group)
{
    --m_descending;
    // Leaves of different levels were gathered apart: put them in key order, which a
    // replace request must keep (wirecodec::decodeRangeRows).
    std::sort(group->leaves.begin(), group->leaves.end(), [](const Node &a, const Node &b) {
        return a.block != b.block ? a.block < b.block : a.begin < b.begin;
    });
    Op op;
    op.group = group;
    if (group->leaves.isEmpty()) {
        // Nothing differs below the blocks (the target changed meanwhile): confirm them.
        QList<KeyRange> ranges;
        for (int index : group->blocks)
            ranges.append(m_blocks.at(index).range);
        op.kind = OpKind::Confirm;
        op.blocks = group->blocks;
        op.future = m_target.digestRanges(m_targetSchema, ranges, m_options.digest);
    } else {
        QList<EncodedRangeRows> parts;
        parts.reserve(group->leaves.size());
        for (const Node &leaf : std::as_const(group->leaves))
            parts.append(rowsOf(leaf));
        op.kind = OpKind::ReplaceLeaves;
        op.future = m_target.replaceEncoded(m_targetSchema, parts, m_options.digest);
    }
    m_inflight.append(std::move(op));
}

// Step 6: a repaired block whose digest on the target is now the source's is repaired;
// one that still differs is tried again (from the rows kept), until maxAttempts.
void BlockVerifier::confirm(const QList<int> &indexes, const QList<RangeDigest> &digests)
{
    for (qsizetype i = 0; i < indexes.size(); ++i) {
        const int index = indexes.at(i);
        BlockInfo &block = m_blocks[index];
        block.targetRows = digests.at(i).rows;
        block.targetDigest = digests.at(i).digest;
        if (block.targetRows == block.sourceRows && block.targetDigest == block.sourceDigest) {
            ++m_summary.blocksRepaired;
            release(index);
            setState(index, BlockState::Repaired);
        } else if (block.attempts < m_options.maxAttempts) {
            queueRepair(index);
        } else {
            ++m_summary.blocksFailed;
            m_summary.failures.append(QCoreApplication::translate("BlockVerifier", "block %1 %2 still differs after %3 repair attempts")
                                          .arg(index)
                                          .arg(describeRange(block.range))
                                          .arg(block.attempts));
            release(index);
            setState(index, BlockState::Failed);
        }
    }
}

RangeDigest BlockVerifier::digestOf(const Node &node) const
{
    const Retained &kept = *m_retained.value(node.block);
    const qsizetype from = kept.offsets.at(node.begin);
    return RangeDigest{node.count(), Digest::of(m_options.digest, QByteArray::fromRawData(kept.bytes.constData() + from, kept.offsets.at(node.end) - from))};
}

// The source rows of a node, as the scan read them (sharing the kept bytes), counted as sent.
EncodedRangeRows BlockVerifier::rowsOf(const Node &node)
{
    const Retained &kept = *m_retained.value(node.block);
    EncodedRangeRows part;
    part.range = node.range;
    part.bytes = kept.bytes;
    part.offsets = kept.offsets.mid(node.begin, node.count() + 1);
    for (auto it = kept.exact.cbegin(); it != kept.exact.cend(); ++it) {
        if (it.key() >= node.begin && it.key() < node.end)
            part.exact.insert(it.key() - node.begin, it.value());
    }
    m_summary.bytesSent += kept.offsets.at(node.end) - kept.offsets.at(node.begin);
    m_summary.rowsSent += node.count();
    return part;
}

} // namespace ferry
