using System.Text.Json;

namespace Streaming.Deploy.Tests;

/// <summary>
/// The chart as the real helm binary lints and renders it, every rendered manifest checked against the Kubernetes
/// API schema of its kind (KEDA's for the ScaledObject); ServiceMonitor and PrometheusRule, which have no schema in
/// those packages, field by field.
/// </summary>
[Collection(DeployToolsCollection.Name)]
public sealed class ChartTests(DeployTools tools)
{
    public static TheoryData<string> Scenarios => new() { "minimal-values.yaml", "all-features-values.yaml", "every-setting-values.yaml" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Helm_lint_passes(string values)
    {
        var lint = await ToolResult.RunAsync(tools.Helm, ["lint", tools.ChartDirectory, "--strict", "--values", tools.CiValues(values)], tools.RepositoryRoot);
        Assert.True(lint.ExitCode == 0, lint.StandardOutput + lint.StandardError);
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_rendered_manifest_passes_the_kubernetes_api_schema_of_its_kind(string values)
    {
        var rendered = await tools.RenderAsync([tools.CiValues(values)]);
        Assert.NotEmpty(rendered.Results);
        foreach (var result in rendered.Results)
        {
            var kind = result.GetProperty("kind").GetString();
            var errors = result.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.True(errors.Count == 0, $"{kind} {result.GetProperty("name").GetString()}: {string.Join("; ", errors)}");
            var schema = result.GetProperty("schema").GetString();
            Assert.True(schema != "none" || kind is "ServiceMonitor" or "PrometheusRule", $"{kind} was not checked against any schema");
        }

        foreach (var monitor in rendered.OfKind("ServiceMonitor"))
        {
            CheckServiceMonitor(monitor, rendered);
        }

        foreach (var rule in rendered.OfKind("PrometheusRule"))
        {
            CheckPrometheusRule(rule);
        }
    }

    [Fact]
    public async Task The_defaults_render_a_deployment_service_account_service_and_disruption_budget_only()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("minimal-values.yaml")]);
        Assert.Equal(["Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"], rendered.Kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_optional_object_renders_when_turned_on()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("all-features-values.yaml")]);
        Assert.Equal(
            ["ConfigMap", "Deployment", "PodDisruptionBudget", "PrometheusRule", "ScaledObject", "Service", "ServiceAccount", "ServiceMonitor", "TriggerAuthentication"],
            rendered.Kinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_validator_that_sees_a_broken_manifest_says_so()
    {
        // The validation must be able to fail: a port as text and a trigger without a type.
        var file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers: [{name: c, image: i, ports: [{containerPort: "8080"}]}]
            ---
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: broken}
            spec:
              scaleTargetRef: {name: broken}
              triggers: [{metadata: {streamName: events}}]
            """);
        try
        {
            var result = await ToolResult.RunAsync("node", [Path.Combine(tools.ToolsDirectory, "validate.mjs"), file], tools.ToolsDirectory);
            using var json = JsonDocument.Parse(result.StandardOutput);
            var errors = json.RootElement.GetProperty("results").EnumerateArray().Select(r => string.Join(" ", r.GetProperty("errors").EnumerateArray())).ToList();
            Assert.Contains("containerPort must be integer", errors[0], StringComparison.Ordinal);
            Assert.Contains("must have required property type", errors[1], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static TheoryData<string[], string> WrongValues => new()
    {
        { [], "stream.name is required" },
        { ["stream.name=events"], "lake is required" },
        { ["stream.name=events", "lake=s3://Not_A_Bucket/x"], "/lake" },
        { ["stream.name=events", "lake=s3://lake/events", "config.Consumer.MaxBufferAg=00:01:00"], "'MaxBufferAg' not allowed" },
        { ["stream.name=events", "lake=s3://lake/events", "config.Consumer.MaxBufferAge=5m"], "/config/Consumer/MaxBufferAge" },
        { ["stream.name=events", "lake=s3://lake/events", "config.Operations.HttpPort=0"], "/config/Operations/HttpPort" },
        { ["stream.name=events", "lake=s3://lake/events", "config.S3.ServerSideEncryption=KMS"], "/config/S3/ServerSideEncryption" },
        { ["stream.name=events", "lake=s3://lake/events", "config.Lake.Compression=lz4"], "/config/Lake/Compression" },
        { ["stream.name=events", "lake=s3://lake/events", "config.Lake.MemoryBudget=lots"], "/config/Lake/MemoryBudget" },
        { ["stream.name=events", "lake=s3://lake/events", "terminationGracePeriodSeconds=30"], "terminationGracePeriodSeconds is 30" },
        { ["stream.name=events", "lake=s3://lake/events", "scaling.keda.enabled=true"], "needs aws.region" },
        { ["stream.name=events", "lake=s3://lake/events", "replicas=3"], "'replicas' not allowed" },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public async Task Wrong_values_fail_at_install_with_a_message_naming_them(string[] sets, string expected)
    {
        var result = await tools.TemplateAsync([], sets);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
    }

    private static void CheckServiceMonitor(JsonElement monitor, Rendered rendered)
    {
        Assert.Equal("monitoring.coreos.com/v1", monitor.GetProperty("apiVersion").GetString());
        Assert.False(string.IsNullOrEmpty(monitor.GetProperty("metadata").GetProperty("name").GetString()));
        var spec = monitor.GetProperty("spec");
        var selector = spec.GetProperty("selector").GetProperty("matchLabels");
        var service = rendered.Single("Service");
        var serviceLabels = service.GetProperty("metadata").GetProperty("labels");
        foreach (var label in selector.EnumerateObject())
        {
            Assert.Equal(label.Value.GetString(), serviceLabels.GetProperty(label.Name).GetString());
        }

        var endpoint = Assert.Single(spec.GetProperty("endpoints").EnumerateArray());
        var port = endpoint.GetProperty("port").GetString();
        Assert.Contains(service.GetProperty("spec").GetProperty("ports").EnumerateArray(), p => p.GetProperty("name").GetString() == port);
        Assert.Equal("/metrics", endpoint.GetProperty("path").GetString());
        Assert.Matches("^[0-9]+(ms|s|m|h)$", endpoint.GetProperty("interval").GetString());
    }

    private static void CheckPrometheusRule(JsonElement rule)
    {
        Assert.Equal("monitoring.coreos.com/v1", rule.GetProperty("apiVersion").GetString());
        var groups = rule.GetProperty("spec").GetProperty("groups").EnumerateArray().ToList();
        Assert.NotEmpty(groups);
        foreach (var group in groups)
        {
            Assert.False(string.IsNullOrEmpty(group.GetProperty("name").GetString()));
            foreach (var r in group.GetProperty("rules").EnumerateArray())
            {
                var isAlert = r.TryGetProperty("alert", out var alert);
                Assert.True(isAlert ^ r.TryGetProperty("record", out _), "a rule is either an alert or a recording rule");
                Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("expr").GetString()));
                if (isAlert)
                {
                    Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", alert.GetString());
                    Assert.Matches("^[0-9]+(ms|s|m|h|d)$", r.GetProperty("for").GetString());
                    Assert.False(string.IsNullOrEmpty(r.GetProperty("labels").GetProperty("severity").GetString()));
                    Assert.False(string.IsNullOrEmpty(r.GetProperty("annotations").GetProperty("summary").GetString()));
                }
            }
        }
    }
}
