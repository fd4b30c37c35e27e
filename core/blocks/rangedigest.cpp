#include "blocks/rangedigest.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ferry {

namespace {

// Runs the digest on a second thread so that hashing overlaps reading and encoding: the
// reader fills chunks of encoded rows, marking where each range ends, and hands them over
// through a short queue. Until the first chunk fills, nothing is started, so digests of a
// few blocks stay on the caller's thread. Chunks are large (4 MiB): measured on the 2-core
// machine, 256 KiB chunks left the reader waiting on cache lines the other core held, and
// made the pipeline no faster than hashing inline (tests/bench, docs/benchmarks.md).
class PipelinedDigester
{
public:
    static constexpr qsizetype ChunkBytes = 4 * 1024 * 1024;
    static constexpr size_t MaxQueued = 2;

    PipelinedDigester(DigestAlgorithm algorithm, QList<RangeDigest> &results) : m_digest(algorithm), m_results(results) {}

    ~PipelinedDigester()
    {
        if (m_worker.joinable()) {
            {
                std::lock_guard lock(m_mutex);
                m_stopping = true;
            }
            m_changed.notify_all();
            m_worker.join();
        }
    }

    void add(QByteArrayView row)
    {
        if (m_chunk.size + row.size() > m_chunk.bytes.size())
            m_chunk.bytes.resize(std::max(ChunkBytes + 64 * 1024, m_chunk.size + row.size()));
        std::memcpy(m_chunk.bytes.data() + m_chunk.size, row.data(), size_t(row.size()));
        m_chunk.size += row.size();
        if (m_chunk.size >= ChunkBytes)
            handOver();
    }

    // Every range up to (not including) index is complete.
    void endRangesBefore(qsizetype index)
    {
        for (; m_nextRange < index; ++m_nextRange)
            m_chunk.cuts.append({m_chunk.size, m_nextRange});
    }

    void finish(qsizetype rangeCount)
    {
        endRangesBefore(rangeCount);
        if (!m_worker.joinable()) {
            digest(m_chunk);
            return;
        }
        handOver();
        std::unique_lock lock(m_mutex);
        m_stopping = true;
        m_changed.notify_all();
        lock.unlock();
        m_worker.join();
    }

private:
    struct Cut
    {
        qsizetype offset;   // the range ends at this byte of the chunk
        qsizetype range;
    };
    struct Chunk
    {
        QByteArray bytes;   // allocated once; the first size bytes are in use
        qsizetype size = 0;
        QList<Cut> cuts;
    };

    void digest(const Chunk &chunk)
    {
        qsizetype done = 0;
        for (const Cut &cut : chunk.cuts) {
            m_digest.update(chunk.bytes.constData() + done, cut.offset - done);
            done = cut.offset;
            m_results[cut.range].digest = m_digest.finish();
        }
        m_digest.update(chunk.bytes.constData() + done, chunk.size - done);
    }

    void handOver()
    {
        if (!m_worker.joinable())
            m_worker = std::thread([this] { work(); });
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
            lock.lock();
            m_free.push_back(std::move(chunk));
        }
    }

    Digest m_digest;
    QList<RangeDigest> &m_results;
    Chunk m_chunk;
    qsizetype m_nextRange = 0;

    std::thread m_worker;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Chunk> m_queue;
    std::vector<Chunk> m_free;
    bool m_stopping = false;
};

} // namespace

QList<RangeDigest> digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm)
{
    QList<RangeDigest> results(ranges.size());
    PipelinedDigester digester(algorithm, results);
    store.scanEncoded(schema, ranges, [&](qsizetype index, const EncodedRow &row) {
        digester.endRangesBefore(index);
        digester.add(row.bytes);
        ++results[index].rows;
        return true;
    });
    digester.finish(ranges.size());
    return results;
}

} // namespace ferry
