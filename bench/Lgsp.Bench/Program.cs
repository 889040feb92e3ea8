using Lgsp.Bench;

// The accept benchmark: see bench/README.md ("Accept").
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

await using var bench = await AcceptBench.SetUpAsync(options);
await bench.RunAsync();
return 0;
