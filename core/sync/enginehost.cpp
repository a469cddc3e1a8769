#include "sync/enginehost.h"

namespace steadysync {

EngineHost::EngineHost(const EngineOptions &options) : m_engine(new Engine(options))
{
    m_thread.setObjectName(QStringLiteral("steadysync-engine"));
    m_engine->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread.start();
}

EngineHost::~EngineHost()
{
    m_thread.quit();
    m_thread.wait();
}

} // namespace steadysync
