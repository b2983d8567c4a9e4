using System.Security.Cryptography;
using System.Text;

namespace Streaming.Core.Tests.Decoding.Kpl;

/// <summary>
/// Writes protobuf by hand, tag byte by tag byte, so that test vectors do not depend on the encoder under test
/// (nor on Google.Protobuf): a varint is 7 bits per byte, low bits first, high bit set on all but the last byte.
/// </summary>
internal sealed class ProtoBytes
{
    private readonly List<byte> _bytes = [];

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    /// <summary>The four magic bytes, the protobuf, and MD5 of the protobuf (or the digest given).</summary>
    public static byte[] Seal(byte[] protobuf, byte[]? digest = null) =>
        [0xF3, 0x89, 0x9A, 0xC2, .. protobuf, .. digest ?? MD5.HashData(protobuf)];

    public ProtoBytes Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A varint field: tag (field &lt;&lt; 3 | 0), then the value.</summary>
    public ProtoBytes VarintField(int field, ulong value) => Raw(Varint((ulong)field << 3)).Raw(Varint(value));

    /// <summary>A length-delimited field: tag (field &lt;&lt; 3 | 2), length, bytes.</summary>
    public ProtoBytes BytesField(int field, byte[] value) => Raw(Varint(((ulong)field << 3) | 2)).Raw(Varint((ulong)value.Length)).Raw(value);

    public ProtoBytes StringField(int field, string value) => BytesField(field, Encoding.UTF8.GetBytes(value));

    public ProtoBytes MessageField(int field, ProtoBytes message) => BytesField(field, message.ToArray());

    public byte[] ToArray() => [.. _bytes];
}
