using Amazon.Runtime;
using Amazon.S3;
using Streaming.Aws.Storage;
using Streaming.Aws.Tests.Support;

namespace Streaming.Aws.Tests.Storage.Unit;

/// <summary>A store whose SDK client talks to a <see cref="StubHttpHandler"/>: the real SDK pipeline, no network.</summary>
internal sealed class S3StubbedStore : IDisposable
{
    public const string Bucket = "stub-lake";
    public const string Prefix = "events";

    private readonly AmazonS3Client _client;

    public S3StubbedStore(StubHttpHandler handler, Action<S3LakeStoreOptions>? configure = null)
    {
        Handler = handler;
        var options = new S3LakeStoreOptions
        {
            Bucket = Bucket,
            Prefix = Prefix,
            ServiceUrl = "http://127.0.0.1:9/",
            Region = "us-east-1",
            ForcePathStyle = true,
            MaxRetries = 0,
        };
        configure?.Invoke(options);
        var config = S3LakeClientFactory.CreateConfig(options, _ => null);
        config.HttpClientFactory = new HandlerHttpClientFactory(handler);
        _client = new AmazonS3Client(new BasicAWSCredentials("test", "test"), config);
        Store = new S3LakeStore(_client, options);
    }

    public StubHttpHandler Handler { get; }

    public S3LakeStore Store { get; }

    public static string ObjectPath(string key) => $"/{Bucket}/{Prefix}/{key}";

    public void Dispose()
    {
        Store.Dispose();
        _client.Dispose();
    }
}
