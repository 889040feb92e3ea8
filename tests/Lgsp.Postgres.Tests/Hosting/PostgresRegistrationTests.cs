using Lgsp.Postgres.Hosting;
using Npgsql;

namespace Lgsp.Postgres.Tests.Hosting;

// The hub's data source prepares the accept path's statements (bench/README.md, "Accept"): Npgsql's
// builder answers ContainsKey for every keyword it knows, which once left automatic preparation off.
// It writes to PostgreSQL through a buffer that takes a ~100 KB package in two sends ("Hub CPU outside the GC").
public sealed class PostgresRegistrationTests
{
    [Fact]
    public void AConnectionStringWithoutAutomaticPreparationGetsIt()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresRegistration.WithPreparedStatements("Host=db;Database=lgsp;Username=lgsp"));

        Assert.Equal(64, built.MaxAutoPrepare);
        Assert.Equal(2, built.AutoPrepareMinUsages);
    }

    [Theory]
    [InlineData("Host=db;Database=lgsp;Max Auto Prepare=0")]
    [InlineData("Host=db;Database=lgsp;maxautoprepare=0")]
    public void AConnectionStringThatSetsAutomaticPreparationKeepsItsValue(string connectionString)
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresRegistration.WithPreparedStatements(connectionString));

        Assert.Equal(0, built.MaxAutoPrepare);
    }

    [Fact]
    public void AConnectionStringWithoutAWriteBufferSizeGetsOneThatTakesAPackageInTwoSends()
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresRegistration.WithWriteBuffer("Host=db;Database=lgsp;Username=lgsp"));

        Assert.Equal(65536, built.WriteBufferSize);
        Assert.Equal("db", built.Host);
    }

    [Theory]
    [InlineData("Host=db;Database=lgsp;Write Buffer Size=8192")]
    [InlineData("Host=db;Database=lgsp;writebuffersize=8192")]
    public void AConnectionStringThatSetsItsWriteBufferSizeKeepsItsValue(string connectionString)
    {
        var built = new NpgsqlConnectionStringBuilder(PostgresRegistration.WithWriteBuffer(connectionString));

        Assert.Equal(8192, built.WriteBufferSize);
    }
}
