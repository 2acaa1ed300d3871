using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using TransferHub.ServiceDefaults;

namespace TransferHub.Registration.Api;

/// <summary>
/// Each station's ECDSA P-256 certificate-signing key: one PEM file per station under
/// <see cref="RegistrationOptions.StationKeyDirectory"/>, created on first use (owner-only permissions). The public key is
/// published so anyone can check a certificate's signature.
/// </summary>
public sealed class StationKeys(IOptions<RegistrationOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<ECDsa>> keys = new(StringComparer.Ordinal);

    public ECDsa For(string stationCode) => keys.GetOrAdd(stationCode, code => new Lazy<ECDsa>(() => LoadOrCreate(code))).Value;

    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    public string PublicKeyPem(string stationCode) => For(stationCode).ExportSubjectPublicKeyInfoPem();

    private ECDsa LoadOrCreate(string code)
    {
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A station code is 6 digits.", nameof(code));
        }
        var directory = Path.GetFullPath(options.Value.StationKeyDirectory);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, code + ".pem");
        var key = ECDsa.Create();
        if (!File.Exists(file))
        {
            var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllText(temp, created.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(temp, file); // another process that won the race keeps its key: load whatever is there
            }
            catch (IOException)
            {
                File.Delete(temp);
            }
        }
        key.ImportFromPem(File.ReadAllText(file));
        return key;
    }
}

/// <summary>What a registration certificate states (DOMAIN.md), in the order it is hashed and signed.</summary>
public sealed record CertificateContent(
    string RegistrationNumber,
    string StationCode,
    string StationNameZh,
    string StationNameEn,
    string Title,
    string Category,
    string SubCategory,
    string CategoryNameZh,
    string SubCategoryNameZh,
    IReadOnlyList<CertificateParty> Parties,
    decimal ContractAmount,
    decimal TechnologyTransactionAmount,
    string Currency,
    decimal? ContractAmountCny,
    decimal? TechnologyTransactionAmountCny,
    ExchangeRateView? ExchangeRate,
    string Field,
    DateOnly SignedOn,
    DateOnly SubmittedOn,
    DateOnly RegisteredOn,
    IReadOnlyList<string> TaxEligibility,
    string Kind,
    string? AmendsNumber,
    string? TerminationReason);

public sealed record CertificateParty(string Role, string Name, string Country, string? OrganisationCode, string? LegalPersonNature);

public sealed record ExchangeRateView(decimal Rate, DateOnly Date);

/// <summary>
/// A certificate. <see cref="SignedContent"/> is the exact text that was hashed (<see cref="ContentHash"/>) and signed
/// (<see cref="Signature"/>); <see cref="Content"/> is the same, parsed.
/// </summary>
public sealed record CertificateView(string RegistrationNumber, string Status, CertificateContent Content, string SignedContent, string ContentHash,
    string Signature, string KeyId, string Algorithm, DateTimeOffset IssuedAt, string VerifyUrl);

public sealed record VerificationResult(string Status, string? RegistrationNumber, string? StationCode, DateOnly? RegisteredOn,
    IReadOnlyList<string>? Amendments);

public static class Certificates
{
    public const string Algorithm = "ES256 (ECDSA P-256, SHA-256, IEEE P1363 signature, base64) over the UTF-8 content";

    /// <summary>Inserts a certificate made by <see cref="Sign"/> (parameters prefixed <c>cert</c>, so it batches with other statements).</summary>
    public const string InsertSql = """
        INSERT INTO certificates (registration_number, submission_id, station_code, content, content_hash, signature, key_id, issued_at)
        VALUES (@certNumber, @certSubmission, @certStation, @certText, @certHash, @certSignature, @certKey, @certIssuedAt);
        """;

    /// <summary>Serialises the content once, hashes it and signs it with the station's key; the parameters for <see cref="InsertSql"/>.</summary>
    public static (string Hash, DynamicParameters Insert) Sign(Guid submissionId, CertificateContent content, StationKeys keys, DateTimeOffset issuedAt)
    {
        var text = JsonSerializer.Serialize(content, JsonDefaults.Web);
        var bytes = Encoding.UTF8.GetBytes(text);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var key = keys.For(content.StationCode);
        string signature;
        lock (key) // one key object per station; its instance members are not documented as thread-safe
        {
            signature = Convert.ToBase64String(key.SignData(bytes, HashAlgorithmName.SHA256));
        }
        return (hash, new DynamicParameters(new
        {
            certNumber = content.RegistrationNumber, certSubmission = submissionId, certStation = content.StationCode, certText = text,
            certHash = hash, certSignature = signature, certKey = StationKeys.KeyId(key), certIssuedAt = issuedAt,
        }));
    }

    public static async Task<CertificateView?> LoadAsync(NpgsqlConnection connection, string number, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Number, string Status, string Content, string Hash, string Signature, string KeyId, DateTime IssuedAt)?>(
            new CommandDefinition(
                "SELECT registration_number, status, content, content_hash, signature, key_id, issued_at FROM certificates WHERE registration_number = @number",
                new { number }, cancellationToken: ct));
        return row is not { } r ? null : new CertificateView(r.Number, r.Status,
            JsonSerializer.Deserialize<CertificateContent>(r.Content, JsonDefaults.Web)!, r.Content, r.Hash, r.Signature, r.KeyId, Algorithm,
            new DateTimeOffset(DateTime.SpecifyKind(r.IssuedAt, DateTimeKind.Utc)), VerifyPath(r.Number, r.Hash));
    }

    public static string VerifyPath(string number, string hash) => $"/api/registrations/verify?number={number}&hash={hash}";

    /// <summary>Public check: valid, revoked or unknown. Nothing beyond the number, station and date is told, and only on a match.</summary>
    public static async Task<VerificationResult> VerifyAsync(NpgsqlConnection connection, string number, string hash, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, string Station, string Content)?>(new CommandDefinition(
            "SELECT status, station_code, content FROM certificates WHERE registration_number = @number AND content_hash = @hash",
            new { number, hash = hash.ToLowerInvariant() }, cancellationToken: ct));
        if (row is not { } r)
        {
            return new VerificationResult("unknown", null, null, null, null);
        }
        var content = JsonSerializer.Deserialize<CertificateContent>(r.Content, JsonDefaults.Web)!;
        var changes = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT registration_number FROM submissions WHERE amends_number = @number AND status = 'registered' ORDER BY decided_at",
            new { number }, cancellationToken: ct));
        return new VerificationResult(r.Status, number, r.Station, content.RegisteredOn, changes.AsList());
    }
}
