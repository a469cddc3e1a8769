#pragma once

#include "remote/remotejob.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace steadysync {

class RemoteBackend;

// Remote changes in seconds while a pair watches (issue 21 item 3): once a second, while the
// pair is idle, one cheap request tells whether the remote changed; changed() then starts the
// engine's poll (a walk that lists only what changed where it can). What is asked:
// - where collection ETags are verified to propagate to the root (EtagPropagationProbe): a
//   PROPFIND Depth 0 of the root, whose ETag changes with anything in the tree;
// - elsewhere (Apache, nginx, lighttpd, rclone): a PROPFIND Depth 0 of the change beacon,
//   REMOTE/.steadysync/beacon, which every Steadysync client rewrites after a cycle that
//   changed the remote (touchBeacon). Changes made by other tools wait for the configured poll.
// A check that fails (not a 404) three times in a row stops the checks until start(): the
// configured poll is left, and the engine's offline probe deals with a server that is gone.
class RemoteChangeWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr int IntervalMs = 1000;
    static QString beaconPath();
    // Whether a remote can be watched this way (WebDAV: the beacon is a file of its own there).
    static bool supports(const RemoteBackend &backend);

    explicit RemoteChangeWatch(RemoteBackend *backend, QObject *parent = nullptr);

    // Checked before each request: the pair watches, is idle, not paused or held (metered,
    // battery, schedule), online, and knows what the remote looked like.
    void setMayCheck(std::function<bool()> mayCheck) { m_mayCheck = std::move(mayCheck); }
    // Checked before each request: true where the root's ETag tells (verified propagation).
    void setRootTellsChanges(std::function<bool()> rootTells)
    {
        m_rootTells = std::move(rootTells);
    }
    void start();
    void stop();
    int checksMade() const { return m_checks; }

Q_SIGNALS:
    void changed();

private:
    void check();
    void onChecked(const QString &path, EntryJob *job);

    RemoteBackend *m_backend;
    std::function<bool()> m_mayCheck;
    std::function<bool()> m_rootTells;
    QTimer m_timer;
    QPointer<EntryJob> m_inFlight;
    QString m_baselinePath;
    std::optional<QByteArray> m_baseline;
    int m_failuresInARow = 0;
    int m_checks = 0;
};

// After a cycle that changed the remote: REMOTE/.steadysync/beacon rewritten with new content
// (a MKCOL of .steadysync where missing, one PUT), so that idle clients of the same remote
// see the change within a second. done() runs whatever the outcome: the beacon only hastens.
void touchBeacon(RemoteBackend *backend, const QString &scratchDirectory, QObject *context,
                 std::function<void()> done);

} // namespace steadysync
