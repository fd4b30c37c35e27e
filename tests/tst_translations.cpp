// tst_translations: the Simplified Chinese translation is complete and really embedded.
//
// (a) every message in translations/ferry_zh_CN.ts (FERRY_TS_FILE) is finished, non-empty,
//     Chinese, and keeps the %N placeholders (and a trailing newline) of its source;
// (b) the translator embedded under :/i18n (ferry_translations) turns known ferryctl and
//     core strings into Chinese, also when core throws them;
// (c) every string literal the sources under core/, app/ and ui/ (FERRY_SOURCE_DIR) pass to
//     tr(), QCoreApplication::translate() or QT_TR[ANSLATE]_NOOP() is in the .ts, so a new
//     message without a translation fails here. To fix: build the target
//     update_translations, translate the new entries in Qt Linguist (or by hand), rebuild.

#include "storage/datasource.h"
#include "rows/tableschema.h"
#include "util/ferryerror.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct TsMessage
{
    QString context;
    QString source;
    QString translation;
    QString type;   // "", "unfinished", "vanished", "obsolete"
    bool numerus = false;   // the translation is its (only, in Chinese) numerusform
};

QList<TsMessage> readTs(const QString &path, QString *error)
{
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            TsMessage message;
            message.context = context;
            message.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("source")) {
                    message.source = xml.readElementText();
                } else if (xml.name() == QLatin1String("translation")) {
                    message.type = xml.attributes().value(QLatin1String("type")).toString();
                    message.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                    if (message.numerus)
                        message.translation = message.translation.trimmed();   // the numerusform's text, without the layout around it
                } else {
                    xml.skipCurrentElement();
                }
            }
            messages.append(message);
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return messages;
}

QStringList placeholders(const QString &text)
{
    static const QRegularExpression marker(QStringLiteral("%(\\d+)"));
    QSet<QString> found;
    for (auto it = marker.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured(0));
    QStringList list(found.begin(), found.end());
    list.sort();
    return list;
}

bool hasChinese(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    }
    return false;
}

// ---- A small C++ scanner: comments removed, string literals kept, so that calls can be
// found and their literal arguments read back exactly as the compiler sees them.

struct Literal
{
    qsizetype begin;   // offset of the opening quote (or of R for a raw string)
    qsizetype end;     // offset after the closing quote
    QString value;
};

// Returns the source with comments replaced by spaces, and the string literals in it.
QString stripComments(const QString &code, QList<Literal> *literals)
{
    QString out = code;
    const qsizetype n = code.size();
    auto blank = [&](qsizetype from, qsizetype to) {
        for (qsizetype i = from; i < to && i < n; ++i) {
            if (out[i] != QLatin1Char('\n'))
                out[i] = QLatin1Char(' ');
        }
    };
    qsizetype i = 0;
    while (i < n) {
        const QChar c = code.at(i);
        const QChar next = i + 1 < n ? code.at(i + 1) : QChar();
        if (c == QLatin1Char('/') && next == QLatin1Char('/')) {
            const qsizetype end = code.indexOf(QLatin1Char('\n'), i);
            blank(i, end < 0 ? n : end);
            i = end < 0 ? n : end;
        } else if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            const qsizetype end = code.indexOf(QLatin1String("*/"), i + 2);
            blank(i, end < 0 ? n : end + 2);
            i = end < 0 ? n : end + 2;
        } else if (c == QLatin1Char('R') && next == QLatin1Char('"') && (i == 0 || !(code.at(i - 1).isLetterOrNumber() || code.at(i - 1) == QLatin1Char('_')))) {
            const qsizetype open = code.indexOf(QLatin1Char('('), i + 2);
            if (open < 0)
                break;
            const QString close = QLatin1Char(')') + code.mid(i + 2, open - i - 2) + QLatin1Char('"');
            const qsizetype end = code.indexOf(close, open + 1);
            if (end < 0)
                break;
            literals->append({i, end + close.size(), code.mid(open + 1, end - open - 1)});
            i = end + close.size();
        } else if (c == QLatin1Char('"')) {
            QString value;
            qsizetype j = i + 1;
            while (j < n && code.at(j) != QLatin1Char('"')) {
                if (code.at(j) == QLatin1Char('\\') && j + 1 < n) {
                    const QChar e = code.at(j + 1);
                    j += 2;
                    switch (e.unicode()) {
                    case 'n': value += QLatin1Char('\n'); break;
                    case 't': value += QLatin1Char('\t'); break;
                    case 'r': value += QLatin1Char('\r'); break;
                    case '0': value += QChar(0); break;
                    case 'x': {
                        qsizetype k = j;
                        while (k < n && k - j < 2 && QStringLiteral("0123456789abcdefABCDEF").contains(code.at(k)))
                            ++k;
                        value += QChar(code.mid(j, k - j).toUShort(nullptr, 16));
                        j = k;
                        break;
                    }
                    default: value += e; break;   // \" \' \\ \?
                    }
                } else {
                    value += code.at(j++);
                }
            }
            literals->append({i, j + 1, value});
            i = j + 1;
        } else if (c == QLatin1Char('\'')) {
            qsizetype j = i + 1;
            while (j < n && code.at(j) != QLatin1Char('\'')) {
                if (code.at(j) == QLatin1Char('\\'))
                    ++j;
                ++j;
            }
            i = j + 1;
        } else {
            ++i;
        }
    }
    return out;
}

