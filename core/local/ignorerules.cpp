#include "local/ignorerules.h"

#include "fs/reservednames.h"

#include <QFile>

#include <optional>

namespace steadysync {

namespace {

const QString kIgnoreFileName = QLatin1String(ReservedNames::ignoreFile);
const QString kStateDirectoryName = ReservedNames::stateDirectoryName();
// The server-side versions collection (core/versions/remoteversionkeeper.h).
const QString kRemoteVersionsName = QStringLiteral(".steadysync-versions");
const QString kPartialFilePrefix = IgnoreRules::partialFilePrefix();

bool isGlobSpecial(QChar c)
{
    return c == QLatin1Char('*') || c == QLatin1Char('?') || c == QLatin1Char('[') ||
           c == QLatin1Char('\\');
}

bool hasGlobSpecial(QStringView text)
{
    for (QChar c : text) {
        if (isGlobSpecial(c))
            return true;
    }
    return false;
}

bool isPosixClassName(QStringView name)
{
    static const char *const names[] = {"alnum", "alpha", "blank", "cntrl", "digit", "graph",
                                        "lower", "print", "punct", "space", "upper", "xdigit"};
    for (const char *known : names) {
        if (name == QLatin1String(known))
            return true;
    }
    return false;
}

QString escapedClassMember(QChar c)
{
    if (c == QLatin1Char('\\') || c == QLatin1Char(']') || c == QLatin1Char('[') ||
        c == QLatin1Char('^') || c == QLatin1Char('-'))
        return QString(QLatin1Char('\\')) + c;
    return QString(c);
}

// A "[:name:]" class inside a bracket expression at glob[j], copied as it stands; moves j past
// it, or nullopt when it is unterminated or names no POSIX class.
std::optional<QString> readPosixClass(QStringView glob, qsizetype &j)
{
    const qsizetype close = glob.indexOf(QLatin1String(":]"), j + 2);
    if (close < 0 || !isPosixClassName(glob.sliced(j + 2, close - j - 2)))
        return std::nullopt;
    const QString text = glob.sliced(j, close + 2 - j).toString();
    j = close + 2;
    return text;
}

// One character of a bracket expression at glob[j] ('\' takes the next one as it is); moves j
// past it, or nullopt when a '\' ends the glob.
std::optional<QChar> readBracketChar(QStringView glob, qsizetype &j)
{
    if (glob[j] == QLatin1Char('\\') && ++j >= glob.size())
        return std::nullopt;
    return glob[j++];
}

// A character or a range "a-z" at glob[j] as regex class members; moves j past it, or nullopt
// when it is malformed (a range running backwards).
std::optional<QString> readBracketMember(QStringView glob, qsizetype &j)
{
    const std::optional<QChar> low = readBracketChar(glob, j);
    if (!low)
        return std::nullopt;
    const bool range =
        j + 1 < glob.size() && glob[j] == QLatin1Char('-') && glob[j + 1] != QLatin1Char(']');
    if (!range)
        return escapedClassMember(*low);
    ++j;
    const std::optional<QChar> high = readBracketChar(glob, j);
    if (!high || *high < *low)
        return std::nullopt;
    return escapedClassMember(*low) + QLatin1Char('-') + escapedClassMember(*high);
}

// Translates a bracket expression starting at glob[start] == '['; returns the regex and moves
// `end` past the closing ']', or nullopt when the expression is malformed.
std::optional<QString> bracketToRegex(QStringView glob, qsizetype start, qsizetype &end)
{
    const qsizetype n = glob.size();
    qsizetype j = start + 1;
    const bool negated = j < n && (glob[j] == QLatin1Char('!') || glob[j] == QLatin1Char('^'));
    if (negated)
        ++j;
    QString members;
    for (bool first = true;; first = false) {
        if (j >= n)
            return std::nullopt;
        if (glob[j] == QLatin1Char(']') && !first)
            break;
        const bool posixClass =
            glob[j] == QLatin1Char('[') && j + 1 < n && glob[j + 1] == QLatin1Char(':');
        const std::optional<QString> member =
            posixClass ? readPosixClass(glob, j) : readBracketMember(glob, j);
        if (!member)
            return std::nullopt;
        members += *member;
    }
    end = j + 1;
    // A bracket expression never matches '/', like '*' and '?'.
    if (negated)
        return QStringLiteral("[^/") + members + QLatin1Char(']');
    return QStringLiteral("(?!/)[") + members + QLatin1Char(']');
}

// A run of '*' at glob[i] as regex; moves i past it. "**" as a whole segment spans directories.
QString starsToRegex(QStringView glob, qsizetype &i)
{
    const qsizetype n = glob.size();
    qsizetype j = i;
    while (j < n && glob[j] == QLatin1Char('*'))
        ++j;
    const bool wholeSegment =
        (i == 0 || glob[i - 1] == QLatin1Char('/')) && (j == n || glob[j] == QLatin1Char('/'));
    const bool doubleStar = j - i >= 2 && wholeSegment;
    i = j;
    if (!doubleStar)
        return QStringLiteral("[^/]*");
    if (j == n)
        return QStringLiteral(".*");
    ++i;                               // the '/' after "**/" is part of the match
    return QStringLiteral("(?:.*/)?"); // zero or more directories
}

// The glob character at glob[i] ('*', '?' or '[') as regex; moves i past what it takes, or
// nullopt when a bracket expression is malformed.
std::optional<QString> specialToRegex(QStringView glob, qsizetype &i)
{
    if (glob[i] == QLatin1Char('*'))
        return starsToRegex(glob, i);
    if (glob[i] == QLatin1Char('?')) {
        ++i;
        return QStringLiteral("[^/]");
    }
    qsizetype end = i;
    std::optional<QString> bracket = bracketToRegex(glob, i, end);
    i = end;
    return bracket;
}

// gitignore's glob (wildmatch with a pathname flag) as a regular expression body, or nullopt
// when the glob is malformed.
std::optional<QString> globToRegex(QStringView glob)
{
    QString regex;
    QString literalRun;
    const qsizetype n = glob.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = glob[i];
        if (c == QLatin1Char('\\')) {
            if (i + 1 >= n)
                return std::nullopt;
            literalRun += glob[i + 1];
            i += 2;
            continue;
        }
        if (!isGlobSpecial(c)) {
            literalRun += c;
            ++i;
            continue;
        }
        regex += QRegularExpression::escape(literalRun);
        literalRun.clear();
        const std::optional<QString> special = specialToRegex(glob, i);
        if (!special)
            return std::nullopt;
        regex += *special;
    }
    return regex + QRegularExpression::escape(literalRun);
}

// The literal text before the first glob character.
QStringView literalStart(QStringView glob)
{
    qsizetype i = 0;
    while (i < glob.size() && !isGlobSpecial(glob[i]))
        ++i;
    return glob.first(i);
}

// The literal text after the last glob character (a bracket expression ends with ']'); a '/'
// that "**/" may swallow is left out.
QStringView literalEnd(QStringView glob)
{
    qsizetype i = glob.size();
    while (i > 0 && !isGlobSpecial(glob[i - 1]) && glob[i - 1] != QLatin1Char(']'))
        --i;
    QStringView end = glob.sliced(i);
    if (i >= 2 && glob[i - 1] == QLatin1Char('*') && glob[i - 2] == QLatin1Char('*') &&
        end.startsWith(QLatin1Char('/')))
        end = end.sliced(1);
    return end;
}

// Case-sensitive and inline, unlike QStringView::startsWith: on the hot path the first
// compared character almost always decides.
bool startsWithText(QStringView text, QStringView start)
{
    return text.size() >= start.size() && (start.isEmpty() || (text.front() == start.front() &&
                                                               text.first(start.size()) == start));
}

bool endsWithText(QStringView text, QStringView end)
{
    return text.size() >= end.size() &&
           (end.isEmpty() || (text.back() == end.back() && text.last(end.size()) == end));
}

QStringView ownName(QStringView path)
{
    return path.sliced(path.lastIndexOf(QLatin1Char('/')) + 1);
}

} // namespace

