// The console end to end, as an operator uses it (run with -platform offscreen): the real
// MainWindow attached to a ConsoleSession on the built-in demo (three real nodes in worker
// threads of this process, SQLite files, loopback ports, mutual TLS), one deployment in a
// temporary directory shared by every case, in order:
//
// 1. the demo comes up: three connected cards, the demo link orders-sha-fra streams, and
//    what the workload writes on Shanghai reaches Frankfurt's table (the SQLite files are
//    read directly);
// 2. drag-to-create: Virginia's customers table is planted before the nodes start with a
//    copy of Shanghai's in which rows were changed, deleted and added in a known set of
//    1000-row blocks; a drag with real mouse events from the Shanghai card to the Virginia
//    card opens the link dialog, which is filled and accepted; the block map of the new
//    link ends with exactly those blocks repaired (no other was ever reported differing)
//    and every other one equal, and the two tables end identical row for row; then "Verify
//    now" (F5) runs a round that finds every block equal;
// 3. the charts of the selected link get points (with the workload's rows/s) and the event
//    log shows the nodes' events, the new link's among them;
// 4. failover: "Fail over..." on the selected demo link opens the failover dialog (driven
//    while it is modal), which shows the graceful plan; once confirmed the arrow runs from
//    Frankfurt to Shanghai, the cards' roles swap, Shanghai's table refuses writes and a
//    write on Frankfurt reaches Shanghai;
// 5. Add data center (Ctrl+D) with an address where nothing listens and with a TLS server
//    of another CA: refused in the dialog with the reason, the topology unchanged;
// 6. Chinese: with the embedded zh_CN translator (as app/ferry/main.cpp loads it), a fresh
//    MainWindow on the same session and the link and failover dialogs show no English
//    source string anywhere an operator can read (widgets, menus, toolbars, tabs, docks,
//    headers, tooltips, charts, topology items, context menus), Qt's own strings (Cancel,
//    the dock's buttons) included, and no English identifier (a link's mode, a peer's
//    role) inside a translated sentence;
// 7. cleanupTestCase stops the window, the session and the nodes in the order the console
//    does and checks that no ferry thread is left.

#include "adddatacenterdialog.h"
#include "blockmapwidget.h"
#include "blockrowswidget.h"
#include "util/ferryerror.h"
#include "console/consolesession.h"
#include "datacenteritem.h"
#include "demo/demodeployment.h"
#include "eventlogdock.h"
#include "eventlogfilter.h"
#include "eventlogmodel.h"
#include "failoverdialog.h"
#include "linkchartswidget.h"
#include "linkdialog.h"
#include "linkitem.h"
#include "linklistmodel.h"
#include "linklistwidget.h"
#include "mainwindow.h"
#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "topologyview.h"
#include "translations.h"
#include "wire/protocol.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QMutex>
#include <QProgressBar>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSettings>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSslServer>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTcpServer>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QThreadPool>
#include <QTimer>
#include <QToolBar>
#include <QToolTip>
#include <QTranslator>
#include <QUuid>

#include <qcustomplot.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <thread>

namespace ferry {

namespace {

// The machine may be small and busy: every wait is generous; under AddressSanitizer (the
// console and its nodes several times slower) three times so.
#if defined(__SANITIZE_ADDRESS__)
constexpr int Slowdown = 3;
#else
constexpr int Slowdown = 1;
#endif
constexpr int Wait = 60000 * Slowdown;
constexpr int LongWait = 120000 * Slowdown;

const QString OrdersLink = QStringLiteral("orders-sha-fra");
const QString CustomersLink = QStringLiteral("customers-sha-vir");

// --- the SQLite files, read and written beside the nodes -----------------------------------

// One short-lived connection per use, so that the test never holds a lock the nodes wait on.
class SqlFile
{
public:
    explicit SqlFile(const QString &path)
        : m_name(QStringLiteral("tst-console-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        m_ok = db.open();
        if (!m_ok)
            m_error = db.lastError().text();
    }
    ~SqlFile()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    SqlFile(const SqlFile &) = delete;
    SqlFile &operator=(const SqlFile &) = delete;

    bool isOpen() const { return m_ok; }
    QString error() const { return m_error; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

    // Runs one statement; false (and error()) when it fails.
    bool exec(const QString &sql)
    {
        QSqlQuery query(db());
        if (query.exec(sql))
            return true;
        m_error = query.lastError().text();
        return false;
    }

    QVariant scalar(const QString &sql)
    {
        QSqlQuery query(db());
        if (!query.exec(sql) || !query.next()) {
            m_error = query.lastError().text();
            return QVariant();
        }
        return query.value(0);
    }

    QList<QVariantList> rows(const QString &sql)
    {
        QList<QVariantList> result;
        QSqlQuery query(db());
        query.setForwardOnly(true);
        if (!query.exec(sql)) {
            m_error = query.lastError().text();
            return result;
        }
        const int columns = query.record().count();
        while (query.next()) {
            QVariantList row;
            row.reserve(columns);
            for (int c = 0; c < columns; ++c)
                row.append(query.value(c));
            result.append(row);
        }
        return result;
    }

private:
    QString m_name;
    bool m_ok = false;
    QString m_error;
};

QString rowText(const QVariantList &row)
{
    QStringList parts;
    for (const QVariant &value : row)
        parts << (value.isNull() ? QStringLiteral("NULL") : value.toString());
    return QStringLiteral("(%1)").arg(parts.join(QStringLiteral(", ")));
}

// Every row of two tables, in key order: equal, or the first difference in *why.
bool sameRows(const QString &pathA, const QString &pathB, const QString &table, QString *why)
{
    const QString sql = QStringLiteral("SELECT * FROM %1 ORDER BY id").arg(table);
    SqlFile a(pathA);
    SqlFile b(pathB);
    if (!a.isOpen() || !b.isOpen()) {
        *why = a.error() + b.error();
        return false;
    }
    const QList<QVariantList> rowsA = a.rows(sql);
    const QList<QVariantList> rowsB = b.rows(sql);
    if (rowsA.isEmpty()) {
        *why = QStringLiteral("%1: no rows in %2 (%3)").arg(pathA, table, a.error());
        return false;
    }
    for (qsizetype i = 0; i < std::min(rowsA.size(), rowsB.size()); ++i) {
        if (rowsA.at(i) != rowsB.at(i)) {
            *why = QStringLiteral("%1 row %2 differs: %3 vs %4").arg(table).arg(i).arg(rowText(rowsA.at(i)), rowText(rowsB.at(i)));
            return false;
        }
    }
    if (rowsA.size() != rowsB.size()) {
        *why = QStringLiteral("%1: %2 rows vs %3").arg(table).arg(rowsA.size()).arg(rowsB.size());
        return false;
    }
    why->clear();
    return true;
}

qint64 scalarOf(const QString &path, const QString &sql)
{
    SqlFile file(path);
    return file.scalar(sql).toLongLong();
}

// --- the topology, with real mouse events ------------------------------------------------

bool topmostIs(const TopologyView *view, const QPoint &viewportPos, const QGraphicsItem *item)
{
    if (!view->viewport()->rect().contains(viewportPos))
        return false;
    const QList<QGraphicsItem *> items = view->items(viewportPos);
    return !items.isEmpty() && items.first() == item;
}

// A point of the card's body (not its header: that moves the card) where nothing lies over
// the card, in viewport coordinates; (-1, -1) when there is none.
QPoint cardBodyPoint(const TopologyView *view, const DataCenterItem *card)
{
    const QRectF rect = DataCenterItem::cardRect();
    for (double fy = 0.55; fy < 0.95; fy += 0.1) {
        for (double fx = 0.5; fx > 0.05; fx -= 0.1) {
            for (const double x : {rect.left() + rect.width() * fx, rect.right() - rect.width() * fx}) {
                const QPointF itemPos(x, rect.top() + rect.height() * fy);
                if (card->isInHeader(itemPos))
                    continue;
                const QPoint pos = view->mapFromScene(card->mapToScene(itemPos));
                if (topmostIs(view, pos, card))
                    return pos;
            }
        }
    }
    return QPoint(-1, -1);
}

// A point on the link's arrow or label where the link is the topmost item.
QPoint linkPoint(const TopologyView *view, const LinkItem *link)
{
    const QPoint mid = view->mapFromScene(link->midPoint());
    for (int d = 0; d <= 12; d += 2) {
        for (const QPoint offset : {QPoint(0, 0), QPoint(d, 0), QPoint(-d, 0), QPoint(0, d), QPoint(0, -d)}) {
            if (topmostIs(view, mid + offset, link))
                return mid + offset;
        }
    }
    return QPoint(-1, -1);
}

// Runs handler on the first modal dialog of type T (polled while the caller's action runs
// the dialog's own event loop). Delete the returned timer once the action returned.
template<typename T>
QTimer *whenModal(std::function<void(T *)> handler)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, handler] {
        if (T *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            handler(dialog);
        }
    });
    timer->start();
    return timer;
}

QAction *actionWithShortcut(QWidget *window, const QKeySequence &shortcut)
{
    for (QAction *action : window->findChildren<QAction *>()) {
        if (action->shortcut() == shortcut)
            return action;
    }
    return nullptr;
}

// The toolbar button of an action (what an operator clicks).
QWidget *toolButtonOf(QMainWindow *window, QAction *action)
{
    for (QToolBar *bar : window->findChildren<QToolBar *>()) {
        if (QWidget *button = bar->widgetForAction(action))
            return button;
    }
    return nullptr;
}

QStringList threadNames()
{
    QStringList names;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly))
            names << QString::fromUtf8(comm.readAll()).trimmed();
    }
    return names;
}

// --- the Chinese interface -----------------------------------------------------------------

struct Shown
{
    QString where;
    QString text;
    bool qtOwn = false;   // Qt's own text (a widget Qt made, a standard button's default)
};

// A standard button still showing the text Qt gives it (not one the console set).
bool isDefaultStandardButton(QWidget *widget)
{
    auto *button = qobject_cast<QPushButton *>(widget);
    const auto *box = button ? qobject_cast<const QDialogButtonBox *>(button->parentWidget()) : nullptr;
    const QDialogButtonBox::StandardButton which = box ? box->standardButton(button) : QDialogButtonBox::NoButton;
    if (which == QDialogButtonBox::NoButton)
        return false;
    const QDialogButtonBox probe(which);
    return probe.buttons().constFirst()->text() == button->text();
}

