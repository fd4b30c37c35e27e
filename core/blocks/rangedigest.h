#pragma once

#include "blocks/digest.h"
#include "storage/store.h"

#include <functional>
#include <memory>

namespace ferry {

struct RangeDigest
{
    qint64 rows = 0;
    QByteArray digest;

    bool operator==(const RangeDigest &other) const { return rows == other.rows && digest == other.digest; }
    bool operator!=(const RangeDigest &other) const { return !(*this == other); }
};

// Digests of ranges sorted by key and not overlapping, read through Store::scanEncoded()
// (a flat list of adjacent blocks costs one pass over the table).
QList<RangeDigest> digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, DigestAlgorithm algorithm);

class RangeHasher;
// The same, read in the calling thread and hashed by hasher's thread: returns once the rows
// are read; done is called (in the hashing thread) with the digests. When reading throws,
// nothing is delivered and hasher must not be used again.
void digestRanges(Store &store, const TableSchema &schema, const QList<KeyRange> &ranges, RangeHasher &hasher,
                  std::function<void(QList<RangeDigest>)> done);

// Digests a stream of canonical rows cut into consecutive ranges, on a second thread so
// that hashing overlaps reading and encoding: the reader fills chunks of rows, marking
// where each range ends, and hands them over through a short queue. Until the first chunk
// fills, nothing is started, so digests of a few small ranges stay on the caller's thread.
// Used from one thread (the reader's); the digests come back in range order.
class RangeHasher
{
public:
    explicit RangeHasher(DigestAlgorithm algorithm);
    ~RangeHasher();
    RangeHasher(const RangeHasher &) = delete;
    RangeHasher &operator=(const RangeHasher &) = delete;

    void add(QByteArrayView row);
    // The range rows were added to since the last endRange() (or the start) is complete.
    void endRange();
    // The digests of ended ranges that are done and not taken yet, in range order; does
    // not wait.
    QList<QByteArray> takeReady();
    // Waits until every ended range is digested and returns the digests not taken yet.
    // Rows added after the last endRange() are discarded.
    QList<QByteArray> finish();
    // For a hasher that serves one request after another (DatabaseService): hands every
    // row added so far to the hashing thread (started if need be) and returns at once; that
    // thread calls deliver with the digests of the ranges ended since the previous flush
    // when they are done, so the next request is read while this one is hashed. Every
    // range must be ended. Not to be mixed with takeReady() and finish().
    void flush(std::function<void(QList<QByteArray>)> deliver);

private:
    class Worker;
    std::unique_ptr<Worker> m_worker;
};

} // namespace ferry
