using System.Buffers.Text;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using TransferHub.ServiceDefaults;

namespace TransferHub.Web.Auth;

/// <summary>
/// Reads the claims the portal shows from an access token's payload. The signature is NOT checked here: the token came
/// straight from the identity service over the gateway, and every service validates it on each call.
/// </summary>
public static class AccessTokenClaims
{
    private static readonly string[] SingleValued =
        [TransferHubClaims.Subject, TransferHubClaims.Email, TransferHubClaims.Name, TransferHubClaims.Organisation];

    /// <summary>The signed-in user, or null when the token is not a JWT with a subject.</summary>
    public static ClaimsPrincipal? ToPrincipal(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0)
        {
            return null;
        }
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var claims = new List<Claim>();
            foreach (var type in SingleValued)
            {
                if (payload.RootElement.TryGetProperty(type, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    claims.Add(new Claim(type, value.GetString()!));
                }
            }
            if (payload.RootElement.TryGetProperty(TransferHubClaims.Role, out var role))
            {
                var roles = role.ValueKind switch
                {
                    JsonValueKind.String => [role.GetString()!],
                    JsonValueKind.Array => role.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!),
                    _ => [],
                };
                claims.AddRange(roles.Distinct(StringComparer.Ordinal).Select(r => new Claim(TransferHubClaims.Role, r)));
            }
            if (!claims.Any(c => c.Type == TransferHubClaims.Subject))
            {
                return null;
            }
            return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme,
                TransferHubClaims.Name, TransferHubClaims.Role));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
