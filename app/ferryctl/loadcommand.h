#pragma once

#include <QStringList>

// ferryctl load LOCATION --rate N --seconds S: a steady write workload on a table.
int runLoadCommand(const QStringList &arguments);
