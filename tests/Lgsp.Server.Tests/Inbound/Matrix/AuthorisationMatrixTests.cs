using System.Text;
using Lgsp.Server.Inbound.Axis;
using Lgsp.Server.Inbound.Soap;
using Lgsp.TestSupport.Postgres;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;

namespace Lgsp.Server.Tests.Inbound.Matrix;

/// <summary>docs/security.md's authorisation matrix holds against one running hub: every cell is one
/// real request by that kind of caller, answered as the cell says; every endpoint the hub serves has a
/// row, with a size limit and a rate limit.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuthorisationMatrixTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>Doors served by middleware rather than mapped endpoints: the Hangfire dashboard and the
    /// console's assets. The axis operations are listed from their registrations.</summary>
    private static readonly string[] MiddlewareDoors = ["ANY /hangfire", "GET /console/{asset}"];

    private MatrixHub _matrix = null!;

    public async Task InitializeAsync() => _matrix = await MatrixHub.StartAsync(postgres);

    public async Task DisposeAsync() => await _matrix.DisposeAsync();

    [Fact]
    public async Task Every_cell_of_the_matrix_is_what_that_caller_gets_from_the_running_hub()
    {
        var matrix = AuthorisationMatrix.Read();
        var probes = new MatrixProbes(_matrix).All;
        var actual = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var row in matrix.Rows)
        {
            Assert.True(probes.TryGetValue(row.Endpoint, out var probe), $"no probe for the row '{row.Endpoint}'");
            actual[row.Endpoint] = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var caller in _matrix.Callers)
            {
                var outcome = await probe(caller);
                actual[row.Endpoint][caller.Column] = outcome;
                if (outcome != row.Expected[caller.Column])
                {
                    differences.Add($"{row.Endpoint} / {caller.Column}: the matrix says {row.Expected[caller.Column]}, the hub answered {outcome}");
                }
            }
        }

        Assert.True(differences.Count == 0, string.Join('\n', differences) + "\n\nWhat the hub answered:\n" + Table(matrix, actual));
    }

    [Fact]
    public void Every_endpoint_the_hub_serves_has_a_row_and_every_row_an_endpoint()
    {
        var rows = AuthorisationMatrix.Read().Rows.Select(r => r.Endpoint).ToHashSet(StringComparer.Ordinal);
        var served = Served().ToHashSet(StringComparer.Ordinal);

        Assert.Empty(served.Except(rows).Order(StringComparer.Ordinal));
        Assert.Empty(rows.Except(served).Order(StringComparer.Ordinal));
        Assert.Equal(rows.Count, new MatrixProbes(_matrix).All.Keys.Intersect(rows).Count());
    }

    [Fact]
    public void Every_row_names_its_size_limit_and_its_rate_limit()
    {
        foreach (var row in AuthorisationMatrix.Read().Rows)
        {
            Assert.False(string.IsNullOrWhiteSpace(row.SizeLimit), $"{row.Endpoint} has no size limit");
            Assert.False(string.IsNullOrWhiteSpace(row.RateLimit), $"{row.Endpoint} has no rate limit");
        }
    }

    [Fact]
    public void The_size_and_rate_limits_of_the_soap_and_axis_rows_are_the_ones_the_code_applies()
    {
        var rows = AuthorisationMatrix.Read().Rows.ToDictionary(r => r.Endpoint, StringComparer.Ordinal);
        var maxRequestBytes = _matrix.Hub.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HubOptions>>().Value.MaxRequestBytes;
        foreach (var operation in _matrix.Hub.Services.GetServices<IAxisOperation>())
        {
            var row = rows["axis " + operation.Name];
            var size = operation.MaxBodyBytes == maxRequestBytes ? "Hub:MaxRequestBytes" : $"{operation.MaxBodyBytes / 1024} KiB";
            Assert.Equal(size, row.SizeLimit);
            Assert.Equal(operation.Name == "sendEdoc" ? "address, system, large body, login" : "address, system, login", row.RateLimit);
        }

        foreach (var operation in EdocContract.Operations)
        {
            var row = rows["SOAP " + operation];
            Assert.StartsWith("Hub:MaxRequestBytes", row.SizeLimit, StringComparison.Ordinal);
            Assert.Equal(operation is EdocContract.SendDocument or EdocContract.SendStatus ? "address, system, large body, login" : "address, system, login", row.RateLimit);
        }
    }

    // The SOAP operations, the axis operations, every mapped route (a Razor page as "page"), and the
    // middleware doors. POST /soap/edoc is its operations.
    private IEnumerable<string> Served()
    {
        foreach (var operation in EdocContract.Operations)
        {
            yield return "SOAP " + operation;
        }

        foreach (var operation in _matrix.Hub.Services.GetServices<IAxisOperation>())
        {
            yield return "axis " + operation.Name;
        }

        var endpoints = _matrix.Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            pattern = "/" + pattern.Trim('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            {
                yield return "page " + pattern;
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var name = (methods is { Count: > 0 } ? string.Join(",", methods) : "ANY") + " " + pattern;
            if (name != "POST " + EdocEndpoint.Path)
            {
                yield return name;
            }
        }

        foreach (var door in MiddlewareDoors)
        {
            yield return door;
        }
    }

    private static string Table(AuthorisationMatrix matrix, Dictionary<string, Dictionary<string, string>> actual)
    {
        var text = new StringBuilder();
        foreach (var row in matrix.Rows)
        {
            text.Append("| `").Append(row.Endpoint).Append("` |");
            foreach (var column in matrix.Callers)
            {
                var cell = actual[row.Endpoint][column];
                text.Append(' ').Append(cell is "yes" or "login" ? cell : "`" + cell + "`").Append(" |");
            }

            text.Append(' ').Append(row.SizeLimit).Append(" | ").Append(row.RateLimit).Append(" |\n");
        }

        return text.ToString();
    }
}
