using Lgsp.Exchange.Storage;
using Lgsp.Postgres.Locks;
using Lgsp.TestSupport.Postgres;
using Npgsql;

namespace Lgsp.Postgres.Tests.Locks;

/// <summary>Work that runs on one hub instance at a time, and the lock keys behind it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresExclusiveRunTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Work_running_on_one_instance_is_refused_to_another_until_it_ends_while_other_work_runs_alongside()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var first = new PostgresExclusiveRun(data);
        var second = new PostgresExclusiveRun(data);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = first.TryRunAsync(ExclusiveWork.ParentPoll, async _ =>
        {
            started.SetResult();
            await finish.Task;
        }, CancellationToken.None);
        await started.Task;

        var sameWork = await second.TryRunAsync(ExclusiveWork.ParentPoll, _ => Task.CompletedTask, CancellationToken.None);
        var otherWork = await second.TryRunAsync(ExclusiveWork.DirectorySync, _ => Task.CompletedTask, CancellationToken.None);
        finish.SetResult();

        Assert.True(await running);
        Assert.False(sameWork);
        Assert.True(otherWork);
        Assert.True(await second.TryRunAsync(ExclusiveWork.ParentPoll, _ => Task.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public async Task Work_that_fails_gives_its_turn_up()
    {
        await using var data = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        var exclusive = new PostgresExclusiveRun(data);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            exclusive.TryRunAsync(ExclusiveWork.Witnessing, _ => throw new InvalidOperationException("the cycle failed"), CancellationToken.None));

        Assert.True(await exclusive.TryRunAsync(ExclusiveWork.Witnessing, _ => Task.CompletedTask, CancellationToken.None));
    }

    [Fact]
    public void Every_lock_the_hub_takes_has_a_key_of_its_own()
    {
        long[] keys =
        [
            AdvisoryLockKeys.Migration, AdvisoryLockKeys.LedgerSeal, AdvisoryLockKeys.WitnessRecording,
            .. Enum.GetValues<ExclusiveWork>().Select(AdvisoryLockKeys.Of),
        ];

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }
}
