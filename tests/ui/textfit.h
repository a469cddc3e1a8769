#pragma once

#include <QStringList>

class QWidget;

namespace steadysync::test {

// The texts of a window that do not fit where they are shown: labels (single-line text wider
// than the label, wrapped text taller than the label or broken inside a word), buttons and
// check boxes narrower than their text needs, and item-view headers and table cells narrower
// than their text (which Qt elides: "Heruntergela…"). Only visible widgets count; call it for
// every tab of a window.
QStringList clippedTexts(const QWidget *window);

} // namespace steadysync::test
