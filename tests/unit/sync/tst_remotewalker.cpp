#include "remote/remotebackend.h"
#include "sync/remotetreecache.h"
#include "sync/remotewalker.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QMap>
#include <QTest>

#include <algorithm>

using namespace steadysync;

namespace {

template<typename Base> class FinishedJob final : public Base
{
public:
    using Base::Base;

    void complete(const std::optional<Error> &error) { this->finish(error); }
    void complete(QVector<RemoteEntry> entries, RejectedMembers rejected)
    {
        if constexpr (std::is_base_of_v<ListJob, Base>) {
            this->m_entries = std::move(entries);
            this->m_rejected = std::move(rejected.names);
            this->m_rejectedPaths = std::move(rejected.paths);
        }
        this->finish();
    }
    void complete(RemoteEntry entry)
    {
        if constexpr (std::is_base_of_v<EntryJob, Base>)
            this->m_entry = std::move(entry);
        this->finish();
    }
};

// An in-memory remote. Propagated: a collection's ETag is a hash over everything below it
// (ownCloud, Nextcloud). FollowChildren: it changes whenever a direct member is added, removed
// or written, like the mtime Apache's ETag is made of; a write in place on the server's disk
// leaves it alone. Static: every collection keeps one ETag forever, so a walk that skipped on
// ETags would miss changes. Counts list() calls per collection.
class FakeBackend final : public RemoteBackend
{
public:
    enum class DirectoryEtags { Static, Propagated, FollowChildren };

    explicit FakeBackend(DirectoryEtags etags) : m_etags(etags) {}

    void putFile(const QString &path, const QByteArray &content)
    {
        QStringList missing;
        for (QString dir = parentPath(path); !dir.isEmpty() && !m_nodes.contains(dir);
             dir = parentPath(dir))
            missing.prepend(dir);
        for (const QString &dir : missing) {
            m_nodes.insert(dir, Node{ItemType::Directory, {}});
            touch(parentPath(dir));
        }
        m_nodes.insert(path, Node{ItemType::File, content});
        touch(parentPath(path));
    }
    void putDirectory(const QString &path)
    {
        putFile(joinPath(path, QStringLiteral("placeholder")), {});
        m_nodes.remove(joinPath(path, QStringLiteral("placeholder")));
    }
    // Rewrites a file without going through the server: no collection's mtime changes.
    void overwriteInPlace(const QString &path, const QByteArray &content)
    {
        m_nodes.find(path)->content = content;
    }
    void removeTree(const QString &path)
    {
        for (auto it = m_nodes.begin(); it != m_nodes.end();)
            it = isSameOrBelow(it.key(), path) ? m_nodes.erase(it) : std::next(it);
        touch(parentPath(path));
    }
    // pathToKeep: where the refused name would lie (ListJob::rejectedPaths), if anywhere. The
    // report names the whole path, as the real backends' do.
    void rejectIn(const QString &directory, const QString &name, const QString &pathToKeep = {})
    {
        m_rejected[directory] = {{joinPath(directory, name)},
                                 pathToKeep.isEmpty() ? QStringList() : QStringList{pathToKeep}};
    }

    // How listTree() answers: refused (Apache, nginx), with everything below (rclone), or
    // silently with the direct members only (a server that downgrades Depth: infinity).
    enum class TreeListing { Refused, Whole, DirectMembersOnly };
    void setTreeListing(TreeListing treeListing) { m_treeListing = treeListing; }
    int treeListings() const { return m_treeListings; }
    bool treeListingDistrusted() const { return m_treeListingDistrusted; }

    QStringList listedDirectories() const
    {
        QStringList listed = m_listed;
        listed.sort();
        return listed;
    }
    void resetCounts() { m_listed.clear(); }

    QUrl url() const override { return QUrl(QStringLiteral("fake:/")); }
    bool enforcesPreconditions() const override { return true; }
    bool propagatesDirectoryEtags() const override { return m_etags == DirectoryEtags::Propagated; }
    bool directoryEtagsFollowChildren() const override
    {
        return m_etags == DirectoryEtags::FollowChildren;
    }

    EntryJob *stat(const QString &path) override
    {
        auto *job = new FinishedJob<EntryJob>(this);
        if (path.isEmpty())
            job->complete(
                RemoteEntry{QString(), ItemType::Directory, 0, 0, etagOf(path), {}, {}, {}});
        else if (!m_nodes.contains(path))
            job->complete(makeError(ErrorKind::NotFound, path));
        else
            job->complete(entryOf(path));
        return job;
    }

