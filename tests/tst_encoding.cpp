// Golden vectors for the canonical row encoding and its digests, plus the value helpers the
// encoding and the key order depend on (normalizeNumeric, timestamp text, compareValues).
//
// The hex strings below were computed independently of the C++ code, with a short script
// that follows the format documented in core/rows/canonicalencoder.h (Python's struct and
// hashlib). They are the wire contract between data centers: if one of these tests fails,
// the encoding changed and two nodes of different versions would see every block differ.

#include "rows/canonicalencoder.h"
#include "blocks/digest.h"
#include "rows/keyrange.h"
#include "storage/timestamptext.h"

#include "testsupport.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

namespace ferry {

namespace {

constexpr qint64 Int64Min = std::numeric_limits<qint64>::min();
constexpr qint64 Int64Max = std::numeric_limits<qint64>::max();

QString hex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

QByteArray encodeValue(ColumnType type, const QVariant &value)
{
    QByteArray out;
    CanonicalEncoder::appendValue(out, type, value);
    return out;
}

double nanWithPayload(quint64 bits)
{
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

// One column of every type, in this order.
TableSchema allTypesSchema()
{
    TableSchema schema;
    schema.table = QStringLiteral("golden");
    const QList<QPair<QString, ColumnType>> columns = {
        {QStringLiteral("id"), ColumnType::Integer},   {QStringLiteral("r"), ColumnType::Real},
        {QStringLiteral("t"), ColumnType::Text},       {QStringLiteral("b"), ColumnType::Blob},
        {QStringLiteral("f"), ColumnType::Boolean},    {QStringLiteral("ts"), ColumnType::Timestamp},
        {QStringLiteral("n"), ColumnType::Numeric},
    };
    for (const auto &[name, type] : columns) {
        Column column;
        column.name = name;
        column.type = type;
        schema.columns.append(column);
    }
    schema.primaryKey = {0};
    return schema;
}

const QVariant Null;

} // namespace

class TestEncoding : public QObject
{
    Q_OBJECT

private slots:
    void valueGolden_data();
    void valueGolden();
    void rowGolden_data();
    void rowGolden();
    void blockDigestGolden();
    void emptyDigests();
    void digestResetsAfterFinish();
    void digestNames();
    void nullIsDistinct();
    void realCanonicalForms();
    void normalizeNumeric_data();
    void normalizeNumeric();
    void formatTimestamp_data();
    void formatTimestamp();
    void parseTimestamp_data();
    void parseTimestamp();
    void timestampRoundTrip();
    void canonicalTimestampFastPath();
    void compareText();
    void compareNumeric_data();
    void compareNumeric();
    void compareOtherTypes();
    void compareKeysAndRanges();
};

void TestEncoding::valueGolden_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("expected");

