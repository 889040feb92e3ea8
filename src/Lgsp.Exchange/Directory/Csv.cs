using System.Text;

namespace Lgsp.Exchange.Directory;

/// <summary>One CSV record and the line it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>Something wrong on a line of an input file.</summary>
/// <param name="Line">The line (1-based).</param>
/// <param name="Field">The column, or <c>row</c> for the line as a whole.</param>
/// <param name="Reason">What is wrong, as a sentence.</param>
/// <param name="ReasonVi">The same in Vietnamese.</param>
public sealed record LineProblem(int Line, string Field, string Reason, string ReasonVi)
{
    /// <summary>The reason in the reader's language.</summary>
    public string ReasonIn(bool vietnamese) => vietnamese ? ReasonVi : Reason;

    /// <summary>The problem in English, as the CLI prints it.</summary>
    public override string ToString() => $"line {Line}, {Field}: {Reason}";
}

/// <summary>
/// Reads comma-separated values as RFC 4180 writes them: fields separated by commas, records by
/// CRLF or LF, a field in double quotes may hold commas, line breaks and doubled quotes (<c>""</c>).
/// Lines that are entirely empty are skipped.
/// </summary>
public static class Csv
{
    /// <summary>Splits <paramref name="text"/> into records; a record that is malformed (a quote left
    /// open, text after a closing quote, a quote inside an unquoted field) is reported instead.</summary>
    public static (IReadOnlyList<CsvRecord> Records, IReadOnlyList<LineProblem> Problems) Read(string text)
    {
        var records = new List<CsvRecord>();
        var problems = new List<LineProblem>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            (string En, string Vi)? problem = null;
            var field = new StringBuilder();
            var endOfRecord = false;
            while (!endOfRecord)
            {
                field.Clear();
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    var closed = false;
                    while (i < text.Length)
                    {
                        var c = text[i++];
                        if (c == '"')
                        {
                            if (i < text.Length && text[i] == '"')
                            {
                                field.Append('"');
                                i++;
                                continue;
                            }

                            closed = true;
                            break;
                        }

                        if (c == '\n' || (c == '\r' && (i >= text.Length || text[i] != '\n')))
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    if (!closed)
                    {
                        problem ??= ("a quoted field is not closed (a \" is missing)", "một trường trong ngoặc kép chưa được đóng (thiếu dấu \")");
                    }
                    else if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        problem ??= ("text follows a closing quote (inside quotes, write a quote as \"\")", "có chữ sau dấu ngoặc kép đóng (trong ngoặc kép, viết dấu ngoặc kép thành \"\")");
                        while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                        {
                            i++;
                        }
                    }
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        if (text[i] == '"')
                        {
                            problem ??= ("a quote inside an unquoted field (quote the whole field, and double the quote)", "dấu ngoặc kép trong một trường không đặt trong ngoặc kép (đặt cả trường trong ngoặc kép và viết dấu ngoặc kép hai lần)");
                        }

                        field.Append(text[i++]);
                    }
                }

                fields.Add(field.ToString());
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    continue;
                }

                // A line break or the end of the text ends the record.
                if (i < text.Length && text[i] == '\r')
                {
                    i++;
                }

                if (i < text.Length && text[i] == '\n')
                {
                    i++;
                }

                line++;
                endOfRecord = true;
            }

            if (problem is { } bad)
            {
                problems.Add(new LineProblem(start, "row", bad.En, bad.Vi));
            }
            else if (fields is not [""])
            {
                records.Add(new CsvRecord(start, fields));
            }
        }

        return (records, problems);
    }
}
