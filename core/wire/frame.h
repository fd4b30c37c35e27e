#pragma once

#include "wire/protocol.h"

#include <QByteArray>

namespace ferry {

// 4-byte big-endian length, then the body.
QByteArray encodeFrame(const QByteArray &body);

// Cuts frames out of a byte stream. A length of zero or above the maximum is a protocol
// error, reported before any memory is set aside for the body.
class FrameReader
{
public:
    explicit FrameReader(quint32 maxFrameSize = protocol::MaxFrameSize) : m_maxFrameSize(maxFrameSize) {}

    void append(const char *data, qsizetype size) { m_buffer.append(data, size); }
    void append(const QByteArray &bytes) { m_buffer.append(bytes); }

    // Moves the next complete frame's body into body and returns true; returns false when
    // more bytes are needed. Throws WireError (bad_frame) on a bad length; the reader is
    // unusable afterwards (the stream has lost its framing).
    bool next(QByteArray &body);

    qsizetype buffered() const { return m_buffer.size() - m_offset; }

private:
    quint32 m_maxFrameSize;
    QByteArray m_buffer;
    qsizetype m_offset = 0;
};

} // namespace ferry
