#pragma once

#include "sync/selectionchange.h"

namespace steadysync {

// Applies a selection change to a pair no engine runs (a new pair, or one whose engine has not
// started): takes the pair lock, opens (or creates) the journal, applySelectionChange().
// Refused while another process holds the pair.
[[nodiscard]] Result<SelectionOutcome> applySelectionWithoutEngine(const QString &localRoot,
                                                                   const SelectionChange &change);

} // namespace steadysync
