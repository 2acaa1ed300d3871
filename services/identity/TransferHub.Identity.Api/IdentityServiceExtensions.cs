using Microsoft.AspNetCore.Identity;

namespace TransferHub.Identity.Api;

public sealed class IdentityOptions
{
    public const string Section = "Identity";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

public static class IdentityServiceExtensions
{
    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<IdentityOptions>(builder.Configuration.GetSection(IdentityOptions.Section));
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddScoped<AccountStore>();
        if (builder.Configuration.GetValue<bool>("Seed:DemoData"))
        {
            builder.Services.AddHostedService<DemoSeeder>();
        }
        return builder;
    }
}
