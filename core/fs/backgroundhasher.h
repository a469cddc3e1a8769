#pragma once

#include <QByteArray>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace steadysync {

class Sha256Stream;

// The SHA-256 of blocks handed over in order, taken on a thread of its own, so that a
// transfer loop on the engine thread only copies bytes while another core hashes them.
class BackgroundHasher
{
public:
    BackgroundHasher();
    ~BackgroundHasher();
    BackgroundHasher(const BackgroundHasher &) = delete;
    BackgroundHasher &operator=(const BackgroundHasher &) = delete;

    // A block of `size` bytes to fill and add(): one the hasher is done with where it can,
    // so a long transfer does not fault in fresh memory for every block.
    QByteArray reusableBlock(qint64 size);
    // Returns at once, unless more than maxPendingBytes wait: then once the hasher caught up
    // (memory stays bounded when the hashing core is the slower one).
    void add(QByteArray block);
    // Lowercase hex of everything added; waits for the blocks still queued. Call once.
    QByteArray result();

    static constexpr qint64 maxPendingBytes = 8 * 1024 * 1024;

private:
    void run();

    std::unique_ptr<Sha256Stream> m_stream;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<QByteArray> m_queue;
    std::vector<QByteArray> m_spare; // hashed, for reusableBlock()
    qint64 m_pendingBytes = 0;
    bool m_closing = false;
    bool m_finished = false;
    std::thread m_worker; // last: started once the members above exist
};

} // namespace steadysync
