#include "local/ignorerules.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;

class TestIgnoreRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void excludedFoldersAreLiteralAndFinal();
    void builtIns_data();
    void builtIns();
    void patterns_data();
    void patterns();
    void clientNamesCannotBeReincluded();
    void commentsAndBlankLinesAreAccepted();
    void malformedPatternsAreRejected_data();
    void malformedPatternsAreRejected();
    void ignoreFileAndExtraPatterns();
    void rootWithoutIgnoreFileHasBuiltInsOnly();
    void ownNameCheckAgreesWithFullCheck();
    void manyPathsAreCheap();
};

void TestIgnoreRules::builtIns_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<bool>("ignored");

    QTest::newRow("state dir at root") << ".steadysync" << true << true;
    QTest::newRow("inside state dir") << ".steadysync/journal.db" << false << true;
    QTest::newRow("nested state dir") << "a/.steadysync" << true << true;
    QTest::newRow("state dir name as prefix") << ".steadysyncignore" << false << false;
    // The server-side versions collection (--remote-versions) is never content either.
    QTest::newRow("remote versions collection") << ".steadysync-versions" << true << true;
    QTest::newRow("inside remote versions")
        << ".steadysync-versions/a.txt/20261206T100000.000Z~0123" << false << true;
    QTest::newRow("swap file") << "a/.notes.txt.swp" << false << true;
    QTest::newRow("swp needs the dot") << "notes.txtswp" << false << false;
    QTest::newRow("backup tilde") << "doc/report.odt~" << false << true;
    QTest::newRow("tilde inside is fine") << "a~b" << false << false;
    QTest::newRow("libreoffice lock") << ".~lock.report.odt#" << false << true;
    QTest::newRow("office owner file") << "~$report.docx" << false << true;
    QTest::newRow("DS_Store") << "photos/.DS_Store" << false << true;
    QTest::newRow("Thumbs.db") << "photos/Thumbs.db" << false << true;
    QTest::newRow("thumbs case differs") << "photos/thumbs.db2" << false << false;
    QTest::newRow("partial transfer") << "a/b/.steadysync-part-1234-report.pdf" << false << true;
    QTest::newRow("ignore file is synced") << ".steadysyncignore" << false << false;
    QTest::newRow("ordinary file") << "docs/report.pdf" << false << false;
    QTest::newRow("ordinary dir") << "docs" << true << false;
    QTest::newRow("root") << "" << true << false;
}

void TestIgnoreRules::builtIns()
{
    QFETCH(QString, path);
    QFETCH(bool, isDir);
    QFETCH(bool, ignored);
    QCOMPARE(IgnoreRules().isIgnored(path, isDir), ignored);
}

