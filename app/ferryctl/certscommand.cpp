#include "certscommand.h"

#include "security/certificates.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

using namespace ferry;

namespace {

void printLine(FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

int fail(const QString &message)
{
    printLine(stderr, QCoreApplication::translate("ferryctl", "ferryctl: error: %1").arg(message));
    return 2;
}

void printCertsUsage(FILE *stream)
{
    std::fputs(qPrintable(QCoreApplication::translate("ferryctl", "Usage: ferryctl certs init DIR [--days N]\n"
                                                                  "       ferryctl certs issue DIR NAME [--role ROLE] [--days N] [--dns NAME]... [--ip ADDR]...\n"
                                                                  "\n"
                                                                  "  init   Create the deployment CA for mutual TLS: DIR/ca.crt and DIR/ca.key.\n"
                                                                  "  issue  Issue DIR/NAME.crt and DIR/NAME.key for a node or console, signed by\n"
                                                                  "         the CA in DIR.\n"
                                                                  "\n"
                                                                  "Existing files are never overwritten. Run 'ferryctl certs init --help' or\n"
                                                                  "'ferryctl certs issue --help' for the options.\n")),
               stream);
}

// Parses --days, or returns 0 after printing the error.
int parseDays(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    bool ok = false;
    const int days = parser.value(option).toInt(&ok);
    if (!ok || days < 1 || days > maxCertificateDays) {
        fail(QCoreApplication::translate("ferryctl", "--days must be a whole number from 1 to %1, not \"%2\"").arg(maxCertificateDays).arg(parser.value(option)));
        return 0;
    }
    return days;
}

// QCommandLineParser's usage line names the program only; name the subcommand, too.
QString helpText(const QCommandLineParser &parser, const QString &command)
{
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().value(0);
    const qsizetype at = program.isEmpty() ? -1 : text.indexOf(program);
    if (at >= 0)
        text.replace(at, program.size(), command);
    return text;
}

QString dateText(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

int runInit(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferryctl", "Create the deployment CA for mutual TLS between Ferry nodes and consoles: DIR/ca.crt and DIR/ca.key (EC P-256). DIR is created if missing; existing files are never overwritten."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("DIR"), QCoreApplication::translate("ferryctl", "the deployment's certificate directory"));
    const QCommandLineOption daysOption(QStringLiteral("days"), QCoreApplication::translate("ferryctl", "Validity of the CA in days (default 3650)."), QStringLiteral("N"),
                                        QString::number(defaultCaDays));
    parser.addOption(daysOption);
    QStringList args = arguments;
    args.prepend(QStringLiteral("ferryctl certs init"));
    if (!parser.parse(args))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, helpText(parser, QStringLiteral("ferryctl certs init")));
        return 0;
    }
    if (parser.positionalArguments().size() != 1)
        return fail(QCoreApplication::translate("ferryctl", "certs init needs exactly one directory, DIR"));
    const int days = parseDays(parser, daysOption);
    if (days == 0)
        return 2;

    try {
        const CertificateFiles files = createDeploymentCa(parser.positionalArguments().at(0), days);
        printLine(stdout, QCoreApplication::translate("ferryctl", "Created the deployment CA \"%1\", valid until %2:").arg(files.subject, dateText(files.notAfter)));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  %1  certificate: copy it to every node and console").arg(files.certificateFile));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  %1  private key (mode 0600): keep it secret; it signs every certificate").arg(files.keyFile));
        return 0;
    } catch (const FerryError &error) {
        return fail(error.message());
    }
}

