#include "security/certificates.h"

#include "util/ferryerror.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, Deleter<GENERAL_NAME, GENERAL_NAME_free>>;

const char caCommonName[] = "Ferry deployment CA";
constexpr qint64 maxPemFileSize = 1024 * 1024;
// notBefore lies this far in the past, so that a node whose clock is a little behind the
// issuing machine's accepts a certificate issued a moment ago.
constexpr long clockSkewSeconds = 300;

// The pending OpenSSL errors as one line (and the queue cleared).
QString openSslErrors()
{
    QStringList parts;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        parts.append(QString::fromLatin1(buffer));
    }
    return parts.isEmpty() ? QStringLiteral("OpenSSL") : parts.join(QLatin1String("; "));
}

[[noreturn]] void failOpenSsl(const QString &what)
{
    throw FerryError(QCoreApplication::translate("Certificates", "%1 failed: %2").arg(what, openSslErrors()));
}

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool pathExists(const QString &path)
{
    struct stat info;
    // lstat: a dangling symlink counts as taken, too.
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0;
}

void checkDays(int days)
{
    if (days < 1 || days > maxCertificateDays)
        throw FerryError(QCoreApplication::translate("Certificates", "a validity of %1 days is out of range (1 to %2)").arg(days).arg(maxCertificateDays));
}

// ---- Files written all or nothing ------------------------------------------------------

// Files are written under temporary names in the target directory, then moved to their
// final names without replacing anything. Until commit() succeeds, the destructor removes
// every temporary file and every file already moved into place.
class PendingFiles
{
public:
    explicit PendingFiles(const QString &dir) : m_dir(dir) {}
    PendingFiles(const PendingFiles &) = delete;
    PendingFiles &operator=(const PendingFiles &) = delete;

    ~PendingFiles()
    {
        if (m_committed)
            return;
        for (const Entry &entry : std::as_const(m_entries)) {
            if (!entry.temporary.isEmpty())
                ::unlink(QFile::encodeName(entry.temporary).constData());
            if (entry.placed)
                ::unlink(QFile::encodeName(entry.final).constData());
        }
        // Directories this call created, innermost first; rmdir only removes empty ones.
        for (auto it = m_createdDirs.crbegin(); it != m_createdDirs.crend(); ++it)
            ::rmdir(QFile::encodeName(*it).constData());
    }

    // Creates the directory (and missing parents, mode 0700) unless it exists.
    void ensureDirectory()
    {
        const QString absolute = QFileInfo(m_dir).absoluteFilePath();
        QStringList missing;
        for (QString path = QDir::cleanPath(absolute); !pathExists(path); path = QFileInfo(path).path()) {
            missing.prepend(path);
            if (QFileInfo(path).path() == path)
                break;
        }
        for (const QString &path : std::as_const(missing)) {
            if (::mkdir(QFile::encodeName(path).constData(), 0700) == 0) {
                m_createdDirs.append(path);
                // Exactly 0700, whatever the umask took away (the owner must be able to write).
                ::chmod(QFile::encodeName(path).constData(), 0700);
            } else if (errno != EEXIST) {
                throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot create the directory: %2").arg(path, systemError(errno)));
            }
        }
        checkDirectory();
    }

    void checkDirectory() const
    {
        const QFileInfo info(m_dir);
        if (!info.exists())
            throw FerryError(QCoreApplication::translate("Certificates", "%1: no such directory").arg(m_dir));
        if (!info.isDir())
            throw FerryError(QCoreApplication::translate("Certificates", "%1: not a directory").arg(m_dir));
    }

    // Refuses up front when the final name is taken (commit() checks again, atomically).
    void refuseExisting(const QString &fileName) const
    {
        const QString path = filePath(fileName);
        if (pathExists(path))
            throw FerryError(QCoreApplication::translate("Certificates", "%1 already exists; it is never overwritten (move it away first)").arg(path));
    }

    QString filePath(const QString &fileName) const { return QDir(m_dir).filePath(fileName); }

