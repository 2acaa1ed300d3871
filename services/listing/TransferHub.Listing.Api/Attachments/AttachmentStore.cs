using System.Security.Cryptography;

namespace TransferHub.Listing.Api.Attachments;

/// <summary>Where attachment bytes live, outside the database, named by their SHA-256 (identical files are stored once).</summary>
public interface IAttachmentStore
{
    /// <summary>Stores <paramref name="content"/> (already checked) and returns its SHA-256 in lower-case hex.</summary>
    Task<string> PutAsync(Stream content, CancellationToken ct);

    /// <summary>The stored bytes, or null when no file has that hash.</summary>
    Stream? Open(string sha256);
}

/// <summary>Attachment settings (<c>Listing:Attachments</c>).</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Listing:Attachments";

    /// <summary>Directory of the local-disk store; relative paths are under the content root. Default <c>data/attachments</c>.</summary>
    public string Root { get; set; } = Path.Combine("data", "attachments");

    /// <summary>Largest accepted file (default 10 MiB).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most attachments on one listing.</summary>
    public int MaxPerListing { get; set; } = 20;
}

/// <summary>The default store: files under <see cref="AttachmentOptions.Root"/> as <c>ab/cd/abcd…</c>, written atomically.</summary>
public sealed class LocalDiskAttachmentStore(string root) : IAttachmentStore
{
    public async Task<string> PutAsync(Stream content, CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        var temporary = Path.Combine(root, $".upload-{Guid.NewGuid():N}");
        try
        {
            string sha256;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.Move(temporary, target, overwrite: true);
            }
            return sha256;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Stream? Open(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            return null;
        }
        var path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public string PathOf(string sha256) => Path.Combine(root, sha256[..2], sha256[2..4], sha256);
}

/// <summary>What a file is, judged by its first bytes (never by its name or declared type).</summary>
public static class AttachmentTypes
{
    public static readonly IReadOnlyDictionary<string, string[]> Extensions = new Dictionary<string, string[]>
    {
        ["application/pdf"] = [".pdf"],
        ["image/png"] = [".png"],
        ["image/jpeg"] = [".jpg", ".jpeg"],
        ["image/webp"] = [".webp"],
    };

    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return null;
    }
}

public static class AttachmentRegistration
{
    /// <summary>The attachment store (local disk under <c>Listing:Attachments:Root</c>) and its limits.</summary>
    public static IHostApplicationBuilder AddAttachments(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AttachmentOptions>(builder.Configuration.GetSection(AttachmentOptions.Section));
        var options = builder.Configuration.GetSection(AttachmentOptions.Section).Get<AttachmentOptions>() ?? new AttachmentOptions();
        var root = Path.GetFullPath(options.Root, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton<IAttachmentStore>(new LocalDiskAttachmentStore(root));
        return builder;
    }
}
