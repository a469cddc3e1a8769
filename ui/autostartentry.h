#pragma once

#include <QString>

namespace steadysync {

// "Start at login" (DESIGN §8): an XDG autostart entry, ~/.config/autostart/steadysync.desktop.
class AutostartEntry
{
public:
    // executable: what the entry starts (the running binary by default).
    explicit AutostartEntry(QString executable = QString());

    static QString filePath();
    bool isEnabled() const;
    bool setEnabled(bool enabled) const;

private:
    QString m_executable;
};

} // namespace steadysync
