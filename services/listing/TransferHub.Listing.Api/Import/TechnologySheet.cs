using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using Sylvan.Data.Csv;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Technologies;

namespace TransferHub.Listing.Api.Import;

/// <summary>One data row of a sheet: its number as the user sees it (the header is row 1) and its cells by column name.</summary>
internal sealed record SheetRow(int Number, IReadOnlyDictionary<string, SheetCell> Cells);

/// <summary>A cell's text and where it is ("E7" in a workbook, "row 7" in a CSV file).</summary>
internal sealed record SheetCell(string Value, string Where);

/// <summary>One problem in an uploaded file, pointing at the row and column to fix.</summary>
public sealed record ImportError(int Row, string Column, string Cell, string Message);

/// <summary>
/// The spreadsheet form of technologies, the same for import and export (CSV, UTF-8, comma-separated; or XLSX, first sheet).
/// Lists in a cell are separated by ';'; owners are <c>Name=share</c>; dates are <c>yyyy-MM-dd</c>; one IP record per row.
/// </summary>
internal static class TechnologySheet
{
    public static readonly string[] Columns =
    [
        "title", "summary", "language", "keywords", "fields", "trl", "stage", "transferModes", "pricingMode", "price", "currency",
        "targetCountries", "owners", "ipType", "ipNumber", "ipOffice", "ipStatus", "ipExpiry", "contactName", "contactEmail",
        "contactPhone", "expiresOn", "confidentialDetail",
    ];

