#pragma once

#include <QStringList>

// ferryctl link create|list|show|pause|resume|verify|remove: the links a node runs.
int runLinkCommand(const QStringList &arguments);
