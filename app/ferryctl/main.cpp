#include "certscommand.h"
#include "comparecommand.h"
#include "failovercommand.h"
#include "linkcommand.h"
#include "loadcommand.h"
#include "remotecommands.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>
#include <cstdlib>

namespace {

void printUsage(FILE *stream)
{
    std::fputs(qPrintable(QCoreApplication::translate("ferryctl", "Usage: ferryctl COMMAND [ARGUMENTS]\n"
                             "\n"
                             "Commands:\n"
                             "  compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]\n"
                             "          [--digest md5|sha256] [--json]\n"
                             "      Compare a table in two databases block by block; with --repair make\n"
                             "      the target identical. Exit 0 identical, 1 different, 2 error.\n"
                             "      SOURCE and TARGET are sqlite:, postgresql:// or ferry:// URLs; between\n"
                             "      two ferry:// nodes the source node runs it and rows go node to node.\n"
                             "  status ferry://HOST:PORT\n"
                             "      A node's name, version, uptime, databases and tables.\n"
                             "  tables ferry://HOST:PORT/DB\n"
                             "      The tables of one of a node's databases.\n"
                             "  link create|list|show|pause|resume|verify|resync|remove ...\n"
                             "      Replication links, run by their source node ('ferryctl link --help').\n"
                             "  failover ferry://HOST:PORT LINK --to DC [--force] [--plan]\n"
                             "      Graceful failover (asked of the primary) or forced (of the replica);\n"
                             "      --plan: what it would do to every link it touches, changing nothing.\n"
                             "  failover-ack ferry://HOST:PORT LINK\n"
                             "      Re-arm automatic failover after one happened.\n"
                             "  health ferry://HOST:PORT     Heartbeats: how a node sees its peers.\n"
                             "  events ferry://HOST:PORT     The node's latest events.\n"
                             "  load LOCATION [--rate N] [--seconds S] [--mix I:U:D]\n"
                             "      Write a steady insert/update/delete workload into a table.\n"
                             "  certs init DIR [--days N]\n"
                             "      Create the deployment CA for mutual TLS (DIR/ca.crt, DIR/ca.key).\n"
                             "  certs issue DIR NAME [--role ROLE] [--days N] [--dns NAME]... [--ip ADDR]...\n"
                             "      Issue DIR/NAME.crt and DIR/NAME.key for a node or console, signed by\n"
                             "      the CA in DIR.\n"
                             "\n"
                             "Commands that reach a node take --ca FILE --cert FILE --key FILE, or\n"
                             "--profile FILE, or use $FERRY_PROFILE or ~/.config/ferry/client.json.\n"
                             "Run 'ferryctl COMMAND --help' for the options of a command.\n")),
               stream);
}

int run(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferryctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));

    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("ferry"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    QStringList arguments = app.arguments().mid(1);
    if (arguments.isEmpty() || arguments.first() == QLatin1String("--help") || arguments.first() == QLatin1String("-h")) {
        printUsage(arguments.isEmpty() ? stderr : stdout);
        return arguments.isEmpty() ? 2 : 0;
    }
    if (arguments.first() == QLatin1String("--version")) {
        std::printf("ferryctl %s\n", FERRY_VERSION);
        return 0;
    }
    const QString command = arguments.takeFirst();
    if (command == QLatin1String("compare"))
        return runCompareCommand(arguments);
    if (command == QLatin1String("certs"))
        return runCertsCommand(arguments);
    if (command == QLatin1String("link"))
        return runLinkCommand(arguments);
    if (command == QLatin1String("failover"))
        return runFailoverCommand(arguments);
    if (command == QLatin1String("failover-ack"))
        return runFailoverAckCommand(arguments);
    if (command == QLatin1String("health"))
        return runHealthCommand(arguments);
    if (command == QLatin1String("events"))
        return runEventsCommand(arguments);
    if (command == QLatin1String("load"))
        return runLoadCommand(arguments);
    if (command == QLatin1String("status"))
        return runStatusCommand(arguments);
    if (command == QLatin1String("tables"))
        return runTablesCommand(arguments);
    std::fputs(qPrintable(QCoreApplication::translate("ferryctl", "ferryctl: unknown command \"%1\"\n").arg(command)), stderr);
    printUsage(stderr);
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    const int status = run(argc, argv);
    // Everything is written and every thread of ours has ended; the process's exit
    // handlers are skipped: Qt 6.4's QThread::wait() returns before a thread's
    // thread-local destructors have run, and those can race OpenSSL's exit-time clean-up.
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(status);
}
