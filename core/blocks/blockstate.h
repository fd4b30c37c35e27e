#pragma once

#include "blocks/rowdifference.h"
#include "rows/keyrange.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace ferry {

// The visible life of one block (DESIGN.md, protocol step 6).
enum class BlockState : quint8 { Pending, Hashing, Equal, Differs, Repairing, Repaired, Failed };
constexpr int BlockStateCount = 7;

QString blockStateName(BlockState state);

struct BlockInfo
{
    KeyRange range;
    qint64 sourceRows = 0;
    qint64 targetRows = -1;     // -1 until the target answered
    QByteArray sourceDigest;
    QByteArray targetDigest;
    BlockState state = BlockState::Pending;
    int attempts = 0;
};

// One paced progress report: the blocks that changed since the previous report, and totals.
struct VerificationProgress
{
    QList<QPair<int, BlockInfo>> changedBlocks;   // (block index, its state now)
    int blocksPlanned = 0;
    bool planningDone = false;
    int stateCounts[BlockStateCount] = {};
    qint64 rowsCompared = 0;
    qint64 rowsSent = 0;
    qint64 bytesSent = 0;
};

struct VerificationSummary
{
    int blocks = 0;
    int blocksDiffering = 0;     // differed when first compared
    int blocksRepaired = 0;
    int blocksFailed = 0;
    qint64 rowsCompared = 0;     // source rows hashed
    qint64 targetRows = 0;
    qint64 rowsSent = 0;         // rows shipped to the target by repairs
    qint64 bytesSent = 0;        // canonical bytes of those rows
    bool identicalAfter = false;
    double seconds = 0;
    QStringList failures;        // one message per failed block
    // Without repair (VerifierOptions::listKeys): the keys that differ, per differing
    // block, counted in full and listed up to the limit; differencesComplete is false when
    // blocks were left out (VerifierOptions::listBlocks).
    QList<RangeDifferences> differences;
    qint64 missingKeys = 0;      // on the source, not on the target
    qint64 extraKeys = 0;        // on the target, not on the source
    qint64 differentKeys = 0;    // on both, other values
    bool differencesComplete = true;
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::VerificationProgress)
