#include "storage/walcheckpointer.h"

#include <QFileInfo>
#include <QLoggingCategory>

#include <sqlite3.h>

namespace ferry {

namespace {

Q_LOGGING_CATEGORY(lcCheckpoint, "ferry.checkpoint", QtInfoMsg)

} // namespace

WalCheckpointer::WalCheckpointer(const QString &path, int intervalMs)
    : m_path(path)
    , m_intervalMs(intervalMs)
    , m_thread([this] { run(); })
{
}

WalCheckpointer::~WalCheckpointer()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

int WalCheckpointer::checkpoints() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_checkpoints;
}

void WalCheckpointer::run()
{
    sqlite3 *db = nullptr;
    const QString wal = m_path + QStringLiteral("-wal");
    // Opened only once there is a log: never creates the database, never holds a file
    // that is not in WAL mode. A new connection reads nothing until asked: without a
    // first read it does not know the database is in WAL mode, and checkpoints nothing.
    auto open = [&] {
        if (sqlite3_open_v2(m_path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK
            && sqlite3_exec(db, "PRAGMA journal_mode", nullptr, nullptr, nullptr) == SQLITE_OK)
            return true;
        qCWarning(lcCheckpoint).noquote() << "cannot open" << m_path << "to checkpoint it:" << (db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        db = nullptr;
        return false;
    };
    for (;;) {
        bool stopping;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_stop; });
            stopping = m_stop;
        }
        if (QFileInfo(wal).size() > 0 && (db || open()) && checkpoint(db)) {
            std::lock_guard<std::mutex> lock(m_mutex);
            ++m_checkpoints;
        }
        if (stopping)
            break;
    }
    sqlite3_close(db);
}

bool WalCheckpointer::checkpoint(void *handle)
{
    sqlite3 *db = static_cast<sqlite3 *>(handle);
    int logFrames = 0;
    int copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
    qCDebug(lcCheckpoint).noquote() << m_path << "log frames" << logFrames << "copied" << copied << "rc" << rc;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        qCWarning(lcCheckpoint).noquote() << "checkpoint of" << m_path << "failed:" << sqlite3_errmsg(db);
        return false;
    }
    return rc == SQLITE_OK;
}

} // namespace ferry