IgnoreRules::IgnoreRules()
{
    // .steadysync/ and the partial-transfer names are not rules: see isInternalName.
    for (const char *pattern : {"*.swp", "*~", ".~lock.*", "~$*", ".DS_Store", "Thumbs.db"})
        addPattern(QLatin1String(pattern));
}

IgnoreRules IgnoreRules::forRoot(const QString &localRoot, const QStringList &extraPatterns)
{
    IgnoreRules rules;
    QFile file(localRoot + QLatin1Char('/') + kIgnoreFileName);
    if (file.open(QIODevice::ReadOnly)) {
        QString text = QString::fromUtf8(file.readAll());
        if (text.startsWith(QChar(0xFEFF)))
            text.remove(0, 1);
        for (const QString &line : text.split(QLatin1Char('\n')))
            rules.addPattern(line);
    }
    for (const QString &pattern : extraPatterns)
        rules.addPattern(pattern);
    return rules;
}

bool IgnoreRules::addPattern(const QString &line)
{
    m_definition += QStringLiteral("pattern:") + line + QLatin1Char('\n');
    QStringView text(line);
    while (text.endsWith(QLatin1Char('\r')) || text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    // Trailing spaces are dropped unless escaped with a backslash.
    while (text.endsWith(QLatin1Char(' ')) &&
           !(text.size() >= 2 && text[text.size() - 2] == QLatin1Char('\\')))
        text.chop(1);
    if (text.isEmpty() || text.startsWith(QLatin1Char('#')))
        return true;

    Rule rule;
    if (text.startsWith(QLatin1Char('!'))) {
        rule.negated = true;
        text = text.sliced(1);
    }
    if (text.endsWith(QLatin1Char('/'))) {
        rule.directoryOnly = true;
        text.chop(1);
    }
    if (text.startsWith(QLatin1Char('/'))) {
        rule.anchored = true;
        text = text.sliced(1);
    } else {
        rule.anchored = text.contains(QLatin1Char('/'));
    }

    const std::optional<QString> regex = globToRegex(text);
    if (text.isEmpty() || text.endsWith(QLatin1Char('/')) || text.contains(QLatin1String("//")) ||
        !regex) {
        m_rejectedPatterns.append(line);
        return false;
    }

    if (!hasGlobSpecial(text)) {
        rule.kind = Rule::Kind::Literal;
        rule.literal = text.toString();
    } else if (text.startsWith(QLatin1Char('*')) && !hasGlobSpecial(text.sliced(1))) {
        rule.kind = Rule::Kind::Suffix;
        rule.literal = text.sliced(1).toString();
    } else if (text.endsWith(QLatin1Char('*')) && !hasGlobSpecial(text.first(text.size() - 1))) {
        rule.kind = Rule::Kind::Prefix;
        rule.literal = text.first(text.size() - 1).toString();
    } else {
        rule.regex = QRegularExpression(QRegularExpression::anchoredPattern(*regex));
        if (!rule.regex.isValid()) {
            m_rejectedPatterns.append(line);
            return false;
        }
        rule.regex.optimize();
        rule.requiredStart = literalStart(text).toString();
        rule.requiredEnd = literalEnd(text).toString();
    }
    m_rules.append(std::move(rule));
    return true;
}

void IgnoreRules::addExcludedFolder(const QString &path)
{
    m_definition += QStringLiteral("folder:") + path + QLatin1Char('\n');
    Rule rule;
    rule.kind = Rule::Kind::Literal;
    rule.anchored = true;
    rule.literal = path;
    m_rules.append(rule);
}

bool IgnoreRules::isIgnored(const QString &path, bool isDir) const
{
    if (path.isEmpty())
        return false;
    const QStringView view(path);
    for (qsizetype slash = view.indexOf(QLatin1Char('/')); slash >= 0;
         slash = view.indexOf(QLatin1Char('/'), slash + 1)) {
        if (matchesOwnName(view.first(slash), true))
            return true;
    }
    return matchesOwnName(view, isDir);
}

bool IgnoreRules::isIgnoredAssumingParentsIncluded(const QString &path, bool isDir) const
{
    return !path.isEmpty() && matchesOwnName(path, isDir);
}

bool IgnoreRules::isInternalName(QStringView name)
{
    return name == kStateDirectoryName || name == kRemoteVersionsName ||
           startsWithText(name, kPartialFilePrefix);
}

bool IgnoreRules::ruleMatches(const Rule &rule, QStringView subject)
{
    // In an anchored rule the subject is a whole path, and '*' must not cross a '/'.
    switch (rule.kind) {
    case Rule::Kind::Literal:
        return subject == rule.literal;
    case Rule::Kind::Prefix:
        return startsWithText(subject, rule.literal) &&
               (!rule.anchored || subject.indexOf(QLatin1Char('/'), rule.literal.size()) < 0);
    case Rule::Kind::Suffix:
        return endsWithText(subject, rule.literal) &&
               (!rule.anchored ||
                !subject.first(subject.size() - rule.literal.size()).contains(QLatin1Char('/')));
    case Rule::Kind::Regex:
        return startsWithText(subject, rule.requiredStart) &&
               endsWithText(subject, rule.requiredEnd) && rule.regex.match(subject).hasMatch();
    }
    return false;
}

bool IgnoreRules::matchesOwnName(QStringView path, bool isDir) const
{
    const QStringView name = ownName(path);
    if (isInternalName(name))
        return true;
    for (auto rule = m_rules.crbegin(); rule != m_rules.crend(); ++rule) {
        if (rule->directoryOnly && !isDir)
            continue;
        if (ruleMatches(*rule, rule->anchored ? path : name))
            return !rule->negated;
    }
    return false;
}

} // namespace steadysync