    auto add = [](const char *name, ColumnType type, const QVariant &value, const char *expected) {
        QTest::newRow(name) << int(type) << value << QString::fromLatin1(expected);
    };
    add("integer 0", ColumnType::Integer, qlonglong(0), "010000000000000000");
    add("integer -1", ColumnType::Integer, qlonglong(-1), "01ffffffffffffffff");
    add("integer max", ColumnType::Integer, qlonglong(Int64Max), "017fffffffffffffff");
    add("integer min", ColumnType::Integer, qlonglong(Int64Min), "018000000000000000");
    add("integer from int", ColumnType::Integer, int(-1), "01ffffffffffffffff");
    add("integer NULL", ColumnType::Integer, Null, "00");
    add("real 1.0", ColumnType::Real, 1.0, "023ff0000000000000");
    add("real 0.1", ColumnType::Real, 0.1, "023fb999999999999a");
    add("real 0.0", ColumnType::Real, 0.0, "020000000000000000");
    add("real -0.0 folds to 0.0", ColumnType::Real, -0.0, "020000000000000000");
    add("real NaN", ColumnType::Real, std::numeric_limits<double>::quiet_NaN(), "027ff8000000000000");
    add("real negative NaN", ColumnType::Real, -std::numeric_limits<double>::quiet_NaN(), "027ff8000000000000");
    add("real NaN with payload", ColumnType::Real, nanWithPayload(Q_UINT64_C(0x7ff0000000000001)), "027ff8000000000000");
    add("real NaN with sign and payload", ColumnType::Real, nanWithPayload(Q_UINT64_C(0xfff8dead0000beef)), "027ff8000000000000");
    add("real +inf", ColumnType::Real, std::numeric_limits<double>::infinity(), "027ff0000000000000");
    add("real -inf", ColumnType::Real, -std::numeric_limits<double>::infinity(), "02fff0000000000000");
    add("real NULL", ColumnType::Real, Null, "00");
    add("text empty", ColumnType::Text, QString(""), "0300000000");
    add("text U+1F600", ColumnType::Text, QString::fromUtf8("\xF0\x9F\x98\x80"), "0300000004f09f9880");
    add("text NULL", ColumnType::Text, Null, "00");
    add("blob empty", ColumnType::Blob, QByteArray(""), "0400000000");
    add("blob 00 ff", ColumnType::Blob, QByteArray("\x00\xff", 2), "040000000200ff");
    add("blob NULL", ColumnType::Blob, Null, "00");
    add("boolean true", ColumnType::Boolean, true, "0501");
    add("boolean false", ColumnType::Boolean, false, "0500");
    add("boolean NULL", ColumnType::Boolean, Null, "00");
    add("timestamp epoch", ColumnType::Timestamp, qlonglong(0), "060000000000000000");
    add("timestamp -1us", ColumnType::Timestamp, qlonglong(-1), "06ffffffffffffffff");
    add("timestamp 2023-11-14 22:13:20.123456", ColumnType::Timestamp, qlonglong(1700000000123456), "0600060a2418202240");
    add("timestamp NULL", ColumnType::Timestamp, Null, "00");
    add("numeric 7.5", ColumnType::Numeric, QStringLiteral("7.5"), "0700000003372e35");
    add("numeric 0", ColumnType::Numeric, QStringLiteral("0"), "070000000130");
    add("numeric -0.001", ColumnType::Numeric, QStringLiteral("-0.001"), "07000000062d302e303031");
    add("numeric NULL", ColumnType::Numeric, Null, "00");
}

void TestEncoding::valueGolden()
{
    QFETCH(int, type);
    QFETCH(QVariant, value);
    QFETCH(QString, expected);
    QCOMPARE(hex(encodeValue(ColumnType(type), value)), expected);
}

void TestEncoding::rowGolden_data()
{
    QTest::addColumn<Row>("row");
    QTest::addColumn<QString>("bytes");
    QTest::addColumn<QString>("md5");
    QTest::addColumn<QString>("sha256");

    QTest::newRow("typical values")
        << Row{qlonglong(1), 1.5, QString::fromUtf8("Ferry \xE2\x9C\x93 \xF0\x9F\x98\x80"), QByteArray("\x00\xff\x7f\x80", 4), true,
               qlonglong(1700000000123456), ferry::normalizeNumeric(QStringLiteral("007.50"))}
        << "00000041010000000000000001023ff8000000000000030000000e466572727920e29c9320f09f9880040000000400ff7f8005010600060a24182022400700000003372e35"
        << "5e184f2c6ca00fab4937a00e391183dc"
        << "a417fa248c207741207006c9cc18b6f99290629f3222a764e40a1860e39dfee3";
    QTest::newRow("empty and zero-like values")
        << Row{qlonglong(-1), -0.0, QString(""), QByteArray(""), false, qlonglong(-1), ferry::normalizeNumeric(QStringLiteral("-0.0"))}
        << "0000002d01ffffffffffffffff02000000000000000003000000000400000000050006ffffffffffffffff070000000130"
        << "1ccb0b568b5c92d7ef49814ec286e207"
        << "da7f66a47da603f35499a245be7a33c72ce77eea9c6a570be317c7b8fbb76583";
    QTest::newRow("all NULL but the key")
        << Row{qlonglong(2), Null, Null, Null, Null, Null, Null}
        << "0000000f010000000000000002000000000000"
        << "4d93052b88a15850ecb970623013680c"
        << "ada81b825d23c920e7dfeb891ba7a9a5e059fc101e75b08035ca897d2edf142f";
    QTest::newRow("INT64 min, NaN, NULL text")
        << Row{qlonglong(Int64Min), std::numeric_limits<double>::quiet_NaN(), Null, QByteArray(""), true, qlonglong(0),
               ferry::normalizeNumeric(QStringLiteral("-12.3450"))}
        << "0000002f018000000000000000027ff8000000000000000400000000050106000000000000000007000000072d31322e333435"
        << "aac73e0dc33da8094fcd61e8de966efb"
        << "94a71bacba8dbb0971c8e8688048cccda2207a92313fae785355457db6724303";
    QTest::newRow("INT64 max, +inf, before 1970")
        << Row{qlonglong(Int64Max), std::numeric_limits<double>::infinity(), QStringLiteral("a"), Null, false,
               qlonglong(Q_INT64_C(-86400000000) * 366), ferry::normalizeNumeric(QStringLiteral("+100"))}
        << "0000002c017fffffffffffffff027ff000000000000003000000016100050006ffffe33d5614c0000700000003313030"
        << "8c8b221a91c3136cf8a8834b6bcc3ad1"
        << "d1fcbe1bd33ce5952e6004ad2db0ff5183e32ffd7a00d0eefa6364e7e8fad6f9";
    QTest::newRow("-inf, U+10000, NULL boolean")
        << Row{qlonglong(0), -std::numeric_limits<double>::infinity(), QString::fromUtf8("\xC3\xA9\xF0\x90\x80\x80"), QByteArray("\x00", 1),
               Null, qlonglong(1), Null}
        << "0000002e01000000000000000002fff00000000000000300000006c3a9f09080800400000001000006000000000000000100"
        << "36353998c341e86e17779c9e8cc18552"
        << "c67a3362f1d23fd9c0f0cbb73f6b86bacb99bd3029d78a48de464538fb22abcd";
}

void TestEncoding::rowGolden()
{
    QFETCH(Row, row);
    QFETCH(QString, bytes);
    QFETCH(QString, md5);
    QFETCH(QString, sha256);

    const TableSchema schema = allTypesSchema();
    const QByteArray encoded = CanonicalEncoder::encodeRow(schema, row);
    QCOMPARE(hex(encoded), bytes);
    QCOMPARE(hex(Digest::of(DigestAlgorithm::Md5, encoded)), md5);
    QCOMPARE(hex(Digest::of(DigestAlgorithm::Sha256, encoded)), sha256);

    // appendRow appends: what is already in the buffer stays, the row follows it.
    QByteArray buffer("prefix");
    CanonicalEncoder::appendRow(buffer, schema, row);
    QCOMPARE(hex(buffer), hex("prefix") + bytes);
}

// A block digest is the digest of its rows' encodings, one after the other.
void TestEncoding::blockDigestGolden()
{
    const TableSchema schema = allTypesSchema();
    const QList<Row> rows = {
        {qlonglong(1), 1.5, QString::fromUtf8("Ferry \xE2\x9C\x93 \xF0\x9F\x98\x80"), QByteArray("\x00\xff\x7f\x80", 4), true,
         qlonglong(1700000000123456), QStringLiteral("7.5")},
        {qlonglong(-1), -0.0, QString(""), QByteArray(""), false, qlonglong(-1), QStringLiteral("0")},
        {qlonglong(2), Null, Null, Null, Null, Null, Null},
        {qlonglong(Int64Min), std::numeric_limits<double>::quiet_NaN(), Null, QByteArray(""), true, qlonglong(0), QStringLiteral("-12.345")},
        {qlonglong(Int64Max), std::numeric_limits<double>::infinity(), QStringLiteral("a"), Null, false,
         qlonglong(Q_INT64_C(-86400000000) * 366), QStringLiteral("100")},
        {qlonglong(0), -std::numeric_limits<double>::infinity(), QString::fromUtf8("\xC3\xA9\xF0\x90\x80\x80"), QByteArray("\x00", 1), Null,
         qlonglong(1), Null},
    };
    Digest md5(DigestAlgorithm::Md5);
    Digest sha256(DigestAlgorithm::Sha256);
    for (const Row &row : rows) {
        const QByteArray encoded = CanonicalEncoder::encodeRow(schema, row);
        md5.update(encoded);
        sha256.update(encoded.constData(), encoded.size());
    }
    QCOMPARE(hex(md5.finish()), QStringLiteral("5cacd73f710371c3c34ae2315f1a7311"));
    QCOMPARE(hex(sha256.finish()), QStringLiteral("a9a0b8f5bd3e538acd79b31340e8dfe6eb94a0c8e01b4051906b8355f79b189d"));
}

void TestEncoding::emptyDigests()
{
    // An empty block (no rows on either side) must digest the same everywhere.
    QCOMPARE(hex(Digest::of(DigestAlgorithm::Md5, QByteArray())), QStringLiteral("d41d8cd98f00b204e9800998ecf8427e"));
    QCOMPARE(hex(Digest::of(DigestAlgorithm::Sha256, QByteArray())),
             QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(Digest(DigestAlgorithm::Md5).finish().size(), 16);
    QCOMPARE(Digest(DigestAlgorithm::Sha256).finish().size(), 32);
}

void TestEncoding::digestResetsAfterFinish()
{
    // One context serves block after block: finish() must leave it fresh.
    Digest digest(DigestAlgorithm::Md5);
    digest.update(QByteArray("first block"));
    const QByteArray first = digest.finish();
    QCOMPARE(first, Digest::of(DigestAlgorithm::Md5, QByteArray("first block")));
    digest.update(QByteArray("second"));
    QCOMPARE(digest.finish(), Digest::of(DigestAlgorithm::Md5, QByteArray("second")));
    QCOMPARE(hex(digest.finish()), QStringLiteral("d41d8cd98f00b204e9800998ecf8427e"));
    QCOMPARE(digest.algorithm(), DigestAlgorithm::Md5);
}

void TestEncoding::digestNames()
{
    QCOMPARE(digestAlgorithmFromName(QStringLiteral("md5")), std::optional<DigestAlgorithm>(DigestAlgorithm::Md5));
    QCOMPARE(digestAlgorithmFromName(QStringLiteral("MD5")), std::optional<DigestAlgorithm>(DigestAlgorithm::Md5));
    QCOMPARE(digestAlgorithmFromName(QStringLiteral("sha256")), std::optional<DigestAlgorithm>(DigestAlgorithm::Sha256));
    QCOMPARE(digestAlgorithmFromName(QStringLiteral("SHA-256")), std::optional<DigestAlgorithm>(DigestAlgorithm::Sha256));
    QVERIFY(!digestAlgorithmFromName(QStringLiteral("sha1")).has_value());
    QVERIFY(!digestAlgorithmFromName(QString()).has_value());
    QCOMPARE(digestAlgorithmName(DigestAlgorithm::Md5), QStringLiteral("md5"));
    QCOMPARE(digestAlgorithmName(DigestAlgorithm::Sha256), QStringLiteral("sha256"));
}

void TestEncoding::nullIsDistinct()
{
    // NULL must never collide with an empty or zero value of any type.
    const QList<QPair<ColumnType, QVariant>> emptyLike = {
        {ColumnType::Integer, qlonglong(0)},        {ColumnType::Real, 0.0},
        {ColumnType::Text, QString("")},            {ColumnType::Blob, QByteArray("")},
        {ColumnType::Boolean, false},               {ColumnType::Timestamp, qlonglong(0)},
        {ColumnType::Numeric, QStringLiteral("0")},
    };
    for (const auto &[type, value] : emptyLike) {
        QVERIFY2(encodeValue(type, Null) != encodeValue(type, value), qPrintable(columnTypeName(type)));
        QCOMPARE(encodeValue(type, Null), QByteArray(1, '\0'));
        // A typed NULL, as Qt SQL returns it, is NULL too.
        QCOMPARE(encodeValue(type, QVariant(QMetaType::fromType<QString>())), QByteArray(1, '\0'));
    }
    // Text and blob with the same bytes differ by tag; so do integer and timestamp.
    QVERIFY(encodeValue(ColumnType::Text, QStringLiteral("ab")) != encodeValue(ColumnType::Blob, QByteArray("ab")));
    QVERIFY(encodeValue(ColumnType::Integer, qlonglong(5)) != encodeValue(ColumnType::Timestamp, qlonglong(5)));

    // Moving a NULL between columns changes the row: lengths make the framing unambiguous.
    TableSchema schema;
    for (const char *name : {"a", "b"}) {
        Column column;
        column.name = QString::fromLatin1(name);
        column.type = ColumnType::Text;
        schema.columns.append(column);
    }
    schema.primaryKey = {0};
    QVERIFY(CanonicalEncoder::encodeRow(schema, {QStringLiteral("x"), Null})
            != CanonicalEncoder::encodeRow(schema, {Null, QStringLiteral("x")}));
    QVERIFY(CanonicalEncoder::encodeRow(schema, {QStringLiteral("ab"), QStringLiteral("")})
            != CanonicalEncoder::encodeRow(schema, {QStringLiteral("a"), QStringLiteral("b")}));
}

void TestEncoding::realCanonicalForms()
{
    // Every NaN is one value, -0.0 is 0.0, and other reals keep every bit.
    const QByteArray nan = encodeValue(ColumnType::Real, std::numeric_limits<double>::quiet_NaN());
    QCOMPARE(encodeValue(ColumnType::Real, std::numeric_limits<double>::signaling_NaN()), nan);
    QCOMPARE(encodeValue(ColumnType::Real, std::nan("42")), nan);
    QCOMPARE(encodeValue(ColumnType::Real, -0.0), encodeValue(ColumnType::Real, 0.0));
    QVERIFY(encodeValue(ColumnType::Real, 1.0) != encodeValue(ColumnType::Real, std::nextafter(1.0, 2.0)));
    QVERIFY(encodeValue(ColumnType::Real, 5e-324) != encodeValue(ColumnType::Real, 0.0));
    QVERIFY(encodeValue(ColumnType::Real, std::numeric_limits<double>::infinity()) != nan);
}

void TestEncoding::normalizeNumeric_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");   // null: not a decimal

    QTest::newRow("leading and trailing zeros") << "007.50" << "7.5";
    QTest::newRow("negative zero") << "-0.0" << "0";
    QTest::newRow("zero") << "0" << "0";
    QTest::newRow("zeros") << "000.000" << "0";
    QTest::newRow("1.50") << "1.50" << "1.5";
    QTest::newRow("1.5") << "1.5" << "1.5";
    QTest::newRow("plus sign") << "+42" << "42";
    QTest::newRow("negative") << "-12.3450" << "-12.345";
    QTest::newRow("no integer part") << ".5" << "0.5";
    QTest::newRow("negative no integer part") << "-.050" << "-0.05";
    QTest::newRow("no fraction digits") << "5." << "5";
    QTest::newRow("integer with trailing zeros") << "1000" << "1000";
    QTest::newRow("surrounding spaces") << " 12.0 " << "12";
    QTest::newRow("long") << "123456789012345678901234567890.123456789012345678901"
                          << "123456789012345678901234567890.123456789012345678901";
    QTest::newRow("letters") << "abc" << QString();
    QTest::newRow("empty") << "" << QString();
    QTest::newRow("sign only") << "-" << QString();
    QTest::newRow("point only") << "." << QString();
    QTest::newRow("two points") << "1.2.3" << QString();
    QTest::newRow("exponent") << "1e5" << QString();
    QTest::newRow("NaN") << "NaN" << QString();
    QTest::newRow("two signs") << "--1" << QString();
    QTest::newRow("inner space") << "1 000" << QString();
}

void TestEncoding::normalizeNumeric()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const QString result = ferry::normalizeNumeric(input);
    QCOMPARE(result, expected);
    QCOMPARE(result.isNull(), expected.isNull());
    if (!result.isNull())
        QCOMPARE(ferry::normalizeNumeric(result), result);   // idempotent
}

