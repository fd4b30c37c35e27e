#include "remotecommands.h"

#include "clientoptions.h"
#include "output.h"

#include "net/nodeclient.h"
#include "net/nodeurl.h"
#include "util/ferryerror.h"
#include "wire/datacodec.h"
#include "wire/protocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>

#include <unistd.h>

#include <memory>

using namespace ferry;

namespace {

NodeClient::Options clientOptions()
{
    NodeClient::Options options;
    options.clientName = QStringLiteral("ferryctl");
    return options;
}

QString formatUptime(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1d %2h %3m %4s").arg(s / 86400).arg((s / 3600) % 24).arg((s / 60) % 60).arg(s % 60);
}

// Parses a command with client options and one URL; on error prints it and returns false.
struct NodeCommand
{
    QCommandLineParser parser;
    ClientOptions client;
    QCommandLineOption json{QStringLiteral("json"), QCoreApplication::translate("ferryctl", "Print one JSON object.")};
    bool jsonOutput = false;
    int status = -1;   // >= 0: exit with it

    NodeCommand(const QString &name, const QString &description, const QString &urlHelp, const QStringList &arguments)
    {
        parser.setApplicationDescription(description);
        parser.addHelpOption();
        parser.addPositionalArgument(QStringLiteral("URL"), urlHelp);
        parser.addOption(json);
        client.addTo(parser);
        QStringList args = arguments;
        args.prepend(QStringLiteral("ferryctl ") + name);
        jsonOutput = args.contains(QStringLiteral("--json"));
        if (!parser.parse(args)) {
            status = fail(jsonOutput, parser.errorText());
        } else if (parser.isSet(QStringLiteral("help"))) {
            printLine(stdout, parser.helpText());
            status = 0;
        } else if (parser.positionalArguments().size() != 1) {
            status = fail(jsonOutput, QCoreApplication::translate("ferryctl", "%1 needs exactly one URL").arg(name));
        }
    }
};

} // namespace

