// The console's responsiveness, offscreen, in two parts (--parts blockmap,stall; both by
// default; about two minutes in all).
//
// blockmap: the block map at 100,000 blocks (DESIGN.md, Widgets: render into an image only
// when data or size change, blit it on every other repaint). Measures
//   - full render: a block changed, then a synchronous repaint (cells into the image, blit,
//     legend),
//   - cached repaint: a synchronous repaint with nothing changed (blit and legend only),
//   - hover repaint: the mouse moved to another cell, and the event loop repainted what
//     that invalidated (the old and new hover frames),
//   - applyProgress of a 1,000-block report (bookkeeping, no painting).
// Prints min / p50 / p99 / max in milliseconds; the target is a repaint of at most 5 ms.
//
// stall: the GUI event loop's stall while a link syncs at full speed and another runs
// verification (target: p99 at most 16 ms). The console as `ferry` runs its demo: a
// DemoDeployment in a temporary directory (three nodes in threads of this process, real
// TLS), a ConsoleSession in its thread, a MainWindow attached and shown, the demo's link
// orders-sha-fra made by the window. A helper thread posts an event to the GUI thread
// every --probe-ms; a sample is the time from its posting to its handling. Samples count
//   - idle: --idle-seconds with the nodes connected and the demo link streaming, no writes,
//     no sync, no verification;
//   - sync + verify: from a new link's first block report to the end of its initial sync
//     (Shanghai's customers, padded to --sync-rows rows, to a new table on Virginia: every
//     row copied by block repair), with that link selected in the window, the Blocks and
//     Charts tabs alternating every 2 s, the demo workload writing --rate rows/s to
//     Shanghai's orders, and orders-sha-fra running "verify now" again as soon as a round
//     ends. Syncs to new tables (each link removed after its sync) follow until
//     --load-seconds of samples are collected, at most 12.
// Prints p50 / p90 / p99 / max, the sync's rows/s, the verification rounds, the workload's
// applied changes, and the load average. To tell why the loop stalled, the application's
// notify() times every event the GUI thread handles (wall clock, the thread's CPU time and,
// from /proc/thread-self/schedstat, its time runnable but without a CPU): the slowest
// handlers, the paints per widget, and each sample over 16 ms charged to the handler that
// overlapped it most.
//
// Usage: ferry_bench_console [--parts blockmap,stall]
//          [--blocks N] [--repaints N] [--renders N] [--size WxH]          (blockmap)
//          [--sync-rows N] [--idle-seconds S] [--load-seconds S] [--rate N]
//          [--probe-ms N] [--workdir DIR]                                  (stall)
// (Qt options such as -platform are passed on; offscreen is the default; QT_SCALE_FACTOR=2
// measures a high-DPI screen.)

#include "benchsupport.h"
#include "blockmapwidget.h"
#include "console/consolesession.h"
#include "datacenteritem.h"
#include "demo/demodeployment.h"
#include "linkitem.h"
#include "mainwindow.h"
#include "topologyview.h"
#include "util/ferryerror.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QGraphicsScene>
#include <QMessageBox>
#include <QMetaEnum>
#include <QMouseEvent>
#include <QRandomGenerator>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <thread>
#include <vector>

namespace {

struct Stats
{
    double min = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
};

Stats summarize(std::vector<double> ms)
{
    Stats s;
    if (ms.empty())
        return s;
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size() - 1) + 0.5))]; };
    s.min = ms.front();
    s.p50 = at(0.50);
    s.p90 = at(0.90);
    s.p99 = at(0.99);
    s.max = ms.back();
    return s;
}

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

// CPU time of this thread: what the work cost, without the time other processes had the
// CPU (the wall-clock tail on a loaded machine is mostly that).
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double loadAverage()
{
    double load = -1;
    if (FILE *f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &load) != 1)
            load = -1;
        std::fclose(f);
    }
    return load;
}

ferry::BlockInfo blockIn(ferry::BlockState state)
{
    ferry::BlockInfo info;
    info.state = state;
    info.sourceRows = 1000;
    return info;
}

// ---------------------------------------------------------------------------------------
// The stall part's instruments.

// This thread's time waiting on a run queue (runnable, no CPU given), from the kernel's
// schedstat; -1 where the kernel does not keep it. The first call opens the file of the
// calling thread: call it from one thread only (the GUI thread).
double runQueueWaitMs()
{
    static int fd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buffer[128];
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    if (n <= 0)
        return -1;
    buffer[n] = 0;
    unsigned long long cpu = 0;
    unsigned long long wait = 0;
    if (std::sscanf(buffer, "%llu %llu", &cpu, &wait) != 2)
        return -1;
    return double(wait) / 1e6;
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Every event the GUI thread handles, timed at the outermost notify(): which receivers
// and event types hold the event loop, and for how long (wall and this thread's CPU).
// Paint events are also timed at any depth, per widget class (their time is inside the
// window's UpdateRequest).
class ProfilingApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct Entry
    {
        int count = 0;
        int over8 = 0;
        int over16 = 0;
        double totalMs = 0;
        double totalCpuMs = 0;
        double totalWaitMs = 0;   // on a run queue
        double maxMs = 0;
        double cpuAtMaxMs = 0;
    };
    using Profile = std::map<QString, Entry>;
    // An outermost handler of 2 ms or more, on the steadyNs() clock.
    struct Span
    {
        qint64 startNs = 0;
        qint64 endNs = 0;
        QString key;
        double cpuMs = 0;
        double waitMs = 0;
    };

    Profile *outer = nullptr;    // where to record; nullptr: not recording
    Profile *paints = nullptr;
    std::vector<Span> *spans = nullptr;
    const QObject *ignored = nullptr;   // the probe

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!outer || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        if (receiver == ignored) {
            // A probe handled inside a handler: that handler runs an event loop of its own
            // (a message box), whose time is no stall.
            if (m_depth > 0)
                m_nestedLoop = true;
            return QApplication::notify(receiver, event);
        }
        ++m_depth;
        const bool timed = m_depth == 1 || (event->type() == QEvent::Paint && paints);
        if (!timed) {
            const bool result = QApplication::notify(receiver, event);
            --m_depth;
            return result;
        }
        QString key = keyOf(receiver, event);
        const bool isOuter = m_depth == 1;
        if (isOuter)
            m_nestedLoop = false;
        const double cpu = threadCpuMs();
        const double wait = isOuter ? runQueueWaitMs() : 0;   // a read of /proc: outermost only
        const qint64 startNs = steadyNs();
        const bool result = QApplication::notify(receiver, event);
        const qint64 endNs = steadyNs();
        const double ms = double(endNs - startNs) / 1e6;
        const double cpuMs = threadCpuMs() - cpu;
        const double waitMs = isOuter ? runQueueWaitMs() - wait : 0;
        --m_depth;
        if (isOuter && m_nestedLoop)
            key += QStringLiteral(" (ran a nested event loop: a dialog)");
        Profile *profile = isOuter ? outer : paints;
        if (profile) {   // the recording may have stopped inside the handler
            Entry &e = (*profile)[key];
            ++e.count;
            e.over8 += ms > 8.0;
            e.over16 += ms > 16.0;
            e.totalMs += ms;
            e.totalCpuMs += cpuMs;
            e.totalWaitMs += waitMs;
            if (ms > e.maxMs) {
                e.maxMs = ms;
                e.cpuAtMaxMs = cpuMs;
            }
            if (isOuter && spans && ms >= 2.0)
                spans->push_back({startNs, endNs, key, cpuMs, waitMs});
        }
        return result;
    }

