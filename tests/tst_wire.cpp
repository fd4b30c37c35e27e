// The wire layer (core/wire): framing of a byte stream, message envelopes and their typed
// fields, and the CBOR codecs for values, rows, keys, ranges, schemas, digests and progress.
// Round trips keep every value exactly (NaN, -0.0, empty text distinct from NULL), and every
// malformed input a peer could send is a WireError with the right code and a message that
// names what was wrong, never a crash or a silently accepted value.

#include "rows/canonicalencoder.h"
#include "wire/datacodec.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/protocol.h"
#include "wire/wireerror.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>
#include <QUrl>
#include <QtEndian>

#include <cmath>
#include <limits>
#include <optional>

namespace ferry {

namespace {

constexpr qint64 Int64Min = std::numeric_limits<qint64>::min();
constexpr qint64 Int64Max = std::numeric_limits<qint64>::max();
constexpr double Inf = std::numeric_limits<double>::infinity();
const QVariant Null;

// The WireError f throws, if any (any other exception escapes to the test framework).
template <typename F>
std::optional<WireError> wireErrorOf(F &&f)
{
    try {
        f();
    } catch (const WireError &error) {
        return error;
    }
    return std::nullopt;
}

} // namespace

// Expects the statements to throw WireError with code expectedCode and a message that
// contains every string of the list expectedText.
#define QVERIFY_WIRE_ERROR(expectedCode, expectedText, ...)                                                  \
    do {                                                                                                     \
        const std::optional<WireError> error_ = wireErrorOf([&] { __VA_ARGS__; });                           \
        QVERIFY2(error_.has_value(), "expected a WireError from: " #__VA_ARGS__);                            \
        QCOMPARE(error_->code(), QString(expectedCode));                                                     \
        for (const QString &part_ : QStringList(expectedText))                                               \
            QVERIFY2(error_->message().contains(part_),                                                      \
                     qPrintable(QStringLiteral("\"%1\" does not contain \"%2\"").arg(error_->message(), part_))); \
    } while (false)

namespace {

const QString BadFrame = QString(protocol::ErrorCode::BadFrame);
const QString BadMessage = QString(protocol::ErrorCode::BadMessage);

QByteArray header(quint32 length)
{
    char bytes[4];
    qToBigEndian(length, bytes);
    return QByteArray(bytes, 4);
}

// Feeds bytes and collects every frame that comes out.
QList<QByteArray> feed(FrameReader &reader, const QByteArray &bytes)
{
    reader.append(bytes);
    QList<QByteArray> frames;
    QByteArray body;
    while (reader.next(body))
        frames.append(body);
    return frames;
}

// One column of every type; the key is (t, i): text, then integer.
TableSchema allTypesSchema()
{
    TableSchema schema;
    schema.table = QStringLiteral("orders");
    const QList<QPair<QString, ColumnType>> columns = {
        {QStringLiteral("i"), ColumnType::Integer}, {QStringLiteral("r"), ColumnType::Real},
        {QStringLiteral("t"), ColumnType::Text},    {QStringLiteral("b"), ColumnType::Blob},
        {QStringLiteral("f"), ColumnType::Boolean}, {QStringLiteral("ts"), ColumnType::Timestamp},
        {QStringLiteral("n"), ColumnType::Numeric},
    };
    for (const auto &[name, type] : columns) {
        Column column;
        column.name = name;
        column.type = type;
        column.declaredType = columnTypeName(type).toUpper();
        column.notNull = name == QLatin1String("t") || name == QLatin1String("i");
        schema.columns.append(column);
    }
    schema.primaryKey = {2, 0};
    return schema;
}

// A row of allTypesSchema() with key (t, i) and the rest derived from i; NULLs where i says.
Row makeRow(const QString &t, qlonglong i)
{
    Row row(7);
    row[0] = i;
    row[1] = i % 4 == 1 ? Null : QVariant(double(i) / 8);
    row[2] = t;
    row[3] = i % 4 == 2 ? Null : QVariant(QByteArray("\x00\xff", 2) + QByteArray::number(i));
    row[4] = i % 4 == 3 ? Null : QVariant(i % 2 == 0);
    row[5] = i % 5 == 0 ? Null : QVariant(qlonglong(1700000000000000) + i);
    row[6] = i % 3 == 0 ? Null : QVariant(QString::number(i) + QStringLiteral(".25"));
    return row;
}

Key key(const QString &t, qlonglong i)
{
    return Key{t, i};
}

QCborArray cborKey(const QString &t, qlonglong i)
{
    return QCborArray{t, i};
}

// Same value, same canonical Qt type; doubles compared by bits except that any NaN equals any NaN.
bool sameValue(const QVariant &a, const QVariant &b)
{
    if (a.isNull() || b.isNull())
        return a.isNull() && b.isNull();
    if (a.metaType() != b.metaType())
        return false;
    if (a.metaType().id() == QMetaType::Double) {
        const double x = a.toDouble();
        const double y = b.toDouble();
        if (std::isnan(x) || std::isnan(y))
            return std::isnan(x) && std::isnan(y);
        return x == y && std::signbit(x) == std::signbit(y);
    }
    return a == b;
}

QString describe(const QList<QVariant> &values)
{
    QStringList parts;
    for (const QVariant &value : values)
        parts.append(value.isNull() ? QStringLiteral("NULL") : QStringLiteral("%1(%2)").arg(QString::fromLatin1(value.typeName()), value.toString()));
    return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

bool sameValues(const QList<QVariant> &a, const QList<QVariant> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!sameValue(a.at(i), b.at(i)))
            return false;
    }
    return true;
}

#define QCOMPARE_VALUES(actual, expected) \
    QVERIFY2(sameValues(actual, expected), qPrintable(describe(actual) + QStringLiteral(" != ") + describe(expected)))

// A valid progress report: 4 planned blocks, 2 of them changed, with composite keys.
VerificationProgress sampleProgress()
{
    VerificationProgress progress;
    progress.blocksPlanned = 4;
    progress.planningDone = true;
    progress.stateCounts[int(BlockState::Equal)] = 2;
    progress.stateCounts[int(BlockState::Repairing)] = 1;
    progress.stateCounts[int(BlockState::Failed)] = 1;
    progress.rowsCompared = Int64Max;
    progress.rowsSent = 17;
    progress.bytesSent = 4096;
    BlockInfo repairing;
    repairing.range = KeyRange{key(QStringLiteral("\u00e9t\u00e9"), -7), key(QStringLiteral("\u4e16\u754c"), 3)};
    repairing.state = BlockState::Repairing;
    repairing.sourceRows = 120;
    repairing.targetRows = -1;
    repairing.sourceDigest = QByteArray::fromHex("00112233445566778899aabbccddeeff");
    BlockInfo failed;
    failed.range = KeyRange{key(QStringLiteral("\u4e16\u754c"), 3), Key()};
    failed.state = BlockState::Failed;
    failed.sourceRows = 0;
    failed.targetRows = 9;
    failed.sourceDigest = QByteArray(16, '\0');
    failed.targetDigest = QByteArray(16, '\xff');
    progress.changedBlocks = {{1, repairing}, {3, failed}};
    return progress;
}

} // namespace

class TestWire : public QObject
{
    Q_OBJECT

private slots:
    // Frames
    void encodeFrameLayout();
    void frameSplitAtEveryBoundary();
    void frameByteAtATime();
    void severalFramesInOneAppend();
    void zeroLengthIsRejected();
    void oversizedLengthIsRejectedBeforeTheBody();
    void lengthAtMaximumIsAccepted();
    void bufferDoesNotGrow();

    // Messages
    void messageRoundTrip();
    void messageIdLimits();
    void badMessages_data();
    void badMessages();
    void compressedMessages();
    void badCompressedMessages();
    void fieldErrors();
    void fieldFallbacks();

    // Values, rows, keys, ranges
    void valueRoundTrip_data();
    void valueRoundTrip();
    void emptyIsNotNull();
    void realAcceptsIntegers();
    void badValues_data();
    void badValues();
    void rowRoundTrip();
    void badRows();
    void keysAndOpenRanges();
    void badKeysAndRanges();
    void rangeRowsRoundTrip();
    void encodedReplaceBody();
    void badRangeRows();

    // Schemas, digests, progress
    void schemaRoundTrip();
    void badSchemas_data();
    void badSchemas();
    void digestsRoundTrip();
    void badDigests_data();
    void badDigests();
    void progressRoundTrip();
    void badProgress_data();
    void badProgress();
    void summaryRoundTrip();
    void badSummaries();
};

// --- frames ---------------------------------------------------------------------------------

void TestWire::encodeFrameLayout()
{
    QCOMPARE(encodeFrame(QByteArray("abc")), QByteArray("\x00\x00\x00\x03" "abc", 7));
    const QByteArray big(70000, 'x');
    const QByteArray frame = encodeFrame(big);
    QCOMPARE(frame.left(4), QByteArray("\x00\x01\x11\x70", 4));
    QCOMPARE(frame.mid(4), big);
}

void TestWire::frameSplitAtEveryBoundary()
{
    const QList<QByteArray> bodies = {QByteArray("a"), QByteArray(300, '\xab'), QByteArray("\x00\x01\x02\x03\x04", 5)};
    QByteArray stream;
    for (const QByteArray &body : bodies)
        stream += encodeFrame(body);
    // Two pieces, cut at every position (including the ends), then three pieces around
    // each header.
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        FrameReader reader;
        QList<QByteArray> frames = feed(reader, stream.left(cut));
        frames += feed(reader, stream.mid(cut));
        QVERIFY2(frames == bodies, qPrintable(QStringLiteral("cut at %1").arg(cut)));
        QCOMPARE(reader.buffered(), 0);
    }
    for (qsizetype first = 0; first < 12; ++first) {
        for (qsizetype second = first; second < stream.size(); second += 7) {
            FrameReader reader;
            QList<QByteArray> frames = feed(reader, stream.left(first));
            frames += feed(reader, stream.mid(first, second - first));
            frames += feed(reader, stream.mid(second));
            QVERIFY2(frames == bodies, qPrintable(QStringLiteral("cuts at %1 and %2").arg(first).arg(second)));
            QCOMPARE(reader.buffered(), 0);
        }
    }
}

