using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using TransferHub.Testing;

namespace TransferHub.EndToEnd.Tests;

/// <summary>
/// Contract registration through the gateway against the real stack: a seller drafts and submits, the competent
/// station's officer decides, the certificate is signed and publicly verifiable, the audit chain holds (and shows
/// tampering), numbers are gap-free under concurrency, and every permission and bad-input rule answers as it should.
/// Demo data: Yunnan University (region 530100) registers at the Kunming station 530101, staffed by the first demo
/// station officer; the second officer staffs Yuxi (530401).
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RegistrationTests(StackFixture fixture)
{
    private const string Submissions = "/api/registrations/submissions";
    private const string Kunming = "530101";
    private const string Yuxi = "530401";

    private static DateOnly Today => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);

    public static JsonObject Draft(string title, decimal amount = 1_200_000m, string currency = "CNY") => new()
    {
        ["title"] = title,
        ["category"] = "transfer",
        ["subCategory"] = "patent-right",
        ["ourRole"] = "provider",
        ["parties"] = new JsonArray(new JsonObject
        {
            ["name"] = "Lancang Green Energy Co., Ltd.", ["country"] = "LA", ["organisationCode"] = "LA0123456789", ["provider"] = false,
        }),
        ["contractAmount"] = amount,
        ["currency"] = currency,
        ["costs"] = new JsonArray(
            new JsonObject { ["kind"] = "equipment", ["description"] = "Pilot line", ["amount"] = 150_000m },
            new JsonObject { ["kind"] = "carrier-equipment", ["description"] = "Reactor carrying the process", ["amount"] = 50_000m, ["sets"] = 1 }),
        ["field"] = "green-energy",
        ["ip"] = new JsonArray(new JsonObject { ["type"] = "invention-patent", ["number"] = "ZL202310000001.X" }),
        ["contractLanguage"] = "zh",
        ["signedOn"] = Today.AddDays(-3).ToString("yyyy-MM-dd"),
    };

    [Fact]
    public async Task A_contract_goes_from_draft_to_a_signed_certificate_anyone_can_verify_and_listing_learns_the_deal()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        using var otherStation = await fixture.As("station-officer", 1);
        using var otherInstitution = await fixture.As("institution-member", 1);
        using var company = await fixture.As("company-member");
        using var anonymous = fixture.Anonymous();
        var technology = await fixture.PublishTechnologyAsync(seller, "Registered perovskite process " + Guid.NewGuid().ToString("N")[..6]);

        var draft = Draft("Patent transfer: perovskite coating process");
        draft["technologyId"] = technology.ToString();
        var created = await Api.SendAsync(seller, HttpMethod.Post, Submissions, draft);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("id").GetGuid();
        Assert.Equal("draft", created.Body.GetProperty("status").GetString());

        // the written contract is required, as a real file judged by its content
        var oral = await Api.SendAsync(seller, HttpMethod.Post, $"{Submissions}/{id}/submit");
        Assert.Equal(HttpStatusCode.BadRequest, oral.Status);
        Assert.True(oral.Body.GetProperty("errors").TryGetProperty("documents", out _));
        await UploadAsync(seller, id, "contract", "zh", "contract.pdf", Encoding.UTF8.GetBytes("MZ this is no PDF"), expected: HttpStatusCode.BadRequest);
        await UploadAsync(seller, id, "contract", "zh", "contract.png", expected: HttpStatusCode.BadRequest); // a PDF named .png
        await UploadAsync(seller, id, "lease", "zh", "contract.pdf", expected: HttpStatusCode.BadRequest);
        await UploadAsync(otherInstitution, id, "contract", "zh", "contract.pdf", expected: HttpStatusCode.NotFound);
        var document = await UploadAsync(seller, id, "contract", "zh", "合同.pdf");
        Assert.Equal("application/pdf", document.GetProperty("contentType").GetString());

        var submitted = await SubmitAsync(seller, id);
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());
        Assert.Equal(Kunming, submitted.GetProperty("stationCode").GetString());
        Assert.Equal(Today.AddDays(30).ToString("yyyy-MM-dd"), submitted.GetProperty("clock").GetProperty("dueOn").GetString());

        // only the competent station sees it; other organisations do not
        Assert.Contains(id.ToString(), await officer.GetStringAsync("/api/registrations/queue"));
        Assert.DoesNotContain(id.ToString(), await otherStation.GetStringAsync("/api/registrations/queue"));
        foreach (var stranger in new[] { otherStation, otherInstitution, company })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(stranger, HttpMethod.Get, $"{Submissions}/{id}")).Status);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(otherStation, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(seller, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(anonymous, HttpMethod.Get, $"{Submissions}/{id}")).Status);

        // the station reads the contract text; nobody else does, and it no longer changes once submitted
        var documentPath = $"{Submissions}/{id}/documents/{document.GetProperty("id").GetGuid()}";
        Assert.Equal(Pdf, await officer.GetByteArrayAsync(documentPath));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(otherStation, HttpMethod.Get, documentPath)).Status);
        await UploadAsync(seller, id, "annex", "zh", "late.pdf", expected: HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/claim")).Status);
        var registered = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject { ["note"] = "complete" });
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        var number = registered.Body.GetProperty("registrationNumber").GetString()!;
        Assert.Matches($"^{Today.Year % 100:00}{Kunming}[0-9]{{6}}$", number);
        var decision = registered.Body.GetProperty("decision");
        Assert.Equal(1_050_000m, decision.GetProperty("technologyTransactionAmount").GetDecimal()); // equipment out, one carrier set stays in
        Assert.Equal(150_000m, decision.GetProperty("nonTechnicalCosts").GetDecimal());

        // a second decision (a double click) changes nothing
        var again = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject());
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(number, again.Body.GetProperty("registrationNumber").GetString());

        // the certificate: the seller and the station see it; its signature checks against the station's public key
        var certificate = (await Api.SendAsync(seller, HttpMethod.Get, $"/api/registrations/certificates/{number}")).Body;
        var content = certificate.GetProperty("content");
        Assert.Equal(1_200_000m, content.GetProperty("contractAmount").GetDecimal());
        Assert.Equal(1_050_000m, content.GetProperty("technologyTransactionAmount").GetDecimal());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(otherInstitution, HttpMethod.Get, $"/api/registrations/certificates/{number}")).Status);
        var hash = certificate.GetProperty("contentHash").GetString()!;
        var pem = await anonymous.GetStringAsync($"/api/registrations/stations/{Kunming}/public-key");
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(pem);
            var bytes = Encoding.UTF8.GetBytes(certificate.GetProperty("signedContent").GetString()!);
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.True(key.VerifyData(bytes, Convert.FromBase64String(certificate.GetProperty("signature").GetString()!), HashAlgorithmName.SHA256));
        }
        var printable = await seller.GetStringAsync($"/api/registrations/certificates/{number}/print");
        Assert.Contains(number, printable);
        Assert.Contains("技术交易额", printable);

        // public verification: valid with the right hash, unknown otherwise; bad parameters are a 400
        var valid = await Api.SendAsync(anonymous, HttpMethod.Get, $"/api/registrations/verify?number={number}&hash={hash}");
        Assert.Equal("valid", valid.Body.GetProperty("status").GetString());
        var forged = await Api.SendAsync(anonymous, HttpMethod.Get, $"/api/registrations/verify?number={number}&hash={new string('0', 64)}");
        Assert.Equal("unknown", forged.Body.GetProperty("status").GetString());
        Assert.False(forged.Body.TryGetProperty("stationCode", out var station) && station.ValueKind != JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(anonymous, HttpMethod.Get, $"/api/registrations/verify?number={number}&hash=xyz")).Status);

        // the history comes from the audit chain
        var history = (await Api.SendAsync(seller, HttpMethod.Get, $"{Submissions}/{id}/history")).Body;
        Assert.Equal(new[] { "drafted", "document-uploaded", "submitted", "claimed", "registered" },
            history.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());

        // ContractRegistered reaches listing: an assignment counts as a deal and takes the technology off the market
        await Eventually.TrueAsync(async () =>
        {
            var t = (await Api.SendAsync(seller, HttpMethod.Get, $"/api/listings/technologies/{technology}")).Body;
            return t.GetProperty("status").GetString() == "transferred" && t.GetProperty("dealsCount").GetInt32() == 1;
        }, TimeSpan.FromSeconds(30), "listing marks the technology transferred after the registered assignment");
    }

    [Theory]
    [InlineData("contractAmount", "contractAmount", "-5")]
    [InlineData("contractAmount", "contractAmount", "0")]
    [InlineData("category", "category", "\"barter\"")]
    [InlineData("subCategory", "subCategory", "\"patent-lease\"")]
    [InlineData("currency", "currency", "\"XYZ\"")]
    [InlineData("costs", "costs", "[{\"kind\":\"equipment\",\"description\":\"Plant\",\"amount\":5000000}]")]
    [InlineData("costs", "costs[0].kind", "[{\"kind\":\"lunch\",\"description\":\"Food\",\"amount\":5}]")]
    [InlineData("contractLanguage", "contractLanguage", "\"de\"")]
    [InlineData("ourRole", "ourRole", "\"buyer\"")]
    [InlineData("field", "field", "\"alchemy\"")]
    [InlineData("signedOn", "signedOn", "\"2999-01-01\"")]
    [InlineData("parties", "parties[0].country", "[{\"name\":\"X\",\"country\":\"ZZ\"}]")]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string property, string field, string json)
    {
        using var seller = await fixture.As("institution-member", 0);
        var before = await MineTotalAsync(seller);
        var draft = Draft("Bad input " + field);
        draft[property] = JsonNode.Parse(json);
        var answer = await Api.SendAsync(seller, HttpMethod.Post, Submissions, draft);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.True(answer.Body.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}: {answer.Body}");
        Assert.Equal(before, await MineTotalAsync(seller));
    }

    [Fact]
    public async Task A_foreign_language_contract_with_its_chinese_text_is_accepted_and_an_import_is_registered_by_the_domestic_recipient()
    {
        using var institute = await fixture.As("institution-member", 1);
        var draft = Draft("Licence of a Thai cassava starch process");
        draft["contractLanguage"] = "th";
        draft["ourRole"] = "recipient";
        draft["parties"] = new JsonArray(new JsonObject { ["name"] = "Kasetsart Agro Co.", ["country"] = "TH", ["provider"] = true });
        var id = (await Api.SendAsync(institute, HttpMethod.Post, Submissions, draft)).Body.GetProperty("id").GetGuid();
        await UploadAsync(institute, id, "contract", "th", "สัญญา.pdf");
        // the Thai contract alone is not enough: its Chinese text is required
        var missing = await Api.SendAsync(institute, HttpMethod.Post, $"{Submissions}/{id}/submit");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("Chinese text", missing.Body.GetProperty("errors").GetProperty("documents")[0].GetString());
        await UploadAsync(institute, id, "chinese-text", "zh", "合同中文本.pdf");
        var submitted = await SubmitAsync(institute, id);
        Assert.Equal(Kunming, submitted.GetProperty("stationCode").GetString());

        // a domestic provider registers its own contract: the recipient cannot
        draft["parties"] = new JsonArray(new JsonObject { ["name"] = "Yunnan Copper Co.", ["country"] = "CN", ["regionCode"] = "530100", ["provider"] = true });
        var domestic = await Api.SendAsync(institute, HttpMethod.Post, Submissions, draft);
        Assert.Equal(HttpStatusCode.BadRequest, domestic.Status);
        Assert.True(domestic.Body.GetProperty("errors").TryGetProperty("ourRole", out _));
    }

    [Fact]
    public async Task A_misrouted_submission_is_refused_as_wrong_jurisdiction_naming_the_competent_station()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var kunming = await fixture.As("station-officer", 0);
        using var yuxi = await fixture.As("station-officer", 1);
        var draft = Draft("Sent to the wrong station");
        draft["stationCode"] = Yuxi;
        var id = await CreateAsync(seller, draft);
        var submitted = await SubmitAsync(seller, id);
        Assert.Equal(Yuxi, submitted.GetProperty("stationCode").GetString());
        Assert.Equal(Kunming, submitted.GetProperty("competentStation").GetString());

        var queue = JsonDocument.Parse(await yuxi.GetStringAsync("/api/registrations/queue")).RootElement.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == id);
        Assert.True(queue.GetProperty("misrouted").GetBoolean());
        var register = await Api.SendAsync(yuxi, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject());
        Assert.Equal(HttpStatusCode.Conflict, register.Status);
        Assert.Equal(Kunming, register.Body.GetProperty("competentStation").GetString());

        var refused = await Api.SendAsync(yuxi, HttpMethod.Post, $"{Submissions}/{id}/refuse",
            new JsonObject { ["reasonCodes"] = new JsonArray("wrong-jurisdiction") });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("refused", refused.Body.GetProperty("status").GetString());
        Assert.Equal(Kunming, refused.Body.GetProperty("decision").GetProperty("competentStation").GetString());
        // closed: no second decision
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(yuxi, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(seller, HttpMethod.Post, $"{Submissions}/{id}/submit")).Status);

        // the competent station cannot use wrong-jurisdiction, nor an unknown code
        var correct = await CreateAsync(seller, Draft("Sent to the right station"));
        await SubmitAsync(seller, correct);
        foreach (var code in new[] { "wrong-jurisdiction", "bad-weather" })
        {
            var answer = await Api.SendAsync(kunming, HttpMethod.Post, $"{Submissions}/{correct}/refuse", new JsonObject { ["reasonCodes"] = new JsonArray(code) });
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        }
        Assert.Equal("submitted", (await Api.SendAsync(seller, HttpMethod.Get, $"{Submissions}/{correct}")).Body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_supplement_request_stops_the_clock_and_a_complete_resubmission_restarts_it()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        var id = await CreateAsync(seller, Draft("Needs a supplement"));
        await SubmitAsync(seller, id);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/request-supplement", new JsonObject { ["reasons"] = new JsonArray() })).Status);
        var asked = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/request-supplement",
            new JsonObject { ["reasons"] = new JsonArray("The IP record lacks the patent certificate.") });
        Assert.Equal("supplement-requested", asked.Body.GetProperty("status").GetString());
        Assert.Equal("awaiting-supplement", asked.Body.GetProperty("clock").GetProperty("phase").GetString());
        Assert.Equal(JsonValueKind.Null, asked.Body.GetProperty("clock").GetProperty("dueOn").ValueKind);
        // the officer cannot decide while it is with the registrant
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);

        var current = await Api.SendAsync(seller, HttpMethod.Get, $"{Submissions}/{id}");
        var edited = Draft("Needs a supplement (supplemented)");
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Api.SendAsync(seller, HttpMethod.Put, $"{Submissions}/{id}", edited)).Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Api.SendAsync(seller, HttpMethod.Put, $"{Submissions}/{id}", edited, "\"1\"")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(seller, HttpMethod.Put, $"{Submissions}/{id}", edited, current.ETag)).Status);
        var resubmitted = await SubmitAsync(seller, id);
        Assert.Equal("running", resubmitted.GetProperty("clock").GetProperty("phase").GetString());
        Assert.Equal(Today.AddDays(30).ToString("yyyy-MM-dd"), resubmitted.GetProperty("clock").GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task A_contract_above_the_threshold_is_registered_only_after_expert_review()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        var id = await CreateAsync(seller, Draft("Large licence", 8_000_000m));
        Assert.True((await SubmitAsync(seller, id)).GetProperty("clock").GetProperty("expertReviewRequired").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);
        var eligible = (await Api.SendAsync(officer, HttpMethod.Get, $"{Submissions}/{id}/expert-candidates")).Body.EnumerateArray()
            .Where(c => c.GetProperty("conflict").ValueKind == JsonValueKind.Null && c.GetProperty("available").GetBoolean())
            .Select(c => (JsonNode)c.GetProperty("id").GetString()!).Take(1).ToArray();
        var review = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/expert-review",
            new JsonObject { ["disputed"] = false, ["expertIds"] = new JsonArray(eligible) });
        Assert.Equal("expert-review", review.Body.GetProperty("clock").GetProperty("phase").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);
        var done = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/expert-review/complete",
            new JsonObject { ["opinion"] = "A genuine patent transfer; amounts are consistent." });
        Assert.Equal("running", done.Body.GetProperty("clock").GetProperty("phase").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);
    }

    [Fact]
    public async Task A_foreign_currency_contract_needs_the_recorded_rate_and_the_certificate_shows_both_amounts()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        var id = await CreateAsync(seller, Draft("Licence paid in dollars", 400_000m, "USD"));
        await SubmitAsync(seller, id);
        var missing = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.True(missing.Body.GetProperty("errors").TryGetProperty("exchangeRate", out _));
        var absurd = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register",
            new JsonObject { ["exchangeRate"] = new JsonObject { ["rate"] = 1_000_000m } });
        Assert.Equal(HttpStatusCode.BadRequest, absurd.Status);
        var future = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register",
            new JsonObject { ["exchangeRate"] = new JsonObject { ["rate"] = 7.1m, ["date"] = Today.AddDays(3).ToString("yyyy-MM-dd") } });
        Assert.True(future.Body.GetProperty("errors").TryGetProperty("exchangeRate.date", out _));
        var registered = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register",
            new JsonObject { ["exchangeRate"] = new JsonObject { ["rate"] = 7.1m, ["date"] = Today.ToString("yyyy-MM-dd") } });
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        var number = registered.Body.GetProperty("registrationNumber").GetString();
        var content = (await Api.SendAsync(seller, HttpMethod.Get, $"/api/registrations/certificates/{number}")).Body.GetProperty("content");
        Assert.Equal(250_000m, content.GetProperty("technologyTransactionAmount").GetDecimal()); // 400,000 − 150,000 equipment
        Assert.Equal(1_775_000m, content.GetProperty("technologyTransactionAmountCny").GetDecimal());
        Assert.Equal(2_840_000m, content.GetProperty("contractAmountCny").GetDecimal());
    }

    [Fact]
    public async Task Concurrent_registrations_at_one_station_get_distinct_gap_free_numbers_and_one_case_is_decided_once()
    {
        const int Count = 1000;
        // straight to the registration service: this measures the numbering under concurrency, not the gateway's rate limit
        using var seller = await DirectAsync("institution-member", 0);
        using var officer = await DirectAsync("station-officer", 0);
        var ids = new Guid[Count];
        await Parallel.ForAsync(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            ids[i] = await CreateAsync(seller, Draft($"Concurrent contract {i}"));
            Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(seller, HttpMethod.Post, $"{Submissions}/{ids[i]}/submit")).Status);
        });

        // every case registered at once, each twice (a double click): one number per case, none skipped
        var numbers = new System.Collections.Concurrent.ConcurrentBag<(Guid Id, string Number)>();
        var conflicts = 0;
        await Parallel.ForAsync(0, Count * 2, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var answer = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{ids[i % Count]}/register", new JsonObject());
            if (answer.Status == HttpStatusCode.OK)
            {
                numbers.Add((ids[i % Count], answer.Body.GetProperty("registrationNumber").GetString()!));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Conflict, answer.Status);
                Interlocked.Increment(ref conflicts);
            }
        });
        Assert.Equal(Count, numbers.Count);
        Assert.Equal(Count, conflicts);
        Assert.Equal(Count, numbers.Select(n => n.Id).Distinct().Count());
        var serials = numbers.Select(n => int.Parse(n.Number[^6..])).Order().ToList();
        Assert.Equal(Count, serials.Distinct().Count());
        Assert.Equal(Count - 1, serials[^1] - serials[0]);

        // the station's whole year is gap-free: serials 1..N, one per registered case
        var db = fixture.Stack.DatabaseName("registration");
        var all = await fixture.Stack.Infrastructure.QueryAsync<string>(db,
            "SELECT registration_number FROM submissions WHERE station_code = @station AND kind = 'contract' AND registration_number IS NOT NULL", new { station = Kunming });
        var year = all.Select(n => int.Parse(n[^6..])).Order().ToList();
        Assert.Equal(Enumerable.Range(1, year.Count), year);
    }

    [Fact]
    public async Task The_audit_chain_verifies_and_tampering_with_one_row_is_detected()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var admin = await fixture.As("platform-admin");
        using var officer = await fixture.As("station-officer", 0);
        var id = await CreateAsync(seller, Draft("Audited contract"));
        await SubmitAsync(seller, id);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/audit/verify")).Status);
        var intact = (await Api.SendAsync(admin, HttpMethod.Get, "/api/registrations/audit/verify")).Body;
        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());

        var db = fixture.Stack.DatabaseName("registration");
        var infrastructure = fixture.Stack.Infrastructure;
        var seq = await infrastructure.QueryScalarAsync<long>(db, "SELECT min(seq) FROM audit_log WHERE submission_id = @id AND action = 'submitted'", new { id });
        var original = await infrastructure.QueryScalarAsync<string>(db, "SELECT data FROM audit_log WHERE seq = @seq", new { seq });
        try
        {
            await infrastructure.ExecuteAsync(db, "UPDATE audit_log SET data = replace(data, @station, '530999') WHERE seq = @seq", new { seq, station = Kunming });
            var broken = (await Api.SendAsync(admin, HttpMethod.Get, "/api/registrations/audit/verify")).Body;
            Assert.False(broken.GetProperty("intact").GetBoolean());
            Assert.Equal(seq, broken.GetProperty("firstBrokenSeq").GetInt64());
            var (exit, output) = await VerifyAuditCommandAsync(infrastructure.Database(db));
            Assert.Equal(1, exit);
            Assert.Contains($"BROKEN at entry {seq}", output);
        }
        finally
        {
            await infrastructure.ExecuteAsync(db, "UPDATE audit_log SET data = @original WHERE seq = @seq", new { seq, original });
        }
        Assert.True((await Api.SendAsync(admin, HttpMethod.Get, "/api/registrations/audit/verify")).Body.GetProperty("intact").GetBoolean());
        var (fine, said) = await VerifyAuditCommandAsync(infrastructure.Database(db));
        Assert.True(fine == 0, said);
        Assert.Contains("audit chain intact", said);
    }

    /// <summary>The verify command of the registration service (`TransferHub.Registration.Api verify-audit`) against a database.</summary>
    private static async Task<(int Exit, string Output)> VerifyAuditCommandAsync(string connectionString)
    {
        var dll = RepoPaths.Dll("services/registration/TransferHub.Registration.Api");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("verify-audit");
        info.Environment["ConnectionStrings__Database"] = connectionString;
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task Statistics_count_registered_contracts_by_dimension_for_the_own_station_and_export_as_csv_and_xlsx()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        using var yuxi = await fixture.As("station-officer", 1);
        using var admin = await fixture.As("platform-admin");
        const string ByField = "/api/registrations/statistics?groupBy=field";
        var before = await FieldRowAsync(officer, ByField, "biomedicine");

        var draft = Draft("Biomedicine licence for statistics", 2_000_000m);
        draft["field"] = "biomedicine";
        draft["parties"] = new JsonArray(
            new JsonObject { ["name"] = "Vientiane Pharma", ["country"] = "LA" },
            new JsonObject { ["name"] = "Hanoi Biotech", ["country"] = "VN" });
        var id = await CreateAsync(seller, draft);
        await SubmitAsync(seller, id);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Status);

        var after = await FieldRowAsync(officer, ByField, "biomedicine");
        Assert.Equal(before.Contracts + 1, after.Contracts);
        Assert.Equal(before.Contract + 2_000_000m, after.Contract);
        Assert.Equal(before.Technology + 1_850_000m, after.Technology);
        // two countries: the contract counts under each
        var byCountry = (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/statistics?groupBy=country")).Body;
        Assert.Contains(byCountry.GetProperty("rows").EnumerateArray(), r => r.GetProperty("key").GetString() == "VN");
        Assert.Equal(Kunming, byCountry.GetProperty("station").GetString());

        // another station sees only its own figures; the admin sees all; others none
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(yuxi, HttpMethod.Get, $"{ByField}&station={Kunming}")).Status);
        var yuxiView = (await Api.SendAsync(yuxi, HttpMethod.Get, ByField)).Body;
        Assert.Equal(Yuxi, yuxiView.GetProperty("station").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(seller, HttpMethod.Get, ByField)).Status);
        var all = (await Api.SendAsync(admin, HttpMethod.Get, "/api/registrations/statistics?groupBy=station")).Body;
        Assert.Contains(all.GetProperty("rows").EnumerateArray(), r => r.GetProperty("key").GetString() == Kunming);

        foreach (var bad in new[] { "groupBy=colour", "from=2026-02-01&to=2026-01-01", "station=53", "from=yesterday" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/statistics?" + bad)).Status);
        }

        var csv = await officer.GetStringAsync("/api/registrations/statistics/export?format=csv&groupBy=field");
        Assert.StartsWith("field,contracts,contract_amount_cny,technology_amount_cny", csv.TrimStart('\uFEFF'));
        Assert.Contains("biomedicine,", csv);
        Assert.Contains("total,", csv);
        var xlsx = await officer.GetByteArrayAsync("/api/registrations/statistics/export?format=xlsx&groupBy=category");
        Assert.Equal("PK"u8.ToArray(), xlsx[..2]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/statistics/export?format=pdf")).Status);
    }

    [Fact]
    public async Task Amendments_and_terminations_are_registered_against_the_original_number()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        using var stranger = await fixture.As("institution-member", 1);
        using var anonymous = fixture.Anonymous();
        var id = await CreateAsync(seller, Draft("Contract that will change"));
        await SubmitAsync(seller, id);
        var number = (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Body
            .GetProperty("registrationNumber").GetString()!;
        var hash = (await Api.SendAsync(seller, HttpMethod.Get, $"/api/registrations/certificates/{number}")).Body.GetProperty("contentHash").GetString();
        var changes = $"/api/registrations/certificates/{number}";

        // an amendment: by the registrant only, one open change at a time, numbered -A1 at the same station
        var amendment = new JsonObject { ["reason"] = "Price raised after the pilot", ["amended"] = Draft("Contract that will change (amended)", 1_500_000m) };
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(stranger, HttpMethod.Post, $"{changes}/amendments", amendment.DeepClone())).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(seller, HttpMethod.Post, $"{changes}/amendments", new JsonObject { ["reason"] = "x" })).Status);
        var drafted = await Api.SendAsync(seller, HttpMethod.Post, $"{changes}/amendments", amendment.DeepClone());
        Assert.Equal(HttpStatusCode.Created, drafted.Status);
        Assert.Equal("amendment", drafted.Body.GetProperty("kind").GetString());
        Assert.Equal(number, drafted.Body.GetProperty("amendsNumber").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(seller, HttpMethod.Post, $"{changes}/amendments", amendment.DeepClone())).Status);
        var amendmentId = drafted.Body.GetProperty("id").GetGuid();
        await UploadAsync(seller, amendmentId, "contract", "zh", "amendment.pdf");
        Assert.Equal(Kunming, (await SubmitAsync(seller, amendmentId)).GetProperty("stationCode").GetString());
        var amended = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{amendmentId}/register", new JsonObject());
        Assert.Equal(HttpStatusCode.OK, amended.Status);
        Assert.Equal(number + "-A1", amended.Body.GetProperty("registrationNumber").GetString());
        var verified = (await Api.SendAsync(anonymous, HttpMethod.Get, $"/api/registrations/verify?number={number}&hash={hash}")).Body;
        Assert.Equal("valid", verified.GetProperty("status").GetString());
        Assert.Equal(number + "-A1", verified.GetProperty("amendments")[0].GetString());

        // a termination: numbered -T; the original certificate is then revoked and cannot change again
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(seller, HttpMethod.Post, $"{changes}/termination", new JsonObject { ["reason"] = "" })).Status);
        var termination = await Api.SendAsync(seller, HttpMethod.Post, $"{changes}/termination",
            new JsonObject { ["reason"] = "The licensee withdrew", ["terminatedOn"] = Today.ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.Created, termination.Status);
        var terminationId = termination.Body.GetProperty("id").GetGuid();
        await SubmitAsync(seller, terminationId);
        var terminated = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{terminationId}/register", new JsonObject());
        Assert.Equal(number + "-T", terminated.Body.GetProperty("registrationNumber").GetString());
        Assert.Equal("revoked", (await Api.SendAsync(anonymous, HttpMethod.Get, $"/api/registrations/verify?number={number}&hash={hash}")).Body
            .GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Api.SendAsync(seller, HttpMethod.Post, $"{changes}/amendments", amendment.DeepClone())).Status);
    }

    [Fact]
    public async Task The_certificate_pdf_carries_the_text_and_a_qr_code_that_verifies_it()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        using var stranger = await fixture.As("institution-member", 1);
        var id = await CreateAsync(seller, Draft("PDF 证书 contract"));
        await SubmitAsync(seller, id);
        var number = (await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/register", new JsonObject())).Body
            .GetProperty("registrationNumber").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(stranger, HttpMethod.Get, $"/api/registrations/certificates/{number}/pdf")).Status);
        using var response = await seller.GetAsync($"/api/registrations/certificates/{number}/pdf");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();

        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        var text = string.Concat(page.Letters.Select(l => l.Value));
        Assert.Contains(number, text);
        Assert.Contains("技术交易额", text);
        Assert.Contains("PDF 证书 contract", text);

        // the QR code: the filled squares on the page, rasterised and decoded, give the public verification URL
        var squares = page.Paths.Where(p => p.IsFilled).SelectMany(p => p).Select(sub => sub.GetBoundingRectangle())
            .OfType<UglyToad.PdfPig.Core.PdfRectangle>()
            .Where(r => r.Width > 0 && r.Width < 10).ToList();
        Assert.NotEmpty(squares);
        var module = squares.Min(r => r.Width);
        var left = squares.Min(r => r.Left) - (4 * module);
        var top = squares.Max(r => r.Top) + (4 * module);
        var size = (int)Math.Round((squares.Max(r => r.Right) - left + (4 * module)) / module);
        const int Scale = 4;
        var pixels = Enumerable.Repeat((byte)255, size * size * Scale * Scale).ToArray();
        foreach (var r in squares)
        {
            var col = (int)Math.Round((r.Left - left) / module);
            var row = (int)Math.Round((top - r.Top) / module);
            for (var dy = 0; dy < Scale; dy++)
            {
                for (var dx = 0; dx < Scale; dx++)
                {
                    pixels[((row * Scale) + dy) * size * Scale + (col * Scale) + dx] = 0;
                }
            }
        }
        var source = new ZXing.RGBLuminanceSource(pixels, size * Scale, size * Scale, ZXing.RGBLuminanceSource.BitmapFormat.Gray8);
        var decoded = new ZXing.QrCode.QRCodeReader().decode(new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(source)));
        Assert.NotNull(decoded);
        Assert.StartsWith(fixture.Gateway.ToString().TrimEnd('/') + "/api/registrations/verify?number=" + number, decoded.Text);
        using var anonymous = fixture.Anonymous();
        var verified = (await Api.SendAsync(anonymous, HttpMethod.Get, decoded.Text)).Body;
        Assert.Equal("valid", verified.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_deal_agreed_in_matchmaking_becomes_a_prefilled_draft_that_the_seller_completes_and_submits()
    {
        using var seller = await fixture.As("institution-member", 0);
        var sellerOrganisation = Guid.Parse((await seller.GetFromJsonAsync<JsonElement>("/api/identity/me"))
            .GetProperty("memberships")[0].GetProperty("organisationId").GetString()!);
        var bus = await fixture.StartBusAsync();
        var deal = new TransferHub.Matchmaking.Contracts.DealAgreed(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Highland potato seed technology",
            "plateau-agriculture", sellerOrganisation, Guid.NewGuid(), "Lancang Green Energy Co., Ltd.", "LA", "exclusive-licence", 900_000m, "CNY",
            DateTimeOffset.UtcNow);
        try
        {
            await bus.Publish(deal);
            await bus.Publish(deal); // a second publish (another message id) still makes one draft
        }
        finally
        {
            await bus.StopAsync();
        }
        JsonElement draft = default;
        await Eventually.TrueAsync(async () =>
        {
            var mine = (await Api.SendAsync(seller, HttpMethod.Get, $"{Submissions}?status=draft&pageSize=100")).Body.GetProperty("items");
            draft = mine.EnumerateArray().FirstOrDefault(i => i.GetProperty("dealId").ValueKind == JsonValueKind.String &&
                                                               i.GetProperty("dealId").GetGuid() == deal.DealId);
            return draft.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(30), "registration turns the agreed deal into a draft for the seller");
        Assert.Equal("licensing", draft.GetProperty("category").GetString());
        Assert.Equal("patent-exclusive", draft.GetProperty("subCategory").GetString());
        Assert.Equal(900_000m, draft.GetProperty("contractAmount").GetDecimal());
        Assert.Equal(deal.TechnologyId, draft.GetProperty("technologyId").GetGuid());
        var id = draft.GetProperty("id").GetGuid();

        // incomplete (no contract texts): submitting names what is missing; completed, it goes to the station
        var incomplete = await Api.SendAsync(seller, HttpMethod.Post, $"{Submissions}/{id}/submit");
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.Status);
        Assert.True(incomplete.Body.GetProperty("errors").TryGetProperty("documents", out _));
        var completed = Draft("Highland potato seed technology — exclusive licence", 900_000m);
        completed["category"] = "licensing";
        completed["subCategory"] = "patent-exclusive";
        completed["technologyId"] = deal.TechnologyId.ToString();
        var current = await Api.SendAsync(seller, HttpMethod.Get, $"{Submissions}/{id}");
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(seller, HttpMethod.Put, $"{Submissions}/{id}", completed, current.ETag)).Status);
        await UploadAsync(seller, id, "contract", "zh", "licence.pdf");
        Assert.Equal(Kunming, (await SubmitAsync(seller, id)).GetProperty("stationCode").GetString());
        var drafts = (await Api.SendAsync(seller, HttpMethod.Get, $"{Submissions}?pageSize=100")).Body.GetProperty("items").EnumerateArray()
            .Count(i => i.GetProperty("dealId").ValueKind == JsonValueKind.String && i.GetProperty("dealId").GetGuid() == deal.DealId);
        Assert.Equal(1, drafts);
    }

    [Theory]
    [InlineData("530001", "Yunnan Provincial Technology Contract Registration Station")]
    [InlineData("532901", "Dali Prefecture Technology Contract Registration Station")]
    [InlineData("530103", "Chenggong District Technology Contract Registration Station")]
    public async Task Every_one_of_the_21_stations_is_seeded_and_staffed_by_its_demo_officer(string code, string organisation)
    {
        using var gateway = fixture.Anonymous();
        var tokens = await DemoAccounts.LoginAsync(gateway,
            new DemoAccount("station-officer", $"officer@{code}.stations.transferhub.test", $"Demo-Station-{code}", organisation));
        using var officer = fixture.Anonymous();
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/queue")).Status);
        var stations = (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/stations")).Body.EnumerateArray().ToList();
        Assert.Equal(21, stations.Count);
        var own = stations.Single(s => s.GetProperty("code").GetString() == code);
        Assert.Equal(JsonValueKind.String, own.GetProperty("organisationId").ValueKind);
        // its statistics are its own
        Assert.Equal(code, (await Api.SendAsync(officer, HttpMethod.Get, "/api/registrations/statistics")).Body.GetProperty("station").GetString());
    }

    [Fact]
    public async Task Expert_reviewers_come_from_the_directory_and_never_have_a_conflict_of_interest()
    {
        using var seller = await fixture.As("institution-member", 0);
        using var officer = await fixture.As("station-officer", 0);
        using var yuxi = await fixture.As("station-officer", 1);
        var sellerOrganisation = Guid.Parse((await seller.GetFromJsonAsync<JsonElement>("/api/identity/me"))
            .GetProperty("memberships")[0].GetProperty("organisationId").GetString()!);
        var buyerOrganisation = Guid.NewGuid();
        var run = Guid.NewGuid().ToString("N")[..6];
        TransferHub.Experts.Contracts.ExpertProfileUpdated Expert(string name, Guid? organisation, Guid[] conflicts, bool available = true) =>
            new(Guid.NewGuid(), 1, $"{name} {run}", organisation, null, "CN", ["green-energy"], ["zh", "en"], available, conflicts, DateTimeOffset.UtcNow);
        var colleague = Expert("Colleague of the seller", sellerOrganisation, []);
        var declared = Expert("Declared conflict", Guid.NewGuid(), [buyerOrganisation]);
        var away = Expert("On leave", null, [], available: false);
        var eligible = Expert("Independent reviewer", Guid.NewGuid(), []);
        var bus = await fixture.StartBusAsync();
        try
        {
            foreach (var expert in new[] { colleague, declared, away, eligible })
            {
                await bus.Publish(expert);
            }
            await bus.Publish(eligible with { Version = 0, Available = false }); // stale: changes nothing
        }
        finally
        {
            await bus.StopAsync();
        }

        var draft = Draft("Disputed licence", 2_000_000m);
        draft["parties"] = new JsonArray(new JsonObject { ["name"] = "Buyer Co.", ["country"] = "LA", ["organisationId"] = buyerOrganisation.ToString() });
        var id = await CreateAsync(seller, draft);
        await SubmitAsync(seller, id);
        List<JsonElement> candidates = [];
        await Eventually.TrueAsync(async () =>
        {
            candidates = (await Api.SendAsync(officer, HttpMethod.Get, $"{Submissions}/{id}/expert-candidates")).Body.EnumerateArray()
                .Where(c => c.GetProperty("name").GetString()!.EndsWith(run, StringComparison.Ordinal)).ToList();
            return candidates.Count == 4;
        }, TimeSpan.FromSeconds(30), "registration learns the four expert profiles");
        string? ConflictOf(TransferHub.Experts.Contracts.ExpertProfileUpdated e) =>
            candidates.Single(c => c.GetProperty("id").GetGuid() == e.ExpertId).GetProperty("conflict").GetString();
        Assert.Equal("works for a party's organisation", ConflictOf(colleague));
        Assert.Equal("declared a conflict of interest with a party", ConflictOf(declared));
        Assert.Null(ConflictOf(eligible));
        Assert.True(candidates.Single(c => c.GetProperty("id").GetGuid() == eligible.ExpertId).GetProperty("available").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(yuxi, HttpMethod.Get, $"{Submissions}/{id}/expert-candidates")).Status);

        // a disputed case: the reviewers must be named, and none may have a conflict or be away
        foreach (var (experts, field) in new[]
                 {
                     (new JsonArray(), "expertIds"),
                     (new JsonArray(colleague.ExpertId.ToString()), "expertIds[0]"),
                     (new JsonArray(eligible.ExpertId.ToString(), declared.ExpertId.ToString()), "expertIds[1]"),
                     (new JsonArray(away.ExpertId.ToString()), "expertIds[0]"),
                     (new JsonArray(Guid.NewGuid().ToString()), "expertIds[0]"),
                 })
        {
            var refused = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/expert-review",
                new JsonObject { ["disputed"] = true, ["expertIds"] = experts });
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.True(refused.Body.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {refused.Body}");
        }
        var started = await Api.SendAsync(officer, HttpMethod.Post, $"{Submissions}/{id}/expert-review",
            new JsonObject { ["disputed"] = true, ["expertIds"] = new JsonArray(eligible.ExpertId.ToString()) });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        Assert.Equal("expert-review", started.Body.GetProperty("clock").GetProperty("phase").GetString());
        var history = (await Api.SendAsync(officer, HttpMethod.Get, $"{Submissions}/{id}/history")).Body.EnumerateArray()
            .Single(e => e.GetProperty("action").GetString() == "expert-review-started");
        Assert.Equal(eligible.ExpertId, history.GetProperty("data").GetProperty("reviewers")[0].GetProperty("id").GetGuid());
    }

    private static async Task<(long Contracts, decimal Contract, decimal Technology)> FieldRowAsync(HttpClient client, string path, string key)
    {
        var view = (await Api.SendAsync(client, HttpMethod.Get, path)).Body;
        var row = view.GetProperty("rows").EnumerateArray().FirstOrDefault(r => r.GetProperty("key").GetString() == key);
        return row.ValueKind == JsonValueKind.Undefined ? (0, 0, 0)
            : (row.GetProperty("contracts").GetInt64(), row.GetProperty("contractAmountCny").GetDecimal(), row.GetProperty("technologyAmountCny").GetDecimal());
    }

    /// <summary>A small but real PDF: what a scanned contract page looks like to the type check.</summary>
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>Drafts the contract and uploads its signed text (in the contract's language), ready to submit.</summary>
    private static async Task<Guid> CreateAsync(HttpClient client, JsonObject draft)
    {
        var created = await Api.SendAsync(client, HttpMethod.Post, Submissions, draft);
        Assert.True(created.Status == HttpStatusCode.Created, $"draft: {created.Status} {created.Body}");
        var id = created.Body.GetProperty("id").GetGuid();
        await UploadAsync(client, id, "contract", draft["contractLanguage"]!.GetValue<string>(), "contract.pdf");
        return id;
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, Guid id, string kind, string language, string fileName,
        byte[]? bytes = null, string contentType = "application/pdf", HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes ?? Pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        form.Add(new StringContent(kind), "kind");
        form.Add(new StringContent(language), "language");
        using var response = await client.PostAsync($"{Submissions}/{id}/documents", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"upload {fileName}: {response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> SubmitAsync(HttpClient client, Guid id)
    {
        var answer = await Api.SendAsync(client, HttpMethod.Post, $"{Submissions}/{id}/submit");
        Assert.True(answer.Status == HttpStatusCode.OK, $"submit: {answer.Status} {answer.Body}");
        return answer.Body;
    }

    private static async Task<long> MineTotalAsync(HttpClient client) =>
        (await Api.SendAsync(client, HttpMethod.Get, Submissions)).Body.GetProperty("total").GetInt64();

    /// <summary>A client of the registration service itself (its own JWT validation), with a demo account's token.</summary>
    private async Task<HttpClient> DirectAsync(string role, int index)
    {
        using var gateway = fixture.Anonymous();
        var tokens = await DemoAccounts.LoginAsync(gateway, DemoAccounts.WithRole(role, index));
        var client = new HttpClient { BaseAddress = fixture.Stack["registration"].BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }
}
