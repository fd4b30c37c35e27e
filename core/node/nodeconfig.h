#pragma once

#include "node/connectionlimits.h"
#include "storage/datasource.h"

#include <QHostAddress>
#include <QList>
#include <QString>

namespace ferry {

// What a ferry-node serves, read from its JSON config file:
//
//   {
//     "name": "dc-east",                        node name, [A-Za-z0-9][A-Za-z0-9._-]*
//     "region": "us-east-1",                    free-form label (optional)
//     "listen": {"address": "0.0.0.0", "port": 7450},
//     "tls": {"ca": "ca.crt", "certificate": "dc-east.crt", "key": "dc-east.key"},
//     "databases": {"shop": "sqlite:shop.db",
//                   "billing": "postgresql://ferry@db1:5432/billing"},
//     "data_directory": "state",                the node's own state
//     "heartbeat_ms": 250,                      optional: heartbeats to peers this often
//     "max_slot_wal_mb": 1024,                  optional: the WAL a PostgreSQL source's replication
//                                               slot may keep before its link stops and drops it
//     "limits": {"handshake_timeout_ms": 10000, "idle_timeout_ms": 600000,
//                "max_handshakes_per_address": 32, "max_handshakes": 512,
//                "max_sessions_per_peer": 256, "max_sessions": 4096,
//                "max_unfinished_mb_per_peer": 160, "max_unfinished_mb": 256,
//                "max_queued_reply_mb": 64}      optional, each field too (ConnectionLimits)
//   }
//
// Relative paths (TLS files, SQLite files, data directory) are relative to the config
// file's directory.
struct NodeConfig
{
    struct Database
    {
        QString name;
        DataSource source;   // without a table
    };

    QString name;
    QString region;
    QHostAddress listenAddress = QHostAddress::Any;
    quint16 listenPort = 7450;
    QString caFile;
    QString certificateFile;
    QString keyFile;
    QList<Database> databases;
    QString dataDirectory;
    int heartbeatMs = 250;
    qint64 maxSlotWalMb = 1024;
    ConnectionLimits limits;

    // Reads and checks the file. Throws FerryError with one line that names the file and
    // the field at fault.
    static NodeConfig load(const QString &path);
    // The same for a config already in memory; baseDirectory resolves relative paths.
    static NodeConfig parse(const QByteArray &json, const QString &baseDirectory, const QString &displayPath);

    const Database *database(const QString &name) const;
};

} // namespace ferry
