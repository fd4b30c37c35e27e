#pragma once

#include <QSslConfiguration>
#include <QString>

namespace ferry {

// The TLS settings of every Ferry connection, node and console alike: TLS 1.2 or newer,
// the peer's certificate required and verified (VerifyPeer on both sides), and the
// deployment CA in caFile as the only trusted root (the system's CAs are not consulted).
// certFile holds this side's certificate (optionally followed by intermediates), keyFile
// its unencrypted PEM private key.
//
// Throws FerryError naming the file when one is missing, unreadable or not what it should
// be, or when the key does not belong to the certificate.
QSslConfiguration mutualTlsConfiguration(const QString &caFile, const QString &certFile, const QString &keyFile);

// The identity a certificate carries: its first subject common name (empty when it has none).
QString certificateName(const QSslCertificate &certificate);

} // namespace ferry
