#include "remote/webdavpacedupload.h"

#include "fs/hasher.h"

#include <QTimer>

#include <algorithm>

namespace steadysync {

WebDavPacedUpload::WebDavPacedUpload(const QString &fileName, qint64 chunkSize,
                                     std::function<int(qint64)> reserveMs, bool hashing,
                                     QObject *parent)
    : QIODevice(parent), m_file(fileName), m_chunkSize(std::max<qint64>(1, chunkSize)),
      m_reserveMs(std::move(reserveMs)),
      m_hash(hashing ? std::make_unique<Sha256Stream>() : nullptr)
{}

WebDavPacedUpload::~WebDavPacedUpload() = default;

QByteArray WebDavPacedUpload::sha256OfAllRead()
{
    if (m_sha256.isEmpty() && m_hash && m_hashedBytes == m_file.size())
        m_sha256 = m_hash->hexResult();
    return m_sha256;
}

bool WebDavPacedUpload::open(OpenMode mode)
{
    if (!m_file.open(QIODevice::ReadOnly)) {
        setErrorString(m_file.errorString());
        return false;
    }
    return QIODevice::open(mode | QIODevice::Unbuffered);
}

void WebDavPacedUpload::close()
{
    m_file.close();
    QIODevice::close();
}

bool WebDavPacedUpload::seek(qint64 position)
{
    if (m_hash && position != m_hashedBytes) {
        if (position == 0 && m_sha256.isEmpty()) {
            m_hash->restart();
            m_hashedBytes = 0;
        } else {
            m_hash.reset();
        }
    }
    return m_file.seek(position) && QIODevice::seek(position);
}

qint64 WebDavPacedUpload::readData(char *data, qint64 maxSize)
{
    if (m_waiting)
        return 0;
    const qint64 read = m_file.read(data, std::min(maxSize, m_chunkSize));
    if (read <= 0)
        return read;
    if (m_hash) {
        m_hash->add(data, read);
        m_hashedBytes += read;
    }
    if (const int waitMs = m_reserveMs(read); waitMs > 0) {
        m_waiting = true;
        QTimer::singleShot(waitMs, this, [this] {
            m_waiting = false;
            Q_EMIT readyRead();
        });
    }
    return read;
}

} // namespace steadysync
