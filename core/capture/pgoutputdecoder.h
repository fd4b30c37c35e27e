#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace ferry {

// A relation as pgoutput describes it (a Relation message precedes the first change of a
// table in a stream, and follows every change of its columns).
struct PgRelation
{
    struct Column
    {
        QString name;
        quint32 typeOid = 0;
        qint32 typeModifier = -1;
        bool key = false;        // part of the replica identity
    };
    quint32 id = 0;
    QString schema;
    QString name;
    char identity = 'd';         // REPLICA IDENTITY: d default, n nothing, f full, i index
    QList<Column> columns;
};

// A row's values in pgoutput's TupleData, in the relation's column order: each a NULL,
// an unchanged TOASTed value (not sent), or text in the type's output format.
struct PgTuple
{
    enum Kind : char { Null = 'n', Unchanged = 'u', Text = 't' };
    QList<char> kinds;
    QList<QByteArray> values;
    bool hasUnchanged() const { return kinds.contains(Unchanged); }
};

struct PgRowChange
{
    enum class Kind { Insert, Update, Delete, Truncate };
    Kind kind = Kind::Insert;
    quint32 relation = 0;
    bool hasOld = false;         // update: the old key ('K') or row ('O') was sent; delete: always
    PgTuple oldTuple;
    PgTuple newTuple;
    QList<quint32> truncated;    // truncate: the relations
};

// One committed source transaction, in commit order.
struct PgTransaction
{
    quint64 commitLsn = 0;
    quint64 endLsn = 0;          // the end of its commit record: the position to confirm after it
    qint64 committedAtUs = 0;    // microseconds since 1970
    QList<PgRowChange> changes;
};

// Decodes pgoutput's messages, protocol version 1 (PostgreSQL's
// src/backend/replication/logical/proto.c): Begin, Commit, Relation, Insert, Update,
// Delete, Truncate; Origin and Type are read and ignored. Throws FerryError on a message
// it cannot read.
class PgOutputDecoder
{
public:
    enum class Event { None, Relation, Change, Commit };
    // Reads one message. Relation: relation(lastRelation()) was (re)defined. Change: the
    // open transaction has one more change (openChanges()). Commit: the transaction is
    // complete, takeCommitted() hands it over with the changes not taken yet.
    Event feed(const QByteArray &message);
    quint32 lastRelation() const { return m_lastRelation; }
    const PgRelation *relation(quint32 id) const;
    bool inTransaction() const { return m_open; }
    // The open transaction: its changes so far (those not taken by takeOpenChanges).
    const QList<PgRowChange> &openChanges() const { return m_current.changes; }
    QList<PgRowChange> takeOpenChanges();
    qint64 openCommittedAtUs() const { return m_current.committedAtUs; }
    quint64 openCommitLsn() const { return m_current.commitLsn; }
    PgTransaction takeCommitted();
    void reset();

private:
    QHash<quint32, PgRelation> m_relations;
    PgTransaction m_current;
    PgTransaction m_committed;
    bool m_open = false;
    quint32 m_lastRelation = 0;
};

} // namespace ferry
