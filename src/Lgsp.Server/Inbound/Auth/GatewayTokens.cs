namespace Lgsp.Server.Inbound.Auth;

/// <summary>Registers gateway bearer tokens (<see cref="JwtOptions"/>): with none configured the services
/// exist but accept no token, so the doors keep answering as with HTTP Basic alone.</summary>
public static class GatewayTokens
{
    /// <summary>Registers the token services; <paramref name="jwt"/> is validated here, so a wrong setting
    /// stops the start.</summary>
    public static IServiceCollection AddGatewayTokens(this IServiceCollection services, JwtOptions jwt)
    {
        jwt.Validate();
        services.AddSingleton(jwt);
        services.AddSingleton<ProviderKeys>();
        services.AddSingleton<BearerAuthenticator>();
        services.AddSingleton<TokenRefusals>();
        services.AddHttpClient(ProviderKeys.ClientName, http =>
            {
                http.Timeout = jwt.FetchTimeout;
                http.MaxResponseContentBufferSize = 1024 * 1024;
            })
            // A redirect could lead from https to http; the provider's URLs are configured as they are.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services;
    }
}
