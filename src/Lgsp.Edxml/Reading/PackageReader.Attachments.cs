using System.Xml;
using Lgsp.Edxml.Errors;
using Lgsp.Edxml.Model;

namespace Lgsp.Edxml.Reading;

// Attachments, streamed: their short fields read as text, their content base64-decoded in chunks.
public static partial class PackageReader
{
    private sealed partial class Session
    {
        private void ReadAttachments(List<Attachment> into)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return;
            }

            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Attachment" && IsOurs(reader.NamespaceURI))
                {
                    into.Add(ReadAttachment(into.Count + 1));
                }
                else if (reader.NodeType == XmlNodeType.Element)
                {
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                }
            }

            reader.Read();
        }

        private Attachment ReadAttachment(int index)
        {
            var path = $"AttachmentEncoded/Attachment[{index}]";
            string? contentId = null, name = null, description = null, contentType = null;
            AttachmentContent? content = null;
            if (reader.IsEmptyElement)
            {
                reader.Read();
            }
            else
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        reader.Read();
                        continue;
                    }

                    NoteNamespace(reader.NamespaceURI);
                    switch (reader.LocalName)
                    {
                        case "ContentTransferEncoded":
                            if (content is not null)
                            {
                                findings.Add(EdxmlError.Create(ErrorCode.DuplicateField, $"{path}/ContentTransferEncoded", "ContentTransferEncoded"));
                                reader.Skip();
                                break;
                            }

                            content = DecodeBase64($"{path}/ContentTransferEncoded");
                            break;
                        case "ContentId": contentId = ReadShortText(path); break;
                        case "AttachmentName": name = ReadShortText(path); break;
                        case "Description": description = ReadShortText(path); break;
                        case "ContentType": contentType = ReadShortText(path); break;
                        default: reader.Skip(); break;
                    }
                }

                reader.Read();
            }

            return new Attachment(contentId, name, description, contentType, content ?? AttachmentContent.FromBytes([]));
        }

        private string ReadShortText(string path)
        {
            var name = reader.LocalName;
            var text = reader.ReadElementContentAsString();
            if (text.Length > limits.MaxTextLength)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, $"{path}/{name}", name, limits.MaxTextLength));
            }

            return text.Trim();
        }

        private AttachmentContent DecodeBase64(string path)
        {
            using var spool = AttachmentContent.CreateSpool(limits.MaxAttachmentBytes);
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return spool.Complete();
            }

            // Pooled: one decode buffer per attachment read was 48 KB of garbage per package.
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Base64Chunk);
            try
            {
                int n;
                while ((n = reader.ReadElementContentAsBase64(buffer, 0, Base64Chunk)) > 0)
                {
                    spool.Write(buffer.AsSpan(0, n));
                }
            }
            catch (XmlException ex) when (ex.InnerException is FormatException || ex.Message.Contains("base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidBase64, path, ex.Message), ex);
            }
            catch (FormatException ex)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.InvalidBase64, path, ex.Message), ex);
            }
            catch (InvalidOperationException ex) when (spool.Length + Base64Chunk > limits.MaxAttachmentBytes)
            {
                throw new EdxmlFormatException(EdxmlError.Create(ErrorCode.TooLarge, path, "The attachment", limits.MaxAttachmentBytes + " bytes"), ex);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }

            return spool.Complete();
        }
    }
}
