namespace TransferHub.Bench;

public sealed record Stats(int N, double Min, double P50, double P95, double P99, double Max, double Mean)
{
    public static Stats Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Stats(0, 0, 0, 0, 0, 0, 0);
        }
        var sorted = samples.Order().ToArray();
        return new Stats(sorted.Length, Round(sorted[0]), Round(Percentile(sorted, 0.50)), Round(Percentile(sorted, 0.95)),
            Round(Percentile(sorted, 0.99)), Round(sorted[^1]), Round(sorted.Average()));
    }

    /// <summary>The q-quantile of <paramref name="samples"/> divided by that of <paramref name="baseline"/>.</summary>
    public static double Ratio(IReadOnlyCollection<double> samples, IReadOnlyCollection<double> baseline, double q)
    {
        if (samples.Count == 0 || baseline.Count == 0)
        {
            return 0;
        }
        var b = Percentile(baseline.Order().ToArray(), q);
        return b == 0 ? 0 : Math.Round(Percentile(samples.Order().ToArray(), q) / b, 2);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double value) => Math.Round(value, 1);
}
