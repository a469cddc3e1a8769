#include "sync/reconcilerstate.h"

#include <algorithm>

namespace steadysync::reconcile {

int depthOf(const QString &path)
{
    return static_cast<int>(path.count(QLatin1Char('/')));
}

State localState(const LocalEntry *local, const JournalRecord *base)
{
    if (!local)
        return base ? State::Deleted : State::Absent;
    // A pending hash is the scan's promise for files no record names (see Scanner::scan).
    if (!local->isDir() && local->sha256.isEmpty())
        return local->hashPending && !base ? State::New : State::Unreadable;
    if (!base)
        return State::New;
    if (local->type != base->type)
        return State::Changed;
    if (local->isDir())
        return State::Unchanged;
    if (local->sha256 != base->sha256)
        return State::Changed;
    if (base->resolution == LocalResolution::KeepLocal)
        return State::Changed;
    const bool sameStat = base->hasLocalStatOf(*local) && local->ctimeNs == base->localCtimeNs;
    return sameStat ? State::Unchanged : State::MetadataOnly;
}

State remoteState(const RemoteEntry *remote, const JournalRecord *base)
{
    if (!remote)
        return base ? State::Deleted : State::Absent;
    if (!base)
        return State::New;
    if (remote->type != base->type)
        return State::Changed;
    // Where the server names the content (Nextcloud's oc:checksums), it outranks the ETag,
    // which Nextcloud keeps across a rewrite of the same size and mtime (issue 14, case 1c).
    // A record may hold no hash (LocalResolution::KeepLocal): no comparison.
    if (!remote->isDir() && isSha256Hex(remote->sha256) && isSha256Hex(base->sha256) &&
        remote->sha256 != base->sha256)
        return State::Changed;
    // A directory's ETag moves whenever a child changes; the children speak for themselves.
    if (remote->isDir() || base->remoteSettledAt(*remote))
        return State::Unchanged;
    if (base->remoteUnverifiedAt(*remote))
        return State::Unverified;
    return State::Changed;
}

QStringList keysBelow(const QStringList &sortedKeys, const QString &dir)
{
    const QString prefix = dir + QLatin1Char('/');
    QStringList result;
    auto it = std::lower_bound(sortedKeys.cbegin(), sortedKeys.cend(), prefix);
    for (; it != sortedKeys.cend() && it->startsWith(prefix); ++it)
        result.append(*it);
    return result;
}

} // namespace steadysync::reconcile