    // Writes data to a new temporary file in the directory with exactly the given mode
    // (the file is created with that mode, so a key is never readable by others).
    void write(const QString &fileName, const QByteArray &data, mode_t mode)
    {
        Entry entry;
        entry.final = filePath(fileName);
        int fd = -1;
        for (int attempt = 0; fd < 0; ++attempt) {
            entry.temporary = filePath(QStringLiteral(".%1.tmp-%2").arg(fileName).arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0')));
            fd = ::open(QFile::encodeName(entry.temporary).constData(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
            if (fd < 0 && (errno != EEXIST || attempt >= 10)) {
                const int error = errno;
                throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot create a file in this directory: %2").arg(m_dir, systemError(error)));
            }
        }
        m_entries.append(entry);   // from here on the destructor removes it
        auto fail = [&](int error) {
            ::close(fd);
            throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot write: %2").arg(entry.final, systemError(error)));
        };
        // The umask may have taken bits away from a certificate's 0644; set them exactly.
        if (::fchmod(fd, mode) != 0)
            fail(errno);
        const char *p = data.constData();
        qsizetype left = data.size();
        while (left > 0) {
            const ssize_t n = ::write(fd, p, size_t(left));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                fail(errno);
            }
            p += n;
            left -= n;
        }
        if (::fsync(fd) != 0)
            fail(errno);
        if (::close(fd) != 0)
            throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot write: %2").arg(entry.final, systemError(errno)));
    }

    // Moves every temporary file to its final name, never replacing an existing file.
    void commit()
    {
        for (Entry &entry : m_entries) {
            const QByteArray from = QFile::encodeName(entry.temporary);
            const QByteArray to = QFile::encodeName(entry.final);
            int result = ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE);
            if (result != 0 && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP)) {
                // A file system without RENAME_NOREPLACE: link() never replaces either.
                result = ::link(from.constData(), to.constData());
                if (result == 0)
                    ::unlink(from.constData());
            }
            if (result != 0) {
                const int error = errno;
                if (error == EEXIST)
                    throw FerryError(QCoreApplication::translate("Certificates", "%1 already exists; it is never overwritten (move it away first)").arg(entry.final));
                throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot create: %2").arg(entry.final, systemError(error)));
            }
            entry.temporary.clear();
            entry.placed = true;
        }
        m_committed = true;
        // Best effort: make the new directory entries durable.
        const int dirFd = ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirFd >= 0) {
            ::fsync(dirFd);
            ::close(dirFd);
        }
    }

private:
    struct Entry
    {
        QString temporary;
        QString final;
        bool placed = false;
    };

    QString m_dir;
    QList<Entry> m_entries;
    QStringList m_createdDirs;
    bool m_committed = false;
};

// ---- OpenSSL helpers --------------------------------------------------------------------

PKeyPtr generateKey()
{
    PKeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        failOpenSsl(QCoreApplication::translate("Certificates", "generating an EC P-256 key"));
    return key;
}

// Private key bytes, wiped from memory when they go out of scope.
struct SecretBytes
{
    QByteArray data;
    SecretBytes() = default;
    explicit SecretBytes(QByteArray bytes) : data(std::move(bytes)) {}
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;
    ~SecretBytes()
    {
        if (!data.isEmpty())
            OPENSSL_cleanse(data.data(), size_t(data.size()));
    }
};

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray certificatePem(X509 *certificate)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "encoding the certificate"));
    return bioContents(bio.get());
}

void privateKeyPem(EVP_PKEY *key, SecretBytes *pem)
{
    // Unencrypted PKCS#8 ("BEGIN PRIVATE KEY"): nodes start unattended.
    BioPtr bio(BIO_new(BIO_s_secmem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "encoding the private key"));
    pem->data = bioContents(bio.get());
}

void setRandomSerial(X509 *certificate)
{
    unsigned char bytes[16];
    BignumPtr serial;
    do {
        if (RAND_bytes(bytes, sizeof bytes) != 1)
            failOpenSsl(QCoreApplication::translate("Certificates", "generating a serial number"));
        serial.reset(BN_bin2bn(bytes, sizeof bytes, nullptr));
        if (!serial)
            failOpenSsl(QCoreApplication::translate("Certificates", "generating a serial number"));
    } while (BN_is_zero(serial.get()));
    if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)))
        failOpenSsl(QCoreApplication::translate("Certificates", "generating a serial number"));
}

void setValidity(X509 *certificate, int days, qint64 notBeforeOffset, qint64 notAfterOffset)
{
    if (!X509_time_adj_ex(X509_getm_notBefore(certificate), 0, long(notBeforeOffset - clockSkewSeconds), nullptr)
        || !X509_time_adj_ex(X509_getm_notAfter(certificate), days, long(notAfterOffset), nullptr))
        failOpenSsl(QCoreApplication::translate("Certificates", "setting the validity period"));
}

