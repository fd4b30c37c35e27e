#include "wire/message.h"

#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCborStreamReader>
#include <QCborValue>
#include <QCoreApplication>
#include <QtEndian>

#include <zlib.h>

#include <algorithm>

namespace ferry {

namespace {

constexpr qint64 MaxId = Q_INT64_C(1) << 53;

// CBOR lets a map repeat a key and QCborMap keeps both entries: value() and remove() see
// only the first, so a second "t" or "id" would survive decodeMessage in the body, and two
// readers of one message could disagree on a field. Ferry never sends a repeated key.
// Returns one repeated key, or undefined when there is none. (QCborValue::fromCbor limits
// nesting, which bounds the recursion.)
QCborValue repeatedKey(const QCborValue &value)
{
    if (value.isArray()) {
        for (const QCborValue &item : value.toArray()) {
            const QCborValue repeated = repeatedKey(item);
            if (!repeated.isUndefined())
                return repeated;
        }
    } else if (value.isMap()) {
        const QCborMap map = value.toMap();
        QList<QCborValue> keys;
        keys.reserve(map.size());
        for (auto it = map.cbegin(); it != map.cend(); ++it) {
            keys.append(it.key());
            const QCborValue repeated = repeatedKey(it.value());
            if (!repeated.isUndefined())
                return repeated;
        }
        std::sort(keys.begin(), keys.end());
        const auto it = std::adjacent_find(keys.cbegin(), keys.cend());
        if (it != keys.cend())
            return *it;
    } else if (value.isTag()) {
        return repeatedKey(value.taggedValue());
    }
    return QCborValue();
}

} // namespace

QByteArray encodeMessage(QLatin1StringView type, qint64 id, QCborMap body, bool compress)
{
    if (compress) {
        const QByteArray plain = body.toCborValue().toCbor();
        if (plain.size() > 1024) {
            QCborMap wrapped{{QLatin1StringView("t"), QString(type)}, {QLatin1StringView("z"), qCompress(plain, 1)}};
            if (id >= 0)
                wrapped.insert(QLatin1StringView("id"), id);
            return wrapped.toCborValue().toCbor();
        }
    }
    body.insert(QLatin1StringView("t"), QString(type));
    if (id >= 0)
        body.insert(QLatin1StringView("id"), id);
    return body.toCborValue().toCbor();
}

QByteArray encodeMessage(QLatin1StringView type, qint64 id, const QByteArray &encodedBody, bool compress)
{
    Q_ASSERT(encodedBody.size() >= 2 && quint8(encodedBody.front()) == 0xbf && quint8(encodedBody.back()) == 0xff);
    if (compress && encodedBody.size() > 1024) {
        QCborMap wrapped{{QLatin1StringView("t"), QString(type)}, {QLatin1StringView("z"), qCompress(encodedBody, 1)}};
        if (id >= 0)
            wrapped.insert(QLatin1StringView("id"), id);
        return wrapped.toCborValue().toCbor();
    }
    // "t" and "id" first, then the body's own entries, in the same indefinite-length map.
    QByteArray out;
    out.reserve(encodedBody.size() + 32);
    out.append(char(0xbf));
    out.append(QCborValue(QLatin1StringView("t")).toCbor());
    out.append(QCborValue(QString(type)).toCbor());
    if (id >= 0) {
        out.append(QCborValue(QLatin1StringView("id")).toCbor());
        out.append(QCborValue(id).toCbor());
    }
    out.append(encodedBody.constData() + 1, encodedBody.size() - 1);
    return out;
}

Message decodeMessage(const QByteArray &body, quint32 maxSize)
{
    QCborStreamReader reader(body);
    const QCborValue value = QCborValue::fromCbor(reader);
    if (reader.lastError() != QCborError::NoError)
        throw WireError(protocol::ErrorCode::BadFrame, QCoreApplication::translate("Message", "the frame is not valid CBOR: %1 at byte %2").arg(reader.lastError().toString()).arg(reader.currentOffset()));
    if (reader.currentOffset() != body.size())
        throw WireError(protocol::ErrorCode::BadFrame, QCoreApplication::translate("Message", "the frame holds more than one CBOR value"));
    if (!value.isMap())
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "the message is not a CBOR map"));
    const QCborValue repeated = repeatedKey(value);
    if (!repeated.isUndefined())
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "a map of the message holds key %1 more than once").arg(repeated.toDiagnosticNotation().left(64)));
    Message message;
    message.body = value.toMap();
    const QCborValue type = message.body.value(QLatin1StringView("t"));
    if (!type.isString() || type.toString().isEmpty())
        throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "the message has no type (\"t\")"));
    message.type = type.toString();
    const QCborValue id = message.body.value(QLatin1StringView("id"));
    if (!id.isUndefined()) {
        if (!id.isInteger() || id.toInteger() < 0 || id.toInteger() > MaxId)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "message \"%1\": the request id is not an integer in 0..2^53").arg(message.type));
        message.id = id.toInteger();
    }
    message.body.remove(QLatin1StringView("t"));
    message.body.remove(QLatin1StringView("id"));
    const QCborValue z = message.body.value(QLatin1StringView("z"));
    if (!z.isUndefined()) {
        // qCompress's format: the size, then a zlib stream. The size is checked first, and
        // the stream is inflated into exactly that many bytes and no more (qUncompress
        // would keep growing its buffer for a stream that expands further: a zip bomb).
        const QByteArray packed = z.toByteArray();
        if (!z.isByteArray() || packed.size() < 4 || message.body.size() != 1)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "message \"%1\": malformed compressed body").arg(message.type));
        const quint32 size = qFromBigEndian<quint32>(packed.constData());
        if (size == 0 || size > maxSize)
            throw WireError(protocol::ErrorCode::BadFrame, QCoreApplication::translate("Message", "message \"%1\": the compressed body declares %2 bytes (1 to %3 allowed)").arg(message.type).arg(size).arg(maxSize));
        QByteArray plain(qsizetype(size), Qt::Uninitialized);
        uLongf inflated = size;
        const int status = uncompress(reinterpret_cast<Bytef *>(plain.data()), &inflated,
                                      reinterpret_cast<const Bytef *>(packed.constData() + 4), uLong(packed.size() - 4));
        if (status != Z_OK || inflated != size)
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "message \"%1\": the compressed body does not decompress to its declared size").arg(message.type));
        QCborStreamReader inner(plain);
        const QCborValue innerValue = QCborValue::fromCbor(inner);
        if (inner.lastError() != QCborError::NoError || inner.currentOffset() != plain.size() || !innerValue.isMap())
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "message \"%1\": compressed body is not a CBOR map").arg(message.type));
        // The expanded body gets the checks the plain one had: no repeated key, and no "t"
        // or "id" of its own (they travel outside, and a handler must not see a second one).
        const QCborValue innerRepeated = repeatedKey(innerValue);
        if (!innerRepeated.isUndefined())
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "a map of the message holds key %1 more than once").arg(innerRepeated.toDiagnosticNotation().left(64)));
        message.body = innerValue.toMap();
        if (message.body.contains(QLatin1StringView("t")) || message.body.contains(QLatin1StringView("id")))
            throw WireError(protocol::ErrorCode::BadMessage, QCoreApplication::translate("Message", "message \"%1\": compressed body holds \"t\" or \"id\"").arg(message.type));
        message.compressed = true;
    }
    return message;
}

