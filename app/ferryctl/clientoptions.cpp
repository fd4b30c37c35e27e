#include "clientoptions.h"

#include "net/clientprofile.h"
#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QFileInfo>

using namespace ferry;

ClientOptions::ClientOptions()
    : ca(QStringLiteral("ca"), QCoreApplication::translate("ferryctl", "The deployment CA certificate."), QStringLiteral("FILE"))
    , cert(QStringLiteral("cert"), QCoreApplication::translate("ferryctl", "This client's certificate."), QStringLiteral("FILE"))
    , key(QStringLiteral("key"), QCoreApplication::translate("ferryctl", "This client's private key."), QStringLiteral("FILE"))
    , profile(QStringLiteral("profile"), QCoreApplication::translate("ferryctl", "A client profile (JSON with ca, certificate, key)."), QStringLiteral("FILE"))
{
}

void ClientOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ca, cert, key, profile});
}

QSslConfiguration ClientOptions::tls(const QCommandLineParser &parser) const
{
    const int given = int(parser.isSet(ca)) + int(parser.isSet(cert)) + int(parser.isSet(key));
    if (given > 0) {
        if (given != 3)
            throw FerryError(QCoreApplication::translate("ferryctl", "--ca, --cert and --key go together"));
        return ClientProfile{parser.value(ca), parser.value(cert), parser.value(key)}.tlsConfiguration();
    }
    if (parser.isSet(profile))
        return ClientProfile::load(parser.value(profile)).tlsConfiguration();
    const QString fromEnvironment = qEnvironmentVariable("FERRY_PROFILE");
    if (!fromEnvironment.isEmpty())
        return ClientProfile::load(fromEnvironment).tlsConfiguration();
    const QString fallback = ClientProfile::defaultPath();
    if (QFileInfo::exists(fallback))
        return ClientProfile::load(fallback).tlsConfiguration();
    throw FerryError(QCoreApplication::translate("ferryctl", "no client certificate: give --ca, --cert and --key, or --profile FILE, "
                                                             "or set FERRY_PROFILE, or write %1").arg(fallback));
}
