#include "replication/linkdefinition.h"

#include "util/ferryerror.h"

#include <QCborArray>
#include <QCoreApplication>
#include <QRegularExpression>

#include <climits>

namespace ferry {

namespace {

[[noreturn]] void fail(const QString &field, const QString &problem)
{
    throw FerryError(QCoreApplication::translate("LinkDefinition", "link setting \"%1\": %2").arg(field, problem));
}

QString text(const QCborMap &map, const QString &key, bool required, const QString &fallback = QString())
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() || value.isNull()) {
        if (required)
            fail(key, QCoreApplication::translate("LinkDefinition", "is missing"));
        return fallback;
    }
    if (!value.isString())
        fail(key, QCoreApplication::translate("LinkDefinition", "must be text"));
    const QString result = value.toString().trimmed();
    if (required && result.isEmpty())
        fail(key, QCoreApplication::translate("LinkDefinition", "must not be empty"));
    return result;
}

qint64 number(const QCborMap &map, const QString &key, qint64 min, qint64 max, qint64 fallback)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isInteger())
        fail(key, QCoreApplication::translate("LinkDefinition", "must be a whole number"));
    if (value.toInteger() < min || value.toInteger() > max)
        fail(key, QCoreApplication::translate("LinkDefinition", "must be from %1 to %2, not %3").arg(min).arg(max).arg(value.toInteger()));
    return value.toInteger();
}

bool flag(const QCborMap &map, const QString &key, bool fallback)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        fail(key, QCoreApplication::translate("LinkDefinition", "must be true or false"));
    return value.toBool();
}

template <typename Enum>
Enum choice(const QCborMap &map, const QString &key, Enum fallback, QString (*name)(Enum), std::initializer_list<Enum> values)
{
    const QString given = text(map, key, false);
    if (given.isEmpty())
        return fallback;
    QStringList names;
    for (Enum value : values) {
        if (name(value) == given)
            return value;
        names.append(name(value));
    }
    fail(key, QCoreApplication::translate("LinkDefinition", "must be one of %1, not \"%2\"").arg(names.join(QLatin1String(", ")), given));
}

} // namespace

bool LinkDefinition::isValidId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return pattern.match(id).hasMatch();
}

QString LinkDefinition::modeName(Mode mode)
{
    switch (mode) {
    case Mode::Continuous: return QStringLiteral("continuous");
    case Mode::Scheduled: return QStringLiteral("scheduled");
    case Mode::OneShot: return QStringLiteral("one-shot");
    }
    return {};
}

QString LinkDefinition::directionName(Direction direction)
{
    return direction == Direction::OneWay ? QStringLiteral("one-way") : QStringLiteral("bidirectional");
}

QString LinkDefinition::conflictsName(Conflicts conflicts)
{
    switch (conflicts) {
    case Conflicts::SourceWins: return QStringLiteral("source-wins");
    case Conflicts::TargetWins: return QStringLiteral("target-wins");
    case Conflicts::NewestWins: return QStringLiteral("newest-wins");
    }
    return {};
}

QString LinkDefinition::onDropName(OnDrop onDrop)
{
    return onDrop == OnDrop::Keep ? QStringLiteral("keep") : QStringLiteral("drop");
}

bool LinkDefinition::matchesTable(const QString &table) const
{
    for (const QString &pattern : tables) {
        const QRegularExpression expression(QRegularExpression::wildcardToRegularExpression(pattern, QRegularExpression::UnanchoredWildcardConversion),
                                            QRegularExpression::NoPatternOption);
        if (QRegularExpression(QRegularExpression::anchoredPattern(expression.pattern())).match(table).hasMatch())
            return true;
    }
    return false;
}

LinkDefinition LinkDefinition::memberFor(const QString &table) const
{
    LinkDefinition member = *this;
    member.id = id + QLatin1Char('.') + table;
    member.sourceTable = table;
    member.targetTable = table;
    member.tables.clear();
    member.memberOf = id;
    member.databaseTables = tables;
    return member;
}

