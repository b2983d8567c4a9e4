using System.Globalization;
using System.Text.Json;

namespace Streaming.Deploy.Tests;

/// <summary>The facts of the rendered chart that decide whether the workers run well on Kubernetes.</summary>
[Collection(DeployToolsCollection.Name)]
public sealed class ChartFactsTests(DeployTools tools)
{
    [Theory]
    [InlineData(null, 30)]
    [InlineData("00:01:30", 90)]
    [InlineData("00:00:10.5", 11)]
    [InlineData("1.00:00:00", 86400)]
    public async Task The_grace_period_exceeds_the_shutdown_timeout_and_the_hosts_five_seconds(string? shutdownTimeout, int shutdownSeconds)
    {
        var sets = shutdownTimeout is null ? [] : new[] { $"config.Consumer.ShutdownTimeout={shutdownTimeout}" };
        var rendered = await tools.RenderAsync([tools.CiValues("minimal-values.yaml")], sets);
        var grace = rendered.PodSpec.GetProperty("terminationGracePeriodSeconds").GetInt32();
        Assert.True(grace > shutdownSeconds + 5, $"grace {grace} s, shutdown timeout {shutdownSeconds} s");
        Assert.Equal(shutdownTimeout ?? "00:00:30", rendered.Environment["Streaming__Consumer__ShutdownTimeout"]);
    }

