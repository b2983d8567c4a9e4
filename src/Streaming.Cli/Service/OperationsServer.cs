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
/// leases are held or being acquired) and <c>/metrics</c> (every Streaming meter, Prometheus text format, through
/// the OpenTelemetry exporter).
/// </summary>
internal static class OperationsServer
{
    /// <summary>A web host listening on the operations port; the consumer's services are added by the caller.</summary>
    public static WebApplicationBuilder CreateBuilder(OperationsOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.HttpAddress}:{options.HttpPort}");
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LakeMetrics.MeterName, ConsumerMetrics.MeterName)
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