void TestWire::frameByteAtATime()
{
    const QList<QByteArray> bodies = {QByteArray("first"), QByteArray(1, '\0'), QByteArray(260, 'z')};
    QByteArray stream;
    QList<qsizetype> ends;   // stream offsets after which a frame is complete
    for (const QByteArray &body : bodies) {
        stream += encodeFrame(body);
        ends.append(stream.size());
    }
    FrameReader reader;
    QList<QByteArray> frames;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        reader.append(stream.constData() + i, 1);
        QByteArray body;
        const bool complete = reader.next(body);
        QCOMPARE(complete, ends.contains(i + 1));
        if (complete) {
            frames.append(body);
            QCOMPARE(reader.buffered(), 0);
            QVERIFY(!reader.next(body));
        }
    }
    QCOMPARE(frames, bodies);
}

void TestWire::severalFramesInOneAppend()
{
    QList<QByteArray> bodies;
    QByteArray stream;
    for (int i = 1; i <= 5; ++i) {
        bodies.append(QByteArray(i * 3, char('a' + i)));
        stream += encodeFrame(bodies.constLast());
    }
    // Plus the first half of a sixth frame, which stays buffered.
    const QByteArray sixth = encodeFrame(QByteArray("sixth"));
    stream += sixth.left(6);
    FrameReader reader;
    QCOMPARE(feed(reader, stream), bodies);
    QCOMPARE(reader.buffered(), 6);
    QCOMPARE(feed(reader, sixth.mid(6)), QList<QByteArray>{QByteArray("sixth")});
    QCOMPARE(reader.buffered(), 0);
}

void TestWire::zeroLengthIsRejected()
{
    {
        FrameReader reader;
        reader.append(header(0));
        QByteArray body;
        QVERIFY_WIRE_ERROR(BadFrame, QStringList{QStringLiteral("0")}, reader.next(body));
    }
    {
        // After a good frame in the same append: the good one comes out first.
        FrameReader reader;
        reader.append(encodeFrame("ok") + header(0) + QByteArray("junk"));
        QByteArray body;
        QVERIFY(reader.next(body));
        QCOMPARE(body, QByteArray("ok"));
        QVERIFY_WIRE_ERROR(BadFrame, QStringList(), reader.next(body));
    }
}

void TestWire::oversizedLengthIsRejectedBeforeTheBody()
{
    {
        // 0xFFFFFFFF alone, without a single body byte: rejected at once, nothing allocated
        // for the body (there is nothing to wait for).
        FrameReader reader;
        QByteArray body;
        reader.append(QByteArray("\xff\xff\xff", 3));
        QVERIFY(!reader.next(body));   // an incomplete header is not an error yet
        reader.append(QByteArray("\xff", 1));
        QCOMPARE(reader.buffered(), 4);
        QVERIFY_WIRE_ERROR(BadFrame, QStringList{QStringLiteral("4294967295")}, reader.next(body));
    }
    {
        FrameReader reader;
        reader.append(header(protocol::MaxFrameSize + 1));
        QByteArray body;
        QVERIFY_WIRE_ERROR(BadFrame, QStringList{QString::number(protocol::MaxFrameSize + 1)}, reader.next(body));
    }
    {
        FrameReader reader(100);
        reader.append(header(101) + QByteArray(101, 'x'));
        QByteArray body;
        QVERIFY_WIRE_ERROR(BadFrame, QStringList({QStringLiteral("101"), QStringLiteral("100")}), reader.next(body));
    }
}

void TestWire::lengthAtMaximumIsAccepted()
{
    {
        FrameReader reader(16);
        const QByteArray body16(16, 'm');
        QCOMPARE(feed(reader, encodeFrame(body16)), QList<QByteArray>{body16});
        QCOMPARE(feed(reader, encodeFrame(QByteArray(1, 'x'))), QList<QByteArray>{QByteArray(1, 'x')});
        QVERIFY_WIRE_ERROR(BadFrame, QStringList(), feed(reader, encodeFrame(QByteArray(17, 'm'))));
    }
    {
        // The default maximum: the header alone is accepted and waits for the body.
        FrameReader reader;
        QVERIFY(feed(reader, header(protocol::MaxFrameSize)).isEmpty());
        QCOMPARE(reader.buffered(), 4);
    }
}

void TestWire::bufferDoesNotGrow()
{
    // Frames that arrive whole leave nothing behind.
    {
        FrameReader reader;
        for (int i = 0; i < 20000; ++i) {
            const QList<QByteArray> frames = feed(reader, encodeFrame(QByteArray(100, char(i))));
            QCOMPARE(frames.size(), 1);
            QCOMPARE(reader.buffered(), 0);
        }
    }
    // Chunks that never line up with frames: what is buffered stays below one frame, over
    // several megabytes, and drains to zero at the end.
    {
        QByteArray stream;
        for (int i = 0; i < 40000; ++i)
            stream += encodeFrame(QByteArray(96, char(i)));   // 100 bytes per frame
        FrameReader reader;
        qsizetype frames = 0;
        for (qsizetype offset = 0; offset < stream.size(); offset += 333) {
            frames += feed(reader, stream.mid(offset, 333)).size();
            QVERIFY(reader.buffered() < 100);
        }
        QCOMPARE(frames, qsizetype(40000));
        QCOMPARE(reader.buffered(), 0);
    }
}

// --- messages -------------------------------------------------------------------------------

void TestWire::messageRoundTrip()
{
    const QCborMap body{{QStringLiteral("db"), QStringLiteral("shop")},
                        {QStringLiteral("table"), QStringLiteral("orders")},
                        {QStringLiteral("ranges"), QCborArray{QCborArray{nullptr, cborKey(QStringLiteral("m"), 1)}}},
                        {QStringLiteral("blob"), QByteArray("\x00\x01", 2)}};
    const Message message = decodeMessage(encodeMessage(protocol::Type::Digest, 42, body));
    QCOMPARE(message.type, QStringLiteral("digest"));
    QCOMPARE(message.id, qint64(42));
    QCOMPARE(message.body, body);
    QVERIFY(!message.body.contains(QLatin1StringView("t")));
    QVERIFY(!message.body.contains(QLatin1StringView("id")));

    // No id: -1, and the encoding has none.
    const QByteArray event = encodeMessage(protocol::Type::Progress, -1, QCborMap{{QStringLiteral("planned"), 3}});
    QVERIFY(!QCborValue::fromCbor(event).toMap().contains(QLatin1StringView("id")));
    const Message decoded = decodeMessage(event);
    QCOMPARE(decoded.type, QStringLiteral("progress"));
    QCOMPARE(decoded.id, qint64(-1));
    QCOMPARE(decoded.body, (QCborMap{{QStringLiteral("planned"), 3}}));

    // An empty body.
    const Message ping = decodeMessage(encodeMessage(protocol::Type::Ping, 0));
    QCOMPARE(ping.type, QStringLiteral("ping"));
    QCOMPARE(ping.id, qint64(0));
    QVERIFY(ping.body.isEmpty());
}

void TestWire::messageIdLimits()
{
    const qint64 maxId = Q_INT64_C(1) << 53;
    QCOMPARE(decodeMessage(encodeMessage(protocol::Type::Ping, maxId)).id, maxId);
    const QByteArray over = QCborValue(QCborMap{{QStringLiteral("t"), QStringLiteral("ping")}, {QStringLiteral("id"), maxId + 1}}).toCbor();
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("ping"), QStringLiteral("id")}), decodeMessage(over));
}

