#include "remote/pacer.h"

#include <algorithm>
#include <thread>

namespace steadysync {

Pacer::Pacer(qint64 kibPerSecond) : m_bytesPerSecond(kibPerSecond > 0 ? kibPerSecond * 1024 : 0) {}

void Pacer::setKibPerSecond(qint64 kibPerSecond)
{
    std::lock_guard lock(m_mutex);
    m_bytesPerSecond = kibPerSecond > 0 ? kibPerSecond * 1024 : 0;
    m_nextFree = {}; // no debt carried over from the old rate
}

qint64 Pacer::chunkSize(qint64 preferred) const
{
    if (!isLimited())
        return preferred;
    return std::clamp<qint64>(m_bytesPerSecond / 8, 4096, preferred);
}

Pacer::Booking Pacer::reserve(qint64 bytes)
{
    using namespace std::chrono;
    std::lock_guard lock(m_mutex);
    const qint64 bytesPerSecond = m_bytesPerSecond;
    if (bytesPerSecond <= 0)
        return {};
    const auto now = steady_clock::now();
    const auto start = std::max(now, m_nextFree);
    m_nextFree = start + nanoseconds(bytes * 1'000'000'000 / bytesPerSecond);
    return {start - now, m_nextFree - now};
}

bool Pacer::acquire(qint64 bytes, const std::atomic<bool> &cancelled)
{
    using namespace std::chrono;
    const auto start = steady_clock::now() + reserve(bytes).startsIn;
    // Sleep in short slices so a cancel is noticed promptly.
    constexpr auto slice = milliseconds(50);
    for (;;) {
        if (cancelled)
            return false;
        const auto now = steady_clock::now();
        if (now >= start)
            return true;
        std::this_thread::sleep_for(std::min<steady_clock::duration>(start - now, slice));
    }
}

} // namespace steadysync