    [Theory]
    [InlineData(null, 8080)]
    [InlineData(9090, 9090)]
    public async Task The_probes_and_the_service_reach_the_port_the_worker_listens_on(int? httpPort, int expected)
    {
        var sets = httpPort is null ? [] : new[] { $"config.Operations.HttpPort={httpPort}" };
        var rendered = await tools.RenderAsync([tools.CiValues("minimal-values.yaml")], sets);
        var container = rendered.Container;
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), rendered.Environment["Streaming__Operations__HttpPort"]);
        var port = Assert.Single(container.GetProperty("ports").EnumerateArray());
        Assert.Equal(expected, port.GetProperty("containerPort").GetInt32());
        var portName = port.GetProperty("name").GetString();
        Assert.Equal("metrics", portName);

        foreach (var (probe, path) in new[] { ("startupProbe", "/healthz"), ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz") })
        {
            var get = container.GetProperty(probe).GetProperty("httpGet");
            Assert.Equal(path, get.GetProperty("path").GetString());
            Assert.Equal(portName, get.GetProperty("port").GetString());
        }

        var servicePort = Assert.Single(rendered.Single("Service").GetProperty("spec").GetProperty("ports").EnumerateArray());
        Assert.Equal(portName, servicePort.GetProperty("targetPort").GetString());
    }

    [Fact]
    public async Task Values_config_offers_every_setting_of_run_and_nothing_else()
    {
        var defaults = await tools.ParseYamlAsync(Path.Combine(tools.ChartDirectory, "values.yaml"));
        var offered = ConfigKeys(defaults).Select(k => k.Key).Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(KnownSettings.UnderConfig.Order(StringComparer.OrdinalIgnoreCase), offered, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_setting_given_in_values_reaches_the_container_unchanged()
    {
        var values = await tools.ParseYamlAsync(tools.CiValues("every-setting-values.yaml"));
        var given = ConfigKeys(values).ToList();
        Assert.Equal(KnownSettings.UnderConfig.Count(), given.Count(k => k.Value.ValueKind != JsonValueKind.Null));
        var rendered = await tools.RenderAsync([tools.CiValues("every-setting-values.yaml")]);
        var environment = rendered.Environment;
        foreach (var (key, value) in given)
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            Assert.True(environment.TryGetValue(name, out var actual), $"{name} is not in the container's environment");
            Assert.Equal(Text(value), actual);
        }

        Assert.Equal("events-every", environment["Streaming__Consumer__StreamName"]);
        Assert.Equal("ap-northeast-1", environment["AWS_REGION"]);
        Assert.Equal(["run", "--lake", "s3://analytics-lake/every"], rendered.Args);
        var workerId = rendered.Container.GetProperty("env").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Streaming__Leases__WorkerId");
        Assert.Equal("metadata.name", workerId.GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
    }

    [Theory]
    [InlineData("minimal-values.yaml")]
    [InlineData("all-features-values.yaml")]
    [InlineData("every-setting-values.yaml")]
    public async Task Every_streaming_variable_the_chart_emits_is_a_key_run_accepts(string values)
    {
        var rendered = await tools.RenderAsync([tools.CiValues(values)]);
        var names = rendered.Container.GetProperty("env").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var name in names.Where(n => n.StartsWith("Streaming__", StringComparison.OrdinalIgnoreCase)))
        {
            var key = KnownSettings.FromEnvironmentName(name);
            Assert.True(KnownSettings.IsKnown(key), $"{name} is not a key streaming run reads: it would exit 2");
        }
    }

    [Fact]
    public async Task The_worker_runs_unprivileged_on_a_read_only_root_with_a_writable_tmp()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("minimal-values.yaml")]);
        var pod = rendered.PodSpec;
        var podSecurity = pod.GetProperty("securityContext");
        Assert.True(podSecurity.GetProperty("runAsNonRoot").GetBoolean());
        Assert.NotEqual(0, podSecurity.GetProperty("runAsUser").GetInt32());
        Assert.Equal("RuntimeDefault", podSecurity.GetProperty("seccompProfile").GetProperty("type").GetString());
        var security = rendered.Container.GetProperty("securityContext");
        Assert.True(security.GetProperty("readOnlyRootFilesystem").GetBoolean());
        Assert.False(security.GetProperty("allowPrivilegeEscalation").GetBoolean());
        Assert.False(security.GetProperty("privileged").GetBoolean());
        Assert.Equal(["ALL"], security.GetProperty("capabilities").GetProperty("drop").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("RuntimeDefault", security.GetProperty("seccompProfile").GetProperty("type").GetString());
        var mount = Assert.Single(rendered.Container.GetProperty("volumeMounts").EnumerateArray());
        Assert.Equal("/tmp", mount.GetProperty("mountPath").GetString());
        var volume = Assert.Single(pod.GetProperty("volumes").EnumerateArray());
        Assert.Equal(mount.GetProperty("name").GetString(), volume.GetProperty("name").GetString());
        Assert.True(volume.TryGetProperty("emptyDir", out _));
        Assert.False(pod.GetProperty("automountServiceAccountToken").GetBoolean());
        var spread = pod.GetProperty("topologySpreadConstraints").EnumerateArray().Select(t => t.GetProperty("topologyKey").GetString()).ToList();
        Assert.Equal(["topology.kubernetes.io/zone", "kubernetes.io/hostname"], spread);
        Assert.True(rendered.Container.GetProperty("resources").GetProperty("limits").TryGetProperty("memory", out _));
    }

    [Theory]
    [InlineData(10, 4, 3)]
    [InlineData(8, 4, 2)]
    [InlineData(1, 4, 1)]
    [InlineData(6, 1, 6)]
    public async Task Without_keda_the_replicas_are_the_shards_divided_by_shards_per_pod_rounded_up(int shards, int perPod, int replicas)
    {
        var rendered = await tools.RenderAsync([tools.CiValues("minimal-values.yaml")], [$"scaling.shards={shards}", $"scaling.shardsPerPod={perPod}"]);
        Assert.Equal(replicas, rendered.Deployment.GetProperty("spec").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task With_keda_the_scaled_object_owns_the_replicas_and_reads_the_shard_count_through_irsa()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("all-features-values.yaml")]);
        Assert.False(rendered.Deployment.GetProperty("spec").TryGetProperty("replicas", out _), "KEDA owns the replica count");
        var spec = rendered.Single("ScaledObject").GetProperty("spec");
        Assert.Equal(rendered.Deployment.GetProperty("metadata").GetProperty("name").GetString(), spec.GetProperty("scaleTargetRef").GetProperty("name").GetString());
        Assert.Equal(2, spec.GetProperty("minReplicaCount").GetInt32());
        Assert.Equal(12, spec.GetProperty("maxReplicaCount").GetInt32());
        var trigger = Assert.Single(spec.GetProperty("triggers").EnumerateArray());
        Assert.Equal("aws-kinesis-stream", trigger.GetProperty("type").GetString());
        var metadata = trigger.GetProperty("metadata");
        Assert.Equal("events", metadata.GetProperty("streamName").GetString());
        Assert.Equal("eu-west-1", metadata.GetProperty("awsRegion").GetString());
        Assert.Equal("2", metadata.GetProperty("shardCount").GetString());
        var authentication = rendered.Single("TriggerAuthentication");
        Assert.Equal(authentication.GetProperty("metadata").GetProperty("name").GetString(), trigger.GetProperty("authenticationRef").GetProperty("name").GetString());
        var identity = authentication.GetProperty("spec").GetProperty("podIdentity");
        Assert.Equal("aws", identity.GetProperty("provider").GetString());
        Assert.Equal("workload", identity.GetProperty("identityOwner").GetString());
        var scaleDown = spec.GetProperty("advanced").GetProperty("horizontalPodAutoscalerConfig").GetProperty("behavior").GetProperty("scaleDown");
        var policy = Assert.Single(scaleDown.GetProperty("policies").EnumerateArray());
        Assert.Equal(1, policy.GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task The_service_account_carries_the_irsa_role_and_the_pods_use_it()
    {
        var rendered = await tools.RenderAsync([tools.CiValues("all-features-values.yaml")]);
        var account = rendered.Single("ServiceAccount");
        Assert.Equal("arn:aws:iam::123456789012:role/streaming-events", account.GetProperty("metadata").GetProperty("annotations").GetProperty("eks.amazonaws.com/role-arn").GetString());
        Assert.Equal(account.GetProperty("metadata").GetProperty("name").GetString(), rendered.PodSpec.GetProperty("serviceAccountName").GetString());
        Assert.Equal("aws:kms", rendered.Environment["Streaming__S3__ServerSideEncryption"]);
    }

    [Fact]
    public async Task The_chart_readme_lists_every_value()
    {
        var values = await tools.ParseYamlAsync(Path.Combine(tools.ChartDirectory, "values.yaml"));
        var readme = await File.ReadAllTextAsync(Path.Combine(tools.ChartDirectory, "README.md"));
        var missing = new List<string>();
        void Walk(string prefix, JsonElement node)
        {
            foreach (var property in node.EnumerateObject())
            {
                var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                if (readme.Contains($"`{path}`", StringComparison.Ordinal))
                {
                    continue;
                }

                if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any())
                {
                    Walk(path, property.Value);
                }
                else
                {
                    missing.Add(path);
                }
            }
        }

        Walk(string.Empty, values);
        Assert.Empty(missing);
    }

    private static IEnumerable<KeyValuePair<string, JsonElement>> ConfigKeys(JsonElement values)
    {
        foreach (var section in values.GetProperty("config").EnumerateObject())
        {
            foreach (var key in section.Value.EnumerateObject())
            {
                yield return new($"Streaming:{section.Name}:{key.Name}", key.Value);
            }
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };
}
