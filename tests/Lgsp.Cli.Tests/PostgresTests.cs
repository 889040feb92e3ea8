using Lgsp.TestSupport.Postgres;

namespace Lgsp.Cli.Tests;

/// <summary>The shared cluster, declared here because xunit reads collection definitions from the test assembly only.</summary>
[CollectionDefinition(PostgresCollection.Name)]
public sealed class PostgresTests : PostgresCollection;
