using System.Collections.Concurrent;
using Lgsp.Server.Inbound.Axis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lgsp.Server.Tests.Outbound.Links;

/// <summary>A call the scripted parent received: the operation and its signed parameters.</summary>
public sealed record ParentCall(string Operation, IReadOnlyDictionary<string, string> Parameters);

/// <summary>A parent hub's axis endpoint on loopback that keeps listing one waiting document for a child
/// (whatever the child reports, as a parent that never takes the report would), serves it on
/// <c>getEdoc</c>, answers <c>updateStatus</c> as told, and records every call with its signed
/// parameters (checked against the child's secret).</summary>
public sealed class ScriptedAxisParent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ParentCall> _calls = new();

    private ScriptedAxisParent(WebApplication app) => _app = app;

    /// <summary>The base URL to put in the child's parent record.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every call, in order.</summary>
    public IReadOnlyList<ParentCall> Calls => [.. _calls];

    /// <summary>The calls of one operation.</summary>
    public IReadOnlyList<ParentCall> CallsOf(string operation) => [.. _calls.Where(c => c.Operation == operation)];

    /// <summary>Starts the parent. It lists <paramref name="docId"/> for <paramref name="to"/> as a waiting
    /// document, gives <paramref name="package"/> for it, and takes <c>updateStatus</c> when
    /// <paramref name="takeReports"/> (else answers a refusal, so the report must be made again).</summary>
    public static async Task<ScriptedAxisParent> StartAsync(string childSecret, string docId, string to, byte[] package, bool takeReports)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var parent = new ScriptedAxisParent(app);
        const string ok = "\"status\":\"OK\",\"ErrorCode\":\"0\",\"ErrorDesc\":\"Success\"";
        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var operation = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Last();
            var parameters = AxisSignature.Verify(childSecret, context.Request.Headers[AxisSignature.SignHeader].ToString(), context.Request.Headers[AxisSignature.HashHeader].ToString(), out var signed)
                ? AxisSignature.ParseSignedParameters(signed).ToDictionary(p => p.Key, p => p.Value)
                : [];
            parent._calls.Enqueue(new ParentCall(operation, parameters));
            var body = operation switch
            {
                "getReceivedEdocList" when parameters.GetValueOrDefault("messagetype") == "edoc" =>
                    $$"""{{{ok}},"data":[{"docId":"{{docId}}","to":"{{to}}","from":"000.00.07.H57"}]}""",
                "getReceivedEdocList" => $$"""{{{ok}},"data":[]}""",
                "getEdoc" => $$"""{{{ok}},"data":"{{Convert.ToBase64String(package)}}","Hops":"root"}""",
                "updateStatus" when !takeReports => """{"status":"FAIL","ErrorCode":"NotFound","ErrorDesc":"not taken"}""",
                _ => $$"""{{{ok}},"data":[]}""",
            };
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        parent.BaseUrl = new Uri(address.TrimEnd('/') + "/vxp");
        return parent;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
