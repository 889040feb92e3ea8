using System.Security.Cryptography;

namespace Lgsp.Edxml.Signatures;

/// <summary>
/// Teaches <c>SignedXml</c> the XMLDSig 1.1 ECDSA signature methods, which it does not know:
/// a <see cref="SignatureDescription"/> per hash, registered once per process with
/// <see cref="CryptoConfig.AddAlgorithm"/> (which requires public types, hence public; callers do
/// not need them: <see cref="PackageSigner"/> and <see cref="PackageSignatureVerifier"/> register
/// them). XMLDSig carries the ECDSA signature as the raw <c>r||s</c> concatenation (IEEE P1363),
/// not as DER.
/// </summary>
/// <remarks>Thread safe: registration happens once, in the type initializer; instances are
/// stateless apart from their hash choice.</remarks>
public abstract class EcdsaSignatureDescription : SignatureDescription
{
    static EcdsaSignatureDescription()
    {
        // The type initializer runs exactly once, under the runtime's lock: registration is
        // thread safe without further ceremony.
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), XmlDsigAlgorithms.EcdsaSha256);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha384SignatureDescription), XmlDsigAlgorithms.EcdsaSha384);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha512SignatureDescription), XmlDsigAlgorithms.EcdsaSha512);
    }

    private readonly HashAlgorithmName _hash;

    /// <summary>Describes ECDSA with <paramref name="hash"/>.</summary>
    private protected EcdsaSignatureDescription(HashAlgorithmName hash)
    {
        _hash = hash;
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = hash.Name;
        FormatterAlgorithm = typeof(Formatter).AssemblyQualifiedName;
        DeformatterAlgorithm = typeof(Deformatter).AssemblyQualifiedName;
    }

    /// <summary>Makes sure the ECDSA methods are registered; cheap after the first call.</summary>
    internal static void EnsureRegistered()
    {
        // Touching a static member runs the type initializer once.
        _ = Registered;
    }

    private static readonly bool Registered = true;

    /// <summary>A new hash of the described kind.</summary>
    public override HashAlgorithm CreateDigest() => XmlDsigAlgorithms.CreateHash(_hash);

    /// <summary>A signer producing <c>r||s</c> signatures.</summary>
    /// <exception cref="CryptographicException"><paramref name="key"/> is not ECDSA.</exception>
    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) =>
        new Formatter(key as ECDsa ?? throw new CryptographicException("An ECDSA signature method needs an ECDSA key."));

    /// <summary>A verifier of <c>r||s</c> signatures.</summary>
    /// <exception cref="CryptographicException"><paramref name="key"/> is not ECDSA.</exception>
    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) =>
        new Deformatter(key as ECDsa ?? throw new CryptographicException("An ECDSA signature method needs an ECDSA key."));

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override byte[] CreateSignature(byte[] rgbHash) =>
            key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();

        public override void SetHashAlgorithm(string strName)
        {
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}

/// <summary>ECDSA with SHA-256 for <c>SignedXml</c>.</summary>
public sealed class EcdsaSha256SignatureDescription() : EcdsaSignatureDescription(HashAlgorithmName.SHA256);

/// <summary>ECDSA with SHA-384 for <c>SignedXml</c>.</summary>
public sealed class EcdsaSha384SignatureDescription() : EcdsaSignatureDescription(HashAlgorithmName.SHA384);

/// <summary>ECDSA with SHA-512 for <c>SignedXml</c>.</summary>
public sealed class EcdsaSha512SignatureDescription() : EcdsaSignatureDescription(HashAlgorithmName.SHA512);
