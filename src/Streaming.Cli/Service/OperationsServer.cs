using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Streaming.Core.Diagnostics;

namespace Streaming.Cli.Service;

/// <summary>
/// <c>/healthz</c> (the process is alive), <c>/readyz</c> (the lease table answered and the lake is reachable:
/// leases are held or being acquired) and <c>/metrics</c> (every Streaming meter, Prometheus text format, through
/// the OpenTelemetry exporter).
/// </summary>
internal static class OperationsServer
{
    public static async Task<WebApplication?> StartAsync(OperationsOptions options, Func<bool> ready, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        if (options.HttpPort == 0)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.HttpAddress}:{options.HttpPort}");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(logging);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LakeMetrics.MeterName, ConsumerMetrics.MeterName)
            .AddPrometheusExporter());
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => ready() ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
