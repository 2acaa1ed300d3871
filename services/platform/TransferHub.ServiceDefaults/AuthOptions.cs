namespace TransferHub.ServiceDefaults;

/// <summary>
/// How services validate access tokens. Either a public key (the identity service's ECDSA P-256 key, as PEM text
/// or a file) or an external OpenID Connect <see cref="Authority"/> whose metadata supplies the keys.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "transferhub-identity";
    public string Audience { get; set; } = "transferhub";
    public string? PublicKeyFile { get; set; }
    public string? PublicKeyPem { get; set; }
    public string? Authority { get; set; }
    public bool RequireHttpsMetadata { get; set; } = true;
}
