#include "sync/powerhold.h"

namespace steadysync {

bool holdsForPower(const PowerFacts &facts, int thresholdPercent)
{
    if (thresholdPercent <= 0)
        return false;
    if (facts.powerSaver)
        return true;
    return facts.onBattery && facts.percentage < double(thresholdPercent);
}

} // namespace steadysync
