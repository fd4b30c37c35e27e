#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ferry {

// Checkpoints an SQLite database's write-ahead log from a thread of its own, so that the
// node's own connections (opened with Store::Options::deferCheckpoints) do not: SQLite
// otherwise checkpoints in the commit that takes the log past 1000 pages, and that commit
// waits for the copy and its fsyncs (up to 10 ms and more on this project's machines: the
// tail of the change feed's lag). A PASSIVE checkpoint every interval copies what it can
// without blocking anyone; the next write transaction that finds everything copied starts
// the log over. Writes without a pause never find that, so those connections still
// checkpoint themselves once the log reaches 64 MB. Nothing is done while the database
// has no log: the file is never created here.
class WalCheckpointer
{
public:
    explicit WalCheckpointer(const QString &path, int intervalMs = 250);
    ~WalCheckpointer();   // a last checkpoint, then the thread stops

    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Checkpoints done so far (for tests).
    int checkpoints() const;

private:
    void run();
    bool checkpoint(void *db);

    const QString m_path;
    const int m_intervalMs;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    int m_checkpoints = 0;
    std::thread m_thread;
};

} // namespace ferry
