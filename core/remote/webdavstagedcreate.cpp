#include "remote/webdavstagedcreate.h"

#include "remote/webdavhttp.h"

namespace steadysync {

using webdav::Method;

WebDavStagedCreate::WebDavStagedCreate(WebDavJob<EntryJob> *job, QString stagingPath, QString path)
    : QObject(job), m_job(job), m_stagingPath(std::move(stagingPath)), m_path(std::move(path))
{}

void WebDavStagedCreate::publish(const RemoteEntry &staged)
{
    m_staged = staged;
    // The stat of the staged file may have run without the job's slot: the MOVE takes it
    // again, ahead of the jobs still waiting to start.
    WebDavSession *session = m_job->session();
    session->releaseSlot(m_job);
    session->whenSlotFree(
        m_job,
        [this] {
            if (!m_job->done())
                sendMove();
        },
        true);
}

void WebDavStagedCreate::discard(const Error &error)
{
    removeStagedThenFail(error);
}

void WebDavStagedCreate::sendMove()
{
    WebDavSession *session = m_job->session();
    WebDavSession::Request request;
    request.verb = "MOVE";
    request.url = session->urlFor(m_stagingPath, false);
    request.headers = {{"Destination", session->urlFor(m_path, false).toEncoded()},
                       {"Overwrite", "F"}};
    m_job->send(request, [this](QNetworkReply *reply) { onMoved(reply); });
}

void WebDavStagedCreate::onMoved(QNetworkReply *reply)
{
    if (std::optional<Error> error = m_job->session()->errorOf(reply, Method::Move, m_path)) {
        if (error->kind == ErrorKind::PreconditionFailed)
            error->message = QStringLiteral("%1: already exists on the remote").arg(m_path);
        return removeStagedThenFail(*error);
    }
    m_job->session()->releaseSlot(m_job);
    m_job->session()->statAfterWrite(
        m_path, m_job,
        [this](Result<std::optional<RemoteEntry>> published) { onPublishedStat(published); });
}

void WebDavStagedCreate::onPublishedStat(const Result<std::optional<RemoteEntry>> &published)
{
    if (m_job->done())
        return;
    if (!published.ok())
        return m_job->fail(published.error());
    if (!published.value())
        return m_job->fail(makeError(
            ErrorKind::Transient,
            QStringLiteral("%1: gone from the remote right after the upload").arg(m_path)));
    RemoteEntry entry = *published.value();
    entry.path = m_path;
    const bool ours = !m_staged.etag.isEmpty() && entry.size == m_staged.size &&
                      webdav::etagsMatchWeakly(entry.etag, m_staged.etag);
    if (!ours)
        m_job->setWriteUnproven();
    m_job->succeed(std::move(entry));
}

// Best effort: a staged file left behind is hidden from every client and written over by the
// next create of the same name; its journal row is gone with the job, so a failed DELETE
// leaves it until then.
void WebDavStagedCreate::removeStagedThenFail(const Error &error)
{
    if (m_job->done())
        return;
    WebDavSession::Request request;
    request.verb = "DELETE";
    request.url = m_job->session()->urlFor(m_stagingPath, false);
    m_job->send(request, [this, error](QNetworkReply *) { m_job->fail(error); });
}

} // namespace steadysync
