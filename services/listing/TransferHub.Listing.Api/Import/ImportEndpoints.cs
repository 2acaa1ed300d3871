using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Api.Technologies;
using TransferHub.ServiceDefaults;
using TransferHub.Spreadsheets;

namespace TransferHub.Listing.Api.Import;

/// <summary>Bulk import of technologies from CSV/XLSX (as a job with progress) and export of an organisation's technologies.</summary>
public static class ImportEndpoints
{
    public const int MaxRows = 20_000;
    public const long MaxBytes = 20 * 1024 * 1024;
    private const string Base = "/api/listings/technologies";

    public static WebApplication MapImportEndpoints(this WebApplication app)
    {
        var group = app.MapGroup(Base).WithTags("Import and export").RequireAuthorization(ListingPolicies.Publisher);
        group.MapPost("/imports", UploadAsync).DisableAntiforgery()
            .WithSummary($"Upload a CSV or XLSX of technologies (multipart field 'file', at most {MaxRows} rows): 202 with the job; every row " +
                "is checked and, only when all are valid, imported as drafts. Columns: see docs/listing.md.");
        group.MapGet("/imports/{jobId:guid}", GetAsync)
            .WithSummary("An import job of the caller's organisation: status, progress, errors by row and column.");
        group.MapGet("/export", ExportAsync)
            .WithSummary("The organisation's technologies as CSV or XLSX (?format=csv|xlsx), in the import's columns.");
        return app;
    }

    private static async Task<Results<Accepted<ImportJobView>, ValidationProblem>> UploadAsync(IFormFile? file, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, ImportQueue queue, CancellationToken ct)
    {
        var validation = new Validation()
            .Check(file is not null, "file", "Send the spreadsheet as the multipart field 'file'.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        var format = Path.GetExtension(file?.FileName ?? "").ToLowerInvariant() switch
        {
            ".csv" => "csv",
            ".xlsx" => "xlsx",
            _ => null,
        };
        if (file is not null)
        {
            validation.Check(format is not null, "file", "Upload a .csv (UTF-8) or .xlsx file.")
                .Check(file.Length is > 0 and <= MaxBytes, "file", $"The file has {file.Length} bytes; 1 to {MaxBytes} are accepted.");
            if (format is not null && file.Length > 0)
            {
                var head = new byte[4096];
                int read;
                await using (var peek = file.OpenReadStream())
                {
                    read = await peek.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                }
                var span = head.AsSpan(0, read);
                validation.Check(format != "xlsx" || span.StartsWith("PK\u0003\u0004"u8), "file", "The .xlsx file is not an Excel workbook (by its content).")
                    .Check(format != "csv" || (!span.Contains((byte)0) && IsUtf8Prefix(span)), "file", "The .csv file is not UTF-8 text (by its content); save it as CSV UTF-8.");
            }
        }
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var job = Guid.CreateVersion7();
        Directory.CreateDirectory(queue.Directory);
        await using (var target = File.Create(queue.FileOf(job)))
        await using (var source = file!.OpenReadStream())
        {
            await source.CopyToAsync(target, ct);
        }
        var name = Path.GetFileName(file.FileName);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO import_jobs (id, organisation_id, user_id, file_name, format, status)
            VALUES (@job, @organisationId, @userId, @name, @format, 'queued')
            """, new { job, organisationId = user.OrganisationId(), userId = user.UserId(), name = name.Length > 200 ? name[..200] : name, format },
            cancellationToken: ct));
        await queue.EnqueueAsync(job, ct);
        return TypedResults.Accepted($"{Base}/imports/{job}", (await LoadAsync(connection, job, user.OrganisationId(), ct))!);
    }

    private static async Task<Results<Ok<ImportJobView>, ProblemHttpResult>> GetAsync(Guid jobId, ClaimsPrincipal user, NpgsqlDataSource dataSource,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var job = await LoadAsync(connection, jobId, user.OrganisationId(), ct);
        return job is null ? HttpConventions.NotFound("import job", jobId) : TypedResults.Ok(job);
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource,
        CancellationToken ct, string format = "xlsx")
    {
        var validation = new Validation().Check(format is "csv" or "xlsx", "format", "'format' is csv or xlsx.")
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var page = await TechnologyStore.Instance.PageAsync(dataSource, "organisation_id = @organisationId", "created_at, id",
            new DynamicParameters(new { organisationId = user.OrganisationId() }), 1, 50_000, ct);
        var rows = page.Items.Select(TechnologySheet.ToCells).ToList();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var file = TableFile.Write(format, "technologies", TechnologySheet.Columns, rows.Select(r => (IReadOnlyList<object?>)r));
        return TypedResults.File(file, TableFile.ContentType(format), $"technologies-{stamp}.{format}");
    }

    /// <summary>True when the bytes are UTF-8, allowing a multi-byte sequence cut by the end of the sample.</summary>
    private static bool IsUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        for (var cut = 0; cut < 4 && cut <= bytes.Length; cut++)
        {
            if (System.Text.Unicode.Utf8.IsValid(bytes[..^cut]))
            {
                return true;
            }
        }
        return false;
    }

    private static async Task<ImportJobView?> LoadAsync(NpgsqlConnection connection, Guid job, Guid? organisationId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, string FileName, string Format, string Status, int TotalRows, int ProcessedRows,
            int CreatedCount, string Errors, string? Message, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)>(new CommandDefinition(
            """
            SELECT id, file_name, format, status, total_rows, processed_rows, created_count, errors::text, message, created_at, finished_at
            FROM import_jobs WHERE id = @job AND organisation_id = @organisationId
            """, new { job, organisationId }, cancellationToken: ct));
        return row == default
            ? null
            : new ImportJobView(row.Id, row.FileName, row.Format, row.Status, row.TotalRows, row.ProcessedRows, row.CreatedCount,
                JsonSerializer.Deserialize<List<ImportError>>(row.Errors, JsonDefaults.Web)!, row.Message, row.CreatedAt, row.FinishedAt);
    }
}
