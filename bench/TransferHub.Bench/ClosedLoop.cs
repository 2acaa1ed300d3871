using System.Diagnostics;

namespace TransferHub.Bench;

public sealed record Loop(TimeSpan Elapsed, List<double> Latencies);

public static class ClosedLoop
{
    /// <summary><paramref name="count"/> operations by <paramref name="workers"/> workers, each starting the next as soon as one ends.</summary>
    public static async Task<Loop> RunAsync(int workers, int count, Func<int, Task> operation)
    {
        var next = -1;
        var latencies = new List<double>(count);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var one = Stopwatch.StartNew();
                await operation(i);
                lock (latencies)
                {
                    latencies.Add(one.Elapsed.TotalMilliseconds);
                }
            }
        }));
        return new Loop(clock.Elapsed, latencies);
    }
}
