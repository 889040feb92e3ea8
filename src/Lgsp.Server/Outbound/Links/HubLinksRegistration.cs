using Lgsp.Exchange.Delivery;
using Lgsp.Server.Observability;
using Lgsp.Server.Outbound.Push;

namespace Lgsp.Server.Outbound.Links;

/// <summary>Wiring of the links to other hubs.</summary>
public static class HubLinksRegistration
{
    /// <summary>Registers the axis client, the push transport that forwards to hubs, the parent poller
    /// and the directory sync. Needs <see cref="HttpPushTransport"/> registered as a typed client, and the
    /// store's exclusive runs (<c>AddLgspPostgres</c>).</summary>
    public static IServiceCollection AddHubLinks(this IServiceCollection services, ParentLinkOptions options)
    {
        services.AddHttpClient<AxisClient>(AxisClient.ClientName, http => http.Timeout = options.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton(sp => new HubLinkMetrics(sp.GetRequiredService<HubMetrics>().Registry));
        services.AddTransient<HubForwardTransport>();
        services.AddTransient<IPushTransport, DispatchingPushTransport>();
        services.AddSingleton<ForwardFollowUp>();
        services.AddSingleton<UpwardReports>();
        services.AddSingleton<ParentPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<ParentPoller>());
        services.AddSingleton<DirectorySync>();
        services.AddHostedService(sp => sp.GetRequiredService<DirectorySync>());
        return services;
    }
}
