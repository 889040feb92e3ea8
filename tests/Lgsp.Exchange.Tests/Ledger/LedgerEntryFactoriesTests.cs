using System.Reflection;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Ledger;

public sealed class LedgerEntryFactoriesTests
{
    public static TheoryData<string> Samples => [.. LedgerEntrySamples.All.Select(s => s.ToString())];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_entry_detail_is_byte_for_byte_the_json_the_stores_wrote_before(string sample)
    {
        var expected = Sample(sample);
        Assert.Equal(expected.Detail, expected.Entry.Detail);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_entry_has_its_kind_actor_time_and_the_package_document_and_delivery_it_concerns(string sample)
    {
        var expected = Sample(sample);
        var entry = expected.Entry;
        Assert.Equal((expected.Kind, expected.Actor, LedgerEntrySamples.At), (entry.Kind, entry.Actor, entry.At));
        Assert.Equal(expected.Concerns, (entry.PackageId, entry.DocumentId, entry.DeliveryId));
    }

    [Fact]
    public void Every_public_factory_has_a_sample()
    {
        var factories = typeof(NewLedgerEntry).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(NewLedgerEntry).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(NewLedgerEntry)).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet();

        Assert.Equal(factories.Order(), LedgerEntrySamples.All.Select(s => s.Factory).Distinct().Order());
    }

    [Fact]
    public void Every_ledger_kind_is_made_by_some_factory()
    {
        var kinds = typeof(LedgerKind).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(kinds.Order(), LedgerEntrySamples.All.Select(s => s.Entry.Kind).Distinct().Order());
    }

    private static LedgerEntrySample Sample(string name) => LedgerEntrySamples.All.Single(s => s.ToString() == name);
}