void TestWire::badMessages_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("text");

    auto map = [](const QCborMap &m) { return QCborValue(m).toCbor(); };
    const QString t = QStringLiteral("t");
    const QString id = QStringLiteral("id");
    const QByteArray valid = encodeMessage(protocol::Type::Tables, 7, QCborMap{{QStringLiteral("db"), QStringLiteral("shop")}});

    QTest::newRow("empty") << QByteArray() << BadFrame << QString();
    QTest::newRow("garbage") << QByteArray("\xff\xfe\xfd\xfc", 4) << BadFrame << QString();
    QTest::newRow("break outside container") << QByteArray("\xff", 1) << BadFrame << QString();
    QTest::newRow("truncated") << valid.left(valid.size() - 3) << BadFrame << QString();
    QTest::newRow("truncated header") << QByteArray("\xbb\x00\x00", 3) << BadFrame << QString();
    QTest::newRow("huge declared string") << QByteArray::fromHex("a161747b00000000ffffffff") << BadFrame << QString();
    QTest::newRow("invalid utf-8") << QByteArray::fromHex("a1617462c328") << BadFrame << QString();
    QTest::newRow("trailing byte") << valid + QByteArray(1, '\0') << BadFrame << QStringLiteral("more than one");
    QTest::newRow("two messages") << valid + valid << BadFrame << QStringLiteral("more than one");
    QTest::newRow("array") << QCborValue(QCborArray{QStringLiteral("ping"), 1}).toCbor() << BadMessage << QStringLiteral("not a CBOR map");
    QTest::newRow("integer") << QCborValue(5).toCbor() << BadMessage << QStringLiteral("not a CBOR map");
    QTest::newRow("string") << QCborValue(QStringLiteral("ping")).toCbor() << BadMessage << QStringLiteral("not a CBOR map");
    QTest::newRow("no t") << map({{id, 1}, {QStringLiteral("db"), QStringLiteral("x")}}) << BadMessage << QStringLiteral("\"t\"");
    QTest::newRow("t integer") << map({{t, 5}}) << BadMessage << QStringLiteral("\"t\"");
    QTest::newRow("t bytes") << map({{t, QByteArray("ping")}}) << BadMessage << QStringLiteral("\"t\"");
    QTest::newRow("t empty") << map({{t, QString()}}) << BadMessage << QStringLiteral("\"t\"");
    QTest::newRow("id negative") << map({{t, QStringLiteral("ping")}, {id, -1}}) << BadMessage << QStringLiteral("request id");
    QTest::newRow("id text") << map({{t, QStringLiteral("ping")}, {id, QStringLiteral("1")}}) << BadMessage << QStringLiteral("request id");
    QTest::newRow("id double") << map({{t, QStringLiteral("ping")}, {id, 1.0}}) << BadMessage << QStringLiteral("request id");
    QTest::newRow("id null") << map({{t, QStringLiteral("ping")}, {id, nullptr}}) << BadMessage << QStringLiteral("request id");
    QTest::newRow("id 2^53+1") << map({{t, QStringLiteral("ping")}, {id, (Q_INT64_C(1) << 53) + 1}}) << BadMessage << QStringLiteral("request id");
    QTest::newRow("id 2^64-1")   // read as a double by QCborValue: not an integer
        << QByteArray::fromHex("a261746470696e676269641bffffffffffffffff") << BadMessage << QStringLiteral("request id");
    // A repeated key would survive in the body and let two readers disagree.
    // {"t": "ping", "t": "replace"}, {"t": "ping", "id": 1, "id": 2}, {"t": "ping", "x": [{"a": 1, "a": 2}]}
    QTest::newRow("t twice") << QByteArray::fromHex("a261746470696e67617467") + QByteArray("replace") << BadMessage << QStringLiteral("more than once");
    QTest::newRow("id twice") << QByteArray::fromHex("a361746470696e676269640162696402") << BadMessage << QStringLiteral("more than once");
    QTest::newRow("nested key twice") << QByteArray::fromHex("a261746470696e67617881a2616101616102") << BadMessage
                                      << QStringLiteral("more than once");
}

void TestWire::badMessages()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    QFETCH(QString, text);
    QVERIFY_WIRE_ERROR(code, text.isEmpty() ? QStringList() : QStringList{text}, decodeMessage(bytes));
}

void TestWire::compressedMessages()
{
    QCborArray rows;
    for (int i = 0; i < 200; ++i)
        rows.append(QCborArray{i, QStringLiteral("row %1 \u00e9t\u00e9").arg(i), QByteArray(8, char(i))});
    const QCborMap body{{QStringLiteral("db"), QStringLiteral("shop")}, {QStringLiteral("rows"), rows}};
    const QByteArray plain = encodeMessage(protocol::Type::Replace, 5, body);
    const QByteArray packed = encodeMessage(protocol::Type::Replace, 5, body, true);
    QVERIFY(packed.size() < plain.size());
    const QCborMap outer = QCborValue::fromCbor(packed).toMap();
    QVERIFY(outer.value(QLatin1StringView("z")).isByteArray());
    QVERIFY(!outer.contains(QLatin1StringView("rows")));
    const Message message = decodeMessage(packed);
    QCOMPARE(message.type, QStringLiteral("replace"));
    QCOMPARE(message.id, qint64(5));
    QCOMPARE(message.body, body);
    QVERIFY(message.compressed);
    QVERIFY(!decodeMessage(plain).compressed);

    // A small body is not worth compressing and travels plain.
    const QCborMap small{{QStringLiteral("db"), QStringLiteral("shop")}};
    const QByteArray smallBytes = encodeMessage(protocol::Type::Tables, 6, small, true);
    QVERIFY(!QCborValue::fromCbor(smallBytes).toMap().contains(QLatin1StringView("z")));
    const Message smallMessage = decodeMessage(smallBytes);
    QCOMPARE(smallMessage.body, small);
    QVERIFY(!smallMessage.compressed);
}

void TestWire::badCompressedMessages()
{
    // {t: "replace", id: 1, z: bytes} (plus extra fields), z = qCompress(inner) with its
    // 4-byte size prefix, optionally replaced.
    auto message = [](const QCborValue &z, const QCborMap &extra = {}) {
        QCborMap map = extra;
        map.insert(QStringLiteral("t"), QStringLiteral("replace"));
        map.insert(QStringLiteral("id"), 1);
        map.insert(QStringLiteral("z"), z);
        return QCborValue(map).toCbor();
    };
    auto packed = [](const QByteArray &inner, std::optional<quint32> declared = std::nullopt) {
        QByteArray bytes = qCompress(inner);
        if (declared)
            qToBigEndian(*declared, bytes.data());
        return bytes;
    };
    const QByteArray innerMap = QCborValue(QCborMap{{QStringLiteral("db"), QStringLiteral("shop")}}).toCbor();
    const QStringList type{QStringLiteral("\"replace\"")};
    QCOMPARE(decodeMessage(message(packed(innerMap))).body.value(QLatin1StringView("db")).toString(), QStringLiteral("shop"));

    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(QStringLiteral("not bytes"))));
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(QByteArray("\x00\x00\x01", 3))));
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(packed(innerMap), QCborMap{{QStringLiteral("db"), QStringLiteral("x")}})));
    // The declared size is checked before anything is expanded.
    QVERIFY_WIRE_ERROR(BadFrame, type, decodeMessage(message(packed(innerMap, 0))));
    QVERIFY_WIRE_ERROR(BadFrame, type, decodeMessage(message(packed(innerMap, protocol::MaxFrameSize + 1))));
    QVERIFY_WIRE_ERROR(BadFrame, type, decodeMessage(message(packed(innerMap, 0xffffffffu))));
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(packed(innerMap, quint32(innerMap.size() + 1)))));
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(QByteArray("\x00\x00\x00\x10not zlib at all", 19))));
    // A stream that expands past its declared size (a zip bomb: 64 MiB of zeros declared as
    // 16 bytes) is refused after inflating 16 bytes, not 64 MiB.
    QByteArray bomb = qCompress(QByteArray(64 * 1024 * 1024, '\0'), 9);
    qToBigEndian(quint32(16), bomb.data());
    QElapsedTimer bombClock;
    bombClock.start();
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(bomb)));
    QVERIFY2(bombClock.elapsed() < 2000, "the bomb was expanded");
    // What it expands to is checked like a plain body.
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(packed(QCborValue(QCborArray{1, 2}).toCbor()))));
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(packed(innerMap + QByteArray(1, '\0')))));
    QVERIFY_WIRE_ERROR(BadMessage, type, decodeMessage(message(packed(QByteArray("\xa1\x61", 2)))));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList{QStringLiteral("more than once")},
                       decodeMessage(message(packed(QByteArray::fromHex("a2616101616102")))));   // {"a": 1, "a": 2}
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("\"replace\""), QStringLiteral("\"t\"")}),
                       decodeMessage(message(packed(QCborValue(QCborMap{{QStringLiteral("t"), QStringLiteral("ping")}}).toCbor()))));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("\"replace\""), QStringLiteral("\"id\"")}),
                       decodeMessage(message(packed(QCborValue(QCborMap{{QStringLiteral("id"), 9}}).toCbor()))));
}

