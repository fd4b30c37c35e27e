#pragma once

#include "blocks/blockverifier.h"

#include <QSslConfiguration>
#include <QStringList>

// Commands that talk to ferry-node processes over mutual TLS.

// compare ferry://... ferry://...: asks the source node to verify (and repair) against
// the target node; rows travel between the two nodes, never through ferryctl.
int runRemoteCompare(const QString &source, const QString &target, const ferry::VerifierOptions &options, bool json,
                     const QSslConfiguration &tls);

// status ferry://HOST:PORT and tables ferry://HOST:PORT/DB
int runStatusCommand(const QStringList &arguments);
int runTablesCommand(const QStringList &arguments);
