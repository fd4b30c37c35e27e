// ferry-node: the headless process that serves one data center's databases to other nodes
// and to consoles over mutual TLS.

#include "signalwatcher.h"

#include "node/nodeconfig.h"
#include "node/nodeserver.h"
#include "security/filepermissions.h"
#include "util/ferryerror.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

using namespace ferry;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferry-node"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-ddTHH:mm:ss.zzz} %{if-warning}warning: %{endif}%{if-critical}error: %{endif}%{message}"));

    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("ferry"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferry-node", "Serves one data center's databases to Ferry nodes and consoles over mutual TLS."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QCoreApplication::translate("ferry-node", "The node's JSON config file."), QStringLiteral("FILE"));
    parser.addOption(configOption);
    parser.process(app);
    if (!parser.isSet(configOption)) {
        std::fputs(qPrintable(QCoreApplication::translate("ferry-node", "ferry-node: error: --config FILE is required\n")), stderr);
        return 2;
    }

    try {
        // What the node writes (its state, its event log) is for its own user alone.
        restrictNewFiles();
        const NodeConfig config = NodeConfig::load(parser.value(configOption));
        if (!QDir().mkpath(config.dataDirectory))
            throw FerryError(QCoreApplication::translate("ferry-node", "%1: cannot create the data directory").arg(config.dataDirectory));
        secureDirectory(config.dataDirectory);
        bool holdsPassword = false;
        for (const NodeConfig::Database &database : config.databases)
            holdsPassword = holdsPassword || !database.source.password.isEmpty();
        for (const QString &warning : exposedSecretWarnings(config.keyFile, QFileInfo(parser.value(configOption)).absoluteFilePath(), holdsPassword))
            qWarning().noquote() << warning;

        NodeServer server(config);
        server.start();
        qInfo().noquote() << QCoreApplication::translate("ferry-node", "node %1 (%2) listening on %3:%4, %5 database(s)")
                                 .arg(config.name, config.region.isEmpty() ? QStringLiteral("-") : config.region,
                                      config.listenAddress.toString())
                                 .arg(server.port())
                                 .arg(config.databases.size());

        SignalWatcher watcher;
        QObject::connect(&watcher, &SignalWatcher::stopRequested, &app, [&](const QString &name) {
            qInfo().noquote() << QCoreApplication::translate("ferry-node", "%1 received: stopping").arg(name);
            server.stop();
            app.quit();
        });
        const int status = app.exec();
        qInfo().noquote() << QCoreApplication::translate("ferry-node", "stopped");
        return status;
    } catch (const FerryError &error) {
        std::fputs(qPrintable(QCoreApplication::translate("ferry-node", "ferry-node: error: %1\n").arg(error.message())), stderr);
        return 2;
    }
}
