#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <mutex>

namespace steadysync {

// Paces the transfers of one direction to a byte rate shared by all of them. Each caller
// reserves the time its chunk takes at that rate and sleeps until its slot; idle time is
// not saved up, so there are no bursts. Thread-safe; the sleeping happens in the caller.
class BandwidthLimiter
{
public:
    explicit BandwidthLimiter(qint64 kibPerSecond = 0);

    bool isLimited() const { return m_bytesPerSecond > 0; }
    qint64 kibPerSecond() const { return m_bytesPerSecond / 1024; }
    // A new rate for the chunks reserved from now on (a bandwidth timetable's boundary).
    void setKibPerSecond(qint64 kibPerSecond);
    // The chunk size to use: small chunks under a low limit keep the pace smooth.
    qint64 chunkSize(qint64 preferred) const;
    // Blocks until `bytes` may go; returns false when `cancelled` was set meanwhile.
    bool acquire(qint64 bytes, const std::atomic<bool> &cancelled);

private:
    std::atomic<qint64> m_bytesPerSecond = 0;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_nextFree;
};

} // namespace steadysync
