#include "wire/datacodec.h"

#include "rows/canonicalencoder.h"
#include "wire/message.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QCborStreamWriter>
#include <QCoreApplication>
#include <QtEndian>

#include <cmath>
#include <cstring>

namespace ferry::wirecodec {

namespace {

[[noreturn]] void fail(const QString &context, const QString &what)
{
    throw WireError(protocol::ErrorCode::BadMessage, QStringLiteral("%1: %2").arg(context, what));
}

std::optional<ColumnType> columnTypeFromName(const QString &name)
{
    for (ColumnType type : {ColumnType::Integer, ColumnType::Real, ColumnType::Text, ColumnType::Blob, ColumnType::Boolean,
                            ColumnType::Timestamp, ColumnType::Numeric}) {
        if (columnTypeName(type) == name)
            return type;
    }
    return std::nullopt;
}

// A Numeric value as the stores hold it: normalized decimal text, or one of the special
// values PostgreSQL's numeric has, which PostgresStore keeps verbatim. Anything else would
// break the key order (compareDecimals assumes normalized text) and the canonical encoding.
bool isCanonicalNumeric(const QString &text)
{
    if (text == QLatin1String("NaN") || text == QLatin1String("Infinity") || text == QLatin1String("-Infinity"))
        return true;
    const QString normalized = normalizeNumeric(text);
    return !normalized.isNull() && normalized == text;   // a null QString equals ""
}

} // namespace

QCborValue encodeValue(ColumnType type, const QVariant &value)
{
    if (value.isNull())
        return QCborValue(nullptr);
    switch (type) {
    case ColumnType::Integer:
    case ColumnType::Timestamp:
        return QCborValue(value.toLongLong());
    case ColumnType::Real:
        return QCborValue(value.toDouble());
    case ColumnType::Text:
    case ColumnType::Numeric:
        return QCborValue(value.toString());
    case ColumnType::Blob:
        return QCborValue(value.toByteArray());
    case ColumnType::Boolean:
        return QCborValue(value.toBool());
    }
    return QCborValue(nullptr);
}

QVariant decodeValue(ColumnType type, const QCborValue &value, const QString &context)
{
    if (value.isNull())
        return QVariant();
    switch (type) {
    case ColumnType::Integer:
    case ColumnType::Timestamp:
        if (value.isInteger())
            return QVariant(qlonglong(value.toInteger()));
        break;
    case ColumnType::Real:
        if (value.isDouble())
            return QVariant(value.toDouble());
        if (value.isInteger())
            return QVariant(double(value.toInteger()));
        break;
    case ColumnType::Text:
        if (value.isString())
            return QVariant(value.toString());
        break;
    case ColumnType::Numeric:
        if (value.isString()) {
            const QString text = value.toString();
            if (!isCanonicalNumeric(text))
                fail(context, QCoreApplication::translate("WireCodec", "numeric value \"%1\" is not normalized decimal text").arg(text.left(64)));
            return QVariant(text);
        }
        break;
    case ColumnType::Blob:
        if (value.isByteArray())
            return QVariant(value.toByteArray());
        break;
    case ColumnType::Boolean:
        if (value.isBool())
            return QVariant(value.toBool());
        break;
    }
    fail(context, QCoreApplication::translate("WireCodec", "a value is not of column type %1").arg(columnTypeName(type)));
}

QCborArray encodeRow(const TableSchema &schema, const Row &row)
{
    QCborArray array;
    for (qsizetype i = 0; i < schema.columns.size(); ++i)
        array.append(encodeValue(schema.columns.at(i).type, i < row.size() ? row.at(i) : QVariant()));
    return array;
}

Row decodeRow(const TableSchema &schema, const QCborValue &value, const QString &context)
{
    if (!value.isArray())
        fail(context, QCoreApplication::translate("WireCodec", "a row is not an array"));
    const QCborArray array = value.toArray();
    if (array.size() != schema.columns.size())
        fail(context, QCoreApplication::translate("WireCodec", "a row has %1 values, table \"%2\" has %3 columns")
                          .arg(array.size()).arg(schema.table).arg(schema.columns.size()));
    Row row;
    row.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i)
        row.append(decodeValue(schema.columns.at(i).type, array.at(i), context));
    for (int k : schema.primaryKey) {
        if (row.at(k).isNull())
            fail(context, QCoreApplication::translate("WireCodec", "a row has NULL in key column \"%1\"").arg(schema.columns.at(k).name));
    }
    return row;
}

