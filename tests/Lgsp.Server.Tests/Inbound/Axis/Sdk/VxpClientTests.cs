namespace Lgsp.Server.Tests.Inbound.Axis.Sdk;

/// <summary>The test client orders its headers as the real SDK did on the wire (VXP.md Appendix B).</summary>
public class VxpClientTests
{
    [Theory]
    [InlineData("systemid;timestamp;Content-Type", "Content-Type")]
    [InlineData("systemid;servicetype;messagetype;hash-file;from;timestamp;Content-Type", "Content-Type,servicetype,messagetype,from,hash-file")]
    [InlineData("systemid;servicetype;messagetype;hash-file;from;to;timestamp;Content-Type", "Content-Type,servicetype,messagetype,from,to,hash-file")]
    [InlineData("systemid;docId;timestamp;Content-Type;status", "Content-Type,status,docId")]
    [InlineData("systemid;servicetype;messagetype;docId;filePath;timestamp;Content-Type;status", "Content-Type,servicetype,messagetype,docId,filePath,status")]
    [InlineData("systemid;AgencyCode;timestamp;Content-Type", "Content-Type,AgencyCode")]
    public void The_sticky_header_map_iterates_in_the_captured_order(string captured, string added)
    {
        var map = new JavaHashMap();
        map.Put("timestamp", "23112026T085716+0882");
        map.Put("systemid", "vxp.test.receiver");
        foreach (var name in added.Split(','))
        {
            map.Put(name, "x");
        }

        Assert.Equal(captured, string.Join(';', map.Entries.Select(e => e.Key)));
    }
}