void TestEncoding::formatTimestamp_data()
{
    QTest::addColumn<qlonglong>("micros");
    QTest::addColumn<QString>("text");

    QTest::newRow("epoch") << qlonglong(0) << "1970-01-01 00:00:00";
    QTest::newRow("one microsecond") << qlonglong(1) << "1970-01-01 00:00:00.000001";
    QTest::newRow("one microsecond before") << qlonglong(-1) << "1969-12-31 23:59:59.999999";
    QTest::newRow("half second before") << qlonglong(-500000) << "1969-12-31 23:59:59.500000";
    QTest::newRow("one day before") << qlonglong(Q_INT64_C(-86400000000)) << "1969-12-31 00:00:00";
    QTest::newRow("moon landing") << qlonglong(Q_INT64_C(-14182939876544)) << "1969-07-20 20:17:40.123456";
    QTest::newRow("leap day") << qlonglong(Q_INT64_C(1709210096789012)) << "2024-02-29 12:34:56.789012";
    QTest::newRow("1900") << qlonglong(Q_INT64_C(-2208988800000000)) << "1900-01-01 00:00:00";
    QTest::newRow("year 1") << qlonglong(Q_INT64_C(-62135596800000000)) << "0001-01-01 00:00:00";
    QTest::newRow("9999") << qlonglong(Q_INT64_C(253402300799999999)) << "9999-12-31 23:59:59.999999";
    // PostgreSQL's forms: 1 BC is the leap year before year 1 (extract(epoch from
    // '0001-01-01 BC'::timestamp) = -62167219200), infinite timestamps are the extremes.
    QTest::newRow("1 BC") << qlonglong(Q_INT64_C(-62167219200000000)) << "0001-01-01 00:00:00 BC";
    QTest::newRow("44 BC, with a fraction") << qlonglong(Q_INT64_C(-63517779000000000) + 250000) << "0044-03-15 12:30:00.250000 BC";
    QTest::newRow("infinity") << qlonglong(std::numeric_limits<qint64>::max()) << "infinity";
    QTest::newRow("-infinity") << qlonglong(std::numeric_limits<qint64>::min()) << "-infinity";
}

