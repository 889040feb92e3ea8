using Lgsp.Bench;

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