struct Call
{
    QString file;
    int line = 0;
    QString context;    // empty for tr()
    QString source;
};

// Reads adjacent string literals starting at pos (whitespace between them allowed).
bool readLiterals(const QString &code, const QList<Literal> &literals, qsizetype *pos, QString *value)
{
    value->clear();
    bool any = false;
    for (;;) {
        while (*pos < code.size() && code.at(*pos).isSpace())
            ++*pos;
        auto it = std::find_if(literals.begin(), literals.end(), [&](const Literal &l) { return l.begin == *pos; });
        if (it == literals.end())
            return any;
        *value += it->value;
        *pos = it->end;
        any = true;
    }
}

QList<Call> translatableCalls(const QString &fileName, const QString &text)
{
    static const QRegularExpression call(QStringLiteral("\\b(tr|translate|QT_TR_NOOP|QT_TRANSLATE_NOOP)\\s*\\("));
    QList<Literal> literals;
    const QString code = stripComments(text, &literals);
    QList<Call> calls;
    for (auto it = call.globalMatch(code); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        // A match inside a string literal is text, not a call.
        const qsizetype at = match.capturedStart();
        if (std::any_of(literals.begin(), literals.end(), [&](const Literal &l) { return at > l.begin && at < l.end; }))
            continue;
        const bool withContext = match.captured(1) == QLatin1String("translate") || match.captured(1) == QLatin1String("QT_TRANSLATE_NOOP");
        qsizetype pos = match.capturedEnd();
        Call found;
        found.file = fileName;
        found.line = int(code.left(at).count(QLatin1Char('\n'))) + 1;
        if (withContext) {
            if (!readLiterals(code, literals, &pos, &found.context))
                continue;   // context not a literal: a helper's own definition, not a message
            while (pos < code.size() && code.at(pos).isSpace())
                ++pos;
            if (pos >= code.size() || code.at(pos) != QLatin1Char(','))
                continue;
            ++pos;
        }
        if (!readLiterals(code, literals, &pos, &found.source))
            continue;   // tr(variable): nothing to check here
        calls.append(found);
    }
    return calls;
}

} // namespace

class TstTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyMessageIsTranslated_data();
    void everyMessageIsTranslated();
    void embeddedTranslatorAnswersInChinese();
    void coreThrowsChineseMessages();
    void scannerReadsCallsLikeTheCompiler();
    void everySourceMessageIsInTheTs();
    void cleanupTestCase();

private:
    QList<TsMessage> m_messages;
    QTranslator m_translator;
};

