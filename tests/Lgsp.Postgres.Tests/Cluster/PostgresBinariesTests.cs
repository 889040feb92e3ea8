using Lgsp.Postgres.Cluster;

namespace Lgsp.Postgres.Tests.Cluster;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void The_machines_server_programs_are_found()
    {
        var bin = PostgresBinaries.Locate();

        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
        Assert.True(File.Exists(Path.Combine(bin, "pg_ctl")));
    }

    [Fact]
    public void PG_BIN_wins_when_it_holds_the_programs()
    {
        var real = PostgresBinaries.Locate();

        var bin = PostgresBinaries.Locate(name => name == "PG_BIN" ? real : null, "/nonexistent");

        Assert.Equal(real, bin);
    }

    [Fact]
    public void A_PG_BIN_without_the_programs_fails_naming_it_rather_than_searching_elsewhere()
    {
        var empty = Directory.CreateTempSubdirectory("lgsp-pgbin-").FullName;
        try
        {
            var error = Assert.Throws<PostgresClusterException>(
                () => PostgresBinaries.Locate(name => name == "PG_BIN" ? empty : Environment.GetEnvironmentVariable(name), "/usr/lib/postgresql"));

            Assert.Contains(empty, error.Message);
            Assert.Contains("initdb", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void With_nothing_installed_the_message_lists_every_place_tried_and_how_to_install()
    {
        var empty = Directory.CreateTempSubdirectory("lgsp-pgbin-").FullName;
        try
        {
            var error = Assert.Throws<PostgresClusterException>(
                () => PostgresBinaries.Locate(name => name == "PATH" ? empty : null, empty));

            Assert.Contains("PG_BIN", error.Message);
            Assert.Contains("pg_config", error.Message);
            Assert.Contains(empty + "/*/bin", error.Message);
            Assert.Contains("initdb on PATH", error.Message);
            Assert.Contains("apt-get install postgresql", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void The_highest_versioned_distribution_directory_is_chosen()
    {
        var root = Directory.CreateTempSubdirectory("lgsp-pgbin-").FullName;
        try
        {
            foreach (var version in new[] { "9.6", "15", "13" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, version, "bin")).FullName;
                File.WriteAllText(Path.Combine(bin, "initdb"), "");
                File.WriteAllText(Path.Combine(bin, "pg_ctl"), "");
            }

            Directory.CreateDirectory(Path.Combine(root, "16", "bin")); // Without programs.

            var found = PostgresBinaries.Locate(name => name == "PATH" ? "" : null, root);

            Assert.Equal(Path.Combine(root, "15", "bin"), found);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
