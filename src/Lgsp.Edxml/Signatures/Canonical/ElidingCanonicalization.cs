using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Xml;

namespace Lgsp.Edxml.Signatures.Canonical;

/// <summary>
/// The canonical form of a package with its long base64 runs kept out of the XML reader
/// (<see cref="LongRunElidingStream"/>) and put back by the canonicaliser: the same bytes as
/// <see cref="StreamingCanonicalizer"/> over the plain reader, without the reader's per-character scan of
/// a 50 MB attachment. When it cannot be sure of that, it gives up and the caller runs the plain path.
/// </summary>
internal static class ElidingCanonicalization
{
    /// <summary>Writes the canonical form of the package <paramref name="openXml"/> opens into
    /// <paramref name="sink"/>, eliding long runs.</summary>
    /// <param name="openXml">Opens the package's XML from its first byte; called twice (the reader's
    /// pass and the runs' bytes).</param>
    /// <param name="limits">The reading limits.</param>
    /// <param name="sink">Where the canonical bytes go.</param>
    /// <param name="exclusive">Exclusive C14N when true, inclusive otherwise.</param>
    /// <param name="inclusivePrefixes">The exclusive transform's prefix list.</param>
    /// <param name="omit">The element left out (see <see cref="StreamingCanonicalizer.Write"/>).</param>
    /// <param name="onElement">Called at every element start.</param>
    /// <param name="elided">How many runs were elided (0 when it gave up).</param>
    /// <param name="minRun">The shortest run elided.</param>
    /// <returns>False when it gave up: a placeholder character or reference in the package, an
    /// encoding other than UTF-8 with placeholders met, or any reading error (whose wording, line numbers
    /// included, is the plain path's to give). What it wrote into the sink and told
    /// <paramref name="onElement"/> then counts for nothing: the caller starts again on the plain path.</returns>
    public static bool TryWrite(
        Func<Stream> openXml,
        XmlLimits limits,
        CanonicalSink sink,
        bool exclusive,
        string? inclusivePrefixes,
        long omit,
        Action<XmlReader, long>? onElement,
        out int elided,
        int minRun = LongRunElidingStream.DefaultMinRun)
    {
        using var runs = new ElidedRuns(openXml);
        elided = 0;
        try
        {
            using var input = openXml();
            using var reader = SafeXml.CreateReader(new LongRunElidingStream(input, runs, limits.MaxPackageBytes, minRun), limits);
            new StreamingCanonicalizer(sink, exclusive, inclusivePrefixes, runs).Write(reader, omit, onElement);
            elided = runs.Count;
            return true;
        }
        catch (Exception ex) when (ex is ElisionAbandonedException or EdxmlFormatException or XmlException)
        {
            return false;
        }
    }
}