void TestWire::fieldErrors()
{
    Message message;
    message.type = QStringLiteral("describe");
    message.body = QCborMap{{QStringLiteral("db"), QStringLiteral("shop")},
                            {QStringLiteral("n"), 5},
                            {QStringLiteral("d"), 5.0},
                            {QStringLiteral("flag"), true},
                            {QStringLiteral("list"), QCborArray{1}},
                            {QStringLiteral("map"), QCborMap{}}};
    const MessageFields fields(message);
    auto expect = [](const char *field, const char *what) {
        return QStringList{QStringLiteral("\"describe\""), QStringLiteral("\"%1\"").arg(QLatin1String(field)), QString::fromLatin1(what)};
    };

    // Missing.
    QVERIFY_WIRE_ERROR(BadMessage, expect("table", "missing"), fields.string(QLatin1StringView("table")));
    QVERIFY_WIRE_ERROR(BadMessage, expect("table", "missing"), fields.integer(QLatin1StringView("table"), 0, 10));
    QVERIFY_WIRE_ERROR(BadMessage, expect("table", "missing"), fields.array(QLatin1StringView("table")));
    QVERIFY_WIRE_ERROR(BadMessage, expect("table", "missing"), fields.map(QLatin1StringView("table")));
    QVERIFY_WIRE_ERROR(BadMessage, expect("table", "missing"), fields.value(QLatin1StringView("table")));
    QVERIFY(!fields.has(QLatin1StringView("table")));

    // Wrong type.
    QVERIFY_WIRE_ERROR(BadMessage, expect("n", "not a string"), fields.string(QLatin1StringView("n")));
    QVERIFY_WIRE_ERROR(BadMessage, expect("db", "not an integer"), fields.integer(QLatin1StringView("db"), 0, 10));
    QVERIFY_WIRE_ERROR(BadMessage, expect("d", "not an integer"), fields.integer(QLatin1StringView("d"), 0, 10));
    QVERIFY_WIRE_ERROR(BadMessage, expect("n", "not a boolean"), fields.boolean(QLatin1StringView("n"), false));
    QVERIFY_WIRE_ERROR(BadMessage, expect("map", "not an array"), fields.array(QLatin1StringView("map")));
    QVERIFY_WIRE_ERROR(BadMessage, expect("list", "not a map"), fields.map(QLatin1StringView("list")));
    // A present field is checked even when the getter has a fallback.
    QVERIFY_WIRE_ERROR(BadMessage, expect("n", "not a string"), fields.string(QLatin1StringView("n"), QStringLiteral("x")));
    QVERIFY_WIRE_ERROR(BadMessage, expect("db", "not an integer"), fields.integer(QLatin1StringView("db"), 0, 10, 1));
    QVERIFY_WIRE_ERROR(BadMessage, expect("list", "not a boolean"), fields.boolean(QLatin1StringView("list"), true));

    // Out of range, both ends, with and without a fallback.
    QVERIFY_WIRE_ERROR(BadMessage, expect("n", "outside 0..4"), fields.integer(QLatin1StringView("n"), 0, 4));
    QVERIFY_WIRE_ERROR(BadMessage, expect("n", "outside 6..10"), fields.integer(QLatin1StringView("n"), 6, 10));
    QVERIFY_WIRE_ERROR(BadMessage, expect("n", "outside 6..10"), fields.integer(QLatin1StringView("n"), 6, 10, 7));

    // The context constructor names the context instead of a message type.
    const MessageFields nested(QStringLiteral("schema"), QCborMap{{QStringLiteral("columns"), 3}});
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("\"schema\""), QStringLiteral("\"columns\"")}),
                       nested.array(QLatin1StringView("columns")));
}

void TestWire::fieldFallbacks()
{
    const MessageFields fields(QStringLiteral("compare"),
                               QCborMap{{QStringLiteral("db"), QStringLiteral("shop")},
                                        {QStringLiteral("block_rows"), 1000},
                                        {QStringLiteral("repair"), false},
                                        {QStringLiteral("min"), Int64Min}});
    QCOMPARE(fields.string(QLatin1StringView("db")), QStringLiteral("shop"));
    QCOMPARE(fields.string(QLatin1StringView("db"), QStringLiteral("x")), QStringLiteral("shop"));
    QCOMPARE(fields.string(QLatin1StringView("digest"), QStringLiteral("md5")), QStringLiteral("md5"));
    QCOMPARE(fields.integer(QLatin1StringView("block_rows"), 1, 1000), qint64(1000));
    QCOMPARE(fields.integer(QLatin1StringView("block_rows"), 1, 1000000, 5), qint64(1000));
    QCOMPARE(fields.integer(QLatin1StringView("block_ms"), 0, 60000, 250), qint64(250));
    QCOMPARE(fields.integer(QLatin1StringView("min"), Int64Min, Int64Max), Int64Min);
    QCOMPARE(fields.boolean(QLatin1StringView("repair"), true), false);
    QCOMPARE(fields.boolean(QLatin1StringView("dry_run"), true), true);
    QCOMPARE(fields.boolean(QLatin1StringView("dry_run"), false), false);
    QVERIFY(fields.has(QLatin1StringView("repair")));
}

// --- values, rows, keys, ranges -------------------------------------------------------------

void TestWire::valueRoundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QVariant>("value");

    auto add = [](const char *name, ColumnType type, const QVariant &value) { QTest::newRow(name) << int(type) << value; };
    for (ColumnType type : {ColumnType::Integer, ColumnType::Real, ColumnType::Text, ColumnType::Blob, ColumnType::Boolean,
                            ColumnType::Timestamp, ColumnType::Numeric})
        QTest::newRow(qPrintable(QStringLiteral("null %1").arg(columnTypeName(type)))) << int(type) << Null;
    add("integer 0", ColumnType::Integer, qlonglong(0));
    add("integer -1", ColumnType::Integer, qlonglong(-1));
    add("integer min", ColumnType::Integer, qlonglong(Int64Min));
    add("integer max", ColumnType::Integer, qlonglong(Int64Max));
    add("real 0.1", ColumnType::Real, 0.1);
    add("real -0.0", ColumnType::Real, -0.0);
    add("real +inf", ColumnType::Real, Inf);
    add("real -inf", ColumnType::Real, -Inf);
    add("real nan", ColumnType::Real, std::numeric_limits<double>::quiet_NaN());
    add("real denormal", ColumnType::Real, std::numeric_limits<double>::denorm_min());
    add("real max", ColumnType::Real, std::numeric_limits<double>::max());
    add("real 2^53+2", ColumnType::Real, 9007199254740994.0);
    add("text ascii", ColumnType::Text, QStringLiteral("hello"));
    add("text unicode", ColumnType::Text, QStringLiteral("\u00e9t\u00e9 \u4e16\u754c \U0001F600"));
    add("text nul", ColumnType::Text, QString::fromUtf16(u"a\0b", 3));
    add("blob binary", ColumnType::Blob, QByteArray("\x00\xff\x80\x7f\x00", 5));
    QByteArray every(256, '\0');
    for (int i = 0; i < 256; ++i)
        every[i] = char(i);
    add("blob every byte", ColumnType::Blob, every);
    add("boolean true", ColumnType::Boolean, true);
    add("boolean false", ColumnType::Boolean, false);
    add("timestamp epoch", ColumnType::Timestamp, qlonglong(0));
    add("timestamp before 1970", ColumnType::Timestamp, qlonglong(-86400000000));
    add("timestamp max", ColumnType::Timestamp, qlonglong(Int64Max));
    add("numeric 0", ColumnType::Numeric, QStringLiteral("0"));
    add("numeric negative fraction", ColumnType::Numeric, QStringLiteral("-12.345"));
    add("numeric long", ColumnType::Numeric, QStringLiteral("123456789012345678901234567890.000000000000000000001"));
    add("numeric NaN", ColumnType::Numeric, QStringLiteral("NaN"));
    add("numeric -Infinity", ColumnType::Numeric, QStringLiteral("-Infinity"));
}

void TestWire::valueRoundTrip()
{
    QFETCH(int, type);
    QFETCH(QVariant, value);
    const ColumnType columnType = ColumnType(type);
    // Through bytes, as on the wire.
    const QByteArray bytes = wirecodec::encodeValue(columnType, value).toCbor();
    const QVariant decoded = wirecodec::decodeValue(columnType, QCborValue::fromCbor(bytes), QStringLiteral("replace"));
    QVERIFY2(sameValue(decoded, value), qPrintable(describe({decoded}) + QStringLiteral(" != ") + describe({value})));
}

void TestWire::emptyIsNotNull()
{
    const QString context = QStringLiteral("replace");
    const QCborValue emptyText = wirecodec::encodeValue(ColumnType::Text, QString(QLatin1String("")));
    QVERIFY(emptyText.isString());
    const QVariant text = wirecodec::decodeValue(ColumnType::Text, QCborValue::fromCbor(emptyText.toCbor()), context);
    QVERIFY(!text.isNull());
    QCOMPARE(text.toString(), QString());
    QCOMPARE(text.metaType(), QMetaType::fromType<QString>());

    const QCborValue emptyBlob = wirecodec::encodeValue(ColumnType::Blob, QByteArray(""));
    QVERIFY(emptyBlob.isByteArray());
    const QVariant blob = wirecodec::decodeValue(ColumnType::Blob, QCborValue::fromCbor(emptyBlob.toCbor()), context);
    QVERIFY(!blob.isNull());
    QCOMPARE(blob.metaType(), QMetaType::fromType<QByteArray>());
    QVERIFY(blob.toByteArray().isEmpty());

    QVERIFY(wirecodec::encodeValue(ColumnType::Text, Null).isNull());
    QVERIFY(wirecodec::encodeValue(ColumnType::Blob, Null).isNull());
    QVERIFY(wirecodec::decodeValue(ColumnType::Text, QCborValue(nullptr), context).isNull());
}

void TestWire::realAcceptsIntegers()
{
    // A peer may send a whole real as a CBOR integer; it is read as a double.
    const QVariant value = wirecodec::decodeValue(ColumnType::Real, QCborValue(3), QStringLiteral("replace"));
    QCOMPARE(value.metaType(), QMetaType::fromType<double>());
    QCOMPARE(value.toDouble(), 3.0);
}

