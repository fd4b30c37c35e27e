#include "capture/pgreplicationstream.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QtEndian>

#include <chrono>
#include <libpq-fe.h>

namespace ferry {

namespace {

// PostgreSQL's epoch for replication timestamps: 2000-01-01 00:00:00 UTC.
constexpr qint64 PostgresEpochUs = 946684800LL * 1000000LL;
// A status update at least this often: the server drops a silent client after
// wal_sender_timeout (60 s by default).
constexpr int StatusEveryMs = 10000;

qint64 nowPostgresUs()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count() - PostgresEpochUs;
}

quint64 readU64(const char *data)
{
    return qFromBigEndian<quint64>(data);
}

} // namespace

PgReplicationStream::PgReplicationStream(const DataSource &source)
    : m_source(source)
{
}

PgReplicationStream::~PgReplicationStream()
{
    close();
}

void PgReplicationStream::close()
{
    if (m_conn)
        PQfinish(m_conn);
    m_conn = nullptr;
}

int PgReplicationStream::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

void PgReplicationStream::fail(const QString &what)
{
    const QString detail = m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed() : QString();
    close();
    throw FerryError(QCoreApplication::translate("PgReplicationStream", "%1: replication connection: %2%3")
                         .arg(m_source.displayName(), what, detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
}

QString PgReplicationStream::lsnText(quint64 lsn)
{
    return QStringLiteral("%1/%2").arg(quint32(lsn >> 32), 0, 16).arg(quint32(lsn), 0, 16).toUpper();
}

quint64 PgReplicationStream::parseLsn(const QByteArray &text)
{
    const qsizetype slash = text.indexOf('/');
    if (slash <= 0)
        return 0;
    bool high = false;
    bool low = false;
    const quint64 value = (text.left(slash).toULongLong(&high, 16) << 32) | text.mid(slash + 1).toULongLong(&low, 16);
    return high && low ? value : 0;
}

void PgReplicationStream::start(const QString &slot, const QString &publication, quint64 fromLsn)
{
    close();
    const QByteArray host = m_source.host.toUtf8();
    const QByteArray port = QByteArray::number(m_source.port);
    const QByteArray user = m_source.user.toUtf8();
    const QByteArray password = m_source.password.toUtf8();
    const QByteArray database = m_source.database.toUtf8();
    // The plugin writes values with the output functions of the walsender's session:
    // these settings make them the forms PgOutputDecoder reads.
    const char *keywords[] = {"host", "port", "user", "password", "dbname", "replication", "application_name", "options", "connect_timeout", nullptr};
    const char *values[] = {host.constData(),
                            port.constData(),
                            user.isEmpty() ? nullptr : user.constData(),
                            password.isEmpty() ? nullptr : password.constData(),
                            database.constData(),
                            "database",
                            "ferry",
                            "-c DateStyle=ISO -c TimeZone=UTC -c extra_float_digits=3 -c bytea_output=hex",
                            "10",
                            nullptr};
    m_conn = PQconnectdbParams(keywords, values, 0);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK)
        fail(QCoreApplication::translate("PgReplicationStream", "cannot connect"));
    char *quotedSlot = PQescapeIdentifier(m_conn, slot.toUtf8().constData(), size_t(slot.toUtf8().size()));
    char *quotedPublication = PQescapeLiteral(m_conn, publication.toUtf8().constData(), size_t(publication.toUtf8().size()));
    const QByteArray command = QByteArray("START_REPLICATION SLOT ") + quotedSlot + " LOGICAL " + lsnText(fromLsn).toLatin1()
                               + " (proto_version '1', publication_names " + quotedPublication + ")";
    PQfreemem(quotedSlot);
    PQfreemem(quotedPublication);
    PGresult *result = PQexec(m_conn, command.constData());
    const ExecStatusType status = PQresultStatus(result);
    const QString error = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    PQclear(result);
    if (status != PGRES_COPY_BOTH)
        fail(QCoreApplication::translate("PgReplicationStream", "START_REPLICATION of slot %1 failed: %2").arg(slot, error));
    if (PQsetnonblocking(m_conn, 1) != 0)
        fail(QCoreApplication::translate("PgReplicationStream", "cannot switch to non-blocking mode"));
    m_flushed = fromLsn;
    m_sentUpTo = 0;
    m_sinceStatus.start();
}

bool PgReplicationStream::read(Message *message)
{
    if (!m_conn)
        throw FerryError(QCoreApplication::translate("PgReplicationStream", "%1: replication connection is closed").arg(m_source.displayName()));
    if (m_sinceStatus.elapsed() >= StatusEveryMs)
        sendStatus(false);
    for (;;) {
        char *buffer = nullptr;
        int length = PQgetCopyData(m_conn, &buffer, 1);
        if (length == 0) {
            if (PQconsumeInput(m_conn) != 1)
                fail(QCoreApplication::translate("PgReplicationStream", "connection lost"));
            length = PQgetCopyData(m_conn, &buffer, 1);
            if (length == 0)
                return false;
        }
        if (length == -1) {
            PGresult *result = PQgetResult(m_conn);
            const QString error = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
            PQclear(result);
            fail(QCoreApplication::translate("PgReplicationStream", "the server ended the stream: %1").arg(error));
        }
        if (length < 0)
            fail(QCoreApplication::translate("PgReplicationStream", "connection lost"));
        const QByteArray data(buffer, length);
        PQfreemem(buffer);
        if (data.at(0) == 'k') {
            // Primary keepalive: walEnd, sendTime, replyRequested.
            if (data.size() < 18)
                fail(QCoreApplication::translate("PgReplicationStream", "malformed keepalive"));
            m_sentUpTo = std::max(m_sentUpTo, readU64(data.constData() + 1));
            if (data.at(17))
                sendStatus(false);
            continue;
        }
        if (data.at(0) == 'w') {
            // XLogData: dataStart, walEnd, sendTime, then the plugin's message.
            if (data.size() < 25)
                fail(QCoreApplication::translate("PgReplicationStream", "malformed XLogData"));
            message->lsn = readU64(data.constData() + 1);
            message->data = data.mid(25);
            return true;
        }
        fail(QCoreApplication::translate("PgReplicationStream", "unexpected message '%1'").arg(QLatin1Char(data.at(0))));
    }
}

void PgReplicationStream::confirm(quint64 flushLsn, bool askReply)
{
    m_flushed = std::max(m_flushed, flushLsn);
    if (m_conn)
        sendStatus(askReply);
}

void PgReplicationStream::sendStatus(bool askReply)
{
    // Standby status update: written, flushed, applied, clock, reply requested.
    char message[34];
    message[0] = 'r';
    qToBigEndian<quint64>(m_flushed, message + 1);
    qToBigEndian<quint64>(m_flushed, message + 9);
    qToBigEndian<quint64>(m_flushed, message + 17);
    qToBigEndian<qint64>(nowPostgresUs(), message + 25);
    message[33] = askReply ? 1 : 0;
    if (PQputCopyData(m_conn, message, sizeof message) != 1)
        fail(QCoreApplication::translate("PgReplicationStream", "cannot send a status update"));
    // Non-blocking: the rest goes out with the next calls.
    if (PQflush(m_conn) < 0)
        fail(QCoreApplication::translate("PgReplicationStream", "cannot send a status update"));
    m_sinceStatus.start();
}

} // namespace ferry
