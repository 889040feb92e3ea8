using System.Globalization;
using System.Xml.Linq;
using Lgsp.Exchange.Directory;
using Npgsql;

namespace Lgsp.TestSupport.Hub;

/// <summary>One hub of a <see cref="Topology"/>.</summary>
public sealed class TopologyHub : IAsyncDisposable
{
    internal TopologyHub(string id, string? parent, string connectionString, string directory, Dictionary<string, string?> settings, int port, SecretBox secrets)
    {
        Id = id;
        Parent = parent;
        ConnectionString = connectionString;
        Directory = directory;
        Settings = settings;
        Port = port;
        Secrets = secrets;
    }

    /// <summary>The hub id.</summary>
    public string Id { get; }

    /// <summary>Its parent hub, or null at the root.</summary>
    public string? Parent { get; }

    /// <summary>Its database.</summary>
    public string ConnectionString { get; }

    /// <summary>Its data directory (the server's working directory).</summary>
    public string Directory { get; }

    /// <summary>Its configuration.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>Its port: the same across restarts, so the other hubs' records stay right (only a first
    /// start that finds it taken moves it).</summary>
    public int Port { get; internal set; }

    /// <summary>Its secret key.</summary>
    public SecretBox Secrets { get; }

    /// <summary>The running process, or null while stopped.</summary>
    public HubProcess? Process { get; private set; }

    /// <summary>Its base URL.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Its SOAP endpoint.</summary>
    public Uri SoapUri => new(BaseUri, "soap/edoc");

    /// <summary>Its axis-protocol base URL.</summary>
    public Uri AxisUri => new(BaseUri, "vxp");

    internal string? SecretAtParent { get; set; }

    /// <summary>Starts the process (again).</summary>
    public async Task StartAsync()
    {
        if (Process is { HasExited: false })
        {
            throw new InvalidOperationException($"Hub {Id} is running.");
        }

        Process = await HubProcess.StartAsync(Settings, Directory, TimeSpan.FromSeconds(120), Port);
    }

    /// <summary>Stops the process gracefully (SIGTERM).</summary>
    public async Task StopAsync()
    {
        if (Process is { } process)
        {
            await process.StopAsync(TimeSpan.FromSeconds(60));
            await process.DisposeAsync();
            Process = null;
        }
    }

    /// <summary>Kills the process with SIGKILL.</summary>
    public async Task KillAsync()
    {
        if (Process is { } process)
        {
            await process.KillAsync();
            await process.DisposeAsync();
            Process = null;
        }
    }

    /// <summary>Rows of a query on the hub's database, each as its columns' values.</summary>
    public async Task<IReadOnlyList<object?[]>> QueryAsync(string sql, params object[] parameters)
    {
        await using var data = NpgsqlDataSource.Create(ConnectionString);
        await using var command = data.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Process is { } process)
        {
            await process.DisposeAsync();
            Process = null;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }
}

/// <summary>SOAP calls as an agency's system at its serving hub.</summary>
public sealed class AgencyClient(HttpClient http, TopologyHub hub, AgencyAccount account)
{
    private static readonly XNamespace Ns = EdocHttp.Namespace;

    /// <summary>Sends a document; its DocumentId.</summary>
    public async Task<string> SendDocumentAsync(byte[] package) =>
        (await CallAsync("SendDocument", $"<Package>{Convert.ToBase64String(package)}</Package>")).Descendants(Ns + "DocumentId").Single().Value;

    /// <summary>Sends a status.</summary>
    public Task SendStatusAsync(byte[] package) => CallAsync("SendStatus", $"<Package>{Convert.ToBase64String(package)}</Package>");

    /// <summary>The pending documents' items (Id, DocumentId, From, To...).</summary>
    public async Task<IReadOnlyList<XElement>> PendingDocumentsAsync() =>
        [.. (await CallAsync("GetPendingDocuments", $"<Agency>{account.Code}</Agency>")).Descendants(Ns + "Item")];

    /// <summary>The pending statuses' items (Id, DocumentId, From, To, StatusCode...).</summary>
    public async Task<IReadOnlyList<XElement>> PendingStatusesAsync() =>
        [.. (await CallAsync("GetPendingStatuses", $"<Agency>{account.Code}</Agency>")).Descendants(Ns + "Item")];

    /// <summary>A waiting package's bytes.</summary>
    public Task<byte[]> GetDocumentAsync(long id) => EdocHttp.GetDocumentAsync(http, hub.SoapUri, account.System, account.Secret, id);

    /// <summary>Confirms a waiting package (done).</summary>
    public Task ConfirmAsync(long id) => CallAsync("ConfirmReceived", $"<Id>{id.ToString(CultureInfo.InvariantCulture)}</Id><Outcome>done</Outcome>");

    /// <summary>Refuses a waiting package (outcome fail): the delivery fails with <c>confirm-fail</c>.</summary>
    public Task RefuseAsync(long id, string reason) =>
        CallAsync("ConfirmReceived", $"<Id>{id.ToString(CultureInfo.InvariantCulture)}</Id><Outcome>fail</Outcome><Reason>{System.Security.SecurityElement.Escape(reason)}</Reason>");

    /// <summary>The sender's trace of a document (<c>GetTrace</c>): its events.</summary>
    public async Task<IReadOnlyList<XElement>> TraceAsync(string documentId) =>
        [.. (await CallAsync("GetTrace", $"<DocumentId>{System.Security.SecurityElement.Escape(documentId)}</DocumentId>")).Descendants(Ns + "Event")];

    /// <summary>The sender's view of a document's deliveries.</summary>
    public async Task<IReadOnlyList<XElement>> DeliveriesAsync(string documentId) =>
        [.. (await CallAsync("GetDeliveries", $"<DocumentId>{System.Security.SecurityElement.Escape(documentId)}</DocumentId>")).Descendants(Ns + "Delivery")];

    private Task<XDocument> CallAsync(string operation, string innerXml) =>
        EdocHttp.CallAsync(http, hub.SoapUri, operation, account.System, account.Secret, innerXml);
}
