#include "meteredhold.h"

#include <QNetworkInformation>

namespace steadysync {

void holdWhileMetered(Engine *engine, QObject *context)
{
    if (!QNetworkInformation::instance() &&
        !QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Metered))
        return;
    QNetworkInformation *network = QNetworkInformation::instance();
    const auto apply = [engine](bool metered) {
        QMetaObject::invokeMethod(engine, [engine, metered] { engine->setMeteredHold(metered); });
    };
    QObject::connect(network, &QNetworkInformation::isMeteredChanged, context, apply);
    apply(network->isMetered());
}

} // namespace steadysync
