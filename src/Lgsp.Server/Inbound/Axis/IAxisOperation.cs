using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Axis;

/// <summary>One operation of the axis protocol (docs/axis.md, "The operations"), served by
/// <see cref="AxisEndpoint"/> under the last path segment <see cref="Name"/>. The endpoint authenticates
/// the caller, reads the body, writes the answer and turns refusals into answers; the operation does its
/// work.</summary>
/// <remarks>Implementations are registered as singletons and are thread safe.</remarks>
public interface IAxisOperation
{
    /// <summary>The operation's name as the SDK spells it (matched exactly first, then ignoring case).</summary>
    string Name { get; }

    /// <summary>True when the operation reads the body itself, after checking its parameters
    /// (<c>sendEdoc</c>); otherwise the endpoint reads the whole body first, up to <see cref="MaxBodyBytes"/> (<see cref="AxisCall.ReadBodyAsync"/>),
    /// since reading it is what makes Kestrel answer the SDK's <c>Expect: 100-continue</c> (its HttpClient
    /// otherwise waits 3 s per call).</summary>
    bool ReadsBodyItself => false;

    /// <summary>The largest body the operation takes, in bytes: a larger declared <c>Content-Length</c> is
    /// refused before reading, a longer body once the limit is passed (<see cref="AxisBodyLimits"/>).
    /// <see cref="AxisBodyLimits.SmallBodyBytes"/> unless the operation carries a package or a checkpoint.</summary>
    long MaxBodyBytes => AxisBodyLimits.SmallBodyBytes;

    /// <summary>Does the operation.</summary>
    /// <exception cref="Exchange.Errors.ExchangeException">An application refusal (answered by
    /// <see cref="Refusal"/>, HTTP 200).</exception>
    Task<AxisAnswer> HandleAsync(AxisCall call, CancellationToken ct);

    /// <summary>How a refusal of this operation is answered: a FAIL envelope with the given status.</summary>
    AxisAnswer Refusal(EdxmlError error, int statusCode) => AxisAnswer.Fail(error, statusCode);
}
