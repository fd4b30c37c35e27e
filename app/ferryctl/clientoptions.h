#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QSslConfiguration>

// --ca, --cert, --key and --profile: the certificate ferryctl presents to nodes.
struct ClientOptions
{
    QCommandLineOption ca;
    QCommandLineOption cert;
    QCommandLineOption key;
    QCommandLineOption profile;

    ClientOptions();
    void addTo(QCommandLineParser &parser) const;
    // Resolves the options in the order ClientProfile documents; throws FerryError.
    QSslConfiguration tls(const QCommandLineParser &parser) const;
};
