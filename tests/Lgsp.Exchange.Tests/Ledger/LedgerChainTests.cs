using System.Security.Cryptography;
using System.Text;
using Lgsp.Exchange.Ledger;

namespace Lgsp.Exchange.Tests.Ledger;

public sealed class LedgerChainTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 8, 5, 9, TimeSpan.FromHours(7));

    [Fact]
    public void Canonical_content_is_the_compact_json_array_the_specification_fixes()
    {
        var entry = new LedgerEntry(42, At.AddTicks(1234567), LedgerKind.PackageReceived, "qlvb-so-tc", 7, "DOC-1", null,
            """{ "size": 1024, "from": "000.00.01.H56", "nested": { "b": true, "a": [1, null, "x"] } }""");

        var text = Encoding.UTF8.GetString(LedgerChain.Canonical(entry));

        Assert.Equal(
            """[42,"2026-03-14T01:05:09.123456Z","package.received","qlvb-so-tc",7,"DOC-1",null,{"from":"000.00.01.H56","nested":{"a":[1,null,"x"],"b":true},"size":1024}]""",
            text);
    }

    [Fact]
    public void Canonical_content_does_not_depend_on_key_order_or_whitespace_of_the_detail()
    {
        var stored = new LedgerEntry(1, At, LedgerKind.DeliveryCreated, "hub", 1, "D", 2, """{"mode":"push","recipient":"H56.01"}""");
        var reordered = stored with { Detail = "{\n  \"recipient\" : \"H56.01\",\n  \"mode\" : \"push\"\n}" };

        Assert.Equal(LedgerChain.ContentHash(stored), LedgerChain.ContentHash(reordered));
    }

    [Fact]
    public void Canonical_content_keeps_numbers_as_written_and_escapes_strings_as_the_json_writer_does()
    {
        var entry = new LedgerEntry(3, At, LedgerKind.DirectoryChanged, "admin", null, null, null, """{"name":"Sở Tài chính","rate":1.50,"big":12345678901234567890}""");

        var text = Encoding.UTF8.GetString(LedgerChain.Canonical(entry));

        Assert.EndsWith("""null,null,null,{"big":12345678901234567890,"name":"S\u1EDF T\u00E0i ch\u00EDnh","rate":1.50}]""", text);
    }

    [Fact]
    public void Canonical_content_changes_when_any_field_changes()
    {
        var entry = new LedgerEntry(5, At, LedgerKind.AttemptFailed, "hub", 1, "D", 9, """{"attempt":1}""");
        var variants = new[]
        {
            entry with { Seq = 6 }, entry with { At = At.AddTicks(10) }, entry with { Kind = LedgerKind.AttemptSucceeded },
            entry with { Actor = "admin" }, entry with { PackageId = null }, entry with { DocumentId = "E" },
            entry with { DeliveryId = 10 }, entry with { Detail = """{"attempt":2}""" },
        };

        var original = LedgerChain.ContentHash(entry);
        Assert.All(variants, v => Assert.NotEqual(original, LedgerChain.ContentHash(v)));
    }

    [Fact]
    public void Link_hashes_the_previous_head_followed_by_the_content_hash()
    {
        var content = SHA256.HashData("x"u8);

        var first = LedgerChain.Link(LedgerChain.Genesis, content);
        var second = LedgerChain.Link(first, content);

        Assert.Equal(SHA256.HashData([.. new byte[32], .. content]), first);
        Assert.Equal(SHA256.HashData([.. first, .. content]), second);
    }

    [Fact]
    public void Link_refuses_hashes_that_are_not_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => LedgerChain.Link(new byte[31], new byte[32]));
    }
}
