using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Lgsp.Edxml.Signatures;
using Lgsp.Exchange.Receipts;

namespace Lgsp.Exchange.Ledger;

/// <summary>
/// A signed statement by the hub that the ledger entries from <see cref="FirstSeq"/> to
/// <see cref="LastSeq"/> (<see cref="Count"/> of them; gaps in the numbering are rolled-back
/// transactions) chain from <see cref="PreviousHead"/> to <see cref="Head"/>
/// (<c>schemas/lgsp-ledger.xsd</c>, namespace <see cref="Namespace"/>).
/// </summary>
/// <param name="Hub">The id of the hub that sealed the entries.</param>
/// <param name="FirstSeq">The first entry covered.</param>
/// <param name="LastSeq">The last entry covered.</param>
/// <param name="Count">How many entries exist in <c>FirstSeq..LastSeq</c>; at least 1.</param>
/// <param name="PreviousHead">Hex of the chain hash before <paramref name="FirstSeq"/> (the previous
/// checkpoint's head, or 64 zeros for the first checkpoint).</param>
/// <param name="Head">Hex of the chain hash after <paramref name="LastSeq"/>.</param>
/// <param name="SealedAt">When the checkpoint was made, UTC, microseconds.</param>
/// <remarks>Immutable and thread safe.</remarks>
public sealed record Checkpoint(string Hub, long FirstSeq, long LastSeq, long Count, string PreviousHead, string Head, DateTimeOffset SealedAt)
{
    /// <summary>The checkpoint namespace.</summary>
    public const string Namespace = "urn:lgsp:ledger:1";

    /// <summary>How reports name this checkpoint: its range.</summary>
    public string Range => $"{FirstSeq}..{LastSeq}";

    /// <summary>Chains a batch of entries onto <paramref name="previousHead"/>: the checkpoint that
    /// covers them and each entry's seal record, in the entries' order. This is the sealer's whole
    /// computation; it neither signs nor stores.</summary>
    /// <param name="hub">The sealing hub's id.</param>
    /// <param name="previousHead">The chain head before the batch (genesis for the first).</param>
    /// <param name="entries">The batch, ascending seq, at least one entry.</param>
    /// <param name="sealedAt">The sealing time; kept to microseconds.</param>
    /// <exception cref="ArgumentException">The batch is empty or not ascending, or the head is not 32 bytes.</exception>
    /// <exception cref="System.Text.Json.JsonException">An entry's detail is not valid JSON.</exception>
    public static (Checkpoint Checkpoint, IReadOnlyList<LedgerSeal> Seals) Seal(string hub, byte[] previousHead, IReadOnlyList<LedgerEntry> entries, DateTimeOffset sealedAt)
    {
        ArgumentNullException.ThrowIfNull(previousHead);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("A checkpoint covers at least one entry.", nameof(entries));
        }

        var seals = new LedgerSeal[entries.Count];
        var head = previousHead;
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0 && entries[i].Seq <= entries[i - 1].Seq)
            {
                throw new ArgumentException($"Entries must ascend: seq {entries[i].Seq} follows {entries[i - 1].Seq}.", nameof(entries));
            }

            var content = LedgerChain.ContentHash(entries[i]);
            head = LedgerChain.Link(head, content);
            seals[i] = new LedgerSeal(content, head);
        }

        var at = new DateTimeOffset(sealedAt.UtcTicks - sealedAt.UtcTicks % 10, TimeSpan.Zero);
        return (new Checkpoint(hub, entries[0].Seq, entries[^1].Seq, entries.Count, LedgerChain.Hex(previousHead), LedgerChain.Hex(head), at), seals);
    }

    /// <summary>The unsigned checkpoint document.</summary>
    public XmlDocument ToXml()
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = document.AppendChild(document.CreateElement("Checkpoint", Namespace))!;
        void Add(string name, string value) => root.AppendChild(document.CreateElement(name, Namespace))!.InnerText = value;
        Add("Hub", Hub);
        Add("FirstSeq", FirstSeq.ToString(CultureInfo.InvariantCulture));
        Add("LastSeq", LastSeq.ToString(CultureInfo.InvariantCulture));
        Add("Count", Count.ToString(CultureInfo.InvariantCulture));
        Add("PreviousHead", PreviousHead);
        Add("Head", Head);
        Add("SealedAt", LedgerChain.FormatAt(SealedAt));
        return document;
    }

    /// <summary>The checkpoint signed with the hub's certificate (enveloped XMLDSig, as receipts are):
    /// the bytes to store and to hand to auditors.</summary>
    /// <exception cref="ArgumentException">The hub's id is not <see cref="Hub"/>, or its certificate has
    /// no private key.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Signing failed.</exception>
    public byte[] Sign(HubIdentity hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (hub.Id != Hub)
        {
            throw new ArgumentException($"The checkpoint is for hub '{Hub}', not '{hub.Id}'.", nameof(hub));
        }

        return SignedXmlDocument.Sign(ToXml(), hub.Certificate, hub.Chain);
    }

    /// <summary>Verifies a signed checkpoint and reads it.</summary>
    /// <param name="xml">The signed checkpoint's bytes.</param>
    /// <param name="signer">What the hub certificate must satisfy; <see cref="SignerCheck.SignatureOnly"/>
    /// checks the signature only (the verdict is then never trusted). The chain is checked as of the
    /// checkpoint's <c>SealedAt</c>, so a trust that checks validity at the signing time still accepts a
    /// checkpoint sealed years ago by a certificate that has expired since.</param>
    /// <returns>The verdict; never throws for bad input.</returns>
    public static CheckpointVerdict Verify(byte[] xml, SignerCheck signer)
    {
        var (checkpoint, signature, problem) = LedgerDocument.Verify(xml, signer, "Checkpoint", "checkpoint", Read, c => c.SealedAt);
        return new CheckpointVerdict(checkpoint is not null, checkpoint is not null && signature.IsTrusted, checkpoint, signature.Signer, problem);
    }

    private static (Checkpoint? Checkpoint, string? Problem) Read(LedgerDocument document)
    {
        if (document.Text("Hub") is not { } hub || document.Hash("PreviousHead") is not { } previous || document.Hash("Head") is not { } head
            || document.Number("FirstSeq") is not { } first || document.Number("LastSeq") is not { } last
            || document.Number("Count") is not { } count || document.At("SealedAt") is not { } sealedAt)
        {
            return (null, "checkpoint malformed: Hub, FirstSeq, LastSeq, Count, PreviousHead, Head and SealedAt are required in their formats");
        }

        if (count < 1 || last < first || count > last - first + 1)
        {
            return (null, $"checkpoint inconsistent: {count} entries cannot lie in {first}..{last}");
        }

        return (new Checkpoint(hub, first, last, count, previous, head, sealedAt), null);
    }
}

/// <summary>The verdict on a signed checkpoint.</summary>
/// <param name="IsValid">The signature verifies and the content is a well-formed checkpoint.</param>
/// <param name="IsTrusted">Valid, and the signer chains to the given trust.</param>
/// <param name="Checkpoint">What the checkpoint states, when valid.</param>
/// <param name="Signer">The signer certificate, when present.</param>
/// <param name="Problem">Why it is not valid or not trusted; null when it is both.</param>
public sealed record CheckpointVerdict(bool IsValid, bool IsTrusted, Checkpoint? Checkpoint, X509Certificate2? Signer, string? Problem);
