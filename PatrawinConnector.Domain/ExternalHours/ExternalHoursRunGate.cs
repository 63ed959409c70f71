using PatrawinConnector.Domain.State;

namespace PatrawinConnector.Domain.ExternalHours;

/// <summary>
/// One external-hours run at a time in this process, whoever triggers it (e.7). The SingleRunFilter already never runs the job twice
/// at once; this also covers a caller outside the scheduler, so two overlapping runs can never both create one entry's
/// activity. A trigger while a run is in progress does not start a second one.
/// </summary>
public sealed class ExternalHoursRunGate : AsyncGate;
