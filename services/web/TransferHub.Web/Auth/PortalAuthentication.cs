using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace TransferHub.Web.Auth;

public static class PortalAuthentication
{
    public const string AccessTokenName = "access_token";

    /// <summary>
    /// Cookie sign-in: the cookie holds the claims read from the access token and the token itself (encrypted by data
    /// protection), and expires with the token. The services validate the token; the portal only forwards it.
    /// </summary>
    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "TransferHub.Auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/login";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = false;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Access token stored at sign-in, or null when the user is anonymous.</summary>
    public static Task<string?> GetAccessTokenAsync(this HttpContext context) =>
        context.GetTokenAsync(CookieAuthenticationDefaults.AuthenticationScheme, AccessTokenName);

    /// <summary><c>POST /logout</c> from the layout's form (anti-forgery checked), then home.</summary>
    public static WebApplication MapLogout(this WebApplication app)
    {
        app.MapPost("/logout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        }).DisableAntiforgery().ExcludeFromDescription();
        return app;
    }
}