QCborValue encodeKey(const QList<ColumnType> &types, const Key &key)
{
    if (key.isEmpty())
        return QCborValue(nullptr);
    QCborArray array;
    for (qsizetype i = 0; i < types.size(); ++i)
        array.append(encodeValue(types.at(i), i < key.size() ? key.at(i) : QVariant()));
    return array;
}

Key decodeKey(const QList<ColumnType> &types, const QCborValue &value, const QString &context)
{
    if (value.isNull())
        return Key();
    if (!value.isArray() || value.toArray().size() != types.size())
        fail(context, QCoreApplication::translate("WireCodec", "a key is not an array of %1 values").arg(types.size()));
    const QCborArray array = value.toArray();
    Key key;
    key.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (array.at(i).isNull())
            fail(context, QCoreApplication::translate("WireCodec", "a key holds NULL"));
        key.append(decodeValue(types.at(i), array.at(i), context));
    }
    return key;
}

QCborArray encodeRange(const QList<ColumnType> &types, const KeyRange &range)
{
    return QCborArray{encodeKey(types, range.lo), encodeKey(types, range.hi)};
}

KeyRange decodeRange(const QList<ColumnType> &types, const QCborValue &value, const QString &context)
{
    if (!value.isArray() || value.toArray().size() != 2)
        fail(context, QCoreApplication::translate("WireCodec", "a key range is not an array [lo, hi]"));
    const QCborArray array = value.toArray();
    KeyRange range{decodeKey(types, array.at(0), context), decodeKey(types, array.at(1), context)};
    if (range.hasLo() && range.hasHi() && compareKeys(types, range.lo, range.hi) > 0)
        fail(context, QCoreApplication::translate("WireCodec", "key range %1 ends before it starts").arg(describeRange(range)));
    return range;
}

QCborArray encodeRanges(const QList<ColumnType> &types, const QList<KeyRange> &ranges)
{
    QCborArray array;
    for (const KeyRange &range : ranges)
        array.append(encodeRange(types, range));
    return array;
}

QList<KeyRange> decodeRanges(const QList<ColumnType> &types, const QCborArray &array, const QString &context)
{
    QList<KeyRange> ranges;
    ranges.reserve(array.size());
    for (const QCborValue &value : array) {
        KeyRange range = decodeRange(types, value, context);
        // Store::scanEncoded wants ranges sorted and not overlapping.
        if (!ranges.isEmpty()) {
            const KeyRange &previous = ranges.constLast();
            if (!previous.hasHi() || !range.hasLo() || compareKeys(types, previous.hi, range.lo) > 0)
                fail(context, QCoreApplication::translate("WireCodec", "key ranges are not sorted or overlap at %1").arg(describeRange(range)));
        }
        ranges.append(std::move(range));
    }
    return ranges;
}

QCborArray encodeRangeRows(const TableSchema &schema, const QList<RangeRows> &parts)
{
    const QList<ColumnType> types = schema.keyTypes();
    QCborArray array;
    for (const RangeRows &part : parts) {
        QCborArray rows;
        for (const Row &row : part.rows)
            rows.append(encodeRow(schema, row));
        array.append(QCborMap{{QStringLiteral("range"), encodeRange(types, part.range)}, {QStringLiteral("rows"), rows}});
    }
    return array;
}

