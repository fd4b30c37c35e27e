#include "node/eventlog.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace ferry {

QString NodeEvent::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Error: return QStringLiteral("error");
    }
    return {};
}

QCborMap NodeEvent::toCbor() const
{
    QCborMap map{{QStringLiteral("at_ms"), atMs},
                 {QStringLiteral("severity"), severityName(severity)},
                 {QStringLiteral("node"), node},
                 {QStringLiteral("link"), link},
                 {QStringLiteral("what"), what},
                 {QStringLiteral("outcome"), outcome}};
    if (!by.isEmpty())
        map.insert(QStringLiteral("by"), by);
    return map;
}

NodeEvent NodeEvent::fromCbor(const QCborMap &map)
{
    NodeEvent event;
    event.atMs = map.value(QStringLiteral("at_ms")).toInteger();
    const QString severity = map.value(QStringLiteral("severity")).toString();
    event.severity = severity == QLatin1String("error") ? Severity::Error : severity == QLatin1String("warning") ? Severity::Warning : Severity::Info;
    event.node = map.value(QStringLiteral("node")).toString();
    event.link = map.value(QStringLiteral("link")).toString();
    event.what = map.value(QStringLiteral("what")).toString();
    event.outcome = map.value(QStringLiteral("outcome")).toString();
    event.by = map.value(QStringLiteral("by")).toString();
    return event;
}

EventLog::EventLog(const QString &path, const QString &node, int capacity, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_node(node)
    , m_capacity(std::max(1, capacity))
{
    QFile file(m_path);
    if (file.open(QIODevice::ReadOnly)) {
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (line.isEmpty())
                continue;
            ++m_linesInFile;
            const QJsonDocument document = QJsonDocument::fromJson(line);
            if (document.isObject())   // a line cut short by a crash is skipped
                m_events.append(NodeEvent::fromCbor(QCborMap::fromJsonObject(document.object())));
        }
        if (m_events.size() > m_capacity)
            m_events = m_events.mid(m_events.size() - m_capacity);
    }
}

void EventLog::record(NodeEvent::Severity severity, const QString &link, const QString &what, const QString &outcome, const QString &by)
{
    NodeEvent event{QDateTime::currentMSecsSinceEpoch(), severity, m_node, link, what, outcome, by};
    m_events.append(event);
    if (m_events.size() > m_capacity)
        m_events.removeFirst();
    QFile file(m_path);
    if (file.open(QIODevice::Append)) {
        file.write(QJsonDocument(event.toCbor().toJsonObject()).toJson(QJsonDocument::Compact) + '\n');
        ++m_linesInFile;
    }
    if (m_linesInFile >= 2 * m_capacity)
        compact();
    emit recorded(event);
}

QList<NodeEvent> EventLog::recent(int count) const
{
    return m_events.mid(std::max<qsizetype>(0, m_events.size() - count));
}

void EventLog::compact()
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return;
    for (const NodeEvent &event : std::as_const(m_events))
        file.write(QJsonDocument(event.toCbor().toJsonObject()).toJson(QJsonDocument::Compact) + '\n');
    if (file.commit())
        m_linesInFile = m_events.size();
}

} // namespace ferry
