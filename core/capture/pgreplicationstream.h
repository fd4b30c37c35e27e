#pragma once

#include "storage/datasource.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>

typedef struct pg_conn PGconn;

namespace ferry {

// One logical replication slot read through libpq's replication protocol (a connection
// with replication=database, START_REPLICATION ... LOGICAL, then CopyBoth), as
// pg_recvlogical does: XLogData messages carry the output plugin's messages, primary
// keepalives are answered when the server asks, and standby status updates report the
// position up to which the client has made the changes durable (the slot's confirmed
// position: the server keeps the WAL after it). Never waits: read() returns what has
// arrived. Belongs to the thread that uses it. Throws FerryError naming the server.
class PgReplicationStream
{
public:
    explicit PgReplicationStream(const DataSource &source);
    ~PgReplicationStream();
    PgReplicationStream(const PgReplicationStream &) = delete;
    PgReplicationStream &operator=(const PgReplicationStream &) = delete;

    // Connects and starts streaming slot from fromLsn (0: the slot's confirmed position)
    // with pgoutput (protocol 1) and publication.
    void start(const QString &slot, const QString &publication, quint64 fromLsn);
    void close();
    bool isOpen() const { return m_conn != nullptr; }
    // The connection's socket, for a notifier; -1 when closed.
    int socket() const;

    struct Message
    {
        quint64 lsn = 0;         // where the message's WAL data starts
        QByteArray data;         // one pgoutput message
    };
    // The next message without waiting; false when none has arrived yet. Answers the
    // server's keepalives. Throws when the connection broke or the server ended the stream.
    bool read(Message *message);
    // The position the server last said it had sent everything before (a keepalive's),
    // 0 when none came yet.
    quint64 sentUpTo() const { return m_sentUpTo; }
    // Reports flushLsn (never moving back) as flushed and applied; with askReply the
    // server answers with a keepalive (sentUpTo() moves).
    void confirm(quint64 flushLsn, bool askReply = false);
    quint64 confirmed() const { return m_flushed; }

    // "X/Y" as PostgreSQL writes an LSN, and back (0 when text is not one).
    static QString lsnText(quint64 lsn);
    static quint64 parseLsn(const QByteArray &text);

private:
    void sendStatus(bool askReply);
    [[noreturn]] void fail(const QString &what);

    DataSource m_source;
    PGconn *m_conn = nullptr;
    quint64 m_flushed = 0;
    quint64 m_sentUpTo = 0;
    QElapsedTimer m_sinceStatus;
};

} // namespace ferry
