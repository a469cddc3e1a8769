#include "remote/webdavstatbatcher.h"

#include "remote/webdavsession.h"

#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace steadysync {

namespace {

// A directory listing costs about as much per entry as a stat per file: a directory much
// larger than the batch is stat'ed file by file.
constexpr qsizetype listingEntriesPerStat = 16;

QString joined(const QString &directory, const QString &name)
{
    return directory.isEmpty() ? name : directory + QLatin1Char('/') + name;
}

} // namespace

WebDavStatBatcher::WebDavStatBatcher(WebDavSession *session) : QObject(session), m_session(session)
{}

WebDavStatBatcher::~WebDavStatBatcher()
{
    // The session's manager aborts these replies as it goes; nothing may call back in here.
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_replies))
        if (reply)
            reply->disconnect(this);
}

void WebDavStatBatcher::statAfterWrite(const QString &path, QObject *context, webdav::StatDone done)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QString directory = slash < 0 ? QString() : path.left(slash);
    Batch &batch = m_batches[directory];
    batch.waiting.append({QPointer<QObject>(context), path.mid(slash + 1), std::move(done)});
    if (batch.inFlight == 0)
        sendSoon(directory);
}

// Sends the waiting stats once batchSize of them wait, or batchDelayMs after the first.
void WebDavStatBatcher::sendSoon(const QString &directory)
{
    Batch &batch = m_batches[directory];
    // With no other job running, no other write can join: waiting would only add latency.
    if (batch.waiting.size() >= batchSize || m_session->isIdle())
        return send(directory);
    if (batch.timerRunning)
        return;
    batch.timerRunning = true;
    QTimer::singleShot(batchDelayMs, this, [this, directory] {
        Batch &due = m_batches[directory];
        due.timerRunning = false;
        if (due.inFlight == 0)
            send(directory);
    });
}

void WebDavStatBatcher::send(const QString &directory)
{
    Batch &batch = m_batches[directory];
    QList<PendingStat> waiting = std::move(batch.waiting);
    batch.waiting = {};
    waiting.removeIf([](const PendingStat &stat) { return !stat.context; });
    if (waiting.isEmpty())
        return finish(directory);
    if (waiting.size() > 1 && batch.lastListed <= waiting.size() * listingEntriesPerStat) {
        ++batch.inFlight;
        propfind(directory, true, 1, [this, directory, waiting](Result<PropfindListing> listing) {
            onListed(directory, waiting, listing);
            --m_batches[directory].inFlight;
            finish(directory);
        });
        return;
    }
    for (const PendingStat &stat : std::as_const(waiting))
        statOne(directory, stat);
}

void WebDavStatBatcher::onListed(const QString &directory, const QList<PendingStat> &waiting,
                                 const Result<PropfindListing> &listing)
{
    Batch &batch = m_batches[directory];
    // An oversized listing is refused: stat file by file from then on.
    batch.lastListed = listing.ok() ? listing->children.size()
                       : listing.error().kind == ErrorKind::Corrupt
                           ? PropfindParser::defaultMaxEntries
                           : batch.lastListed;
    for (const PendingStat &stat : waiting) {
        if (!stat.context)
            continue;
        if (!listing.ok()) {
            if (listing.error().kind == ErrorKind::NotFound)
                stat.done(std::optional<RemoteEntry>());
            else
                stat.done(listing.error());
            continue;
        }
        const auto found =
            std::find_if(listing->children.cbegin(), listing->children.cend(),
                         [&stat](const RemoteEntry &child) { return child.path == stat.name; });
        if (found == listing->children.cend()) {
            // Not listed under the name asked for (another spelling of it?): asked for by its
            // own URL.
            statOne(directory, stat);
            continue;
        }
        RemoteEntry entry = *found;
        entry.path = joined(directory, stat.name);
        stat.done(std::optional<RemoteEntry>(std::move(entry)));
    }
}

void WebDavStatBatcher::statOne(const QString &directory, const PendingStat &stat)
{
    ++m_batches[directory].inFlight;
    const QString path = joined(directory, stat.name);
    propfind(path, false, 0, [this, directory, path, stat](Result<PropfindListing> listing) {
        if (stat.context)
            stat.done(webdav::statEntryOf(std::move(listing), path));
        --m_batches[directory].inFlight;
        finish(directory);
    });
}

void WebDavStatBatcher::finish(const QString &directory)
{
    const auto batch = m_batches.find(directory);
    if (batch == m_batches.end() || batch->inFlight > 0)
        return;
    if (!batch->waiting.isEmpty())
        return sendSoon(directory);
    if (batch->timerRunning)
        return;
    if (batch->lastListed == 0)
        m_batches.erase(batch);
}

void WebDavStatBatcher::propfind(const QString &path, bool directory, int depth,
                                 webdav::ListingDone done)
{
    // It takes a concurrency slot like any job, ahead of those waiting: a write holding a lock
    // keeps it until this answer.
    auto *slot = new QObject(this);
    m_session->whenSlotFree(
        slot,
        [this, slot, path, directory, depth, done = std::move(done)] {
            propfindInSlot(path, directory, depth,
                           [this, slot, done](Result<PropfindListing> listing) {
                               m_session->releaseSlot(slot);
                               slot->deleteLater();
                               done(std::move(listing));
                           });
        },
        true);
}

void WebDavStatBatcher::propfindInSlot(const QString &path, bool directory, int depth,
                                       webdav::ListingDone done)
{
    QNetworkReply *reply =
        m_session->send(webdav::propfindRequest(*m_session, path, directory, depth));
    m_replies.removeAll(QPointer<QNetworkReply>());
    m_replies.append(reply);
    auto body = std::make_shared<webdav::ListingBody>();
    connect(reply, &QNetworkReply::readyRead, this, [reply, body] {
        if (!body->take(reply))
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, body, path, directory, depth, done] {
                reply->deleteLater();
                if (!body->take(reply))
                    return done(webdav::ListingBody::tooLargeError());
                auto listing = webdav::listingOf(m_session, reply, body->bytes(), path, depth);
                if (!listing)
                    return propfindInSlot(path, directory, depth, done);
                done(std::move(*listing));
            });
}

} // namespace steadysync
