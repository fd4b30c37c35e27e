#pragma once

#include "storage/store.h"

#include <QElapsedTimer>
#include <QRandomGenerator>

#include <atomic>
#include <functional>

namespace ferry {

// Writes inserts, updates and deletes into a table at a steady rate, each in its own
// transaction, as an application would: for demos (the console's built-in data centers)
// and for benchmarks (`ferryctl load`). Values are made up per column type; new keys
// continue an integer key, or are random for other key types.
class WorkloadGenerator
{
public:
    struct Mix
    {
        int inserts = 50;
        int updates = 40;
        int deletes = 10;
    };
    struct Counts
    {
        qint64 inserts = 0;
        qint64 updates = 0;
        qint64 deletes = 0;
        qint64 total() const { return inserts + updates + deletes; }
    };

    WorkloadGenerator(Store &store, const TableSchema &schema, const Mix &mix, quint32 seed);

    // Writes at `rate` writes per second (changeable while it runs) until `seconds` have
    // passed (<= 0: until stop), calling progress about every 100 ms. Throws FerryError
    // when a write fails (a replica guard, a lost database).
    Counts run(double seconds, const std::function<void(const Counts &)> &progress = {});
    void setRate(double writesPerSecond) { m_rate = writesPerSecond; }
    double rate() const { return m_rate; }
    void stop() { m_stopped = true; }

    // One write of the mix, now.
    void writeOne(Counts *counts);

private:
    Row makeRow(const Key &key);
    Key newKey();
    Key existingKey();
    QVariant value(ColumnType type);

    Store &m_store;
    TableSchema m_schema;
    Mix m_mix;
    QRandomGenerator m_random;
    std::atomic<double> m_rate{100};
    std::atomic<bool> m_stopped{false};
    qint64 m_nextInteger = 0;        // integer keys: the next one to insert
    QList<Key> m_known;              // keys seen or written, for updates and deletes
};

} // namespace ferry
