namespace Lgsp.Web.Hosting;

/// <summary>The console's settings (section <c>Console</c>).</summary>
public sealed class ConsoleOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Console";

    /// <summary>Signed out after this long without a request (30 minutes by default).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failed sign-ins in a row that lock a user out (5 by default).</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long a lockout lasts (15 minutes by default).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws when a setting cannot work, naming it.</summary>
    public void Validate()
    {
        if (IdleTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Console:IdleTimeout is {IdleTimeout}; it must be positive.");
        }

        if (LockoutFailures < 1)
        {
            throw new InvalidOperationException($"Console:LockoutFailures is {LockoutFailures}; it must be at least 1.");
        }

        if (LockoutDuration <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Console:LockoutDuration is {LockoutDuration}; it must be positive.");
        }
    }
}
