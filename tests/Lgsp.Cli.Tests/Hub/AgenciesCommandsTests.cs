using System.Text;
using System.Text.Json;
using Lgsp.Exchange.Ledger;
using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests.Hub;

/// <summary><c>lgsp agencies add/list/import/retire</c> against a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AgenciesCommandsTests(PostgresFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lgsp-cli-agencies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_added_agency_is_listed_and_its_ledger_entry_names_the_actor()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var added = db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND tỉnh Thanh Hóa", "--tier", "province", "--actor", "operator:lan");
        db.Ok("agencies", "add", "000.00.01.h56", "--name", "Sở Tài chính, tỉnh Thanh Hóa", "--tier", "department", "--parent", "000.00.00.H56",
            "--push", "https://stc.thanhhoa.gov.vn/edoc");
        var listed = db.Ok("agencies", "list");

        Assert.StartsWith("added 000.00.00.H56", added);
        Assert.Contains("000.00.01.H56", listed); // Stored upper-cased, as the code's normal form.
        Assert.Contains("Sở Tài chính, tỉnh Thanh Hóa", listed);
        Assert.Contains("https://stc.thanhhoa.gov.vn/edoc", listed);
        Assert.Contains("2 agencies", listed);
        var ledger = await db.LedgerAsync();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, e => Assert.Equal(LedgerKind.DirectoryChanged, e.Kind));
        Assert.Equal("operator:lan", ledger[0].Actor);
        Assert.Contains("\"000.00.00.H56\"", ledger[0].Detail);
        Assert.StartsWith("operator:", ledger[1].Actor); // The default: operator:<user name>.
    }

    [Fact]
    public async Task A_code_in_neither_form_is_added_only_with_nonstandard_kept_as_written_and_recorded_in_the_ledger()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var refused = db.Run("agencies", "add", "vxp.test.07", "--name", "Hệ thống trục", "--tier", "other");
        var added = db.Ok("agencies", "add", "vxp.test.07", "--name", "Hệ thống trục", "--tier", "other", "--nonstandard");

        Assert.Equal(2, refused.Exit);
        Assert.StartsWith("InvalidAgencyCode CODE: ", refused.Error);
        Assert.Contains("--nonstandard", refused.Error);
        Assert.StartsWith("added vxp.test.07 ", added);
        Assert.Contains("accepted as an exception", added);
        Assert.True((await db.Directory.FindAgencyAsync("vxp.test.07"))!.NonStandard);
        Assert.Equal(["vxp.test.07"], await db.Directory.ListNonStandardCodesAsync());
        var entry = Assert.Single(await db.LedgerAsync());
        using var detail = JsonDocument.Parse(entry.Detail);
        Assert.Equal("vxp.test.07", detail.RootElement.GetProperty("Code").GetString());
        Assert.True(detail.RootElement.GetProperty("nonstandard").GetBoolean());
    }

    [Fact]
    public async Task Nonstandard_refuses_a_code_in_a_standard_form_and_a_code_that_is_no_plain_token()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var standard = db.Run("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province", "--nonstandard");
        var spaced = db.Run("agencies", "add", "vxp test", "--name", "UBND", "--tier", "other", "--nonstandard");

        Assert.Equal(2, standard.Exit);
        Assert.Contains("needs no exception", standard.Error);
        Assert.Equal(2, spaced.Exit);
        Assert.StartsWith("InvalidAgencyCode CODE: ", spaced.Error);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.agency"));
    }

    [Fact]
    public async Task A_system_may_act_for_a_non_standard_code_the_directory_holds()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "vxp.test.07", "--name", "Hệ thống trục", "--tier", "other", "--nonstandard");

        db.Ok("systems", "add", "--id", "vxp-07", "--agency", "vxp.test.07", "--policy", "legacy");

        Assert.Equal(["vxp.test.07"], (await db.Directory.FindClientSystemAsync("vxp-07"))!.System.Agencies);
    }

    [Fact]
    public async Task Adding_a_code_that_exists_updates_it()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province");

        var output = db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND tỉnh Thanh Hóa", "--tier", "province", "--push", "http://10.0.0.5:8080/push");

        Assert.StartsWith("updated 000.00.00.H56", output);
        var agency = await db.Directory.FindAgencyAsync("000.00.00.H56");
        Assert.Equal("UBND tỉnh Thanh Hóa", agency!.Name);
        Assert.Equal(new Uri("http://10.0.0.5:8080/push"), agency.PushEndpoint);
    }

    [Fact]
    public async Task An_update_changes_only_the_options_given_and_an_empty_value_clears_one()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province");
        db.Ok("agencies", "add", "000.00.01.H56", "--name", "STC", "--tier", "department", "--parent", "000.00.00.H56", "--push", "http://10.0.0.5:8080/push");

        db.Ok("agencies", "add", "000.00.01.H56", "--name", "Sở Tài chính");
        var renamed = await db.Directory.FindAgencyAsync("000.00.01.H56");
        db.Ok("agencies", "add", "000.00.01.H56", "--parent", "", "--push", "");
        var cleared = await db.Directory.FindAgencyAsync("000.00.01.H56");

        Assert.Equal(("Sở Tài chính", "department", "000.00.00.H56", new Uri("http://10.0.0.5:8080/push")),
            (renamed!.Name, renamed.Tier, renamed.ParentCode, renamed.PushEndpoint));
        Assert.Equal(("Sở Tài chính", "department", (string?)null, (Uri?)null),
            (cleared!.Name, cleared.Tier, cleared.ParentCode, cleared.PushEndpoint));
    }

    [Fact]
    public async Task The_list_as_json_carries_every_column_and_changed_since_filters_by_time()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND tỉnh Thanh Hóa", "--tier", "province");

        using var json = JsonDocument.Parse(db.Ok("agencies", "list", "--json"));
        var later = db.Ok("agencies", "list", "--json", "--changed-since", DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));

        var agency = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("000.00.00.H56", agency.GetProperty("code").GetString());
        Assert.Equal("province", agency.GetProperty("tier").GetString());
        Assert.True(agency.GetProperty("active").GetBoolean());
        Assert.True(agency.TryGetProperty("changedAt", out _));
        Assert.Equal("[]", later.Trim());
    }

    [Fact]
    public async Task Bad_arguments_exit_two_and_change_nothing()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var badTier = db.Run("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "ministry");
        var badCode = db.Run("agencies", "add", "28.22.H17", "--name", "UBND", "--tier", "province");
        var badUrl = db.Run("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province", "--push", "ftp://host/x");
        var missing = db.Run("agencies", "add", "000.00.00.H56", "--tier", "province");
        var badTime = db.Run("agencies", "list", "--changed-since", "yesterday");

        Assert.Equal(2, badTier.Exit);
        Assert.Contains("--tier: 'ministry' is not a tier", badTier.Error);
        Assert.Equal(2, badCode.Exit);
        Assert.StartsWith("InvalidAgencyCode CODE: ", badCode.Error);
        Assert.Equal(2, badUrl.Exit);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("--name", missing.Error);
        Assert.Equal(2, badTime.Exit);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.agency"));
    }

    [Fact]
    public async Task An_unknown_parent_is_the_hub_refusing_with_its_code_and_field_in_english_or_vietnamese()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);

        var (exit, _, error) = db.Run("agencies", "add", "000.00.01.H56", "--name", "STC", "--tier", "department", "--parent", "000.00.00.H56");
        var vi = db.Run("agencies", "add", "000.00.01.H56", "--name", "STC", "--tier", "department", "--parent", "000.00.00.H56", "--vi");

        Assert.Equal(1, exit);
        Assert.Equal("NotFound ParentCode: Nothing matches ParentCode = '000.00.00.H56'.", error.Trim());
        Assert.Equal(1, vi.Exit);
        Assert.Equal("NotFound ParentCode: Không tìm thấy mục nào có ParentCode = '000.00.00.H56'.", vi.Error.Trim());
    }

    [Fact]
    public async Task A_parent_that_would_make_a_loop_is_refused()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province");
        db.Ok("agencies", "add", "000.00.01.H56", "--name", "STC", "--tier", "department", "--parent", "000.00.00.H56");

        var (exit, _, error) = db.Run("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province", "--parent", "000.00.01.H56");

        Assert.Equal(1, exit);
        Assert.Contains("leads back to 000.00.00.H56", error);
        Assert.Null((await db.Directory.FindAgencyAsync("000.00.00.H56"))!.ParentCode);
    }

    [Fact]
    public async Task Import_puts_parents_defined_later_in_the_file_first_and_keeps_a_quoted_name_with_a_comma()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province");
        var csv = Write("agencies.csv", "\uFEFFcode,name,parent,tier,push_endpoint\r\n"
            + "000.01.21.H56,\"Phường Đông Vệ, TP Thanh Hóa\",000.00.21.H56,commune,\r\n"
            + "000.00.21.H56,UBND TP Thanh Hóa,000.00.00.H56,district,https://tp.thanhhoa.gov.vn/edoc\r\n"
            + "000.00.00.H56,\"UBND tỉnh \"\"Thanh Hóa\"\"\",,province,\r\n");

        var output = db.Ok("agencies", "import", csv);

        Assert.Contains("Imported 3 agencies", output);
        Assert.Contains("2 added, 1 updated", output);
        var ward = await db.Directory.FindAgencyAsync("000.01.21.H56");
        Assert.Equal("Phường Đông Vệ, TP Thanh Hóa", ward!.Name);
        Assert.Equal("000.00.21.H56", ward.ParentCode);
        Assert.Equal("commune", ward.Tier);
        Assert.Null(ward.PushEndpoint);
        Assert.Equal(new Uri("https://tp.thanhhoa.gov.vn/edoc"), (await db.Directory.FindAgencyAsync("000.00.21.H56"))!.PushEndpoint);
        Assert.Equal("UBND tỉnh \"Thanh Hóa\"", (await db.Directory.FindAgencyAsync("000.00.00.H56"))!.Name);
        Assert.Equal(4, (await db.LedgerAsync()).Count);
    }

    [Fact]
    public async Task Import_with_bad_rows_imports_nothing_and_reports_every_bad_line_with_its_field()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var csv = Write("bad.csv", "code,name,parent,tier,push_endpoint\n"
            + "000.00.00.H56,UBND tỉnh,,province,\n"           // line 2: fine
            + "28.22.H17,Sở X,,department,\n"                  // line 3: code
            + "000.00.02.H56,Sở Y,,ministry,\n"                // line 4: tier
            + "000.00.03.H56,\"Sở Z, mới\",000.00.99.H56,department,\n" // line 5: parent nowhere
            + "000.00.04.H56,,000.00.00.H56,department,mailto:a@b\n"   // line 6: name and push_endpoint
            + "000.00.00.H56,UBND again,,province,\n"         // line 7: duplicate code
            + "000.00.05.H56,Sở \"W\",,department,\n"          // line 8: stray quote
            + "000.00.06.H56,Sở V,department\n");             // line 9: too few fields

        var (exit, output, error) = db.Run("agencies", "import", csv);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("line 3, code: ", error);
        Assert.Contains("line 4, tier: 'ministry' is not a tier", error);
        Assert.Contains("line 5, parent: the parent 000.00.99.H56 is neither in the directory nor in this file", error);
        Assert.Contains("line 6, name: the name is empty", error);
        Assert.Contains("line 6, push_endpoint: 'mailto:a@b' is not an absolute http or https URL", error);
        Assert.Contains("line 7, code: 000.00.00.H56 is already on line 2", error);
        Assert.Contains("line 8, row: a quote inside an unquoted field", error);
        Assert.Contains("line 9, row: 3 fields where the header has 5", error);
        Assert.DoesNotContain("line 2,", error);
        Assert.Contains("Nothing imported: 7 lines are wrong.", error);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.agency"));
        Assert.Empty(await db.LedgerAsync());
    }

    [Fact]
    public async Task Import_refuses_a_loop_of_parents_and_a_wrong_header()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var loop = Write("loop.csv", "code,name,parent,tier,push_endpoint\n"
            + "000.00.01.H56,A,000.00.02.H56,department,\n"
            + "000.00.02.H56,B,000.00.01.H56,department,\n");
        var header = Write("header.csv", "code;name;parent;tier;push_endpoint\n000.00.01.H56;A;;department;\n");

        var loopRun = db.Run("agencies", "import", loop);
        var headerRun = db.Run("agencies", "import", header);

        Assert.Equal(1, loopRun.Exit);
        Assert.Contains("line 2, parent: the chain of parents from 000.00.02.H56 leads back to 000.00.01.H56", loopRun.Error);
        Assert.Contains("line 3, parent: the chain of parents from 000.00.01.H56 leads back to 000.00.02.H56", loopRun.Error);
        Assert.Equal(1, headerRun.Exit);
        Assert.Contains("line 1, header: the header must be code,name,parent,tier,push_endpoint", headerRun.Error);
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM lgsp.agency"));
    }

    [Fact]
    public async Task Import_of_a_missing_file_is_a_usage_error_and_bytes_that_are_not_utf8_are_refused()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        var latin1 = Path.Combine(_dir, "latin1.csv");
        File.WriteAllBytes(latin1, Encoding.Latin1.GetBytes("code,name,parent,tier,push_endpoint\n000.00.00.H56,UBND tinh Thanh Hóa,,province,\n"));

        Assert.Equal(2, db.Run("agencies", "import", Path.Combine(_dir, "none.csv")).Exit);
        var (exit, _, error) = db.Run("agencies", "import", latin1);
        Assert.Equal(1, exit);
        Assert.Contains("not UTF-8", error);
        Assert.Null(await db.Directory.FindAgencyAsync("000.00.00.H56"));
    }

    [Fact]
    public async Task Retire_points_the_code_to_its_successor_and_a_successor_loop_is_refused()
    {
        await using var db = await HubDatabase.CreateAsync(fixture);
        db.Ok("agencies", "add", "000.00.00.H56", "--name", "UBND", "--tier", "province");
        db.Ok("agencies", "add", "000.00.21.H56", "--name", "UBND huyện cũ", "--tier", "district", "--parent", "000.00.00.H56");
        db.Ok("agencies", "add", "000.00.22.H56", "--name", "UBND huyện mới", "--tier", "district", "--parent", "000.00.00.H56");

        var output = db.Ok("agencies", "retire", "000.00.21.H56", "--successor", "000.00.22.H56", "--actor", "operator:minh");
        var (loopExit, _, loopError) = db.Run("agencies", "retire", "000.00.22.H56", "--successor", "000.00.21.H56");
        var (unknownExit, _, unknownError) = db.Run("agencies", "retire", "000.00.22.H56", "--successor", "000.00.99.H56");
        var listed = db.Ok("agencies", "list");

        Assert.Contains("retired 000.00.21.H56", output);
        var retired = await db.Directory.FindAgencyAsync("000.00.21.H56");
        Assert.False(retired!.Active);
        Assert.Equal("000.00.22.H56", retired.SuccessorCode);
        Assert.Equal(1, loopExit);
        Assert.StartsWith("InvalidRequest SuccessorCode: ", loopError);
        Assert.True((await db.Directory.FindAgencyAsync("000.00.22.H56"))!.Active);
        Assert.Equal(1, unknownExit);
        Assert.StartsWith("NotFound SuccessorCode: ", unknownError);
        Assert.Matches(@"000\.00\.21\.H56\s.*\sno\s.*000\.00\.22\.H56", listed);
        Assert.Contains((await db.LedgerAsync()), e => e.Actor == "operator:minh" && e.Detail.Contains("agency.retired"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
