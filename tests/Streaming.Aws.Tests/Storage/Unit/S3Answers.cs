using System.Net;
using System.Text;

namespace Streaming.Aws.Tests.Storage.Unit;

/// <summary>Answers the way S3 answers, for <see cref="Support.StubHttpHandler"/>.</summary>
internal static class S3Answers
{
    public static HttpResponseMessage Ok(string? etag = "\"0123456789abcdef0123456789abcdef\"")
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        if (etag is not null)
        {
            response.Headers.TryAddWithoutValidation("ETag", etag);
        }

        return response;
    }

    public static HttpResponseMessage Xml(string xml) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(xml, Encoding.UTF8, "application/xml"),
    };

    public static HttpResponseMessage Bytes(byte[] content)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
        response.Content.Headers.ContentLength = content.Length;
        return response;
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message = "stubbed") => new(status)
    {
        Content = new StringContent(
            $"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>r</RequestId><HostId>h</HostId></Error>""",
            Encoding.UTF8,
            "application/xml"),
    };

    /// <summary>A HEAD answer carries no body, so the SDK only sees the status.</summary>
    public static HttpResponseMessage HeadNotFound() => new(HttpStatusCode.NotFound) { Content = new ByteArrayContent([]) };

    public static HttpResponseMessage Initiated(string uploadId) => Xml(
        $"""<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>{uploadId}</UploadId></InitiateMultipartUploadResult>""");

    public static HttpResponseMessage Completed() => Xml(
        """<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>l</Location><Bucket>b</Bucket><Key>k</Key><ETag>"abc-3"</ETag></CompleteMultipartUploadResult>""");

    public static HttpResponseMessage NoContent() => new(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
}
