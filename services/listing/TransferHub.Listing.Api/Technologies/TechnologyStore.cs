using System.Text.Json;
using Dapper;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Technologies;

/// <summary>The technology table's SQL, the version history and the events of every change.</summary>
internal sealed class TechnologyStore : IListingKind<TechnologyView>
{
    public static readonly TechnologyStore Instance = new();

    /// <summary>States anyone may read.</summary>
    public static readonly string[] Public = [ListingStatus.Published, ListingStatus.UnderNegotiation, ListingStatus.Transferred];

    public string Noun => "technology";

    public string Plural => "technologies";

    public string BasePath => "/api/listings/technologies";

    public IReadOnlyList<string> Statuses => ListingReferenceData.Statuses;

    public VersionHistory History => VersionHistory.Technologies;

    public Task<PageOf<TechnologyView>> PageAsync(NpgsqlDataSource dataSource, string where, string orderBy, DynamicParameters parameters,
        int page, int pageSize, CancellationToken ct) =>
        ListingQueries.PageAsync<TechnologyRow, TechnologyView>(dataSource, "technologies", TechnologyRow.Columns, where, orderBy, parameters,
            page, pageSize, r => r.ToView(), ct);

    public IReadOnlyList<string> PublicStatuses => Public;

    public Validation ValidateForSubmission(TechnologyView listing) => TechnologyValidation.ValidateForSubmission(listing);

    public TechnologyView WithoutConfidentialDetail(TechnologyView listing) => listing with { ConfidentialDetail = null };

