using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Lgsp.Edxml.Testing.Pki;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Tests.Support;

/// <summary>Signing material, made once for the test run (the CAs' RSA keys take a moment): a test PKI
/// that hubs under test trust, issuing one ECDSA seal per agency and the hub's receipt certificate, and a
/// second PKI that nobody trusts.</summary>
internal sealed class Seals
{
    private readonly TestPki _trusted = TestPki.Create("LGSP exchange test");
    private readonly TestPki _foreign = TestPki.Create("LGSP foreign test");
    private readonly ConcurrentDictionary<string, X509Certificate2> _seals = new(StringComparer.Ordinal);

    private Seals() => Hub = new HubIdentity("hub-h56", _trusted.IssueOrganization("hub-h56", "LGSP tỉnh Thanh Hóa", KeyKind.EcdsaP256), [_trusted.Intermediate]);

    public static Seals Shared { get; } = new();

    /// <summary>The trusted PKI, for certificates with particular validity and for its CRLs.</summary>
    public TestPki Trusted => _trusted;

    /// <summary>The receipt-signing identity of hub <c>hub-h56</c>.</summary>
    public HubIdentity Hub { get; }

    /// <summary>The agency's seal under the trusted PKI (the same certificate every time).</summary>
    public X509Certificate2 Of(string agency) => _seals.GetOrAdd(agency, a => _trusted.IssueOrganization(a, "Cơ quan " + a, KeyKind.EcdsaP256));

    /// <summary>A seal naming the agency, issued by the PKI nobody trusts.</summary>
    public X509Certificate2 ForeignOf(string agency) => _foreign.IssueOrganization(agency, "Cơ quan " + agency, KeyKind.EcdsaP256);

    /// <summary>A new seal for the agency under the trusted PKI, with the validity asked for.</summary>
    public X509Certificate2 Issue(string agency, CertificateOptions? options = null) =>
        _trusted.IssueOrganization(agency, "Cơ quan " + agency, KeyKind.EcdsaP256, options);
}
