#include "replication/workloadgenerator.h"

#include "rows/columntype.h"

#include <QDateTime>
#include <QThread>

#include <algorithm>

namespace ferry {

namespace {

constexpr int KnownKeys = 20000;

const char *const words[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
                             "上海", "法兰克福", "弗吉尼亚", "kilo", "lima", "mike"};

} // namespace

WorkloadGenerator::WorkloadGenerator(Store &store, const TableSchema &schema, const Mix &mix, quint32 seed)
    : m_store(store)
    , m_schema(schema)
    , m_mix(mix)
    , m_random(seed)
{
    // Start from the table's existing keys: the last ones for an integer key, a sample
    // of the first ones otherwise.
    const bool integerKey = m_schema.primaryKey.size() == 1 && m_schema.columns.at(m_schema.primaryKey.first()).type == ColumnType::Integer;
    m_store.scan(m_schema, KeyRange{}, [&](const Row &row) {
        const Key key = m_schema.keyOf(row);
        if (integerKey)
            m_nextInteger = std::max(m_nextInteger, key.first().toLongLong() + 1);
        if (m_known.size() < KnownKeys)
            m_known.append(key);
        else if (!integerKey)
            return false;
        else
            m_known[m_random.bounded(KnownKeys)] = key;
        return true;
    });
}

QVariant WorkloadGenerator::value(ColumnType type)
{
    switch (type) {
    case ColumnType::Integer: return qlonglong(m_random.bounded(1000000));
    case ColumnType::Real: return double(m_random.bounded(1000000)) / 100.0;
    case ColumnType::Text: {
        const int count = int(sizeof words / sizeof *words);
        return QStringLiteral("%1 %2 %3").arg(QString::fromUtf8(words[m_random.bounded(count)]), QString::fromUtf8(words[m_random.bounded(count)]))
            .arg(m_random.bounded(100000));
    }
    case ColumnType::Blob: {
        QByteArray bytes(16, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(m_random.bounded(256));
        return bytes;
    }
    case ColumnType::Boolean: return m_random.bounded(2) == 1;
    case ColumnType::Timestamp: return qlonglong(QDateTime::currentMSecsSinceEpoch() * 1000 + m_random.bounded(1000));
    case ColumnType::Numeric: return QString::number(m_random.bounded(1000000)) + QStringLiteral(".") + QString::number(m_random.bounded(10, 100));
    }
    return QVariant();
}

Key WorkloadGenerator::newKey()
{
    Key key;
    if (m_schema.primaryKey.size() == 1 && m_schema.columns.at(m_schema.primaryKey.first()).type == ColumnType::Integer) {
        key.append(qlonglong(m_nextInteger++));
        return key;
    }
    for (int index : m_schema.primaryKey) {
        const ColumnType type = m_schema.columns.at(index).type;
        QVariant part = value(type);
        if (type == ColumnType::Text)
            part = part.toString() + QLatin1Char('-') + QString::number(m_random.generate64(), 36);
        else if (type == ColumnType::Integer || type == ColumnType::Timestamp)
            part = qlonglong(m_random.generate64() >> 2);
        key.append(part);
    }
    return key;
}

Key WorkloadGenerator::existingKey()
{
    return m_known.isEmpty() ? Key() : m_known.at(m_random.bounded(int(m_known.size())));
}

Row WorkloadGenerator::makeRow(const Key &key)
{
    Row row;
    row.reserve(m_schema.columns.size());
    for (const Column &column : m_schema.columns)
        row.append(value(column.type));
    for (int i = 0; i < m_schema.primaryKey.size(); ++i)
        row[m_schema.primaryKey.at(i)] = key.at(i);
    return row;
}

void WorkloadGenerator::writeOne(Counts *counts)
{
    const int total = std::max(1, m_mix.inserts + m_mix.updates + m_mix.deletes);
    const int pick = int(m_random.bounded(total));
    if (pick >= m_mix.inserts && !m_known.isEmpty()) {
        const int slot = int(m_random.bounded(int(m_known.size())));
        const Key key = m_known.at(slot);
        if (pick < m_mix.inserts + m_mix.updates) {
            m_store.upsert(m_schema, {makeRow(key)});
            ++counts->updates;
        } else {
            m_store.remove(m_schema, {key});
            m_known.removeAt(slot);
            ++counts->deletes;
        }
        return;
    }
    const Key key = newKey();
    m_store.upsert(m_schema, {makeRow(key)});
    if (m_known.size() < KnownKeys)
        m_known.append(key);
    else
        m_known[m_random.bounded(KnownKeys)] = key;
    ++counts->inserts;
}

WorkloadGenerator::Counts WorkloadGenerator::run(double seconds, const std::function<void(const Counts &)> &progress)
{
    Counts counts;
    QElapsedTimer clock;
    clock.start();
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    double due = 0;
    qint64 lastNs = 0;
    while (!m_stopped && (seconds <= 0 || clock.nsecsElapsed() < qint64(seconds * 1e9))) {
        const qint64 nowNs = clock.nsecsElapsed();
        due += (nowNs - lastNs) / 1e9 * m_rate;
        lastNs = nowNs;
        // Writes are spread evenly; a backlog after a stall is capped at a tenth of a second.
        due = std::min(due, std::max(1.0, double(m_rate) / 10));
        while (due >= 1 && !m_stopped) {
            writeOne(&counts);
            due -= 1;
        }
        if (progress && sinceProgress.elapsed() >= 100) {
            sinceProgress.restart();
            progress(counts);
        }
        const double rate = m_rate;
        const qint64 waitUs = rate > 0 ? qint64((1 - due) / rate * 1e6) : 10000;
        QThread::usleep(quint64(std::clamp<qint64>(waitUs, 50, 10000)));
    }
    if (progress)
        progress(counts);
    return counts;
}

} // namespace ferry
