#include "blocks/rangedigest.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ferry {

// Chunks are large (4 MiB): measured on the 2-core machine, 256 KiB chunks left the reader
// waiting on cache lines the other core held, and made the pipeline no faster than hashing
// inline (tests/bench, docs/benchmarks.md).
class RangeHasher::Worker
{
public:
    static constexpr qsizetype ChunkBytes = 4 * 1024 * 1024;
    static constexpr size_t MaxQueued = 2;

    explicit Worker(DigestAlgorithm algorithm) : m_digest(algorithm) {}

    ~Worker() { stop(); }

    void add(QByteArrayView row)
    {
        if (m_chunk.size + row.size() > m_chunk.bytes.size())
            m_chunk.bytes.resize(std::max(ChunkBytes + 64 * 1024, m_chunk.size + row.size()));
        std::memcpy(m_chunk.bytes.data() + m_chunk.size, row.data(), size_t(row.size()));
        m_chunk.size += row.size();
        if (m_chunk.size >= ChunkBytes)
            handOver();
    }

    void endRange() { m_chunk.cuts.append(m_chunk.size); }

    QList<QByteArray> takeReady()
    {
        std::lock_guard lock(m_mutex);
        QList<QByteArray> ready;
        ready.swap(m_done);
        return ready;
    }

    void flush(std::function<void(QList<QByteArray>)> deliver)
    {
        m_chunk.deliver = std::move(deliver);
        handOver();
    }

    QList<QByteArray> finish()
    {
        if (!m_thread.joinable()) {
            digest(m_chunk);
        } else {
            if (!m_chunk.cuts.isEmpty())
                handOver();
            stop();
        }
        m_chunk.size = 0;
        m_chunk.cuts.resize(0);
        return takeReady();
    }

private:
    struct Chunk
    {
        QByteArray bytes;         // allocated once; the first size bytes are in use
        qsizetype size = 0;
        QList<qsizetype> cuts;    // a range ends at each of these offsets
        std::function<void(QList<QByteArray>)> deliver;   // flush(): takes every digest done
    };

    // Rows after the last cut belong to a range that continues in the next chunk.
    void digest(const Chunk &chunk)
    {
        qsizetype done = 0;
        QList<QByteArray> digests;
        digests.reserve(chunk.cuts.size());
        for (qsizetype cut : chunk.cuts) {
            m_digest.update(chunk.bytes.constData() + done, cut - done);
            done = cut;
            digests.append(m_digest.finish());
        }
        m_digest.update(chunk.bytes.constData() + done, chunk.size - done);
        std::unique_lock lock(m_mutex);
        m_done += digests;
        if (chunk.deliver) {
            QList<QByteArray> delivered;
            delivered.swap(m_done);
            lock.unlock();
            chunk.deliver(std::move(delivered));
        }
    }

    void handOver()
    {
        if (!m_thread.joinable())
            m_thread = std::thread([this] { work(); });
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_queue.size() < MaxQueued; });
        m_queue.push_back(std::move(m_chunk));
        // Reuse a digested chunk's memory: a fresh buffer each time would cost a
        // mapping and its page faults.
        m_chunk = Chunk();
        if (!m_free.empty()) {
            m_chunk = std::move(m_free.back());
            m_free.pop_back();
        }
        lock.unlock();
        m_changed.notify_all();
        m_chunk.size = 0;
        m_chunk.cuts.resize(0);
        m_chunk.deliver = nullptr;
    }

    void stop()
    {
        if (!m_thread.joinable())
            return;
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        m_thread.join();
        m_stopping = false;
    }

    void work()
    {
        for (;;) {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty())
                return;
            Chunk chunk = std::move(m_queue.front());
            m_queue.pop_front();
            lock.unlock();
            m_changed.notify_all();
            digest(chunk);
            chunk.deliver = nullptr;
            lock.lock();
            m_free.push_back(std::move(chunk));
        }
    }

    Digest m_digest;   // used by one thread at a time: the worker once it runs
    Chunk m_chunk;

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Chunk> m_queue;
    std::vector<Chunk> m_free;
    QList<QByteArray> m_done;
    bool m_stopping = false;
};

RangeHasher::RangeHasher(DigestAlgorithm algorithm) : m_worker(std::make_unique<Worker>(algorithm)) {}

RangeHasher::~RangeHasher() = default;

void RangeHasher::add(QByteArrayView row)
{
    m_worker->add(row);
}

void RangeHasher::endRange()
{
    m_worker->endRange();
}

QList<QByteArray> RangeHasher::takeReady()
{
    return m_worker->takeReady();
}

QList<QByteArray> RangeHasher::finish()
{
    return m_worker->finish();
}

void RangeHasher::flush(std::function<void(QList<QByteArray>)> deliver)
{
    m_worker->flush(std::move(deliver));
}

namespace {

// Feeds the rows of ranges to hasher, ending each range after its rows; returns the row
// counts (the digests come from the hasher).
QList<RangeDigest> feedRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, RangeHasher &hasher)
{
    QList<RangeDigest> results(ranges.size());
    qsizetype ended = 0;
    store.scanEncoded(schema, ranges, [&](qsizetype index, const EncodedRow &row) {
        for (; ended < index; ++ended)
            hasher.endRange();
        hasher.add(row.bytes);
        ++results[index].rows;
        return true;
    });
    for (; ended < ranges.size(); ++ended)
        hasher.endRange();
    return results;
}

} // namespace

QList<RangeDigest> digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm)
{
    RangeHasher hasher(algorithm);
    QList<RangeDigest> results = feedRanges(store, schema, ranges, hasher);
    const QList<QByteArray> digests = hasher.finish();
    for (qsizetype i = 0; i < digests.size() && i < results.size(); ++i)
        results[i].digest = digests.at(i);
    return results;
}

void digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, RangeHasher &hasher,
                  std::function<void(QList<RangeDigest>)> done)
{
    QList<RangeDigest> results = feedRanges(store, schema, ranges, hasher);
    hasher.flush([results = std::move(results), done = std::move(done)](QList<QByteArray> digests) mutable {
        for (qsizetype i = 0; i < digests.size() && i < results.size(); ++i)
            results[i].digest = digests.at(i);
        done(std::move(results));
    });
}

} // namespace ferry
