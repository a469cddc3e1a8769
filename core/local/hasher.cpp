#include "local/hasher.h"

#include <QFile>

#include <memory>

#ifdef STEADYSYNC_HAVE_OPENSSL
#include <openssl/crypto.h>
#include <openssl/evp.h>
#else
#include <QCryptographicHash>
#endif

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace steadysync {

namespace {

// Measured on the build machine (256 MiB file in the page cache, OpenSSL): 64 KiB reads are
// the fastest (they stay in L2 between read and hash); mmap is barely faster and would crash
// the process with SIGBUS when another program truncates the file while it is hashed.
constexpr qint64 kReadSize = 64 * 1024;
constexpr qint64 kLargeFile = 4 * 1024 * 1024;

#if defined(STEADYSYNC_HAVE_OPENSSL) && defined(OPENSSL_INIT_NO_ATEXIT)
// OpenSSL's default atexit handler frees every thread's per-thread handler list. QThread::wait()
// and QThreadPool::waitForDone() return before a finished thread has run its thread-specific
// data destructors, so the engine or a pool thread can free its list again after main() returns:
// a double free in __nptl_deallocate_tsd under ASan. Without the handler the kernel reclaims it.
// The first initialisation decides, hence static initialisation, before Qt's TLS backend.
[[maybe_unused]] const bool openSslExitCleanupDeclined =
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

Result<QByteArray> finish(Sha256 &hash, const QString &absolutePath)
{
    QByteArray hex = hash.hexResult();
    if (hex.isEmpty())
        return makeError(ErrorKind::Transient,
                         QStringLiteral("SHA-256 unavailable while hashing %1").arg(absolutePath));
    return hex;
}

#ifdef Q_OS_UNIX
Error errorFromErrno(int error, const QString &absolutePath)
{
    const QString message = absolutePath + QLatin1String(": ") + qt_error_string(error);
    switch (error) {
    case ENOENT:
    case ENOTDIR:
        return makeError(ErrorKind::NotFound, message);
    case EACCES:
    case EPERM:
    case EISDIR:
        return makeError(ErrorKind::Permanent, message);
    default:
        return makeError(ErrorKind::Transient, message);
    }
}

class FileDescriptor
{
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};
#endif

} // namespace

Result<QByteArray> Hasher::sha256OfFile(const QString &absolutePath)
{
    Sha256 hash;
    const auto buffer = std::make_unique_for_overwrite<char[]>(kReadSize);
#ifdef Q_OS_UNIX
    // O_NONBLOCK: opening a FIFO must not hang the scan; it is refused below.
    const FileDescriptor file(
        ::open(QFile::encodeName(absolutePath).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (file.get() < 0)
        return errorFromErrno(errno, absolutePath);
    struct stat info;
    if (::fstat(file.get(), &info) != 0)
        return errorFromErrno(errno, absolutePath);
    if (!S_ISREG(info.st_mode))
        return makeError(ErrorKind::Permanent,
                         absolutePath + QLatin1String(": not a regular file"));
    if (info.st_size >= kLargeFile)
        ::posix_fadvise(file.get(), 0, 0, POSIX_FADV_SEQUENTIAL); // a larger read-ahead
    while (true) {
        const ssize_t got = ::read(file.get(), buffer.get(), size_t(kReadSize));
        if (got == 0)
            break;
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errorFromErrno(errno, absolutePath);
        }
        hash.add(buffer.get(), got);
    }
#else
    QFile file(absolutePath);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        const QString message = absolutePath + QLatin1String(": ") + file.errorString();
        if (!QFile::exists(absolutePath))
            return makeError(ErrorKind::NotFound, message);
        if (file.error() == QFileDevice::PermissionsError)
            return makeError(ErrorKind::Permanent, message);
        return makeError(ErrorKind::Transient, message);
    }
    while (true) {
        const qint64 got = file.read(buffer.get(), kReadSize);
        if (got == 0)
            break;
        if (got < 0)
            return makeError(ErrorKind::Transient,
                             absolutePath + QLatin1String(": ") + file.errorString());
        hash.add(buffer.get(), got);
    }
#endif
    return finish(hash, absolutePath);
}

QByteArray Hasher::sha256(const QByteArray &data)
{
    Sha256 hash;
    hash.add(data.constData(), data.size());
    return hash.hexResult();
}

class Sha256Stream::Digest : public Sha256
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
