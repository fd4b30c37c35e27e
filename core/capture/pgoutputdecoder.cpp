#include "capture/pgoutputdecoder.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QtEndian>

namespace ferry {

namespace {

constexpr qint64 PostgresEpochUs = 946684800LL * 1000000LL;

// Reads a message front to back; any read past its end is a malformed message.
class Reader
{
public:
    explicit Reader(const QByteArray &data)
        : m_data(data)
    {
    }
    void need(qsizetype bytes) const
    {
        if (m_at + bytes > m_data.size())
            throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput message '%1' is cut short").arg(QLatin1Char(m_data.at(0))));
    }
    char byte()
    {
        need(1);
        return m_data.at(m_at++);
    }
    quint16 u16()
    {
        need(2);
        const quint16 value = qFromBigEndian<quint16>(m_data.constData() + m_at);
        m_at += 2;
        return value;
    }
    quint32 u32()
    {
        need(4);
        const quint32 value = qFromBigEndian<quint32>(m_data.constData() + m_at);
        m_at += 4;
        return value;
    }
    quint64 u64()
    {
        need(8);
        const quint64 value = qFromBigEndian<quint64>(m_data.constData() + m_at);
        m_at += 8;
        return value;
    }
    QString string()
    {
        const qsizetype end = m_data.indexOf('\0', m_at);
        if (end < 0)
            need(m_data.size() + 1);
        const QString value = QString::fromUtf8(m_data.constData() + m_at, end - m_at);
        m_at = end + 1;
        return value;
    }
    QByteArray bytes(qsizetype length)
    {
        need(length);
        const QByteArray value = m_data.mid(m_at, length);
        m_at += length;
        return value;
    }
    PgTuple tuple()
    {
        PgTuple tuple;
        const int columns = u16();
        tuple.kinds.reserve(columns);
        tuple.values.reserve(columns);
        for (int i = 0; i < columns; ++i) {
            const char kind = byte();
            if (kind == PgTuple::Text || kind == 'b') {
                const quint32 length = u32();
                tuple.kinds.append(PgTuple::Text);
                tuple.values.append(bytes(qsizetype(length)));
            } else if (kind == PgTuple::Null || kind == PgTuple::Unchanged) {
                tuple.kinds.append(kind);
                tuple.values.append(QByteArray());
            } else {
                throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput tuple has a column of unknown kind '%1'").arg(QLatin1Char(kind)));
            }
        }
        return tuple;
    }

private:
    const QByteArray &m_data;
    qsizetype m_at = 1;   // after the message type
};

} // namespace

const PgRelation *PgOutputDecoder::relation(quint32 id) const
{
    const auto it = m_relations.constFind(id);
    return it == m_relations.constEnd() ? nullptr : &it.value();
}

QList<PgRowChange> PgOutputDecoder::takeOpenChanges()
{
    return std::exchange(m_current.changes, {});
}

PgTransaction PgOutputDecoder::takeCommitted()
{
    return std::exchange(m_committed, {});
}

void PgOutputDecoder::reset()
{
    m_relations.clear();
    m_current = {};
    m_committed = {};
    m_open = false;
}

PgOutputDecoder::Event PgOutputDecoder::feed(const QByteArray &message)
{
    if (message.isEmpty())
        throw FerryError(QCoreApplication::translate("PgOutputDecoder", "empty pgoutput message"));
    Reader in(message);
    const auto needOpen = [this, &message] {
        if (!m_open)
            throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput message '%1' outside a transaction").arg(QLatin1Char(message.at(0))));
    };
    switch (message.at(0)) {
    case 'B': {
        m_current = {};
        m_current.commitLsn = in.u64();
        m_current.committedAtUs = qint64(in.u64()) + PostgresEpochUs;
        in.u32();   // xid
        m_open = true;
        return Event::None;
    }
    case 'C': {
        needOpen();
        in.byte();  // flags
        const quint64 commitLsn = in.u64();
        m_current.endLsn = in.u64();
        m_current.committedAtUs = qint64(in.u64()) + PostgresEpochUs;
        if (commitLsn != m_current.commitLsn)
            throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput commit does not match its begin"));
        m_committed = std::exchange(m_current, {});
        m_open = false;
        return Event::Commit;
    }
    case 'O':   // origin of the transaction: not used
    case 'Y':   // a type's name: values are read by the column's type oid
    case 'M':   // a logical decoding message (pg_logical_emit_message)
        return Event::None;
    case 'R': {
        PgRelation relation;
        relation.id = in.u32();
        relation.schema = in.string();
        relation.name = in.string();
        relation.identity = in.byte();
        const int columns = in.u16();
        for (int i = 0; i < columns; ++i) {
            PgRelation::Column column;
            column.key = (in.byte() & 1) != 0;
            column.name = in.string();
            column.typeOid = in.u32();
            column.typeModifier = qint32(in.u32());
            relation.columns.append(column);
        }
        m_lastRelation = relation.id;
        m_relations.insert(relation.id, relation);
        return Event::Relation;
    }
    case 'I': {
        needOpen();
        PgRowChange change;
        change.kind = PgRowChange::Kind::Insert;
        change.relation = in.u32();
        if (in.byte() != 'N')
            throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput insert without a new row"));
        change.newTuple = in.tuple();
        m_current.changes.append(std::move(change));
        return Event::Change;
    }
    case 'U': {
        needOpen();
        PgRowChange change;
        change.kind = PgRowChange::Kind::Update;
        change.relation = in.u32();
        char part = in.byte();
        if (part == 'K' || part == 'O') {
            change.hasOld = true;
            change.oldTuple = in.tuple();
            part = in.byte();
        }
        if (part != 'N')
            throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput update without a new row"));
        change.newTuple = in.tuple();
        m_current.changes.append(std::move(change));
        return Event::Change;
    }
    case 'D': {
        needOpen();
        PgRowChange change;
        change.kind = PgRowChange::Kind::Delete;
        change.relation = in.u32();
        const char part = in.byte();
        if (part != 'K' && part != 'O')
            throw FerryError(QCoreApplication::translate("PgOutputDecoder", "pgoutput delete without the old key"));
        change.hasOld = true;
        change.oldTuple = in.tuple();
        m_current.changes.append(std::move(change));
        return Event::Change;
    }
    case 'T': {
        needOpen();
        PgRowChange change;
        change.kind = PgRowChange::Kind::Truncate;
        const quint32 relations = in.u32();
        in.byte();  // options: CASCADE, RESTART IDENTITY
        for (quint32 i = 0; i < relations; ++i)
            change.truncated.append(in.u32());
        m_current.changes.append(std::move(change));
        return Event::Change;
    }
    default:
        throw FerryError(QCoreApplication::translate("PgOutputDecoder", "unknown pgoutput message '%1'").arg(QLatin1Char(message.at(0))));
    }
}

} // namespace ferry
