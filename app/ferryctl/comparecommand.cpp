#include "comparecommand.h"

#include "clientoptions.h"
#include "output.h"
#include "remotecommands.h"

#include "blocks/blockverifier.h"
#include "blocks/localendpoint.h"
#include "net/nodeurl.h"
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

} // namespace

int runCompareCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferryctl", "Compare a table in two databases block by block, and optionally repair the target."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), QCoreApplication::translate("ferryctl", "sqlite:PATH?table=NAME, postgresql://USER@HOST:PORT/DB?table=NAME, or ferry://HOST:PORT/DB?table=NAME (a node; then TARGET is a node too)"));
    parser.addPositionalArgument(QStringLiteral("TARGET"), QCoreApplication::translate("ferryctl", "the same forms; this side is repaired"));
    const QCommandLineOption repairOption(QStringLiteral("repair"), QCoreApplication::translate("ferryctl", "Make the target identical to the source."));
    const QCommandLineOption blockRowsOption(QStringLiteral("block-rows"), QCoreApplication::translate("ferryctl", "Rows per block (default 1000)."), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption blockTimeOption(QStringLiteral("block-time"), QCoreApplication::translate("ferryctl", "Adaptive blocks: size each block to take about MS milliseconds to hash."), QStringLiteral("MS"));
    const QCommandLineOption digestOption(QStringLiteral("digest"), QCoreApplication::translate("ferryctl", "Block digest: md5 (default) or sha256."), QStringLiteral("NAME"), QStringLiteral("md5"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QCoreApplication::translate("ferryctl", "Print one JSON object instead of the summary."));
    const QCommandLineOption keysOption(QStringLiteral("keys"), QCoreApplication::translate("ferryctl", "Without --repair: list at most N differing keys (default 100, 0 lists none); all are counted."), QStringLiteral("N"), QStringLiteral("100"));
    parser.addOptions({repairOption, blockRowsOption, blockTimeOption, digestOption, jsonOption, keysOption});
    const ClientOptions clientOptions;
    clientOptions.addTo(parser);
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
    options.listKeys = parser.value(keysOption).toInt(&ok);
    if (!ok || options.listKeys < 0 || options.listKeys > 100000)
        return fail(json, QCoreApplication::translate("ferryctl", "--keys must be a whole number from 0 to 100000, not \"%1\"").arg(parser.value(keysOption)));
    if (options.repair)
        options.listKeys = 0;

    const QString sourceText = parser.positionalArguments().at(0);
    const QString targetText = parser.positionalArguments().at(1);
    if (NodeUrl::looksLikeNodeUrl(sourceText) || NodeUrl::looksLikeNodeUrl(targetText)) {
        if (!NodeUrl::looksLikeNodeUrl(sourceText) || !NodeUrl::looksLikeNodeUrl(targetText))
            return fail(json, QCoreApplication::translate("ferryctl", "a remote compare needs two ferry:// URLs; a node compares only with another node"));
        QSslConfiguration tls;
        try {
            tls = clientOptions.tls(parser);
        } catch (const FerryError &error) {
            return fail(json, error.message());
        }
        return runRemoteCompare(sourceText, targetText, options, json, tls);
    }

    try {
        const DataSource source = DataSource::parse(sourceText);
        const DataSource target = DataSource::parse(targetText);
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

        printSummary(json, source.displayName(), target.displayName(), options, summary, -1);
        return summary.identicalAfter ? 0 : 1;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}
