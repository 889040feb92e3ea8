using System.Net;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.People;
using Lgsp.Web.Tests.Support;

namespace Lgsp.Web.Tests.Pages;

/// <summary>The trust page: what the hub trusts and how it stands; operators upload, auditors only read.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrustTests(ConsoleSite site) : IDisposable
{
    private readonly TestPki _pki = TestPki.Create("LGSP console trust " + Guid.NewGuid().ToString("N")[..6]);
    private readonly string _dir = Directory.CreateTempSubdirectory("lgsp-console-trust-").FullName;

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task An_operator_uploads_a_root_and_a_stale_crl_is_taken_with_a_warning_shown_as_failing_and_recorded_under_the_operator()
    {
        var user = await site.AddUserAsync(ConsoleRole.Operator);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/trust");

        await page.GetByLabel("Loại").SelectOptionAsync("root");
        await page.GetByLabel("Tệp (PEM hoặc DER)").SetInputFilesAsync(Write("root.pem", _pki.Root.ExportCertificatePem()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Tải lên", Exact = true }).ClickAsync();

        Assert.Equal($"Đã thêm chứng thư gốc {_pki.Root.Subject}.", await page.Locator("#trust-done p").InnerTextAsync());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_pki.Root.RawData));
        Assert.Contains("Gốc", await page.Locator($"tr[data-sha256='{sha}']").InnerTextAsync(), StringComparison.Ordinal);

        var stale = _pki.CreateRootCrl([], DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-3));
        await page.GetByLabel("Loại").SelectOptionAsync("crl");
        await page.GetByLabel("Tệp (PEM hoặc DER)").SetInputFilesAsync(Write("root.crl", stale));
        await page.GetByRole(AriaRole.Button, new() { Name = "Tải lên", Exact = true }).ClickAsync();

        Assert.StartsWith("Danh sách này đã quá hạn cập nhật", await page.Locator("#trust-warnings p").InnerTextAsync(), StringComparison.Ordinal);
        var row = page.Locator($"tr[data-issuer='{_pki.Root.Subject}']");
        Assert.Contains("Quá hạn: chứng thư bị từ chối", await row.InnerTextAsync(), StringComparison.Ordinal);
        await ConsoleSite.ScreenshotAsync(page, "trust");

        await using var command = site.Database.CreateCommand(
            "SELECT detail->>'change' FROM lgsp.ledger WHERE kind = 'trust.changed' AND actor = $1 ORDER BY seq");
        command.Parameters.AddWithValue("user:" + user.Name);
        var changes = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                changes.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["root.added", "crl.added"], changes);
    }

    [Fact]
    public async Task A_file_that_is_no_certificate_is_refused_naming_it_and_nothing_is_added()
    {
        var user = await site.AddUserAsync(ConsoleRole.Admin);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/trust");
        var before = await page.Locator("tbody tr").CountAsync();

        await page.GetByLabel("Loại").SelectOptionAsync("intermediate");
        await page.GetByLabel("Tệp (PEM hoặc DER)").SetInputFilesAsync(Write("junk.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"));
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Tải lên", Exact = true }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(422, response.Status);
        Assert.StartsWith("Không đọc được tệp junk.pem", await page.Locator("#trust-refused").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await page.Locator("tbody tr").CountAsync());
    }

    [Fact]
    public async Task An_auditor_reads_the_trust_without_an_upload_form_and_a_forged_upload_is_refused()
    {
        var user = await site.AddUserAsync(ConsoleRole.Auditor);
        var page = await site.SignedInPageAsync(user);
        await page.GotoAsync("/console/trust");

        Assert.True(await page.Locator("table").First.Locator("tbody tr").CountAsync() >= 2, "the hub's test root and intermediate are listed");
        Assert.Equal(0, await page.GetByLabel("Tệp (PEM hoặc DER)").CountAsync());

        using var http = await site.SignedInClientAsync(user);
        var token = await UsersTests.AntiforgeryTokenAsync(http);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("root"), "kind" },
            { new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(_pki.Root.ExportCertificatePem())), "file", "root.pem" },
        };
        using var post = await http.PostAsync("/console/trust?handler=Upload", form);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        await using var command = site.Database.CreateCommand("SELECT count(*) FROM lgsp.ledger WHERE kind = 'trust.changed' AND actor = $1");
        command.Parameters.AddWithValue("user:" + user.Name);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.ASCII.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
