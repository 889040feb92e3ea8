using Lgsp.Server.Hosting;

var app = await HubHost.BuildAsync(args);
await app.RunHubAsync();

/// <summary>The host's entry point; public so functional tests can reference the assembly.</summary>
public partial class Program;
