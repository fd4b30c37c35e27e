#pragma once

#include "security/role.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace ferry {

// The deployment CA and the certificates it issues for mutual TLS between nodes and
// consoles. A deployment directory holds ca.crt and ca.key (the CA) and NAME.crt and
// NAME.key for every node or console. Keys are EC P-256, written unencrypted with mode
// 0600 from the moment the file exists; certificates are written with mode 0644.
//
// Nothing is ever overwritten, and a call that fails leaves nothing new behind: the files
// are written under temporary names in the directory and moved into place at the end.
// Every error is a FerryError whose message names the file or the value at fault.
//
// Validity runs from five minutes ago (a node whose clock is a little behind still accepts
// a certificate issued a moment ago) to `days` days from now. Serial numbers are 128
// random bits; certificates are signed with ECDSA SHA-256.

// What one call wrote.
struct CertificateFiles
{
    QString certificateFile;    // DIR/ca.crt or DIR/NAME.crt
    QString keyFile;            // DIR/ca.key or DIR/NAME.key
    QString subject;            // the common name
    Role role = Role::None;
    QStringList alternativeNames;   // "DNS:dc-east", "IP:127.0.0.1", ... (empty for the CA)
    QDateTime notBefore;        // UTC
    QDateTime notAfter;         // UTC
};

struct IssueOptions
{
    int days = 825;             // validity, 1 to maxCertificateDays
    QStringList dnsNames;       // extra DNS names besides NAME and localhost
    QStringList ipAddresses;    // extra IP addresses besides 127.0.0.1 and ::1
    // Written as the subject's organizational unit "ferry-role:ROLE" (security/role.h);
    // Role::None writes none (a certificate that can only read).
    Role role = Role::None;

    // For tests only: shifts notBefore (now - 5 min) and notAfter (now + days) by this
    // many seconds, so that an already expired (or not yet valid) certificate can be made.
    qint64 notBeforeOffsetSeconds = 0;
    qint64 notAfterOffsetSeconds = 0;
};

constexpr int defaultCaDays = 3650;
constexpr int defaultCertificateDays = 825;
constexpr int maxCertificateDays = 36500;

// Creates DIR (and missing parents, mode 0700) if it is missing and writes DIR/ca.crt and DIR/ca.key: a self-signed CA
// ("Ferry deployment CA") valid for `days` days. Refuses when either file exists.
CertificateFiles createDeploymentCa(const QString &dir, int days = defaultCaDays);

// Reads the CA in DIR and writes DIR/NAME.crt and DIR/NAME.key: CN=NAME, subject
// alternative names DNS:NAME, DNS:localhost, IP:127.0.0.1, IP:::1 and the extra ones in
// options, extended key usage serverAuth and clientAuth, not a CA. NAME must match
// [A-Za-z0-9][A-Za-z0-9._-]{0,62} and must not be "ca". Refuses when either file exists.
CertificateFiles issueCertificate(const QString &dir, const QString &name, const IssueOptions &options = {});

// True when name can be used for issueCertificate.
bool isValidCertificateName(const QString &name);

} // namespace ferry
