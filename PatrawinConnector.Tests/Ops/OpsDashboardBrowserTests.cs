using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PatrawinConnector.Tests.Support;

namespace PatrawinConnector.Tests.Ops;

/// <summary>The dashboard in a real browser (Debian's Chromium through Playwright) against the connector on 127.0.0.1.</summary>
[NonParallelizable]
public sealed class OpsDashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Debian's Chromium, headless, quiet (no updates, no sync, nothing fetched from outside).</summary>
    private static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.That(File.Exists(Chromium), Is.True, $"{Chromium} is missing: run scripts/ensure-chromium.sh (./test.sh does) to install Debian's chromium");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Timeout = 30_000,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    [Test]
    public async Task Dashboard_RunNowOnTagSync_OutcomeAppearsAndSandboxBannerShows()
    {
        using var factory = new ConnectorApiFactory(withScheduler: true);
        var address = await factory.StartOnLoopbackAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(address, StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }
        };

        await page.GotoAsync(address + "/ops");
        var row = page.Locator("tr[data-job='tag-sync']");
        await Assertions.Expect(row).ToContainTextAsync("never run");
        await row.Locator("button[data-action='trigger']").ClickAsync();

        await Assertions.Expect(row.Locator(".outcome")).ToHaveTextAsync("succeeded", new() { Timeout = 20_000 });
        await Assertions.Expect(row).ToContainTextAsync("19 upserted");
        await Assertions.Expect(page.GetByTestId("sandbox-banner")).ToContainTextAsync("SANDBOX: Patrawin and WiseTime");
        await Assertions.Expect(page.Locator("tr[data-cursor='case-sync']")).ToContainTextAsync("13 / 13");
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ops-dashboard.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "the dashboard after running tag-sync");

        Assert.That(external, Is.Empty, "the page loads nothing from outside the connector");
    }

    [Test]
    public async Task Hangfire_WithCredentials_FourRecurringJobsTriggerNowSucceeds()
    {
        const string user = "ops", password = "correct horse battery staple";
        using var factory = new ConnectorApiFactory(new() { ["OPS_USERNAME"] = user, ["OPS_PASSWORD"] = password }, withScheduler: true);
        var address = await factory.StartOnLoopbackAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var anonymous = await browser.NewContextAsync();
        var refused = await anonymous.APIRequest.GetAsync(address + "/hangfire");   // a page would stop at the browser's sign-in prompt
        await using var signedIn = await browser.NewContextAsync(new() { HttpCredentials = new() { Username = user, Password = password } });
        var page = await signedIn.NewPageAsync();
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Console += (_, message) => pageErrors.Add(message.Type + ": " + message.Text);

        await page.GotoAsync(address + "/hangfire/recurring");
        foreach (var id in new[] { "tag-sync", "tag-refresh", "activity-type-sync", "external-hours-sync" })
        {
            await Assertions.Expect(page.Locator($"input.js-jobs-list-checkbox[value='{id}']")).ToHaveCountAsync(1);
        }
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("Patrawin Connector"));
        await page.Locator("input.js-jobs-list-checkbox[value='tag-sync']").CheckAsync();
        await Assertions.Expect(page.Locator("button.js-jobs-list-command[data-url$='/recurring/trigger']")).ToBeEnabledAsync(new() { Timeout = 5_000 });
        Assert.That(pageErrors, Is.Empty);
        await page.Locator("button.js-jobs-list-command[data-url$='/recurring/trigger']").ClickAsync(new() { Force = true });   // Hangfire's toolbar never settles for the stability check
        var journal = factory.Services.GetRequiredService<Api.Jobs.JobRunJournal>();
        for (var i = 0; i < 400 && journal.Last("tag-sync") is not { Outcome: "succeeded" }; i++)
        {
            await Task.Delay(50);
        }
        await page.GotoAsync(address + "/hangfire/jobs/succeeded");

        Assert.That(refused.Status, Is.EqualTo(401), "no credentials, no dashboard");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("TagSyncJob");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sync cursors and time left" })).ToHaveAttributeAsync("href", "/ops#cursors-section");
        Assert.That(await page.ContentAsync(), Does.Not.Contain("hangfire.db"), "the storage's connection string is not shown");
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "hangfire-dashboard.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "Hangfire's succeeded jobs after triggering tag-sync from its recurring jobs page");
    }

    [Test]
    public async Task Dashboard_MapKimaiProjectToOrganisation_MappingAppears()
    {
        using var kimai = new ExternalHours.KimaiStandIn(() => DateTime.UtcNow);
        using var civicrm = new ExternalHours.CiviCrmStandIn();
        kimai.Projects.Add(new() { ["id"] = 3, ["name"] = "Servers", ["customer"] = 1, ["parentTitle"] = "Acme" });
        using var factory = new ConnectorApiFactory(new()
        {
            ["KIMAI_URL"] = "https://kimai.test", ["KIMAI_API_TOKEN"] = "token",
            ["CIVICRM_API4_URL"] = "https://crm.test/civicrm/ajax/api4", ["CIVICRM_API_KEY"] = "civi-key",
        }, configureServices: services =>
        {
            services.AddHttpClient<Domain.ExternalHours.KimaiClient>().ConfigurePrimaryHttpMessageHandler(() => kimai);
            services.AddHttpClient<Domain.ExternalHours.CiviCrmClient>().ConfigurePrimaryHttpMessageHandler(() => civicrm);
        });
        var address = await factory.StartOnLoopbackAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(address + "/ops");
        await Assertions.Expect(page.Locator("#map-project option")).ToHaveCountAsync(1);
        await page.Locator("#org-search").FillAsync("Acme");
        await Assertions.Expect(page.Locator("#map-organisation option")).ToHaveCountAsync(1);
        await page.Locator("#map-button").ClickAsync();

        await Assertions.Expect(page.Locator("tr[data-mapping='3']")).ToContainTextAsync("Acme Ltd (202)", new() { Timeout = 10_000 });
        var screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ops-external-hours.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "the dashboard's external hours section after mapping a project");
    }
}
