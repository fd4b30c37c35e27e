#include "failovercommand.h"

#include "clientoptions.h"
#include "output.h"

#include "net/nodeclient.h"
#include "net/nodeurl.h"
#include "util/ferryerror.h"
#include "wire/protocol.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

using namespace ferry;

namespace {

// One request to one node: parses the common options, connects, asks, prints.
class NodeRequest
{
public:
    NodeRequest(const QString &command, const QString &description, const QStringList &positionalNames)
        : m_command(command)
        , m_positionalNames(positionalNames)
    {
        m_parser.setApplicationDescription(description);
        m_parser.addHelpOption();
        m_parser.addOption(m_json);
        m_client.addTo(m_parser);
        for (const QString &name : positionalNames)
            m_parser.addPositionalArgument(name, name);
    }

    QCommandLineParser &parser() { return m_parser; }
    bool json() const { return m_jsonOutput; }

    // Returns -1 to go on, or the exit status.
    int parse(const QStringList &arguments)
    {
        QStringList args = arguments;
        args.prepend(QStringLiteral("ferryctl ") + m_command);
        m_jsonOutput = args.contains(QStringLiteral("--json"));
        if (!m_parser.parse(args))
            return fail(m_jsonOutput, m_parser.errorText());
        if (m_parser.isSet(QStringLiteral("help"))) {
            printLine(stdout, m_parser.helpText());
            return 0;
        }
        if (m_parser.positionalArguments().size() != m_positionalNames.size())
            return fail(m_jsonOutput, QCoreApplication::translate("ferryctl", "%1 needs %2").arg(m_command, m_positionalNames.join(QLatin1Char(' '))));
        return -1;
    }

    Message ask(QLatin1StringView type, const QCborMap &body)
    {
        const NodeUrl url = NodeUrl::parse(m_parser.positionalArguments().at(0), NodeUrl::Need::Node);
        NodeClient::Options options;
        options.clientName = QStringLiteral("ferryctl");
        m_connection = std::make_unique<NodeClientThread>(url.host, url.port, m_client.tls(m_parser), options);
        m_connection->connectAndWait();
        return m_connection->client()->request(type, body).result();
    }

private:
    QString m_command;
    QStringList m_positionalNames;
    QCommandLineParser m_parser;
    ClientOptions m_client;
    QCommandLineOption m_json{QStringLiteral("json"), QCoreApplication::translate("ferryctl", "Print JSON.")};
    bool m_jsonOutput = false;
    std::unique_ptr<NodeClientThread> m_connection;
};

void printJson(const QCborMap &body)
{
    printLine(stdout, QString::fromUtf8(QJsonDocument(body.toJsonObject()).toJson(QJsonDocument::Compact)));
}

QString timeText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) : QStringLiteral("-");
}

// The failover plan as text: the failover, whether it is allowed, then one line per link.
void printPlan(const QCborMap &plan)
{
    const bool forced = plan.value(QStringLiteral("forced")).toBool();
    printLine(stdout, (forced ? QCoreApplication::translate("ferryctl", "Forced failover of link %1: %2 becomes primary in epoch %3 without %4.")
                              : QCoreApplication::translate("ferryctl", "Graceful failover of link %1: %2 becomes primary in epoch %3, %4 its replica."))
                          .arg(plan.value(QStringLiteral("link")).toString(), plan.value(QStringLiteral("to")).toString())
                          .arg(plan.value(QStringLiteral("epoch")).toInteger())
                          .arg(plan.value(QStringLiteral("from")).toString()));
    if (plan.contains(QStringLiteral("tables")))
        printLine(stdout, QCoreApplication::translate("ferryctl", "A database link: its %1 tables fail over as one (one fence, one drain, one promotion).")
                              .arg(plan.value(QStringLiteral("tables")).toInteger()));
    const QCborValue refused = plan.value(QStringLiteral("refused"));
    if (refused.isString())
        printLine(stdout, QCoreApplication::translate("ferryctl", "Refused: %1").arg(refused.toString()));
    if (forced) {
        printLine(stdout, QCoreApplication::translate("ferryctl", "Recovery point: at least %1 changes may be lost; %2 last heard from %3 at %4.")
                              .arg(plan.value(QStringLiteral("changes_at_risk")).toInteger())
                              .arg(plan.value(QStringLiteral("to")).toString(), plan.value(QStringLiteral("from")).toString(),
                                   timeText(plan.value(QStringLiteral("primary_last_seen_ms")).toInteger())));
    }
    const QCborArray links = plan.value(QStringLiteral("links")).toArray();
    printLine(stdout, QCoreApplication::translate("ferryctl", "Links it touches (%1):").arg(links.size()));
    for (const QCborValue &value : links) {
        const QCborMap link = value.toMap();
        printLine(stdout, QStringLiteral("  %1  %2  %3").arg(link.value(QStringLiteral("link")).toString(), link.value(QStringLiteral("change")).toString(),
                                                              link.value(QStringLiteral("detail")).toString()));
    }
    for (const QCborValue &note : plan.value(QStringLiteral("unknown")).toArray())
        printLine(stdout, QCoreApplication::translate("ferryctl", "Not known: %1").arg(note.toString()));
}

} // namespace

