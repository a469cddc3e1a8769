// The dashboard shows the account's space on the server (issue 19 item 7): the quota a
// Nextcloud gives in the root listing reaches the pair's card through the engine's status,
// against the scripted Nextcloud 32 (tests/support/scriptednextclouduploads.*, its quota
// answers as recorded in tests/data/nextcloud32/propfind-quota-5mb.xml).
#include "dashboardwindow.h"
#include "paircard.h"
#include "pairmanager.h"
#include "syncstate.h"
#include "uitestenvironment.h"

#include "scriptednextclouduploads.h"
#include "testutil.h"

#include <QApplication>
#include <QTest>

using namespace steadysync;
using steadysync::test::waitFor;
using steadysync::test::writeFile;

namespace {

constexpr qint64 mib = 1024 * 1024;
constexpr int Timeout = 60'000;

} // namespace

class TestUiServerSpace : public QObject
{
    Q_OBJECT
public:
    explicit TestUiServerSpace(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void cardShowsFreeOfTotal();
    void serverThatDoesNotTellShowsNothing();
    void wording();

private:
    test::UiTestEnvironment *m_env;
};

void TestUiServerSpace::cardShowsFreeOfTotal()
{
    test::ScriptedNextcloudUploads server;
    QVERIFY(server.start());
    server.setQuota(10 * mib);
    server.dav().putFile(QStringLiteral("there.bin"), QByteArray(2 * mib, 't'));
    PairConfig pair = m_env->makePair(QStringLiteral("nextcloud"));
    pair.remoteUrl = server.url();
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, Timeout));
    QCOMPARE(dashboard.cards().size(), 1);
    const PairCard *card = dashboard.cards().constFirst();
    const QLocale locale;
    // 2 MiB of 10 used by the file already there (downloaded, nothing sent).
    const QString expected =
        QStringLiteral("Server space: %1 free of %2")
            .arg(locale.formattedDataSize(8 * mib), locale.formattedDataSize(10 * mib));
    QVERIFY2(waitFor([&] { return card->serverSpaceText() == expected; }, Timeout),
             qPrintable(card->serverSpaceText()));
    // An upload uses some of it: the card follows.
    writeFile(pair.localRoot, QStringLiteral("new.bin"), QByteArray(3 * mib, 'n'));
    const QString after =
        QStringLiteral("Server space: %1 free of %2")
            .arg(locale.formattedDataSize(5 * mib), locale.formattedDataSize(10 * mib));
    QVERIFY2(waitFor([&] { return card->serverSpaceText() == after; }, Timeout),
             qPrintable(card->serverSpaceText()));
    QCOMPARE(server.files().value(QStringLiteral("new.bin")).size(), 3 * mib);
}

// A file:// pair (as a plain WebDAV server) says nothing about space: no line.
void TestUiServerSpace::serverThatDoesNotTellShowsNothing()
{
    const PairConfig pair = m_env->makePair(QStringLiteral("plain"));
    PairManager manager{PairStore(m_env->settingsFile())};
    DashboardWindow dashboard(&manager);
    PairSession *session = manager.addOrUpdate(pair);
    QVERIFY(waitFor([&] { return session->state() == SyncState::UpToDate; }, Timeout));
    QCOMPARE(dashboard.cards().constFirst()->serverSpaceText(), QString());
}

void TestUiServerSpace::wording()
{
    const QLocale locale;
    QCOMPARE(PairCard::describeServerSpace(std::nullopt), QString());
    QCOMPARE(
        PairCard::describeServerSpace(ServerSpace::of(5 * mib, -3)),
        QStringLiteral("Server space: %1 used, unlimited").arg(locale.formattedDataSize(5 * mib)));
    QCOMPARE(PairCard::describeServerSpace(ServerSpace::of(std::nullopt, 7 * mib)),
             QStringLiteral("Server space: %1 free").arg(locale.formattedDataSize(7 * mib)));
    // Nextcloud's -2 (not computed) tells nothing.
    QCOMPARE(PairCard::describeServerSpace(ServerSpace::of(std::nullopt, -2)), QString());
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiServerSpace test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uiserverspace.moc"
