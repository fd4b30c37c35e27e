#include "comparecommand.h"

#include "blocks/blockverifier.h"
#include "blocks/localendpoint.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

using namespace ferry;

namespace {

void printLine(FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

// Progress on a terminal: one line rewritten in place, at the verifier's pace.
class TerminalProgress
{
public:
    explicit TerminalProgress(bool enabled) : m_enabled(enabled) {}

    void update(const VerificationProgress &progress)
    {
        if (!m_enabled)
            return;
        const int planned = progress.blocksPlanned;
        const int settled = progress.stateCounts[int(BlockState::Equal)] + progress.stateCounts[int(BlockState::Repaired)]
                            + progress.stateCounts[int(BlockState::Failed)] + progress.stateCounts[int(BlockState::Differs)];
        const int width = 30;
        const int filled = (progress.planningDone && planned > 0) ? width * settled / planned : 0;
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

    void finish()
    {
        if (m_drawn)
            std::fprintf(stderr, "\r%-100s\r", "");
    }

private:
    bool m_enabled;
    bool m_drawn = false;
};

// True when both locations name one table, however the SQLite path is spelled
// (a.db, ./a.db, /abs/a.db, through a symlink); SQLite table names ignore case.
bool sameTable(const DataSource &source, const DataSource &target)
{
    if (source.displayName() == target.displayName())
        return true;
    if (source.kind != DataSource::Kind::Sqlite || target.kind != DataSource::Kind::Sqlite)
        return false;
    const QString path = QFileInfo(source.path).canonicalFilePath();
    return !path.isEmpty() && path == QFileInfo(target.path).canonicalFilePath()
           && source.table.compare(target.table, Qt::CaseInsensitive) == 0;
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

} // namespace

int runCompareCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferryctl", "Compare a table in two databases block by block, and optionally repair the target."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QCoreApplication::translate("ferryctl", "sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME"));
    parser.addPositionalArgument(QStringLiteral("TARGET"), QCoreApplication::translate("ferryctl", "the same forms; this side is repaired"));
    const QCommandLineOption repairOption(QStringLiteral("repair"), QCoreApplication::translate("ferryctl", "Make the target identical to the source."));
    const QCommandLineOption blockRowsOption(QStringLiteral("block-rows"), QCoreApplication::translate("ferryctl", "Rows per block (default 1000)."), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption blockTimeOption(QStringLiteral("block-time"), QCoreApplication::translate("ferryctl", "Adaptive blocks: size each block to take about MS milliseconds to hash."), QStringLiteral("MS"));
    const QCommandLineOption digestOption(QStringLiteral("digest"), QCoreApplication::translate("ferryctl", "Block digest: md5 (default) or sha256."), QStringLiteral("NAME"), QStringLiteral("md5"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QCoreApplication::translate("ferryctl", "Print one JSON object instead of the summary."));
    parser.addOptions({repairOption, blockRowsOption, blockTimeOption, digestOption, jsonOption});
    QStringList args = arguments;
    args.prepend(QStringLiteral("ferryctl compare"));
    if (!parser.parse(args))
        return fail(args.contains(QStringLiteral("--json")), parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, parser.helpText());
        return 0;
    }
    const bool json = parser.isSet(jsonOption);
    if (parser.positionalArguments().size() != 2)
        return fail(json, QCoreApplication::translate("ferryctl", "compare needs exactly two locations, SOURCE and TARGET"));

    VerifierOptions options;
    options.repair = parser.isSet(repairOption);
    bool ok = false;
    options.blockRows = parser.value(blockRowsOption).toInt(&ok);
    if (!ok || options.blockRows < 1 || options.blockRows > 10000000)
        return fail(json, QCoreApplication::translate("ferryctl", "--block-rows must be a whole number from 1 to 10000000, not \"%1\"").arg(parser.value(blockRowsOption)));
    if (parser.isSet(blockTimeOption)) {
        options.targetBlockMs = parser.value(blockTimeOption).toInt(&ok);
        if (!ok || options.targetBlockMs < 1 || options.targetBlockMs > 60000)
            return fail(json, QCoreApplication::translate("ferryctl", "--block-time must be a whole number of milliseconds from 1 to 60000, not \"%1\"").arg(parser.value(blockTimeOption)));
    }
    const auto digest = digestAlgorithmFromName(parser.value(digestOption));
    if (!digest)
        return fail(json, QCoreApplication::translate("ferryctl", "unknown digest \"%1\" (use md5 or sha256)").arg(parser.value(digestOption)));
    options.digest = *digest;

    try {
        const DataSource source = DataSource::parse(parser.positionalArguments().at(0));
        const DataSource target = DataSource::parse(parser.positionalArguments().at(1));
        if (sameTable(source, target))
            return fail(json, QCoreApplication::translate("ferryctl", "source and target are the same table (%1)").arg(source.displayName()));

        // Everything is checked before anything is written: both databases open, both
        // tables exist with primary keys and supported types, and their schemas agree.
        auto sourceStore = Store::open(source, Store::Options{true, 2000});
        const TableSchema sourceSchema = sourceStore->describe(source.table);
        LocalEndpoint targetEndpoint(target, Store::Options{!options.repair, 2000});
        const TableSchema targetSchema = targetEndpoint.describe(target.table).result();
        const QString difference = schemaDifference(sourceSchema, targetSchema);
        if (!difference.isEmpty())
            return fail(json, QCoreApplication::translate("ferryctl", "schemas differ: %1").arg(difference));

        TerminalProgress terminal(!json && isatty(STDERR_FILENO));
        BlockVerifier verifier(*sourceStore, sourceSchema, targetEndpoint, targetSchema, options);
        QObject::connect(&verifier, &BlockVerifier::progressUpdated, [&](const VerificationProgress &progress) { terminal.update(progress); });
        const VerificationSummary summary = verifier.run();
        terminal.finish();

        if (json) {
            QJsonObject object{
                {QStringLiteral("source"), source.displayName()},
                {QStringLiteral("target"), target.displayName()},
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
            printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        } else {
            printLine(stdout, QCoreApplication::translate("ferryctl", "Compared %1 -> %2 (%3)").arg(source.displayName(), target.displayName(), digestAlgorithmName(options.digest)));
            printLine(stdout, QCoreApplication::translate("ferryctl", "  blocks          %1 (%2 differed, %3 repaired, %4 failed)")
                                  .arg(summary.blocks).arg(summary.blocksDiffering).arg(summary.blocksRepaired).arg(summary.blocksFailed));
            printLine(stdout, QCoreApplication::translate("ferryctl", "  rows compared   %1 source, %2 target").arg(summary.rowsCompared).arg(summary.targetRows));
            printLine(stdout, QCoreApplication::translate("ferryctl", "  rows sent       %1 (%2 bytes)").arg(summary.rowsSent).arg(summary.bytesSent));
            printLine(stdout, QCoreApplication::translate("ferryctl", "  time            %1 s").arg(summary.seconds, 0, 'f', 2));
            for (const QString &failure : summary.failures)
                printLine(stdout, QCoreApplication::translate("ferryctl", "  failed          %1").arg(failure));
            if (summary.identicalAfter)
                printLine(stdout, options.repair && summary.blocksDiffering > 0 ? QCoreApplication::translate("ferryctl", "Result: identical after repair.") : QCoreApplication::translate("ferryctl", "Result: identical."));
            else if (options.repair)
                printLine(stdout, QCoreApplication::translate("ferryctl", "Result: still different in %1 blocks.").arg(summary.blocksFailed));
            else
                printLine(stdout, QCoreApplication::translate("ferryctl", "Result: different in %1 blocks; run with --repair to make the target match.").arg(summary.blocksDiffering));
        }
        return summary.identicalAfter ? 0 : 1;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}