void addExtension(X509 *certificate, X509V3_CTX *context, int nid, const char *value)
{
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
    if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "adding the extension %1").arg(QString::fromLatin1(OBJ_nid2sn(nid))));
}

void setCommonName(X509_NAME *name, const QString &commonName)
{
    const QByteArray utf8 = commonName.toUtf8();
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size()), -1, 0) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "setting the subject name"));
}

void sign(X509 *certificate, EVP_PKEY *key)
{
    if (X509_sign(certificate, key, EVP_sha256()) <= 0)
        failOpenSsl(QCoreApplication::translate("Certificates", "signing the certificate"));
}

QDateTime toDateTime(const ASN1_TIME *time)
{
    struct tm parts = {};
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1)
        return {};
    return QDateTime(QDate(parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday), QTime(parts.tm_hour, parts.tm_min, parts.tm_sec), Qt::UTC);
}

QByteArray readPemFile(const QString &path, const QString &dir)
{
    if (!pathExists(path))
        throw FerryError(QCoreApplication::translate("Certificates", "no deployment CA in %1: %2 does not exist (create the CA first with \"ferryctl certs init %1\")").arg(dir, path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot read: %2").arg(path, file.errorString()));
    if (file.size() > maxPemFileSize)
        throw FerryError(QCoreApplication::translate("Certificates", "%1: larger than 1 MiB, not a PEM file").arg(path));
    const QByteArray data = file.read(maxPemFileSize + 1);
    if (file.error() != QFileDevice::NoError)
        throw FerryError(QCoreApplication::translate("Certificates", "%1: cannot read: %2").arg(path, file.errorString()));
    return data;
}

// Never prompts on the terminal for a pass phrase: an encrypted key is an error.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

X509Ptr parseCertificate(const QByteArray &pem, const QString &path)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!certificate) {
        ERR_clear_error();
        throw FerryError(QCoreApplication::translate("Certificates", "%1: not a PEM certificate").arg(path));
    }
    return certificate;
}

PKeyPtr parsePrivateKey(const QByteArray &pem, const QString &path)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    PKeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
    if (!key) {
        ERR_clear_error();
        throw FerryError(QCoreApplication::translate("Certificates", "%1: not an unencrypted PEM private key").arg(path));
    }
    return key;
}

QString checkedDnsName(const QString &name)
{
    // Host name labels (underscores tolerated), optionally a leading "*." wildcard.
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(
        QStringLiteral("(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*")));
    if (name.size() > 253 || !pattern.match(name).hasMatch())
        throw FerryError(QCoreApplication::translate("Certificates", "\"%1\" is not a DNS name").arg(name));
    return name.toLower();
}

QString checkedIpAddress(const QString &text)
{
    // Dotted quads only for IPv4: inet_aton's short forms ("10.1" for 10.0.0.1) surprise.
    static const QRegularExpression dottedQuad(QRegularExpression::anchoredPattern(QStringLiteral("[0-9]{1,3}(\\.[0-9]{1,3}){3}")));
    QHostAddress address;
    const bool ipv6 = text.contains(QLatin1Char(':'));
    if (!(ipv6 || dottedQuad.match(text).hasMatch()) || !address.setAddress(text) || !address.scopeId().isEmpty()
        || address.protocol() != (ipv6 ? QAbstractSocket::IPv6Protocol : QAbstractSocket::IPv4Protocol))
        throw FerryError(QCoreApplication::translate("Certificates", "\"%1\" is not an IP address").arg(text));
    return address.toString();
}

void appendName(GENERAL_NAMES *names, int type, const QString &value)
{
    GeneralNamePtr name(GENERAL_NAME_new());
    if (!name)
        failOpenSsl(QCoreApplication::translate("Certificates", "adding the subject alternative names"));
    if (type == GEN_DNS) {
        ASN1_IA5STRING *text = ASN1_IA5STRING_new();
        const QByteArray ascii = value.toLatin1();
        if (!text || ASN1_STRING_set(text, ascii.constData(), int(ascii.size())) != 1) {
            ASN1_IA5STRING_free(text);
            failOpenSsl(QCoreApplication::translate("Certificates", "adding the subject alternative names"));
        }
        GENERAL_NAME_set0_value(name.get(), GEN_DNS, text);
    } else {
        ASN1_OCTET_STRING *address = a2i_IPADDRESS(value.toLatin1().constData());
        if (!address)
            failOpenSsl(QCoreApplication::translate("Certificates", "adding the subject alternative names"));
        GENERAL_NAME_set0_value(name.get(), GEN_IPADD, address);
    }
    if (sk_GENERAL_NAME_push(names, name.get()) <= 0)
        failOpenSsl(QCoreApplication::translate("Certificates", "adding the subject alternative names"));
    name.release();
}

} // namespace

