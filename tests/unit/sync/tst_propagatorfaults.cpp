// The Propagator's "changed meanwhile → redo" branches and its answers to remote faults, driven
// deterministically with the in-memory FakeBackend (tests/support/fakebackend.h): a hook
// changes a side at the very moment a request goes out, and injected faults fail or lose a
// given request. Each case checks what a user cares about: nothing overwritten, the file
// kept, and the path handed back for a new reconciliation (redoPaths) or the retry queue.
// tst_propagator holds the same branches against a plain directory remote.
#include "fakebackend.h"
#include "journal/journal.h"
#include "scannedentry.h"
#include "sync/propagator.h"
#include "testutil.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace steadysync;
using steadysync::test::FakeBackend;
using steadysync::test::readFile;
using steadysync::test::waitFor;
using steadysync::test::writeFile;
using Operation = FakeBackend::Operation;
using Fault = FakeBackend::Fault;

class TestPropagatorFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void remoteChangedBetweenPlanAndUploadIsNotOverwritten();
    void remoteCreatedBetweenPlanAndUploadIsNotOverwritten();
    void localChangedDuringUploadIsRedone();
    void remoteDeletedBeforeDownloadIsRedone();
    void remoteChangedBeforeDeleteIsKept();
    void uploadWhoseAnswerWasLostIsRetried();
    void failedUploadGoesToRetryQueueAndOthersProceed();
    void slowUploadStillCompletes();
    void unprovenUploadsDoNotHoldBackTheOthers();

private:
    QString localPath(const QString &path) const { return m_local->path() + u'/' + path; }
    LocalEntry scanned(const QString &path) const;
    SyncAction action(ActionKind kind, const QString &path) const;
    void propagate(const QVector<SyncAction> &actions);

    std::unique_ptr<QTemporaryDir> m_local;
    std::unique_ptr<FakeBackend> m_remote;
    std::unique_ptr<Journal> m_journal;
    std::unique_ptr<Propagator> m_propagator;
};

void TestPropagatorFaults::init()
{
    m_local = std::make_unique<QTemporaryDir>();
    QVERIFY(m_local->isValid());
    m_remote = std::make_unique<FakeBackend>();
    Result<std::unique_ptr<Journal>> journal = Journal::open(m_local->path());
    QVERIFY(journal.ok());
    m_journal = std::move(*journal);
}

void TestPropagatorFaults::cleanup()
{
    m_propagator.reset();
    m_journal.reset();
    m_remote.reset();
    m_local.reset();
}

LocalEntry TestPropagatorFaults::scanned(const QString &path) const
{
    return test::scannedEntry(m_local->path(), path);
}

// An action planned from both sides as they are now.
SyncAction TestPropagatorFaults::action(ActionKind kind, const QString &path) const
{
    SyncAction planned;
    planned.kind = kind;
    planned.path = path;
    if (QFile::exists(localPath(path)))
        planned.local = scanned(path);
    planned.remote = m_remote->entry(path);
    return planned;
}

void TestPropagatorFaults::propagate(const QVector<SyncAction> &actions)
{
    PropagationSettings settings;
    settings.localRoot = m_local->path();
    settings.parallel = 1;
    m_propagator = std::make_unique<Propagator>(settings, m_remote.get(), m_journal.get(),
                                                SystemClock::instance());
    QSignalSpy finished(m_propagator.get(), &Propagator::finished);
    SyncPlan plan;
    plan.actions = actions;
    m_propagator->start(plan, RemoteSnapshot{});
    QVERIFY(waitFor([&] { return finished.count() > 0; }));
}

// Another client writes the file while our upload is on its way: theirs stays.
void TestPropagatorFaults::remoteChangedBetweenPlanAndUploadIsNotOverwritten()
{
    m_remote->putFile(QStringLiteral("a.txt"), "remote v1");
    writeFile(m_local->path(), QStringLiteral("a.txt"), "local edit");
    const SyncAction upload = action(ActionKind::Upload, QStringLiteral("a.txt"));
    m_remote->onCall(Operation::Upload, [this](const QString &path) {
        m_remote->putFile(path, "remote v2 by another client");
    });

    propagate({upload});

    QVERIFY(m_propagator->redoPaths().contains(upload.path));
    QCOMPARE(m_remote->content(upload.path), QByteArray("remote v2 by another client"));
    QCOMPARE(readFile(localPath(upload.path)), QByteArray("local edit"));
    QCOMPARE(m_propagator->report().uploaded, 0);
    QVERIFY(!m_journal->record(upload.path));
}

