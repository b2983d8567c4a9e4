using System.Text;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// A JSON object of raw JSON values and nested objects, written with its keys in a random order at every level:
/// producers do not agree on key order, and a consumer that caches per key position must not care.
/// </summary>
internal sealed class ShuffledObject
{
    private readonly List<KeyValuePair<string, object>> _members = [];

    /// <summary>Adds a raw JSON value; a null <paramref name="json"/> leaves the key out (a missing field).</summary>
    public ShuffledObject Add(string key, string? json)
    {
        if (json is not null)
        {
            _members.Add(new(key, json));
        }

        return this;
    }

    public ShuffledObject Add(string key, ShuffledObject? value)
    {
        if (value is not null)
        {
            _members.Add(new(key, value));
        }

        return this;
    }

    /// <summary>Replaces the value at a dotted path (<c>params.card.brand</c>) that must exist.</summary>
    public void Replace(string path, string json)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var key = dot < 0 ? path : path[..dot];
        var i = _members.FindIndex(m => m.Key == key);
        if (i < 0)
        {
            throw new InvalidOperationException($"no member {key} to replace in {path}");
        }

        if (dot < 0)
        {
            _members[i] = new(key, json);
        }
        else
        {
            ((ShuffledObject)_members[i].Value).Replace(path[(dot + 1)..], json);
        }
    }

    public string Render(Random random)
    {
        var text = new StringBuilder();
        Render(random, text);
        return text.ToString();
    }

    private void Render(Random random, StringBuilder text)
    {
        var order = _members.ToArray();
        random.Shuffle(order);

        // Some producers pretty-print a little; white space between tokens must change nothing.
        var spaced = random.Next(5) == 0;
        text.Append('{');
        for (var i = 0; i < order.Length; i++)
        {
            if (i > 0)
            {
                text.Append(spaced ? ", " : ",");
            }

            text.Append(JsonText.String(order[i].Key, escapeNonAscii: false)).Append(spaced ? ": " : ":");
            if (order[i].Value is ShuffledObject nested)
            {
                nested.Render(random, text);
            }
            else
            {
                text.Append((string)order[i].Value);
            }
        }

        text.Append('}');
    }
}