    Task<TechnologyView?> IListingKind<TechnologyView>.LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction,
        CancellationToken ct, bool forUpdate) => LoadAsync(connection, id, transaction, ct, forUpdate);

    Task<TechnologyView> IListingKind<TechnologyView>.ChangeStatusAsync(NpgsqlTransaction tx, TechnologyView current, string status,
        string action, Actor actor, string? reason, CancellationToken ct) => ChangeStatusAsync(tx, current, status, action, actor, reason, ct);

    public static async Task<TechnologyView?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction,
        CancellationToken ct, bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<TechnologyRow>(new CommandDefinition(
            $"SELECT {TechnologyRow.Columns} FROM technologies WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}",
            new { id }, transaction, cancellationToken: ct));
        return row?.ToView();
    }

    public static async Task<TechnologyView> InsertAsync(NpgsqlTransaction tx, Guid id, Actor actor, NormalisedTechnology t, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO technologies (id, organisation_id, created_by, status, version, {ContentColumns})
            VALUES (@id, @organisationId, @userId, 'draft', 1, {ContentValues})
            """, ContentParameters(t, new { id, organisationId = actor.OrganisationId, userId = actor.UserId }), tx, cancellationToken: ct));
        var created = (await LoadAsync(tx.Connection!, id, tx, ct))!;
        await AddVersionAsync(tx, created, "created", actor, null, t.ConfidentialDetail is not null, ct);
        return created;
    }

    /// <summary>Replaces the content of <paramref name="current"/>; one new version; an event when it is on the market.</summary>
    public static async Task<TechnologyView> UpdateContentAsync(NpgsqlTransaction tx, TechnologyView current, Actor actor,
        NormalisedTechnology t, CancellationToken ct)
    {
        var version = current.Version + 1;
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE technologies SET ({ContentColumns}) = ({ContentValues}), version = @version, updated_at = now()
            WHERE id = @id
            """, ContentParameters(t, new { id = current.Id, version }), tx, cancellationToken: ct));
        var updated = (await LoadAsync(tx.Connection!, current.Id, tx, ct))!;
        await AddVersionAsync(tx, updated, "updated", actor, null, current.ConfidentialDetail != t.ConfidentialDetail, ct);
        if (ListingStatus.IsOnMarket(updated.Status))
        {
            await Outbox.AddAsync(tx, new TechnologyUpdated(updated.Id, updated.OrganisationId, updated.Version, updated.Status,
                PublicData(updated), updated.UpdatedAt), ct);
        }
        return updated;
    }

    /// <summary>Moves <paramref name="current"/> to <paramref name="status"/>: one new version and the event the change means.</summary>
    public static async Task<TechnologyView> ChangeStatusAsync(NpgsqlTransaction tx, TechnologyView current, string status, string action,
        Actor actor, string? reason, CancellationToken ct)
    {
        var version = current.Version + 1;
        var set = status switch
        {
            ListingStatus.Submitted => "submitted_at = now(), return_reasons = NULL",
            ListingStatus.Returned => "return_reasons = @reason",
            ListingStatus.Published => "published_at = coalesce(published_at, now())",
            ListingStatus.Transferred or ListingStatus.Withdrawn or ListingStatus.Expired => "closed_at = now()",
            _ => "closed_at = closed_at",
        };
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE technologies SET status = @status, version = @version, updated_at = now(), {set} WHERE id = @id",
            new { id = current.Id, status, version, reason }, tx, cancellationToken: ct));
        var changed = (await LoadAsync(tx.Connection!, current.Id, tx, ct))!;
        await AddVersionAsync(tx, changed, action, actor, reason, false, ct);
        object? message = (current.Status, status) switch
        {
            (ListingStatus.Submitted, ListingStatus.Published) =>
                new TechnologyPublished(changed.Id, changed.OrganisationId, changed.Version, PublicData(changed), changed.PublishedAt!.Value),
            (_, ListingStatus.Published or ListingStatus.UnderNegotiation) =>
                new TechnologyUpdated(changed.Id, changed.OrganisationId, changed.Version, changed.Status, PublicData(changed), changed.UpdatedAt),
            (_, ListingStatus.Transferred) =>
                new TechnologyTransferred(changed.Id, changed.OrganisationId, changed.Version, changed.ClosedAt!.Value),
            (ListingStatus.Published or ListingStatus.UnderNegotiation, ListingStatus.Withdrawn or ListingStatus.Expired) =>
                new TechnologyWithdrawn(changed.Id, changed.OrganisationId, changed.Version, status, changed.ClosedAt!.Value),
            _ => null,
        };
        if (message is not null)
        {
            await Outbox.AddAsync(tx, message, message.GetType(), ct);
        }
        return changed;
    }

    public static TechnologyPublicData PublicData(TechnologyView t) => new(t.Title, t.Summary, t.Language, t.Keywords, t.Translations,
        t.Fields, t.Trl, t.Stage, t.IpRecords.Select(r => r.Type).Distinct().ToList(), t.TransferModes, t.PricingMode, t.Price, t.Currency,
        t.TargetCountries, t.PublishedAt);

    public static async Task<bool> HasAccessGrantAsync(NpgsqlConnection connection, Guid id, Guid? organisationId, CancellationToken ct) =>
        organisationId is not null && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM technology_access_grants WHERE technology_id = @id AND organisation_id = @organisationId)",
            new { id, organisationId }, cancellationToken: ct));

    private static Task AddVersionAsync(NpgsqlTransaction tx, TechnologyView after, string action, Actor actor, string? reason,
        bool confidentialChanged, CancellationToken ct) =>
        VersionHistory.Technologies.AddAsync(tx, after.Id, after.Version, after.Status, action, actor, reason, confidentialChanged,
            after with { ConfidentialDetail = null }, ct);

    private const string ContentColumns = """
        title, summary, language, keywords, translations, fields, trl, stage, ip_records, ip_types, owners, transfer_modes,
        pricing_mode, price, currency, target_countries, contact, expires_on, confidential_detail
        """;

    private const string ContentValues = """
        @Title, @Summary, @Language, @Keywords, CAST(@translations AS jsonb), @Fields, @Trl, @Stage, CAST(@ipRecords AS jsonb), @ipTypes,
        CAST(@owners AS jsonb), @TransferModes, @PricingMode, @Price, @Currency, @TargetCountries, CAST(@contact AS jsonb), CAST(@expiresOn AS date),
        @ConfidentialDetail
        """;

    private static DynamicParameters ContentParameters(NormalisedTechnology t, object extra)
    {
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            t.Title, t.Summary, t.Language, t.Keywords, t.Fields, t.Trl, t.Stage, t.TransferModes, t.PricingMode, t.Price, t.Currency,
            t.TargetCountries, t.ConfidentialDetail,
            translations = JsonSerializer.Serialize(t.Translations, JsonDefaults.Web),
            ipRecords = JsonSerializer.Serialize(t.IpRecords, JsonDefaults.Web),
            ipTypes = t.IpRecords.Select(r => r.Type).Distinct().ToArray(),
            owners = JsonSerializer.Serialize(t.Owners, JsonDefaults.Web),
            contact = t.Contact is null ? null : JsonSerializer.Serialize(t.Contact, JsonDefaults.Web),
            expiresOn = t.ExpiresOn?.ToDateTime(TimeOnly.MinValue),
        });
        return p;
    }
}
