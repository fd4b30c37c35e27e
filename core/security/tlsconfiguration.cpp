#include "security/tlsconfiguration.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <vector>

namespace ferry {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};

using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

constexpr qint64 maxPemFileSize = 1024 * 1024;

// Private key bytes, wiped from memory when they go out of scope.
struct SecretBytes
{
    QByteArray data;
    SecretBytes() = default;
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;
    ~SecretBytes()
    {
        if (!data.isEmpty())
            OPENSSL_cleanse(data.data(), size_t(data.size()));
    }
};

void readFile(const QString &path, QByteArray *data)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: no such file").arg(path));
    if (info.isDir())
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: is a directory, not a PEM file").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: cannot read: %2").arg(path, file.errorString()));
    if (file.size() > maxPemFileSize)
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: larger than 1 MiB, not a PEM file").arg(path));
    *data = file.read(maxPemFileSize + 1);
    if (file.error() != QFileDevice::NoError)
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: cannot read: %2").arg(path, file.errorString()));
}

// Every certificate in a PEM file, in order; FerryError when there is none or one is broken.
std::vector<X509Ptr> readCertificates(const QString &path)
{
    QByteArray pem;
    readFile(path, &pem);
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    std::vector<X509Ptr> certificates;
    ERR_clear_error();
    if (bio) {
        while (X509 *certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
            certificates.push_back(X509Ptr(certificate));
    }
    // The loop ends with "no start line" after the last certificate; anything else is damage.
    const unsigned long error = ERR_peek_last_error();
    const bool clean = ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
    ERR_clear_error();
    if (certificates.empty() || !clean)
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not a PEM certificate file").arg(path));
    return certificates;
}

QList<QSslCertificate> toQt(const std::vector<X509Ptr> &certificates, const QString &path)
{
    QList<QSslCertificate> result;
    for (const X509Ptr &certificate : certificates) {
        BioPtr bio(BIO_new(BIO_s_mem()));
        if (!bio || PEM_write_bio_X509(bio.get(), certificate.get()) != 1) {
            ERR_clear_error();
            throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not a PEM certificate file").arg(path));
        }
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        const QSslCertificate converted(QByteArray(data, qsizetype(size)), QSsl::Pem);
        if (converted.isNull())
            throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not a PEM certificate file").arg(path));
        result.append(converted);
    }
    return result;
}

// Never prompts on the terminal for a pass phrase: an encrypted key is an error.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

} // namespace

QSslConfiguration mutualTlsConfiguration(const QString &caFile, const QString &certFile, const QString &keyFile)
{
    const std::vector<X509Ptr> caCertificates = readCertificates(caFile);
    for (const X509Ptr &ca : caCertificates) {
        if (X509_check_ca(ca.get()) < 1)
            throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not a CA certificate").arg(caFile));
    }
    const std::vector<X509Ptr> chain = readCertificates(certFile);

    PKeyPtr key;
    QSsl::KeyAlgorithm algorithm = QSsl::Opaque;
    SecretBytes keyPem;
    {
        SecretBytes fileData;
        readFile(keyFile, &fileData.data);
        BioPtr bio(BIO_new_mem_buf(fileData.data.constData(), int(fileData.data.size())));
        key.reset(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
        ERR_clear_error();
        if (!key)
            throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not an unencrypted PEM private key").arg(keyFile));
        switch (EVP_PKEY_get_base_id(key.get())) {
        case EVP_PKEY_EC: algorithm = QSsl::Ec; break;
        case EVP_PKEY_RSA: algorithm = QSsl::Rsa; break;
        case EVP_PKEY_DSA: algorithm = QSsl::Dsa; break;
        default:
            throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: unsupported kind of private key (use EC or RSA)").arg(keyFile));
        }
        // Handed to Qt as unencrypted PKCS#8, whatever PEM flavour the file used.
        BioPtr out(BIO_new(BIO_s_secmem()));
        if (!out || PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
            ERR_clear_error();
            throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not an unencrypted PEM private key").arg(keyFile));
        }
        char *data = nullptr;
        const long size = BIO_get_mem_data(out.get(), &data);
        keyPem.data = QByteArray(data, qsizetype(size));
    }
    if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
        ERR_clear_error();
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1 does not match the certificate %2 (the key belongs to another certificate)").arg(keyFile, certFile));
    }
    const QSslKey privateKey(keyPem.data, algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (privateKey.isNull())
        throw FerryError(QCoreApplication::translate("TlsConfiguration", "%1: not an unencrypted PEM private key").arg(keyFile));

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    // Replaces the system's CAs and turns off loading them on demand: only the
    // deployment CA is trusted.
    configuration.setCaCertificates(toQt(caCertificates, caFile));
    configuration.setLocalCertificateChain(toQt(chain, certFile));
    configuration.setPrivateKey(privateKey);
    return configuration;
}

QString peerCertificateProblem(const QSslCertificate &peer, const QList<QSslCertificate> &deploymentCas)
{
    auto *leaf = static_cast<X509 *>(peer.handle());
    if (!leaf)
        return QCoreApplication::translate("TlsConfiguration", "no certificate");
    if (X509_check_ca(leaf) != 0)
        return QCoreApplication::translate("TlsConfiguration", "the certificate \"%1\" is a CA certificate, not one of a node or a user").arg(certificateName(peer));
    for (const QSslCertificate &ca : deploymentCas) {
        auto *root = static_cast<X509 *>(ca.handle());
        if (root && X509_NAME_cmp(X509_get_issuer_name(leaf), X509_get_subject_name(root)) == 0 && X509_check_issued(root, leaf) == X509_V_OK)
            return QString();
    }
    return QCoreApplication::translate("TlsConfiguration", "the certificate \"%1\" was not issued by the deployment CA itself (issuer: %2)")
        .arg(certificateName(peer), peer.issuerDisplayName());
}

QString certificateName(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return QString();
    return certificate.subjectInfo(QSslCertificate::CommonName).value(0);
}

} // namespace ferry
