#include "sync/reconciler.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include <initializer_list>

using namespace steadysync;

namespace {

constexpr qint64 SyncedMtimeNs = 1'700'000'000'000'000'000;

QByteArray shaOf(const QByteArray &content)
{
    return QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
}

// A stable, non-zero inode per path, so that an item left in place keeps its recorded inode.
quint64 inodeOf(const QString &path)
{
    return quint64(qHash(path, 0)) | 1;
}

QByteArray etagOf(const QByteArray &content)
{
    return '"' + content + '"';
}

LocalEntry file(const QString &path, const QByteArray &content = "v1", quint64 inode = 0)
{
    LocalEntry entry;
    entry.path = path;
    entry.type = ItemType::File;
    entry.size = content.size();
    entry.mtimeNs = SyncedMtimeNs;
    entry.inode = inode ? inode : inodeOf(path);
    entry.sha256 = shaOf(content);
    return entry;
}

LocalEntry dir(const QString &path, quint64 inode = 0)
{
    LocalEntry entry;
    entry.path = path;
    entry.type = ItemType::Directory;
    entry.mtimeNs = SyncedMtimeNs;
    entry.inode = inode ? inode : inodeOf(path);
    return entry;
}

// A file the scanner saw but could not hash (busy, permission denied for now).
LocalEntry unreadable(const QString &path)
{
    LocalEntry entry = file(path);
    entry.sha256.clear();
    return entry;
}

// A large new file the scan left for its upload to hash (Scanner::scan, deferHashFromBytes).
LocalEntry hashPending(LocalEntry entry)
{
    entry.sha256.clear();
    entry.hashPending = true;
    return entry;
}

LocalEntry touched(LocalEntry entry)
{
    entry.mtimeNs += 1'000'000'000;
    return entry;
}

LocalEntry withInode(LocalEntry entry, quint64 inode)
{
    entry.inode = inode;
    return entry;
}

enum class RemoteHash { Unknown, Known };

RemoteEntry rfile(const QString &path, const QByteArray &content = "v1",
                  RemoteHash hash = RemoteHash::Unknown)
{
    RemoteEntry entry;
    entry.path = path;
    entry.type = ItemType::File;
    entry.size = content.size();
    entry.mtimeNs = SyncedMtimeNs;
    entry.etag = etagOf(content);
    if (hash == RemoteHash::Known)
        entry.sha256 = shaOf(content);
    return entry;
}

// A remote that gives no ETag (nginx): its signature is size and mtime.
RemoteEntry rfileWithoutEtag(const QString &path, qint64 mtimeNs = SyncedMtimeNs)
{
    RemoteEntry entry = rfile(path);
    entry.etag.clear();
    entry.mtimeNs = mtimeNs;
    return entry;
}

RemoteEntry rdir(const QString &path, const QByteArray &etag = "\"d1\"")
{
    RemoteEntry entry;
    entry.path = path;
    entry.type = ItemType::Directory;
    entry.etag = etag;
    return entry;
}

// The record left by a sync that made file(path, content) and rfile(path, content) agree.
JournalRecord rec(const QString &path, const QByteArray &content = "v1")
{
    const LocalEntry local = file(path, content);
    const RemoteEntry remote = rfile(path, content);
    JournalRecord record;
    record.path = path;
    record.type = ItemType::File;
    record.localSize = local.size;
    record.localMtimeNs = local.mtimeNs;
    record.localInode = local.inode;
    record.sha256 = local.sha256;
    record.remoteSignature = remote.signature();
    record.remoteSize = remote.size;
    record.remoteMtimeNs = remote.mtimeNs;
    return record;
}

JournalRecord recWithoutEtag(const QString &path)
{
    JournalRecord record = rec(path);
    record.remoteSignature = rfileWithoutEtag(path).signature();
    return record;
}

// Recorded while the ETag-less remote file was less than a second old: a same-size rewrite in
// that second would keep its signature.
JournalRecord recUnsettled(const QString &path)
{
    JournalRecord record = recWithoutEtag(path);
    record.remoteCheck = remoteCheckOf(rfileWithoutEtag(path), SyncedMtimeNs / 1'000'000);
    return record;
}

JournalRecord recDir(const QString &path)
{
    const LocalEntry local = dir(path);
    JournalRecord record;
    record.path = path;
    record.type = ItemType::Directory;
    record.localMtimeNs = local.mtimeNs;
    record.localInode = local.inode;
    record.remoteSignature = rdir(path).signature();
    return record;
}

JournalRecord withInode(JournalRecord record, quint64 inode)
{
    record.localInode = inode;
    return record;
}

// A remote file whose ETag is its identity, as Apache's and lighttpd's are: one per file, kept
// by a MOVE. The record made when path synced with that ETag.
RemoteEntry rfileId(const QString &path, const QByteArray &etag, const QByteArray &content = "v1")
{
    RemoteEntry entry = rfile(path, content);
    entry.etag = etag;
    return entry;
}

JournalRecord recId(const QString &path, const QByteArray &etag, const QByteArray &content = "v1")
{
    JournalRecord record = rec(path, content);
    record.remoteSignature = rfileId(path, etag, content).signature();
    return record;
}

// An item with a server file id (oc:fileid, ownCloud and Nextcloud), on both sides.
RemoteEntry withFileId(RemoteEntry entry, const QByteArray &fileId)
{
    entry.fileId = fileId;
    return entry;
}

JournalRecord withRemoteId(JournalRecord record, const QByteArray &fileId)
{
    record.remoteId = fileId;
    return record;
}

struct Scenario
{
    JournalSnapshot journal;
    LocalSnapshot local;
    RemoteSnapshot remote;
};

Scenario scenario(std::initializer_list<JournalRecord> journal,
                  std::initializer_list<LocalEntry> local,
                  std::initializer_list<RemoteEntry> remote)
{
    Scenario result;
    for (const JournalRecord &record : journal)
        result.journal.insert(record.path, record);
    for (const LocalEntry &entry : local)
        result.local.insert(entry.path, entry);
    for (const RemoteEntry &entry : remote)
        result.remote.insert(entry.path, entry);
    return result;
}

SyncPlan reconcile(const Scenario &s)
{
    return Reconciler::reconcile(s.journal, s.local, s.remote);
}

// "upload a.txt", "delete-remote d/" (a trailing '/' marks a directory),
// "update-journal(metadata) a.txt", "move-remote a.txt -> b.txt".
QString describe(const SyncAction &action)
{
    const QString slash = action.type == ItemType::Directory ? QStringLiteral("/") : QString();
    QString text = actionKindName(action.kind);
    if (action.metadataOnly)
        text += QStringLiteral("(metadata)");
    text += QLatin1Char(' ');
    if (action.kind == ActionKind::MoveRemote || action.kind == ActionKind::MoveLocal)
        text += action.sourcePath + slash + QStringLiteral(" -> ");
    return text + action.path + slash;
}

QStringList describe(const SyncPlan &plan)
{
    QStringList lines;
    for (const SyncAction &action : plan.actions)
        lines.append(describe(action));
    return lines;
}

// Generates a consistent random tree for one side: an item only exists below a directory.
struct TreeNode
{
    QString path;
    ItemType type;
};

const QVector<TreeNode> &templateTree()
{
    static const QVector<TreeNode> nodes = {
        {QStringLiteral("a"), ItemType::Directory},
        {QStringLiteral("a/b"), ItemType::Directory},
        {QStringLiteral("a/b/c"), ItemType::Directory},
        {QStringLiteral("a/b/c/f1"), ItemType::File},
        {QStringLiteral("a/b/f2"), ItemType::File},
        {QStringLiteral("a/f3"), ItemType::File},
        {QStringLiteral("a/f4"), ItemType::File},
        {QStringLiteral("d"), ItemType::Directory},
        {QStringLiteral("d/e"), ItemType::Directory},
        {QStringLiteral("d/e/f5"), ItemType::File},
        {QStringLiteral("d/f6"), ItemType::File},
        {QStringLiteral("f7"), ItemType::File},
        {QStringLiteral("g"), ItemType::File},
    };
    return nodes;
}

// Which paths exist on one side, and with which type (parents listed before children).
QHash<QString, ItemType> randomShape(QRandomGenerator &random)
{
    QHash<QString, ItemType> shape;
    for (const TreeNode &node : templateTree()) {
        const QString parent = parentPath(node.path);
        if (!parent.isEmpty() && shape.value(parent, ItemType::File) != ItemType::Directory)
            continue;
        const int roll = random.bounded(100);
        if (roll < 25)
            continue;
        ItemType type = node.type;
        if (roll >= 92)
            type = type == ItemType::File ? ItemType::Directory : ItemType::File;
        shape.insert(node.path, type);
    }
    return shape;
}

QByteArray randomContent(QRandomGenerator &random)
{
    static const QByteArray contents[] = {"v1", "v1", "v1", "v2", "v3"};
    return contents[random.bounded(5)];
}

Scenario randomScenario(QRandomGenerator &random)
{
    Scenario s;
    const auto shape = [&random]() {
        return randomShape(random);
    };
    const QHash<QString, ItemType> journalShape = shape();
    for (auto it = journalShape.cbegin(); it != journalShape.cend(); ++it)
        s.journal.insert(it.key(), it.value() == ItemType::File ? rec(it.key()) : recDir(it.key()));

    const QVector<TreeNode> &nodes = templateTree();
    const QHash<QString, ItemType> localShape = shape();
    for (auto it = localShape.cbegin(); it != localShape.cend(); ++it) {
        LocalEntry entry =
            it.value() == ItemType::File ? file(it.key(), randomContent(random)) : dir(it.key());
        const int roll = random.bounded(100);
        if (roll < 8 && !entry.isDir())
            entry.sha256.clear();
        else if (roll < 20) // provokes move detection, ambiguous ones included
            entry.inode = inodeOf(nodes.at(random.bounded(int(nodes.size()))).path);
        else if (roll < 25)
            entry = touched(entry);
        s.local.insert(it.key(), entry);
    }

    const QHash<QString, ItemType> remoteShape = shape();
    for (auto it = remoteShape.cbegin(); it != remoteShape.cend(); ++it) {
        const RemoteHash hash = random.bounded(2) ? RemoteHash::Known : RemoteHash::Unknown;
        s.remote.insert(it.key(), it.value() == ItemType::File
                                      ? rfile(it.key(), randomContent(random), hash)
                                      : rdir(it.key()));
    }

    // Renames: a new local item takes over the inode (and content) of a vanished record.
    QStringList vanished;
    for (const JournalRecord &record : std::as_const(s.journal)) {
        if (!s.local.contains(record.path))
            vanished.append(record.path);
    }
    vanished.sort();
    for (LocalEntry &entry : s.local) {
        if (vanished.isEmpty() || s.journal.contains(entry.path) || random.bounded(2))
            continue;
        const JournalRecord &source = s.journal[vanished.at(random.bounded(int(vanished.size())))];
        if (source.type != entry.type)
            continue;
        entry.inode = source.localInode;
        if (!entry.isDir() && random.bounded(4))
            entry.sha256 = source.sha256;
    }
    return s;
}

// Gives every recorded file an ETag of its own (as Apache with inode ETags and lighttpd do),
// then renames some remote top-level items (everything below moves along, ETags kept) and
// makes a few ETags weak.
Scenario withRemoteRenames(Scenario s, QRandomGenerator &random)
{
    const auto identity = [](const QString &path) {
        return "\"id:" + path.toUtf8() + '"';
    };
    for (JournalRecord &record : s.journal) {
        if (!record.isDir())
            record.remoteSignature = identity(record.path);
    }
    RemoteSnapshot remote;
    QHash<QString, QString> renamedTop;
    for (RemoteEntry entry : std::as_const(s.remote)) {
        if (!entry.isDir()) {
            const bool unchanged = entry.etag == etagOf("v1");
            entry.etag = unchanged ? identity(entry.path) : identity(entry.path) + "-edited";
            if (random.bounded(10) == 0)
                entry.etag = "W/" + entry.etag;
        }
        const QString top = entry.path.section(QLatin1Char('/'), 0, 0);
        if (!renamedTop.contains(top))
            renamedTop.insert(top, random.bounded(3) == 0 ? top + QStringLiteral("-renamed") : top);
        entry.path = renamedTop.value(top) + entry.path.mid(top.size());
        remote.insert(entry.path, entry);
    }
    s.remote = remote;
    return s;
}

bool isStrictlyBelow(const QString &path, const QString &dir)
{
    return path != dir && isSameOrBelow(path, dir);
}

} // namespace

