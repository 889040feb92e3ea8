using System.Globalization;
using System.Xml;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Ledger;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Evidence;

/// <summary>
/// The signed part of an evidence bundle's manifest (file <see cref="EvidenceBundle.StatementFile"/>,
/// element <c>EvidenceStatement</c> in <c>schemas/lgsp-ledger.xsd</c>): the hub states, with its own
/// signing key, that when its ledger's sealed head was <see cref="Head"/> after
/// <see cref="HeadSeq"/>, the entries about <see cref="DocumentId"/> were exactly
/// <see cref="Entries"/> and its packages exactly <see cref="Packages"/>. A verifier that finds an
/// entry or package listed here missing from the bundle names it: nothing can be left out of a
/// bundle without the hub's key.
/// </summary>
/// <param name="Hub">The hub's id.</param>
/// <param name="DocumentId">The document.</param>
/// <param name="ExportedAt">When the bundle was made, UTC, microseconds; the signing time.</param>
/// <param name="HeadSeq">The last seq of the ledger's latest checkpoint at export.</param>
/// <param name="Head">That checkpoint's head (hex).</param>
/// <param name="Packages">Every package id of the document, ascending.</param>
/// <param name="Entries">The seq of every ledger entry about the document up to <paramref name="HeadSeq"/>, ascending.</param>
/// <remarks>Immutable and thread safe.</remarks>
public sealed record EvidenceStatement(string Hub, string DocumentId, DateTimeOffset ExportedAt, long HeadSeq, string Head, IReadOnlyList<long> Packages, IReadOnlyList<long> Entries)
{
    /// <summary>The statement signed with the hub's certificate (enveloped XMLDSig, as checkpoints are).</summary>
    /// <exception cref="ArgumentException">The hub's id is not <see cref="Hub"/>, or its certificate has no private key.</exception>
    public byte[] Sign(HubIdentity hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (hub.Id != Hub)
        {
            throw new ArgumentException($"The statement is for hub '{Hub}', not '{hub.Id}'.", nameof(hub));
        }

        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = document.AppendChild(document.CreateElement("EvidenceStatement", Checkpoint.Namespace))!;
        void Add(string name, string value) => root.AppendChild(document.CreateElement(name, Checkpoint.Namespace))!.InnerText = value;
        Add("Hub", Hub);
        Add("DocumentId", DocumentId);
        Add("ExportedAt", LedgerChain.FormatAt(ExportedAt));
        Add("HeadSeq", HeadSeq.ToString(CultureInfo.InvariantCulture));
        Add("Head", Head);
        Add("Packages", List(Packages));
        Add("Entries", List(Entries));
        return SignedXmlDocument.Sign(document, hub.Certificate, hub.Chain);
    }

    /// <summary>Verifies a signed statement and reads it; the signer is checked as of <c>ExportedAt</c>.</summary>
    /// <param name="xml">The signed bytes.</param>
    /// <param name="signer">What the hub certificate must satisfy (pinned to the hub's signing certificates).</param>
    /// <returns>The statement when its signature is valid; the signer; why it is not valid or not
    /// trusted (null when it is both). Never throws for bad input.</returns>
    public static (EvidenceStatement? Statement, bool IsTrusted, string? Problem) Verify(byte[] xml, SignerCheck signer)
    {
        var (statement, signature, problem) = LedgerDocument.Verify(xml, signer, "EvidenceStatement", "export statement", Read, s => s.ExportedAt);
        return (statement, statement is not null && signature.IsTrusted, problem);
    }

    /// <summary>How a list of numbers is written: ascending, space-separated.</summary>
    public static string List(IEnumerable<long> numbers) => string.Join(' ', numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)));

    private static (EvidenceStatement? Statement, string? Problem) Read(LedgerDocument document)
    {
        if (document.Text("Hub") is not { } hub || document.Text("DocumentId") is not { } documentId || document.At("ExportedAt") is not { } at
            || document.Number("HeadSeq") is not { } headSeq || document.Hash("Head") is not { } head
            || Numbers(document.Text("Packages")) is not { } packages || Numbers(document.Text("Entries")) is not { } entries)
        {
            return (null, "export statement malformed: Hub, DocumentId, ExportedAt, HeadSeq, Head, Packages and Entries are required in their formats");
        }

        return (new EvidenceStatement(hub, documentId, at, headSeq, head, packages, entries), null);
    }

    private static List<long>? Numbers(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var numbers = new List<long>();
        foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || (numbers.Count > 0 && n <= numbers[^1]))
            {
                return null;
            }

            numbers.Add(n);
        }

        return numbers;
    }
}
