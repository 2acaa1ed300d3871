namespace TransferHub.Matchmaking.Api;

/// <summary>A need as matchmaking knows it; <see cref="OrganisationId"/> is null when the company stays anonymous.</summary>
public sealed record NeedCandidate(Guid Id, Guid? OrganisationId, string Status, string Title, string Summary, string Language, string[] Keywords,
    string[] Fields, int? TrlMin, decimal? Budget, string? Currency, DateOnly? Deadline, string Country, bool Anonymous, bool OpenCall,
    DateOnly? ClosesOn, int Version, DateTimeOffset PublishedAt, DateTimeOffset ReceivedAt, int AppliedEvents);

public static class NeedReadModelEndpoints
{
    private const string Columns = """
        id AS Id, CASE WHEN anonymous THEN NULL ELSE organisation_id END AS OrganisationId, status AS Status, title AS Title,
        summary AS Summary, language AS Language, keywords AS Keywords, fields AS Fields, trl_min AS TrlMin, budget AS Budget,
        currency AS Currency, deadline AS Deadline, country AS Country, anonymous AS Anonymous, open_call AS OpenCall,
        closes_on AS ClosesOn, version AS Version, published_at AS PublishedAt, received_at AS ReceivedAt, applied_events AS AppliedEvents
        """;

    public static WebApplication MapNeedReadModelEndpoints(this WebApplication app)
    {
        new ReadModel<NeedCandidate>("/api/matches/needs", "Needs", "needs", Columns, "need").Map(app);
        return app;
    }
}