QList<RangeRows> decodeRangeRows(const TableSchema &schema, const QCborArray &array, const QString &context)
{
    const QList<ColumnType> types = schema.keyTypes();
    QList<RangeRows> parts;
    parts.reserve(array.size());
    for (const QCborValue &value : array) {
        if (!value.isMap())
            fail(context, QCoreApplication::translate("WireCodec", "a part is not a map"));
        const MessageFields fields(context, value.toMap());
        RangeRows part;
        part.range = decodeRange(types, fields.value(QLatin1StringView("range")), context);
        const QCborArray rows = fields.array(QLatin1StringView("rows"));
        part.rows.reserve(rows.size());
        for (const QCborValue &rowValue : rows) {
            Row row = decodeRow(schema, rowValue, context);
            // Every row must lie inside its range, in key order, or replaceRanges would
            // delete one range and write rows into another.
            const Key key = schema.keyOf(row);
            if (locateKey(types, key, part.range) != 0)
                fail(context, QCoreApplication::translate("WireCodec", "a row lies outside its range %1").arg(describeRange(part.range)));
            if (!part.rows.isEmpty() && compareKeys(types, schema.keyOf(part.rows.constLast()), key) >= 0)
                fail(context, QCoreApplication::translate("WireCodec", "rows of range %1 are not in key order").arg(describeRange(part.range)));
            part.rows.append(std::move(row));
        }
        if (!parts.isEmpty()) {
            const KeyRange &previous = parts.constLast().range;
            if (!previous.hasHi() || !part.range.hasLo() || compareKeys(types, previous.hi, part.range.lo) > 0)
                fail(context, QCoreApplication::translate("WireCodec", "key ranges are not sorted or overlap at %1").arg(describeRange(part.range)));
        }
        parts.append(std::move(part));
    }
    return parts;
}

namespace {

// One canonical row (CanonicalEncoder) as encodeRow() writes the row it decodes to.
void writeCanonicalRow(QCborStreamWriter &writer, const TableSchema &schema, QByteArrayView bytes)
{
    const char *p = bytes.data() + 4;
    const char *end = bytes.data() + bytes.size();
    auto need = [&](qsizetype n) {
        if (end - p < n)
            throw WireError(protocol::ErrorCode::Internal, QStringLiteral("a canonical row of table \"%1\" is malformed").arg(schema.table));
    };
    writer.startArray(quint64(schema.columns.size()));
    for (qsizetype i = 0; i < schema.columns.size(); ++i) {
        need(1);
        const char tag = *p++;
        switch (tag) {
        case CanonicalEncoder::TagNull:
            writer.append(nullptr);
            break;
        case CanonicalEncoder::TagInteger:
        case CanonicalEncoder::TagTimestamp:
            need(8);
            writer.append(qFromBigEndian<qint64>(p));
            p += 8;
            break;
        case CanonicalEncoder::TagReal: {
            need(8);
            const quint64 bits = qFromBigEndian<quint64>(p);
            double d;
            std::memcpy(&d, &bits, sizeof d);
            writer.append(d);
            p += 8;
            break;
        }
        case CanonicalEncoder::TagBoolean:
            need(1);
            writer.append(*p++ != 0);
            break;
        case CanonicalEncoder::TagText:
        case CanonicalEncoder::TagBlob:
        case CanonicalEncoder::TagNumeric: {
            need(4);
            const quint32 size = qFromBigEndian<quint32>(p);
            p += 4;
            need(size);
            if (tag == CanonicalEncoder::TagBlob)
                writer.appendByteString(p, size);
            else
                writer.appendTextString(p, size);   // UTF-8; a numeric is ASCII
            p += size;
            break;
        }
        default:
            need(end - p + 1);
        }
    }
    writer.endArray();
}

} // namespace