void TestIgnoreRules::patterns_data()
{
    QTest::addColumn<QStringList>("patterns");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("isDir");
    QTest::addColumn<bool>("ignored");

    const QStringList star{"*.log"};
    QTest::newRow("star ext at root") << star << "a.log" << false << true;
    QTest::newRow("star ext nested") << star << "x/y/a.log" << false << true;
    QTest::newRow("star ext other") << star << "a.logs" << false << false;
    QTest::newRow("star matches empty") << star << ".log" << false << true;

    const QStringList name{"build"};
    QTest::newRow("name matches dir anywhere") << name << "x/build" << true << true;
    QTest::newRow("name matches file") << name << "x/build" << false << true;
    QTest::newRow("name below ignored dir") << name << "build/out/a.o" << false << true;
    QTest::newRow("name not as substring") << name << "rebuild" << false << false;

    const QStringList dirOnly{"cache/"};
    QTest::newRow("dir-only matches dir") << dirOnly << "a/cache" << true << true;
    QTest::newRow("dir-only skips file") << dirOnly << "a/cache" << false << false;
    QTest::newRow("dir-only content") << dirOnly << "a/cache/x/y.bin" << false << true;

    const QStringList leading{"/todo.txt"};
    QTest::newRow("leading slash at root") << leading << "todo.txt" << false << true;
    QTest::newRow("leading slash not nested") << leading << "a/todo.txt" << false << false;

    const QStringList inner{"doc/*.txt"};
    QTest::newRow("inner slash anchored") << inner << "doc/a.txt" << false << true;
    QTest::newRow("inner slash not nested") << inner << "x/doc/a.txt" << false << false;
    QTest::newRow("star does not cross slash") << inner << "doc/sub/a.txt" << false << false;

    const QStringList anchoredDir{"/out/"};
    QTest::newRow("anchored dir-only") << anchoredDir << "out" << true << true;
    QTest::newRow("anchored dir-only file") << anchoredDir << "out" << false << false;
    QTest::newRow("anchored dir-only nested") << anchoredDir << "a/out" << true << false;

    const QStringList leadingStars{"**/logs"};
    QTest::newRow("**/ at root") << leadingStars << "logs" << true << true;
    QTest::newRow("**/ deep") << leadingStars << "a/b/logs" << true << true;
    QTest::newRow("**/ deep content") << leadingStars << "a/b/logs/x" << false << true;

    const QStringList trailingStars{"abc/**"};
    QTest::newRow("/** content") << trailingStars << "abc/x" << false << true;
    QTest::newRow("/** deep content") << trailingStars << "abc/x/y" << false << true;
    QTest::newRow("/** not the dir itself") << trailingStars << "abc" << true << false;
    QTest::newRow("/** anchored") << trailingStars << "z/abc/x" << false << false;

    const QStringList middleStars{"a/**/b"};
    QTest::newRow("/**/ zero dirs") << middleStars << "a/b" << false << true;
    QTest::newRow("/**/ one dir") << middleStars << "a/x/b" << false << true;
    QTest::newRow("/**/ many dirs") << middleStars << "a/x/y/z/b" << false << true;
    QTest::newRow("/**/ other end") << middleStars << "a/x/c" << false << false;

    const QStringList question{"file?.txt"};
    QTest::newRow("? one char") << question << "file1.txt" << false << true;
    QTest::newRow("? not zero") << question << "file.txt" << false << false;
    QTest::newRow("? not two") << question << "file12.txt" << false << false;
    const QStringList questionAnchored{"a?b/c"};
    QTest::newRow("? not slash") << questionAnchored << "a/b/c" << false << false;

    const QStringList klass{"*.[oa]"};
    QTest::newRow("class member") << klass << "x.o" << false << true;
    QTest::newRow("class other") << klass << "x.c" << false << false;
    const QStringList range{"v[0-9].bin"};
    QTest::newRow("range in") << range << "v7.bin" << false << true;
    QTest::newRow("range out") << range << "vx.bin" << false << false;
    const QStringList negClass{"[!a]*.tmp"};
    QTest::newRow("negated class") << negClass << "b.tmp" << false << true;
    QTest::newRow("negated class excludes") << negClass << "a.tmp" << false << false;
    const QStringList caretClass{"[^a]*.tmp"};
    QTest::newRow("caret class") << caretClass << "a.tmp" << false << false;
    const QStringList posixClass{"[[:digit:]]*"};
    QTest::newRow("posix class") << posixClass << "2024-report" << false << true;
    QTest::newRow("posix class other") << posixClass << "report" << false << false;
    const QStringList classThenLiteral{"[ab]c"};
    QTest::newRow("class then literal") << classThenLiteral << "ac" << false << true;
    QTest::newRow("class then literal other") << classThenLiteral << "cc" << false << false;
    const QStringList literalsAroundClass{"log-[0-9]*.txt"};
    QTest::newRow("literals around class")
        << literalsAroundClass << "log-1.old.txt" << false << true;
    QTest::newRow("literals around class start")
        << literalsAroundClass << "xlog-1.txt" << false << false;
    const QStringList bracketFirst{"[]x].txt"};
    QTest::newRow("] first in class") << bracketFirst << "].txt" << false << true;

    const QStringList escaped{"\\#notes", "\\!important", "a\\*b"};
    QTest::newRow("escaped hash") << escaped << "#notes" << false << true;
    QTest::newRow("escaped bang") << escaped << "!important" << false << true;
    QTest::newRow("escaped star literal") << escaped << "a*b" << false << true;
    QTest::newRow("escaped star not glob") << escaped << "axxb" << false << false;

    const QStringList regexChars{"a+b(c).txt", "x$"};
    QTest::newRow("regex chars literal") << regexChars << "a+b(c).txt" << false << true;
    QTest::newRow("regex chars not regex") << regexChars << "aab(c).txt" << false << false;
    QTest::newRow("dollar literal") << regexChars << "x$" << false << true;

    const QStringList negation{"*.log", "!keep.log"};
    QTest::newRow("negation re-includes") << negation << "keep.log" << false << false;
    QTest::newRow("negation others stay") << negation << "drop.log" << false << true;
    const QStringList negationFirst{"!keep.log", "*.log"};
    QTest::newRow("later rule wins") << negationFirst << "keep.log" << false << true;
    const QStringList negateBuiltIn{"!*~"};
    QTest::newRow("built-in re-included") << negateBuiltIn << "draft~" << false << false;
    const QStringList parentExcluded{"logs/", "!logs/keep.log"};
    QTest::newRow("no re-include below excluded dir")
        << parentExcluded << "logs/keep.log" << false << true;
    const QStringList negatedDirOnly{"tmp*", "!tmp-keep/"};
    QTest::newRow("negated dir-only dir") << negatedDirOnly << "tmp-keep" << true << false;
    QTest::newRow("negated dir-only file") << negatedDirOnly << "tmp-keep" << false << true;

    const QStringList trailingSpace{"spaced   ", "kept\\ "};
    QTest::newRow("trailing spaces dropped") << trailingSpace << "spaced" << false << true;
    QTest::newRow("escaped trailing space") << trailingSpace << "kept " << false << true;
    const QStringList crlf{"dos.txt\r"};
    QTest::newRow("CR stripped") << crlf << "dos.txt" << false << true;

    const QStringList unicode{"Über*", "*.🙂"};
    QTest::newRow("unicode prefix") << unicode << "d/Über alles" << false << true;
    QTest::newRow("emoji suffix") << unicode << "smile.🙂" << false << true;

    const QStringList anchoredStar{"/*.cfg"};
    QTest::newRow("anchored star root") << anchoredStar << "a.cfg" << false << true;
    QTest::newRow("anchored star nested") << anchoredStar << "x/a.cfg" << false << false;
    const QStringList anchoredPrefix{"/build-*"};
    QTest::newRow("anchored prefix") << anchoredPrefix << "build-x" << true << true;
    QTest::newRow("anchored prefix content") << anchoredPrefix << "build-x/y" << false << true;
    QTest::newRow("anchored prefix nested") << anchoredPrefix << "a/build-x" << true << false;
}

