#pragma once

#include "clirunner.h"
#include "testremote.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace steadysync::test {

// Two clients (folders A and B) of the one remote that STEADYSYNC_TEST_REMOTE names (file://
// or a real WebDAV server), each run through the real steadysync-cli with a private HOME.
struct CliPair
{
    CliPair() { cli.setPassword(remoteSide->password()); }

    QTemporaryDir home;
    std::unique_ptr<TestRemote> remoteSide = TestRemote::fromEnvironment();
    QTemporaryDir folderA;
    QTemporaryDir folderB;
    CliRunner cli{home.path()};

    QString remote() const { return remoteSide->directory(); }
    QString a() const { return folderA.path(); }
    QString b() const { return folderB.path(); }
    QString url() const { return remoteSide->url(); }

    // `sync FOLDER URL --json` with the remote's credentials and extra options.
    CliRunner::Outcome sync(const QString &folder, const QStringList &extra = {}) const
    {
        return cli.run(
            QStringList{QStringLiteral("sync"), folder, url(), QStringLiteral("--json")} +
            remoteSide->credentialArguments() + extra);
    }
};

} // namespace steadysync::test