QByteArray encodeReplaceBody(const QString &db, const TableSchema &schema, const QString &digest, const QList<EncodedRangeRows> &parts,
                             const QString &link)
{
    const QList<ColumnType> types = schema.keyTypes();
    qsizetype size = 64;
    for (const EncodedRangeRows &part : parts)
        size += part.offsets.constLast() - part.offsets.constFirst() + 64;
    QByteArray out;
    out.reserve(size);
    QCborStreamWriter writer(&out);
    writer.startMap();   // indefinite length: encodeMessage puts "t" and "id" in front
    writer.append(QLatin1StringView("db"));
    writer.append(db);
    writer.append(QLatin1StringView("table"));
    writer.append(schema.table);
    writer.append(QLatin1StringView("digest"));
    writer.append(digest);
    if (!link.isEmpty()) {
        writer.append(QLatin1StringView("link"));
        writer.append(link);
    }
    writer.append(QLatin1StringView("parts"));
    writer.startArray(quint64(parts.size()));
    for (const EncodedRangeRows &part : parts) {
        writer.startMap(2);
        writer.append(QLatin1StringView("range"));
        QCborValue(encodeRange(types, part.range)).toCbor(writer);
        writer.append(QLatin1StringView("rows"));
        writer.startArray(quint64(part.rows()));
        for (qsizetype i = 0; i < part.rows(); ++i) {
            const auto exact = part.exact.constFind(i);
            if (exact != part.exact.constEnd())
                QCborValue(encodeRow(schema, *exact)).toCbor(writer);
            else
                writeCanonicalRow(writer, schema, part.row(i));
        }
        writer.endArray();
        writer.endMap();
    }
    writer.endArray();
    writer.endMap();
    return out;
}

QCborMap encodeSchema(const TableSchema &schema)
{
    QCborArray columns;
    for (const Column &column : schema.columns) {
        columns.append(QCborMap{{QStringLiteral("name"), column.name},
                                {QStringLiteral("type"), columnTypeName(column.type)},
                                {QStringLiteral("declared"), column.declaredType},
                                {QStringLiteral("not_null"), column.notNull}});
    }
    QCborArray key;
    for (int index : schema.primaryKey)
        key.append(index);
    return QCborMap{{QStringLiteral("table"), schema.table}, {QStringLiteral("columns"), columns}, {QStringLiteral("key"), key}};
}

TableSchema decodeSchema(const QCborValue &value, const QString &context)
{
    if (!value.isMap())
        fail(context, QCoreApplication::translate("WireCodec", "the schema is not a map"));
    const MessageFields fields(context, value.toMap());
    TableSchema schema;
    schema.table = fields.string(QLatin1StringView("table"));
    for (const QCborValue &columnValue : fields.array(QLatin1StringView("columns"))) {
        if (!columnValue.isMap())
            fail(context, QCoreApplication::translate("WireCodec", "a column is not a map"));
        const MessageFields columnFields(context, columnValue.toMap());
        Column column;
        column.name = columnFields.string(QLatin1StringView("name"));
        const QString typeName = columnFields.string(QLatin1StringView("type"));
        const std::optional<ColumnType> type = columnTypeFromName(typeName);
        if (!type)
            fail(context, QCoreApplication::translate("WireCodec", "column \"%1\" has unknown type \"%2\"").arg(column.name, typeName));
        column.type = *type;
        column.declaredType = columnFields.string(QLatin1StringView("declared"), QString());
        column.notNull = columnFields.boolean(QLatin1StringView("not_null"), false);
        schema.columns.append(column);
    }
    for (const QCborValue &index : fields.array(QLatin1StringView("key"))) {
        if (!index.isInteger() || index.toInteger() < 0 || index.toInteger() >= schema.columns.size()
            || schema.primaryKey.contains(int(index.toInteger())))
            fail(context, QCoreApplication::translate("WireCodec", "the primary key names a column that does not exist"));
        schema.primaryKey.append(int(index.toInteger()));
    }
    if (schema.columns.isEmpty() || schema.primaryKey.isEmpty())
        fail(context, QCoreApplication::translate("WireCodec", "table \"%1\" has no columns or no primary key").arg(schema.table));
    return schema;
}