private:
    static QString keyOf(QObject *receiver, QEvent *event)
    {
        QString who = QString::fromLatin1(receiver->metaObject()->className());
        if (!receiver->objectName().isEmpty())
            who += QStringLiteral(" \"%1\"").arg(receiver->objectName());
        // A timer, a plain widget or a scroll area's viewport stands for what it belongs to.
        if (QObject *parent = receiver->parent();
            parent && (who == QLatin1String("QTimer") || who == QLatin1String("QWidget") || receiver->objectName() == QLatin1String("qt_scrollarea_viewport")))
            who += QStringLiteral(" of ") + QString::fromLatin1(parent->metaObject()->className());
        const char *type = QMetaEnum::fromType<QEvent::Type>().valueToKey(event->type());
        return who + QLatin1Char('|') + (type ? QString::fromLatin1(type) : QString::number(int(event->type())));
    }

    int m_depth = 0;
    bool m_nestedLoop = false;
};

const QEvent::Type ProbeEventType = QEvent::Type(QEvent::User + 77);

class ProbeEvent : public QEvent
{
public:
    explicit ProbeEvent(qint64 postedNs)
        : QEvent(ProbeEventType)
        , postedNs(postedNs)
    {
    }
    qint64 postedNs;
};

// The probe: a helper thread posts an event to this object (GUI thread) every interval;
// the handler gives the sink the time from posting to handling. An event the GUI thread
// could not handle at once waits in the same queue as the session's signals and the
// window system's input, for as long as a click would.
class StallProbe : public QObject
{
public:
    explicit StallProbe(int intervalMs)
        : m_intervalMs(intervalMs)
    {
    }
    ~StallProbe() override { stop(); }

    // (posted, handled) on the steadyNs() clock; nullptr: samples are dropped.
    std::function<void(qint64, qint64)> sink;

    void start()
    {
        m_stop = false;
        m_poster = std::thread([this] {
            const auto interval = std::chrono::microseconds(qint64(m_intervalMs) * 1000);
            auto next = std::chrono::steady_clock::now() + interval;
            while (!m_stop) {
                std::this_thread::sleep_until(next);
                QCoreApplication::postEvent(this, new ProbeEvent(steadyNs()));
                next += interval;
                const auto now = std::chrono::steady_clock::now();
                if (next < now)
                    next = now + interval;   // this thread was late itself: no burst
            }
        });
    }
    void stop()
    {
        m_stop = true;
        if (m_poster.joinable())
            m_poster.join();
    }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() != ProbeEventType)
            return QObject::event(event);
        const qint64 handled = steadyNs();
        if (sink)
            sink(static_cast<ProbeEvent *>(event)->postedNs, handled);
        return true;
    }

private:
    int m_intervalMs;
    std::thread m_poster;
    std::atomic<bool> m_stop{false};
};

// Runs the event loop for ms.
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs the event loop until done() or timeoutMs; false on timeout.
bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        spin(20);
    }
    return true;
}

// 12,345 (as the tables in docs/benchmarks.md write counts).
QString number(double value, int decimals = 0)
{
    return QLocale(QLocale::English).toString(value, 'f', decimals);
}

QString ms(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : 1);
}

// ---------------------------------------------------------------------------------------
// Part blockmap