bool isValidCertificateName(const QString &name)
{
    static const QRegularExpression pattern(QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")));
    return pattern.match(name).hasMatch() && name.compare(QLatin1String("ca"), Qt::CaseInsensitive) != 0;
}

CertificateFiles createDeploymentCa(const QString &dir, int days)
{
    checkDays(days);
    if (dir.isEmpty())
        throw FerryError(QCoreApplication::translate("Certificates", "no directory given for the deployment CA"));
    PendingFiles files(dir);
    // Refused before anything is created, the directory included.
    if (QFileInfo(dir).isDir()) {
        files.refuseExisting(QStringLiteral("ca.key"));
        files.refuseExisting(QStringLiteral("ca.crt"));
    }

    PKeyPtr key = generateKey();
    X509Ptr certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1 || X509_set_pubkey(certificate.get(), key.get()) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "creating the CA certificate"));
    setRandomSerial(certificate.get());
    setValidity(certificate.get(), days, 0, 0);
    setCommonName(X509_get_subject_name(certificate.get()), QString::fromLatin1(caCommonName));
    if (X509_set_issuer_name(certificate.get(), X509_get_subject_name(certificate.get())) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "creating the CA certificate"));
    X509V3_CTX context;
    X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
    addExtension(certificate.get(), &context, NID_basic_constraints, "critical,CA:TRUE");
    addExtension(certificate.get(), &context, NID_key_usage, "critical,keyCertSign,cRLSign");
    addExtension(certificate.get(), &context, NID_subject_key_identifier, "hash");
    sign(certificate.get(), key.get());

    SecretBytes keyPem;
    privateKeyPem(key.get(), &keyPem);
    const QByteArray certificatePemData = certificatePem(certificate.get());

    files.ensureDirectory();
    files.refuseExisting(QStringLiteral("ca.key"));
    files.refuseExisting(QStringLiteral("ca.crt"));
    files.write(QStringLiteral("ca.key"), keyPem.data, 0600);
    files.write(QStringLiteral("ca.crt"), certificatePemData, 0644);
    files.commit();

    CertificateFiles result;
    result.certificateFile = files.filePath(QStringLiteral("ca.crt"));
    result.keyFile = files.filePath(QStringLiteral("ca.key"));
    result.subject = QString::fromLatin1(caCommonName);
    result.notBefore = toDateTime(X509_get0_notBefore(certificate.get()));
    result.notAfter = toDateTime(X509_get0_notAfter(certificate.get()));
    return result;
}

