using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// One external-hours run at a time in this process, whoever triggers it. Quartz already never runs the job twice at
/// once; this also covers a caller outside the scheduler, so two overlapping runs can never both create one entry's
/// activity. A second trigger waits and then finds nothing left to do.
/// </summary>
public sealed class ExternalHoursRunGate : AsyncGate;
