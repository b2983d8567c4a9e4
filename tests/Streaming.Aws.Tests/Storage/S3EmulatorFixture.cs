using Amazon.Runtime;
using Amazon.S3;
using Streaming.Aws.Storage;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Storage;

/// <summary>One s3rver with one bucket for the lake store tests, and an SDK client built the way production builds it.</summary>
public sealed class S3EmulatorFixture : IAsyncLifetime
{
    public const string Bucket = "lake-tests";

    private readonly LocalAwsStack _stack = new();

    public LocalAwsStack Stack => _stack;

    /// <summary>A client for looking behind the store's back (HeadObject, raw GetObject).</summary>
    public AmazonS3Client Client { get; private set; } = null!;

    public static BasicAWSCredentials Credentials { get; } = new(LocalAwsStack.AccessKeyId, LocalAwsStack.SecretAccessKey);

    /// <summary>Options for <paramref name="prefix"/> in the test bucket on <paramref name="endpoint"/> (this fixture's s3rver by default).</summary>
    public S3LakeStoreOptions Options(string prefix, Uri? endpoint = null) => new()
    {
        Bucket = Bucket,
        Prefix = prefix,
        ServiceUrl = (endpoint ?? _stack.S3Endpoint).ToString(),
        Region = LocalAwsStack.Region,
        ForcePathStyle = true,
    };

    public static string UniquePrefix(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 13)];

    /// <summary>A store on a prefix of its own, with a client of its own (disposed with the store).</summary>
    public S3LakeStore NewStore(string name, Action<S3LakeStoreOptions>? configure = null)
    {
        var options = Options(UniquePrefix(name));
        configure?.Invoke(options);
        return new S3LakeStore(S3LakeClientFactory.Create(options, Credentials), options);
    }

    /// <summary>
    /// Starts s3rver so that ListObjectsV2 can paginate. s3rver 3.7.1 makes continuation tokens with DES, which the
    /// OpenSSL 3 inside Node 17+ only offers from its legacy provider: without it every truncated listing is a 500
    /// InternalError. The child process inherits the variable; it is put back as soon as the process has started.
    /// </summary>
    public static async Task<Uri> StartS3WithPaginationAsync(LocalAwsStack stack, string bucket, CancellationToken cancellationToken)
    {
        const string variable = "NODE_OPTIONS";
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, string.IsNullOrEmpty(before) ? "--openssl-legacy-provider" : before + " --openssl-legacy-provider");
        try
        {
            return await stack.StartS3Async([bucket], cancellationToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    /// <summary>A store like <see cref="NewStore"/> whose requests to s3rver go through <paramref name="handler"/>.</summary>
    public S3LakeStore NewStore(string name, HttpMessageHandler handler, Action<S3LakeStoreOptions>? configure = null)
    {
        var options = Options(UniquePrefix(name));
        configure?.Invoke(options);
        var config = S3LakeClientFactory.CreateConfig(options, _ => null);
        config.HttpClientFactory = new HandlerHttpClientFactory(handler);
        return new S3LakeStore(new AmazonS3Client(Credentials, config), options);
    }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await StartS3WithPaginationAsync(_stack, Bucket, timeout.Token);
        Client = S3LakeClientFactory.Create(Options("unused"), Credentials);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        await _stack.DisposeAsync();
    }
}
