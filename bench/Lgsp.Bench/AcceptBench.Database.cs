namespace Lgsp.Bench;

// Readings from the cluster: stored sizes, the postmaster's process, single statements.
internal sealed partial class AcceptBench
{
    private sealed record StoredBytes(long Package, long Delivery, long Ledger)
    {
        public long Total => Package + Delivery + Ledger;

        public static StoredBytes operator -(StoredBytes a, StoredBytes b) => new(a.Package - b.Package, a.Delivery - b.Delivery, a.Ledger - b.Ledger);
    }

    private async Task<StoredBytes> SizesAsync()
    {
        await using var command = _data.CreateCommand(
            "SELECT pg_total_relation_size('lgsp.package'), pg_total_relation_size('lgsp.delivery'), pg_total_relation_size('lgsp.ledger')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new StoredBytes(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private int? PostmasterPid()
    {
        try
        {
            return int.Parse(File.ReadLines(Path.Combine(_cluster.DataDirectory, "postmaster.pid")).First(), Inv);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            Say($"Cannot read postmaster.pid ({ex.Message}); PostgreSQL's CPU is not counted");
            return null;
        }
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _data.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
