#include "output.h"

#include <QCborValue>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace ferry;

void printLine(FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

void TerminalProgress::update(const VerificationProgress &progress)
{
    if (!m_enabled)
        return;
    const int planned = progress.blocksPlanned;
    const int settled = progress.stateCounts[int(BlockState::Equal)] + progress.stateCounts[int(BlockState::Repaired)]
                        + progress.stateCounts[int(BlockState::Failed)] + progress.stateCounts[int(BlockState::Differs)];
    const int width = 30;
    const int filled = (progress.planningDone && planned > 0) ? int(qint64(width) * settled / planned) : 0;
    QString bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
    QString line = progress.planningDone
        ? QCoreApplication::translate("ferryctl", "[%1] blocks %2/%3  differ %4  repaired %5  rows sent %6").arg(bar).arg(settled).arg(planned)
              .arg(progress.stateCounts[int(BlockState::Differs)] + progress.stateCounts[int(BlockState::Repairing)])
              .arg(progress.stateCounts[int(BlockState::Repaired)]).arg(progress.rowsSent)
        : QCoreApplication::translate("ferryctl", "[%1] hashing: %2 blocks planned, %3 differ").arg(bar).arg(planned).arg(progress.stateCounts[int(BlockState::Differs)]);
    std::fprintf(stderr, "\r%-100s", qPrintable(line));
    std::fflush(stderr);
    m_drawn = true;
}

void TerminalProgress::finish()
{
    if (m_drawn)
        std::fprintf(stderr, "\r%-100s\r", "");
}

int fail(bool json, const QString &message)
{
    printLine(stderr, QCoreApplication::translate("ferryctl", "ferryctl: error: %1").arg(message));
    if (json) {
        QJsonObject object{{QStringLiteral("error"), message}};
        printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    }
    return 2;
}

void printSummary(bool json, const QString &source, const QString &target, const VerifierOptions &options,
                  const VerificationSummary &summary, qint64 wireBytes)
{
    if (json) {
        QJsonObject object{
            {QStringLiteral("source"), source},
            {QStringLiteral("target"), target},
            {QStringLiteral("digest"), digestAlgorithmName(options.digest)},
            {QStringLiteral("repair"), options.repair},
            {QStringLiteral("blocks"), summary.blocks},
            {QStringLiteral("blocks_differing"), summary.blocksDiffering},
            {QStringLiteral("blocks_repaired"), summary.blocksRepaired},
            {QStringLiteral("blocks_failed"), summary.blocksFailed},
            {QStringLiteral("rows_compared"), summary.rowsCompared},
            {QStringLiteral("target_rows"), summary.targetRows},
            {QStringLiteral("rows_sent"), summary.rowsSent},
            {QStringLiteral("bytes_sent"), summary.bytesSent},
            {QStringLiteral("identical_after"), summary.identicalAfter},
            {QStringLiteral("seconds"), summary.seconds},
            {QStringLiteral("failures"), QJsonArray::fromStringList(summary.failures)},
        };
        if (wireBytes >= 0)
            object.insert(QStringLiteral("bytes_on_wire"), wireBytes);
        if (!options.repair && options.listKeys > 0) {
            // The differing keys: counted in full, listed up to --keys, per block.
            auto values = [](const QList<QVariant> &list) {
                QJsonArray array;
                for (const QVariant &value : list)
                    array.append(QCborValue::fromVariant(value).toJsonValue());
                return array;
            };
            QJsonArray blocks;
            for (const RangeDifferences &block : summary.differences) {
                QJsonArray keys;
                for (const RowDifference &row : block.rows) {
                    QJsonObject entry{{QStringLiteral("kind"), rowDifferenceKindName(row.kind)}, {QStringLiteral("key"), values(row.key)}};
                    if (!row.source.isEmpty())
                        entry.insert(QStringLiteral("source"), values(row.source));
                    if (!row.target.isEmpty())
                        entry.insert(QStringLiteral("target"), values(row.target));
                    keys.append(entry);
                }
                blocks.append(QJsonObject{{QStringLiteral("block"), block.block},
                                          {QStringLiteral("range"), describeRange(block.range)},
                                          {QStringLiteral("missing"), block.missing},
                                          {QStringLiteral("extra"), block.extra},
                                          {QStringLiteral("different"), block.different},
                                          {QStringLiteral("keys"), keys}});
            }
            object.insert(QStringLiteral("missing_keys"), summary.missingKeys);
            object.insert(QStringLiteral("extra_keys"), summary.extraKeys);
            object.insert(QStringLiteral("different_keys"), summary.differentKeys);
            object.insert(QStringLiteral("differences_complete"), summary.differencesComplete);
            object.insert(QStringLiteral("differences"), blocks);
        }
        printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    } else {
        printLine(stdout, QCoreApplication::translate("ferryctl", "Compared %1 -> %2 (%3)").arg(source, target, digestAlgorithmName(options.digest)));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  blocks          %1 (%2 differed, %3 repaired, %4 failed)")
                              .arg(summary.blocks).arg(summary.blocksDiffering).arg(summary.blocksRepaired).arg(summary.blocksFailed));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  rows compared   %1 source, %2 target").arg(summary.rowsCompared).arg(summary.targetRows));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  rows sent       %1 (%2 bytes)").arg(summary.rowsSent).arg(summary.bytesSent));
        if (wireBytes >= 0)
            printLine(stdout, QCoreApplication::translate("ferryctl", "  on the wire     %1 bytes").arg(wireBytes));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  time            %1 s").arg(summary.seconds, 0, 'f', 2));
        for (const QString &failure : summary.failures)
            printLine(stdout, QCoreApplication::translate("ferryctl", "  failed          %1").arg(failure));
        if (!options.repair && options.listKeys > 0 && summary.blocksDiffering > 0) {
            printLine(stdout, QCoreApplication::translate("ferryctl", "  differing keys  %1 missing on the target, %2 extra on the target, %3 with other values")
                                  .arg(summary.missingKeys).arg(summary.extraKeys).arg(summary.differentKeys));
            qint64 listed = 0;
            for (const RangeDifferences &block : summary.differences) {
                for (const RowDifference &row : block.rows) {
                    QStringList key;
                    for (const QVariant &value : row.key)
                        key.append(value.toString());
                    printLine(stdout, QCoreApplication::translate("ferryctl", "    block %1  %2  %3").arg(block.block).arg(rowDifferenceKindName(row.kind), -9).arg(key.join(QLatin1String(", "))));
                    ++listed;
                }
            }
            if (listed < summary.missingKeys + summary.extraKeys + summary.differentKeys || !summary.differencesComplete)
                printLine(stdout, QCoreApplication::translate("ferryctl", "    (%1 listed; --keys N lists more)").arg(listed));
        }
        if (summary.identicalAfter)
            printLine(stdout, options.repair && summary.blocksDiffering > 0 ? QCoreApplication::translate("ferryctl", "Result: identical after repair.") : QCoreApplication::translate("ferryctl", "Result: identical."));
        else if (options.repair)
            printLine(stdout, QCoreApplication::translate("ferryctl", "Result: still different in %1 blocks.").arg(summary.blocksFailed));
        else
            printLine(stdout, QCoreApplication::translate("ferryctl", "Result: different in %1 blocks; run with --repair to make the target match.").arg(summary.blocksDiffering));
    }
}
