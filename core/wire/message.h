#pragma once

#include <QByteArray>
#include <QCborArray>
#include "wire/protocol.h"

#include <QCborMap>
#include <QString>

namespace ferry {

// One decoded frame body: its type, its request id (-1 when it has none) and the map.
struct Message
{
    QString type;
    qint64 id = -1;
    QCborMap body;
    bool compressed = false;   // it arrived compressed (answer in kind)
};

// The CBOR bytes of a message (not yet framed): body plus "t" and, when id >= 0, "id".
// With compress, a body of more than 1 KiB travels zlib-compressed as {t, id, z: bytes}.
QByteArray encodeMessage(QLatin1StringView type, qint64 id, QCborMap body = {}, bool compress = false);
// The same for a body already encoded: an indefinite-length CBOR map (0xbf ... 0xff)
// without "t" or "id" (wirecodec::encodeReplaceBody writes one, for the bulk of a repair).
QByteArray encodeMessage(QLatin1StringView type, qint64 id, const QByteArray &encodedBody, bool compress);

// Parses one frame body. Throws WireError: bad_frame when it is not one complete CBOR
// value, bad_message when it is not a map with a string "t" and, if present, an id in
// 0..2^53, or when any map in it repeats a key. A compressed body may expand to at most
// maxSize bytes (the fuzzer scales it down, as it does the frame size).
Message decodeMessage(const QByteArray &body, quint32 maxSize = protocol::MaxFrameSize);

// Typed, checked access to a message's fields. Every getter throws WireError
// (bad_message) naming the message type and the field when it is missing or of another
// type, so a handler can read its fields straight through and the session answers with
// a typed error reply.
class MessageFields
{
public:
    explicit MessageFields(const Message &message) : m_type(message.type), m_map(message.body) {}
    MessageFields(const QString &context, const QCborMap &map) : m_type(context), m_map(map) {}

    bool has(QLatin1StringView key) const { return m_map.contains(key); }
    QString string(QLatin1StringView key) const;
    QString string(QLatin1StringView key, const QString &fallback) const;
    // The string getters refuse a value longer than protocol::MaxStringLength (names, ids,
    // labels) with limit_exceeded; text allows protocol::MaxTextLength (free text).
    QString text(QLatin1StringView key, const QString &fallback) const;
    qint64 integer(QLatin1StringView key, qint64 min, qint64 max) const;
    qint64 integer(QLatin1StringView key, qint64 min, qint64 max, qint64 fallback) const;
    bool boolean(QLatin1StringView key, bool fallback) const;
    QCborArray array(QLatin1StringView key) const;
    QCborMap map(QLatin1StringView key) const;
    QCborValue value(QLatin1StringView key) const;

    [[noreturn]] void fail(QLatin1StringView key, const QString &what) const;

private:
    QString m_type;
    QCborMap m_map;
};

} // namespace ferry
