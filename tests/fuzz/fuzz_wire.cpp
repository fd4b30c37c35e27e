// libFuzzer harness for the wire decoders: everything a peer controls before a handler
// trusts it. One input is
//     control byte: bits 0-2 = n, the number of chunk-size bytes that follow;
//                   bit 3 set = a small maximum frame size, 16 * (1 + bits 4-7) bytes
//     n chunk-size bytes: the stream is appended to the FrameReader in chunks of these
//                   sizes, in turn (0 = the whole rest; n = 0: all at once)
//     the byte stream: frames
// Every frame goes through decodeMessage, and every field of every message (and the message
// body itself) through every decoder of wire/datacodec.h, with two fixed schemas that cover
// all column types and composite keys. WireError and FerryError are expected; a crash, a
// leak, undefined behaviour, another exception or a broken invariant (checked below with
// abort()) is a finding.
//
// `fuzz_wire --write-seeds DIR` writes the seed corpus instead: valid streams of hello,
// digest, replace (plain and compressed), digests, schema, apply, progress, summary and error
// messages made by the real encoders (see CMakeLists.txt).

#include "rows/canonicalencoder.h"
#include "wire/datacodec.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QDir>
#include <QFile>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace ferry;

namespace {

constexpr ColumnType AllTypes[] = {ColumnType::Integer, ColumnType::Real,      ColumnType::Text,   ColumnType::Blob,
                                   ColumnType::Boolean, ColumnType::Timestamp, ColumnType::Numeric};

// Bounds so that one input stays fast: a stream of many tiny frames is no more interesting
// than a few.
constexpr int MaxFramesPerInput = 16;

[[noreturn]] void finding(const char *what, const QString &detail = QString())
{
    std::fprintf(stderr, "fuzz_wire: %s%s%s\n", what, detail.isEmpty() ? "" : ": ", qPrintable(detail));
    std::fflush(stderr);
    std::abort();
}

// Columns of every type; the two schemas differ in their key.
TableSchema makeSchema(const char *table, const QList<int> &primaryKey)
{
    TableSchema schema;
    schema.table = QString::fromLatin1(table);
    const char *names[] = {"i", "r", "t", "b", "f", "ts", "n"};
    for (int i = 0; i < 7; ++i) {
        Column column;
        column.name = QString::fromLatin1(names[i]);
        column.type = AllTypes[i];
        column.declaredType = columnTypeName(column.type);
        column.notNull = primaryKey.contains(i);
        schema.columns.append(column);
    }
    schema.primaryKey = primaryKey;
    return schema;
}

// Key (text, integer, numeric) and key (real, blob, boolean, timestamp).
const TableSchema &schemaA()
{
    static const TableSchema schema = makeSchema("fuzz_a", {2, 0, 6});
    return schema;
}

const TableSchema &schemaB()
{
    static const TableSchema schema = makeSchema("fuzz_b", {1, 3, 4, 5});
    return schema;
}

const QString &context()
{
    static const QString text = QStringLiteral("fuzz");
    return text;
}

bool isProtocolError(const WireError &error)
{
    const QString code = error.code();
    return code == protocol::ErrorCode::BadFrame || code == protocol::ErrorCode::BadMessage;
}

// Runs one decoder: a WireError must carry a protocol code and a message, a FerryError is
// accepted; anything else propagates to libFuzzer as a crash.
template <typename F>
bool attempt(F &&f)
{
    try {
        f();
        return true;
    } catch (const WireError &error) {
        if (!isProtocolError(error) || error.message().isEmpty())
            finding("WireError with an unexpected code or no message", error.code() + QLatin1Char(' ') + error.message());
    } catch (const FerryError &) {
    }
    return false;
}

QByteArray cbor(const QCborValue &value)
{
    return value.toCbor();
}

// The in-memory form of a decoded value must be the canonical one (rows/columntype.h).
void checkCanonical(ColumnType type, const QVariant &value)
{
    if (value.isNull())
        return;
    switch (type) {
    case ColumnType::Integer:
    case ColumnType::Timestamp:
        if (value.metaType().id() != QMetaType::LongLong)
            finding("an integer value is not a qlonglong");
        return;
    case ColumnType::Real:
        if (value.metaType().id() != QMetaType::Double)
            finding("a real value is not a double");
        return;
    case ColumnType::Text:
        if (value.metaType().id() != QMetaType::QString)
            finding("a text value is not a QString");
        return;
    case ColumnType::Numeric:
        if (value.metaType().id() != QMetaType::QString)
            finding("a numeric value is not a QString");
        // Normalized decimal text, or PostgreSQL's special values (kept verbatim).
        if ((normalizeNumeric(value.toString()).isNull() || normalizeNumeric(value.toString()) != value.toString())
            && !QStringList{QStringLiteral("NaN"), QStringLiteral("Infinity"), QStringLiteral("-Infinity")}.contains(value.toString()))
            finding("a numeric value is not normalized decimal text", value.toString());
        return;
    case ColumnType::Blob:
        if (value.metaType().id() != QMetaType::QByteArray)
            finding("a blob value is not a QByteArray");
        return;
    case ColumnType::Boolean:
        if (value.metaType().id() != QMetaType::Bool)
            finding("a boolean value is not a bool");
        return;
    }
}

void checkRow(const TableSchema &schema, const Row &row)
{
    if (row.size() != schema.columns.size())
        finding("a decoded row has the wrong number of values");
    for (qsizetype i = 0; i < row.size(); ++i)
        checkCanonical(schema.columns.at(i).type, row.at(i));
    for (int k : schema.primaryKey) {
        if (row.at(k).isNull())
            finding("a decoded row has NULL in its key");
    }
}

void checkKey(const QList<ColumnType> &types, const Key &key)
{
    if (!key.isEmpty() && key.size() != types.size())
        finding("a decoded key has the wrong number of values");
    for (qsizetype i = 0; i < key.size(); ++i) {
        if (key.at(i).isNull())
            finding("a decoded key holds NULL");
        checkCanonical(types.at(i), key.at(i));
    }
}

// What a decoder accepted must encode to bytes that decode again to the same bytes: a
// decoded value that cannot travel back would fail between two Ferry nodes.
template <typename Decode, typename Encode>
void roundTrip(const char *what, Decode &&decode, Encode &&encode, const QByteArray &first)
{
    QByteArray second;
    if (!attempt([&] { second = encode(decode(QCborValue::fromCbor(first))); }))
        finding(what, QStringLiteral("re-encoded value is rejected: %1").arg(QString::fromLatin1(first.toHex())));
    if (second != first)
        finding(what, QStringLiteral("round trip changes %1 into %2").arg(QString::fromLatin1(first.toHex()), QString::fromLatin1(second.toHex())));
}

void exerciseRowDecoders(const TableSchema &schema, const QCborValue &value)
{
    const QList<ColumnType> types = schema.keyTypes();
    attempt([&] {
        const Row row = wirecodec::decodeRow(schema, value, context());
        checkRow(schema, row);
        roundTrip("row", [&](const QCborValue &v) { return wirecodec::decodeRow(schema, v, context()); },
                  [&](const Row &r) { return cbor(wirecodec::encodeRow(schema, r)); }, cbor(wirecodec::encodeRow(schema, row)));
    });
    attempt([&] {
        const Key key = wirecodec::decodeKey(types, value, context());
        checkKey(types, key);
        roundTrip("key", [&](const QCborValue &v) { return wirecodec::decodeKey(types, v, context()); },
                  [&](const Key &k) { return cbor(wirecodec::encodeKey(types, k)); }, cbor(wirecodec::encodeKey(types, key)));
    });
    attempt([&] {
        const KeyRange range = wirecodec::decodeRange(types, value, context());
        checkKey(types, range.lo);
        checkKey(types, range.hi);
        if (range.hasLo() && range.hasHi() && compareKeys(types, range.lo, range.hi) > 0)
            finding("a decoded range ends before it starts");
        roundTrip("range", [&](const QCborValue &v) { return wirecodec::decodeRange(types, v, context()); },
                  [&](const KeyRange &r) { return cbor(wirecodec::encodeRange(types, r)); }, cbor(wirecodec::encodeRange(types, range)));
        (void)describeRange(range);
    });
    if (!value.isArray())
        return;
    const QCborArray array = value.toArray();
    attempt([&] {
        const QList<KeyRange> ranges = wirecodec::decodeRanges(types, array, context());
        for (qsizetype i = 1; i < ranges.size(); ++i) {
            if (!ranges.at(i - 1).hasHi() || !ranges.at(i).hasLo() || compareKeys(types, ranges.at(i - 1).hi, ranges.at(i).lo) > 0)
                finding("decoded ranges overlap or are unsorted");
        }
        roundTrip("ranges", [&](const QCborValue &v) { return wirecodec::decodeRanges(types, v.toArray(), context()); },
                  [&](const QList<KeyRange> &r) { return cbor(wirecodec::encodeRanges(types, r)); },
                  cbor(wirecodec::encodeRanges(types, ranges)));
    });
    attempt([&] {
        const QList<RangeRows> parts = wirecodec::decodeRangeRows(schema, array, context());
        for (const RangeRows &part : parts) {
            for (qsizetype i = 0; i < part.rows.size(); ++i) {
                checkRow(schema, part.rows.at(i));
                if (locateKey(types, schema.keyOf(part.rows.at(i)), part.range) != 0)
                    finding("a decoded row lies outside its range");
                if (i > 0 && compareRowKey(schema, part.rows.at(i - 1), schema.keyOf(part.rows.at(i))) >= 0)
                    finding("decoded rows are not in key order");
            }
        }
        roundTrip("range rows", [&](const QCborValue &v) { return wirecodec::decodeRangeRows(schema, v.toArray(), context()); },
                  [&](const QList<RangeRows> &p) { return cbor(wirecodec::encodeRangeRows(schema, p)); },
                  cbor(wirecodec::encodeRangeRows(schema, parts)));
    });
    attempt([&] {
        const QList<Change> changes = wirecodec::decodeChanges(schema, array, context());
        qint64 previous = 0;
        for (const Change &change : changes) {
            if (change.seq <= previous)
                finding("decoded change sequence numbers do not increase");
            previous = change.seq;
            if (change.key.isEmpty())
                finding("a decoded change has no key");
            checkKey(types, change.key);
            if (!change.deleted) {
                checkRow(schema, change.row);
                if (compareKeys(types, schema.keyOf(change.row), change.key) != 0)
                    finding("a decoded change's row has another key");
            }
        }
        roundTrip("changes", [&](const QCborValue &v) { return wirecodec::decodeChanges(schema, v.toArray(), context()); },
                  [&](const QList<Change> &c) { return cbor(wirecodec::encodeChanges(schema, c)); },
                  cbor(wirecodec::encodeChanges(schema, changes)));
    });
}

// Every decoder on one CBOR value.
void exerciseValue(const QCborValue &value, int depth)
{
    for (ColumnType type : AllTypes) {
        attempt([&] {
            const QVariant decoded = wirecodec::decodeValue(type, value, context());
            checkCanonical(type, decoded);
            roundTrip("value", [&](const QCborValue &v) { return wirecodec::decodeValue(type, v, context()); },
                      [&](const QVariant &d) { return cbor(wirecodec::encodeValue(type, d)); }, cbor(wirecodec::encodeValue(type, decoded)));
        });
    }
    exerciseRowDecoders(schemaA(), value);
    exerciseRowDecoders(schemaB(), value);

    attempt([&] {
        const TableSchema schema = wirecodec::decodeSchema(value, context());
        if (schema.columns.isEmpty() || schema.primaryKey.isEmpty())
            finding("a decoded schema has no columns or no key");
        for (int index : schema.primaryKey) {
            if (index < 0 || index >= schema.columns.size())
                finding("a decoded schema's key names a missing column");
        }
        roundTrip("schema", [&](const QCborValue &v) { return wirecodec::decodeSchema(v, context()); },
                  [&](const TableSchema &s) { return cbor(wirecodec::encodeSchema(s)); }, cbor(wirecodec::encodeSchema(schema)));
        // The peer's own schema drives the row decoders too (as after describe).
        if (depth == 0)
            exerciseRowDecoders(schema, value);
    });

    if (value.isArray()) {
        attempt([&] {
            const QList<RangeDigest> digests = wirecodec::decodeDigests(value.toArray(), context());
            for (const RangeDigest &digest : digests) {
                if (digest.rows < 0)
                    finding("a decoded digest has a negative row count");
            }
            roundTrip("digests", [&](const QCborValue &v) { return wirecodec::decodeDigests(v.toArray(), context()); },
                      [&](const QList<RangeDigest> &d) { return cbor(wirecodec::encodeDigests(d)); },
                      cbor(wirecodec::encodeDigests(digests)));
        });
    }
    if (value.isMap()) {
        attempt([&] {
            const VerificationProgress progress = wirecodec::decodeProgress(value.toMap(), context());
            qint64 total = 0;
            for (int count : progress.stateCounts) {
                if (count < 0)
                    finding("a decoded progress has a negative block count");
                total += count;
            }
            if (total > progress.blocksPlanned)
                finding("a decoded progress counts more blocks than planned");
            for (const auto &[index, block] : progress.changedBlocks) {
                if (index < 0 || index >= progress.blocksPlanned)
                    finding("a decoded progress names a block that was not planned");
                if (int(block.state) < 0 || int(block.state) >= BlockStateCount)
                    finding("a decoded block state is out of range");
                (void)describeRange(block.range);
            }
            roundTrip("progress", [&](const QCborValue &v) { return wirecodec::decodeProgress(v.toMap(), context()); },
                      [&](const VerificationProgress &p) { return cbor(wirecodec::encodeProgress(p)); },
                      cbor(wirecodec::encodeProgress(progress)));
        });
        attempt([&] {
            const VerificationSummary summary = wirecodec::decodeSummary(value.toMap(), context());
            roundTrip("summary", [&](const QCborValue &v) { return wirecodec::decodeSummary(v.toMap(), context()); },
                      [&](const VerificationSummary &s) { return cbor(wirecodec::encodeSummary(s)); },
                      cbor(wirecodec::encodeSummary(summary)));
        });
    }
}

// The typed accessors on every key, with and without fallbacks.
void exerciseFields(const Message &message)
{
    const MessageFields fields(message);
    for (auto it = message.body.cbegin(); it != message.body.cend(); ++it) {
        if (!it.key().isString())
            continue;
        const QByteArray latin1 = it.key().toString().toLatin1();
        const QLatin1StringView key(latin1);
        (void)fields.has(key);
        attempt([&] { (void)fields.value(key); });
        attempt([&] { (void)fields.string(key); });
        attempt([&] { (void)fields.string(key, QString()); });
        attempt([&] {
            const qint64 n = fields.integer(key, 0, std::numeric_limits<qint64>::max());
            if (n < 0)
                finding("MessageFields::integer returned a value below its minimum");
        });
        attempt([&] { (void)fields.integer(key, -5, 5, 0); });
        attempt([&] { (void)fields.boolean(key, false); });
        attempt([&] { (void)fields.array(key); });
        attempt([&] { (void)fields.map(key); });
    }
}

void exerciseFrame(const QByteArray &body)
{
    Message message;
    if (!attempt([&] { message = decodeMessage(body); }))
        return;
    if (message.type.isEmpty())
        finding("a decoded message has no type");
    if (message.id < -1 || message.id > (Q_INT64_C(1) << 53))
        finding("a decoded message id is out of range");
    if (message.body.contains(QLatin1StringView("t")) || message.body.contains(QLatin1StringView("id")))
        finding("a decoded message body still holds \"t\" or \"id\"");
    exerciseFields(message);
    exerciseValue(QCborValue(message.body), 0);
    for (auto it = message.body.cbegin(); it != message.body.cend(); ++it)
        exerciseValue(it.value(), 1);
}

// Cuts the stream in one piece, the reference the chunked reader must agree with: the
// frames before the first bad length, whether there is one, and how many bytes remain.
struct Reference
{
    QList<QByteArray> frames;
    bool bad = false;
    qsizetype rest = 0;
};

Reference referenceFrames(const QByteArray &stream, quint32 maxFrameSize)
{
    Reference reference;
    qsizetype offset = 0;
    while (stream.size() - offset >= 4) {
        const auto *p = reinterpret_cast<const unsigned char *>(stream.constData() + offset);
        const quint32 length = (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
        if (length == 0 || length > maxFrameSize) {
            reference.bad = true;
            return reference;
        }
        if (stream.size() - offset - 4 < qsizetype(length))
            break;
        reference.frames.append(stream.mid(offset + 4, length));
        offset += 4 + qsizetype(length);
    }
    reference.rest = stream.size() - offset;
    return reference;
}

// --- seeds -------------------------------------------------------------------------------

Row seedRow(const TableSchema &schema, qlonglong i, const QString &text, const QString &numeric)
{
    Row row(schema.columns.size());
    row[0] = i;
    row[1] = i % 3 == 0 ? QVariant() : QVariant(double(i) / 4 - 0.0);
    row[2] = text;
    row[3] = QByteArray("\x00\xff\x01", 3) + QByteArray::number(i);
    row[4] = i % 2 == 0;
    row[5] = qlonglong(1700000000000000) + i;
    row[6] = numeric;
    return row;
}

QList<QByteArray> seedMessages()
{
    const TableSchema &schema = schemaA();
    const QList<ColumnType> types = schema.keyTypes();
    auto key = [](const QString &t, qlonglong i, const QString &n) { return Key{t, i, n}; };
    const QList<KeyRange> ranges = {
        KeyRange{Key(), key(QStringLiteral("b"), 1, QStringLiteral("0"))},
        KeyRange{key(QStringLiteral("b"), 1, QStringLiteral("0")), key(QStringLiteral("\u00e9t\u00e9"), -7, QStringLiteral("-1.5"))},
        KeyRange{key(QStringLiteral("\u00e9t\u00e9"), -7, QStringLiteral("-1.5")), Key()},
    };
    QList<RangeRows> parts;
    parts.append(RangeRows{ranges.at(0), {seedRow(schema, 1, QStringLiteral("a"), QStringLiteral("12.5")),
                                          seedRow(schema, 2, QStringLiteral("a"), QStringLiteral("3"))}});
    parts.append(RangeRows{ranges.at(1), {seedRow(schema, 3, QStringLiteral("b"), QStringLiteral("0")),
                                          seedRow(schema, 4, QStringLiteral("\u00e9"), QStringLiteral("-0.25"))}});
    parts.append(RangeRows{ranges.at(2), {}});

    QList<RangeDigest> digests = {{2, QByteArray(16, '\x11')}, {0, QByteArray(16, '\0')}, {5, QByteArray(32, '\x7f')}};

    VerificationProgress progress;
    progress.blocksPlanned = 3;
    progress.planningDone = true;
    progress.stateCounts[int(BlockState::Equal)] = 1;
    progress.stateCounts[int(BlockState::Repaired)] = 1;
    progress.stateCounts[int(BlockState::Differs)] = 1;
    progress.rowsCompared = 1234;
    progress.rowsSent = 3;
    progress.bytesSent = 456;
    for (int i = 0; i < 3; ++i) {
        BlockInfo block;
        block.range = ranges.at(i);
        block.state = i == 0 ? BlockState::Equal : (i == 1 ? BlockState::Repaired : BlockState::Differs);
        block.sourceRows = 10 + i;
        block.targetRows = i == 2 ? -1 : 10 + i;
        block.sourceDigest = QByteArray(16, char('a' + i));
        block.targetDigest = i == 2 ? QByteArray() : QByteArray(16, char('a' + i));
        progress.changedBlocks.append({i, block});
    }

    VerificationSummary summary;
    summary.blocks = 3;
    summary.blocksDiffering = 2;
    summary.blocksRepaired = 1;
    summary.blocksFailed = 1;
    summary.rowsCompared = 1234;
    summary.targetRows = 1230;
    summary.rowsSent = 3;
    summary.bytesSent = 456;
    summary.identicalAfter = false;
    summary.seconds = 1.25;
    summary.failures = {QStringLiteral("block 2 [b, +inf): still differs after 3 attempts")};

    const QString db = QStringLiteral("shop");
    const QString table = schema.table;
    QList<QByteArray> messages;
    messages.append(encodeMessage(protocol::Type::Hello, 0,
                                  QCborMap{{QStringLiteral("versions"), QCborArray{protocol::Version}},
                                           {QStringLiteral("digests"), QCborArray{QStringLiteral("md5"), QStringLiteral("sha256")}},
                                           {QStringLiteral("node"), QStringLiteral("dc-east")},
                                           {QStringLiteral("software"), QStringLiteral("ferry/0.1.0")}}));
    messages.append(encodeMessage(protocol::Type::Hello, 0,
                                  QCborMap{{QStringLiteral("version"), protocol::Version},
                                           {QStringLiteral("digests"), QCborArray{QStringLiteral("md5")}},
                                           {QStringLiteral("node"), QStringLiteral("dc-west")},
                                           {QStringLiteral("region"), QStringLiteral("eu-west-1")},
                                           {QStringLiteral("software"), QStringLiteral("ferry/0.1.0")}}));
    messages.append(encodeMessage(protocol::Type::Ping, 1));
    messages.append(encodeMessage(protocol::Type::Describe, 2, QCborMap{{QStringLiteral("db"), db}, {QStringLiteral("table"), table}}));
    messages.append(encodeMessage(protocol::Type::Schema, 2, QCborMap{{QStringLiteral("schema"), wirecodec::encodeSchema(schema)}}));
    messages.append(encodeMessage(protocol::Type::Schema, 2, QCborMap{{QStringLiteral("schema"), wirecodec::encodeSchema(schemaB())}}));
    messages.append(encodeMessage(protocol::Type::Digest, 3,
                                  QCborMap{{QStringLiteral("db"), db},
                                           {QStringLiteral("table"), table},
                                           {QStringLiteral("digest"), QStringLiteral("md5")},
                                           {QStringLiteral("ranges"), wirecodec::encodeRanges(types, ranges)}}));
    messages.append(encodeMessage(protocol::Type::Digests, 3, QCborMap{{QStringLiteral("digests"), wirecodec::encodeDigests(digests)}}));
    messages.append(encodeMessage(protocol::Type::Replace, 4,
                                  QCborMap{{QStringLiteral("db"), db},
                                           {QStringLiteral("table"), table},
                                           {QStringLiteral("digest"), QStringLiteral("md5")},
                                           {QStringLiteral("parts"), wirecodec::encodeRangeRows(schema, parts)}}));
    {
        // The same rows as a repair's source writes them (RemoteEndpoint::replaceEncoded):
        // straight from canonical rows, in an indefinite-length map.
        QList<EncodedRangeRows> encoded;
        for (const RangeRows &part : parts) {
            EncodedRangeRows e;
            e.range = part.range;
            for (const Row &row : part.rows) {
                CanonicalEncoder::appendRow(e.bytes, schema, row);
                e.offsets.append(e.bytes.size());
            }
            encoded.append(e);
        }
        messages.append(encodeMessage(protocol::Type::Replace, 10, wirecodec::encodeReplaceBody(db, schema, QStringLiteral("md5"), encoded), false));
    }
    {
        // The same for the other key: (real, blob, boolean, timestamp).
        const TableSchema &other = schemaB();
        Row a = seedRow(other, 1, QStringLiteral("x"), QStringLiteral("1"));
        a[1] = -0.5;
        Row b = seedRow(other, 2, QStringLiteral("y"), QStringLiteral("2"));
        b[1] = 2.0;
        parts = {RangeRows{KeyRange{}, {a, b}}};
        messages.append(encodeMessage(protocol::Type::Replace, 5,
                                      QCborMap{{QStringLiteral("db"), db},
                                               {QStringLiteral("table"), other.table},
                                               {QStringLiteral("digest"), QStringLiteral("sha256")},
                                               {QStringLiteral("parts"), wirecodec::encodeRangeRows(other, parts)}}));
    }
    messages.append(encodeMessage(protocol::Type::Compare, 6,
                                  QCborMap{{QStringLiteral("db"), db},
                                           {QStringLiteral("table"), table},
                                           {QStringLiteral("target"), QCborMap{{QStringLiteral("host"), QStringLiteral("dc-west.example")},
                                                                               {QStringLiteral("port"), 7450},
                                                                               {QStringLiteral("db"), db},
                                                                               {QStringLiteral("table"), table}}},
                                           {QStringLiteral("repair"), true},
                                           {QStringLiteral("block_rows"), 1000},
                                           {QStringLiteral("block_ms"), 250},
                                           {QStringLiteral("digest"), QStringLiteral("md5")}}));
    messages.append(encodeMessage(protocol::Type::Progress, 6, wirecodec::encodeProgress(progress)));
    messages.append(encodeMessage(protocol::Type::Summary, 6, QCborMap{{QStringLiteral("summary"), wirecodec::encodeSummary(summary)}}));
    {
        // A change feed batch, and a replace big enough to travel compressed.
        QList<Change> changes;
        for (int i = 1; i <= 4; ++i) {
            Change change;
            change.seq = 10 * i;
            change.deleted = i == 3;
            change.row = seedRow(schema, i, QStringLiteral("c%1").arg(i), QStringLiteral("%1.5").arg(i));
            change.key = schema.keyOf(change.row);
            if (change.deleted)
                change.row.clear();
            change.origin = i == 2 ? QStringLiteral("dc-west") : QString();
            change.committedAtUs = qint64(1700000000000000) + i;
            changes.append(change);
        }
        messages.append(encodeMessage(protocol::Type::Apply, 8,
                                      QCborMap{{QStringLiteral("db"), db},
                                               {QStringLiteral("table"), table},
                                               {QStringLiteral("link"), QStringLiteral("east-to-west")},
                                               {QStringLiteral("changes"), wirecodec::encodeChanges(schema, changes)},
                                               {QStringLiteral("last_seq"), 40}}));
        QList<Row> rows;
        for (int i = 0; i < 40; ++i)
            rows.append(seedRow(schema, i, QStringLiteral("row"), QString::number(i)));
        const QList<RangeRows> big = {RangeRows{KeyRange{}, rows}};
        messages.append(encodeMessage(protocol::Type::Replace, 9,
                                      QCborMap{{QStringLiteral("db"), db},
                                               {QStringLiteral("table"), table},
                                               {QStringLiteral("digest"), QStringLiteral("md5")},
                                               {QStringLiteral("parts"), wirecodec::encodeRangeRows(schema, big)}},
                                      true));
    }
    messages.append(encodeMessage(protocol::Type::Error, 7,
                                  QCborMap{{QStringLiteral("code"), QString(protocol::ErrorCode::UnknownDatabase)},
                                           {QStringLiteral("message"), QStringLiteral("no database \"shop\" on dc-west")}}));
    return messages;
}

void writeSeed(const QString &directory, const QString &name, char control, const QByteArray &chunkSizes, const QByteArray &stream)
{
    QByteArray input;
    input.append(control);
    input.append(chunkSizes);
    input.append(stream);
    QFile file(QDir(directory).filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(input) != input.size()) {
        std::fprintf(stderr, "fuzz_wire: cannot write %s\n", qPrintable(file.fileName()));
        std::exit(1);
    }
}

int writeSeeds(const QString &directory)
{
    if (!QDir().mkpath(directory)) {
        std::fprintf(stderr, "fuzz_wire: cannot create %s\n", qPrintable(directory));
        return 1;
    }
    const QList<QByteArray> messages = seedMessages();
    QByteArray all;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QByteArray frame = encodeFrame(messages.at(i));
        // Every message alone and whole, and each one more time byte by byte.
        writeSeed(directory, QStringLiteral("msg-%1").arg(i, 2, 10, QLatin1Char('0')), 0, QByteArray(), frame);
        writeSeed(directory, QStringLiteral("msg-%1-bytewise").arg(i, 2, 10, QLatin1Char('0')), 1, QByteArray(1, 1), frame);
        all += frame;
    }
    // All of them in one stream, in uneven chunks; and a stream cut short.
    writeSeed(directory, QStringLiteral("stream-chunked"), 3, QByteArray("\x03\x11\x00", 3), all);
    writeSeed(directory, QStringLiteral("stream-truncated"), 2, QByteArray("\x07\x05", 2), all.left(all.size() - 3));
    // A small maximum frame size: the first frames fit, a later one does not.
    writeSeed(directory, QStringLiteral("stream-small-max"), char(0x08 | 0xF0), QByteArray(), all);
    return 0;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (*argc == 3 && std::strcmp((*argv)[1], "--write-seeds") == 0)
        std::exit(writeSeeds(QString::fromLocal8Bit((*argv)[2])));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const unsigned control = data[0];
    const size_t chunkCount = control & 7;
    const quint32 maxFrameSize = (control & 8) ? 16 * (1 + (control >> 4)) : protocol::MaxFrameSize;
    if (size < 1 + chunkCount)
        return 0;
    const uint8_t *chunkSizes = data + 1;
    const QByteArray stream(reinterpret_cast<const char *>(data + 1 + chunkCount), qsizetype(size - 1 - chunkCount));

    const Reference reference = referenceFrames(stream, maxFrameSize);

    FrameReader reader(maxFrameSize);
    QList<QByteArray> frames;
    bool bad = false;
    qsizetype offset = 0;
    size_t chunk = 0;
    while (offset < stream.size() && !bad) {
        qsizetype n = stream.size() - offset;
        if (chunkCount > 0 && chunkSizes[chunk++ % chunkCount] != 0)
            n = qMin<qsizetype>(n, chunkSizes[(chunk - 1) % chunkCount]);
        reader.append(stream.constData() + offset, n);
        offset += n;
        try {
            QByteArray body;
            while (reader.next(body)) {
                if (body.isEmpty() || quint32(body.size()) > maxFrameSize)
                    finding("FrameReader returned a frame of a forbidden size");
                frames.append(body);
            }
        } catch (const WireError &error) {
            if (error.code() != protocol::ErrorCode::BadFrame)
                finding("FrameReader threw a code other than bad_frame", error.code());
            bad = true;
        }
    }
    if (frames != reference.frames)
        finding("chunked frames differ from the frames of the whole stream");
    if (bad != reference.bad)
        finding(bad ? "FrameReader rejected a good stream" : "FrameReader accepted a bad length");
    if (!bad && reader.buffered() != reference.rest)
        finding("FrameReader holds another number of bytes than are left over");

    int count = 0;
    for (const QByteArray &body : frames) {
        if (++count > MaxFramesPerInput)
            break;
        exerciseFrame(body);
    }
    return 0;
}
