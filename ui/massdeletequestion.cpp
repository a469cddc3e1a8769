#include "massdeletequestion.h"

#include "humanerror.h"

#include <QCoreApplication>
#include <QPushButton>

namespace steadysync {

QMessageBox *createMassDeleteQuestion(const MassDeleteVerdict &verdict, const QString &pairName,
                                      QWidget *parent)
{
    // The strings keep the context they had in AppController, and so their translations.
    auto *box = new QMessageBox(
        QMessageBox::Warning,
        QCoreApplication::translate("steadysync::AppController", "Many Files Deleted"),
        heldDeletionText(verdict, pairName), QMessageBox::NoButton, parent);
    box->addButton(
           QCoreApplication::translate("steadysync::AppController", "Delete on the Other Side Too"),
           QMessageBox::AcceptRole)
        ->setObjectName(QStringLiteral("deleteOtherSide"));
    box->addButton(QCoreApplication::translate("steadysync::AppController", "Restore the Files"),
                   QMessageBox::ActionRole)
        ->setObjectName(QStringLiteral("restore"));
    QPushButton *later =
        box->addButton(QCoreApplication::translate("steadysync::AppController", "Decide Later"),
                       QMessageBox::RejectRole);
    later->setObjectName(QStringLiteral("decideLater"));
    box->setDefaultButton(later);
    return box;
}

} // namespace steadysync