    ListJob *list(const QString &directory) override
    {
        m_listed.append(directory);
        auto *job = new FinishedJob<ListJob>(this);
        if (!directory.isEmpty() && !m_nodes.contains(directory)) {
            job->complete(makeError(ErrorKind::NotFound, directory));
            return job;
        }
        QVector<RemoteEntry> entries;
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
            if (parentPath(it.key()) == directory)
                entries.append(entryOf(it.key()));
        }
        job->complete(entries, m_rejected.value(directory));
        return job;
    }

    ListJob *listTree(const QString &directory) override
    {
        if (m_treeListing == TreeListing::Refused || m_treeListingDistrusted)
            return nullptr;
        ++m_treeListings;
        auto *job = new FinishedJob<ListJob>(this);
        QVector<RemoteEntry> entries;
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
            const bool wanted = m_treeListing == TreeListing::Whole
                                    ? it.key() != directory && isSameOrBelow(it.key(), directory)
                                    : parentPath(it.key()) == directory;
            if (wanted)
                entries.append(entryOf(it.key()));
        }
        job->complete(entries, {});
        return job;
    }
    void distrustTreeListing() override { m_treeListingDistrusted = true; }

    EntryJob *download(const QString &, const QString &) override { return refusedEntryJob(); }
    EntryJob *upload(const QString &, const QString &, qint64, const Precondition &, UploadHashing,
                     const QByteArray &) override
    {
        return refusedEntryJob();
    }
    EntryJob *makeDirectory(const QString &) override { return refusedEntryJob(); }
    RemoteJob *move(const QString &, const QString &, const Precondition &) override
    {
        return refusedEntryJob();
    }
    RemoteJob *remove(const QString &, const Precondition &) override { return refusedEntryJob(); }
    RemoteJob *removeStalePartials(qint64) override { return refusedEntryJob(); }
    RemoteJob *removeTemporaries(const QStringList &) override { return refusedEntryJob(); }

private:
    struct Node
    {
        ItemType type = ItemType::File;
        QByteArray content;
        int changes = 0; // of its direct members, through the server
    };

    void touch(const QString &directory)
    {
        if (const auto it = m_nodes.find(directory); it != m_nodes.end())
            ++it->changes;
    }

    EntryJob *refusedEntryJob()
    {
        auto *job = new FinishedJob<EntryJob>(this);
        job->complete(makeError(ErrorKind::Permanent, QStringLiteral("not in this test")));
        return job;
    }

    static QByteArray quotedHash(const QByteArray &data)
    {
        return '"' + QCryptographicHash::hash(data, QCryptographicHash::Sha1).toHex().left(16) +
               '"';
    }

    QByteArray etagOf(const QString &path) const
    {
        if (!path.isEmpty() && m_nodes.value(path).type == ItemType::File)
            return quotedHash(m_nodes.value(path).content);
        if (m_etags == DirectoryEtags::Static)
            return "\"collection\"";
        if (m_etags == DirectoryEtags::FollowChildren)
            return '"' + QByteArray::number(m_nodes.value(path).changes) + '"';
        QByteArray subtree;
        for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
            if (it.key() != path && isSameOrBelow(it.key(), path))
                subtree += it.key().toUtf8() + '\0' + it.value().content + '\0';
        }
        return quotedHash(subtree);
    }

    RemoteEntry entryOf(const QString &path) const
    {
        const Node node = m_nodes.value(path);
        const qint64 size = node.type == ItemType::File ? node.content.size() : 0;
        return RemoteEntry{path, node.type, size, 1'000'000'000, etagOf(path), {}, {}, {}};
    }

    DirectoryEtags m_etags;
    QMap<QString, Node> m_nodes;
    QHash<QString, RejectedMembers> m_rejected;
    QStringList m_listed;
    TreeListing m_treeListing = TreeListing::Refused;
    int m_treeListings = 0;
    bool m_treeListingDistrusted = false;
};

struct Walk
{
    bool ok = false;
    RemoteSnapshot snapshot;
    QStringList rejected;
    QStringList rejectedPaths;
    int subtreesReused = 0;
};

