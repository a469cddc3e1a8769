#include "fs/hasher.h"

#include "fs/sha256digest.h"

#include <memory>

namespace steadysync {

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
