using Streaming.Lake.Tests.Support;
using Streaming.TestSupport.Emulators;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// The query tests' events converted by <c>streaming convert</c> twice: into an s3rver bucket (the pinned S3 emulator)
/// and into a local directory, so what <c>ddl</c> and <c>query</c> read through the S3 store can be held against the
/// same commands on the local copy.
/// </summary>
public sealed class S3LakeFixture : IAsyncLifetime
{
    public const string Bucket = "athena-lake";
    public const string Prefix = "events/v1";

    private readonly TempDirectory _directory = new();
    private readonly LocalAwsStack _stack = new();

    internal IReadOnlyList<AnalyticsEvent> Events { get; } = AnalyticsEvents.Create();

    public static string Lake => $"s3://{Bucket}/{Prefix}";

    public string LocalLake => _directory.File("lake");

    /// <summary>What the <c>streaming</c> process needs to reach s3rver: endpoint, path style, the credentials it accepts.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var endpoint = await _stack.StartS3Async([Bucket], timeout.Token);
        Environment["Streaming__S3__ServiceUrl"] = endpoint.ToString();
        Environment["Streaming__S3__ForcePathStyle"] = "true";
        Environment["Streaming__S3__Region"] = LocalAwsStack.Region;
        Environment["AWS_ACCESS_KEY_ID"] = LocalAwsStack.AccessKeyId;
        Environment["AWS_SECRET_ACCESS_KEY"] = LocalAwsStack.SecretAccessKey;
        var input = _directory.File("events.ndjson");
        await File.WriteAllLinesAsync(input, Events.Select(e => e.ToJson()));
        foreach (var lake in new[] { Lake, LocalLake })
        {
            var (code, _, stderr) = await StreamingProcess.RunAsync(["convert", input, "--lake", lake, "-q"], environment: Environment);
            Assert.True(code == 0, stderr);
        }
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        _directory.Dispose();
    }
}
