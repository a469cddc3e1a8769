#pragma once

#include "pairconfig.h"

#include <QString>
#include <QTemporaryDir>

namespace steadysync::test {

// A throwaway HOME with XDG directories inside it. Must be created before QApplication so
// that QStandardPaths, QSettings and the trash all land in it.
class UiTestEnvironment
{
public:
    UiTestEnvironment();

    QString home() const { return m_home.path(); }
    QString settingsFile() const;
    // A pair of a fresh local folder and a fresh file:// remote folder under HOME.
    PairConfig makePair(const QString &name,
                        ConflictPolicy policy = ConflictPolicy::KeepBoth) const;
    static QString remoteDir(const PairConfig &pair) { return pair.remoteUrl.toLocalFile(); }

private:
    QTemporaryDir m_home;
};

} // namespace steadysync::test
