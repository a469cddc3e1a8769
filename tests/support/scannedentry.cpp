#include "scannedentry.h"

#include "fs/hasher.h"
#include "local/scanner.h"

namespace steadysync::test {

LocalEntry scannedEntry(const QString &root, const QString &path)
{
    std::optional<LocalEntry> entry = Scanner::stat(root, path);
    if (!entry)
        return {};
    if (!entry->isDir()) {
        const Result<QByteArray> hash = Hasher::sha256OfFile(root + u'/' + path);
        if (hash.ok())
            entry->sha256 = *hash;
    }
    return *entry;
}

JournalSnapshot journalFrom(const LocalSnapshot &entries)
{
    JournalSnapshot journal;
    journal.reserve(entries.size());
    for (const LocalEntry &entry : entries) {
        JournalRecord record;
        record.path = entry.path;
        record.type = entry.type;
        record.localSize = entry.size;
        record.localMtimeNs = entry.mtimeNs;
        record.localInode = entry.inode;
        record.localCtimeNs = entry.ctimeNs;
        record.sha256 = entry.sha256;
        journal.insert(entry.path, record);
    }
    return journal;
}

} // namespace steadysync::test