// One walk as the engine does it: with the cache, updating it afterwards.
Walk walk(FakeBackend *backend, RemoteTreeCache *cache, const QStringList &scopes = {QString()},
          const Clock *clock = SystemClock::instance())
{
    RemoteWalker walker(backend, IgnoreRules(), 4);
    walker.setTreeCache(cache, clock);
    bool finished = false;
    QObject::connect(&walker, &RemoteWalker::finished, [&finished] { finished = true; });
    walker.start(scopes);
    Walk result;
    if (!test::waitFor([&finished] { return finished; }, 30'000) || walker.error())
        return result;
    if (cache)
        cache->update(scopes, walker.snapshot(), walker.rejectedByDirectory(),
                      walker.fullWalkStartedMs());
    result.ok = true;
    result.snapshot = walker.snapshot();
    result.rejected = walker.rejectedNames();
    result.rejected.sort();
    result.rejectedPaths = walker.rejectedPaths();
    result.rejectedPaths.sort();
    result.subtreesReused = walker.subtreesReused();
    return result;
}

// What a walk without any cache finds: the truth the cached walks must equal.
RemoteSnapshot fullWalk(FakeBackend *backend, const QStringList &scopes = {QString()})
{
    return walk(backend, nullptr, scopes).snapshot;
}

QString differences(const RemoteSnapshot &actual, const RemoteSnapshot &expected)
{
    QStringList lines;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (!actual.contains(it.key()))
            lines.append(QStringLiteral("missing ") + it.key());
        else if (!(actual.value(it.key()) == it.value()))
            lines.append(QStringLiteral("stale ") + it.key());
    }
    for (auto it = actual.cbegin(); it != actual.cend(); ++it) {
        if (!expected.contains(it.key()))
            lines.append(QStringLiteral("extra ") + it.key());
    }
    lines.sort();
    return lines.join(QStringLiteral(", "));
}

} // namespace

class TestRemoteWalker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void firstWalkListsEverything();
    void secondWalkWithNothingChangedListsOnlyTheRoot();
    void deepChangeListsOnlyTheCollectionsOnItsPath();
    void newFileInNewSubdirectoryAppears();
    void deletedSubtreeDisappears();
    void rejectedNamesAreReportedFromTheCacheToo();
    void wideTreeListsOnlyThePathToAChange();
    void backendWithoutPropagationListsEverythingEveryTime();
    void scopedWalkUpdatesTheCache();
    void scopedWalkOfAnUnchangedScopeListsNothing();
    void scopedWalkOfADeletedScopeDropsItFromTheCache();

    void unchangedLeavesAreNotListed();
    void changedLeafIsListed();
    void leafWithANewSubcollectionIsListed();
    void collectionWithSubcollectionsIsListedThoughItsEtagIsUnchanged();
    void leavesAreListedAgainAnHourAfterTheLastFullWalk();
    void emptiedCacheMeansAFullWalk();
    void aClockSetBackMeansAFullWalk();
    void scopedWalkOfAnUnchangedLeafListsNothing();

    void treeAnswerOfDirectMembersOnlyIsWalkedOnAndDistrusted();
    void wholeTreeAnswerIsUsedAndOnlyItsEmptyCollectionsAreListed();
    void freshLeavesAreListedFromTheRootNotAskedForWhole();
    void aDeepTreeIsStillAskedForWhole();
    void listingsBeatTreeAnswer_data();
    void listingsBeatTreeAnswer();

private:
    static void fillTree(FakeBackend *backend);

    std::unique_ptr<FakeBackend> m_backend;
    RemoteTreeCache m_cache;
    const QStringList m_allDirectories{QString(),
                                       QStringLiteral("a"),
                                       QStringLiteral("a/b"),
                                       QStringLiteral("a/b/c"),
                                       QStringLiteral("a/b/d"),
                                       QStringLiteral("a/e"),
                                       QStringLiteral("x"),
                                       QStringLiteral("x/y")};
};

void TestRemoteWalker::init()
{
    m_cache.clear();
    m_backend = std::make_unique<FakeBackend>(FakeBackend::DirectoryEtags::Propagated);
    fillTree(m_backend.get());
}

void TestRemoteWalker::fillTree(FakeBackend *backend)
{
    backend->putFile(QStringLiteral("top.txt"), "top");
    backend->putFile(QStringLiteral("a/one.txt"), "one");
    backend->putFile(QStringLiteral("a/b/two.txt"), "two");
    backend->putFile(QStringLiteral("a/b/c/deep.txt"), "deep");
    backend->putFile(QStringLiteral("a/b/c/deep2.txt"), "deep2");
    backend->putFile(QStringLiteral("a/b/d/other.txt"), "other");
    backend->putFile(QStringLiteral("a/e/sibling.txt"), "sibling");
    backend->putFile(QStringLiteral("x/y/far.txt"), "far");
}

