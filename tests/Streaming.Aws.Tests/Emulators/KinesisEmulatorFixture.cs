using Streaming.Aws.Kinesis;
using Streaming.TestSupport.Emulators;

namespace Streaming.Aws.Tests.Emulators;

/// <summary>One kinesis-local for all Kinesis emulator tests; each test makes its own uniquely named stream.</summary>
public sealed class KinesisEmulatorFixture : IAsyncLifetime
{
    private readonly LocalAwsStack _stack = new();
    private readonly List<IDisposable> _clients = [];

    public LocalAwsStack Stack => _stack;

    public Uri Endpoint => _stack.KinesisEndpoint;

    public KinesisClient Client { get; private set; } = null!;

    /// <summary>Options pointing at the emulator with dummy credentials; nothing is read from the process environment.</summary>
    public KinesisClientOptions Options() => new()
    {
        ServiceUrl = Endpoint.ToString(),
        Region = LocalAwsStack.Region,
        AccessKeyId = LocalAwsStack.AccessKeyId,
        SecretAccessKey = LocalAwsStack.SecretAccessKey,
        StatusPollInterval = TimeSpan.FromMilliseconds(100),
        BaseRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    public KinesisClient CreateClient(HttpMessageHandler handler)
    {
        var client = new KinesisClient(Options(), new HttpClient(handler));
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public static string UniqueStreamName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await _stack.StartKinesisAsync(cancellationToken: timeout.Token);
        Client = new KinesisClient(Options());
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        await _stack.DisposeAsync();
    }
}
