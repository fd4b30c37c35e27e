#pragma once

#include <QStringList>

// ferryctl compare SOURCE TARGET [--repair] [--block-rows N] [--block-time MS]
//                                [--digest md5|sha256] [--json]
// Exit status: 0 identical at the end, 1 different, 2 error (nothing written).
int runCompareCommand(const QStringList &arguments);