void TestRemoteWalker::firstWalkListsEverything()
{
    const Walk first = walk(m_backend.get(), &m_cache);
    QVERIFY(first.ok);
    QCOMPARE(m_backend->listedDirectories(), m_allDirectories);
    QCOMPARE(first.subtreesReused, 0);
    QCOMPARE(first.snapshot.size(), 15);
    QCOMPARE(m_cache.size(), 15);
}

void TestRemoteWalker::secondWalkWithNothingChangedListsOnlyTheRoot()
{
    const Walk first = walk(m_backend.get(), &m_cache);
    m_backend->resetCounts();
    const Walk second = walk(m_backend.get(), &m_cache);
    QVERIFY(second.ok);
    QCOMPARE(m_backend->listedDirectories(), QStringList{QString()});
    QCOMPARE(second.subtreesReused, 2); // a, x
    QCOMPARE(differences(second.snapshot, first.snapshot), QString());
}

void TestRemoteWalker::deepChangeListsOnlyTheCollectionsOnItsPath()
{
    walk(m_backend.get(), &m_cache);
    m_backend->putFile(QStringLiteral("a/b/c/deep.txt"), "changed deep down");
    m_backend->resetCounts();
    const Walk second = walk(m_backend.get(), &m_cache);
    QVERIFY(second.ok);
    QCOMPARE(m_backend->listedDirectories(),
             (QStringList{QString(), QStringLiteral("a"), QStringLiteral("a/b"),
                          QStringLiteral("a/b/c")}));
    QCOMPARE(second.snapshot.value(QStringLiteral("a/b/c/deep.txt")).size, 17);
    QCOMPARE(differences(second.snapshot, fullWalk(m_backend.get())), QString());
}

void TestRemoteWalker::newFileInNewSubdirectoryAppears()
{
    walk(m_backend.get(), &m_cache);
    m_backend->putFile(QStringLiteral("a/e/new/deeper/fresh.txt"), "fresh");
    m_backend->resetCounts();
    const Walk second = walk(m_backend.get(), &m_cache);
    QVERIFY(second.ok);
    QVERIFY(second.snapshot.contains(QStringLiteral("a/e/new/deeper/fresh.txt")));
    QVERIFY(second.snapshot.value(QStringLiteral("a/e/new")).isDir());
    QCOMPARE(m_backend->listedDirectories(),
             (QStringList{QString(), QStringLiteral("a"), QStringLiteral("a/e"),
                          QStringLiteral("a/e/new"), QStringLiteral("a/e/new/deeper")}));
    QCOMPARE(differences(second.snapshot, fullWalk(m_backend.get())), QString());
}

void TestRemoteWalker::deletedSubtreeDisappears()
{
    walk(m_backend.get(), &m_cache);
    m_backend->removeTree(QStringLiteral("a/b"));
    m_backend->resetCounts();
    const Walk second = walk(m_backend.get(), &m_cache);
    QVERIFY(second.ok);
    QCOMPARE(m_backend->listedDirectories(), (QStringList{QString(), QStringLiteral("a")}));
    for (auto it = second.snapshot.cbegin(); it != second.snapshot.cend(); ++it)
        QVERIFY2(!isSameOrBelow(it.key(), QStringLiteral("a/b")), qPrintable(it.key()));
    QCOMPARE(differences(second.snapshot, fullWalk(m_backend.get())), QString());

    // And the cache forgot it: it comes back as new, listed again.
    m_backend->putFile(QStringLiteral("a/b/two.txt"), "two");
    m_backend->resetCounts();
    const Walk third = walk(m_backend.get(), &m_cache);
    QCOMPARE(m_backend->listedDirectories(),
             (QStringList{QString(), QStringLiteral("a"), QStringLiteral("a/b")}));
    QCOMPARE(differences(third.snapshot, fullWalk(m_backend.get())), QString());
}

void TestRemoteWalker::rejectedNamesAreReportedFromTheCacheToo()
{
    m_backend->rejectIn(QStringLiteral("a/b/d"), QStringLiteral("..: would escape the sync root"));
    m_backend->rejectIn(QStringLiteral("a/b"), QStringLiteral("x%FF: is not valid UTF-8"),
                        QStringLiteral("a/b/x") + QChar::ReplacementCharacter);
    const Walk first = walk(m_backend.get(), &m_cache);
    QCOMPARE(first.rejected, (QStringList{QStringLiteral("a/b/d/..: would escape the sync root"),
                                          QStringLiteral("a/b/x%FF: is not valid UTF-8")}));
    QCOMPARE(first.rejectedPaths,
             QStringList{QStringLiteral("a/b/x") + QChar::ReplacementCharacter});
    m_backend->resetCounts();
    const Walk second = walk(m_backend.get(), &m_cache);
    QCOMPARE(m_backend->listedDirectories(), QStringList{QString()});
    QCOMPARE(second.rejected, first.rejected);
    // What the refused names occupy stays protected when their listings come from the cache.
    QCOMPARE(second.rejectedPaths, first.rejectedPaths);
}

