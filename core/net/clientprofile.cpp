#include "net/clientprofile.h"

#include "security/tlsconfiguration.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace ferry {

ClientProfile ClientProfile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("ClientProfile", "%1: cannot read the client profile: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw FerryError(QCoreApplication::translate("ClientProfile", "%1: not a JSON object (%2)").arg(path, error.errorString()));
    const QJsonObject object = document.object();
    const QDir base = QFileInfo(path).absoluteDir();
    auto field = [&](const QString &name) {
        const QJsonValue value = object.value(name);
        if (!value.isString() || value.toString().isEmpty())
            throw FerryError(QCoreApplication::translate("ClientProfile", "%1: \"%2\" must be a file name").arg(path, name));
        return QDir::cleanPath(base.absoluteFilePath(value.toString()));
    };
    ClientProfile profile;
    profile.caFile = field(QStringLiteral("ca"));
    profile.certificateFile = field(QStringLiteral("certificate"));
    profile.keyFile = field(QStringLiteral("key"));
    return profile;
}

QString ClientProfile::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)).filePath(QStringLiteral("ferry/client.json"));
}

QSslConfiguration ClientProfile::tlsConfiguration() const
{
    return mutualTlsConfiguration(caFile, certificateFile, keyFile);
}

} // namespace ferry
