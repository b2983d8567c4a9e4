using System.Text.Json;

namespace Streaming.Deploy.Tests;

/// <summary>The dashboard and the alerts ask for series the worker exports, and cover what operators watch.</summary>
[Collection(DeployToolsCollection.Name)]
public sealed class MonitoringTests(DeployTools tools)
{
    [Fact]
    public void The_exporter_names_derived_from_the_code_include_the_ones_a_live_worker_was_seen_to_export()
    {
        // Seen on a worker's /metrics (the container test checks the live set against these names as well).
        var seen = new HashSet<string>
        {
            "streaming_bytes_read_bytes_total", "streaming_shard_millis_behind_latest_milliseconds", "streaming_checkpoint_lag_seconds",
            "streaming_buffers_bytes", "streaming_flush_duration_seconds_bucket", "streaming_records_read_total", "streaming_leases_held",
        };
        Assert.Superset(seen, ExportedMetrics.Names.ToHashSet());
    }

    [Fact]
    public async Task The_dashboard_shows_reads_lag_leases_writes_memory_and_errors_from_exported_series_only()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("all-features-values.yaml")]);
        var configMap = rendered.Single("ConfigMap");
        Assert.Equal("1", configMap.GetProperty("metadata").GetProperty("labels").GetProperty("grafana_dashboard").GetString());
        var text = configMap.GetProperty("data").GetProperty("streaming.json").GetString()!;
        using var dashboard = JsonDocument.Parse(text);
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
        var referenced = expressions.SelectMany(ExportedMetrics.ReferencedIn).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(ExportedMetrics.Names.ToHashSet(), referenced);
        foreach (var needed in new[]
        {
            "streaming_records_read_total", "streaming_bytes_read_bytes_total", "streaming_shard_millis_behind_latest_milliseconds",
            "streaming_checkpoint_lag_seconds", "streaming_leases_held", "streaming_files_written_total", "streaming_bytes_written_bytes_total",
            "streaming_buffers_bytes", "streaming_events_rejected_total",
        })
        {
            Assert.Contains(needed, referenced);
        }

        Assert.Contains(expressions, e => e.Contains("by (pod)", StringComparison.Ordinal) && e.Contains("streaming_leases_held", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("by (shard)", StringComparison.Ordinal) && e.Contains("streaming_checkpoint_lag_seconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_alerts_cover_iterator_age_unowned_shards_write_errors_memory_and_readiness_on_exported_series()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("all-features-values.yaml")], ["scaling.shards=8"]);
        var rules = rendered.Single("PrometheusRule").GetProperty("spec").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .ToDictionary(r => r.GetProperty("alert").GetString()!, r => r.GetProperty("expr").GetString()!);
        var needed = new HashSet<string>
        {
            "StreamingIteratorAgeGrowing", "StreamingShardWithoutOwner", "StreamingLakeWritesFailing", "StreamingBufferMemoryNearBudget", "StreamingWorkerNotReady",
        };
        Assert.Superset(needed, rules.Keys.ToHashSet());
        Assert.Subset(ExportedMetrics.Names.ToHashSet(), rules.Values.SelectMany(ExportedMetrics.ReferencedIn).ToHashSet());
        Assert.Contains("< 8", rules["StreamingShardWithoutOwner"], StringComparison.Ordinal);
        Assert.Contains("0.9 * 402653184", rules["StreamingBufferMemoryNearBudget"], StringComparison.Ordinal);
        Assert.Contains("namespace=\"analytics\",service=\"lake-streaming\"", rules["StreamingIteratorAgeGrowing"], StringComparison.Ordinal);

        var budget = await tools.RenderAsync([tools.CiValues("all-features-values.yaml")], ["config.Lake.MemoryBudget=1GiB"]);
        var memory = budget.Single("PrometheusRule").GetProperty("spec").GetProperty("groups")[0].GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("alert").GetString() == "StreamingBufferMemoryNearBudget").GetProperty("expr").GetString();
        Assert.Contains("0.9 * 1073741824", memory, StringComparison.Ordinal);
    }
}
