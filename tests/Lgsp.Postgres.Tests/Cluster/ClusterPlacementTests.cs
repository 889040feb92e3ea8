using Lgsp.Postgres.Cluster;

namespace Lgsp.Postgres.Tests.Cluster;

/// <summary>Where a private cluster lives: moved under the fallback root when root's postgres account
/// cannot reach the directory asked for, recorded once, and found again by whoever follows the pointer.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClusterPlacementTests
{
    [Fact]
    public async Task As_root_a_directory_closed_to_postgres_moves_under_the_fallback_root_and_the_pointer_is_followed_afterwards()
    {
        if (!UnixProcesses.IsRoot)
        {
            return; // Only root hands the cluster to another account.
        }

        var closed = Directory.CreateTempSubdirectory("lgsp-placement-closed-").FullName; // 0700, owned by root
        var open = Directory.CreateTempSubdirectory("lgsp-placement-open-").FullName;
        File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("755", 8));
        try
        {
            var asked = Path.Combine(closed, "checkout", "var", "pg");
            Directory.CreateDirectory(Path.GetDirectoryName(asked)!);
            var fallbackRoot = Path.Combine(open, "lib");
            var said = new List<string>();

            var placed = await ClusterPlacement.ResolveAsync(asked, fallbackRoot, said.Add, CancellationToken.None);

            Assert.Equal(Path.Combine(fallbackRoot, ClusterPlacement.FolderName(asked), "pg"), placed);
            Assert.StartsWith("checkout-", ClusterPlacement.FolderName(asked));
            Assert.Equal(placed, ClusterPlacement.Recorded(asked));
            Assert.Equal(asked + "\n", File.ReadAllText(Path.Combine(Path.GetDirectoryName(placed)!, ClusterPlacement.OwnerFileName)));
            Assert.Contains(said, l => l.Contains($"cannot reach {asked}", StringComparison.Ordinal) && l.Contains(placed, StringComparison.Ordinal));

            // The next start, and a command that never moves a cluster, both follow the pointer.
            Assert.Equal(placed, await ClusterPlacement.ResolveAsync(asked, fallbackRoot, said.Add, CancellationToken.None));
            Assert.Equal(placed, await ClusterPlacement.ResolveAsync(asked, null, said.Add, CancellationToken.None));
            Assert.Contains(said, l => l.StartsWith($"The private cluster of {asked} lives in {placed}", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
            Directory.Delete(open, recursive: true);
        }
    }

    [Fact]
    public async Task A_directory_postgres_can_reach_stays_where_it_was_asked_for_and_no_pointer_is_written()
    {
        var open = Directory.CreateTempSubdirectory("lgsp-placement-open-").FullName;
        File.SetUnixFileMode(open, (UnixFileMode)Convert.ToInt32("755", 8));
        try
        {
            var asked = Path.Combine(open, "var", "pg");

            var placed = await ClusterPlacement.ResolveAsync(asked, Path.Combine(open, "lib"), _ => { }, CancellationToken.None);

            Assert.Equal(asked, placed);
            Assert.False(File.Exists(ClusterPlacement.PointerFile(asked)));
            Assert.False(Directory.Exists(Path.Combine(open, "lib")));
        }
        finally
        {
            Directory.Delete(open, recursive: true);
        }
    }

    [Fact]
    public void A_pointer_file_that_names_no_absolute_path_is_refused_with_its_name()
    {
        var folder = Directory.CreateTempSubdirectory("lgsp-placement-pointer-").FullName;
        try
        {
            var asked = Path.Combine(folder, "pg");
            File.WriteAllText(ClusterPlacement.PointerFile(asked), "# comment\nrelative/pg\n");

            var error = Assert.Throws<PostgresClusterException>(() => ClusterPlacement.Recorded(asked));

            Assert.Contains(ClusterPlacement.PointerFile(asked), error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
