#pragma once

#include <QStringList>

// ferryctl certs init DIR [--days N]
// ferryctl certs issue DIR NAME [--days N] [--dns NAME]... [--ip ADDR]...
// Exit status: 0 written, 2 error (nothing written).
int runCertsCommand(const QStringList &arguments);
