using Lgsp.Exchange.Accept;
using Lgsp.Exchange.Errors;
using Lgsp.Exchange.Storage;

namespace Lgsp.Exchange.Tests.Accept;

public sealed class ResendWindowTests
{
    private static readonly DateTimeOffset Start = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    private readonly Log _log = new();
    private readonly Clock _clock = new(Start);
    private int _accepts;

    private ResendWindow Window() => new(_log, _clock, Day);

    private Func<CancellationToken, Task<Acceptance>> Accept(long packageId) => _ =>
    {
        _accepts++;
        return Task.FromResult(new Acceptance(packageId, "doc-" + packageId, "sha", _clock.GetUtcNow(), [(byte)packageId], 1, Duplicate: false));
    };

    [Fact]
    public async Task A_first_call_is_accepted_and_remembered_under_its_system_and_MAC()
    {
        var answer = await Window().AcceptOnceAsync("sys", "mac", Accept(7));

        Assert.Equal((7L, false), (answer.PackageId, answer.Resend));
        Assert.Equal([(byte)7], answer.Receipt);
        Assert.Equal(("sys", "mac", 7L, Start), Assert.Single(_log.Sends));
        Assert.Equal(1, _accepts);
    }

    [Fact]
    public async Task A_resend_within_the_window_answers_with_the_first_package_and_accepts_nothing()
    {
        await Window().AcceptOnceAsync("sys", "mac", Accept(7));
        _clock.Now = Start + Day - TimeSpan.FromSeconds(1);

        var answer = await Window().AcceptOnceAsync("sys", "mac", Accept(8));

        Assert.Equal((7L, true), (answer.PackageId, answer.Resend));
        Assert.Equal([(byte)7], answer.Receipt);
        Assert.Equal(1, _accepts);
        Assert.Single(_log.Sends);
    }

    [Fact]
    public async Task A_resend_after_the_window_goes_to_the_accept_path_again()
    {
        await Window().AcceptOnceAsync("sys", "mac", Accept(7));
        _clock.Now = Start + Day + TimeSpan.FromSeconds(1);

        var answer = await Window().AcceptOnceAsync("sys", "mac", Accept(7));

        Assert.Equal((7L, false), (answer.PackageId, answer.Resend));
        Assert.Equal(2, _accepts);
    }

    [Fact]
    public async Task The_same_MAC_from_another_system_is_not_a_resend()
    {
        await Window().AcceptOnceAsync("sys", "mac", Accept(7));

        var answer = await Window().AcceptOnceAsync("other", "mac", Accept(8));

        Assert.Equal((8L, false), (answer.PackageId, answer.Resend));
        Assert.Equal(2, _accepts);
    }

    [Fact]
    public async Task A_refused_call_is_not_remembered_so_its_resend_is_judged_again()
    {
        await Assert.ThrowsAsync<ExchangeException>(() => Window().AcceptOnceAsync("sys", "mac",
            _ => throw ExchangeException.Of(HubErrorCode.Forbidden, "from", "sys", "X")));

        Assert.Empty(_log.Sends);
        Assert.False((await Window().AcceptOnceAsync("sys", "mac", Accept(7))).Resend);
    }

    /// <summary>The record of sends in memory, with the store's rule: a pair keeps its first package, and
    /// the same package recorded again refreshes its time.</summary>
    private sealed class Log : IResendLog
    {
        public List<(string System, string Mac, long PackageId, DateTimeOffset At)> Sends { get; } = [];

        public Task<AxisResend?> FindResendAsync(string systemId, string hashHeader, DateTimeOffset since, CancellationToken ct = default) =>
            Task.FromResult(Sends.Where(s => s.System == systemId && s.Mac == hashHeader && s.At >= since)
                .Select(s => new AxisResend(s.PackageId, [(byte)s.PackageId])).FirstOrDefault());

        public Task RecordSendAsync(string systemId, string hashHeader, long packageId, DateTimeOffset at, CancellationToken ct = default)
        {
            Sends.RemoveAll(s => s.System == systemId && s.Mac == hashHeader && s.PackageId == packageId);
            if (!Sends.Any(s => s.System == systemId && s.Mac == hashHeader))
            {
                Sends.Add((systemId, hashHeader, packageId, at));
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
