using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Streaming.Aws.Tests.Support;

/// <summary>Answers every request from a script and records what was sent: no network involved.</summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Func<int, CapturedRequest, HttpResponseMessage> _respond;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private int _calls;

    public StubHttpHandler(Func<int, CapturedRequest, HttpResponseMessage> respond)
    {
        _respond = respond;
    }

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public int Calls => Volatile.Read(ref _calls);

    public static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.1"),
    };

    public static HttpResponseMessage Error(HttpStatusCode status, string type, string message) =>
        Json(status, $$"""{"__type":"{{type}}","message":"{{message}}"}""");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var captured = await CapturedRequest.CaptureAsync(request, cancellationToken);
        _requests.Enqueue(captured);
        var call = Interlocked.Increment(ref _calls);
        return _respond(call, captured);
    }
}
