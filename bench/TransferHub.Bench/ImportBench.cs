using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;

namespace TransferHub.Bench;

/// <summary>
/// Bulk import of <c>--count</c> technologies (default 10,000) from XLSX through the gateway: upload to the job's
/// completion, and the listing process's peak resident memory during the job (from /proc, pid in .run/pids/listing.pid).
/// Baseline in the same run: the same rows as CSV.
/// </summary>
public static class ImportBench
{
    private static readonly string[] columns = ["title", "summary", "language", "keywords", "fields", "trl", "stage", "transferModes",
        "pricingMode", "price", "currency", "targetCountries", "owners"];

    // the demo data's language mix (seeds/demo-technologies.json): half Chinese, the rest en, vi, th, lo, km, my
    private static readonly (string Language, string Title, string Summary, string Currency)[] samples =
    [
        ("zh", "高原特色茶叶低温萎凋技术", "低温循环风萎凋与近红外在线监测的智能发酵系统，萎凋时间缩短44%。", "CNY"),
        ("zh", "三七皂苷高效提取工艺", "大孔树脂吸附与膜分离联用，皂苷收率提高18%，溶剂用量减少30%。", "CNY"),
        ("zh", "橡胶林下光伏滴灌一体化系统", "林下光伏供电的智能滴灌，节水35%，适用于山地橡胶园。", "CNY"),
        ("zh", "稀土长余辉发光陶瓷", "余辉12小时的稀土掺杂陶瓷，用于应急疏散标识。", "CNY"),
        ("en", "Cassava starch wastewater to biogas", "Two-stage anaerobic digestion turning cassava wastewater into biogas and fertiliser.", "USD"),
        ("vi", "Công nghệ sấy lúa bằng năng lượng mặt trời", "Máy sấy lúa kết hợp năng lượng mặt trời và sinh khối cho hợp tác xã.", "VND"),
        ("th", "เทคโนโลยีแปรรูปยางแผ่นรมควัน", "โรงรมยางพลังงานชีวมวลที่ได้ยางแผ่นคุณภาพสูง", "THB"),
        ("lo", "ປັ໊ມນ້ຳພະລັງງານແສງຕາເວັນ", "ລະບົບສູບນ້ຳພະລັງງານແສງຕາເວັນສຳລັບຊົນລະປະທານຂະໜາດນ້ອຍ", "LAK"),
        ("km", "ជីសរីរាង្គពីកាកសំណល់ដំឡូងមី", "បច្ចេកវិទ្យាផលិតជីសរីរាង្គពីកាកសំណល់ដំឡូងមី", "KHR"),
        ("my", "ဇီဝလောင်စာ ထုတ်လုပ်သည့် နည်းပညာ", "စိုက်ပျိုးရေးစွန့်ပစ်ပစ္စည်းမှ ဇီဝလောင်စာ ထုတ်လုပ်ခြင်း", "MMK"),
    ];

