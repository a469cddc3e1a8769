#pragma once

#include "versionfacts.h"

#include <QGroupBox>

class QLabel;
class QStackedWidget;
class QTextEdit;

namespace steadysync {

// One side of the conflict dialog: facts about a version and its preview.
class VersionPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit VersionPanel(const QString &title, QWidget *parent = nullptr);

    void showLoading(const QString &relativePath);
    // otherText: the other version's text, to mark the lines only this one has.
    void showFacts(const VersionFacts &facts, const QString &otherText);
    QString checksumText() const;

private:
    QLabel *m_path;
    QLabel *m_size;
    QLabel *m_modified;
    QLabel *m_checksum;
    QStackedWidget *m_preview;
    QTextEdit *m_text;
    QLabel *m_image;
    QLabel *m_noPreview;
};

} // namespace steadysync
