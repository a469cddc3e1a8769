#pragma once

#include <QStringList>
#include <QtGlobal>

namespace steadysync {

// A walk of the whole remote that a poll (Engine::pollRemote) made and that found a change,
// offered to the cycle the poll starts. Where the server keeps no tree cache (Apache, nginx,
// rclone: their collection ETags do not follow their contents) that cycle would list the whole
// remote again right after the poll did: two full listings per remote change, for every
// watching client of the folder.
struct FreshWalkOffer
{
    quint64 journalChangesAtStart = 0; // Journal::recordChanges() when the walk started
    qint64 endedMs = 0;                // the engine's clock when it ended
};

// Older than this, a walk is listed again: it would only make the cycle's work staler (what
// changes after a walk is caught by the conditional transfers either way). A local scan of a
// million files takes ~8 s before the cycle needs the walk.
constexpr qint64 FreshWalkMaxAgeMs = 10'000;

// Whether a cycle's round may use the offer instead of walking: the first round of a full
// cycle, with the journal's records as they were when the walk started (a walk made before
// this pair changed the remote and recorded it would read as changes by others), and the walk
// recent.
constexpr bool mayUseFreshWalk(const FreshWalkOffer &offer, bool wholeRemote, int redoRound,
                               quint64 journalChangesNow, qint64 nowMs)
{
    return wholeRemote && redoRound == 0 && journalChangesNow == offer.journalChangesAtStart &&
           nowMs >= offer.endedMs && nowMs - offer.endedMs <= FreshWalkMaxAgeMs;
}

} // namespace steadysync
