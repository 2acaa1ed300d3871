namespace TransferHub.Matchmaking.Contracts;

/// <summary>
/// Both sides of a match accepted the NDA: the technology's owner lets the requesting organisation read the
/// confidential detail. Listing records the grant (as if the owner had granted it by hand).
/// </summary>
public sealed record ConfidentialAccessGranted(
    Guid MatchId,
    Guid TechnologyId,
    Guid OwnerOrganisationId,
    Guid GranteeOrganisationId,
    DateTimeOffset GrantedAt);

/// <summary>
/// The parties of a match agreed a deal: transfer mode, price, currency. Registration prefills a contract draft for the
/// seller (the technology's owner), who completes it (contract texts, signing date) and submits it.
/// </summary>
/// <param name="TransferMode">One of listing's transfer modes (assignment, exclusive-licence, sole-licence, non-exclusive-licence,
/// joint-development, technical-service, equity).</param>
public sealed record DealAgreed(
    Guid DealId,
    Guid MatchId,
    Guid TechnologyId,
    string TechnologyTitle,
    string Field,
    Guid SellerOrganisationId,
    Guid BuyerOrganisationId,
    string BuyerName,
    string BuyerCountry,
    string TransferMode,
    decimal Price,
    string Currency,
    DateTimeOffset AgreedAt);