QCborArray encodeChanges(const TableSchema &schema, const QList<Change> &changes)
{
    const QList<ColumnType> types = schema.keyTypes();
    QCborArray array;
    for (const Change &change : changes) {
        // A delete without a key is a TRUNCATE: every row goes.
        const bool truncate = change.deleted && change.key.isEmpty();
        array.append(QCborArray{change.seq, change.deleted, truncate ? QCborValue(nullptr) : QCborValue(encodeKey(types, change.key)),
                                change.deleted ? QCborValue(nullptr) : QCborValue(encodeRow(schema, change.row)), change.origin,
                                change.committedAtUs});
    }
    return array;
}

QList<Change> decodeChanges(const TableSchema &schema, const QCborArray &array, const QString &context)
{
    const QList<ColumnType> types = schema.keyTypes();
    QList<Change> changes;
    changes.reserve(array.size());
    qint64 previous = 0;
    for (const QCborValue &value : array) {
        const QCborArray item = value.toArray();
        if (!value.isArray() || item.size() != 6 || !item.at(0).isInteger() || !item.at(1).isBool() || !item.at(4).isString()
            || !item.at(5).isInteger())
            fail(context, QCoreApplication::translate("WireCodec", "a change is not [seq, deleted, key, row, origin, at]"));
        Change change;
        change.seq = item.at(0).toInteger();
        if (change.seq <= previous)
            fail(context, QCoreApplication::translate("WireCodec", "change sequence numbers are not increasing at %1").arg(change.seq));
        previous = change.seq;
        change.deleted = item.at(1).toBool();
        if (change.deleted && item.at(2).isNull()) {
            // A TRUNCATE of the source table: every row goes.
            change.origin = item.at(4).toString();
            change.committedAtUs = item.at(5).toInteger();
            changes.append(std::move(change));
            continue;
        }
        change.key = decodeKey(types, item.at(2), context);
        if (change.key.isEmpty())
            fail(context, QCoreApplication::translate("WireCodec", "a change has no key"));
        if (!change.deleted) {
            change.row = decodeRow(schema, item.at(3), context);
            if (compareKeys(types, schema.keyOf(change.row), change.key) != 0)
                fail(context, QCoreApplication::translate("WireCodec", "a change's row does not have the change's key"));
        }
        change.origin = item.at(4).toString();
        change.committedAtUs = item.at(5).toInteger();
        changes.append(std::move(change));
    }
    return changes;
}

QCborArray encodeDigests(const QList<RangeDigest> &digests)
{
    QCborArray array;
    for (const RangeDigest &digest : digests)
        array.append(QCborArray{digest.rows, digest.digest});
    return array;
}

QList<RangeDigest> decodeDigests(const QCborArray &array, const QString &context)
{
    QList<RangeDigest> digests;
    digests.reserve(array.size());
    for (const QCborValue &value : array) {
        const QCborArray pair = value.toArray();
        if (!value.isArray() || pair.size() != 2 || !pair.at(0).isInteger() || pair.at(0).toInteger() < 0 || !pair.at(1).isByteArray())
            fail(context, QCoreApplication::translate("WireCodec", "a digest is not [rows, bytes]"));
        digests.append(RangeDigest{pair.at(0).toInteger(), pair.at(1).toByteArray()});
    }
    return digests;
}

QCborMap encodeProgress(const VerificationProgress &progress)
{
    QCborArray blocks;
    for (const auto &[index, block] : progress.changedBlocks) {
        // The receiver may not know the table's schema: keys travel with their own types.
        auto looseKey = [](const Key &key) {
            if (key.isEmpty())
                return QCborValue(nullptr);
            QCborArray array;
            for (const QVariant &value : key)
                array.append(QCborValue::fromVariant(value));
            return QCborValue(array);
        };
        blocks.append(QCborArray{index, int(block.state), looseKey(block.range.lo), looseKey(block.range.hi), block.sourceRows,
                                 block.targetRows, block.sourceDigest, block.targetDigest});
    }
    QCborArray counts;
    for (int count : progress.stateCounts)
        counts.append(count);
    return QCborMap{{QStringLiteral("blocks"), blocks},
                    {QStringLiteral("planned"), progress.blocksPlanned},
                    {QStringLiteral("planning_done"), progress.planningDone},
                    {QStringLiteral("counts"), counts},
                    {QStringLiteral("rows_compared"), progress.rowsCompared},
                    {QStringLiteral("rows_sent"), progress.rowsSent},
                    {QStringLiteral("bytes_sent"), progress.bytesSent}};
}

