#pragma once

#include "remote/s3/s3job.h"
#include "remote/s3/s3xml.h"

#include <optional>

// Request sequences the S3 operations share, each ending in a callback that runs only while
// the job is alive. A failure of the request itself fails the job; the callbacks get the
// outcomes an operation decides on (absent, present, a listing).
namespace steadysync::s3 {

using MaybeEntry = std::optional<RemoteEntry>;

// The entry a HEAD or GET answer describes (path as given; sha256 from x-amz-meta-sha256).
RemoteEntry entryFromHeaders(const QNetworkReply *reply, const QString &path);

// HEAD of one key: nullopt when it does not exist.
template<typename Base>
void headObject(S3Job<Base> *job, const QString &key, const QString &path,
                std::function<void(MaybeEntry)> then);

// A path as the sync sees it: a file (its key), else a folder (a "key/" marker or any key
// below "key/"); nullopt when neither.
template<typename Base>
void statPath(S3Job<Base> *job, const QString &path, std::function<void(MaybeEntry)> then);

// Every page of ListObjectsV2 under prefix (with delimiter "/" when byFolder), merged.
// maxKeys 0: the store's default page size (1,000).
template<typename Base>
void listAll(S3Job<Base> *job, const QString &prefix, bool byFolder,
             std::function<void(s3xml::ListPage)> then, int maxKeys = 0);

// Whether entry (nullopt: absent) meets precondition; the error to fail with when not.
std::optional<Error> checkPrecondition(const MaybeEntry &entry, const Precondition &precondition,
                                       const QString &path);

// The listing page size the backend uses (tests make it small to see paging).
int listPageSize();
void setListPageSize(int keys);

} // namespace steadysync::s3

#include "remote/s3/s3steps_impl.h"