void TestEncoding::formatTimestamp()
{
    QFETCH(qlonglong, micros);
    QFETCH(QString, text);
    QCOMPARE(ferry::formatTimestamp(micros), text);
    qint64 parsed = 0;
    QVERIFY(ferry::parseTimestamp(text, &parsed));
    QCOMPARE(parsed, micros);
}

void TestEncoding::parseTimestamp_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qlonglong>("micros");

    QTest::newRow("date only") << "1970-01-02" << true << qlonglong(Q_INT64_C(86400000000));
    QTest::newRow("T separator") << "1970-01-01T00:00:01" << true << qlonglong(1000000);
    QTest::newRow("no seconds") << "1970-01-01 00:01" << true << qlonglong(60000000);
    QTest::newRow("Z") << "1970-01-01T00:00:00Z" << true << qlonglong(0);
    QTest::newRow("+01:00") << "1970-01-01 01:00:00+01:00" << true << qlonglong(0);
    QTest::newRow("+0130") << "1970-01-01 01:30:00+0130" << true << qlonglong(0);
    QTest::newRow("-05") << "1969-12-31 19:00:00-05" << true << qlonglong(0);
    QTest::newRow("fraction 1 digit") << "1970-01-01 00:00:00.5" << true << qlonglong(500000);
    QTest::newRow("fraction 7 digits truncated") << "1970-01-01 00:00:00.1234567" << true << qlonglong(123456);
    QTest::newRow("surrounding spaces") << "  1970-01-01 00:00:00  " << true << qlonglong(0);
    QTest::newRow("empty") << "" << false << qlonglong(0);
    QTest::newRow("garbage") << "yesterday" << false << qlonglong(0);
    QTest::newRow("February 30") << "2023-02-30" << false << qlonglong(0);
    QTest::newRow("not a leap year") << "2023-02-29 00:00:00" << false << qlonglong(0);
    QTest::newRow("hour 24") << "1970-01-01 24:00:00" << false << qlonglong(0);
    QTest::newRow("minute 60") << "1970-01-01 00:60:00" << false << qlonglong(0);
    QTest::newRow("one-digit month") << "1970-1-01" << false << qlonglong(0);
    QTest::newRow("point without digits") << "1970-01-01 00:00:00." << false << qlonglong(0);
    QTest::newRow("trailing text") << "1970-01-01 00:00:00 UTC" << false << qlonglong(0);
    QTest::newRow("separator without time") << "1970-01-01T" << false << qlonglong(0);
}

