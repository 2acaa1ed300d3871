namespace TransferHub.Experts.Contracts;

/// <summary>
/// An expert's profile as the directory publishes it (the experts service owns it; others keep read models). Carries
/// what others need to choose experts: organisation (an expert of a party's organisation has a conflict of interest),
/// fields, languages, availability, and the organisations the expert declared conflicts with.
/// </summary>
public sealed record ExpertProfileUpdated(
    Guid ExpertId,
    int Version,
    string Name,
    Guid? OrganisationId,
    string? OrganisationName,
    string Country,
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> Languages,
    bool Available,
    IReadOnlyList<Guid> DeclaredConflictOrganisationIds,
    DateTimeOffset UpdatedAt);

/// <summary>The expert became available or unavailable (travel, leave, full load).</summary>
public sealed record ExpertAvailabilityChanged(Guid ExpertId, int Version, bool Available, DateTimeOffset ChangedAt);
