namespace Lgsp.Server.Inbound.Limits;

/// <summary>How much one caller may ask of the hub (<c>Hub:Limits</c>; docs/operations.md, "Limits").
/// The defaults are far above what a province's systems send, so that only a flood meets them.</summary>
public sealed class LimitsOptions
{
    /// <summary>Requests to the doors (<c>/soap</c>, the axis base path, <c>/admin</c>, <c>/hangfire</c>,
    /// <c>/console</c>) from one remote address, before authentication.</summary>
    public WindowLimit PerAddress { get; set; } = new() { Permits = 3000, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Requests to <c>/metrics</c> and <c>/health</c> from one remote address, in a window of
    /// their own: a flood at the doors does not blind the monitoring, and the monitoring cannot be
    /// flooded either. Far above what scrapers and probes ask.</summary>
    public WindowLimit Monitoring { get; set; } = new() { Permits = 600, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Requests of one authenticated client system, on the SOAP and axis doors.</summary>
    public WindowLimit PerSystem { get; set; } = new() { Permits = 2000, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Requests carrying a package (<c>SendDocument</c>, <c>SendStatus</c>, <c>sendEdoc</c>) or a
    /// large body, in flight at once over the whole instance.</summary>
    public BodyLimit LargeBodies { get; set; } = new();

    /// <summary>Failed logins (HTTP Basic, client systems and the administrator) before the id or the
    /// address is held off without checking the secret.</summary>
    public LoginLimit Login { get; set; } = new();

    /// <summary>The memory budget all large requests in flight share.</summary>
    public MemoryBudgetOptions MemoryBudget { get; set; } = new();

    /// <summary>Kestrel's connection, header and data-rate limits.</summary>
    public ConnectionLimits Connections { get; set; } = new();

    /// <summary>Stops the hub's start on a setting that would refuse everything or nothing sensible;
    /// <paramref name="maxRequestBytes"/> is <c>Hub:MaxRequestBytes</c>, which the memory budget must hold.</summary>
    public void Validate(long maxRequestBytes)
    {
        MemoryBudget.Validate(maxRequestBytes);
        Connections.Validate();
        PerAddress.Validate("Hub:Limits:PerAddress");
        Monitoring.Validate("Hub:Limits:Monitoring");
        PerSystem.Validate("Hub:Limits:PerSystem");
        LargeBodies.Validate();
        Login.Validate();
    }

    internal static InvalidOperationException Invalid(string setting, object? value, string rule) =>
        new($"{setting} is {value}; {rule}.");
}

/// <summary>At most <see cref="Permits"/> requests per <see cref="Window"/> (a fixed window).</summary>
public sealed class WindowLimit
{
    /// <summary>Requests allowed per window.</summary>
    public int Permits { get; set; }

    /// <summary>The window.</summary>
    public TimeSpan Window { get; set; }

    internal void Validate(string setting)
    {
        if (Permits < 1)
        {
            throw LimitsOptions.Invalid(setting + ":Permits", Permits, "it must be at least 1");
        }

        if (Window < TimeSpan.FromMilliseconds(100) || Window > TimeSpan.FromHours(1))
        {
            throw LimitsOptions.Invalid(setting + ":Window", Window, "it must be between 100 ms and 1 hour");
        }
    }
}

/// <summary>The concurrency limit on requests with a package or a large body.</summary>
public sealed class BodyLimit
{
    /// <summary>A door request whose declared body is at least this large (or undeclared: chunked) counts
    /// as large, whatever its operation.</summary>
    public long Bytes { get; set; } = 1024 * 1024;

    /// <summary>How many may be in flight at once.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>How many more may wait for a place (oldest first); beyond that, 429 at once.</summary>
    public int Queue { get; set; } = 256;

    internal void Validate()
    {
        if (Bytes < 1)
        {
            throw LimitsOptions.Invalid("Hub:Limits:LargeBodies:Bytes", Bytes, "it must be at least 1");
        }

        if (Concurrency < 1)
        {
            throw LimitsOptions.Invalid("Hub:Limits:LargeBodies:Concurrency", Concurrency, "it must be at least 1");
        }

        if (Queue < 0)
        {
            throw LimitsOptions.Invalid("Hub:Limits:LargeBodies:Queue", Queue, "it must be zero or positive");
        }
    }
}

/// <summary>The failed-login throttle: <see cref="FailuresPerId"/> failures for one id, or
/// <see cref="FailuresPerAddress"/> from one address, within <see cref="Window"/> hold that id or address
/// off for <see cref="Lockout"/>, during which no secret is checked (a right one neither).</summary>
public sealed class LoginLimit
{
    /// <summary>Failures for one id (client system or administrator user).</summary>
    public int FailuresPerId { get; set; } = 10;

    /// <summary>Failures from one remote address, whatever the id.</summary>
    public int FailuresPerAddress { get; set; } = 30;

    /// <summary>The window failures are counted in (from the first failure).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an id or address is held off once over its count.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        if (FailuresPerId < 1)
        {
            throw LimitsOptions.Invalid("Hub:Limits:Login:FailuresPerId", FailuresPerId, "it must be at least 1");
        }

        if (FailuresPerAddress < 1)
        {
            throw LimitsOptions.Invalid("Hub:Limits:Login:FailuresPerAddress", FailuresPerAddress, "it must be at least 1");
        }

        if (Window <= TimeSpan.Zero || Lockout <= TimeSpan.Zero || Lockout > TimeSpan.FromDays(1))
        {
            throw LimitsOptions.Invalid("Hub:Limits:Login:Window/Lockout", $"{Window}/{Lockout}", "both must be positive, the lockout at most a day");
        }
    }
}
