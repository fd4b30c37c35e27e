#pragma once

#include <QString>
#include <QStringList>

namespace ferry {

// A node's state is for the node's user alone: secureDirectory makes the directory 0700
// and every file in it (and in its subdirectories) 0600, for state written by older
// versions; restrictNewFiles sets the process umask so that what the node writes from
// now on is created that way. Throws FerryError naming the path it cannot change.
void secureDirectory(const QString &dir);
void restrictNewFiles();

// Startup warnings, one per file, naming it: a private key readable or writable by the
// group or others, and a config file that holds a password and is readable by them.
QStringList exposedSecretWarnings(const QString &keyFile, const QString &configFile, bool configHoldsPassword);

} // namespace ferry
