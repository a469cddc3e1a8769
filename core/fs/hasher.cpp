#include "fs/hasher.h"

#include "fs/sha256digest.h"

#include <memory>

#ifdef STEADYSYNC_HAVE_OPENSSL
#include <openssl/crypto.h>
#endif

namespace steadysync {

namespace {

#if defined(STEADYSYNC_HAVE_OPENSSL) && defined(OPENSSL_INIT_NO_ATEXIT)
// OpenSSL's default atexit handler frees every thread's per-thread handler list. QThread::wait()
// and QThreadPool::waitForDone() return before a finished thread has run its thread-specific
// data destructors, so the engine or a pool thread can free its list again after main() returns:
// a double free in __nptl_deallocate_tsd under ASan. Without the handler the kernel reclaims it.
// The first initialisation decides, hence static initialisation, before Qt's TLS backend.
[[maybe_unused]] const bool openSslExitCleanupDeclined =
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
#endif

} // namespace

QByteArray Hasher::sha256(const QByteArray &data)
{
    detail::Sha256 hash;
    hash.add(data.constData(), data.size());
    return hash.hexResult();
}

class Sha256Stream::Digest : public detail::Sha256
{
};

Sha256Stream::Sha256Stream() : m_digest(std::make_unique<Digest>()) {}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::add(const char *data, qint64 size)
{
    m_digest->add(data, size);
}

QByteArray Sha256Stream::hexResult()
{
    return m_digest->hexResult();
}

void Sha256Stream::restart()
{
    m_digest = std::make_unique<Digest>();
}

bool Hasher::usesOpenSsl()
{
#ifdef STEADYSYNC_HAVE_OPENSSL
    return true;
#else
    return false;
#endif
}

} // namespace steadysync