void TestEncoding::parseTimestamp()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qlonglong, micros);
    qint64 parsed = -12345;
    QCOMPARE(ferry::parseTimestamp(text, &parsed), valid);
    if (valid)
        QCOMPARE(parsed, micros);
}

void TestEncoding::timestampRoundTrip()
{
    // format -> parse is the identity, and text order is time order, over 1000..9999.
    QRandomGenerator random(20240229);
    const qint64 lo = Q_INT64_C(-30610224000000000);   // 1000-01-01
    const qint64 hi = Q_INT64_C(253402300800000000);   // 10000-01-01
    QString previousText;
    qint64 previous = 0;
    for (int i = 0; i < 5000; ++i) {
        qint64 micros = random.bounded(lo, hi);
        if (i % 3 == 0)
            micros -= micros % 1000000;
        const QString text = ferry::formatTimestamp(micros);
        qint64 parsed = 0;
        QVERIFY2(ferry::parseTimestamp(text, &parsed), qPrintable(text));
        QCOMPARE(parsed, micros);
        if (i > 0) {
            // SQLite compares stored timestamps as text: that must agree with time order.
            QCOMPARE(previousText < text, previous < micros);
        }
        previousText = text;
        previous = micros;
    }
}

// parseCanonicalTimestamp() (SQLite's fast path) agrees with parseTimestamp() on every text
// it accepts, and accepts what formatTimestamp() writes.
void TestEncoding::canonicalTimestampFastPath()
{
    QRandomGenerator random(5);
    auto agree = [](const QString &text) {
        const QByteArray utf8 = text.toUtf8();
        qint64 fast = 0, slow = 0;
        const bool fastOk = parseCanonicalTimestamp(utf8.constData(), utf8.size(), &fast);
        const bool slowOk = ferry::parseTimestamp(text, &slow);
        if (fastOk && (!slowOk || fast != slow))
            return QStringLiteral("\"%1\": fast %2 (%3), slow %4 (%5)").arg(text).arg(fast).arg(fastOk).arg(slow).arg(slowOk);
        return QString();
    };
    const QStringList fixed = {
        QStringLiteral("2024-02-29"), QStringLiteral("2023-02-29"), QStringLiteral("1900-02-29"), QStringLiteral("2000-02-29 00:00:00"),
        QStringLiteral("0001-01-01 00:00:00"), QStringLiteral("0000-01-01 00:00:00"), QStringLiteral("9999-12-31 23:59:60.999999"),
        QStringLiteral("2024-13-01"), QStringLiteral("2024-00-10"), QStringLiteral("2024-04-31"), QStringLiteral("2024-01-01 24:00:00"),
        QStringLiteral("2024-01-01 23:60:00"), QStringLiteral("2024-01-01 23:59:61"), QStringLiteral("2024-01-01T01:02:03.5"),
        QStringLiteral("2024-01-01 01:02:03."), QStringLiteral("2024-01-01 01:02:03.1234567"), QStringLiteral("2024-01-01 01:02"),
        QStringLiteral("2024-01-01 01:02:03Z"), QStringLiteral(" 2024-01-01"), QStringLiteral("2024-1-01"), QStringLiteral("1969-12-31 23:59:59.999999"),
    };
    for (const QString &text : fixed)
        QVERIFY2(agree(text).isEmpty(), qPrintable(agree(text)));
    for (int i = 0; i < 20000; ++i) {
        // Round trip: what formatTimestamp writes takes the fast path, with the same value.
        const qint64 micros = qint64(random.bounded(Q_INT64_C(250000000000000000))) - Q_INT64_C(62000000000000000);
        const QByteArray text = ferry::formatTimestamp(micros).toUtf8();
        qint64 fast = 0;
        QVERIFY2(parseCanonicalTimestamp(text.constData(), text.size(), &fast), text.constData());
        QCOMPARE(fast, micros);
        // Mutations: change one character to a digit, separator or letter.
        QString mutated = QString::fromUtf8(text);
        const char replacements[] = "0123456789-: T.Zx+";
        mutated[int(random.bounded(mutated.size()))] = QLatin1Char(replacements[random.bounded(int(sizeof replacements - 1))]);
        QVERIFY2(agree(mutated).isEmpty(), qPrintable(agree(mutated)));
    }
}

