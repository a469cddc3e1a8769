// refusalByPermissions row by row: which changes the server's oc:permissions forbid, so that
// they are never sent (issue 13, deliverable 6).
#include "sync/readonlyfolder.h"
#include "sync/remotepermissioncheck.h"

#include <QTest>

using namespace steadysync;

namespace {

// As Nextcloud 32 gives them (measured): own folder, own file, inside a read-only share.
const RemotePermissions ownFolder = RemotePermissions::fromOwnCloud(u"RGDNVCK");
const RemotePermissions ownFile = RemotePermissions::fromOwnCloud(u"RGDNVW");
const RemotePermissions sharedReadOnly = RemotePermissions::fromOwnCloud(u"SG");
const RemotePermissions dropFolder = RemotePermissions::fromOwnCloud(u"SGC"); // files only

RemoteEntry remoteFile(const QString &path, const RemotePermissions &permissions)
{
    RemoteEntry entry;
    entry.path = path;
    entry.permissions = permissions;
    return entry;
}

SyncAction action(ActionKind kind, const QString &path, ItemType type,
                  std::optional<RemoteEntry> remote = std::nullopt, const QString &from = {})
{
    SyncAction action;
    action.kind = kind;
    action.path = path;
    action.type = type;
    action.remote = std::move(remote);
    action.sourcePath = from;
    return action;
}

} // namespace

Q_DECLARE_METATYPE(steadysync::SyncAction)

class TestRemotePermissionCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rows_data();
    void rows();
    void refusalIsHandledAsTheServersRefusal();
    void listingReplacesWhatWasKnownBelowItsScope();
};

void TestRemotePermissionCheck::rows_data()
{
    QTest::addColumn<SyncAction>("change");
    QTest::addColumn<bool>("refused");
    const auto file = ItemType::File;
    const auto folder = ItemType::Directory;
    const auto upload = ActionKind::Upload;

    QTest::newRow("edit of own file")
        << action(upload, "own/a", file, remoteFile("own/a", ownFile)) << false;
    QTest::newRow("edit in a read-only share")
        << action(upload, "ro/a", file, remoteFile("ro/a", sharedReadOnly)) << true;
    QTest::newRow("new file in own folder") << action(upload, "own/n", file) << false;
    QTest::newRow("new file in a read-only share") << action(upload, "ro/n", file) << true;
    QTest::newRow("new file in a drop folder (C)") << action(upload, "drop/n", file) << false;
    QTest::newRow("new folder in a drop folder (no K)")
        << action(ActionKind::MakeRemoteDir, "drop/d", folder) << true;
    QTest::newRow("new folder in a read-only share")
        << action(ActionKind::MakeRemoteDir, "ro/d", folder) << true;
    QTest::newRow("file in a new folder of a read-only share")
        << action(upload, "ro/new/deeper/x", file) << true;
    QTest::newRow("file in a new folder of own folder")
        << action(upload, "own/new/x", file) << false;
    QTest::newRow("new file at the root") << action(upload, "n", file) << false;
    QTest::newRow("delete own file")
        << action(ActionKind::DeleteRemote, "own/a", file, remoteFile("own/a", ownFile)) << false;
    QTest::newRow("delete in a read-only share")
        << action(ActionKind::DeleteRemote, "ro/a", file, remoteFile("ro/a", sharedReadOnly))
        << true;
    QTest::newRow("rename in a read-only share")
        << action(ActionKind::MoveRemote, "ro/b", file, remoteFile("ro/a", sharedReadOnly), "ro/a")
        << true;
    QTest::newRow("move own file into a read-only share")
        << action(ActionKind::MoveRemote, "ro/a", file, remoteFile("own/a", ownFile), "own/a")
        << true;
    QTest::newRow("move own file to own folder")
        << action(ActionKind::MoveRemote, "own/b", file, remoteFile("a", ownFile), "a") << false;
    QTest::newRow("server without permissions (Apache)")
        << action(upload, "plain/n", file, remoteFile("plain/n", RemotePermissions{})) << false;
    QTest::newRow("downloads are never refused")
        << action(ActionKind::Download, "ro/a", file, remoteFile("ro/a", sharedReadOnly)) << false;
}

void TestRemotePermissionCheck::rows()
{
    QFETCH(SyncAction, change);
    QFETCH(bool, refused);
    const FolderPermissions folders{{QString(), ownFolder},
                                    {QStringLiteral("own"), ownFolder},
                                    {QStringLiteral("ro"), sharedReadOnly},
                                    {QStringLiteral("drop"), dropFolder}};
    QCOMPARE(refusalByPermissions(change, folders).has_value(), refused);
}

// The refusal takes the path of a 403 from the server: restored, kept, reported once.
void TestRemotePermissionCheck::refusalIsHandledAsTheServersRefusal()
{
    const FolderPermissions folders{{QStringLiteral("ro"), sharedReadOnly}};
    const std::optional<Error> refusal =
        refusalByPermissions(action(ActionKind::Upload, "ro/n", ItemType::File), folders);
    QVERIFY(refusal);
    QVERIFY(ReadOnlyFolder::refusedWrite(*refusal));
    QCOMPARE(refusal->message, QStringLiteral("the server's permissions do not allow adding here"));
}

void TestRemotePermissionCheck::listingReplacesWhatWasKnownBelowItsScope()
{
    FolderPermissions folders{{QStringLiteral("a"), sharedReadOnly},
                              {QStringLiteral("a/gone"), sharedReadOnly},
                              {QStringLiteral("b"), sharedReadOnly}};
    RemoteEntry a = remoteFile(QStringLiteral("a"), ownFolder);
    a.type = ItemType::Directory;
    updateFolderPermissions(&folders, {QStringLiteral("a")}, {{QStringLiteral("a"), a}});
    QCOMPARE(folders.value(QStringLiteral("a")), ownFolder);
    QVERIFY(!folders.contains(QStringLiteral("a/gone")));
    QCOMPARE(folders.value(QStringLiteral("b")), sharedReadOnly); // not listed: kept
    updateFolderPermissions(&folders, {QString()}, {});
    QVERIFY(folders.isEmpty());
}

QTEST_GUILESS_MAIN(TestRemotePermissionCheck)
#include "tst_remotepermissioncheck.moc"
