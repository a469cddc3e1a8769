#include "humanerror.h"

#include <QCoreApplication>

namespace steadysync {

QString humanErrorText(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Transient:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "A temporary problem with the network or the server. It will be tried again.");
    case ErrorKind::Permanent:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "The server or this computer refused it. It is tried again when the file changes.");
    case ErrorKind::Auth:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "The server did not accept the user name or password.");
    case ErrorKind::Offline:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "The server cannot be reached.");
    case ErrorKind::PreconditionFailed:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "It changed on the server meanwhile. It will be compared again.");
    case ErrorKind::NotFound:
        return QCoreApplication::translate("steadysync::HumanError", "It is no longer there.");
    case ErrorKind::ParentMissing:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "Its folder is missing on the other side.");
    case ErrorKind::DiskFull:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "There is not enough free space.");
    case ErrorKind::RootMissing:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "The synced folder is missing or not mounted.");
    case ErrorKind::Cancelled:
        return QCoreApplication::translate("steadysync::HumanError", "It was stopped.");
    case ErrorKind::InvalidName:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "Its name is not allowed on the other side.");
    case ErrorKind::Corrupt:
        return QCoreApplication::translate("steadysync::HumanError",
                                           "The server sent an answer that could not be read.");
    }
    return QCoreApplication::translate("steadysync::HumanError", "Something went wrong.");
}

QString technicalDetail(const QString &message, const QString &path)
{
    QString detail = message.trimmed();
    if (!path.isEmpty()) {
        const QString prefix = path + QStringLiteral(": ");
        while (detail.startsWith(prefix))
            detail.remove(0, prefix.size());
        return detail;
    }
    // "a: a: rest" says a once.
    const qsizetype colon = detail.indexOf(QStringLiteral(": "));
    if (colon > 0) {
        const QString prefix = detail.left(colon + 2);
        while (detail.mid(prefix.size()).startsWith(prefix))
            detail.remove(0, prefix.size());
    }
    return detail;
}

QString heldDeletionText(const MassDeleteVerdict &verdict, const QString &pairName)
{
    return QCoreApplication::translate(
               "steadysync::HumanError",
               "Syncing “%1” would delete %2 files on this computer and %3 files on the server "
               "(of %4 synced files). Nothing has been deleted. If a disk is missing or not "
               "mounted, decide later and check it.")
        .arg(pairName)
        .arg(verdict.localDeletes)
        .arg(verdict.remoteDeletes)
        .arg(verdict.trackedFiles);
}

QString pairProblemText(SyncState state)
{
    switch (state) {
    case SyncState::SignInNeeded:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "The server did not accept the user name or password. Enter the password in "
            "Settings; syncing waits until then.");
    case SyncState::Error:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "Syncing stopped because of a problem. Nothing was deleted. Hover for details.");
    case SyncState::FailedItems:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "Some files could not be synced. The Failed Items tab says why.");
    case SyncState::Offline:
        return QCoreApplication::translate(
            "steadysync::HumanError",
            "The server cannot be reached. Syncing continues by itself when it is back.");
    default:
        break;
    }
    return {};
}

} // namespace steadysync