void TestWire::badValues_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QCborValue>("value");

    auto add = [](const char *name, ColumnType type, const QCborValue &value) { QTest::newRow(name) << int(type) << value; };
    add("integer as text", ColumnType::Integer, QCborValue(QStringLiteral("1")));
    add("integer as double", ColumnType::Integer, QCborValue(1.0));
    add("integer as bool", ColumnType::Integer, QCborValue(true));
    add("integer above int64", ColumnType::Integer, QCborValue::fromCbor(QByteArray("\x1b\xff\xff\xff\xff\xff\xff\xff\xff", 9)));
    add("real as text", ColumnType::Real, QCborValue(QStringLiteral("1.5")));
    add("real as bool", ColumnType::Real, QCborValue(false));
    add("text as bytes", ColumnType::Text, QCborValue(QByteArray("abc")));
    add("text as integer", ColumnType::Text, QCborValue(5));
    add("text as array", ColumnType::Text, QCborValue(QCborArray{QStringLiteral("a")}));
    add("blob as text", ColumnType::Blob, QCborValue(QStringLiteral("abc")));
    add("boolean as integer", ColumnType::Boolean, QCborValue(1));
    add("boolean as undefined", ColumnType::Boolean, QCborValue(QCborValue::Undefined));
    add("timestamp as double", ColumnType::Timestamp, QCborValue(1.7e15));
    add("timestamp as date-time tag", ColumnType::Timestamp, QCborValue(QDateTime::fromSecsSinceEpoch(0, Qt::UTC)));
    add("numeric as integer", ColumnType::Numeric, QCborValue(5));
    add("numeric as double", ColumnType::Numeric, QCborValue(5.5));
    add("numeric not a number", ColumnType::Numeric, QCborValue(QStringLiteral("shop")));
    add("numeric leading zeros", ColumnType::Numeric, QCborValue(QStringLiteral("007.50")));
    add("numeric plus sign", ColumnType::Numeric, QCborValue(QStringLiteral("+1")));
    add("numeric minus zero", ColumnType::Numeric, QCborValue(QStringLiteral("-0")));
    add("numeric exponent", ColumnType::Numeric, QCborValue(QStringLiteral("1e5")));
    add("numeric empty", ColumnType::Numeric, QCborValue(QString(QLatin1String(""))));
    add("numeric nan lowercase", ColumnType::Numeric, QCborValue(QStringLiteral("nan")));
}

void TestWire::badValues()
{
    QFETCH(int, type);
    QFETCH(QCborValue, value);
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("replace"), columnTypeName(ColumnType(type))}),
                       wirecodec::decodeValue(ColumnType(type), value, QStringLiteral("replace")));
    // The same value inside a row.
    const TableSchema schema = allTypesSchema();
    QCborArray row = wirecodec::encodeRow(schema, makeRow(QStringLiteral("k"), 2));
    const int column = type;   // allTypesSchema() has its columns in ColumnType order
    row[column] = value;
    QVERIFY_WIRE_ERROR(BadMessage, QStringList{QStringLiteral("replace")}, wirecodec::decodeRow(schema, row, QStringLiteral("replace")));
}

void TestWire::rowRoundTrip()
{
    const TableSchema schema = allTypesSchema();
    const QList<Row> rows = {
        makeRow(QStringLiteral("a"), 0),
        makeRow(QStringLiteral("a"), 1),
        makeRow(QStringLiteral("\u00e9t\u00e9"), 2),
        makeRow(QStringLiteral("\U0001F600"), 3),
        makeRow(QString(QLatin1String("")), -5),   // an empty text key is a key, not NULL
        Row{qlonglong(9), Null, QStringLiteral("z"), Null, Null, Null, Null},
        Row{qlonglong(Int64Min), std::numeric_limits<double>::quiet_NaN(), QStringLiteral("x"), QByteArray(), false,
            qlonglong(Int64Min), QStringLiteral("-0.5")},
        Row{qlonglong(Int64Max), -0.0, QStringLiteral("y"), QByteArray(1, '\0'), true, qlonglong(Int64Max), QStringLiteral("NaN")},
    };
    for (const Row &row : rows) {
        const QByteArray bytes = QCborValue(wirecodec::encodeRow(schema, row)).toCbor();
        const Row decoded = wirecodec::decodeRow(schema, QCborValue::fromCbor(bytes), QStringLiteral("replace"));
        QCOMPARE_VALUES(decoded, row);
    }
}

void TestWire::badRows()
{
    const TableSchema schema = allTypesSchema();
    const QString context = QStringLiteral("replace");
    const QCborArray good = wirecodec::encodeRow(schema, makeRow(QStringLiteral("k"), 2));
    QCOMPARE(wirecodec::decodeRow(schema, good, context).size(), 7);

    QCborArray shorter = good;
    shorter.removeLast();
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("6 values"), QStringLiteral("7 columns")}),
                       wirecodec::decodeRow(schema, shorter, context));
    QCborArray longer = good;
    longer.append(nullptr);
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("8 values")}), wirecodec::decodeRow(schema, longer, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("0 values")}), wirecodec::decodeRow(schema, QCborArray(), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("not an array")}),
                       wirecodec::decodeRow(schema, QCborValue(QCborMap{{0, 1}}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("not an array")}), wirecodec::decodeRow(schema, QCborValue(nullptr), context));

    // NULL in either key column.
    QCborArray nullText = good;
    nullText[2] = nullptr;
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("NULL"), QStringLiteral("\"t\"")}),
                       wirecodec::decodeRow(schema, nullText, context));
    QCborArray nullInteger = good;
    nullInteger[0] = nullptr;
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("NULL"), QStringLiteral("\"i\"")}),
                       wirecodec::decodeRow(schema, nullInteger, context));
}

void TestWire::keysAndOpenRanges()
{
    const QList<ColumnType> types = allTypesSchema().keyTypes();
    QCOMPARE(types, (QList<ColumnType>{ColumnType::Text, ColumnType::Integer}));
    const QString context = QStringLiteral("digest");

    // An empty key (an open end) is null and back.
    QVERIFY(wirecodec::encodeKey(types, Key()).isNull());
    QVERIFY(wirecodec::decodeKey(types, QCborValue(nullptr), context).isEmpty());
    const Key composite = key(QStringLiteral("\u4e16\u754c"), Int64Min);
    QCOMPARE_VALUES(wirecodec::decodeKey(types, QCborValue::fromCbor(wirecodec::encodeKey(types, composite).toCbor()), context), composite);

    const QList<KeyRange> ranges = {
        KeyRange{Key(), key(QStringLiteral("b"), 0)},
        KeyRange{key(QStringLiteral("b"), 0), key(QStringLiteral("b"), 5)},
        KeyRange{key(QStringLiteral("b"), 5), key(QStringLiteral("b"), 5)},   // empty, still in order
        KeyRange{key(QStringLiteral("c"), -1), Key()},
    };
    const QByteArray bytes = QCborValue(wirecodec::encodeRanges(types, ranges)).toCbor();
    const QList<KeyRange> decoded = wirecodec::decodeRanges(types, QCborValue::fromCbor(bytes).toArray(), context);
    QCOMPARE(decoded.size(), ranges.size());
    for (qsizetype i = 0; i < ranges.size(); ++i) {
        QCOMPARE_VALUES(decoded.at(i).lo, ranges.at(i).lo);
        QCOMPARE_VALUES(decoded.at(i).hi, ranges.at(i).hi);
    }

    // The whole table: [null, null].
    const KeyRange whole = wirecodec::decodeRange(types, wirecodec::encodeRange(types, KeyRange{}), context);
    QVERIFY(!whole.hasLo());
    QVERIFY(!whole.hasHi());
    QCOMPARE(wirecodec::encodeRange(types, KeyRange{}), (QCborArray{nullptr, nullptr}));
    QVERIFY(wirecodec::decodeRanges(types, QCborArray(), context).isEmpty());
}

