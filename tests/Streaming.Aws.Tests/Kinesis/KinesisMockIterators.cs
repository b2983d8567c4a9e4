using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.Aws.Tests.Kinesis;

/// <summary>
/// kinesis-mock cannot be told to age an iterator, and waiting five minutes is not a test. Its iterators are
/// base64 of an 8-byte header and AES-256-CBC("{millis:D14}/{stream}/{shard}/{sequence}/{padding}") under a key
/// fixed in its source (kinesis-local 0.6.2, models/ShardIterator.scala), so a test can re-issue a real iterator
/// as if it had been handed out earlier. The emulator itself then decides that it expired.
/// </summary>
internal static class KinesisMockIterators
{
    private static readonly byte[] Key = Convert.FromHexString("1133a5a833666b49abf28c8ba302930f0b2fb240dccd43cf4dfbc0ca91f17751");
    private static readonly byte[] Iv = Convert.FromHexString("7bf139dbabbea2d9995d6fcae1dff7da");
    private const int HeaderLength = 8;

    public static string IssuedAt(string iterator, DateTimeOffset issuedAt)
    {
        var raw = Convert.FromBase64String(iterator);
        using var aes = Aes.Create();
        aes.Key = Key;
        var plain = Encoding.UTF8.GetString(aes.DecryptCbc(raw.AsSpan(HeaderLength), Iv, PaddingMode.PKCS7));
        var parts = plain.Split('/');
        if (parts.Length != 5 || parts[0].Length != 14 || !parts[0].All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"Not a kinesis-mock iterator layout this test knows: {plain}");
        }

        parts[0] = issuedAt.ToUnixTimeMilliseconds().ToString("D14", CultureInfo.InvariantCulture);
        var cipher = aes.EncryptCbc(Encoding.UTF8.GetBytes(string.Join('/', parts)), Iv, PaddingMode.PKCS7);
        return Convert.ToBase64String([.. raw.AsSpan(0, HeaderLength), .. cipher]);
    }
}
