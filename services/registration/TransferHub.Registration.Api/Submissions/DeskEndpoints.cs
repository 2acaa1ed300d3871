using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using TransferHub.Messaging;
using TransferHub.Registration.Contracts;
using TransferHub.Registration.Domain;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api.Submissions;

/// <summary>One case at the officer's desk, locked for the length of the action's transaction.</summary>
internal sealed record DeskCase(NpgsqlTransaction Transaction, SubmissionRow Row, string Station, Guid Officer, DateTimeOffset Now, DateOnly Today,
    RegistrationOptions Options);

/// <summary>
/// The station officer's side: the queue with its clocks, claim, supplements, expert review, register or refuse. Only
/// officers of the station a submission went to see or touch it; a decided case is closed (409), and every decision
/// locks the case row, so two officers (or one double click) cannot decide it twice.
/// </summary>
public static class DeskEndpoints
{
    public static WebApplication MapDeskEndpoints(this WebApplication app)
    {
        app.MapGet("/api/registrations/queue", QueueAsync).RequireAuthorization(Roles.StationOfficer).WithTags("Station desk")
            .WithSummary("Open cases at the caller's station, soonest due first, with clock phase and overdue flags.");
        var group = app.MapGroup(SubmissionEndpoints.Base + "/{id:guid}").WithTags("Station desk").RequireAuthorization(Roles.StationOfficer);
        group.MapPost("/claim", (Guid id, ClaimsPrincipal user, NpgsqlDataSource ds, IOptions<RegistrationOptions> o, TimeProvider clock, CancellationToken ct) =>
                OnCaseAsync(id, user, ds, o.Value, clock, ct, desk => ClaimAsync(desk, ct)))
            .WithSummary("Take the case (the claim is released when it is decided or sent back for supplements).");
        group.MapPost("/request-supplement", (Guid id, SupplementRequest request, ClaimsPrincipal user, NpgsqlDataSource ds, IOptions<RegistrationOptions> o,
                TimeProvider clock, CancellationToken ct) => OnCaseAsync(id, user, ds, o.Value, clock, ct, desk => RequestSupplementAsync(desk, request, ct)))
            .WithSummary("Ask the registrant for supplements, with reasons: the decision clock stops until a complete re-submission.");
        group.MapPost("/expert-review", (Guid id, ExpertReviewStart request, ClaimsPrincipal user, NpgsqlDataSource ds, IOptions<RegistrationOptions> o,
                TimeProvider clock, CancellationToken ct) => OnCaseAsync(id, user, ds, o.Value, clock, ct, desk => StartReviewAsync(desk, request, ct)))
            .WithSummary("Send the case to expert review (above the amount threshold, or disputed): the decision clock pauses, the review's runs.");
        group.MapPost("/expert-review/complete", (Guid id, ExpertReviewEnd request, ClaimsPrincipal user, NpgsqlDataSource ds,
                IOptions<RegistrationOptions> o, TimeProvider clock, CancellationToken ct) =>
                OnCaseAsync(id, user, ds, o.Value, clock, ct, desk => EndReviewAsync(desk, request, ct)))
            .WithSummary("Record the experts' opinion: the decision clock resumes with the days it had left.");
        group.MapPost("/register", (Guid id, RegisterDecision decision, ClaimsPrincipal user, NpgsqlDataSource ds, IOptions<RegistrationOptions> o,
                StationKeys keys, TimeProvider clock, CancellationToken ct) => OnCaseAsync(id, user, ds, o.Value, clock, ct, desk => RegisterAsync(desk, decision, keys, ct)))
            .WithSummary("Register: decide category and technology transaction amount; gives the next gap-free number and a signed certificate.");
        group.MapPost("/refuse", (Guid id, RefuseDecision decision, ClaimsPrincipal user, NpgsqlDataSource ds, IOptions<RegistrationOptions> o,
                TimeProvider clock, CancellationToken ct) => OnCaseAsync(id, user, ds, o.Value, clock, ct, desk => RefuseAsync(desk, decision, ct)))
            .WithSummary("Refuse with coded reasons (reference data); wrong-jurisdiction names the competent station.");
        return app;
    }

