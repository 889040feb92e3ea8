using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.ServiceModel.Description;
using System.ServiceModel.Dispatcher;
using System.Xml;
using Lgsp.Server.Inbound.Soap;

namespace Lgsp.Server.Tests.Inbound.Soap;

/// <summary>Builds clients for the hub's SOAP endpoint with HTTP Basic credentials.</summary>
public static class EdocClientFactory
{
    /// <summary>Large enough for the largest package (100 MB request limit on the hub).</summary>
    public const int MaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>
    /// A client for <paramref name="address"/>: SOAP 1.1 over <see cref="BasicHttpBinding"/>
    /// (TransportCredentialOnly, Basic), or SOAP 1.2 over a <see cref="CustomBinding"/> (text
    /// encoding, no WS-Addressing; HTTP transport with Basic).
    /// </summary>
    /// <param name="address">The endpoint, e.g. <c>http://127.0.0.1:8080/soap/edoc</c>.</param>
    /// <param name="user">The client system's identifier.</param>
    /// <param name="secret">The client system's secret.</param>
    /// <param name="version">The SOAP version to speak.</param>
    /// <param name="surfaceSoap12SenderFaults">SOAP 1.2 only: WCF reads a fault only from an HTTP 500
    /// answer and turns the 400 the hub sends with a sender fault into a bare
    /// <see cref="ProtocolException"/>; when true, a message handler presents a 400 carrying
    /// <c>application/soap+xml</c> to WCF as a 500 so the fault arrives as
    /// <see cref="FaultException{Error}"/>.</param>
    public static EdocClient Create(Uri address, string user, string secret, SoapVersion version, bool surfaceSoap12SenderFaults = true)
    {
        Binding binding = version == SoapVersion.Soap11 ? Soap11Binding() : Soap12Binding();
        var client = new EdocClient(binding, new EndpointAddress(address));
        client.ClientCredentials.UserName.UserName = user;
        client.ClientCredentials.UserName.Password = secret;
        if (version == SoapVersion.Soap12 && surfaceSoap12SenderFaults)
        {
            client.Endpoint.EndpointBehaviors.Add(new SenderFaultStatusBehavior());
        }

        return client;
    }

    /// <summary>A SOAP 1.1 client for <paramref name="address"/> that authenticates with a gateway bearer
    /// token (<c>Authorization: Bearer</c> on every request) instead of HTTP Basic.</summary>
    public static EdocClient CreateWithToken(Uri address, string token)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.None)
        {
            MaxReceivedMessageSize = MaxMessageBytes,
            MaxBufferSize = MaxMessageBytes,
            ReaderQuotas = XmlDictionaryReaderQuotas.Max,
            SendTimeout = TimeSpan.FromMinutes(2),
        };
        var client = new EdocClient(binding, new EndpointAddress(address));
        client.Endpoint.EndpointBehaviors.Add(new BearerTokenBehavior(token));
        return client;
    }

    private static BasicHttpBinding Soap11Binding()
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.TransportCredentialOnly)
        {
            MaxReceivedMessageSize = MaxMessageBytes,
            MaxBufferSize = MaxMessageBytes,
            ReaderQuotas = XmlDictionaryReaderQuotas.Max,
            SendTimeout = TimeSpan.FromMinutes(2),
        };
        binding.Security.Transport.ClientCredentialType = HttpClientCredentialType.Basic;
        return binding;
    }

    private static CustomBinding Soap12Binding()
    {
        var encoding = new TextMessageEncodingBindingElement(MessageVersion.CreateVersion(EnvelopeVersion.Soap12, AddressingVersion.None), System.Text.Encoding.UTF8)
        {
            ReaderQuotas = XmlDictionaryReaderQuotas.Max,
        };
        var transport = new HttpTransportBindingElement
        {
            AuthenticationScheme = AuthenticationSchemes.Basic,
            MaxReceivedMessageSize = MaxMessageBytes,
            MaxBufferSize = MaxMessageBytes,
        };
        return new CustomBinding(encoding, transport) { SendTimeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Hands WCF's HTTP client a handler that turns a SOAP 1.2 sender fault's 400 into 500.</summary>
    private sealed class SenderFaultStatusBehavior : IEndpointBehavior
    {
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters) =>
            bindingParameters.Add(new Func<HttpClientHandler, HttpMessageHandler>(inner => new SenderFaultStatusHandler(inner)));

        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime)
        {
        }

        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher)
        {
        }

        public void Validate(ServiceEndpoint endpoint)
        {
        }
    }

    /// <summary>Hands WCF's HTTP client a handler that sends the bearer token.</summary>
    private sealed class BearerTokenBehavior(string token) : IEndpointBehavior
    {
        public void AddBindingParameters(ServiceEndpoint endpoint, BindingParameterCollection bindingParameters) =>
            bindingParameters.Add(new Func<HttpClientHandler, HttpMessageHandler>(inner => new BearerTokenHandler(inner, token)));

        public void ApplyClientBehavior(ServiceEndpoint endpoint, ClientRuntime clientRuntime)
        {
        }

        public void ApplyDispatchBehavior(ServiceEndpoint endpoint, EndpointDispatcher endpointDispatcher)
        {
        }

        public void Validate(ServiceEndpoint endpoint)
        {
        }
    }

    private sealed class BearerTokenHandler(HttpMessageHandler inner, string token) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class SenderFaultStatusHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest
                && response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: SoapVersions.Soap12MediaType })
            {
                response.StatusCode = HttpStatusCode.InternalServerError;
            }

            return response;
        }
    }
}
