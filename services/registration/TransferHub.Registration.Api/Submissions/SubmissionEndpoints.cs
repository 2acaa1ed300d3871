using System.Security.Claims;
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
        var row = await SubmissionStore.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (row is null || row.RegistrantOrgId != user.OrganisationId())
        {
            return HttpConventions.NotFound("submission", id);
        }
        if (HttpConventions.Stale(ifMatch, row.Version, "submission") is { } stale)
        {
            return stale;
        }
        if (!SubmissionStatus.Editable(row.Status))
        {
            return HttpConventions.Conflict("The submission can no longer be edited.",
                $"It is {row.Status}; only drafts, and submissions the station asked to supplement, are edited.");
        }
        await SubmissionStore.UpdateContentAsync(transaction, id, content, now, ct);
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
        var row = await SubmissionStore.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (row is null || row.RegistrantOrgId != user.OrganisationId())
        {
            return HttpConventions.NotFound("submission", id);
        }
        if (HttpConventions.Stale(ifMatch, row.Version, "submission") is { } stale)
        {
            return stale;
        }
        if (!SubmissionStatus.Editable(row.Status))
        {
            return HttpConventions.Conflict("Already submitted.", $"The submission is {row.Status}.");
        }
        if (Organisations.FromToken(user) is not { } registrant)
        {
            return HttpConventions.Forbidden("No organisation.", "Sign in again: your token does not describe your organisation.");
        }
        await Organisations.RememberAsync(transaction, registrant, ct);
        var content = row.Content;
        var (sub, _) = CategoryCatalog.Default.Resolve(content.Category, content.SubCategory);
        var stations = await Stations.AllAsync(connection, transaction, ct);
        var jurisdiction = JurisdictionRule.Decide(sub!, SubmissionValidation.JurisdictionParties(content, registrant, sub!),
            stations.Select(Stations.ToDomain).ToList());
        if (jurisdiction.Competent is not { } competent)
        {
            return new Validation().Add("jurisdiction", jurisdiction.Problem!).ToProblem();
        }
        var target = row.Status == SubmissionStatus.SupplementRequested ? row.StationCode! : content.StationCode ?? competent.Code;
        if (stations.All(s => s.Code != target))
        {
            return new Validation().Add("stationCode", $"No station {target}; see /api/registrations/stations.").ToProblem();
        }
        var events = row.ClockEvents;
        events.Add(new ClockEvent(row.Status == SubmissionStatus.Draft ? ClockEventKind.Completed : ClockEventKind.Resubmitted, today));
        var state = DeadlineClock.Evaluate(options.Value.Policy, options.Value.Calendar, events);
        await SubmissionStore.ChangeAsync(transaction, id, SubmissionStatus.Submitted, now, ct, stationCode: target, competentStation: competent.Code,
            clock: events, state: state, setSubmittedAt: true);
        await AuditChain.AppendAsync(transaction, id, row.Status == SubmissionStatus.Draft ? "submitted" : "resubmitted", user.UserId(), now,
            new { station = target, competentStation = competent.Code, dueOn = state.Due }, ct);
        await Outbox.AddAsync(transaction, new ContractSubmitted(id, row.Version + 1, target, content.Category, content.SubCategory,
            row.RegistrantOrgId, content.TechnologyId, content.ContractAmount, content.Currency, state.Due!.Value, now), ct);
        await transaction.CommitAsync(ct);
        var updated = (await SubmissionStore.LoadAsync(connection, id, null, ct))!;
        HttpConventions.SetETag(http, updated.Version);
        return TypedResults.Ok(SubmissionStore.ToView(updated, options.Value, today));
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

    /// <summary>The registrant organisation, the officers of the station it was submitted to, and platform admins.</summary>
    public static async Task<bool> MaySeeAsync(NpgsqlConnection connection, SubmissionRow row, ClaimsPrincipal user, CancellationToken ct) =>
        row.RegistrantOrgId == user.OrganisationId() || RegistrationPolicies.IsAdmin(user) ||
        (row.StationCode is not null && await Stations.OfOfficerAsync(connection, user, null, ct) == row.StationCode);
}
