using Dapper;
using Npgsql;
using TransferHub.Listing.Api.Listings;
using TransferHub.Matchmaking.Contracts;
using TransferHub.Messaging;
using TransferHub.Registration.Contracts;

namespace TransferHub.Listing.Api.Technologies;

/// <summary>
/// A registered contract about one of our technologies counts as a deal; an assignment (transfer) or an exclusive licence
/// also takes the technology off the market (transferred, with a version row and TechnologyTransferred).
/// </summary>
public sealed class ContractRegisteredConsumer(NpgsqlDataSource dataSource, ILogger<ContractRegisteredConsumer> logger)
    : InboxConsumer<ContractRegistered>(dataSource, logger)
{
    protected override async Task HandleAsync(ContractRegistered m, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (m.TechnologyId is not { } id)
        {
            return;
        }
        var technology = await TechnologyStore.LoadAsync(transaction.Connection!, id, transaction, ct, forUpdate: true);
        if (technology is null || (technology.OrganisationId != m.SellerOrganisationId && technology.OrganisationId != m.BuyerOrganisationId))
        {
            logger.LogWarning("Contract {Number} names technology {Technology}, which is unknown or belongs to neither party; ignored",
                m.RegistrationNumber, id);
            return;
        }
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE technologies SET deals_count = deals_count + 1, last_deal_at = @RegisteredAt, last_registration_number = @RegistrationNumber
            WHERE id = @id
            """, new { id, m.RegisteredAt, m.RegistrationNumber }, transaction, cancellationToken: ct));
        if (ContractCategories.TakesOffMarket(m.Category, m.SubCategory) && ListingStatus.IsOnMarket(technology.Status))
        {
            await TechnologyStore.ChangeStatusAsync(transaction, technology, ListingStatus.Transferred, "contract-registered",
                Actor.System, $"registered contract {m.RegistrationNumber} ({m.Category}{(m.SubCategory is null ? "" : "/" + m.SubCategory)})", ct);
        }
    }
}

/// <summary>An NDA accepted in matchmaking lets the requesting organisation read the technology's confidential detail.</summary>
public sealed class ConfidentialAccessGrantedConsumer(NpgsqlDataSource dataSource, ILogger<ConfidentialAccessGrantedConsumer> logger)
    : InboxConsumer<ConfidentialAccessGranted>(dataSource, logger)
{
    protected override async Task HandleAsync(ConfidentialAccessGranted m, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var inserted = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO technology_access_grants (technology_id, organisation_id, granted_by, source, granted_at)
            SELECT id, @GranteeOrganisationId, NULL, 'nda', @GrantedAt FROM technologies
            WHERE id = @TechnologyId AND organisation_id = @OwnerOrganisationId AND organisation_id <> @GranteeOrganisationId
            ON CONFLICT DO NOTHING
            """, m, transaction, cancellationToken: ct));
        if (inserted == 0)
        {
            logger.LogInformation("NDA grant of technology {Technology} to {Grantee} (match {Match}) changed nothing: already granted, or the " +
                "technology is unknown or not the owner's", m.TechnologyId, m.GranteeOrganisationId, m.MatchId);
        }
    }
}
