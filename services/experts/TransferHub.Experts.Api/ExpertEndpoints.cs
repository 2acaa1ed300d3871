using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Experts.Api;

public sealed record ExpertSummary(Guid Id, string DisplayName, string Country, string[] Languages, string[] Fields, bool IsCommissioner);

public static class ExpertEndpoints
{
    public static WebApplication MapExpertEndpoints(this WebApplication app)
    {
        app.MapGroup("/api/experts").WithTags("Experts")
            .MapGet("/", ListAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("Experts in the directory (public profile only; contact details are never listed).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ExpertSummary>>, ValidationProblem>> ListAsync(NpgsqlDataSource dataSource,
        CancellationToken ct, string? country = null)
    {
        var validation = new Validation().Optional("country", country, 2);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ExpertSummary>(new CommandDefinition(
            """
            SELECT id AS Id, display_name AS DisplayName, country AS Country, languages AS Languages, fields AS Fields, is_commissioner AS IsCommissioner
            FROM experts WHERE (@country::text IS NULL OR country = upper(@country)) ORDER BY display_name LIMIT 200
            """, new { country }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ExpertSummary>>(rows.AsList());
    }
}
