using Dapper;
using Npgsql;
using TransferHub.Matchmaking.Contracts;
using TransferHub.Messaging;

namespace TransferHub.Registration.Api.Submissions;

/// <summary>
/// A deal agreed in matchmaking becomes a contract draft for the seller, prefilled with what the deal says (parties,
/// category from the transfer mode, price, field, technology). The seller adds the contract texts and the signing date
/// and submits it; submission checks the whole content again.
/// </summary>
public sealed class DealAgreedConsumer(NpgsqlDataSource dataSource, ILogger<DealAgreedConsumer> logger) : InboxConsumer<DealAgreed>(dataSource, logger)
{
    /// <summary>Transfer mode → category and sub-category (a patent is assumed; the seller corrects it in the draft).</summary>
    public static readonly IReadOnlyDictionary<string, (string Category, string SubCategory)> Categories =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["assignment"] = ("transfer", "patent-right"),
            ["exclusive-licence"] = ("licensing", "patent-exclusive"),
            ["sole-licence"] = ("licensing", "patent-sole"),
            ["non-exclusive-licence"] = ("licensing", "patent-ordinary"),
            ["joint-development"] = ("development", "cooperative"),
            ["technical-service"] = ("service", "technical-service"),
            ["equity"] = ("transfer", "patent-right"),
        };

    protected override async Task HandleAsync(DealAgreed m, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var (category, subCategory) = Categories.GetValueOrDefault(m.TransferMode, ("transfer", "patent-right"));
        var content = new SubmissionContent(
            Title: $"{m.TechnologyTitle} — {m.TransferMode}",
            Category: category,
            SubCategory: subCategory,
            OurRole: "provider",
            Parties: [new Party(m.BuyerName, null, m.BuyerCountry, null, null, false, m.BuyerOrganisationId)],
            ContractAmount: m.Price,
            Currency: m.Currency,
            Costs: [],
            Field: m.Field,
            Ip: [],
            ContractLanguage: "zh",
            Documents: [],
            SignedOn: RegistrationOptions.LocalDate(m.AgreedAt),
            TechnologyId: m.TechnologyId,
            StationCode: null);
        var id = Guid.NewGuid();
        var exists = await transaction.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM submissions WHERE deal_id = @DealId)", m, transaction, cancellationToken: ct));
        if (exists)
        {
            logger.LogInformation("Deal {Deal} already has a contract draft; ignored", m.DealId);
            return;
        }
        await SubmissionStore.InsertAsync(transaction, id, m.SellerOrganisationId, Guid.Empty, content, m.AgreedAt, ct);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE submissions SET deal_id = @DealId WHERE id = @id", new { m.DealId, id }, transaction, cancellationToken: ct));
        await AuditChain.AppendAsync(transaction, id, "drafted-from-deal", null, m.AgreedAt, new { m.DealId, m.MatchId, m.TechnologyId }, ct);
    }
}
