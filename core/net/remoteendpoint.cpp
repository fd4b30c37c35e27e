#include "net/remoteendpoint.h"

#include "wire/datacodec.h"
#include "wire/protocol.h"

#include "wire/wireerror.h"

namespace ferry {

namespace {

// A rough size of a row on the wire, enough to cut repair messages to size.
qint64 approximateBytes(const Row &row)
{
    qint64 bytes = 2;
    for (const QVariant &value : row) {
        switch (value.typeId()) {
        case QMetaType::QString: bytes += 3 + value.toString().size() * 2; break;   // worst case UTF-8 for BMP text
        case QMetaType::QByteArray: bytes += 5 + value.toByteArray().size(); break;
        default: bytes += 9; break;
        }
    }
    return bytes;
}

} // namespace

RemoteEndpoint::RemoteEndpoint(NodeClient *client, const QString &database, const QString &link)
    : m_client(client)
    , m_database(database)
    , m_link(link)
{
}

QString RemoteEndpoint::displayName() const
{
    const NodeHello hello = m_client->hello();
    return QStringLiteral("ferry://%1/%2 (%3)").arg(m_client->address(), m_database, hello.node);
}

QFuture<TableSchema> RemoteEndpoint::describe(const QString &table)
{
    const QCborMap body{{QStringLiteral("db"), m_database}, {QStringLiteral("table"), table}};
    return m_client->request(protocol::Type::Describe, body).then([](const Message &reply) {
        return wirecodec::decodeSchema(reply.body.value(QLatin1StringView("schema")), reply.type);
    });
}

QFuture<QList<RangeDigest>> RemoteEndpoint::digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges,
                                                         DigestAlgorithm algorithm)
{
    QCborMap body{{QStringLiteral("db"), m_database},
                  {QStringLiteral("table"), schema.table},
                  {QStringLiteral("digest"), digestAlgorithmName(algorithm)},
                  {QStringLiteral("ranges"), wirecodec::encodeRanges(schema.keyTypes(), ranges)}};
    if (!m_link.isEmpty())
        body.insert(QStringLiteral("link"), m_link);
    const qsizetype expected = ranges.size();
    return m_client->request(protocol::Type::Digest, body).then([expected](const Message &reply) {
        QList<RangeDigest> digests = wirecodec::decodeDigests(MessageFields(reply).array(QLatin1StringView("digests")), reply.type);
        if (digests.size() != expected)
            throw WireError(protocol::ErrorCode::BadMessage, QStringLiteral("%1 digests for %2 ranges").arg(digests.size()).arg(expected));
        return digests;
    });
}

namespace {

// Sends a repair as several replace requests at once (the target applies them in order,
// each in one transaction) and gathers their digests, in order, into one future.
// send(i) sends the i-th request; counts[i] is the number of ranges in it.
QFuture<QList<RangeDigest>> gatherReplies(const QList<qsizetype> &counts, const std::function<QFuture<Message>(qsizetype)> &send)
{
    struct Gather
    {
        QPromise<QList<RangeDigest>> promise;
        QList<QList<RangeDigest>> parts;
        qsizetype remaining = 0;
        bool failed = false;
    };
    auto gather = std::make_shared<Gather>();
    gather->promise.start();
    QFuture<QList<RangeDigest>> result = gather->promise.future();
    if (counts.isEmpty()) {
        gather->promise.addResult(QList<RangeDigest>());
        gather->promise.finish();
        return result;
    }
    gather->parts.resize(counts.size());
    gather->remaining = counts.size();
    for (qsizetype i = 0; i < counts.size(); ++i) {
        // Both continuations run in the client's thread, one at a time.
        send(i)
            .then([gather, i, count = counts.at(i)](const Message &reply) {
                if (gather->failed)
                    return;
                QList<RangeDigest> part = wirecodec::decodeDigests(MessageFields(reply).array(QLatin1StringView("digests")), reply.type);
                if (part.size() != count)
                    throw WireError(protocol::ErrorCode::BadMessage, QStringLiteral("%1 digests for %2 ranges").arg(part.size()).arg(count));
                gather->parts[i] = std::move(part);
                if (--gather->remaining == 0) {
                    QList<RangeDigest> digests;
                    for (const QList<RangeDigest> &p : gather->parts)
                        digests += p;
                    gather->promise.addResult(digests);
                    gather->promise.finish();
                }
            })
            .onFailed([gather] {
                if (gather->failed)
                    return;
                gather->failed = true;
                gather->promise.setException(std::current_exception());
                gather->promise.finish();
            });
    }
    return result;
}

// Cuts ranges into requests of about ReplaceBatchBytes: (first range, count) of each.
QList<QPair<qsizetype, qsizetype>> batchesOf(qsizetype ranges, const std::function<qint64(qsizetype)> &bytesOf)
{
    QList<QPair<qsizetype, qsizetype>> batches;
    for (qsizetype begin = 0; begin < ranges;) {
        qint64 bytes = 0;
        qsizetype end = begin;
        while (end < ranges && (end == begin || bytes < protocol::ReplaceBatchBytes))
            bytes += bytesOf(end++);
        batches.append({begin, end - begin});
        begin = end;
    }
    return batches;
}

} // namespace

