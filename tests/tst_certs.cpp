// tst_certs: the deployment CA, the certificates it issues, `ferryctl certs`, and mutual TLS
// with them over loopback.
//
// - createDeploymentCa/issueCertificate: the CA is a CA (basicConstraints, keyUsage, SKI,
//   128-bit serial, EC P-256); issued certificates chain to it (OpenSSL X509_verify_cert
//   with the CA as the only trusted root, as TLS server and as TLS client, for NAME,
//   localhost, 127.0.0.1, ::1 and the extra names), carry the SANs and both EKUs, are not
//   CAs, and name the CA's key (AKI). Keys are 0600 and certificates 0644 whatever the umask.
// - Everything an operator can get wrong (existing files, bad names, bad --dns/--ip/--days,
//   a missing, unreadable, mismatched or encrypted CA) fails with a message naming the
//   problem and leaves the directory byte-identical (hidden temporaries included).
// - mutualTlsConfiguration: settings, and errors naming the file.
// - A real handshake between QSslServer and QSslSocket, both configured by
//   mutualTlsConfiguration: accepted both ways with certificates from the deployment CA;
//   refused for a client without certificate, with a certificate from another CA, with an
//   expired certificate; and the client refuses a server from another CA or with another
//   name.
// - The ferryctl binary (FERRYCTL_PATH): `certs init` and `certs issue` write the files and
//   exit 0, bad input exits 2 with "ferryctl: error: ..." and writes nothing.

#include "security/certificates.h"
#include "security/tlsconfiguration.h"
#include "util/ferryerror.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;

namespace {

struct X509Free
{
    void operator()(X509 *p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

struct PKeyFree
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyFree>;

struct StoreFree
{
    void operator()(X509_STORE *p) const { X509_STORE_free(p); }
};
struct StoreCtxFree
{
    void operator()(X509_STORE_CTX *p) const { X509_STORE_CTX_free(p); }
};

constexpr int timeoutMs = 5000;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void writeAll(const QString &path, const QByteArray &data)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(file.write(data), data.size());
}

X509Ptr loadCertificate(const QString &path)
{
    const QByteArray pem = readAll(path);
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    X509Ptr certificate(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    return certificate;
}

PKeyPtr loadKey(const QString &path)
{
    const QByteArray pem = readAll(path);
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    PKeyPtr key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    return key;
}

int fileMode(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

// Every entry under dir (hidden ones too) with its contents, or "<dir>" for directories.
QMap<QString, QByteArray> snapshot(const QString &dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        files.insert(QDir(dir).relativeFilePath(path),
                     info.isSymLink() ? "<link>" + QFile::encodeName(info.symLinkTarget())
                                      : info.isDir() ? QByteArray("<dir>") : readAll(path));
    }
    return files;
}

// X509_verify_cert with the CA in caFile as the only trusted certificate; 0 (X509_V_OK)
// when the chain verifies for purpose, and for host or ip when given.
int verifyChain(const QString &caFile, const QString &certFile, int purpose, const QString &host = {}, const QString &ip = {})
{
    const X509Ptr ca = loadCertificate(caFile);
    const X509Ptr leaf = loadCertificate(certFile);
    if (!ca || !leaf)
        return -1;
    std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), ca.get());
    std::unique_ptr<X509_STORE_CTX, StoreCtxFree> context(X509_STORE_CTX_new());
    X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), nullptr);
    X509_STORE_CTX_set_purpose(context.get(), purpose);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(context.get());
    if (!host.isEmpty())
        X509_VERIFY_PARAM_set1_host(param, host.toLatin1().constData(), 0);
    if (!ip.isEmpty())
        X509_VERIFY_PARAM_set1_ip_asc(param, ip.toLatin1().constData());
    if (X509_verify_cert(context.get()) == 1)
        return X509_V_OK;
    const int error = X509_STORE_CTX_get_error(context.get());
    return error == X509_V_OK ? -1 : error;
}

QString verifyText(int error)
{
    return error < 0 ? QStringLiteral("could not load") : QString::fromLatin1(X509_verify_cert_error_string(error));
}

// Runs call, which must throw FerryError whose message contains every needle.
void expectFerryError(const std::function<void()> &call, const QStringList &needles)
{
    try {
        call();
    } catch (const FerryError &error) {
        for (const QString &needle : needles)
            QVERIFY2(error.message().contains(needle), qPrintable(QStringLiteral("\"%1\" not in: %2").arg(needle, error.message())));
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no error; expected one mentioning %1").arg(needles.join(QLatin1String(", ")))));
}

QString commonName(const QSslCertificate &certificate)
{
    return certificate.subjectInfo(QSslCertificate::CommonName).value(0);
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run ferryctl(const QStringList &arguments, const QProcessEnvironment &environment = {})
{
    QProcess process;
    QProcessEnvironment env = environment;
    if (env.isEmpty()) {
        env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("LANGUAGE"));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    }
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(FERRYCTL_PATH), arguments);
    Run run;
    if (!process.waitForStarted(10000)) {
        run.err = QStringLiteral("ferryctl did not start: ") + process.errorString();
        return run;
    }
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        run.err = QStringLiteral("ferryctl did not finish within 30 s");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

// One connection attempt between a QSslServer and a QSslSocket on loopback.
struct Handshake
{
    bool serverAccepted = false;    // the server's handshake completed and it offered the socket
    bool clientEncrypted = false;
    bool exchanged = false;         // a line went each way
    QStringList serverErrors;       // sslErrors/peerVerifyError/errorOccurred seen by the server
    QStringList clientErrors;
    QString serverSawPeer;          // CN of the client's certificate, as the server saw it
    QString clientSawPeer;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;

    QString describe() const
    {
        return QStringLiteral("accepted=%1 clientEncrypted=%2 exchanged=%3\n  server errors: %4\n  client errors: %5")
            .arg(serverAccepted).arg(clientEncrypted).arg(exchanged)
            .arg(serverErrors.join(QLatin1String("; ")), clientErrors.join(QLatin1String("; ")));
    }
};

} // namespace

class TstCerts : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void caIsACertificateAuthority();
    void issuedCertificateChainsToTheCa();
    void extraNamesAndValidity();
    void expiredCertificateIsExpired();
    void modesDoNotDependOnTheUmask();
    void caDirectoryIsCreated();

    void refusesToOverwriteTheCa();
    void refusesToOverwriteACertificate();
    void badNames_data();
    void badNames();
    void badAlternativeNames_data();
    void badAlternativeNames();
    void badDays();
    void missingCa();
    void brokenCa();

    void tlsConfiguration();
    void tlsConfigurationErrors();

    void mutualTlsAccepted();
    void clientWithoutCertificateRefused();
    void clientFromAnotherCaRefused();
    void expiredClientRefused();
    void serverFromAnotherCaRefused();
    void serverWithAnotherNameRefused();

    void ferryctlInitAndIssue();
    void ferryctlErrors_data();
    void ferryctlErrors();
    void ferryctlSpeaksChinese();

