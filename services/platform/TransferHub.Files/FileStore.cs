using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TransferHub.ServiceDefaults;

namespace TransferHub.Files;

/// <summary>Where uploaded bytes live, outside the database, named by their SHA-256 (identical files are stored once).</summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="content"/> (already checked) and returns its SHA-256 in lower-case hex.</summary>
    Task<string> PutAsync(Stream content, CancellationToken ct);

    /// <summary>The stored bytes, or null when no file has that hash.</summary>
    Stream? Open(string sha256);
}

/// <summary>The default store: files under a root directory as <c>ab/cd/abcd…</c>, written atomically.</summary>
public sealed class LocalDiskFileStore(string root) : IFileStore
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
public static class FileTypes
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

public static class Uploads
{
    /// <summary>
    /// The local-disk store under <paramref name="root"/> (relative paths are under the content root) as the service's
    /// <see cref="IFileStore"/>.
    /// </summary>
    public static IHostApplicationBuilder AddFileStore(this IHostApplicationBuilder builder, string root)
    {
        builder.Services.AddSingleton<IFileStore>(new LocalDiskFileStore(Path.GetFullPath(root, builder.Environment.ContentRootPath)));
        return builder;
    }

    /// <summary>
    /// Checks an upload: present, not empty, at most <paramref name="maxBytes"/>, a PDF/PNG/JPEG/WebP by its content, and
    /// neither its declared type nor its extension contradicting that content. Returns the detected type (null on errors).
    /// </summary>
    public static async Task<string?> CheckAsync(IFormFile? file, long maxBytes, Validation validation, CancellationToken ct, string field = "file")
    {
        if (file is null)
        {
            validation.Add(field, $"Send the file as the multipart field '{field}'.");
            return null;
        }
        validation.Check(file.Length > 0, field, "The file is empty.")
            .Check(file.Length <= maxBytes, field, $"The file has {file.Length} bytes; at most {maxBytes} are accepted.");
        var head = new byte[16];
        string? detected;
        await using (var peek = file.OpenReadStream())
        {
            var read = await peek.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            detected = FileTypes.Detect(head.AsSpan(0, read));
        }
        if (detected is null)
        {
            validation.Add(field, "Only PDF, PNG, JPEG and WebP files are accepted (judged by their content).");
            return null;
        }
        var declared = file.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var extension = Path.GetExtension(file.FileName ?? "").ToLowerInvariant();
        validation.Check(string.IsNullOrEmpty(declared) || declared == "application/octet-stream" || declared == detected, field,
                $"The file is labelled {declared} but its content is {detected}.")
            .Check(FileTypes.Extensions[detected].Contains(extension), field,
                $"The file is named '{SafeName(file.FileName)}' but its content is {detected} ({string.Join(" or ", FileTypes.Extensions[detected])}).");
        return validation.IsValid ? detected : null;
    }

    /// <summary>The file name without directories or control characters, at most 200 characters.</summary>
    public static string SafeName(string? name)
    {
        var clean = new string(Path.GetFileName(name ?? "").Where(c => !char.IsControl(c) && c is not '"' and not '\\' and not '/').ToArray()).Trim();
        return clean.Length == 0 ? "file" : clean[..Math.Min(clean.Length, 200)];
    }
}
