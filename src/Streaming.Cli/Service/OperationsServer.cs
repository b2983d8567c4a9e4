using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Streaming.Core.Diagnostics;

namespace Streaming.Cli.Service;

/// <summary>
/// <c>/healthz</c> (the process is alive), <c>/readyz</c> (the lease table answered and the lake is reachable:
/// leases are held or being acquired) and <c>/metrics</c> (every Streaming meter and the runtime's own
/// <c>System.Runtime</c> meter: heap size and fragmentation per generation after the last collection, committed
/// memory, pause time; Prometheus text format, through the OpenTelemetry exporter).
/// </summary>
internal static class OperationsServer
{
    /// <summary>The meter the .NET runtime publishes its garbage collector, thread pool and JIT figures on.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>A web host listening on the operations port; the consumer's services are added by the caller.</summary>
    public static WebApplicationBuilder CreateBuilder(OperationsOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.HttpAddress}:{options.HttpPort}");
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LakeMetrics.MeterName, ConsumerMetrics.MeterName, RuntimeMeterName)
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Builds the host and maps the endpoints; readiness asks the lease coordinator.</summary>
    public static IHost Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (Streaming.Core.Consumer.ShardSupervisor supervisor) => supervisor.Health.IsReady(out var reason)
            ? Results.Text("ready\n")
            : Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
