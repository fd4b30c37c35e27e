#include "wire/frame.h"

#include "wire/wireerror.h"

#include <QCoreApplication>
#include <QtEndian>

namespace ferry {

QByteArray encodeFrame(const QByteArray &body)
{
    QByteArray frame;
    frame.reserve(4 + body.size());
    char header[4];
    qToBigEndian(quint32(body.size()), header);
    frame.append(header, 4);
    frame.append(body);
    return frame;
}

bool FrameReader::next(QByteArray &body)
{
    if (buffered() < 4)
        return false;
    const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
    if (length == 0 || length > m_maxFrameSize)
        throw WireError(protocol::ErrorCode::BadFrame,
                        QCoreApplication::translate("FrameReader", "frame length %1 is outside 1..%2 bytes").arg(length).arg(m_maxFrameSize));
    if (buffered() - 4 < qsizetype(length))
        return false;
    body = m_buffer.mid(m_offset + 4, length);
    m_offset += 4 + qsizetype(length);
    // Drop consumed bytes once they dominate the buffer, so it does not grow without bound.
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > 1024 * 1024 && m_offset > m_buffer.size() / 2) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    return true;
}

} // namespace ferry