bool hasCjk(const QString &text)
{
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= 0x2E80 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF) || (u >= 0xFF00 && u <= 0xFFEF) || (u >= 0x3000 && u <= 0x303F))
            return true;
    }
    return false;
}

QString plainText(QString text)
{
    if (Qt::mightBeRichText(text)) {
        QTextDocument document;
        document.setHtml(text);
        text = document.toPlainText();
    }
    text.replace(QStringLiteral("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    return text.trimmed();
}

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void demoComesUpAndStreams();
    void dragCreatesLinkAndRepairsPlantedBlocks();
    void verifyOnlyListsThePlantedKeysAndRepairFixesThem();
    void chartsAndEventLogAreFed();
    void linkListMatchesTheNodes();
    void failoverReversesTheLinkAndTheRoles();
    void addDataCenterRefusesUnreachableAndForeignNodes();
    void chineseInterfaceHasNoEnglishLeft();
    void removeConfirmationsCarryTheLinkIdentity();
    void demoLargeTableFillsWithoutFreezingTheGui();
    void cleanup();
    void cleanupTestCase();

private:
    QString dbPath(const QString &site) const { return m_dir.filePath(site + QStringLiteral(".db")); }
    TopologyView *topology() const { return m_window->findChild<TopologyView *>(); }
    BlockMapWidget *blockMap() const { return m_window->findChild<BlockMapWidget *>(); }
    LinkChartsWidget *charts() const { return m_window->findChild<LinkChartsWidget *>(); }
    EventLogDock *eventLog() const { return m_window->findChild<EventLogDock *>(); }
    LinkItem *link(const QString &sourceAddress, const QString &id) const { return topology()->linkItem(sourceAddress, id); }
    QString linkState(const QString &sourceAddress, const QString &id) const
    {
        const LinkItem *item = link(sourceAddress, id);
        return item ? item->link().stats.state : QString();
    }
    bool clickLink(const QString &sourceAddress, const QString &id);
    void plantVirginiaCustomers();

    // The strings an operator can read in a window, with where they are.
    void collectWidget(QWidget *widget, QList<Shown> *out) const;
    void collectAction(QAction *action, const QString &where, QList<Shown> *out) const;
    void collectTopology(TopologyView *view, QList<Shown> *out) const;
    // The strings of shown (Qt's own, or the console's) that are still in English.
    QStringList untranslated(const QList<Shown> &shown, bool qtOwn) const;
    // English identifiers inside the console's translated strings.
    QStringList rawIdentifiers(const QList<Shown> &shown) const;
    QString withoutNames(QString text) const;

    QTemporaryDir m_dir;
    QTemporaryDir m_settingsDir;
    std::unique_ptr<DemoDeployment> m_demo;
    std::unique_ptr<ConsoleSession> m_session;
    std::unique_ptr<MainWindow> m_window;
    QString m_shanghai;
    QString m_frankfurt;
    QString m_virginia;
    int m_threadsBefore = 0;
    QElapsedTimer m_clock;
    // Message boxes the console showed on its own (an error it reports): closed, and a
    // failure of the case during which they came.
    QTimer m_messageWatch;
    QStringList m_messages;

    // The planted differences in Virginia's customers (1000-row blocks of ids 1..100000:
    // block k holds ids 1000k+1 .. 1000k+1000; the first block has no lower bound, the
    // last no upper bound).
    const QList<int> m_changedIds{2500, 2600, 45678};
    const QList<int> m_deletedIds{17001, 63000};
    const QList<int> m_extraIds{0, -7, 100050};
    const QSet<int> m_plantedBlocks{2, 45, 17, 62, 0, 99};
    QSet<int> m_reportedDiffering;   // blocks of the new link ever reported as differing
};

void TestConsole::plantVirginiaCustomers()
{
    SqlFile virginia(dbPath(QStringLiteral("virginia")));
    QVERIFY2(virginia.isOpen(), qPrintable(virginia.error()));
    const QString ddl = SqlFile(dbPath(QStringLiteral("shanghai"))).scalar(QStringLiteral("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'customers'")).toString();
    QVERIFY(ddl.startsWith(QLatin1String("CREATE TABLE")));
    QVERIFY2(virginia.exec(ddl), qPrintable(virginia.error()));
    QVERIFY2(virginia.exec(QStringLiteral("ATTACH DATABASE '%1' AS sha").arg(dbPath(QStringLiteral("shanghai")))), qPrintable(virginia.error()));
    QVERIFY2(virginia.exec(QStringLiteral("INSERT INTO main.customers SELECT * FROM sha.customers")), qPrintable(virginia.error()));
    QVERIFY2(virginia.exec(QStringLiteral("DETACH DATABASE sha")), qPrintable(virginia.error()));
    for (int id : m_changedIds)
        QVERIFY2(virginia.exec(QStringLiteral("UPDATE customers SET name = 'changed in Virginia', country = 'XX' WHERE id = %1").arg(id)), qPrintable(virginia.error()));
    for (int id : m_deletedIds)
        QVERIFY2(virginia.exec(QStringLiteral("DELETE FROM customers WHERE id = %1").arg(id)), qPrintable(virginia.error()));
    for (int id : m_extraIds)
        QVERIFY2(virginia.exec(QStringLiteral("INSERT INTO customers VALUES (%1, 'only in Virginia', 'US', 'x%1@example.com', '2025-01-01 00:00:00')").arg(id)),
                 qPrintable(virginia.error()));
    QCOMPARE(virginia.scalar(QStringLiteral("SELECT count(*) FROM customers")).toInt(), 100000 - int(m_deletedIds.size()) + int(m_extraIds.size()));
}

void TestConsole::initTestCase()
{
    m_clock.start();
    m_threadsBefore = int(threadNames().size());
    QVERIFY(m_dir.isValid());
    QVERIFY(m_settingsDir.isValid());
    // Nothing of the user's: settings (window layout, card positions, language) and
    // standard paths of this test only.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FerryTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_console"));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QVERIFY(QSettings().fileName().startsWith(m_settingsDir.path()));
    m_messageWatch.setInterval(100);
    connect(&m_messageWatch, &QTimer::timeout, this, [this] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        // The confirmations a case drives itself are not the console's own reports.
        if (box && (box->objectName() == QLatin1String("confirmRemove") || box->objectName() == QLatin1String("linkGone")))
            return;
        if (box) {
            m_messages << QStringLiteral("%1: %2").arg(box->windowTitle(), box->text());
            qWarning("the console showed a message box: %s", qPrintable(m_messages.constLast()));
            box->reject();
        }
    });
    m_messageWatch.start();

    m_demo = std::make_unique<DemoDeployment>(m_dir.path());
    m_demo->prepare();
    QVERIFY(m_demo->createdNow());
    // Before any node runs and before the link exists: Virginia's own customers, with
    // known differences.
    plantVirginiaCustomers();
    if (QTest::currentTestFailed())
        return;
    m_demo->start();
    const QStringList addresses = m_demo->nodeAddresses();
    QCOMPARE(addresses.size(), 3);
    m_shanghai = addresses.at(0);
    m_frankfurt = addresses.at(1);
    m_virginia = addresses.at(2);

    // As app/ferry/main.cpp does.
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_session = std::make_unique<ConsoleSession>(m_demo->consoleTls());
    m_session->startInThread();
    for (const QString &address : addresses) {
        const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
        m_session->addNode(address.left(colon), quint16(address.mid(colon + 1).toUInt()));
    }
    // Every block report of the link the drag creates, as the session delivers them.
    connect(m_session.get(), &ConsoleSession::blocksUpdated, this, [this](const QString &linkId, const VerificationProgress &progress) {
        if (linkId != CustomersLink)
            return;
        for (const auto &[index, block] : progress.changedBlocks) {
            if (block.state == BlockState::Differs)
                m_reportedDiffering.insert(index);
        }
    });
    m_window->attach(m_session.get(), m_demo.get());
    m_window->startDemo(50);
    qInfo("demo prepared and started in %.1f s", m_clock.elapsed() / 1000.0);
}

bool TestConsole::clickLink(const QString &sourceAddress, const QString &id)
{
    LinkItem *item = link(sourceAddress, id);
    if (!item)
        return false;
    const QPoint at = linkPoint(topology(), item);
    if (at.x() < 0)
        return false;
    QTest::mouseClick(topology()->viewport(), Qt::LeftButton, Qt::NoModifier, at);
    return item->isSelected();
}

// --- 1 -----------------------------------------------------------------------------------

