using System.Xml.Linq;
using Lgsp.Exchange.Storage;
using Lgsp.Web.Auth.KeyRing;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Lgsp.Web.Tests.Auth.KeyRing;

/// <summary>A key ring kept in memory, shared by the "instances" of a test as the database is by real
/// ones, read and written through the console's own <see cref="KeyRingRepository"/> (the PostgreSQL store
/// has its own tests in Lgsp.Postgres.Tests).</summary>
internal sealed class MemoryXmlRepository : IXmlRepository
{
    private readonly MemoryKeyRingStore _store = new();
    private readonly KeyRingRepository _ring;

    public MemoryXmlRepository() => _ring = new KeyRingRepository(_store);

    public IReadOnlyCollection<XElement> GetAllElements() => _ring.GetAllElements();

    public void StoreElement(XElement element, string friendlyName) => _ring.StoreElement(element, friendlyName);

    /// <summary>What is stored, as text.</summary>
    public IReadOnlyList<string> Stored() => _store.ReadAll();

    private sealed class MemoryKeyRingStore : IKeyRingStore
    {
        private readonly List<string> _elements = [];

        public IReadOnlyList<string> ReadAll()
        {
            lock (_elements)
            {
                return [.. _elements];
            }
        }

        public void Add(string friendlyName, string element)
        {
            lock (_elements)
            {
                _elements.Add(element);
            }
        }
    }
}
