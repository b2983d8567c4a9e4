using System.Globalization;
using System.Text.Json;

namespace Streaming.Lake.Tests.Athena;

/// <summary>
/// One known event of the query tests, kept in memory so the expected answers come from these objects, not from the
/// lake. <see cref="Offset"/> is the UTC offset its producer writes <c>date</c> in.
/// </summary>
internal sealed record AnalyticsEvent(string Id, string Type, long UserId, string Country, DateTimeOffset Time, TimeSpan Offset, IReadOnlyDictionary<string, object> Params)
{
    public string ToJson()
    {
        var local = Time.ToOffset(Offset);
        var date = Offset == TimeSpan.Zero
            ? local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Id,
            ["date"] = date,
            ["type"] = Type,
            ["user_id"] = UserId,
            ["country_code"] = Country,
            ["params"] = Params,
        });
    }
}