void TestRemoteWalker::wideTreeListsOnlyThePathToAChange()
{
    FakeBackend wide(FakeBackend::DirectoryEtags::Propagated);
    for (int i = 0; i < 8; ++i) {
        for (int j = 0; j < 8; ++j) {
            for (int k = 0; k < 8; ++k)
                wide.putFile(QStringLiteral("d%1/d%2/d%3/f.txt").arg(i).arg(j).arg(k), "v1");
        }
    }
    const Walk first = walk(&wide, &m_cache);
    QCOMPARE(wide.listedDirectories().size(), 1 + 8 + 64 + 512);
    QCOMPARE(first.snapshot.size(), 8 + 64 + 512 + 512);

    wide.putFile(QStringLiteral("d3/d5/d7/f.txt"), "v2");
    wide.resetCounts();
    const Walk second = walk(&wide, &m_cache);
    QCOMPARE(wide.listedDirectories(),
             (QStringList{QString(), QStringLiteral("d3"), QStringLiteral("d3/d5"),
                          QStringLiteral("d3/d5/d7")}));
    QCOMPARE(second.subtreesReused, 7 + 7 + 7);
    QCOMPARE(differences(second.snapshot, fullWalk(&wide)), QString());
}

void TestRemoteWalker::backendWithoutPropagationListsEverythingEveryTime()
{
    FakeBackend apacheLike(FakeBackend::DirectoryEtags::Static);
    apacheLike.putFile(QStringLiteral("a/b/c/deep.txt"), "deep");
    apacheLike.putFile(QStringLiteral("x/far.txt"), "far");
    const QStringList all{QString(), QStringLiteral("a"), QStringLiteral("a/b"),
                          QStringLiteral("a/b/c"), QStringLiteral("x")};
    walk(&apacheLike, &m_cache);
    QCOMPARE(apacheLike.listedDirectories(), all);

    const QByteArray changed = "changed; no ETag above tells";
    apacheLike.putFile(QStringLiteral("a/b/c/deep.txt"), changed);
    apacheLike.resetCounts();
    const Walk second = walk(&apacheLike, &m_cache);
    QCOMPARE(apacheLike.listedDirectories(), all);
    QCOMPARE(second.subtreesReused, 0);
    QCOMPARE(second.snapshot.value(QStringLiteral("a/b/c/deep.txt")).size, changed.size());
}

void TestRemoteWalker::scopedWalkUpdatesTheCache()
{
    walk(m_backend.get(), &m_cache);
    m_backend->putFile(QStringLiteral("a/b/c/deep.txt"), "changed deep down");
    m_backend->resetCounts();
    const Walk scoped = walk(m_backend.get(), &m_cache, {QStringLiteral("a/b")});
    QVERIFY(scoped.ok);
    // a/b's ETag changed (stat), so it is listed; of its members only c changed.
    QCOMPARE(m_backend->listedDirectories(),
             (QStringList{QStringLiteral("a/b"), QStringLiteral("a/b/c")}));
    QCOMPARE(differences(scoped.snapshot, fullWalk(m_backend.get(), {QStringLiteral("a/b")})),
             QString());

    // The cache still has a's old ETag, so a is listed; a/b is current in the cache.
    m_backend->resetCounts();
    const Walk full = walk(m_backend.get(), &m_cache);
    QCOMPARE(m_backend->listedDirectories(), (QStringList{QString(), QStringLiteral("a")}));
    QCOMPARE(differences(full.snapshot, fullWalk(m_backend.get())), QString());

    m_backend->resetCounts();
    walk(m_backend.get(), &m_cache);
    QCOMPARE(m_backend->listedDirectories(), QStringList{QString()});
}

void TestRemoteWalker::scopedWalkOfAnUnchangedScopeListsNothing()
{
    walk(m_backend.get(), &m_cache);
    m_backend->resetCounts();
    const Walk scoped =
        walk(m_backend.get(), &m_cache, {QStringLiteral("a/b"), QStringLiteral("x/y/far.txt")});
    QVERIFY(scoped.ok);
    QCOMPARE(m_backend->listedDirectories(), QStringList());
    QCOMPARE(scoped.subtreesReused, 1);
    QCOMPARE(differences(
                 scoped.snapshot,
                 fullWalk(m_backend.get(), {QStringLiteral("a/b"), QStringLiteral("x/y/far.txt")})),
             QString());
}