void TstTranslations::initTestCase()
{
    QString error;
    m_messages = readTs(QStringLiteral(FERRY_TS_FILE), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(m_messages.size() >= 50, qPrintable(QStringLiteral("only %1 messages in %2").arg(m_messages.size()).arg(QStringLiteral(FERRY_TS_FILE))));

    QVERIFY2(QFile::exists(QStringLiteral(":/i18n/ferry_zh_CN.qm")), "ferry_zh_CN.qm is not embedded under :/i18n");
    // The same call ferryctl makes, with the locale of a Chinese desktop.
    QVERIFY(m_translator.load(QLocale(QLocale::Chinese, QLocale::SimplifiedChineseScript, QLocale::China), QStringLiteral("ferry"),
                              QStringLiteral("_"), QStringLiteral(":/i18n")));
    QVERIFY(!m_translator.isEmpty());
    QVERIFY(QCoreApplication::installTranslator(&m_translator));
}

void TstTranslations::cleanupTestCase()
{
    QCoreApplication::removeTranslator(&m_translator);
}

void TstTranslations::everyMessageIsTranslated_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("translation");
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("numerus");
    for (const TsMessage &message : std::as_const(m_messages)) {
        QString name = message.context + QStringLiteral(": ") + message.source.left(60);
        name.replace(QLatin1Char('\n'), QLatin1String("\\n"));
        QTest::newRow(qPrintable(name)) << message.context << message.source << message.translation << message.type << message.numerus;
    }
}

void TstTranslations::everyMessageIsTranslated()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(QString, translation);
    QFETCH(QString, type);
    QFETCH(bool, numerus);
    if (type == QLatin1String("vanished") || type == QLatin1String("obsolete"))
        QSKIP("no longer used by the sources");
    QVERIFY2(type.isEmpty(), qPrintable(QStringLiteral("translation is %1").arg(type)));
    QVERIFY2(!translation.trimmed().isEmpty(), "empty translation");
    QVERIFY2(hasChinese(translation), qPrintable(QStringLiteral("not Chinese: ") + translation));
    QCOMPARE(placeholders(translation), placeholders(source));
    if (numerus) {
        // %n plurals: Chinese has one form, whatever n is.
        QCOMPARE(QCoreApplication::translate(qPrintable(context), source.toUtf8().constData(), nullptr, 3), QString(translation).replace(QLatin1String("%n"), QLatin1String("3")));
        return;
    }
    QCOMPARE(translation.endsWith(QLatin1Char('\n')), source.endsWith(QLatin1Char('\n')));
    // And the compiled .qm has it.
    QCOMPARE(QCoreApplication::translate(qPrintable(context), source.toUtf8().constData()), translation);
}

void TstTranslations::embeddedTranslatorAnswersInChinese()
{
    const char *const known[][2] = {
        {"ferryctl", "ferryctl: error: %1"},
        {"ferryctl", "Result: identical."},
        {"ferryctl", "schemas differ: %1"},
        {"DataSource", "%1: no table given (add ?table=NAME)"},
        {"SqliteStore", "%1: table \"%2\" has no primary key; Ferry needs one to split it into key ranges"},
        {"SqlStore", "query failed"},
    };
    for (const auto &entry : known) {
        const QString translated = QCoreApplication::translate(entry[0], entry[1]);
        QVERIFY2(translated != QLatin1String(entry[1]) && hasChinese(translated), entry[1]);
    }
    QCOMPARE(QCoreApplication::translate("ferryctl", "ferryctl: error: %1").arg(QStringLiteral("x")), QStringLiteral("ferryctl：错误：x"));
    // Unknown text passes through unchanged.
    QCOMPARE(QCoreApplication::translate("ferryctl", "no such message"), QStringLiteral("no such message"));
}

