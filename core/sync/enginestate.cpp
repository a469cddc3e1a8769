#include "sync/enginestate.h"

#include <array>
#include <utility>

namespace steadysync {
namespace {

constexpr std::array<std::pair<EngineState, const char *>, 5> Names{{
    {EngineState::Idle, "idle"},
    {EngineState::Syncing, "syncing"},
    {EngineState::Paused, "paused"},
    {EngineState::Offline, "offline"},
    {EngineState::Error, "error"},
}};

} // namespace

QString engineStateName(EngineState state)
{
    for (const auto &[value, name] : Names) {
        if (value == state)
            return QLatin1String(name);
    }
    return QStringLiteral("idle");
}

EngineState engineStateFromName(const QString &name)
{
    for (const auto &[value, text] : Names) {
        if (name == QLatin1String(text))
            return value;
    }
    return EngineState::Idle;
}

} // namespace steadysync
