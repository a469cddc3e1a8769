#include "fs/backgroundhasher.h"

#include "fs/hasher.h"

namespace steadysync {

namespace {

constexpr size_t spareBlocks = 4;

} // namespace

BackgroundHasher::BackgroundHasher()
    : m_stream(std::make_unique<Sha256Stream>()), m_worker([this] { run(); })
{}

BackgroundHasher::~BackgroundHasher()
{
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
        m_queue.clear();
    }
    m_changed.notify_all();
    m_worker.join();
}

QByteArray BackgroundHasher::reusableBlock(qint64 size)
{
    QByteArray block;
    {
        std::lock_guard lock(m_mutex);
        if (!m_spare.empty()) {
            block = std::move(m_spare.back());
            m_spare.pop_back();
        }
    }
    if (block.capacity() < size || !block.isDetached())
        return QByteArray(size, Qt::Uninitialized);
    block.resize(size);
    return block;
}

void BackgroundHasher::add(QByteArray block)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_pendingBytes <= maxPendingBytes; });
    m_pendingBytes += block.size();
    m_queue.push_back(std::move(block));
    lock.unlock();
    m_changed.notify_all();
}

QByteArray BackgroundHasher::result()
{
    {
        std::unique_lock lock(m_mutex);
        m_closing = true;
        m_changed.notify_all();
        m_changed.wait(lock, [this] { return m_finished; });
    }
    return m_stream->hexResult();
}

void BackgroundHasher::run()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_closing || !m_queue.empty(); });
        if (m_queue.empty())
            break;
        QByteArray block = std::move(m_queue.front());
        m_queue.pop_front();
        lock.unlock();
        m_stream->add(block.constData(), block.size());
        lock.lock();
        m_pendingBytes -= block.size();
        if (m_spare.size() < spareBlocks)
            m_spare.push_back(std::move(block));
        m_changed.notify_all();
    }
    m_finished = true;
    m_changed.notify_all();
}

} // namespace steadysync
