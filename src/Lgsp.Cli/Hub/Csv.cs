using System.Text;

namespace Lgsp.Cli.Hub;

/// <summary>One CSV record and the line it starts on (1-based).</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>Something wrong on a line of an input file.</summary>
/// <param name="Line">The line (1-based).</param>
/// <param name="Field">The column, or <c>row</c> for the line as a whole.</param>
/// <param name="Reason">What is wrong, as a sentence.</param>
internal sealed record LineProblem(int Line, string Field, string Reason)
{
    public override string ToString() => $"line {Line}, {Field}: {Reason}";
}

/// <summary>
/// Reads comma-separated values as RFC 4180 writes them: fields separated by commas, records by
/// CRLF or LF, a field in double quotes may hold commas, line breaks and doubled quotes (<c>""</c>).
/// Lines that are entirely empty are skipped.
/// </summary>
internal static class Csv
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
            string? problem = null;
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
                        problem ??= "a quoted field is not closed (a \" is missing)";
                    }
                    else if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    {
                        problem ??= "text follows a closing quote (inside quotes, write a quote as \"\")";
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
                            problem ??= "a quote inside an unquoted field (quote the whole field, and double the quote)";
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

            if (problem is not null)
            {
                problems.Add(new LineProblem(start, "row", problem));
            }
            else if (fields is not [""])
            {
                records.Add(new CsvRecord(start, fields));
            }
        }

        return (records, problems);
    }
}
