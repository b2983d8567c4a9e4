using System.Net;
using System.Net.Sockets;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Emulators;

public sealed class LocalAwsStackTests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    private static void WritePackage(string folder, string name, string version)
    {
        var directory = Directory.CreateDirectory(Path.Combine(folder, "node_modules", name)).FullName;
        File.WriteAllText(Path.Combine(directory, "package.json"), $$"""{"name":"{{name}}","version":"{{version}}"}""");
    }

    /// <summary>dynalite checks that a request looks signed but not the signature itself.</summary>
    private static Task<HttpResponseMessage> DynamoAsync(Uri endpoint, string operation, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        request.Headers.Add("X-Amz-Date", "20240101T000000Z");
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={LocalAwsStack.AccessKeyId}/20240101/{LocalAwsStack.Region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00");
        return Http.SendAsync(request);
    }

    [Fact]
    public void The_repository_root_is_the_folder_with_the_solution_and_the_pinned_emulators()
    {
        var root = RepositoryRoot.Find();

        Assert.True(File.Exists(Path.Combine(root, "Streaming.sln")));
        Assert.True(File.Exists(Path.Combine(root, "tools", "emulators", "package-lock.json")));
    }

    [Fact]
    public async Task Emulators_start_only_when_asked_and_each_on_its_own_port()
    {
        await using var stack = new LocalAwsStack();
        Assert.False(stack.IsRunning(EmulatorKind.S3));
        Assert.False(stack.IsRunning(EmulatorKind.DynamoDb));
        Assert.Throws<InvalidOperationException>(() => stack.S3Endpoint);

        var dynamo = await stack.StartDynamoDbAsync();
        var s3 = await stack.StartS3Async(["lake"]);

        Assert.False(stack.IsRunning(EmulatorKind.Kinesis));
        Assert.NotEqual(dynamo.Port, s3.Port);
        Assert.Equal(IPAddress.Loopback.ToString(), s3.Host);
        var buckets = await Http.GetStringAsync(s3);
        Assert.Contains("<Name>lake</Name>", buckets, StringComparison.Ordinal);
        Assert.Contains("healthy", await Http.GetStringAsync(dynamo), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_emulator_refuses_connections_and_comes_back_on_the_same_port_with_its_data()
    {
        await using var stack = new LocalAwsStack();
        var endpoint = await stack.StartS3Async(["outage"]);
        var marker = Path.Combine(stack.S3Directory, "outage");
        Assert.True(Directory.Exists(marker), stack.RecentOutput(EmulatorKind.S3));

        await stack.StopAsync(EmulatorKind.S3);

        Assert.False(stack.IsRunning(EmulatorKind.S3));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync(endpoint));
        Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);

        var restarted = await stack.RestartAsync(EmulatorKind.S3);

        Assert.Equal(endpoint, restarted);
        Assert.True(stack.IsRunning(EmulatorKind.S3));
        Assert.Contains("<Name>outage</Name>", await Http.GetStringAsync(restarted), StringComparison.Ordinal);
        Assert.Contains("stopped", stack.RecentOutput(EmulatorKind.S3), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_persistent_DynamoDB_keeps_its_tables_across_a_restart()
    {
        await using var stack = new LocalAwsStack();
        var endpoint = await stack.StartDynamoDbAsync(persistent: true);
        using (var created = await DynamoAsync(endpoint, "CreateTable", """
            {"TableName":"leases","AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}
            """))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await stack.StopAsync(EmulatorKind.DynamoDb);
        await stack.RestartAsync(EmulatorKind.DynamoDb);

        using var listed = await DynamoAsync(endpoint, "ListTables", "{}");
        Assert.Contains("\"leases\"", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_means_every_pinned_package_is_present_at_its_exact_version()
    {
        var folder = Directory.CreateTempSubdirectory("streaming-installer-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "package.json"), """{"dependencies":{"dynalite":"4.0.0","s3rver":"3.7.1"}}""");
            Assert.False(EmulatorInstaller.IsInstalled(folder));

            WritePackage(folder, "dynalite", "4.0.0");
            WritePackage(folder, "s3rver", "3.7.0");
            Assert.False(EmulatorInstaller.IsInstalled(folder));

            WritePackage(folder, "s3rver", "3.7.1");
            // Every version right, but npm has not written its hidden lockfile yet: an install still under way.
            Assert.False(EmulatorInstaller.IsInstalled(folder));

            File.WriteAllText(Path.Combine(folder, "node_modules", ".package-lock.json"), "{}");
            Assert.True(EmulatorInstaller.IsInstalled(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Disposing_the_stack_kills_the_emulators()
    {
        var stack = new LocalAwsStack();
        var endpoint = await stack.StartDynamoDbAsync();

        await stack.DisposeAsync();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, endpoint.Port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.False(Directory.Exists(stack.WorkDirectory));
    }
}
