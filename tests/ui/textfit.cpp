#include "textfit.h"

#include <QAbstractButton>
#include <QAbstractTextDocumentLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>
#include <QTableView>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

namespace steadysync::test {

namespace {

// Drawing rounds; a pixel of slack avoids reporting what no eye can see.
constexpr int Slack = 1;

QString describe(const QWidget *widget, const QString &text, const QString &problem)
{
    return QStringLiteral("%1 \"%2\" in %3: %4")
        .arg(QString::fromLatin1(widget->metaObject()->className()), text.left(80),
             widget->window()->windowTitle(), problem);
}

QString plainLabelProblem(const QLabel *label, const QRect &area)
{
    const QFontMetrics metrics = label->fontMetrics();
    const QString text =
        label->buddy() ? QString(label->text()).remove(QLatin1Char('&')) : label->text();
    const int flags = label->wordWrap() ? Qt::TextWordWrap : 0;
    // A word wider than the label overflows the bounding rectangle (or is broken inside).
    const QRect needed = metrics.boundingRect(QRect(0, 0, area.width(), 100'000),
                                              int(label->alignment()) | flags, text);
    if (needed.width() > area.width() + Slack)
        return QStringLiteral("needs %1 px wide, has %2").arg(needed.width()).arg(area.width());
    if (needed.height() > area.height() + Slack)
        return QStringLiteral("needs %1 px high, has %2").arg(needed.height()).arg(area.height());
    return {};
}

QString richLabelProblem(const QLabel *label, const QRect &area)
{
    QTextDocument document;
    document.setDefaultFont(label->font());
    document.setDocumentMargin(0);
    QTextOption option = document.defaultTextOption();
    option.setWrapMode(label->wordWrap() ? QTextOption::WordWrap : QTextOption::NoWrap);
    document.setDefaultTextOption(option);
    document.setHtml(label->text());
    if (label->wordWrap())
        document.setTextWidth(area.width());
    const qreal width = document.idealWidth();
    const qreal height = document.documentLayout()->documentSize().height();
    if (width > area.width() + Slack)
        return QStringLiteral("needs %1 px wide, has %2").arg(width).arg(area.width());
    if (height > area.height() + Slack)
        return QStringLiteral("needs %1 px high, has %2").arg(height).arg(area.height());
    return {};
}

// Wrapped text may break lines at spaces (and after a hyphen of a word), never inside a path
// or URL: "/tmp/qt_temp-" and "waaCrm/Steadysync" on two lines read as two things.
QString brokenPath(const QLabel *label, const QRect &area, bool rich)
{
    QTextDocument document;
    document.setDefaultFont(label->font());
    document.setDocumentMargin(0);
    QTextOption option = document.defaultTextOption();
    option.setWrapMode(QTextOption::WordWrap);
    document.setDefaultTextOption(option);
    if (rich)
        document.setHtml(label->text());
    else
        document.setPlainText(label->text());
    document.setTextWidth(area.width());
    document.documentLayout()->documentSize(); // lays the text out
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        const QString text = block.text();
        const QTextLayout *layout = block.layout();
        for (int i = 0; i + 1 < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            const int end = line.textStart() + line.textLength();
            if (end <= 0 || end >= text.size() || text.at(end - 1).isSpace())
                continue;
            // The token around the break: from the previous space to the next.
            const qsizetype from = text.lastIndexOf(QLatin1Char(' '), end - 1) + 1;
            qsizetype to = text.indexOf(QLatin1Char(' '), end);
            to = to < 0 ? text.size() : to;
            const QString token = text.mid(from, to - from);
            if (token.contains(QLatin1Char('/')) || text.at(end - 1) != QLatin1Char('-'))
                return QStringLiteral("broken inside \"%1\"").arg(token);
        }
    }
    return {};
}

void checkLineEdit(const QLineEdit *edit, QStringList *problems)
{
    // A hint that does not fit is elided ("stocké dans le trousseau du sys…").
    if (edit->placeholderText().isEmpty() || !edit->text().isEmpty())
        return;
    const QMargins margins = edit->textMargins();
    const int frame =
        edit->hasFrame()
            ? 2 * edit->style()->pixelMetric(QStyle::PM_DefaultFrameWidth, nullptr, edit)
            : 0;
    const int available = edit->width() - frame - 4 - margins.left() - margins.right();
    const int needed = edit->fontMetrics().horizontalAdvance(edit->placeholderText());
    if (needed > available + Slack)
        problems->append(
            describe(edit, edit->placeholderText(),
                     QStringLiteral("hint needs %1 px, has %2").arg(needed).arg(available)));
}

void checkLabel(const QLabel *label, QStringList *problems)
{
    if (label->text().isEmpty())
        return;
    const QRect area = label->contentsRect().adjusted(label->margin(), label->margin(),
                                                      -label->margin(), -label->margin());
    const bool rich = label->textFormat() == Qt::RichText ||
                      (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
    QString problem = rich ? richLabelProblem(label, area) : plainLabelProblem(label, area);
    if (problem.isEmpty() && label->wordWrap())
        problem = brokenPath(label, area, rich);
    if (!problem.isEmpty())
        problems->append(describe(label, label->text(), problem));
}

void checkButton(const QAbstractButton *button, QStringList *problems)
{
    // In a layout a button gets its size hint unless the window is squeezed below its minimum.
    if (!button->text().isEmpty() && button->sizeHint().width() > button->width() + Slack)
        problems->append(describe(button, button->text(),
                                  QStringLiteral("needs %1 px, has %2")
                                      .arg(button->sizeHint().width())
                                      .arg(button->width())));
}

int textPadding(const QWidget *widget, QStyle::PixelMetric metric)
{
    return 2 * widget->style()->pixelMetric(metric, nullptr, widget);
}

void checkHeader(const QHeaderView *header, QStringList *problems)
{
    const QAbstractItemModel *model = header->model();
    if (!model)
        return;
    for (int section = 0; section < header->count(); ++section) {
        if (header->isSectionHidden(section))
            continue;
        const QString text = model->headerData(section, Qt::Horizontal).toString();
        const int needed = header->fontMetrics().horizontalAdvance(text) +
                           textPadding(header, QStyle::PM_HeaderMargin);
        if (needed > header->sectionSize(section) + Slack)
            problems->append(describe(header, text,
                                      QStringLiteral("header needs %1 px, has %2")
                                          .arg(needed)
                                          .arg(header->sectionSize(section))));
    }
}

// Cells of the columns that do not stretch: a stretched column (a path) may elide a long
// value, a column fitted to its contents must not.
void checkCells(const QTableView *table, QStringList *problems)
{
    const QAbstractItemModel *model = table->model();
    const QHeaderView *header = table->horizontalHeader();
    for (int column = 0; column < model->columnCount(); ++column) {
        if (header->sectionResizeMode(column) == QHeaderView::Stretch ||
            (header->stretchLastSection() && column == model->columnCount() - 1))
            continue;
        for (int row = 0; row < std::min(model->rowCount(), 50); ++row) {
            const QString text = model->index(row, column).data().toString();
            const int needed = table->fontMetrics().horizontalAdvance(text) +
                               textPadding(table, QStyle::PM_FocusFrameHMargin) + 2;
            if (needed > table->columnWidth(column) + Slack)
                problems->append(describe(table, text,
                                          QStringLiteral("cell needs %1 px, has %2")
                                              .arg(needed)
                                              .arg(table->columnWidth(column))));
        }
    }
}

} // namespace

QStringList clippedTexts(const QWidget *window)
{
    QStringList problems;
    const QList<QWidget *> widgets = window->findChildren<QWidget *>();
    for (const QWidget *widget : widgets) {
        if (!widget->isVisibleTo(window))
            continue;
        if (const auto *label = qobject_cast<const QLabel *>(widget))
            checkLabel(label, &problems);
        else if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
            checkButton(button, &problems);
        else if (const auto *edit = qobject_cast<const QLineEdit *>(widget))
            checkLineEdit(edit, &problems);
        else if (const auto *header = qobject_cast<const QHeaderView *>(widget);
                 header && header->orientation() == Qt::Horizontal)
            checkHeader(header, &problems);
        if (const auto *table = qobject_cast<const QTableView *>(widget))
            checkCells(table, &problems);
    }
    return problems;
}

} // namespace steadysync::test
