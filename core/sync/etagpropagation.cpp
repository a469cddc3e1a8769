#include "sync/etagpropagation.h"

#include "remote/remotebackend.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace steadysync {

namespace {

constexpr int probeRounds = 2;

QString probeFile()
{
    return EtagPropagationProbe::probeDirectory() + QStringLiteral("/probe");
}

} // namespace

QString EtagPropagationVerdict::toSetting() const
{
    QJsonObject object{{QStringLiteral("propagates"), propagates},
                       {QStringLiteral("evidence"), evidence},
                       {QStringLiteral("remote"), remoteUrl},
                       {QStringLiteral("checkedAtMs"), double(checkedAtMs)}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<EtagPropagationVerdict> EtagPropagationVerdict::fromSetting(const QString &text)
{
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    if (!object.contains(QStringLiteral("propagates")))
        return std::nullopt;
    EtagPropagationVerdict verdict;
    verdict.propagates = object.value(QStringLiteral("propagates")).toBool();
    verdict.evidence = object.value(QStringLiteral("evidence")).toString();
    verdict.remoteUrl = object.value(QStringLiteral("remote")).toString();
    verdict.checkedAtMs = qint64(object.value(QStringLiteral("checkedAtMs")).toDouble());
    return verdict;
}

EtagPropagationProbe::EtagPropagationProbe(RemoteBackend *backend, const QString &scratchDirectory,
                                           qint64 nowMs, QObject *parent)
    : QObject(parent), m_backend(backend), m_scratchDirectory(scratchDirectory), m_nowMs(nowMs)
{}

template<typename Job, typename Then> void EtagPropagationProbe::whenDone(Job *job, Then then)
{
    connect(job, &RemoteJob::finished, this, [job, then] { then(job); });
}

void EtagPropagationProbe::start()
{
    ensureDirectory(QStringLiteral(".steadysync"),
                    [this] { ensureDirectory(probeDirectory(), [this] { probeRound(0); }); });
}

// MKCOL, and where that fails, a stat that shows a collection already there.
void EtagPropagationProbe::ensureDirectory(const QString &path, std::function<void()> next)
{
    whenDone(m_backend->makeDirectory(path), [this, path, next](EntryJob *made) {
        if (made->succeeded())
            return next();
        const Error refused = *made->error();
        whenDone(m_backend->stat(path), [this, refused, next](EntryJob *stat) {
            if (stat->succeeded() && stat->entry().isDir())
                return next();
            fail(refused);
        });
    });
}

void EtagPropagationProbe::statRoot(std::function<void(QByteArray)> next)
{
    whenDone(m_backend->stat(QString()), [this, next](EntryJob *stat) {
        if (!stat->succeeded())
            return fail(*stat->error());
        m_lastRootEtag = stat->entry().etag;
        next(stat->entry().etag);
    });
}

void EtagPropagationProbe::writeProbe(int round, std::function<void()> next)
{
    QDir().mkpath(m_scratchDirectory);
    const QString local = m_scratchDirectory + QStringLiteral("/etag-probe");
    QFile file(local);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(QUuid::createUuid().toByteArray() + QByteArray::number(round)) < 0)
        return fail(makeError(ErrorKind::Permanent, file.errorString()));
    file.close();
    whenDone(m_backend->upload(local, probeFile(), m_nowMs * 1'000'000, Precondition::none()),
             [this, local, next](EntryJob *upload) {
                 QFile::remove(local);
                 if (!upload->succeeded())
                     return fail(*upload->error());
                 next();
             });
}

// The root's ETag, a change two levels down, the root's ETag again: a propagating server
// gives it a new one every round.
void EtagPropagationProbe::probeRound(int round)
{
    statRoot([this, round](QByteArray before) {
        if (before.isEmpty())
            return conclude(false, QStringLiteral("the remote root has no ETag"));
        writeProbe(round, [this, round, before] {
            statRoot([this, round, before](QByteArray after) {
                const QString change = QString::fromUtf8(before + " -> " + after);
                m_changes += (m_changes.isEmpty() ? QString() : QStringLiteral(", ")) + change;
                if (after == before)
                    return conclude(false, QStringLiteral("the root's ETag stayed %1 after %2 "
                                                          "was written")
                                               .arg(QString::fromUtf8(before), probeFile()));
                if (round + 1 < probeRounds)
                    return probeRound(round + 1);
                conclude(true, QStringLiteral("the root's ETag changed (%1) each time %2 was "
                                              "written")
                                   .arg(m_changes, probeFile()));
            });
        });
    });
}

void EtagPropagationProbe::conclude(bool propagates, const QString &evidence)
{
    m_verdict = EtagPropagationVerdict{propagates, evidence, m_backend->url().toString(), m_nowMs};
    Q_EMIT finished();
}

void EtagPropagationProbe::fail(const Error &error)
{
    m_error = error;
    Q_EMIT finished();
}

} // namespace steadysync
