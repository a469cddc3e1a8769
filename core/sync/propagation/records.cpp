// Propagator: what a finished action writes to the journal (records and counters) and counts
// in the cycle report, derived from one ActionTally.
#include "sync/propagation/actiontally.h"
#include "sync/propagator.h"

namespace steadysync {

Result<JournalRecord> Propagator::recordAfterMove(const QString &path, const LocalEntry &local,
                                                  const RemoteEntry &remote) const
{
    // A failed read must not pass for "no record": the moved record's hash would be lost.
    Result<std::optional<JournalRecord>> moved = m_journal->readRecord(path);
    if (!moved)
        return moved.error();
    JournalRecord record = moved->value_or(JournalRecord{});
    const JournalRecord fresh = recordFor(local, remote);
    record.path = path;
    record.type = fresh.type;
    record.localSize = fresh.localSize;
    record.localMtimeNs = fresh.localMtimeNs;
    record.localInode = fresh.localInode;
    record.localCtimeNs = fresh.localCtimeNs;
    record.localStatKnown = fresh.localStatKnown;
    record.remoteSignature = fresh.remoteSignature;
    record.remoteCheck = fresh.remoteCheck;
    record.remoteRewritten = fresh.remoteRewritten;
    record.remoteSize = fresh.remoteSize;
    record.remoteMtimeNs = fresh.remoteMtimeNs;
    record.remoteId = fresh.remoteId;
    return record;
}

JournalRecord Propagator::recordFor(const LocalEntry &local, const RemoteEntry &remote) const
{
    JournalRecord record;
    record.path = local.path;
    record.type = local.type;
    record.localSize = local.size;
    record.localMtimeNs = local.mtimeNs;
    record.localInode = local.inode;
    record.localCtimeNs = local.ctimeNs;
    record.sha256 = local.sha256;
    record.remoteSignature = remote.signature();
    record.remoteCheck = remoteCheckOf(remote, m_clock->nowMs());
    record.remoteSize = remote.size;
    record.remoteMtimeNs = remote.mtimeNs;
    record.remoteId = remote.fileId;
    return record;
}

Status Propagator::writeRecord(const JournalRecord &record, const ActionTally &tally)
{
    Journal::Transaction transaction(*m_journal);
    if (Status put = m_journal->putRecord(record); !put)
        return put;
    if (Status settled = m_journal->removeUnconfirmedUpload(record.path); !settled)
        return settled;
    return commitCounted(transaction, tally);
}

Status Propagator::commitCounted(Journal::Transaction &transaction, const ActionTally &tally)
{
    if (Status added = m_journal->addCounters(tally.counters); !added)
        return added;
    if (Status committed = transaction.commit(); !committed)
        return committed;
    tally.addTo(m_report);
    return success();
}

} // namespace steadysync