void TestPropagatorFaults::remoteCreatedBetweenPlanAndUploadIsNotOverwritten()
{
    writeFile(m_local->path(), QStringLiteral("new.txt"), "made here");
    const SyncAction upload = action(ActionKind::Upload, QStringLiteral("new.txt"));
    QVERIFY(!upload.remote);
    m_remote->onCall(Operation::Upload, [this](const QString &path) {
        m_remote->putFile(path, "made there at the same time");
    });

    propagate({upload});

    QVERIFY(m_propagator->redoPaths().contains(upload.path));
    QCOMPARE(m_remote->content(upload.path), QByteArray("made there at the same time"));
    QCOMPARE(readFile(localPath(upload.path)), QByteArray("made here"));
    QVERIFY(!m_journal->record(upload.path));
}

// The file is written again while it goes up: the new write is kept and goes up next round.
void TestPropagatorFaults::localChangedDuringUploadIsRedone()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "planned");
    const SyncAction upload = action(ActionKind::Upload, QStringLiteral("a.txt"));
    m_remote->onCall(Operation::Upload, [this](const QString &path) {
        writeFile(m_local->path(), path, "written while uploading, longer");
    });

    propagate({upload});

    QVERIFY(m_propagator->redoPaths().contains(upload.path));
    QCOMPARE(readFile(localPath(upload.path)), QByteArray("written while uploading, longer"));
    // Never recorded as in sync with the new write: the next round sends it.
    const std::optional<JournalRecord> record = m_journal->record(upload.path);
    QVERIFY(!record || record->localSize == upload.local->size);
}

void TestPropagatorFaults::remoteDeletedBeforeDownloadIsRedone()
{
    m_remote->putFile(QStringLiteral("a.txt"), "remote");
    const SyncAction download = action(ActionKind::Download, QStringLiteral("a.txt"));
    m_remote->onCall(Operation::Download, [this](const QString &path) { m_remote->erase(path); });

    propagate({download});

    QVERIFY(m_propagator->redoPaths().contains(download.path));
    QVERIFY(!QFile::exists(localPath(download.path)));
    QVERIFY(!m_propagator->abortReason());
    QVERIFY(!m_journal->record(download.path));
}

// A deletion planned from an old listing never removes a newer version.
void TestPropagatorFaults::remoteChangedBeforeDeleteIsKept()
{
    m_remote->putFile(QStringLiteral("a.txt"), "remote v1");
    const SyncAction deletion = action(ActionKind::DeleteRemote, QStringLiteral("a.txt"));
    m_remote->onCall(Operation::Remove, [this](const QString &path) {
        m_remote->putFile(path, "remote v2 by another client");
    });

    propagate({deletion});

    QVERIFY(m_propagator->redoPaths().contains(deletion.path));
    QCOMPARE(m_remote->content(deletion.path), QByteArray("remote v2 by another client"));
    QCOMPARE(m_propagator->report().deletedRemote, 0);
}

// The server stored the upload but the answer never came: not recorded as synced (the
// record would name a version we never saw), retried, and the local file untouched.
void TestPropagatorFaults::uploadWhoseAnswerWasLostIsRetried()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "local");
    const SyncAction upload = action(ActionKind::Upload, QStringLiteral("a.txt"));
    m_remote->injectFault(Operation::Upload, 1, Fault::loseAnswer());

    propagate({upload});

    QCOMPARE(m_remote->content(upload.path), QByteArray("local"));
    QCOMPARE(readFile(localPath(upload.path)), QByteArray("local"));
    QCOMPARE(m_propagator->report().uploaded, 0);
    QVERIFY(!m_journal->record(upload.path));
    const QVector<RetryItem> queued = m_journal->retryItems();
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.constFirst().path, upload.path);
    QVERIFY(!queued.constFirst().failedPermanently);
    QVERIFY(!m_propagator->abortReason());
}

