using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// The portal in a real browser (Debian's chromium, driven by Playwright), through the gateway. The browser is
/// <c>/usr/bin/chromium</c> unless TH_CHROMIUM names another; Playwright's own browser download is not used.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PortalBrowserTests(StackFixture fixture) : IAsyncLifetime
{
    private const float Timeout = 20_000;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("TH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"No browser at {chromium}: apt-get install chromium (deploy/test.sh installs it), or set TH_CHROMIUM.");
        }
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            Timeout = Timeout,
        });
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task A_visitor_reads_the_portal_in_chinese_and_vietnamese()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("nav.main-nav")).ToContainTextAsync("Technologies");

        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh");
        await Assertions.Expect(page.Locator("nav.main-nav")).ToContainTextAsync("技术成果");

        await page.GetByRole(AriaRole.Link, new() { Name = "Tiếng Việt" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "vi");
        await Assertions.Expect(page.Locator("nav.main-nav")).ToContainTextAsync("Công nghệ");
    }

    [Fact]
    public async Task A_member_signs_in_sees_a_published_technology_and_signs_out()
    {
        using var institution = await fixture.As("institution-member");
        var title = "Browser test: solar rice dryer " + Guid.NewGuid().ToString("N")[..8];
        await fixture.PublishTechnologyAsync(institution, title);
        var account = DemoAccounts.WithRole("company-member");

        var page = await NewPageAsync();
        await page.GotoAsync("/technologies");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login"));

        await page.Locator("#email").FillAsync(account.Email);
        await page.Locator("#password").FillAsync(account.Password + "-wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong email or password.");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Assertions.Expect(page.Locator("#password")).ToHaveValueAsync("");

        await page.Locator("#email").FillAsync(account.Email);
        await page.Locator("#password").FillAsync(account.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/technologies"));
        await Assertions.Expect(page.Locator(".user-email")).ToHaveTextAsync(account.Email);

        // The event may still be on its way to matchmaking: reload until it is there.
        await Eventually.TrueAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.GetByRole(AriaRole.Heading, new() { Name = title }).CountAsync() == 1;
        }, TimeSpan.FromSeconds(20), $"'{title}' should be listed on /technologies");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator(".account")).ToContainTextAsync("Sign in");
        await page.GotoAsync("/technologies");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task A_visitor_searches_in_thai_finds_a_chinese_technology_with_its_words_marked_and_narrows_by_language()
    {
        using var institution = await fixture.As("institution-member");
        var tag = Guid.NewGuid().ToString("N")[..8];
        var title = $"石墨烯防腐涂层 {tag}";
        await fixture.PublishTechnologyAsync(institution, title, language: "zh", summary: "用于输电铁塔的石墨烯改性防腐涂料。");

        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Search technologies" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/search"));

        // Thai for "graphene" and the tag: the Chinese-only technology is found through the thesaurus concept
        await Eventually.TrueAsync(async () =>
        {
            await page.Locator("#q").FillAsync($"กราฟีน {tag}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            await page.WaitForURLAsync(new Regex("q="));
            return await page.Locator("li.result h2", new() { HasText = tag }).CountAsync() == 1;
        }, TimeSpan.FromSeconds(20), $"'{title}' should be found by a Thai search");
        var hit = page.Locator("li.result", new() { HasText = tag });
        // the concept's label in the matched language, and the word itself
        await Assertions.Expect(hit.Locator("h2 mark")).ToHaveTextAsync(["石墨烯", tag]);
        await Assertions.Expect(hit.Locator(".matched dd")).ToContainTextAsync("中文");
        Assert.Equal("zh", await hit.Locator("h2").GetAttributeAsync("lang"));

        // the language facet narrows to Chinese and says so in the URL; clearing the filters brings everything back
        await page.Locator(".facets a", new() { HasText = "中文" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("language=zh"));
        await Assertions.Expect(page.Locator(".facets a.on")).ToContainTextAsync("中文");
        await Assertions.Expect(page.Locator("li.result", new() { HasText = tag })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = "Clear all filters" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("language="));
        // the links navigate in place (Blazor's enhanced navigation): the URL changes before the page does
        await Assertions.Expect(page.Locator(".facets a.on")).ToHaveCountAsync(0);

        // a need no listing has every word of: the page says only some of the words were found
        await page.Locator("#q").FillAsync($"{tag} unobtainium{tag} flux");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("unobtainium"));
        await Assertions.Expect(page.Locator(".relaxed")).ToContainTextAsync("No technology has all of your words");
        await Assertions.Expect(page.Locator("li.result", new() { HasText = tag })).ToHaveCountAsync(1);

        // a search text over the API's limit is refused by the portal with what to do, not sent
        await page.GotoAsync("/search?q=" + new string('x', 600));
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("longer than 500 characters");
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Gateway.ToString().TrimEnd('/'),
            Locale = "en-US",
        });
        context.SetDefaultTimeout(Timeout);
        return await context.NewPageAsync();
    }
}
