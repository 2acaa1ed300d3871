using System.Globalization;
using System.Text;
using ClosedXML.Excel;

namespace TransferHub.Spreadsheets;

/// <summary>
/// Writes a table (header + rows) as CSV or XLSX. Strings stay text cells (a code like "021" or a TRL written back stays
/// exactly as stored); numbers (int, long, decimal, double) become number cells; dates become ISO text.
/// </summary>
public static class TableFile
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly IReadOnlyList<string> Formats = ["csv", "xlsx"];

    public static string ContentType(string format) => format == "csv" ? CsvType : XlsxType;

    public static byte[] Write(string format, string sheetName, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows) =>
        format switch
        {
            "csv" => Csv(columns, rows),
            "xlsx" => Xlsx(sheetName, columns, rows),
            _ => throw new ArgumentException($"Unknown format '{format}'; use csv or xlsx.", nameof(format)),
        };

    public static byte[] Csv(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var csv = new StringBuilder().AppendJoin(',', columns.Select(Quote)).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', row.Select(cell => Quote(Text(cell)))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static byte[] Xlsx(string sheetName, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet(sheetName);
        for (var c = 0; c < columns.Count; c++)
        {
            sheet.Cell(1, c + 1).SetValue(columns[c]);
        }
        var r = 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Count; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (row[c])
                {
                    case int i: cell.SetValue(i); break;
                    case long l: cell.SetValue(l); break;
                    case decimal d: cell.SetValue(d); break;
                    case double x: cell.SetValue(x); break;
                    case var other: cell.SetValue(Text(other)); break;
                }
            }
            r++;
        }
        sheet.Row(1).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(1);
        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer);
        return buffer.ToArray();
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