int runRemoteCompare(const QString &sourceText, const QString &targetText, const VerifierOptions &options, bool json,
                     const QSslConfiguration &tls)
{
    try {
        const NodeUrl source = NodeUrl::parse(sourceText, NodeUrl::Need::Table);
        const NodeUrl target = NodeUrl::parse(targetText, NodeUrl::Need::Table);
        if (source.host == target.host && source.port == target.port && source.database == target.database && source.table == target.table)
            return fail(json, QCoreApplication::translate("ferryctl", "source and target are the same table (%1)").arg(source.toString()));

        NodeClientThread connection(source.host, source.port, tls, clientOptions());
        NodeHello sourceHello;
        try {
            sourceHello = connection.connectAndWait();
        } catch (const FerryError &error) {
            return fail(json, QCoreApplication::translate("ferryctl", "cannot reach the source node: %1").arg(error.message()));
        }
        // A repair writes the target's rows from the source node: the target takes them
        // only from a node an admin allowed, for this table, until the compare is over.
        std::unique_ptr<NodeClientThread> targetConnection;
        auto grant = [&](bool allow) {
            targetConnection->client()->request(protocol::Type::RepairGrant, QCborMap{{QStringLiteral("db"), target.database},
                                                                                      {QStringLiteral("table"), target.table},
                                                                                      {QStringLiteral("node"), sourceHello.node},
                                                                                      {QStringLiteral("allow"), allow}})
                .result();
        };
        if (options.repair) {
            targetConnection = std::make_unique<NodeClientThread>(target.host, target.port, tls, clientOptions());
            try {
                targetConnection->connectAndWait();
                grant(true);
            } catch (const FerryError &error) {
                return fail(json, QCoreApplication::translate("ferryctl", "cannot allow the repair on the target node: %1").arg(error.message()));
            }
        }
        auto revoke = qScopeGuard([&] {
            if (!targetConnection)
                return;
            try {
                grant(false);
            } catch (const FerryError &) {
                // The grant lapses by itself.
            }
        });
        const QCborMap body{{QStringLiteral("db"), source.database},
                            {QStringLiteral("table"), source.table},
                            {QStringLiteral("target"), QCborMap{{QStringLiteral("host"), target.host},
                                                                {QStringLiteral("port"), target.port},
                                                                {QStringLiteral("db"), target.database},
                                                                {QStringLiteral("table"), target.table}}},
                            {QStringLiteral("repair"), options.repair},
                            {QStringLiteral("list_keys"), options.listKeys},
                            {QStringLiteral("block_rows"), options.blockRows},
                            {QStringLiteral("block_ms"), options.targetBlockMs},
                            {QStringLiteral("digest"), digestAlgorithmName(options.digest)}};
        TerminalProgress terminal(!json && isatty(STDERR_FILENO));
        // Progress events arrive in the client's thread, one at a time.
        const Message reply = connection.client()->request(protocol::Type::Compare, body, [&terminal](const Message &event) {
            try {
                terminal.update(wirecodec::decodeProgress(event.body, event.type));
            } catch (const FerryError &) {
                // A progress line is not worth failing the compare for.
            }
        }).result();
        terminal.finish();
        const MessageFields fields(reply);
        const VerificationSummary summary = wirecodec::decodeSummary(fields.map(QLatin1StringView("summary")), reply.type);
        const qint64 wireBytes = fields.integer(QLatin1StringView("wire_bytes"), 0, LLONG_MAX, 0);
        printSummary(json, source.toString(), target.toString(), options, summary, wireBytes);
        return summary.identicalAfter ? 0 : 1;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}

int runStatusCommand(const QStringList &arguments)
{
    NodeCommand command(QStringLiteral("status"), QCoreApplication::translate("ferryctl", "Show a node's name, version, uptime, databases and tables."),
                        QStringLiteral("ferry://HOST:PORT"), arguments);
    if (command.status >= 0)
        return command.status;
    const bool json = command.jsonOutput;
    try {
        const NodeUrl url = NodeUrl::parse(command.parser.positionalArguments().at(0), NodeUrl::Need::Node);
        NodeClientThread connection(url.host, url.port, command.client.tls(command.parser), clientOptions());
        const NodeHello hello = connection.connectAndWait();
        const Message reply = connection.client()->request(protocol::Type::Status, {}).result();
        const MessageFields fields(reply);
        const qint64 uptime = fields.integer(QLatin1StringView("uptime_ms"), 0, LLONG_MAX);
        QJsonArray databases;
        for (const QCborValue &value : fields.array(QLatin1StringView("databases")))
            databases.append(value.toJsonValue());
        if (json) {
            const QJsonObject object{{QStringLiteral("node"), hello.node},
                                     {QStringLiteral("region"), hello.region},
                                     {QStringLiteral("software"), hello.software},
                                     {QStringLiteral("protocol"), hello.version},
                                     {QStringLiteral("uptime_ms"), uptime},
                                     {QStringLiteral("databases"), databases}};
            printLine(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
            return 0;
        }
        printLine(stdout, QCoreApplication::translate("ferryctl", "node      %1 (%2)").arg(hello.node, hello.region.isEmpty() ? QStringLiteral("-") : hello.region));
        printLine(stdout, QCoreApplication::translate("ferryctl", "software  %1, protocol %2").arg(hello.software).arg(hello.version));
        printLine(stdout, QCoreApplication::translate("ferryctl", "uptime    %1").arg(formatUptime(uptime)));
        for (const QJsonValue &value : databases) {
            const QJsonObject db = value.toObject();
            if (db.contains(QStringLiteral("error")))
                printLine(stdout, QCoreApplication::translate("ferryctl", "database  %1 (%2): error: %3")
                                      .arg(db.value(QStringLiteral("name")).toString(), db.value(QStringLiteral("kind")).toString(), db.value(QStringLiteral("error")).toString()));
            else
                printLine(stdout, QCoreApplication::translate("ferryctl", "database  %1 (%2): %3")
                                      .arg(db.value(QStringLiteral("name")).toString(), db.value(QStringLiteral("kind")).toString(),
                                           db.value(QStringLiteral("tables")).toVariant().toStringList().join(QLatin1String(", "))));
        }
        return 0;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}

int runTablesCommand(const QStringList &arguments)
{
    NodeCommand command(QStringLiteral("tables"), QCoreApplication::translate("ferryctl", "List the tables of a node's database."),
                        QStringLiteral("ferry://HOST:PORT/DB"), arguments);
    if (command.status >= 0)
        return command.status;
    const bool json = command.jsonOutput;
    try {
        const NodeUrl url = NodeUrl::parse(command.parser.positionalArguments().at(0), NodeUrl::Need::Database);
        NodeClientThread connection(url.host, url.port, command.client.tls(command.parser), clientOptions());
        connection.connectAndWait();
        const Message reply = connection.client()->request(protocol::Type::Tables, QCborMap{{QStringLiteral("db"), url.database}}).result();
        QStringList tables;
        for (const QCborValue &value : MessageFields(reply).array(QLatin1StringView("tables")))
            tables.append(value.toString());
        if (json)
            printLine(stdout, QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("tables"), QJsonArray::fromStringList(tables)}}).toJson(QJsonDocument::Compact)));
        else
            for (const QString &table : tables)
                printLine(stdout, table);
        return 0;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}
