#pragma once

#include "pairconfig.h"

#include <QDialog>

namespace steadysync {

// Offered on the first start with no pair: the default pair of SPEC §8.
class FirstRunDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FirstRunDialog(const PairConfig &pair, QWidget *parent = nullptr);

    // Creates both folders of the default pair; false with a message when one cannot be made.
    static bool createFolders(const PairConfig &pair, QString *error);
};

} // namespace steadysync
