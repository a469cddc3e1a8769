// The FakeBackend's fault injection (tests/support/fakebackend.h) does what tests built on it
// rely on: the contract suite checks its write semantics, this its faults.
#include "fakebackend.h"
#include "jobresult.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;
using Operation = FakeBackend::Operation;
using Fault = FakeBackend::Fault;

class TestFakeBackendFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_local = std::make_unique<QTemporaryDir>();
        QVERIFY(m_local->isValid());
        writeFile(m_local->path(), QStringLiteral("f"), "local bytes");
        m_remote = std::make_unique<FakeBackend>();
    }

    void nthCallFailsAndChangesNothing()
    {
        m_remote->injectFault(Operation::Upload, 2, Fault::fail(ErrorKind::DiskFull));
        QVERIFY(upload(QStringLiteral("1")).ok());
        QVERIFY(upload(QStringLiteral("2")).failedWith(ErrorKind::DiskFull));
        QVERIFY(upload(QStringLiteral("3")).ok());
        QCOMPARE(m_remote->paths(), (QStringList{QStringLiteral("1"), QStringLiteral("3")}));
        QCOMPARE(m_remote->callCount(Operation::Upload), 3);
    }

    void lostAnswerLeavesTheWriteApplied()
    {
        m_remote->injectFault(Operation::Upload, 1, Fault::loseAnswer());
        QVERIFY(upload(QStringLiteral("a")).failedWith(ErrorKind::Transient));
        QCOMPARE(m_remote->content(QStringLiteral("a")), QByteArray("local bytes"));
    }

    void delayedAnswerComesLater()
    {
        m_remote->injectFault(Operation::Stat, 1, Fault::delay(200));
        m_remote->putFile(QStringLiteral("a"), "x");
        QElapsedTimer timer;
        timer.start();
        QVERIFY(runJob(m_remote->stat(QStringLiteral("a"))).ok());
        QVERIFY(timer.elapsed() >= 150); // answered after the delay, not at once
    }

    void incompleteListingLeavesOutWhatItNames()
    {
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
            m_remote->putFile(QStringLiteral("d/") + name, name.toUtf8());
        m_remote->injectFault(Operation::List, 1, Fault::incompleteListing({QStringLiteral("b")}));
        const JobResult partial = runJob(m_remote->list(QStringLiteral("d")));
        QVERIFY(partial.ok()); // wrong without failing, as some servers are
        QVERIFY(partial.listed(QStringLiteral("d/a")) && partial.listed(QStringLiteral("d/c")));
        QVERIFY(!partial.listed(QStringLiteral("d/b")));
        QCOMPARE(runJob(m_remote->list(QStringLiteral("d"))).entries.size(), 3); // once only
    }

    void hookSeesTheCallBeforeItApplies()
    {
        m_remote->putFile(QStringLiteral("a"), "theirs");
        const QByteArray planned = m_remote->entry(QStringLiteral("a"))->signature();
        m_remote->onCall(Operation::Remove, [this](const QString &path) {
            m_remote->putFile(path, "theirs, edited meanwhile");
        });
        QVERIFY(runJob(m_remote->remove(QStringLiteral("a"), Precondition::mustMatch(planned)))
                    .failedWith(ErrorKind::PreconditionFailed));
        QCOMPARE(m_remote->content(QStringLiteral("a")), QByteArray("theirs, edited meanwhile"));
    }

private:
    JobResult upload(const QString &path)
    {
        return runJob(m_remote->upload(m_local->filePath(QStringLiteral("f")), path, 0,
                                       Precondition::none()));
    }

    std::unique_ptr<QTemporaryDir> m_local;
    std::unique_ptr<FakeBackend> m_remote;
};

QTEST_GUILESS_MAIN(TestFakeBackendFaults)
#include "tst_fakebackendfaults.moc"
