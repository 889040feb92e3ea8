using System.Xml;
using System.Xml.Schema;

namespace Lgsp.Edxml.Xml;

/// <summary>An <see cref="XmlReader"/> that forwards everything to an inner reader; subclasses
/// override the members they change. Line information passes through.</summary>
internal abstract class DelegatingXmlReader(XmlReader inner) : XmlReader, IXmlLineInfo
{
    protected XmlReader Inner { get; } = inner;

    public override XmlNodeType NodeType => Inner.NodeType;
    public override string LocalName => Inner.LocalName;
    public override string NamespaceURI => Inner.NamespaceURI;
    public override string Name => Inner.Name;
    public override string Prefix => Inner.Prefix;
    public override bool HasValue => Inner.HasValue;
    public override string Value => Inner.Value;
    public override int Depth => Inner.Depth;
    public override string BaseURI => Inner.BaseURI;
    public override bool IsEmptyElement => Inner.IsEmptyElement;
    public override bool IsDefault => Inner.IsDefault;
    public override char QuoteChar => Inner.QuoteChar;
    public override XmlSpace XmlSpace => Inner.XmlSpace;
    public override string XmlLang => Inner.XmlLang;
    public override IXmlSchemaInfo? SchemaInfo => Inner.SchemaInfo;
    public override Type ValueType => Inner.ValueType;
    public override int AttributeCount => Inner.AttributeCount;
    public override bool EOF => Inner.EOF;
    public override ReadState ReadState => Inner.ReadState;
    public override XmlNameTable NameTable => Inner.NameTable;
    public override bool CanResolveEntity => false;
    public override bool CanReadBinaryContent => Inner.CanReadBinaryContent;
    public override bool CanReadValueChunk => Inner.CanReadValueChunk;
    public override XmlReaderSettings? Settings => Inner.Settings;

    public override string GetAttribute(string name) => Inner.GetAttribute(name)!;
    public override string? GetAttribute(string name, string? namespaceURI) => Inner.GetAttribute(name, namespaceURI);
    public override string GetAttribute(int i) => Inner.GetAttribute(i);
    public override bool MoveToAttribute(string name) => Inner.MoveToAttribute(name);
    public override bool MoveToAttribute(string name, string? ns) => Inner.MoveToAttribute(name, ns);
    public override void MoveToAttribute(int i) => Inner.MoveToAttribute(i);
    public override bool MoveToFirstAttribute() => Inner.MoveToFirstAttribute();
    public override bool MoveToNextAttribute() => Inner.MoveToNextAttribute();
    public override bool MoveToElement() => Inner.MoveToElement();
    public override bool ReadAttributeValue() => Inner.ReadAttributeValue();
    public override bool Read() => Inner.Read();
    public override void Close() => Inner.Close();
    public override string? LookupNamespace(string prefix) => Inner.LookupNamespace(prefix);
    public override void ResolveEntity() => throw new InvalidOperationException("Entities are not resolved.");
    public override int ReadValueChunk(char[] buffer, int index, int count) => Inner.ReadValueChunk(buffer, index, count);
    public override int ReadContentAsBase64(byte[] buffer, int index, int count) => Inner.ReadContentAsBase64(buffer, index, count);
    public override int ReadElementContentAsBase64(byte[] buffer, int index, int count) => Inner.ReadElementContentAsBase64(buffer, index, count);
    public override int ReadContentAsBinHex(byte[] buffer, int index, int count) => Inner.ReadContentAsBinHex(buffer, index, count);
    public override int ReadElementContentAsBinHex(byte[] buffer, int index, int count) => Inner.ReadElementContentAsBinHex(buffer, index, count);

    public bool HasLineInfo() => Inner is IXmlLineInfo li && li.HasLineInfo();
    public int LineNumber => (Inner as IXmlLineInfo)?.LineNumber ?? 0;
    public int LinePosition => (Inner as IXmlLineInfo)?.LinePosition ?? 0;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