    public static async Task<int> RunAsync(BenchOptions options, string pidFile)
    {
        var accounts = await BenchHttp.AccountsAsync(options.AccountsFile);
        var throttled = new BenchHttp.ThrottleCounter();
        using var institution = await BenchHttp.LoginAsync(options.Gateway, accounts.Where(a => a.Role == "institution-member").Last(), throttled);
        var rows = Rows(options.Count);
        var xlsx = Xlsx(rows);
        var csv = Encoding.UTF8.GetBytes(Csv(rows));
        Console.WriteLine($"import: {options.Count} rows; XLSX {xlsx.Length / 1024} KiB, CSV {csv.Length / 1024} KiB; listing pid file {pidFile}");

        var csvRun = await ImportAsync(institution, csv, "bench.csv", "text/csv", pidFile);
        var xlsxRun = await ImportAsync(institution, xlsx, "bench.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pidFile);
        var result = new
        {
            benchmark = "import-xlsx",
            at = DateTimeOffset.UtcNow,
            commit = Environment.GetEnvironmentVariable("BENCH_COMMIT"),
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            parameters = new { options.Count, gateway = options.Gateway.ToString() },
            xlsx = new { bytes = xlsx.Length, xlsxRun.Seconds, rowsPerSecond = Math.Round(options.Count / xlsxRun.Seconds, 1), xlsxRun.PeakRssMiB, xlsxRun.RssBeforeMiB, xlsxRun.Status },
            baselineCsv = new { bytes = csv.Length, csvRun.Seconds, rowsPerSecond = Math.Round(options.Count / csvRun.Seconds, 1), csvRun.PeakRssMiB, csvRun.RssBeforeMiB, csvRun.Status },
            ratioTimeXlsxToCsv = Math.Round(xlsxRun.Seconds / csvRun.Seconds, 2),
            ratioPeakMemoryGrowthXlsxToCsv = Math.Round((xlsxRun.PeakRssMiB - xlsxRun.RssBeforeMiB) / Math.Max(1, csvRun.PeakRssMiB - csvRun.RssBeforeMiB), 2),
        };
        await BenchHttp.WriteResultAsync(result, BenchHttp.Json, options.Out);
        return xlsxRun.Status == "completed" && csvRun.Status == "completed" ? 0 : 1;
    }

    private sealed record Run(double Seconds, double RssBeforeMiB, double PeakRssMiB, string Status);

    private static async Task<Run> ImportAsync(HttpClient client, byte[] file, string name, string type, string pidFile)
    {
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        var before = RssMiB(pid);
        var peak = before;
        var clock = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        form.Add(content, "file", name);
        using var accepted = await client.PostAsync("/api/listings/technologies/imports", form);
        await BenchHttp.EnsureAsync(accepted, $"upload {name}");
        var location = accepted.Headers.Location!.ToString();
        string status;
        while (true)
        {
            peak = Math.Max(peak, RssMiB(pid));
            var job = await client.GetFromJsonAsync<JsonElement>(location, BenchHttp.Json);
            status = job.GetProperty("status").GetString()!;
            if (status is "completed" or "failed")
            {
                if (status == "failed")
                {
                    Console.Error.WriteLine($"{name}: {job}");
                }
                break;
            }
            Console.Write($"\r  {name}: {status} {job.GetProperty("processedRows").GetInt32()}/{job.GetProperty("totalRows").GetInt32()}   ");
            await Task.Delay(100);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"\r  {name}: {status} in {seconds:F1} s, listing RSS {before:F0} → peak {peak:F0} MiB");
        return new Run(Math.Round(seconds, 2), Math.Round(before, 1), Math.Round(peak, 1), status);
    }

    private static double RssMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return 0;
    }

    private static List<string[]> Rows(int count)
    {
        var rows = new List<string[]>(count);
        var run = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < count; i++)
        {
            var s = samples[i % samples.Length];
            rows.Add([$"{s.Title} {run}-{i}", s.Summary, s.Language, "benchmark; import", i % 2 == 0 ? "green-energy" : "plateau-agriculture; biomedicine",
                (1 + i % 9).ToString(CultureInfo.InvariantCulture), "pilot", "non-exclusive-licence; technical-service", "listed",
                (10000 + i).ToString(CultureInfo.InvariantCulture), s.Currency, "LA; TH; VN", "Kunming Institute of Botany=70; Inventors=30"]);
        }
        return rows;
    }

    private static byte[] Xlsx(List<string[]> rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("technologies");
        for (var c = 0; c < columns.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = columns[c];
        }
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                sheet.Cell(r + 2, c + 1).Value = rows[r][c];
            }
        }
        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer);
        return buffer.ToArray();
    }

    private static string Csv(List<string[]> rows)
    {
        var text = new StringBuilder().AppendJoin(',', columns).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(v => v.Contains(',') ? $"\"{v}\"" : v)).Append('\n');
        }
        return text.ToString();
    }
}
