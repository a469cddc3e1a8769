#include "paircard.h"

#include "heldfolderspanel.h"
#include "humanerror.h"
#include "pairsession.h"
#include "syncstate.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace steadysync {

PairCard::PairCard(PairSession *session, QWidget *parent)
    : QFrame(parent), m_session(session), m_grid(new QGridLayout), m_icon(new QLabel(this)),
      m_state(new QLabel(this)), m_error(new QLabel(this)), m_transfers(new QLabel(this)),
      m_serverSpace(new QLabel(this)), m_pause(new QPushButton(this))
{
    setFrameShape(QFrame::StyledPanel);
    setObjectName(QStringLiteral("pairCard"));
    auto *layout = new QVBoxLayout(this);

    auto *header = new QHBoxLayout;
    auto *title = new QLabel(this);
    title->setText(QStringLiteral("<b>%1</b><br><small>%2 ⇄ %3</small>")
                       .arg(session->config().displayName().toHtmlEscaped(),
                            session->config().localRoot.toHtmlEscaped(),
                            session->config().remoteUrl.toDisplayString().toHtmlEscaped()));
    header->addWidget(m_icon);
    header->addWidget(title, 1);
    header->addWidget(m_state);
    layout->addLayout(header);

    layout->addLayout(m_grid);
    addCounter(QStringLiteral("tracked"), tr("Files"), 0, 0);
    addCounter(QStringLiteral("pending"), tr("Pending"), 0, 1);
    addCounter(QStringLiteral("retry"), tr("Retrying"), 0, 2);
    addCounter(QStringLiteral("failed"), tr("Failed"), 0, 3);
    addCounter(QStringLiteral("conflicts"), tr("Conflicts"), 0, 4);
    addCounter(QStringLiteral("uploads"), tr("Uploads"), 2, 0);
    addCounter(QStringLiteral("downloads"), tr("Downloads"), 2, 1);
    addCounter(QStringLiteral("rate"), tr("Success rate"), 2, 2);
    addCounter(QStringLiteral("traffic"), tr("Up / down"), 2, 3);
    addCounter(QStringLiteral("lastSync"), tr("Last sync"), 2, 4);

    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    layout->addWidget(m_error);
    m_transfers->setWordWrap(true);
    m_transfers->setObjectName(QStringLiteral("transfers"));
    m_transfers->hide();
    layout->addWidget(m_transfers);
    m_serverSpace->setObjectName(QStringLiteral("serverSpace"));
    m_serverSpace->hide();
    layout->addWidget(m_serverSpace);
    layout->addWidget(createDecision());
    m_heldFolders = new HeldFoldersPanel(session, this);
    layout->addWidget(m_heldFolders);

    auto *buttons = new QHBoxLayout;
    auto *syncNow = new QPushButton(tr("Sync Now"), this);
    auto *openFolder = new QPushButton(tr("Open Folder"), this);
    buttons->addWidget(syncNow);
    buttons->addWidget(m_pause);
    buttons->addWidget(openFolder);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(syncNow, &QPushButton::clicked, session, &PairSession::syncNow);
    connect(m_pause, &QPushButton::clicked, this,
            [this] { m_session->isPaused() ? m_session->resume() : m_session->pause(); });
    connect(openFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_session->config().localRoot));
    });
    connect(session, &PairSession::statusChanged, this, &PairCard::showStatus);
    connect(session, &PairSession::transfersChanged, this, &PairCard::showTransfers);
    showStatus(session->status());
}

QString PairCard::transfersText() const
{
    return m_transfers->isHidden() ? QString() : m_transfers->text();
}

void PairCard::showTransfers()
{
    QStringList lines;
    for (const TransferProgress::Transfer &transfer : m_session->shownTransfers())
        lines.append(TransferProgress::describe(transfer));
    m_transfers->setText(lines.join(QLatin1Char('\n')));
    m_transfers->setVisible(!lines.isEmpty());
}

QWidget *PairCard::createDecision()
{
    m_decision = new QWidget(this);
    m_decisionText = new QLabel(m_decision);
    m_decisionText->setWordWrap(true);
    m_deleteOtherSide = new QPushButton(tr("Delete on the Other Side Too"), m_decision);
    m_restore = new QPushButton(tr("Restore the Files"), m_decision);
    auto *layout = new QVBoxLayout(m_decision);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_decisionText);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_restore);
    buttons->addWidget(m_deleteOtherSide);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(m_deleteOtherSide, &QPushButton::clicked, m_session, &PairSession::confirmMassDelete);
    connect(m_restore, &QPushButton::clicked, m_session, &PairSession::restoreMassDelete);
    m_decision->hide();
    return m_decision;
}