void TestWire::badKeysAndRanges()
{
    const QList<ColumnType> types = allTypesSchema().keyTypes();
    const QString context = QStringLiteral("digest");
    const QCborArray a1 = cborKey(QStringLiteral("a"), 1);
    const QCborArray b1 = cborKey(QStringLiteral("b"), 1);
    const QCborArray c1 = cborKey(QStringLiteral("c"), 1);
    const QCborArray d1 = cborKey(QStringLiteral("d"), 1);

    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("NULL")}),
                       wirecodec::decodeKey(types, QCborArray{QStringLiteral("a"), nullptr}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("NULL")}),
                       wirecodec::decodeKey(types, QCborArray{nullptr, 1}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("2 values")}),
                       wirecodec::decodeKey(types, QCborArray{QStringLiteral("a")}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("2 values")}),
                       wirecodec::decodeKey(types, QCborArray{QStringLiteral("a"), 1, 2}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("2 values")}), wirecodec::decodeKey(types, QCborArray(), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("2 values")}),
                       wirecodec::decodeKey(types, QCborValue(QStringLiteral("a")), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("integer")}),
                       wirecodec::decodeKey(types, QCborArray{QStringLiteral("a"), QStringLiteral("1")}, context));

    // One range.
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("ends before it starts")}),
                       wirecodec::decodeRange(types, QCborArray{b1, a1}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("ends before it starts")}),
                       wirecodec::decodeRange(types, QCborArray{cborKey(QStringLiteral("a"), 2), a1}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("[lo, hi]")}), wirecodec::decodeRange(types, QCborArray{a1}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("[lo, hi]")}),
                       wirecodec::decodeRange(types, QCborArray{a1, b1, c1}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("[lo, hi]")}), wirecodec::decodeRange(types, QCborValue(nullptr), context));

    // Lists of ranges: sorted and not overlapping (adjacent is fine).
    QCOMPARE(wirecodec::decodeRanges(types, QCborArray{QCborArray{a1, b1}, QCborArray{b1, c1}}, context).size(), 2);
    const QString order = QStringLiteral("not sorted or overlap");
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),
                       wirecodec::decodeRanges(types, QCborArray{QCborArray{b1, c1}, QCborArray{a1, b1}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),
                       wirecodec::decodeRanges(types, QCborArray{QCborArray{a1, c1}, QCborArray{b1, d1}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),
                       wirecodec::decodeRanges(types, QCborArray{QCborArray{a1, nullptr}, QCborArray{b1, c1}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),
                       wirecodec::decodeRanges(types, QCborArray{QCborArray{a1, b1}, QCborArray{nullptr, c1}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),
                       wirecodec::decodeRanges(types, QCborArray{QCborArray{a1, b1}, QCborArray{a1, b1}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("[lo, hi]")}),
                       wirecodec::decodeRanges(types, QCborArray{QCborArray{a1, b1}, 5}, context));
}

void TestWire::rangeRowsRoundTrip()
{
    const TableSchema schema = allTypesSchema();
    const QList<RangeRows> parts = {
        RangeRows{KeyRange{Key(), key(QStringLiteral("b"), 0)},
                  {makeRow(QString(QLatin1String("")), 1), makeRow(QStringLiteral("a"), -3), makeRow(QStringLiteral("a"), 7)}},
        RangeRows{KeyRange{key(QStringLiteral("b"), 0), key(QStringLiteral("\u00e9"), 0)}, {}},   // rows to delete
        RangeRows{KeyRange{key(QStringLiteral("\u00e9"), 0), Key()},
                  {makeRow(QStringLiteral("\u00e9"), 0), makeRow(QStringLiteral("\u4e16"), 2), makeRow(QStringLiteral("\U0001F600"), 1)}},
    };
    const QByteArray bytes = QCborValue(wirecodec::encodeRangeRows(schema, parts)).toCbor();
    const QList<RangeRows> decoded = wirecodec::decodeRangeRows(schema, QCborValue::fromCbor(bytes).toArray(), QStringLiteral("replace"));
    QCOMPARE(decoded.size(), parts.size());
    for (qsizetype i = 0; i < parts.size(); ++i) {
        QCOMPARE_VALUES(decoded.at(i).range.lo, parts.at(i).range.lo);
        QCOMPARE_VALUES(decoded.at(i).range.hi, parts.at(i).range.hi);
        QCOMPARE(decoded.at(i).rows.size(), parts.at(i).rows.size());
        for (qsizetype r = 0; r < parts.at(i).rows.size(); ++r)
            QCOMPARE_VALUES(decoded.at(i).rows.at(r), parts.at(i).rows.at(r));
    }
}

// A replace body written straight from canonical rows (the repair's path) is the message
// encodeRangeRows makes of the decoded rows: same fields, same rows, compressed or not.
void TestWire::encodedReplaceBody()
{
    const TableSchema schema = allTypesSchema();
    QList<RangeRows> parts = {
        RangeRows{KeyRange{Key(), key(QStringLiteral("b"), 0)},
                  {makeRow(QString(QLatin1String("")), 1), makeRow(QStringLiteral("a"), -3), makeRow(QStringLiteral("a"), 7)}},
        RangeRows{KeyRange{key(QStringLiteral("b"), 0), key(QStringLiteral("\u00e9"), 0)}, {}},   // rows to delete
        RangeRows{KeyRange{key(QStringLiteral("\u00e9"), 0), Key()},
                  {makeRow(QStringLiteral("\u00e9"), 0), makeRow(QStringLiteral("\u4e16"), 2), makeRow(QStringLiteral("\U0001F600"), 4)}},
    };
    for (qlonglong i = 8; i < 60; ++i)
        parts[0].rows.append(makeRow(QStringLiteral("a"), i));   // over 1 KiB: compressed when asked
    parts[2].rows[2][1] = -0.0;                      // kept as the row itself (the encoding folds it)
    parts[2].rows[1][1] = Inf;
    parts[0].rows[2][6] = QStringLiteral("NaN");     // numerics PostgreSQL keeps verbatim
    QList<EncodedRangeRows> encoded;
    for (const RangeRows &part : parts) {
        EncodedRangeRows e;
        e.range = part.range;
        for (const Row &row : part.rows) {
            const bool folded = row.at(1).isValid() && CanonicalEncoder::foldsReal(row.at(1).toDouble());
            if (folded)
                e.exact.insert(e.rows(), row);
            CanonicalEncoder::appendRow(e.bytes, schema, row);
            e.offsets.append(e.bytes.size());
        }
        encoded.append(e);
    }
    for (bool compress : {false, true}) {
        const QCborMap plain{{QStringLiteral("db"), QStringLiteral("shop")},
                             {QStringLiteral("table"), schema.table},
                             {QStringLiteral("digest"), digestAlgorithmName(DigestAlgorithm::Sha256)},
                             {QStringLiteral("parts"), wirecodec::encodeRangeRows(schema, parts)}};
        const Message expected = decodeMessage(encodeMessage(protocol::Type::Replace, 42, plain, compress));
        const QByteArray body = wirecodec::encodeReplaceBody(QStringLiteral("shop"), schema, digestAlgorithmName(DigestAlgorithm::Sha256), encoded);
        const Message actual = decodeMessage(encodeMessage(protocol::Type::Replace, 42, body, compress));
        QCOMPARE(actual.type, expected.type);
        QCOMPARE(actual.id, qint64(42));
        QCOMPARE(expected.compressed, compress);
        QCOMPARE(actual.compressed, compress);
        QCOMPARE(actual.body.keys(), expected.body.keys());
        for (const QLatin1StringView field : {QLatin1StringView("db"), QLatin1StringView("table"), QLatin1StringView("digest")})
            QCOMPARE(actual.body.value(field), expected.body.value(field));
        const QList<RangeRows> decoded = wirecodec::decodeRangeRows(schema, MessageFields(actual).array(QLatin1StringView("parts")), QStringLiteral("replace"));
        QCOMPARE(decoded.size(), parts.size());
        for (qsizetype i = 0; i < parts.size(); ++i) {
            QCOMPARE_VALUES(decoded.at(i).range.lo, parts.at(i).range.lo);
            QCOMPARE_VALUES(decoded.at(i).range.hi, parts.at(i).range.hi);
            QCOMPARE(decoded.at(i).rows.size(), parts.at(i).rows.size());
            for (qsizetype r = 0; r < parts.at(i).rows.size(); ++r)
                QCOMPARE_VALUES(decoded.at(i).rows.at(r), parts.at(i).rows.at(r));
        }
        QVERIFY(std::signbit(decoded.at(2).rows.at(2).at(1).toDouble()));
        // What the target decodes from it is what the source held, decoded locally.
        for (qsizetype i = 0; i < encoded.size(); ++i) {
            const RangeRows local = encoded.at(i).decoded(schema);
            for (qsizetype r = 0; r < local.rows.size(); ++r)
                QCOMPARE_VALUES(decoded.at(i).rows.at(r), local.rows.at(r));
        }
    }
}

void TestWire::badRangeRows()
{
    const TableSchema schema = allTypesSchema();
    const QString context = QStringLiteral("replace");
    const KeyRange bToD{key(QStringLiteral("b"), 0), key(QStringLiteral("d"), 0)};
    auto encode = [&](const QList<RangeRows> &parts) { return wirecodec::encodeRangeRows(schema, parts); };
    auto part = [](const KeyRange &range, const QList<Row> &rows) { return RangeRows{range, rows}; };

    // Good: rows on lo and just below hi.
    QCOMPARE(wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("b"), 0), makeRow(QStringLiteral("c"), 99)})}), context)
                 .constFirst().rows.size(), 2);

    const QString outside = QStringLiteral("outside its range");
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, outside}),
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("a"), 5)})}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, outside}),   // same text, lower integer
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("b"), -1)})}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, outside}),   // hi is exclusive
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("d"), 0)})}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, outside}),
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("e"), 0)})}), context));

    const QString order = QStringLiteral("not in key order");
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("c"), 2), makeRow(QStringLiteral("c"), 1)})}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, order}),   // a key twice
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {makeRow(QStringLiteral("c"), 1), makeRow(QStringLiteral("c"), 1)})}), context));

    // Parts: sorted, not overlapping, well formed.
    const KeyRange cToE{key(QStringLiteral("c"), 0), key(QStringLiteral("e"), 0)};
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("not sorted or overlap")}),
                       wirecodec::decodeRangeRows(schema, encode({part(bToD, {}), part(cToE, {})}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("not sorted or overlap")}),
                       wirecodec::decodeRangeRows(schema, encode({part(cToE, {}), part(bToD, {})}), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("not a map")}),
                       wirecodec::decodeRangeRows(schema, QCborArray{QCborArray{}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"rows\""), QStringLiteral("missing")}),
                       wirecodec::decodeRangeRows(schema, QCborArray{QCborMap{{QStringLiteral("range"), QCborArray{nullptr, nullptr}}}}, context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"range\""), QStringLiteral("missing")}),
                       wirecodec::decodeRangeRows(schema, QCborArray{QCborMap{{QStringLiteral("rows"), QCborArray{}}}}, context));
    // A bad row inside a part.
    QCborArray parts = encode({part(bToD, {makeRow(QStringLiteral("c"), 1)})});
    QCborMap first = parts.at(0).toMap();
    first[QStringLiteral("rows")] = QCborArray{QCborArray{1, 2, 3}};
    parts[0] = first;
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("3 values")}), wirecodec::decodeRangeRows(schema, parts, context));
}

