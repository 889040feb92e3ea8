using Lgsp.Edxml.Testing.Pki;

namespace Lgsp.Edxml.Tests.Pki;

/// <summary>One test PKI per test class: RSA 3072 CA keys are slow enough to share.</summary>
public sealed class PkiFixture : IDisposable
{
    public TestPki Pki { get; } = TestPki.Create("LGSP Fixture");

    public void Dispose() => Pki.Dispose();
}
