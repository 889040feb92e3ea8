using System.Text.RegularExpressions;
using Lgsp.Server.Hosting;
using Lgsp.TestSupport.Hub;
using Microsoft.Extensions.Configuration;

namespace Lgsp.Server.Tests.Hosting;

/// <summary>Settings the hub cannot run with stop its start with a message; the configuration files are read once.</summary>
public sealed class HubHostTests
{
    [Fact]
    public async Task A_negative_crl_grace_stops_the_start_naming_the_setting()
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Hub:CrlGrace"] = "-00:01:00", ["Hub:DataDirectory"] = data })));

        Assert.Contains("Hub:CrlGrace", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is started or created before the settings are checked");
    }

    [Theory]
    [InlineData("Hub:Limits:PerAddress:Permits", "0")]
    [InlineData("Hub:Limits:PerSystem:Window", "00:00:00")]
    [InlineData("Hub:Limits:LargeBodies:Concurrency", "0")]
    [InlineData("Hub:Limits:Login:FailuresPerId", "0")]
    public async Task A_limit_that_would_refuse_every_caller_stops_the_start_with_a_message_naming_the_setting(string setting, string value)
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [setting] = value, ["Hub:DataDirectory"] = data })));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is started or created before the settings are checked");
    }

    [Theory]
    [InlineData("Hub:Limits:MemoryBudget:Bytes", "109051903")]
    [InlineData("Hub:Limits:MemoryBudget:CostFactor", "0.5")]
    [InlineData("Hub:Limits:MemoryBudget:ProportionalBytes", "-1")]
    [InlineData("Hub:Limits:Connections:MaxConnections", "0")]
    [InlineData("Hub:Limits:Connections:MinDataRateGrace", "00:00:00.500")]
    public async Task A_memory_budget_that_could_never_admit_the_largest_request_or_a_connection_limit_out_of_range_stops_the_start(string setting, string value)
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));

        // The default Hub:MaxRequestBytes (100 MiB) costs 104 MiB at the defaults (its first 16 MiB × 5, plus
        // 24 MiB for any large request; the rest is spooled to a file): one byte less does not do.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { [setting] = value, ["Hub:DataDirectory"] = data })));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is started or created before the settings are checked");
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("7")]
    public async Task A_registration_setting_other_than_approve_or_refuse_stops_the_start_naming_the_setting(string mode)
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Hub:Axis:Registration"] = mode, ["Hub:DataDirectory"] = data })));

        Assert.Contains("Hub:Axis:Registration", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is started or created before the settings are checked");
    }

    [Fact]
    public async Task A_lease_below_the_hub_request_timeout_stops_the_start_naming_both_settings_and_their_values()
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.BuildAsync([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Hub:Delivery:Lease"] = "00:00:10", ["Hub:Parent:RequestTimeout"] = "00:00:30", ["Hub:DataDirectory"] = data })));

        Assert.Contains("Hub:Delivery:Lease is 00:00:10", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hub:Parent:RequestTimeout (00:00:30)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is started or created before the settings are checked");
    }

    [Fact]
    public async Task A_hub_process_with_a_lease_below_the_hub_request_timeout_exits_non_zero_saying_so_once()
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = data,
            ["Hub:Delivery:PushTimeout"] = "00:00:05",
            ["Hub:Delivery:Lease"] = "00:00:10",
            ["Hub:Parent:RequestTimeout"] = "00:00:30",
        };

        // HubProcess kills and disposes a process that exits before it is ready, and says its exit code and output.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubProcess.StartAsync(settings, Path.GetTempPath(), TimeSpan.FromSeconds(60)));

        var exit = Regex.Match(error.Message, "exited with code (-?[0-9]+) before it was ready");
        Assert.True(exit.Success, error.Message);
        Assert.NotEqual("0", exit.Groups[1].Value);
        Assert.Single(Regex.Matches(error.Message, Regex.Escape("Hub:Delivery:Lease is 00:00:10; it must exceed Hub:Delivery:PushTimeout (00:00:05) and Hub:Parent:RequestTimeout (00:00:30)")));
        Assert.False(Directory.Exists(data), "nothing is started or created before the settings are checked");
    }

    [Fact]
    public async Task The_configuration_files_are_read_once_so_the_hub_watches_no_folder_for_them()
    {
        var files = await ConfigurationFilesAsync([]);

        Assert.Contains(files, f => f.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.ReloadOnChange, $"{f.Path} is watched for changes"));
    }

    [Fact]
    public async Task An_operator_who_asks_for_reloading_on_the_command_line_still_gets_it()
    {
        var files = await ConfigurationFilesAsync(["--hostBuilder:reloadConfigOnChange=true"]);

        Assert.Contains(files, f => f.Path == "appsettings.json" && f.ReloadOnChange);
    }

    /// <summary>The configuration files the hub's builder reads, as it has them when the hub's own setup
    /// starts; the start is then stopped by a bad setting, before anything is created.</summary>
    private static async Task<List<FileConfigurationSource>> ConfigurationFilesAsync(string[] args)
    {
        var data = Path.Combine(Path.GetTempPath(), "lgsp-hosting-" + Guid.NewGuid().ToString("N"));
        var files = new List<FileConfigurationSource>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => HubHost.BuildAsync(args, b =>
        {
            files.AddRange(b.Configuration.Sources.OfType<FileConfigurationSource>());
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Hub:CrlGrace"] = "-00:01:00", ["Hub:DataDirectory"] = data });
        }));

        Assert.False(Directory.Exists(data), "nothing is started or created");
        return files;
    }
}
