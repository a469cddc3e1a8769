#pragma once

#include <QString>
#include <QStringList>

// A pair as a running process serves it on the session bus (issue 20), for tests that drive
// the D-Bus API the way a script would: through `gdbus`.
namespace steadysync::test::pairbus {

inline const QString PairInterface = QStringLiteral("org.steadysync.Steadysync.Pair");

// The id of the pair at localRoot once some process serves it on the session bus; empty when
// none does within timeoutMs.
QString waitUntilServed(const QString &localRoot, int timeoutMs);
// `gdbus call` of method (interface-qualified) on the pair's object: its output, or
// "error: " and the output when the call failed.
QString call(const QString &pairId, const QString &method, const QStringList &arguments = {});
// The pair's State property, as gdbus prints it: "(<'up-to-date'>,)".
QString state(const QString &pairId);

} // namespace steadysync::test::pairbus
