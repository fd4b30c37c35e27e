#include "security/filepermissions.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace ferry {

namespace {

constexpr QFileDevice::Permissions OwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions OwnerDirectory = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions Others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
    | QFileDevice::WriteOther | QFileDevice::ExeOther;

void restrict(const QString &path, QFileDevice::Permissions permissions)
{
    if (QFile::permissions(path) == permissions)
        return;
    if (!QFile::setPermissions(path, permissions))
        throw FerryError(QCoreApplication::translate("FilePermissions", "%1: cannot restrict its permissions to the node's user").arg(path));
}

} // namespace

void secureDirectory(const QString &dir)
{
    restrict(dir, OwnerDirectory);
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info(it.next());
        if (info.isSymLink())
            continue;
        restrict(info.filePath(), info.isDir() ? OwnerDirectory : OwnerFile);
    }
}

void restrictNewFiles()
{
    ::umask(S_IRWXG | S_IRWXO);
}

QStringList exposedSecretWarnings(const QString &keyFile, const QString &configFile, bool configHoldsPassword)
{
    QStringList warnings;
    if (!keyFile.isEmpty() && QFileInfo::exists(keyFile) && (QFile::permissions(keyFile) & Others))
        warnings.append(QCoreApplication::translate("FilePermissions", "%1: the private key can be read or changed by other users than the node's (chmod 600 %1)").arg(keyFile));
    if (configHoldsPassword && !configFile.isEmpty() && QFileInfo::exists(configFile)
        && (QFile::permissions(configFile) & (QFileDevice::ReadGroup | QFileDevice::ReadOther)))
        warnings.append(QCoreApplication::translate("FilePermissions", "%1: holds a database password and can be read by other users than the node's (chmod 600 %1)").arg(configFile));
    return warnings;
}

} // namespace ferry