VerificationProgress decodeProgress(const QCborMap &map, const QString &context)
{
    const MessageFields fields(context, map);
    VerificationProgress progress;
    progress.blocksPlanned = int(fields.integer(QLatin1StringView("planned"), 0, INT_MAX));
    progress.planningDone = fields.boolean(QLatin1StringView("planning_done"), false);
    progress.rowsCompared = fields.integer(QLatin1StringView("rows_compared"), 0, LLONG_MAX);
    progress.rowsSent = fields.integer(QLatin1StringView("rows_sent"), 0, LLONG_MAX);
    progress.bytesSent = fields.integer(QLatin1StringView("bytes_sent"), 0, LLONG_MAX);
    // The counts cover every planned block once (BlockVerifier::reportProgress); ferryctl's
    // progress bar and the console's block map rely on that.
    const QCborArray counts = fields.array(QLatin1StringView("counts"));
    if (counts.size() != BlockStateCount)
        fail(context, QCoreApplication::translate("WireCodec", "block state counts are not %1 numbers").arg(BlockStateCount));
    qint64 counted = 0;
    for (int i = 0; i < BlockStateCount; ++i) {
        const QCborValue count = counts.at(i);
        if (!count.isInteger() || count.toInteger() < 0 || count.toInteger() > progress.blocksPlanned)
            fail(context, QCoreApplication::translate("WireCodec", "a block state count is not a number in 0..%1").arg(progress.blocksPlanned));
        progress.stateCounts[i] = int(count.toInteger());
        counted += count.toInteger();
    }
    if (counted != progress.blocksPlanned)
        fail(context, QCoreApplication::translate("WireCodec", "block state counts add up to %1, not to the %2 planned blocks").arg(counted).arg(progress.blocksPlanned));
    // Keys of block ranges are shown, not used: null (open end) or an array of plain values.
    auto isLooseKey = [](const QCborValue &v) {
        if (v.isNull())
            return true;
        if (!v.isArray())
            return false;
        for (const QCborValue &part : v.toArray()) {
            if (!part.isInteger() && !part.isDouble() && !part.isString() && !part.isByteArray() && !part.isBool() && !part.isNull())
                return false;
        }
        return true;
    };
    auto looseKey = [](const QCborValue &v) {
        Key key;
        for (const QCborValue &part : v.toArray())
            key.append(part.toVariant());
        return key;
    };
    for (const QCborValue &value : fields.array(QLatin1StringView("blocks"))) {
        const QCborArray item = value.toArray();
        if (!value.isArray() || item.size() != 8 || !item.at(0).isInteger() || item.at(0).toInteger() < 0
            || item.at(0).toInteger() >= progress.blocksPlanned || !item.at(1).isInteger() || item.at(1).toInteger() < 0
            || item.at(1).toInteger() >= BlockStateCount || !isLooseKey(item.at(2)) || !isLooseKey(item.at(3))
            || !item.at(4).isInteger() || item.at(4).toInteger() < 0 || !item.at(5).isInteger() || item.at(5).toInteger() < -1
            || !item.at(6).isByteArray() || !item.at(7).isByteArray())
            fail(context, QCoreApplication::translate("WireCodec", "a block entry is malformed"));
        BlockInfo block;
        block.state = BlockState(item.at(1).toInteger());
        block.range = KeyRange{looseKey(item.at(2)), looseKey(item.at(3))};
        block.sourceRows = item.at(4).toInteger();
        block.targetRows = item.at(5).toInteger();
        block.sourceDigest = item.at(6).toByteArray();
        block.targetDigest = item.at(7).toByteArray();
        progress.changedBlocks.append({int(item.at(0).toInteger()), block});
    }
    return progress;
}