QCborMap LinkDefinition::toCbor() const
{
    QCborMap map{{QStringLiteral("id"), id},
                 {QStringLiteral("source_db"), sourceDatabase},
                 {QStringLiteral("source_table"), sourceTable},
                 {QStringLiteral("target_host"), targetHost},
                 {QStringLiteral("target_port"), targetPort},
                 {QStringLiteral("target_db"), targetDatabase},
                 {QStringLiteral("target_table"), targetTable},
                 {QStringLiteral("mode"), modeName(mode)},
                 {QStringLiteral("interval_minutes"), intervalMinutes},
                 {QStringLiteral("block_rows"), blockRows},
                 {QStringLiteral("block_ms"), blockMs},
                 {QStringLiteral("digest"), digestAlgorithmName(digest)},
                 {QStringLiteral("compression"), compression},
                 {QStringLiteral("bandwidth_mbps"), bandwidthMBps},
                 {QStringLiteral("filter"), filter},
                 {QStringLiteral("direction"), directionName(direction)},
                 {QStringLiteral("conflicts"), conflictsName(conflicts)},
                 {QStringLiteral("timestamp_column"), timestampColumn},
                 {QStringLiteral("paused"), paused},
                 {QStringLiteral("auto_failover"), autoFailover},
                 {QStringLiteral("failover_timeout_ms"), failoverTimeoutMs},
                 {QStringLiteral("epoch"), epoch}};
    if (!witnessHost.isEmpty()) {
        map.insert(QStringLiteral("witness_host"), witnessHost);
        map.insert(QStringLiteral("witness_port"), witnessPort);
    }
    if (rejoin) {
        map.insert(QStringLiteral("rejoin"), true);
        map.insert(QStringLiteral("rejoin_applied_seq"), rejoinAppliedSeq);
    }
    if (!failoverArmed)
        map.insert(QStringLiteral("failover_armed"), false);
    if (!tables.isEmpty()) {
        map.insert(QStringLiteral("tables"), QCborArray::fromStringList(tables));
    }
    if (!tables.isEmpty() || !memberOf.isEmpty())
        map.insert(QStringLiteral("on_drop"), onDropName(onDrop));
    if (!memberOf.isEmpty()) {
        map.insert(QStringLiteral("member_of"), memberOf);
        map.insert(QStringLiteral("database_tables"), QCborArray::fromStringList(databaseTables));
    }
    if (!sourceNode.isEmpty())
        map.insert(QStringLiteral("source_node"), sourceNode);
    if (!targetNode.isEmpty())
        map.insert(QStringLiteral("target_node"), targetNode);
    if (!reverseOf.isEmpty())
        map.insert(QStringLiteral("reverse_of"), reverseOf);
    return map;
}

