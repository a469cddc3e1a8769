// RemoteFingerprint tells a poll whether the remote is as a walk left it: any difference in
// an entry's path, type, size, mtime or ETag, or in the rejected names, must change it; the
// order in which a walk found the entries must not.
#include "sync/remotefingerprint.h"

#include <QTest>

#include <functional>

using namespace steadysync;

namespace {

RemoteEntry file(const QString &path, qint64 size, qint64 mtimeNs, const QByteArray &etag)
{
    RemoteEntry entry;
    entry.path = path;
    entry.size = size;
    entry.mtimeNs = mtimeNs;
    entry.etag = etag;
    return entry;
}

RemoteSnapshot baseSnapshot()
{
    RemoteSnapshot snapshot;
    RemoteEntry dir;
    dir.path = QStringLiteral("d");
    dir.type = ItemType::Directory;
    dir.etag = "\"dir-1\"";
    snapshot.insert(dir.path, dir);
    for (int i = 0; i < 50; ++i) {
        const QString path = QStringLiteral("d/f%1.txt").arg(i);
        snapshot.insert(path, file(path, 100 + i, 1'700'000'000'000'000'000 + i,
                                   "\"etag-" + QByteArray::number(i) + '"'));
    }
    return snapshot;
}

using Change = std::function<void(RemoteSnapshot &, QStringList &)>;

} // namespace

Q_DECLARE_METATYPE(Change)

class TestRemoteFingerprint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anyDifferenceChangesIt_data()
    {
        QTest::addColumn<Change>("change");
        const QString f = QStringLiteral("d/f7.txt");
        QTest::newRow("etag") << Change(
            [f](RemoteSnapshot &s, QStringList &) { s[f].etag = "\"other\""; });
        QTest::newRow("weak etag")
            << Change([f](RemoteSnapshot &s, QStringList &) { s[f].etag = "W/" + s[f].etag; });
        QTest::newRow("size") << Change([f](RemoteSnapshot &s, QStringList &) { s[f].size += 1; });
        QTest::newRow("mtime") << Change(
            [f](RemoteSnapshot &s, QStringList &) { s[f].mtimeNs += 1; });
        QTest::newRow("type") << Change(
            [f](RemoteSnapshot &s, QStringList &) { s[f].type = ItemType::Directory; });
        QTest::newRow("added") << Change([](RemoteSnapshot &s, QStringList &) {
            s.insert(QStringLiteral("d/new"), file(QStringLiteral("d/new"), 1, 1, "\"n\""));
        });
        QTest::newRow("removed") << Change([f](RemoteSnapshot &s, QStringList &) { s.remove(f); });
        QTest::newRow("renamed") << Change([f](RemoteSnapshot &s, QStringList &) {
            RemoteEntry moved = s.take(f);
            moved.path = QStringLiteral("d/f7 renamed.txt");
            s.insert(moved.path, moved);
        });
        QTest::newRow("swapped etags") << Change([](RemoteSnapshot &s, QStringList &) {
            std::swap(s[QStringLiteral("d/f1.txt")].etag, s[QStringLiteral("d/f2.txt")].etag);
        });
        QTest::newRow("directory etag") << Change(
            [](RemoteSnapshot &s, QStringList &) { s[QStringLiteral("d")].etag = "\"dir-2\""; });
        QTest::newRow("rejected name") << Change([](RemoteSnapshot &, QStringList &rejected) {
            rejected.append(QStringLiteral("d/../evil"));
        });
    }
    void anyDifferenceChangesIt()
    {
        QFETCH(Change, change);
        RemoteSnapshot snapshot = baseSnapshot();
        QStringList rejected;
        const RemoteFingerprint before = RemoteFingerprint::of(snapshot, rejected);
        change(snapshot, rejected);
        QVERIFY(RemoteFingerprint::of(snapshot, rejected) != before);
    }

    void orderDoesNotMatter()
    {
        const RemoteSnapshot snapshot = baseSnapshot();
        RemoteSnapshot reversed;
        QList<QString> keys = snapshot.keys();
        std::reverse(keys.begin(), keys.end());
        for (const QString &key : std::as_const(keys))
            reversed.insert(key, snapshot.value(key));
        const QStringList rejected{QStringLiteral("a/.."), QStringLiteral("b/..")};
        const QStringList rejectedReversed{rejected.at(1), rejected.at(0)};
        QCOMPARE(RemoteFingerprint::of(reversed, rejectedReversed),
                 RemoteFingerprint::of(snapshot, rejected));
    }

    void filesWithoutEtagCannotTell()
    {
        RemoteSnapshot snapshot = baseSnapshot();
        QVERIFY(RemoteFingerprint::of(snapshot, {}).signaturesTellChanges());
        snapshot[QStringLiteral("d")].etag.clear(); // a directory without one is fine
        QVERIFY(RemoteFingerprint::of(snapshot, {}).signaturesTellChanges());
        snapshot[QStringLiteral("d/f3.txt")].etag.clear(); // nginx: size and mtime only
        QVERIFY(!RemoteFingerprint::of(snapshot, {}).signaturesTellChanges());
    }
};

QTEST_GUILESS_MAIN(TestRemoteFingerprint)
#include "tst_remotefingerprint.moc"