void TestRemoteWalker::scopedWalkOfADeletedScopeDropsItFromTheCache()
{
    walk(m_backend.get(), &m_cache);
    m_backend->removeTree(QStringLiteral("a/b"));
    const Walk scoped = walk(m_backend.get(), &m_cache, {QStringLiteral("a/b")});
    QVERIFY(scoped.ok);
    QVERIFY(scoped.snapshot.isEmpty());
    QVERIFY(!m_cache.entry(QStringLiteral("a/b")));
    QVERIFY(!m_cache.entry(QStringLiteral("a/b/c/deep.txt")));

    // Recreated with the same content, so a's ETag here is the one cached before a/b was
    // dropped: a must still be listed, or a/b would be missing.
    m_backend->putFile(QStringLiteral("a/b/c/deep.txt"), "deep");
    m_backend->putFile(QStringLiteral("a/b/c/deep2.txt"), "deep2");
    m_backend->putFile(QStringLiteral("a/b/d/other.txt"), "other");
    m_backend->putFile(QStringLiteral("a/b/two.txt"), "two");
    m_backend->resetCounts();
    const Walk full = walk(m_backend.get(), &m_cache);
    QCOMPARE(m_backend->listedDirectories(),
             (QStringList{QString(), QStringLiteral("a"), QStringLiteral("a/b"),
                          QStringLiteral("a/b/c"), QStringLiteral("a/b/d")}));
    QCOMPARE(differences(full.snapshot, fullWalk(m_backend.get())), QString());
}

namespace {

QStringList leafWalkListing()
{
    // The root and the collections with subcollections; the leaves a/b/c, a/b/d, a/e and x/y
    // come from the cache.
    return {QString(), QStringLiteral("a"), QStringLiteral("a/b"), QStringLiteral("x")};
}

} // namespace

void TestRemoteWalker::unchangedLeavesAreNotListed()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    const Walk first = walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), m_allDirectories);
    QCOMPARE(first.subtreesReused, 0);

    clock.advance(30'000);
    apache.resetCounts();
    const Walk second = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(second.ok);
    QCOMPARE(apache.listedDirectories(), leafWalkListing());
    QCOMPARE(second.subtreesReused, 4);
    QCOMPARE(differences(second.snapshot, first.snapshot), QString());

    clock.advance(30'000);
    apache.resetCounts();
    walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), leafWalkListing());
}

void TestRemoteWalker::changedLeafIsListed()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);

    apache.putFile(QStringLiteral("a/b/c/deep.txt"), "changed deep down"); // overwritten
    apache.putFile(QStringLiteral("x/y/new.txt"), "new");                  // added
    apache.removeTree(QStringLiteral("a/e/sibling.txt"));                  // deleted
    clock.advance(30'000);
    apache.resetCounts();
    const Walk second = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(second.ok);
    QStringList expected =
        leafWalkListing() +
        QStringList{QStringLiteral("a/b/c"), QStringLiteral("a/e"), QStringLiteral("x/y")};
    expected.sort();
    QCOMPARE(apache.listedDirectories(), expected);
    QCOMPARE(second.subtreesReused, 1); // a/b/d
    QCOMPARE(second.snapshot.value(QStringLiteral("a/b/c/deep.txt")).size, 17);
    QCOMPARE(differences(second.snapshot, fullWalk(&apache)), QString());
}

void TestRemoteWalker::leafWithANewSubcollectionIsListed()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);

    apache.putFile(QStringLiteral("a/e/new/deeper/fresh.txt"), "fresh");
    clock.advance(30'000);
    apache.resetCounts();
    const Walk second = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(second.ok);
    QVERIFY(apache.listedDirectories().contains(QStringLiteral("a/e/new/deeper")));
    QCOMPARE(differences(second.snapshot, fullWalk(&apache)), QString());

    // a/e has a subcollection now: it is listed from now on.
    apache.resetCounts();
    walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(apache.listedDirectories().contains(QStringLiteral("a/e")));
    QVERIFY(apache.listedDirectories().contains(QStringLiteral("a/e/new")));
    QVERIFY(!apache.listedDirectories().contains(QStringLiteral("a/e/new/deeper")));
}

