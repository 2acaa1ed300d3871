using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;
using TransferHub.Messaging;
using TransferHub.Registration.Contracts;
using TransferHub.Registration.Domain;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api.Submissions;

/// <summary>The registrant's side: draft, edit, submit (and re-submit after a supplement request), follow.</summary>
public static class SubmissionEndpoints
{
    public const string Base = "/api/registrations/submissions";

    public static WebApplication MapSubmissionEndpoints(this WebApplication app)
    {
        var group = app.MapGroup(Base).WithTags("Submissions");
        group.MapPost("/", CreateAsync).RequireAuthorization(RegistrationPolicies.Registrant)
            .WithSummary("Draft a contract for registration, as the organisation that registers it (the provider, or the domestic recipient of an import).");
        group.MapGet("/", MineAsync).RequireAuthorization(RegistrationPolicies.Registrant)
            .WithSummary("The caller's organisation's submissions, newest first.");
        group.MapGet("/{id:guid}", GetAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("A submission: for its registrant organisation, the officers of its station, and platform admins.");
        group.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(RegistrationPolicies.Registrant)
            .WithSummary("Replace a draft's content (or supplement it when the station asked). Requires If-Match.");
        group.MapPost("/{id:guid}/submit", SubmitAsync).RequireAuthorization(RegistrationPolicies.Registrant)
            .WithSummary("Submit (or re-submit after a supplement request): the competent station is found from the registrant's locality.");
        var changes = app.MapGroup("/api/registrations/certificates/{number}").WithTags("Submissions").RequireAuthorization(RegistrationPolicies.Registrant);
        changes.MapPost("/amendments", AmendAsync)
            .WithSummary("Draft an amendment of a registered contract (registered against its number as -A1, -A2 …), by its registrant.");
        changes.MapPost("/termination", TerminateAsync)
            .WithSummary("Draft the termination of a registered contract (registered as -T; the certificate is then revoked), by its registrant.");
        group.MapGet("/{id:guid}/history", HistoryAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("Every state change of the submission, from the tamper-evident audit chain.");
        return app;
    }

    private static async Task<Results<Created<SubmissionView>, ValidationProblem, ProblemHttpResult>> CreateAsync(SubmissionInput input,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, IOptions<RegistrationOptions> options, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (content, errors) = SubmissionValidation.Validate(input, CategoryCatalog.Default, new AmountRule(options.Value.CarrierSetsAllowed),
            RegistrationOptions.LocalDate(now));
        if (content is null)
        {
            return errors.ToProblem();
        }
        if (Organisations.FromToken(user) is not { } organisation || user.UserId() is not { } userId)
        {
            return HttpConventions.Forbidden("No organisation.", "Only members of an organisation submit contracts; sign in again to refresh your token.");
        }
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Organisations.RememberAsync(transaction, organisation, ct);
        await SubmissionStore.InsertAsync(transaction, id, organisation.Id, userId, content, now, ct);
        await AuditChain.AppendAsync(transaction, id, "drafted", userId, now, new { organisation = organisation.Id, content.Title }, ct);
        await transaction.CommitAsync(ct);
        var row = (await SubmissionStore.LoadAsync(connection, id, null, ct))!;
        HttpConventions.SetETag(http, row.Version);
        return TypedResults.Created($"{Base}/{id}", SubmissionStore.ToView(row, options.Value, RegistrationOptions.LocalDate(now)));
    }

    private static async Task<Results<Ok<PageOf<SubmissionView>>, ValidationProblem>> MineAsync(ClaimsPrincipal user, NpgsqlDataSource dataSource,
        IOptions<RegistrationOptions> options, TimeProvider clock, CancellationToken ct, string? status = null, int page = 1, int pageSize = 20)
    {
        var v = Paging.Validate(page, pageSize).Check(status is null || SubmissionStatus.All.Contains(status), "status",
            $"One of {string.Join(", ", SubmissionStatus.All)}.");
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await SubmissionStore.ListAsync(connection, user.OrganisationId() ?? Guid.Empty, status, page, pageSize, ct);
        var today = RegistrationOptions.LocalDate(clock.GetUtcNow());
        return TypedResults.Ok(new PageOf<SubmissionView>(rows.Items.Select(r => SubmissionStore.ToView(r, options.Value, today)).ToList(),
            rows.Total, page, pageSize));
    }

    private static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, NpgsqlDataSource dataSource,
        IOptions<RegistrationOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await SubmissionStore.LoadAsync(connection, id, null, ct);
        if (row is null || !await MaySeeAsync(connection, row, user, ct))
        {
            return HttpConventions.NotFound("submission", id);
        }
        HttpConventions.SetETag(http, row.Version);
        return TypedResults.Ok(SubmissionStore.ToView(row, options.Value, RegistrationOptions.LocalDate(clock.GetUtcNow())));
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(Guid id, SubmissionInput input,
        [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user, NpgsqlDataSource dataSource, IOptions<RegistrationOptions> options,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (ifMatch is null)
        {
            return HttpConventions.PreconditionRequired();
        }
        var now = clock.GetUtcNow();
        var (content, errors) = SubmissionValidation.Validate(input, CategoryCatalog.Default, new AmountRule(options.Value.CarrierSetsAllowed),
            RegistrationOptions.LocalDate(now));
        if (content is null)
        {
            return errors.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (row, problem) = await LoadEditableAsync(transaction, id, user, ifMatch, ct);
        if (row is null)
        {
            return problem!;
        }
        // a change of a registration stays with the station that registered the original
        await SubmissionStore.UpdateContentAsync(transaction, id, row.Kind == "contract" ? content : content with { StationCode = row.RequestedStation }, now, ct);
        await AuditChain.AppendAsync(transaction, id, "edited", user.UserId(), now, new { version = row.Version + 1 }, ct);
        await transaction.CommitAsync(ct);
        var updated = (await SubmissionStore.LoadAsync(connection, id, null, ct))!;
        HttpConventions.SetETag(http, updated.Version);
        return TypedResults.Ok(SubmissionStore.ToView(updated, options.Value, RegistrationOptions.LocalDate(now)));
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(Guid id,
        [FromHeader(Name = "If-Match")] string? ifMatch, ClaimsPrincipal user, NpgsqlDataSource dataSource, IOptions<RegistrationOptions> options,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = RegistrationOptions.LocalDate(now);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (row, problem) = await LoadEditableAsync(transaction, id, user, ifMatch, ct);
        if (row is null)
        {
            return problem!;
        }
        var (_, incomplete) = SubmissionValidation.Validate(SubmissionValidation.ToInput(row.Content), CategoryCatalog.Default,
            new AmountRule(options.Value.CarrierSetsAllowed), today, row.Content.Documents);
        if (!incomplete.IsValid)
        {
            return incomplete.ToProblem(); // e.g. a draft prefilled from a deal still lacks its contract texts: complete it with PUT
        }
        if (Organisations.FromToken(user) is not { } registrant)
        {
            return HttpConventions.Forbidden("No organisation.", "Sign in again: your token does not describe your organisation.");
        }
        await Organisations.RememberAsync(transaction, registrant, ct);
        var content = row.Content;
        var (sub, _) = CategoryCatalog.Default.Resolve(content.Category, content.SubCategory);
        var stations = await Stations.AllAsync(connection, transaction, ct);
        string competent;
        if (row.Kind != "contract")
        {
            competent = row.RequestedStation!; // a change goes to the station that registered the original
        }
        else
        {
            var jurisdiction = JurisdictionRule.Decide(sub!, SubmissionValidation.JurisdictionParties(content, registrant, sub!),
                stations.Select(Stations.ToDomain).ToList());
            if (jurisdiction.Competent is null)
            {
                return new Validation().Add("jurisdiction", jurisdiction.Problem!).ToProblem();
            }
            competent = jurisdiction.Competent.Code;
        }
        var target = row.Status == SubmissionStatus.SupplementRequested ? row.StationCode! : content.StationCode ?? competent;
        if (stations.All(s => s.Code != target))
        {
            return new Validation().Add("stationCode", $"No station {target}; see /api/registrations/stations.").ToProblem();
        }
        var events = row.ClockEvents;
        events.Add(new ClockEvent(row.Status == SubmissionStatus.Draft ? ClockEventKind.Completed : ClockEventKind.Resubmitted, today));
        var state = DeadlineClock.Evaluate(options.Value.Policy, options.Value.Calendar, events);
        await SubmissionStore.ChangeAsync(transaction, id, SubmissionStatus.Submitted, now, ct, stationCode: target, competentStation: competent,
            clock: events, state: state, setSubmittedAt: true);
        await AuditChain.AppendAsync(transaction, id, row.Status == SubmissionStatus.Draft ? "submitted" : "resubmitted", user.UserId(), now,
            new { station = target, competentStation = competent, dueOn = state.Due }, ct);
        await Outbox.AddAsync(transaction, new ContractSubmitted(id, row.Version + 1, target, content.Category, content.SubCategory,
            row.RegistrantOrgId, content.TechnologyId, content.ContractAmount, content.Currency, state.Due!.Value, now), ct);
        await transaction.CommitAsync(ct);
        var updated = (await SubmissionStore.LoadAsync(connection, id, null, ct))!;
        HttpConventions.SetETag(http, updated.Version);
        return TypedResults.Ok(SubmissionStore.ToView(updated, options.Value, today));
    }

    private static async Task<Results<Created<SubmissionView>, ValidationProblem, ProblemHttpResult>> AmendAsync(string number, AmendmentInput input,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, IOptions<RegistrationOptions> options, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var v = new Validation().Require("reason", input.Reason, 2000).Check(input.Amended is not null, "amended", "The contract as amended.");
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        var (content, errors) = SubmissionValidation.Validate(input.Amended!, CategoryCatalog.Default, new AmountRule(options.Value.CarrierSetsAllowed),
            RegistrationOptions.LocalDate(now));
        if (content is null)
        {
            return errors.ToProblem();
        }
        return await DraftChangeAsync(number, "amendment", input.Reason!.Trim(), _ => content, user, dataSource, options.Value, now, http, ct);
    }

    private static async Task<Results<Created<SubmissionView>, ValidationProblem, ProblemHttpResult>> TerminateAsync(string number, TerminationInput input,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, IOptions<RegistrationOptions> options, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var v = new Validation().Require("reason", input.Reason, 2000)
            .Check(input.TerminatedOn is not null && input.TerminatedOn <= RegistrationOptions.LocalDate(now).AddDays(1), "terminatedOn",
                "The date the contract ended (not in the future).");
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        var reason = $"{input.Reason!.Trim()} (terminated on {input.TerminatedOn:yyyy-MM-dd})";
        return await DraftChangeAsync(number, "termination", reason, original => original, user, dataSource, options.Value, now, http, ct);
    }

    /// <summary>A change of a registration in force, by its registrant, to the station that registered it; one open change at a time.</summary>
    private static async Task<Results<Created<SubmissionView>, ValidationProblem, ProblemHttpResult>> DraftChangeAsync(string number, string kind,
        string reason, Func<SubmissionContent, SubmissionContent> content, ClaimsPrincipal user, NpgsqlDataSource dataSource, RegistrationOptions options,
        DateTimeOffset now, HttpContext http, CancellationToken ct)
    {
        if (Organisations.FromToken(user) is not { } organisation || user.UserId() is not { } userId || number.Length > 40)
        {
            return HttpConventions.NotFound("registration", number);
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var original = await connection.QuerySingleOrDefaultAsync<(Guid Id, string Status, string Station)?>(new CommandDefinition(
            """
            SELECT s.id, c.status, c.station_code FROM certificates c JOIN submissions s ON s.id = c.submission_id
            WHERE c.registration_number = @number AND s.registrant_org_id = @registrant AND s.kind = 'contract'
            FOR UPDATE OF c
            """, new { number, registrant = organisation.Id }, transaction, cancellationToken: ct));
        if (original is not { } o)
        {
            return HttpConventions.NotFound("registration", number);
        }
        if (o.Status != "valid")
        {
            return HttpConventions.Conflict("The registration is no longer in force.", $"Registration {number} is {o.Status}.");
        }
        var open = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM submissions WHERE amends_number = @number AND status IN ('draft', 'submitted', 'supplement-requested'))",
            new { number }, transaction, cancellationToken: ct));
        if (open)
        {
            return HttpConventions.Conflict("A change of this registration is already open.", "Finish or wait for the open amendment or termination first.");
        }
        var originalRow = (await SubmissionStore.LoadAsync(connection, o.Id, transaction, ct))!;
        var changed = content(originalRow.Content) with { StationCode = o.Station };
        var id = Guid.NewGuid();
        await SubmissionStore.InsertAsync(transaction, id, organisation.Id, userId, changed, now, ct, kind, number, reason);
        await AuditChain.AppendAsync(transaction, id, $"{kind}-drafted", userId, now, new { amends = number, reason }, ct);
        await transaction.CommitAsync(ct);
        var row = (await SubmissionStore.LoadAsync(connection, id, null, ct))!;
        HttpConventions.SetETag(http, row.Version);
        return TypedResults.Created($"{Base}/{id}", SubmissionStore.ToView(row, options, RegistrationOptions.LocalDate(now)));
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult>> HistoryAsync(Guid id, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await SubmissionStore.LoadAsync(connection, id, null, ct);
        if (row is null || !await MaySeeAsync(connection, row, user, ct))
        {
            return HttpConventions.NotFound("submission", id);
        }
        return TypedResults.Ok(await AuditChain.HistoryAsync(connection, id, ct));
    }

    /// <summary>
    /// The case locked for a change by its registrant: 404 for anyone else, 412 on a stale If-Match (when sent), 409 once
    /// it is with the station or decided (drafts and cases sent back for supplements change).
    /// </summary>
    internal static async Task<(SubmissionRow? Row, ProblemHttpResult? Problem)> LoadEditableAsync(NpgsqlTransaction transaction, Guid id,
        ClaimsPrincipal user, string? ifMatch, CancellationToken ct)
    {
        var row = await SubmissionStore.LoadAsync(transaction.Connection!, id, transaction, ct, forUpdate: true);
        if (row is null || row.RegistrantOrgId != user.OrganisationId())
        {
            return (null, HttpConventions.NotFound("submission", id));
        }
        if (HttpConventions.Stale(ifMatch, row.Version, "submission") is { } stale)
        {
            return (null, stale);
        }
        return SubmissionStatus.Editable(row.Status)
            ? (row, null)
            : (null, HttpConventions.Conflict("The submission is with the station or decided.",
                $"It is {row.Status}; only drafts, and submissions the station asked to supplement, change."));
    }

    /// <summary>The registrant organisation, the officers of the station it was submitted to, and platform admins.</summary>
    public static async Task<bool> MaySeeAsync(NpgsqlConnection connection, SubmissionRow row, ClaimsPrincipal user, CancellationToken ct) =>
        row.RegistrantOrgId == user.OrganisationId() || RegistrationPolicies.IsAdmin(user) ||
        (row.StationCode is not null && await Stations.OfOfficerAsync(connection, user, null, ct) == row.StationCode);
}
