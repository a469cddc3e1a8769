#pragma once

#include "result.h"

#include <QString>
#include <QUrl>

namespace steadysync {

class Journal;

// The identity of a pair's two roots (DESIGN §4 "Root identity", DESIGN.md "Root identity").
//
// Local root: a random pair id in LOCAL_ROOT/.steadysync/pair-id, the same id in the journal's
// settings, and the root directory's device and inode. A file:// remote root: a marker file
// the client creates there (REMOTE/.steadysync/folder-id, like Syncthing's .stfolder; the
// .steadysync name is internal, never synced), whose id the journal records.
//
// establish() runs once per process, after the pair lock and the journal are open: it decides
// whether the journal belongs to the root it sits in and adopts the root's identity. A journal
// that does not belong (copied from a sibling client, restored from another machine) loses
// its sync history, so the next cycle compares both sides in full: nothing is deleted and
// differing contents are kept both. The check*() calls run in every cycle: a root that changed
// identity since establish() (replaced, unmounted, its .steadysync/ or marker gone) stops the
// cycle before anything is planned.
class RootIdentity
{
public:
    [[nodiscard]] static Result<RootIdentity> establish(const QString &localRoot,
                                                        const QUrl &remoteUrl, Journal &journal);

    // Why the journal was found not to belong to its root; empty when it did.
    QString foreignJournalReason() const { return m_foreignReason; }

    // Permanent when the local root is gone or is another folder than at establish().
    [[nodiscard]] Status checkLocal() const;
    // For a file:// remote: RootMissing when its marker is gone or differs. The first call of
    // a pair without a recorded marker (a new pair, a journal from before) creates or adopts it.
    [[nodiscard]] Status checkRemote(Journal &journal) const;

    static QString pairIdPath(const QString &localRoot);
    static QString remoteMarkerPath(const QString &remoteDirectory);

private:
    RootIdentity() = default;

    QString m_localRoot;
    QString m_remoteDirectory; // empty unless the remote is file://
    QString m_pairId;
    quint64 m_device = 0;
    quint64 m_inode = 0;
    QString m_foreignReason;
};

} // namespace steadysync