void TestRemoteWalker::collectionWithSubcollectionsIsListedThoughItsEtagIsUnchanged()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);
    const QByteArray etagOfX = m_cache.entry(QStringLiteral("x"))->etag;

    // Only x/y's ETag changes; x's does not, and x must be listed to learn x/y's.
    apache.putFile(QStringLiteral("x/y/far.txt"), "far, changed");
    clock.advance(30'000);
    apache.resetCounts();
    const Walk second = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(second.ok);
    QCOMPARE(second.snapshot.value(QStringLiteral("x")).etag, etagOfX);
    QVERIFY(apache.listedDirectories().contains(QStringLiteral("x")));
    QVERIFY(apache.listedDirectories().contains(QStringLiteral("x/y")));
    QCOMPARE(second.snapshot.value(QStringLiteral("x/y/far.txt")).size, 12);
}

void TestRemoteWalker::leavesAreListedAgainAnHourAfterTheLastFullWalk()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);

    // Written on the server's disk: a/e's ETag stays, so leaf walks keep the old size.
    apache.overwriteInPlace(QStringLiteral("a/e/sibling.txt"), "sibling, rewritten in place");
    clock.advance(RemoteWalker::FullRemoteWalkIntervalMs - 1);
    apache.resetCounts();
    const Walk beforeTheHour = walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), leafWalkListing());
    QCOMPARE(beforeTheHour.snapshot.value(QStringLiteral("a/e/sibling.txt")).size, 7);

    clock.advance(1);
    apache.resetCounts();
    const Walk full = walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), m_allDirectories);
    QCOMPARE(full.subtreesReused, 0);
    QCOMPARE(full.snapshot.value(QStringLiteral("a/e/sibling.txt")).size, 27);
    QCOMPARE(differences(full.snapshot, fullWalk(&apache)), QString());

    // The hour counts from this full walk.
    clock.advance(RemoteWalker::FullRemoteWalkIntervalMs - 1);
    apache.resetCounts();
    walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), leafWalkListing());
}

void TestRemoteWalker::emptiedCacheMeansAFullWalk()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);
    m_cache.clear();
    apache.resetCounts();
    walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), m_allDirectories);
}

void TestRemoteWalker::scopedWalkOfAnUnchangedLeafListsNothing()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);
    apache.resetCounts();
    const Walk leaf = walk(&apache, &m_cache, {QStringLiteral("a/e")}, &clock);
    QCOMPARE(apache.listedDirectories(), QStringList());
    QCOMPARE(differences(leaf.snapshot, fullWalk(&apache, {QStringLiteral("a/e")})), QString());

    // A scope with subcollections is listed.
    apache.resetCounts();
    walk(&apache, &m_cache, {QStringLiteral("a/b")}, &clock);
    QCOMPARE(apache.listedDirectories(), QStringList{QStringLiteral("a/b")});
}

// A server that answers Depth: infinity with its direct members only shows every subfolder
// empty: the walk must not take that for the tree (it would delete every file below), and
// once caught, the server is walked with Depth 1 only.
void TestRemoteWalker::treeAnswerOfDirectMembersOnlyIsWalkedOnAndDistrusted()
{
    m_backend = std::make_unique<FakeBackend>(FakeBackend::DirectoryEtags::Static);
    fillTree(m_backend.get());
    const RemoteSnapshot truth = fullWalk(m_backend.get());
    QCOMPARE(truth.size(), 15);
    m_backend->setTreeListing(FakeBackend::TreeListing::DirectMembersOnly);
    m_backend->resetCounts();

    const Walk first = walk(m_backend.get(), nullptr);
    QVERIFY(first.ok);
    QCOMPARE(differences(first.snapshot, truth), QString());
    QCOMPARE(m_backend->treeListings(), 1);
    QVERIFY(m_backend->treeListingDistrusted());

    const Walk second = walk(m_backend.get(), nullptr);
    QVERIFY(second.ok);
    QCOMPARE(differences(second.snapshot, truth), QString());
    QCOMPARE(m_backend->treeListings(), 1); // not asked again
}

// A server that does expand Depth: infinity costs one request, plus one Depth-1 listing per
// collection it shows empty (the only ones the answer cannot prove).
void TestRemoteWalker::wholeTreeAnswerIsUsedAndOnlyItsEmptyCollectionsAreListed()
{
    m_backend = std::make_unique<FakeBackend>(FakeBackend::DirectoryEtags::Static);
    fillTree(m_backend.get());
    m_backend->putDirectory(QStringLiteral("a/b/empty"));
    const RemoteSnapshot truth = fullWalk(m_backend.get());
    m_backend->setTreeListing(FakeBackend::TreeListing::Whole);
    m_backend->resetCounts();

    const Walk tree = walk(m_backend.get(), nullptr);
    QVERIFY(tree.ok);
    QCOMPARE(differences(tree.snapshot, truth), QString());
    QCOMPARE(m_backend->treeListings(), 1);
    QCOMPARE(m_backend->listedDirectories(), QStringList{QStringLiteral("a/b/empty")});
    QVERIFY(!m_backend->treeListingDistrusted());
}