int runIssue(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferryctl", "Issue a certificate and key for a node or console, signed by the deployment CA in DIR: DIR/NAME.crt and DIR/NAME.key (EC P-256), good for both the server and the client side of mutual TLS. Existing files are never overwritten."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("DIR"), QCoreApplication::translate("ferryctl", "the directory holding ca.crt and ca.key"));
    parser.addPositionalArgument(QStringLiteral("NAME"), QCoreApplication::translate("ferryctl", "the node or console name: letters, digits, '.', '_', '-'; at most 63"));
    const QCommandLineOption daysOption(QStringLiteral("days"), QCoreApplication::translate("ferryctl", "Validity in days (default 825)."), QStringLiteral("N"),
                                        QString::number(defaultCertificateDays));
    const QCommandLineOption dnsOption(QStringLiteral("dns"), QCoreApplication::translate("ferryctl", "Another DNS name for the certificate (repeatable); NAME and localhost are always included."), QStringLiteral("NAME"));
    const QCommandLineOption ipOption(QStringLiteral("ip"), QCoreApplication::translate("ferryctl", "An IP address for the certificate (repeatable); 127.0.0.1 and ::1 are always included."), QStringLiteral("ADDR"));
    const QCommandLineOption roleOption(QStringLiteral("role"),
                                        QCoreApplication::translate("ferryctl", "What the holder may do: node (a ferry-node), admin (everything), operator (pause, resume, verify, graceful failover), viewer (read only). Without it the certificate can only read."),
                                        QStringLiteral("ROLE"));
    parser.addOptions({daysOption, dnsOption, ipOption, roleOption});
    QStringList args = arguments;
    args.prepend(QStringLiteral("ferryctl certs issue"));
    if (!parser.parse(args))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, helpText(parser, QStringLiteral("ferryctl certs issue")));
        return 0;
    }
    if (parser.positionalArguments().size() != 2)
        return fail(QCoreApplication::translate("ferryctl", "certs issue needs exactly a directory and a name, DIR and NAME"));
    IssueOptions options;
    options.days = parseDays(parser, daysOption);
    if (options.days == 0)
        return 2;
    options.dnsNames = parser.values(dnsOption);
    options.ipAddresses = parser.values(ipOption);
    if (parser.isSet(roleOption)) {
        const std::optional<Role> role = roleFromName(parser.value(roleOption));
        if (!role)
            return fail(QCoreApplication::translate("ferryctl", "--role: \"%1\" is not a role (node, admin, operator or viewer)").arg(parser.value(roleOption)));
        options.role = *role;
    }

    try {
        const CertificateFiles files = issueCertificate(parser.positionalArguments().at(0), parser.positionalArguments().at(1), options);
        printLine(stdout, QCoreApplication::translate("ferryctl", "Issued a certificate for \"%1\", valid until %2:").arg(files.subject, dateText(files.notAfter)));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  %1  certificate").arg(files.certificateFile));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  %1  private key (mode 0600): copy it only to %2").arg(files.keyFile, files.subject));
        printLine(stdout, QCoreApplication::translate("ferryctl", "  names: %1").arg(files.alternativeNames.join(QLatin1String(", "))));
        printLine(stdout, files.role == Role::None ? QCoreApplication::translate("ferryctl", "  role: none (reads only, as a viewer)")
                                                   : QCoreApplication::translate("ferryctl", "  role: %1").arg(roleName(files.role)));
        return 0;
    } catch (const FerryError &error) {
        return fail(error.message());
    }
}

} // namespace

int runCertsCommand(const QStringList &arguments)
{
    if (arguments.isEmpty()) {
        fail(QCoreApplication::translate("ferryctl", "certs needs a subcommand, init or issue"));
        printCertsUsage(stderr);
        return 2;
    }
    const QString subcommand = arguments.first();
    if (subcommand == QLatin1String("--help") || subcommand == QLatin1String("-h")) {
        printCertsUsage(stdout);
        return 0;
    }
    if (subcommand == QLatin1String("init"))
        return runInit(arguments.mid(1));
    if (subcommand == QLatin1String("issue"))
        return runIssue(arguments.mid(1));
    fail(QCoreApplication::translate("ferryctl", "unknown certs command \"%1\" (use init or issue)").arg(subcommand));
    printCertsUsage(stderr);
    return 2;
}
