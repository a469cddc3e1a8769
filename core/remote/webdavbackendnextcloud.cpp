// WebDavBackend: what Nextcloud's listings and bulk upload add (issue 19).
#include "remote/nextcloudupload.h"
#include "remote/webdavbackend.h"
#include "remote/webdavbulkupload.h"
#include "remote/webdavsession.h"

namespace steadysync {

std::optional<ServerSpace> WebDavBackend::serverSpace() const
{
    return NextcloudUploadState::of(m_session)->serverSpace();
}

int WebDavBackend::uploadsInFlightWanted() const
{
    if (!NextcloudUploadState::of(m_session)->bulkAvailable())
        return 0;
    return WebDavBulkUpload::batchesInFlight * WebDavBulkUpload::maxFiles;
}

} // namespace steadysync
