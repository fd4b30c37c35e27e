#include "blocks/digest.h"

#include "util/ferryerror.h"

#include <QCoreApplication>

#include <openssl/evp.h>

namespace ferry {

QString digestAlgorithmName(DigestAlgorithm algorithm)
{
    return algorithm == DigestAlgorithm::Sha256 ? QStringLiteral("sha256") : QStringLiteral("md5");
}

std::optional<DigestAlgorithm> digestAlgorithmFromName(const QString &name)
{
    const QString lower = name.toLower();
    if (lower == QLatin1String("md5"))
        return DigestAlgorithm::Md5;
    if (lower == QLatin1String("sha256") || lower == QLatin1String("sha-256"))
        return DigestAlgorithm::Sha256;
    return std::nullopt;
}

Digest::Digest(DigestAlgorithm algorithm)
    : m_algorithm(algorithm)
{
    // Fetch the implementation once; EVP_get_digestbyname-style lookups per block cost time.
    m_md = EVP_MD_fetch(nullptr, algorithm == DigestAlgorithm::Sha256 ? "SHA256" : "MD5", nullptr);
    m_ctx = EVP_MD_CTX_new();
    if (!m_md || !m_ctx)
        throw FerryError(QCoreApplication::translate("Digest", "OpenSSL cannot provide the %1 digest").arg(digestAlgorithmName(algorithm)));
    reset();
}

Digest::~Digest()
{
    EVP_MD_CTX_free(m_ctx);
    EVP_MD_free(m_md);
}

void Digest::reset()
{
    if (EVP_DigestInit_ex2(m_ctx, m_md, nullptr) != 1)
        throw FerryError(QCoreApplication::translate("Digest", "OpenSSL digest initialisation failed"));
}

void Digest::update(const char *data, qsizetype size)
{
    if (size > 0)
        EVP_DigestUpdate(m_ctx, data, size_t(size));
}

QByteArray Digest::finish()
{
    unsigned char buffer[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_ctx, buffer, &length);
    reset();
    return QByteArray(reinterpret_cast<const char *>(buffer), int(length));
}

QByteArray Digest::of(DigestAlgorithm algorithm, const QByteArray &bytes)
{
    Digest digest(algorithm);
    digest.update(bytes);
    return digest.finish();
}

} // namespace ferry
