namespace TransferHub.Listing.Contracts;

/// <summary>
/// A technology became public. Carries only public data (never the confidential detail). <see cref="Version"/> grows with
/// every change of the technology, so consumers can ignore an event older than what they hold.
/// </summary>
public sealed record TechnologyPublished(
    Guid TechnologyId,
    Guid OrganisationId,
    int Version,
    string Title,
    string Summary,
    string Language,
    IReadOnlyList<string> Keywords,
    int? Trl,
    DateTimeOffset PublishedAt);

/// <summary>The languages TransferHub content may be written in (ISO 639 codes as used on the platform).</summary>
public static class ContentLanguages
{
    public static readonly IReadOnlyList<string> All =
        ["zh", "en", "vi", "th", "lo", "km", "my", "id", "ms", "fil", "hi", "ne", "bn", "si", "ta", "ur"];
}