void TestConsole::demoComesUpAndStreams()
{
    TopologyView *view = topology();
    QVERIFY(view);
    // Three connected data centers, under their names.
    const auto allConnected = [&] {
        if (view->dataCenterItems().size() != 3)
            return false;
        for (const QString &address : {m_shanghai, m_frankfurt, m_virginia}) {
            const DataCenterItem *card = view->dataCenterItem(address);
            if (!card || card->isPlaceholder() || !card->node().connected || card->node().tables.isEmpty())
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allConnected(), Wait);
    QCOMPARE(view->dataCenterItem(m_shanghai)->node().name, QStringLiteral("shanghai"));
    QCOMPARE(view->dataCenterItem(m_frankfurt)->node().name, QStringLiteral("frankfurt"));
    QCOMPARE(view->dataCenterItem(m_virginia)->node().name, QStringLiteral("virginia"));
    QCOMPARE(view->dataCenterItem(m_shanghai)->health(), DataCenterItem::Health::Healthy);
    QVERIFY(view->dataCenterItem(m_shanghai)->node().tables.value(QStringLiteral("main")).contains(QStringLiteral("orders")));

    // The demo link, created on the first start, from Shanghai's card to Frankfurt's.
    QTRY_VERIFY_WITH_TIMEOUT(link(m_shanghai, OrdersLink), Wait);
    QCOMPARE(view->linkItems().size(), 1);
    QCOMPARE(link(m_shanghai, OrdersLink)->sourceItem(), view->dataCenterItem(m_shanghai));
    QCOMPARE(link(m_shanghai, OrdersLink)->targetItem(), view->dataCenterItem(m_frankfurt));
    QCOMPARE(link(m_shanghai, OrdersLink)->link().link.blockRows, 200);
    // Initial sync of 100,000 rows, then the change feed.
    QTRY_COMPARE_WITH_TIMEOUT(linkState(m_shanghai, OrdersLink), QStringLiteral("streaming"), LongWait);
    QCOMPARE(link(m_shanghai, OrdersLink)->color(), LinkItem::stateColor(QStringLiteral("streaming")));
    qInfo("demo link streaming after %.1f s", m_clock.elapsed() / 1000.0);

    // The workload's inserts (new ids above the sample's 100,000) reach Frankfurt.
    const QString shanghai = dbPath(QStringLiteral("shanghai"));
    const QString frankfurt = dbPath(QStringLiteral("frankfurt"));
    const QString maxId = QStringLiteral("SELECT max(id) FROM orders");
    QTRY_VERIFY_WITH_TIMEOUT(scalarOf(shanghai, maxId) > 100010, Wait);
    const qint64 written = scalarOf(shanghai, maxId);
    QTRY_VERIFY_WITH_TIMEOUT(scalarOf(frankfurt, maxId) >= written, Wait);

    // The workload stopped from the demo toolbar: the two tables become equal, row for row.
    auto *rate = m_window->findChild<QToolBar *>(QStringLiteral("demoToolBar"))->findChild<QSpinBox *>();
    QVERIFY(rate);
    QCOMPARE(rate->value(), 50);
    QCOMPARE(m_demo->workloadRate(), 50.0);
    rate->setValue(0);
    QCOMPARE(m_demo->workloadRate(), 0.0);
    const QString count = QStringLiteral("SELECT count(*) FROM orders");
    QTRY_VERIFY_WITH_TIMEOUT(scalarOf(shanghai, count) == scalarOf(frankfurt, count) && scalarOf(shanghai, maxId) == scalarOf(frankfurt, maxId), Wait);
    QString why;
    QTRY_VERIFY2_WITH_TIMEOUT(sameRows(shanghai, frankfurt, QStringLiteral("orders"), &why), qPrintable(why), Wait);
    QVERIFY(scalarOf(frankfurt, count) > 100000 - 100);
    // Writes again (a few per second) for the charts and the failover under load.
    rate->setValue(20);
    QCOMPARE(m_demo->workloadRate(), 20.0);

    // The demo places its data centers the same way on every start, whatever the ports:
    // Virginia west, Frankfurt in the middle, Shanghai east.
    QCOMPARE(view->dataCenterItem(m_virginia)->pos(), m_demo->sites().at(2).position);
    QCOMPARE(view->dataCenterItem(m_frankfurt)->pos(), m_demo->sites().at(1).position);
    QCOMPARE(view->dataCenterItem(m_shanghai)->pos(), m_demo->sites().at(0).position);
    // The cards name their tables.
    QTRY_COMPARE_WITH_TIMEOUT(view->dataCenterItem(m_shanghai)->roleSummary(), QStringLiteral("primary of orders"), Wait);
    QTRY_COMPARE_WITH_TIMEOUT(view->dataCenterItem(m_frankfurt)->roleSummary(), QStringLiteral("replica of orders"), Wait);

    // Virginia has a table of its own: a newcomer's drag from Virginia to Frankfurt opens a
    // link dialog that can be accepted as it opens (cancelled here).
    QVERIFY(view->dataCenterItem(m_virginia)->node().tables.value(QStringLiteral("main")).contains(QStringLiteral("inventory")));
    bool seen = false;
    QString error = QStringLiteral("not shown");
    QString table;
    std::unique_ptr<QTimer> driver(whenModal<LinkDialog>([&](LinkDialog *dialog) {
        seen = true;
        error = dialog->validationError();
        table = dialog->settings().value(QStringLiteral("source_table")).toString();
        if (!dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled() && error.isEmpty())
            error = QStringLiteral("OK is disabled");
        dialog->reject();
    }));
    const QPoint from = cardBodyPoint(view, view->dataCenterItem(m_virginia));
    const QPoint to = cardBodyPoint(view, view->dataCenterItem(m_frankfurt));
    QVERIFY2(from.x() >= 0 && to.x() >= 0, "no free point on the cards");
    QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(view->viewport(), from + (to - from) / 3);
    QTest::mouseMove(view->viewport(), from + (to - from) * 2 / 3);
    QTest::mouseMove(view->viewport(), to);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, to);   // runs the dialog
    driver.reset();
    QVERIFY(seen);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // Its first table (customers, planted by this test before the start, or its own inventory).
    QVERIFY2(table == QLatin1String("customers") || table == QLatin1String("inventory"), qPrintable(table));
}

// --- 2 -----------------------------------------------------------------------------------

void TestConsole::dragCreatesLinkAndRepairsPlantedBlocks()
{
    TopologyView *view = topology();
    DataCenterItem *shanghai = view->dataCenterItem(m_shanghai);
    DataCenterItem *virginia = view->dataCenterItem(m_virginia);
    QVERIFY(shanghai && virginia);
    // The console knows Virginia's planted table, so the dialog offers it as the target.
    QVERIFY(virginia->node().tables.value(QStringLiteral("main")).contains(QStringLiteral("customers")));
    QVERIFY(!link(m_shanghai, CustomersLink));

    const QPoint from = cardBodyPoint(view, shanghai);
    const QPoint to = cardBodyPoint(view, virginia);
    QVERIFY2(from.x() >= 0 && to.x() >= 0, "no free point on the cards");

    struct
    {
        bool seen = false;
        QString source;
        QString target;
        QString targetNote;
        QString error;
        bool okEnabled = false;
        QCborMap settings;
    } dialogSaw;
    std::unique_ptr<QTimer> driver(whenModal<LinkDialog>([&](LinkDialog *dialog) {
        dialogSaw.seen = true;
        dialogSaw.source = dialog->sourceAddress();
        auto *targetNode = dialog->findChild<QComboBox *>(QStringLiteral("targetNode"));
        auto *sourceTable = dialog->findChild<QComboBox *>(QStringLiteral("sourceTable"));
        auto *targetTable = dialog->findChild<QComboBox *>(QStringLiteral("targetTable"));
        auto *blockRows = dialog->findChild<QSpinBox *>(QStringLiteral("blockRows"));
        auto *fixed = dialog->findChild<QRadioButton *>(QStringLiteral("fixedBlocks"));
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("name"));
        auto *mode = dialog->findChild<QComboBox *>(QStringLiteral("mode"));
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        if (!targetNode || !sourceTable || !targetTable || !blockRows || !fixed || !name || !mode || !ok) {
            dialogSaw.error = QStringLiteral("a field of the link dialog is missing");
            dialog->reject();
            return;
        }
        dialogSaw.target = targetNode->currentData().toString();
        sourceTable->setCurrentIndex(sourceTable->findText(QStringLiteral("customers")));
        targetTable->setEditText(QStringLiteral("customers"));
        fixed->setChecked(true);
        blockRows->setValue(1000);
        mode->setCurrentIndex(mode->findData(QStringLiteral("continuous")));
        name->setText(CustomersLink);
        dialogSaw.targetNote = dialog->findChild<QLabel *>(QStringLiteral("targetNote"))->text();
        dialogSaw.error = dialog->validationError();
        dialogSaw.okEnabled = ok->isEnabled();
        dialogSaw.settings = dialog->settings();
        if (dialogSaw.okEnabled)
            QTest::mouseClick(ok, Qt::LeftButton);
        else
            dialog->reject();
    }));

    // The drag, with the mouse: press on Shanghai's card, move over, release on Virginia's.
    QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, from);
    QTest::mouseMove(view->viewport(), from + (to - from) / 3);
    QTest::mouseMove(view->viewport(), from + (to - from) * 2 / 3);
    QTest::mouseMove(view->viewport(), to);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, to);   // runs the dialog
    driver.reset();
    QVERIFY2(dialogSaw.seen, "the drag did not open the link dialog");
    QVERIFY2(dialogSaw.okEnabled, qPrintable(dialogSaw.error));
    QCOMPARE(dialogSaw.source, m_shanghai);
    QCOMPARE(dialogSaw.target, m_virginia);   // the drop target, preselected
    QCOMPARE(dialogSaw.settings.value(QStringLiteral("source_table")).toString(), QStringLiteral("customers"));
    QCOMPARE(dialogSaw.settings.value(QStringLiteral("target_table")).toString(), QStringLiteral("customers"));
    QCOMPARE(dialogSaw.settings.value(QStringLiteral("block_rows")).toInteger(), 1000);
    QCOMPARE(dialogSaw.settings.value(QStringLiteral("id")).toString(), CustomersLink);
    // English on purpose (the console runs untranslated here): the dialog says the table
    // exists and will be made equal, not that it will be created.
    QVERIFY2(dialogSaw.targetNote.contains(QStringLiteral("exists on virginia")), qPrintable(dialogSaw.targetNote));

    // The new arrow, Shanghai to Virginia; select it with a click.
    QTRY_VERIFY_WITH_TIMEOUT(link(m_shanghai, CustomersLink), Wait);
    QCOMPARE(link(m_shanghai, CustomersLink)->sourceItem(), shanghai);
    QCOMPARE(link(m_shanghai, CustomersLink)->targetItem(), virginia);
    QVERIFY(clickLink(m_shanghai, CustomersLink));

    // The initial sync: 100 blocks, exactly the planted ones differed and were repaired.
    BlockMapWidget *map = blockMap();
    auto roundDone = [&] {
        return map->blockCount() == 100 && map->count(BlockState::Equal) + map->count(BlockState::Repaired) + map->count(BlockState::Failed) == 100
            && linkState(m_shanghai, CustomersLink) == QLatin1String("streaming");
    };
    QTRY_VERIFY_WITH_TIMEOUT(roundDone(), LongWait);
    qInfo("customers link synced after %.1f s", m_clock.elapsed() / 1000.0);
    QSet<int> repaired;
    for (int i = 0; i < map->blockCount(); ++i) {
        if (map->block(i).state == BlockState::Repaired)
            repaired.insert(i);
    }
    QCOMPARE(repaired, m_plantedBlocks);
    QCOMPARE(map->count(BlockState::Repaired), int(m_plantedBlocks.size()));
    QCOMPARE(map->count(BlockState::Equal), 100 - int(m_plantedBlocks.size()));
    QCOMPARE(map->count(BlockState::Failed), 0);
    // Reports are paced (every 100 ms, the latest state of each block that changed), so a
    // block may go from differs to repaired between two of them; but no block outside the
    // planted ones was ever reported as differing.
    QVERIFY2((QSet<int>(m_reportedDiffering) -= m_plantedBlocks).isEmpty(), "a block without planted differences was reported as differing");
    // Every block's row counts as the map's tooltip shows them.
    QCOMPARE(map->block(99).sourceRows, qint64(1000));
    QCOMPARE(map->block(99).targetRows, qint64(1000));
    const LinkStats stats = link(m_shanghai, CustomersLink)->link().stats;
    QCOMPARE(stats.blocks, 100);
    QCOMPARE(stats.blocksDiffering, int(m_plantedBlocks.size()));
    QCOMPARE(stats.blocksRepaired, int(m_plantedBlocks.size()));

    // The tables are identical.
    QString why;
    QVERIFY2(sameRows(dbPath(QStringLiteral("shanghai")), dbPath(QStringLiteral("virginia")), QStringLiteral("customers"), &why), qPrintable(why));

    // "Verify now" (F5): the map starts again and every block is equal.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QAction *verify = actionWithShortcut(m_window.get(), QKeySequence(Qt::Key_F5));
    QVERIFY(verify && verify->isEnabled());
    QSignalSpy verified(verify, &QAction::triggered);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QCOMPARE(verified.size(), 1);
    QVERIFY(map->count(BlockState::Repaired) == 0);   // cleared at once
    QTRY_VERIFY_WITH_TIMEOUT(map->blockCount() == 100 && map->count(BlockState::Equal) == 100, Wait);
    QTRY_COMPARE_WITH_TIMEOUT(linkState(m_shanghai, CustomersLink), QStringLiteral("streaming"), Wait);
}

