using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Lgsp.Edxml.Signatures;
using Lgsp.Edxml.Tests.Support;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Tests.Signatures;

/// <summary>Sample packages, byte-level tampering, and hand-made signatures for the cases
/// <see cref="PackageSigner"/> never produces.</summary>
internal static class SignedPackages
{
    public const string Edxml = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
    public const string Ds = SignedXml.XmlDsigNamespaceUrl;

    public static byte[] Sample(string name) => File.ReadAllBytes(Repository.Sample(name));

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Replaces the first ASCII letter or digit at or after <paramref name="index"/> with
    /// another one (so base64 stays base64 and text stays text).</summary>
    public static byte[] Tamper(byte[] package, int index)
    {
        var copy = (byte[])package.Clone();
        while (!char.IsAsciiLetterOrDigit((char)copy[index]))
        {
            index++;
        }

        copy[index] = copy[index] == (byte)'A' ? (byte)'B' : (byte)'A';
        return copy;
    }

    /// <summary>The byte offset of <paramref name="marker"/> in the package, plus <paramref name="plus"/>.</summary>
    public static int Offset(byte[] package, string marker, int plus = 0)
    {
        var at = package.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
        Assert.True(at >= 0, $"'{marker}' not found");
        return at + plus;
    }

    public static XmlDocument Load(byte[] package)
    {
        var start = PackageStart.XmlOffset(package);
        return SafeXml.LoadDocument(new MemoryStream(package, start, package.Length - start), XmlLimits.Default);
    }

    public static XmlElement Header(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("e", Edxml);
        return (XmlElement)document.SelectSingleNode("/e:edXML/e:edXMLEnvelope/e:edXMLHeader", ns)!;
    }

    public static XmlElement DsSignature(XmlDocument document) =>
        (XmlElement)document.GetElementsByTagName("Signature", Ds)[0]!;

    /// <summary>A sample as a document with its placeholder removed, ready for a hand-made signature.</summary>
    public static XmlDocument Unsigned(string sample)
    {
        var document = Load(Sample(sample));
        foreach (var placeholder in Header(document).ChildNodes.OfType<XmlElement>().Where(e => e.LocalName is "Signature" or "DigitalSignature").ToList())
        {
            placeholder.ParentNode!.RemoveChild(placeholder);
        }

        return document;
    }

    /// <summary>The reference <see cref="PackageSigner"/> would make: URI="", enveloped + exclusive C14N.</summary>
    public static Reference WholeDocument(string digest = SignedXml.XmlDsigSHA256Url)
    {
        var reference = new Reference(string.Empty) { DigestMethod = digest };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        return reference;
    }

    /// <summary>Signs <paramref name="document"/> with whatever the test asks for (cryptographically
    /// correct) and appends the signature to the header, or to <paramref name="parent"/>.</summary>
    public static XmlElement SignByHand(
        XmlDocument document,
        X509Certificate2 signer,
        IReadOnlyList<Reference>? references = null,
        string signatureMethod = SignedXml.XmlDsigRSASHA256Url,
        string canonicalization = SignedXml.XmlDsigExcC14NTransformUrl,
        bool keyInfo = true,
        XmlElement? parent = null)
    {
        var signedXml = new SignedXml(document)
        {
            SigningKey = (AsymmetricAlgorithm?)signer.GetRSAPrivateKey() ?? signer.GetECDsaPrivateKey(),
        };
        signedXml.SignedInfo!.CanonicalizationMethod = canonicalization;
        signedXml.SignedInfo.SignatureMethod = signatureMethod;
        foreach (var reference in references ?? [WholeDocument()])
        {
            signedXml.AddReference(reference);
        }

        if (keyInfo)
        {
            signedXml.KeyInfo = new KeyInfo();
            signedXml.KeyInfo.AddClause(new KeyInfoX509Data(signer));
        }

        signedXml.ComputeSignature();
        var element = (XmlElement)document.ImportNode(signedXml.GetXml(), deep: true);
        (parent ?? Header(document)).AppendChild(element);
        return element;
    }
}
