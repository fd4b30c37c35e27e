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

// Why a peer's certificate, verified against the deployment CA, is still not one to
// accept, or an empty string: a CA certificate (one that could issue certificates for any
// name and role), or one not issued by the deployment CA itself (an intermediate between).
QString peerCertificateProblem(const QSslCertificate &peer, const QList<QSslCertificate> &deploymentCas);

// The identity a certificate carries: its first subject common name (empty when it has none).
QString certificateName(const QSslCertificate &certificate);

} // namespace ferry
