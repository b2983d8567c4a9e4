using System.Collections.Concurrent;

namespace Streaming.Aws.Tests.Support;

/// <summary>Passes requests on to the real server and remembers each operation name (X-Amz-Target).</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _targets = new();

    public RecordingHandler()
        : base(new SocketsHttpHandler { UseProxy = false })
    {
    }

    public IReadOnlyList<string> Targets => [.. _targets];

    public int Count(string operation) => _targets.Count(t => t.EndsWith("." + operation, StringComparison.Ordinal));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _targets.Enqueue(request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.First() : string.Empty);
        return base.SendAsync(request, cancellationToken);
    }
}
