using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace TransferHub.Web.Localization;

public static class PortalLocalization
{
    public const string DefaultCulture = "en";

    /// <summary>The languages the portal is translated into; the first is the default.</summary>
    public static readonly IReadOnlyList<CultureInfo> Cultures =
        [new(DefaultCulture), new("zh"), new("vi"), new("th")];

    public static bool IsSupported(string? name) =>
        name is not null && Cultures.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Resource files under <c>Resources/</c>; the culture comes from <c>?culture=</c>, then the culture cookie, then
    /// <c>Accept-Language</c> (zh-CN falls back through zh-Hans to zh), else English.
    /// </summary>
    public static IHostApplicationBuilder AddPortalLocalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            o.SupportedCultures = [.. Cultures];
            o.SupportedUICultures = [.. Cultures];
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.ApplyCurrentCultureToResponseHeaders = true;
        });
        return builder;
    }

    /// <summary>Sets the request culture and remembers a culture chosen with <c>?culture=</c> in the culture cookie.</summary>
    public static WebApplication UsePortalLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.Use((context, next) =>
        {
            var feature = context.Features.Get<IRequestCultureFeature>();
            if (feature?.Provider is QueryStringRequestCultureProvider)
            {
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(feature.RequestCulture),
                    new CookieOptions
                    {
                        Expires = DateTimeOffset.UtcNow.AddYears(1),
                        IsEssential = true,
                        HttpOnly = true,
                        SameSite = SameSiteMode.Lax,
                        Secure = context.Request.IsHttps,
                        Path = "/",
                    });
            }
            return next(context);
        });
        return app;
    }
}
