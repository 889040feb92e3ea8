using Lgsp.Bench;

// Hub links (bench/README.md, "Hub links"): four-hop latency, forwarding throughput and fan-out behind the parent.
if (args is ["fourhop" or "forward" or "hubfanout", ..])
{
    try
    {
        return await HubLinkBench.RunAsync(args[0], args[1..]);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

// Large packages (bench/README.md, "Large packages"): one ~50 MB send and several at once, hub memory from /proc.
if (args is ["large", ..])
{
    try
    {
        return await LargeSendBench.RunAsync(args[1..]);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

// Several hub instances on one database (bench/README.md, "Several instances"): instances [--instances 3] ...
if (args is ["instances", ..])
{
    try
    {
        return await InstancesBench.RunAsync(args[1..]);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }
}

// Serving packages (bench/README.md, "Serving packages"): serve [--small 200] [--large-mb 50].
if (args is ["serve", ..])
{
    int small, largeMb;
    try
    {
        var serve = new BenchArgs(args[1..], "Lgsp.Bench serve [--small 200] [--large-mb 50]");
        (small, largeMb) = (serve.Int("--small", 200), serve.Int("--large-mb", 50));
        serve.EnsureAllRead();
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    return await ServeBench.RunAsync(small, largeMb);
}

// The report read path (bench/README.md, "Reports"): report [DOCS] [AGENCIES] [YEARS].
if (args is ["report", ..])
{
    try
    {
        await ReportBench.RunAsync(args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5_000_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 300,
            args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    return 0;
}

// The console's read paths on a large generated store (bench/README.md, "Console"): console [DOCS] [DELIVERIES].
if (args is ["console", ..])
{
    await ConsoleBench.RunAsync(args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000,
        args.Length > 2 ? long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 6_000_000);
    return 0;
}

// The accept path's steps in process, time and allocations, no hub (bench/README.md, "Accept steps"): steps [--iterations 300].
if (args is ["steps", ..])
{
    return StepsBench.Run(args[1..]);
}

// Where a traced process allocated its large objects (bench/README.md, "Large-object allocations per accept"): lohstacks TRACE [TOP] [FRAMES].
if (args is ["lohstacks", ..])
{
    return LargeObjectStacks.Run(args[1..]);
}

// The accept and ledger benchmarks: see bench/README.md ("Accept", "Ledger").
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (options.LedgerEntries is { } entries)
{
    await LedgerBench.RunAsync(entries);
    return 0;
}

await using var bench = await AcceptBench.SetUpAsync(options);
if (options.LargeAttachmentBytes is { } attachmentBytes)
{
    await bench.RunLargeAsync(attachmentBytes);
    return 0;
}

await bench.RunAsync();
return 0;
