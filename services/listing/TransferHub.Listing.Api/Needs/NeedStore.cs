using System.Text.Json;
using Dapper;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Listing.Contracts;
using TransferHub.Messaging;
using TransferHub.ServiceDefaults;

namespace TransferHub.Listing.Api.Needs;

/// <summary>The need table's SQL, its version history and the events of every change.</summary>
internal sealed class NeedStore : IListingKind<NeedView>
{
    public static readonly NeedStore Instance = new();

    public static readonly string[] Public = [ListingStatus.Published, ListingStatus.UnderNegotiation, ListingStatus.Fulfilled];

    public string Noun => "need";

    public string Plural => "needs";

    public string BasePath => "/api/listings/needs";

    public IReadOnlyList<string> Statuses => ListingReferenceData.NeedStatuses;

    public VersionHistory History => VersionHistory.Needs;

    public Task<PageOf<NeedView>> PageAsync(NpgsqlDataSource dataSource, string where, string orderBy, DynamicParameters parameters,
        int page, int pageSize, CancellationToken ct) =>
        ListingQueries.PageAsync<NeedRow, NeedView>(dataSource, "needs", NeedRow.Columns, where, orderBy, parameters, page, pageSize,
            r => r.ToView(), ct);

    public IReadOnlyList<string> PublicStatuses => Public;

    public Validation ValidateForSubmission(NeedView listing) => NeedValidation.ValidateForSubmission(listing);

    public NeedView WithoutConfidentialDetail(NeedView listing) => listing with { ConfidentialDetail = null };

