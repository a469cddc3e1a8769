#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <mutex>

namespace steadysync {

// Paces the transfers of one direction (uploads or downloads) to a byte rate shared by all of
// them: --bwlimit-up/--bwlimit-down and the bandwidth timetable's current rate. Each transfer
// books the time its chunk takes at that rate after what is already booked; idle time is not
// saved up, so there are no bursts. Thread-safe. Both kinds of caller use it: the local
// directory backend's worker threads sleep in acquire(); WebDAV jobs on the event loop book a
// chunk with reserve() and wait with a timer for as long as it says.
class Pacer
{
public:
    explicit Pacer(qint64 kibPerSecond = 0);

    bool isLimited() const { return m_bytesPerSecond > 0; }
    qint64 kibPerSecond() const { return m_bytesPerSecond / 1024; }
    // A new rate for the chunks booked from now on (a bandwidth timetable's boundary); no debt
    // is carried over from the old rate.
    void setKibPerSecond(qint64 kibPerSecond);
    // The chunk size to use, at most `preferred`: small chunks under a low limit keep the pace
    // smooth. `preferred` itself when unlimited.
    qint64 chunkSize(qint64 preferred) const;

    // A chunk's booking, measured from the moment it was made.
    struct Booking
    {
        std::chrono::nanoseconds startsIn{0}; // until the chunk may go
        std::chrono::nanoseconds endsIn{0};   // until the rate has let all its bytes through
    };
    // Books `bytes` (nothing to wait for when unlimited).
    [[nodiscard]] Booking reserve(qint64 bytes);
    // Books `bytes`, then blocks until they may go; false when `cancelled` was set meanwhile.
    [[nodiscard]] bool acquire(qint64 bytes, const std::atomic<bool> &cancelled);

private:
    std::atomic<qint64> m_bytesPerSecond = 0;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_nextFree;
};

} // namespace steadysync
