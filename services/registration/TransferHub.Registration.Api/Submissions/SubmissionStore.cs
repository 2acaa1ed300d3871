using System.Text.Json;
using Dapper;
using Npgsql;
using TransferHub.Registration.Domain;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api.Submissions;

public static class SubmissionStatus
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string SupplementRequested = "supplement-requested";
    public const string Registered = "registered";
    public const string Refused = "refused";

    public static readonly IReadOnlyList<string> All = [Draft, Submitted, SupplementRequested, Registered, Refused];

    /// <summary>The registrant may still edit the content.</summary>
    public static bool Editable(string status) => status is Draft or SupplementRequested;

    public static bool Closed(string status) => status is Registered or Refused;
}

/// <summary>A submission row as stored.</summary>
public sealed class SubmissionRow
{
    public Guid Id { get; init; }
    public int Version { get; init; }
    public string Status { get; init; } = "";
    public Guid RegistrantOrgId { get; init; }
    public Guid CreatedBy { get; init; }
    public string Title { get; init; } = "";
    public string Category { get; init; } = "";
    public string SubCategory { get; init; } = "";
    public string OurRole { get; init; } = "";
    public string Parties { get; init; } = "[]";
    public decimal ContractAmount { get; init; }
    public string Currency { get; init; } = "";
    public string Costs { get; init; } = "[]";
    public string Field { get; init; } = "";
    public string Ip { get; init; } = "[]";
    public string ContractLanguage { get; init; } = "";
    public string Documents { get; init; } = "[]";
    public DateOnly SignedOn { get; init; }
    public Guid? TechnologyId { get; init; }
    public string? RequestedStation { get; init; }
    public string? StationCode { get; init; }
    public string? CompetentStation { get; init; }
    public string Clock { get; init; } = "[]";
    public DateOnly? DueOn { get; init; }
    public DateOnly? ExpertReviewDueOn { get; init; }
    public string[]? SupplementReasons { get; init; }
    public Guid? ClaimedBy { get; init; }
    public DateTime? SubmittedAt { get; init; }
    public DateTime? DecidedAt { get; init; }
    public string? Decision { get; init; }
    public string? RegistrationNumber { get; init; }
    public string Kind { get; init; } = "contract";
    public string? AmendsNumber { get; init; }
    public string? ChangeReason { get; init; }
    public Guid? DealId { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? RegistrantName { get; init; }
    public string? RegistrantCountry { get; init; }
    public string? RegistrantRegion { get; init; }
    public string? RegistrantNature { get; init; }

    private SubmissionContent? content;
    private IReadOnlyList<ClockEvent>? clockEvents;

    /// <summary>The content with its JSON columns parsed (once per row).</summary>
    public SubmissionContent Content => content ??= new(Title, Category, SubCategory, OurRole, Json<List<Party>>(Parties), ContractAmount, Currency,
        Json<List<Cost>>(Costs), Field, Json<List<IpRecord>>(Ip), ContractLanguage, Json<List<Document>>(Documents), SignedOn, TechnologyId, RequestedStation);

    /// <summary>The clock's events (parsed once per row); a new list each time, so a caller can add the next event to it.</summary>
    public List<ClockEvent> ClockEvents => [.. clockEvents ??= Json<List<ClockEvent>>(Clock)];

    public static T Json<T>(string text) => JsonSerializer.Deserialize<T>(text, JsonDefaults.Web)!;
}

public static class SubmissionStore
{
    private const string Columns = """
        s.id AS Id, s.version AS Version, s.status AS Status, s.registrant_org_id AS RegistrantOrgId, s.created_by AS CreatedBy,
        s.title AS Title, s.category AS Category, s.sub_category AS SubCategory, s.our_role AS OurRole, s.parties::text AS Parties,
        s.contract_amount AS ContractAmount, s.currency AS Currency, s.costs::text AS Costs, s.field AS Field, s.ip::text AS Ip,
        s.contract_language AS ContractLanguage, s.documents::text AS Documents, s.signed_on AS SignedOn, s.technology_id AS TechnologyId,
        s.requested_station AS RequestedStation, s.station_code AS StationCode, s.competent_station AS CompetentStation, s.clock::text AS Clock, s.due_on AS DueOn,
        s.expert_review_due_on AS ExpertReviewDueOn, s.supplement_reasons AS SupplementReasons, s.claimed_by AS ClaimedBy,
        s.submitted_at AS SubmittedAt, s.decided_at AS DecidedAt, s.decision::text AS Decision, s.registration_number AS RegistrationNumber,
        s.kind AS Kind, s.amends_number AS AmendsNumber, s.change_reason AS ChangeReason, s.deal_id AS DealId, s.created_at AS CreatedAt, s.updated_at AS UpdatedAt, o.name AS RegistrantName, o.country AS RegistrantCountry,
        o.region_code AS RegistrantRegion, o.legal_person_nature AS RegistrantNature
        """;

