#pragma once

#include "entry.h"

#include <QStringList>

#include <array>

namespace steadysync {

// A small summary of what a remote walk saw: equal fingerprints mean, but for a chance of
// 2^-128, the same entries (path, type, size, mtime, ETag) and the same rejected names. A
// watching engine keeps one instead of a second copy of a 100,000-entry snapshot, to tell
// whether a poll found the remote as the last cycle left it.
class RemoteFingerprint
{
public:
    static RemoteFingerprint of(const RemoteSnapshot &entries, const QStringList &rejectedNames);

    // Whether every file had an ETag: without one a same-size rewrite in the same second
    // keeps the signature (size and mtime), and only a full cycle's content check tells.
    bool signaturesTellChanges() const { return m_everyFileHasEtag; }

    friend bool operator==(const RemoteFingerprint &, const RemoteFingerprint &) = default;

private:
    qsizetype m_entries = 0;
    qsizetype m_rejected = 0;
    // Sums of per-entry hashes under two seeds: independent of the walk's order.
    std::array<quint64, 2> m_sums{};
    bool m_everyFileHasEtag = true;
};

} // namespace steadysync
