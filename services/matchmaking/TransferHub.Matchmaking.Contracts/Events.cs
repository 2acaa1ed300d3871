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
