#include "journalreader.h"

#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>

namespace steadysync {

JournalReader::JournalReader(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<JournalDetails>();
}

void JournalReader::fetch(const QString &localRoot, qint64 fromMs, qint64 toMs)
{
    QPointer<JournalReader> self(this);
    QThreadPool::globalInstance()->start([self, localRoot, fromMs, toMs] {
        const JournalDetails details = read(localRoot, fromMs, toMs);
        if (self)
            QMetaObject::invokeMethod(
                self,
                [self, localRoot, details] {
                    if (self)
                        Q_EMIT self->detailsReady(localRoot, details);
                },
                Qt::QueuedConnection);
    });
}

JournalDetails JournalReader::read(const QString &localRoot, qint64 fromMs, qint64 toMs)
{
    // A pair whose engine has not created its journal yet has nothing to show; opening
    // would create one.
    if (!QFileInfo::exists(Journal::databasePath(localRoot)))
        return {};
    Result<std::unique_ptr<Journal>> journal = Journal::open(localRoot);
    if (!journal.ok())
        return {};
    JournalDetails details;
    details.samples = (*journal)->samples(fromMs, toMs);
    details.retryItems = (*journal)->retryItems();
    details.conflicts = (*journal)->conflicts();
    return details;
}

} // namespace steadysync
