namespace Lgsp.TestSupport.Oidc;

/// <summary>A person the test provider knows: they sign in on its login page with
/// <see cref="UserName"/> and <see cref="Password"/>, and their ID token carries <c>sub</c> =
/// <see cref="Subject"/>, <c>name</c>, one <c>roles</c> claim per role and one <c>agency</c> claim per
/// agency code.</summary>
/// <param name="UserName">What they type on the login page.</param>
/// <param name="Password">Their password (TEST ONLY).</param>
/// <param name="Subject">The stable subject identifier (<c>sub</c>).</param>
/// <param name="Name">The display name (<c>name</c>).</param>
/// <param name="Roles">The values of the <c>roles</c> claim.</param>
/// <param name="Agencies">The values of the <c>agency</c> claim.</param>
public sealed record OidcPerson(string UserName, string Password, string Subject, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Agencies)
{
    /// <summary>A person whose password is <c>test-only-{userName}</c> and subject <c>{userName}-sub</c>.</summary>
    public static OidcPerson Of(string userName, IReadOnlyList<string> roles, params string[] agencies) =>
        new(userName, "test-only-" + userName, userName + "-sub", userName, roles, agencies);
}

/// <summary>A client (relying party or API client) registered at the test provider.</summary>
/// <param name="ClientId">Its <c>client_id</c>.</param>
/// <param name="Secret">Its secret (TEST ONLY); null for a public client.</param>
/// <param name="RedirectUris">Where authorization responses may go (authorization code flow).</param>
/// <param name="PostLogoutRedirectUris">Where the end-session endpoint may send the browser back to.</param>
/// <param name="Audience">The audience (<c>aud</c>) of its client-credentials access tokens when the
/// request names no <c>resource</c>; null for none.</param>
public sealed record OidcClient(string ClientId, string? Secret, IReadOnlyList<Uri> RedirectUris, IReadOnlyList<Uri> PostLogoutRedirectUris, string? Audience = null)
{
    /// <summary>A confidential web client (console) with its redirect and post-logout URIs.</summary>
    public static OidcClient Web(string clientId, string secret, Uri redirectUri, Uri postLogoutRedirectUri) =>
        new(clientId, secret, [redirectUri], [postLogoutRedirectUri]);

    /// <summary>An API client using the client-credentials grant, its tokens for <paramref name="audience"/>.</summary>
    public static OidcClient Api(string clientId, string secret, string audience) => new(clientId, secret, [], [], audience);
}

/// <summary>An end-session request the provider received (single logout).</summary>
/// <param name="Subject">The subject of the provider session it ended (or of the id_token_hint), null if none.</param>
/// <param name="ClientId">The client named by the id_token_hint's audience or <c>client_id</c>, if any.</param>
/// <param name="PostLogoutRedirectUri">Where the browser was sent back to, if anywhere.</param>
public sealed record OidcEndSession(string? Subject, string? ClientId, Uri? PostLogoutRedirectUri);

/// <summary>How the provider spoils the next ID token it issues, for negative tests of a relying party.
/// The spoiled token keeps every claim of the real one (nonce included) except what is named.</summary>
public enum IdTokenForgery
{
    /// <summary>The real token.</summary>
    None,

    /// <summary>Its payload changed after signing (another subject, roles <c>admin</c>): the signature no longer matches.</summary>
    Tampered,

    /// <summary>Expired an hour ago (issued two hours ago), correctly signed.</summary>
    Expired,

    /// <summary>Issued for another audience, correctly signed.</summary>
    WrongAudience,

    /// <summary>Signed by a key the provider never published (its own <c>kid</c>).</summary>
    ForeignKey,

    /// <summary>Issued by another issuer, correctly signed.</summary>
    WrongIssuer,
}