// The second of three uploads fails with a server error: it waits in the retry queue, the
// others go up.
void TestPropagatorFaults::failedUploadGoesToRetryQueueAndOthersProceed()
{
    QVector<SyncAction> uploads;
    for (const QString &name :
         {QStringLiteral("1.txt"), QStringLiteral("2.txt"), QStringLiteral("3.txt")}) {
        writeFile(m_local->path(), name, name.toUtf8());
        uploads.append(action(ActionKind::Upload, name));
    }
    m_remote->injectFault(Operation::Upload, 2, Fault::fail(ErrorKind::Transient));

    propagate(uploads);

    QCOMPARE(m_remote->callCount(Operation::Upload), 3);
    QCOMPARE(m_propagator->report().uploaded, 2);
    QCOMPARE(m_journal->retryItems().size(), 1);
    QVERIFY(!m_journal->retryItems().constFirst().failedPermanently);
    const QString failed = m_journal->retryItems().constFirst().path;
    QVERIFY(!m_remote->exists(failed));
    for (const SyncAction &upload : std::as_const(uploads)) {
        QCOMPARE(readFile(localPath(upload.path)), upload.path.toUtf8());
        if (upload.path != failed)
            QCOMPARE(m_remote->content(upload.path), upload.path.toUtf8());
    }
}

void TestPropagatorFaults::slowUploadStillCompletes()
{
    writeFile(m_local->path(), QStringLiteral("a.txt"), "slow");
    const SyncAction upload = action(ActionKind::Upload, QStringLiteral("a.txt"));
    m_remote->injectFault(Operation::Upload, 1, Fault::delay(300));

    propagate({upload});

    QCOMPARE(m_propagator->report().uploaded, 1);
    const std::optional<JournalRecord> record = m_journal->record(upload.path);
    QVERIFY(record);
    QCOMPARE(record->remoteSignature, m_remote->entry(upload.path)->signature());
}

// Uploads whose write cannot be proven at once (DESIGN §4 "Two writers") wait for their check
// together: the next uploads go ahead meanwhile (waiting 500 ms each, four at a time, made
// Steadysync's first upload to Apache 10x slower than curl), and the round that checks them
// waits until the last one has settled.
void TestPropagatorFaults::unprovenUploadsDoNotHoldBackTheOthers()
{
    m_remote->setUploadsUnproven(true);
    QVector<SyncAction> uploads;
    for (int index = 0; index < 40; ++index) {
        const QString path = QStringLiteral("f%1.txt").arg(index);
        writeFile(m_local->path(), path, "content " + QByteArray::number(index));
        uploads.append(action(ActionKind::Upload, path));
    }
    PropagationSettings settings;
    settings.localRoot = m_local->path();
    settings.parallel = 1;
    settings.unprovenSettleMs = 120'000; // longer than the test's deadlines
    m_propagator = std::make_unique<Propagator>(settings, m_remote.get(), m_journal.get(),
                                                SystemClock::instance());
    QSignalSpy finished(m_propagator.get(), &Propagator::finished);
    SyncPlan plan;
    plan.actions = uploads;
    m_propagator->start(plan, RemoteSnapshot{});

    QVERIFY(waitFor([&] { return m_propagator->redoPaths().size() == uploads.size(); }));
    QCOMPARE(m_remote->callCount(Operation::Upload), uploads.size());
    for (const SyncAction &upload : std::as_const(uploads)) {
        const std::optional<JournalRecord> record = m_journal->record(upload.path);
        QVERIFY2(record, qPrintable(upload.path));
        QCOMPARE(record->remoteCheck, RemoteCheck::Unproven);
    }
    QCOMPARE(finished.count(), 0); // the check of the last one waits for it to settle

    m_propagator->abort(makeError(ErrorKind::Cancelled, QStringLiteral("test over")));
    QVERIFY(waitFor([&] { return finished.count() > 0; }));
}
QTEST_GUILESS_MAIN(TestPropagatorFaults)
#include "tst_propagatorfaults.moc"