// --- schemas, digests, progress -------------------------------------------------------------

void TestWire::schemaRoundTrip()
{
    const TableSchema schema = allTypesSchema();
    const QByteArray bytes = QCborValue(wirecodec::encodeSchema(schema)).toCbor();
    const TableSchema decoded = wirecodec::decodeSchema(QCborValue::fromCbor(bytes), QStringLiteral("schema"));
    QCOMPARE(decoded.table, schema.table);
    QCOMPARE(decoded.primaryKey, schema.primaryKey);
    QCOMPARE(decoded.columns.size(), schema.columns.size());
    for (qsizetype i = 0; i < schema.columns.size(); ++i) {
        QCOMPARE(decoded.columns.at(i).name, schema.columns.at(i).name);
        QCOMPARE(decoded.columns.at(i).type, schema.columns.at(i).type);
        QCOMPARE(decoded.columns.at(i).declaredType, schema.columns.at(i).declaredType);
        QCOMPARE(decoded.columns.at(i).notNull, schema.columns.at(i).notNull);
    }
    QVERIFY(schemaDifference(schema, decoded).isEmpty());

    // declared and not_null are optional.
    const QCborMap minimal{{QStringLiteral("table"), QStringLiteral("t")},
                           {QStringLiteral("columns"), QCborArray{QCborMap{{QStringLiteral("name"), QStringLiteral("id")},
                                                                           {QStringLiteral("type"), QStringLiteral("integer")}}}},
                           {QStringLiteral("key"), QCborArray{0}}};
    const TableSchema small = wirecodec::decodeSchema(minimal, QStringLiteral("schema"));
    QCOMPARE(small.columns.size(), 1);
    QCOMPARE(small.columns.constFirst().declaredType, QString());
    QCOMPARE(small.columns.constFirst().notNull, false);
}

void TestWire::badSchemas_data()
{
    QTest::addColumn<QCborValue>("schema");
    QTest::addColumn<QString>("text");

    const QCborMap good = wirecodec::encodeSchema(allTypesSchema());
    auto with = [&](const QString &field, const QCborValue &value) {
        QCborMap map = good;
        if (value.isUndefined())
            map.remove(field);
        else
            map[field] = value;
        return QCborValue(map);
    };
    auto withColumn = [&](int index, const QString &field, const QCborValue &value) {
        QCborArray columns = good.value(QStringLiteral("columns")).toArray();
        QCborMap column = columns.at(index).toMap();
        if (value.isUndefined())
            column.remove(field);
        else
            column[field] = value;
        columns[index] = column;
        return with(QStringLiteral("columns"), columns);
    };
    const QCborValue none(QCborValue::Undefined);
    const QString keyField = QStringLiteral("key");

    QTest::newRow("not a map") << QCborValue(QCborArray{}) << QStringLiteral("not a map");
    QTest::newRow("no table") << with(QStringLiteral("table"), none) << QStringLiteral("\"table\"");
    QTest::newRow("no columns") << with(QStringLiteral("columns"), none) << QStringLiteral("\"columns\"");
    QCborMap empty = good;
    empty[QStringLiteral("columns")] = QCborArray{};
    empty[QStringLiteral("key")] = QCborArray{};
    QTest::newRow("no columns, no key") << QCborValue(empty) << QStringLiteral("no columns");
    QTest::newRow("no columns") << with(QStringLiteral("columns"), QCborArray{}) << QStringLiteral("does not exist");
    QTest::newRow("column not a map") << with(QStringLiteral("columns"), QCborArray{QStringLiteral("id")}) << QStringLiteral("not a map");
    QTest::newRow("column without name") << withColumn(0, QStringLiteral("name"), none) << QStringLiteral("\"name\"");
    QTest::newRow("column without type") << withColumn(0, QStringLiteral("type"), none) << QStringLiteral("\"type\"");
    QTest::newRow("unknown type") << withColumn(1, QStringLiteral("type"), QStringLiteral("varchar")) << QStringLiteral("unknown type \"varchar\"");
    QTest::newRow("type upper case") << withColumn(1, QStringLiteral("type"), QStringLiteral("REAL")) << QStringLiteral("unknown type");
    QTest::newRow("type as number") << withColumn(1, QStringLiteral("type"), 1) << QStringLiteral("not a string");
    QTest::newRow("not_null as number") << withColumn(1, QStringLiteral("not_null"), 1) << QStringLiteral("not a boolean");
    QTest::newRow("no key field") << with(keyField, none) << QStringLiteral("\"key\"");
    QTest::newRow("no key") << with(keyField, QCborArray{}) << QStringLiteral("no primary key");
    QTest::newRow("key index too big") << with(keyField, QCborArray{7}) << QStringLiteral("does not exist");
    QTest::newRow("key index negative") << with(keyField, QCborArray{-1}) << QStringLiteral("does not exist");
    QTest::newRow("key index huge") << with(keyField, QCborArray{Q_INT64_C(1) << 32}) << QStringLiteral("does not exist");
    QTest::newRow("key index twice") << with(keyField, QCborArray{2, 2}) << QStringLiteral("does not exist");
    QTest::newRow("key index text") << with(keyField, QCborArray{QStringLiteral("t")}) << QStringLiteral("does not exist");
    QTest::newRow("key not an array") << with(keyField, 2) << QStringLiteral("not an array");
}

void TestWire::badSchemas()
{
    QFETCH(QCborValue, schema);
    QFETCH(QString, text);
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("schema"), text}), wirecodec::decodeSchema(schema, QStringLiteral("schema")));
}

void TestWire::digestsRoundTrip()
{
    const QList<RangeDigest> digests = {{0, QByteArray::fromHex("d41d8cd98f00b204e9800998ecf8427e")},
                                        {Int64Max, QByteArray(32, '\xee')},
                                        {3, QByteArray()}};
    const QByteArray bytes = QCborValue(wirecodec::encodeDigests(digests)).toCbor();
    QCOMPARE(wirecodec::decodeDigests(QCborValue::fromCbor(bytes).toArray(), QStringLiteral("digests")), digests);
    QVERIFY(wirecodec::decodeDigests(QCborArray(), QStringLiteral("digests")).isEmpty());
}

void TestWire::badDigests_data()
{
    QTest::addColumn<QCborArray>("digests");
    const QByteArray md5(16, 'x');
    QTest::newRow("not an array") << QCborArray{5};
    QTest::newRow("map") << QCborArray{QCborMap{{0, 1}, {1, md5}}};
    QTest::newRow("empty pair") << QCborArray{QCborArray{}};
    QTest::newRow("only rows") << QCborArray{QCborArray{5}};
    QTest::newRow("three items") << QCborArray{QCborArray{5, md5, md5}};
    QTest::newRow("rows negative") << QCborArray{QCborArray{-1, md5}};
    QTest::newRow("rows double") << QCborArray{QCborArray{1.0, md5}};
    QTest::newRow("rows text") << QCborArray{QCborArray{QStringLiteral("1"), md5}};
    QTest::newRow("digest text") << QCborArray{QCborArray{1, QStringLiteral("abc")}};
    QTest::newRow("digest null") << QCborArray{QCborArray{1, nullptr}};
    QTest::newRow("swapped") << QCborArray{QCborArray{md5, 1}};
    QTest::newRow("second bad") << QCborArray{QCborArray{1, md5}, QCborArray{2}};
}

void TestWire::badDigests()
{
    QFETCH(QCborArray, digests);
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("digests"), QStringLiteral("[rows, bytes]")}),
                       wirecodec::decodeDigests(digests, QStringLiteral("digests")));
}