    private static async Task<Results<Ok<PageOf<QueueItem>>, ValidationProblem, ProblemHttpResult>> QueueAsync(ClaimsPrincipal user,
        NpgsqlDataSource dataSource, IOptions<RegistrationOptions> options, TimeProvider clock, CancellationToken ct, bool? overdue = null,
        int page = 1, int pageSize = 50)
    {
        var v = Paging.Validate(page, pageSize);
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await Stations.OfOfficerAsync(connection, user, null, ct) is not { } station)
        {
            return NoStation();
        }
        var today = RegistrationOptions.LocalDate(clock.GetUtcNow());
        var args = new { station, today, overdue, offset = (page - 1) * pageSize, pageSize };
        const string Where = """
            s.station_code = @station AND s.status IN ('submitted', 'supplement-requested')
              AND (@overdue::boolean IS NULL OR @overdue = (s.status = 'submitted' AND (s.due_on < @today OR s.expert_review_due_on < @today)))
            """;
        var rows = await connection.QueryAsync<SubmissionRow>(new CommandDefinition(
            $"""
             SELECT s.id AS Id, s.version AS Version, s.status AS Status, s.registrant_org_id AS RegistrantOrgId, s.title AS Title,
                    s.category AS Category, s.sub_category AS SubCategory, s.contract_amount AS ContractAmount, s.currency AS Currency,
                    s.costs::text AS Costs, s.clock::text AS Clock, s.due_on AS DueOn, s.expert_review_due_on AS ExpertReviewDueOn,
                    s.station_code AS StationCode, s.competent_station AS CompetentStation, s.claimed_by AS ClaimedBy,
                    s.submitted_at AS SubmittedAt, o.name AS RegistrantName
             FROM submissions s LEFT JOIN organisations o ON o.id = s.registrant_org_id
             WHERE {Where}
             ORDER BY s.status, COALESCE(s.expert_review_due_on, s.due_on) NULLS LAST, s.submitted_at, s.id
             OFFSET @offset LIMIT @pageSize
             """, args, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM submissions s WHERE {Where}", args, cancellationToken: ct));
        var items = rows.Select(r =>
        {
            var phase = r.ClockEvents.Count == 0 ? "not-started" : DeadlineClock.Evaluate(options.Value.Policy, options.Value.Calendar, r.ClockEvents).Phase;
            var late = r.Status == SubmissionStatus.Submitted && new ClockState(phase, r.DueOn, r.ExpertReviewDueOn, null).IsOverdue(today);
            return new QueueItem(r.Id, r.Title, r.Status, r.Category, r.SubCategory, r.RegistrantOrgId, r.RegistrantName, r.ContractAmount, r.Currency,
                SubmissionStore.Utc(r.SubmittedAt), r.DueOn, r.ExpertReviewDueOn, late, phase, SubmissionStore.ExpertReviewRequired(r, options.Value),
                r.CompetentStation is not null && r.CompetentStation != r.StationCode, r.CompetentStation, r.ClaimedBy);
        }).ToList();
        return TypedResults.Ok(new PageOf<QueueItem>(items, total, page, pageSize));
    }

    /// <summary>
    /// Locks the case, checks that the caller is an officer of its station and that it is open and not someone else's,
    /// runs the action; the action's problem (if any) rolls everything back, otherwise it commits and answers the case.
    /// </summary>
    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>> OnCaseAsync(Guid id, ClaimsPrincipal user,
        NpgsqlDataSource dataSource, RegistrationOptions options, TimeProvider clock, CancellationToken ct,
        Func<DeskCase, Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?>> action)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await Stations.OfOfficerAsync(connection, user, transaction, ct) is not { } station || user.UserId() is not { } officer)
        {
            return NoStation();
        }
        var row = await SubmissionStore.LoadAsync(connection, id, transaction, ct, forUpdate: true);
        if (row is null || row.StationCode != station)
        {
            return HttpConventions.NotFound("submission", id);
        }
        if (SubmissionStatus.Closed(row.Status))
        {
            return HttpConventions.Conflict("The case is closed.",
                row.Status == SubmissionStatus.Registered ? $"It was registered as {row.RegistrationNumber}." : "It was refused.",
                new Dictionary<string, object?> { ["status"] = row.Status, ["registrationNumber"] = row.RegistrationNumber });
        }
        if (row.Status != SubmissionStatus.Submitted)
        {
            return HttpConventions.Conflict("The case is not at the station.", $"It is {row.Status}; the registrant has to (re-)submit it first.");
        }
        if (row.ClaimedBy is { } claimant && claimant != officer)
        {
            return HttpConventions.Conflict("Another officer has the case.", $"Officer {claimant} claimed it; they decide it.");
        }
        var now = clock.GetUtcNow();
        var problem = await action(new DeskCase(transaction, row, station, officer, now, RegistrationOptions.LocalDate(now), options));
        if (problem is not null)
        {
            return problem;
        }
        await transaction.CommitAsync(ct);
        var updated = (await SubmissionStore.LoadAsync(connection, id, null, ct))!;
        return TypedResults.Ok(SubmissionStore.ToView(updated, options, RegistrationOptions.LocalDate(now)));
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?> ClaimAsync(DeskCase desk, CancellationToken ct)
    {
        await SubmissionStore.ChangeAsync(desk.Transaction, desk.Row.Id, SubmissionStatus.Submitted, desk.Now, ct, claimedBy: desk.Officer);
        await AuditChain.AppendAsync(desk.Transaction, desk.Row.Id, "claimed", desk.Officer, desk.Now, new { station = desk.Station }, ct);
        return null;
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?> RequestSupplementAsync(DeskCase desk,
        SupplementRequest request, CancellationToken ct)
    {
        var reasons = request.Reasons ?? [];
        var v = new Validation().Check(reasons.Count is >= 1 and <= 20, "reasons", "Say what to supplement (1 to 20 reasons).");
        for (var i = 0; i < reasons.Count; i++)
        {
            v.Require($"reasons[{i}]", reasons[i], 1000);
        }
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        if (Apply(desk, ClockEventKind.SupplementRequested) is not { } clock)
        {
            return NotInPhase(desk, "ask for supplements");
        }
        await SubmissionStore.ChangeAsync(desk.Transaction, desk.Row.Id, SubmissionStatus.SupplementRequested, desk.Now, ct, clock: clock.Events,
            state: clock.State, supplementReasons: reasons.Select(r => r.Trim()).ToArray());
        await AuditChain.AppendAsync(desk.Transaction, desk.Row.Id, "supplement-requested", desk.Officer, desk.Now, new { reasons }, ct);
        return null;
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?> StartReviewAsync(DeskCase desk,
        ExpertReviewStart request, CancellationToken ct)
    {
        var chosen = request.ExpertIds ?? [];
        var v = new Validation().Optional("note", request.Note, 2000)
            .Check(chosen.Count <= 7, "expertIds", "At most 7 reviewers.")
            .Check(chosen.Distinct().Count() == chosen.Count, "expertIds", "Each expert once.");
        var candidates = await ExpertSelection.CandidatesAsync(desk.Transaction.Connection!, desk.Row, desk.Transaction, ct);
        for (var i = 0; i < chosen.Count; i++)
        {
            var candidate = candidates.FirstOrDefault(c => c.Id == chosen[i]);
            v.Check(candidate is not null, $"expertIds[{i}]", "No such expert in the directory.");
            if (candidate is not null)
            {
                v.Check(candidate.Conflict is null, $"expertIds[{i}]", $"{candidate.Name} has a conflict of interest: {candidate.Conflict}.")
                 .Check(candidate.Available, $"expertIds[{i}]", $"{candidate.Name} is not available.");
            }
        }
        if (chosen.Count == 0 && candidates.Any(c => c.Conflict is null && c.Available))
        {
            v.Add("expertIds", "Name the reviewers: eligible experts are listed at expert-candidates.");
        }
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        if (Apply(desk, ClockEventKind.ExpertReviewStarted) is not { } clock)
        {
            return NotInPhase(desk, "start an expert review");
        }
        await SubmissionStore.ChangeAsync(desk.Transaction, desk.Row.Id, SubmissionStatus.Submitted, desk.Now, ct, clock: clock.Events,
            state: clock.State, claimedBy: desk.Officer);
        await desk.Transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE submissions SET reviewers = @reviewers WHERE id = @id", new { id = desk.Row.Id, reviewers = chosen.ToArray() }, desk.Transaction,
            cancellationToken: ct));
        await AuditChain.AppendAsync(desk.Transaction, desk.Row.Id, "expert-review-started", desk.Officer, desk.Now,
            new
            {
                request.Disputed, request.Note, expertReviewDueOn = clock.State.ExpertReviewDue,
                reviewers = chosen.Select(id => new { id, candidates.First(c => c.Id == id).Name }).ToList(),
            }, ct);
        return null;
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?> EndReviewAsync(DeskCase desk,
        ExpertReviewEnd request, CancellationToken ct)
    {
        var v = new Validation().Require("opinion", request.Opinion, 4000);
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        if (Apply(desk, ClockEventKind.ExpertReviewEnded) is not { } clock)
        {
            return NotInPhase(desk, "complete an expert review");
        }
        await SubmissionStore.ChangeAsync(desk.Transaction, desk.Row.Id, SubmissionStatus.Submitted, desk.Now, ct, clock: clock.Events,
            state: clock.State, claimedBy: desk.Officer);
        await AuditChain.AppendAsync(desk.Transaction, desk.Row.Id, "expert-review-completed", desk.Officer, desk.Now,
            new { request.Opinion, dueOn = clock.State.Due }, ct);
        return null;
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?> RegisterAsync(DeskCase desk, RegisterDecision decision,
        StationKeys keys, CancellationToken ct)
    {
        var row = desk.Row;
        if (row.CompetentStation is { } competent && competent != desk.Station)
        {
            return HttpConventions.Conflict("Outside this station's jurisdiction.",
                $"The competent station is {competent}; refuse the case with reason 'wrong-jurisdiction' so the registrant can submit it there.",
                new Dictionary<string, object?> { ["competentStation"] = competent });
        }
        var phase = DeadlineClock.Evaluate(desk.Options.Policy, desk.Options.Calendar, row.ClockEvents).Phase;
        if (phase == "expert-review")
        {
            return HttpConventions.Conflict("Expert review is running.", "Record the experts' opinion (expert-review/complete) before deciding.");
        }
        var v = new Validation().Optional("note", decision.Note, 2000);
        var category = decision.Category ?? row.Category;
        var (sub, categoryError) = CategoryCatalog.Default.Resolve(category, decision.Category is null ? decision.SubCategory ?? row.SubCategory : decision.SubCategory);
        if (categoryError is not null)
        {
            v.Add(CategoryCatalog.Default.Find(category) is null ? "category" : "subCategory", categoryError);
        }
        IReadOnlyList<Cost> costs = row.Content.Costs;
        if (decision.Costs is { } decidedCosts)
        {
            v.Check(decidedCosts.Count <= 50, "costs", "At most 50 cost lines.");
            for (var i = 0; i < decidedCosts.Count; i++)
            {
                v.Check(decidedCosts[i]?.Kind is not null && SubmissionValidation.CostKinds.ContainsKey(decidedCosts[i].Kind!), $"costs[{i}].kind",
                    $"One of {string.Join(", ", SubmissionValidation.CostKinds.Keys)}.").Require($"costs[{i}].description", decidedCosts[i]?.Description, 200);
            }
            if (v.IsValid)
            {
                costs = SubmissionValidation.Normalise(decidedCosts);
            }
        }
        ExchangeRate? rate = null;
        if (row.Currency != "CNY")
        {
            if (decision.ExchangeRate is not { Rate: > 0 and <= 1_000m } given)
            {
                v.Add("exchangeRate", $"The contract is in {row.Currency}: record the rate (1 {row.Currency} = rate CNY, above 0 and at most 1000) and its date.");
            }
            else if (given.Date is { } date && date > desk.Today)
            {
                v.Add("exchangeRate.date", "The rate's date cannot be in the future.");
            }
            else
            {
                rate = new ExchangeRate(row.Currency, "CNY", given.Rate, given.Date ?? desk.Today);
            }
        }
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        var (amounts, amountErrors) = new AmountRule(desk.Options.CarrierSetsAllowed).Decide(new Money(row.ContractAmount, row.Currency),
            SubmissionValidation.ToCostLines(costs));
        if (amounts is null)
        {
            foreach (var (field, message) in amountErrors)
            {
                v.Add(field, message);
            }
            return v.ToProblem();
        }
        var technologyCny = rate?.Convert(amounts.TechnologyTransactionAmount) ?? amounts.TechnologyTransactionAmount;
        var reviewed = row.ClockEvents.Any(e => e.Kind == ClockEventKind.ExpertReviewEnded);
        if (!reviewed && desk.Options.Policy.NeedsExpertReview(technologyCny, false))
        {
            return HttpConventions.Conflict("Expert review is required first.",
                $"The technology transaction amount ({technologyCny}) is above {desk.Options.Policy.ExpertReviewThreshold}: start an expert review.",
                new Dictionary<string, object?> { ["technologyTransactionAmountCny"] = technologyCny.Amount });
        }

        // everything that does not need the number first: the station's serial is locked from the moment it is taken
        var connection = desk.Transaction.Connection!;
        var stations = await Stations.AllAsync(connection, desk.Transaction, ct);
        var station = stations.Single(s => s.Code == desk.Station);
        var content = row.Content;
        var categoryInfo = CategoryCatalog.Default.Find(category)!;
        var tax = TaxRules.For(category);
        var parties = new List<CertificateParty>
        {
            new(content.OurRole, row.RegistrantName ?? row.RegistrantOrgId.ToString(), row.RegistrantCountry ?? "CN", null, row.RegistrantNature),
        };
        parties.AddRange(content.Parties.Select(p => new CertificateParty(
            content.OurRole == "provider" ? "recipient" : p.Provider ? "provider" : "party", p.Name, p.Country, p.OrganisationCode, p.LegalPersonNature)));
        var contractCny = rate?.Convert(amounts.ContractAmount) ?? amounts.ContractAmount;
        var (seller, buyer) = content.OurRole == "provider"
            ? (row.RegistrantOrgId, content.Parties.FirstOrDefault(p => p.OrganisationId is not null)?.OrganisationId)
            : (content.Parties.FirstOrDefault(p => p.Provider)?.OrganisationId ?? Guid.Empty, (Guid?)row.RegistrantOrgId);

        // round trip 1: the number (and the audit chain's lock and tip)
        var (number, tip, numberProblem) = row.Kind == "contract" ? await NextNumberAsync(desk, ct) : await ChangeNumberAsync(desk, ct);
        if (number is null)
        {
            return numberProblem!;
        }
        var certificate = new CertificateContent(number, station.Code, station.NameZh, station.NameEn, content.Title, category, sub!.Code,
            categoryInfo.NameZh, sub.NameZh, parties, amounts.ContractAmount.Amount, amounts.TechnologyTransactionAmount.Amount, row.Currency,
            rate is null ? null : contractCny.Amount, rate is null ? null : technologyCny.Amount,
            rate is null ? null : new ExchangeRateView(rate.Rate, rate.Date), content.Field, content.SignedOn,
            RegistrationOptions.LocalDate(SubmissionStore.Utc(row.SubmittedAt) ?? desk.Now), desk.Today, tax.Notes, row.Kind, row.AmendsNumber,
            row.Kind == "termination" ? row.ChangeReason : null);
        var (hash, certificateInsert) = Certificates.Sign(row.Id, certificate, keys, desk.Now);
        var recorded = new
        {
            outcome = "registered", category, subCategory = sub.Code, contractAmount = amounts.ContractAmount.Amount,
            nonTechnicalCosts = amounts.NonTechnicalCosts.Amount, technologyTransactionAmount = amounts.TechnologyTransactionAmount.Amount,
            currency = row.Currency, technologyTransactionAmountCny = technologyCny.Amount, exchangeRate = rate, notes = amounts.Notes,
            costs, decision.Note, tax = new { tax.VatExemption, tax.IncomeTaxRelief }, certificateHash = hash,
        };

        // round trip 2: certificate, case, (revocation), audit entry
        var args = new DynamicParameters(new
        {
            id = row.Id, now = desk.Now, officer = desk.Officer, decision = JsonSerializer.Serialize(recorded, JsonDefaults.Web), number,
            desk.Today, category, contractCny = contractCny.Amount, technologyCny = technologyCny.Amount, amends = row.AmendsNumber,
            revokedReason = $"terminated ({number}): {row.ChangeReason}",
        });
        args.AddDynamicParams(certificateInsert);
        args.AddDynamicParams(AuditChain.Prepare(tip, row.Id, "registered", desk.Officer, desk.Now, new { number, recorded.technologyTransactionAmount, hash }));
        await connection.ExecuteAsync(new CommandDefinition(
            Certificates.InsertSql +
            """
            UPDATE submissions SET version = version + 1, status = 'registered', updated_at = @now, claimed_by = NULL, claimed_at = NULL,
                decided_by = @officer, decided_at = @now, decision = CAST(@decision AS jsonb), registration_number = @number,
                registered_on = @Today, registered_category = @category, contract_amount_cny = @contractCny, technology_amount_cny = @technologyCny
            WHERE id = @id;
            """ +
            (row.Kind == "termination" ? "UPDATE certificates SET status = 'revoked', revoked_reason = @revokedReason WHERE registration_number = @amends;" : "") +
            AuditChain.InsertSql, args, desk.Transaction, cancellationToken: ct));

        // round trip 3: the event
        object announcement = row.Kind == "contract"
            ? new ContractRegistered(row.Id, row.Version + 1, number, desk.Station, category, sub.Code, seller, buyer, content.TechnologyId,
                amounts.ContractAmount.Amount, amounts.TechnologyTransactionAmount.Amount, row.Currency, desk.Now)
            : new ContractAmended(row.Id, row.Version + 1, row.AmendsNumber!, number, row.Kind, desk.Station, category, sub.Code, seller, buyer,
                content.TechnologyId, amounts.ContractAmount.Amount, amounts.TechnologyTransactionAmount.Amount, row.Currency, row.ChangeReason, desk.Now);
        await Outbox.AddAsync(desk.Transaction, announcement, announcement.GetType(), ct);
        return null;
    }

    private static async Task<Results<Ok<SubmissionView>, ValidationProblem, ProblemHttpResult>?> RefuseAsync(DeskCase desk, RefuseDecision decision,
        CancellationToken ct)
    {
        var codes = decision.ReasonCodes ?? [];
        var v = new Validation().Check(codes.Count is >= 1 and <= 8, "reasonCodes", "At least one coded reason (see /api/registrations/reference).")
            .Optional("detail", decision.Detail, 4000);
        for (var i = 0; i < codes.Count; i++)
        {
            v.Check(RefusalReasons.Find(codes[i]) is not null, $"reasonCodes[{i}]", $"Unknown reason '{codes[i]}'.");
        }
        var wrongJurisdiction = codes.Contains("wrong-jurisdiction");
        if (wrongJurisdiction && (desk.Row.CompetentStation is null || desk.Row.CompetentStation == desk.Station))
        {
            v.Add("reasonCodes", "This station is the competent one for the registrant's locality; wrong-jurisdiction does not apply.");
        }
        if (!v.IsValid)
        {
            return v.ToProblem();
        }
        var competent = wrongJurisdiction ? desk.Row.CompetentStation : null;
        var recorded = new { outcome = "refused", reasonCodes = codes.Distinct().ToList(), decision.Detail, competentStation = competent };
        await SubmissionStore.ChangeAsync(desk.Transaction, desk.Row.Id, SubmissionStatus.Refused, desk.Now, ct, decidedBy: desk.Officer, decision: recorded);
        await AuditChain.AppendAsync(desk.Transaction, desk.Row.Id, "refused", desk.Officer, desk.Now, recorded, ct);
        await Outbox.AddAsync(desk.Transaction, new ContractRefused(desk.Row.Id, desk.Row.Version + 1, desk.Station, desk.Row.RegistrantOrgId,
            desk.Row.TechnologyId, recorded.reasonCodes, competent, desk.Now), ct);
        return null;
    }

    /// <summary>
    /// The next serial of this station and year, taken in the registration's transaction (a rollback gives it back, so
    /// numbers stay gap-free), with the audit chain's lock and tip in the same round trip.
    /// </summary>
    private static async Task<(string? Number, AuditChain.Tip? Tip, ProblemHttpResult? Problem)> NextNumberAsync(DeskCase desk, CancellationToken ct)
    {
        var template = new RegistrationNumberTemplate(desk.Options.NumberTemplate);
        await using var results = await desk.Transaction.Connection!.QueryMultipleAsync(new CommandDefinition(
            """
            INSERT INTO registration_serials (station_code, year, last_serial) VALUES (@Station, @year, 1)
            ON CONFLICT (station_code, year) DO UPDATE SET last_serial = registration_serials.last_serial + 1
            RETURNING last_serial;
            """ + AuditChain.LockAndTipSql, new { desk.Station, year = desk.Today.Year }, desk.Transaction, cancellationToken: ct));
        var serial = await results.ReadSingleAsync<int>();
        await results.ReadAsync();
        var tip = await results.ReadSingleOrDefaultAsync<AuditChain.Tip>();
        return serial > template.MaxSerial
            ? (null, null, HttpConventions.Conflict("The station's numbers for this year are used up.",
                $"The template {desk.Options.NumberTemplate} holds {template.MaxSerial} a year; widen its serial in Registration:NumberTemplate."))
            : (template.Format(desk.Today.Year, desk.Station, serial), tip, null);
    }

    /// <summary>
    /// An amendment is registered against the original number as {original}-A1, -A2 …; a termination as {original}-T. The
    /// original certificate's row is locked, so two changes of one contract cannot take the same suffix.
    /// </summary>
    private static async Task<(string? Number, AuditChain.Tip? Tip, ProblemHttpResult? Problem)> ChangeNumberAsync(DeskCase desk, CancellationToken ct)
    {
        var connection = desk.Transaction.Connection!;
        var original = desk.Row.AmendsNumber!;
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT status FROM certificates WHERE registration_number = @original FOR UPDATE", new { original }, desk.Transaction, cancellationToken: ct));
        if (status != "valid")
        {
            return (null, null, HttpConventions.Conflict("The original registration is no longer in force.",
                $"Registration {original} is {status ?? "unknown"}; it cannot be amended or terminated."));
        }
        var amendments = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM submissions WHERE amends_number = @original AND kind = 'amendment' AND status = 'registered'",
            new { original }, desk.Transaction, cancellationToken: ct));
        var tip = await AuditChain.LockAndTipAsync(desk.Transaction, ct);
        return (desk.Row.Kind == "termination" ? $"{original}-T" : $"{original}-A{amendments + 1}", tip, null);
    }

    /// <summary>The clock with one more event, or null when the event does not apply in the current phase.</summary>
    private static (List<ClockEvent> Events, ClockState State)? Apply(DeskCase desk, ClockEventKind kind)
    {
        var events = desk.Row.ClockEvents;
        events.Add(new ClockEvent(kind, desk.Today));
        try
        {
            return (events, DeadlineClock.Evaluate(desk.Options.Policy, desk.Options.Calendar, events));
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static ProblemHttpResult NotInPhase(DeskCase desk, string action) =>
        HttpConventions.Conflict($"Cannot {action} now.",
            $"The case's clock is {DeadlineClock.Evaluate(desk.Options.Policy, desk.Options.Calendar, desk.Row.ClockEvents).Phase}.");

    private static ProblemHttpResult NoStation() =>
        HttpConventions.Forbidden("Not an officer of a station.",
            "Your organisation staffs no registration station; a platform admin binds it with PUT /api/registrations/stations/{code}/organisation.");
}