int runFailoverCommand(const QStringList &arguments)
{
    NodeRequest command(QStringLiteral("failover"),
                        QCoreApplication::translate("ferryctl", "Fail a link over to its replica. Graceful (ask the primary): fence, drain, promote, reverse the link; "
                                                                "no acknowledged write is lost. Forced (--force, ask the replica): when the primary is unreachable."),
                        {QStringLiteral("ferry://HOST:PORT"), QStringLiteral("LINK")});
    const QCommandLineOption to(QStringLiteral("to"), QCoreApplication::translate("ferryctl", "The data center to promote."), QStringLiteral("DC"));
    const QCommandLineOption force(QStringLiteral("force"), QCoreApplication::translate("ferryctl", "The primary is unreachable: promote the replica anyway."));
    const QCommandLineOption plan(QStringLiteral("plan"), QCoreApplication::translate("ferryctl", "Only show what the failover would do, to every link it touches; change nothing."));
    command.parser().addOptions({to, force, plan});
    const int status = command.parse(arguments);
    if (status >= 0)
        return status;
    if (!command.parser().isSet(to))
        return fail(command.json(), QCoreApplication::translate("ferryctl", "failover needs --to DC"));
    if (command.parser().isSet(plan)) {
        try {
            const Message reply = command.ask(protocol::Type::FailoverPlan, QCborMap{{QStringLiteral("link"), command.parser().positionalArguments().at(1)},
                                                                                     {QStringLiteral("to"), command.parser().value(to)},
                                                                                     {QStringLiteral("force"), command.parser().isSet(force)}});
            if (command.json()) {
                printJson(reply.body);
                return 0;
            }
            printPlan(reply.body);
            return 0;
        } catch (const FerryError &error) {
            return fail(command.json(), error.message());
        }
    }
    try {
        const Message reply = command.ask(protocol::Type::Failover, QCborMap{{QStringLiteral("link"), command.parser().positionalArguments().at(1)},
                                                                             {QStringLiteral("to"), command.parser().value(to)},
                                                                             {QStringLiteral("force"), command.parser().isSet(force)}});
        if (command.json()) {
            printJson(reply.body);
            return 0;
        }
        const QCborMap &r = reply.body;
        printLine(stdout, QCoreApplication::translate("ferryctl", "Link %1: %2 is primary (epoch %3), %4 is its replica; took %5 ms.")
                              .arg(r.value(QStringLiteral("link")).toString(), r.value(QStringLiteral("to")).toString())
                              .arg(r.value(QStringLiteral("epoch")).toInteger())
                              .arg(r.value(QStringLiteral("from")).toString())
                              .arg(r.value(QStringLiteral("duration_ms")).toInteger()));
        if (r.value(QStringLiteral("forced")).toBool()) {
            // A lower bound over a time window, never "nothing lost" when the replica
            // cannot know what the old primary wrote after its last report.
            const qint64 atRisk = r.value(QStringLiteral("changes_at_risk")).toInteger();
            const QCborValue until = r.value(QStringLiteral("at_risk_until_us"));
            const QString from = timeText(r.value(QStringLiteral("oldest_at_risk_us")).toInteger() / 1000);
            printLine(stdout, until.isInteger()
                                  ? QCoreApplication::translate("ferryctl", "Recovery point: at least %1 changes written on %2 between %3 and %4 may be lost "
                                                                            "(%2's write lease lapsed at %4); they are kept in %2's conflicts table when it returns.")
                                        .arg(atRisk)
                                        .arg(r.value(QStringLiteral("from")).toString(), from, timeText(until.toInteger() / 1000))
                                  : QCoreApplication::translate("ferryctl", "Recovery point: at least %1 changes written on %2 since %3 may be lost (%2 had no "
                                                                            "write lease: it takes writes until it learns of the new epoch); they are kept in "
                                                                            "%2's conflicts table when it returns.")
                                        .arg(atRisk)
                                        .arg(r.value(QStringLiteral("from")).toString(), from));
        }
        return 0;
    } catch (const FerryError &error) {
        return fail(command.json(), error.message());
    }
}

