#include "sync/remotefingerprint.h"

#include <QHash>

namespace steadysync {

namespace {

constexpr std::array<size_t, 2> Seeds{0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL};

quint64 entryHash(const RemoteEntry &entry, size_t seed)
{
    size_t hash = qHash(entry.path, seed);
    hash = qHashMulti(hash, int(entry.type), entry.size, entry.mtimeNs, entry.etag);
    return quint64(hash);
}

} // namespace

RemoteFingerprint RemoteFingerprint::of(const RemoteSnapshot &entries,
                                        const QStringList &rejectedNames)
{
    RemoteFingerprint fingerprint;
    fingerprint.m_entries = entries.size();
    fingerprint.m_rejected = rejectedNames.size();
    for (const RemoteEntry &entry : entries) {
        for (size_t i = 0; i < Seeds.size(); ++i)
            fingerprint.m_sums[i] += entryHash(entry, Seeds[i]);
        if (!entry.isDir() && entry.etag.isEmpty())
            fingerprint.m_everyFileHasEtag = false;
    }
    for (const QString &name : rejectedNames) {
        for (size_t i = 0; i < Seeds.size(); ++i)
            fingerprint.m_sums[i] += quint64(qHash(name, ~Seeds[i]));
    }
    return fingerprint;
}

} // namespace steadysync