void TestEncoding::compareText()
{
    auto cmp = [](const QString &a, const QString &b) { return compareValues(ColumnType::Text, a, b); };
    const QString smile = QString::fromUtf8("\xF0\x9F\x98\x80");   // U+1F600, UTF-16 D83D DE00
    const QString privateUse = QString(QChar(0xE000));
    const QString replacement = QString(QChar(0xFFFD));

    QCOMPARE(cmp(QStringLiteral("a"), QStringLiteral("b")), -1);
    QCOMPARE(cmp(QStringLiteral("B"), QStringLiteral("a")), -1);   // by code point, not by locale
    QCOMPARE(cmp(QStringLiteral("a"), QStringLiteral("a")), 0);
    QCOMPARE(cmp(QString(""), QStringLiteral("a")), -1);
    QCOMPARE(cmp(QStringLiteral("ab"), QStringLiteral("a")), 1);
    QCOMPARE(cmp(QStringLiteral("z"), QString(QChar(0xE9))), -1);
    // Above U+FFFF sorts after the whole BMP, although its UTF-16 units (D83D) are smaller.
    QCOMPARE(cmp(smile, privateUse), 1);
    QCOMPARE(cmp(privateUse, smile), -1);
    QCOMPARE(cmp(smile, replacement), 1);
    QCOMPARE(cmp(QString(QChar(0xD7FF)), smile), -1);
    QCOMPARE(cmp(QString::fromUtf8("\xF0\x90\x80\x80"), smile), -1);   // U+10000 < U+1F600
    QCOMPARE(cmp(QStringLiteral("a") + smile, QStringLiteral("a") + replacement), 1);

    // Code point order is UTF-8 byte order (SQLite BINARY, PostgreSQL "C").
    QStringList samples = {QStringLiteral("a"), QStringLiteral("B"), smile, privateUse, replacement, QString(QChar(0xE9)),
                           QString(QChar(0x4E2D)), QString(""), QStringLiteral("a") + smile, QString::fromUtf8("\xF0\x90\x80\x80"),
                           QString(QChar(0x7F)), QString(QChar(0x80)), QString(QChar(0xD7FF))};
    for (const QString &a : samples) {
        for (const QString &b : samples) {
            const int bytes = a.toUtf8().compare(b.toUtf8());
            QCOMPARE(cmp(a, b), bytes < 0 ? -1 : (bytes > 0 ? 1 : 0));
        }
    }
}