// --- 2 -----------------------------------------------------------------------------------

void TestConsole::verifyOnlyListsThePlantedKeysAndRepairFixesThem()
{
    QVERIFY(link(m_shanghai, CustomersLink));
    QTRY_COMPARE_WITH_TIMEOUT(linkState(m_shanghai, CustomersLink), QStringLiteral("streaming"), Wait);
    // Drift in Virginia's replica, written past its guard as a repair would be (with an
    // origin): one changed row and one deleted in block 5, one extra in block 99.
    {
        SqlFile virginia(dbPath(QStringLiteral("virginia")));
        QVERIFY2(virginia.isOpen(), qPrintable(virginia.error()));
        for (const char *sql : {"BEGIN IMMEDIATE", "INSERT OR REPLACE INTO _ferry_session (id, origin) VALUES (1, 'tst_console')",
                                "UPDATE customers SET name = 'tampered' WHERE id = 5005", "DELETE FROM customers WHERE id = 5006",
                                "INSERT INTO customers VALUES (100500, 'only in Virginia', 'US', 'x@example.com', '2025-01-01 00:00:00')",
                                "DELETE FROM _ferry_session", "COMMIT"})
            QVERIFY2(virginia.exec(QString::fromLatin1(sql)), qPrintable(virginia.error()));
    }
    auto virginiaState = [this] {
        SqlFile virginia(dbPath(QStringLiteral("virginia")));
        return QStringLiteral("%1|%2|%3|%4")
            .arg(virginia.scalar(QStringLiteral("SELECT count(*) FROM customers")).toString(),
                 virginia.scalar(QStringLiteral("SELECT name FROM customers WHERE id = 5005")).toString(),
                 virginia.scalar(QStringLiteral("SELECT count(*) FROM customers WHERE id = 5006")).toString(),
                 virginia.scalar(QStringLiteral("SELECT count(*) FROM customers WHERE id = 100500")).toString());
    };
    const QString before = virginiaState();
    QCOMPARE(before, QStringLiteral("100000|tampered|0|1"));

    // Verify (F5) is read-only: exactly the two tampered blocks differ, nothing is repaired.
    if (m_window->findChild<BlockRowsWidget *>() == nullptr)
        QFAIL("no block rows panel");
    QVERIFY(clickLink(m_shanghai, CustomersLink));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    BlockMapWidget *map = blockMap();
    auto checked = [&] {
        return map->blockCount() == 100 && map->count(BlockState::Equal) + map->count(BlockState::Differs) == 100
            && map->count(BlockState::Differs) == 2 && linkState(m_shanghai, CustomersLink) == QLatin1String("streaming");
    };
    QTRY_VERIFY_WITH_TIMEOUT(checked(), LongWait);
    QCOMPARE(map->block(5).state, BlockState::Differs);
    QCOMPARE(map->block(99).state, BlockState::Differs);
    QCOMPARE(map->count(BlockState::Repaired), 0);
    QCOMPARE(virginiaState(), before);

    // A click on block 5 lists its rows, read off the GUI thread.
    QPoint at(-1, -1);
    for (int y = 0; y < map->height() && at.x() < 0; ++y) {
        for (int x = 0; x < map->width(); ++x) {
            if (map->blockAt(QPoint(x, y)) == 5) {
                at = QPoint(x + 1, y + 1);
                break;
            }
        }
    }
    QVERIFY(at.x() >= 0 && map->blockAt(at) == 5);
    QTest::mouseClick(map, Qt::LeftButton, Qt::NoModifier, at);
    auto *rows = m_window->findChild<BlockRowsWidget *>();
    QTRY_COMPARE_WITH_TIMEOUT(rows->rowCount(), 2, Wait);
    QCOMPARE(rows->block(), 5);
    QCOMPARE(rows->cellText(0, 0), QStringLiteral("other values"));
    QCOMPARE(rows->cellText(0, 1), QStringLiteral("id = 5005"));
    QVERIFY2(rows->cellText(0, 3).contains(QLatin1String("'tampered'")), qPrintable(rows->cellText(0, 3)));
    QVERIFY2(!rows->cellText(0, 2).contains(QLatin1String("tampered")), qPrintable(rows->cellText(0, 2)));
    QCOMPARE(rows->cellText(1, 0), QStringLiteral("missing on the target"));
    QCOMPARE(rows->cellText(1, 1), QStringLiteral("id = 5006"));
    QVERIFY2(rows->title().contains(QLatin1String("1 missing on the target, 0 extra on the target, 1 with other values")), qPrintable(rows->title()));
    QCOMPARE(virginiaState(), before);

    // Repair from there: the two blocks are repaired and the tables are identical.
    auto *repair = rows->findChild<QPushButton *>(QStringLiteral("repairFromBlock"));
    QVERIFY(repair && repair->isEnabled());
    QTest::mouseClick(repair, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(map->blockCount() == 100 && map->count(BlockState::Repaired) == 2
                                 && map->count(BlockState::Equal) == 98 && linkState(m_shanghai, CustomersLink) == QLatin1String("streaming"),
                             LongWait);
    QCOMPARE(map->block(5).state, BlockState::Repaired);
    QCOMPARE(map->block(99).state, BlockState::Repaired);
    QString why;
    QVERIFY2(sameRows(dbPath(QStringLiteral("shanghai")), dbPath(QStringLiteral("virginia")), QStringLiteral("customers"), &why), qPrintable(why));
}

// --- 3 -----------------------------------------------------------------------------------

void TestConsole::chartsAndEventLogAreFed()
{
    // The demo link, selected with a click: its charts fill as the figures come.
    QVERIFY(clickLink(m_shanghai, OrdersLink));
    LinkChartsWidget *chart = charts();
    const int before = chart->pointCount();
    QTRY_VERIFY_WITH_TIMEOUT(chart->pointCount() >= before + 8, Wait);
    // The workload's changes show as rows/s.
    const auto someRowsPerSecond = [&] {
        const QCPGraph *rows = chart->throughputPlot()->graph(0);
        for (auto it = rows->data()->constBegin(); it != rows->data()->constEnd(); ++it) {
            if (it->value > 0)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(someRowsPerSecond(), Wait);

    // The event log: the nodes' events, the new link's creation among them.
    EventLogDock *dock = eventLog();
    QVERIFY(dock->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(dock->visibleRowCount() > 0, Wait);
    auto rowsOf = [&](const QString &linkId) {
        QStringList messages;
        for (int row = 0; row < dock->filter()->rowCount(); ++row) {
            if (dock->filter()->index(row, EventLogModel::LinkColumn).data().toString() == linkId)
                messages << dock->filter()->index(row, EventLogModel::MessageColumn).data().toString();
        }
        return messages;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowsOf(CustomersLink).size() >= 2, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(!rowsOf(OrdersLink).isEmpty(), Wait);
    // English on purpose: the creation and the initial sync's outcome (6 blocks differed).
    const QStringList customers = rowsOf(CustomersLink);
    QVERIFY2(customers.filter(QStringLiteral("link created")).size() == 1, qPrintable(customers.join(QLatin1Char('\n'))));
    QVERIFY2(!customers.filter(QStringLiteral("initial sync done: 100 blocks, 6 differed, 6 repaired")).isEmpty(), qPrintable(customers.join(QLatin1Char('\n'))));
    // Filtering by the link's name keeps only its rows.
    auto *text = dock->findChild<QLineEdit *>(QStringLiteral("filterText"));
    QVERIFY(text);
    QTest::keyClicks(text, CustomersLink);
    QVERIFY(dock->visibleRowCount() >= 2);
    for (int row = 0; row < dock->filter()->rowCount(); ++row) {
        bool mentions = false;
        for (int column = 0; column < EventLogModel::ColumnCount; ++column)
            mentions = mentions || dock->filter()->index(row, column).data().toString().contains(CustomersLink, Qt::CaseInsensitive);
        QVERIFY(mentions);
    }
    text->clear();
}

// --- 3b ----------------------------------------------------------------------------------

void TestConsole::linkListMatchesTheNodes()
{
    auto *list = m_window->findChild<LinkListWidget *>();
    QVERIFY(list);
    QVERIFY(list->isVisible());
    LinkListModel *model = list->model();
    // Every link each node reports (as `ferryctl link list` reads them: LinkList), one row
    // each, under the node that runs it, naming its tables and data centers.
    QHash<QString, QCborMap> reported;   // "address/id" -> {link, stats}
    for (const QString &address : {m_shanghai, m_frankfurt, m_virginia}) {
        QFuture<QCborMap> reply = m_session->request(address, protocol::Type::LinkList, {});
        QTRY_VERIFY_WITH_TIMEOUT(reply.isFinished(), Wait);
        for (const QCborValue &value : reply.result().value(QStringLiteral("links")).toArray())
            reported.insert(LinkListModel::keyOf(address, value.toMap().value(QStringLiteral("link")).toMap().value(QStringLiteral("id")).toString()), value.toMap());
    }
    QCOMPARE(reported.size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), int(reported.size()), Wait);
    for (auto it = reported.begin(); it != reported.end(); ++it) {
        const LinkDefinition def = LinkDefinition::fromCbor(it->value(QStringLiteral("link")).toMap());
        const QString address = it.key().section(QLatin1Char('/'), 0, 0);
        const int row = model->rowOf(address, def.id);
        QVERIFY2(row >= 0, qPrintable(it.key()));
        QCOMPARE(model->index(row, LinkListModel::Link).data().toString(), def.id);
        QCOMPARE(model->index(row, LinkListModel::Source).data().toString(), def.sourceNode);
        QCOMPARE(model->index(row, LinkListModel::Target).data().toString(), def.targetNode);
        QCOMPARE(model->index(row, LinkListModel::Table).data().toString(), def.sourceTable);
    }
    // The figures are the node's: with the workload stopped they settle, and the list shows
    // what the node reports then (state, pending, errors, last error).
    auto *rate = m_window->findChild<QToolBar *>(QStringLiteral("demoToolBar"))->findChild<QSpinBox *>();
    rate->setValue(0);
    const auto matches = [&](QString *why) {
        for (const QString &address : {m_shanghai}) {
            QFuture<QCborMap> reply = m_session->request(address, protocol::Type::LinkList, {});
            QElapsedTimer asked;
            asked.start();
            while (!reply.isFinished() && asked.elapsed() < Wait)
                QTest::qWait(10);
            if (!reply.isFinished()) {
                *why = QStringLiteral("no answer from %1").arg(address);
                return false;
            }
            for (const QCborValue &value : reply.result().value(QStringLiteral("links")).toArray()) {
                const LinkStats stats = LinkStats::fromCbor(value.toMap().value(QStringLiteral("stats")).toMap());
                const QString id = value.toMap().value(QStringLiteral("link")).toMap().value(QStringLiteral("id")).toString();
                const int row = model->rowOf(address, id);
                const QStringList shown{model->index(row, LinkListModel::State).data().toString(), model->index(row, LinkListModel::Pending).data().toString(),
                                        model->index(row, LinkListModel::Errors).data().toString(), model->index(row, LinkListModel::LastError).data().toString()};
                const QStringList node{LinkItem::stateLabel(stats.state), QString::number(stats.pending), QString::number(stats.errors), stats.lastError};
                if (shown != node) {
                    *why = QStringLiteral("%1: list %2, node %3").arg(id, shown.join(QLatin1Char('|')), node.join(QLatin1Char('|')));
                    return false;
                }
            }
        }
        return true;
    };
    QString why;
    QTRY_VERIFY2_WITH_TIMEOUT(matches(&why), qPrintable(why), Wait);
    rate->setValue(20);

    // The selection in the list drives the block map and the charts: chosen with the keyboard.
    QTableView *table = list->view();
    table->setFocus();
    const int orders = list->proxy()->mapFromSource(model->index(model->rowOf(m_shanghai, OrdersLink), 0)).row();
    const int customers = list->proxy()->mapFromSource(model->index(model->rowOf(m_shanghai, CustomersLink), 0)).row();
    const QString firstKey = LinkListModel::keyOf(m_shanghai, orders < customers ? OrdersLink : CustomersLink);
    // Both links have a history in the charts, whichever was shown.
    QTRY_VERIFY_WITH_TIMEOUT(charts()->pointCount(LinkListModel::keyOf(m_shanghai, OrdersLink)) >= 3
                                 && charts()->pointCount(LinkListModel::keyOf(m_shanghai, CustomersLink)) >= 3, Wait);
    list->selectLink(m_shanghai, orders < customers ? OrdersLink : CustomersLink);
    const int firstPoints = charts()->pointCount(firstKey);
    QTest::keyClick(table, Qt::Key_Down);
    QVERIFY(link(m_shanghai, orders < customers ? CustomersLink : OrdersLink)->isSelected());
    QCOMPARE(charts()->shownLink(), LinkListModel::keyOf(m_shanghai, orders < customers ? CustomersLink : OrdersLink));
    QTest::keyClick(table, Qt::Key_Up);
    QVERIFY(link(m_shanghai, orders < customers ? OrdersLink : CustomersLink)->isSelected());
    // The charts kept the history of the link that was not shown.
    QCOMPARE(charts()->shownLink(), firstKey);
    QVERIFY2(charts()->pointCount() >= firstPoints, qPrintable(QStringLiteral("%1 < %2").arg(charts()->pointCount()).arg(firstPoints)));
    QVERIFY(clickLink(m_shanghai, OrdersLink));
    QCOMPARE(table->selectionModel()->currentIndex().data(LinkListModel::LinkIdRole).toString(), OrdersLink);
}

// --- 4 -----------------------------------------------------------------------------------

void TestConsole::failoverReversesTheLinkAndTheRoles()
{
    TopologyView *view = topology();
    DataCenterItem *shanghai = view->dataCenterItem(m_shanghai);
    DataCenterItem *frankfurt = view->dataCenterItem(m_frankfurt);
    DataCenterItem *virginia = view->dataCenterItem(m_virginia);
    // The roles before: Shanghai is the primary of both tables.
    QTRY_VERIFY_WITH_TIMEOUT(shanghai->node().primaryTables == 2 && shanghai->node().replicaTables == 0, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(frankfurt->node().primaryTables == 0 && frankfurt->node().replicaTables == 1, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(virginia->node().primaryTables == 0 && virginia->node().replicaTables == 1, Wait);

    QVERIFY(clickLink(m_shanghai, OrdersLink));
    QAction *failover = actionWithShortcut(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_F));
    QVERIFY(failover && failover->isEnabled());
    QWidget *button = toolButtonOf(m_window.get(), failover);
    QVERIFY(button && button->isVisible());

    struct
    {
        bool seen = false;
        bool forced = true;
        bool failback = true;
        QString linkId;
        QString promoted;
        QString askedOf;
        QString plan;
        QString planLabel;
        QString direction;
        QString recovery;
        bool recoveryLabel = false;
        QString recoveryLabelText;
        bool okEnabled = false;
        QString blocking;
        int refreshes = 0;
    } saw;
    std::unique_ptr<QTimer> driver(whenModal<FailoverDialog>([&](FailoverDialog *dialog) {
        saw.seen = true;
        saw.forced = dialog->isForced();
        saw.failback = dialog->isFailback();
        saw.linkId = dialog->linkId();
        saw.promoted = dialog->promotedNode();
        saw.askedOf = dialog->nodeAddress();
        if (auto *direction = dialog->findChild<QLabel *>(QStringLiteral("direction")); direction && direction->isVisible())
            saw.direction = direction->text();
        saw.recovery = dialog->recoveryText();
        if (auto *recovery = dialog->findChild<QLabel *>(QStringLiteral("recovery")); recovery && recovery->isVisible()) {
            saw.recoveryLabel = true;
            saw.recoveryLabelText = recovery->text();
        }
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        // The operator reads the plan for ten seconds while the session refreshes the
        // link list (replaced four times a second): the confirmation must still act on
        // the link the dialog was opened for (the console once read the replaced list).
        const QMetaObject::Connection counting = connect(m_session.get(), &ConsoleSession::linksChanged, this, [&] { ++saw.refreshes; });
        QTest::qWait(10000);
        disconnect(counting);
        // What the operator sees then: the plan asked of the primary has arrived (the OK
        // button waits for it), whenever the dialog's first look was taken.
        saw.plan = dialog->planText();
        if (auto *plan = dialog->findChild<QLabel *>(QStringLiteral("plan")); plan && plan->isVisible())
            saw.planLabel = plainText(plan->text());
        saw.okEnabled = ok->isEnabled();
        saw.blocking = dialog->blockingReason();
        // Only the failover the test expects is confirmed.
        if (saw.okEnabled && !saw.forced && saw.linkId == OrdersLink)
            QTest::mouseClick(ok, Qt::LeftButton);
        else
            dialog->reject();
    }));
    QTest::mouseClick(button, Qt::LeftButton);   // runs the dialog
    driver.reset();
    QVERIFY2(saw.seen, "\"Fail over...\" did not open the failover dialog");
    QVERIFY2(saw.refreshes >= 10, qPrintable(QString::number(saw.refreshes)));
    QVERIFY2(saw.okEnabled, qPrintable(QStringLiteral("the dialog's OK button stayed disabled: ") + saw.blocking));
    // What was asked, as the node answered it: this link, Frankfurt promoted.
    QTRY_VERIFY_WITH_TIMEOUT(m_window->statusBar()->currentMessage().contains(QStringLiteral("Link %1: frankfurt is primary").arg(OrdersLink)), Wait);
    // The plan: graceful, asked of the primary, this link, Frankfurt promoted.
    QVERIFY(!saw.forced);
    QVERIFY(!saw.failback);
    QCOMPARE(saw.linkId, OrdersLink);
    QCOMPARE(saw.promoted, QStringLiteral("frankfurt"));
    QCOMPARE(saw.askedOf, m_shanghai);
    // English on purpose: the steps an operator reads before confirming.
    QVERIFY2(saw.plan.startsWith(QStringLiteral("Graceful failover")), qPrintable(saw.plan));
    QVERIFY2(saw.plan.contains(QStringLiteral("Fence shanghai")), qPrintable(saw.plan));
    QVERIFY2(saw.plan.contains(QStringLiteral("Promote frankfurt")), qPrintable(saw.plan));
    QVERIFY2(saw.plan.contains(QStringLiteral("epoch 1 (now 0)")), qPrintable(saw.plan));
    QVERIFY2(saw.plan.contains(QStringLiteral("Reverse link %1 so that shanghai becomes its replica").arg(OrdersLink)), qPrintable(saw.plan));
    QVERIFY2(saw.planLabel.contains(QStringLiteral("Reverse link %1").arg(OrdersLink)), qPrintable(saw.planLabel));
    QVERIFY2(saw.planLabel.contains(QStringLiteral("No acknowledged write is lost")), qPrintable(saw.planLabel));
    QVERIFY2(saw.direction.contains(QStringLiteral("Afterwards: frankfurt (primary) → shanghai (replica)")), qPrintable(saw.direction));
    // The recovery point: for a graceful failover nothing is at risk, because the pending
    // changes (as the primary last reported them) drain before the promotion.
    static const QRegularExpression drain(QStringLiteral("Drain \\d+ pending changes to frankfurt"));
    QVERIFY2(drain.match(saw.plan).hasMatch(), qPrintable(saw.plan));
    QVERIFY(saw.recoveryLabel);
    QCOMPARE(saw.recoveryLabelText, saw.recovery);
    QVERIFY2(saw.recovery.contains(QStringLiteral("no change is at risk")), qPrintable(saw.recovery));

    // The arrow now runs from Frankfurt to Shanghai; the old one is gone.
    QTRY_VERIFY_WITH_TIMEOUT(link(m_frankfurt, OrdersLink) && !link(m_shanghai, OrdersLink), Wait);
    LinkItem *reversed = link(m_frankfurt, OrdersLink);
    QCOMPARE(reversed->sourceItem(), frankfurt);
    QCOMPARE(reversed->targetItem(), shanghai);
    QCOMPARE(reversed->link().link.epoch, qint64(1));
    QCOMPARE(reversed->link().link.sourceNode, QStringLiteral("frankfurt"));
    QTRY_COMPARE_WITH_TIMEOUT(linkState(m_frankfurt, OrdersLink), QStringLiteral("streaming"), Wait);
    // The roles on the cards: Frankfurt is the primary of orders, Shanghai its replica (and
    // still the primary of customers).
    QTRY_VERIFY_WITH_TIMEOUT(frankfurt->node().primaryTables == 1 && frankfurt->node().replicaTables == 0, Wait);
    QTRY_VERIFY_WITH_TIMEOUT(shanghai->node().primaryTables == 1 && shanghai->node().replicaTables == 1, Wait);
    QCOMPARE(virginia->node().replicaTables, 1);
    QTRY_COMPARE_WITH_TIMEOUT(frankfurt->roleSummary(), QStringLiteral("primary of orders"), Wait);
    QTRY_COMPARE_WITH_TIMEOUT(shanghai->roleSummary(), QStringLiteral("primary of customers / replica of orders"), Wait);
    QTRY_COMPARE_WITH_TIMEOUT(virginia->roleSummary(), QStringLiteral("replica of customers"), Wait);

    // What that means for applications: Shanghai's orders refuse writes (naming the new
    // primary), Frankfurt's are written and replicated to Shanghai.
    {
        SqlFile sha(dbPath(QStringLiteral("shanghai")));
        QVERIFY(!sha.exec(QStringLiteral("UPDATE orders SET status = 'refused' WHERE id = 1")));
        QVERIFY2(sha.error().contains(QStringLiteral("frankfurt")), qPrintable(sha.error()));
    }
    const qint64 id = scalarOf(dbPath(QStringLiteral("frankfurt")), QStringLiteral("SELECT max(id) FROM orders")) + 1000;
    {
        SqlFile fra(dbPath(QStringLiteral("frankfurt")));
        QVERIFY2(fra.exec(QStringLiteral("INSERT INTO orders VALUES (%1, 1, 'tea', 1, 1.5, 'new', '2026-11-30 12:00:00')").arg(id)), qPrintable(fra.error()));
    }
    QTRY_COMPARE_WITH_TIMEOUT(scalarOf(dbPath(QStringLiteral("shanghai")), QStringLiteral("SELECT count(*) FROM orders WHERE id = %1").arg(id)), qint64(1), Wait);
    qInfo("failover done after %.1f s", m_clock.elapsed() / 1000.0);
}

// --- 5 -----------------------------------------------------------------------------------

void TestConsole::collectAction(QAction *action, const QString &where, QList<Shown> *out) const
{
    if (action->isSeparator() || !action->isVisible())
        return;
    const QString at = where + QStringLiteral(" > ") + plainText(action->text());
    for (const QString &text : {action->text(), action->toolTip(), action->statusTip(), action->whatsThis(), action->iconText()})
        out->append({at, text});
    if (QMenu *menu = action->menu()) {
        out->append({at, menu->title()});
        for (QAction *child : menu->actions())
            collectAction(child, at, out);
    }
}

void TestConsole::collectWidget(QWidget *widget, QList<Shown> *out) const
{
    const QString at = QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName());
    const qsizetype first = out->size();
    for (const QString &text : {widget->toolTip(), widget->statusTip(), widget->whatsThis(), widget->accessibleName(), widget->accessibleDescription()})
        out->append({at, text});
    if (widget->isWindow() || qobject_cast<QDockWidget *>(widget) || qobject_cast<QToolBar *>(widget))
        out->append({at + QStringLiteral(" title"), widget->windowTitle()});
    if (auto *label = qobject_cast<QLabel *>(widget))
        out->append({at, label->text()});
    if (auto *button = qobject_cast<QAbstractButton *>(widget))
        out->append({at, button->text()});
    if (auto *group = qobject_cast<QGroupBox *>(widget))
        out->append({at, group->title()});
    if (auto *combo = qobject_cast<QComboBox *>(widget)) {
        for (int i = 0; i < combo->count(); ++i)
            out->append({at + QStringLiteral(" item"), combo->itemText(i)});
        if (combo->lineEdit())
            out->append({at + QStringLiteral(" placeholder"), combo->lineEdit()->placeholderText()});
    }
    if (auto *edit = qobject_cast<QLineEdit *>(widget))
        out->append({at + QStringLiteral(" placeholder"), edit->placeholderText()});
    if (auto *spin = qobject_cast<QSpinBox *>(widget)) {
        out->append({at + QStringLiteral(" suffix"), spin->suffix()});
        out->append({at + QStringLiteral(" prefix"), spin->prefix()});
        out->append({at + QStringLiteral(" special"), spin->specialValueText()});
    }
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(widget)) {
        out->append({at + QStringLiteral(" suffix"), spin->suffix()});
        out->append({at + QStringLiteral(" prefix"), spin->prefix()});
        out->append({at + QStringLiteral(" special"), spin->specialValueText()});
    }
    if (auto *tabs = qobject_cast<QTabBar *>(widget)) {
        for (int i = 0; i < tabs->count(); ++i) {
            out->append({at + QStringLiteral(" tab"), tabs->tabText(i)});
            out->append({at + QStringLiteral(" tab tooltip"), tabs->tabToolTip(i)});
        }
    }
    if (auto *header = qobject_cast<QHeaderView *>(widget); header && header->model()) {
        const int count = header->orientation() == Qt::Horizontal ? header->model()->columnCount() : header->model()->rowCount();
        for (int i = 0; i < count; ++i) {
            if (!header->isSectionHidden(i))
                out->append({at + QStringLiteral(" section"), header->model()->headerData(i, header->orientation()).toString()});
        }
    }
    if (auto *table = qobject_cast<QTableView *>(widget); table && table->model()) {
        // The rows shown (the event log's severities and messages; the other columns are
        // times, data center and link names).
        for (int row = 0; row < std::min(table->model()->rowCount(), 50); ++row) {
            for (int column = 0; column < table->model()->columnCount(); ++column) {
                if (table->isColumnHidden(column))
                    continue;
                const QVariant value = table->model()->index(row, column).data();
                if (value.typeId() == QMetaType::QString)
                    out->append({at + QStringLiteral(" cell"), value.toString()});
            }
        }
    }
    if (auto *plot = qobject_cast<QCustomPlot *>(widget)) {
        for (QCPAxis *axis : plot->axisRect()->axes()) {
            if (axis->visible())
                out->append({at + QStringLiteral(" axis"), axis->label()});
        }
        for (int i = 0; i < plot->graphCount(); ++i)
            out->append({at + QStringLiteral(" legend"), plot->graph(i)->name()});
    }
    if (auto *bar = qobject_cast<QStatusBar *>(widget))
        out->append({at + QStringLiteral(" message"), bar->currentMessage()});
    if (auto *map = qobject_cast<BlockMapWidget *>(widget)) {
        for (int s = 0; s < BlockStateCount; ++s)
            out->append({at + QStringLiteral(" legend"), BlockMapWidget::stateLabel(BlockState(s))});
        // A block's tooltip.
        if (map->blockCount() > 0) {
            const QRect area = map->mapRect();
            const QPoint cell = area.topLeft() + QPoint(2, 2);
            QHelpEvent help(QEvent::ToolTip, cell, map->mapToGlobal(cell));
            QApplication::sendEvent(map, &help);
            out->append({at + QStringLiteral(" block tooltip"), QToolTip::text()});
            QToolTip::hideText();
        }
    }
    for (QAction *action : widget->actions()) {
        if (!qobject_cast<QMenu *>(widget) && !qobject_cast<QMenuBar *>(widget))
            collectAction(action, at, out);
    }
    if (widget->objectName().startsWith(QLatin1String("qt_")) || isDefaultStandardButton(widget)) {
        for (qsizetype i = first; i < out->size(); ++i)
            (*out)[i].qtOwn = true;
    }
}

void TestConsole::collectTopology(TopologyView *view, QList<Shown> *out) const
{
    for (DataCenterItem *card : view->dataCenterItems()) {
        const QString at = QStringLiteral("card %1").arg(card->node().name);
        for (const QString &text : {card->title(), card->roleSummary(), card->heartbeatText(), card->toolTip()})
            out->append({at, text});
        // Its context menu.
        const QPoint point = cardBodyPoint(view, card);
        if (point.x() >= 0) {
            std::unique_ptr<QMenu> menu(view->createContextMenu(point));
            if (menu) {
                for (QAction *action : menu->actions())
                    collectAction(action, at + QStringLiteral(" menu"), out);
            }
        }
    }
    for (LinkItem *link : view->linkItems()) {
        const QString at = QStringLiteral("link %1").arg(link->link().link.id);
        for (const QString &text : {link->title(), link->label(), link->toolTip()})
            out->append({at, text});
        const QPoint point = linkPoint(view, link);
        if (point.x() >= 0) {
            std::unique_ptr<QMenu> menu(view->createContextMenu(point));
            if (menu) {
                for (QAction *action : menu->actions())
                    collectAction(action, at + QStringLiteral(" menu"), out);
            }
        }
    }
}

QString TestConsole::withoutNames(QString text) const
{
    // What needs no translation: the deployment's own names (data centers, their regions
    // from the node configs, links, databases, tables), addresses, and the product's name.
    // Time zone abbreviations (the event log's times carry them) are names too.
    QStringList names{QStringLiteral("Ferry"), OrdersLink, CustomersLink, QStringLiteral("main"), QStringLiteral("orders"), QStringLiteral("customers"),
                      QStringLiteral("inventory"), QDateTime::currentDateTime().timeZoneAbbreviation()};
    for (const DemoDeployment::Site &site : m_demo->sites())
        names << site.region << site.name;
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    static const QRegularExpression address(QStringLiteral("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?\\b"));
    text.remove(address);
    for (const QString &name : std::as_const(names))
        text.remove(name, Qt::CaseInsensitive);
    return text;
}

QStringList TestConsole::untranslated(const QList<Shown> &shown, bool qtOwn) const
{
    // A string is translated when it has a CJK character, or when nothing Latin is left
    // once names and addresses are taken out (numbers, units of punctuation, times).
    static const QRegularExpression latin(QStringLiteral("[A-Za-z]"));
    QStringList found;
    QSet<QString> seen;
    for (const Shown &item : shown) {
        if (item.qtOwn != qtOwn)
            continue;
        const QString text = plainText(item.text);
        if (text.isEmpty() || hasCjk(text))
            continue;
        if (!withoutNames(text).contains(latin))
            continue;
        const QString line = QStringLiteral("%1: \"%2\"").arg(item.where, text);
        if (!seen.contains(line)) {
            seen.insert(line);
            found << line;
        }
    }
    return found;
}

QStringList TestConsole::rawIdentifiers(const QList<Shown> &shown) const
{
    // English words left in a translated line once names are taken out: lower-case words
    // of three letters or more. Not counted: capitalized words and acronyms (Shift, SQL,
    // CSV, MD5, SHA-256, MB), words with digits (digests, p50, ISO times), "inf" of an
    // unbounded key range ("[-inf, 201)"), and the SQL example of the row filter's
    // placeholder ("region = 'eu'").
    static const QRegularExpression word(QStringLiteral("(?<![\\w-])[a-z][a-z-]{2,}(?![\\w-])"));
    static const QStringList allowed{QStringLiteral("inf"), QStringLiteral("region")};
    QStringList found;
    QSet<QString> seen;
    for (const Shown &item : shown) {
        if (item.qtOwn)
            continue;
        for (const QString &line : plainText(item.text).split(QLatin1Char('\n'))) {
            if (!hasCjk(line))
                continue;
            const QString rest = withoutNames(line);
            for (auto it = word.globalMatch(rest); it.hasNext();) {
                const QString w = it.next().captured(0);
                const QString entry = QStringLiteral("%1: \"%2\" in \"%3\"").arg(item.where, w, line);
                if (!allowed.contains(w) && !seen.contains(entry)) {
                    seen.insert(entry);
                    found << entry;
                }
            }
        }
    }
    return found;
}

// File > Add data center with real connections: an address where nothing listens, and a
// TLS server whose certificate another CA signed (a node of another deployment). Each is
// refused in the dialog with the reason, and the topology stays as it was.
void TestConsole::addDataCenterRefusesUnreachableAndForeignNodes()
{
    QAction *add = actionWithShortcut(m_window.get(), QKeySequence(Qt::CTRL | Qt::Key_D));
    QVERIFY(add);
    const auto addressesShown = [this] {
        QStringList addresses;
        for (const NodeView &node : m_session->nodes())
            addresses << node.address;
        addresses.sort();
        return addresses;
    };
    const QStringList before = addressesShown();
    QCOMPARE(before.size(), 3);

    // Tries address in the dialog the action opens; returns what the dialog said.
    const auto tryAddress = [&](const QString &address) {
        QString said;
        bool stillOpen = false;
        QTimer *driver = whenModal<AddDataCenterDialog>([&](AddDataCenterDialog *dialog) {
            dialog->setAddress(address);
            dialog->accept();
            QTRY_VERIFY_WITH_TIMEOUT(!dialog->isProbing(), Wait);
            said = dialog->statusText();
            stillOpen = dialog->isVisible();
            dialog->reject();
        });
        add->trigger();
        delete driver;
        return std::make_pair(said, stillOpen);
    };

    // Nothing listens: a port that was free a moment ago.
    quint16 freePort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        freePort = probe.serverPort();
    }
    const auto [refused, refusedOpen] = tryAddress(QStringLiteral("127.0.0.1:%1").arg(freePort));
    QVERIFY2(refused.contains(QStringLiteral("cannot be added")), qPrintable(refused));
    QVERIFY2(refused.contains(QStringLiteral("127.0.0.1:%1").arg(freePort)), qPrintable(refused));
    QVERIFY(refusedOpen);
    qInfo("nothing listening: %s", qPrintable(refused));

    // A node of another deployment: its certificate chains to a CA this console does not trust.
    QTemporaryDir other;
    QVERIFY(other.isValid());
    const CertificateFiles otherCa = createDeploymentCa(other.path());
    const CertificateFiles stranger = issueCertificate(other.path(), QStringLiteral("stranger"));
    QSslServer server;
    server.setSslConfiguration(mutualTlsConfiguration(otherCa.certificateFile, stranger.certificateFile, stranger.keyFile));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const auto [foreign, foreignOpen] = tryAddress(QStringLiteral("127.0.0.1:%1").arg(server.serverPort()));
    QVERIFY2(foreign.contains(QStringLiteral("cannot be added")), qPrintable(foreign));
    QVERIFY2(foreign.contains(QStringLiteral("TLS")), qPrintable(foreign));
    QVERIFY(foreignOpen);
    qInfo("another CA: %s", qPrintable(foreign));

    // Nothing changed: the same three data centers, still connected, a while later.
    QTest::qWait(1500);
    QCOMPARE(addressesShown(), before);
    for (const NodeView &node : m_session->nodes())
        QVERIFY2(node.connected, qPrintable(node.address));
    QCOMPARE(topology()->dataCenterItems().size(), 3);
}

void TestConsole::chineseInterfaceHasNoEnglishLeft()
{
    // As app/ferry/main.cpp does with the language "zh_CN" chosen in the settings: the
    // console's catalog and Qt's own.
    QObject owner;
    const QList<QTranslator *> translators = installTranslations(QLocale(QStringLiteral("zh_CN")), &owner);
    QCOMPARE(translators.size(), 2);
    auto removeTranslator = qScopeGuard([&] {
        for (QTranslator *translator : translators)
            QCoreApplication::removeTranslator(translator);
    });
    // The nodes (in this process) word their events in Chinese from now on; events already
    // on their way are delivered before the new window attaches.
    QTest::qWait(600);

    auto window = std::make_unique<MainWindow>();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->attach(m_session.get(), m_demo.get());
    auto *view = window->findChild<TopologyView *>();
    QTRY_VERIFY_WITH_TIMEOUT(view->dataCenterItems().size() == 3 && view->linkItems().size() == 2, Wait);
    // A link selected (the first, automatically), its blocks shown after "Verify now",
    // events coming in.
    auto *map = window->findChild<BlockMapWidget *>();
    QAction *verify = actionWithShortcut(window.get(), QKeySequence(Qt::Key_F5));
    QVERIFY(verify);
    QTRY_VERIFY_WITH_TIMEOUT(verify->isEnabled(), Wait);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    QTest::keyClick(window.get(), Qt::Key_F5);
    QTRY_VERIFY_WITH_TIMEOUT(map->blockCount() > 0 && map->count(BlockState::Pending) + map->count(BlockState::Hashing) == 0, Wait);
    auto *dock = window->findChild<EventLogDock *>();
    QTRY_VERIFY_WITH_TIMEOUT(dock->visibleRowCount() > 0, Wait);
    auto *chart = window->findChild<LinkChartsWidget *>();
    QTRY_VERIFY_WITH_TIMEOUT(chart->pointCount() > 2, Wait);

    QList<Shown> shown;
    shown.append({QStringLiteral("window title"), window->windowTitle()});
    // Every tab in turn, and whatever is visible with it.
    auto *tabs = window->findChild<QTabWidget *>();
    QVERIFY(tabs && tabs->count() >= 3);
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QApplication::processEvents();
        for (QWidget *widget : window->findChildren<QWidget *>()) {
            if (widget->isVisible() && !qobject_cast<QMenu *>(widget))
                collectWidget(widget, &shown);
        }
    }
    tabs->setCurrentIndex(0);
    // Menus (the menu bar's, recursively) and the toolbar and dock toggles.
    for (QAction *action : window->menuBar()->actions())
        collectAction(action, QStringLiteral("menu"), &shown);
    std::unique_ptr<QMenu> popup(window->createPopupMenu());
    QVERIFY(popup);
    for (QAction *action : popup->actions())
        collectAction(action, QStringLiteral("toolbar menu"), &shown);
    popup.reset();   // a child of the window
    // The topology: cards, arrows, their tooltips and context menus.
    collectTopology(view, &shown);
    // The link and failover dialogs, on the session's data.
    const QList<NodeView> nodes = m_session->nodes();
    const QList<LinkView> links = m_session->links();
    const auto node = [&](const QString &address) {
        for (const NodeView &n : nodes) {
            if (n.address == address)
                return n;
        }
        return NodeView();
    };
    {
        LinkDialog dialog(node(m_shanghai), nodes, m_virginia, window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.findChild<QGroupBox *>(QStringLiteral("autoFailover"))->setChecked(true);
        dialog.findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("a b"));   // an error shown
        for (QWidget *widget : dialog.findChildren<QWidget *>()) {
            if (widget->isVisible())
                collectWidget(widget, &shown);
        }
        shown.append({QStringLiteral("LinkDialog title"), dialog.windowTitle()});
    }
    for (const LinkView &link : links) {
        for (const bool primaryDown : {false, true}) {
            QList<NodeView> seen = nodes;
            if (primaryDown) {
                for (NodeView &n : seen) {
                    if (n.address == link.sourceAddress)
                        n.connected = false;
                }
            }
            FailoverDialog dialog(link, seen, FailoverDialog::Purpose::Auto, window.get());
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            for (QWidget *widget : dialog.findChildren<QWidget *>()) {
                if (widget->isVisible())
                    collectWidget(widget, &shown);
            }
            shown.append({QStringLiteral("FailoverDialog title"), dialog.windowTitle()});
            shown.append({QStringLiteral("FailoverDialog plan"), dialog.planText()});
            shown.append({QStringLiteral("FailoverDialog recovery"), dialog.recoveryText()});
        }
    }
    qInfo("%d strings checked", int(shown.size()));
    QVERIFY(shown.size() > 300);
    QVERIFY(hasCjk(window->windowTitle()));
    // The console's own strings: every one translated.
    const QStringList english = untranslated(shown, false);
    QVERIFY2(english.isEmpty(), qPrintable(QStringLiteral("%1 strings still in English:\n").arg(english.size()) + english.join(QLatin1Char('\n'))));
    // Qt's own strings (standard buttons such as Cancel, the dock's float and close
    // buttons) come from Qt's catalog (qtbase_zh_CN.qm).
    const QStringList qtEnglish = untranslated(shown, true);
    QVERIFY2(qtEnglish.isEmpty(), qPrintable(QStringLiteral("%1 of Qt's strings still in English:\n").arg(qtEnglish.size()) + qtEnglish.join(QLatin1Char('\n'))));
    // Translated templates must not carry the console's English identifiers either (a
    // link's mode, a peer's role).
    const QStringList raw = rawIdentifiers(shown);
    QVERIFY2(raw.isEmpty(), qPrintable(raw.join(QLatin1Char('\n'))));

    window->close();
    window.reset();
}

// --- 7 -----------------------------------------------------------------------------------

void TestConsole::removeConfirmationsCarryTheLinkIdentity()
{
    // After the failover: orders runs from Frankfurt, customers from Shanghai.
    QTRY_VERIFY_WITH_TIMEOUT(link(m_frankfurt, OrdersLink) && link(m_shanghai, CustomersLink), Wait);
    auto *list = m_window->findChild<LinkListWidget *>();
    QAction *remove = actionWithShortcut(m_window.get(), QKeySequence::Delete);
    QVERIFY(remove);

    // 1. The link goes while its confirmation is open (removed by someone else): the
    // console says so and asks nothing of any node.
    QVERIFY(clickLink(m_shanghai, CustomersLink));
    QTRY_VERIFY(remove->isEnabled());
    QString gone;
    bool confirmDefaultIsCancel = false;
    // The message that says the link is gone comes after the confirmation closed.
    QTimer goneDriver;
    goneDriver.setInterval(20);
    connect(&goneDriver, &QTimer::timeout, this, [&] {
        auto *message = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (message && message->objectName() == QLatin1String("linkGone")) {
            goneDriver.stop();
            gone = message->objectName() + QLatin1Char(':') + message->text();
            message->accept();
        }
    });
    QStringList trace;
    std::unique_ptr<QTimer> driver(whenModal<QMessageBox>([&](QMessageBox *box) {
        trace << QStringLiteral("dialog %1: %2").arg(box->objectName(), box->text());
        QCOMPARE(box->objectName(), QStringLiteral("confirmRemove"));
        confirmDefaultIsCancel = box->defaultButton() == box->button(QMessageBox::Cancel);
        QFuture<QCborMap> removed = m_session->removeLink(m_shanghai, CustomersLink);
        QTRY_VERIFY_WITH_TIMEOUT(removed.isFinished(), Wait);
        trace << QStringLiteral("removed");
        QTRY_VERIFY_WITH_TIMEOUT(list->model()->rowOf(m_shanghai, CustomersLink) < 0, Wait);
        trace << QStringLiteral("gone from the list");
        QTest::qWait(1000);   // more refreshes
        goneDriver.start();
        trace << QStringLiteral("confirming");
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    }));
    remove->trigger();
    driver.reset();
    QVERIFY2(confirmDefaultIsCancel, qPrintable(trace.join(QLatin1Char('\n'))));
    QVERIFY2(gone.startsWith(QStringLiteral("linkGone:")) && gone.contains(CustomersLink) && gone.contains(QStringLiteral("Nothing was done")),
             qPrintable(gone + QLatin1Char('\n') + trace.join(QLatin1Char('\n'))));
    // The other link was not touched.
    QVERIFY(link(m_frankfurt, OrdersLink));

    // 2. The confirmation held open for ten seconds while the session refreshes, then
    // accepted: the link it was opened for (selected in the link list) goes, no other.
    list->selectLink(QString(), QString());
    QTableView *table = list->view();
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Home);
    QTRY_COMPARE(table->selectionModel()->currentIndex().data(LinkListModel::LinkIdRole).toString(), OrdersLink);
    QTRY_VERIFY(remove->isEnabled());
    int refreshes = 0;
    bool confirmed = false;
    driver.reset(whenModal<QMessageBox>([&](QMessageBox *box) {
        QCOMPARE(box->objectName(), QStringLiteral("confirmRemove"));
        const QMetaObject::Connection counting = connect(m_session.get(), &ConsoleSession::linksChanged, this, [&] { ++refreshes; });
        QTest::qWait(10000);
        disconnect(counting);
        confirmed = true;
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    }));
    remove->trigger();
    driver.reset();
    QVERIFY(confirmed);
    QVERIFY2(refreshes >= 10, qPrintable(QString::number(refreshes)));
    QTRY_VERIFY_WITH_TIMEOUT(!link(m_frankfurt, OrdersLink), Wait);
    QFuture<QCborMap> reply = m_session->request(m_frankfurt, protocol::Type::LinkList, {});
    QTRY_VERIFY_WITH_TIMEOUT(reply.isFinished(), Wait);
    QCOMPARE(reply.result().value(QStringLiteral("links")).toArray().size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 0, Wait);
}

