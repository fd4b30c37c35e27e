// libFuzzer harness for every decoder a peer can feed a node (or a node the nodes and
// clients it connects to): the frame reader, message envelopes (plain and compressed),
// the typed message fields, every codec of wire/datacodec.h (values, rows, keys, ranges,
// parts of a repair, change batches, schemas, digests, progress, summaries), link
// definitions (link_create, register_link, promote, link_set) and the peer certificate
// (its name, its role, and whether it may be a peer at all).
//
// One input is cheap: its first byte picks one decoder, the rest is that decoder's input,
// so that each execution runs one decoder (and its checks) instead of all of them:
//     byte 0: bits 0-3 = the target (Target below, modulo TargetCount);
//             bits 4-6 = a column type or a sub-decoder; bit 7 = schema B instead of A
//     Frames: control byte: bits 0-2 = n chunk-size bytes that follow; bit 3 set = a small
//             maximum frame size, 16 * (1 + bits 4-7) bytes; then n chunk sizes (the stream
//             is appended to the FrameReader in chunks of these sizes, in turn; 0 = the
//             whole rest); then the byte stream: frames, each through decodeMessage and the
//             typed field accessors
//     Message: one frame body (CBOR, maybe compressed)
//     the CBOR targets: one CBOR value; SchemaRows: [schema, value], the peer's own schema
//             driving the row decoders, as after describe
//     Certificate: DER bytes
// Limits are scaled down as the node's would be for a small frame (decodeMessage inflates
// at most MaxInflated bytes). WireError and FerryError are expected; a crash, a leak,
// undefined behaviour, another exception or a broken invariant (checked below with abort())
// is a finding.
//
// `fuzz_wire --write-seeds DIR` writes the seed corpus instead: valid inputs for every
// target made by the real encoders (see CMakeLists.txt).

#include "rows/canonicalencoder.h"
#include "replication/linkdefinition.h"
#include "security/certificates.h"
#include "security/role.h"
#include "security/tlsconfiguration.h"
#include "wire/datacodec.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QTemporaryDir>

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
// than a few, and a compressed body declaring 64 MiB no more than one declaring 1 MiB.
constexpr int MaxFramesPerInput = 16;
constexpr quint32 MaxInflated = 1024 * 1024;

enum Target : unsigned {
    Frames,
    MessageBody,
    Value,
    RowValue,
    KeyValue,
    RangeValue,
    RangesValue,
    RangeRowsValue,
    ChangesValue,
    SchemaValue,
    SchemaRows,
    DigestsValue,
    ProgressValue,
    SummaryValue,
    LinkValue,
    Certificate,
    TargetCount
};

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

// One of the decoders that take a schema: 0 row, 1 key, 2 range, 3 ranges, 4 parts of a
// repair, 5 a change batch.
void exerciseRowDecoder(unsigned which, const TableSchema &schema, const QCborValue &value)
{
    const QList<ColumnType> types = schema.keyTypes();
    if (which == 0)
        attempt([&] {
        const Row row = wirecodec::decodeRow(schema, value, context());
        checkRow(schema, row);
        roundTrip("row", [&](const QCborValue &v) { return wirecodec::decodeRow(schema, v, context()); },
                  [&](const Row &r) { return cbor(wirecodec::encodeRow(schema, r)); }, cbor(wirecodec::encodeRow(schema, row)));
    });
    if (which == 1)
        attempt([&] {
        const Key key = wirecodec::decodeKey(types, value, context());
        checkKey(types, key);
        roundTrip("key", [&](const QCborValue &v) { return wirecodec::decodeKey(types, v, context()); },
                  [&](const Key &k) { return cbor(wirecodec::encodeKey(types, k)); }, cbor(wirecodec::encodeKey(types, key)));
    });
    if (which == 2)
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
    if (which == 3)
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
    if (which == 4)
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
    if (which == 5)
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

// One decoder on one CBOR value (target: Value, SchemaValue, DigestsValue, ProgressValue,
// SummaryValue; type: the column type for Value).
void exerciseValue(Target target, ColumnType type, const QCborValue &value)
{
    if (target == Value) {
        attempt([&] {
            const QVariant decoded = wirecodec::decodeValue(type, value, context());
            checkCanonical(type, decoded);
            roundTrip("value", [&](const QCborValue &v) { return wirecodec::decodeValue(type, v, context()); },
                      [&](const QVariant &d) { return cbor(wirecodec::encodeValue(type, d)); }, cbor(wirecodec::encodeValue(type, decoded)));
        });
    }
    if (target == SchemaValue) {
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
        });
    }
    if (target == DigestsValue && value.isArray()) {
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
    if (target == ProgressValue && value.isMap()) {
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
    }
    if (target == SummaryValue && value.isMap()) {
        attempt([&] {
            const VerificationSummary summary = wirecodec::decodeSummary(value.toMap(), context());
            roundTrip("summary", [&](const QCborValue &v) { return wirecodec::decodeSummary(v.toMap(), context()); },
                      [&](const VerificationSummary &s) { return cbor(wirecodec::encodeSummary(s)); },
                      cbor(wirecodec::encodeSummary(summary)));
        });
    }
}

