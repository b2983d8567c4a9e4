using System.Collections.Concurrent;

namespace Streaming.Aws.Tests.Storage;

/// <summary>Passes requests on to the real server and remembers each as "METHOD path?query".</summary>
internal sealed class S3RequestRecorder : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _requests = new();

    public S3RequestRecorder()
        : base(new SocketsHttpHandler { UseProxy = false })
    {
    }

    public IReadOnlyList<string> Requests => [.. _requests];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue($"{request.Method} {request.RequestUri!.PathAndQuery}");
        return base.SendAsync(request, cancellationToken);
    }
}
