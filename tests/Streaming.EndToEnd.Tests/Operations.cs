using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Streaming.EndToEnd.Tests;

/// <summary>A worker's operations endpoints (<c>/readyz</c>, <c>/metrics</c>), as a probe or a scraper sees them.</summary>
internal sealed partial class Operations : IDisposable
{
    private readonly HttpClient _http;

    public Operations(int port)
    {
        Port = port;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
    }

    public int Port { get; }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The answer of <c>/readyz</c>: its status and body, or a null status when nothing answered.</summary>
    public async Task<(HttpStatusCode? Status, string Body)> ReadinessAsync()
    {
        try
        {
            using var response = await _http.GetAsync("/readyz");
            return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Polls <c>/readyz</c> until it answers <paramref name="status"/>; returns the body and how long it took.</summary>
    public async Task<(string Body, TimeSpan After)> WaitForReadinessAsync(HttpStatusCode status, TimeSpan timeout, Func<string>? diagnose = null)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var last = ((HttpStatusCode?)null, string.Empty);
        while (started.Elapsed < timeout)
        {
            last = await ReadinessAsync();
            if (last.Item1 == status)
            {
                return (last.Item2, started.Elapsed);
            }

            await Task.Delay(100);
        }

        Assert.Fail($"/readyz did not answer {(int)status} within {timeout}; last answer {(int?)last.Item1} {last.Item2}\n{diagnose?.Invoke()}");
        return default;
    }

    /// <summary>The sum of a Prometheus counter or gauge over all its series (0 when it has none yet).</summary>
    public async Task<double> MetricAsync(string name)
    {
        var text = await _http.GetStringAsync("/metrics");
        return Sample().Matches(text)
            .Where(m => m.Groups["name"].Value == name)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(?<value>[-+0-9.eE]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