// A link definition as link_create, register_link, promote and link_set carry it: what
// fromCbor accepts travels back unchanged.
void exerciseLink(const QCborValue &value)
{
    if (!value.isMap())
        return;
    attempt([&] {
        const LinkDefinition link = LinkDefinition::fromCbor(value.toMap());
        if (!LinkDefinition::isValidId(link.id))
            finding("a decoded link has an invalid id", link.id);
        const QCborMap encoded = link.toCbor();
        LinkDefinition again;
        if (!attempt([&] { again = LinkDefinition::fromCbor(encoded); }))
            finding("a decoded link is refused once encoded again", QString::fromLatin1(QCborValue(encoded).toCbor().toHex()));
        if (again.toCbor() != encoded)
            finding("a link definition changes on its way back", QString::fromLatin1(QCborValue(encoded).toCbor().toHex()));
    });
}

// The certificate a peer presents: its name (who it is), its role (what it may do), and
// whether it may be a peer at all (not a CA, issued by the deployment CA itself).
void exerciseCertificate(const QByteArray &der)
{
    const QSslCertificate certificate(der, QSsl::Der);
    const QString name = certificateName(certificate);
    const Role role = certificateRole(certificate);
    if (certificate.isNull() && (!name.isEmpty() || role != Role::None))
        finding("a null certificate has a name or a role");
    if (role != Role::None && !roleFromName(roleName(role)))
        finding("a certificate's role has no name that reads back");
    static const QList<QSslCertificate> noCas;
    (void)peerCertificateProblem(certificate, noCas);
    if (!certificate.isNull())
        (void)peerCertificateProblem(certificate, {certificate});
}

// The typed accessors on every key, with and without fallbacks.
void exerciseFields(const Message &message)
{
    // One accessor per key, a different one for each key and message: every accessor meets
    // every kind of value over many inputs, and one input stays cheap (a refused field is an
    // exception, which costs more than the rest of the input under the sanitizers).
    const MessageFields fields(message);
    unsigned pick = unsigned(message.id) + unsigned(message.body.size());
    for (auto it = message.body.cbegin(); it != message.body.cend(); ++it) {
        if (!it.key().isString())
            continue;
        const QByteArray latin1 = it.key().toString().toLatin1();
        const QLatin1StringView key(latin1);
        // Field names are Latin-1 (MessageFields takes QLatin1StringView): a key outside it
        // cannot be asked for, and is never found (a finding of the 10-million run was this
        // check itself, without the condition).
        if (fields.has(key) != (QString(key) == it.key().toString()))
            finding("MessageFields::has disagrees with the body about a key", it.key().toString());
        switch (pick++ % 9) {
        case 0: attempt([&] { (void)fields.value(key); }); break;
        case 1: attempt([&] { (void)fields.string(key); }); break;
        case 2: attempt([&] { (void)fields.string(key, QString()); }); break;
        case 3:
            attempt([&] {
                const qint64 n = fields.integer(key, 0, std::numeric_limits<qint64>::max());
                if (n < 0)
                    finding("MessageFields::integer returned a value below its minimum");
            });
            break;
        case 4:
            attempt([&] {
                const qint64 n = fields.integer(key, -5, 5, 0);
                if (n < -5 || n > 5)
                    finding("MessageFields::integer returned a value out of its range");
            });
            break;
        case 5: attempt([&] { (void)fields.boolean(key, false); }); break;
        case 6: attempt([&] { (void)fields.array(key); }); break;
        case 7: attempt([&] { (void)fields.map(key); }); break;
        case 8: attempt([&] { (void)fields.text(key, QString()); }); break;
        }
    }
}

