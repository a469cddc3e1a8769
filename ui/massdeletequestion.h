#pragma once

#include <QMessageBox>

namespace steadysync {

struct MassDeleteVerdict;

// The question about a held mass deletion (DESIGN §4: the GUI asks), with three answers named
// "deleteOtherSide", "restore" and "decideLater" (the default).
QMessageBox *createMassDeleteQuestion(const MassDeleteVerdict &verdict, const QString &pairName,
                                      QWidget *parent);

} // namespace steadysync
