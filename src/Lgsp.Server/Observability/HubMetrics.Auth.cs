using System.Diagnostics.CodeAnalysis;
using Prometheus;

namespace Lgsp.Server.Observability;

// Secret checks and refused bearer tokens.
public sealed partial class HubMetrics
{
    private Counter _secretChecks;
    private Counter _tokensRefused;

    [MemberNotNull(nameof(_secretChecks), nameof(_tokensRefused))]
    private void CreateAuth(MetricFactory factory)
    {
        _secretChecks = factory.CreateCounter("lgsp_secret_checks_total", "Client-system and administrator secrets checked (system: a PBKDF2 derivation; axis: an HMAC check; admin): what the login throttle spares.", "kind");
        _tokensRefused = factory.CreateCounter("lgsp_tokens_refused_total", "Gateway bearer tokens refused (401, or 403 without the admin right), by door and reason.", "door", "reason");
    }

    /// <summary>Counts one secret check (<c>system</c>: a PBKDF2 derivation; <c>axis</c>: an HMAC check; <c>admin</c>).</summary>
    public void SecretChecked(string kind) => _secretChecks.WithLabels(kind).Inc();

    /// <summary>Counts a refused bearer token. By door and reason only, never by client system.</summary>
    public void TokenRefused(string door, string reason) => _tokensRefused.WithLabels(door, reason).Inc();

    /// <summary>Secret checks made so far of <paramref name="kind"/>.</summary>
    public double SecretChecks(string kind) => _secretChecks.WithLabels(kind).Value;
}