LinkDefinition LinkDefinition::fromCbor(const QCborMap &map)
{
    LinkDefinition link;
    link.id = text(map, QStringLiteral("id"), true);
    if (!isValidId(link.id))
        fail(QStringLiteral("id"), QCoreApplication::translate("LinkDefinition", "\"%1\" is not a valid name (letters, digits, '.', '_', '-'; at most 64)").arg(link.id));
    link.sourceDatabase = text(map, QStringLiteral("source_db"), true);
    const QCborValue tables = map.value(QStringLiteral("tables"));
    if (!tables.isUndefined() && !tables.isNull()) {
        if (!tables.isArray())
            fail(QStringLiteral("tables"), QCoreApplication::translate("LinkDefinition", "must be a list of table names or patterns"));
        static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_*$.-]{1,63}$"));
        for (const QCborValue &entry : tables.toArray()) {
            const QString name = entry.toString().trimmed();
            if (!entry.isString() || !pattern.match(name).hasMatch())
                fail(QStringLiteral("tables"), QCoreApplication::translate("LinkDefinition", "\"%1\" is not a table name or pattern (letters, digits, '_', '$', '.', '-', '*' for any)")
                                                   .arg(entry.toVariant().toString()));
            if (!link.tables.contains(name))
                link.tables.append(name);
        }
        if (link.tables.isEmpty())
            fail(QStringLiteral("tables"), QCoreApplication::translate("LinkDefinition", "must name at least one table or pattern"));
    }
    link.sourceTable = text(map, QStringLiteral("source_table"), !link.isDatabaseLink());
    if (link.isDatabaseLink() && !link.sourceTable.isEmpty())
        fail(QStringLiteral("source_table"), QCoreApplication::translate("LinkDefinition", "a database link names its tables in \"tables\", not one source table"));
    link.onDrop = choice<OnDrop>(map, QStringLiteral("on_drop"), OnDrop::Keep, &onDropName, {OnDrop::Keep, OnDrop::Drop});
    link.memberOf = text(map, QStringLiteral("member_of"), false);
    for (const QCborValue &pattern : map.value(QStringLiteral("database_tables")).toArray())
        link.databaseTables.append(pattern.toString());
    link.targetHost = text(map, QStringLiteral("target_host"), true);
    link.targetPort = quint16(number(map, QStringLiteral("target_port"), 1, 65535, 7450));
    link.targetDatabase = text(map, QStringLiteral("target_db"), true);
    link.targetTable = text(map, QStringLiteral("target_table"), false, link.sourceTable);
    if (link.isDatabaseLink() && !link.targetTable.isEmpty())
        fail(QStringLiteral("target_table"), QCoreApplication::translate("LinkDefinition", "a database link copies each table to the table of the same name"));
    link.mode = choice<Mode>(map, QStringLiteral("mode"), Mode::Continuous, &modeName, {Mode::Continuous, Mode::Scheduled, Mode::OneShot});
    link.intervalMinutes = int(number(map, QStringLiteral("interval_minutes"), 1, 7 * 24 * 60, 60));
    link.blockRows = int(number(map, QStringLiteral("block_rows"), 1, 10000000, 1000));
    link.blockMs = int(number(map, QStringLiteral("block_ms"), 0, 60000, 0));
    const QString digestName = text(map, QStringLiteral("digest"), false, QStringLiteral("md5"));
    const auto digest = digestAlgorithmFromName(digestName);
    if (!digest)
        fail(QStringLiteral("digest"), QCoreApplication::translate("LinkDefinition", "must be md5 or sha256, not \"%1\"").arg(digestName));
    link.digest = *digest;
    link.compression = flag(map, QStringLiteral("compression"), false);
    const QCborValue bandwidth = map.value(QStringLiteral("bandwidth_mbps"));
    if (!bandwidth.isUndefined() && !bandwidth.isNull()) {
        if (!bandwidth.isDouble() && !bandwidth.isInteger())
            fail(QStringLiteral("bandwidth_mbps"), QCoreApplication::translate("LinkDefinition", "must be a number"));
        link.bandwidthMBps = bandwidth.toDouble();
        if (!(link.bandwidthMBps >= 0 && link.bandwidthMBps <= 100000))
            fail(QStringLiteral("bandwidth_mbps"), QCoreApplication::translate("LinkDefinition", "must be from 0 (no cap) to 100000 MB/s"));
    }
    link.filter = text(map, QStringLiteral("filter"), false);
    if (link.filter.contains(QLatin1Char(';')))
        fail(QStringLiteral("filter"), QCoreApplication::translate("LinkDefinition", "must be one SQL condition, without ';'"));
    link.direction = choice<Direction>(map, QStringLiteral("direction"), Direction::OneWay, &directionName, {Direction::OneWay, Direction::Bidirectional});
    link.conflicts = choice<Conflicts>(map, QStringLiteral("conflicts"), Conflicts::SourceWins, &conflictsName,
                                       {Conflicts::SourceWins, Conflicts::TargetWins, Conflicts::NewestWins});
    link.timestampColumn = text(map, QStringLiteral("timestamp_column"), false);
    if (link.conflicts == Conflicts::NewestWins && link.timestampColumn.isEmpty())
        fail(QStringLiteral("timestamp_column"), QCoreApplication::translate("LinkDefinition", "newest-wins needs the timestamp column to compare"));
    if (link.direction == Direction::Bidirectional && !link.filter.isEmpty())
        fail(QStringLiteral("filter"), QCoreApplication::translate("LinkDefinition", "a bidirectional link copies whole tables; remove the filter"));
    if (link.isDatabaseLink() && link.direction == Direction::Bidirectional)
        fail(QStringLiteral("direction"), QCoreApplication::translate("LinkDefinition", "a database link runs one way; link single tables both ways"));
    if (link.isDatabaseLink() && !link.filter.isEmpty())
        fail(QStringLiteral("filter"), QCoreApplication::translate("LinkDefinition", "a database link copies whole tables; a row filter needs a one-table link"));
    link.paused = flag(map, QStringLiteral("paused"), false);
    link.autoFailover = flag(map, QStringLiteral("auto_failover"), false);
    link.failoverTimeoutMs = int(number(map, QStringLiteral("failover_timeout_ms"), 1000, 3600000, 5000));
    link.witnessHost = text(map, QStringLiteral("witness_host"), false);
    link.witnessPort = quint16(number(map, QStringLiteral("witness_port"), 1, 65535, 7450));
    if (link.witnessHost.isEmpty())
        link.witnessPort = 0;
    if (link.autoFailover && link.witnessHost.isEmpty())
        fail(QStringLiteral("witness_host"), QCoreApplication::translate("LinkDefinition", "automatic failover needs a witness node that can confirm the primary is down"));
    if (link.autoFailover && link.isDatabaseLink())
        fail(QStringLiteral("auto_failover"), QCoreApplication::translate("LinkDefinition", "not yet for a database link: fail its tables over with ferryctl failover"));
    if (link.autoFailover && link.direction == Direction::Bidirectional)
        fail(QStringLiteral("auto_failover"), QCoreApplication::translate("LinkDefinition", "a bidirectional link has a writable table on both sides: nothing to fail over"));
    link.epoch = number(map, QStringLiteral("epoch"), 0, LLONG_MAX, 0);
    link.rejoin = flag(map, QStringLiteral("rejoin"), false);
    link.rejoinAppliedSeq = number(map, QStringLiteral("rejoin_applied_seq"), 0, LLONG_MAX, 0);
    link.failoverArmed = flag(map, QStringLiteral("failover_armed"), true);
    link.sourceNode = text(map, QStringLiteral("source_node"), false);
    link.targetNode = text(map, QStringLiteral("target_node"), false);
    link.reverseOf = text(map, QStringLiteral("reverse_of"), false);
    return link;
}

} // namespace ferry
