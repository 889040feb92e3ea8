using System.Text.Json.Serialization;

namespace Lgsp.Server.Demo;

/// <summary>Which demo a zero-configuration hub seeds (<c>--demo</c>, or <c>Hub:Demo</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DemoShape>))]
public enum DemoShape
{
    /// <summary>The province hub (the default): Thanh Hóa's departments and communes, id
    /// <c>lgsp-h56-demo</c>, data in <c>./var</c>, port 8080.</summary>
    [JsonStringEnumMemberName("province")]
    Province,

    /// <summary>A second hub to link under the province demo: two communes of its own, its own demo PKI,
    /// id <see cref="DemoProvince.ChildHubId"/>, data in <c>./var-child</c>, port 8081.</summary>
    [JsonStringEnumMemberName("child")]
    Child,
}
