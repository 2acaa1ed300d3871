using System.Text.Encodings.Web;
using System.Text.Unicode;
using TransferHub.Web.Auth;
using TransferHub.Web.Components;
using TransferHub.Web.Gateway;
using TransferHub.Web.Localization;

namespace TransferHub.Web;

/// <summary>The portal's registrations and pipeline, so <c>Program.cs</c> stays a table of contents.</summary>
public static class PortalExtensions
{
    /// <summary>Localisation, cookie sign-in, the typed gateway client and Blazor static server-side rendering.</summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        // Serve framework assets (blazor.web.js) from the build output in every environment, not only Development:
        // deploy/up.sh runs the portal from its build output. A published app has no such manifest; then this is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.AddPortalLocalization();
        builder.AddPortalAuthentication();
        builder.AddGatewayClient();
        builder.Services.AddRazorComponents();
        // Chinese, Thai and Vietnamese text as characters rather than &#x..; entities (pages a third of the size).
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    /// <summary>
    /// Runs after <c>UseServiceDefaults</c> (forwarded headers, correlation id, errors, authentication): request culture,
    /// friendly status pages, then anti-forgery.
    /// </summary>
    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UsePortalLocalization();
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapLogout();
        app.MapRazorComponents<App>();
        return app;
    }
}
