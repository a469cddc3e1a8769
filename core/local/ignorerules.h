#pragma once

#include "fs/reservednames.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QVector>

namespace steadysync {

// Which names are never synced (DESIGN §4): the built-in list (.steadysync/, *.swp, *~,
// .~lock.*, ~$*, .DS_Store, Thumbs.db, the client's partial-transfer names) plus
// gitignore-style patterns from LOCAL_ROOT/.steadysyncignore and --exclude globs.
// Supported gitignore syntax: comments (#), blank lines, negation (!), trailing '/'
// (directories only), leading '/' or an inner '/' (anchored to the root), '*', '?',
// '[...]', '**'. A path below an ignored directory is ignored. Later rules override earlier
// ones, so a user pattern such as "!*~" re-includes a built-in name; the client's own names
// (.steadysync of any type, partial-transfer files) stay ignored whatever the patterns say.
class IgnoreRules
{
public:
    IgnoreRules(); // the built-in list only

    // Built-in list + LOCAL_ROOT/.steadysyncignore (if present) + extra patterns.
    static IgnoreRules forRoot(const QString &localRoot, const QStringList &extraPatterns = {});

    // Adds one gitignore-style line; returns false (and ignores it) when it is malformed.
    bool addPattern(const QString &line);

    // A folder the pair leaves out (selective sync, FolderSelection): the path relative to the
    // root, taken literally (no pattern syntax), with everything below it. Added after the
    // patterns, so no pattern re-includes it.
    void addExcludedFolder(const QString &path);

    // path is relative to the root, '/'-separated.
    bool isIgnored(const QString &path, bool isDir) const;

    // Like isIgnored, but trusts that no ancestor of path is ignored (a walk that never
    // descends into ignored directories), so only path's own name is tested: cheaper.
    bool isIgnoredAssumingParentsIncluded(const QString &path, bool isDir) const;

    // Lines addPattern refused (including those of .steadysyncignore), to report to the user.
    QStringList rejectedPatterns() const { return m_rejectedPatterns; }
    // Every pattern and excluded folder as added, in order: equal for equal rules (what a
    // remote listing filtered with these rules may be reused for).
    const QString &definition() const { return m_definition; }

    // The prefix of temporary files the client writes next to their target (a partial
    // transfer); built-in ignored, and removed when stale.
    static QString partialFilePrefix() { return QLatin1String(ReservedNames::partialFilePrefix); }

private:
    struct Rule
    {
        // Most patterns are a literal with at most one leading or trailing '*': those are
        // matched with plain string comparisons, which a 100,000-file scan can afford.
        enum class Kind { Literal, Prefix, Suffix, Regex };

        QRegularExpression regex;
        bool negated = false;
        bool directoryOnly = false;
        bool anchored = false; // matched against the whole path, else against each name
        Kind kind = Kind::Regex;
        QString literal; // Literal: the name; Prefix: before the '*'; Suffix: after it
        // Regex: what any match must start and end with, checked before the regex runs.
        QString requiredStart;
        QString requiredEnd;
    };
    static bool isInternalName(QStringView name);
    static bool ruleMatches(const Rule &rule, QStringView subject);
    bool matchesOwnName(QStringView path, bool isDir) const;
    QVector<Rule> m_rules;
    QStringList m_rejectedPatterns;
    QString m_definition;
};

} // namespace steadysync
