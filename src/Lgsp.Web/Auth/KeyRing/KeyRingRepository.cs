using System.Xml.Linq;
using Lgsp.Exchange.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Lgsp.Web.Auth.KeyRing;

/// <summary>Data protection's key repository over the hub's <see cref="IKeyRingStore"/>: the store keeps
/// text and knows nothing of ASP.NET Core.</summary>
public sealed class KeyRingRepository(IKeyRingStore store) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() => [.. store.ReadAll().Select(e => XElement.Parse(e))];

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
    }
}
