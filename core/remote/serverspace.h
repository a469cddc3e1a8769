#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace steadysync {

// The space of the account on the server, from the root listing's DAV: quota-used-bytes and
// quota-available-bytes (RFC 4331; Nextcloud and ownCloud give them): what the dashboard and
// `status --json` show. A server that tells neither has no ServerSpace at all.
struct ServerSpace
{
    qint64 usedBytes = -1; // -1: not told
    qint64 freeBytes = -1; // -1: not told, or unlimited
    bool unlimited = false;

    // From the two values as Nextcloud words them: a negative "available" of -3 is
    // unlimited, -2 and -1 unknown. Nullopt where neither tells anything.
    static std::optional<ServerSpace> of(std::optional<qint64> used,
                                         std::optional<qint64> available);
    // used + free where both are known, else -1.
    qint64 totalBytes() const;

    // "USED FREE" with -3 for unlimited: how the journal keeps it for `status` in another
    // process (the settings key serverSpaceSetting).
    QString serialized() const;
    static std::optional<ServerSpace> parse(const QString &text);
    static constexpr const char *serverSpaceSetting = "server_space";

    friend bool operator==(const ServerSpace &, const ServerSpace &) = default;
};

} // namespace steadysync