Q_DECLARE_METATYPE(Scenario)

class TestReconciler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data()
    {
        QTest::addColumn<Scenario>("input");
        QTest::addColumn<QStringList>("expected");

        const QString a = QStringLiteral("a.txt");
        const QString d = QStringLiteral("d");
        const auto in = [](const QString &name) {
            return QStringLiteral("d/") + name;
        };

        // DESIGN §4, files.
        QTest::newRow("file new / absent -> upload")
            << scenario({}, {file(a)}, {}) << QStringList{"upload a.txt"};
        QTest::newRow("file changed / unchanged -> upload")
            << scenario({rec(a)}, {file(a, "v2")}, {rfile(a)}) << QStringList{"upload a.txt"};
        QTest::newRow("file absent / new -> download")
            << scenario({}, {}, {rfile(a)}) << QStringList{"download a.txt"};
        QTest::newRow("file unchanged / changed -> download")
            << scenario({rec(a)}, {file(a)}, {rfile(a, "v2")}) << QStringList{"download a.txt"};
        QTest::newRow("file changed / changed, same content -> record")
            << scenario({rec(a)}, {file(a, "v2")}, {rfile(a, "v2", RemoteHash::Known)})
            << QStringList{"update-journal a.txt"};
        QTest::newRow("file changed / changed, different content -> conflict")
            << scenario({rec(a)}, {file(a, "v2")}, {rfile(a, "v3", RemoteHash::Known)})
            << QStringList{"conflict a.txt"};
        QTest::newRow("file changed / changed, remote hash unknown -> conflict")
            << scenario({rec(a)}, {file(a, "v2")}, {rfile(a, "v2")})
            << QStringList{"conflict a.txt"};
        QTest::newRow("file deleted / unchanged -> delete remote")
            << scenario({rec(a)}, {}, {rfile(a)}) << QStringList{"delete-remote a.txt"};
        QTest::newRow("file unchanged / deleted -> delete local")
            << scenario({rec(a)}, {file(a)}, {}) << QStringList{"delete-local a.txt"};
        QTest::newRow("file deleted / changed -> download")
            << scenario({rec(a)}, {}, {rfile(a, "v2")}) << QStringList{"download a.txt"};
        QTest::newRow("file changed / deleted -> upload")
            << scenario({rec(a)}, {file(a, "v2")}, {}) << QStringList{"upload a.txt"};
        QTest::newRow("file deleted / deleted -> forget")
            << scenario({rec(a)}, {}, {}) << QStringList{"forget a.txt"};
        QTest::newRow("file unchanged / unchanged -> nothing")
            << scenario({rec(a)}, {file(a)}, {rfile(a)}) << QStringList{};
        QTest::newRow("file new / new, same content -> record")
            << scenario({}, {file(a)}, {rfile(a, "v1", RemoteHash::Known)})
            << QStringList{"update-journal a.txt"};
        QTest::newRow("file new / new, remote hash unknown -> conflict")
            << scenario({}, {file(a)}, {rfile(a)}) << QStringList{"conflict a.txt"};
        QTest::newRow("file new / new, different content -> conflict")
            << scenario({}, {file(a)}, {rfile(a, "v2", RemoteHash::Known)})
            << QStringList{"conflict a.txt"};

        // A hash left to the upload: the file is new all the same; content compares after
        // the propagator hashed it; never a move target; meaningless beside a record.
        QTest::newRow("file new, hash pending / absent -> upload")
            << scenario({}, {hashPending(file(a))}, {}) << QStringList{"upload a.txt"};
        QTest::newRow("file new, hash pending / new, same content -> conflict")
            << scenario({}, {hashPending(file(a))}, {rfile(a, "v1", RemoteHash::Known)})
            << QStringList{"conflict a.txt"};
        QTest::newRow("file hash pending beside a record -> nothing")
            << scenario({rec(a)}, {hashPending(file(a, "v2"))}, {rfile(a)}) << QStringList{};
        QTest::newRow("file moved, hash pending -> no move")
            << scenario({rec(a)}, {hashPending(file(QStringLiteral("b.txt"), "v1", inodeOf(a)))},
                        {rfile(a)})
            << QStringList{"delete-remote a.txt", "upload b.txt"};

        // A content hash named by the server (Nextcloud's oc:checksums) outranks an ETag the
        // server kept across a rewrite of the same size and mtime (issue 14, case 1c).
        const auto sameEtagOtherContent = [a] {
            RemoteEntry entry = rfile(a, "v2", RemoteHash::Known);
            entry.etag = etagOf("v1");
            return entry;
        };
        QTest::newRow("file unchanged / same etag, other checksum -> download")
            << scenario({rec(a)}, {file(a)}, {sameEtagOtherContent()})
            << QStringList{"download a.txt"};
        QTest::newRow("file unchanged / same etag, same checksum -> nothing")
            << scenario({rec(a)}, {file(a)}, {rfile(a, "v1", RemoteHash::Known)}) << QStringList{};
        QTest::newRow("file changed / same etag, other checksum -> conflict")
            << scenario({rec(a)}, {file(a, "v3")}, {sameEtagOtherContent()})
            << QStringList{"conflict a.txt"};
        const auto keptLocal = [a] {
            JournalRecord record = rec(a);
            record.sha256 = QByteArrayLiteral("resolved-keep-local");
            return record;
        };
        QTest::newRow("resolved keep-local / checksum known -> upload")
            << scenario({keptLocal()}, {file(a)}, {rfile(a, "v1", RemoteHash::Known)})
            << QStringList{"upload a.txt"};

        // Remote change detection without an ETag (size and mtime).
        QTest::newRow("file unchanged / unchanged, no etag -> nothing")
            << scenario({recWithoutEtag(a)}, {file(a)}, {rfileWithoutEtag(a)}) << QStringList{};
        QTest::newRow("file unchanged / new mtime, no etag -> download")
            << scenario({recWithoutEtag(a)}, {file(a)}, {rfileWithoutEtag(a, SyncedMtimeNs + 1)})
            << QStringList{"download a.txt"};

        // An unsettled signature (no ETag, recorded within its second): content decides first,
        // whatever the local side did.
        QTest::newRow("file unchanged / unsettled, same signature -> verify")
            << scenario({recUnsettled(a)}, {file(a)}, {rfileWithoutEtag(a)})
            << QStringList{"verify-remote a.txt"};
        QTest::newRow("file changed / unsettled, same signature -> verify")
            << scenario({recUnsettled(a)}, {file(a, "v2")}, {rfileWithoutEtag(a)})
            << QStringList{"verify-remote a.txt"};
        QTest::newRow("file deleted / unsettled, same signature -> verify")
            << scenario({recUnsettled(a)}, {}, {rfileWithoutEtag(a)})
            << QStringList{"verify-remote a.txt"};
        QTest::newRow("file unchanged / unsettled, new mtime -> download")
            << scenario({recUnsettled(a)}, {file(a)},
                        {rfileWithoutEtag(a, SyncedMtimeNs + 1'000'000'000)})
            << QStringList{"download a.txt"};
        QTest::newRow("file unchanged / unsettled, deleted -> delete local")
            << scenario({recUnsettled(a)}, {file(a)}, {}) << QStringList{"delete-local a.txt"};

        // Metadata-only local changes: same hash, other stat.
        QTest::newRow("file touched / unchanged -> record metadata")
            << scenario({rec(a)}, {touched(file(a))}, {rfile(a)})
            << QStringList{"update-journal(metadata) a.txt"};
        QTest::newRow("file with new inode, same content / unchanged -> record metadata")
            << scenario({rec(a)}, {withInode(file(a), 4242)}, {rfile(a)})
            << QStringList{"update-journal(metadata) a.txt"};
        QTest::newRow("file touched / changed -> download")
            << scenario({rec(a)}, {touched(file(a))}, {rfile(a, "v2")})
            << QStringList{"download a.txt"};
        QTest::newRow("file touched / deleted -> delete local")
            << scenario({rec(a)}, {touched(file(a))}, {}) << QStringList{"delete-local a.txt"};

        // A file that could not be hashed decides nothing.
        QTest::newRow("unreadable new / absent -> nothing")
            << scenario({}, {unreadable(a)}, {}) << QStringList{};
        QTest::newRow("unreadable / unchanged -> nothing")
            << scenario({rec(a)}, {unreadable(a)}, {rfile(a)}) << QStringList{};
        QTest::newRow("unreadable / changed -> nothing")
            << scenario({rec(a)}, {unreadable(a)}, {rfile(a, "v2")}) << QStringList{};
        QTest::newRow("unreadable / deleted -> nothing")
            << scenario({rec(a)}, {unreadable(a)}, {}) << QStringList{};
        QTest::newRow("unreadable new / new -> nothing")
            << scenario({}, {unreadable(a)}, {rfile(a, "v1", RemoteHash::Known)}) << QStringList{};
        QTest::newRow("unreadable file keeps its remotely deleted directory")
            << scenario({recDir(d), rec(in("u")), rec(in("g"))},
                        {dir(d), unreadable(in("u")), file(in("g"))}, {})
            << QStringList{"delete-local d/g"};

        // DESIGN §4, directories.
        QTest::newRow("dir new / absent -> make remote dir")
            << scenario({}, {dir(d)}, {}) << QStringList{"make-remote-dir d/"};
        QTest::newRow("dir absent / new -> make local dir")
            << scenario({}, {}, {rdir(d)}) << QStringList{"make-local-dir d/"};
        QTest::newRow("dir new / new -> record")
            << scenario({}, {dir(d)}, {rdir(d)}) << QStringList{"update-journal d/"};
        QTest::newRow("dir unchanged / unchanged -> nothing")
            << scenario({recDir(d)}, {dir(d)}, {rdir(d)}) << QStringList{};
        QTest::newRow("dir unchanged / new etag -> nothing")
            << scenario({recDir(d)}, {dir(d)}, {rdir(d, "\"d2\"")}) << QStringList{};
        QTest::newRow("dir deleted / unchanged -> delete remote")
            << scenario({recDir(d)}, {}, {rdir(d)}) << QStringList{"delete-remote d/"};
        QTest::newRow("dir unchanged / deleted -> delete local")
            << scenario({recDir(d)}, {dir(d)}, {}) << QStringList{"delete-local d/"};
        QTest::newRow("dir deleted / deleted -> forget")
            << scenario({recDir(d)}, {}, {}) << QStringList{"forget d/"};
        QTest::newRow("dir deleted / deleted, with a file -> forget both")
            << scenario({recDir(d), rec(in("a"))}, {}, {})
            << QStringList{"forget d/", "forget d/a"};
        QTest::newRow("dir deleted / unchanged -> its files, then itself")
            << scenario({recDir(d), rec(in("a")), rec(in("b"))}, {},
                        {rdir(d), rfile(in("a")), rfile(in("b"))})
            << QStringList{"delete-remote d/a", "delete-remote d/b", "delete-remote d/"};
        QTest::newRow("dir unchanged / deleted -> its files, then itself")
            << scenario({recDir(d), rec(in("a")), rec(in("b"))},
                        {dir(d), file(in("a")), file(in("b"))}, {})
            << QStringList{"delete-local d/a", "delete-local d/b", "delete-local d/"};
        QTest::newRow("nested dirs deleted / unchanged -> deepest first")
            << scenario({recDir(d), recDir(in("e")), rec(in("e/f")), rec(in("g"))}, {},
                        {rdir(d), rdir(in("e")), rfile(in("e/f")), rfile(in("g"))})
            << QStringList{"delete-remote d/e/f", "delete-remote d/g", "delete-remote d/e/",
                           "delete-remote d/"};
        QTest::newRow("dir deleted locally, remote file changed -> dir re-created")
            << scenario({recDir(d), rec(in("a")), rec(in("b"))}, {},
                        {rdir(d), rfile(in("a"), "v2"), rfile(in("b"))})
            << QStringList{"make-local-dir d/", "download d/a", "delete-remote d/b"};
        QTest::newRow("dir deleted locally, remote file new -> dir re-created")
            << scenario({recDir(d)}, {}, {rdir(d), rfile(in("n"))})
            << QStringList{"make-local-dir d/", "download d/n"};
        QTest::newRow("dir deleted locally, remote grandchild changed -> path re-created")
            << scenario({recDir(d), recDir(in("e")), rec(in("e/f")), rec(in("g"))}, {},
                        {rdir(d), rdir(in("e")), rfile(in("e/f"), "v2"), rfile(in("g"))})
            << QStringList{"make-local-dir d/", "make-local-dir d/e/", "download d/e/f",
                           "delete-remote d/g"};
        QTest::newRow("dir deleted locally, sibling subtree changed -> only the rest deleted")
            << scenario({recDir(d), recDir(in("e")), rec(in("e/f")), rec(in("g"))}, {},
                        {rdir(d), rdir(in("e")), rfile(in("e/f")), rfile(in("g"), "v2")})
            << QStringList{"make-local-dir d/", "delete-remote d/e/f", "download d/g",
                           "delete-remote d/e/"};
        QTest::newRow("dir deleted remotely, local file changed -> dir re-created")
            << scenario({recDir(d), rec(in("a")), rec(in("b"))},
                        {dir(d), file(in("a"), "v2"), file(in("b"))}, {})
            << QStringList{"make-remote-dir d/", "upload d/a", "delete-local d/b"};
        QTest::newRow("dir deleted remotely, local file new -> dir re-created")
            << scenario({recDir(d)}, {dir(d), file(in("n"))}, {})
            << QStringList{"make-remote-dir d/", "upload d/n"};

        // Type changes: the changed side wins; a file against a directory that both moved
        // away from the record is a conflict that the directory's name goes to.
        QTest::newRow("file became dir locally / unchanged -> remote replaced")
            << scenario({rec(a)}, {dir(a), file(a + "/f")}, {rfile(a)})
            << QStringList{"make-remote-dir a.txt/", "upload a.txt/f"};
        QTest::newRow("unchanged / file became dir remotely -> local replaced")
            << scenario({rec(a)}, {file(a)}, {rdir(a), rfile(a + "/f")})
            << QStringList{"make-local-dir a.txt/", "download a.txt/f"};
        QTest::newRow("dir became file locally / unchanged -> contents deleted, then upload")
            << scenario({recDir(d), rec(in("f"))}, {file(d)}, {rdir(d), rfile(in("f"))})
            << QStringList{"delete-remote d/f", "upload d"};
        QTest::newRow("unchanged / dir became file remotely -> contents deleted, then download")
            << scenario({recDir(d), rec(in("f"))}, {dir(d), file(in("f"))}, {rfile(d)})
            << QStringList{"delete-local d/f", "download d"};
        QTest::newRow("dir became file locally / file below changed remotely -> conflict")
            << scenario({recDir(d), rec(in("f"))}, {file(d)}, {rdir(d), rfile(in("f"), "v2")})
            << QStringList{"conflict d/", "download d/f"};
        QTest::newRow("file below changed locally / dir became file remotely -> conflict")
            << scenario({recDir(d), rec(in("f"))}, {dir(d), file(in("f"), "v2")}, {rfile(d)})
            << QStringList{"conflict d/", "upload d/f"};
        QTest::newRow("file became dir locally / file changed remotely -> conflict")
            << scenario({rec(a)}, {dir(a), file(a + "/f")}, {rfile(a, "v2")})
            << QStringList{"conflict a.txt/", "upload a.txt/f"};
        QTest::newRow("file new / dir new -> conflict")
            << scenario({}, {file(a)}, {rdir(a)}) << QStringList{"conflict a.txt/"};
        QTest::newRow("file became dir on both sides -> record")
            << scenario({rec(a)}, {dir(a)}, {rdir(a)}) << QStringList{"update-journal a.txt/"};
        QTest::newRow("dir became file locally / deleted -> upload")
            << scenario({recDir(d), rec(in("f"))}, {file(d)}, {})
            << QStringList{"upload d", "forget d/f"};
        QTest::newRow("deleted / file became dir remotely -> make local dir")
            << scenario({rec(a)}, {}, {rdir(a), rfile(a + "/f")})
            << QStringList{"make-local-dir a.txt/", "download a.txt/f"};

        // Local renames.
        const quint64 inodeA = inodeOf(a);
        const QString b = QStringLiteral("b.txt");
        QTest::newRow("file moved -> move remote")
            << scenario({rec(a)}, {file(b, "v1", inodeA)}, {rfile(a)})
            << QStringList{"move-remote a.txt -> b.txt"};
        QTest::newRow("file moved and edited -> delete and upload")
            << scenario({rec(a)}, {file(b, "v2", inodeA)}, {rfile(a)})
            << QStringList{"delete-remote a.txt", "upload b.txt"};
        QTest::newRow("file moved, source changed remotely -> no move")
            << scenario({rec(a)}, {file(b, "v1", inodeA)}, {rfile(a, "v2")})
            << QStringList{"download a.txt", "upload b.txt"};
        QTest::newRow("file moved onto an existing remote name -> no move")
            << scenario({rec(a)}, {file(b, "v1", inodeA)}, {rfile(a), rfile(b)})
            << QStringList{"delete-remote a.txt", "conflict b.txt"};
        QTest::newRow("file moved, inode unknown -> no move")
            << scenario({withInode(rec(a), 0)}, {withInode(file(b), 0)}, {rfile(a)})
            << QStringList{"delete-remote a.txt", "upload b.txt"};
        QTest::newRow("file moved, two new names share the inode -> no move")
            << scenario({rec(a)}, {file(b, "v1", inodeA), file("c.txt", "v1", inodeA)}, {rfile(a)})
            << QStringList{"delete-remote a.txt", "upload b.txt", "upload c.txt"};
        QTest::newRow("file moved, two vanished records share the inode -> no move")
            << scenario({rec(a), withInode(rec("z.txt"), inodeA)}, {file(b, "v1", inodeA)},
                        {rfile(a), rfile("z.txt")})
            << QStringList{"delete-remote a.txt", "upload b.txt", "delete-remote z.txt"};
        QTest::newRow("file moved into a new directory -> directory first")
            << scenario({rec(a)}, {dir("new"), file("new/a.txt", "v1", inodeA)}, {rfile(a)})
            << QStringList{"make-remote-dir new/", "move-remote a.txt -> new/a.txt"};
        QTest::newRow("file moved out of a directory then removed")
            << scenario({recDir("old"), rec("old/a.txt")}, {file(a, "v1", inodeOf("old/a.txt"))},
                        {rdir("old"), rfile("old/a.txt")})
            << QStringList{"move-remote old/a.txt -> a.txt", "delete-remote old/"};
        QTest::newRow("dir moved with unchanged, changed and deleted children")
            << scenario({recDir("A"), rec("A/same"), rec("A/edit"), rec("A/gone")},
                        {dir("B", inodeOf("A")), file("B/same", "v1", inodeOf("A/same")),
                         file("B/edit", "v2", inodeOf("A/edit"))},
                        {rdir("A"), rfile("A/same"), rfile("A/edit"), rfile("A/gone")})
            << QStringList{"move-remote A/ -> B/", "upload B/edit", "delete-remote B/gone"};
        QTest::newRow("dir moved, with nested dir and new local file")
            << scenario({recDir("A"), recDir("A/s"), rec("A/s/f")},
                        {dir("B", inodeOf("A")), dir("B/s", inodeOf("A/s")),
                         file("B/s/f", "v1", inodeOf("A/s/f")), file("B/s/new")},
                        {rdir("A"), rdir("A/s"), rfile("A/s/f")})
            << QStringList{"move-remote A/ -> B/", "upload B/s/new"};
        QTest::newRow("dir moved, child changed and added remotely meanwhile")
            << scenario({recDir("A"), rec("A/f")},
                        {dir("B", inodeOf("A")), file("B/f", "v1", inodeOf("A/f"))},
                        {rdir("A"), rfile("A/f", "v2"), rfile("A/n")})
            << QStringList{"move-remote A/ -> B/", "download B/f", "download B/n"};
        QTest::newRow("dir moved, two new dirs share the inode -> no move")
            << scenario({recDir("A")}, {dir("B", inodeOf("A")), dir("C", inodeOf("A"))},
                        {rdir("A")})
            << QStringList{"make-remote-dir B/", "make-remote-dir C/", "delete-remote A/"};

        // Ordering.
        QTest::newRow("nested new local dirs -> parents first, then files")
            << scenario(
                   {},
                   {dir("a"), dir("a/b"), dir("a/b/c"), file("a/b/c/f"), file("a/x"), file("z")},
                   {})
            << QStringList{"make-remote-dir a/", "make-remote-dir a/b/", "make-remote-dir a/b/c/",
                           "upload a/b/c/f",     "upload a/x",           "upload z"};
        QTest::newRow("nested new remote dirs -> parents first, then files")
            << scenario({}, {}, {rdir("a"), rdir("a/b"), rfile("a/b/f"), rfile("y")})
            << QStringList{"make-local-dir a/", "make-local-dir a/b/", "download a/b/f",
                           "download y"};
        QTest::newRow("creations, then files, then directory removals")
            << scenario({recDir("old"), rec("old/f")}, {dir("new"), file("new/g")},
                        {rdir("old"), rfile("old/f")})
            << QStringList{"make-remote-dir new/", "upload new/g", "delete-remote old/f",
                           "delete-remote old/"};
    }

    void table()
    {
        QFETCH(Scenario, input);
        QFETCH(QStringList, expected);
        QCOMPARE(describe(reconcile(input)), expected);
    }

    // Remote renames on a remote whose ETags survive a MOVE (Apache, lighttpd, file://).
    void remoteMoves_data()
    {
        QTest::addColumn<Scenario>("input");
        QTest::addColumn<bool>("etagsSurviveMoves");
        QTest::addColumn<QStringList>("expected");

        const QString a = QStringLiteral("a.txt");
        const QString b = QStringLiteral("b.txt");
        const QByteArray i1 = "\"i1\"";
        const QByteArray i2 = "\"i2\"";
        const QByteArray i3 = "\"i3\"";
        const Scenario renamed = scenario({recId(a, i1)}, {file(a)}, {rfileId(b, i1)});
        QTest::newRow("file renamed remotely -> move local")
            << renamed << true << QStringList{"move-local a.txt -> b.txt"};
        QTest::newRow("file renamed remotely, ETags not identities -> delete and download")
            << renamed << false << QStringList{"delete-local a.txt", "download b.txt"};
        QTest::newRow("file renamed remotely into a new folder -> folder first")
            << scenario({recId(a, i1)}, {file(a)}, {rdir("N"), rfileId("N/a.txt", i1)}) << true
            << QStringList{"make-local-dir N/", "move-local a.txt -> N/a.txt"};

        const Scenario folder = scenario(
            {recDir("A"), recId("A/f1", i1), recId("A/f2", i2), recDir("A/s"), recId("A/s/f3", i3)},
            {dir("A"), file("A/f1"), file("A/f2"), dir("A/s"), file("A/s/f3")},
            {rdir("B"), rfileId("B/f1", i1), rfileId("B/f2", i2), rdir("B/s"),
             rfileId("B/s/f3", i3)});
        QTest::newRow("folder renamed remotely -> one local folder move")
            << folder << true << QStringList{"move-local A/ -> B/"};
        Scenario withNewFile = folder;
        withNewFile.remote.insert("B/new", rfile("B/new", "n"));
        QTest::newRow("folder renamed remotely, file added in it -> move and download")
            << withNewFile << true << QStringList{"move-local A/ -> B/", "download B/new"};
        Scenario editedLocally = folder;
        editedLocally.local.insert("A/f1", file("A/f1", "v2"));
        QTest::newRow("folder renamed remotely, child edited locally -> edit follows the move")
            << editedLocally << true << QStringList{"move-local A/ -> B/", "upload B/f1"};
        Scenario oneEdited = folder;
        oneEdited.remote.insert("B/f2", rfileId("B/f2", "\"i2-edited\"", "v2"));
        QTest::newRow("folder renamed remotely, one child edited -> others moved one by one")
            << oneEdited << true
            << QStringList{"make-local-dir B/",       "move-local A/f1 -> B/f1",
                           "move-local A/s/ -> B/s/", "delete-local A/f2",
                           "download B/f2",           "delete-local A/"};
        Scenario targetTaken = folder;
        targetTaken.local.insert("B", dir("B"));
        QTest::newRow("folder renamed remotely onto a new local folder -> contents move in")
            << targetTaken << true
            << QStringList{"move-local A/f1 -> B/f1", "move-local A/f2 -> B/f2",
                           "move-local A/s/ -> B/s/", "update-journal B/", "delete-local A/"};

        QTest::newRow("file renamed and edited remotely -> delete and download")
            << scenario({recId(a, i1)}, {file(a)}, {rfileId(b, "\"i1-edited\"", "v2")}) << true
            << QStringList{"delete-local a.txt", "download b.txt"};
        QTest::newRow("file renamed remotely, edited locally -> upload and download")
            << scenario({recId(a, i1)}, {file(a, "v2")}, {rfileId(b, i1)}) << true
            << QStringList{"upload a.txt", "download b.txt"};
        QTest::newRow("file renamed remotely, weak ETag -> no move")
            << scenario({recId(a, i1)}, {file(a)}, {rfileId(b, "W/" + i1)}) << true
            << QStringList{"delete-local a.txt", "download b.txt"};
        QTest::newRow("file renamed remotely, other size -> no move")
            << scenario({recId(a, i1)}, {file(a)}, {rfileId(b, i1, "v1+")}) << true
            << QStringList{"delete-local a.txt", "download b.txt"};
        QTest::newRow("file renamed remotely onto a new local file -> no move")
            << scenario({recId(a, i1)}, {file(a), file(b)}, {rfileId(b, i1)}) << true
            << QStringList{"delete-local a.txt", "conflict b.txt"};
        QTest::newRow("file renamed remotely, two new files share the ETag -> no move")
            << scenario({recId(a, i1)}, {file(a)}, {rfileId(b, i1), rfileId("c.txt", i1)}) << true
            << QStringList{"delete-local a.txt", "download b.txt", "download c.txt"};
        QTest::newRow("file renamed on both sides -> both names kept")
            << scenario({recId(a, i1)}, {file("c.txt", "v1", inodeOf(a))}, {rfileId(b, i1)}) << true
            << QStringList{"forget a.txt", "download b.txt", "upload c.txt"};
    }

    // Remote renames found by the server's file ids (oc:fileid), whatever the ETags do.
    void remoteMovesByFileId_data()
    {
        QTest::addColumn<Scenario>("input");
        QTest::addColumn<QStringList>("expected");

        const QString a = QStringLiteral("a.txt");
        const QString b = QStringLiteral("b.txt");
        const auto rec1 = [](const QString &path, const QByteArray &id,
                             const QByteArray &content = "v1") {
            return withRemoteId(rec(path, content), id);
        };
        const auto remote1 = [](const QString &path, const QByteArray &id,
                                const QByteArray &content = "v1") {
            return withFileId(rfile(path, content), id);
        };
        QTest::newRow("file renamed remotely -> move local")
            << scenario({rec1(a, "7")}, {file(a)}, {remote1(b, "7")})
            << QStringList{"move-local a.txt -> b.txt"};
        QTest::newRow("file renamed and edited remotely -> move local (the edit follows)")
            << scenario({rec1(a, "7")}, {file(a)}, {remote1(b, "7", "v2, longer")})
            << QStringList{"move-local a.txt -> b.txt"};
        QTest::newRow("file renamed remotely, edited locally -> upload and download")
            << scenario({rec1(a, "7")}, {file(a, "v2")}, {remote1(b, "7")})
            << QStringList{"upload a.txt", "download b.txt"};
        QTest::newRow("new remote file with another id -> delete and download")
            << scenario({rec1(a, "7")}, {file(a)}, {remote1(b, "8")})
            << QStringList{"delete-local a.txt", "download b.txt"};
        QTest::newRow("record without id -> delete and download")
            << scenario({rec(a)}, {file(a)}, {remote1(b, "7")})
            << QStringList{"delete-local a.txt", "download b.txt"};

        Scenario folder = scenario(
            {withRemoteId(recDir("A"), "1"), rec1("A/f1", "2"), rec1("A/f2", "3")},
            {dir("A"), file("A/f1"), file("A/f2")},
            {withFileId(rdir("B"), "1"), remote1("B/f1", "2"), remote1("B/f2", "3", "v2")});
        QTest::newRow("folder renamed remotely, a child edited there -> move and download")
            << folder << QStringList{"move-local A/ -> B/", "download B/f2"};

        QTest::newRow("unchanged record learns the server's id")
            << scenario({rec(a)}, {file(a)}, {remote1(a, "7")})
            << QStringList{"update-journal a.txt"};
        QTest::newRow("unchanged record with its id -> nothing")
            << scenario({rec1(a, "7")}, {file(a)}, {remote1(a, "7")}) << QStringList{};
    }

    void remoteMovesByFileId()
    {
        QFETCH(Scenario, input);
        QFETCH(QStringList, expected);
        QCOMPARE(describe(reconcile(input)), expected);
    }

    void remoteMoves()
    {
        QFETCH(Scenario, input);
        QFETCH(bool, etagsSurviveMoves);
        QFETCH(QStringList, expected);
        ReconcileOptions options;
        options.remoteEtagsSurviveMoves = etagsSurviveMoves;
        const SyncPlan plan =
            Reconciler::reconcile(input.journal, input.local, input.remote, options);
        QCOMPARE(describe(plan), expected);
    }

    void moveLocalActionsDescribeSourceAndTarget()
    {
        const Scenario s = scenario({recDir("A"), recId("A/f", "\"i1\"")}, {dir("A"), file("A/f")},
                                    {rdir("B"), rfileId("B/f", "\"i1\"")});
        ReconcileOptions options;
        options.remoteEtagsSurviveMoves = true;
        const SyncPlan plan = Reconciler::reconcile(s.journal, s.local, s.remote, options);
        QCOMPARE(plan.actions.size(), 1);
        const SyncAction &move = plan.actions.at(0);
        QCOMPARE(move.kind, ActionKind::MoveLocal);
        QCOMPARE(move.sourcePath, QStringLiteral("A"));
        QCOMPARE(move.path, QStringLiteral("B"));
        QCOMPARE(move.type, ItemType::Directory);
        QCOMPARE(move.local, s.local.value("A"));
        QCOMPARE(move.remote, s.remote.value("B"));
        QCOMPARE(move.base, s.journal.value("A"));
    }

    void actionsCarryTheEntriesTheyWereDecidedOn()
    {
        const Scenario s = scenario({rec("a.txt"), rec("gone.txt")}, {file("a.txt", "v2")},
                                    {rfile("a.txt"), rfile("gone.txt")});
        const SyncPlan plan = reconcile(s);

        const SyncAction *upload = plan.find(QStringLiteral("a.txt"));
        QVERIFY(upload);
        QCOMPARE(upload->kind, ActionKind::Upload);
        QCOMPARE(upload->type, ItemType::File);
        QCOMPARE(upload->local, s.local.value("a.txt"));
        QCOMPARE(upload->remote, s.remote.value("a.txt"));
        QCOMPARE(upload->base, s.journal.value("a.txt"));
        QVERIFY(!upload->metadataOnly);

        const SyncAction *deletion = plan.find(QStringLiteral("gone.txt"));
        QVERIFY(deletion);
        QCOMPARE(deletion->kind, ActionKind::DeleteRemote);
        QCOMPARE(deletion->type, ItemType::File);
        QVERIFY(!deletion->local);
        QCOMPARE(deletion->remote, s.remote.value("gone.txt"));
        QCOMPARE(deletion->base, s.journal.value("gone.txt"));
    }

    void moveActionsDescribeSourceAndTarget()
    {
        const Scenario s =
            scenario({recDir("A"), rec("A/edit"), rec("A/gone")},
                     {dir("B", inodeOf("A")), file("B/edit", "v2", inodeOf("A/edit"))},
                     {rdir("A"), rfile("A/edit"), rfile("A/gone")});
        const SyncPlan plan = reconcile(s);
        QCOMPARE(plan.actions.size(), 3);

        const SyncAction &move = plan.actions.at(0);
        QCOMPARE(move.kind, ActionKind::MoveRemote);
        QCOMPARE(move.sourcePath, QStringLiteral("A"));
        QCOMPARE(move.path, QStringLiteral("B"));
        QCOMPARE(move.type, ItemType::Directory);
        QCOMPARE(move.local, s.local.value("B"));
        QCOMPARE(move.remote, s.remote.value("A"));
        QCOMPARE(move.base, s.journal.value("A"));

        // Below the moved directory, base and remote are where they will be after the move.
        const SyncAction *upload = plan.find(QStringLiteral("B/edit"));
        QVERIFY(upload);
        QCOMPARE(upload->kind, ActionKind::Upload);
        QVERIFY(upload->base && upload->remote);
        QCOMPARE(upload->base->path, QStringLiteral("B/edit"));
        QCOMPARE(upload->base->sha256, s.journal.value("A/edit").sha256);
        QCOMPARE(upload->remote->path, QStringLiteral("B/edit"));
        QCOMPARE(upload->remote->etag, s.remote.value("A/edit").etag);

        const SyncAction *deletion = plan.find(QStringLiteral("B/gone"));
        QVERIFY(deletion);
        QCOMPARE(deletion->kind, ActionKind::DeleteRemote);
        QCOMPARE(deletion->remote->path, QStringLiteral("B/gone"));
        QVERIFY(!plan.find(QStringLiteral("A/gone")));
        QVERIFY(!plan.find(QStringLiteral("A")));
    }

    void typeReplacementsCarryTheReplacedItem()
    {
        const Scenario s = scenario({rec("x")}, {dir("x")}, {rfile("x")});
        const SyncPlan plan = reconcile(s);
        QCOMPARE(plan.actions.size(), 1);
        const SyncAction &make = plan.actions.first();
        QCOMPARE(make.kind, ActionKind::MakeRemoteDir);
        QCOMPARE(make.remote, s.remote.value("x"));
        QCOMPARE(make.base, s.journal.value("x"));
    }

    void metadataOnlyIsSetOnlyForStatChanges()
    {
        const SyncPlan touchedPlan =
            reconcile(scenario({rec("a")}, {touched(file("a"))}, {rfile("a")}));
        QCOMPARE(touchedPlan.actions.size(), 1);
        QVERIFY(touchedPlan.actions.first().metadataOnly);
        QCOMPARE(touchedPlan.actions.first().local, touched(file("a")));

        const SyncPlan agreedPlan = reconcile(
            scenario({rec("a")}, {file("a", "v2")}, {rfile("a", "v2", RemoteHash::Known)}));
        QCOMPARE(agreedPlan.actions.size(), 1);
        QCOMPARE(agreedPlan.actions.first().kind, ActionKind::UpdateJournal);
        QVERIFY(!agreedPlan.actions.first().metadataOnly);
    }

    // Random-ish trees: whatever the input, the plan can be run front to back and never
    // deletes a version that changed.
    void planOrderAndSafetyHoldForRandomTrees()
    {
        QRandomGenerator random(20240601);
        int movesSeen = 0;
        int dirDeletesSeen = 0;
        int creationsSeen = 0;
        for (int round = 0; round < 2000; ++round) {
            const Scenario s = randomScenario(random);
            const SyncPlan plan = reconcile(s);
            QCOMPARE(describe(reconcile(s)), describe(plan));

            const QVector<SyncAction> &actions = plan.actions;
            QSet<QString> seen;
            for (qsizetype i = 0; i < actions.size(); ++i) {
                const SyncAction &x = actions.at(i);
                const QString where = QStringLiteral("round %1, %2").arg(round).arg(describe(x));
                QVERIFY2(!seen.contains(x.path), qPrintable(where + ": path twice"));
                seen.insert(x.path);

                const bool createsDir =
                    x.kind == ActionKind::MakeRemoteDir || x.kind == ActionKind::MakeLocalDir ||
                    x.kind == ActionKind::MoveRemote ||
                    (x.kind == ActionKind::Conflict && x.type == ItemType::Directory);
                const bool removesDir =
                    ((x.kind == ActionKind::DeleteRemote || x.kind == ActionKind::DeleteLocal) &&
                     x.type == ItemType::Directory) ||
                    (x.kind == ActionKind::Upload && x.remote && x.remote->isDir()) ||
                    (x.kind == ActionKind::Download && x.local && x.local->isDir());
                creationsSeen += createsDir;
                dirDeletesSeen += removesDir;
                movesSeen += x.kind == ActionKind::MoveRemote;
                for (qsizetype j = 0; j < actions.size(); ++j) {
                    if (!isStrictlyBelow(actions.at(j).path, x.path))
                        continue;
                    if (createsDir)
                        QVERIFY2(j > i, qPrintable(where + " after " + describe(actions.at(j))));
                    if (removesDir)
                        QVERIFY2(j < i, qPrintable(where + " before " + describe(actions.at(j))));
                }

                if (x.kind == ActionKind::DeleteRemote) {
                    QVERIFY2(x.base && x.remote && !x.local, qPrintable(where));
                    QVERIFY2(x.remote->isDir() || x.remote->signature() == x.base->remoteSignature,
                             qPrintable(where + ": deletes a changed remote file"));
                }
                if (x.kind == ActionKind::DeleteLocal) {
                    QVERIFY2(x.base && x.local && !x.remote, qPrintable(where));
                    QVERIFY2(x.local->isDir() || x.local->sha256 == x.base->sha256,
                             qPrintable(where + ": deletes a changed local file"));
                }
                if (x.kind == ActionKind::Upload)
                    QVERIFY2(x.local && !x.local->sha256.isEmpty(), qPrintable(where));

                // A directory is only removed with everything in it.
                if (x.kind == ActionKind::DeleteLocal && x.type == ItemType::Directory) {
                    for (const LocalEntry &entry : s.local) {
                        if (!isStrictlyBelow(entry.path, x.path))
                            continue;
                        const SyncAction *inside = plan.find(entry.path);
                        QVERIFY2(inside && inside->kind == ActionKind::DeleteLocal,
                                 qPrintable(where + ", not deleted: " + entry.path));
                    }
                }
                if (x.kind == ActionKind::DeleteRemote && x.type == ItemType::Directory &&
                    plan.count(ActionKind::MoveRemote) == 0) {
                    for (const RemoteEntry &entry : s.remote) {
                        if (!isStrictlyBelow(entry.path, x.path))
                            continue;
                        const SyncAction *inside = plan.find(entry.path);
                        QVERIFY2(inside && inside->kind == ActionKind::DeleteRemote,
                                 qPrintable(where + ", not deleted: " + entry.path));
                    }
                }
            }

            // An unreadable file is neither acted on nor removed with its directory.
            for (const LocalEntry &entry : s.local) {
                if (entry.isDir() || !entry.sha256.isEmpty())
                    continue;
                for (const SyncAction &x : actions) {
                    QVERIFY2(x.path != entry.path, qPrintable(describe(x)));
                    if (x.kind == ActionKind::DeleteLocal)
                        QVERIFY2(!isSameOrBelow(entry.path, x.path), qPrintable(describe(x)));
                }
            }
        }
        // The generator must exercise the interesting cases, or the checks above prove little.
        const QByteArray seen = QStringLiteral("moves %1, directory removals %2, creations %3")
                                    .arg(movesSeen)
                                    .arg(dirDeletesSeen)
                                    .arg(creationsSeen)
                                    .toUtf8();
        QVERIFY2(movesSeen > 40 && dirDeletesSeen > 300 && creationsSeen > 1000, seen.constData());
    }

    // Random trees on a remote whose ETags survive a MOVE, with random renames made remotely:
    // a local move happens only on the recorded identity, never over a local item or a local
    // edit, and before everything below its target.
    void remoteMovesHoldForRandomTrees()
    {
        QRandomGenerator random(20261206);
        ReconcileOptions options;
        options.remoteEtagsSurviveMoves = true;
        int movesSeen = 0;
        for (int round = 0; round < 2000; ++round) {
            const Scenario s = withRemoteRenames(randomScenario(random), random);
            const SyncPlan plan = Reconciler::reconcile(s.journal, s.local, s.remote, options);
            QCOMPARE(describe(Reconciler::reconcile(s.journal, s.local, s.remote, options)),
                     describe(plan));
            QSet<QString> seen;
            QStringList movedSources;
            for (qsizetype i = 0; i < plan.actions.size(); ++i) {
                const SyncAction &x = plan.actions.at(i);
                const QString where = QStringLiteral("round %1, %2").arg(round).arg(describe(x));
                QVERIFY2(!seen.contains(x.path), qPrintable(where + ": path twice"));
                seen.insert(x.path);
                if (x.kind == ActionKind::DeleteLocal) {
                    QVERIFY2(x.local->isDir() || x.local->sha256 == x.base->sha256,
                             qPrintable(where + ": deletes a changed local file"));
                    for (const QString &source : std::as_const(movedSources))
                        QVERIFY2(!isSameOrBelow(x.path, source), qPrintable(where));
                }
                if (x.kind != ActionKind::MoveLocal)
                    continue;
                ++movesSeen;
                movedSources.append(x.sourcePath);
                QVERIFY2(x.local && x.base && x.remote, qPrintable(where));
                QCOMPARE(x.local, s.local.value(x.sourcePath));
                QVERIFY2(!s.local.contains(x.path) && !s.remote.contains(x.sourcePath),
                         qPrintable(where));
                if (!x.local->isDir()) {
                    QVERIFY2(x.local->sha256 == x.base->sha256, qPrintable(where + ": local edit"));
                    QVERIFY2(!x.remote->hasWeakEtag() && x.remote->etag == x.base->remoteSignature,
                             qPrintable(where + ": another identity"));
                }
                for (qsizetype j = 0; j < i; ++j)
                    QVERIFY2(!isStrictlyBelow(plan.actions.at(j).path, x.path),
                             qPrintable(where + " after " + describe(plan.actions.at(j))));
            }
        }
        QVERIFY2(movesSeen > 200, QByteArray::number(movesSeen).constData());
    }

    void planHelpers()
    {
        const SyncPlan plan = reconcile(scenario({rec("gone1"), rec("gone2")}, {file("new")},
                                                 {rfile("gone1"), rfile("gone2")}));
        QCOMPARE(plan.count(ActionKind::DeleteRemote), 2);
        QCOMPARE(plan.count(ActionKind::Upload), 1);
        QCOMPARE(plan.count(ActionKind::Download), 0);
        QVERIFY(plan.find(QStringLiteral("new")));
        QCOMPARE(plan.find(QStringLiteral("new"))->kind, ActionKind::Upload);
        QVERIFY(!plan.find(QStringLiteral("absent")));
    }

    void names()
    {
        for (ConflictPolicy policy : {ConflictPolicy::KeepBoth, ConflictPolicy::Ask,
                                      ConflictPolicy::LocalWins, ConflictPolicy::RemoteWins})
            QCOMPARE(conflictPolicyFromName(conflictPolicyName(policy)), policy);
        QCOMPARE(conflictPolicyName(ConflictPolicy::KeepBoth), QStringLiteral("keep-both"));
        QCOMPARE(conflictPolicyName(ConflictPolicy::RemoteWins), QStringLiteral("remote-wins"));
        QCOMPARE(conflictPolicyFromName(QStringLiteral("newest")), std::nullopt);

        QSet<QString> kindNames;
        for (int kind = int(ActionKind::Upload); kind <= int(ActionKind::Forget); ++kind)
            kindNames.insert(actionKindName(ActionKind(kind)));
        QCOMPARE(kindNames.size(), int(ActionKind::Forget) + 1);
    }

    // The remote lists a synced file and a synced directory under names that are refused
    // (here: not UTF-8, which decodes to the names the client uploaded): both are missing
    // from the remote snapshot, which alone would delete the local copies. Set aside, nothing
    // at or below them is touched, while the rest of the tree still syncs.
    void refusedRemoteNamesNeverDeleteLocally()
    {
        const QString refusedFile = QStringLiteral("bad") + QChar::ReplacementCharacter;
        const QString refusedDir = QStringLiteral("dir") + QChar::ReplacementCharacter;
        const QString inDir = refusedDir + QStringLiteral("/f.txt");
        Scenario s = scenario(
            {rec(refusedFile), recDir(refusedDir), rec(inDir), rec("gone.txt")},
            {file(refusedFile), dir(refusedDir), file(inDir), file("gone.txt"), file("new.txt")},
            {});
        QCOMPARE(describe(reconcile(s)).filter(QStringLiteral("delete-local")).size(), 4);

        Reconciler::setAside({refusedFile, refusedDir}, &s.journal, &s.local, &s.remote);
        QStringList actions = describe(reconcile(s));
        actions.sort();
        QCOMPARE(actions, (QStringList{"delete-local gone.txt", "upload new.txt"}));
    }
};

QTEST_GUILESS_MAIN(TestReconciler)
#include "tst_reconciler.moc"
