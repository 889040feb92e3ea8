using Lgsp.Exchange.Delivery;
using Lgsp.Server.Delivery;
using Lgsp.Server.Hosting;
using Lgsp.Server.Observability;

namespace Lgsp.Server.Hubs;

/// <summary>Wiring of the links to other hubs.</summary>
public static class HubLinksRegistration
{
    /// <summary>Registers the axis client, the push transport that forwards to hubs, the parent poller
    /// and the directory sync. Needs <see cref="HttpPushTransport"/> registered as a typed client, and the
    /// store's exclusive runs (<c>AddLgspPostgres</c>).</summary>
    public static IServiceCollection AddHubLinks(this IServiceCollection services, HubOptions options)
    {
        services.AddHttpClient<AxisClient>(AxisClient.ClientName, http => http.Timeout = options.Parent.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton(sp => new HubLinkMetrics(sp.GetRequiredService<HubMetrics>().Registry));
        services.AddTransient<HubForwardTransport>();
        services.AddTransient<IPushTransport, DispatchingPushTransport>();
        services.AddSingleton<ParentPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<ParentPoller>());
        services.AddSingleton<DirectorySync>();
        services.AddHostedService(sp => sp.GetRequiredService<DirectorySync>());
        return services;
    }
}
