using System.Security.Claims;
using TransferHub.Files;
using TransferHub.Registration.Domain;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

/// <summary>
/// The numbers of the rules in force, as configuration (<c>Registration:*</c>): a station follows the text in force by
/// changing these, not the code. Defaults follow DOMAIN.md.
/// </summary>
public sealed class RegistrationOptions
{
    public const string Section = "Registration";

    /// <summary>Decision period from a complete submission (default 30).</summary>
    public int DeadlineDays { get; set; } = DeadlinePolicy.Default.Days;

    /// <summary>Count working days instead of calendar days (newer drafts: 15 working days).</summary>
    public bool WorkingDays { get; set; }

    public int ExpertReviewDays { get; set; } = DeadlinePolicy.Default.ExpertReviewDays;

    /// <summary>Technology transaction amounts above this (in CNY) go to expert review first (default 5,000,000).</summary>
    public decimal ExpertReviewThresholdCny { get; set; } = DeadlinePolicy.Default.ExpertReviewThreshold.Amount;

    public string NumberTemplate { get; set; } = RegistrationNumberTemplate.DefaultPattern;

    /// <summary>Sets of technology-carrying equipment that stay in the technology transaction amount (default 2).</summary>
    public int CarrierSetsAllowed { get; set; } = 2;

    /// <summary>Public holidays (yyyy-MM-dd) for working-day clocks.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>Weekend days declared working days (调休).</summary>
    public List<DateOnly> WorkingWeekendDays { get; set; } = [];

    /// <summary>Where uploaded contract texts live (local-disk file store, SHA-256 named).</summary>
    public string DocumentRoot { get; set; } = Path.Combine("data", "documents");

    /// <summary>Largest accepted contract text (default 20 MiB).</summary>
    public long DocumentMaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The platform's public address (the gateway): the certificate's QR code points to its verification URL there.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Where each station's ECDSA P-256 certificate-signing key lives (one PEM per station, created on first use).</summary>
    public string StationKeyDirectory { get; set; } = Path.Combine("data", "station-keys");

    /// <summary>The offset of the stations' local time: registration dates and years are China Standard Time.</summary>
    public static readonly TimeSpan LocalOffset = TimeSpan.FromHours(8);

    public DeadlinePolicy Policy => new(DeadlineDays, WorkingDays, ExpertReviewDays, new Money(ExpertReviewThresholdCny, "CNY"));

    public WorkingCalendar Calendar => new(Holidays, WorkingWeekendDays);

    public static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(LocalOffset).DateTime);
}

/// <summary>Who may do what in registration.</summary>
public static class RegistrationPolicies
{
    /// <summary>Members of institutions and companies: they submit the contracts their organisation provides (or imports).</summary>
    public const string Registrant = "registration-registrant";

    public static IHostApplicationBuilder AddRegistration(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Registrant, p => p.RequireAuthenticatedUser().RequireRole(Roles.InstitutionMember, Roles.CompanyMember));
        builder.Services.Configure<RegistrationOptions>(builder.Configuration.GetSection(RegistrationOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StationKeys>();
        var options = builder.Configuration.GetSection(RegistrationOptions.Section).Get<RegistrationOptions>() ?? new RegistrationOptions();
        return builder.AddFileStore(options.DocumentRoot);
    }

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.PlatformAdmin);
}
