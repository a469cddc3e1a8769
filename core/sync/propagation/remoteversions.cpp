// Remote-side protection (core/versions/remoteversionkeeper.h): an upload that replaces a file
// on the server waits until the server's version is kept; without it nothing is replaced.
#include "sync/propagator.h"

#include "versions/remoteversionkeeper.h"

namespace steadysync {

void Propagator::uploadOnceKept(RemoteJob *keeping, const SyncAction &action, Done done)
{
    track(keeping);
    connect(keeping, &RemoteJob::finished, this, [this, keeping, action, done] {
        if (keeping->succeeded())
            return upload(action, done); // the keeper knows it is kept: this time it uploads
        const ErrorKind kind = keeping->error()->kind;
        // The server's file changed or went meanwhile: look at the path again.
        if (kind == ErrorKind::PreconditionFailed || kind == ErrorKind::NotFound)
            return done(Outcome::redo());
        done(Outcome::failed(*keeping->error()));
    });
}

} // namespace steadysync
