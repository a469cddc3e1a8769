#pragma once

#include "result.h"
#include "sync/massdeleteguard.h"
#include "syncstate.h"

#include <QString>

namespace steadysync {

// Errors in words a user understands (DESIGN §8, issue 15 case 3). The engine's messages stay
// the technical detail, shown one hover away (tooltips), never as the headline.

// A translated sentence for an error of this kind: what happened and what happens next.
QString humanErrorText(ErrorKind kind);

// The technical message without the item's path repeated in front of it:
// "video.bin: video.bin: PUT failed: …" for path "video.bin" gives "PUT failed: …".
// With an empty path, a path repeated at the start is said once.
QString technicalDetail(const QString &message, const QString &path = {});

// The question about a mass deletion the engine holds back, in words (no option names).
QString heldDeletionText(const MassDeleteVerdict &verdict, const QString &pairName);

// What a pair's card says below its state, or empty when all is well. It follows the state,
// so a line about a problem goes away as soon as the problem does.
QString pairProblemText(SyncState state);

} // namespace steadysync