void MessageFields::fail(QLatin1StringView key, const QString &what) const
{
    throw WireError(protocol::ErrorCode::BadMessage,
                    QCoreApplication::translate("Message", "message \"%1\": field \"%2\" %3").arg(m_type, QString(key), what));
}

QCborValue MessageFields::value(QLatin1StringView key) const
{
    const QCborValue v = m_map.value(key);
    if (v.isUndefined())
        fail(key, QCoreApplication::translate("Message", "is missing"));
    return v;
}

QString MessageFields::string(QLatin1StringView key) const
{
    const QCborValue v = value(key);
    if (!v.isString())
        fail(key, QCoreApplication::translate("Message", "is not a string"));
    QString s = v.toString();
    if (s.size() > protocol::MaxStringLength)
        throw WireError(protocol::ErrorCode::LimitExceeded, QCoreApplication::translate("Message", "%1: field \"%2\" is %3 characters long; at most %4")
                                                                .arg(m_type, QString(key)).arg(s.size()).arg(protocol::MaxStringLength));
    return s;
}

QString MessageFields::text(QLatin1StringView key, const QString &fallback) const
{
    if (!m_map.contains(key))
        return fallback;
    const QCborValue v = value(key);
    if (!v.isString())
        fail(key, QCoreApplication::translate("Message", "is not a string"));
    QString s = v.toString();
    if (s.size() > protocol::MaxTextLength)
        throw WireError(protocol::ErrorCode::LimitExceeded, QCoreApplication::translate("Message", "%1: field \"%2\" is %3 characters long; at most %4")
                                                                .arg(m_type, QString(key)).arg(s.size()).arg(protocol::MaxTextLength));
    return s;
}

QString MessageFields::string(QLatin1StringView key, const QString &fallback) const
{
    return m_map.contains(key) ? string(key) : fallback;
}

qint64 MessageFields::integer(QLatin1StringView key, qint64 min, qint64 max) const
{
    const QCborValue v = value(key);
    if (!v.isInteger())
        fail(key, QCoreApplication::translate("Message", "is not an integer"));
    const qint64 n = v.toInteger();
    if (n < min || n > max)
        fail(key, QCoreApplication::translate("Message", "is %1, outside %2..%3").arg(n).arg(min).arg(max));
    return n;
}

qint64 MessageFields::integer(QLatin1StringView key, qint64 min, qint64 max, qint64 fallback) const
{
    return m_map.contains(key) ? integer(key, min, max) : fallback;
}

bool MessageFields::boolean(QLatin1StringView key, bool fallback) const
{
    if (!m_map.contains(key))
        return fallback;
    const QCborValue v = m_map.value(key);
    if (!v.isBool())
        fail(key, QCoreApplication::translate("Message", "is not a boolean"));
    return v.toBool();
}

QCborArray MessageFields::array(QLatin1StringView key) const
{
    const QCborValue v = value(key);
    if (!v.isArray())
        fail(key, QCoreApplication::translate("Message", "is not an array"));
    return v.toArray();
}

QCborMap MessageFields::map(QLatin1StringView key) const
{
    const QCborValue v = value(key);
    if (!v.isMap())
        fail(key, QCoreApplication::translate("Message", "is not a map"));
    return v.toMap();
}

} // namespace ferry
