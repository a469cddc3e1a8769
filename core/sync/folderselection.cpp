#include "sync/folderselection.h"

#include "entry.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace steadysync::FolderSelection {

namespace {

const QString excludedKey = QStringLiteral("excluded_folders");
const QString heldBackKey = QStringLiteral("held_back_folders");
const QString acceptedKey = QStringLiteral("accepted_new_folders");

QStringList readList(const Journal &journal, const QString &key)
{
    const QJsonArray array = QJsonDocument::fromJson(journal.setting(key).toUtf8()).array();
    QStringList folders;
    for (const auto &value : array) {
        if (const std::optional<QString> folder = normalizedFolder(value.toString()))
            folders.append(*folder);
    }
    folders.sort();
    folders.removeDuplicates();
    return folders;
}

Status writeList(Journal &journal, const QString &key, const QStringList &folders)
{
    QStringList sorted = folders;
    sorted.sort();
    sorted.removeDuplicates();
    return journal.setSetting(
        key, QString::fromUtf8(
                 QJsonDocument(QJsonArray::fromStringList(sorted)).toJson(QJsonDocument::Compact)));
}

bool belowAny(const QString &folder, const QStringList &folders)
{
    for (const QString &other : folders) {
        if (other != folder && isSameOrBelow(folder, other))
            return true;
    }
    return false;
}

} // namespace

QStringList excludedFolders(const Journal &journal)
{
    return readList(journal, excludedKey);
}

Status setExcludedFolders(Journal &journal, const QStringList &folders)
{
    return writeList(journal, excludedKey, folders);
}

QStringList heldBackFolders(const Journal &journal)
{
    return readList(journal, heldBackKey);
}

Status setHeldBackFolders(Journal &journal, const QStringList &folders)
{
    return writeList(journal, heldBackKey, folders);
}

QStringList acceptedFolders(const Journal &journal)
{
    return readList(journal, acceptedKey);
}

Status setAcceptedFolders(Journal &journal, const QStringList &folders)
{
    return writeList(journal, acceptedKey, folders);
}

std::optional<QString> normalizedFolder(const QString &input)
{
    QString folder = input;
    while (folder.startsWith(QLatin1Char('/')))
        folder.remove(0, 1);
    while (folder.endsWith(QLatin1Char('/')))
        folder.chop(1);
    if (folder.isEmpty())
        return std::nullopt;
    for (const QString &segment : folder.split(QLatin1Char('/'))) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return std::nullopt;
    }
    return folder;
}

QStringList withExcluded(QStringList current, const QStringList &folders)
{
    current += folders;
    current.sort();
    current.removeDuplicates();
    QStringList minimal;
    for (const QString &folder : std::as_const(current)) {
        if (!belowAny(folder, current))
            minimal.append(folder);
    }
    return minimal;
}

Result<QStringList> withIncluded(const QStringList &current, const QStringList &folders)
{
    QStringList remaining = current;
    for (const QString &folder : folders) {
        for (const QString &outer : current) {
            if (outer != folder && isSameOrBelow(folder, outer))
                return makeError(ErrorKind::Permanent,
                                 QStringLiteral("%1 lies inside the excluded folder %2: include "
                                                "%2 first, then exclude what you do not want")
                                     .arg(folder, outer));
        }
        remaining.removeAll(folder);
    }
    return remaining;
}

} // namespace steadysync::FolderSelection
