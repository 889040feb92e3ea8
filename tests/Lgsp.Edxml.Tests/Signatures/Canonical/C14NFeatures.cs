using System.Text;

namespace Lgsp.Edxml.Tests.Signatures.Canonical;

/// <summary>edXML-shaped documents using every XML feature canonicalisation has to get right; the
/// comment <c>&lt;!--SIGNATURE--&gt;</c> marks where, in the header, a signature goes.</summary>
internal static class C14NFeatures
{
    public const string SignatureMarker = "<!--SIGNATURE-->";

    /// <summary>Namespaces declared, redeclared and undeclared at every level, unused prefixes,
    /// attributes in odd orders (namespaced ones too), <c>xml:</c> attributes, CDATA, comments and
    /// processing instructions inside and outside the root, whitespace everywhere, character and
    /// entity references in text and attributes, CR LF and tabs (literal and as references),
    /// non-BMP characters, <c>&lt;a/&gt;</c> and <c>&lt;a&gt;&lt;/a&gt;</c>.</summary>
    public const string Kitchen = """
        <?xml version="1.0" encoding="utf-8"?>
        <?before-root first PI?>
        <!-- a comment before the root -->
        <edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:unused="urn:unused" xmlns:a="urn:a">
          <edXML:edXMLEnvelope xmlns:b="urn:b" xmlns="urn:default">
            <edXML:edXMLHeader   xmlns:unused2="urn:unused2" >
              <edXML:MessageHeader z="last" a:z="ns last" a="first" b:a="b first" xmlns:c="urn:c" c:m="c" >
                <edXML:From><edXML:OrganId>000.00.01.H56</edXML:OrganId></edXML:From>
                <plain>default namespace here</plain>
              </edXML:MessageHeader>
        <!--SIGNATURE--></edXML:edXMLHeader>
          </edXML:edXMLEnvelope>
          <edXML:edXMLBody>
            <undeclared xmlns=""><inner>no namespace</inner><redeclared xmlns="urn:default2"><deep xmlns=""/><deeper/></redeclared></undeclared>
            <a:same xmlns:a="urn:a"><a:again xmlns:a="urn:a2" xmlns:b="urn:b"><a:back xmlns:a="urn:a" b:q="1"/></a:again><a:after/></a:same>
            <attrs xmlns:b="urn:b" t="tab&#9;lf&#10;cr&#13;end" n="literal	tab and
        newline and   spaces" e="&lt;&amp;&gt;&quot;&apos;" xml:lang="vi" xml:space="preserve" a:x="1" b:x="2" x="&#x1D11E;"/>
            <text>&lt; &amp; &gt; &quot; &apos; &#xD; &#13;&#10; crlf-literal
        tab	done &#x20AC;</text>
            <cdata><![CDATA[<not markup> & "quotes" ]]]]><![CDATA[> end]]></cdata>
            <?inside-root data with  spaces ?>
            <?empty-pi?>
            <!-- a comment inside -->
            <nonbmp attr="𝄞😀">𝄞 😀 ữ Việt Nam 中文</nonbmp>
            <empty/><empty></empty><empty a="1" />
            <unused:used>the prefix used here</unused:used>
            <ws>   </ws>
          </edXML:edXMLBody>
        </edXML:edXML>
        <!-- a comment after the root -->
        <?after-root ?>

        """;

    /// <summary>The documents the differential tests run over, by name.</summary>
    public static IReadOnlyDictionary<string, string> Documents { get; } = new Dictionary<string, string>
    {
        ["kitchen"] = Kitchen,
        // Line ends written as CR LF, as producers on Windows do; the parser normalises them.
        ["kitchen-crlf"] = Kitchen.Replace("\n", "\r\n", StringComparison.Ordinal),
        // Everything in the default namespace, the signature's ancestors declaring it.
        ["default-namespace"] = """
            <edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>x</Subject></MessageHeader><!--SIGNATURE--></edXMLHeader></edXMLEnvelope><edXMLBody xmlns:p="urn:p"><p:q xmlns=""><r/></p:q><s xmlns="urn:s"/></edXMLBody></edXML>
            """,
        // Long text with non-BMP characters, so buffers and text chunks end inside surrogate pairs.
        ["long-text"] = Kitchen.Replace("the prefix used here", "x" + string.Concat(Enumerable.Repeat("😀ữ&lt;&amp;&gt;&#13;\"𝄞\t", 40_000)), StringComparison.Ordinal),
    };

    public static byte[] Bytes(string document) => Encoding.UTF8.GetBytes(document);
}