QCborMap encodeSummary(const VerificationSummary &summary)
{
    QCborArray failures;
    for (const QString &failure : summary.failures)
        failures.append(failure);
    QCborMap map{{QStringLiteral("blocks"), summary.blocks},
                    {QStringLiteral("blocks_differing"), summary.blocksDiffering},
                    {QStringLiteral("blocks_repaired"), summary.blocksRepaired},
                    {QStringLiteral("blocks_failed"), summary.blocksFailed},
                    {QStringLiteral("rows_compared"), summary.rowsCompared},
                    {QStringLiteral("target_rows"), summary.targetRows},
                    {QStringLiteral("rows_sent"), summary.rowsSent},
                    {QStringLiteral("bytes_sent"), summary.bytesSent},
                    {QStringLiteral("identical_after"), summary.identicalAfter},
                    {QStringLiteral("seconds"), summary.seconds},
                    {QStringLiteral("failures"), failures}};
    if (!summary.differences.isEmpty() || summary.missingKeys + summary.extraKeys + summary.differentKeys > 0) {
        map.insert(QStringLiteral("differences"), encodeDifferences(summary.differences));
        map.insert(QStringLiteral("missing_keys"), summary.missingKeys);
        map.insert(QStringLiteral("extra_keys"), summary.extraKeys);
        map.insert(QStringLiteral("different_keys"), summary.differentKeys);
        map.insert(QStringLiteral("differences_complete"), summary.differencesComplete);
    }
    return map;
}

VerificationSummary decodeSummary(const QCborMap &map, const QString &context)
{
    const MessageFields fields(context, map);
    VerificationSummary summary;
    summary.blocks = int(fields.integer(QLatin1StringView("blocks"), 0, INT_MAX));
    summary.blocksDiffering = int(fields.integer(QLatin1StringView("blocks_differing"), 0, INT_MAX));
    summary.blocksRepaired = int(fields.integer(QLatin1StringView("blocks_repaired"), 0, INT_MAX));
    summary.blocksFailed = int(fields.integer(QLatin1StringView("blocks_failed"), 0, INT_MAX));
    summary.rowsCompared = fields.integer(QLatin1StringView("rows_compared"), 0, LLONG_MAX);
    summary.targetRows = fields.integer(QLatin1StringView("target_rows"), 0, LLONG_MAX);
    summary.rowsSent = fields.integer(QLatin1StringView("rows_sent"), 0, LLONG_MAX);
    summary.bytesSent = fields.integer(QLatin1StringView("bytes_sent"), 0, LLONG_MAX);
    summary.identicalAfter = fields.boolean(QLatin1StringView("identical_after"), false);
    const QCborValue seconds = fields.value(QLatin1StringView("seconds"));
    if (!seconds.isDouble() && !seconds.isInteger())
        fields.fail(QLatin1StringView("seconds"), QCoreApplication::translate("WireCodec", "is not a number"));
    summary.seconds = seconds.toDouble();
    for (const QCborValue &failure : fields.array(QLatin1StringView("failures"))) {
        if (!failure.isString())
            fields.fail(QLatin1StringView("failures"), QCoreApplication::translate("WireCodec", "holds something other than text"));
        summary.failures.append(failure.toString());
    }
    // From a node that lists differing keys (verify-only compares).
    if (map.contains(QLatin1StringView("differences"))) {
        summary.differences = decodeDifferences(fields.array(QLatin1StringView("differences")), context);
        summary.missingKeys = fields.integer(QLatin1StringView("missing_keys"), 0, LLONG_MAX);
        summary.extraKeys = fields.integer(QLatin1StringView("extra_keys"), 0, LLONG_MAX);
        summary.differentKeys = fields.integer(QLatin1StringView("different_keys"), 0, LLONG_MAX);
        summary.differencesComplete = fields.boolean(QLatin1StringView("differences_complete"), true);
    }
    return summary;
}