    public static Task<SubmissionRow?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken ct,
        bool forUpdate = false) =>
        connection.QuerySingleOrDefaultAsync<SubmissionRow>(new CommandDefinition(
            $"SELECT {Columns} FROM submissions s LEFT JOIN organisations o ON o.id = s.registrant_org_id WHERE s.id = @id" +
            (forUpdate ? " FOR UPDATE OF s" : ""), new { id }, transaction, cancellationToken: ct));

    public static async Task<PageOf<SubmissionRow>> ListAsync(NpgsqlConnection connection, Guid registrant, string? status, int page, int pageSize,
        CancellationToken ct)
    {
        var args = new { registrant, status, offset = (page - 1) * pageSize, pageSize };
        var rows = await connection.QueryAsync<SubmissionRow>(new CommandDefinition(
            $"""
             SELECT {Columns} FROM submissions s LEFT JOIN organisations o ON o.id = s.registrant_org_id
             WHERE s.registrant_org_id = @registrant AND (@status::text IS NULL OR s.status = @status)
             ORDER BY s.created_at DESC, s.id OFFSET @offset LIMIT @pageSize
             """, args, cancellationToken: ct));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM submissions WHERE registrant_org_id = @registrant AND (@status::text IS NULL OR status = @status)",
            args, cancellationToken: ct));
        return new PageOf<SubmissionRow>(rows.AsList(), total, page, pageSize);
    }

    public static Task InsertAsync(NpgsqlTransaction transaction, Guid id, Guid registrant, Guid user, SubmissionContent c, DateTimeOffset now,
        CancellationToken ct, string kind = "contract", string? amends = null, string? reason = null) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO submissions (id, version, status, registrant_org_id, created_by, title, category, sub_category, our_role, parties,
                contract_amount, currency, costs, field, ip, contract_language, documents, signed_on, technology_id, requested_station,
                kind, amends_number, change_reason, created_at, updated_at)
            VALUES (@id, 1, 'draft', @registrant, @user, @Title, @Category, @SubCategory, @OurRole, CAST(@parties AS jsonb), @ContractAmount,
                @Currency, CAST(@costs AS jsonb), @Field, CAST(@ip AS jsonb), @ContractLanguage, CAST(@documents AS jsonb), @SignedOn,
                @TechnologyId, @StationCode, @kind, @amends, @reason, @now, @now)
            """, Args(c, new { id, registrant, user, now, kind, amends, reason }), transaction, cancellationToken: ct));

    public static Task UpdateContentAsync(NpgsqlTransaction transaction, Guid id, SubmissionContent c, DateTimeOffset now, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE submissions SET version = version + 1, title = @Title, category = @Category, sub_category = @SubCategory,
                our_role = @OurRole, parties = CAST(@parties AS jsonb), contract_amount = @ContractAmount, currency = @Currency,
                costs = CAST(@costs AS jsonb), field = @Field, ip = CAST(@ip AS jsonb), contract_language = @ContractLanguage,
                signed_on = @SignedOn, technology_id = @TechnologyId, requested_station = @StationCode,
                updated_at = @now
            WHERE id = @id
            """, Args(c, new { id, now }), transaction, cancellationToken: ct));

    /// <summary>Moves a submission to <paramref name="status"/> and records its clock, in the caller's transaction.</summary>
    public static Task ChangeAsync(NpgsqlTransaction transaction, Guid id, string status, DateTimeOffset now, CancellationToken ct,
        string? stationCode = null, string? competentStation = null, IReadOnlyList<ClockEvent>? clock = null, ClockState? state = null, string[]? supplementReasons = null,
        Guid? claimedBy = null, bool setSubmittedAt = false, Guid? decidedBy = null, object? decision = null, string? number = null) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE submissions SET version = version + 1, status = @status, updated_at = @now,
                station_code = COALESCE(@stationCode, station_code),
                competent_station = COALESCE(@competentStation, competent_station),
                clock = COALESCE(CAST(@clock AS jsonb), clock),
                due_on = CASE WHEN @hasState THEN @due ELSE due_on END,
                expert_review_due_on = CASE WHEN @hasState THEN @expertDue ELSE expert_review_due_on END,
                supplement_reasons = CASE WHEN @status = 'supplement-requested' THEN @supplementReasons ELSE supplement_reasons END,
                claimed_by = CASE WHEN @status IN ('submitted') THEN COALESCE(@claimedBy, claimed_by) ELSE NULL END,
                claimed_at = CASE WHEN @claimedBy IS NOT NULL THEN @now WHEN @status IN ('submitted') THEN claimed_at ELSE NULL END,
                submitted_at = CASE WHEN @setSubmittedAt THEN @now ELSE submitted_at END,
                decided_by = COALESCE(@decidedBy, decided_by),
                decided_at = CASE WHEN @decidedBy IS NOT NULL THEN @now ELSE decided_at END,
                decision = COALESCE(CAST(@decision AS jsonb), decision),
                registration_number = COALESCE(@number, registration_number)
            WHERE id = @id
            """,
            new
            {
                id, status, now, stationCode, competentStation,
                clock = clock is null ? null : JsonSerializer.Serialize(clock, JsonDefaults.Web),
                hasState = state is not null, due = state?.Due, expertDue = state?.ExpertReviewDue,
                supplementReasons, claimedBy, setSubmittedAt, decidedBy,
                decision = decision is null ? null : JsonSerializer.Serialize(decision, JsonDefaults.Web), number,
            }, transaction, cancellationToken: ct));

    private static DynamicParameters Args(SubmissionContent c, object extra)
    {
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            c.Title, c.Category, c.SubCategory, c.OurRole, c.ContractAmount, c.Currency, c.Field, c.ContractLanguage, c.SignedOn,
            c.TechnologyId, c.StationCode,
            parties = JsonSerializer.Serialize(c.Parties, JsonDefaults.Web),
            costs = JsonSerializer.Serialize(c.Costs, JsonDefaults.Web),
            ip = JsonSerializer.Serialize(c.Ip, JsonDefaults.Web),
            documents = JsonSerializer.Serialize(c.Documents, JsonDefaults.Web),
        });
        return p;
    }

    public static SubmissionView ToView(SubmissionRow r, RegistrationOptions options, DateOnly today)
    {
        var c = r.Content;
        var events = r.ClockEvents;
        var phase = events.Count == 0 ? "not-started" : DeadlineClock.Evaluate(options.Policy, options.Calendar, events).Phase;
        var overdue = !SubmissionStatus.Closed(r.Status) && new ClockState(phase, r.DueOn, r.ExpertReviewDueOn, null).IsOverdue(today);
        return new SubmissionView(r.Id, r.Version, r.Status,
            new RegistrantView(r.RegistrantOrgId, r.RegistrantName, r.RegistrantCountry, r.RegistrantRegion, r.RegistrantNature),
            c.Title, c.Category, c.SubCategory, c.OurRole, c.Parties, c.ContractAmount, c.Currency, c.Costs, c.Field, c.Ip, c.ContractLanguage,
            c.Documents, c.SignedOn, c.TechnologyId, r.RequestedStation, r.StationCode, r.CompetentStation,
            new ClockView(phase, r.DueOn, r.ExpertReviewDueOn, overdue, ExpertReviewRequired(r, options)),
            r.SupplementReasons, r.ClaimedBy, Utc(r.SubmittedAt), Utc(r.DecidedAt),
            r.Decision is null ? null : JsonDocument.Parse(r.Decision).RootElement.Clone(), r.RegistrationNumber, r.Kind, r.AmendsNumber, r.ChangeReason, r.DealId,
            Utc(r.CreatedAt)!.Value, Utc(r.UpdatedAt)!.Value);
    }

    /// <summary>
    /// Known before the decision only for CNY contracts (declared technology amount above the threshold) or after a dispute
    /// started a review; for other currencies the station's recorded rate decides at registration.
    /// </summary>
    public static bool ExpertReviewRequired(SubmissionRow r, RegistrationOptions options)
    {
        if (r.ClockEvents.Any(e => e.Kind == ClockEventKind.ExpertReviewStarted))
        {
            return true;
        }
        if (r.Currency != "CNY")
        {
            return false;
        }
        var (decision, _) = new AmountRule(options.CarrierSetsAllowed).Decide(new Money(r.ContractAmount, r.Currency),
            SubmissionValidation.ToCostLines(r.Content.Costs));
        return decision is not null && options.Policy.NeedsExpertReview(decision.TechnologyTransactionAmount, false);
    }

    public static DateTimeOffset? Utc(DateTime? at) => at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