    private static readonly HashSet<string> known = new(Columns, StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the header and rows; header problems are returned as errors on row 1.</summary>
    public static (List<SheetRow> Rows, List<ImportError> Errors) Read(Stream content, string format)
    {
        var (headers, rows) = format == "xlsx" ? ReadXlsx(content) : ReadCsv(content);
        var errors = new List<ImportError>();
        foreach (var header in headers.Where(h => h.Length > 0 && !known.Contains(h)))
        {
            errors.Add(new ImportError(1, header, "header", $"Unknown column '{header}'; the columns are {string.Join(", ", Columns)}."));
        }
        foreach (var required in new[] { "title", "summary", "language" }.Where(r => !headers.Contains(r, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add(new ImportError(1, required, "header", $"The column '{required}' is required."));
        }
        return (rows, errors);
    }

    private static (List<string> Headers, List<SheetRow> Rows) ReadCsv(Stream content)
    {
        using var text = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',' });
        var headers = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim()).ToList();
        var rows = new List<SheetRow>();
        var number = 1;
        while (csv.Read())
        {
            number++;
            var cells = new Dictionary<string, SheetCell>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < headers.Count && i < csv.RowFieldCount; i++)
            {
                var value = csv.GetString(i);
                if (headers[i].Length > 0 && value.Length > 0)
                {
                    cells[headers[i]] = new SheetCell(value, $"row {number}");
                }
            }
            if (cells.Count > 0)
            {
                rows.Add(new SheetRow(number, cells));
            }
        }
        return (headers, rows);
    }

    private static (List<string> Headers, List<SheetRow> Rows) ReadXlsx(Stream content)
    {
        using var workbook = new XLWorkbook(content);
        var sheet = workbook.Worksheets.First();
        var used = sheet.RangeUsed();
        if (used is null)
        {
            return ([], []);
        }
        var first = used.FirstRow().RowNumber();
        var lastColumn = used.LastColumn().ColumnNumber();
        var headers = Enumerable.Range(1, lastColumn).Select(c => sheet.Cell(first, c).GetString().Trim()).ToList();
        var rows = new List<SheetRow>();
        foreach (var row in sheet.RowsUsed().Where(r => r.RowNumber() > first))
        {
            var cells = new Dictionary<string, SheetCell>(StringComparer.OrdinalIgnoreCase);
            for (var c = 1; c <= headers.Count; c++)
            {
                var cell = row.Cell(c);
                var value = Text(cell);
                if (headers[c - 1].Length > 0 && value.Length > 0)
                {
                    cells[headers[c - 1]] = new SheetCell(value, cell.Address.ToString() ?? $"row {row.RowNumber()}");
                }
            }
            if (cells.Count > 0)
            {
                rows.Add(new SheetRow(row.RowNumber(), cells));
            }
        }
        return (headers, rows);
    }

    private static string Text(IXLCell cell) => cell.DataType switch
    {
        XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        XLDataType.Number => cell.GetDouble().ToString(CultureInfo.InvariantCulture),
        _ => cell.GetString().Trim(),
    };

    /// <summary>The row as a create request; cells that cannot be read (a TRL that is not a number) become errors.</summary>
    public static TechnologyInput ToInput(SheetRow row, List<ImportError> errors)
    {
        string? Get(string column) => row.Cells.TryGetValue(column, out var cell) ? cell.Value.Trim() : null;
        IReadOnlyList<string>? List(string column) =>
            Get(column)?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        void Fail(string column, string message) => errors.Add(new ImportError(row.Number, column, row.Cells[column].Where, message));
        int? Int(string column)
        {
            var value = Get(column);
            if (value is null)
            {
                return null;
            }
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ||
                (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e9 &&
                 (number = (int)d) == d))
            {
                return number;
            }
            Fail(column, $"'{value}' is not a whole number.");
            return null;
        }
        decimal? Decimal(string column)
        {
            var value = Get(column);
            if (value is null)
            {
                return null;
            }
            if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
            Fail(column, $"'{value}' is not a number (use a dot for decimals, no currency sign).");
            return null;
        }
        DateOnly? Date(string column)
        {
            var value = Get(column);
            if (value is null)
            {
                return null;
            }
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
            Fail(column, $"'{value}' is not a date written yyyy-MM-dd.");
            return null;
        }
        List<OwnerInput>? Owners()
        {
            var parts = List("owners");
            if (parts is null)
            {
                return null;
            }
            var owners = new List<OwnerInput>();
            foreach (var part in parts)
            {
                var at = part.LastIndexOf('=');
                if (at <= 0 || !decimal.TryParse(part[(at + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture, out var share))
                {
                    Fail("owners", $"'{part}' is not Name=share (e.g. Yunnan University=70; Inventor team=30).");
                    return null;
                }
                owners.Add(new OwnerInput(part[..at].Trim(), null, share));
            }
            return owners;
        }
        var ipType = Get("ipType");
        var ip = ipType is null && Get("ipNumber") is null
            ? null
            : new List<IpRecordInput> { new(ipType, Get("ipNumber"), Get("ipOffice"), Get("ipStatus") ?? "granted", Date("ipExpiry")) };
        var contactName = Get("contactName");
        var contact = contactName is null && Get("contactEmail") is null && Get("contactPhone") is null
            ? null
            : new ContactInput(contactName, Get("contactEmail"), Get("contactPhone"));
        return new TechnologyInput(Get("title"), Get("summary"), Get("language"), List("keywords"), null, List("fields"), Int("trl"),
            Get("stage"), ip, Owners(), List("transferModes"), Get("pricingMode"), Decimal("price"), Get("currency"), List("targetCountries"),
            contact, Date("expiresOn"), Get("confidentialDetail"));
    }

    /// <summary>The sheet column a validation field refers to (<c>ipRecords[0].type</c> → <c>ipType</c>).</summary>
    public static string ColumnOf(string field) => field switch
    {
        _ when field.StartsWith("ipRecords", StringComparison.Ordinal) => field.EndsWith(".status", StringComparison.Ordinal) ? "ipStatus"
            : field.EndsWith(".number", StringComparison.Ordinal) ? "ipNumber"
            : field.EndsWith(".office", StringComparison.Ordinal) ? "ipOffice" : "ipType",
        _ when field.StartsWith("owners", StringComparison.Ordinal) => "owners",
        "contact.name" => "contactName",
        "contact.email" => "contactEmail",
        "contact.phone" => "contactPhone",
        _ => field,
    };

    /// <summary>The cells of one technology, in <see cref="Columns"/> order.</summary>
    public static string[] ToCells(TechnologyView t)
    {
        var ip = t.IpRecords.FirstOrDefault();
        return
        [
            t.Title, t.Summary, t.Language, string.Join("; ", t.Keywords), string.Join("; ", t.Fields),
            t.Trl?.ToString(CultureInfo.InvariantCulture) ?? "", t.Stage ?? "", string.Join("; ", t.TransferModes), t.PricingMode,
            t.Price?.ToString(CultureInfo.InvariantCulture) ?? "", t.Currency ?? "", string.Join("; ", t.TargetCountries),
            string.Join("; ", t.Owners.Select(o => $"{o.Name}={o.Share.ToString(CultureInfo.InvariantCulture)}")),
            ip?.Type ?? "", ip?.Number ?? "", ip?.Office ?? "", ip?.Status ?? "", ip?.Expiry?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            t.Contact?.Name ?? "", t.Contact?.Email ?? "", t.Contact?.Phone ?? "",
            t.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", t.ConfidentialDetail ?? "",
        ];
    }
}