void TstTranslations::coreThrowsChineseMessages()
{
    try {
        ferry::DataSource::parse(QStringLiteral("sqlite:/tmp/x.db"));
        QFAIL("no error for a URL without a table");
    } catch (const ferry::FerryError &error) {
        QVERIFY2(error.message().startsWith(QStringLiteral("sqlite:/tmp/x.db：")) && hasChinese(error.message()), qPrintable(error.message()));
    }

    ferry::TableSchema source;
    source.table = QStringLiteral("a");
    source.columns = {ferry::Column{QStringLiteral("id"), ferry::ColumnType::Integer, QStringLiteral("INTEGER"), true}};
    source.primaryKey = {0};
    ferry::TableSchema target = source;
    target.table = QStringLiteral("b");
    target.columns.append(ferry::Column{QStringLiteral("extra"), ferry::ColumnType::Text, QStringLiteral("TEXT"), false});
    const QString difference = ferry::schemaDifference(source, target);
    QVERIFY2(hasChinese(difference) && difference.contains(QLatin1String("extra")), qPrintable(difference));
}

void TstTranslations::scannerReadsCallsLikeTheCompiler()
{
    const QString code = QStringLiteral(
        "// tr(\"in a comment\")\n"
        "/* QCoreApplication::translate(\"X\", \"in a block comment\") */\n"
        "auto a = QCoreApplication::translate(\"Ctx\", \"%1: \\\"quoted\\\" \"\n"
        "                                     \"and joined\\n\");\n"
        "auto b = QObject::tr(\"plain\");\n"
        "auto c = str(\"not a call\") + attr(\"nor this\");\n"
        "auto d = QCoreApplication::translate(context, text);\n"
        "auto e = QStringLiteral(\"tr(\\\"inside a string\\\")\");\n"
        "auto f = QT_TRANSLATE_NOOP(\"Ctx\", R\"(raw \"text\")\");\n");
    const QList<Call> calls = translatableCalls(QStringLiteral("x.cpp"), code);
    QCOMPARE(calls.size(), 3);
    QCOMPARE(calls.at(0).context, QStringLiteral("Ctx"));
    QCOMPARE(calls.at(0).source, QStringLiteral("%1: \"quoted\" and joined\n"));
    QCOMPARE(calls.at(0).line, 3);
    QCOMPARE(calls.at(1).context, QString());
    QCOMPARE(calls.at(1).source, QStringLiteral("plain"));
    QCOMPARE(calls.at(2).source, QStringLiteral("raw \"text\""));
}

void TstTranslations::everySourceMessageIsInTheTs()
{
    QSet<QPair<QString, QString>> inTs;
    QSet<QString> sourcesInTs;
    for (const TsMessage &message : std::as_const(m_messages)) {
        if (message.type == QLatin1String("vanished") || message.type == QLatin1String("obsolete"))
            continue;
        inTs.insert({message.context, message.source});
        sourcesInTs.insert(message.source);
    }

    const QDir root(QStringLiteral(FERRY_SOURCE_DIR));
    QStringList missing;
    int callCount = 0;
    for (const QString &top : {QStringLiteral("core"), QStringLiteral("app"), QStringLiteral("ui")}) {
        if (!root.exists(top)) {
            QVERIFY2(top == QLatin1String("ui"), qPrintable(root.filePath(top) + QStringLiteral(" is missing")));
            continue;
        }
        QDirIterator it(root.filePath(top), {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
            for (const Call &call : translatableCalls(root.relativeFilePath(path), QString::fromUtf8(file.readAll()))) {
                ++callCount;
                const bool found = call.context.isEmpty() ? sourcesInTs.contains(call.source) : inTs.contains({call.context, call.source});
                if (!found)
                    missing.append(QStringLiteral("%1:%2: [%3] \"%4\"").arg(call.file).arg(call.line).arg(call.context, call.source));
            }
        }
    }
    QVERIFY2(callCount >= 50, qPrintable(QStringLiteral("found only %1 translatable strings under %2").arg(callCount).arg(root.path())));
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not in %1 (build the target update_translations, then translate):\n")
                                               .arg(QStringLiteral(FERRY_TS_FILE))
                                           + missing.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TstTranslations)
#include "tst_translations.moc"