bool runBlockMap(QApplication &app, const QStringList &arguments, QTextStream &out)
{
    int blocks = 100000;
    int repaints = 200;
    int renders = 50;
    QSize size(1200, 622);
    for (int i = 1; i + 1 < arguments.size(); ++i) {
        if (arguments.at(i) == QLatin1String("--blocks"))
            blocks = arguments.at(++i).toInt();
        else if (arguments.at(i) == QLatin1String("--repaints"))
            repaints = arguments.at(++i).toInt();
        else if (arguments.at(i) == QLatin1String("--renders"))
            renders = arguments.at(++i).toInt();
        else if (arguments.at(i) == QLatin1String("--size")) {
            const QStringList wh = arguments.at(++i).split(QLatin1Char('x'));
            if (wh.size() == 2)
                size = QSize(wh.at(0).toInt(), wh.at(1).toInt());
        }
    }

    ferry::BlockMapWidget map;
    map.resize(size);
    map.show();
    for (int i = 0; i < 50 && !map.isVisible(); ++i)
        app.processEvents();
    app.processEvents();

    // A round in progress: most blocks equal, some pending, hashing, differing, repairing,
    // repaired, failed, in a realistic mix.
    QRandomGenerator random(42);
    ferry::VerificationProgress all;
    all.blocksPlanned = blocks;
    all.changedBlocks.reserve(blocks);
    for (int i = 0; i < blocks; ++i) {
        const quint32 r = random.bounded(1000);
        ferry::BlockState state = ferry::BlockState::Equal;
        if (r < 150)
            state = ferry::BlockState::Pending;
        else if (r < 170)
            state = ferry::BlockState::Hashing;
        else if (r < 185)
            state = ferry::BlockState::Differs;
        else if (r < 190)
            state = ferry::BlockState::Repairing;
        else if (r < 215)
            state = ferry::BlockState::Repaired;
        else if (r < 217)
            state = ferry::BlockState::Failed;
        all.changedBlocks.append({i, blockIn(state)});
    }
    QElapsedTimer timer;
    timer.start();
    map.applyProgress(all);
    const double loadMs = elapsedMs(timer);
    map.repaint();   // the first render (and any first-show work)

    // Full renders: one block changes, the image is rendered again.
    std::vector<double> full;
    std::vector<double> fullCpu;
    const int rendersBefore = map.renderCount();
    for (int i = 0; i < renders; ++i) {
        ferry::VerificationProgress one;
        one.blocksPlanned = blocks;
        one.changedBlocks.append({int(random.bounded(blocks)), blockIn(ferry::BlockState::Repaired)});
        map.applyProgress(one);
        const double cpu = threadCpuMs();
        timer.restart();
        map.repaint();
        full.push_back(elapsedMs(timer));
        fullCpu.push_back(threadCpuMs() - cpu);
    }
    const int fullRenders = map.renderCount() - rendersBefore;

    // Cached repaints: nothing changed, the image is blitted.
    std::vector<double> cached;
    std::vector<double> cachedCpu;
    const int rendersBeforeCached = map.renderCount();
    for (int i = 0; i < repaints; ++i) {
        const double cpu = threadCpuMs();
        timer.restart();
        map.repaint();
        cached.push_back(elapsedMs(timer));
        cachedCpu.push_back(threadCpuMs() - cpu);
    }

    // Hover: the mouse moves to another cell each time; the widget asks for the two cells
    // to be repainted, and the event loop paints them.
    std::vector<double> hover;
    std::vector<double> hoverCpu;
    const QRect area = map.mapRect();
    for (int i = 0; i < repaints; ++i) {
        const QPoint pos(area.left() + int(random.bounded(std::max(1, area.width()))), area.top() + int(random.bounded(std::max(1, area.height()))));
        QMouseEvent move(QEvent::MouseMove, QPointF(pos), map.mapToGlobal(QPointF(pos)), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        const double cpu = threadCpuMs();
        timer.restart();
        QApplication::sendEvent(&map, &move);
        app.processEvents();
        hover.push_back(elapsedMs(timer));
        hoverCpu.push_back(threadCpuMs() - cpu);
    }
    const int cachedRenders = map.renderCount() - rendersBeforeCached;

    // Bookkeeping of a paced progress report of 1,000 changed blocks (no painting).
    std::vector<double> apply;
    std::vector<double> applyCpu;
    for (int i = 0; i < repaints; ++i) {
        ferry::VerificationProgress report;
        report.blocksPlanned = blocks;
        report.changedBlocks.reserve(1000);
        for (int j = 0; j < 1000; ++j)
            report.changedBlocks.append({int(random.bounded(blocks)), blockIn(ferry::BlockState::Equal)});
        const double cpu = threadCpuMs();
        timer.restart();
        map.applyProgress(report);
        apply.push_back(elapsedMs(timer));
        applyCpu.push_back(threadCpuMs() - cpu);
    }

    out << "BlockMapWidget, " << blocks << " blocks, widget " << size.width() << "x" << size.height() << ", map "
        << area.width() << "x" << area.height() << " px, device pixel ratio " << map.devicePixelRatioF() << ", platform "
        << QGuiApplication::platformName() << "\n";
    out << "first load (applyProgress of every block): " << QString::number(loadMs, 'f', 2) << " ms; load average " << QString::number(loadAverage(), 'f', 2)
        << " on " << QThread::idealThreadCount() << " CPUs\n\n";
    auto row = [&](const char *what, int n, const std::vector<double> &ms, const std::vector<double> &cpu) {
        const Stats s = summarize(ms);
        const Stats c = summarize(cpu);
        out << QString::fromLatin1(what).leftJustified(40) << QString::number(n).rightJustified(5)
            << QString::number(s.min, 'f', 3).rightJustified(9) << QString::number(s.p50, 'f', 3).rightJustified(9)
            << QString::number(s.p99, 'f', 3).rightJustified(9) << QString::number(s.max, 'f', 3).rightJustified(9)
            << QString::number(c.p50, 'f', 3).rightJustified(11) << QString::number(c.p99, 'f', 3).rightJustified(11) << "\n";
    };
    out << QStringLiteral("operation").leftJustified(40) << QStringLiteral("n").rightJustified(5) << QStringLiteral("min ms").rightJustified(9)
        << QStringLiteral("p50 ms").rightJustified(9) << QStringLiteral("p99 ms").rightJustified(9) << QStringLiteral("max ms").rightJustified(9)
        << QStringLiteral("cpu p50 ms").rightJustified(11) << QStringLiteral("cpu p99 ms").rightJustified(11) << "\n";
    row("full render (image) + blit", renders, full, fullCpu);
    row("repaint whole widget, cached image", repaints, cached, cachedCpu);
    row("hover move + its repaint (two cells)", repaints, hover, hoverCpu);
    row("applyProgress, 1000 changed blocks", repaints, apply, applyCpu);
    out << "\n(min..max: wall clock; cpu: this thread's CPU time for the same operation)\n";
    out << "renders: " << fullRenders << " for " << renders << " data changes, " << cachedRenders << " for " << 2 * repaints
        << " cached and hover repaints\n";
    const Stats c = summarize(cached);
    const Stats h = summarize(hover);
    const Stats cc = summarize(cachedCpu);
    const Stats hc = summarize(hoverCpu);
    const bool wallOk = c.p99 <= 5.0 && h.p99 <= 5.0;
    const bool cpuOk = cc.p99 <= 5.0 && hc.p99 <= 5.0;
    const bool ok = cpuOk && cachedRenders == 0;
    out << "target: repaint at most 5 ms (p99): " << (wallOk && ok ? "met" : (ok ? "met in CPU time; the wall-clock tail is time the CPU was given to other processes" : "NOT met"))
        << " (wall p99: cached " << QString::number(c.p99, 'f', 3) << " ms, hover " << QString::number(h.p99, 'f', 3) << " ms; cpu p99: cached "
        << QString::number(cc.p99, 'f', 3) << " ms, hover " << QString::number(hc.p99, 'f', 3) << " ms)\n";
    out.flush();
    return ok;
}

// ---------------------------------------------------------------------------------------
// Part stall

struct StallOptions
{
    qint64 syncRows = 500000;
    int idleSeconds = 20;
    int loadSeconds = 20;
    double rate = 500;
    int probeMs = 5;
    int maxSyncs = 12;
    QString workdir;
};

// Shanghai's customers with exactly rows rows (ids 1..rows), before the nodes start.
void resizeCustomers(const QString &database, qint64 rows)
{
    const QString name = QStringLiteral("bench-console-pad");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(database);
        if (!db.open())
            throw ferry::FerryError(QStringLiteral("%1: %2").arg(database, db.lastError().text()));
        QSqlQuery query(db);
        auto run = [&](const QString &sql) {
            if (!query.exec(sql))
                throw ferry::FerryError(QStringLiteral("%1: %2: %3").arg(database, sql, query.lastError().text()));
        };
        run(QStringLiteral("DELETE FROM customers WHERE id > %1").arg(rows));
        // More rows of the same shape as the demo's own.
        run(QStringLiteral("WITH RECURSIVE n(i) AS (SELECT coalesce(max(id), 0) + 1 FROM customers UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                           "INSERT INTO customers (id, name, country, email, created_at) "
                           "SELECT i, 'customer ' || i, substr('CNDEUSFRJPBRINGB', 1 + 2 * (i % 8), 2), 'c' || i || '@example.com', "
                           "printf('2025-%02d-01 00:00:00', 1 + i % 12) FROM n WHERE i <= %1")
                .arg(rows));
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

qint64 countRows(const QString &database, const QString &table)
{
    const QString name = QStringLiteral("bench-console-count");
    qint64 rows = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(database);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(table)) && query.next())
                rows = query.value(0).toLongLong();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

const ferry::LinkView *findLink(const QList<ferry::LinkView> &links, const QString &id)
{
    for (const ferry::LinkView &link : links) {
        if (link.link.id == id)
            return &link;
    }
    return nullptr;
}

bool runStall(ProfilingApplication &app, const StallOptions &o, QTextStream &out)
{
    using namespace ferry;
    const QString loadBefore = bench::loadAverage();
    QTemporaryDir temp((o.workdir.isEmpty() ? QDir::tempPath() : o.workdir) + QStringLiteral("/ferry-bench-console-XXXXXX"));
    if (!temp.isValid())
        throw FerryError(QStringLiteral("cannot make a temporary directory: %1").arg(temp.errorString()));
    // Nothing of the user's: the window's settings live in the temporary directory.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, temp.filePath(QStringLiteral("settings")));
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, temp.filePath(QStringLiteral("settings")));

    bench::say(QStringLiteral("stall: preparing the demo in %1").arg(temp.path()));
    DemoDeployment demo(temp.filePath(QStringLiteral("demo")));
    demo.prepare();
    const QString shanghaiDb = QDir(demo.directory()).filePath(QStringLiteral("shanghai.db"));
    const QString virginiaDb = QDir(demo.directory()).filePath(QStringLiteral("virginia.db"));
    resizeCustomers(shanghaiDb, o.syncRows);
    demo.start();
    const QStringList addresses = demo.nodeAddresses();
    const QString shanghai = addresses.at(0);
    const QString virginia = addresses.at(2);

    // As app/ferry/main.cpp wires the console.
    ConsoleSession session(demo.consoleTls());
    session.startInThread();
    for (const QString &address : addresses) {
        const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
        session.addNode(address.left(colon), quint16(address.mid(colon + 1).toUInt()));
    }
    MainWindow window;
    window.show();
    window.attach(&session, &demo);
    auto *topology = window.findChild<TopologyView *>();
    QTabWidget *tabs = nullptr;
    for (QTabWidget *candidate : window.findChildren<QTabWidget *>()) {
        if (candidate->count() >= 2 && candidate->widget(0)->findChild<BlockMapWidget *>())
            tabs = candidate;
    }
    if (!topology || !tabs)
        throw FerryError(QStringLiteral("the window has no topology view or no Blocks tab"));

    // A message box would wait for a click that never comes: note it, close it.
    QStringList problems;
    QTimer modalWatch;
    QObject::connect(&modalWatch, &QTimer::timeout, &window, [&problems] {
        if (QWidget *modal = QApplication::activeModalWidget()) {
            const auto *box = qobject_cast<QMessageBox *>(modal);
            problems.append(box ? box->windowTitle() + QStringLiteral(": ") + box->text() : modal->windowTitle());
            modal->close();
        }
    });
    modalWatch.start(500);

    bench::say(QStringLiteral("stall: waiting for the three nodes and the demo link's initial sync"));
    const bool connected = spinUntil([&] {
        int n = 0;
        for (const NodeView &node : session.nodes())
            n += node.connected;
        return n == addresses.size();
    }, 60000);
    if (!connected)
        throw FerryError(QStringLiteral("the console did not connect to the three demo nodes in 60 s"));
    const QString demoLink = QStringLiteral("orders-sha-fra");
    const bool demoSynced = spinUntil([&] {
        const QList<LinkView> links = session.links();
        const LinkView *b = findLink(links, demoLink);
        return b && b->stats.state == QLatin1String("streaming") && b->stats.lastVerifyAtMs > 0;
    }, 180000);
    if (!demoSynced)
        throw FerryError(QStringLiteral("the demo link %1 did not finish its initial sync in 180 s").arg(demoLink));
    spin(1000);

    StallProbe probe(o.probeMs);
    app.ignored = &probe;
    probe.start();

    // Idle.
    bench::say(QStringLiteral("stall: idle, %1 s").arg(o.idleSeconds));
    std::vector<double> idle;
    // Timed as under load (the same instrumentation in both), not printed.
    ProfilingApplication::Profile idleProfile;
    ProfilingApplication::Profile idlePaints;
    double idleCpu = threadCpuMs();
    double idleWait = runQueueWaitMs();
    probe.sink = [&idle](qint64 posted, qint64 handled) { idle.push_back(double(handled - posted) / 1e6); };
    app.outer = &idleProfile;
    app.paints = &idlePaints;
    spin(o.idleSeconds * 1000);
    probe.sink = nullptr;
    app.outer = nullptr;
    app.paints = nullptr;
    idleCpu = threadCpuMs() - idleCpu;
    idleWait = runQueueWaitMs() - idleWait;

    // Load: the workload, verification again and again on the demo link, syncs of new
    // links from Shanghai's customers to Virginia.
    bench::say(QStringLiteral("stall: load: workload %1 writes/s, verify %2 repeatedly, syncs of %3 rows").arg(o.rate).arg(demoLink).arg(o.syncRows));
    std::vector<double> loaded;
    std::vector<double> loadedBlocksTab;
    std::vector<double> loadedChartsTab;
    ProfilingApplication::Profile loadProfile;
    ProfilingApplication::Profile loadPaints;
    std::vector<ProfilingApplication::Span> loadSpans;
    std::vector<std::pair<qint64, qint64>> late;   // samples over 16 ms
    bool recording = false;
    double loadCpu = 0;
    double cpuAt = 0;
    double loadWait = 0;
    double waitAt = 0;
    QElapsedTimer windowClock;
    double windowSeconds = 0;
    auto startRecording = [&] {
        recording = true;
        cpuAt = threadCpuMs();
        waitAt = runQueueWaitMs();
        windowClock.start();
        probe.sink = [&](qint64 posted, qint64 handled) {
            const double ms = double(handled - posted) / 1e6;
            loaded.push_back(ms);
            (tabs->currentIndex() == 0 ? loadedBlocksTab : loadedChartsTab).push_back(ms);
            if (ms > 16.0)
                late.push_back({posted, handled});
        };
        app.outer = &loadProfile;
        app.paints = &loadPaints;
        app.spans = &loadSpans;
    };
    auto stopRecording = [&] {
        if (!recording)
            return;
        recording = false;
        probe.sink = nullptr;
        app.outer = nullptr;
        app.paints = nullptr;
        app.spans = nullptr;
        loadCpu += threadCpuMs() - cpuAt;
        loadWait += runQueueWaitMs() - waitAt;
        windowSeconds += windowClock.nsecsElapsed() / 1e9;
    };

    // The tabs alternate while samples are taken.
    QTimer tabFlip;
    QObject::connect(&tabFlip, &QTimer::timeout, &window, [&] {
        if (recording)
            tabs->setCurrentIndex(tabs->currentIndex() == 0 ? 1 : 0);
    });

    // "Verify now" on the demo link as the context menu asks it, again when a round ended.
    int roundsInWindows = 0;
    int roundsInLoad = 0;
    bool verifying = false;
    qint64 lastVerifyAt = 0;
    qint64 requestedAt = 0;
    qint64 appliedAtStart = -1;
    qint64 appliedAtEnd = -1;
    QElapsedTimer loadClock;
    {
        const QList<LinkView> links = session.links();
        lastVerifyAt = findLink(links, demoLink)->stats.lastVerifyAtMs;
    }
    QObject::connect(&session, &ConsoleSession::linksChanged, &probe, [&](const QList<LinkView> &links) {
        const LinkView *b = findLink(links, demoLink);
        if (!b || !verifying)
            return;
        if (b->stats.lastVerifyAtMs != lastVerifyAt) {
            lastVerifyAt = b->stats.lastVerifyAtMs;
            ++roundsInLoad;
            roundsInWindows += recording;
            requestedAt = 0;
        }
        // Again when the round ended, or when the link still streams 5 s after the request
        // (a request lost with a dropped connection).
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (requestedAt == 0 || (now - requestedAt > 5000 && b->stats.state == QLatin1String("streaming"))) {
            if (LinkItem *item = topology->linkItem(b->sourceAddress, demoLink)) {
                emit topology->verifyRequested(item->link());
                requestedAt = now;
            }
        }
    });

    // The synced link's first block report opens the probe window, the report with every
    // block settled closes it. Its figures open and close it too, in case a report was
    // lost with a dropped connection: "syncing" opens, the end of the round closes.
    struct Sync
    {
        QString id;
        QString table;
        bool started = false;
        qint64 syncingSeenAt = 0;
        bool startedByReport = false;
        bool done = false;
        bool doneByReport = false;
        double seconds = 0;
        qint64 rowsSent = 0;
        int blocks = 0;
        int reports = 0;
        qint64 targetRows = -1;
    };
    std::vector<Sync> syncs;
    QElapsedTimer syncClock;
    auto startSync = [&](bool byReport) {
        Sync &sync = syncs.back();
        sync.started = true;
        sync.startedByReport = byReport;
        syncClock.start();
        startRecording();
    };
    auto endSync = [&](bool byReport) {
        Sync &sync = syncs.back();
        stopRecording();
        sync.done = true;
        sync.doneByReport = byReport;
        sync.seconds = syncClock.nsecsElapsed() / 1e9;
    };
    QObject::connect(&session, &ConsoleSession::blocksUpdated, &probe, [&](const QString &linkId, const VerificationProgress &progress) {
        if (syncs.empty() || linkId != syncs.back().id || syncs.back().done)
            return;
        Sync &sync = syncs.back();
        if (!sync.started)
            startSync(true);
        ++sync.reports;
        sync.rowsSent = std::max(sync.rowsSent, progress.rowsSent);
        sync.blocks = progress.blocksPlanned;
        const int settled = progress.stateCounts[int(BlockState::Equal)] + progress.stateCounts[int(BlockState::Repaired)]
                            + progress.stateCounts[int(BlockState::Failed)];
        if (progress.planningDone && progress.blocksPlanned > 0 && settled == progress.blocksPlanned)
            endSync(true);
    });
    QObject::connect(&session, &ConsoleSession::linksChanged, &probe, [&](const QList<LinkView> &links) {
        if (syncs.empty() || syncs.back().done)
            return;
        const LinkView *a = findLink(links, syncs.back().id);
        if (!a)
            return;
        // "syncing" opens the window only when no block report came 1.5 s after it.
        Sync &sync = syncs.back();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (!sync.started && a->stats.state == QLatin1String("syncing")) {
            if (sync.syncingSeenAt == 0)
                sync.syncingSeenAt = now;
            else if (now - sync.syncingSeenAt > 1500)
                startSync(false);
        }
        if (syncs.back().started && a->stats.lastVerifyAtMs > 0) {
            syncs.back().blocks = std::max(syncs.back().blocks, a->stats.blocks);
            endSync(false);
        }
    });

    // Dropped connections of the console (NodeView.connected going false).
    int drops = 0;
    QHash<QString, bool> wasConnected;
    QObject::connect(&session, &ConsoleSession::nodesChanged, &probe, [&](const QList<NodeView> &nodes) {
        for (const NodeView &node : nodes) {
            if (wasConnected.value(node.address, false) && !node.connected && verifying)
                ++drops;
            wasConnected.insert(node.address, node.connected);
        }
    });

    window.startDemo(o.rate);
    verifying = true;
    loadClock.start();
    {
        const QList<LinkView> links = session.links();
        appliedAtStart = findLink(links, demoLink)->stats.appliedTotal;
    }
    tabFlip.start(2000);
    const qsizetype colon = virginia.lastIndexOf(QLatin1Char(':'));
    for (int k = 1; k <= o.maxSyncs && windowSeconds < o.loadSeconds; ++k) {
        Sync sync;
        sync.id = QStringLiteral("customers-sha-vir-%1").arg(k);
        sync.table = QStringLiteral("customers_%1").arg(k);
        syncs.push_back(sync);
        // Made paused, selected, then resumed: the window shows it from its first block.
        const QCborMap settings{{QStringLiteral("id"), sync.id},
                                {QStringLiteral("source_db"), QStringLiteral("main")},
                                {QStringLiteral("source_table"), QStringLiteral("customers")},
                                {QStringLiteral("target_host"), virginia.left(colon)},
                                {QStringLiteral("target_port"), virginia.mid(colon + 1).toInt()},
                                {QStringLiteral("target_db"), QStringLiteral("main")},
                                {QStringLiteral("target_table"), sync.table},
                                {QStringLiteral("mode"), QStringLiteral("continuous")},
                                {QStringLiteral("block_rows"), 1000},
                                {QStringLiteral("paused"), true}};
        // The reply can be lost with a dropped connection although the node made the link:
        // the link list tells.
        QFuture<QCborMap> created = session.createLink(shanghai, settings);
        if (!spinUntil([&] { return created.isFinished(); }, 30000))
            throw FerryError(QStringLiteral("creating link %1 took over 30 s").arg(sync.id));
        QString createError;
        try {
            created.result();
        } catch (const FerryError &error) {
            createError = error.message();
        }
        if (!spinUntil([&] { return topology->linkItem(shanghai, sync.id) != nullptr; }, 30000))
            throw FerryError(QStringLiteral("link %1 did not appear in the topology in 30 s (%2)").arg(sync.id, createError));
        if (!createError.isEmpty())
            problems.append(QStringLiteral("creating %1: %2 (the link was made)").arg(sync.id, createError));
        LinkItem *item = topology->linkItem(shanghai, sync.id);
        tabs->setCurrentIndex(0);
        item->scene()->clearSelection();
        item->setSelected(true);
        spin(100);
        // Resumed as the context menu does; asked again while it stays paused.
        for (int attempt = 0; attempt < 5 && !syncs.back().started; ++attempt) {
            if (LinkItem *current = topology->linkItem(shanghai, sync.id))
                emit topology->resumeRequested(current->link());
            spinUntil([&] {
                const QList<LinkView> links = session.links();
                const LinkView *a = findLink(links, sync.id);
                return syncs.back().started || (a && a->stats.state != QLatin1String("paused"));
            }, 5000);
        }
        bench::say(QStringLiteral("stall: sync %1 (%2 rows) to Virginia's %3").arg(sync.id).arg(o.syncRows).arg(sync.table));
        if (!spinUntil([&] { return syncs.back().done; }, 600000))
            throw FerryError(QStringLiteral("the initial sync of %1 did not end in 600 s").arg(sync.id));
        spin(300);
        // Removed (its table stays on Virginia), so that every sync runs beside the same links.
        QFuture<QCborMap> removed = session.removeLink(shanghai, sync.id);
        if (!spinUntil([&] { return removed.isFinished(); }, 30000))
            throw FerryError(QStringLiteral("removing link %1 took over 30 s").arg(sync.id));
        try {
            removed.result();
        } catch (const FerryError &error) {
            problems.append(QStringLiteral("removing %1: %2").arg(sync.id, error.message()));
        }
    }
    tabFlip.stop();
    verifying = false;
    demo.setWorkloadRate(0);
    const double loadSecondsAll = loadClock.nsecsElapsed() / 1e9;
    // What the workload wrote in the load phase: what the demo link applied of it, once
    // it applied everything.
    spin(500);
    spinUntil([&] {
        const QList<LinkView> links = session.links();
        const LinkView *b = findLink(links, demoLink);
        return b && b->stats.state == QLatin1String("streaming") && b->stats.pending == 0;
    }, 20000);
    {
        const QList<LinkView> links = session.links();
        appliedAtEnd = findLink(links, demoLink)->stats.appliedTotal;
    }
    probe.stop();
    app.ignored = nullptr;
    for (Sync &sync : syncs)
        sync.targetRows = countRows(virginiaDb, sync.table);
    const qint64 sourceRows = countRows(shanghaiDb, QStringLiteral("customers"));
    const QString loadAfter = bench::loadAverage();

    // The report.
    const Stats si = summarize(idle);
    const Stats sl = summarize(loaded);
    const bool idleMet = !idle.empty() && si.p99 <= 16.0;
    const bool loadMet = !loaded.empty() && sl.p99 <= 16.0;
    out << "\nGUI event-loop stall: the console as `ferry` runs its demo (MainWindow " << window.width() << "x" << window.height()
        << ", ConsoleSession, DemoDeployment's three nodes in this process), platform " << QGuiApplication::platformName()
        << "; an event posted to the GUI thread every " << o.probeMs << " ms from another thread, stall = handled - posted\n\n";
    out << "| measurement | samples | p50 ms | p90 ms | p99 ms | max ms | target | met |\n";
    out << "|---|---|---|---|---|---|---|---|\n";
    auto row = [&](const QString &what, const std::vector<double> &samples, const QString &target, const QString &met) {
        const Stats s = summarize(samples);
        out << "| " << what << " | " << number(double(samples.size())) << " | " << ms(s.p50) << " | " << ms(s.p90) << " | " << ms(s.p99) << " | "
            << ms(s.max) << " | " << target << " | " << met << " |\n";
    };
    const QString target = QStringLiteral("p99 <= 16 ms");
    row(QStringLiteral("GUI stall, idle (%1 s)").arg(o.idleSeconds), idle, target, idleMet ? QStringLiteral("yes") : QStringLiteral("no"));
    row(QStringLiteral("GUI stall, sync + verify (%1 s)").arg(windowSeconds, 0, 'f', 1), loaded, target, loadMet ? QStringLiteral("yes") : QStringLiteral("no"));
    row(QStringLiteral("of which with the Blocks tab shown"), loadedBlocksTab, QString(), QString());
    row(QStringLiteral("of which with the Charts tab shown"), loadedChartsTab, QString(), QString());

    out << "\nThe load during the sync + verify samples:\n\n";
    out << "| link or writer | what ran | figures |\n|---|---|---|\n";
    qint64 rowsAll = 0;
    double secondsAll = 0;
    for (const Sync &sync : syncs) {
        const qint64 rows = std::max<qint64>(0, sync.targetRows);
        out << "| " << sync.id << " (Shanghai customers -> Virginia " << sync.table << ", a new table) | initial sync, selected in the window | "
            << number(double(rows)) << " rows on the target after it (of " << number(double(sourceRows)) << "), "
            << QString::number(sync.seconds, 'f', 2) << " s from its " << (sync.startedByReport ? "first block report" : "\"syncing\" figures")
            << " to its " << (sync.doneByReport ? "last" : "end in the link figures") << ": " << number(sync.seconds > 0 ? rows / sync.seconds : 0)
            << " rows/s; " << number(sync.blocks) << " blocks, " << sync.reports << " block reports, " << number(double(sync.rowsSent)) << " rows sent in the last |\n";
        rowsAll += rows;
        secondsAll += sync.seconds;
    }
    out << "| " << demoLink << " (Shanghai orders -> Frankfurt) | verify now, again as soon as a round ended | " << roundsInWindows
        << " rounds ended inside the sync windows, " << roundsInLoad << " in the whole load phase (" << QString::number(loadSecondsAll, 'f', 1) << " s) |\n";
    out << "| demo workload (Shanghai orders) | " << number(o.rate) << " writes/s asked | " << demoLink << " applied " << number(double(appliedAtEnd - appliedAtStart))
        << " changes written in the load phase (" << number((appliedAtEnd - appliedAtStart) / std::max(0.001, loadSecondsAll)) << "/s) |\n";
    if (windowSeconds < o.loadSeconds)
        out << "\nonly " << QString::number(windowSeconds, 'f', 1) << " s of sync + verify samples in " << syncs.size() << " syncs (at most " << o.maxSyncs
            << "); a larger --sync-rows gives more\n";
    out << "\nconsole connections to the nodes dropped (and made again) during the load: " << drops << "\n";
    out << "syncs in all: " << number(double(rowsAll)) << " rows in " << QString::number(secondsAll, 'f', 1) << " s, "
        << number(secondsAll > 0 ? rowsAll / secondsAll : 0) << " rows/s\n";
    out << "GUI thread: CPU time idle " << QString::number(100.0 * idleCpu / (o.idleSeconds * 1000.0), 'f', 1) << " % of the wall time, sync + verify "
        << QString::number(windowSeconds > 0 ? 100.0 * loadCpu / (windowSeconds * 1000.0) : 0, 'f', 1) << " %; runnable but waiting for a CPU (schedstat) idle "
        << QString::number(idleWait, 'f', 0) << " ms in " << o.idleSeconds << " s, sync + verify " << QString::number(loadWait, 'f', 0) << " ms in "
        << QString::number(windowSeconds, 'f', 1) << " s\n";

    auto profileTable = [&](const char *title, const ProfilingApplication::Profile &profile, int top, bool withWait) {
        std::vector<std::pair<QString, ProfilingApplication::Entry>> entries(profile.begin(), profile.end());
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) { return a.second.maxMs > b.second.maxMs; });
        out << "\n" << title << "\n\n| receiver | event | count | over 8 / 16 ms | mean ms | mean CPU ms | mean run-queue wait ms | max ms | CPU ms of the max |\n"
            << "|---|---|---|---|---|---|---|---|---|\n";
        for (int i = 0; i < int(entries.size()) && i < top; ++i) {
            const auto &[key, e] = entries.at(size_t(i));
            const int n = std::max(1, e.count);
            out << "| " << key.section(QLatin1Char('|'), 0, 0) << " | " << key.section(QLatin1Char('|'), 1) << " | " << e.count << " | " << e.over8 << " / "
                << e.over16 << " | " << ms(e.totalMs / n) << " | " << ms(e.totalCpuMs / n) << " | " << (withWait ? ms(e.totalWaitMs / n) : QStringLiteral("-")) << " | " << ms(e.maxMs)
                << " | " << ms(e.cpuAtMaxMs) << " |\n";
        }
    };
    profileTable("The GUI thread's slowest event handlers under sync + verify (outermost dispatch, wall clock):", loadProfile, 10, true);
    profileTable("Paint events under sync + verify, per widget (inside the handlers above):", loadPaints, 6, false);

    // Each sample over 16 ms, charged to the handler of 2 ms or more that overlapped its
    // wait the most; none: the GUI thread was between handlers (waiting for a CPU, or in
    // the event dispatcher).
    struct Blame
    {
        int samples = 0;
        double delayMs = 0;
        double handlerMs = 0;
        double handlerCpuMs = 0;
        double handlerWaitMs = 0;
    };
    std::map<QString, Blame> blame;
    for (const auto &[posted, handled] : late) {
        qint64 best = 0;
        const ProfilingApplication::Span *charged = nullptr;
        for (const auto &span : loadSpans) {
            const qint64 overlap = std::min(handled, span.endNs) - std::max(posted, span.startNs);
            if (overlap > best) {
                best = overlap;
                charged = &span;
            }
        }
        Blame &b = blame[charged ? charged->key : QStringLiteral("no handler of 2 ms or more|-")];
        ++b.samples;
        b.delayMs += double(handled - posted) / 1e6;
        if (charged) {
            b.handlerMs += double(charged->endNs - charged->startNs) / 1e6;
            b.handlerCpuMs += charged->cpuMs;
            b.handlerWaitMs += charged->waitMs;
        }
    }
    out << "\nSamples over 16 ms under sync + verify: " << late.size() << ", charged to the handler that overlapped their wait the most:\n\n"
        << "| receiver | event | samples | their mean delay ms | the handler's mean wall / CPU / run-queue wait ms |\n|---|---|---|---|---|\n";
    for (const auto &[key, b] : blame) {
        const int n = std::max(1, b.samples);
        out << "| " << key.section(QLatin1Char('|'), 0, 0) << " | " << key.section(QLatin1Char('|'), 1) << " | " << b.samples << " | " << ms(b.delayMs / n)
            << " | " << ms(b.handlerMs / n) << " / " << ms(b.handlerCpuMs / n) << " / " << ms(b.handlerWaitMs / n) << " |\n";
    }
    if (!problems.isEmpty())
        out << "\nerrors the window reported (message boxes closed by the benchmark) or the bench met: " << problems.join(QStringLiteral("; ")) << "\n";
    out << "\n" << QThread::idealThreadCount() << " CPUs; load average (1, 5, 15 min) before: " << loadBefore << ", after: " << loadAfter << "\n";
    out.flush();

    bool valid = !syncs.empty();
    for (const Sync &sync : syncs)
        valid = valid && sync.targetRows == sourceRows;
    if (!valid)
        out << "INVALID: a sync did not copy every row\n";
    QObject::disconnect(&session, nullptr, &probe, nullptr);
    window.detach();
    return idleMet && loadMet && valid;
}

} // namespace

