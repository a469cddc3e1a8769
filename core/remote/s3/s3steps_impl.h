#pragma once

// Templates of s3steps.h.

namespace steadysync::s3 {

template<typename Base>
void headObject(S3Job<Base> *job, const QString &key, const QString &path,
                std::function<void(MaybeEntry)> then)
{
    S3Request request;
    request.method = "HEAD";
    request.key = key;
    job->send(request, [job, path, then](QNetworkReply *reply, const QByteArray &body) {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 404)
            return then(std::nullopt);
        if (job->failIfError(reply, body, QStringLiteral("HEAD %1").arg(path)))
            return;
        then(entryFromHeaders(reply, path));
    });
}

template<typename Base>
void statPath(S3Job<Base> *job, const QString &path, std::function<void(MaybeEntry)> then)
{
    const QString key = job->session()->endpoint().keyFor(path);
    headObject(job, key, path, [job, key, path, then](MaybeEntry file) {
        if (file)
            return then(file);
        auto folderFound = [path, then](const s3xml::ListPage &page) {
            if (page.objects.isEmpty() && page.commonPrefixes.isEmpty())
                return then(std::nullopt);
            RemoteEntry folder;
            folder.path = path;
            folder.type = ItemType::Directory;
            then(folder);
        };
        listAll(job, key + QLatin1Char('/'), true, folderFound, 1);
    });
}

template<typename Base>
void listPage(S3Job<Base> *job, const QString &prefix, bool byFolder, int maxKeys,
              const QString &token, s3xml::ListPage merged,
              std::function<void(s3xml::ListPage)> then)
{
    S3Request request;
    request.query = {{QStringLiteral("list-type"), QStringLiteral("2")},
                     {QStringLiteral("prefix"), prefix}};
    if (byFolder)
        request.query.append({QStringLiteral("delimiter"), QStringLiteral("/")});
    if (maxKeys > 0)
        request.query.append({QStringLiteral("max-keys"), QString::number(maxKeys)});
    if (!token.isEmpty())
        request.query.append({QStringLiteral("continuation-token"), token});
    job->send(request, [=, merged = std::move(merged)](QNetworkReply *reply,
                                                       const QByteArray &body) mutable {
        if (job->failIfError(reply, body, QStringLiteral("listing %1").arg(prefix)))
            return;
        Result<s3xml::ListPage> page = s3xml::parseListObjectsV2(body);
        if (!page)
            return job->fail(page.error());
        merged.objects += page->objects;
        merged.commonPrefixes += page->commonPrefixes;
        // maxKeys 1 is a question whether anything is there: one page answers it.
        if (!page->truncated || maxKeys == 1)
            return then(std::move(merged));
        if (page->nextContinuationToken == token)
            return job->fail(
                makeError(ErrorKind::Corrupt, QStringLiteral("listing %1: the store repeats its "
                                                             "continuation token")
                                                  .arg(prefix)));
        listPage(job, prefix, byFolder, maxKeys, page->nextContinuationToken, std::move(merged),
                 then);
    });
}

template<typename Base>
void listAll(S3Job<Base> *job, const QString &prefix, bool byFolder,
             std::function<void(s3xml::ListPage)> then, int maxKeys)
{
    listPage(job, prefix, byFolder, maxKeys > 0 ? maxKeys : listPageSize(), QString(), {},
             std::move(then));
}

} // namespace steadysync::s3
