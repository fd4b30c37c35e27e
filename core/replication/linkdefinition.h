#pragma once

#include "blocks/digest.h"

#include <QCborMap>
#include <QString>
#include <QStringList>

namespace ferry {

// A replication link: a table of the source node (the node that owns and runs the link)
// copied to a table of the target node, with its settings; or a database link: every table
// of a source database whose name matches one of `tables` (now and created later) copied to
// the table of the same name in the target database. A database link runs one member link
// per table (memberOf names the database link), each with its own checkpoint and state. It
// travels as a CBOR map in the node API and is kept as JSON in the node's data directory.
struct LinkDefinition
{
    enum class Mode { Continuous, Scheduled, OneShot };
    enum class Direction { OneWay, Bidirectional };
    enum class Conflicts { SourceWins, TargetWins, NewestWins };

    QString id;                  // [A-Za-z0-9][A-Za-z0-9._-]{0,63}, unique on the source node
    QString sourceDatabase;
    QString sourceTable;         // empty for a database link
    QString targetHost;          // as the source node reaches the target node
    quint16 targetPort = 7450;
    QString targetDatabase;
    QString targetTable;         // empty for a database link
    // A database link: the tables it replicates, as names or patterns with '*' ("*": all).
    QStringList tables;
    // A database link: what the target does with a table dropped on the source.
    enum class OnDrop { Keep, Drop };
    OnDrop onDrop = OnDrop::Keep;
    QString memberOf;            // a member link: the database link it belongs to
    QStringList databaseTables;  // a member link: its database link's patterns (the node it fails over to takes them on)
    Mode mode = Mode::Continuous;
    int intervalMinutes = 60;    // Scheduled: a verification round this often
    int blockRows = 1000;
    int blockMs = 0;             // > 0: adaptive blocks
    DigestAlgorithm digest = DigestAlgorithm::Md5;
    bool compression = false;
    double bandwidthMBps = 0;    // 0: no cap
    QString filter;              // SQL condition on the source rows; empty: every row
    Direction direction = Direction::OneWay;
    Conflicts conflicts = Conflicts::SourceWins;
    QString timestampColumn;     // NewestWins compares this column
    bool paused = false;

    // Failover (failover/failovermanager.h). Automatic failover is off by default; it
    // needs a witness node that must also find the primary unreachable.
    bool autoFailover = false;
    int failoverTimeoutMs = 5000;    // at least 1000
    QString witnessHost;
    quint16 witnessPort = 0;
    qint64 epoch = 0;                // the epoch this direction of the pair was set up in
    bool rejoin = false;             // the target is a former primary that must demote first
    qint64 rejoinAppliedSeq = 0;     // what this node had applied of it when it took over
    // Whether the replica may fail over automatically. Set false on the link an automatic
    // failover starts, so that its new replica waits for failover-ack before another one;
    // the replica's own state (re-armed by failover-ack) then travels with each failover.
    bool failoverArmed = true;

    // Filled by the source node.
    QString sourceNode;
    QString targetNode;
    QString reverseOf;           // on the target node: the id of the link this one mirrors

    // The key the target keeps the applied sequence number under: a new epoch starts a
    // new change log position, so it is a new key.
    bool isDatabaseLink() const { return !tables.isEmpty(); }
    // What a reader calls the tables: the source table, or a database link's patterns.
    QString sourceTableLabel() const { return isDatabaseLink() ? tables.join(QLatin1String(", ")) : sourceTable; }
    QString targetTableLabel() const { return isDatabaseLink() ? tables.join(QLatin1String(", ")) : targetTable; }
    // Whether a table's name is matched by the database link's patterns.
    bool matchesTable(const QString &table) const;
    // The member link of a database link that replicates table; its id is ID.TABLE.
    LinkDefinition memberFor(const QString &table) const;
    QString appliedKey() const { return id + QLatin1Char('@') + QString::number(epoch); }

    QCborMap toCbor() const;
    // Checks every field; throws FerryError naming the field and what is wrong.
    static LinkDefinition fromCbor(const QCborMap &map);

    static QString modeName(Mode mode);
    static QString directionName(Direction direction);
    static QString conflictsName(Conflicts conflicts);
    static QString onDropName(OnDrop onDrop);
    static bool isValidId(const QString &id);
};

} // namespace ferry
