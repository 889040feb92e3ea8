using Lgsp.Edxml.Errors;

namespace Lgsp.Server.Inbound.Soap;

/// <summary>
/// A request the hub answers with a SOAP fault: the structured <see cref="Error"/> that becomes
/// the fault's detail, and whether the client (fix the request) or the server (retry later) is at
/// fault.
/// </summary>
public sealed class SoapFaultException : Exception
{
    /// <summary>Creates the exception from the parts of an error.</summary>
    /// <param name="code">The stable machine code.</param>
    /// <param name="field">What the error concerns: an element path, an HTTP header name, or <c>/</c>.</param>
    /// <param name="message">The sentence in English.</param>
    /// <param name="messageVi">The sentence in Vietnamese.</param>
    /// <param name="isClientFault">True for a client (1.1) / sender (1.2) fault.</param>
    public SoapFaultException(string code, string field, string message, string messageVi, bool isClientFault)
        : this(new EdxmlError(code, field, message, messageVi), isClientFault)
    {
    }

    /// <summary>Creates the exception for an error.</summary>
    /// <param name="error">The error the fault's detail carries.</param>
    /// <param name="isClientFault">True for a client (1.1) / sender (1.2) fault.</param>
    /// <param name="inner">The exception that revealed the error, if any.</param>
    public SoapFaultException(EdxmlError error, bool isClientFault, Exception? inner = null)
        : base(error.ToString(), inner)
    {
        Error = error;
        IsClientFault = isClientFault;
    }

    /// <summary>The error the fault's detail carries.</summary>
    public EdxmlError Error { get; }

    /// <summary>True for a client (SOAP 1.1) / sender (SOAP 1.2) fault; false for a server / receiver fault.</summary>
    public bool IsClientFault { get; }
}
