using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace TransferHub.ServiceDefaults;

public static class AuthenticationExtensions
{
    /// <summary>JWT bearer validation (every service validates tokens itself) and one policy per role.</summary>
    public static IHostApplicationBuilder AddTokenValidation(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    NameClaimType = TransferHubClaims.Subject,
                    RoleClaimType = TransferHubClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (!string.IsNullOrWhiteSpace(options.Authority))
                {
                    jwt.Authority = options.Authority;
                    jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                }
                else
                {
                    jwt.TokenValidationParameters.IssuerSigningKey = LoadPublicKey(options);
                }
            });

        var authorization = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Authenticated, p => p.RequireAuthenticatedUser());
        foreach (var role in Roles.All)
        {
            authorization.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
        }
        return builder;
    }

    public static ECDsaSecurityKey LoadPublicKey(AuthOptions options)
    {
        var pem = options.PublicKeyPem;
        if (string.IsNullOrWhiteSpace(pem))
        {
            if (string.IsNullOrWhiteSpace(options.PublicKeyFile))
            {
                throw new InvalidOperationException(
                    "No token validation key: set Auth:PublicKeyFile (deploy/up.sh writes .run/keys/jwt-public.pem) " +
                    "or Auth:PublicKeyPem, or Auth:Authority for an external OpenID Connect issuer.");
            }
            if (!File.Exists(options.PublicKeyFile))
            {
                throw new InvalidOperationException(
                    $"Auth:PublicKeyFile '{options.PublicKeyFile}' does not exist; run deploy/up.sh or generate it with " +
                    "'openssl pkey -in jwt-private.pem -pubout'.");
            }
            pem = File.ReadAllText(options.PublicKeyFile);
        }
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return new ECDsaSecurityKey(ecdsa) { KeyId = KeyIds.For(ecdsa) };
    }
}

public static class AuthPolicies
{
    public const string Authenticated = "authenticated";
}

/// <summary>A stable key id derived from the public key, so issuer and validators agree without configuration.</summary>
public static class KeyIds
{
    public static string For(ECDsa key)
    {
        var spki = key.ExportSubjectPublicKeyInfo();
        return Convert.ToHexString(SHA256.HashData(spki))[..16].ToLowerInvariant();
    }
}
