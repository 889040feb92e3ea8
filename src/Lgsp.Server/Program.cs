var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();

/// <summary>The host's entry point; public so functional tests can start it.</summary>
public partial class Program;