namespace {

// Keys and rows of differences are shown, not used: plain values with their own types.
QCborValue looseValues(const QList<QVariant> &values, bool nullWhenEmpty)
{
    if (values.isEmpty() && nullWhenEmpty)
        return QCborValue(nullptr);
    QCborArray array;
    for (const QVariant &value : values) {
        // NULL as null; a value without a plain CBOR form (a date) as its text.
        QCborValue plain = !value.isValid() || value.isNull() ? QCborValue(nullptr) : QCborValue::fromVariant(value);
        if (!plain.isInteger() && !plain.isDouble() && !plain.isString() && !plain.isByteArray() && !plain.isBool() && !plain.isNull())
            plain = QCborValue(value.toString());
        array.append(plain);
    }
    return array;
}

QList<QVariant> fromLoose(const QCborValue &value, const QString &context)
{
    QList<QVariant> values;
    if (value.isNull())
        return values;
    if (!value.isArray())
        fail(context, QCoreApplication::translate("WireCodec", "a key or row of a difference is not a list of values"));
    for (const QCborValue &part : value.toArray()) {
        if (!part.isInteger() && !part.isDouble() && !part.isString() && !part.isByteArray() && !part.isBool() && !part.isNull())
            fail(context, QCoreApplication::translate("WireCodec", "a key or row of a difference holds something other than a plain value"));
        values.append(part.isNull() ? QVariant() : part.toVariant());
    }
    return values;
}

} // namespace

QCborArray encodeDifferences(const QList<RangeDifferences> &differences)
{
    QCborArray blocks;
    for (const RangeDifferences &block : differences) {
        QCborArray rows;
        for (const RowDifference &row : block.rows)
            rows.append(QCborArray{rowDifferenceKindName(row.kind), looseValues(row.key, false), looseValues(row.source, true), looseValues(row.target, true)});
        blocks.append(QCborMap{{QStringLiteral("block"), block.block},
                               {QStringLiteral("lo"), looseValues(block.range.lo, true)},
                               {QStringLiteral("hi"), looseValues(block.range.hi, true)},
                               {QStringLiteral("missing"), block.missing},
                               {QStringLiteral("extra"), block.extra},
                               {QStringLiteral("different"), block.different},
                               {QStringLiteral("rows"), rows}});
    }
    return blocks;
}

QList<RangeDifferences> decodeDifferences(const QCborArray &array, const QString &context)
{
    QList<RangeDifferences> differences;
    for (const QCborValue &value : array) {
        const MessageFields fields(context, value.toMap());
        RangeDifferences block;
        block.block = int(fields.integer(QLatin1StringView("block"), -1, INT_MAX));
        block.range.lo = fromLoose(fields.value(QLatin1StringView("lo")), context);
        block.range.hi = fromLoose(fields.value(QLatin1StringView("hi")), context);
        block.missing = fields.integer(QLatin1StringView("missing"), 0, LLONG_MAX);
        block.extra = fields.integer(QLatin1StringView("extra"), 0, LLONG_MAX);
        block.different = fields.integer(QLatin1StringView("different"), 0, LLONG_MAX);
        for (const QCborValue &item : fields.array(QLatin1StringView("rows"))) {
            const QCborArray row = item.toArray();
            const QString kind = row.at(0).toString();
            RowDifference difference;
            if (kind == QLatin1String("missing"))
                difference.kind = RowDifference::Kind::Missing;
            else if (kind == QLatin1String("extra"))
                difference.kind = RowDifference::Kind::Extra;
            else if (kind == QLatin1String("different"))
                difference.kind = RowDifference::Kind::Different;
            else
                fail(context, QCoreApplication::translate("WireCodec", "a difference is neither missing, extra nor different"));
            if (row.size() != 4)
                fail(context, QCoreApplication::translate("WireCodec", "a difference entry is malformed"));
            difference.key = fromLoose(row.at(1), context);
            difference.source = fromLoose(row.at(2), context);
            difference.target = fromLoose(row.at(3), context);
            block.rows.append(difference);
        }
        differences.append(block);
    }
    return differences;
}

} // namespace ferry::wirecodec
