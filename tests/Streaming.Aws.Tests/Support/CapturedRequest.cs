namespace Streaming.Aws.Tests.Support;

/// <summary>What a handler saw of one request, copied before HttpClient disposes the message.</summary>
internal sealed record CapturedRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    public string Target => Headers.TryGetValue("x-amz-target", out var target) ? target : string.Empty;

    public static async Task<CapturedRequest> CaptureAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        var body = Array.Empty<byte>();
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }

            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        // HttpClient writes Host from the URI when the header is not set explicitly.
        if (!headers.ContainsKey("Host"))
        {
            headers["Host"] = request.RequestUri!.IsDefaultPort ? request.RequestUri.Host : request.RequestUri.Authority;
        }

        return new CapturedRequest(request.Method, request.RequestUri!, headers, body);
    }
}
