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

} // namespace steadysync::test
