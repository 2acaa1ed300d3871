namespace TransferHub.Web;

/// <summary>Marker type for the portal's UI strings in <c>Resources/SharedResource.*.resx</c>.</summary>
public sealed class SharedResource;