void TestIgnoreRules::patterns()
{
    QFETCH(QStringList, patterns);
    QFETCH(QString, path);
    QFETCH(bool, isDir);
    QFETCH(bool, ignored);
    IgnoreRules rules;
    for (const QString &pattern : patterns)
        QVERIFY2(rules.addPattern(pattern), qPrintable(pattern));
    QCOMPARE(rules.isIgnored(path, isDir), ignored);
}

void TestIgnoreRules::clientNamesCannotBeReincluded()
{
    IgnoreRules rules;
    QVERIFY(rules.addPattern(QStringLiteral("!.steadysync/")));
    QVERIFY(rules.addPattern(QStringLiteral("!.steadysync-part-*")));
    QVERIFY(rules.addPattern(QStringLiteral("!.steadysync-versions/")));
    QVERIFY(rules.addPattern(QStringLiteral("!**")));
    QVERIFY(rules.isIgnored(QStringLiteral(".steadysync"), true));
    QVERIFY(rules.isIgnored(QStringLiteral(".steadysync-versions"), true));
    QVERIFY(rules.isIgnored(QStringLiteral(".steadysync/journal.db"), false));
    QVERIFY(rules.isIgnored(QStringLiteral("a/.steadysync-part-7-x"), false));
}

void TestIgnoreRules::commentsAndBlankLinesAreAccepted()
{
    IgnoreRules rules;
    QVERIFY(rules.addPattern(QStringLiteral("# a comment")));
    QVERIFY(rules.addPattern(QString()));
    QVERIFY(rules.addPattern(QStringLiteral("    ")));
    QVERIFY(!rules.isIgnored(QStringLiteral("# a comment"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("a"), false));
    QVERIFY(rules.rejectedPatterns().isEmpty());
}

void TestIgnoreRules::malformedPatternsAreRejected_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::newRow("unbalanced [") << "foo[ab";
    QTest::newRow("lone [") << "[";
    QTest::newRow("unterminated negated class") << "[!";
    QTest::newRow("reversed range") << "[z-a]";
    QTest::newRow("unknown posix class") << "[[:nope:]]";
    QTest::newRow("trailing backslash") << "foo\\";
    QTest::newRow("bare bang") << "!";
    QTest::newRow("bare slash") << "/";
    QTest::newRow("double slash") << "a//b";
}

