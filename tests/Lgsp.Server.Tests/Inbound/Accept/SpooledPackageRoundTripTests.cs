using Lgsp.Server.Tests.Inbound.Hostile;
using Lgsp.TestSupport.Packages;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Server.Tests.Inbound.Accept;

/// <summary>A package is spooled in an array rented from a pool and shared with the passes that read it
/// (PackageSpool): whatever its size around the pool's sizes and the spool's 1 MiB memory threshold, and
/// however many requests reuse the pool's arrays at once, the recipient pulls exactly the bytes sent,
/// through either door.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SpooledPackageRoundTripTests(PostgresFixture postgres, LargePackageMemoryTests.DefaultLimitsHub fixture)
    : IClassFixture<LargePackageMemoryTests.DefaultLimitsHub>
{
    [Theory(Timeout = 300_000)]
    [InlineData(false, 131_072, -1)]
    [InlineData(false, 131_072, +1)]
    [InlineData(true, 131_072, -1)]
    [InlineData(true, 131_072, +1)]
    [InlineData(false, 1_048_576, -1)]
    [InlineData(false, 1_048_576, +1)]
    [InlineData(true, 1_048_576, -1)]
    [InlineData(true, 1_048_576, +1)]
    public async Task A_package_just_under_or_over_a_pooled_size_is_pulled_byte_for_byte_as_sent(bool axis, int boundary, int side)
    {
        var hub = await fixture.StartAsync(postgres);
        var package = PackageNear(hub, boundary + side * 400);
        Assert.Equal(side, Math.Sign(package.Length - boundary));

        var answer = axis
            ? await HostileInputTests.SendAxisAsync(hub, package, TimeSpan.Zero)
            : await HostileInputTests.SendSoapAsync(hub, package, TimeSpan.Zero);

        Assert.Equal(200, answer.Item1);
        var pulled = await LargePackageMemoryTests.PullAsync(hub, package);
        Assert.True(package.AsSpan().SequenceEqual(pulled), "the recipient pulls the bytes sent");
    }

    [Fact(Timeout = 300_000)]
    public async Task Packages_sent_at_once_through_both_doors_each_come_back_as_their_own_bytes()
    {
        var hub = await fixture.StartAsync(postgres);
        var packages = Enumerable.Range(0, 8)
            .Select(i => hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: 60_000 + i * 9_000), hub.Normal))
            .ToArray();

        var answers = await Task.WhenAll(packages.Select((package, i) => i % 2 == 1
            ? HostileInputTests.SendAxisAsync(hub, package, TimeSpan.FromMilliseconds(200))
            : HostileInputTests.SendSoapAsync(hub, package, TimeSpan.FromMilliseconds(200))));

        Assert.All(answers, answer => Assert.Equal(200, answer.Item1));
        foreach (var package in packages)
        {
            var pulled = await LargePackageMemoryTests.PullAsync(hub, package);
            Assert.True(package.AsSpan().SequenceEqual(pulled), "each recipient pulls its own package's bytes");
        }
    }

    // The package's size follows the attachment's (4 base64 characters per 3 bytes): two corrections land
    // within a few bytes of the target.
    private static byte[] PackageNear(HostileHub hub, int target)
    {
        var attachment = target * 3 / 4;
        byte[] package = [];
        for (var round = 0; round < 4; round++)
        {
            package = hub.Signed(TestPackages.Document(HostileHub.NormalAgency, [HostileHub.Recipient], attachmentBytes: attachment), hub.Normal);
            if (Math.Abs(package.Length - target) <= 100)
            {
                break;
            }

            attachment += (target - package.Length) * 3 / 4;
        }

        return package;
    }
}
