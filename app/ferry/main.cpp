// ferry: the desktop console. With no arguments it opens the built-in demo (three data
// centers in this process); --connect FILE opens real ferry-node processes.

#include "console/consolesession.h"
#include "demo/demodeployment.h"
#include "mainwindow.h"
#include "net/clientprofile.h"
#include "translations.h"
#include "util/ferryerror.h"
#include "util/whenfinished.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMessageBox>
#include <QPromise>
#include <QSettings>
#include <QStandardPaths>
#include <QPointer>
#include <QTimer>

#include <atomic>
#include <thread>

using namespace ferry;

namespace {

// A connection file: {"profile": "client.json"} or {"ca": ..., "certificate": ..., "key": ...},
// and "nodes": ["host:port", ...]. Paths are relative to the file.
struct Connection
{
    QSslConfiguration tls;
    QStringList nodes;
};

Connection readConnection(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("ferry", "%1: cannot read: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw FerryError(QCoreApplication::translate("ferry", "%1: not a JSON object (%2)").arg(path, error.errorString()));
    const QJsonObject object = document.object();
    const QDir base = QFileInfo(path).absoluteDir();
    Connection connection;
    if (object.contains(QStringLiteral("profile")))
        connection.tls = ClientProfile::load(base.absoluteFilePath(object.value(QStringLiteral("profile")).toString())).tlsConfiguration();
    else
        connection.tls = ClientProfile::load(path).tlsConfiguration();
    for (const QJsonValue &node : object.value(QStringLiteral("nodes")).toArray()) {
        const QString address = node.toString();
        if (address.lastIndexOf(QLatin1Char(':')) <= 0 || address.mid(address.lastIndexOf(QLatin1Char(':')) + 1).toUInt() == 0)
            throw FerryError(QCoreApplication::translate("ferry", "%1: \"%2\" is not HOST:PORT").arg(path, address));
        connection.nodes.append(address);
    }
    if (connection.nodes.isEmpty())
        throw FerryError(QCoreApplication::translate("ferry", "%1: \"nodes\" lists no data center (HOST:PORT)").arg(path));
    return connection;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Ferry"));
    QApplication::setApplicationName(QStringLiteral("ferry"));
    QApplication::setApplicationDisplayName(QStringLiteral("Ferry"));
    QApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/ferry.svg")));

    // The language chosen in the settings, else the system's.
    QSettings settings;
    const QString language = settings.value(QStringLiteral("language")).toString();
    installTranslations(language.isEmpty() ? QLocale() : QLocale(language), &app);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("ferry", "The Ferry console. Without options it opens the built-in three-data-center demo."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption connectOption(QStringLiteral("connect"), QCoreApplication::translate("ferry", "Open the data centers listed in FILE (JSON: a client profile and \"nodes\")."), QStringLiteral("FILE"));
    const QCommandLineOption demoDirOption(QStringLiteral("demo-dir"), QCoreApplication::translate("ferry", "Where the demo keeps its data centers (default: the user's data directory)."), QStringLiteral("DIR"));
    const QCommandLineOption rateOption(QStringLiteral("rate"), QCoreApplication::translate("ferry", "The demo workload's writes per second (default 20)."), QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption screenshotOption(QStringLiteral("screenshot"), QCoreApplication::translate("ferry", "Save a screenshot of the window to FILE after --screenshot-after ms, then quit."), QStringLiteral("FILE"));
    const QCommandLineOption afterOption(QStringLiteral("screenshot-after"), QCoreApplication::translate("ferry", "Milliseconds before the screenshot (default 8000)."), QStringLiteral("MS"), QStringLiteral("8000"));
    const QCommandLineOption viewOption(QStringLiteral("screenshot-view"), QCoreApplication::translate("ferry", "What the screenshot shows: main, blocks, blockrows, failover, charts, small (1024x700), conflicts, conflictapply, dblink."), QStringLiteral("VIEW"), QStringLiteral("main"));
    parser.addOptions({connectOption, demoDirOption, rateOption, screenshotOption, afterOption, viewOption});
    parser.process(app);

    MainWindow window;
    window.show();

    std::unique_ptr<DemoDeployment> demo;
    std::unique_ptr<ConsoleSession> session;
    std::thread preparing;
    // The demo's large table is written after the nodes started, in this thread.
    std::thread filling;
    std::atomic<bool> closing{false};

    if (parser.isSet(connectOption)) {
        try {
            const Connection connection = readConnection(parser.value(connectOption));
            session = std::make_unique<ConsoleSession>(connection.tls);
            session->startInThread();
            for (const QString &address : connection.nodes) {
                const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
                session->addNode(address.left(colon), quint16(address.mid(colon + 1).toUInt()));
            }
            settings.setValue(QStringLiteral("lastConnection"), QFileInfo(parser.value(connectOption)).absoluteFilePath());
            window.attach(session.get(), nullptr);
        } catch (const FerryError &error) {
            QMessageBox::critical(&window, QCoreApplication::translate("ferry", "Cannot connect"), error.message());
            return 2;
        }
    } else {
        const QString directory = parser.isSet(demoDirOption)
            ? parser.value(demoDirOption)
            : QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath(QStringLiteral("demo"));
        demo = std::make_unique<DemoDeployment>(directory);
        window.showBusy(QCoreApplication::translate("ferry", "Starting the demo data centers in %1...").arg(directory));
        // The first start writes 200,000 sample rows and makes certificates: not in the
        // GUI thread.
        auto promise = std::make_shared<QPromise<void>>();
        QFuture<void> ready = promise->future();
        promise->start();
        DemoDeployment *deployment = demo.get();
        preparing = std::thread([promise, deployment] {
            try {
                deployment->prepare();
                deployment->start();
            } catch (...) {
                promise->setException(std::current_exception());
            }
            promise->finish();
        });
        const double rate = parser.value(rateOption).toDouble();
        whenFinished(
            &window, ready,
            [&window, &session, &filling, &closing, deployment, rate] {
                session = std::make_unique<ConsoleSession>(deployment->consoleTls());
                session->startInThread();
                for (const QString &address : deployment->nodeAddresses()) {
                    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
                    session->addNode(address.left(colon), quint16(address.mid(colon + 1).toUInt()));
                }
                window.attach(session.get(), deployment);
                window.startDemo(rate);
                QPointer<MainWindow> target(&window);
                filling = std::thread([deployment, target, &closing] {
                    auto show = [target](qint64 done, qint64 total, const QString &error) {
                        QMetaObject::invokeMethod(target, [target, done, total, error] {
                            if (target)
                                target->showDemoProgress(done, total, error);
                        }, Qt::QueuedConnection);
                    };
                    try {
                        deployment->fillLargeTable([&closing, show](qint64 done, qint64 total) {
                            show(done, total, QString());
                            return !closing.load();
                        });
                    } catch (const FerryError &error) {
                        show(0, 0, error.message());
                    }
                });
            },
            [&window](const std::exception &error) {
                QMessageBox::critical(&window, QCoreApplication::translate("ferry", "The demo cannot start"), errorMessage(error));
            });
    }

    if (parser.isSet(screenshotOption)) {
        const QString file = parser.value(screenshotOption);
        const QString view = parser.value(viewOption);
        if (view == QLatin1String("blocks"))
            window.verifyFirstLinkWhenReady();
        if (view == QLatin1String("blockrows"))
            window.verifyFirstLinkWhenReady(false);
        QTimer::singleShot(parser.value(afterOption).toInt(), &window, [&window, file, view] {
            window.saveScreenshot(file, view);
            QApplication::quit();
        });
    }

    const int status = app.exec();
    closing = true;
    if (filling.joinable())
        filling.join();
    window.detach();
    session.reset();
    if (preparing.joinable())
        preparing.join();
    if (demo) {
        demo->stopWorkload();
        demo->stop();
    }
    return status;
}