    public async Task<NeedView?> LoadAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken ct,
        bool forUpdate = false)
    {
        var row = await connection.QuerySingleOrDefaultAsync<NeedRow>(new CommandDefinition(
            $"SELECT {NeedRow.Columns} FROM needs WHERE id = @id{(forUpdate ? " FOR UPDATE" : "")}", new { id }, transaction, cancellationToken: ct));
        return row?.ToView();
    }

    public async Task<NeedView> InsertAsync(NpgsqlTransaction tx, Guid id, Actor actor, NormalisedNeed n, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO needs (id, organisation_id, created_by, status, version, {ContentColumns})
            VALUES (@id, @organisationId, @userId, 'draft', 1, {ContentValues})
            """, Parameters(n, new { id, organisationId = actor.OrganisationId, userId = actor.UserId }), tx, cancellationToken: ct));
        var created = (await LoadAsync(tx.Connection!, id, tx, ct))!;
        await AddVersionAsync(tx, created, "created", actor, null, n.ConfidentialDetail is not null, ct);
        return created;
    }

    public async Task<NeedView> UpdateContentAsync(NpgsqlTransaction tx, NeedView current, Actor actor, NormalisedNeed n, CancellationToken ct)
    {
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE needs SET ({ContentColumns}) = ({ContentValues}), version = @version, updated_at = now() WHERE id = @id",
            Parameters(n, new { id = current.Id, version = current.Version + 1 }), tx, cancellationToken: ct));
        var updated = (await LoadAsync(tx.Connection!, current.Id, tx, ct))!;
        await AddVersionAsync(tx, updated, "updated", actor, null, current.ConfidentialDetail != n.ConfidentialDetail, ct);
        if (ListingStatus.IsOnMarket(updated.Status))
        {
            await Outbox.AddAsync(tx, new NeedUpdated(updated.Id, updated.OrganisationId, updated.Version, updated.Status, PublicData(updated),
                updated.UpdatedAt), ct);
        }
        return updated;
    }

    public async Task<NeedView> ChangeStatusAsync(NpgsqlTransaction tx, NeedView current, string status, string action, Actor actor,
        string? reason, CancellationToken ct)
    {
        var set = status switch
        {
            ListingStatus.Submitted => "submitted_at = now(), return_reasons = NULL",
            ListingStatus.Returned => "return_reasons = @reason",
            ListingStatus.Published => "published_at = coalesce(published_at, now())",
            ListingStatus.Fulfilled or ListingStatus.Withdrawn or ListingStatus.Expired => "closed_at = now()",
            _ => "closed_at = closed_at",
        };
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            $"UPDATE needs SET status = @status, version = @version, updated_at = now(), {set} WHERE id = @id",
            new { id = current.Id, status, version = current.Version + 1, reason }, tx, cancellationToken: ct));
        var changed = (await LoadAsync(tx.Connection!, current.Id, tx, ct))!;
        await AddVersionAsync(tx, changed, action, actor, reason, false, ct);
        if ((current.Status, status) is (ListingStatus.Submitted, ListingStatus.Published))
        {
            await Outbox.AddAsync(tx, new NeedPublished(changed.Id, changed.OrganisationId, changed.Version, PublicData(changed),
                changed.PublishedAt!.Value), ct);
            if (changed.OpenCall)
            {
                await Outbox.AddAsync(tx, new OpenCallPublished(changed.Id, changed.OrganisationId, changed.Version, changed.Title,
                    changed.Language, changed.Fields, changed.ClosesOn!.Value, changed.PublishedAt!.Value), ct);
            }
        }
        else if (ListingStatus.IsOnMarket(status))
        {
            await Outbox.AddAsync(tx, new NeedUpdated(changed.Id, changed.OrganisationId, changed.Version, changed.Status, PublicData(changed),
                changed.UpdatedAt), ct);
        }
        else if (ListingStatus.IsOnMarket(current.Status) && status is ListingStatus.Fulfilled or ListingStatus.Withdrawn or ListingStatus.Expired)
        {
            await Outbox.AddAsync(tx, new NeedClosed(changed.Id, changed.OrganisationId, changed.Version, status, changed.ClosedAt!.Value), ct);
        }
        return changed;
    }

    public static NeedPublicData PublicData(NeedView n) => new(n.Title, n.Summary, n.Language, n.Keywords, n.Translations, n.Fields,
        n.TrlMin, n.Budget, n.Currency, n.Deadline, n.Country, n.Anonymous, n.OpenCall, n.ClosesOn, n.PublishedAt);

    private static Task AddVersionAsync(NpgsqlTransaction tx, NeedView after, string action, Actor actor, string? reason,
        bool confidentialChanged, CancellationToken ct) =>
        VersionHistory.Needs.AddAsync(tx, after.Id, after.Version, after.Status, action, actor, reason, confidentialChanged,
            after with { ConfidentialDetail = null }, ct);

    private const string ContentColumns = """
        title, summary, language, keywords, translations, fields, trl_min, budget, currency, deadline, country, anonymous, open_call,
        closes_on, contact, confidential_detail
        """;

    private const string ContentValues = """
        @Title, @Summary, @Language, @Keywords, CAST(@translations AS jsonb), @Fields, @TrlMin, @Budget, @Currency, CAST(@deadline AS date),
        @Country, @Anonymous, @OpenCall, CAST(@closesOn AS date), CAST(@contact AS jsonb), @ConfidentialDetail
        """;

    private static DynamicParameters Parameters(NormalisedNeed n, object extra)
    {
        var p = new DynamicParameters(extra);
        p.AddDynamicParams(new
        {
            n.Title, n.Summary, n.Language, n.Keywords, n.Fields, n.TrlMin, n.Budget, n.Currency, n.Country, n.Anonymous, n.OpenCall,
            n.ConfidentialDetail,
            translations = JsonSerializer.Serialize(n.Translations, JsonDefaults.Web),
            deadline = n.Deadline?.ToDateTime(TimeOnly.MinValue),
            closesOn = n.ClosesOn?.ToDateTime(TimeOnly.MinValue),
            contact = n.Contact is null ? null : JsonSerializer.Serialize(n.Contact, JsonDefaults.Web),
        });
        return p;
    }
}