// The demo's 2,000,000-row table is written in a worker while the console runs: the GUI
// thread keeps answering (a 10 ms timer's longest gap), the progress reaches the status
// bar, and the table holds every row.
void TestConsole::demoLargeTableFillsWithoutFreezingTheGui()
{
    QMutex mutex;
    QList<qint64> reported;
    std::atomic<bool> finished{false};
    QString error;
    QElapsedTimer clock;
    clock.start();
    QPointer<MainWindow> window(m_window.get());
    std::thread filler([&] {
        try {
            m_demo->fillLargeTable([&](qint64 done, qint64 total) {
                {
                    QMutexLocker locker(&mutex);
                    reported.append(done);
                }
                QMetaObject::invokeMethod(window, [window, done, total] {
                    if (window)
                        window->showDemoProgress(done, total, QString());
                }, Qt::QueuedConnection);
                return true;
            });
        } catch (const FerryError &e) {
            QMutexLocker locker(&mutex);
            error = e.message();
        }
        finished = true;
    });
    QElapsedTimer gap;
    qint64 worst = 0;
    QTimer probe;
    probe.setInterval(10);
    connect(&probe, &QTimer::timeout, this, [&] { worst = std::max(worst, gap.restart()); });
    gap.start();
    probe.start();
    auto *bar = m_window->findChild<QProgressBar *>(QStringLiteral("demoProgress"));
    bool barSeen = false;
    QTRY_VERIFY_WITH_TIMEOUT((barSeen = barSeen || (m_window->findChild<QProgressBar *>(QStringLiteral("demoProgress"))
                                                    && m_window->findChild<QProgressBar *>(QStringLiteral("demoProgress"))->isVisible())),
                             Wait);
    QTRY_VERIFY_WITH_TIMEOUT(finished.load(), LongWait);
    filler.join();
    probe.stop();
    QApplication::processEvents();
    const double seconds = clock.elapsed() / 1000.0;
    qInfo("the 2,000,000-row table written in %.1f s; the GUI thread's longest gap %lld ms", seconds, worst);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(barSeen);
    bar = m_window->findChild<QProgressBar *>(QStringLiteral("demoProgress"));
    QVERIFY(bar && !bar->isVisible());   // done: hidden again
    QVERIFY2(worst < 1000, qPrintable(QStringLiteral("the GUI thread did not run for %1 ms").arg(worst)));
    {
        QMutexLocker locker(&mutex);
        QVERIFY(reported.size() >= 40);   // one per batch of 50,000
        QCOMPARE(reported.constLast(), DemoDeployment::LargeTableRows);
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));
    }
    SqlFile shanghai(dbPath(QStringLiteral("shanghai")));
    QCOMPARE(shanghai.scalar(QStringLiteral("SELECT count(*) FROM shipments")).toLongLong(), DemoDeployment::LargeTableRows);
    QCOMPARE(shanghai.scalar(QStringLiteral("SELECT max(id) FROM shipments")).toLongLong(), DemoDeployment::LargeTableRows);
    // A second call finds nothing to write.
    qint64 calls = 0;
    m_demo->fillLargeTable([&](qint64 done, qint64 total) {
        ++calls;
        return done <= total;
    });
    QCOMPARE(calls, qint64(1));
    // The console lists it on Shanghai's card.
    QTRY_VERIFY_WITH_TIMEOUT(topology()->dataCenterItem(m_shanghai)->node().tables.value(QStringLiteral("main")).contains(QStringLiteral("shipments")), Wait);
}

