namespace TransferHub.Matchmaking.Api;

public sealed record TechnologyCandidate(Guid Id, Guid OrganisationId, string Title, string Summary, string Language, string[] Keywords,
    int? Trl, string Status, string[] Fields, int Version, DateTimeOffset PublishedAt, DateTimeOffset ReceivedAt, int AppliedEvents);

public static class TechnologyReadModelEndpoints
{
    private const string Columns = """
        id AS Id, organisation_id AS OrganisationId, title AS Title, summary AS Summary, language AS Language, keywords AS Keywords,
        trl AS Trl, status AS Status, fields AS Fields, version AS Version, published_at AS PublishedAt, received_at AS ReceivedAt, applied_events AS AppliedEvents
        """;

    public static WebApplication MapTechnologyReadModelEndpoints(this WebApplication app)
    {
        new ReadModel<TechnologyCandidate>("/api/matches/technologies", "Technologies", "technologies", Columns, "technology").Map(app);
        return app;
    }
}
