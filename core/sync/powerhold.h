#pragma once

namespace steadysync {

// What the machine's power services say (UPower, power-profiles-daemon), for the pair option
// "pause on battery below N %" (issue 20).
struct PowerFacts
{
    bool onBattery = false;    // UPower's OnBattery
    double percentage = 100.0; // the display device's charge, 0 to 100
    bool powerSaver = false;   // power-profiles-daemon's ActiveProfile is "power-saver"
};

// Pure: whether a pair with the option set to thresholdPercent is held. Held on battery below the
// threshold, or in power-saver mode (the user asked the machine to save power); 0 turns the
// option off, so nothing is ever held.
[[nodiscard]] bool holdsForPower(const PowerFacts &facts, int thresholdPercent);

} // namespace steadysync