void TestEncoding::compareNumeric_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected");

    QTest::newRow("9 < 10") << "9" << "10" << -1;
    QTest::newRow("-10 < -9") << "-10" << "-9" << -1;
    QTest::newRow("0.25 < 0.5") << "0.25" << "0.5" << -1;
    QTest::newRow("1.25 < 1.5") << "1.25" << "1.5" << -1;
    QTest::newRow("1 < 1.05") << "1" << "1.05" << -1;
    QTest::newRow("-1.05 < -1") << "-1.05" << "-1" << -1;
    QTest::newRow("-0.5 < 0") << "-0.5" << "0" << -1;
    QTest::newRow("0 < 0.001") << "0" << "0.001" << -1;
    QTest::newRow("-100 < 2") << "-100" << "2" << -1;
    QTest::newRow("99.99 < 100") << "99.99" << "100" << -1;
    QTest::newRow("equal") << "12.5" << "12.5" << 0;
    QTest::newRow("big") << "123456789012345678901234567890" << "123456789012345678901234567889.999" << 1;
}

void TestEncoding::compareNumeric()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    QCOMPARE(compareValues(ColumnType::Numeric, a, b), expected);
    QCOMPARE(compareValues(ColumnType::Numeric, b, a), -expected);
}

void TestEncoding::compareOtherTypes()
{
    // NULL first for every type, as SQLite orders keys.
    const QList<QPair<ColumnType, QVariant>> smallest = {
        {ColumnType::Integer, qlonglong(Int64Min)},  {ColumnType::Real, -std::numeric_limits<double>::infinity()},
        {ColumnType::Text, QString("")},             {ColumnType::Blob, QByteArray("")},
        {ColumnType::Boolean, false},                {ColumnType::Timestamp, qlonglong(Int64Min)},
        {ColumnType::Numeric, QStringLiteral("-99999")},
    };
    for (const auto &[type, value] : smallest) {
        QCOMPARE(compareValues(type, Null, value), -1);
        QCOMPARE(compareValues(type, value, Null), 1);
        QCOMPARE(compareValues(type, Null, Null), 0);
        QCOMPARE(compareValues(type, value, value), 0);
    }
    QCOMPARE(compareValues(ColumnType::Integer, qlonglong(-5), qlonglong(3)), -1);
    QCOMPARE(compareValues(ColumnType::Integer, qlonglong(Int64Max), qlonglong(Int64Min)), 1);
    QCOMPARE(compareValues(ColumnType::Timestamp, qlonglong(-1), qlonglong(0)), -1);
    QCOMPARE(compareValues(ColumnType::Real, -0.5, 0.25), -1);
    QCOMPARE(compareValues(ColumnType::Real, 1e300, std::numeric_limits<double>::infinity()), -1);
    QCOMPARE(compareValues(ColumnType::Boolean, false, true), -1);
    QCOMPARE(compareValues(ColumnType::Boolean, true, true), 0);
    // Blobs compare as unsigned bytes, shorter prefix first.
    QCOMPARE(compareValues(ColumnType::Blob, QByteArray("\x01", 1), QByteArray("\xff", 1)), -1);
    QCOMPARE(compareValues(ColumnType::Blob, QByteArray("\x7f", 1), QByteArray("\x80", 1)), -1);
    QCOMPARE(compareValues(ColumnType::Blob, QByteArray("", 0), QByteArray("\x00", 1)), -1);
    QCOMPARE(compareValues(ColumnType::Blob, QByteArray("ab"), QByteArray("a")), 1);
}