// The time of the last full walk is kept between runs: a clock set back a day must not put
// the next full walk a day and an hour away.
void TestRemoteWalker::aClockSetBackMeansAFullWalk()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);
    apache.overwriteInPlace(QStringLiteral("a/e/sibling.txt"), "sibling, rewritten in place");
    clock.advance(-24 * 3600 * 1000LL);
    apache.resetCounts();
    const Walk afterTheClockWentBack = walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), m_allDirectories);
    QCOMPARE(afterTheClockWentBack.snapshot.value(QStringLiteral("a/e/sibling.txt")).size, 27);
}

// A no-change sync of 100,000 files in 1,000 folders on Apache asked for a 42 MB tree answer
// though the root's listing alone shows that no folder changed.
void TestRemoteWalker::freshLeavesAreListedFromTheRootNotAskedForWhole()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    for (int i = 0; i < 400; ++i)
        apache.putFile(QStringLiteral("d%1/f%2.txt").arg(i % 20).arg(i), "content");
    apache.setTreeListing(FakeBackend::TreeListing::Whole);
    ManualClock clock;
    const Walk first = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(first.ok);
    QCOMPARE(apache.treeListings(), 1);

    clock.advance(30'000);
    apache.resetCounts();
    const Walk second = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(second.ok);
    QCOMPARE(apache.treeListings(), 1);
    QCOMPARE(apache.listedDirectories(), QStringList{QString()});
    QCOMPARE(second.subtreesReused, 20);
    QCOMPARE(differences(second.snapshot, first.snapshot), QString());

    apache.putFile(QStringLiteral("d7/new.txt"), "new");
    clock.advance(30'000);
    apache.resetCounts();
    const Walk third = walk(&apache, &m_cache, {QString()}, &clock);
    QCOMPARE(apache.listedDirectories(), (QStringList{QString(), QStringLiteral("d7")}));
    QCOMPARE(differences(third.snapshot, fullWalk(&apache)), QString());
}

// Where most collections hold collections, one answer with the whole tree is cheaper than
// listing each of them.
void TestRemoteWalker::aDeepTreeIsStillAskedForWhole()
{
    FakeBackend apache(FakeBackend::DirectoryEtags::FollowChildren);
    fillTree(&apache);
    apache.setTreeListing(FakeBackend::TreeListing::Whole);
    ManualClock clock;
    walk(&apache, &m_cache, {QString()}, &clock);
    clock.advance(30'000);
    const Walk second = walk(&apache, &m_cache, {QString()}, &clock);
    QVERIFY(second.ok);
    QCOMPARE(apache.treeListings(), 2);
    QCOMPARE(differences(second.snapshot, fullWalk(&apache)), QString());
}

void TestRemoteWalker::listingsBeatTreeAnswer_data()
{
    QTest::addColumn<bool>("subtreesReusable");
    QTest::addColumn<qint64>("cachedEntries");
    QTest::addColumn<qint64>("collectionsToList");
    QTest::addColumn<bool>("listings");
    QTest::newRow("nothing cached") << false << qint64(0) << qint64(0) << false;
    QTest::newRow("nothing cached, propagating") << true << qint64(0) << qint64(0) << false;
    QTest::newRow("propagating ETags") << true << qint64(50) << qint64(10) << true;
    QTest::newRow("100,000 files in 1,000 flat folders")
        << false << qint64(101'000) << qint64(1) << true;
    QTest::newRow("one listing per 200 entries") << false << qint64(400) << qint64(2) << true;
    QTest::newRow("a deep, small tree") << false << qint64(399) << qint64(2) << false;
}

void TestRemoteWalker::listingsBeatTreeAnswer()
{
    QFETCH(bool, subtreesReusable);
    QFETCH(qint64, cachedEntries);
    QFETCH(qint64, collectionsToList);
    QFETCH(bool, listings);
    QCOMPARE(
        RemoteWalker::listingsBeatTreeAnswer(subtreesReusable, cachedEntries, collectionsToList),
        listings);
}

QTEST_GUILESS_MAIN(TestRemoteWalker)
#include "tst_remotewalker.moc"
