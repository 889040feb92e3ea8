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
await bench.RunAsync();
return 0;
