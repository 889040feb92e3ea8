using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Lgsp.Web.Tests.Auth.KeyRing;

/// <summary>A key ring's store in memory, shared by the "instances" of a test as the database is by
/// real ones (the PostgreSQL one has its own tests in Lgsp.Postgres.Tests).</summary>
internal sealed class MemoryXmlRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements)
        {
            return [.. _elements.Select(e => new XElement(e))];
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements)
        {
            _elements.Add(new XElement(element));
        }
    }

    /// <summary>What is stored, as text.</summary>
    public IReadOnlyList<string> Stored()
    {
        lock (_elements)
        {
            return [.. _elements.Select(e => e.ToString(SaveOptions.DisableFormatting))];
        }
    }
}