void exerciseFrame(const QByteArray &body)
{
    Message message;
    if (!attempt([&] { message = decodeMessage(body, MaxInflated); }))
        return;
    if (message.type.isEmpty())
        finding("a decoded message has no type");
    if (message.id < -1 || message.id > (Q_INT64_C(1) << 53))
        finding("a decoded message id is out of range");
    if (message.body.contains(QLatin1StringView("t")) || message.body.contains(QLatin1StringView("id")))
        finding("a decoded message body still holds \"t\" or \"id\"");
    exerciseFields(message);
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

void writeInput(const QString &directory, const QString &name, const QByteArray &input)
{
    QFile file(QDir(directory).filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(input) != input.size()) {
        std::fprintf(stderr, "fuzz_wire: cannot write %s\n", qPrintable(file.fileName()));
        std::exit(1);
    }
}

void writeSeed(const QString &directory, const QString &name, char control, const QByteArray &chunkSizes, const QByteArray &stream)
{
    QByteArray input;
    input.append(char(Frames));
    input.append(control);
    input.append(chunkSizes);
    input.append(stream);
    writeInput(directory, name, input);
}

// One seed for a CBOR target: selector (target, sub, schema B) then the value.
void writeValueSeed(const QString &directory, const QString &name, Target target, unsigned sub, bool schemaB, const QCborValue &value)
{
    QByteArray input(1, char(unsigned(target) | ((sub & 7) << 4) | (schemaB ? 0x80 : 0)));
    input.append(value.toCbor());
    writeInput(directory, name, input);
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
        const QString n = QStringLiteral("%1").arg(i, 2, 10, QLatin1Char('0'));
        const QByteArray frame = encodeFrame(messages.at(i));
        // Every message alone and whole, and each one more time byte by byte.
        writeSeed(directory, QStringLiteral("frames-%1").arg(n), 0, QByteArray(), frame);
        writeSeed(directory, QStringLiteral("frames-%1-bytewise").arg(n), 1, QByteArray(1, 1), frame);
        writeInput(directory, QStringLiteral("message-%1").arg(n), QByteArray(1, char(MessageBody)) + messages.at(i));
        all += frame;
        // Each field of the message to the decoder that reads it in the node or the client.
        const Message message = decodeMessage(messages.at(i));
        const TableSchema &schema = message.body.value(QLatin1StringView("table")).toString() == schemaB().table ? schemaB() : schemaA();
        const bool b = &schema == &schemaB();
        const QList<std::pair<const char *, Target>> fields{{"ranges", RangesValue},   {"parts", RangeRowsValue}, {"changes", ChangesValue},
                                                            {"schema", SchemaValue},   {"digests", DigestsValue}, {"summary", SummaryValue}};
        for (const auto &[field, target] : fields) {
            const QCborValue value = message.body.value(QLatin1StringView(field));
            if (value.isUndefined())
                continue;
            writeValueSeed(directory, QStringLiteral("%1-%2").arg(QLatin1String(field), n), target, 0, b, value);
            if (target == SchemaValue)
                continue;
            // The same with the schema it goes with, for the decoders driven by a peer's schema.
            if (target == RangesValue || target == RangeRowsValue || target == ChangesValue)
                writeValueSeed(directory, QStringLiteral("schema-%1-%2").arg(QLatin1String(field), n), SchemaRows, unsigned(target - RowValue), false,
                               QCborArray{wirecodec::encodeSchema(schema), value});
        }
        if (message.type == protocol::Type::Progress)
            writeValueSeed(directory, QStringLiteral("progress-%1").arg(n), ProgressValue, 0, false, QCborValue(message.body));
    }
    // All of them in one stream, in uneven chunks; and a stream cut short.
    writeSeed(directory, QStringLiteral("stream-chunked"), 3, QByteArray("\x03\x11\x00", 3), all);
    writeSeed(directory, QStringLiteral("stream-truncated"), 2, QByteArray("\x07\x05", 2), all.left(all.size() - 3));
    // A small maximum frame size: the first frames fit, a later one does not.
    writeSeed(directory, QStringLiteral("stream-small-max"), char(0x08 | 0xF0), QByteArray(), all);

    // Single values, rows, keys and ranges of both schemas.
    for (int b = 0; b < 2; ++b) {
        const TableSchema &schema = b ? schemaB() : schemaA();
        const QList<ColumnType> types = schema.keyTypes();
        const Row row = seedRow(schema, 7, QStringLiteral("\u00e9t\u00e9"), QStringLiteral("-12.5"));
        const Row next = seedRow(schema, 9, QStringLiteral("z"), QStringLiteral("3"));
        writeValueSeed(directory, QStringLiteral("row-%1").arg(b), RowValue, 0, b, wirecodec::encodeRow(schema, row));
        writeValueSeed(directory, QStringLiteral("key-%1").arg(b), KeyValue, 0, b, wirecodec::encodeKey(types, schema.keyOf(row)));
        const KeyRange range{schema.keyOf(row), Key()};
        writeValueSeed(directory, QStringLiteral("range-%1").arg(b), RangeValue, 0, b, wirecodec::encodeRange(types, range));
        for (int c = 0; c < schema.columns.size(); ++c) {
            const ColumnType type = schema.columns.at(c).type;
            int sub = 0;
            while (AllTypes[sub] != type)
                ++sub;
            writeValueSeed(directory, QStringLiteral("value-%1-%2").arg(b).arg(c), Value, unsigned(sub), false, wirecodec::encodeValue(type, row.at(c)));
            writeValueSeed(directory, QStringLiteral("value-%1-%2-next").arg(b).arg(c), Value, unsigned(sub), false, wirecodec::encodeValue(type, next.at(c)));
        }
    }

    // A link definition as link_create and register_link carry it.
    LinkDefinition link;
    link.id = QStringLiteral("orders-east.west");
    link.sourceDatabase = QStringLiteral("shop");
    link.sourceTable = QStringLiteral("orders");
    link.targetHost = QStringLiteral("dc-west.example");
    link.targetPort = 7451;
    link.targetDatabase = QStringLiteral("shop");
    link.targetTable = QStringLiteral("orders");
    link.mode = LinkDefinition::Mode::Scheduled;
    link.intervalMinutes = 15;
    link.blockMs = 250;
    link.compression = true;
    link.bandwidthMBps = 12.5;
    link.filter = QStringLiteral("region = 'eu'");
    link.direction = LinkDefinition::Direction::Bidirectional;
    link.conflicts = LinkDefinition::Conflicts::NewestWins;
    link.timestampColumn = QStringLiteral("updated_at");
    link.autoFailover = true;
    link.witnessHost = QStringLiteral("dc-witness.example");
    link.witnessPort = 7452;
    link.epoch = 3;
    link.sourceNode = QStringLiteral("dc-east");
    link.targetNode = QStringLiteral("dc-west");
    link.reverseOf = QStringLiteral("orders-east");
    writeValueSeed(directory, QStringLiteral("link-full"), LinkValue, 0, false, link.toCbor());
    writeValueSeed(directory, QStringLiteral("link-default"), LinkValue, 0, false, LinkDefinition().toCbor());

    // Certificates as peers present them: the deployment CA, and a node's and an admin's.
    QTemporaryDir pki;
    try {
        const CertificateFiles ca = createDeploymentCa(pki.path());
        IssueOptions node;
        node.role = Role::Node;
        IssueOptions admin;
        admin.role = Role::Admin;
        const QList<std::pair<QString, QString>> certificates{{QStringLiteral("ca"), ca.certificateFile},
                                                              {QStringLiteral("node"), issueCertificate(pki.path(), QStringLiteral("dc-east"), node).certificateFile},
                                                              {QStringLiteral("admin"), issueCertificate(pki.path(), QStringLiteral("ops"), admin).certificateFile}};
        for (const auto &[name, file] : certificates) {
            const QSslCertificate certificate = QSslCertificate::fromPath(file).value(0);
            writeInput(directory, QStringLiteral("certificate-%1").arg(name), QByteArray(1, char(Certificate)) + certificate.toDer());
        }
    } catch (const FerryError &error) {
        std::fprintf(stderr, "fuzz_wire: cannot make the certificate seeds: %s\n", qPrintable(error.message()));
        return 1;
    }
    return 0;
}

} // namespace