void TestIgnoreRules::malformedPatternsAreRejected()
{
    QFETCH(QString, pattern);
    IgnoreRules rules;
    QVERIFY(!rules.addPattern(pattern));
    QCOMPARE(rules.rejectedPatterns(), QStringList{pattern});
    // A rejected line changes nothing: the built-ins still work and nothing else is ignored.
    QVERIFY(rules.isIgnored(QStringLiteral("x.swp"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("foo"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("a"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("z"), false));
}

void TestIgnoreRules::ignoreFileAndExtraPatterns()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    test::writeFile(root.path(), QStringLiteral(".steadysyncignore"),
                    "\xEF\xBB\xBF*.o\r\n"
                    "# build output\r\n"
                    "/dist/\n"
                    "\n"
                    "bad[\n"
                    "!important.o\n");
    const IgnoreRules rules =
        IgnoreRules::forRoot(root.path(), {QStringLiteral("*.bak"), QStringLiteral("!keep.bak")});
    QVERIFY(rules.isIgnored(QStringLiteral("src/main.o"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("important.o"), false));
    QVERIFY(rules.isIgnored(QStringLiteral("dist/app"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("src/dist/app"), false));
    QVERIFY(rules.isIgnored(QStringLiteral("old.bak"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("keep.bak"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("# build output"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral(".steadysyncignore"), false));
    QVERIFY(rules.isIgnored(QStringLiteral("x.swp"), false));
    QCOMPARE(rules.rejectedPatterns(), QStringList{QStringLiteral("bad[")});
}

void TestIgnoreRules::rootWithoutIgnoreFileHasBuiltInsOnly()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const IgnoreRules rules = IgnoreRules::forRoot(root.path());
    QVERIFY(rules.isIgnored(QStringLiteral(".DS_Store"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("main.o"), false));
    QVERIFY(rules.rejectedPatterns().isEmpty());
}

void TestIgnoreRules::ownNameCheckAgreesWithFullCheck()
{
    IgnoreRules rules;
    QVERIFY(rules.addPattern(QStringLiteral("/top/*.tmp")));
    QVERIFY(rules.addPattern(QStringLiteral("*.log")));
    QVERIFY(rules.isIgnoredAssumingParentsIncluded(QStringLiteral("top/a.tmp"), false));
    QVERIFY(rules.isIgnoredAssumingParentsIncluded(QStringLiteral("x/y/a.log"), false));
    QVERIFY(!rules.isIgnoredAssumingParentsIncluded(QStringLiteral("x/top/a.tmp"), false));
    // Only the own name counts: the caller vouches for the ancestors.
    QVERIFY(!rules.isIgnoredAssumingParentsIncluded(QStringLiteral("a.log/child"), false));
    QVERIFY(rules.isIgnored(QStringLiteral("a.log/child"), false));
}

// The scanner asks for every name in the tree; a regression to regex-per-name would show here.
void TestIgnoreRules::manyPathsAreCheap()
{
    IgnoreRules rules;
    QVERIFY(rules.addPattern(QStringLiteral("node_modules/")));
    QVERIFY(rules.addPattern(QStringLiteral("*.o")));
    QVERIFY(rules.addPattern(QStringLiteral("build-[0-9]*")));
    QStringList paths;
    for (int i = 0; i < 100'000; ++i)
        paths.append(QStringLiteral("dir%1/file%2.txt").arg(i / 100).arg(i));
    QElapsedTimer timer;
    timer.start();
    int ignored = 0;
    for (const QString &path : paths)
        ignored += rules.isIgnoredAssumingParentsIncluded(path, false) ? 1 : 0;
    const qint64 ownNameMs = timer.restart();
    for (const QString &path : paths)
        ignored += rules.isIgnored(path, false) ? 1 : 0;
    const qint64 fullMs = timer.elapsed();
    QCOMPARE(ignored, 0);
    qInfo("100,000 names: %lld ms (own name), %lld ms (with ancestors)", ownNameMs, fullMs);
}

// Selective sync: a folder name is taken as it is (no pattern syntax), with all below it,
// and no user pattern brings it back.
void TestIgnoreRules::excludedFoldersAreLiteralAndFinal()
{
    IgnoreRules rules;
    QVERIFY(rules.addPattern(QStringLiteral("!*")));
    rules.addExcludedFolder(QStringLiteral("Photos [2019]*/raw"));
    QVERIFY(rules.isIgnored(QStringLiteral("Photos [2019]*/raw"), true));
    QVERIFY(rules.isIgnored(QStringLiteral("Photos [2019]*/raw/a.jpg"), false));
    QVERIFY(rules.isIgnored(QStringLiteral("Photos [2019]*/raw/deep/b.jpg"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("Photos [2019]*"), true));
    QVERIFY(!rules.isIgnored(QStringLiteral("Photos 2019/raw/a.jpg"), false));
    QVERIFY(!rules.isIgnored(QStringLiteral("Photos [2019]*/rawer"), true));
    QVERIFY(!rules.isIgnored(QStringLiteral("other/Photos [2019]*/raw"), true));
    QVERIFY(rules.isIgnoredAssumingParentsIncluded(QStringLiteral("Photos [2019]*/raw"), true));
}

QTEST_GUILESS_MAIN(TestIgnoreRules)
#include "tst_ignorerules.moc"