private:
    QString pki(const QString &file = {}) const { return file.isEmpty() ? m_root.filePath(QStringLiteral("pki")) : m_root.filePath(QStringLiteral("pki/") + file); }
    QString other(const QString &file) const { return m_root.filePath(QStringLiteral("other/") + file); }
    QString scratch();   // a fresh, not yet existing directory
    QString scratchWithCa();
    QSslConfiguration configuration(const QString &caFile, const QString &name, const QString &dir) const;
    Handshake handshake(const QSslConfiguration &server, const QSslConfiguration &client, const QString &peerName);
    void expectRefusedByServer(const Handshake &result, QSslError::SslError expected);

    QTemporaryDir m_root;
    int m_scratchCount = 0;
};

void TstCerts::initTestCase()
{
    QVERIFY(m_root.isValid());
    QVERIFY2(QSslSocket::supportsSsl(), "no TLS backend");
    QElapsedTimer clock;
    clock.start();
    try {
        createDeploymentCa(pki(), 30);
        issueCertificate(pki(), QStringLiteral("dc-east"));
        IssueOptions console;
        console.days = 30;
        issueCertificate(pki(), QStringLiteral("console"), console);
        IssueOptions expired;
        expired.days = 1;
        expired.notBeforeOffsetSeconds = -3 * 86400;
        expired.notAfterOffsetSeconds = -2 * 86400;    // expired yesterday
        issueCertificate(pki(), QStringLiteral("old-console"), expired);

        createDeploymentCa(m_root.filePath(QStringLiteral("other")));
        issueCertificate(m_root.filePath(QStringLiteral("other")), QStringLiteral("intruder"));
        issueCertificate(m_root.filePath(QStringLiteral("other")), QStringLiteral("dc-east"));
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    qDebug("CA and 6 certificates in %lld ms", clock.elapsed());
}

QString TstCerts::scratch()
{
    return m_root.filePath(QStringLiteral("scratch-%1").arg(++m_scratchCount));
}

QString TstCerts::scratchWithCa()
{
    const QString dir = scratch();
    createDeploymentCa(dir, 10);
    return dir;
}

// ---------------------------------------------------------------------------------------
// What is written

void TstCerts::caIsACertificateAuthority()
{
    const X509Ptr ca = loadCertificate(pki(QStringLiteral("ca.crt")));
    QVERIFY(ca);
    QCOMPARE(X509_check_ca(ca.get()), 1);
    QVERIFY(X509_get_extension_flags(ca.get()) & EXFLAG_CA);
    QVERIFY(X509_get_extension_flags(ca.get()) & EXFLAG_SS);   // self-signed
    QCOMPARE(X509_get_key_usage(ca.get()), uint32_t(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    QVERIFY(X509_get0_subject_key_id(ca.get()) != nullptr);
    int critical = -1;
    BASIC_CONSTRAINTS *constraints = static_cast<BASIC_CONSTRAINTS *>(X509_get_ext_d2i(ca.get(), NID_basic_constraints, &critical, nullptr));
    QVERIFY(constraints);
    QVERIFY(constraints->ca);
    BASIC_CONSTRAINTS_free(constraints);
    QCOMPARE(critical, 1);

    const QSslCertificate qt = QSslCertificate::fromPath(pki(QStringLiteral("ca.crt"))).value(0);
    QCOMPARE(commonName(qt), QStringLiteral("Ferry deployment CA"));
    QCOMPARE(qt.issuerDisplayName(), qt.subjectDisplayName());

    // A random serial of about 128 bits (more than 100 unless we are very unlucky).
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(ca.get()), nullptr);
    QVERIFY(BN_num_bits(serial) > 100 && BN_num_bits(serial) <= 128);
    BN_free(serial);
    const X509Ptr otherCa = loadCertificate(other(QStringLiteral("ca.crt")));
    QVERIFY(ASN1_INTEGER_cmp(X509_get0_serialNumber(ca.get()), X509_get0_serialNumber(otherCa.get())) != 0);

    const PKeyPtr key = loadKey(pki(QStringLiteral("ca.key")));
    QVERIFY(key);
    QCOMPARE(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_EC);
    QCOMPARE(EVP_PKEY_get_bits(key.get()), 256);
    QCOMPARE(X509_check_private_key(ca.get(), key.get()), 1);
    QVERIFY(readAll(pki(QStringLiteral("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----"));

    QCOMPARE(fileMode(pki(QStringLiteral("ca.key"))), 0600);
    QCOMPARE(fileMode(pki(QStringLiteral("ca.crt"))), 0644);
    // The CA's validity: 30 days from now (notBefore a little in the past for clock skew).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(qt.effectiveDate() <= now && qt.effectiveDate() > now.addSecs(-3600));
    QVERIFY(qAbs(qt.expiryDate().secsTo(now.addDays(30))) < 120);
}

void TstCerts::issuedCertificateChainsToTheCa()
{
    const QString ca = pki(QStringLiteral("ca.crt"));
    for (const QString &name : {QStringLiteral("dc-east"), QStringLiteral("console")}) {
        const QString cert = pki(name + QStringLiteral(".crt"));
        for (int purpose : {X509_PURPOSE_SSL_SERVER, X509_PURPOSE_SSL_CLIENT}) {
            int result = verifyChain(ca, cert, purpose);
            QVERIFY2(result == X509_V_OK, qPrintable(name + QStringLiteral(": ") + verifyText(result)));
            for (const QString &host : {name, QStringLiteral("localhost")}) {
                result = verifyChain(ca, cert, purpose, host);
                QVERIFY2(result == X509_V_OK, qPrintable(name + QStringLiteral(" as ") + host + QStringLiteral(": ") + verifyText(result)));
            }
            for (const QString &ip : {QStringLiteral("127.0.0.1"), QStringLiteral("::1")}) {
                result = verifyChain(ca, cert, purpose, {}, ip);
                QVERIFY2(result == X509_V_OK, qPrintable(name + QStringLiteral(" at ") + ip + QStringLiteral(": ") + verifyText(result)));
            }
        }
        // Not for another name, and not under the other deployment's CA.
        QCOMPARE(verifyChain(ca, cert, X509_PURPOSE_SSL_SERVER, QStringLiteral("dc-west")), int(X509_V_ERR_HOSTNAME_MISMATCH));
        QCOMPARE(verifyChain(ca, cert, X509_PURPOSE_SSL_SERVER, {}, QStringLiteral("10.0.0.1")), int(X509_V_ERR_IP_ADDRESS_MISMATCH));
        QVERIFY(verifyChain(other(QStringLiteral("ca.crt")), cert, X509_PURPOSE_SSL_SERVER) != X509_V_OK);

        const X509Ptr leaf = loadCertificate(cert);
        const X509Ptr caCert = loadCertificate(ca);
        QCOMPARE(X509_check_ca(leaf.get()), 0);
        QCOMPARE(X509_get_extended_key_usage(leaf.get()) & (XKU_SSL_SERVER | XKU_SSL_CLIENT), uint32_t(XKU_SSL_SERVER | XKU_SSL_CLIENT));
        QVERIFY(X509_get0_authority_key_id(leaf.get()) != nullptr);
        QCOMPARE(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(leaf.get()), X509_get0_subject_key_id(caCert.get())), 0);
        QCOMPARE(X509_check_issued(caCert.get(), leaf.get()), int(X509_V_OK));

        const PKeyPtr key = loadKey(pki(name + QStringLiteral(".key")));
        QVERIFY(key);
        QCOMPARE(EVP_PKEY_get_base_id(key.get()), EVP_PKEY_EC);
        QCOMPARE(EVP_PKEY_get_bits(key.get()), 256);
        QCOMPARE(X509_check_private_key(leaf.get(), key.get()), 1);
        QCOMPARE(fileMode(pki(name + QStringLiteral(".key"))), 0600);
        QCOMPARE(fileMode(cert), 0644);

        const QSslCertificate qt = QSslCertificate::fromPath(cert).value(0);
        QCOMPARE(commonName(qt), name);
        QCOMPARE(qt.issuerInfo(QSslCertificate::CommonName).value(0), QStringLiteral("Ferry deployment CA"));
        const auto names = qt.subjectAlternativeNames();
        QCOMPARE(names.values(QSsl::DnsEntry).size(), 2);
        QVERIFY(names.contains(QSsl::DnsEntry, name));
        QVERIFY(names.contains(QSsl::DnsEntry, QStringLiteral("localhost")));
        QCOMPARE(names.values(QSsl::IpAddressEntry).size(), 2);
        QVERIFY(names.contains(QSsl::IpAddressEntry, QStringLiteral("127.0.0.1")));
        QVERIFY(names.contains(QSsl::IpAddressEntry, QStringLiteral("::1")) || names.contains(QSsl::IpAddressEntry, QStringLiteral("0:0:0:0:0:0:0:1")));
    }
    // Default validity 825 days.
    const QSslCertificate east = QSslCertificate::fromPath(pki(QStringLiteral("dc-east.crt"))).value(0);
    QVERIFY(qAbs(east.expiryDate().secsTo(QDateTime::currentDateTimeUtc().addDays(825))) < 120);
}

void TstCerts::extraNamesAndValidity()
{
    const QString dir = scratchWithCa();
    IssueOptions options;
    options.days = 7;
    options.dnsNames = {QStringLiteral("east.example.com"), QStringLiteral("*.east.example.com"), QStringLiteral("LOCALHOST"), QStringLiteral("dc-east")};
    options.ipAddresses = {QStringLiteral("10.1.2.3"), QStringLiteral("2001:db8::7"), QStringLiteral("127.0.0.1")};
    CertificateFiles files;
    try {
        files = issueCertificate(dir, QStringLiteral("dc-east"), options);
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    QCOMPARE(files.certificateFile, QDir(dir).filePath(QStringLiteral("dc-east.crt")));
    QCOMPARE(files.keyFile, QDir(dir).filePath(QStringLiteral("dc-east.key")));
    QCOMPARE(files.subject, QStringLiteral("dc-east"));
    // Repeats are dropped, the defaults come first.
    QCOMPARE(files.alternativeNames, QStringList({QStringLiteral("DNS:dc-east"), QStringLiteral("DNS:localhost"), QStringLiteral("DNS:east.example.com"),
                                                  QStringLiteral("DNS:*.east.example.com"), QStringLiteral("IP:127.0.0.1"), QStringLiteral("IP:::1"),
                                                  QStringLiteral("IP:10.1.2.3"), QStringLiteral("IP:2001:db8::7")}));
    QVERIFY(qAbs(files.notAfter.secsTo(QDateTime::currentDateTimeUtc().addDays(7))) < 120);

    const QString ca = QDir(dir).filePath(QStringLiteral("ca.crt"));
    QCOMPARE(verifyChain(ca, files.certificateFile, X509_PURPOSE_SSL_SERVER, QStringLiteral("east.example.com")), int(X509_V_OK));
    QCOMPARE(verifyChain(ca, files.certificateFile, X509_PURPOSE_SSL_SERVER, QStringLiteral("api.east.example.com")), int(X509_V_OK));
    QCOMPARE(verifyChain(ca, files.certificateFile, X509_PURPOSE_SSL_CLIENT, {}, QStringLiteral("10.1.2.3")), int(X509_V_OK));
    QCOMPARE(verifyChain(ca, files.certificateFile, X509_PURPOSE_SSL_CLIENT, {}, QStringLiteral("2001:db8:0::7")), int(X509_V_OK));
    const QSslCertificate qt = QSslCertificate::fromPath(files.certificateFile).value(0);
    QCOMPARE(qt.subjectAlternativeNames().values(QSsl::DnsEntry).size(), 4);
    QCOMPARE(qt.subjectAlternativeNames().values(QSsl::IpAddressEntry).size(), 4);
}

void TstCerts::expiredCertificateIsExpired()
{
    const QString cert = pki(QStringLiteral("old-console.crt"));
    QCOMPARE(verifyChain(pki(QStringLiteral("ca.crt")), cert, X509_PURPOSE_SSL_CLIENT), int(X509_V_ERR_CERT_HAS_EXPIRED));
    const QSslCertificate qt = QSslCertificate::fromPath(cert).value(0);
    QVERIFY(qt.expiryDate() < QDateTime::currentDateTimeUtc().addDays(-1));
}

void TstCerts::modesDoNotDependOnTheUmask()
{
    for (mode_t mask : {mode_t(0), mode_t(077), mode_t(0277)}) {
        const mode_t saved = ::umask(mask);
        QString dir;
        try {
            dir = scratchWithCa();
            issueCertificate(dir, QStringLiteral("node"));
        } catch (const FerryError &error) {
            ::umask(saved);
            QFAIL(qPrintable(error.message()));
        }
        ::umask(saved);
        const QString context = QStringLiteral("umask %1").arg(mask, 3, 8, QLatin1Char('0'));
        QVERIFY2(fileMode(QDir(dir).filePath(QStringLiteral("ca.key"))) == 0600, qPrintable(context));
        QVERIFY2(fileMode(QDir(dir).filePath(QStringLiteral("node.key"))) == 0600, qPrintable(context));
        QVERIFY2(fileMode(QDir(dir).filePath(QStringLiteral("ca.crt"))) == 0644, qPrintable(context));
        QVERIFY2(fileMode(QDir(dir).filePath(QStringLiteral("node.crt"))) == 0644, qPrintable(context));
        // And nothing else: the temporaries are gone.
        QCOMPARE(snapshot(dir).keys(), QStringList({QStringLiteral("ca.crt"), QStringLiteral("ca.key"), QStringLiteral("node.crt"), QStringLiteral("node.key")}));
    }
}

void TstCerts::caDirectoryIsCreated()
{
    const QString dir = scratch() + QStringLiteral("/deep/er");
    CertificateFiles files;
    try {
        files = createDeploymentCa(dir, 10);
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    QCOMPARE(files.certificateFile, QDir(dir).filePath(QStringLiteral("ca.crt")));
    QCOMPARE(files.keyFile, QDir(dir).filePath(QStringLiteral("ca.key")));
    QVERIFY(QFileInfo(files.certificateFile).isFile());
    QCOMPARE(fileMode(dir), 0700);

    // A directory that cannot be created (its parent is a file): an error, nothing created.
    const QString base = scratch();
    QVERIFY(QDir().mkpath(base));
    writeAll(base + QStringLiteral("/file"), "x");
    const auto before = snapshot(base);
    expectFerryError([&] { createDeploymentCa(base + QStringLiteral("/file/pki")); }, {base + QStringLiteral("/file")});
    QCOMPARE(snapshot(base), before);
}

// ---------------------------------------------------------------------------------------
// What is refused

void TstCerts::refusesToOverwriteTheCa()
{
    const auto before = snapshot(pki());
    expectFerryError([&] { createDeploymentCa(pki()); }, {pki(QStringLiteral("ca.key")), QStringLiteral("already exists")});
    QCOMPARE(snapshot(pki()), before);

    // Only one of the two present: still refused, naming that one, and the other not created.
    const QString dir = scratchWithCa();
    QVERIFY(QFile::remove(QDir(dir).filePath(QStringLiteral("ca.key"))));
    auto partial = snapshot(dir);
    expectFerryError([&] { createDeploymentCa(dir); }, {QDir(dir).filePath(QStringLiteral("ca.crt")), QStringLiteral("already exists")});
    QCOMPARE(snapshot(dir), partial);

    // A dangling symlink counts as taken (writing through it could land anywhere).
    const QString linked = scratch();
    QVERIFY(QDir().mkpath(linked));
    QVERIFY(QFile::link(m_root.filePath(QStringLiteral("nowhere")), QDir(linked).filePath(QStringLiteral("ca.key"))));
    partial = snapshot(linked);
    expectFerryError([&] { createDeploymentCa(linked); }, {QDir(linked).filePath(QStringLiteral("ca.key"))});
    QCOMPARE(snapshot(linked), partial);
    QVERIFY(!QFileInfo::exists(m_root.filePath(QStringLiteral("nowhere"))));
}

void TstCerts::refusesToOverwriteACertificate()
{
    const auto before = snapshot(pki());
    expectFerryError([&] { issueCertificate(pki(), QStringLiteral("dc-east")); }, {pki(QStringLiteral("dc-east.key")), QStringLiteral("already exists")});
    QCOMPARE(snapshot(pki()), before);

    // NAME.crt alone (say, its key was moved to the node): refused, no NAME.key appears.
    const QString dir = scratchWithCa();
    writeAll(QDir(dir).filePath(QStringLiteral("node.crt")), "not touched\n");
    const auto partial = snapshot(dir);
    expectFerryError([&] { issueCertificate(dir, QStringLiteral("node")); }, {QDir(dir).filePath(QStringLiteral("node.crt")), QStringLiteral("already exists")});
    QCOMPARE(snapshot(dir), partial);
}

void TstCerts::badNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("needle");
    QTest::newRow("empty") << QString() << QStringLiteral("\"\" is not a certificate name");
    QTest::newRow("leading dash") << QStringLiteral("-node") << QStringLiteral("\"-node\" is not a certificate name");
    QTest::newRow("leading dot") << QStringLiteral(".node") << QStringLiteral("\".node\" is not a certificate name");
    QTest::newRow("slash") << QStringLiteral("a/b") << QStringLiteral("\"a/b\" is not a certificate name");
    QTest::newRow("parent") << QStringLiteral("../up") << QStringLiteral("\"../up\" is not a certificate name");
    QTest::newRow("space") << QStringLiteral("dc east") << QStringLiteral("\"dc east\" is not a certificate name");
    QTest::newRow("newline") << QStringLiteral("node\n") << QStringLiteral("is not a certificate name");
    QTest::newRow("non-ASCII") << QStringLiteral("n\u00f6de") << QStringLiteral("is not a certificate name");
    QTest::newRow("64 characters") << QString(64, QLatin1Char('a')) << QStringLiteral("at most 63");
    QTest::newRow("ca") << QStringLiteral("ca") << QStringLiteral("\"ca\" is reserved");
    QTest::newRow("CA") << QStringLiteral("CA") << QStringLiteral("\"CA\" is reserved");
    QTest::newRow("not a DNS name") << QStringLiteral("a..b") << QStringLiteral("\"a..b\" is not a DNS name");
}

void TstCerts::badNames()
{
    QFETCH(QString, name);
    QFETCH(QString, needle);
    const auto before = snapshot(pki());
    expectFerryError([&] { issueCertificate(pki(), name); }, {needle});
    QCOMPARE(snapshot(pki()), before);
    QVERIFY(!isValidCertificateName(name) || name == QLatin1String("a..b"));
}

void TstCerts::badAlternativeNames_data()
{
    QTest::addColumn<QStringList>("dns");
    QTest::addColumn<QStringList>("ip");
    QTest::addColumn<QString>("needle");
    QTest::newRow("dns with space") << QStringList{QStringLiteral("east example")} << QStringList() << QStringLiteral("\"east example\" is not a DNS name");
    QTest::newRow("dns leading dash") << QStringList{QStringLiteral("-east.example")} << QStringList() << QStringLiteral("\"-east.example\" is not a DNS name");
    QTest::newRow("dns empty label") << QStringList{QStringLiteral("east..example")} << QStringList() << QStringLiteral("\"east..example\" is not a DNS name");
    QTest::newRow("dns with comma") << QStringList{QStringLiteral("a,IP:1.2.3.4")} << QStringList() << QStringLiteral("is not a DNS name");
    QTest::newRow("ip short form") << QStringList() << QStringList{QStringLiteral("10.1")} << QStringLiteral("\"10.1\" is not an IP address");
    QTest::newRow("ip three parts") << QStringList() << QStringList{QStringLiteral("1.2.3")} << QStringLiteral("\"1.2.3\" is not an IP address");
    QTest::newRow("ip out of range") << QStringList() << QStringList{QStringLiteral("300.1.1.1")} << QStringLiteral("\"300.1.1.1\" is not an IP address");
    QTest::newRow("ip with scope") << QStringList() << QStringList{QStringLiteral("fe80::1%eth0")} << QStringLiteral("\"fe80::1%eth0\" is not an IP address");
    QTest::newRow("ip is a name") << QStringList() << QStringList{QStringLiteral("east.example")} << QStringLiteral("\"east.example\" is not an IP address");
}

void TstCerts::badAlternativeNames()
{
    QFETCH(QStringList, dns);
    QFETCH(QStringList, ip);
    QFETCH(QString, needle);
    IssueOptions options;
    options.dnsNames = dns;
    options.ipAddresses = ip;
    const auto before = snapshot(pki());
    expectFerryError([&] { issueCertificate(pki(), QStringLiteral("node"), options); }, {needle});
    QCOMPARE(snapshot(pki()), before);
}

void TstCerts::badDays()
{
    const auto before = snapshot(pki());
    for (int days : {0, -1, maxCertificateDays + 1}) {
        IssueOptions options;
        options.days = days;
        expectFerryError([&] { issueCertificate(pki(), QStringLiteral("node"), options); }, {QString::number(days), QStringLiteral("days")});
    }
    QCOMPARE(snapshot(pki()), before);
    const QString dir = scratch();
    expectFerryError([&] { createDeploymentCa(dir, 0); }, {QStringLiteral("0 days")});
    QVERIFY(!QFileInfo::exists(dir));
}

void TstCerts::missingCa()
{
    // A directory that does not exist is not created.
    const QString missing = scratch();
    expectFerryError([&] { issueCertificate(missing, QStringLiteral("node")); },
                     {QStringLiteral("no deployment CA in ") + missing, QDir(missing).filePath(QStringLiteral("ca.crt")), QStringLiteral("ferryctl certs init")});
    QVERIFY(!QFileInfo::exists(missing));

    // An empty directory stays empty.
    const QString empty = scratch();
    QVERIFY(QDir().mkpath(empty));
    expectFerryError([&] { issueCertificate(empty, QStringLiteral("node")); }, {QDir(empty).filePath(QStringLiteral("ca.crt"))});
    QVERIFY(snapshot(empty).isEmpty());

    // The certificate without its key.
    const QString keyless = scratchWithCa();
    QVERIFY(QFile::remove(QDir(keyless).filePath(QStringLiteral("ca.key"))));
    const auto before = snapshot(keyless);
    expectFerryError([&] { issueCertificate(keyless, QStringLiteral("node")); }, {QDir(keyless).filePath(QStringLiteral("ca.key")), QStringLiteral("does not exist")});
    QCOMPARE(snapshot(keyless), before);
}

void TstCerts::brokenCa()
{
    auto expectRefused = [&](const QString &dir, const QStringList &needles) {
        const auto before = snapshot(dir);
        expectFerryError([&] { issueCertificate(dir, QStringLiteral("node")); }, needles);
        QCOMPARE(snapshot(dir), before);
    };

    // Not PEM.
    QString dir = scratchWithCa();
    writeAll(QDir(dir).filePath(QStringLiteral("ca.crt")), "garbage\n");
    expectRefused(dir, {QDir(dir).filePath(QStringLiteral("ca.crt")), QStringLiteral("not a PEM certificate")});
    dir = scratchWithCa();
    writeAll(QDir(dir).filePath(QStringLiteral("ca.key")), readAll(QDir(dir).filePath(QStringLiteral("ca.crt"))));
    expectRefused(dir, {QDir(dir).filePath(QStringLiteral("ca.key")), QStringLiteral("not an unencrypted PEM private key")});

    // Unreadable (a directory where the file should be; root reads any file).
    dir = scratchWithCa();
    QVERIFY(QFile::remove(QDir(dir).filePath(QStringLiteral("ca.crt"))));
    QVERIFY(QDir(dir).mkdir(QStringLiteral("ca.crt")));
    expectRefused(dir, {QDir(dir).filePath(QStringLiteral("ca.crt")), QStringLiteral("cannot read")});

    // The key of another CA.
    dir = scratchWithCa();
    QVERIFY(QFile::remove(QDir(dir).filePath(QStringLiteral("ca.key"))));
    QVERIFY(QFile::copy(other(QStringLiteral("ca.key")), QDir(dir).filePath(QStringLiteral("ca.key"))));
    expectRefused(dir, {QDir(dir).filePath(QStringLiteral("ca.key")), QStringLiteral("does not match the CA certificate"), QDir(dir).filePath(QStringLiteral("ca.crt"))});

    // A node certificate in place of the CA's.
    dir = scratch();
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::copy(pki(QStringLiteral("dc-east.crt")), QDir(dir).filePath(QStringLiteral("ca.crt"))));
    QVERIFY(QFile::copy(pki(QStringLiteral("dc-east.key")), QDir(dir).filePath(QStringLiteral("ca.key"))));
    expectRefused(dir, {QDir(dir).filePath(QStringLiteral("ca.crt")), QStringLiteral("is not a CA certificate")});

    // An encrypted CA key is an error, not a pass phrase prompt.
    dir = scratchWithCa();
    {
        const PKeyPtr key = loadKey(QDir(dir).filePath(QStringLiteral("ca.key")));
        QVERIFY(key);
        BIO *bio = BIO_new(BIO_s_mem());
        const char passphrase[] = "secret";
        QCOMPARE(PEM_write_bio_PKCS8PrivateKey(bio, key.get(), EVP_aes_256_cbc(), passphrase, int(sizeof passphrase - 1), nullptr, nullptr), 1);
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        writeAll(QDir(dir).filePath(QStringLiteral("ca.key")), QByteArray(data, size));
        BIO_free(bio);
    }
    expectRefused(dir, {QDir(dir).filePath(QStringLiteral("ca.key")), QStringLiteral("not an unencrypted PEM private key")});
}

// ---------------------------------------------------------------------------------------
// mutualTlsConfiguration

QSslConfiguration TstCerts::configuration(const QString &caFile, const QString &name, const QString &dir) const
{
    return mutualTlsConfiguration(caFile, QDir(dir).filePath(name + QStringLiteral(".crt")), QDir(dir).filePath(name + QStringLiteral(".key")));
}

void TstCerts::tlsConfiguration()
{
    QSslConfiguration config;
    try {
        config = configuration(pki(QStringLiteral("ca.crt")), QStringLiteral("dc-east"), pki());
    } catch (const FerryError &error) {
        QFAIL(qPrintable(error.message()));
    }
    QCOMPARE(config.protocol(), QSsl::TlsV1_2OrLater);
    QCOMPARE(config.peerVerifyMode(), QSslSocket::VerifyPeer);
    const QList<QSslCertificate> cas = config.caCertificates();
    QCOMPARE(cas.size(), 1);
    QCOMPARE(cas.first(), QSslCertificate::fromPath(pki(QStringLiteral("ca.crt"))).value(0));
    QCOMPARE(commonName(config.localCertificate()), QStringLiteral("dc-east"));
    QVERIFY(!config.privateKey().isNull());
    QCOMPARE(config.privateKey().algorithm(), QSsl::Ec);
    QCOMPARE(config.privateKey().type(), QSsl::PrivateKey);
}

void TstCerts::tlsConfigurationErrors()
{
    const QString ca = pki(QStringLiteral("ca.crt"));
    const QString crt = pki(QStringLiteral("dc-east.crt"));
    const QString key = pki(QStringLiteral("dc-east.key"));
    const QString missing = m_root.filePath(QStringLiteral("missing.pem"));
    const QString garbage = m_root.filePath(QStringLiteral("garbage.pem"));
    writeAll(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");

    expectFerryError([&] { mutualTlsConfiguration(missing, crt, key); }, {missing, QStringLiteral("no such file")});
    expectFerryError([&] { mutualTlsConfiguration(ca, missing, key); }, {missing, QStringLiteral("no such file")});
    expectFerryError([&] { mutualTlsConfiguration(ca, crt, missing); }, {missing, QStringLiteral("no such file")});
    expectFerryError([&] { mutualTlsConfiguration(garbage, crt, key); }, {garbage, QStringLiteral("not a PEM certificate")});
    expectFerryError([&] { mutualTlsConfiguration(ca, garbage, key); }, {garbage, QStringLiteral("not a PEM certificate")});
    expectFerryError([&] { mutualTlsConfiguration(ca, crt, garbage); }, {garbage, QStringLiteral("not an unencrypted PEM private key")});
    expectFerryError([&] { mutualTlsConfiguration(ca, key, key); }, {key, QStringLiteral("not a PEM certificate")});
    expectFerryError([&] { mutualTlsConfiguration(ca, crt, crt); }, {crt, QStringLiteral("not an unencrypted PEM private key")});
    expectFerryError([&] { mutualTlsConfiguration(crt, crt, key); }, {crt, QStringLiteral("not a CA certificate")});
    expectFerryError([&] { mutualTlsConfiguration(pki(), crt, key); }, {pki(), QStringLiteral("directory")});
    // A key that belongs to another certificate.
    expectFerryError([&] { mutualTlsConfiguration(ca, crt, pki(QStringLiteral("console.key"))); },
                     {pki(QStringLiteral("console.key")), crt, QStringLiteral("does not match")});
}

// ---------------------------------------------------------------------------------------
// Mutual TLS over loopback

Handshake TstCerts::handshake(const QSslConfiguration &serverConfig, const QSslConfiguration &clientConfig, const QString &peerName)
{
    Handshake result;
    QSslServer server;
    server.setSslConfiguration(serverConfig);
    server.setHandshakeTimeout(timeoutMs);
    if (!server.listen(QHostAddress::LocalHost)) {
        result.serverErrors.append(QStringLiteral("listen: ") + server.errorString());
        return result;
    }
    QObject::connect(&server, &QSslServer::sslErrors, &server, [&](QSslSocket *, const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            result.serverErrors.append(QStringLiteral("sslError %1: %2").arg(int(error.error())).arg(error.errorString()));
    });
    QObject::connect(&server, &QSslServer::errorOccurred, &server, [&](QSslSocket *socket, QAbstractSocket::SocketError error) {
        result.serverErrors.append(QStringLiteral("socket error %1: %2").arg(int(error)).arg(socket->errorString()));
    });
    QSignalSpy accepted(&server, &QTcpServer::pendingConnectionAvailable);

    QSslSocket client;
    client.setSslConfiguration(clientConfig);
    QObject::connect(&client, &QSslSocket::sslErrors, &client, [&](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            result.clientErrors.append(QStringLiteral("sslError %1: %2").arg(int(error.error())).arg(error.errorString()));
    });
    QObject::connect(&client, &QSslSocket::errorOccurred, &client, [&](QAbstractSocket::SocketError error) {
        result.clientErrors.append(QStringLiteral("socket error %1: %2").arg(int(error)).arg(client.errorString()));
    });
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(), peerName);

    // Either both sides finish the handshake, or one of them gives up.
    QElapsedTimer clock;
    clock.start();
    auto settled = [&] {
        return (accepted.count() > 0 && encrypted.count() > 0) || !result.serverErrors.isEmpty()
               || (!result.clientErrors.isEmpty() && encrypted.count() == 0);
    };
    while (!settled() && clock.elapsed() < timeoutMs)
        QTest::qWait(10);
    result.clientEncrypted = encrypted.count() > 0;

    if (accepted.count() > 0 && result.clientEncrypted) {
        auto *peer = qobject_cast<QSslSocket *>(server.nextPendingConnection());
        if (!peer) {
            result.serverErrors.append(QStringLiteral("the pending connection is not a QSslSocket"));
            return result;
        }
        result.serverAccepted = peer->isEncrypted();
        result.serverSawPeer = commonName(peer->peerCertificate());
        result.clientSawPeer = commonName(client.peerCertificate());
        result.protocol = client.sessionProtocol();
        // A line each way proves both directions of the encrypted channel.
        client.write("ping\n");
        while (!peer->canReadLine() && clock.elapsed() < 2 * timeoutMs)
            QTest::qWait(10);
        if (peer->readLine() == "ping\n") {
            peer->write("pong\n");
            while (!client.canReadLine() && clock.elapsed() < 2 * timeoutMs)
                QTest::qWait(10);
            result.exchanged = client.readLine() == "pong\n";
        }
        delete peer;
        return result;
    }

    // Refused: the client ends up disconnected, whatever it believed about its own side
    // of the handshake (under TLS 1.3 the server checks the client's certificate after the
    // client has finished), and the server never offers the connection.
    if (result.clientEncrypted)
        client.write("ping\n");
    while (client.state() != QAbstractSocket::UnconnectedState && clock.elapsed() < 2 * timeoutMs)
        QTest::qWait(10);
    if (client.state() != QAbstractSocket::UnconnectedState)
        result.clientErrors.append(QStringLiteral("still connected after %1 ms").arg(clock.elapsed()));
    QTest::qWait(50);
    result.serverAccepted = accepted.count() > 0 || server.hasPendingConnections();
    return result;
}

void TstCerts::expectRefusedByServer(const Handshake &result, QSslError::SslError expected)
{
    qDebug("%s", qPrintable(result.describe()));
    QVERIFY2(!result.serverAccepted, qPrintable(result.describe()));
    QVERIFY2(!result.exchanged, qPrintable(result.describe()));
    const QString code = QStringLiteral("sslError %1:").arg(int(expected));
    QVERIFY2(std::any_of(result.serverErrors.begin(), result.serverErrors.end(), [&](const QString &e) { return e.startsWith(code); }),
             qPrintable(QStringLiteral("expected server error %1\n").arg(int(expected)) + result.describe()));
    QVERIFY2(!result.clientErrors.filter(QStringLiteral("still connected")).size(), qPrintable(result.describe()));
}

void TstCerts::mutualTlsAccepted()
{
    QElapsedTimer clock;
    clock.start();
    const QString ca = pki(QStringLiteral("ca.crt"));
    const QSslConfiguration node = configuration(ca, QStringLiteral("dc-east"), pki());
    const QSslConfiguration console = configuration(ca, QStringLiteral("console"), pki());
    Handshake result = handshake(node, console, QStringLiteral("dc-east"));
    QVERIFY2(result.serverAccepted && result.clientEncrypted && result.exchanged, qPrintable(result.describe()));
    QVERIFY2(result.serverErrors.isEmpty() && result.clientErrors.isEmpty(), qPrintable(result.describe()));
    QCOMPARE(result.serverSawPeer, QStringLiteral("console"));
    QCOMPARE(result.clientSawPeer, QStringLiteral("dc-east"));
    QVERIFY2(result.protocol == QSsl::TlsV1_2 || result.protocol == QSsl::TlsV1_3, qPrintable(QString::number(int(result.protocol))));

    // The other way round (the console's certificate serves, the node's is the client's),
    // and by the names every certificate carries.
    result = handshake(console, node, QStringLiteral("console"));
    QVERIFY2(result.serverAccepted && result.exchanged, qPrintable(result.describe()));
    QCOMPARE(result.serverSawPeer, QStringLiteral("dc-east"));
    result = handshake(node, console, QStringLiteral("localhost"));
    QVERIFY2(result.serverAccepted && result.exchanged, qPrintable(result.describe()));

    // Forced down to TLS 1.2 on the client: still accepted (both TLS versions work).
    QSslConfiguration tls12 = console;
    tls12.setProtocol(QSsl::TlsV1_2);
    result = handshake(node, tls12, QStringLiteral("dc-east"));
    QVERIFY2(result.serverAccepted && result.exchanged, qPrintable(result.describe()));
    QCOMPARE(result.protocol, QSsl::TlsV1_2);
    qDebug("4 handshakes in %lld ms", clock.elapsed());
}

void TstCerts::clientWithoutCertificateRefused()
{
    const QString ca = pki(QStringLiteral("ca.crt"));
    QSslConfiguration anonymous = configuration(ca, QStringLiteral("console"), pki());
    anonymous.setLocalCertificateChain({});
    anonymous.setPrivateKey(QSslKey());
    for (QSsl::SslProtocol protocol : {QSsl::TlsV1_2OrLater, QSsl::TlsV1_2}) {
        anonymous.setProtocol(protocol);
        const Handshake result = handshake(configuration(ca, QStringLiteral("dc-east"), pki()), anonymous, QStringLiteral("dc-east"));
        expectRefusedByServer(result, QSslError::NoPeerCertificate);
    }
}

void TstCerts::clientFromAnotherCaRefused()
{
    // The intruder trusts our CA and presents a certificate from its own.
    const QSslConfiguration intruder = mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), other(QStringLiteral("intruder.crt")), other(QStringLiteral("intruder.key")));
    const Handshake result = handshake(configuration(pki(QStringLiteral("ca.crt")), QStringLiteral("dc-east"), pki()), intruder, QStringLiteral("dc-east"));
    qDebug("%s", qPrintable(result.describe()));
    QVERIFY2(!result.serverAccepted && !result.exchanged, qPrintable(result.describe()));
    QVERIFY2(!result.serverErrors.isEmpty(), qPrintable(result.describe()));
    QVERIFY2(result.serverErrors.filter(QStringLiteral("sslError")).size() > 0, qPrintable(result.describe()));
}

void TstCerts::expiredClientRefused()
{
    const QString ca = pki(QStringLiteral("ca.crt"));
    const Handshake result = handshake(configuration(ca, QStringLiteral("dc-east"), pki()), configuration(ca, QStringLiteral("old-console"), pki()), QStringLiteral("dc-east"));
    expectRefusedByServer(result, QSslError::CertificateExpired);
}

void TstCerts::serverFromAnotherCaRefused()
{
    // A server with a certificate for the right name, from another deployment's CA.
    const QSslConfiguration impostor = mutualTlsConfiguration(pki(QStringLiteral("ca.crt")), other(QStringLiteral("dc-east.crt")), other(QStringLiteral("dc-east.key")));
    const Handshake result = handshake(impostor, configuration(pki(QStringLiteral("ca.crt")), QStringLiteral("console"), pki()), QStringLiteral("dc-east"));
    QVERIFY2(!result.serverAccepted && !result.clientEncrypted && !result.exchanged, qPrintable(result.describe()));
    QVERIFY2(result.clientErrors.filter(QStringLiteral("sslError")).size() > 0, qPrintable(result.describe()));
}

void TstCerts::serverWithAnotherNameRefused()
{
    const QString ca = pki(QStringLiteral("ca.crt"));
    const Handshake result = handshake(configuration(ca, QStringLiteral("dc-east"), pki()), configuration(ca, QStringLiteral("console"), pki()), QStringLiteral("dc-west"));
    QVERIFY2(!result.serverAccepted && !result.clientEncrypted && !result.exchanged, qPrintable(result.describe()));
    const QString code = QStringLiteral("sslError %1:").arg(int(QSslError::HostNameMismatch));
    QVERIFY2(result.clientErrors.filter(code).size() > 0, qPrintable(result.describe()));
}

// ---------------------------------------------------------------------------------------
// ferryctl certs

void TstCerts::ferryctlInitAndIssue()
{
    const QString dir = scratch() + QStringLiteral("/pki");
    Run run = ferryctl({QStringLiteral("certs"), QStringLiteral("init"), dir, QStringLiteral("--days"), QStringLiteral("100")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.out.contains(QDir(dir).filePath(QStringLiteral("ca.crt"))) && run.out.contains(QDir(dir).filePath(QStringLiteral("ca.key"))), qPrintable(run.out));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QSslCertificate ca = QSslCertificate::fromPath(QDir(dir).filePath(QStringLiteral("ca.crt"))).value(0);
    QVERIFY(qAbs(ca.expiryDate().secsTo(QDateTime::currentDateTimeUtc().addDays(100))) < 120);

    run = ferryctl({QStringLiteral("certs"), QStringLiteral("issue"), dir, QStringLiteral("dc-west"), QStringLiteral("--dns"), QStringLiteral("west.example.com"),
                    QStringLiteral("--ip"), QStringLiteral("192.0.2.10"), QStringLiteral("--dns"), QStringLiteral("w.example.com"), QStringLiteral("--ip"),
                    QStringLiteral("2001:db8::10"), QStringLiteral("--days"), QStringLiteral("30")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    const QString crt = QDir(dir).filePath(QStringLiteral("dc-west.crt"));
    QVERIFY2(run.out.contains(crt) && run.out.contains(QDir(dir).filePath(QStringLiteral("dc-west.key"))), qPrintable(run.out));
    QVERIFY2(run.out.contains(QLatin1String("DNS:west.example.com")) && run.out.contains(QLatin1String("IP:2001:db8::10")), qPrintable(run.out));
    QCOMPARE(fileMode(QDir(dir).filePath(QStringLiteral("dc-west.key"))), 0600);
    QCOMPARE(verifyChain(QDir(dir).filePath(QStringLiteral("ca.crt")), crt, X509_PURPOSE_SSL_SERVER, QStringLiteral("w.example.com")), int(X509_V_OK));
    QCOMPARE(verifyChain(QDir(dir).filePath(QStringLiteral("ca.crt")), crt, X509_PURPOSE_SSL_CLIENT, {}, QStringLiteral("192.0.2.10")), int(X509_V_OK));
    const QSslCertificate west = QSslCertificate::fromPath(crt).value(0);
    QVERIFY(qAbs(west.expiryDate().secsTo(QDateTime::currentDateTimeUtc().addDays(30))) < 120);

    // Defaults: 825 days.
    run = ferryctl({QStringLiteral("certs"), QStringLiteral("issue"), dir, QStringLiteral("console")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    const QSslCertificate console = QSslCertificate::fromPath(QDir(dir).filePath(QStringLiteral("console.crt"))).value(0);
    QVERIFY(qAbs(console.expiryDate().secsTo(QDateTime::currentDateTimeUtc().addDays(825))) < 120);

    // Help.
    for (const QStringList &arguments : {QStringList{QStringLiteral("certs"), QStringLiteral("--help")},
                                         QStringList{QStringLiteral("certs"), QStringLiteral("init"), QStringLiteral("--help")},
                                         QStringList{QStringLiteral("certs"), QStringLiteral("issue"), QStringLiteral("--help")}}) {
        run = ferryctl(arguments);
        QVERIFY2(run.exitCode == 0 && run.out.contains(QLatin1String("ferryctl certs")), qPrintable(arguments.join(QLatin1Char(' ')) + QLatin1Char('\n') + run.out + run.err));
    }
    QVERIFY(run.out.contains(QLatin1String("--dns")) && run.out.contains(QLatin1String("--ip")));
    run = ferryctl({QStringLiteral("--help")});
    QVERIFY2(run.out.contains(QLatin1String("certs init DIR")) && run.out.contains(QLatin1String("certs issue DIR NAME")), qPrintable(run.out));
}

void TstCerts::ferryctlErrors_data()
{
    // {pki} is the shared deployment directory, {new} a directory that does not exist.
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("needles");
    auto row = [](const char *name, const QStringList &arguments, const QStringList &needles) { QTest::newRow(name) << arguments << needles; };
    row("no subcommand", {"certs"}, {"init or issue", "Usage: ferryctl certs"});
    row("unknown subcommand", {"certs", "renew"}, {"\"renew\""});
    row("init without DIR", {"certs", "init"}, {"DIR"});
    row("init with two dirs", {"certs", "init", "{new}", "{new}2"}, {"DIR"});
    row("init over an existing CA", {"certs", "init", "{pki}"}, {"{pki}/ca.key", "already exists"});
    row("init with bad days", {"certs", "init", "{new}", "--days", "ten"}, {"--days", "\"ten\""});
    row("init with too many days", {"certs", "init", "{new}", "--days", "36501"}, {"--days", "\"36501\""});
    row("unknown option", {"certs", "init", "{new}", "--force"}, {"force"});
    row("issue without NAME", {"certs", "issue", "{pki}"}, {"DIR and NAME"});
    row("issue without CA", {"certs", "issue", "{new}", "node"}, {"no deployment CA", "{new}/ca.crt"});
    row("issue over existing", {"certs", "issue", "{pki}", "console"}, {"{pki}/console.key", "already exists"});
    row("issue bad name", {"certs", "issue", "{pki}", "../node"}, {"\"../node\" is not a certificate name"});
    row("issue as ca", {"certs", "issue", "{pki}", "ca"}, {"\"ca\" is reserved"});
    row("issue bad dns", {"certs", "issue", "{pki}", "node", "--dns", "a b"}, {"\"a b\" is not a DNS name"});
    row("issue bad ip", {"certs", "issue", "{pki}", "node", "--ip", "10.1"}, {"\"10.1\" is not an IP address"});
    row("issue dns without value", {"certs", "issue", "{pki}", "node", "--dns"}, {"dns"});
    row("issue bad days", {"certs", "issue", "{pki}", "node", "--days", "0"}, {"--days", "\"0\""});
}

void TstCerts::ferryctlErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, needles);
    const QString fresh = scratch();
    for (QStringList *list : {&arguments, &needles}) {
        for (QString &text : *list)
            text.replace(QLatin1String("{pki}"), pki()).replace(QLatin1String("{new}"), fresh);
    }
    const auto before = snapshot(pki());
    const Run run = ferryctl(arguments);
    const QString context = QStringLiteral("ferryctl %1\nexit %2\nstderr: %3\nstdout: %4").arg(arguments.join(QLatin1Char(' '))).arg(run.exitCode).arg(run.err, run.out);
    QVERIFY2(run.exitCode == 2, qPrintable(context));
    QVERIFY2(run.err.startsWith(QLatin1String("ferryctl: error: ")), qPrintable(context));
    for (const QString &needle : std::as_const(needles))
        QVERIFY2(run.err.contains(needle), qPrintable(QStringLiteral("stderr does not mention \"%1\"\n%2").arg(needle, context)));
    QVERIFY2(run.out.isEmpty(), qPrintable(context));
    QCOMPARE(snapshot(pki()), before);
    QVERIFY2(!QFileInfo::exists(fresh) && !QFileInfo::exists(fresh + QStringLiteral("2")), qPrintable(context));
}

void TstCerts::ferryctlSpeaksChinese()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("zh_CN"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("zh_CN.UTF-8"));
    env.remove(QStringLiteral("LC_ALL"));
    env.remove(QStringLiteral("LC_MESSAGES"));
    const Run run = ferryctl({QStringLiteral("certs"), QStringLiteral("init"), pki()}, env);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.startsWith(QStringLiteral("ferryctl：错误：") + pki(QStringLiteral("ca.key"))), qPrintable(run.err));
    QVERIFY2(!run.err.contains(QLatin1String("already exists")), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TstCerts)
#include "tst_certs.moc"