int main(int argc, char **argv)
{
    // Offscreen unless a platform was given.
    std::vector<char *> args(argv, argv + argc);
    bool platformGiven = false;
    for (int i = 1; i < argc; ++i)
        platformGiven = platformGiven || std::strcmp(argv[i], "-platform") == 0;
    static char platformFlag[] = "-platform";
    static char offscreen[] = "offscreen";
    if (!platformGiven && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        args.insert(args.begin() + 1, offscreen);
        args.insert(args.begin() + 1, platformFlag);
    }
    int appArgc = int(args.size());
    args.push_back(nullptr);
    ProfilingApplication app(appArgc, args.data());
    QCoreApplication::setOrganizationName(QStringLiteral("FerryBench"));
    QCoreApplication::setApplicationName(QStringLiteral("ferry_bench_console"));

    const QStringList arguments = app.arguments();
    QStringList parts{QStringLiteral("blockmap"), QStringLiteral("stall")};
    StallOptions stall;
    for (int i = 1; i + 1 < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        if (a == QLatin1String("--parts"))
            parts = arguments.at(++i).split(QLatin1Char(','), Qt::SkipEmptyParts);
        else if (a == QLatin1String("--sync-rows"))
            stall.syncRows = std::max<qint64>(1000, arguments.at(++i).toLongLong());
        else if (a == QLatin1String("--idle-seconds"))
            stall.idleSeconds = std::max(1, arguments.at(++i).toInt());
        else if (a == QLatin1String("--load-seconds"))
            stall.loadSeconds = std::max(1, arguments.at(++i).toInt());
        else if (a == QLatin1String("--rate"))
            stall.rate = std::max(0.0, arguments.at(++i).toDouble());
        else if (a == QLatin1String("--probe-ms"))
            stall.probeMs = std::max(1, arguments.at(++i).toInt());
        else if (a == QLatin1String("--workdir"))
            stall.workdir = arguments.at(++i);
    }
    for (const QString &part : parts) {
        if (part != QLatin1String("blockmap") && part != QLatin1String("stall")) {
            std::fprintf(stderr, "--parts: unknown part \"%s\" (blockmap, stall)\n", qPrintable(part));
            return 2;
        }
    }

    QTextStream out(stdout);
    bool ok = true;
    if (parts.contains(QLatin1String("blockmap")))
        ok = runBlockMap(app, arguments, out) && ok;
    if (parts.contains(QLatin1String("stall"))) {
        try {
            ok = runStall(app, stall, out) && ok;
        } catch (const ferry::FerryError &error) {
            out.flush();
            std::fprintf(stderr, "stall: %s\n", qPrintable(error.message()));
            return 1;
        }
    }
    return ok ? 0 : 1;
}
