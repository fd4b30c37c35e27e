#pragma once

#include <QtGlobal>

namespace ferry {

// What one connection, one peer and the whole node may hold, so that no connection, with a
// certificate or without, can make a node wait, grow without bound or stop accepting
// others (DESIGN.md, "Trust" rule 4). A peer is the address of a connection until its TLS
// handshake is done, then the name in its certificate. Set in the node config's "limits"
// object (NodeConfig); the defaults suit a production node.
struct ConnectionLimits
{
    // TCP accept to the end of the TLS handshake, and from there to the hello.
    int handshakeTimeoutMs = 10000;
    // A session with nothing in flight, no subscription and no byte received for this long
    // is closed.
    int idleTimeoutMs = 600000;
    // Unfinished TLS handshakes: from one address, and in all. When either is full, the
    // oldest unfinished handshake (of that address, or of any) is dropped to make room: a
    // client that completes its handshake promptly always gets in.
    int maxHandshakesPerAddress = 32;
    int maxHandshakes = 512;
    // Connections past the handshake: per certificate name, and in all.
    int maxSessionsPerPeer = 256;
    int maxSessions = 4096;
    // Bytes of frames received in part (a frame is at most protocol::MaxFrameSize): per
    // certificate name, and in all. A connection that would go beyond is closed.
    qint64 maxUnfinishedBytesPerPeer = 160LL * 1024 * 1024;
    qint64 maxUnfinishedBytes = 256LL * 1024 * 1024;
    // Replies written to a connection and not yet taken by the peer: above a quarter of
    // this, no further request of that connection is read; above it, the connection is
    // closed.
    qint64 maxQueuedReplyBytes = 64LL * 1024 * 1024;
};

} // namespace ferry
