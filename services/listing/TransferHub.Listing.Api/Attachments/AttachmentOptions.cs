using TransferHub.Files;

namespace TransferHub.Listing.Api.Attachments;

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

public static class AttachmentRegistration
{
    /// <summary>The attachment store (local disk under <c>Listing:Attachments:Root</c>) and its limits.</summary>
    public static IHostApplicationBuilder AddAttachments(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AttachmentOptions>(builder.Configuration.GetSection(AttachmentOptions.Section));
        var options = builder.Configuration.GetSection(AttachmentOptions.Section).Get<AttachmentOptions>() ?? new AttachmentOptions();
        return builder.AddFileStore(options.Root);
    }
}
