#pragma once

#include <QStringList>

// ferryctl failover NODE LINK --to DC [--force], failover-ack NODE LINK, health NODE,
// events NODE: roles, failover and what the node recorded.
int runFailoverCommand(const QStringList &arguments);
int runFailoverAckCommand(const QStringList &arguments);
int runHealthCommand(const QStringList &arguments);
int runEventsCommand(const QStringList &arguments);
