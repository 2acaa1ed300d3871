using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TransferHub.ServiceDefaults;

namespace TransferHub.Identity.Api;

/// <summary>Signs short-lived access tokens with the identity service's ECDSA P-256 key (ES256).</summary>
public sealed class TokenIssuer
{
    private readonly SigningCredentials credentials;
    private readonly AuthOptions auth;
    private readonly IdentityOptions identity;
    private readonly JsonWebTokenHandler handler = new();

    public TokenIssuer(IConfiguration configuration, IOptions<IdentityOptions> identity)
    {
        auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        this.identity = identity.Value;
        var keyFile = configuration["Auth:SigningKeyFile"];
        if (string.IsNullOrWhiteSpace(keyFile) || !File.Exists(keyFile))
        {
            throw new InvalidOperationException(
                $"Auth:SigningKeyFile '{keyFile}' is missing. Create an EC P-256 key with " +
                "'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out jwt-private.pem' (deploy/up.sh does).");
        }
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(keyFile));
        credentials = new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = KeyIds.For(ecdsa) }, SecurityAlgorithms.EcdsaSha256);
    }

    public TimeSpan AccessTokenLifetime => identity.AccessTokenLifetime;

    public string Issue(UserAccount user, IReadOnlyList<Membership> memberships)
    {
        var claims = new List<Claim>
        {
            new(TransferHubClaims.Subject, user.Id.ToString()),
            new(TransferHubClaims.Email, user.Email),
            new(TransferHubClaims.Name, user.DisplayName),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
        };
        claims.AddRange(memberships.Select(m => m.Role).Distinct().Select(r => new Claim(TransferHubClaims.Role, r)));
        if (memberships.FirstOrDefault() is { } primary)
        {
            claims.Add(new Claim(TransferHubClaims.Organisation, primary.OrganisationId.ToString()));
            claims.Add(new Claim(TransferHubClaims.OrganisationType, primary.OrganisationType));
            claims.Add(new Claim(TransferHubClaims.OrganisationName, primary.OrganisationName));
            claims.Add(new Claim(TransferHubClaims.OrganisationCountry, primary.Country));
            if (primary.RegionCode is not null)
            {
                claims.Add(new Claim(TransferHubClaims.OrganisationRegion, primary.RegionCode));
            }
            if (primary.LegalPersonNature is not null)
            {
                claims.Add(new Claim(TransferHubClaims.OrganisationNature, primary.LegalPersonNature));
            }
            if (primary.Verified)
            {
                claims.Add(new Claim(TransferHubClaims.OrganisationVerified, "true"));
            }
        }
        var now = DateTime.UtcNow;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(identity.AccessTokenLifetime),
            SigningCredentials = credentials,
        });
    }
}
