using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TransferHub.ServiceDefaults;

namespace TransferHub.Identity.Api;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

public sealed record MeResponse(Guid Id, string Email, string DisplayName, IReadOnlyList<Membership> Memberships);

public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/identity").WithTags("Accounts");
        group.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithSummary("Exchange email and password for an access token and a refresh token.");
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithSummary("Exchange a refresh token for a new pair; the old refresh token stops working.");
        group.MapGet("/me", MeAsync).RequireAuthorization(AuthPolicies.Authenticated)
            .WithSummary("The signed-in user and the organisations and roles they hold.");
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, AccountStore accounts, TokenIssuer tokens, IPasswordHasher<UserAccount> hasher,
        IOptions<IdentityOptions> options, HttpContext http, CancellationToken ct)
    {
        var validation = new Validation()
            .Require("email", request.Email, 320)
            .Require("password", request.Password, 512);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var user = await accounts.FindByEmailAsync(request.Email!.Trim(), ct);
        if (user is null)
        {
            // Same work as a real check, so timing does not reveal which emails exist.
            hasher.VerifyHashedPassword(new UserAccount(Guid.Empty, "", "", "", 0, null), DummyHash.Value, request.Password!);
            return WrongCredentials();
        }
        if (user.LockedUntil is { } lockedUntil && lockedUntil > DateTimeOffset.UtcNow)
        {
            var seconds = (int)Math.Ceiling((lockedUntil - DateTimeOffset.UtcNow).TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status423Locked, title: "The account is locked.",
                detail: $"Too many failed logins; try again in {seconds} seconds or ask a platform admin to reset the password.");
        }
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await accounts.RecordFailedLoginAsync(user.Id, options.Value.MaxFailedLogins, options.Value.LockoutDuration, ct);
            return WrongCredentials();
        }
        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, request.Password!) : null;
        await accounts.RecordSuccessfulLoginAsync(user.Id, rehash, ct);
        return TypedResults.Ok(await IssueAsync(user, Guid.NewGuid(), accounts, tokens, options.Value, ct));
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, AccountStore accounts, TokenIssuer tokens, IOptions<IdentityOptions> options, CancellationToken ct)
    {
        var validation = new Validation().Require("refreshToken", request.RefreshToken, 200);
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }
        var rotated = await accounts.RotateRefreshTokenAsync(request.RefreshToken!, options.Value.RefreshTokenLifetime, ct);
        if (rotated is not { } next || await accounts.FindByIdAsync(next.UserId, ct) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token is not valid.",
                detail: "It expired, was already used or was revoked; sign in again.");
        }
        var memberships = await accounts.MembershipsAsync(user.Id, ct);
        return TypedResults.Ok(new TokenResponse(tokens.Issue(user, memberships), next.Token, (int)tokens.AccessTokenLifetime.TotalSeconds));
    }

    private static async Task<Results<Ok<MeResponse>, NotFound>> MeAsync(ClaimsPrincipal principal, AccountStore accounts, CancellationToken ct)
    {
        if (principal.UserId() is not { } id || await accounts.FindByIdAsync(id, ct) is not { } user)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(new MeResponse(user.Id, user.Email, user.DisplayName, await accounts.MembershipsAsync(user.Id, ct)));
    }

    private static async Task<TokenResponse> IssueAsync(UserAccount user, Guid family, AccountStore accounts, TokenIssuer tokens,
        IdentityOptions options, CancellationToken ct)
    {
        var memberships = await accounts.MembershipsAsync(user.Id, ct);
        var refresh = await accounts.IssueRefreshTokenAsync(user.Id, family, options.RefreshTokenLifetime, null, ct);
        return new TokenResponse(tokens.Issue(user, memberships), refresh, (int)tokens.AccessTokenLifetime.TotalSeconds);
    }

    private static ProblemHttpResult WrongCredentials() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong email or password.",
            detail: "Check both and try again; repeated failures lock the account for a while.");

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<UserAccount>().HashPassword(new UserAccount(Guid.Empty, "", "", "", 0, null), "not-a-password");
    }
}
