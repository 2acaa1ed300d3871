using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Needs;

public sealed record ProposalInput(string? Title, string? Summary, string? Language, string? Approach, decimal? Price, string? Currency,
    Guid? TechnologyId);

/// <summary>A proposal answering an open call. <see cref="Approach"/> is shown to the need's company and the proposer only.</summary>
public sealed record ProposalView(Guid Id, Guid NeedId, Guid OrganisationId, string Status, int Version, string Title, string Summary,
    string Language, string? Approach, decimal? Price, string? Currency, Guid? TechnologyId, string? DecisionNote,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ProposalDecision(string? Note);

/// <summary>Open calls (双向揭榜): organisations answer a published open call with proposals; the company shortlists and selects.</summary>
public static class ProposalEndpoints
{
    private const string Columns = """
        p.id AS Id, p.need_id AS NeedId, p.organisation_id AS OrganisationId, p.status AS Status, p.version AS Version, p.title AS Title,
        p.summary AS Summary, p.language AS Language, p.approach AS Approach, p.price AS Price, p.currency AS Currency,
        p.technology_id AS TechnologyId, p.decision_note AS DecisionNote, p.created_at AS CreatedAt, p.updated_at AS UpdatedAt
        """;

    private sealed record Decision(string Name, string To, string[] From, bool ByNeedOwner, string Summary);

    private static readonly Decision[] decisions =
    [
        new("shortlist", "shortlisted", ["submitted"], true, "Shortlist a proposal (the need's company)."),
        new("select", "selected", ["submitted", "shortlisted"], true,
            "Select a proposal (the need's company): the need goes under negotiation."),
        new("reject", "rejected", ["submitted", "shortlisted"], true, "Reject a proposal (the need's company)."),
        new("withdraw", "withdrawn", ["submitted", "shortlisted"], false, "Withdraw a proposal (the proposing organisation)."),
    ];

    public static WebApplication MapProposalEndpoints(this WebApplication app)
    {
        var needs = app.MapGroup("/api/listings/needs").WithTags("Open calls");
        needs.MapPost("/{id:guid}/proposals", SubmitAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("Answer a published open call before it closes (another organisation than the need's). Honours Idempotency-Key.");
        needs.MapGet("/{id:guid}/proposals", ListAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The need's company sees every proposal; others see their own organisation's.");
        var proposals = app.MapGroup("/api/listings/proposals").WithTags("Open calls");
        proposals.MapGet("/mine", MineAsync).RequireAuthorization(ListingPolicies.Publisher)
            .WithSummary("The proposals of the caller's organisation, newest first.");
        foreach (var decision in decisions)
        {
            proposals.MapPost($"/{{id:guid}}/{decision.Name}", (Guid id, ProposalDecision? body, ClaimsPrincipal user,
                    NpgsqlDataSource dataSource, CancellationToken ct) => DecideAsync(decision, id, body?.Note, user, dataSource, ct))
                .RequireAuthorization(ListingPolicies.Publisher)
                .WithSummary(decision.Summary + " Body (optional): {\"note\": \"…\"}.");
        }
        return app;
    }

    private static async Task<Results<Created<ProposalView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        Guid id, ProposalInput input, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var validation = new Validation()
            .Require("title", input.Title, 300)
            .Require("summary", input.Summary, 10_000)
            .Require("language", input.Language, 3)
            .Check(input.Language is null || ContentLanguages.All.Contains(input.Language), "language", $"Unknown language '{input.Language}'.")
            .Optional("approach", input.Approach, 50_000)
            .Money("price", input.Price, input.Currency)
            .Check(IdempotencyKeys.IsValid(idempotencyKey), "Idempotency-Key", IdempotencyKeys.Rule)
            .Check(user.OrganisationId() is not null, "organisation", "The caller belongs to no organisation.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var actor = Actor.Of(user);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // FOR SHARE: the call cannot be withdrawn or closed between this check and the insert
        var need = await connection.QuerySingleOrDefaultAsync<(Guid OrganisationId, string Status, bool OpenCall, DateOnly? ClosesOn)>(
            new CommandDefinition("SELECT organisation_id, status, open_call, closes_on FROM needs WHERE id = @id FOR SHARE",
                new { id }, transaction, cancellationToken: ct));
        if (need == default || !NeedStore.Public.Contains(need.Status))
        {
            return HttpConventions.NotFound("need", id);
        }
        if (!need.OpenCall)
        {
            return HttpConventions.Conflict("The need is not an open call.", "Only an open call takes proposals; request a match with the company instead.");
        }
        if (need.Status != ListingStatus.Published || need.ClosesOn < ListingHttp.Today(clock))
        {
            return HttpConventions.Conflict("The open call is closed.", $"It closed on {need.ClosesOn:yyyy-MM-dd} or is no longer published ({need.Status}).");
        }
        if (need.OrganisationId == actor.OrganisationId)
        {
            return HttpConventions.Forbidden("Your own open call.", "A company cannot answer its own open call.");
        }
        if (input.TechnologyId is { } technologyId && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM technologies WHERE id = @technologyId AND organisation_id = @organisationId)",
                new { technologyId, organisationId = actor.OrganisationId }, transaction, cancellationToken: ct)))
        {
            return new Validation().Add("technologyId", "Not a technology of your organisation.").ToProblem();
        }
        var proposalId = Guid.CreateVersion7();
        var claim = await IdempotencyKeys.ClaimAsync(transaction, actor.UserId!.Value, idempotencyKey, input, proposalId, ct);
        if (claim.Conflict is { } conflict)
        {
            return conflict;
        }
        if (claim.Replay is { } earlier)
        {
            var replay = (await LoadAsync(connection, earlier, transaction, ct))!;
            return TypedResults.Created($"/api/listings/proposals/{earlier}", replay);
        }
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO proposals (id, need_id, organisation_id, created_by, status, version, title, summary, language, approach, price, currency, technology_id)
            VALUES (@proposalId, @id, @organisationId, @userId, 'submitted', 1, @title, @summary, @Language, @approach, @Price, @Currency, @TechnologyId)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                proposalId, id, organisationId = actor.OrganisationId, userId = actor.UserId, title = input.Title!.Trim(),
                summary = input.Summary!.Trim(), input.Language, approach = input.Approach, input.Price, input.Currency, input.TechnologyId,
            }, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            return HttpConventions.Conflict("Your organisation already answered this call.",
                "Withdraw the earlier proposal first (POST /api/listings/proposals/{id}/withdraw), then submit a new one.");
        }
        var proposal = (await LoadAsync(connection, proposalId, transaction, ct))!;
        await Outbox.AddAsync(transaction, new ProposalSubmitted(proposalId, id, need.OrganisationId, proposal.OrganisationId, proposal.Title,
            proposal.CreatedAt), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/listings/proposals/{proposalId}", proposal);
    }

    private static async Task<Results<Ok<IReadOnlyList<ProposalView>>, ProblemHttpResult>> ListAsync(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var need = await NeedStore.Instance.LoadAsync(connection, id, null, ct);
        if (need is null || !Lifecycle.CanSee(NeedStore.Instance, need, user))
        {
            return HttpConventions.NotFound("need", id);
        }
        var all = ListingHttp.IsOwner(need.OrganisationId, user);
        var items = await connection.QueryAsync<ProposalView>(new CommandDefinition(
            $"SELECT {Columns} FROM proposals p WHERE p.need_id = @id AND (@all OR p.organisation_id = @organisationId) ORDER BY p.created_at, p.id",
            new { id, all, organisationId = user.OrganisationId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ProposalView>>(items.AsList());
    }

    private static async Task<Ok<IReadOnlyList<ProposalView>>> MineAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var items = await connection.QueryAsync<ProposalView>(new CommandDefinition(
            $"SELECT {Columns} FROM proposals p WHERE p.organisation_id = @organisationId ORDER BY p.created_at DESC, p.id LIMIT 500",
            new { organisationId = user.OrganisationId() }, cancellationToken: ct));
        return TypedResults.Ok<IReadOnlyList<ProposalView>>(items.AsList());
    }

    private static async Task<Results<Ok<ProposalView>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        Decision decision, Guid id, string? note, ClaimsPrincipal user, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var validation = new Validation().Optional("note", note, 4000);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // lock the need first, then the proposal: two selections of one call serialise here
        var needId = await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "SELECT need_id FROM proposals WHERE id = @id", new { id }, transaction, cancellationToken: ct));
        var need = needId is null ? null : await NeedStore.Instance.LoadAsync(connection, needId.Value, transaction, ct, forUpdate: true);
        var proposal = need is null ? null : await LoadAsync(connection, id, transaction, ct, forUpdate: true);
        var isNeedOwner = need is not null && ListingHttp.IsOwner(need.OrganisationId, user);
        if (need is null || proposal is null || (!isNeedOwner && !ListingHttp.IsOwner(proposal.OrganisationId, user)))
        {
            return HttpConventions.NotFound("proposal", id);
        }
        if (decision.ByNeedOwner != isNeedOwner)
        {
            return HttpConventions.Forbidden(decision.ByNeedOwner ? "Only the need's company decides." : "Only the proposer withdraws.",
                $"'{decision.Name}' is for {(decision.ByNeedOwner ? "the company that published the open call" : "the organisation that proposed")}.");
        }
        if (!decision.From.Contains(proposal.Status))
        {
            return HttpConventions.Conflict($"The proposal is {proposal.Status}.", $"'{decision.Name}' applies to a proposal that is {string.Join(" or ", decision.From)}.");
        }
        if (decision.Name == "select" && need.Status != ListingStatus.Published)
        {
            return HttpConventions.Conflict($"The need is {need.Status}.", "A proposal is selected while the need is published (not yet in negotiation).");
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE proposals SET status = @to, version = version + 1, updated_at = now(), decision_note = coalesce(@note, decision_note)
            WHERE id = @id
            """, new { id, to = decision.To, note = note?.Trim() }, transaction, cancellationToken: ct));
        if (decision.Name == "select")
        {
            await NeedStore.Instance.ChangeStatusAsync(transaction, need, ListingStatus.UnderNegotiation, "select-proposal", Actor.Of(user),
                $"proposal {id} selected", ct);
        }
        var changed = (await LoadAsync(connection, id, transaction, ct))!;
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(changed);
    }

    private static Task<ProposalView?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken ct,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<ProposalView>(new CommandDefinition(
            $"SELECT {Columns} FROM proposals p WHERE p.id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, transaction, cancellationToken: ct));
}
