#include "linkcommand.h"

#include "clientoptions.h"
#include "output.h"

#include "net/nodeclient.h"
#include "net/nodeurl.h"
#include "replication/linkdefinition.h"
#include "replication/linkstats.h"
#include "util/ferryerror.h"
#include "wire/protocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace ferry;

namespace {

void printUsage(FILE *stream)
{
    std::fputs(qPrintable(QCoreApplication::translate("ferryctl",
        "Usage: ferryctl link create SOURCE TARGET --id NAME [settings]\n"
        "       ferryctl link list ferry://HOST:PORT\n"
        "       ferryctl link show|pause|resume|verify|resync|remove ferry://HOST:PORT NAME\n"
        "       ferryctl link set ferry://HOST:PORT NAME SETTING... (changes settings in place)\n"
        "\n"
        "SOURCE and TARGET are ferry://HOST:PORT/DB?table=NAME; the source node runs the link\n"
        "(TARGET's address must be reachable from the source node). Without ?table= on both, the\n"
        "link replicates the database: every table (with a primary key) that --tables matches,\n"
        "also those created later, each to the table of the same name.\n"
        "  --tables PATTERN,...                   database link: names, '*' for any (default *)\n"
        "  --on-drop keep|drop                    database link: a table dropped on the source is\n"
        "                                         kept on the target (default) or dropped there\n"
        "link verify and link resync take --table NAME for one table of a database link.\n"
        "Settings:\n"
        "  --mode continuous|scheduled|one-shot   (default continuous)\n"
        "  --interval MINUTES                     scheduled links: verify this often (60)\n"
        "  --block-rows N | --block-time MS       block size (1000 rows)\n"
        "  --digest md5|sha256  --compress  --bandwidth MB/S  --filter SQL-CONDITION\n"
        "  --bidirectional  --conflicts source-wins|target-wins|newest-wins\n"
        "  --timestamp-column NAME  --paused\n"
        "  --auto-failover --witness HOST:PORT [--failover-timeout MS]\n"
        "link set also takes --no-compress and --no-auto-failover, and --filter '' for every row.\n"
        "link resync continues a link stopped by a schema change once both tables have the same\n"
        "columns again: it verifies the whole table, then streams.\n"
        "All take --json and the client certificate options (--ca/--cert/--key or --profile).\n")),
               stream);
}

QString describeStats(const LinkStats &stats)
{
    QString text = QCoreApplication::translate("ferryctl", "%1  %2 rows/s  lag %3 ms (p99 %4)  pending %5  applied %6")
                       .arg(stats.state)
                       .arg(stats.rowsPerSecond, 0, 'f', 0)
                       .arg(stats.lagMs, 0, 'f', 1)
                       .arg(stats.lagP99Ms, 0, 'f', 1)
                       .arg(stats.pending)
                       .arg(stats.appliedTotal);
    if (stats.blocks > 0)
        text += QCoreApplication::translate("ferryctl", "  blocks %1/%2 (%3 differed, %4 repaired)")
                    .arg(stats.blocksVerified).arg(stats.blocks).arg(stats.blocksDiffering).arg(stats.blocksRepaired);
    if (stats.conflicts > 0)
        text += QCoreApplication::translate("ferryctl", "  conflicts %1").arg(stats.conflicts);
    if (stats.retainedWalBytes >= 0)
        text += QCoreApplication::translate("ferryctl", "  slot keeps %1 MB of WAL").arg(stats.retainedWalBytes / 1048576.0, 0, 'f', 1);
    if (stats.errorSinceMs > 0)
        text += QCoreApplication::translate("ferryctl", "  error since %1: %2")
                    .arg(QDateTime::fromMSecsSinceEpoch(stats.errorSinceMs).toString(Qt::ISODate), stats.lastError);
    else if (!stats.lastError.isEmpty())
        text += QCoreApplication::translate("ferryctl", "  errors %1, last at %2: %3")
                    .arg(stats.errors)
                    .arg(QDateTime::fromMSecsSinceEpoch(stats.lastErrorAtMs).toString(Qt::ISODate), stats.lastError);
    return text;
}

void printLink(const QCborMap &entry)
{
    const QCborMap link = entry.value(QStringLiteral("link")).toMap();
    const LinkStats stats = LinkStats::fromCbor(entry.value(QStringLiteral("stats")).toMap());
    if (link.contains(QStringLiteral("tables"))) {
        // A database link: its line, then a table of its tables.
        QStringList patterns;
        for (const QCborValue &pattern : link.value(QStringLiteral("tables")).toArray())
            patterns.append(pattern.toString());
        printLine(stdout, QCoreApplication::translate("ferryctl", "%1: database %2 -> %3 %4, tables %5 (%6, on drop: %7)")
                              .arg(link.value(QStringLiteral("id")).toString(), link.value(QStringLiteral("source_db")).toString(),
                                   link.value(QStringLiteral("target_node")).toString(), link.value(QStringLiteral("target_db")).toString(),
                                   patterns.join(QLatin1Char(',')), link.value(QStringLiteral("mode")).toString(),
                                   link.value(QStringLiteral("on_drop")).toString()));
        printLine(stdout, QStringLiteral("    ") + describeStats(stats));
        const QCborArray tables = entry.value(QStringLiteral("tables")).toArray();
        if (!tables.isEmpty()) {
            printLine(stdout, QStringLiteral("    %1 %2 %3 %4 %5  %6")
                                  .arg(QCoreApplication::translate("ferryctl", "TABLE"), -24)
                                  .arg(QCoreApplication::translate("ferryctl", "STATE"), -12)
                                  .arg(QCoreApplication::translate("ferryctl", "PENDING"), 8)
                                  .arg(QCoreApplication::translate("ferryctl", "LAG MS"), 9)
                                  .arg(QCoreApplication::translate("ferryctl", "BLOCKS"), 11)
                                  .arg(QCoreApplication::translate("ferryctl", "LAST ERROR")));
        }
        for (const QCborValue &value : tables) {
            const QCborMap table = value.toMap();
            printLine(stdout, QStringLiteral("    %1 %2 %3 %4 %5  %6")
                                  .arg(table.value(QStringLiteral("table")).toString(), -24)
                                  .arg(table.value(QStringLiteral("state")).toString(), -12)
                                  .arg(table.value(QStringLiteral("pending")).toInteger(), 8)
                                  .arg(table.value(QStringLiteral("lag_ms")).toDouble(), 9, 'f', 1)
                                  .arg(QStringLiteral("%1/%2").arg(table.value(QStringLiteral("blocks_verified")).toInteger()).arg(table.value(QStringLiteral("blocks")).toInteger()), 11)
                                  .arg(table.value(QStringLiteral("last_error")).toString()));
        }
        for (const QCborValue &value : entry.value(QStringLiteral("skipped")).toArray())
            printLine(stdout, QCoreApplication::translate("ferryctl", "    skipped %1: %2")
                                  .arg(value.toMap().value(QStringLiteral("table")).toString(), value.toMap().value(QStringLiteral("reason")).toString()));
        for (const QCborValue &value : entry.value(QStringLiteral("dropped")).toArray())
            printLine(stdout, QCoreApplication::translate("ferryctl", "    dropped on the source: %1").arg(value.toString()));
        return;
    }
    printLine(stdout, QCoreApplication::translate("ferryctl", "%1: %2/%3 -> %4 %5/%6 (%7, %8%9)")
                          .arg(link.value(QStringLiteral("id")).toString(), link.value(QStringLiteral("source_db")).toString(),
                               link.value(QStringLiteral("source_table")).toString(), link.value(QStringLiteral("target_node")).toString(),
                               link.value(QStringLiteral("target_db")).toString(), link.value(QStringLiteral("target_table")).toString(),
                               link.value(QStringLiteral("mode")).toString(), link.value(QStringLiteral("direction")).toString(),
                               link.value(QStringLiteral("filter")).toString().isEmpty()
                                   ? QString()
                                   : QCoreApplication::translate("ferryctl", ", filter: %1").arg(link.value(QStringLiteral("filter")).toString())));
    printLine(stdout, QStringLiteral("    ") + describeStats(stats));
}

} // namespace

