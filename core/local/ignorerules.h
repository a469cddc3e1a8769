#pragma once

#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QVector>

namespace steadysync {

// Which names are never synced (SPEC §4): the built-in list (.steadysync/, *.swp, *~,
// .~lock.*, ~$*, .DS_Store, Thumbs.db, the client's partial-transfer names) plus
// gitignore-style patterns from LOCAL_ROOT/.steadysyncignore and --exclude globs.
// Supported gitignore syntax: comments (#), blank lines, negation (!), trailing '/'
// (directories only), leading '/' or an inner '/' (anchored to the root), '*', '?',
// '[...]', '**'. A path below an ignored directory is ignored.
class IgnoreRules
{
public:
    IgnoreRules(); // the built-in list only

    // Built-in list + LOCAL_ROOT/.steadysyncignore (if present) + extra patterns.
    static IgnoreRules forRoot(const QString &localRoot, const QStringList &extraPatterns = {});

    // Adds one gitignore-style line; returns false (and ignores it) when it is malformed.
    bool addPattern(const QString &line);

    // path is relative to the root, '/'-separated.
    bool isIgnored(const QString &path, bool isDir) const;

    // The prefix of temporary files the client writes next to their target (a partial
    // transfer); built-in ignored, and removed when stale.
    static QString partialFilePrefix() { return QStringLiteral(".steadysync-part-"); }

private:
    struct Rule
    {
        QRegularExpression regex;
        bool negated = false;
        bool directoryOnly = false;
        bool anchored = false; // matched against the whole path, else against each name
    };
    bool matchesOwnName(const QString &path, bool isDir) const;
    QVector<Rule> m_rules;
};

} // namespace steadysync