void TestWire::progressRoundTrip()
{
    const VerificationProgress progress = sampleProgress();
    const QByteArray bytes = QCborValue(wirecodec::encodeProgress(progress)).toCbor();
    const VerificationProgress decoded = wirecodec::decodeProgress(QCborValue::fromCbor(bytes).toMap(), QStringLiteral("progress"));
    QCOMPARE(decoded.blocksPlanned, progress.blocksPlanned);
    QCOMPARE(decoded.planningDone, progress.planningDone);
    for (int i = 0; i < BlockStateCount; ++i)
        QCOMPARE(decoded.stateCounts[i], progress.stateCounts[i]);
    QCOMPARE(decoded.rowsCompared, progress.rowsCompared);
    QCOMPARE(decoded.rowsSent, progress.rowsSent);
    QCOMPARE(decoded.bytesSent, progress.bytesSent);
    QCOMPARE(decoded.changedBlocks.size(), progress.changedBlocks.size());
    for (qsizetype i = 0; i < progress.changedBlocks.size(); ++i) {
        const auto &[index, block] = progress.changedBlocks.at(i);
        const auto &[decodedIndex, decodedBlock] = decoded.changedBlocks.at(i);
        QCOMPARE(decodedIndex, index);
        QCOMPARE(decodedBlock.state, block.state);
        QCOMPARE_VALUES(decodedBlock.range.lo, block.range.lo);
        QCOMPARE_VALUES(decodedBlock.range.hi, block.range.hi);
        QCOMPARE(decodedBlock.sourceRows, block.sourceRows);
        QCOMPARE(decodedBlock.targetRows, block.targetRows);
        QCOMPARE(decodedBlock.sourceDigest, block.sourceDigest);
        QCOMPARE(decodedBlock.targetDigest, block.targetDigest);
    }
    // Keys are shown as text: the composite key reads as (text, integer).
    QCOMPARE(describeRange(decoded.changedBlocks.at(0).second.range), QStringLiteral("[(\u00e9t\u00e9, -7), (\u4e16\u754c, 3))"));
    QCOMPARE(describeRange(decoded.changedBlocks.at(1).second.range), QStringLiteral("[(\u4e16\u754c, 3), +inf)"));

    // Planning not finished, nothing changed.
    VerificationProgress early;
    early.blocksPlanned = 2;
    early.stateCounts[int(BlockState::Pending)] = 2;
    const VerificationProgress decodedEarly = wirecodec::decodeProgress(wirecodec::encodeProgress(early), QStringLiteral("progress"));
    QCOMPARE(decodedEarly.planningDone, false);
    QVERIFY(decodedEarly.changedBlocks.isEmpty());
    QCOMPARE(decodedEarly.stateCounts[int(BlockState::Pending)], 2);
}

void TestWire::badProgress_data()
{
    QTest::addColumn<QCborMap>("progress");
    QTest::addColumn<QString>("text");

    const QCborMap good = wirecodec::encodeProgress(sampleProgress());
    auto with = [&](const QString &field, const QCborValue &value) {
        QCborMap map = good;
        if (value.isUndefined())
            map.remove(field);
        else
            map[field] = value;
        return map;
    };
    auto withBlockItem = [&](int item, const QCborValue &value) {
        QCborArray blocks = good.value(QStringLiteral("blocks")).toArray();
        QCborArray block = blocks.at(0).toArray();
        block[item] = value;
        blocks[0] = block;
        return with(QStringLiteral("blocks"), blocks);
    };
    const QString malformed = QStringLiteral("block entry is malformed");
    const QString counts = QStringLiteral("counts");

    QTest::newRow("no planned") << with(QStringLiteral("planned"), QCborValue(QCborValue::Undefined)) << QStringLiteral("\"planned\"");
    QTest::newRow("planned negative") << with(QStringLiteral("planned"), -1) << QStringLiteral("\"planned\"");
    QTest::newRow("planned above int") << with(QStringLiteral("planned"), Q_INT64_C(1) << 31) << QStringLiteral("\"planned\"");
    QTest::newRow("rows_sent negative") << with(QStringLiteral("rows_sent"), -5) << QStringLiteral("\"rows_sent\"");
    QTest::newRow("six counts") << with(counts, QCborArray{1, 1, 1, 1, 0, 0}) << QStringLiteral("state counts");
    QTest::newRow("count text") << with(counts, QCborArray{QStringLiteral("4"), 0, 0, 0, 0, 0, 0}) << QStringLiteral("state count");
    QTest::newRow("count negative") << with(counts, QCborArray{5, -1, 0, 0, 0, 0, 0}) << QStringLiteral("state count");
    QTest::newRow("count above int") << with(counts, QCborArray{Q_INT64_C(1) << 32, 0, 0, 0, 0, 0, 0}) << QStringLiteral("state count");
    QTest::newRow("counts below planned") << with(counts, QCborArray{1, 0, 0, 0, 0, 0, 0}) << QStringLiteral("add up to 1");
    QTest::newRow("counts above planned") << with(counts, QCborArray{3, 0, 3, 0, 0, 0, 0}) << QStringLiteral("add up to 6");
    QTest::newRow("block not an array") << with(QStringLiteral("blocks"), QCborArray{5}) << malformed;
    QTest::newRow("block short") << with(QStringLiteral("blocks"), QCborArray{QCborArray{0, 0}}) << malformed;
    QTest::newRow("block index negative") << withBlockItem(0, -1) << malformed;
    QTest::newRow("block index not planned") << withBlockItem(0, 4) << malformed;
    QTest::newRow("block state unknown") << withBlockItem(1, BlockStateCount) << malformed;
    QTest::newRow("block state text") << withBlockItem(1, QStringLiteral("equal")) << malformed;
    QTest::newRow("block lo not a key") << withBlockItem(2, QStringLiteral("a")) << malformed;
    QTest::newRow("block hi holds a map") << withBlockItem(3, QCborArray{QCborMap{}}) << malformed;
    QTest::newRow("block hi holds a tag") << withBlockItem(3, QCborArray{QCborValue(QUrl(QStringLiteral("https://x")))}) << malformed;
    QTest::newRow("source rows negative") << withBlockItem(4, -1) << malformed;
    QTest::newRow("target rows below -1") << withBlockItem(5, -2) << malformed;
    QTest::newRow("target rows text") << withBlockItem(5, QStringLiteral("9")) << malformed;
    QTest::newRow("digest text") << withBlockItem(6, QStringLiteral("00ff")) << malformed;
    QTest::newRow("target digest null") << withBlockItem(7, nullptr) << malformed;
}

void TestWire::badProgress()
{
    QFETCH(QCborMap, progress);
    QFETCH(QString, text);
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({QStringLiteral("progress"), text}),
                       wirecodec::decodeProgress(progress, QStringLiteral("progress")));
}

void TestWire::summaryRoundTrip()
{
    VerificationSummary summary;
    summary.blocks = 40;
    summary.blocksDiffering = 3;
    summary.blocksRepaired = 2;
    summary.blocksFailed = 1;
    summary.rowsCompared = 123456789012;
    summary.targetRows = 123456789000;
    summary.rowsSent = 12;
    summary.bytesSent = 3456;
    summary.identicalAfter = false;
    summary.seconds = 12.625;
    summary.failures = {QStringLiteral("block 7 [(\u00e9t\u00e9, 1), +inf): still differs after 3 attempts"), QString()};
    const QByteArray bytes = QCborValue(wirecodec::encodeSummary(summary)).toCbor();
    const VerificationSummary decoded = wirecodec::decodeSummary(QCborValue::fromCbor(bytes).toMap(), QStringLiteral("summary"));
    QCOMPARE(decoded.blocks, summary.blocks);
    QCOMPARE(decoded.blocksDiffering, summary.blocksDiffering);
    QCOMPARE(decoded.blocksRepaired, summary.blocksRepaired);
    QCOMPARE(decoded.blocksFailed, summary.blocksFailed);
    QCOMPARE(decoded.rowsCompared, summary.rowsCompared);
    QCOMPARE(decoded.targetRows, summary.targetRows);
    QCOMPARE(decoded.rowsSent, summary.rowsSent);
    QCOMPARE(decoded.bytesSent, summary.bytesSent);
    QCOMPARE(decoded.identicalAfter, summary.identicalAfter);
    QCOMPARE(decoded.seconds, summary.seconds);
    QCOMPARE(decoded.failures, summary.failures);

    // Whole seconds may travel as an integer.
    QCborMap whole = wirecodec::encodeSummary(summary);
    whole[QStringLiteral("seconds")] = 3;
    QCOMPARE(wirecodec::decodeSummary(whole, QStringLiteral("summary")).seconds, 3.0);
}

void TestWire::badSummaries()
{
    const QCborMap good = wirecodec::encodeSummary(VerificationSummary());
    const QString context = QStringLiteral("summary");
    auto with = [&](const QString &field, const QCborValue &value) {
        QCborMap map = good;
        if (value.isUndefined())
            map.remove(field);
        else
            map[field] = value;
        return map;
    };
    QVERIFY(wirecodec::decodeSummary(good, context).failures.isEmpty());
    const QCborValue none(QCborValue::Undefined);
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"blocks\"")}), wirecodec::decodeSummary(with(QStringLiteral("blocks"), none), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"blocks_failed\"")}),
                       wirecodec::decodeSummary(with(QStringLiteral("blocks_failed"), -1), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"rows_sent\"")}),
                       wirecodec::decodeSummary(with(QStringLiteral("rows_sent"), 1.5), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"identical_after\"")}),
                       wirecodec::decodeSummary(with(QStringLiteral("identical_after"), 1), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"seconds\"")}), wirecodec::decodeSummary(with(QStringLiteral("seconds"), none), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"seconds\""), QStringLiteral("not a number")}),
                       wirecodec::decodeSummary(with(QStringLiteral("seconds"), QStringLiteral("1.5")), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"failures\"")}), wirecodec::decodeSummary(with(QStringLiteral("failures"), none), context));
    QVERIFY_WIRE_ERROR(BadMessage, QStringList({context, QStringLiteral("\"failures\"")}),
                       wirecodec::decodeSummary(with(QStringLiteral("failures"), QCborArray{QStringLiteral("ok"), 5}), context));
}

} // namespace ferry

QTEST_GUILESS_MAIN(ferry::TestWire)
#include "tst_wire.moc"
