using System.Globalization;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Identity.Contracts;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

namespace TransferHub.Identity.Api;

public sealed record OrganisationInput(string? Name, string? Type, string? Country, string? RegionCode, string? LegalPersonNature);

public sealed record UserInput(string? Email, string? Password, string? DisplayName);

public sealed record RegisterRequest(OrganisationInput? Organisation, UserInput? User);

public sealed record RegisteredResponse(Guid OrganisationId, Guid UserId);

public sealed record OrganisationView(Guid Id, string Name, string Type, string Country, string? RegionCode, string? LegalPersonNature,
    DateTimeOffset? VerifiedAt, DateTimeOffset CreatedAt);

public static class OrganisationEndpoints
{
    /// <summary>Roles a self-registered organisation's first user gets; stations are created by platform admins.</summary>
    private static readonly Dictionary<string, string> firstRoles = new()
    {
        [OrganisationTypes.Institution] = Roles.InstitutionMember,
        [OrganisationTypes.Company] = Roles.CompanyMember,
        [OrganisationTypes.ServiceAgency] = Roles.InstitutionMember,
    };

    public static WebApplication MapOrganisationEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/identity/organisations").WithTags("Organisations");
        group.MapPost("/register", RegisterAsync).AllowAnonymous()
            .WithSummary("Register an institution, company or service agency with its first user; a platform admin verifies it.");
        group.MapGet("/", ListAsync).RequireAuthorization(Roles.PlatformAdmin)
            .WithSummary("Organisations, optionally only the unverified ones (platform admins).");
        group.MapPost("/{id:guid}/verify", VerifyAsync).RequireAuthorization(Roles.PlatformAdmin)
            .WithSummary("Mark an organisation as verified (platform admins).");
        return app;
    }

    private static async Task<Results<Created<RegisteredResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, NpgsqlDataSource dataSource, IPasswordHasher<UserAccount> hasher, CancellationToken ct)
    {
        var org = request.Organisation ?? new OrganisationInput(null, null, null, null, null);
        var user = request.User ?? new UserInput(null, null, null);
        var validation = ValidateOrganisation(org, "organisation")
            .Check(org.Type is null || firstRoles.ContainsKey(org.Type), "organisation.type",
                "Only institution, company or service-agency can register themselves; stations are created by platform admins.")
            .Require("user.email", user.Email, 320)
            .Check(user.Email is null || (user.Email.Contains('@') && !user.Email.Contains(' ')), "user.email", "Not an email address.")
            .Require("user.displayName", user.DisplayName, 200)
            .Require("user.password", user.Password, 512)
            .Check(user.Password is null || user.Password.Length >= 10, "user.password", "At least 10 characters.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var created = await CreateAsync(dataSource, hasher,
            new NewOrganisation(org.Name!.Trim(), org.Type!, org.Country!.ToUpperInvariant(), org.RegionCode, org.LegalPersonNature, Verified: false),
            new NewUser(user.Email!.Trim(), user.DisplayName!.Trim(), user.Password!, firstRoles[org.Type!]), ct);
        return created switch
        {
            { } ids => TypedResults.Created($"/api/identity/organisations/{ids.OrganisationId}", ids),
            null => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already registered.",
                detail: "An organisation with this name or a user with this email exists; sign in or choose another name."),
        };
    }

    private static async Task<Ok<IReadOnlyList<OrganisationView>>> ListAsync(bool? unverified, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<OrganisationView>(new CommandDefinition(
            """
            SELECT id AS Id, name AS Name, type AS Type, country AS Country, region_code AS RegionCode,
                   legal_person_nature AS LegalPersonNature, verified_at AS VerifiedAt, created_at AS CreatedAt
            FROM organisations WHERE (@unverified IS NOT TRUE OR verified_at IS NULL) ORDER BY created_at
            """, new { unverified }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<OrganisationView>>(rows.AsList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> VerifyAsync(
        Guid id, ClaimsPrincipal admin, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var verifiedAt = await connection.QuerySingleOrDefaultAsync<(Guid Id, DateTimeOffset? VerifiedAt)?>(new CommandDefinition(
            "SELECT id, verified_at FROM organisations WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: ct));
        if (verifiedAt is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such organisation.", detail: $"Organisation {id} does not exist.");
        }
        if (verifiedAt.Value.VerifiedAt is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already verified.");
        }
        var by = admin.UserId()!.Value;
        var now = DateTimeOffset.UtcNow;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE organisations SET verified_at = @now, verified_by = @by WHERE id = @id", new { id, now, by }, transaction, cancellationToken: ct));
        await Outbox.AddAsync(transaction, new OrganisationVerified(id, by, now), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    public static Validation ValidateOrganisation(OrganisationInput org, string prefix) => new Validation()
        .Require($"{prefix}.name", org.Name, 300)
        .Require($"{prefix}.type", org.Type, 40)
        .Check(org.Type is null || OrganisationTypes.All.Contains(org.Type), $"{prefix}.type",
            $"Unknown organisation type '{org.Type}'; use one of {string.Join(", ", OrganisationTypes.All)}.")
        .Require($"{prefix}.country", org.Country, 2)
        .Check(org.Country is null || IsCountry(org.Country), $"{prefix}.country", $"'{org.Country}' is not an ISO 3166-1 alpha-2 country code.")
        .Optional($"{prefix}.regionCode", org.RegionCode, 12)
        .Check(org.RegionCode is null || org.RegionCode.All(char.IsAsciiDigit), $"{prefix}.regionCode", "Region codes are digits (e.g. 530100).")
        .Optional($"{prefix}.legalPersonNature", org.LegalPersonNature, 3)
        .Check(org.LegalPersonNature is null || org.LegalPersonNature.All(char.IsAsciiDigit), $"{prefix}.legalPersonNature",
            "Legal-person nature is a numeric code (e.g. 022 for a university).");

    public static bool IsCountry(string code)
    {
        if (code.Length != 2 || !code.All(char.IsAsciiLetter))
        {
            return false;
        }
        try
        {
            return new RegionInfo(code.ToUpperInvariant()).TwoLetterISORegionName.Equals(code, StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public sealed record NewOrganisation(string Name, string Type, string Country, string? RegionCode, string? LegalPersonNature, bool Verified);

    public sealed record NewUser(string Email, string DisplayName, string Password, string Role);

    /// <summary>Creates the organisation, its user and membership, and the OrganisationRegistered event in one transaction; null on a duplicate.</summary>
    public static async Task<RegisteredResponse?> CreateAsync(NpgsqlDataSource dataSource, IPasswordHasher<UserAccount> hasher,
        NewOrganisation org, NewUser user, CancellationToken ct)
    {
        var orgId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO organisations (id, name, type, country, region_code, legal_person_nature, verified_at, created_at)
            VALUES (@orgId, @Name, @Type, @Country, @RegionCode, @LegalPersonNature, CASE WHEN @Verified THEN @now END, @now)
            ON CONFLICT DO NOTHING
            """, new { orgId, org.Name, org.Type, org.Country, org.RegionCode, org.LegalPersonNature, org.Verified, now }, transaction, cancellationToken: ct));
        inserted += await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, email, display_name, password_hash) VALUES (@userId, @Email, @DisplayName, @hash)
            ON CONFLICT DO NOTHING
            """, new { userId, user.Email, user.DisplayName, hash = hasher.HashPassword(new UserAccount(userId, user.Email, user.DisplayName, "", 0, null), user.Password) },
            transaction, cancellationToken: ct));
        if (inserted != 2)
        {
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO memberships (user_id, organisation_id, role) VALUES (@userId, @orgId, @Role)",
            new { userId, orgId, user.Role }, transaction, cancellationToken: ct));
        await Outbox.AddAsync(transaction, new OrganisationRegistered(orgId, org.Name, org.Type, org.Country, org.RegionCode, org.LegalPersonNature, now), ct);
        if (org.Verified)
        {
            await Outbox.AddAsync(transaction, new OrganisationVerified(orgId, Guid.Empty, now), ct);
        }
        await transaction.CommitAsync(ct);
        return new RegisteredResponse(orgId, userId);
    }
}