void TestEncoding::compareKeysAndRanges()
{
    const QList<ColumnType> types = {ColumnType::Text, ColumnType::Integer};
    auto key = [](const QString &t, qlonglong i) { return Key{t, i}; };
    QCOMPARE(compareKeys(types, key("a", 5), key("a", 6)), -1);
    QCOMPARE(compareKeys(types, key("a", 9), key("b", 1)), -1);
    QCOMPARE(compareKeys(types, key("b", 1), key("b", 1)), 0);
    QCOMPARE(compareKeys(types, key("b", 1), key("a", 100)), 1);

    const KeyRange range{key("b", 0), key("c", 0)};
    QCOMPARE(locateKey(types, key("a", 99), range), -1);
    QCOMPARE(locateKey(types, key("b", 0), range), 0);    // lo is inside
    QCOMPARE(locateKey(types, key("b", 99), range), 0);
    QCOMPARE(locateKey(types, key("c", 0), range), 1);    // hi is outside
    QCOMPARE(locateKey(types, key("a", 0), KeyRange{{}, key("c", 0)}), 0);
    QCOMPARE(locateKey(types, key("z", 0), KeyRange{key("c", 0), {}}), 0);
    QCOMPARE(locateKey(types, key("z", 0), KeyRange{}), 0);

    QCOMPARE(describeRange(range), QStringLiteral("[(b, 0), (c, 0))"));
    QCOMPARE(describeRange(KeyRange{}), QStringLiteral("[-inf, +inf)"));
    QCOMPARE(describeRange(KeyRange{{qlonglong(5)}, {}}), QStringLiteral("[5, +inf)"));

    TableSchema schema;
    for (const auto &[name, type] : QList<QPair<QString, ColumnType>>{
             {QStringLiteral("v"), ColumnType::Real}, {QStringLiteral("i"), ColumnType::Integer}, {QStringLiteral("t"), ColumnType::Text}}) {
        Column column;
        column.name = name;
        column.type = type;
        schema.columns.append(column);
    }
    schema.primaryKey = {2, 1};   // key order differs from column order
    const Row row{1.5, qlonglong(7), QStringLiteral("b")};
    QCOMPARE(schema.keyOf(row), key("b", 7));
    QCOMPARE(schema.keyTypes(), types);
    QCOMPARE(compareRowKey(schema, row, key("b", 7)), 0);
    QCOMPARE(compareRowKey(schema, row, key("b", 8)), -1);
    QCOMPARE(compareRowKey(schema, row, key("a", 8)), 1);
}

} // namespace ferry

QTEST_GUILESS_MAIN(ferry::TestEncoding)
#include "tst_encoding.moc"
