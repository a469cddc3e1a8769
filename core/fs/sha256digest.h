#pragma once

// The SHA-256 digest behind Hasher and Sha256Stream: OpenSSL's EVP where it was found at
// build time, QCryptographicHash otherwise. Internal to core/fs.

#include <QByteArray>

#include <memory>

#ifdef STEADYSYNC_HAVE_OPENSSL
#include <openssl/crypto.h>
#include <openssl/evp.h>
#else
#include <QCryptographicHash>
#endif

namespace steadysync::detail {

#if defined(STEADYSYNC_HAVE_OPENSSL) && defined(OPENSSL_INIT_NO_ATEXIT)
// OpenSSL's default atexit handler frees every thread's per-thread handler list. QThread::wait()
// and QThreadPool::waitForDone() return before a finished thread has run its thread-specific
// data destructors, so the engine or a pool thread can free its list again after main() returns:
// a double free in __nptl_deallocate_tsd under ASan. Without the handler the kernel reclaims it.
// The first initialisation decides, hence static initialisation, before Qt's TLS backend; an
// inline variable, so that every file that hashes brings it along.
[[maybe_unused]] inline const bool openSslExitCleanupDeclined =
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
#endif

class Sha256
{
public:
#ifdef STEADYSYNC_HAVE_OPENSSL
    Sha256() : m_context(EVP_MD_CTX_new())
    {
        m_ok = m_context && EVP_DigestInit_ex(m_context.get(), digest(), nullptr) == 1;
    }
    void add(const char *data, qint64 size)
    {
        m_ok = m_ok && EVP_DigestUpdate(m_context.get(), data, size_t(size)) == 1;
    }
    // Empty when OpenSSL failed (out of memory, or a FIPS provider refusing the digest).
    QByteArray hexResult()
    {
        unsigned char digestBytes[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (!m_ok || EVP_DigestFinal_ex(m_context.get(), digestBytes, &length) != 1)
            return {};
        return QByteArray(reinterpret_cast<const char *>(digestBytes), int(length)).toHex();
    }

private:
    static const EVP_MD *digest()
    {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        // Fetched once: the implicit fetch EVP_sha256() causes on every init costs more than
        // hashing a small file.
        struct DigestDeleter
        {
            void operator()(EVP_MD *digest) const { EVP_MD_free(digest); }
        };
        static const std::unique_ptr<EVP_MD, DigestDeleter> fetched(
            EVP_MD_fetch(nullptr, "SHA256", nullptr));
        if (fetched)
            return fetched.get();
#endif
        return EVP_sha256();
    }
    struct ContextDeleter
    {
        void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
    };
    std::unique_ptr<EVP_MD_CTX, ContextDeleter> m_context;
    bool m_ok = false;
#else
    void add(const char *data, qint64 size)
    {
        m_hash.addData(QByteArrayView(data, size));
    }
    QByteArray hexResult()
    {
        return m_hash.result().toHex();
    }

private:
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
#endif
};

} // namespace steadysync::detail