int runFailoverAckCommand(const QStringList &arguments)
{
    NodeRequest command(QStringLiteral("failover-ack"), QCoreApplication::translate("ferryctl", "Acknowledge an automatic failover, so that another may happen."),
                        {QStringLiteral("ferry://HOST:PORT"), QStringLiteral("LINK")});
    const int status = command.parse(arguments);
    if (status >= 0)
        return status;
    try {
        command.ask(protocol::Type::FailoverAck, QCborMap{{QStringLiteral("link"), command.parser().positionalArguments().at(1)}});
        if (command.json())
            printJson(QCborMap{{QStringLiteral("acknowledged"), true}});
        else
            printLine(stdout, QCoreApplication::translate("ferryctl", "Automatic failover is armed again."));
        return 0;
    } catch (const FerryError &error) {
        return fail(command.json(), error.message());
    }
}

int runHealthCommand(const QStringList &arguments)
{
    NodeRequest command(QStringLiteral("health"), QCoreApplication::translate("ferryctl", "Show how a node sees its peers: last heartbeat, round trip, state."),
                        {QStringLiteral("ferry://HOST:PORT")});
    const int status = command.parse(arguments);
    if (status >= 0)
        return status;
    try {
        const Message reply = command.ask(protocol::Type::Health, {});
        if (command.json()) {
            printJson(reply.body);
            return 0;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QCborArray peers = reply.body.value(QStringLiteral("peers")).toArray();
        if (peers.isEmpty())
            printLine(stdout, QCoreApplication::translate("ferryctl", "no peers (no links)"));
        for (const QCborValue &value : peers) {
            const QCborMap peer = value.toMap();
            const qint64 last = peer.value(QStringLiteral("last_seen_ms")).toInteger();
            printLine(stdout, QCoreApplication::translate("ferryctl", "%1 (%2, %3 of link %4): %5, last seen %6 ms ago, round trip %7 ms")
                                  .arg(peer.value(QStringLiteral("node")).toString(), peer.value(QStringLiteral("address")).toString(),
                                       peer.value(QStringLiteral("role")).toString(), peer.value(QStringLiteral("link")).toString(),
                                       peer.value(QStringLiteral("state")).toString())
                                  .arg(last > 0 ? QString::number(now - last) : QStringLiteral("-"))
                                  .arg(peer.value(QStringLiteral("rtt_ms")).isDouble() ? QString::number(peer.value(QStringLiteral("rtt_ms")).toDouble(), 'f', 2)
                                                                                        : QStringLiteral("-")));
        }
        return 0;
    } catch (const FerryError &error) {
        return fail(command.json(), error.message());
    }
}

int runEventsCommand(const QStringList &arguments)
{
    NodeRequest command(QStringLiteral("events"), QCoreApplication::translate("ferryctl", "Show a node's latest events."), {QStringLiteral("ferry://HOST:PORT")});
    const QCommandLineOption count(QStringLiteral("count"), QCoreApplication::translate("ferryctl", "How many (default 50)."), QStringLiteral("N"), QStringLiteral("50"));
    command.parser().addOption(count);
    const int status = command.parse(arguments);
    if (status >= 0)
        return status;
    bool ok = false;
    const int n = command.parser().value(count).toInt(&ok);
    if (!ok || n < 1 || n > 5000)
        return fail(command.json(), QCoreApplication::translate("ferryctl", "--count must be a whole number from 1 to 5000, not \"%1\"").arg(command.parser().value(count)));
    try {
        const Message reply = command.ask(protocol::Type::Events, QCborMap{{QStringLiteral("count"), n}});
        if (command.json()) {
            printJson(reply.body);
            return 0;
        }
        for (const QCborValue &value : reply.body.value(QStringLiteral("events")).toArray()) {
            const QCborMap event = value.toMap();
            printLine(stdout, QStringLiteral("%1  %2  %3  %4  %5: %6")
                                  .arg(timeText(event.value(QStringLiteral("at_ms")).toInteger()), event.value(QStringLiteral("severity")).toString(),
                                       event.value(QStringLiteral("node")).toString(), event.value(QStringLiteral("link")).toString(),
                                       event.value(QStringLiteral("what")).toString(), event.value(QStringLiteral("outcome")).toString()));
        }
        return 0;
    } catch (const FerryError &error) {
        return fail(command.json(), error.message());
    }
}