// A small quarantine and short allocation stacks: most of an input's time went to the
// allocator's bookkeeping (and the quarantine to 600 MB of memory). A finding replayed with
// ASAN_OPTIONS=malloc_context_size=30 shows the full stacks.
extern "C" const char *__asan_default_options()
{
    return "quarantine_size_mb=16:malloc_context_size=2";
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (*argc == 3 && std::strcmp((*argv)[1], "--write-seeds") == 0)
        std::exit(writeSeeds(QString::fromLocal8Bit((*argv)[2])));
    return 0;
}

namespace {

void fuzzFrames(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    const unsigned control = data[0];
    const size_t chunkCount = control & 7;
    const quint32 maxFrameSize = (control & 8) ? 16 * (1 + (control >> 4)) : protocol::MaxFrameSize;
    if (size < 1 + chunkCount)
        return;
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
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const Target target = Target((data[0] & 0x0f) % TargetCount);
    const unsigned sub = (data[0] >> 4) & 7;
    const TableSchema &schema = (data[0] & 0x80) ? schemaB() : schemaA();
    ++data;
    --size;
    if (target == Frames) {
        fuzzFrames(data, size);
        return 0;
    }
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    if (target == MessageBody) {
        exerciseFrame(bytes);
        return 0;
    }
    if (target == Certificate) {
        exerciseCertificate(bytes);
        return 0;
    }
    // Only what parses without error, as decodeMessage lets through: Qt's QCborValue of a
    // text string cut short crashes in toString() (the first finding of this harness, kept
    // in tests/fuzz/regressions/).
    QCborParserError error;
    const QCborValue value = QCborValue::fromCbor(bytes, &error);
    if (error.error != QCborError::NoError)
        return 0;
    switch (target) {
    case RowValue:
    case KeyValue:
    case RangeValue:
    case RangesValue:
    case RangeRowsValue:
    case ChangesValue:
        exerciseRowDecoder(unsigned(target - RowValue), schema, value);
        break;
    case SchemaRows:
        // The peer's own schema drives the row decoders (as after describe).
        if (value.isArray() && value.toArray().size() == 2) {
            TableSchema own;
            if (attempt([&] { own = wirecodec::decodeSchema(value.toArray().at(0), context()); }))
                exerciseRowDecoder(sub % 6, own, value.toArray().at(1));
        }
        break;
    case LinkValue:
        exerciseLink(value);
        break;
    default:
        exerciseValue(target, AllTypes[sub % 7], value);
        break;
    }
    return 0;
}
