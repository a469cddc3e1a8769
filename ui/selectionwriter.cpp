#include "selectionwriter.h"

#include "sync/pairlock.h"

#include <QCoreApplication>
#include <QDir>

namespace steadysync {

Result<SelectionOutcome> applySelectionWithoutEngine(const QString &localRoot,
                                                     const SelectionChange &change)
{
    if (!QDir().mkpath(localRoot))
        return makeError(ErrorKind::Permanent,
                         QCoreApplication::translate("steadysync::SelectionWriter",
                                                     "cannot create the local folder %1")
                             .arg(localRoot));
    Result<std::unique_ptr<PairLock>> lock = PairLock::acquire(localRoot);
    if (!lock.ok())
        return lock.error();
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    if (!journal.ok())
        return journal.error();
    return applySelectionChange(localRoot, **journal, change);
}

} // namespace steadysync
