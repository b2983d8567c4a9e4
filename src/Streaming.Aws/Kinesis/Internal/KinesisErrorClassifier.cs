using System.Net;
using System.Text.Json;

namespace Streaming.Aws.Kinesis.Internal;

/// <summary>Turns an error answer of the JSON 1.1 protocol into a <see cref="KinesisException"/>.</summary>
internal static class KinesisErrorClassifier
{
    public static KinesisException FromResponse(string operation, HttpStatusCode status, ReadOnlySpan<byte> body, string? errorTypeHeader)
    {
        var (code, message) = ReadError(body);
        code ??= Normalize(errorTypeHeader);
        code ??= $"Http{(int)status}";
        message ??= status.ToString();
        return new KinesisException(Classify(code, status), operation, code, message, (int)status);
    }

    public static KinesisErrorKind Classify(string errorCode, HttpStatusCode status)
    {
        switch (errorCode)
        {
            case "ProvisionedThroughputExceededException":
            case "LimitExceededException":
            case "ThrottlingException":
            case "Throttling":
            case "RequestLimitExceeded":
            case "KMSThrottlingException":
                return KinesisErrorKind.Throttled;
            case "ExpiredIteratorException":
            case "ExpiredNextTokenException":
                return KinesisErrorKind.IteratorExpired;
            case "ResourceNotFoundException":
                return KinesisErrorKind.NotFound;
            case "ResourceInUseException":
                return KinesisErrorKind.ResourceInUse;
            case "InvalidArgumentException":
            case "ValidationException":
            case "SerializationException":
            case "MissingParameter":
            case "InvalidParameterCombination":
            case "InvalidParameterValue":
            case "InvalidQueryParameter":
            case "MalformedQueryString":
            case "InvalidAction":
                return KinesisErrorKind.InvalidArgument;
            case "AccessDeniedException":
            case "UnrecognizedClientException":
            case "InvalidSignatureException":
            case "IncompleteSignature":
            case "IncompleteSignatureException":
            case "MissingAuthenticationToken":
            case "MissingAuthenticationTokenException":
            case "InvalidClientTokenId":
            case "ExpiredTokenException":
            case "ExpiredToken":
            case "RequestExpired":
            case "SignatureDoesNotMatch":
            case "KMSAccessDeniedException":
                return KinesisErrorKind.AccessDenied;
            case "InternalFailure":
            case "InternalFailureException":
            case "InternalServerError":
            case "ServiceUnavailable":
            case "ServiceUnavailableException":
                return KinesisErrorKind.Unavailable;
        }

        var code = (int)status;
        return code switch
        {
            429 => KinesisErrorKind.Throttled,
            >= 500 => KinesisErrorKind.Unavailable,
            401 or 403 => KinesisErrorKind.AccessDenied,
            404 => KinesisErrorKind.NotFound,
            _ => KinesisErrorKind.Fatal,
        };
    }

    private static (string? Code, string? Message) ReadError(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? code = null;
            string? message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (property.NameEquals("__type") || property.NameEquals("code"))
                {
                    code ??= Normalize(property.Value.GetString());
                }
                else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                {
                    message ??= property.Value.GetString();
                }
            }

            return (code, message);
        }
        catch (JsonException)
        {
            // A proxy or load balancer may answer with HTML; the status code then decides.
            return (null, null);
        }
    }

    /// <summary>"com.amazonaws.kinesis.v20131202#ResourceNotFoundException" and "Code:http://..." both become the bare code.</summary>
    private static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var code = raw;
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        code = code.Trim();
        return code.Length == 0 ? null : code;
    }
}