int runLinkCommand(const QStringList &arguments)
{
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help") || arguments.first() == QLatin1String("-h")) {
        printUsage(arguments.isEmpty() ? stderr : stdout);
        return arguments.isEmpty() ? 2 : 0;
    }
    const QString action = arguments.first();
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"), QCoreApplication::translate("ferryctl", "Print JSON."));
    const QCommandLineOption idOption(QStringLiteral("id"), QCoreApplication::translate("ferryctl", "The link's name."), QStringLiteral("NAME"));
    const QCommandLineOption modeOption(QStringLiteral("mode"), QCoreApplication::translate("ferryctl", "continuous, scheduled or one-shot."), QStringLiteral("MODE"));
    const QCommandLineOption intervalOption(QStringLiteral("interval"), QCoreApplication::translate("ferryctl", "Minutes between verifications of a scheduled link."), QStringLiteral("MINUTES"));
    const QCommandLineOption blockRowsOption(QStringLiteral("block-rows"), QCoreApplication::translate("ferryctl", "Rows per block."), QStringLiteral("N"));
    const QCommandLineOption blockTimeOption(QStringLiteral("block-time"), QCoreApplication::translate("ferryctl", "Adaptive blocks of about MS milliseconds."), QStringLiteral("MS"));
    const QCommandLineOption digestOption(QStringLiteral("digest"), QCoreApplication::translate("ferryctl", "md5 or sha256."), QStringLiteral("NAME"));
    const QCommandLineOption compressOption(QStringLiteral("compress"), QCoreApplication::translate("ferryctl", "Compress what the link sends."));
    const QCommandLineOption bandwidthOption(QStringLiteral("bandwidth"), QCoreApplication::translate("ferryctl", "Cap in MB/s (0: none)."), QStringLiteral("MBPS"));
    const QCommandLineOption filterOption(QStringLiteral("filter"), QCoreApplication::translate("ferryctl", "Replicate only rows that satisfy this SQL condition."), QStringLiteral("SQL"));
    const QCommandLineOption bidirectionalOption(QStringLiteral("bidirectional"), QCoreApplication::translate("ferryctl", "Replicate both ways."));
    const QCommandLineOption conflictsOption(QStringLiteral("conflicts"), QCoreApplication::translate("ferryctl", "source-wins, target-wins or newest-wins."), QStringLiteral("POLICY"));
    const QCommandLineOption timestampOption(QStringLiteral("timestamp-column"), QCoreApplication::translate("ferryctl", "The column newest-wins compares."), QStringLiteral("NAME"));
    const QCommandLineOption pausedOption(QStringLiteral("paused"), QCoreApplication::translate("ferryctl", "Create the link paused."));
    const QCommandLineOption autoFailoverOption(QStringLiteral("auto-failover"), QCoreApplication::translate("ferryctl", "Promote the replica when the primary is down and the witness agrees."));
    const QCommandLineOption failoverTimeoutOption(QStringLiteral("failover-timeout"), QCoreApplication::translate("ferryctl", "Milliseconds without heartbeat before automatic failover (default 5000, at least 1000)."), QStringLiteral("MS"));
    const QCommandLineOption witnessOption(QStringLiteral("witness"), QCoreApplication::translate("ferryctl", "The witness node that must also find the primary down."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption noCompressOption(QStringLiteral("no-compress"), QCoreApplication::translate("ferryctl", "link set: stop compressing what the link sends."));
    const QCommandLineOption tablesOption(QStringLiteral("tables"), QCoreApplication::translate("ferryctl", "Database link: the tables, as names or patterns with * (default *)."), QStringLiteral("PATTERN,..."));
    const QCommandLineOption onDropOption(QStringLiteral("on-drop"), QCoreApplication::translate("ferryctl", "Database link: keep or drop on the target a table dropped on the source (default keep)."), QStringLiteral("keep|drop"));
    const QCommandLineOption tableOption(QStringLiteral("table"), QCoreApplication::translate("ferryctl", "link verify/resync: one table of a database link."), QStringLiteral("NAME"));
    const QCommandLineOption noAutoFailoverOption(QStringLiteral("no-auto-failover"), QCoreApplication::translate("ferryctl", "link set: turn automatic failover off."));
    parser.addOptions({jsonOption, idOption, modeOption, intervalOption, blockRowsOption, blockTimeOption, digestOption, compressOption,
                       bandwidthOption, filterOption, bidirectionalOption, conflictsOption, timestampOption, pausedOption, autoFailoverOption,
                       failoverTimeoutOption, witnessOption, noCompressOption, noAutoFailoverOption, tablesOption, onDropOption, tableOption});
    const ClientOptions client;
    client.addTo(parser);
    QStringList args = arguments.mid(1);
    args.prepend(QStringLiteral("ferryctl link ") + action);
    const bool json = args.contains(QStringLiteral("--json"));
    if (!parser.parse(args))
        return fail(json, parser.errorText());
    const QStringList positional = parser.positionalArguments();

    try {
        const QSslConfiguration tls = client.tls(parser);
        auto connect = [&](const NodeUrl &url) {
            NodeClient::Options options;
            options.clientName = QStringLiteral("ferryctl");
            auto connection = std::make_unique<NodeClientThread>(url.host, url.port, tls, options);
            connection->connectAndWait();
            return connection;
        };
        auto present = [&](const Message &reply) {
            if (json) {
                printLine(stdout, QString::fromUtf8(QJsonDocument(reply.body.toJsonObject()).toJson(QJsonDocument::Compact)));
            } else if (reply.body.contains(QStringLiteral("links"))) {
                const QCborArray links = reply.body.value(QStringLiteral("links")).toArray();
                if (links.isEmpty())
                    printLine(stdout, QCoreApplication::translate("ferryctl", "no links"));
                for (const QCborValue &entry : links)
                    printLink(entry.toMap());
            } else if (reply.body.contains(QStringLiteral("link"))) {
                printLink(reply.body);
            } else {
                printLine(stdout, QCoreApplication::translate("ferryctl", "done"));
            }
        };

        if (action == QLatin1String("create")) {
            if (positional.size() != 2)
                return fail(json, QCoreApplication::translate("ferryctl", "link create needs SOURCE and TARGET"));
            if (!parser.isSet(idOption))
                return fail(json, QCoreApplication::translate("ferryctl", "link create needs --id NAME"));
            const NodeUrl source = NodeUrl::parse(positional.at(0), NodeUrl::Need::Database);
            const NodeUrl target = NodeUrl::parse(positional.at(1), NodeUrl::Need::Database);
            // Without ?table= on either side: the whole database (or the tables --tables names).
            const bool database = source.table.isEmpty() && target.table.isEmpty();
            if (!database && (source.table.isEmpty() || target.table.isEmpty()))
                return fail(json, QCoreApplication::translate("ferryctl", "link create: give ?table= on both SOURCE and TARGET (a table), or on neither (the database)"));
            if (!database && (parser.isSet(tablesOption) || parser.isSet(onDropOption)))
                return fail(json, QCoreApplication::translate("ferryctl", "--tables and --on-drop are for a database link (SOURCE and TARGET without ?table=)"));
            QCborMap settings{{QStringLiteral("id"), parser.value(idOption)},
                              {QStringLiteral("source_db"), source.database},
                              {QStringLiteral("target_host"), target.host},
                              {QStringLiteral("target_port"), target.port},
                              {QStringLiteral("target_db"), target.database},
                              {QStringLiteral("compression"), parser.isSet(compressOption)},
                              {QStringLiteral("paused"), parser.isSet(pausedOption)},
                              {QStringLiteral("direction"), parser.isSet(bidirectionalOption) ? QStringLiteral("bidirectional") : QStringLiteral("one-way")}};
            if (database) {
                QCborArray patterns;
                for (const QString &pattern : parser.value(tablesOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
                    patterns.append(pattern.trimmed());
                if (!parser.isSet(tablesOption))
                    patterns.append(QStringLiteral("*"));
                settings.insert(QStringLiteral("tables"), patterns);
                if (parser.isSet(onDropOption))
                    settings.insert(QStringLiteral("on_drop"), parser.value(onDropOption));
            } else {
                settings.insert(QStringLiteral("source_table"), source.table);
                settings.insert(QStringLiteral("target_table"), target.table);
            }
            auto number = [&](const QCommandLineOption &option, const QString &key) {
                if (!parser.isSet(option))
                    return;
                bool ok = false;
                const qlonglong value = parser.value(option).toLongLong(&ok);
                if (!ok)
                    throw FerryError(QCoreApplication::translate("ferryctl", "--%1 must be a whole number, not \"%2\"").arg(option.names().first(), parser.value(option)));
                settings.insert(key, value);
            };
            number(intervalOption, QStringLiteral("interval_minutes"));
            number(failoverTimeoutOption, QStringLiteral("failover_timeout_ms"));
            settings.insert(QStringLiteral("auto_failover"), parser.isSet(autoFailoverOption));
            if (parser.isSet(witnessOption)) {
                const NodeUrl witness = NodeUrl::parse(QStringLiteral("ferry://") + parser.value(witnessOption), NodeUrl::Need::Node);
                settings.insert(QStringLiteral("witness_host"), witness.host);
                settings.insert(QStringLiteral("witness_port"), witness.port);
            }
            number(blockRowsOption, QStringLiteral("block_rows"));
            number(blockTimeOption, QStringLiteral("block_ms"));
            if (parser.isSet(bandwidthOption)) {
                bool ok = false;
                const double value = parser.value(bandwidthOption).toDouble(&ok);
                if (!ok)
                    throw FerryError(QCoreApplication::translate("ferryctl", "--bandwidth must be a number of MB/s, not \"%1\"").arg(parser.value(bandwidthOption)));
                settings.insert(QStringLiteral("bandwidth_mbps"), value);
            }
            for (const auto &[option, key] : {std::pair{&modeOption, QStringLiteral("mode")}, std::pair{&digestOption, QStringLiteral("digest")},
                                              std::pair{&filterOption, QStringLiteral("filter")}, std::pair{&conflictsOption, QStringLiteral("conflicts")},
                                              std::pair{&timestampOption, QStringLiteral("timestamp_column")}}) {
                if (parser.isSet(*option))
                    settings.insert(key, parser.value(*option));
            }
            LinkDefinition::fromCbor(settings);   // the same checks the node makes, before connecting
            auto connection = connect(source);
            present(connection->client()->request(protocol::Type::LinkCreate, QCborMap{{QStringLiteral("link"), settings}}).result());
            return 0;
        }
        if (action == QLatin1String("set")) {
            if (positional.size() != 2)
                return fail(json, QCoreApplication::translate("ferryctl", "link set needs the node's URL and the link's name"));
            for (const QCommandLineOption *option : {&idOption, &bidirectionalOption, &pausedOption}) {
                if (parser.isSet(*option))
                    return fail(json, QCoreApplication::translate("ferryctl", "--%1 cannot be changed by link set").arg(option->names().first()));
            }
            if (parser.isSet(compressOption) && parser.isSet(noCompressOption))
                return fail(json, QCoreApplication::translate("ferryctl", "--compress and --no-compress contradict each other"));
            if (parser.isSet(autoFailoverOption) && parser.isSet(noAutoFailoverOption))
                return fail(json, QCoreApplication::translate("ferryctl", "--auto-failover and --no-auto-failover contradict each other"));
            QCborMap settings;
            auto number = [&](const QCommandLineOption &option, const QString &key) {
                if (!parser.isSet(option))
                    return;
                bool ok = false;
                const qlonglong value = parser.value(option).toLongLong(&ok);
                if (!ok)
                    throw FerryError(QCoreApplication::translate("ferryctl", "--%1 must be a whole number, not \"%2\"").arg(option.names().first(), parser.value(option)));
                settings.insert(key, value);
            };
            number(intervalOption, QStringLiteral("interval_minutes"));
            number(failoverTimeoutOption, QStringLiteral("failover_timeout_ms"));
            number(blockRowsOption, QStringLiteral("block_rows"));
            number(blockTimeOption, QStringLiteral("block_ms"));
            if (parser.isSet(compressOption) || parser.isSet(noCompressOption))
                settings.insert(QStringLiteral("compression"), parser.isSet(compressOption));
            if (parser.isSet(autoFailoverOption) || parser.isSet(noAutoFailoverOption))
                settings.insert(QStringLiteral("auto_failover"), parser.isSet(autoFailoverOption));
            if (parser.isSet(witnessOption)) {
                const NodeUrl witness = NodeUrl::parse(QStringLiteral("ferry://") + parser.value(witnessOption), NodeUrl::Need::Node);
                settings.insert(QStringLiteral("witness_host"), witness.host);
                settings.insert(QStringLiteral("witness_port"), witness.port);
            }
            if (parser.isSet(bandwidthOption)) {
                bool ok = false;
                const double value = parser.value(bandwidthOption).toDouble(&ok);
                if (!ok)
                    throw FerryError(QCoreApplication::translate("ferryctl", "--bandwidth must be a number of MB/s, not \"%1\"").arg(parser.value(bandwidthOption)));
                settings.insert(QStringLiteral("bandwidth_mbps"), value);
            }
            for (const auto &[option, key] : {std::pair{&modeOption, QStringLiteral("mode")}, std::pair{&digestOption, QStringLiteral("digest")},
                                              std::pair{&filterOption, QStringLiteral("filter")}, std::pair{&conflictsOption, QStringLiteral("conflicts")},
                                              std::pair{&timestampOption, QStringLiteral("timestamp_column")}}) {
                if (parser.isSet(*option))
                    settings.insert(key, parser.value(*option));
            }
            if (settings.isEmpty())
                return fail(json, QCoreApplication::translate("ferryctl", "link set needs at least one setting (see ferryctl link --help)"));
            auto connection = connect(NodeUrl::parse(positional.at(0), NodeUrl::Need::Node));
            present(connection->client()->request(protocol::Type::LinkSet, QCborMap{{QStringLiteral("link"), positional.at(1)}, {QStringLiteral("settings"), settings}}).result());
            return 0;
        }
        if (action == QLatin1String("list")) {
            if (positional.size() != 1)
                return fail(json, QCoreApplication::translate("ferryctl", "link list needs the node's URL"));
            auto connection = connect(NodeUrl::parse(positional.at(0), NodeUrl::Need::Node));
            present(connection->client()->request(protocol::Type::LinkList, {}).result());
            return 0;
        }
        static const QHash<QString, QLatin1StringView> actions = {{QStringLiteral("show"), protocol::Type::LinkShow},
                                                                   {QStringLiteral("pause"), protocol::Type::LinkPause},
                                                                   {QStringLiteral("resume"), protocol::Type::LinkResume},
                                                                   {QStringLiteral("verify"), protocol::Type::LinkVerify},
                                                                   {QStringLiteral("resync"), protocol::Type::LinkResync},
                                                                   {QStringLiteral("remove"), protocol::Type::LinkRemove}};
        if (!actions.contains(action)) {
            printUsage(stderr);
            return fail(json, QCoreApplication::translate("ferryctl", "unknown link action \"%1\"").arg(action));
        }
        if (positional.size() != 2)
            return fail(json, QCoreApplication::translate("ferryctl", "link %1 needs the node's URL and the link's name").arg(action));
        QCborMap request{{QStringLiteral("link"), positional.at(1)}};
        if (parser.isSet(tableOption)) {
            if (action != QLatin1String("verify") && action != QLatin1String("resync"))
                return fail(json, QCoreApplication::translate("ferryctl", "--table is for link verify and link resync"));
            request.insert(QStringLiteral("table"), parser.value(tableOption));
        }
        auto connection = connect(NodeUrl::parse(positional.at(0), NodeUrl::Need::Node));
        present(connection->client()->request(actions.value(action), request).result());
        return 0;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}
