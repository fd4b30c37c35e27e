#include "loadcommand.h"

#include "output.h"

#include "replication/workloadgenerator.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

using namespace ferry;

int runLoadCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferryctl", "Write inserts, updates and deletes into a table at a steady rate, as an application would."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("LOCATION"), QCoreApplication::translate("ferryctl", "sqlite:PATH?table=NAME or postgresql://USER@HOST:PORT/DB?table=NAME"));
    const QCommandLineOption rateOption(QStringLiteral("rate"), QCoreApplication::translate("ferryctl", "Writes per second (default 100)."), QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QCoreApplication::translate("ferryctl", "How long, in seconds (default 10; 0 runs until interrupted)."), QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption mixOption(QStringLiteral("mix"), QCoreApplication::translate("ferryctl", "Percentages insert:update:delete (default 50:40:10)."), QStringLiteral("I:U:D"), QStringLiteral("50:40:10"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QCoreApplication::translate("ferryctl", "Random seed (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QCoreApplication::translate("ferryctl", "Print one JSON object at the end."));
    parser.addOptions({rateOption, secondsOption, mixOption, seedOption, jsonOption});
    QStringList args = arguments;
    args.prepend(QStringLiteral("ferryctl load"));
    const bool json = args.contains(QStringLiteral("--json"));
    if (!parser.parse(args))
        return fail(json, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printLine(stdout, parser.helpText());
        return 0;
    }
    if (parser.positionalArguments().size() != 1)
        return fail(json, QCoreApplication::translate("ferryctl", "load needs exactly one LOCATION"));
    bool ok = false;
    const double rate = parser.value(rateOption).toDouble(&ok);
    if (!ok || rate <= 0 || rate > 1000000)
        return fail(json, QCoreApplication::translate("ferryctl", "--rate must be a number of writes per second from 1 to 1000000, not \"%1\"").arg(parser.value(rateOption)));
    const double seconds = parser.value(secondsOption).toDouble(&ok);
    if (!ok || seconds < 0)
        return fail(json, QCoreApplication::translate("ferryctl", "--seconds must be 0 or more, not \"%1\"").arg(parser.value(secondsOption)));
    const QStringList parts = parser.value(mixOption).split(QLatin1Char(':'));
    WorkloadGenerator::Mix mix;
    bool mixOk = parts.size() == 3;
    if (mixOk) {
        bool a = false, b = false, c = false;
        mix = {parts.at(0).toInt(&a), parts.at(1).toInt(&b), parts.at(2).toInt(&c)};
        mixOk = a && b && c && mix.inserts >= 0 && mix.updates >= 0 && mix.deletes >= 0 && mix.inserts + mix.updates + mix.deletes > 0;
    }
    if (!mixOk)
        return fail(json, QCoreApplication::translate("ferryctl", "--mix must be three percentages I:U:D, not \"%1\"").arg(parser.value(mixOption)));
    const quint32 seed = parser.value(seedOption).toUInt(&ok);
    if (!ok)
        return fail(json, QCoreApplication::translate("ferryctl", "--seed must be a whole number, not \"%1\"").arg(parser.value(seedOption)));

    try {
        const DataSource source = DataSource::parse(parser.positionalArguments().at(0));
        auto store = Store::open(source, Store::Options{false, 5000});
        const TableSchema schema = store->describe(source.table);
        WorkloadGenerator generator(*store, schema, mix, seed);
        generator.setRate(rate);
        const bool terminal = !json && isatty(STDERR_FILENO);
        const WorkloadGenerator::Counts counts = generator.run(seconds, [&](const WorkloadGenerator::Counts &c) {
            if (terminal)
                std::fprintf(stderr, "\r%s", qPrintable(QCoreApplication::translate("ferryctl", "%1 writes (%2 inserts, %3 updates, %4 deletes)")
                                                             .arg(c.total()).arg(c.inserts).arg(c.updates).arg(c.deletes)));
        });
        if (terminal)
            std::fputc('\n', stderr);
        if (json) {
            printLine(stdout, QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("inserts"), counts.inserts},
                                                                          {QStringLiteral("updates"), counts.updates},
                                                                          {QStringLiteral("deletes"), counts.deletes},
                                                                          {QStringLiteral("writes"), counts.total()}})
                                                    .toJson(QJsonDocument::Compact)));
        } else {
            printLine(stdout, QCoreApplication::translate("ferryctl", "%1 writes to %2: %3 inserts, %4 updates, %5 deletes")
                                  .arg(counts.total()).arg(source.displayName()).arg(counts.inserts).arg(counts.updates).arg(counts.deletes));
        }
        return 0;
    } catch (const FerryError &error) {
        return fail(json, error.message());
    }
}
