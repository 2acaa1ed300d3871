using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TransferHub.Registration.Domain;

/// <summary>
/// The registration-number template (configuration). Tokens: <c>{YY}</c> or <c>{YYYY}</c> (year), <c>{PROVINCE}</c>,
/// <c>{PREFECTURE}</c>, <c>{STATION}</c> (2 digits each), <c>{SERIAL:n}</c> (n digits, gap-free per station and year);
/// anything else is literal. Default <c>{YY}{PROVINCE}{PREFECTURE}{STATION}{SERIAL:6}</c>, e.g. 26530101000123 (14 digits).
/// </summary>
public sealed partial class RegistrationNumberTemplate
{
    public const string DefaultPattern = "{YY}{PROVINCE}{PREFECTURE}{STATION}{SERIAL:6}";

    private readonly string pattern;
    private readonly int serialDigits;

    public RegistrationNumberTemplate(string pattern = DefaultPattern)
    {
        var serials = SerialToken().Matches(pattern);
        if (serials.Count != 1)
        {
            throw new ArgumentException("The template needs exactly one {SERIAL:n} token.", nameof(pattern));
        }
        serialDigits = int.Parse(serials[0].Groups[1].Value, CultureInfo.InvariantCulture);
        if (serialDigits is < 3 or > 9)
        {
            throw new ArgumentException("{SERIAL:n} takes 3 to 9 digits.", nameof(pattern));
        }
        var unknown = AnyToken().Matches(pattern).Select(m => m.Value)
            .Where(t => t is not ("{YY}" or "{YYYY}" or "{PROVINCE}" or "{PREFECTURE}" or "{STATION}") && !SerialToken().IsMatch(t)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown token(s) {string.Join(", ", unknown)} in the template.", nameof(pattern));
        }
        this.pattern = pattern;
    }

    /// <summary>The largest serial the template can hold in a year (e.g. 999999).</summary>
    public int MaxSerial => (int)Math.Pow(10, serialDigits) - 1;

    /// <param name="stationCode">Province (2) + prefecture (2) + station (2) digits, e.g. "530101".</param>
    public string Format(int year, string stationCode, int serial)
    {
        if (stationCode.Length != 6 || !stationCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The station code is 6 digits: province, prefecture, station.", nameof(stationCode));
        }
        if (serial < 1 || serial > MaxSerial)
        {
            throw new ArgumentOutOfRangeException(nameof(serial), serial, $"Serials run from 1 to {MaxSerial} per station and year.");
        }
        var text = new StringBuilder(pattern)
            .Replace("{YYYY}", year.ToString("0000", CultureInfo.InvariantCulture))
            .Replace("{YY}", (year % 100).ToString("00", CultureInfo.InvariantCulture))
            .Replace("{PROVINCE}", stationCode[..2])
            .Replace("{PREFECTURE}", stationCode[2..4])
            .Replace("{STATION}", stationCode[4..6])
            .ToString();
        return SerialToken().Replace(text, serial.ToString(new string('0', serialDigits), CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\{SERIAL:(\d+)\}")]
    private static partial Regex SerialToken();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex AnyToken();
}
