#pragma once

#include <QCborMap>
#include <QDateTime>
#include <QFile>
#include <QList>
#include <QObject>

namespace ferry {

// One thing that happened on a node that an operator may need to see later: a link
// created or removed, a failover step, a peer going down. Every event has a time, the
// node, the link (if any), what happened and how it ended.
struct NodeEvent
{
    enum class Severity { Info, Warning, Error };

    qint64 atMs = 0;
    Severity severity = Severity::Info;
    QString node;
    QString link;
    QString what;
    QString outcome;
    // For a request: the certificate that asked and its role ("ops (admin)"); else empty.
    QString by;

    QCborMap toCbor() const;
    static NodeEvent fromCbor(const QCborMap &map);
    static QString severityName(Severity severity);
};

// The node's events: kept in memory (the newest `capacity`) and appended to a file of
// JSON lines in the data directory, which is cut back to the newest `capacity` events when
// it reaches twice that. Lives in the node's network thread.
class EventLog : public QObject
{
    Q_OBJECT

public:
    EventLog(const QString &path, const QString &node, int capacity = 5000, QObject *parent = nullptr);

    void record(NodeEvent::Severity severity, const QString &link, const QString &what, const QString &outcome, const QString &by = QString());
    QList<NodeEvent> recent(int count) const;

signals:
    void recorded(const ferry::NodeEvent &event);

private:
    void compact();

    QString m_path;
    QString m_node;
    int m_capacity;
    QList<NodeEvent> m_events;
    qint64 m_linesInFile = 0;
};

} // namespace ferry

Q_DECLARE_METATYPE(ferry::NodeEvent)
