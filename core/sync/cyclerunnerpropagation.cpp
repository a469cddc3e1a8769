// The cycle runner's knowledge of the remote's ETag propagation (issue 19 items 2-3, issue 21
// item 1): verified once per pair and kept in the journal's settings; where verified, the tree
// cache is kept between runs (RemoteTreeCacheFile) so that a no-change sync is the cycle's one
// stat of the root, and where ETags follow direct members a listing of the root. Also the walk a
// poll hands to the cycle it starts (FreshWalkOffer), and the round's own walk.
#include "fs/reservednames.h"
#include "sync/cyclerunner.h"
#include "sync/remotechangewatch.h"
#include "sync/remotetreecachefile.h"
#include "sync/remotewalker.h"

#include <QElapsedTimer>
#include <QTimer>

#include <utility>

namespace steadysync {

namespace {

QString remoteKey(const RemoteBackend &backend)
{
    return backend.url().toString(QUrl::RemoveUserInfo);
}

} // namespace

bool CycleRunner::remotePropagationVerified() const
{
    return m_propagation && m_propagation->propagates && m_res.backend->propagatesDirectoryEtags();
}

// Only a remote that claims propagation (oc:fileid) is verified; others never skip a
// collection on its ETag alone (Apache's leaves aside, RemoteWalker).
bool CycleRunner::propagationKnown() const
{
    return m_propagationAsked || !m_res.backend->propagatesDirectoryEtags();
}

void CycleRunner::learnPropagation(std::function<void()> then)
{
    m_propagationAsked = true;
    const std::optional<EtagPropagationVerdict> stored = EtagPropagationVerdict::fromSetting(
        m_res.journal->setting(EtagPropagationVerdict::settingKey()));
    if (stored && stored->remoteUrl == remoteKey(*m_res.backend)) {
        adoptPropagationVerdict(*stored);
        return then();
    }
    auto *probe = new EtagPropagationProbe(
        m_res.backend, ReservedNames::statePath(m_options.localRoot, QStringLiteral("tmp")),
        m_clock->nowMs(), this);
    connect(probe, &EtagPropagationProbe::finished, this, [this, probe, then] {
        probe->deleteLater();
        // Not told (a read-only share, the network): asked again by the next run; meanwhile
        // every collection is listed.
        if (const std::optional<EtagPropagationVerdict> &verdict = probe->verdict()) {
            EtagPropagationVerdict kept = *verdict;
            kept.remoteUrl = remoteKey(*m_res.backend);
            [[maybe_unused]] const Status saved =
                m_res.journal->setSetting(EtagPropagationVerdict::settingKey(), kept.toSetting());
            adoptPropagationVerdict(kept);
            m_rootEntry.etag = probe->lastRootEtag();
        }
        then();
    });
    probe->start();
}

void CycleRunner::adoptPropagationVerdict(const EtagPropagationVerdict &verdict)
{
    m_propagation = verdict;
    const RemoteTreeCacheFile::Key key{remoteKey(*m_res.backend), m_ignore.definition()};
    if (!remotePropagationVerified())
        RemoteTreeCacheFile::remove(treeCacheFilePath());
    else if (m_remoteTreeCache.isEmpty())
        RemoteTreeCacheFile::load(treeCacheFilePath(), key, &m_remoteTreeCache);
}

QString CycleRunner::treeCacheFilePath() const
{
    return ReservedNames::statePath(m_options.localRoot, QStringLiteral("remote-tree.cache"));
}

// Kept between runs where a no-change sync is then one request (ETags verified to propagate
// to the root) or a listing of the collections with subcollections (ETags that follow direct
// members: Apache, lighttpd; 100,000 files in 1,000 folders were a 42 MB tree answer).
bool CycleRunner::keepsTreeCacheBetweenRuns() const
{
    return remotePropagationVerified() || m_res.backend->directoryEtagsFollowChildren();
}

// Where ETags follow direct members, the file is read once per runner (there is no
// propagation to learn first, adoptPropagationVerdict): in a thread of its own from the first
// round's root stat on, while the journal is read (100,000 entries take ~0.1 s each), and
// taken before the first walk (takeLeavesCache).
void CycleRunner::startReadingLeavesCache()
{
    if (m_leavesCacheRead || !m_res.backend->directoryEtagsFollowChildren())
        return;
    m_leavesCacheRead = true;
    m_leavesCacheFile = std::async(
        std::launch::async,
        [path = treeCacheFilePath(),
         key = RemoteTreeCacheFile::Key{remoteKey(*m_res.backend), m_ignore.definition()}] {
            RemoteTreeCache cache;
            RemoteTreeCacheFile::load(path, key, &cache);
            return cache;
        });
}

void CycleRunner::takeLeavesCache()
{
    startReadingLeavesCache(); // a walk before any round (a poll) reads it here
    if (!m_leavesCacheFile.valid())
        return;
    RemoteTreeCache read = m_leavesCacheFile.get();
    if (m_remoteTreeCache.isEmpty())
        m_remoteTreeCache = std::move(read);
}

// After the cache took a walk: the root ETag the walk started from (a walk of the whole
// remote only), and the file for the next run when the walk changed the cache.
void CycleRunner::saveTreeCache(const RemoteWalker &walker, bool cacheChanged)
{
    if (!keepsTreeCacheBetweenRuns())
        return;
    if (walker.root()) // given to walks of the whole remote only
        m_remoteTreeCache.setRootEtag(walker.root()->etag);
    if (walker.listingsMade() == 0 || !cacheChanged)
        return; // nothing new: the file has it
    // A million entries are ~100 MB: a watch writes them at most every TreeCacheSaveIntervalMs.
    // An older file is as safe (what changed since has another ETag and is listed again).
    const qint64 now = m_clock->nowMs();
    if (m_treeCacheSavedMs && now >= *m_treeCacheSavedMs &&
        now - *m_treeCacheSavedMs < TreeCacheSaveIntervalMs)
        return;
    const RemoteTreeCacheFile::Key key{remoteKey(*m_res.backend), m_ignore.definition()};
    if (RemoteTreeCacheFile::save(treeCacheFilePath(), key, m_remoteTreeCache))
        m_treeCacheSavedMs = now;
}

// A listing the cache was filled from left out what is there (AbsenceProof found it): the
// cache is dropped, here and for the next run, and the next walk lists everything.
void CycleRunner::forgetTreeCache()
{
    m_leavesCacheFile = {};
    m_remoteTreeCache.clear();
    RemoteTreeCacheFile::remove(treeCacheFilePath());
}

// Where the root's ETag does not tell, idle clients of this remote look at the change beacon
// (RemoteChangeWatch): a cycle that changed the remote rewrites it before it ends.
void CycleRunner::announceRemoteChanges(std::function<void()> then)
{
    const bool changedRemote =
        m_report.uploaded + m_report.deletedRemote + m_report.moved + m_report.conflicts > 0;
    if (!changedRemote || remotePropagationVerified() ||
        !RemoteChangeWatch::supports(*m_res.backend))
        return then();
    touchBeacon(m_res.backend, ReservedNames::statePath(m_options.localRoot, QStringLiteral("tmp")),
                this, std::move(then));
}

void CycleRunner::clearTreeCache()
{
    m_leavesCacheFile = {}; // read for the previous ignore rules
    m_remoteTreeCache.clear();
    dropFreshWalk(); // walked with the previous ignore rules
}

void CycleRunner::offerFreshWalk(RemoteWalker *walker, quint64 journalChangesAtStart)
{
    dropFreshWalk();
    m_freshWalk = walker;
    m_freshWalkOffer = {journalChangesAtStart, m_clock->nowMs()};
    // Not kept in memory by a pair that stays paused or held: past its age it is of no use.
    QTimer::singleShot(FreshWalkMaxAgeMs, walker, &QObject::deleteLater);
}

RemoteWalker *CycleRunner::takeFreshWalk(const QStringList &scopes, bool full)
{
    RemoteWalker *walker = std::exchange(m_freshWalk, nullptr);
    if (!walker)
        return nullptr;
    walker->deleteLater(); // used or not: after this round's planning, as its own walk would be
    const bool wholeRemote = full && scopes == QStringList{QString()};
    const bool usable =
        !walker->error() && mayUseFreshWalk(m_freshWalkOffer, wholeRemote, m_redoRound,
                                            m_res.journal->recordChanges(), m_clock->nowMs());
    return usable ? walker : nullptr;
}

void CycleRunner::startRoundWalk(const QStringList &scopes)
{
    dropRoundWalk();
    RemoteWalker *walker = newRemoteWalker();
    if (remotePropagationVerified() && scopes.contains(QString()))
        walker->setRoot(m_rootEntry);
    m_roundWalk = walker;
    m_roundWalkDone = false;
    QElapsedTimer timer;
    timer.start();
    const bool firstWholeWalk = m_redoRound == 0 && scopes == QStringList{QString()};
    connect(walker, &RemoteWalker::finished, this, [this, walker, timer, firstWholeWalk] {
        if (walker != m_roundWalk)
            return;
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        m_report.remoteWalkSeconds += seconds;
        if (firstWholeWalk)
            m_report.firstWholeWalkSeconds = seconds;
        m_roundWalkDone = true;
        if (m_onRoundWalked)
            awaitRoundWalk(std::exchange(m_onRoundWalked, {}));
    });
    walker->start(scopes);
}

void CycleRunner::awaitRoundWalk(std::function<void(RemoteWalker *)> then)
{
    if (!m_roundWalkDone) {
        m_onRoundWalked = std::move(then);
        return;
    }
    RemoteWalker *walker = std::exchange(m_roundWalk, nullptr);
    m_roundWalkDone = false;
    walker->deleteLater();
    then(walker);
}

void CycleRunner::dropRoundWalk()
{
    if (m_roundWalk)
        m_roundWalk->deleteLater();
    m_roundWalk = nullptr;
    m_roundWalkDone = false;
    m_onRoundWalked = {};
}

void CycleRunner::dropFreshWalk()
{
    if (m_freshWalk)
        m_freshWalk->deleteLater();
    m_freshWalk = nullptr;
}

} // namespace steadysync