void TestConsole::cleanup()
{
    const QStringList messages = m_messages;
    m_messages.clear();
    QVERIFY2(messages.isEmpty(), qPrintable(messages.join(QLatin1Char('\n'))));
}

// --- 6 -----------------------------------------------------------------------------------

void TestConsole::cleanupTestCase()
{
    // As app/ferry/main.cpp ends: the window lets go of the session, the session (its
    // thread and connections) goes, then the workload and the nodes.
    if (m_window) {
        m_window->close();
        m_window->detach();
        m_window.reset();
    }
    m_session.reset();
    if (m_demo) {
        m_demo->stopWorkload();
        m_demo->stop();
        m_demo.reset();
    }
    QThreadPool::globalInstance()->waitForDone();
    // No thread of the console's, the nodes', their links or clients is left.
    QTRY_VERIFY_WITH_TIMEOUT(threadNames().filter(QRegularExpression(QStringLiteral("^ferry-"))).isEmpty(), 10000);
    const QStringList left = threadNames();
    QVERIFY2(left.size() <= m_threadsBefore + 2, qPrintable(QStringLiteral("%1 threads before, now: %2").arg(m_threadsBefore).arg(left.join(QStringLiteral(", ")))));
    qInfo("total %.1f s", m_clock.elapsed() / 1000.0);
}

} // namespace ferry

QTEST_MAIN(ferry::TestConsole)
#include "tst_console.moc"
