#include "storage/timestamptext.h"

#include <QDate>

#include <limits>

namespace ferry {

namespace {

constexpr qint64 MicrosPerSecond = 1000000;
constexpr qint64 MicrosPerDay = 86400 * MicrosPerSecond;

qint64 floorDiv(qint64 a, qint64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

} // namespace

int formatTimestamp(qint64 micros, char *out)
{
    const qint64 days = floorDiv(micros, MicrosPerDay);
    const qint64 inDay = micros - days * MicrosPerDay;
    const QDate date = QDate(1970, 1, 1).addDays(days);
    const qint64 seconds = inDay / MicrosPerSecond;
    const qint64 fraction = inDay % MicrosPerSecond;
    int year = 0, month = 0, day = 0;
    date.getDate(&year, &month, &day);
    if (year < 1 || year > 9999)
        return 0;
    // Written digit by digit: six chained QString::arg() calls cost more than the rest
    // of a row's insert (tests/bench/bench_node.cpp, docs/benchmarks.md).
    auto put = [out](int at, qint64 value, int width) {
        for (int i = width - 1; i >= 0; --i, value /= 10)
            out[at + i] = char('0' + value % 10);
    };
    put(0, year, 4);
    out[4] = '-';
    put(5, month, 2);
    out[7] = '-';
    put(8, day, 2);
    out[10] = ' ';
    put(11, seconds / 3600, 2);
    out[13] = ':';
    put(14, (seconds / 60) % 60, 2);
    out[16] = ':';
    put(17, seconds % 60, 2);
    if (fraction == 0)
        return 19;
    out[19] = '.';
    put(20, fraction, 6);
    return 26;
}

QString formatTimestamp(qint64 micros)
{
    char fast[26];
    const int length = formatTimestamp(micros, fast);
    if (length > 0)
        return QString::fromLatin1(fast, length);
    // PostgreSQL's infinite timestamps are these two values inside it too.
    if (micros == std::numeric_limits<qint64>::max())
        return QStringLiteral("infinity");
    if (micros == std::numeric_limits<qint64>::min())
        return QStringLiteral("-infinity");
    const qint64 days = floorDiv(micros, MicrosPerDay);
    const qint64 inDay = micros - days * MicrosPerDay;
    const QDate date = QDate(1970, 1, 1).addDays(days);
    const qint64 seconds = inDay / MicrosPerSecond;
    const qint64 fraction = inDay % MicrosPerSecond;
    // Before year 1: PostgreSQL's "YYYY-MM-DD ... BC" (QDate's year -1 is 1 BC, as there).
    const bool bc = date.year() < 1;
    QString text = QStringLiteral("%1-%2-%3 %4:%5:%6")
                       .arg(bc ? -date.year() : date.year(), 4, 10, QLatin1Char('0'))
                       .arg(date.month(), 2, 10, QLatin1Char('0'))
                       .arg(date.day(), 2, 10, QLatin1Char('0'))
                       .arg(seconds / 3600, 2, 10, QLatin1Char('0'))
                       .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                       .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (fraction != 0)
        text += QStringLiteral(".%1").arg(fraction, 6, 10, QLatin1Char('0'));
    if (bc)
        text += QStringLiteral(" BC");
    return text;
}

bool parseTimestamp(const QString &input, qint64 *micros)
{
    QString text = input.trimmed();
    if (text.compare(QLatin1String("infinity"), Qt::CaseInsensitive) == 0 || text.compare(QLatin1String("+infinity"), Qt::CaseInsensitive) == 0) {
        *micros = std::numeric_limits<qint64>::max();
        return true;
    }
    if (text.compare(QLatin1String("-infinity"), Qt::CaseInsensitive) == 0) {
        *micros = std::numeric_limits<qint64>::min();
        return true;
    }
    const bool bc = text.endsWith(QLatin1String(" BC"), Qt::CaseInsensitive);
    if (bc)
        text.chop(3);
    qsizetype pos = 0;
    auto digits = [&](int count, int *out) {
        int value = 0;
        for (int i = 0; i < count; ++i) {
            if (pos >= text.size() || !text.at(pos).isDigit())
                return false;
            value = value * 10 + text.at(pos).digitValue();
            ++pos;
        }
        *out = value;
        return true;
    };
    auto expect = [&](QChar c) {
        if (pos < text.size() && text.at(pos) == c) {
            ++pos;
            return true;
        }
        return false;
    };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(4, &year) || !expect(QLatin1Char('-')) || !digits(2, &month) || !expect(QLatin1Char('-')) || !digits(2, &day))
        return false;
    if (bc && year < 1)
        return false;
    const QDate date(bc ? -year : year, month, day);
    if (!date.isValid())
        return false;
    qint64 fraction = 0;
    if (pos < text.size() && (text.at(pos) == QLatin1Char(' ') || text.at(pos) == QLatin1Char('T'))) {
        ++pos;
        if (!digits(2, &hour) || !expect(QLatin1Char(':')) || !digits(2, &minute))
            return false;
        if (expect(QLatin1Char(':'))) {
            if (!digits(2, &second))
                return false;
            if (expect(QLatin1Char('.'))) {
                int count = 0;
                qint64 scale = 100000;
                while (pos < text.size() && text.at(pos).isDigit()) {
                    if (count < 6) {
                        fraction += text.at(pos).digitValue() * scale;
                        scale /= 10;
                    }
                    ++count;
                    ++pos;
                }
                if (count == 0)
                    return false;
            }
        }
        if (hour > 23 || minute > 59 || second > 60)
            return false;
    }
    qint64 offsetSeconds = 0;
    if (expect(QLatin1Char('Z'))) {
        // UTC
    } else if (pos < text.size() && (text.at(pos) == QLatin1Char('+') || text.at(pos) == QLatin1Char('-'))) {
        const int sign = text.at(pos) == QLatin1Char('-') ? -1 : 1;
        ++pos;
        int offHours = 0, offMinutes = 0;
        if (!digits(2, &offHours))
            return false;
        if (expect(QLatin1Char(':')) || (pos < text.size() && text.at(pos).isDigit())) {
            if (!digits(2, &offMinutes))
                return false;
        }
        offsetSeconds = sign * (offHours * 3600 + offMinutes * 60);
    }
    if (pos != text.size())
        return false;
    const qint64 days = QDate(1970, 1, 1).daysTo(date);
    *micros = days * MicrosPerDay + (hour * 3600 + minute * 60 + second - offsetSeconds) * MicrosPerSecond + fraction;
    return true;
}

namespace {

bool readDigits(const char *text, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    *out = value;
    return true;
}

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const qint64 era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = int(year - era * 400);
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

} // namespace

bool parseCanonicalTimestamp(const char *text, qsizetype size, qint64 *micros)
{
    int year, month, day, hour = 0, minute = 0, second = 0;
    if (size < 10 || !readDigits(text, 4, &year) || text[4] != '-' || !readDigits(text + 5, 2, &month) || text[7] != '-'
        || !readDigits(text + 8, 2, &day)) {
        return false;
    }
    static constexpr int DaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0))
        return false;
    qint64 fraction = 0;
    if (size > 10) {
        if (size < 19 || (text[10] != ' ' && text[10] != 'T') || !readDigits(text + 11, 2, &hour) || text[13] != ':'
            || !readDigits(text + 14, 2, &minute) || text[16] != ':' || !readDigits(text + 17, 2, &second)) {
            return false;
        }
        if (hour > 23 || minute > 59 || second > 60)
            return false;
        if (size > 19) {
            if (text[19] != '.' || size == 20)
                return false;
            qint64 scale = 100000;   // digits after the sixth add nothing, as in parseTimestamp
            for (qsizetype pos = 20; pos < size; ++pos) {
                const char c = text[pos];
                if (c < '0' || c > '9')
                    return false;
                fraction += (c - '0') * scale;
                scale /= 10;
            }
        }
    }
    *micros = daysFromCivil(year, month, day) * MicrosPerDay + (hour * 3600 + minute * 60 + second) * MicrosPerSecond + fraction;
    return true;
}

} // namespace ferry