QFuture<QList<RangeDigest>> RemoteEndpoint::replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges,
                                                          DigestAlgorithm algorithm)
{
    const auto batches = batchesOf(ranges.size(), [&](qsizetype i) {
        qint64 bytes = 0;
        for (const Row &row : ranges.at(i).rows)
            bytes += approximateBytes(row);
        return bytes;
    });
    QList<qsizetype> counts;
    for (const auto &batch : batches)
        counts.append(batch.second);
    return gatherReplies(counts, [&](qsizetype i) {
        const auto [begin, count] = batches.at(i);
        QCborMap body{{QStringLiteral("db"), m_database},
                      {QStringLiteral("table"), schema.table},
                      {QStringLiteral("digest"), digestAlgorithmName(algorithm)},
                      {QStringLiteral("parts"), wirecodec::encodeRangeRows(schema, ranges.mid(begin, count))}};
        if (!m_link.isEmpty())
            body.insert(QStringLiteral("link"), m_link);
        return m_client->request(protocol::Type::Replace, body);
    });
}

QFuture<QList<RangeDigest>> RemoteEndpoint::replaceEncoded(const TableSchema &schema, const QList<EncodedRangeRows> &ranges,
                                                           DigestAlgorithm algorithm)
{
    // Canonical bytes are close to the CBOR ones (a little more for the integers' full 8 bytes).
    const auto batches = batchesOf(ranges.size(), [&](qsizetype i) { return ranges.at(i).offsets.constLast() - ranges.at(i).offsets.constFirst(); });
    QList<qsizetype> counts;
    for (const auto &batch : batches)
        counts.append(batch.second);
    return gatherReplies(counts, [&](qsizetype i) {
        const auto [begin, count] = batches.at(i);
        return m_client->requestEncoded(protocol::Type::Replace, wirecodec::encodeReplaceBody(m_database, schema, digestAlgorithmName(algorithm), ranges.mid(begin, count), m_link));
    });
}

QFuture<QList<Row>> RemoteEndpoint::readRange(const TableSchema &schema, const KeyRange &range, int limit)
{
    const QCborMap body{{QStringLiteral("db"), m_database},
                        {QStringLiteral("table"), schema.table},
                        {QStringLiteral("range"), wirecodec::encodeRange(schema.keyTypes(), range)},
                        {QStringLiteral("limit"), limit}};
    return m_client->request(protocol::Type::Scan, body).then([schema, limit](const Message &reply) {
        const QCborArray array = MessageFields(reply).array(QLatin1StringView("rows"));
        if (array.size() > limit)
            throw WireError(protocol::ErrorCode::BadMessage, QStringLiteral("%1 rows for a limit of %2").arg(array.size()).arg(limit));
        QList<Row> rows;
        rows.reserve(array.size());
        for (const QCborValue &value : array)
            rows.append(wirecodec::decodeRow(schema, value, reply.type));
        return rows;
    });
}

} // namespace ferry
