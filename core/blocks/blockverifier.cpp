#include "blocks/blockverifier.h"

#include "blocks/canonicalencoder.h"
#include "util/ferryerror.h"

#include <QCoreApplication>

#include <algorithm>

namespace ferry {

// A sub-range of a block being descended into: rows [begin, end) of the block's source rows.
struct BlockVerifier::Node
{
    int block = 0;
    KeyRange range;
    qsizetype begin = 0;
    qsizetype end = 0;
    qsizetype count() const { return end - begin; }
};

// The source rows of one block, kept only while that block is repaired.
struct BlockVerifier::SourceBlock
{
    QList<Row> rows;
    QList<QByteArray> encoded;
    QByteArray digest;
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
    m_options.descentBlocks = std::max(1, m_options.descentBlocks);
}

void BlockVerifier::checkCancelled() const
{
    if (m_cancelled)
        throw FerryError(QCoreApplication::translate("BlockVerifier", "verification of \"%1\" was cancelled").arg(m_sourceSchema.table));
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

VerificationSummary BlockVerifier::run()
{
    QElapsedTimer clock;
    clock.start();
    m_sinceReport.start();

    planAndHash();
    if (m_options.repair)
        repairDiffering();

    m_summary.blocks = int(m_blocks.size());
    m_summary.identicalAfter = true;
    m_summary.targetRows = 0;
    for (const BlockInfo &block : m_blocks) {
        m_summary.targetRows += std::max<qint64>(0, block.targetRows);
        if (block.state != BlockState::Equal && block.state != BlockState::Repaired)
            m_summary.identicalAfter = false;
    }
    m_summary.seconds = clock.elapsed() / 1000.0;
    reportProgress(true);
    return m_summary;
}

// Steps 2 and 3: one streamed pass over the source cuts blocks and hashes them; every
// batchBlocks blocks the target is asked for the same ranges and hashes them in parallel.
void BlockVerifier::planAndHash()
{
    Digest digest(m_options.digest);
    int targetRows = m_options.blockRows;
    BlockInfo current;
    bool open = false;
    QElapsedTimer blockClock;

    auto closeBlock = [&](const Key &hi) {
        current.range.hi = hi;
        current.sourceDigest = digest.finish();
        current.state = BlockState::Hashing;
        m_blocks.append(current);
        m_changed.insert(int(m_blocks.size() - 1));
        m_unsent.append(int(m_blocks.size() - 1));
        open = false;
        if (m_options.targetBlockMs > 0) {
            // Adaptive sizing, as pt-table-checksum's --chunk-time: aim the next block at the
            // target time, changing the size by at most a factor of two per block.
            const double elapsedMs = std::max(0.01, blockClock.nsecsElapsed() / 1e6);
            const double factor = std::clamp(m_options.targetBlockMs / elapsedMs, 0.5, 2.0);
            targetRows = int(std::clamp(targetRows * factor, 16.0, 1e7));
        }
        if (m_unsent.size() >= m_options.batchBlocks)
            sendBatch();
        collect(false);
        reportProgress(false);
    };

    const qint64 rows = m_source.scanEncoded(m_sourceSchema, {KeyRange{}}, [&](qsizetype, const EncodedRow &row) {
        if (open && current.sourceRows >= targetRows)
            closeBlock(row.key());
        if (!open) {
            current = BlockInfo();
            if (!m_blocks.isEmpty())
                current.range.lo = m_blocks.constLast().range.hi;
            open = true;
            blockClock.start();
        }
        digest.update(row.bytes.data(), row.bytes.size());
        ++current.sourceRows;
        return !m_cancelled;
    });
    checkCancelled();
    m_summary.rowsCompared = rows;
    if (open || m_blocks.isEmpty()) {
        if (!open)
            current = BlockInfo();   // an empty source is one block covering every key
        closeBlock(Key());
    }
    m_planningDone = true;
    sendBatch();
    collect(true);
    for (const BlockInfo &block : m_blocks) {
        if (block.state == BlockState::Differs)
            ++m_summary.blocksDiffering;
    }
    reportProgress(true);
}

void BlockVerifier::sendBatch()
{
    if (m_unsent.isEmpty())
        return;
    QList<KeyRange> ranges;
    ranges.reserve(m_unsent.size());
    for (int index : m_unsent)
        ranges.append(m_blocks.at(index).range);
    m_inflight.append({m_unsent, m_target.digestRanges(m_targetSchema, ranges, m_options.digest)});
    m_unsent.clear();
}

void BlockVerifier::collect(bool wait)
{
    while (!m_inflight.isEmpty() && (wait || m_inflight.first().second.isFinished())) {
        auto [indexes, future] = m_inflight.takeFirst();
        const QList<RangeDigest> digests = future.result();
        if (digests.size() != indexes.size())
            throw FerryError(QCoreApplication::translate("BlockVerifier", "%1 answered %2 digests for %3 ranges").arg(m_target.displayName()).arg(digests.size()).arg(indexes.size()));
        for (qsizetype i = 0; i < indexes.size(); ++i) {
            BlockInfo &block = m_blocks[indexes.at(i)];
            block.targetRows = digests.at(i).rows;
            block.targetDigest = digests.at(i).digest;
            const bool same = block.targetRows == block.sourceRows && block.targetDigest == block.sourceDigest;
            setState(indexes.at(i), same ? BlockState::Equal : BlockState::Differs);
        }
        checkCancelled();
    }
}

void BlockVerifier::repairDiffering()
{
    QList<int> differing;
    for (int i = 0; i < m_blocks.size(); ++i) {
        if (m_blocks.at(i).state == BlockState::Differs)
            differing.append(i);
    }
    for (qsizetype start = 0; start < differing.size(); start += m_options.descentBlocks) {
        checkCancelled();
        repairGroup(differing.mid(start, m_options.descentBlocks));
    }
}

BlockVerifier::SourceBlock BlockVerifier::loadSourceBlock(int index)
{
    SourceBlock block;
    Digest digest(m_options.digest);
    m_source.scan(m_sourceSchema, m_blocks.at(index).range, [&](const Row &row) {
        QByteArray bytes;
        CanonicalEncoder::appendRow(bytes, m_sourceSchema, row);
        digest.update(bytes);
        block.rows.append(row);
        block.encoded.append(bytes);
        return true;
    });
    block.digest = digest.finish();
    return block;
}

// Steps 4 and 5 for a group of differing blocks: descend level by level (one target
// request per level for the whole group), ship the rows of differing leaves, then confirm
// every block with one more digest request. Blocks that still differ are tried again.
void BlockVerifier::repairGroup(const QList<int> &indexes)
{
    QList<int> remaining = indexes;
    while (!remaining.isEmpty()) {
        checkCancelled();
        QHash<int, SourceBlock> sources;
        QList<Node> level;
        QList<Node> leaves;
        for (int index : remaining) {
            ++m_blocks[index].attempts;
            setState(index, BlockState::Repairing);
            SourceBlock source = loadSourceBlock(index);
            m_blocks[index].sourceRows = source.rows.size();
            m_blocks[index].sourceDigest = source.digest;
            const Node whole{index, m_blocks.at(index).range, 0, source.rows.size()};
            // A block the target has no rows of ships whole: descending would only find
            // that every sub-range is missing (an initial copy is all such blocks).
            if (m_blocks.at(index).targetRows == 0)
                leaves.append(whole);
            else
                level.append(whole);
            sources.insert(index, std::move(source));
        }

        auto digestOf = [&](const Node &node) {
            Digest digest(m_options.digest);
            const SourceBlock &source = sources[node.block];
            for (qsizetype i = node.begin; i < node.end; ++i)
                digest.update(source.encoded.at(i));
            return RangeDigest{node.count(), digest.finish()};
        };

        while (!level.isEmpty()) {
            QList<Node> children;
            for (const Node &node : level) {
                if (node.count() <= m_options.leafRows) {
                    leaves.append(node);
                    continue;
                }
                const SourceBlock &source = sources[node.block];
                const qsizetype parts = std::min<qsizetype>(m_options.fanout, node.count());
                for (qsizetype p = 0; p < parts; ++p) {
                    Node child{node.block, {}, node.begin + node.count() * p / parts, node.begin + node.count() * (p + 1) / parts};
                    child.range.lo = p == 0 ? node.range.lo : m_sourceSchema.keyOf(source.rows.at(child.begin));
                    child.range.hi = p == parts - 1 ? node.range.hi : m_sourceSchema.keyOf(source.rows.at(child.end));
                    children.append(child);
                }
            }
            if (children.isEmpty())
                break;
            QList<KeyRange> ranges;
            ranges.reserve(children.size());
            for (const Node &child : children)
                ranges.append(child.range);
            const QList<RangeDigest> digests = m_target.digestRanges(m_targetSchema, ranges, m_options.digest).result();
            if (digests.size() != children.size())
                throw FerryError(QCoreApplication::translate("BlockVerifier", "%1 answered %2 digests for %3 sub-ranges").arg(m_target.displayName()).arg(digests.size()).arg(children.size()));
            level.clear();
            for (qsizetype i = 0; i < children.size(); ++i) {
                if (digests.at(i) == digestOf(children.at(i)))
                    continue;
                if (digests.at(i).rows == 0)
                    leaves.append(children.at(i));   // missing on the target: ship it whole
                else
                    level.append(children.at(i));
            }
            reportProgress(false);
        }

        if (!leaves.isEmpty()) {
            // Whole blocks and the leaves of each level were gathered apart: put them in
            // key order, which a replace request must keep (wirecodec::decodeRangeRows).
            std::sort(leaves.begin(), leaves.end(), [](const Node &a, const Node &b) {
                return a.block != b.block ? a.block < b.block : a.begin < b.begin;
            });
            QList<RangeRows> repairs;
            repairs.reserve(leaves.size());
            for (const Node &leaf : leaves) {
                const SourceBlock &source = sources[leaf.block];
                RangeRows part{leaf.range, source.rows.mid(leaf.begin, leaf.count())};
                for (qsizetype i = leaf.begin; i < leaf.end; ++i)
                    m_summary.bytesSent += source.encoded.at(i).size();
                m_summary.rowsSent += leaf.count();
                repairs.append(part);
            }
            // The applied digests come back with the repair; the block confirmation below
            // checks the same rows again as part of the whole block.
            m_target.replaceRanges(m_targetSchema, repairs, m_options.digest).result();
        }

        QList<KeyRange> blockRanges;
        for (int index : remaining)
            blockRanges.append(m_blocks.at(index).range);
        const QList<RangeDigest> confirmed = m_target.digestRanges(m_targetSchema, blockRanges, m_options.digest).result();
        QList<int> retry;
        for (qsizetype i = 0; i < remaining.size(); ++i) {
            const int index = remaining.at(i);
            BlockInfo &block = m_blocks[index];
            block.targetRows = confirmed.at(i).rows;
            block.targetDigest = confirmed.at(i).digest;
            if (block.targetRows == block.sourceRows && block.targetDigest == block.sourceDigest) {
                ++m_summary.blocksRepaired;
                setState(index, BlockState::Repaired);
            } else if (block.attempts < m_options.maxAttempts) {
                retry.append(index);
            } else {
                ++m_summary.blocksFailed;
                m_summary.failures.append(QCoreApplication::translate("BlockVerifier", "block %1 %2 still differs after %3 repair attempts")
                                              .arg(index)
                                              .arg(describeRange(block.range))
                                              .arg(block.attempts));
                setState(index, BlockState::Failed);
            }
        }
        remaining = retry;
    }
}

} // namespace ferry
