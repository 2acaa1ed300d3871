using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

/// <summary>Certificates (parties and officers), their public verification (anyone), and the audit chain's check (admins).</summary>
public static partial class CertificateEndpoints
{
    public static WebApplication MapCertificateEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/registrations").WithTags("Certificates");
        group.MapGet("/certificates/{number}", GetAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The signed certificate: for the registrant organisation, the officers of the issuing station, and platform admins.");
        group.MapGet("/certificates/{number}/print", PrintAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The certificate as a printable HTML page (same audience).");
        group.MapGet("/certificates/{number}/pdf", PdfAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The certificate as a PDF with a QR code pointing to its public verification (same audience).");
        group.MapGet("/verify", VerifyAsync).AllowAnonymous()
            .WithSummary("Public check of a certificate: registration number + certificate hash → valid, revoked or unknown.");
        group.MapGet("/audit/verify", AuditAsync).RequireAuthorization(Roles.PlatformAdmin).WithTags("Audit")
            .WithSummary("Walk the audit hash chain and report the first broken link (platform admins).");
        return app;
    }

    private static async Task<Results<Ok<CertificateView>, ProblemHttpResult>> GetAsync(string number, ClaimsPrincipal user, NpgsqlDataSource dataSource,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await LoadVisibleAsync(connection, number, user, ct) is { } certificate
            ? TypedResults.Ok(certificate)
            : HttpConventions.NotFound("certificate", number);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PrintAsync(string number, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await LoadVisibleAsync(connection, number, user, ct) is not { } certificate)
        {
            return HttpConventions.NotFound("certificate", number);
        }
        var c = certificate.Content;
        string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>技术合同登记证明 ").Append(E(c.RegistrationNumber))
            .Append("</title><style>body{font-family:serif;max-width:48em;margin:2em auto}table{border-collapse:collapse;width:100%}")
            .Append("td,th{border:1px solid #444;padding:.4em;text-align:left}small{word-break:break-all}@media print{a{color:#000}}</style></head><body>")
            .Append("<h1>技术合同登记证明 / Technology Contract Registration Certificate</h1><table>")
            .Append(Row("登记号 Registration number", E(c.RegistrationNumber)))
            .Append(Row("合同名称 Contract", E(c.Title)))
            .Append(Row("类别 Category", $"{E(c.CategoryNameZh)} · {E(c.SubCategoryNameZh)} ({E(c.Category)} / {E(c.SubCategory)})"))
            .Append(Row("当事人 Parties", string.Join("<br>", c.Parties.Select(p => $"{E(p.Role)}: {E(p.Name)} ({E(p.Country)})"))))
            .Append(Row("合同金额 Contract amount", $"{c.ContractAmount:0.00} {E(c.Currency)}" + (c.ContractAmountCny is { } cny ? $" (= {cny:0.00} CNY)" : "")))
            .Append(Row("技术交易额 Technology transaction amount", $"{c.TechnologyTransactionAmount:0.00} {E(c.Currency)}" +
                (c.TechnologyTransactionAmountCny is { } tcny ? $" (= {tcny:0.00} CNY at {c.ExchangeRate!.Rate} on {c.ExchangeRate.Date:yyyy-MM-dd})" : "")))
            .Append(Row("技术领域 Field", E(c.Field)))
            .Append(Row("签订日期 Signed", $"{c.SignedOn:yyyy-MM-dd}"))
            .Append(Row("登记日期 Registered", $"{c.RegisteredOn:yyyy-MM-dd}"))
            .Append(Row("登记机构 Station", $"{E(c.StationNameZh)} / {E(c.StationNameEn)} ({E(c.StationCode)})"))
            .Append(Row("税收 Tax eligibility", string.Join("<br>", c.TaxEligibility.Select(E))))
            .Append("</table><p>核验 Verify: <a href=\"").Append(E(certificate.VerifyUrl)).Append("\">").Append(E(certificate.VerifyUrl)).Append("</a></p>")
            .Append("<p><small>SHA-256 ").Append(E(certificate.ContentHash)).Append("<br>").Append(E(certificate.Algorithm)).Append(", key ")
            .Append(E(certificate.KeyId)).Append(": ").Append(E(certificate.Signature)).Append("</small></p></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");

        static string Row(string label, string value) => $"<tr><th>{label}</th><td>{value}</td></tr>";
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PdfAsync(string number, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<RegistrationOptions> options, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await LoadVisibleAsync(connection, number, user, ct) is not { } certificate)
        {
            return HttpConventions.NotFound("certificate", number);
        }
        var url = options.Value.PublicBaseUrl.TrimEnd('/') + certificate.VerifyUrl;
        return TypedResults.File(CertificatePdf.Render(certificate, url), "application/pdf", $"certificate-{certificate.RegistrationNumber}.pdf");
    }

    private static async Task<Results<Ok<VerificationResult>, ValidationProblem>> VerifyAsync(NpgsqlDataSource dataSource, CancellationToken ct,
        string? number = null, string? hash = null)
    {
        var v = new Validation()
            .Check(number is not null && NumberPattern().IsMatch(number), "number", "The registration number as printed (letters, digits, '-', at most 40).")
            .Check(hash is not null && HashPattern().IsMatch(hash), "hash", "The certificate's SHA-256 hash: 64 hexadecimal digits.");
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return TypedResults.Ok(await Certificates.VerifyAsync(connection, number!, hash!, ct));
    }

    private static async Task<Ok<AuditVerification>> AuditAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return TypedResults.Ok(await AuditChain.VerifyAsync(connection, ct));
    }

    private static async Task<CertificateView?> LoadVisibleAsync(NpgsqlConnection connection, string number, ClaimsPrincipal user, CancellationToken ct)
    {
        if (number.Length > 40)
        {
            return null;
        }
        var owner = await connection.QuerySingleOrDefaultAsync<(Guid Registrant, string Station)?>(new CommandDefinition(
            "SELECT s.registrant_org_id, c.station_code FROM certificates c JOIN submissions s ON s.id = c.submission_id WHERE c.registration_number = @number",
            new { number }, cancellationToken: ct));
        if (owner is not { } o || !(o.Registrant == user.OrganisationId() || RegistrationPolicies.IsAdmin(user) ||
                                    await Stations.OfOfficerAsync(connection, user, null, ct) == o.Station))
        {
            return null;
        }
        return await Certificates.LoadAsync(connection, number, ct);
    }

    [GeneratedRegex("^[0-9A-Za-z-]{1,40}$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HashPattern();
}
