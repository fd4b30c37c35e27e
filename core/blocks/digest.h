#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;

namespace ferry {

enum class DigestAlgorithm { Md5, Sha256 };

QString digestAlgorithmName(DigestAlgorithm algorithm);
std::optional<DigestAlgorithm> digestAlgorithmFromName(const QString &name);

// Incremental digest through OpenSSL EVP. One context is reused across blocks:
// finish() returns the digest and resets the context for the next block.
class Digest
{
public:
    explicit Digest(DigestAlgorithm algorithm = DigestAlgorithm::Md5);
    ~Digest();
    Digest(const Digest &) = delete;
    Digest &operator=(const Digest &) = delete;

    void update(const char *data, qsizetype size);
    void update(const QByteArray &bytes) { update(bytes.constData(), bytes.size()); }
    QByteArray finish();

    DigestAlgorithm algorithm() const { return m_algorithm; }
    static QByteArray of(DigestAlgorithm algorithm, const QByteArray &bytes);

private:
    void reset();

    DigestAlgorithm m_algorithm;
    EVP_MD *m_md = nullptr;
    EVP_MD_CTX *m_ctx = nullptr;
};

} // namespace ferry