// Quietly on the card: the question stays here until answered, without a dialog per cycle.
void PairCard::showDecision()
{
    const std::optional<MassDeleteVerdict> &held = m_session->heldDeletion();
    if (held)
        m_decisionText->setText(heldDeletionText(*held, m_session->config().displayName()));
    m_decision->setVisible(held.has_value());
}

QString PairCard::stateText() const
{
    return m_state->text();
}

QString PairCard::problemText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString PairCard::problemDetail() const
{
    return m_error->toolTip();
}

QString PairCard::serverSpaceText() const
{
    return m_serverSpace->isHidden() ? QString() : m_serverSpace->text();
}

QString PairCard::describeServerSpace(const std::optional<ServerSpace> &space)
{
    if (!space)
        return {};
    const QLocale locale;
    const auto size = [&locale](qint64 bytes) {
        return locale.formattedDataSize(bytes);
    };
    if (space->unlimited)
        return space->usedBytes >= 0
                   ? tr("Server space: %1 used, unlimited").arg(size(space->usedBytes))
                   : tr("Server space: unlimited");
    if (space->totalBytes() >= 0)
        return tr("Server space: %1 free of %2")
            .arg(size(space->freeBytes), size(space->totalBytes()));
    if (space->freeBytes >= 0)
        return tr("Server space: %1 free").arg(size(space->freeBytes));
    return tr("Server space: %1 used").arg(size(space->usedBytes));
}

QString PairCard::counterText(const QString &key) const
{
    const QLabel *label = m_counters.value(key);
    return label ? label->text() : QString();
}

void PairCard::addCounter(const QString &key, const QString &label, int row, int column)
{
    auto *caption = new QLabel(label, this);
    caption->setStyleSheet(QStringLiteral("color: palette(mid);"));
    auto *value = new QLabel(QStringLiteral("–"), this);
    QFont font = value->font();
    font.setPointSizeF(font.pointSizeF() * 1.3);
    font.setBold(true);
    value->setFont(font);
    m_grid->addWidget(caption, row, column);
    m_grid->addWidget(value, row + 1, column);
    m_counters.insert(key, value);
}

void PairCard::showStatus(const StatusSnapshot &status)
{
    const QLocale locale;
    const SyncState state = m_session->state();
    m_icon->setPixmap(stateIcon(state).pixmap(32, 32));
    m_state->setText(pairStateText(state, status));
    m_state->setProperty("syncState", stateKey(state));
    m_counters[QStringLiteral("tracked")]->setText(locale.toString(status.trackedFiles));
    m_counters[QStringLiteral("pending")]->setText(locale.toString(status.pending));
    m_counters[QStringLiteral("retry")]->setText(locale.toString(status.retryQueue));
    m_counters[QStringLiteral("failed")]->setText(locale.toString(status.failedPermanent));
    m_counters[QStringLiteral("conflicts")]->setText(locale.toString(status.openConflicts));
    m_counters[QStringLiteral("uploads")]->setText(locale.toString(status.counters.uploads));
    m_counters[QStringLiteral("downloads")]->setText(locale.toString(status.counters.downloads));
    m_counters[QStringLiteral("rate")]->setText(
        locale.toString(status.successRate() * 100.0, 'f', 1) + QStringLiteral(" %"));
    m_counters[QStringLiteral("traffic")]->setText(
        QStringLiteral("%1 / %2").arg(locale.formattedDataSize(status.counters.bytesUp),
                                      locale.formattedDataSize(status.counters.bytesDown)));
    m_counters[QStringLiteral("lastSync")]->setText(
        status.lastSyncMs > 0
            ? QDateTime::fromMSecsSinceEpoch(status.lastSyncMs).toString(QStringLiteral("HH:mm:ss"))
            : tr("never"));
    // The line follows the state, so it goes as soon as the problem does; the engine's own
    // words are the detail, one hover away.
    const QString problem = pairProblemText(state); // a held deletion has its own panel
    m_error->setText(problem);
    m_error->setToolTip(problem.isEmpty() ? QString() : technicalDetail(status.lastError));
    m_error->setVisible(!problem.isEmpty());
    m_pause->setText(m_session->isPaused() ? tr("Resume") : tr("Pause"));
    m_serverSpace->setText(describeServerSpace(status.serverSpace));
    m_serverSpace->setVisible(!m_serverSpace->text().isEmpty());
    showDecision();
}

void PairCard::mousePressEvent(QMouseEvent *event)
{
    // With several pairs, the charts below must be the ones of the card the user looks at.
    Q_EMIT selected(m_session->config().id);
    QFrame::mousePressEvent(event);
}

} // namespace steadysync
