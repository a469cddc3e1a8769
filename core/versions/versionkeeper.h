#pragma once

#include "clock.h"
#include "result.h"
#include "versions/retention.h"
#include "versions/versionstore.h"

#include <QString>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace steadysync {

// What the engine calls before it replaces or removes a local file: one call per place
// (DESIGN §10). Opens the pair's version store on first use, on the calling thread.
class VersionKeeper
{
public:
    VersionKeeper(QString localRoot, const Clock *clock);
    ~VersionKeeper();

    struct Keep
    {
        Keep(QString keptPath, VersionReason why,
             VersionStore::SaveMode saveMode = VersionStore::SaveMode::Detach,
             QString sourceFile = {}, QString side = QStringLiteral("local"))
            : path(std::move(keptPath)), reason(why), mode(saveMode), source(std::move(sourceFile)),
              origin(std::move(side))
        {}
        QString path; // as listed, relative to the root
        VersionReason reason;
        VersionStore::SaveMode mode;
        QString source; // the file kept: absolute, or relative to the root; empty: path
        QString origin; // "local" or "remote": the side the content was on
    };
    // Keeps the file's content as a version; success when there is no file to keep (absent,
    // a directory). An error means the caller must not go on replacing or removing it.
    [[nodiscard]] Status keep(const Keep &what);
    // The same through a keeper that may be absent (a propagator run without one keeps none).
    [[nodiscard]] static Status keepIn(VersionKeeper *keeper, const Keep &what);

private:
    QString m_localRoot;
    const Clock *m_clock;
    std::unique_ptr<VersionStore> m_store;
};

// Prunes a pair's version store off the sync path: on a thread of its own, at most one run at
// a time and one every minIntervalMs, each run bounded; a sync never waits for it.
class VersionPruner
{
public:
    explicit VersionPruner(qint64 minIntervalMs = 10 * 60 * 1000);
    ~VersionPruner(); // waits for a run in progress

    void pruneSoon(const QString &localRoot, const RetentionPolicy &policy, const Clock *clock);
    void waitForDone() { m_pool.waitForDone(); }

private:
    QThreadPool m_pool;
    std::atomic<bool> m_running{false};
    qint64 m_minIntervalMs;
    qint64 m_lastStartMs = -1;
};

} // namespace steadysync
