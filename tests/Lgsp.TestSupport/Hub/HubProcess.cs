using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lgsp.TestSupport.Hub;

/// <summary>
/// The built server (<c>Lgsp.Server.dll</c>) run as a real child process with <c>dotnet</c>, listening
/// on a free loopback port, configured through environment variables; its console output is kept.
/// For crash tests (kill it with SIGKILL, start another on the same database) and the benchmark.
/// </summary>
/// <remarks>
/// <para>Any project that references <c>Lgsp.Server</c> gets the server's assembly, its dependencies
/// and its <c>schemas/</c> folder copied to its output; <see cref="ServerAssembly"/> looks there.</para>
/// <para>Processes still running when this process exits are killed then. Thread safe.</para>
/// </remarks>
public sealed class HubProcess : IAsyncDisposable
{
    /// <summary>Exit code .NET reports on Linux for a process ended by SIGKILL (128 + 9).</summary>
    public const int SigKillExitCode = 137;

    private const int MaxOutputLines = 4000;
    private static readonly ConcurrentDictionary<HubProcess, byte> s_running = new();
    private static int s_exitHooked;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HubProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    /// <summary>The server assembly next to the calling assembly.</summary>
    public static string ServerAssembly => Path.Combine(AppContext.BaseDirectory, "Lgsp.Server.dll");

    /// <summary>Where the server listens.</summary>
    public Uri BaseUri { get; }

    /// <summary>The SOAP endpoint.</summary>
    public Uri SoapUri => new(BaseUri, "/soap/edoc");

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited (<see cref="SigKillExitCode"/> after SIGKILL).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What the server printed so far (standard output and error, interleaved; the last
    /// lines when it printed a lot).</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the server and waits until <c>/health/ready</c> answers 200. When the free port
    /// it picked is taken meanwhile by another process, it tries again on another.</summary>
    /// <param name="settings">Configuration, keyed as in <c>appsettings.json</c> (<c>Hub:DataDirectory</c>,
    /// <c>ConnectionStrings:Lgsp</c>, ...); passed as environment variables.</param>
    /// <param name="workingDirectory">The server's current directory.</param>
    /// <param name="readyTimeout">How long to wait for readiness; default 60 seconds.</param>
    /// <param name="port">The port; null for a free one.</param>
    /// <exception cref="InvalidOperationException">The server exited or did not become ready; the
    /// message carries its output.</exception>
    public static async Task<HubProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory,
        TimeSpan? readyTimeout = null, int? port = null)
    {
        if (!File.Exists(ServerAssembly))
        {
            throw new InvalidOperationException($"{ServerAssembly} is missing: reference the Lgsp.Server project.");
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(settings, workingDirectory, readyTimeout ?? TimeSpan.FromSeconds(60), port ?? FreePort());
            }
            catch (PortTakenException) when (port is null && attempt < 3)
            {
                // Another process took the port between our probe and the server's bind.
            }
        }
    }

    private static async Task<HubProcess> StartOnceAsync(IReadOnlyDictionary<string, string?> settings, string workingDirectory, TimeSpan readyTimeout, int port)
    {
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Hub__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var hub = new HubProcess(process, new Uri(url + "/"));
        process.OutputDataReceived += (_, e) => hub.Record(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        s_running.TryAdd(hub, 0);
        if (Interlocked.Exchange(ref s_exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var running in s_running.Keys)
                {
                    running.KillQuietly();
                }
            };
        }

        try
        {
            await hub.WaitReadyAsync(readyTimeout);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return hub;
    }

    /// <summary>Kills the process (and any children) with SIGKILL and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            // On Linux, Process.Kill sends SIGKILL.
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        s_running.TryRemove(this, out _);
    }

    /// <summary>Asks the server to shut down (SIGTERM, as Ctrl+C or a service manager would) and waits
    /// until it has exited; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit within <paramref name="timeout"/>.</exception>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"SIGTERM could not be sent to {_process.Id}.");
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The server did not exit within {timeout.TotalSeconds:0} s of SIGTERM.{Environment.NewLine}{Output}");
        }

        s_running.TryRemove(this, out _);
        return _process.ExitCode;
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Kills the process if it is still running.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or would not die in time: nothing more to do here.
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        var last = "no answer yet";
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // the output is complete
                var message = $"The server exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{Output}";
                throw Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException(message)
                    : new InvalidOperationException(message);
            }

            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The server was not ready after {timeout.TotalSeconds:0} s ({last}).{Environment.NewLine}{Output}");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > MaxOutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>The <c>dotnet</c> host running this process, else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>The process's peak resident memory so far (<c>VmHWM</c>; Linux).</summary>
    public long PeakBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Resets the process's peak resident memory to what it holds now (Linux's <c>clear_refs</c>
    /// 5) and returns that: the baseline of a measurement.</summary>
    public long ResetPeak()
    {
        File.WriteAllText($"/proc/{ProcessId}/clear_refs", "5");
        return ResidentBytes();
    }

    /// <summary>The process's resident memory now (<c>VmRSS</c>; Linux).</summary>
    public long ResidentBytes() => StatusKilobytes("VmRSS:") * 1024;

    private long StatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").Single(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A loopback port free at the time of the call (another process may take it before it is used).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The server could not bind its port.</summary>
/// <param name="message">What the server printed.</param>
internal sealed class PortTakenException(string message) : InvalidOperationException(message);
