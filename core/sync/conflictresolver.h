#pragma once

#include "journal/journal.h"

#include <QMetaType>
#include <QObject>
#include <QStringList>

namespace steadysync {

class VersionKeeper;

enum class ConflictChoice { KeepLocal, KeepRemote, KeepBoth };

// Carries out the user's answer to one open conflict (policy "ask", DESIGN §3): the files are
// left in place and the journal gets a record from which the next cycle derives the transfer,
// with the usual safety checks. One resolve() per object; it answers once, by resolved() or
// failed(), on the thread it lives on (the engine's).
class ConflictResolver : public QObject
{
    Q_OBJECT
public:
    ConflictResolver(QString localRoot, Journal &journal, VersionKeeper &versions,
                     QObject *parent = nullptr);

    void resolve(const QString &path, ConflictChoice choice);

Q_SIGNALS:
    // Settled in the journal; a cycle over changedPaths (the file and its copy) carries it out.
    void resolved(const QString &path, const QStringList &changedPaths);
    void failed(const QString &path, const QString &message);

private:
    // The remote version wins: the local one goes to the trash (kept as a version), the copy
    // takes its name, and its hash is computed in the thread pool before the record is stored.
    void keepRemote(const ConflictRecord &conflict, JournalRecord record);
    // The copy of the remote version goes to the trash (kept as a version); the local version
    // stays and goes up.
    [[nodiscard]] Status trashRemoteCopy(const ConflictRecord &conflict);
    void complete(const ConflictRecord &conflict, const JournalRecord &record);

    QString m_localRoot;
    Journal &m_journal;
    VersionKeeper &m_versions;
};

} // namespace steadysync

Q_DECLARE_METATYPE(steadysync::ConflictChoice)