CertificateFiles issueCertificate(const QString &dir, const QString &name, const IssueOptions &options)
{
    if (!isValidCertificateName(name)) {
        if (name.compare(QLatin1String("ca"), Qt::CaseInsensitive) == 0)
            throw FerryError(QCoreApplication::translate("Certificates", "\"%1\" is reserved for the deployment CA; choose another name").arg(name));
        throw FerryError(QCoreApplication::translate("Certificates", "\"%1\" is not a certificate name (a letter or digit, then letters, digits, '.', '_', '-'; at most 63)").arg(name));
    }
    checkDays(options.days);

    // Subject alternative names: NAME and loopback first, then the extra ones, no repeats.
    QStringList dnsNames{checkedDnsName(name), QStringLiteral("localhost")};
    for (const QString &dns : options.dnsNames) {
        const QString checked = checkedDnsName(dns);
        if (!dnsNames.contains(checked))
            dnsNames.append(checked);
    }
    QStringList ipAddresses{QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    for (const QString &ip : options.ipAddresses) {
        const QString checked = checkedIpAddress(ip);
        if (!ipAddresses.contains(checked))
            ipAddresses.append(checked);
    }

    PendingFiles files(dir);
    const QString caCertificateFile = files.filePath(QStringLiteral("ca.crt"));
    const QString caKeyFile = files.filePath(QStringLiteral("ca.key"));
    const X509Ptr ca = parseCertificate(readPemFile(caCertificateFile, dir), caCertificateFile);
    PKeyPtr caKey;
    {
        const SecretBytes caKeyPem(readPemFile(caKeyFile, dir));
        caKey = parsePrivateKey(caKeyPem.data, caKeyFile);
    }
    if (X509_check_ca(ca.get()) < 1)
        throw FerryError(QCoreApplication::translate("Certificates", "%1 is not a CA certificate").arg(caCertificateFile));
    if (X509_check_private_key(ca.get(), caKey.get()) != 1) {
        ERR_clear_error();
        throw FerryError(QCoreApplication::translate("Certificates", "%1 does not match the CA certificate %2 (a key from another CA?)").arg(caKeyFile, caCertificateFile));
    }
    if (X509_cmp_current_time(X509_get0_notAfter(ca.get())) <= 0)
        throw FerryError(QCoreApplication::translate("Certificates", "the CA certificate %1 expired on %2").arg(caCertificateFile, toDateTime(X509_get0_notAfter(ca.get())).toString(Qt::ISODate)));

    files.checkDirectory();
    const QString certificateName = name + QStringLiteral(".crt");
    const QString keyName = name + QStringLiteral(".key");
    files.refuseExisting(keyName);
    files.refuseExisting(certificateName);

    PKeyPtr key = generateKey();
    X509Ptr certificate(X509_new());
    if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1 || X509_set_pubkey(certificate.get(), key.get()) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "creating the certificate"));
    setRandomSerial(certificate.get());
    setValidity(certificate.get(), options.days, options.notBeforeOffsetSeconds, options.notAfterOffsetSeconds);
    setCommonName(X509_get_subject_name(certificate.get()), name);
    if (options.role != Role::None) {
        const QByteArray unit = (QLatin1String(RoleUnitPrefix) + roleName(options.role)).toUtf8();
        if (X509_NAME_add_entry_by_txt(X509_get_subject_name(certificate.get()), "OU", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(unit.constData()),
                                       int(unit.size()), -1, 0) != 1)
            failOpenSsl(QCoreApplication::translate("Certificates", "setting the subject name"));
    }
    if (X509_set_issuer_name(certificate.get(), X509_get_subject_name(ca.get())) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "creating the certificate"));
    X509V3_CTX context;
    X509V3_set_ctx(&context, ca.get(), certificate.get(), nullptr, nullptr, 0);
    addExtension(certificate.get(), &context, NID_basic_constraints, "critical,CA:FALSE");
    addExtension(certificate.get(), &context, NID_key_usage, "critical,digitalSignature");
    addExtension(certificate.get(), &context, NID_ext_key_usage, "serverAuth,clientAuth");
    addExtension(certificate.get(), &context, NID_subject_key_identifier, "hash");
    addExtension(certificate.get(), &context, NID_authority_key_identifier, "keyid,issuer");

    QStringList alternativeNames;
    GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
    if (!names)
        failOpenSsl(QCoreApplication::translate("Certificates", "adding the subject alternative names"));
    for (const QString &dns : std::as_const(dnsNames)) {
        appendName(names.get(), GEN_DNS, dns);
        alternativeNames.append(QStringLiteral("DNS:") + dns);
    }
    for (const QString &ip : std::as_const(ipAddresses)) {
        appendName(names.get(), GEN_IPADD, ip);
        alternativeNames.append(QStringLiteral("IP:") + ip);
    }
    if (X509_add1_ext_i2d(certificate.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
        failOpenSsl(QCoreApplication::translate("Certificates", "adding the subject alternative names"));
    sign(certificate.get(), caKey.get());

    SecretBytes keyPem;
    privateKeyPem(key.get(), &keyPem);
    const QByteArray certificatePemData = certificatePem(certificate.get());
    files.write(keyName, keyPem.data, 0600);
    files.write(certificateName, certificatePemData, 0644);
    files.commit();

    CertificateFiles result;
    result.certificateFile = files.filePath(certificateName);
    result.keyFile = files.filePath(keyName);
    result.subject = name;
    result.role = options.role;
    result.alternativeNames = alternativeNames;
    result.notBefore = toDateTime(X509_get0_notBefore(certificate.get()));
    result.notAfter = toDateTime(X509_get0_notAfter(certificate.get()));
    return result;
}

} // namespace ferry
