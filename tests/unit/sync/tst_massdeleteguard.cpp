#include "sync/massdeleteguard.h"

#include <QTest>

using namespace steadysync;

namespace {

SyncAction action(ActionKind kind, const QString &path, ItemType type = ItemType::File)
{
    SyncAction result;
    result.kind = kind;
    result.path = path;
    result.type = type;
    return result;
}

// A plan with the given numbers of file deletions on each side.
SyncPlan deletions(int local, int remote)
{
    SyncPlan plan;
    for (int i = 0; i < local; ++i)
        plan.actions.append(action(ActionKind::DeleteLocal, QStringLiteral("l%1").arg(i)));
    for (int i = 0; i < remote; ++i)
        plan.actions.append(action(ActionKind::DeleteRemote, QStringLiteral("r%1").arg(i)));
    return plan;
}

} // namespace

class TestMassDeleteGuard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threshold_data()
    {
        QTest::addColumn<int>("localDeletes");
        QTest::addColumn<int>("remoteDeletes");
        QTest::addColumn<qint64>("trackedFiles");
        QTest::addColumn<bool>("blocked");

        QTest::newRow("nothing tracked") << 0 << 0 << qint64(0) << false;
        QTest::newRow("9 tracked, all deleted locally: too few to judge")
            << 9 << 0 << qint64(9) << false;
        QTest::newRow("9 tracked, all deleted remotely: too few to judge")
            << 0 << 9 << qint64(9) << false;
        QTest::newRow("10 tracked, 5 local (exactly half)") << 5 << 0 << qint64(10) << false;
        QTest::newRow("10 tracked, 6 local") << 6 << 0 << qint64(10) << true;
        QTest::newRow("10 tracked, 5 remote (exactly half)") << 0 << 5 << qint64(10) << false;
        QTest::newRow("10 tracked, 6 remote") << 0 << 6 << qint64(10) << true;
        QTest::newRow("10 tracked, 5 on each side") << 5 << 5 << qint64(10) << false;
        QTest::newRow("11 tracked, 6 local") << 6 << 0 << qint64(11) << true;
        QTest::newRow("1000 tracked, 500 remote") << 0 << 500 << qint64(1000) << false;
        QTest::newRow("1000 tracked, 501 remote") << 0 << 501 << qint64(1000) << true;
        QTest::newRow("1000 tracked, all local") << 1000 << 0 << qint64(1000) << true;
    }

    void threshold()
    {
        QFETCH(int, localDeletes);
        QFETCH(int, remoteDeletes);
        QFETCH(qint64, trackedFiles);
        QFETCH(bool, blocked);

        const MassDeleteVerdict verdict =
            checkMassDelete(deletions(localDeletes, remoteDeletes), trackedFiles);
        QCOMPARE(verdict.blocked, blocked);
        QCOMPARE(verdict.trackedFiles, trackedFiles);
        QCOMPARE(verdict.localDeletes, qint64(localDeletes));
        QCOMPARE(verdict.remoteDeletes, qint64(remoteDeletes));
    }

    // Both guards of a cycle's plan (checkDeletionGuards), row by row: the plan (its file
    // deletions on each side), what the cycle saw (a full cycle, an empty side, the files of the
    // journal it planned from) and the tracked count, and the verdict.
    void deletionGuards_data()
    {
        QTest::addColumn<int>("localDeletes");
        QTest::addColumn<int>("remoteDeletes");
        QTest::addColumn<bool>("fullCycle");
        QTest::addColumn<bool>("localEmpty");
        QTest::addColumn<bool>("remoteEmpty");
        QTest::addColumn<qint64>("syncedFiles");
        QTest::addColumn<qint64>("trackedFiles");
        QTest::addColumn<bool>("blocked");
        QTest::addColumn<int>("emptySide"); // MassDeleteVerdict::EmptySide
        QTest::addColumn<qint64>("verdictLocal");
        QTest::addColumn<qint64>("verdictRemote");
        QTest::addColumn<qint64>("verdictTracked");

        constexpr int None = int(MassDeleteVerdict::EmptySide::None);
        constexpr int Local = int(MassDeleteVerdict::EmptySide::Local);
        constexpr int Remote = int(MassDeleteVerdict::EmptySide::Remote);
        // plan (local, remote deletes), full, local empty, remote empty, synced, tracked
        // -> blocked, empty side, verdict's local and remote deletes, its tracked count
        QTest::newRow("empty local side deleting the remote: an unmounted disk")
            << 0 << 3 << true << true << false << qint64(3) << qint64(3) << true << Local
            << qint64(0) << qint64(3) << qint64(3);
        QTest::newRow("empty remote side deleting here: an emptied share")
            << 3 << 0 << true << false << true << qint64(3) << qint64(3) << true << Remote
            << qint64(3) << qint64(0) << qint64(3);
        QTest::newRow("both sides empty: the local side is named")
            << 2 << 2 << true << true << true << qint64(4) << qint64(4) << true << Local
            << qint64(0) << qint64(4) << qint64(4);
        QTest::newRow("empty local side, synced count from the planned journal")
            << 0 << 4 << true << true << false << qint64(4) << qint64(20) << true << Local
            << qint64(0) << qint64(4) << qint64(4);
        QTest::newRow("empty local side, the plan deletes nothing remotely")
            << 0 << 0 << true << true << false << qint64(3) << qint64(3) << false << None
            << qint64(0) << qint64(0) << qint64(3);
        QTest::newRow("empty remote side, the plan deletes nothing here")
            << 0 << 0 << true << false << true << qint64(3) << qint64(3) << false << None
            << qint64(0) << qint64(0) << qint64(3);
        QTest::newRow("empty local side, nothing synced yet")
            << 0 << 0 << true << true << false << qint64(0) << qint64(0) << false << None
            << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("empty local side in a partial cycle: too few for the mass guard")
            << 0 << 3 << false << true << false << qint64(3) << qint64(3) << false << None
            << qint64(0) << qint64(3) << qint64(3);
        QTest::newRow("empty local side in a partial cycle: the mass guard")
            << 0 << 11 << false << true << false << qint64(11) << qint64(20) << true << None
            << qint64(0) << qint64(11) << qint64(20);
        QTest::newRow("both sides listed, half deleted remotely")
            << 0 << 5 << true << false << false << qint64(10) << qint64(10) << false << None
            << qint64(0) << qint64(5) << qint64(10);
        QTest::newRow("both sides listed, 6 of 10 deleted remotely")
            << 0 << 6 << true << false << false << qint64(10) << qint64(10) << true << None
            << qint64(0) << qint64(6) << qint64(10);
        QTest::newRow("both sides listed, 6 of 10 deleted here")
            << 6 << 0 << true << false << false << qint64(10) << qint64(10) << true << None
            << qint64(6) << qint64(0) << qint64(10);
    }

    void deletionGuards()
    {
        QFETCH(int, localDeletes);
        QFETCH(int, remoteDeletes);
        QFETCH(bool, fullCycle);
        QFETCH(bool, localEmpty);
        QFETCH(bool, remoteEmpty);
        QFETCH(qint64, syncedFiles);
        QFETCH(qint64, trackedFiles);
        QFETCH(bool, blocked);
        QFETCH(int, emptySide);
        QFETCH(qint64, verdictLocal);
        QFETCH(qint64, verdictRemote);
        QFETCH(qint64, verdictTracked);

        DeletionGuardInput input;
        input.fullCycle = fullCycle;
        input.localEmpty = localEmpty;
        input.remoteEmpty = remoteEmpty;
        input.syncedFiles = syncedFiles;
        input.trackedFiles = trackedFiles;
        const MassDeleteVerdict verdict =
            checkDeletionGuards(deletions(localDeletes, remoteDeletes), input);
        QCOMPARE(verdict.blocked, blocked);
        QCOMPARE(int(verdict.emptySide), emptySide);
        QCOMPARE(verdict.localDeletes, verdictLocal);
        QCOMPARE(verdict.remoteDeletes, verdictRemote);
        QCOMPARE(verdict.trackedFiles, verdictTracked);
    }

    // The empty-side rule reads "deletes on the other side" as the mass guard does: a remote
    // deletion of a folder, or a check of a remote file with nothing here (VerifyRemote), counts.
    void emptyLocalSideCountsEveryRemoteDeletion_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("blocked");
        QTest::newRow("a remote folder deleted")
            << int(ActionKind::DeleteRemote) << int(ItemType::Directory) << true;
        QTest::newRow("a remote file checked for deletion")
            << int(ActionKind::VerifyRemote) << int(ItemType::File) << true;
        QTest::newRow("a download only")
            << int(ActionKind::Download) << int(ItemType::File) << false;
    }

    void emptyLocalSideCountsEveryRemoteDeletion()
    {
        QFETCH(int, kind);
        QFETCH(int, type);
        QFETCH(bool, blocked);
        SyncPlan plan;
        plan.actions.append(action(ActionKind(kind), QStringLiteral("x"), ItemType(type)));
        DeletionGuardInput input;
        input.fullCycle = true;
        input.localEmpty = true;
        input.syncedFiles = input.trackedFiles = 1;
        QCOMPARE(checkDeletionGuards(plan, input).blocked, blocked);
    }

    void onlyFileDeletionsCount()
    {
        SyncPlan plan = deletions(5, 0);
        plan.actions.append(action(ActionKind::DeleteLocal, "d1", ItemType::Directory));
        plan.actions.append(action(ActionKind::DeleteLocal, "d2", ItemType::Directory));
        plan.actions.append(action(ActionKind::DeleteRemote, "d3", ItemType::Directory));
        SyncAction move = action(ActionKind::MoveRemote, "moved");
        move.sourcePath = QStringLiteral("old");
        for (int i = 0; i < 8; ++i)
            plan.actions.append(move);
        SyncAction remoteRename = action(ActionKind::MoveLocal, "renamed on the server");
        remoteRename.sourcePath = QStringLiteral("was here");
        for (int i = 0; i < 8; ++i)
            plan.actions.append(remoteRename);
        plan.actions.append(action(ActionKind::Forget, "f1"));
        plan.actions.append(action(ActionKind::Upload, "u1"));
        plan.actions.append(action(ActionKind::Download, "u2"));

        const MassDeleteVerdict verdict = checkMassDelete(plan, 10);
        QCOMPARE(verdict.localDeletes, 5);
        QCOMPARE(verdict.remoteDeletes, 0);
        QVERIFY(!verdict.blocked);

        plan.actions.append(action(ActionKind::DeleteLocal, "one-more"));
        QVERIFY(checkMassDelete(plan, 10).blocked);
    }

    // Issue 14 case 7: a folder renamed where the remote's identity could not show it (nginx,
    // rclone, Apache's default ETags) arrives as deletions and new files. Each deletion whose
    // file reappears once elsewhere with the same name and size is a move, not a deletion.
    void renameSeenAsDeletionsIsAMove_data()
    {
        QTest::addColumn<bool>("remoteSide");   // renamed on the server (else: here)
        QTest::addColumn<int>("sizeShift");     // added to the new files' sizes
        QTest::addColumn<bool>("otherContent"); // the new files' hashes differ (local side)
        QTest::addColumn<bool>("blocked");
        QTest::newRow("remote rename, same names and sizes") << true << 0 << false << false;
        QTest::newRow("remote: other sizes (a wipe and new files)") << true << 1 << false << true;
        QTest::newRow("local rename, same names, sizes, hashes") << false << 0 << false << false;
        QTest::newRow("local: other content") << false << 0 << true << true;
    }

    void renameSeenAsDeletionsIsAMove()
    {
        QFETCH(bool, remoteSide);
        QFETCH(int, sizeShift);
        QFETCH(bool, otherContent);
        QFETCH(bool, blocked);
        SyncPlan plan;
        for (int i = 0; i < 200; ++i) {
            const QString name = QStringLiteral("img%1.jpg").arg(i);
            const QByteArray sha = QByteArray::number(i).rightJustified(64, '0');
            JournalRecord record;
            record.path = QStringLiteral("Photos/") + name;
            record.localSize = record.remoteSize = 1000 + i;
            record.sha256 = sha;
            SyncAction gone = action(
                remoteSide ? ActionKind::DeleteLocal : ActionKind::DeleteRemote, record.path);
            gone.base = record;
            SyncAction appeared = action(remoteSide ? ActionKind::Download : ActionKind::Upload,
                                         QStringLiteral("Pictures/") + name);
            if (remoteSide) {
                RemoteEntry entry;
                entry.path = appeared.path;
                entry.size = 1000 + i + sizeShift;
                appeared.remote = entry;
            } else {
                LocalEntry entry;
                entry.path = appeared.path;
                entry.size = 1000 + i + sizeShift;
                entry.sha256 = otherContent ? QByteArray(sha).replace(0, 1, "f") : sha;
                appeared.local = entry;
            }
            plan.actions.append(gone);
            plan.actions.append(appeared);
        }
        const MassDeleteVerdict verdict = checkMassDelete(plan, 203);
        QCOMPARE(verdict.blocked, blocked);
        QCOMPARE(verdict.moves, blocked ? 0 : 200);
    }

    // A new file accounts for one deletion only: two files of one name and size deleted in two
    // folders, one such file new, is one move and one deletion.
    void oneNewFileIsOneMove()
    {
        SyncPlan plan;
        for (const QString &folder : {QStringLiteral("a/"), QStringLiteral("b/")}) {
            SyncAction gone = action(ActionKind::DeleteLocal, folder + QStringLiteral("x.txt"));
            JournalRecord record;
            record.path = gone.path;
            record.remoteSize = 5;
            gone.base = record;
            plan.actions.append(gone);
        }
        SyncAction appeared = action(ActionKind::Download, QStringLiteral("c/x.txt"));
        RemoteEntry entry;
        entry.size = 5;
        appeared.remote = entry;
        plan.actions.append(appeared);
        const MassDeleteVerdict verdict = checkMassDelete(plan, 10);
        QCOMPARE(verdict.moves, 1);
        QCOMPARE(verdict.localDeletes, 1);
    }
};

QTEST_GUILESS_MAIN(TestMassDeleteGuard)
#include "tst_massdeleteguard.moc"
