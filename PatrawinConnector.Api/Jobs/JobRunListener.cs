using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PatrawinConnector.Domain.State;
using Quartz;

namespace PatrawinConnector.Api.Jobs;

/// <summary>Records every job run (start, end, outcome, summary or error) in the state database for /ops, and logs one line per run.</summary>
public sealed class JobRunListener(
    IDbContextFactory<ConnectorStateDbContext> state,
    StateWriteGate writeGate,
    TimeProvider clock,
    ILogger<JobRunListener> logger) : IJobListener
{
    private const int MaxText = 4000;
    private readonly ConcurrentDictionary<string, long> _runIds = new();

    public string Name => nameof(JobRunListener);

    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var run = new JobRun { JobId = context.JobDetail.Key.Name, StartedAt = clock.GetUtcNow().UtcDateTime, Outcome = JobRunOutcome.Running };
        using (await writeGate.EnterAsync(cancellationToken))
        {
            await using var db = await state.CreateDbContextAsync(cancellationToken);
            db.JobRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        _runIds[context.FireInstanceId] = run.Id;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var jobId = context.JobDetail.Key.Name;
        var failure = jobException?.InnerException ?? jobException;
        var outcome = failure is null ? JobRunOutcome.Succeeded : JobRunOutcome.Failed;
        var message = Truncate(failure?.Message ?? context.Result as string);
        if (failure is null)
        {
            logger.LogInformation("Job {JobId} succeeded in {Duration}: {Summary}", jobId, context.JobRunTime, message);
        }
        else if (failure is OperationCanceledException)
        {
            logger.LogWarning("Job {JobId} was stopped by shutdown after {Duration}", jobId, context.JobRunTime);
        }
        else
        {
            logger.LogError(failure, "Job {JobId} failed after {Duration}: {Reason}", jobId, context.JobRunTime, message);
        }

        if (!_runIds.TryRemove(context.FireInstanceId, out var runId))
        {
            return;
        }
        using (await writeGate.EnterAsync(CancellationToken.None))
        {
            await using var db = await state.CreateDbContextAsync(CancellationToken.None);
            var finishedAt = clock.GetUtcNow().UtcDateTime;
            var error = Truncate(failure?.ToString());
            await db.JobRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.FinishedAt, finishedAt)
                .SetProperty(r => r.Outcome, outcome)
                .SetProperty(r => r.Message, message)
                .SetProperty(r => r.Error, error), CancellationToken.None);
        }
    }

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
